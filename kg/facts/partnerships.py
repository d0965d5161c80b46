"""Partnerships and programmes: who works with whom, in which programme, where, for whom.

A sentence that names a programme, or has a partnership word (lexicon concept ``partnership``),
yields a partnership per programme (or one without a programme): the organiser is the
programme's organiser in the catalogue, else the document's main company; the other
organisations of the sentence are partners, a site is the venue, and the audiences it names
are kept; partners are catalogue organisations or ones the text gives a kind to (precision
first). A later sentence about "the programme" at a site adds that venue to the programme named
last. Partnerships with the same organiser and programme (or the same partners) in one
document are merged.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import RDF, URIRef

from kg.facts.context import CONFIDENCE_SAME_SENTENCE, ORGANISATION_TYPES, Fact, LinkedDocument, fact_iri, record
from kg.facts.registry import FactType
from kg.facts.triples import add_provenance
from kg.resources import INV, LEX, SCHEMA, subclasses



# A partner is a catalogue organisation or one the text calls a company, startup, school or public
# body ("la startup Acme"): statistical NER alone also tags phrases like "Cloud-Credits" as ORG.
KNOWN_KINDS = subclasses(INV.Organization) - {INV.Organization}


def is_known_organisation(document: LinkedDocument, iri: URIRef) -> bool:
    entity = document.entities[iri]
    if INV.Site in entity.types or not entity.types & ORGANISATION_TYPES:
        return False
    return entity.catalogue is not None or bool(entity.types & KNOWN_KINDS)


@dataclass(kw_only=True)
class Partnership(Fact):
    organiser: URIRef
    programme: URIRef | None = None
    partners: set[URIRef] = field(default_factory=set)
    venues: set[URIRef] = field(default_factory=set)
    audiences: set[URIRef] = field(default_factory=set)

    @property
    def iri(self) -> URIRef:
        key = self.programme if self.programme is not None else sorted(self.partners)
        return fact_iri("partnership", self.doc_id, self.organiser, key)

    def triples(self, add) -> None:
        iri = self.iri
        add((iri, RDF.type, INV.Partnership))
        add((iri, SCHEMA.organizer, self.organiser))
        if self.programme is not None:
            add((iri, INV.programme, self.programme))
        for partner in self.partners:
            add((iri, INV.partner, partner))
        for venue in self.venues:
            add((iri, SCHEMA.location, venue))
        for audience in self.audiences:
            add((iri, INV.audience, audience))
        add_provenance(add, iri, self)


def document_partnerships(document: LinkedDocument) -> list[Partnership]:
    found: dict[tuple, Partnership] = {}
    last_programme: Partnership | None = None
    for sentence in document.sentences:
        programmes: list[URIRef | None] = [l.iri for l in sentence.links if INV.Programme in document.types(l.iri)]
        venues = {l.iri for l in sentence.links if INV.Site in document.types(l.iri)}
        if not programmes and not document.has("partnership", sentence.text):
            if last_programme is not None and venues and document.has("programme", sentence.text):
                last_programme.venues |= venues
                last_programme.add_evidence(sentence.text, CONFIDENCE_SAME_SENTENCE)
            continue
        organisations = {l.iri for l in sentence.links if is_known_organisation(document, l.iri)}
        audiences = {LEX[a] for a in document.concepts_in(document.lexicon.concepts_of("Audience"), sentence.text)}
        for programme in programmes or [None]:
            catalogued = document.resources.catalogue_graph.value(programme, SCHEMA.organizer) if programme else None
            organiser = URIRef(str(catalogued)) if catalogued is not None else document.main_actor
            if organiser is None:
                continue
            partners = organisations - {organiser}
            if not partners and programme is None:
                continue
            key = (organiser, programme if programme is not None else frozenset(partners))
            partnership = record(found, key, sentence.text, CONFIDENCE_SAME_SENTENCE, lambda: Partnership(
                document.doc_id, document.lang, CONFIDENCE_SAME_SENTENCE, organiser=organiser, programme=programme))
            partnership.partners |= partners
            partnership.venues |= venues
            partnership.audiences |= audiences
            if programme is not None:
                last_programme = partnership
    return list(found.values())


FACT_TYPE = FactType("partnerships", lambda document, earlier: document_partnerships(document), order=50,
                     document_triples=Partnership.triples)
