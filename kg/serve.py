"""Graph → a read-only SPARQL 1.1 Protocol endpoint (FastAPI, served by uvicorn).

GET and POST queries at /sparql (query string, form or ``application/sparql-query`` body);
results as JSON, XML, CSV or TSV by Accept header (or ``?format=``), Turtle for CONSTRUCT and
DESCRIBE. SPARQL UPDATE is refused with 403 and SERVICE with 400: the endpoint answers from its
graph alone and never fetches anything for a client. Each query runs in a child process forked
from the server (the graph is shared, not copied) that is killed at the deadline, so a query past
the timeout stops using CPU, and the handlers run in a thread pool, so other clients are served
meanwhile. / is a small page to type queries, with the canned queries one click away; it loads
nothing from the web.
"""

from __future__ import annotations

import html
import json
import multiprocessing
import re
import urllib.parse
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response
from rdflib import Graph
from starlette.concurrency import run_in_threadpool

from kg import __version__
from kg.query import QueryError, canned_queries, load_graph, query_description, refuse_federation  # also registers "tsv" results
from kg.resources import PREFIXES

SPARQL_PATH = "/sparql"
RESULT_TYPES = {  # media type → rdflib result format
    "application/sparql-results+json": "json", "application/json": "json",
    "application/sparql-results+xml": "xml", "application/xml": "xml", "text/xml": "xml",
    "text/csv": "csv", "text/tab-separated-values": "tsv",
}
GRAPH_TYPES = {"text/turtle": "turtle", "application/n-triples": "nt", "application/ld+json": "json-ld"}
FORMAT_PARAMETER = {
    "json": "application/sparql-results+json", "xml": "application/sparql-results+xml", "csv": "text/csv",
    "tsv": "text/tab-separated-values", "turtle": "text/turtle",
}
UPDATE_TYPE = "application/sparql-update"


class QueryTimeout(Exception):
    pass


def negotiate(accept: str, graph_result: bool) -> tuple[str, str]:
    """(media type, rdflib format) for an Accept header: the first listed type we can write."""
    table = GRAPH_TYPES if graph_result else RESULT_TYPES
    for part in accept.split(","):
        media = part.split(";")[0].strip().lower()
        if media in table:
            return media, table[media]
    return ("text/turtle", "turtle") if graph_result else ("application/sparql-results+json", "json")


def evaluate(graph: Graph, text: str, accept: str) -> tuple[str, bytes]:
    """Run a query and write its answer in the negotiated format: (media type, bytes)."""
    result = graph.query(text)
    media, fmt = negotiate(accept, result.type in ("CONSTRUCT", "DESCRIBE"))
    if result.type in ("CONSTRUCT", "DESCRIBE") and result.graph is not None:
        return media, result.graph.serialize(format=fmt, encoding="utf-8")
    return media, result.serialize(format=fmt) or b""


def evaluate_in_child(graph: Graph, text: str, accept: str, seconds: float) -> tuple[str, bytes]:
    """`evaluate` in a process forked for this query, killed if it outlives `seconds`."""
    receive, send = multiprocessing.Pipe(duplex=False)

    def child() -> None:
        try:
            send.send(("ok", *evaluate(graph, text, accept)))
        except Exception as error:  # noqa: BLE001 (every error becomes the client's answer)
            send.send(("error", "", " ".join(str(error).split()) or type(error).__name__))

    worker = multiprocessing.get_context("fork").Process(target=child, daemon=True)
    worker.start()
    send.close()
    try:
        if not receive.poll(seconds):
            raise QueryTimeout(f"query timed out after {seconds:g} s")
        status, media, payload = receive.recv()
    except EOFError:
        raise QueryError("the query's process ended without an answer") from None
    finally:
        if worker.is_alive():
            worker.kill()
        worker.join()
        receive.close()
    if status == "error":
        raise QueryError(f"SPARQL error: {payload}")
    return media, payload


def make_app(graph_path: Path | str, store: str = "memory", timeout: float = 30.0) -> FastAPI:
    """A FastAPI app serving the graph at /sparql (read-only) and a query page at /."""
    graph = load_graph(graph_path, store)
    name = Path(graph_path).name
    canned = {key: path.read_text(encoding="utf-8") for key, path in canned_queries().items()}
    page = query_page(name, len(graph), canned)
    # no /docs or /redoc: FastAPI's pages for them load their scripts from a CDN
    app = FastAPI(title="invest-kg SPARQL endpoint", version=__version__, docs_url=None, redoc_url=None,
                  description=f"Read-only SPARQL 1.1 endpoint over {html.escape(name)} ({len(graph)} triples).")

    def answer(request: Request, text: str | None, update: bool) -> Response:
        if update:
            return PlainTextResponse("SPARQL UPDATE is not allowed: this endpoint is read-only", status_code=403)
        if not text:
            return RedirectResponse("/", status_code=303)  # a browser asking /sparql for nothing: the query page
        accept = FORMAT_PARAMETER.get(request.query_params.get("format", ""), request.headers.get("accept", ""))
        try:
            refuse_federation(text)
            media, payload = evaluate_in_child(graph, text, accept, timeout)
        except QueryTimeout as error:
            return PlainTextResponse(str(error), status_code=503)
        except QueryError as error:
            return PlainTextResponse(str(error), status_code=400)
        return Response(payload, media_type=media)

    @app.get(SPARQL_PATH)
    def sparql_get(request: Request, query: str | None = None, update: str | None = None) -> Response:
        # a sync handler: FastAPI runs it in its thread pool, so one slow query never holds the others
        return answer(request, query, update is not None)

    @app.post(SPARQL_PATH)
    async def sparql_post(request: Request) -> Response:
        content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
        raw = await request.body()
        try:
            if content_type == "application/x-www-form-urlencoded":
                form = urllib.parse.parse_qs(raw.decode("utf-8"), errors="strict")
                text, update = next(iter(form.get("query", [])), None), "update" in form
            else:
                text, update = raw.decode("utf-8"), content_type == UPDATE_TYPE
        except UnicodeDecodeError:
            return PlainTextResponse("the request body is not UTF-8", status_code=400)
        return await run_in_threadpool(answer, request, text, update)

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def home() -> str:
        return page

    return app


def query_page(name: str, triples: int, canned: dict[str, str]) -> str:
    """A self-contained page: the canned queries one click away, a text area, and the answer as a
    table in the page (the endpoint's JSON, drawn by a few lines of script; nothing from the web).
    Without script, the form still sends the query and the browser shows the raw answer."""
    buttons = "".join(
        f'<button type="button" class="canned" data-query="{html.escape(text, quote=True)}" '
        f'title="{html.escape(query_description(text), quote=True)}">{html.escape(key)}</button>'
        for key, text in canned.items()
    )
    prefixes = json.dumps({prefix: str(namespace) for prefix, namespace in PREFIXES.items()}).replace("<", "\\u003c")
    values = {"name": html.escape(name), "triples": f"{triples:,}", "buttons": buttons, "path": SPARQL_PATH, "prefixes": prefixes}
    # one pass, so that a value that looks like a placeholder (a file named "{buttons}.ttl") stays as it is
    return re.sub(r"\{(" + "|".join(values) + r")\}", lambda match: values[match.group(1)], QUERY_PAGE)


QUERY_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>invest-kg SPARQL</title>
<style>
body{font-family:system-ui,sans-serif;margin:1.5em 2em;color:#222}
h1{font-size:1.4em;margin:0 0 .2em} .caption{color:#555;margin:0 0 1em}
textarea{width:100%;height:14em;font:13px ui-monospace,monospace;box-sizing:border-box}
.canned{margin:0 .4em .4em 0;padding:.3em .7em;border:1px solid #0072B2;background:#eef6fb;border-radius:.3em;cursor:pointer}
.canned:hover{background:#d4eaf7} .controls{margin:.5em 0 1em;display:flex;gap:1em;align-items:center}
#status{color:#555} #status.error{color:#b00020;font-weight:bold;white-space:pre-wrap}
table{border-collapse:collapse;font-size:.92em} th,td{border:1px solid #ddd;padding:.3em .6em;text-align:left;vertical-align:top}
th{background:#f3f3f3;position:sticky;top:0} td.number{text-align:right;font-variant-numeric:tabular-nums}
tr:nth-child(even) td{background:#fafafa}
</style></head><body>
<h1>invest-kg SPARQL endpoint</h1>
<p class="caption">{name}: {triples} triples. Read-only: SPARQL 1.1 queries at <code>{path}</code>; updates are refused.
Click a canned query to run it, or write your own.</p>
<div id="canned">{buttons}</div>
<form id="query-form" method="get" action="{path}">
<textarea name="query" id="query">SELECT * WHERE { ?s ?p ?o } LIMIT 25</textarea>
<div class="controls"><button type="submit" id="run">Run</button>
<label>Download as <select name="format" id="format"><option>json</option><option>xml</option><option>csv</option><option>tsv</option></select></label>
<span id="status"></span></div>
</form>
<div style="overflow-x:auto"><table id="results"></table></div>
<script>
const PREFIXES = {prefixes};
const form = document.getElementById("query-form"), status = document.getElementById("status"),
      table = document.getElementById("results"), text = document.getElementById("query");
function compact(iri) {
  let best = null;
  for (const [prefix, ns] of Object.entries(PREFIXES))
    if (iri.startsWith(ns) && iri.length > ns.length && (!best || ns.length > best[1].length)) best = [prefix, ns];
  return best ? best[0] + ":" + iri.slice(best[1].length) : iri;
}
function cell(term) {
  const td = document.createElement("td");
  if (!term) return td;
  if (term.type === "uri") { td.textContent = compact(term.value); td.title = term.value; return td; }
  const numeric = /#(decimal|double|float|integer|long|int)$/.test(term.datatype || "");
  if (numeric && !isNaN(Number(term.value))) { td.textContent = Number(term.value).toLocaleString("en"); td.className = "number"; }
  else td.textContent = term.value;
  return td;
}
async function run(query) {
  status.className = ""; status.textContent = "running…"; table.replaceChildren();
  const started = performance.now();
  const response = await fetch("{path}", {method: "POST", body: new URLSearchParams({query}),
    headers: {"Accept": "application/sparql-results+json"}});
  const body = await response.text();
  if (!response.ok) { status.className = "error"; status.textContent = body; return; }
  const answer = JSON.parse(body);
  if (answer.boolean !== undefined) { status.textContent = "answer: " + answer.boolean; return; }
  const head = document.createElement("tr");
  for (const name of answer.head.vars) { const th = document.createElement("th"); th.textContent = name; head.append(th); }
  table.append(head);
  for (const binding of answer.results.bindings) {
    const row = document.createElement("tr");
    for (const name of answer.head.vars) row.append(cell(binding[name]));
    table.append(row);
  }
  const rows = answer.results.bindings.length;
  status.textContent = rows + (rows === 1 ? " row" : " rows") + " in " + ((performance.now() - started) / 1000).toFixed(2) + " s";
}
form.addEventListener("submit", event => {
  if (event.submitter && event.submitter.id !== "run") return;
  event.preventDefault(); run(text.value).catch(error => { status.className = "error"; status.textContent = String(error); });
});
document.getElementById("format").addEventListener("change", () => form.submit());
for (const button of document.querySelectorAll(".canned"))
  button.addEventListener("click", () => { text.value = button.dataset.query; form.requestSubmit(document.getElementById("run")); });
</script></body></html>"""
