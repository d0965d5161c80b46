"""What every fact type's RDF mapping shares: literals made once, the document's IRI, provenance.

A fact type maps its facts to triples with these (``Investment.triples`` and the like); kg.rdf
puts the documents, entities and corpus-wide triples around them.
"""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache

from rdflib import XSD, Literal, URIRef
from rdflib.namespace import PROV

from kg.resources import INV, KGR


def document_iri(doc_id: str) -> URIRef:
    return KGR[f"doc/{doc_id}"]


@lru_cache(maxsize=65536, typed=True)  # names, reasons and positions recur over a corpus's mentions
def literal(value: str | int, lang: str | None = None) -> Literal:
    """Literal(value, lang=lang), made once per value: rdflib takes microseconds to make one."""
    return Literal(value, lang=lang)


@lru_cache(maxsize=4096)  # confidences and amounts repeat; making a decimal Literal is slow
def decimal_literal(value: Decimal) -> Literal:
    return Literal(format(value.normalize(), "f"), datatype=XSD.decimal)


def year_literal(year: int) -> Literal:
    return Literal(str(year), datatype=XSD.gYear)


def add_provenance(add, iri: URIRef, fact) -> None:
    """Document, evidence sentences and confidence: what every fact keeps."""
    add_sources(add, iri, fact)
    add((iri, INV.confidence, decimal_literal(fact.confidence)))


def add_sources(add, iri: URIRef, fact) -> None:
    """The fact's document and its evidence sentences, tagged with the document's language."""
    add((iri, PROV.wasDerivedFrom, document_iri(fact.doc_id)))
    for sentence in fact.evidence:
        add((iri, INV.evidence, Literal(sentence, lang=fact.lang)))
