"""The SPARQL endpoint, started on a free loopback port and queried with a real client."""

import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request


import pytest
from SPARQLWrapper import CSV, JSON, POST, TSV, TURTLE, XML, SPARQLWrapper
from rdflib import Graph

from kg.build import build_graph
from kg.files import write_atomic
from kg.query import canned_queries, canonical_rows, load_graph, run_query
from kg.rdf import serialize
from kg.serve import make_app

from .conftest import SAMPLE, serving

COUNT_DOCUMENTS = "SELECT (COUNT(?d) AS ?n) WHERE { ?d a <https://w3id.org/invest-kg/ontology#Document> }"


@pytest.fixture(scope="module")
def graph_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("serve") / "sample.ttl"
    write_atomic(path, serialize(build_graph([SAMPLE], validate=False).graph, "turtle"))
    return path


@pytest.fixture(scope="module")
def endpoint(graph_file):
    """Base URL of a running endpoint (Oxigraph store, 2 s timeout), stopped after the module."""
    with serving(make_app(graph_file, timeout=2.0)) as url:
        yield url


def client(endpoint, query, fmt=JSON, method="GET"):
    sparql = SPARQLWrapper(f"{endpoint}/sparql")
    sparql.setQuery(query)
    sparql.setReturnFormat(fmt)
    sparql.setMethod(method)
    return sparql.query()


@pytest.mark.parametrize("method", ["GET", POST])
def test_select_json_by_get_and_post(endpoint, method):
    answer = client(endpoint, COUNT_DOCUMENTS, JSON, method).convert()
    assert answer["results"]["bindings"][0]["n"]["value"] == "3"


@pytest.mark.parametrize("fmt, content_type, first_line", [
    (XML, "application/sparql-results+xml", "<?xml"),
    (CSV, "text/csv", "n"),
    (TSV, "text/tab-separated-values", "?n"),
])
def test_result_formats_by_accept_header(endpoint, fmt, content_type, first_line):
    response = client(endpoint, COUNT_DOCUMENTS, fmt).response
    assert response.headers["Content-Type"].startswith(content_type)
    assert response.read().decode().startswith(first_line)


def test_construct_returns_turtle(endpoint):
    query = "CONSTRUCT { ?d a ?t } WHERE { ?d a ?t . ?d a <https://w3id.org/invest-kg/ontology#Document> }"
    response = client(endpoint, query, TURTLE).response
    assert response.headers["Content-Type"].startswith("text/turtle")
    assert len(Graph().parse(data=response.read().decode(), format="turtle")) == 3


def test_update_is_refused_and_changes_nothing(endpoint):
    request = urllib.request.Request(
        f"{endpoint}/sparql", data=b"INSERT DATA { <urn:a> <urn:b> <urn:c> }",
        headers={"Content-Type": "application/sparql-update"}, method="POST",
    )
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=10)
    assert 400 <= refused.value.code < 500
    answer = client(endpoint, "ASK { <urn:a> <urn:b> <urn:c> }").convert()
    assert answer["boolean"] is False


SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


def ask(endpoint, query, timeout=30):
    url = f"{endpoint}/sparql?" + urllib.parse.urlencode({"query": query})
    request = urllib.request.Request(url, headers={"Accept": "text/csv"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def test_slow_query_times_out(endpoint):
    started = time.monotonic()
    assert ask(endpoint, SLOW) == (503, "query timed out after 2 s")
    assert time.monotonic() - started < 10


def test_a_slow_query_holds_no_other_client_and_stops_at_its_deadline(endpoint):
    """While a cartesian query runs to its deadline, other clients are answered at once; after it,
    no process is left working on it."""
    import psutil

    answers = []
    slow = threading.Thread(target=lambda: answers.append(ask(endpoint, SLOW)), daemon=True)
    slow.start()
    time.sleep(0.5)
    started = time.monotonic()
    assert ask(endpoint, COUNT_DOCUMENTS) == (200, "n\r\n3\r\n")
    assert time.monotonic() - started < 1.5  # not behind the slow one
    slow.join(15)
    assert answers == [(503, "query timed out after 2 s")]
    assert ask(endpoint, COUNT_DOCUMENTS) == (200, "n\r\n3\r\n")  # the next query is answered at once
    time.sleep(2.5)  # the retired database process has had the time its other queries were given
    children = [child for child in psutil.Process().children(recursive=True) if child.status() != psutil.STATUS_ZOMBIE]
    for child in children:
        child.cpu_percent(None)
    time.sleep(0.5)
    assert [child.cmdline() for child in children if child.is_running() and child.cpu_percent(None) > 20] == []


def test_query_page_and_format_parameter(endpoint):
    page = urllib.request.urlopen(f"{endpoint}/", timeout=10).read().decode()
    assert "<form" in page and "investments" in page
    assert "src=\"http" not in page and "href=\"http" not in page  # nothing loaded from the web
    url = f"{endpoint}/sparql?format=csv&query={urllib.request.quote(COUNT_DOCUMENTS)}"
    assert urllib.request.urlopen(url, timeout=10).read().decode().split() == ["n", "3"]
    browsing = urllib.request.urlopen(f"{endpoint}/sparql", timeout=10)  # no query: our page, not a CDN-fed one
    assert browsing.url == f"{endpoint}/" and "<form" in browsing.read().decode()


def test_file_name_is_escaped_everywhere_the_server_shows_it(tmp_path):
    from fastapi.testclient import TestClient

    hostile = tmp_path / "<img src=x onerror=alert(1)>.ttl"
    hostile.write_text("<https://example.org/a> <https://example.org/b> <https://example.org/c> .\n")
    with TestClient(make_app(hostile)) as client:
        for path in ("/", "/openapi.json", "/docs"):
            assert "<img src=x onerror=alert(1)>" not in client.get(path).text


def test_the_database_is_oxigraphs_server_and_stops_with_the_app(graph_file):
    """Queries are evaluated by `oxigraph serve-read-only` on a private loopback port; when the app
    stops, so does that server, and the store it was loaded into is removed."""
    from fastapi.testclient import TestClient

    app = make_app(graph_file, timeout=2.0)
    database = app.state.database
    with TestClient(app) as client:
        process = database.process
        assert "serve-read-only" in process.args and database.url.startswith("http://127.0.0.1:")
        assert client.get("/sparql", params={"query": COUNT_DOCUMENTS, "format": "csv"}).text.split() == ["n", "3"]
        scratch = database.scratch
        assert scratch.is_dir()
    assert process.poll() is not None and not scratch.exists()


def test_oxigraph_store_gives_the_same_answers_as_rdflib(graph_file):
    memory, oxigraph = load_graph(graph_file), load_graph(graph_file, "oxigraph")
    for name in canned_queries():
        assert canonical_rows(run_query(memory, name)) == canonical_rows(run_query(oxigraph, name)), name


@pytest.fixture()
def listener():
    """A loopback HTTP server that counts the requests it receives (it should receive none)."""
    import http.server

    received = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (http.server's naming)
            received.append(self.path)
            self.send_response(200)
            self.end_headers()

        do_POST = do_GET

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/sparql", received
    server.shutdown()


@pytest.mark.parametrize("pattern", [
    "SERVICE <{url}> {{ ?s ?p ?o }}",
    "?s ?p ?o OPTIONAL {{ SERVICE SILENT <{url}> {{ ?s ?p ?o }} }}",
])
def test_endpoint_never_fetches_for_a_client(endpoint, listener, pattern):
    url, received = listener
    query = "SELECT * WHERE { " + pattern.format(url=url) + " } LIMIT 1"
    request = urllib.request.Request(f"{endpoint}/sparql?" + urllib.parse.urlencode({"query": query}),
                                     headers={"Accept": "application/sparql-results+json"})
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=10)
    assert refused.value.code in (400, 403, 500) and b"SERVICE is not allowed" in refused.value.read()
    assert received == []


def test_query_command_never_fetches(graph_file, listener):
    from typer.testing import CliRunner

    from kg.cli import app

    url, received = listener
    for store in ("memory", "oxigraph"):
        result = CliRunner().invoke(app, ["query", str(graph_file), f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
                                          "--store", store])
        assert result.exit_code == 2 and "SERVICE is not allowed" in result.output, result.output
    assert received == []


def test_serve_checks_its_options_and_port_before_serving(graph_file):
    from typer.testing import CliRunner

    from kg.cli import app

    for args in (["--port", "99999"], ["--timeout", "-1"]):
        result = CliRunner().invoke(app, ["serve", str(graph_file), *args])
        assert result.exit_code == 2 and "serving" not in result.output
    with socket.create_server(("127.0.0.1", 0)) as busy:
        result = CliRunner().invoke(app, ["serve", str(graph_file), "--port", str(busy.getsockname()[1])])
    assert result.exit_code == 2 and "cannot listen on 127.0.0.1" in result.output and "serving" not in result.output


def test_bad_bodies_and_form_updates_are_client_errors(endpoint):
    def post(body: bytes, content_type: str):
        request = urllib.request.Request(f"{endpoint}/sparql", data=body, headers={"Content-Type": content_type}, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    assert post("SELECT * WHERE { ?s ?p 'é' }".encode("latin-1"), "application/sparql-query") == (400, "the request body is not UTF-8")
    assert post(b"update=INSERT%20DATA%20%7B%3Curn%3Aa%3E%20%3Curn%3Ab%3E%20%3Curn%3Ac%3E%20%7D",
                "application/x-www-form-urlencoded")[0] == 403
