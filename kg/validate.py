"""Graph → SHACL verdict: the project's shapes through pySHACL, as readable violations."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyshacl
from rdflib import RDF, RDFS, Graph, URIRef
from rdflib.namespace import PROV, SH

from kg.resources import ONTOLOGY, SCHEMA, SHAPES, load_turtle


@dataclass(frozen=True)
class Violation:
    focus: str
    path: str
    message: str
    severity: str
    sources: tuple[str, ...]  # source files of the documents the focus node came from

    def __str__(self) -> str:
        where = f" [{', '.join(self.sources)}]" if self.sources else ""
        return f"{self.severity}: {self.focus} {self.path}: {self.message}{where}"


@dataclass(frozen=True)
class ValidationReport:
    conforms: bool
    violations: tuple[Violation, ...]


def validate_graph(graph: Graph, shapes: Path = SHAPES, ontology: Path = ONTOLOGY) -> ValidationReport:
    """Validate `graph` against the shapes; subclasses count for sh:class (a Startup is an Organization).

    Instead of pySHACL's RDFS inference (which copies the graph, takes ~40 s per 230k triples, and
    would also type every object of inv:investor as an organisation by rdfs:range, hiding the very
    violations the shapes look for), the superclass types are added to the graph for the run and
    removed afterwards: ~7x faster, and range/domain never vouch for a node.
    """
    inferred = superclass_types(graph, load_turtle(ontology))
    graph.addN((s, p, o, graph) for s, p, o in inferred)
    try:
        conforms, results, _text = pyshacl.validate(
            graph, shacl_graph=load_turtle(shapes), inference="none", inplace=True, allow_warnings=True,
        )
    finally:
        for triple in inferred:
            graph.remove(triple)
    violations = sorted(
        (describe(graph, results, result) for result in results.subjects(SH.resultSeverity, None)),
        key=lambda v: (v.focus, v.path, v.message),
    )
    return ValidationReport(bool(conforms), tuple(violations))


def superclass_types(graph: Graph, ontology: Graph) -> set[tuple]:
    """The rdf:type triples that rdfs:subClassOf entails and the graph does not state."""
    ancestors = {
        cls: set(ontology.transitive_objects(cls, RDFS.subClassOf)) - {cls}
        for cls in set(ontology.subjects(RDFS.subClassOf, None))
    }
    return {
        (node, RDF.type, ancestor)
        for node, cls in graph.subject_objects(RDF.type)
        for ancestor in ancestors.get(cls, ())
        if (node, RDF.type, ancestor) not in graph
    }


def describe(graph: Graph, results: Graph, result) -> Violation:
    focus = results.value(result, SH.focusNode)
    path = results.value(result, SH.resultPath)
    message = results.value(result, SH.resultMessage) or results.value(result, SH.sourceConstraintComponent)
    severity = results.value(result, SH.resultSeverity)
    return Violation(
        focus=short(graph, focus),
        path=short(graph, path) if path is not None else "",
        message=str(message),
        severity=short(graph, severity).removeprefix("sh:"),
        sources=source_files(graph, focus),
    )


def source_files(graph: Graph, node) -> tuple[str, ...]:
    """Source files of the documents a node was derived from or is mentioned in."""
    documents = set(graph.objects(node, PROV.wasDerivedFrom)) | set(graph.subjects(SCHEMA.mentions, node))
    names = {str(name) for doc in documents for name in graph.objects(doc, SCHEMA.name)}
    return tuple(sorted(names))


def short(graph: Graph, node) -> str:
    if isinstance(node, URIRef):
        try:
            return graph.namespace_manager.normalizeUri(node)
        except Exception:
            return f"<{node}>"
    return str(node)
