"""The `kg` command: a thin Typer layer over the library (kg.build, kg.validate, kg.query, kg.views)."""

from __future__ import annotations

import json
import os
import signal
import socket
import sys
from pathlib import Path
from typing import Any, NoReturn, Optional

import typer

from kg.files import write_atomic

LISTED_CONFLICTS = 5


def show_version(value: bool) -> None:
    if value:
        from kg import __version__

        typer.echo(f"invest-kg {__version__}")
        raise typer.Exit()


app = typer.Typer(
    help="Build a validated RDF knowledge graph of investments from Italian and German news.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
)


@app.callback()
def main_options(
    version: bool = typer.Option(False, "--version", callback=show_version, is_eager=True, help="Print invest-kg's version and exit."),
) -> None:
    """Build a validated RDF knowledge graph of investments from Italian and German news."""


def fail(message: str, code: int = 2) -> NoReturn:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)


@app.command()
def build(
    paths: list[Path] = typer.Argument(..., metavar="PATH...", help="Text (.txt, .md) or HTML files, or folders searched recursively."),
    output: Path = typer.Option(..., "-o", "--output", metavar="GRAPH", help="Graph to write; format from suffix (.ttl .nt .nq .jsonld .trig), or an Oxigraph store folder (NAME.oxigraph). .nt, .nq and .oxigraph stream in bounded memory."),
    fmt: Optional[str] = typer.Option(None, "--format", metavar="FORMAT", help="rdflib format name, overriding the suffix (turtle, nt, nquads, json-ld, trig)."),
    lang: Optional[str] = typer.Option(None, "--lang", metavar="LANG", help="Language of every document (it, de); default: detected per document."),
    model: list[str] = typer.Option([], "--model", metavar="LANG=NAME_OR_PATH", help="Pipeline for a language, LANG=NAME_OR_PATH (e.g. it=it_core_news_lg). Repeatable."),
    validate: bool = typer.Option(True, "--validate/--no-validate", help="Check the graph against ontology/shapes.ttl."),
    jobs: Optional[int] = typer.Option(None, "--jobs", "-j", min=1, metavar="N", help="Processes for the NLP, extraction and validation; default: one per core for more than 100 documents, else 1. The graph is the same for any number."),
    cache: Optional[Path] = typer.Option(None, "--cache", metavar="FOLDER", help="Folder of per-document results: unchanged documents are not processed again."),
    dask: Optional[str] = typer.Option(None, "--dask", metavar="ADDRESS", help="Process documents on a Dask cluster: a scheduler address (tcp://HOST:8786), or 'local' for a local cluster of --jobs workers."),
) -> None:
    """Read documents, extract entities and facts (investments, commitments, facilities, roles,
    partnerships), and write one RDF graph.

    Bad files are reported one line each and skipped; the rest of the batch is built.
    Exit 0 when the graph was written (even with SHACL violations, which are listed),
    2 when nothing could be built.
    """
    from contextlib import nullcontext

    from kg.build import build_graph
    from kg.distributed import dask_executor
    from kg.files import check_output
    from kg.nlp import ModelError, parse_model_options
    from kg.rdf import format_for, serialize
    from kg.sinks import STORE_SUFFIX, MemorySink, sink_for

    try:
        check_output(output, paths, STORE_SUFFIX)
        rdf_format = None if output.suffix == STORE_SUFFIX else format_for(output, fmt)
        models = parse_model_options(model)
        with dask_executor(dask, jobs or os.cpu_count() or 1) if dask else nullcontext() as executor:
            result = build_graph(
                paths, lang=lang, models=models, validate=validate, progress=sys.stderr.isatty(), jobs=jobs,
                cache_dir=cache, sink=sink_for(output, rdf_format), executor=executor,
                on_error=lambda error: typer.echo(f"skipped: {error}", err=True),
                on_warning=lambda message: typer.echo(f"warning: {message}", err=True),
            )
    except (ValueError, ModelError) as error:
        fail(str(error))
    if isinstance(result.sink, MemorySink) and rdf_format is not None:
        write_atomic(output, serialize(result.graph, rdf_format))  # the line formats were streamed
    for language, choice in sorted(result.pipelines.items()):
        typer.echo(f"pipeline {language}: {choice.name} ({choice.source})", err=True)
    if result.validation is not None:
        for violation in result.validation.violations:
            typer.echo(f"  {violation}", err=True)
    else:
        typer.echo("validation skipped (--no-validate)", err=True)
    if len(result.conflicts) > LISTED_CONFLICTS:  # a big corpus: a count and where to read them
        typer.echo(f"{len(result.conflicts)} conflicts between sources: kg query {output} conflicts lists them", err=True)
    else:
        for conflict in result.conflicts:
            shown = conflict.claims[:LISTED_CONFLICTS]
            claims = "; ".join(f"{c.value:,f} {c.currency} in {c.doc_id}" for c in shown)
            more = len(conflict.claims) - len(shown)
            if more:  # thousands of sources may disagree on one investment
                claims += f"; and {more:,} more claims (kg query {output} conflicts lists them)"
            typer.echo(f"conflict on {conflict.on}: {claims}", err=True)
    typer.echo(f"wrote {output}: {result.summary()}", err=True)


@app.command()
def validate(
    graph: Path = typer.Argument(..., metavar="GRAPH", help="RDF graph file (.ttl, .nt, .jsonld, .trig) or Oxigraph store folder."),
    jobs: int = typer.Option(1, "--jobs", "-j", min=1, metavar="N", help="Processes validating shards of the graph at once."),
    store: str = typer.Option("memory", "--store", metavar="STORE", help="Where to load a file: memory (rdflib) or oxigraph (on disk, for graphs bigger than memory)."),
) -> None:
    """Check a graph against the project's SHACL shapes (ontology/shapes.ttl).

    With --jobs N, the graph is validated in shards of subjects by N processes; the verdict is
    the same as for the whole graph at once.
    Exit 0: conforms. Exit 1: violations (listed with focus node, path, message and source
    document). Exit 2: the file cannot be read.
    """
    from kg.query import GraphError, load_graph
    from kg.validate import validate_graph

    try:
        report = validate_graph(load_graph(graph, store), jobs=jobs)
    except GraphError as error:
        fail(str(error))
    for violation in report.violations:
        typer.echo(str(violation))
    typer.echo(f"{graph}: " + ("conforms" if report.conforms else f"{len(report.violations)} violations"))
    raise typer.Exit(0 if report.conforms else 1)


@app.command()
def query(
    graph: Path = typer.Argument(..., metavar="GRAPH", help="RDF graph file."),
    sparql: str = typer.Argument(..., metavar="QUERY", help="A canned query name (kg queries lists them), a .rq file, or SPARQL text."),
    fmt: str = typer.Option("table", "--format", metavar="FORMAT", help="table (for people), or json, csv, tsv, xml (SPARQL 1.1 results)."),
    store: str = typer.Option("memory", "--store", metavar="STORE", help="memory (rdflib) or oxigraph (faster on big graphs)."),
) -> None:
    """Run a SPARQL query over a graph. Canned queries live in ontology/queries/.

    On an Oxigraph store folder (kg build -o NAME.oxigraph) Oxigraph itself answers.
    """
    from kg.sparql import RESULT_FORMATS, QueryError, StoreError, answer_from_store

    if fmt not in RESULT_FORMATS:
        fail(f"unknown --format '{fmt}' (choose from {', '.join(RESULT_FORMATS)})")
    if graph.is_dir():
        try:
            typer.echo(answer_from_store(graph, sparql, fmt), nl=False)
        except (StoreError, QueryError) as error:
            fail(str(error))
        return
    from kg.query import GraphError, format_result, load_graph, run_query

    try:
        loaded = load_graph(graph, store)
        typer.echo(format_result(run_query(loaded, sparql), fmt, loaded), nl=False)
    except (GraphError, QueryError) as error:
        fail(str(error))


@app.command()
def entities(
    graph: Path = typer.Argument(..., metavar="GRAPH", help="RDF graph file."),
    explain: Optional[str] = typer.Option(None, "--explain", metavar="NAME", help="Show which mentions were merged into the entity with this name, and why."),
    fmt: str = typer.Option("table", "--format", metavar="FORMAT", help="table, json, csv or tsv (for the list)."),
) -> None:
    """List entities: name, types, languages, mentions, documents and Wikidata id.

    With --explain NAME (any name the entity was seen under, in any language), show every
    mention linked to it: the text, its language, the reason for the link and the source file.
    """
    if explain is None and graph.is_dir():  # a store folder: Oxigraph answers, as for kg query
        query(graph, "entities", fmt, "memory")
        return
    from kg.query import GraphError, QueryError, explain_entity, format_result, load_graph, run_query

    try:
        loaded = load_graph(graph)
    except GraphError as error:
        fail(str(error))
    if explain is None:
        try:
            typer.echo(format_result(run_query(loaded, "entities"), fmt, loaded), nl=False)
        except QueryError as error:
            fail(str(error))
        return
    explanations = explain_entity(loaded, explain)
    if not explanations:
        fail(f"no entity called '{explain}' in {graph}", code=1)
    for explanation in explanations:
        typer.echo(f"{explanation.entity}  {explanation.name}")
        for text, language, reason, source, count in explanation.mentions:
            typer.echo(f"  {count}× \"{text}\"@{language}  {reason}  [{source}]")


@app.command()
def show(
    document: Path = typer.Argument(..., metavar="DOCUMENT", help="A text (.txt, .md) or HTML file."),
    output: Path = typer.Option(..., "-o", "--output", metavar="PAGE.html", help="HTML page to write."),
    lang: Optional[str] = typer.Option(None, "--lang", metavar="LANG", help="Language of the document (it, de); default: detected."),
    model: list[str] = typer.Option([], "--model", metavar="LANG=NAME_OR_PATH", help="Pipeline for a language, as for kg build. Repeatable."),
) -> None:
    """Write one document as an HTML page: its mentions marked by the kind of entity they were linked
    to, the amounts marked, and beside the text every fact found in it with its evidence.

    Example: kg show seeds/sample/it-microsoft-francia.txt -o it.html
    """
    from kg.build import build_graph, read_documents
    from kg.nlp import ModelError, parse_model_options
    from kg.show import document_page

    if output.suffix.lower() not in (".html", ".htm"):
        fail(f"{output}: the page must be an .html file")
    documents, errors = read_documents([document], lang)
    if errors or not documents:
        fail(str(errors[0]) if errors else f"{document}: no document to show")
    try:
        result = build_graph([document], lang=lang, models=parse_model_options(model), validate=False)
    except (ValueError, ModelError) as error:
        fail(str(error))
    write_atomic(output, document_page(result.graph, documents[0]).encode("utf-8"))
    typer.echo(f"wrote {output}: {result.entities} entities, {len(result.facts.investments)} investments", err=True)


KIND_COLOURS = {"organisation": "cyan", "place": "green", "person": "magenta", "AMOUNT": "yellow"}


@app.command()
def explain(
    graph: Path = typer.Argument(..., metavar="GRAPH", help="RDF graph file."),
    term: str = typer.Argument(..., metavar="WHAT", help="A fact (IRI, kgr:… or the end of its IRI) or an entity (IRI or any name it was seen under)."),
    fmt: str = typer.Option("text", "--format", metavar="FORMAT", help="text or json."),
    limit: int = typer.Option(20, "--limit", min=0, metavar="N", help="Show an entity's first N facts (0: all)."),
) -> None:
    """Show what a fact or an entity rests on.

    For a fact: what it states, its evidence sentence with the names and amounts marked, source
    file, language, confidence and the claims it conflicts with. For an entity: the mentions merged
    into it and why, then every fact it takes part in, explained so.

    Example: kg explain out/sample.ttl Microsoft
    """
    from kg.explain import explain as explain_term
    from kg.explain import text_lines
    from kg.query import GraphError, load_graph

    if fmt not in ("text", "json"):
        fail(f"unknown format '{fmt}' (use text or json)")
    try:
        explanations = explain_term(load_graph(graph), term, limit or None)
    except GraphError as error:
        fail(str(error))
    if not explanations:
        fail(f"{graph}: no fact or entity '{term}' (kg entities lists the names, kg query GRAPH investments the facts)", code=1)
    if fmt == "json":
        typer.echo(json.dumps([e.as_json() for e in explanations], indent=2, ensure_ascii=False))
        return
    def style(text: str, kind: str) -> str:
        return typer.style(text, fg=KIND_COLOURS.get(kind), bold=True)

    for line in text_lines(explanations, style):
        typer.echo(line)


@app.command()
def queries() -> None:
    """List the canned queries and what each answers."""
    import textwrap

    from kg.query import canned_queries, query_description

    found = canned_queries()
    width = max(map(len, found)) + 2
    for name, path in found.items():
        lines = textwrap.wrap(query_description(path.read_text(encoding="utf-8")), 100 - width)
        typer.echo(f"{name:<{width}}{lines[0] if lines else ''}")
        for line in lines[1:]:
            typer.echo(" " * width + line)


@app.command()
def view(
    graph: Path = typer.Argument(..., metavar="GRAPH", help="RDF graph file."),
    kind: str = typer.Option("entities", "--kind", metavar="KIND", help="entities (co-mentions in sentences, catalogue links), investments (investor → target, amounts) or organisations (partners, programmes, stakes)."),
    output: Path = typer.Option(..., "-o", "--output", metavar="FILE", help="View file: .graphml, .gexf, .json (node-link) or .html (interactive)."),
) -> None:
    """Write a networkx link view of the graph for Gephi, Cytoscape or a notebook."""
    from kg.query import GraphError, load_graph
    from kg.views import make_view, write_view

    try:
        network = make_view(load_graph(graph), kind)
        write_view(network, output, title=f"invest-kg: {kind} in {graph.name}")
    except (GraphError, ValueError) as error:
        fail(str(error))
    typer.echo(f"wrote {output}: {network.number_of_nodes()} nodes, {network.number_of_edges()} edges", err=True)


@app.command()
def serve(
    graph: Path = typer.Argument(..., metavar="GRAPH", help="RDF graph file."),
    host: str = typer.Option("127.0.0.1", "--host", metavar="HOST", help="Address to bind; loopback by default (use 0.0.0.0 to share)."),
    port: int = typer.Option(8000, "--port", min=1, max=65535, metavar="PORT", help="TCP port."),
    timeout: float = typer.Option(30.0, "--timeout", min=0.1, metavar="SECONDS", help="Seconds a query may run before it is answered with an error (Oxigraph counts whole seconds)."),
) -> None:
    """Serve a graph (RDF file or Oxigraph store folder) as a read-only SPARQL 1.1 endpoint at
    http://HOST:PORT/sparql, evaluated by Oxigraph's own server.

    GET and POST queries; JSON, XML, CSV or TSV results by Accept header (or ?format=);
    Turtle for CONSTRUCT and DESCRIBE; updates are refused with 403 and SERVICE with 400.
    A query page with the canned queries is at /.
    """
    import uvicorn

    from kg.query import GraphError
    from kg.serve import make_app

    try:  # bound first, so that a busy port is an error before the database starts or "serving" is said
        listener = socket.create_server((host, port))
    except OSError as error:
        fail(f"cannot listen on {host}:{port} ({error.strerror or error})")
    try:
        application = make_app(graph, timeout=timeout)
    except GraphError as error:
        listener.close()
        fail(str(error))
    typer.echo(f"serving {graph} at http://{host}:{port}/sparql (query page: http://{host}:{port}/)", err=True)
    uvicorn.Server(uvicorn.Config(application, log_level="warning")).run(sockets=[listener])  # stops the database at exit


@app.command()
def models(
    as_json: bool = typer.Option(False, "--json", help="Print a JSON list of objects (lang, name, path, source, version, license)."),
    model: list[str] = typer.Option([], "--model", metavar="LANG=NAME_OR_PATH", help="LANG=NAME_OR_PATH, as for build."),
) -> None:
    """Show which spaCy pipeline serves each language and where it loads from.

    Order: a model named with --model > an installed official spaCy model
    (<lang>_core_news_lg/md/sm) > the pipeline bundled in pipelines/models/ > rules only.
    """
    from kg.documents import supported_languages
    from kg.nlp import ModelError, choose_pipeline, parse_model_options

    try:
        chosen = parse_model_options(model)
        choices = [choose_pipeline(lang, chosen.get(lang)) for lang in supported_languages()]
    except ModelError as error:
        fail(str(error))
    if as_json:
        typer.echo(json.dumps([choice.as_dict() for choice in choices], indent=2))
        return
    for choice in choices:
        typer.echo(f"{choice.lang}  {choice.name:<28} {choice.source:<9} {choice.version or '':<8} "
                   f"{choice.license or 'licence not stated':<18} {choice.path or '(built in)'}")


def stop_on_sigterm(signum, frame) -> None:
    """SIGTERM unwinds like Ctrl-C, so that temporary files and folders are removed on the way out."""
    raise KeyboardInterrupt(f"signal {signum}")


def command() -> Any:
    """The click command behind `app`, its arguments shown in --help by their names (GRAPH,
    PATH...) alone: Typer would add the Python type ("<list[Path]>"), which tells a user nothing."""
    group = typer.main.get_command(app)
    for sub in getattr(group, "commands", {}).values():
        for param in sub.params:
            if param.param_type_name == "argument" and param.metavar:
                param.display_type_rich = lambda ctx: None
    return group


def main() -> None:
    signal.signal(signal.SIGTERM, stop_on_sigterm)
    command()()


if __name__ == "__main__":
    main()
