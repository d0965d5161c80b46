"""Linked documents → facts, under the investment ontology.

``extract_facts`` reads one processed, linked document with every registered fact type
(``kg.facts.registry``: investments, commitments, people's roles, facilities, partnerships…)
and returns what it states. ``find_conflicts`` compares investments across documents. Every
fact keeps its document, language, confidence and evidence sentences. Trigger words live in
ontology/lexicon.ttl, so a new language is mostly data.
"""

from __future__ import annotations

from rdflib import URIRef
from spacy.tokens import Doc

from kg.facts.commitments import Commitment
from kg.facts.context import LinkedDocument
from kg.facts.dates import publication_date
from kg.facts.facilities import Facility
from kg.facts.investments import Conflict, Investment, find_conflicts
from kg.facts.partnerships import Partnership
from kg.facts.registry import DocumentFacts, FactType, fact_types
from kg.facts.roles import Role
from kg.linking import Entity, LinkedMention
from kg.resources import Resources

__all__ = [
    "Commitment", "Conflict", "DocumentFacts", "Facility", "FactType", "Investment", "Partnership", "Role",
    "extract_facts", "fact_types", "find_conflicts",
]


def extract_facts(doc: Doc, linked: list[LinkedMention], entities: dict[URIRef, Entity], lang: str, doc_id: str,
                  resources: Resources = Resources()) -> DocumentFacts:
    """Every fact one linked document states, each fact type in its order."""
    document = LinkedDocument(doc, linked, entities, lang, doc_id, resources)
    document.published = publication_date(document)
    facts = DocumentFacts(published={doc_id: document.published} if document.published else {})
    for fact_type in fact_types():
        facts.lists[fact_type.name] = fact_type.extract(document, facts)
    return facts
