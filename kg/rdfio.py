"""RDF files and terms without the NLP: formats by suffix, deterministic serialisation, N-Triples
lines. The read-only commands (query, validate, view, serve) need only this, not spaCy."""

from __future__ import annotations

import json
import re
from pathlib import Path

import rdflib
import rdflib.serializer
from rdflib import Graph, Literal, URIRef
from rdflib.plugins.serializers.nt import _quoteLiteral  # rdflib's own N-Triples literal writer

from kg.resources import KGR, PREFIXES, bind_prefixes

# Output formats whose bytes we can make deterministic; RDF/XML is read but not written.
SERIALIZATIONS = {".ttl": "turtle", ".nt": "nt", ".nq": "nquads", ".jsonld": "json-ld", ".json": "json-ld", ".trig": "trig"}
READABLE = {**SERIALIZATIONS, ".rdf": "xml", ".xml": "xml", ".owl": "xml"}
GRAPH_NAME = KGR["graph"]


def format_for(path, explicit: str | None = None) -> str:
    """rdflib format name for an output path (by suffix) or an explicit --format (any rdflib
    serializer plugin)."""
    if explicit:
        try:
            rdflib.plugin.get(explicit, rdflib.serializer.Serializer)
        except rdflib.plugin.PluginException:
            raise ValueError(f"unknown --format '{explicit}' (e.g. {', '.join(sorted(set(SERIALIZATIONS.values())))})") from None
        return explicit
    suffix = Path(path).suffix.lower()
    if suffix not in SERIALIZATIONS:
        raise ValueError(f"{path}: unknown RDF suffix '{suffix}' (use one of {', '.join(SERIALIZATIONS)}, or --format)")
    return SERIALIZATIONS[suffix]


def serialize(graph: Graph, fmt: str) -> bytes:
    """Serialise deterministically: lines of line-based formats and JSON-LD arrays are sorted;
    JSON-LD is compacted with the project's prefixes as its @context."""
    if fmt == "json-ld":
        context = {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}
        data = graph.serialize(format=fmt, encoding="utf-8", context=context, auto_compact=True)
    else:
        data = graph.serialize(format=fmt, encoding="utf-8")
    if fmt in ("nt", "nquads"):
        data = b"".join(sorted(data.splitlines(keepends=True)))
    elif fmt == "json-ld":
        data = json.dumps(sorted_json(json.loads(data)), indent=2, sort_keys=True, ensure_ascii=False).encode() + b"\n"
    return data


def sorted_json(value):
    """JSON with every array sorted (JSON-LD arrays other than @list are unordered sets)."""
    if isinstance(value, dict):
        return {key: sorted_json(item) if key != "@list" else [sorted_json(i) for i in item] for key, item in value.items()}
    if isinstance(value, list):
        items = [sorted_json(item) for item in value]
        return sorted(items, key=lambda item: json.dumps(item, sort_keys=True, ensure_ascii=False))
    return value


def triples_graph(triples: set[tuple]) -> Graph:
    """An rdflib Graph of the triples, with the project's prefixes bound."""
    graph = bind_prefixes(Graph(identifier=GRAPH_NAME))
    graph.addN((s, p, o, graph) for s, p, o in triples)  # serializers order their output themselves
    return graph


def nt_row(triple: tuple) -> str:
    """The N-Triples line rdflib writes for `triple` (its ``_nt_row``), in a third of the time."""
    s, p, o = triple
    obj = _quoteLiteral(o) if isinstance(o, Literal) else iri_n3(o) if type(o) is URIRef else o.n3()
    return f"{iri_n3(s) if type(s) is URIRef else s.n3()} {iri_n3(p)} {obj} .\n"


NOT_IN_IRI = re.compile(r'[<>" {}|\\^`]')  # what URIRef.n3 refuses


def iri_n3(iri: URIRef) -> str:
    """``iri.n3()``, with rdflib's check made by one regular expression instead of ten scans."""
    if NOT_IN_IRI.search(iri):
        return iri.n3()  # raises rdflib's own error
    return f"<{iri}>"
