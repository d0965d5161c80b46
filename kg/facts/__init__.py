"""Linked documents → facts, under the investment ontology.

``extract_facts`` reads one processed, linked document and returns everything it states:
investments (money and equity stakes), commitments, people's roles, facilities and
partnerships. ``find_conflicts`` compares investments across documents. Every fact keeps its
document, language, confidence and evidence sentences. Trigger words live in
ontology/lexicon.ttl, so a new language is mostly data.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from rdflib import URIRef
from spacy.tokens import Doc

from kg.facts.commitments import Commitment, document_commitments
from kg.facts.context import LinkedDocument
from kg.facts.dates import publication_date
from kg.facts.facilities import Facility, document_facilities
from kg.facts.investments import Conflict, Investment, document_investments, find_conflicts
from kg.facts.partnerships import Partnership, document_partnerships
from kg.facts.roles import Role, document_roles
from kg.linking import Entity, LinkedMention

__all__ = [
    "Commitment", "Conflict", "DocumentFacts", "Facility", "Investment", "Partnership", "Role",
    "extract_facts", "find_conflicts",
]


@dataclass
class DocumentFacts:
    investments: list[Investment] = field(default_factory=list)
    commitments: list[Commitment] = field(default_factory=list)
    roles: list[Role] = field(default_factory=list)
    facilities: list[Facility] = field(default_factory=list)
    partnerships: list[Partnership] = field(default_factory=list)
    published: dict[str, dt.date] = field(default_factory=dict)  # doc_id → publication date

    def extend(self, other: DocumentFacts) -> None:
        for name in FACT_LISTS:
            getattr(self, name).extend(getattr(other, name))
        self.published.update(other.published)

    def count(self) -> int:
        return sum(len(getattr(self, name)) for name in FACT_LISTS)


FACT_LISTS = ("investments", "commitments", "roles", "facilities", "partnerships")


def extract_facts(doc: Doc, linked: list[LinkedMention], entities: dict[URIRef, Entity], lang: str, doc_id: str) -> DocumentFacts:
    """Every fact one linked document states."""
    document = LinkedDocument(doc, linked, entities, lang, doc_id)
    published = publication_date(document)
    return DocumentFacts(
        published={doc_id: published} if published else {},
        investments=document_investments(document, published),
        commitments=document_commitments(document),
        roles=document_roles(document),
        facilities=document_facilities(document),
        partnerships=document_partnerships(document),
    )
