"""Graph → SHACL verdict: the project's shapes through pySHACL, as readable violations."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyshacl
from rdflib import Graph, URIRef
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
    """Validate `graph` against the shapes, with RDFS inference over the ontology."""
    conforms, results, _text = pyshacl.validate(
        graph,
        shacl_graph=load_turtle(shapes),
        ont_graph=load_turtle(ontology),
        inference="rdfs",
        allow_warnings=True,
    )
    violations = sorted(
        (describe(graph, results, result) for result in results.subjects(SH.resultSeverity, None)),
        key=lambda v: (v.focus, v.path, v.message),
    )
    return ValidationReport(bool(conforms), tuple(violations))


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
