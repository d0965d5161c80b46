"""The seed catalogue (seeds/catalogue.ttl): known entities with multilingual names."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from rdflib import RDF, URIRef
from rdflib.namespace import SKOS

from kg.resources import CATALOGUE, INV, language_of, load_turtle, subclasses

# The CoNLL label of the ontology's top classes (with every class under them), in this precedence:
# "STATION F" is a site and an organisation, and tagged as an organisation.
NER_LABELS = ((INV.Person, "PER"), (INV.Organization, "ORG"), (INV.Place, "LOC"), (INV.Programme, "MISC"), (INV.Event, "MISC"))


@dataclass(frozen=True)
class CatalogueEntry:
    iri: URIRef
    types: frozenset[URIRef]
    names: tuple[tuple[str, str], ...]  # (name, language tag), preferred label first

    @property
    def ner_label(self) -> str:
        return next(label for top, label in NER_LABELS if self.types & subclasses(top))

    @property
    def pref_label(self) -> str:
        return self.names[0][0]


@cache
def load_catalogue(path: Path = CATALOGUE) -> dict[URIRef, CatalogueEntry]:
    """Catalogue entries by IRI, read from Turtle."""
    graph = load_turtle(path)
    known_types = {cls for top, _ in NER_LABELS for cls in subclasses(top)}
    entries = {}
    for subject in sorted({URIRef(str(s)) for s in graph.subjects(SKOS.prefLabel)}):
        types = frozenset(URIRef(str(t)) for t in graph.objects(subject, RDF.type) if t in known_types)
        if not types:
            continue
        names = [(str(label), language_of(label)) for label in graph.objects(subject, SKOS.prefLabel)]
        names += sorted((str(label), language_of(label)) for label in graph.objects(subject, SKOS.altLabel))
        entries[subject] = CatalogueEntry(subject, types, tuple(names))
    return entries


def catalogue_graph(path: Path = CATALOGUE):
    """The catalogue as an rdflib Graph (shared; do not modify)."""
    return load_turtle(path)
