"""Random and broken inputs, seeded: readers and the SPARQL front never end in a traceback or a
partial output, whatever they are fed."""

import random

import pytest
from rdflib import Graph
from typer.testing import CliRunner

from kg.cli import app
from kg.documents import DocumentError, read_document
from kg.query import QueryError, format_result, load_graph, run_query

from .conftest import SAMPLE

SPARQL_WORDS = ["SELECT", "ASK", "CONSTRUCT", "DESCRIBE", "WHERE", "{", "}", "?s", "?p", "?o", "FILTER", "(", ")",
                "OPTIONAL", "UNION", "GRAPH", "SERVICE", "<urn:x>", '"a"', "1e400", "regex", "COUNT", "*", "SUM",
                "GROUP BY", "ORDER BY", "LIMIT", "-1", ".", ";", ",", "BIND", "AS", "VALUES", "MINUS", "str", "^^", "@it"]


def random_query(rng: random.Random) -> str:
    words = [rng.choice(SPARQL_WORDS) for _ in range(rng.randint(1, 14))]
    if rng.random() < 0.3:
        words.insert(rng.randrange(len(words) + 1), "".join(chr(rng.randint(1, 0x2FF)) for _ in range(rng.randint(1, 6))))
    return " ".join(words)


def test_readers_take_any_bytes(tmp_path):
    rng = random.Random(7)
    samples = [p.read_bytes() for p in sorted(SAMPLE.glob("*.txt"))]
    for i in range(60):
        if i % 2:
            data = bytes(rng.randrange(256) for _ in range(rng.randint(0, 400)))
        else:
            source = rng.choice(samples)
            data = source[:rng.randint(0, len(source))]  # a truncated file, maybe cut inside a character
        path = tmp_path / f"f{i}{rng.choice(['.txt', '.md', '.html'])}"
        path.write_bytes(data)
        try:
            read_document(path)
        except DocumentError as error:
            assert str(error).startswith(str(path)) and "\n" not in str(error)


def test_build_over_fuzzed_files_writes_the_good_ones_and_nothing_else(tmp_path):
    rng = random.Random(11)
    batch = tmp_path / "batch"
    batch.mkdir()
    (batch / "good.txt").write_bytes((SAMPLE / "it-microsoft-francia.txt").read_bytes())
    for i in range(12):
        (batch / f"bad{i}.txt").write_bytes(bytes(rng.randrange(256) for _ in range(rng.randint(1, 300))))
    out = tmp_path / "out"
    out.mkdir()
    result = CliRunner().invoke(app, ["build", str(batch), "-o", str(out / "g.ttl"), "--no-validate"])
    assert result.exit_code == 0 and result.exception is None, result.output
    assert [p.name for p in out.iterdir()] == ["g.ttl"]
    assert len(Graph().parse(out / "g.ttl")) > 100


@pytest.fixture(scope="module")
def sample_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("fuzz") / "sample.ttl"
    assert CliRunner().invoke(app, ["build", str(SAMPLE), "-o", str(path), "--no-validate"]).exit_code == 0
    return path


def test_random_queries_are_answered_or_refused_in_one_line(sample_file):
    rng = random.Random(3)
    graph = load_graph(sample_file)
    for _ in range(150):
        query = random_query(rng)
        try:
            result = run_query(graph, query)
            for fmt in ("table", "json", "csv", "tsv", "xml"):
                format_result(result, fmt, graph)
        except QueryError as error:
            assert "\n" not in str(error)


def test_random_queries_through_the_command_line(sample_file):
    rng = random.Random(5)
    for _ in range(25):
        result = CliRunner().invoke(app, ["query", str(sample_file), random_query(rng), "--format", rng.choice(["csv", "json"])])
        assert result.exit_code in (0, 2) and (result.exception is None or isinstance(result.exception, SystemExit))
        if result.exit_code == 2:
            assert result.output.startswith("error: ") and len(result.output.strip().splitlines()) == 1
