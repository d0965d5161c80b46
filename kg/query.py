"""Graph → answers: SPARQL over an rdflib graph (a file, or a store through rdflib), SPARQL 1.1
result formats, explanations of entities. The SPARQL text itself (canned queries, the refusal of
SERVICE, tables) and the native answers of an Oxigraph store are in kg.sparql."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import cast

import rdflib
from rdflib import RDFS, XSD, Dataset, Graph, Literal, URIRef
from rdflib.namespace import PROV, SKOS
from rdflib.plugins.sparql import CUSTOM_EVALS
from rdflib.query import Result, ResultRow, ResultSerializer

from kg.names import normalise
from kg.rdfio import READABLE
from kg.resources import INV, SCHEMA, bind_prefixes, language_of
from kg.sparql import (  # noqa: F401  (re-exported: the query API is kg.query)
    RESULT_FORMATS,
    QueryError,
    canned_queries,
    cell_text,
    query_description,
    query_text,
    refuse_federation,
    table_text,
)


class GraphError(Exception):
    """A graph file that cannot be read; str() is one line naming the file."""


STORES = ("memory", "oxigraph")
QUAD_FORMATS = ("nquads", "trig")


def load_graph(path: Path | str, store: str = "memory") -> Graph:
    """Parse an RDF file (format by suffix, Turtle by default) into rdflib's in-memory store or,
    for big graphs, an Oxigraph store (SPARQL then runs in Oxigraph, in Rust)."""
    path = Path(path)
    if path.is_dir():
        return open_store(path)
    if not path.is_file():
        raise GraphError(f"{path}: no such file")
    if store not in STORES:
        raise GraphError(f"unknown store '{store}' (choose from {', '.join(STORES)})")
    fmt = READABLE.get(path.suffix.lower(), "turtle")
    try:
        graph = Graph(store="Oxigraph" if store == "oxigraph" else "default")
        if fmt in QUAD_FORMATS:  # a plain Graph would keep none of the named graphs' triples
            dataset = Dataset()
            dataset.parse(path, format=fmt)
            graph.addN((s, p, o, graph) for s, p, o, _ in dataset.quads((None, None, None, None)))
        else:
            graph.parse(path, format=fmt)
    except Exception as error:  # rdflib raises many parser-specific types
        first_line = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise GraphError(f"{path}: not valid RDF ({first_line})") from error
    return bind_prefixes(graph)


def open_store(path: Path) -> Graph:
    """An Oxigraph store folder written by ``kg build -o NAME.oxigraph``."""
    from kg.sinks import open_oxigraph

    try:
        return open_oxigraph(path)
    except (OSError, RuntimeError) as error:  # RocksDB reports a damaged store as RuntimeError
        raise GraphError(f"{path}: not an Oxigraph store ({error})") from error


def hash_join(ctx, part):
    """rdflib's evaluation of a join of two groups it cannot join by lookups (sub-queries,
    aggregates): the right side is indexed by the variables both sides bind, where rdflib compares
    every pair of rows (a query over 100,000 triples went from 10 s to 1.5 s). Registered in
    rdflib's CUSTOM_EVALS; every other part is left to rdflib (NotImplementedError)."""
    from rdflib.plugins.sparql.evaluate import evalPart

    if part.name != "Join" or part.lazy:
        raise NotImplementedError
    right = list(set(evalPart(ctx, part.p2)))
    shared = tuple(frozenset.intersection(*(frozenset(row.keys()) for row in right))) if right else ()
    return joined(evalPart(ctx, part.p1), right, shared)


def joined(left, right: list, shared: tuple):
    """Each left row merged with the compatible right rows, found through an index on the
    variables of `shared` that the left row binds (rows differ in what OPTIONAL bound)."""
    indexes: dict[tuple, dict[tuple, list]] = {}
    for row in left:
        bound = tuple(variable for variable in shared if row.get(variable) is not None)
        if bound:
            if bound not in indexes:
                index: dict[tuple, list] = {}
                for other in right:
                    index.setdefault(tuple(other[variable] for variable in bound), []).append(other)
                indexes[bound] = index
            candidates = indexes[bound].get(tuple(row.get(variable) for variable in bound), ())
        else:
            candidates = right
        for other in candidates:
            if row.compatible(other):
                yield row.merge(other)


CUSTOM_EVALS["invest_kg_hash_join"] = hash_join


def run_query(graph: Graph, query: str) -> Result:
    """Run SPARQL (or a canned query name, or a .rq path) over `graph`; SERVICE is refused."""
    text = query_text(query)
    refuse_federation(text)
    try:
        result = graph.query(text)
        if result.type == "SELECT":
            for _row in result:  # evaluated (and kept) here, so errors met while reading rows are reported here
                pass
        elif result.type in ("CONSTRUCT", "DESCRIBE"):
            result.graph
        return result
    except Exception as error:  # pyparsing's ParseException, rdflib's and Python's errors met while evaluating
        message = " ".join(str(error).split()) or type(error).__name__
        raise QueryError(f"SPARQL error: {message}") from error


def format_result(result: Result, fmt: str, graph: Graph | None = None) -> str:
    """Results as a terminal table or a SPARQL 1.1 results format (json, csv, tsv, xml)."""
    try:
        return results_text(result, fmt, graph)
    except Exception as error:  # a serializer that cannot write these results
        message = " ".join(str(error).split()) or type(error).__name__
        raise QueryError(f"cannot write these results as {fmt}: {message}") from error


def results_text(result: Result, fmt: str, graph: Graph | None = None) -> str:
    if result.type in ("CONSTRUCT", "DESCRIBE") and result.graph is not None:
        return result.graph.serialize(format="turtle")
    if result.type == "ASK":
        return {"json": '{"head": {}, "boolean": %s}' % str(result.askAnswer).lower()}.get(fmt, str(result.askAnswer).lower())
    if fmt in ("json", "csv", "xml"):
        return (result.serialize(format=fmt) or b"").decode("utf-8")
    if fmt == "tsv":
        return to_tsv(result)
    return to_table(result, graph)


def solutions(result: Result) -> tuple[list[str], list[ResultRow]]:
    """The variable names and rows of a SELECT result (rdflib types every result as any kind)."""
    return [str(v) for v in result.vars or []], cast(list[ResultRow], list(result))


class TSVResultSerializer(ResultSerializer):
    """SPARQL 1.1 TSV results (rdflib has CSV, JSON and XML only): a header of ?vars, then each
    term in Turtle syntax. Registered as the rdflib result format "tsv"."""

    def serialize(self, stream, encoding: str = "utf-8", **kwargs) -> None:
        names, rows = solutions(self.result)
        lines = ["\t".join(f"?{name}" for name in names)]
        for row in rows:
            lines.append("\t".join("" if term is None else term.n3() for term in row))
        stream.write(("\n".join(lines) + "\n").encode(encoding))


rdflib.plugin.register("tsv", ResultSerializer, "kg.query", "TSVResultSerializer")


def to_tsv(result: Result) -> str:
    return (result.serialize(format="tsv") or b"").decode("utf-8")


def to_table(result: Result, graph: Graph | None = None) -> str:
    """An aligned plain-text table with prefixed names, for a terminal."""
    names, solved = solutions(result)
    texts: dict = {}  # each distinct term formatted once

    def text_of(term) -> str:
        if term not in texts:
            texts[term] = compact(term, graph)
        return texts[term]

    return table_text(names, [[text_of(term) for term in row] for row in solved])


def compact(term, graph: Graph | None) -> str:
    """A term as people read it: prefixed IRIs (kgr:investment/…), numbers with grouped digits."""
    if term is None:
        return ""
    if isinstance(term, URIRef):
        namespaces = [(prefix, str(iri)) for prefix, iri in graph.namespaces()] if graph is not None else []
        return cell_text(str(term), iri=True, namespaces=sorted(namespaces, key=lambda pair: -len(pair[1])))
    if isinstance(term, Literal):
        return cell_text(str(term), datatype=str(term.datatype) if term.datatype else None)
    return str(term)


@dataclass(frozen=True)
class Explanation:
    entity: str
    name: str
    mentions: tuple[tuple[str, str, str, str, int], ...]  # (text, language, reason, source, count)


def explain_entity(graph: Graph, name: str) -> list[Explanation]:
    """Which mentions were merged into the entities called `name` (any of their names, or the end
    of their IRI), and why. Looks at those entities' own mentions only, not at every mention of
    the graph."""
    wanted = normalise(name)
    candidates = {
        entity for predicate in (RDFS.label, SKOS.prefLabel) for entity, label in graph.subject_objects(predicate)
        if normalise(str(label)) == wanted and (None, INV.refersTo, entity) in graph
    }
    candidates |= {entity for entity in graph.objects(None, INV.refersTo) if str(entity).rsplit("/", 1)[-1] == name} \
        if not candidates else set()
    explanations = []
    for entity in sorted(candidates, key=str):
        counts: Counter = Counter()
        for mention in graph.subjects(INV.refersTo, entity):
            text = graph.value(mention, INV.mentionText)
            document = graph.value(mention, PROV.wasDerivedFrom)
            counts[(str(text), language_of(text), str(graph.value(mention, INV.linkReason)),
                    str(graph.value(document, SCHEMA.name)))] += 1
        display = graph.value(entity, SKOS.prefLabel) or graph.value(entity, RDFS.label) or entity
        explanations.append(Explanation(
            compact(entity, graph), str(display), tuple((*key, count) for key, count in sorted(counts.items()))
        ))
    return explanations


def canonical_rows(result: Result) -> list[tuple]:
    """Rows as comparable values: numbers by value, plain and xsd:string literals alike, the
    items of concatenated lists sorted. Two stores give the same answer if these are equal."""
    def canonical(term):
        if isinstance(term, Literal):
            if term.datatype in (None, XSD.string):
                return ("text", ", ".join(sorted(part.strip() for part in str(term).split(","))), term.language)
            value = term.toPython()
            return ("value", value if not isinstance(value, Literal) else str(value), str(term.datatype))
        return ("term", str(term))

    return sorted(tuple(canonical(term) for term in row) for row in solutions(result)[1])


def result_frame(result: Result):
    """A SELECT result as a pandas DataFrame (for notebooks): one type per column, numbers as
    floats, text as strings, what is unbound as <NA>.

    >>> result_frame(run_query(graph, "investments")).dtypes["value"]  # doctest: +SKIP
    Float64Dtype()
    """
    import pandas as pd

    def value(term):
        if term is None:
            return None
        python = term.toPython()
        if isinstance(python, Decimal):
            return float(python)
        return str(python) if isinstance(python, Literal) or isinstance(term, URIRef) else python

    names, rows = solutions(result)
    frame = pd.DataFrame([[value(t) for t in row] for row in rows], columns=names, dtype=object).convert_dtypes()
    unknown = [name for name in names if frame[name].dtype == object and frame[name].isna().all()]
    return frame.astype({name: "string" for name in unknown})  # a column nothing filled: <NA>, not None
