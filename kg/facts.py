"""Linked documents → facts: investments (who, how much, where) and conflicts between sources.

Precision over recall: a sentence yields an investment only if it has an investment trigger
word (ontology/lexicon.ttl), an amount of money, no word that marks something else (a
valuation, revenue, jobs), an investor and a target. Within one document, claims with the same
investor and amount are one investment with several evidence sentences; a sentence that names
no investor or target ("The company plans to invest 4 billion euros") takes them from the
document's earlier claim with lower confidence.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from decimal import Decimal

from rdflib import URIRef
from spacy.tokens import Doc, Span

from kg.components import MONEY_KEY
from kg.lexicon import Lexicon, load_lexicon, starts_word
from kg.linking import Entity, LinkedMention
from kg.resources import INV, KGR

PLACE_PREFERENCE = (INV.Country, INV.Region, INV.City, INV.Site, INV.Place)
INVESTOR_TYPES = {INV.Organization, INV.Company, INV.Startup, INV.PublicBody, INV.EducationalOrganization}
CONFIDENCE_SAME_SENTENCE = Decimal("0.9")
CONFIDENCE_FROM_CONTEXT = Decimal("0.7")


@dataclass
class Investment:
    doc_id: str
    lang: str
    investor: URIRef
    target: URIRef
    value: Decimal
    currency: str
    confidence: Decimal
    evidence: list[str] = field(default_factory=list)

    @property
    def iri(self) -> URIRef:
        key = f"{self.investor}|{self.target}|{self.value}|{self.currency}"
        return KGR[f"investment/{self.doc_id}-{hashlib.sha256(key.encode()).hexdigest()[:10]}"]


@dataclass(frozen=True)
class Conflict:
    claims: tuple[Investment, ...]
    on: str  # the property the claims disagree on

    @property
    def iri(self) -> URIRef:
        key = "|".join(sorted(str(claim.iri) for claim in self.claims))
        return KGR[f"conflict/{hashlib.sha256(key.encode()).hexdigest()[:12]}"]


def document_investments(
    doc: Doc, linked: list[LinkedMention], entities: dict[URIRef, Entity], lang: str, doc_id: str,
    lexicon: Lexicon | None = None,
) -> list[Investment]:
    """The investments one document states, merged per (investor, amount)."""
    lexicon = lexicon or load_lexicon()
    triggers, blockers = lexicon.stems("investment", lang), lexicon.stems("not-investment", lang)
    by_sentence: dict[int, list[LinkedMention]] = {}
    for link in linked:
        by_sentence.setdefault(link.mention.sentence, []).append(link)
    claims: dict[tuple, Investment] = {}
    context: dict[str, URIRef] = {}  # the latest investor and target named in the document
    for index, sentence in enumerate(doc.sents):
        links = by_sentence.get(index, [])
        amounts = [span for span in doc.spans[MONEY_KEY] if sentence.start <= span.start < sentence.end]
        is_claim = amounts and starts_word(triggers, sentence.text) and not starts_word(blockers, sentence.text)
        investor = first_of_types(links, entities, INVESTOR_TYPES, before=amounts[0].start_char if amounts else None)
        target = best_place(links, entities)
        if not is_claim:
            context.update({k: v for k, v in (("investor", investor), ("target", target)) if v is not None})
            continue
        confidence = CONFIDENCE_SAME_SENTENCE if investor and target else CONFIDENCE_FROM_CONTEXT
        investor = investor or context.get("investor")
        target = target or context.get("target")
        if investor is None or target is None:
            continue
        context.update(investor=investor, target=target)
        text = " ".join(sentence.text.split())
        for amount in amounts:
            value, currency = amount._.money
            key = (investor, value, currency)
            claim = claims.get(key)
            if claim is None:
                claims[key] = Investment(doc_id, lang, investor, target, value, currency, confidence, [text])
            else:
                claim.confidence = max(claim.confidence, confidence)
                if text not in claim.evidence:
                    claim.evidence.append(text)
    return list(claims.values())


def first_of_types(links, entities, types, before: int | None = None) -> URIRef | None:
    """The first linked entity of one of `types`, preferring mentions before character `before`."""
    candidates = [link for link in links if entities[link.iri].types & types]
    preferred = [link for link in candidates if before is None or link.mention.start_char < before]
    chosen = (preferred or candidates)[:1]
    return chosen[0].iri if chosen else None


def best_place(links: list[LinkedMention], entities: dict[URIRef, Entity]) -> URIRef | None:
    """The most general place named in the sentence: a country over a region over a city."""
    for cls in PLACE_PREFERENCE:
        for link in links:
            if cls in entities[link.iri].types:
                return link.iri
    return None


def find_conflicts(investments: list[Investment]) -> list[Conflict]:
    """Claims from different documents on the same investor and target that state it differently.

    One conflict per disagreement: the claims of one value in several currencies (on "currency"),
    or of one currency with several values (on "value").
    """
    groups: dict[tuple, list[Investment]] = {}
    for claim in sorted(investments, key=lambda inv: str(inv.iri)):
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
