"""Graph → a read-only SPARQL 1.1 Protocol endpoint: Oxigraph's own server evaluates the queries,
behind a small FastAPI front that serves the query page and keeps the endpoint safe.

The graph (an RDF file, loaded into a temporary Oxigraph store, or a store folder built by
``kg build -o NAME.oxigraph``) is served by ``oxigraph serve-read-only`` on a private loopback
port with its ``--timeout-s``; the front on the public address answers GET and POST queries at
/sparql (query string, form or ``application/sparql-query`` body) in JSON, XML, CSV or TSV by
Accept header (or ``?format=``), Turtle for CONSTRUCT and DESCRIBE. SPARQL UPDATE is refused
with 403 and SERVICE with 400 before anything reaches the database, so the endpoint never
fetches anything for a client (Oxigraph would follow SERVICE); a query past the timeout is
answered 503 while the handlers, in a thread pool, serve other clients. / is the query page.
"""

from __future__ import annotations

import atexit
import html
import json
import math
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from contextlib import asynccontextmanager
from pathlib import Path

import httpx

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from kg import __version__
from kg.query import GraphError, QueryError, canned_queries, load_graph, query_description, refuse_federation  # also registers "tsv" results
from kg.resources import PREFIXES

SPARQL_PATH = "/sparql"
FORMAT_PARAMETER = {
    "json": "application/sparql-results+json", "xml": "application/sparql-results+xml", "csv": "text/csv",
    "tsv": "text/tab-separated-values", "turtle": "text/turtle",
}
UPDATE_TYPE = "application/sparql-update"


class QueryTimeout(Exception):
    pass


class OxigraphServer:
    """``oxigraph serve-read-only`` over a graph, on a free loopback port, until ``stop()``.

    A file is first loaded (through rdflib, which reads every format invest-kg writes, quads as
    their union) into a store in a temporary folder, removed at ``stop()``. Oxigraph's own
    ``--timeout-s`` does not stop every query (a cartesian COUNT runs on), so a query past its
    deadline retires the server process that runs it: a fresh one over the same store (read-only
    servers share it) takes the next queries at once, and the old one is killed once the queries
    it still holds have had their time.
    """

    def __init__(self, graph_path: Path | str, timeout: float):
        self.graph_path = Path(graph_path)
        self.timeout = timeout
        self.scratch: Path | None = None
        self.location = self.graph_path
        self.process: subprocess.Popen | None = None
        self.url = ""
        self.lock = threading.Lock()
        self.retired: list[subprocess.Popen] = []

    def start(self) -> OxigraphServer:
        if not self.graph_path.is_dir():
            graph = load_graph(self.graph_path)  # GraphError for what is no RDF
            self.scratch = Path(tempfile.mkdtemp(prefix="kg-serve-"))
            triples = self.scratch / "graph.nt"
            triples.write_bytes(graph.serialize(format="nt", encoding="utf-8"))
            self.location = self.scratch / "store"
            run_oxigraph("load", "--location", str(self.location), "--file", str(triples))
            triples.unlink()
        atexit.register(self.stop)  # an app whose lifespan never ran still leaves no server or folder behind
        self.process, self.url = self.launch()
        return self

    def launch(self) -> tuple[subprocess.Popen, str]:
        port = free_loopback_port()
        process = subprocess.Popen(
            [oxigraph_command(), "serve-read-only", "--location", str(self.location), "--bind", f"127.0.0.1:{port}",
             "--union-default-graph", "--timeout-s", str(max(1, math.ceil(self.timeout)))],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        )
        deadline = time.monotonic() + 60
        while not port_open(port):
            if process.poll() is not None or time.monotonic() > deadline:
                problem = process.stderr.read().decode(errors="replace").strip() if process.stderr else ""
                end(process)
                self.stop()
                raise GraphError(f"{self.graph_path}: Oxigraph's server did not start ({problem.splitlines()[-1] if problem else 'no message'})")
            time.sleep(0.05)
        return process, f"http://127.0.0.1:{port}/query"

    def stop(self) -> None:
        with self.lock:
            for process in [*self.retired, *([self.process] if self.process else [])]:
                end(process)
            self.retired, self.process = [], None
        if self.scratch is not None:
            shutil.rmtree(self.scratch, ignore_errors=True)
            self.scratch = None

    def ask(self, query: str, accept: str) -> httpx.Response:
        """The database's answer to `query`; QueryTimeout past the deadline."""
        process, url = self.process, self.url
        try:
            return httpx.post(url, content=query.encode("utf-8"), timeout=self.timeout,
                              headers={"Content-Type": "application/sparql-query", "Accept": accept or DEFAULT_ACCEPT})
        except httpx.TimeoutException:
            self.retire(process)
            raise QueryTimeout(f"query timed out after {self.timeout:g} s") from None

    def retire(self, process: subprocess.Popen | None) -> None:
        """Send new queries to a fresh server; end `process` when its other queries' time is up."""
        with self.lock:
            if process is None or process is not self.process:
                return  # another timed-out query retired it already
            self.process, self.url = self.launch()
            self.retired.append(process)
        timer = threading.Timer(self.timeout, end, args=(process,))
        timer.daemon = True
        timer.start()

    def triple_count(self) -> int:
        answer = self.ask("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "application/sparql-results+json").json()
        return int(answer["results"]["bindings"][0]["n"]["value"])


def end(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


DEFAULT_ACCEPT = "application/sparql-results+json, text/turtle;q=0.9"


def oxigraph_command() -> str:
    """The ``oxigraph`` program the PyPI package of that name installs beside this Python."""
    beside = Path(sys.executable).parent / "oxigraph"
    return str(beside) if beside.exists() else (shutil.which("oxigraph") or "oxigraph")


def run_oxigraph(*args: str) -> None:
    done = subprocess.run([oxigraph_command(), *args], capture_output=True, text=True)
    if done.returncode != 0:
        lines = (done.stderr or done.stdout).strip().splitlines()
        raise GraphError(f"oxigraph {args[0]} failed: {lines[-1] if lines else done.returncode}")


def free_loopback_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def port_open(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.2)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def make_app(graph_path: Path | str, timeout: float = 30.0) -> FastAPI:
    """A FastAPI app serving the graph at /sparql (read-only, evaluated by Oxigraph's server,
    started now and stopped with the app) and a query page at /."""
    database = OxigraphServer(graph_path, timeout).start()
    name = Path(graph_path).name
    canned = {key: path.read_text(encoding="utf-8") for key, path in canned_queries().items()}
    triples = database.triple_count()
    page = query_page(name, triples, canned)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        try:
            yield
        finally:
            database.stop()

    # no /docs or /redoc: FastAPI's pages for them load their scripts from a CDN
    app = FastAPI(title="invest-kg SPARQL endpoint", version=__version__, docs_url=None, redoc_url=None, lifespan=lifespan,
                  description=f"Read-only SPARQL 1.1 endpoint over {html.escape(name)} ({triples} triples).")
    app.state.database = database

    def answer(request: Request, text: str | None, update: bool) -> Response:
        if update:
            return PlainTextResponse("SPARQL UPDATE is not allowed: this endpoint is read-only", status_code=403)
        if not text:
            return RedirectResponse("/", status_code=303)  # a browser asking /sparql for nothing: the query page
        accept = FORMAT_PARAMETER.get(request.query_params.get("format", ""), request.headers.get("accept", ""))
        try:
            refuse_federation(text)
            reply = database.ask(text, accept)
        except QueryTimeout as error:
            return PlainTextResponse(str(error), status_code=503)
        except QueryError as error:
            return PlainTextResponse(str(error), status_code=400)
        if reply.status_code == 200:
            return Response(reply.content, media_type=reply.headers.get("content-type"))
        message = " ".join(reply.text.split()) or reply.reason_phrase
        if "timeout" in message.lower() or "timed out" in message.lower():
            return PlainTextResponse(f"query timed out after {timeout:g} s", status_code=503)
        if "update" in message.lower() and reply.status_code in (403, 405):
            return PlainTextResponse("SPARQL UPDATE is not allowed: this endpoint is read-only", status_code=403)
        return PlainTextResponse(f"SPARQL error: {message}", status_code=400)

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
