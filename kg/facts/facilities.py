"""Facilities: data centres and campuses, their operator, place and status (new or expanded).

A sentence with a facility word (lexicon concept ``facility``) yields one facility per place it
locates with a locative word ("a Parigi e Marsiglia", "in der Region Grand Est"), not a place
it measures from ("a cinque ore da Parigi"). The status is the nearest status word before the
place. When a place and a place inside it are both named, the inner one is kept.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from rdflib import RDF, RDFS, Literal, URIRef
from rdflib.namespace import SKOS

from kg.facts.context import Fact, LinkedDocument, record
from kg.lexicon import word_has_stem
from kg.facts.registry import FactType
from kg.facts.triples import add_sources, decimal_literal
from kg.resources import INV, KGR, LEX, LEXICON, load_turtle, subclasses

# A site (a campus such as STATION F) is itself a facility, not a place where one is built.
PLACE_TYPES = subclasses(INV.Place) - subclasses(INV.Site)
LOCATIVE_LOOKBACK = 3  # tokens between a locative word and the place name ("in der Region")


@dataclass(kw_only=True)
class Facility(Fact):
    operator: URIRef
    place: URIRef
    status: URIRef | None = None
    place_name: str = ""  # the place as the document writes it ("Parigi")

    @property
    def iri(self) -> URIRef:
        return KGR[f"facility/{self.operator.rsplit('/', 1)[-1]}-{self.place.rsplit('/', 1)[-1]}"]


def document_facilities(document: LinkedDocument) -> list[Facility]:
    found: dict[tuple, Facility] = {}
    for sentence, operator, confidence in document.acting_sentences("facility"):
        places = located_places(document, sentence)
        inner = [p for p in places if not any(q is not p and q[0].iri != p[0].iri and inside(document, q[0].iri, p[0].iri) for q in places)]
        for link, status in inner:
            facility = record(found, (operator, link.iri), sentence.text, confidence, lambda: Facility(
                document.doc_id, document.lang, confidence, operator=operator, place=link.iri, place_name=link.mention.text))
            facility.status = facility.status or status
    return list(found.values())


def located_places(document: LinkedDocument, sentence):
    """(place link, status) for each place the sentence locates something in."""
    locative = document.lexicon.words("locative", document.lang)
    coordination = document.lexicon.words("coordination", document.lang)
    doc = document.doc
    result = []
    previous_end = None
    for link in sorted(sentence.links, key=lambda l: l.mention.start_char):
        if not document.types(link.iri) & PLACE_TYPES or INV.Site in document.types(link.iri):
            continue
        span = document.span_of(link)
        before = [t.lower_ for t in doc[max(sentence.span.start, span.start - LOCATIVE_LOOKBACK): span.start]]
        # "in Paris und Marseille": a place coordinated with a located place is located too
        coordinated = previous_end is not None and span.start - previous_end <= 1 and before and before[-1] in coordination
        if coordinated or any(word in locative for word in before):
            if not set(before[-1:]) & document.lexicon.words("origin", document.lang):
                result.append((link, status_before(document, sentence, span.start)))
                previous_end = span.end
    return result


def status_before(document: LinkedDocument, sentence, position: int) -> URIRef | None:
    """The status (new, expansion) whose word stands nearest before token `position`."""
    best = None
    for token in document.doc[sentence.span.start:position]:
        for name in document.lexicon.concepts_of("FacilityStatus"):
            if word_has_stem(token.lower_, document.lexicon.stems(name, document.lang)):
                best = LEX[name]
    return best


def inside(document: LinkedDocument, inner: URIRef, outer: URIRef) -> bool:
    """Is `inner` located (transitively) in `outer`, by the catalogue?"""
    return inner != outer and outer in enclosing_places(document.resources.catalogue_path, inner)


@cache
def enclosing_places(catalogue: Path, place: URIRef) -> frozenset[URIRef]:
    return frozenset(URIRef(str(o)) for o in load_turtle(catalogue).transitive_objects(place, INV.locatedIn))


def facility_triples(add, facilities: list[Facility]) -> None:
    """One node per facility (operator and place), with what each document reports of it."""
    groups: dict[URIRef, list[Facility]] = {}
    for facility in sorted(facilities, key=lambda f: f.doc_id):
        groups.setdefault(facility.iri, []).append(facility)
    labels = {getattr(label, "language", None): str(label) for label in load_turtle(LEXICON).objects(LEX.facility, SKOS.prefLabel)}
    for iri, reports in groups.items():
        first = reports[0]
        add((iri, RDF.type, INV.Facility))
        add((iri, INV.operator, first.operator))
        add((iri, INV.locatedIn, first.place))
        status = next((report.status for report in reports if report.status is not None), None)
        if status is not None:
            add((iri, INV.facilityStatus, status))
        for report in reports:
            kind = labels.get(report.lang, labels.get("en", "facility"))
            add((iri, RDFS.label, Literal(f"{kind} {report.place_name}", lang=report.lang)))
            add_sources(add, iri, report)
        add((iri, INV.confidence, decimal_literal(max(report.confidence for report in reports))))


# several documents report one facility: its node is made once, from all of them
FACT_TYPE = FactType("facilities", lambda document, earlier: document_facilities(document), order=40,
                     corpus_triples=facility_triples)
