"""Every command with real inputs, and with the broken inputs users will give it."""

import json
import re
import shutil
from pathlib import Path

import networkx as nx
import pytest
from rdflib import Dataset, Graph
from typer.testing import CliRunner

from kg.cli import app

from .conftest import SAMPLE

runner = CliRunner()


def run(*args):
    return runner.invoke(app, [str(a) for a in args])


@pytest.fixture(scope="module")
def sample_graph(tmp_path_factory):
    out = tmp_path_factory.mktemp("build") / "sample.ttl"
    result = run("build", SAMPLE, "-o", out)
    assert result.exit_code == 0, result.output
    return out, result.output


def test_build_sample(sample_graph):
    path, output = sample_graph
    graph = Graph().parse(path)
    assert len(graph) > 50
    assert "3 documents, 1 skipped" in output
    assert "conforms to shapes" in output
    assert "en-note.txt: language 'en' is not supported" in output


def test_build_is_byte_identical(tmp_path, sample_graph):
    again = tmp_path / "again.ttl"
    assert run("build", SAMPLE, "-o", again).exit_code == 0
    assert again.read_bytes() == sample_graph[0].read_bytes()


@pytest.mark.parametrize("suffix, parse_as", [(".nt", "nt"), (".jsonld", "json-ld"), (".trig", "trig")])
def test_build_format_from_suffix(tmp_path, sample_graph, suffix, parse_as):
    out = tmp_path / f"g{suffix}"
    assert run("build", SAMPLE, "-o", out, "--no-validate").exit_code == 0
    parsed = Dataset().parse(out, format=parse_as)
    assert len(list(parsed.quads())) == len(Graph().parse(sample_graph[0]))


def test_build_unknown_suffix_is_a_clear_error(tmp_path):
    result = run("build", SAMPLE, "-o", tmp_path / "g.docx")
    assert result.exit_code == 2
    assert "unknown RDF suffix '.docx'" in result.output
    assert not (tmp_path / "g.docx").exists()


def test_broken_inputs_are_skipped_and_the_batch_goes_on(tmp_path):
    batch = tmp_path / "batch"
    shutil.copytree(SAMPLE, batch)
    (batch / "empty.txt").write_text("")
    (batch / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    (batch / "latin1.txt").write_bytes("Città di Mülhausen und Straße".encode("latin-1"))
    out = tmp_path / "g.ttl"
    result = run("build", batch, "-o", out)
    assert result.exit_code == 0
    assert "empty.txt: empty file" in result.output
    assert "binary.txt: binary file" in result.output
    assert "latin1.txt: invalid UTF-8 at byte" in result.output
    assert "en-note.txt: language 'en' is not supported" in result.output
    assert "3 documents, 4 skipped" in result.output
    assert len(Graph().parse(out)) > 50


def test_nothing_buildable_exits_nonzero_and_writes_nothing(tmp_path):
    (tmp_path / "empty.txt").write_text("")
    out = tmp_path / "g.ttl"
    result = run("build", tmp_path / "empty.txt", tmp_path / "missing.txt", "-o", out)
    assert result.exit_code == 2
    assert "missing.txt: no such file or folder" in result.output
    assert "no document could be read" in result.output
    assert not out.exists() and not list(tmp_path.glob(".g.ttl*"))


def test_lang_override(tmp_path):
    out = tmp_path / "g.ttl"
    result = run("build", SAMPLE / "en-note.txt", "--lang", "de", "-o", out)
    assert result.exit_code == 0 and "1 documents" in result.output


def test_validate_conforming_graph(sample_graph):
    result = run("validate", sample_graph[0])
    assert result.exit_code == 0 and "conforms" in result.output


def test_validate_reports_violations_readably(tmp_path, sample_graph):
    broken = tmp_path / "broken.ttl"
    text = sample_graph[0].read_text()
    broken.write_text(text.replace('schema:currency "EUR"', 'schema:currency "euro"'))
    result = run("validate", broken)
    assert result.exit_code == 1
    line = next(l for l in result.output.splitlines() if "ISO 4217" in l)
    assert "schema:currency" in line and "/amount" in line


def test_validate_malformed_turtle(tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix x: <http://x/> .\nx:a x:b ")
    result = run("validate", bad)
    assert result.exit_code == 2
    assert result.output.startswith("error: ") and "bad.ttl: not valid RDF" in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_query_canned_and_formats(sample_graph):
    path = sample_graph[0]
    table = run("query", path, "investments")
    assert table.exit_code == 0 and "Microsoft" in table.output and "France" in table.output
    as_json = json.loads(run("query", path, "investments", "--format", "json").output)
    currencies = {b["currency"]["value"] for b in as_json["results"]["bindings"] if "currency" in b}
    assert currencies == {"USD", "EUR"}
    csv_lines = run("query", path, "entities", "--format", "csv").output.splitlines()
    assert csv_lines[0].startswith("entity,name,types,languages")
    tsv_lines = run("query", path, "conflicts", "--format", "tsv").output.splitlines()
    assert tsv_lines[0].startswith("?conflict\t?on") and len(tsv_lines) == 4  # one conflict, three claims


def test_query_sparql_text_and_file(tmp_path, sample_graph):
    text = "SELECT (COUNT(*) AS ?n) WHERE { ?d a <https://w3id.org/invest-kg/ontology#Document> }"
    assert run("query", sample_graph[0], text, "--format", "csv").output.split() == ["n", "3"]
    rq = tmp_path / "count.rq"
    rq.write_text(text)
    assert run("query", sample_graph[0], rq, "--format", "csv").output.split() == ["n", "3"]


def test_query_errors(tmp_path, sample_graph):
    syntax = run("query", sample_graph[0], "SELECT ?x WHERE { ?x ?y }")
    assert syntax.exit_code == 2 and syntax.output.startswith("error: SPARQL error")
    unknown = run("query", sample_graph[0], "nonsense")
    assert unknown.exit_code == 2 and "not a canned query" in unknown.output
    bad = tmp_path / "bad.ttl"
    bad.write_text("this is not turtle")
    assert run("query", bad, "entities").exit_code == 2


@pytest.mark.parametrize("query, args", [
    ('SELECT * WHERE { ?s ?p ?o FILTER regex(?o, "(") }', ()),       # a bad pattern, met while reading rows
    ("SELECT (SUM(?s) AS ?x) WHERE { ?s ?p ?o }", ()),               # a sum of IRIs
    ('SELECT (SUBSTR("abc", 1e400) AS ?x) WHERE {}', ()),             # a float where an integer goes
    ("SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }", ()),                 # named graphs of a single graph
])
def test_errors_while_evaluating_or_writing_are_one_line(sample_graph, query, args):
    result = run("query", sample_graph[0], query, *args)
    assert result.exit_code == 2 and result.output.startswith("error: ") and len(result.output.strip().splitlines()) == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)


@pytest.mark.parametrize("suffix", [".graphml", ".gexf", ".json"])
def test_view_investments(tmp_path, sample_graph, suffix):
    out = tmp_path / f"view{suffix}"
    result = run("view", sample_graph[0], "--kind", "investments", "-o", out)
    assert result.exit_code == 0, result.output
    if suffix == ".graphml":
        view = nx.read_graphml(out)
    elif suffix == ".gexf":
        view = nx.read_gexf(out)
    else:
        view = nx.node_link_graph(json.loads(out.read_text()), edges="links")
    labels = {data["label"] for _, data in view.nodes(data=True)}
    assert labels == {"Microsoft", "France", "Mistral AI"}
    kinds = sorted((data["kind"], data["currency"]) for *_, data in view.edges(data=True))
    assert kinds == [("CapitalExpenditure", "EUR")] * 2 + [("CapitalExpenditure", "USD")] + [("EquityStake", "")] * 2


def test_view_entities_and_errors(tmp_path, sample_graph):
    out = tmp_path / "entities.graphml"
    assert run("view", sample_graph[0], "--kind", "entities", "-o", out).exit_code == 0
    view = nx.read_graphml(out)
    assert view.has_edge("https://w3id.org/invest-kg/resource/paris", "https://w3id.org/invest-kg/resource/france")
    bad = run("view", sample_graph[0], "-o", tmp_path / "v.png")
    assert bad.exit_code == 2 and "unknown view format" in bad.output and not (tmp_path / "v.png").exists()


def test_models_json():
    result = run("models", "--json")
    assert result.exit_code == 0
    rows = json.loads(result.output)
    assert {row["lang"] for row in rows} == {"it", "de", "fr"}
    assert all({"lang", "name", "path", "source", "license"} <= row.keys() for row in rows)
    bundled = {row["lang"]: row["license"] for row in rows if row["source"] == "bundled"}
    # KIND's annotations are non-commercial; the German pipeline is trained on CC BY data only
    assert bundled.get("it", "CC BY-NC-SA 4.0") == "CC BY-NC-SA 4.0" and bundled.get("de", "CC BY 4.0") == "CC BY 4.0"


def test_models_unknown_user_model_is_an_error():
    result = run("models", "--model", "it=no_such_model_xyz")
    assert result.exit_code == 2 and "no_such_model_xyz" in result.output


@pytest.mark.slow
def test_output_does_not_depend_on_hash_seed(tmp_path):
    """Every format, built under two hash seeds: the same bytes. One process per seed builds the
    sample into each format (the pipelines load once)."""
    import os
    import subprocess
    import sys

    suffixes = (".ttl", ".nt", ".nq", ".jsonld", ".trig")
    script = ("import sys\nfrom kg.cli import app\nfor out in sys.argv[2:]:\n"
              "    app(['build', sys.argv[1], '-o', out, '--no-validate'], standalone_mode=False)")
    for seed in ("1", "2"):
        outs = [str(tmp_path / f"g{seed}{suffix}") for suffix in suffixes]
        subprocess.run([sys.executable, "-c", script, str(SAMPLE), *outs], env={**os.environ, "PYTHONHASHSEED": seed},
                       check=True, capture_output=True)
    for suffix in suffixes:
        assert (tmp_path / f"g1{suffix}").read_bytes() == (tmp_path / f"g2{suffix}").read_bytes(), suffix


def test_entities_list_and_explain(sample_graph):
    listing = run("entities", sample_graph[0], "--format", "csv")
    assert listing.exit_code == 0
    header, *rows = listing.output.splitlines()
    assert header == "entity,name,types,languages,mentions,documents,sameAs"
    france = next(row for row in rows if row.startswith("https://w3id.org/invest-kg/resource/france,"))
    assert ",Country,\"de,fr,it\"," in france
    explained = run("entities", sample_graph[0], "--explain", "Frankreich")
    assert explained.exit_code == 0
    lines = explained.output.splitlines()
    assert lines[0] == "kgr:france  France"
    assert any('"Francia"@it  catalogue name' in line for line in lines)
    assert any('"Frankreich"@de  catalogue name' in line for line in lines)
    missing = run("entities", sample_graph[0], "--explain", "Atlantis")
    assert missing.exit_code == 1 and "no entity called 'Atlantis'" in missing.output


def test_canned_fact_queries(sample_graph):
    path = sample_graph[0]
    facilities = run("query", path, "facilities", "--format", "csv").output.splitlines()
    assert facilities[0] == "area,facility,operator,status,sources"
    in_france = [line for line in facilities if line.startswith("France,")]
    assert any("Mulhouse" in line and ",new," in line for line in in_france)  # nested: Mulhouse → … → France
    commitments = run("query", path, "commitments", "--format", "csv").output.splitlines()
    assert any(line.startswith("2025,Microsoft,25000") and ",GPU," in line for line in commitments)
    roles = run("query", path, "roles", "--format", "csv").output
    assert "Brad Smith,presidente,Microsoft" in roles
    listed = run("queries").output
    for name in ("entities", "investments", "conflicts", "commitments", "facilities", "partners", "roles", "mentions"):
        assert f"\n{name} " in f"\n{listed}"


def test_html_view_escapes_labels(tmp_path):
    import networkx as nx

    from kg.views import view_html

    view = nx.Graph()
    view.add_node("x", label="</script><script>alert(1)</script>", type="Organization")
    view.add_node("y", label="<b>Bold & Co</b>", type="Place")
    view.add_edge("x", "y", weight=1)
    page = view_html(view)
    assert "</script><script>alert(1)" not in page and "<b>Bold" not in page
    assert "vis.DataSet" in page and "cdnjs.cloudflare.com/ajax/libs/vis-network" not in page  # vis.js inlined


def test_view_html_file(tmp_path, sample_graph):
    out = tmp_path / "investments.html"
    assert run("view", sample_graph[0], "--kind", "investments", "-o", out).exit_code == 0
    page = out.read_text()
    assert "Mistral AI" in page and "new vis.Network" in page  # vis.js is inlined
    assert not re.search(r'(src|href)="https?://', page)  # nothing is loaded from the web


def test_organisation_view_and_sentence_comentions(tmp_path, sample_graph):
    out = tmp_path / "organisations.graphml"
    assert run("view", sample_graph[0], "--kind", "organisations", "-o", out).exit_code == 0
    view = nx.read_graphml(out)
    relations = {(view.nodes[a]["label"], view.nodes[b]["label"], d["relation"]) for a, b, d in view.edges(data=True)}
    assert ("Microsoft", "Mistral AI", "stake") in relations
    assert ("Microsoft", "Microsoft GenAI Studio", "organises") in relations
    entities = tmp_path / "entities.graphml"
    assert run("view", sample_graph[0], "--kind", "entities", "-o", entities).exit_code == 0
    co = nx.read_graphml(entities)
    paris, marseille = "https://w3id.org/invest-kg/resource/paris", "https://w3id.org/invest-kg/resource/marseille"
    assert co.edges[paris, marseille]["weight"] == 3  # one sentence in each sample article names both


def test_investments_by_country_rolls_up_and_does_not_sum_sources(sample_graph):
    rows = run("query", sample_graph[0], "investments_by_country", "--format", "csv").output.splitlines()
    assert rows[0] == "country,investor,currency,smallest,largest,claims,sources"
    assert sorted(rows[1:]) == ["France,Microsoft,EUR,4000000000.0,4000000000.0,2,2",
                                "France,Microsoft,USD,4000000000.0,4000000000.0,1,1"]


def test_validation_is_not_fooled_by_rdfs_range(tmp_path, sample_graph):
    """An investor that is a city stays a violation: rdfs:range must not make it an organisation."""
    from kg.resources import INV, KGR
    from kg.validate import validate_graph

    graph = Graph().parse(sample_graph[0])
    investment = next(graph.subjects(INV.investor, KGR.microsoft))
    graph.set((investment, INV.investor, KGR.paris))
    before = len(graph)
    report = validate_graph(graph)
    assert not report.conforms
    assert any(v.path == "inv:investor" and "organisation" in v.message for v in report.violations)
    assert len(graph) == before  # the inferred types were taken out again


def test_build_into_oxigraph_store_then_query_and_validate(tmp_path, sample_graph):
    store = tmp_path / "sample.oxigraph"
    built = run("build", SAMPLE, "-o", store)
    assert built.exit_code == 0 and "conforms to shapes" in built.output, built.output
    assert store.is_dir()
    as_json = json.loads(run("query", store, "investments", "--format", "json").output)
    assert {b["currency"]["value"] for b in as_json["results"]["bindings"] if "currency" in b} == {"USD", "EUR"}
    assert run("validate", store).exit_code == 0
    rebuilt = run("build", SAMPLE, "-o", store)  # an existing store is replaced whole
    assert rebuilt.exit_code == 0 and sorted(p.name for p in tmp_path.iterdir()) == ["sample.oxigraph"]


def test_validate_in_parallel_shards(tmp_path, sample_graph):
    broken = tmp_path / "broken.ttl"
    broken.write_text(sample_graph[0].read_text().replace('schema:currency "EUR"', 'schema:currency "euro"'))
    result = run("validate", broken, "--jobs", "2")
    assert result.exit_code == 1
    assert sum("ISO 4217" in line for line in result.output.splitlines()) == 2  # the German and the French claim


def test_fast_ntriples_lines_equal_rdflibs_for_awkward_terms():
    from rdflib import XSD, Literal, URIRef
    from rdflib.plugins.serializers.nt import _nt_row

    from kg.rdf import nt_row

    s, p = URIRef("https://w3id.org/invest-kg/resource/a"), URIRef("https://schema.org/name")
    for o in (Literal('say "4 mld"\nthen\\ go\r'), Literal("Francia", lang="it"), Literal("4000000000", datatype=XSD.decimal),
              Literal(7), URIRef("http://www.wikidata.org/entity/Q142")):
        assert nt_row((s, p, o)) == _nt_row((s, p, o))
    with pytest.raises(Exception, match="does not look like a valid URI"):
        nt_row((URIRef("https://w3id.org/invest-kg/resource/a b"), p, s))


@pytest.mark.parametrize("suffix", [".nq", ".trig"])
def test_quad_files_are_read_whole_by_every_command(tmp_path, sample_graph, suffix):
    """A graph kg build writes as N-Quads or TriG is not an empty graph to query, validate or view."""
    quads = tmp_path / f"sample{suffix}"
    assert run("build", SAMPLE, "-o", quads, "--no-validate").exit_code == 0
    triples = len(Graph().parse(sample_graph[0]))
    for store in ("memory", "oxigraph"):
        count = run("query", quads, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "--format", "csv", "--store", store)
        assert count.output.split() == ["n", str(triples)]
    broken = tmp_path / f"broken{suffix}"
    broken.write_text(quads.read_text().replace('"EUR"', '"euro"'))
    assert run("validate", quads).exit_code == 0 and run("validate", broken).exit_code == 1
    view = run("view", quads, "--kind", "investments", "-o", tmp_path / "v.graphml")
    assert view.exit_code == 0 and "5 edges" in view.output


def test_an_overlong_document_is_skipped_with_a_reason(tmp_path):
    batch = tmp_path / "batch"
    shutil.copytree(SAMPLE, batch)
    paragraph = "Ferrovento investirà 5 milioni di euro in Lombardia per un nuovo impianto produttivo.\n\n"
    (batch / "huge.txt").write_text(paragraph * (400_000 // len(paragraph)))
    result = run("build", batch, "-o", tmp_path / "g.ttl")
    assert result.exit_code == 0, result.output
    assert "huge.txt: " in result.output and "characters, more than the 300,000" in result.output
    assert "3 documents, 2 skipped" in result.output


def test_files_deleted_or_changed_during_a_build_are_skipped(tmp_path, monkeypatch):
    import kg.build

    batch = tmp_path / "batch"
    shutil.copytree(SAMPLE, batch)
    (batch / "it-ferrovento.txt").write_text("Ferrovento investirà 5 milioni di euro in Lombardia.\n")
    listed = kg.build.read_documents

    def list_then_touch(*args, **kwargs):
        found = listed(*args, **kwargs)
        (batch / "de-microsoft-frankreich.txt").unlink()
        (batch / "it-ferrovento.txt").write_text("Ferrovento investirà 7 milioni di euro in Lombardia.\n")
        return found

    monkeypatch.setattr(kg.build, "read_documents", list_then_touch)
    result = run("build", batch, "-o", tmp_path / "g.ttl")
    assert result.exit_code == 0, result.output
    assert "de-microsoft-frankreich.txt: cannot read" in result.output
    assert "it-ferrovento.txt: changed while the build ran" in result.output
    assert "2 documents, 3 skipped" in result.output


def test_output_problems_are_found_before_any_work(tmp_path, monkeypatch):
    import kg.build

    def no_work(*args, **kwargs):
        raise AssertionError("the build started although its output cannot be written")

    monkeypatch.setattr(kg.build, "read_documents", no_work)
    batch = tmp_path / "batch"
    shutil.copytree(SAMPLE, batch)
    article = batch / "it-microsoft-francia.txt"
    before = article.read_bytes()
    (tmp_path / "folder").mkdir()
    for args, message in (
        (("-o", tmp_path / "g.ttl", "--format", "bogus"), "unknown --format 'bogus'"),
        (("-o", tmp_path / "folder"), "is a folder"),
        (("-o", article, "--format", "turtle"), "is one of the input documents"),
        (("-o", "/proc/g.ttl"), "cannot write in /proc"),
    ):
        result = run("build", batch, *args)
        assert result.exit_code == 2 and message in result.output, (args, result.output)
        assert len(result.output.strip().splitlines()) == 1
    assert article.read_bytes() == before


@pytest.mark.parametrize("suffix", [".graphml", ".gexf"])
def test_views_are_well_formed_xml_whatever_the_file_names(tmp_path, suffix):
    import xml.dom.minidom

    batch = tmp_path / "batch"
    batch.mkdir()
    (batch / "it-\x01strano\x1f.txt").write_text((SAMPLE / "it-microsoft-francia.txt").read_text())
    graph = tmp_path / "g.ttl"
    assert run("build", batch, "-o", graph, "--no-validate").exit_code == 0
    out = tmp_path / f"v{suffix}"
    assert run("view", graph, "--kind", "investments", "-o", out).exit_code == 0
    document = xml.dom.minidom.parse(str(out))  # raises on a malformed file
    assert "strano" in document.toxml()


def test_nothing_is_left_behind_when_a_build_stops_early(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    result = run("build", SAMPLE, "-o", out / "g.oxigraph", "--model", "it=/no/such/pipeline")
    assert result.exit_code == 2 and "neither a folder nor an installed package" in result.output
    assert list(out.iterdir()) == []


def test_sigterm_leaves_no_temporary_files(tmp_path):
    import signal
    import subprocess
    import sys
    import time

    batch = tmp_path / "batch"
    batch.mkdir()
    for i in range(30):
        (batch / f"it{i}.txt").write_text(f"Microsoft investirà {i + 1} milioni di euro in Francia.\n" * 200)
    out = tmp_path / "out"
    out.mkdir()
    build = subprocess.Popen([sys.executable, "-m", "kg.cli", "build", str(batch), "-o", str(out / "g.nt")],
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while not list(out.iterdir()) and build.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)  # wait until the build has started writing
    build.send_signal(signal.SIGTERM)
    build.wait(60)
    assert list(out.iterdir()) == [] or [p.name for p in out.iterdir()] == ["g.nt"]  # finished first, or nothing


def test_replacing_a_store_leaves_other_builds_folders_alone(tmp_path):
    from kg.sinks import replace_folder

    target, new, other = tmp_path / "g.oxigraph", tmp_path / "new", tmp_path / ".g.oxigraph.old"
    for folder, content in ((target, "old"), (new, "new"), (other, "another build's")):
        folder.mkdir()
        (folder / "data").write_text(content)
    replace_folder(new, target)
    assert (target / "data").read_text() == "new" and (other / "data").read_text() == "another build's"
    assert sorted(p.name for p in tmp_path.iterdir()) == [".g.oxigraph.old", "g.oxigraph"]


def test_an_interrupt_while_listing_leaves_nothing(tmp_path, monkeypatch):
    import kg.build

    def interrupted(paths):
        yield SAMPLE / "it-microsoft-francia.txt"
        raise KeyboardInterrupt

    monkeypatch.setattr(kg.build, "find_documents", interrupted)
    out = tmp_path / "out"
    out.mkdir()
    result = run("build", SAMPLE, "-o", out / "g.oxigraph")
    assert result.exit_code != 0 and list(out.iterdir()) == []


def test_many_conflicts_are_a_count_with_the_query_that_lists_them(tmp_path, monkeypatch):
    import kg.cli

    monkeypatch.setattr(kg.cli, "LISTED_CONFLICTS", 0)
    out = tmp_path / "g.ttl"
    result = run("build", SAMPLE, "-o", out, "--no-validate")
    assert f"1 conflicts between sources: kg query {out} conflicts lists them" in result.output
    assert "conflict on currency" not in result.output


def test_version():
    from kg import __version__

    result = run("--version")
    assert result.exit_code == 0 and result.output.strip() == f"invest-kg {__version__}"


def test_terminal_tables_are_for_people(sample_graph):
    table = run("query", sample_graph[0], "investments").output
    assert "kgr:investment/" in table and "https://w3id.org" not in table
    assert "4,000,000,000" in table and "4000000000.0" not in table
    from kg.sparql import fit

    assert fit("x" * 70, 60) == "x" * 59 + "…" and fit("short", 60) == "short"


def test_sample_graph_equals_the_golden_snapshot(tmp_path):
    """The whole sample graph, pinned: a change that alters any triple shows here and must be
    reviewed and recorded with `make golden` (a deterministic but wrong change does not pass)."""
    out = tmp_path / "sample.nt"
    assert run("build", SAMPLE, "-o", out, "--no-validate").exit_code == 0
    golden = (Path(__file__).parent / "golden" / "sample.nt").read_text(encoding="utf-8").splitlines()
    built = out.read_text(encoding="utf-8").splitlines()
    assert set(built) - set(golden) == set() and set(golden) - set(built) == set()


def test_json_ld_is_compacted_with_the_project_context(tmp_path, sample_graph):
    out = tmp_path / "g.jsonld"
    assert run("build", SAMPLE, "-o", out, "--no-validate").exit_code == 0
    document = json.loads(out.read_text())
    assert document["@context"]["inv"] == "https://w3id.org/invest-kg/ontology#"
    assert "inv:investor" in out.read_text()  # compact terms, not expanded IRIs
    def values(graph):  # Turtle writes 4000000000.0 where the graph holds "4000000000"^^xsd:decimal
        return {(s, p, o.toPython() if hasattr(o, "toPython") else o) for s, p, o in graph}

    assert values(Graph().parse(out, format="json-ld")) == values(Graph().parse(sample_graph[0]))


def test_queries_are_described_in_whole_sentences():
    listed = run("queries").output
    entries = re.split(r"\n(?=\S)", listed.strip())
    assert len(entries) >= 13
    for entry in entries:
        assert " ".join(entry.split()).endswith("."), entry  # no description stops mid-sentence


def test_canned_queries_name_entities_no_catalogue_lists(tmp_path):
    """Roles, partners and investments by country read the names the text gives when the catalogue
    has none."""
    graph = tmp_path / "fresh.ttl"
    graph.write_text("""
@prefix inv: <https://w3id.org/invest-kg/ontology#> . @prefix org: <http://www.w3.org/ns/org#> .
@prefix schema: <https://schema.org/> . @prefix prov: <http://www.w3.org/ns/prov#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> . @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix kgr: <https://w3id.org/invest-kg/resource/> .
kgr:doc a inv:Document ; schema:name "news/a.txt" ; schema:inLanguage "de" .
kgr:m a org:Membership ; org:member kgr:anna ; org:organization kgr:lumenwerk ; inv:roleLabel "Vorstandschefin" ;
    prov:wasDerivedFrom kgr:doc .
kgr:anna a inv:Person ; rdfs:label "Anna Kessler"@de .
kgr:lumenwerk a inv:Company ; rdfs:label "Lumenwerk AG"@de , "Lumenwerk"@de .
kgr:p a inv:Partnership ; schema:organizer kgr:lumenwerk ; inv:partner kgr:voltaris ; prov:wasDerivedFrom kgr:doc .
kgr:voltaris a inv:Company ; rdfs:label "Voltaris"@de .
kgr:i a inv:Investment , inv:CapitalExpenditure ; inv:investor kgr:lumenwerk ; inv:target kgr:italy ;
    inv:amount [ schema:value 5000000.0 ; schema:currency "EUR" ] ; prov:wasDerivedFrom kgr:doc .
kgr:italy a inv:Country ; skos:prefLabel "Italy"@en ; rdfs:label "Italien"@de .
""")
    assert run("query", graph, "roles", "--format", "csv").output.splitlines()[1:] == \
        ["Anna Kessler,Vorstandschefin,Lumenwerk,news/a.txt"]
    partners = run("query", graph, "partners", "--format", "csv").output.splitlines()
    assert partners[1].startswith("Lumenwerk,,Voltaris")
    by_country = run("query", graph, "investments_by_country", "--format", "csv").output.splitlines()
    assert by_country[1].startswith("Italy,Lumenwerk,EUR,")


def test_explain_a_fact_and_an_entity(sample_graph):
    path = sample_graph[0]
    entity = run("explain", path, "Mistral AI")
    assert entity.exit_code == 0, entity.output
    lines = entity.output.splitlines()
    assert lines[0] == "kgr:mistral-ai  Mistral AI  (startup)"
    assert '1× "Mistral AI"@it  catalogue name  [seeds/sample/it-microsoft-francia.txt]' in entity.output
    assert "equity stake" in entity.output and "investor       Microsoft" in entity.output
    assert "«A febbraio Microsoft aveva acquisito una quota di Mistral AI" in entity.output
    claims = json.loads(run("query", path, "investments", "--format", "json").output)["results"]["bindings"]
    usd = next(b["investment"]["value"] for b in claims if b.get("currency", {}).get("value") == "USD")
    fact = json.loads(run("explain", path, usd.rsplit("/", 1)[-1], "--format", "json").output)
    assert len(fact) == 1 and fact[0]["kind"] == "capital expenditure"
    assert ["amount", "4,000,000,000 USD"] in fact[0]["statements"] and fact[0]["source"].endswith("it-microsoft-francia.txt")
    marked = [(s["text"], s["kind"]) for s in fact[0]["evidence"] if s["kind"]]
    assert ("4 miliardi di dollari", "AMOUNT") in marked and ("Francia", "place") in marked
    assert fact[0]["conflicts"] and "sources disagree on currency" in fact[0]["conflicts"][0]
    limited = run("explain", path, "Microsoft", "--limit", "2").output
    assert re.search(r"facts: \d\d \(the first 2; --limit 0 shows all\)", limited) and limited.count("  evidence  ") == 2
    missing = run("explain", path, "Nobody Inc")
    assert missing.exit_code == 1 and "no fact or entity 'Nobody Inc'" in missing.output


def test_show_writes_a_page_or_a_clear_error(tmp_path):
    page = tmp_path / "de.html"
    result = run("show", SAMPLE / "de-microsoft-frankreich.txt", "-o", page)
    assert result.exit_code == 0, result.output
    text = page.read_text()
    assert 'data-kind="organisation"' in text and "capital expenditure" in text
    assert not re.search(r'(src|href)="https?://', text)
    bad = run("show", SAMPLE / "en-note.txt", "-o", tmp_path / "en.html")
    assert bad.exit_code == 2 and "en-note.txt" in bad.output and not (tmp_path / "en.html").exists()
    assert run("show", SAMPLE / "de-microsoft-frankreich.txt", "-o", tmp_path / "x.png").exit_code == 2


def test_investment_view_states_no_amount_it_does_not_know(sample_graph):
    from kg.query import load_graph
    from kg.views import investment_view

    edges = sorted((d["kind"], d["amount_label"], d.get("value"), d["conflict"]) for *_, d in investment_view(load_graph(sample_graph[0])).edges(data=True))
    assert edges == [("CapitalExpenditure", "4 bn EUR", 4e9, "currency")] * 2 + [("CapitalExpenditure", "4 bn USD", 4e9, "currency")] \
        + [("EquityStake", "", None, "")] * 2


def test_a_conflict_of_many_claims_is_one_short_line(tmp_path, monkeypatch):
    import kg.cli

    monkeypatch.setattr(kg.cli, "LISTED_CONFLICTS", 2)  # the sample's one conflict has three claims
    out = tmp_path / "g.ttl"
    result = run("build", SAMPLE, "-o", out, "--no-validate")
    [line] = [line for line in result.output.splitlines() if line.startswith("conflict on currency")]
    assert line.count(" EUR in ") + line.count(" USD in ") == 2 and line.endswith(f"and 1 more claims (kg query {out} conflicts lists them)")


def test_help_shows_names_not_python_types():
    import os
    import subprocess
    import sys

    for name in ("build", "query", "explain"):
        shown = subprocess.run([sys.executable, "-m", "kg.cli", name, "--help"], capture_output=True, text=True,
                               env={**os.environ, "COLUMNS": "100"}).stdout
        assert "Arguments:" in shown and "<list" not in shown and "<path>" not in shown and "<str>" not in shown, shown
        if name == "build":
            assert "PATH...  Text (.txt, .md) or HTML files" in shown
