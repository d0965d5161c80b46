"""People's roles: "Brad Smith, presidente di Microsoft" → Brad Smith is president of Microsoft.

A person, then within a few words a role word (lexicon concept ``role``), then an organisation
with no other person in between. The role label is the words from the role word up to the
organisation, without the closing preposition ("vicepresidente aziendale").
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from rdflib import RDF, URIRef

from kg.facts.context import CONFIDENCE_SAME_SENTENCE, ORGANISATION_TYPES, Fact, LinkedDocument, fact_iri, record
from kg.lexicon import word_has_stem
from kg.facts.registry import FactType
from kg.facts.triples import add_provenance, literal
from kg.resources import INV, ORG, SCHEMA

MAX_TOKENS_TO_ROLE = 4
MAX_TOKENS_TO_ORGANISATION = 6


@dataclass(kw_only=True)
class Role(Fact):
    person: URIRef
    organisation: URIRef
    label: str = ""

    @cached_property
    def iri(self) -> URIRef:  # from fields that do not change once the fact exists
        return fact_iri("role", self.doc_id, self.person, self.organisation, self.label)

    def triples(self, add) -> None:
        iri = self.iri
        add((iri, RDF.type, ORG.Membership))
        add((iri, ORG.member, self.person))
        add((iri, ORG.organization, self.organisation))
        add((iri, INV.roleLabel, literal(self.label, self.lang)))
        add_provenance(add, iri, self)


def document_roles(document: LinkedDocument) -> list[Role]:
    found: dict[tuple, Role] = {}
    stems = document.lexicon.stems("role", document.lang)
    for sentence in document.sentences:
        links = sorted(sentence.links, key=lambda link: link.mention.start_char)
        for i, link in enumerate(links):
            if INV.Person not in document.types(link.iri):
                continue
            person_end = document.span_of(link).end
            following = links[i + 1:]
            organisation = next((l for l in following if document.types(l.iri) & ORGANISATION_TYPES), None)
            if organisation is None or any(INV.Person in document.types(l.iri) for l in following[: following.index(organisation)]):
                continue
            org_start = document.span_of(organisation).start
            window = document.doc[person_end:org_start]
            role_at = next((t.i for t in window[: MAX_TOKENS_TO_ROLE + 1]
                            if word_has_stem(t.lower_, stems)), None)
            if role_at is None or org_start - role_at > MAX_TOKENS_TO_ORGANISATION:
                continue
            label = role_label(document.doc[role_at:org_start], document.lexicon.words("of-preposition", document.lang))
            record(found, (link.iri, organisation.iri, label), sentence.text, CONFIDENCE_SAME_SENTENCE, lambda: Role(
                document.doc_id, document.lang, CONFIDENCE_SAME_SENTENCE, person=link.iri, organisation=organisation.iri,
                label=label))
    return list(found.values())


def role_label(span, of_words: frozenset[str] = frozenset()) -> str:
    """The role words without the function words that lead to the organisation ("di", "des")."""
    words = [t for t in span if not t.is_punct and not t.is_space]
    while words and (words[-1].is_stop or words[-1].lower_ in of_words):
        words.pop()
    return " ".join(t.text for t in words)


def works_for(add, roles: list[Role]) -> None:
    """Who works for whom, whichever document said so."""
    for role in roles:
        add((role.person, SCHEMA.worksFor, role.organisation))


FACT_TYPE = FactType("roles", lambda document, earlier: document_roles(document), order=30,
                     document_triples=Role.triples, corpus_triples=works_for)
