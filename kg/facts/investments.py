"""Investments: who commits how much money to which place or company, and conflicts between sources.

Precision over recall. A sentence is a money claim only if it has an investment trigger word
(ontology/lexicon.ttl), an amount, no word that marks something else (a valuation, revenue,
jobs), an investor and a target; a sentence naming no investor or target ("The company plans to
invest 4 billion euros") takes them from the document's previous claim, else its main company
and country, with lower confidence. Claims with the same investor and amount in one document are
one investment with several evidence sentences. An equity stake ("Microsoft acquired a stake in
Mistral AI") is an investment whose target is the company, its amount unknown unless stated.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

from rdflib import URIRef

from kg.facts.context import (
    CONFIDENCE_FROM_CONTEXT, CONFIDENCE_SAME_SENTENCE, ORGANISATION_TYPES, Fact, LinkedDocument, fact_iri, record,
)
from kg.facts.commitments import read_commitments
from kg.lexicon import word_has_stem
from kg.numbers import is_year
from kg.resources import INV, LEX

PURPOSES = ["purpose-ai", "purpose-cloud", "purpose-skills"]
COMPANY_TYPES = frozenset({INV.Company, INV.Startup})


@dataclass
class Investment(Fact):
    investor: URIRef = None
    target: URIRef = None
    value: Decimal | None = None
    currency: str | None = None
    kind: str = "money"  # "money" or "stake"
    occasion: URIRef | None = None
    deadline: int | None = None  # "entro il 2027": the year the money is to be spent by
    purposes: set[URIRef] = field(default_factory=set)

    @cached_property
    def iri(self) -> URIRef:  # from fields that do not change once the fact exists
        return fact_iri("investment", self.doc_id, self.investor, self.target, self.value, self.currency)


@dataclass(frozen=True)
class Conflict:
    claims: tuple[Investment, ...]
    on: str  # the property the claims disagree on

    @cached_property
    def iri(self) -> URIRef:  # from fields that do not change once the fact exists
        return fact_iri("conflict", None, *sorted(str(claim.iri) for claim in self.claims))


def document_investments(document: LinkedDocument) -> list[Investment]:
    """The investments one document states: money claims merged per (investor, amount), and stakes."""
    claims: dict[tuple, Investment] = {}
    previous: dict[str, URIRef] = {}
    occasion = document_occasion(document)
    for sentence in document.sentences:
        text = sentence.text
        blocked = document.has("not-investment", text)
        if document.has("stake", text) and document.has("acquisition", text):
            stake = stake_in(document, sentence)
            if stake:
                value, currency = sentence.money[0]._.money if sentence.money and not blocked else (None, None)
                add_claim(claims, document, text, CONFIDENCE_SAME_SENTENCE, investor=stake[0], target=stake[1],
                          value=value, currency=currency, kind="stake")
                continue
        if sentence.money and not blocked and document.has("investment", text):
            investor = investor_before(document, sentence)
            target = document.best_place(sentence.links)
            confidence = CONFIDENCE_SAME_SENTENCE if investor and target else CONFIDENCE_FROM_CONTEXT
            investor = investor or previous.get("investor") or document.main_actor
            target = target or previous.get("target") or main_country(document)
            if investor is None or target is None:
                continue
            previous.update(investor=investor, target=target)
            deadline = deadline_in(document, sentence)
            for amount in sentence.money:
                value, currency = amount._.money
                add_claim(claims, document, text, confidence, investor=investor, target=target,
                          value=value, currency=currency, occasion=occasion, deadline=deadline)
    for claim in claims.values():
        if claim.kind == "money":
            claim.purposes = {LEX[p] for text in claim.evidence for p in document.concepts_in(PURPOSES, text)}
    return list(claims.values())


def investor_before(document: LinkedDocument, sentence) -> URIRef | None:
    """The company (else organisation) named before the first amount: the subject that invests.

    An organisation named only after the amount ("… 4 billion euros to put France at the top of
    the AI revolution") is rarely the investor; the document's context decides then.
    """
    first_amount = sentence.money[0].start_char
    before = [link for link in sentence.links if link.mention.start_char < first_amount]
    return document.first_of(before, COMPANY_TYPES) or document.first_of(before, ORGANISATION_TYPES)


def deadline_in(document: LinkedDocument, sentence) -> int | None:
    """The one year of a sentence with a deadline word ("entro il 2027", "bis 2030"), if any,
    unless the year belongs to a commitment of the same sentence ("… to bring 25,000 GPUs by 2025")."""
    if not document.has("deadline", sentence.text) or read_commitments(document, sentence):
        return None
    years = {int(t.text) for t in sentence.span if is_year(t.text)}
    return years.pop() if len(years) == 1 else None


def add_claim(claims: dict, document: LinkedDocument, text: str, confidence: Decimal, **values) -> None:
    key = (values["investor"], values["target"], values.get("value"), values.get("currency"))
    claim = record(claims, key, text, confidence, lambda: Investment(document.doc_id, document.lang, confidence, **values))
    claim.deadline = claim.deadline or values.get("deadline")


def stake_in(document: LinkedDocument, sentence) -> tuple[URIRef, URIRef] | None:
    """(investor, company) of "X acquired a stake in Y": the organisation nearest before the
    stake word invests; another company of the sentence is the target."""
    organisations = [link for link in sentence.links if document.types(link.iri) & ORGANISATION_TYPES]
    stems = document.lexicon.stems("stake", document.lang)
    stake_at = next((t.idx for t in sentence.span if word_has_stem(t.lower_, stems)), None)
    before = [link for link in organisations if stake_at is not None and link.mention.start_char < stake_at]
    if not before:
        return None
    investor = before[-1].iri
    targets = [link.iri for link in organisations if link.iri != investor and document.types(link.iri) & COMPANY_TYPES]
    return (investor, targets[0]) if targets else None


def document_occasion(document: LinkedDocument) -> URIRef | None:
    """The event the document's investments were announced at (the first event it names)."""
    for sentence in document.sentences:
        for link in sentence.links:
            if INV.Event in document.types(link.iri):
                return link.iri
    return None


def main_country(document: LinkedDocument) -> URIRef | None:
    return document.most_mentioned(frozenset({INV.Country}))


def find_conflicts(investments: list[Investment]) -> list[Conflict]:
    """Claims from different documents on the same investor and target that state it differently.

    One conflict per disagreement: the claims of one value in several currencies (on "currency"),
    or of one currency with several values (on "value"). Stakes without an amount never conflict.
    """
    groups: dict[tuple, list[Investment]] = {}
    for claim in sorted(investments, key=lambda inv: str(inv.iri)):
        if claim.value is not None:
            groups.setdefault((claim.investor, claim.target), []).append(claim)
    conflicts = []
    for claims in groups.values():
        for on, same, differ in (("currency", "value", "currency"), ("value", "currency", "value")):
            by_shared: dict = {}
            for claim in claims:
                by_shared.setdefault(getattr(claim, same), []).append(claim)
            for members in by_shared.values():
                if len({getattr(c, differ) for c in members}) > 1 and len({c.doc_id for c in members}) > 1:
                    conflicts.append(Conflict(tuple(members), on))
    return conflicts
