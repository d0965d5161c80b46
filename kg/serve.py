"""Graph → a read-only SPARQL 1.1 Protocol endpoint (rdflib-endpoint on FastAPI, served by uvicorn).

GET and POST queries at /sparql; results as JSON, XML, CSV or TSV by Accept header, Turtle for
CONSTRUCT and DESCRIBE; SPARQL UPDATE is refused with 403 and changes nothing; a query that runs
longer than the timeout is answered with an error. / is a small page to type queries, with the
canned queries one click away; it loads nothing from the web.
"""

from __future__ import annotations

import html
import threading
from pathlib import Path

from fastapi.responses import HTMLResponse, RedirectResponse
from rdflib import Graph
from rdflib.plugins.sparql.processor import SPARQLProcessor
from rdflib_endpoint import SparqlEndpoint
from rdflib_endpoint.utils import SPARQL_RESULT_CONTENT_TYPE_TO_RDFLIB_FORMAT

from kg import __version__
from kg.query import canned_queries, load_graph, refuse_federation  # also registers the "tsv" result serializer

SPARQL_PATH = "/sparql"
TSV = "text/tab-separated-values"
# rdflib-endpoint negotiates result formats through this table; TSV is missing because rdflib
# has no TSV serializer, which kg.query registers.
SPARQL_RESULT_CONTENT_TYPE_TO_RDFLIB_FORMAT.setdefault(TSV, "tsv")
FORMAT_PARAMETER = {
    "json": "application/sparql-results+json", "xml": "application/sparql-results+xml", "csv": "text/csv",
    "tsv": TSV, "turtle": "text/turtle",
}


class QueryTimeout(Exception):
    pass


class TimeoutProcessor(SPARQLProcessor):
    """rdflib's SPARQL processor, giving up on queries that run longer than `seconds`.

    The query runs in a worker thread; past the deadline the caller gets QueryTimeout (the thread
    cannot be killed and finishes in the background, its result discarded).
    """

    def __init__(self, graph: Graph, seconds: float):
        super().__init__(graph)
        self.seconds = seconds

    def query(self, strOrQuery, *args, **kwargs):
        refuse_federation(strOrQuery)
        return self.query_within_deadline(strOrQuery, *args, **kwargs)

    def query_within_deadline(self, *args, **kwargs):
        outcome: dict = {}

        def run():
            try:
                result = SPARQLProcessor.query(self, *args, **kwargs)
                if result.get("type_") == "SELECT":
                    result["bindings"] = list(result["bindings"])  # evaluate now, inside the deadline
                outcome["result"] = result
            except Exception as error:  # handed to the caller's thread below
                outcome["error"] = error

        worker = threading.Thread(target=run, daemon=True)
        worker.start()
        worker.join(self.seconds)
        if worker.is_alive():
            raise QueryTimeout(f"query timed out after {self.seconds:g} s")
        if "error" in outcome:
            raise outcome["error"]
        return outcome["result"]


def make_app(graph_path: Path | str, store: str = "memory", timeout: float = 30.0) -> SparqlEndpoint:
    """A FastAPI app serving the graph at /sparql (read-only) and a query page at /."""
    graph = load_graph(graph_path, store)
    canned = {name: path.read_text(encoding="utf-8") for name, path in canned_queries().items()}
    app = SparqlEndpoint(
        graph=graph,
        path=SPARQL_PATH,
        processor=TimeoutProcessor(graph, timeout),
        enable_update=False,
        cors_enabled=False,
        title="invest-kg SPARQL endpoint",
        description=f"Read-only SPARQL 1.1 endpoint over {html.escape(Path(graph_path).name)} ({len(graph)} triples).",
        version=__version__,
    )
    page = query_page(Path(graph_path).name, len(graph), canned)

    @app.middleware("http")
    async def format_parameter(request, call_next):
        """?format=csv (what the query page sends) stands for the matching Accept header; a browser
        asking /sparql for no query gets our own page (rdflib-endpoint's YASGUI loads scripts from
        public CDNs)."""
        if request.url.path == SPARQL_PATH and request.method == "GET" and "query" not in request.query_params:
            return RedirectResponse("/", status_code=303)
        wanted = FORMAT_PARAMETER.get(request.query_params.get("format", ""))
        if wanted:
            headers = [(k, v) for k, v in request.scope["headers"] if k != b"accept"]
            request.scope["headers"] = headers + [(b"accept", wanted.encode())]
        return await call_next(request)

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def home() -> str:
        return page

    return app


def query_page(name: str, triples: int, canned: dict[str, str]) -> str:
    """A self-contained HTML form: a textarea, a format choice, links that load canned queries."""
    options = "".join(
        f'<option value="{html.escape(text, quote=True)}">{html.escape(key)}</option>' for key, text in canned.items()
    )
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>invest-kg SPARQL</title>
<style>body{{font-family:sans-serif;max-width:60em;margin:2em auto}}textarea{{width:100%;height:18em;font-family:monospace}}</style>
</head><body>
<h1>invest-kg SPARQL endpoint</h1>
<p>{html.escape(name)}: {triples} triples. Read-only; the endpoint is <code>{SPARQL_PATH}</code>.</p>
<form method="get" action="{SPARQL_PATH}">
<label>Canned query: <select onchange="this.form.query.value=this.value"><option value="">choose…</option>{options}</select></label>
<textarea name="query">SELECT * WHERE {{ ?s ?p ?o }} LIMIT 25</textarea>
<label>Format: <select name="format"><option>json</option><option>xml</option><option>csv</option><option>tsv</option></select></label>
<button type="submit">Run</button>
</form></body></html>"""
