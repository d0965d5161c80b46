"""The seed catalogue (seeds/catalogue.ttl): known entities with multilingual names."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from rdflib import RDF, URIRef
from rdflib.namespace import SKOS

from kg.resources import CATALOGUE, INV, language_of, load_turtle

# NER label of each catalogue type, most specific meaning first.
NER_LABELS = (
    (INV.Person, "PER"),
    (INV.Organization, "ORG"),
    (INV.Company, "ORG"),
    (INV.Startup, "ORG"),
    (INV.PublicBody, "ORG"),
    (INV.EducationalOrganization, "ORG"),
    (INV.Country, "LOC"),
    (INV.Region, "LOC"),
    (INV.City, "LOC"),
    (INV.Site, "LOC"),
    (INV.Place, "LOC"),
    (INV.Programme, "MISC"),
    (INV.Event, "MISC"),
)


@dataclass(frozen=True)
class CatalogueEntry:
    iri: URIRef
    types: frozenset[URIRef]
    names: tuple[tuple[str, str], ...]  # (name, language tag), preferred label first

    @property
    def ner_label(self) -> str:
        return next(label for cls, label in NER_LABELS if cls in self.types)

    @property
    def pref_label(self) -> str:
        return self.names[0][0]


@cache
def load_catalogue(path: Path = CATALOGUE) -> dict[URIRef, CatalogueEntry]:
    """Catalogue entries by IRI, read from Turtle."""
    graph = load_turtle(path)
    known_types = {cls for cls, _ in NER_LABELS}
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
