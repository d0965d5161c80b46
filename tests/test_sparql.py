"""SPARQL text and native store answers (kg.sparql), and rdflib's hash join (kg.query)."""

import pytest
from rdflib import Graph, Literal, Namespace
from rdflib.plugins.sparql import CUSTOM_EVALS
from typer.testing import CliRunner

from kg.cli import app
from kg.query import canonical_rows, run_query
from kg.sparql import XSD, QueryError, cell_text, refuse_federation

EX = Namespace("http://example.org/")


@pytest.mark.parametrize("query", [
    'SELECT * WHERE { ?s <http://example.org/SERVICE> "SERVICE" }',
    "SELECT * WHERE { ?s ?p ?o } # SERVICE <http://example.org/sparql>",
    "PREFIX service: <http://example.org/> SELECT * WHERE { ?s service:SERVICE ?service }",
    'SELECT * WHERE { ?s ?p """a long\nSERVICE <x> { } text""" }',
    "SELECT ?SERVICE WHERE { ?s ?p ?SERVICE }",
])
def test_service_only_in_names_strings_or_comments_is_allowed(query):
    refuse_federation(query)


@pytest.mark.parametrize("query", [
    "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }",
    "select * where { ?s ?p ?o optional { service silent <http://example.org/sparql> { ?s ?p ?o } } }",
    "SELECT * WHERE { ?s <urn:x> 'a' . Service ?endpoint { ?s ?p ?o } }",
    "SELECT * WHERE {\n  # a comment\n  SERVICE\n<http://example.org/sparql> { ?s ?p ?o } }",
])
def test_service_keyword_is_refused(query):
    with pytest.raises(QueryError, match="SERVICE is not allowed"):
        refuse_federation(query)


def test_cells_read_like_numbers_and_prefixed_names():
    assert cell_text("4000000000.0", datatype=XSD + "decimal") == "4,000,000,000"
    assert cell_text("100.0", datatype=XSD + "decimal") == "100"
    assert cell_text("0.25", datatype=XSD + "decimal") == "0.25"
    assert cell_text("4.0E9", datatype=XSD + "double") == "4,000,000,000"
    assert cell_text("not a number", datatype=XSD + "integer") == "not a number"
    assert cell_text("two\n lines") == "two lines"
    namespaces = [("kgr", "https://w3id.org/invest-kg/resource/"), ("inv", "https://w3id.org/invest-kg/ontology#")]
    assert cell_text("https://w3id.org/invest-kg/resource/org/acme", iri=True, namespaces=namespaces) == "kgr:org/acme"
    assert cell_text("http://example.org/x", iri=True, namespaces=namespaces) == "http://example.org/x"


def test_hash_join_gives_rdflibs_own_answers(monkeypatch):
    graph = Graph()
    for i in range(40):
        graph.add((EX[f"deal{i}"], EX.investor, EX[f"org{i % 7}"]))
        graph.add((EX[f"deal{i}"], EX.value, Literal(i * 10)))
        if i % 3:
            graph.add((EX[f"deal{i}"], EX.share, Literal(i)))
    for j in range(7):
        graph.add((EX[f"org{j}"], EX.label, Literal(f"Org {j}")))
        graph.add((EX[f"org{j}"], EX.label, Literal(f"Alias {j}")))
    query = """PREFIX ex: <http://example.org/>
    SELECT ?deal ?name ?total ?share WHERE {
      { SELECT ?org (MIN(STR(?l)) AS ?name) WHERE { ?org ex:label ?l } GROUP BY ?org }
      { SELECT ?deal ?org (SUM(?v) AS ?total) WHERE { ?deal ex:investor ?org ; ex:value ?v } GROUP BY ?deal ?org }
      OPTIONAL { ?deal ex:share ?share }
      { SELECT ?deal WHERE { ?deal ex:value ?v FILTER (?v < 300) } }
    }"""
    hashed = canonical_rows(run_query(graph, query))
    monkeypatch.delitem(CUSTOM_EVALS, "invest_kg_hash_join")
    assert hashed == canonical_rows(run_query(graph, query))
    assert len(hashed) == 30 and ("text", "Alias 3", None) in {row[1] for row in hashed}


@pytest.fixture(scope="module")
def sample_store(tmp_path_factory):
    from .conftest import SAMPLE

    store = tmp_path_factory.mktemp("store") / "sample.oxigraph"
    result = CliRunner().invoke(app, ["build", str(SAMPLE), "-o", str(store), "--no-validate"])
    assert result.exit_code == 0, result.output
    return store


def test_query_on_a_store_folder_is_answered_by_oxigraph(sample_store):
    runner = CliRunner()
    asked = runner.invoke(app, ["query", str(sample_store), "ASK { ?s a <https://w3id.org/invest-kg/ontology#Document> }"])
    assert asked.exit_code == 0 and asked.output == "true\n"
    table = runner.invoke(app, ["query", str(sample_store), "documents"]).output.splitlines()
    assert table[0].split()[:4] == ["document", "source", "language", "hash"] and table[-1] == "(3 rows)"
    assert any(line.startswith("kgr:doc/") for line in table)  # prefixed names, no rdflib needed
    tsv = runner.invoke(app, ["query", str(sample_store), "SELECT (COUNT(*) AS ?n) WHERE { ?d a inv:Document }", "--format", "tsv"])
    assert tsv.output.splitlines()[0] == "?n" and tsv.output.splitlines()[1] == "3"


def test_store_errors_are_one_line(sample_store, tmp_path):
    runner = CliRunner()
    broken = runner.invoke(app, ["query", str(sample_store), "SELECT * WHERE { ?s ?p }"])
    assert broken.exit_code == 2 and broken.output.startswith("error: SPARQL error") and broken.output.count("\n") == 1
    refused = runner.invoke(app, ["query", str(sample_store), "SELECT * WHERE { SERVICE <http://127.0.0.1:1/> { ?s ?p ?o } }"])
    assert refused.exit_code == 2 and "SERVICE is not allowed" in refused.output
    empty = tmp_path / "empty.oxigraph"
    empty.mkdir()
    (empty / "CURRENT").write_text("garbage")
    opened = runner.invoke(app, ["query", str(empty), "documents"])
    assert opened.exit_code == 2 and f"{empty}: not an Oxigraph store" in opened.output and opened.output.count("\n") == 1


def test_entities_of_a_store_folder(sample_store):
    listed = CliRunner().invoke(app, ["entities", str(sample_store), "--format", "csv"])
    assert listed.exit_code == 0
    rows = listed.output.splitlines()
    assert rows[0] == "entity,name,types,languages,mentions,documents,sameAs"
    assert any(row.startswith("https://w3id.org/invest-kg/resource/microsoft,Microsoft,") for row in rows)
