"""What every extractor needs to know about a linked document: its sentences and main actors."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar
from decimal import Decimal

from rdflib import URIRef
from spacy.tokens import Doc, Span

from kg.components import MONEY_KEY
from kg.lexicon import Lexicon, starts_word
from kg.linking import Entity, LinkedMention
from kg.mentions import sentences
from kg.resources import INV, KGR, Resources, subclasses

ORGANISATION_TYPES = subclasses(INV.Organization)
ACTOR_TYPES = subclasses(INV.Company)
PLACE_PREFERENCE = (INV.Country, INV.Region, INV.City, INV.Site, INV.Place)
CONFIDENCE_SAME_SENTENCE = Decimal("0.9")
CONFIDENCE_FROM_CONTEXT = Decimal("0.7")


def fact_iri(kind: str, doc_id: str | None, *key) -> URIRef:
    """A deterministic IRI for a fact from the values that identify it (and its document, if one)."""
    digest = hashlib.sha256("|".join(str(part) for part in key).encode()).hexdigest()[:10]
    return KGR[f"{kind}/{doc_id}-{digest}" if doc_id else f"{kind}/{digest}"]


@dataclass
class Fact:
    """What every fact carries: its document, language, confidence and evidence sentences."""

    doc_id: str
    lang: str
    confidence: Decimal
    evidence: list[str] = field(default_factory=list)

    def add_evidence(self, sentence: str, confidence: Decimal) -> None:
        self.confidence = max(self.confidence, confidence)
        if sentence not in self.evidence:
            self.evidence.append(sentence)


F = TypeVar("F", bound="Fact")


def record(found: dict[Any, F], key: Any, text: str, confidence: Decimal, make: Callable[[], F]) -> F:
    """The fact kept under `key` (made by `make()` on first sight), with `text` added as evidence.

    Every extractor merges what one document says twice ("4 mld di dollari" in the headline and
    the body) this way: one fact, several evidence sentences, the highest confidence.
    """
    fact = found.get(key)
    if fact is None:
        fact = found[key] = make()
    fact.add_evidence(text, confidence)
    return fact


@dataclass(frozen=True)
class Sentence:
    index: int
    span: Span
    links: tuple[LinkedMention, ...]
    money: tuple[Span, ...]
    text: str  # the sentence with its white space folded: what evidence literals keep


class LinkedDocument:
    """A processed document with its linked mentions, read sentence by sentence."""

    def __init__(self, doc: Doc, linked: list[LinkedMention], entities: dict[URIRef, Entity], lang: str, doc_id: str,
                 resources: Resources = Resources()):
        self.doc, self.entities, self.lang, self.doc_id = doc, entities, lang, doc_id
        self.text = doc.text  # Doc.text joins every token at each access
        self.resources = resources
        self.lexicon: Lexicon = resources.lexicon
        self.published: dt.date | None = None  # the article's date, when a dateline gives it
        by_sentence: dict[int, list[LinkedMention]] = {}
        for link in linked:
            by_sentence.setdefault(link.mention.sentence, []).append(link)
        self.sentences = [
            Sentence(i, sent, tuple(by_sentence.get(i, ())),
                     tuple(s for s in doc.spans[MONEY_KEY] if sent.start <= s.start < sent.end), " ".join(sent.text.split()))
            for i, sent in enumerate(sentences(doc))
        ]
        self.main_actor = self.most_mentioned(ACTOR_TYPES)

    def most_mentioned(self, types: frozenset[URIRef], unless: frozenset[URIRef] = frozenset(),
                       exclude: URIRef | None = None) -> URIRef | None:
        """The entity of one of `types`, and of none of `unless`, that the document names most often,
        other than `exclude` (ties: the smallest IRI)."""
        counts = Counter(link.iri for s in self.sentences for link in s.links
                         if self.types(link.iri) & types and not self.types(link.iri) & unless and link.iri != exclude)
        return min(counts, key=lambda iri: (-counts[iri], str(iri))) if counts else None

    def span_of(self, link: LinkedMention) -> Span:
        """The tokens of a mention (in "expand" mode char_span always finds some)."""
        span = self.doc.char_span(link.mention.start_char, link.mention.end_char, alignment_mode="expand")
        assert span is not None
        return span

    def types(self, iri: URIRef) -> frozenset[URIRef]:
        return self.entities[iri].types

    def has(self, concept: str, text: str) -> bool:
        """Does `text` contain a trigger word of a lexicon concept in this document's language?"""
        return starts_word(self.lexicon.stems(concept, self.lang), text)

    def concepts_in(self, concepts: Sequence[str], text: str) -> list[str]:
        return [concept for concept in concepts if self.has(concept, text)]

    def first_of(self, links, types, before: int | None = None) -> URIRef | None:
        """The first linked entity of one of `types`, preferring mentions before character `before`."""
        candidates = [link for link in links if self.types(link.iri) & types]
        preferred = [link for link in candidates if before is None or link.mention.start_char < before]
        chosen = (preferred or candidates)[:1]
        return chosen[0].iri if chosen else None

    def best_place(self, links) -> URIRef | None:
        """The most general place among `links`: a country over a region over a city."""
        for cls in PLACE_PREFERENCE:
            for link in links:
                if cls in self.types(link.iri):
                    return link.iri
        return None

    def actor(self, sentence: Sentence) -> tuple[URIRef | None, Decimal]:
        """The company acting in a sentence, else the document's main company, with a confidence."""
        named = self.first_of(sentence.links, ACTOR_TYPES)
        if named is not None:
            return named, CONFIDENCE_SAME_SENTENCE
        return self.main_actor, CONFIDENCE_FROM_CONTEXT

    def acting_sentences(self, concept: str):
        """(sentence, company, confidence) for each sentence with a trigger word of `concept`
        and a company acting in it or in the document."""
        for sentence in self.sentences:
            if self.has(concept, sentence.text):
                actor, confidence = self.actor(sentence)
                if actor is not None:
                    yield sentence, actor, confidence
