"""Investments of every kind, read sentence by sentence, and conflicts between sources.

A sentence states an investment when it has a kind's trigger word (ontology/lexicon.ttl) and the
parties that kind needs. The kinds are tried in a fixed precedence, the first that finds its
parties wins:

1. **stake** — a stake word and a word of taking or enlarging it ("acquisisce una quota in",
   "Beteiligung … ausgebaut"); not ownership as it stands ("detiene il 33 %"). The organisation
   before the stake word invests, the company after it is the target.
2. **acquisition** — a buyer and a company: "X übernimmt Y", passive "Y viene rilevata da X",
   selling "X vende Y a Z" / "Y wurde an Z verkauft" (the buyer follows a recipient word).
3. **public funding** — a funding word and a public body (typed by the ontology) that gives it;
   the target is the company, else the place, funded.
4. **funding round** — a round word and an amount: the company raises it; lead investors
   ("guidato da", "angeführt von") and participants may follow in the next sentence.
5. **capital expenditure** — an investment word and an amount: a company spends it in a place
   (an investment in a company, with no place, is an equity stake).

Amounts: every amount of the sentence that no nearby word marks as something else (a valuation,
revenue, jobs: lex:not-investment) belongs to the claim, "up to" ones marked as maxima.
"davon entfallen X auf A und Y auf B" splits the previous claim among A and B. A party the
sentence does not name comes from the document (the previous claim, else its main company and
place), with confidence 0.7 instead of 0.9. A claim stated twice in a document is one
investment with both evidence sentences.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

from rdflib import RDF, Literal, URIRef

from kg.components import introducer_pattern
from kg.facts.commitments import Commitment
from kg.facts.context import (
    CONFIDENCE_FROM_CONTEXT, CONFIDENCE_SAME_SENTENCE, Fact, LinkedDocument, Sentence, fact_iri, record,
)
from kg.lexicon import stem_pattern
from kg.linking import LinkedMention
from kg.numbers import is_year, read_number
from kg.facts.registry import FactType
from kg.facts.triples import add_provenance, decimal_literal, literal, year_literal
from kg.resources import INV, LEX, SCHEMA, subclasses

KIND_CLASSES = {
    "capex": INV.CapitalExpenditure, "acquisition": INV.Acquisition, "stake": INV.EquityStake,
    "funding_round": INV.FundingRound, "public_funding": INV.PublicFunding,
}
WINDOW_BEFORE = 6  # tokens before an amount that may say what it is ("un valore di circa …")
WINDOW_AFTER = 3  # and after it ("… di ricavi")
NEAR = 3  # tokens between a preposition and the name it introduces ("al fondo statunitense KKR")
BUSINESS_TYPES = subclasses(INV.Organization)
NOT_BUSINESS = subclasses(INV.PublicBody) | subclasses(INV.EducationalOrganization)


@dataclass(frozen=True)
class Amount:
    value: Decimal
    currency: str | None  # None: the text states no currency
    maximum: bool = False  # "up to"


@dataclass(kw_only=True)
class Investment(Fact):
    kind: str = "capex"  # a key of KIND_CLASSES
    investors: tuple[URIRef, ...] = ()
    target: URIRef
    amounts: tuple[Amount, ...] = ()
    participants: tuple[URIRef, ...] = ()
    share: Decimal | None = None  # percent of the target
    status: URIRef | None = None  # a lex:status-… concept
    occasion: URIRef | None = None
    deadline: int | None = None  # "entro il 2027": the year the money is to be spent by
    purposes: set[URIRef] = field(default_factory=set)
    round_name: str | None = None  # "Serie A", "seed"

    @property
    def investor(self) -> URIRef | None:
        """The (first) lead investor; None for a round whose investors the text does not name."""
        return self.investors[0] if self.investors else None

    @property
    def value(self) -> Decimal | None:
        return self.amounts[0].value if self.amounts else None

    @property
    def currency(self) -> str | None:
        return self.amounts[0].currency if self.amounts else None

    @cached_property
    def iri(self) -> URIRef:  # from fields that do not change once the fact exists
        return fact_iri("investment", self.doc_id, self.kind, *self.investors, self.target, self.value, self.currency)

    def triples(self, add) -> None:
        iri = self.iri
        add((iri, RDF.type, INV.Investment))
        add((iri, RDF.type, KIND_CLASSES[self.kind]))
        for investor in self.investors:
            add((iri, INV.investor, investor))
        for participant in self.participants:
            add((iri, INV.participant, participant))
        add((iri, INV.target, self.target))
        for index, amount in enumerate(self.amounts):
            node = URIRef(f"{iri}/amount" + (f"-{index + 1}" if index else ""))
            add((iri, INV.amount, node))
            add((node, RDF.type, INV.MonetaryAmount))
            add((node, SCHEMA.value, decimal_literal(amount.value)))
            if amount.currency is not None:
                add((node, SCHEMA.currency, literal(amount.currency)))
            if amount.maximum:
                add((node, INV.isMaximum, Literal(True)))
        if self.share is not None:
            add((iri, INV.share, decimal_literal(self.share)))
        if self.round_name is not None:
            add((iri, INV.roundName, literal(self.round_name)))
        if self.status is not None:
            add((iri, INV.status, self.status))
        if self.occasion is not None:
            add((iri, INV.occasion, self.occasion))
        if self.deadline is not None:
            add((iri, INV.deadline, year_literal(self.deadline)))
        for purpose in self.purposes:
            add((iri, INV.purpose, purpose))
        add_provenance(add, iri, self)


@dataclass(frozen=True)
class Conflict:
    claims: tuple[Investment, ...]
    on: str  # the property the claims disagree on

    @cached_property
    def iri(self) -> URIRef:  # from fields that do not change once the fact exists
        return fact_iri("conflict", None, *sorted(str(claim.iri) for claim in self.claims))


@dataclass
class Draft:
    """What one sentence says of one investment, before it is merged into the document's claims."""

    kind: str
    investors: tuple[URIRef, ...]
    target: URIRef | None
    amounts: tuple[Amount, ...] = ()
    participants: tuple[URIRef, ...] = ()
    from_context: bool = False


class SentenceReader:
    """One sentence of a linked document, with the look-ups the kind readers share."""

    def __init__(self, document: LinkedDocument, sentence: Sentence):
        self.document, self.sentence = document, sentence
        self.span = sentence.span
        self.links = list(sentence.links)

    def has(self, concept: str) -> bool:
        return self.document.has(concept, self.sentence.text)

    def position(self, concept: str) -> int | None:
        """The character offset (in the document) of the first trigger word of `concept`."""
        stems = self.document.lexicon.stems(concept, self.document.lang)
        match = stem_pattern(stems).search(self.span.text) if stems else None
        return self.span.start_char + match.start() if match else None

    def of_types(self, top: URIRef, links=None) -> list[LinkedMention]:
        types = subclasses(top)
        return [link for link in (self.links if links is None else links) if self.document.types(link.iri) & types]

    def organisations(self) -> list[LinkedMention]:
        return self.of_types(INV.Organization)

    def companies(self) -> list[LinkedMention]:
        """Organisations that may be businesses: all but public bodies and schools (a name the
        statistical NER finds is only an organisation, and most are companies)."""
        return [link for link in self.organisations() if not self.document.types(link.iri) & NOT_BUSINESS]

    def words_before(self, link: LinkedMention, n: int = NEAR) -> list[str]:
        """The up to `n` lower-case words before a mention, within the sentence."""
        doc = self.span.doc
        first = next((t.i for t in self.span if t.idx >= link.mention.start_char), self.span.end)
        return [t.lower_ for t in doc[max(self.span.start, first - n):first]]

    def passive_at(self, offset: int) -> bool:
        """Whether the verb at `offset` is in the passive voice: an auxiliary of the passive stands
        before it in the sentence ("wurde mehrheitlich an X verkauft") or just after it ("…, das an
        X verkauft wurde")."""
        doc = self.span.doc
        verb = next((t.i for t in self.span if t.idx >= offset), self.span.end)
        words = {t.lower_ for t in doc[self.span.start:min(self.span.end, verb + 3)]}
        return bool(words & self.document.lexicon.words("passive-auxiliary", self.document.lang))

    def introduced_by(self, link: LinkedMention, word_list: str, n: int = NEAR) -> bool:
        return bool(set(self.words_before(link, n)) & self.document.lexicon.words(word_list, self.document.lang))

    def amounts(self) -> tuple[Amount, ...]:
        """The sentence's amounts that are investments, not valuations, revenue or the like."""
        doc = self.span.doc
        maximum = self.document.lexicon.stems("maximum", self.document.lang)
        found = []
        stated = None  # "300 milioni di euro, che potranno salire a 415 milioni": the euro goes on
        for money in self.sentence.money:
            value, currency = money._.money
            currency = stated = currency or stated
            before = doc[max(self.span.start, money.start - WINDOW_BEFORE):money.start].text
            after = doc[money.end:min(self.span.end, money.end + WINDOW_AFTER)].text
            if self.document.has("not-investment", before) or self.document.has("not-investment", after):
                continue
            is_maximum = bool(maximum) and stem_pattern(maximum).search(doc[max(self.span.start, money.start - 3):money.start].text) is not None
            found.append(Amount(value, currency, is_maximum))
        return tuple(dict.fromkeys(found))

    def describes_a_company(self) -> bool:
        """Does the sentence speak of a company by a noun alone ("des Chipherstellers", "l'azienda")?"""
        pattern = introducer_pattern(self.document.lexicon, self.document.lang)
        return any(pattern.search(t.lower_.rsplit("-", 1)[-1]) for t in self.span if not t.ent_type_)

    def percent(self) -> Decimal | None:
        """The first percentage of the sentence ("51%", "29,9 Prozent", "37,5 per cento")."""
        words = self.document.lexicon.words("percent", self.document.lang)
        doc = self.span.doc
        for token in self.span[:-1]:
            following = doc[token.i + 1:min(token.i + 3, self.span.end)]
            if following[:1].text.lower() in words or following.text.lower() in words:
                value = read_number(token.text, self.document.lang, {})
                if value is not None and 0 < value <= 100:
                    return value
        return None


# ---------------------------------------------------------------- kind readers (in precedence order)

def read_stake(reader: SentenceReader, context: Context) -> list[Draft]:
    if reader.has("holding"):
        return []
    if reader.has("kind-stake") and reader.has("stake-change"):
        at = reader.position("kind-stake")
    elif reader.has("kind-acquisition") and (share := reader.percent()) is not None and share < 100:  # "acquisisce il 60% di Y"
        at = reader.position("kind-acquisition")
    else:
        return []
    if at is None:
        return []
    organisations = reader.organisations()
    named_target = [link.iri for link in organisations if reader.introduced_by(link, "stake-target")]
    if named_target:  # "… war bei der Commerzbank eingestiegen": the company after "bei", whoever acts
        others = [link.iri for link in organisations if link.iri != named_target[0]]
        investor, targets = (others[0] if others else None), named_target[:1]
    else:
        before = [link for link in organisations if link.mention.start_char < at]
        after = [link.iri for link in organisations if link.mention.start_char > at]
        investor = before[-1].iri if before else None
        targets = [iri for iri in after if iri != investor] or [link.iri for link in reader.companies() if link.iri != investor]
    previous = context.last if context.last and context.last.kind == "stake" else None
    if investor is None and previous is not None:  # "… seinen Anteil auf 29,9 Prozent aufzustocken": the same stake
        return [Draft("stake", previous.investors, targets[0] if targets else previous.target, reader.amounts(),
                      from_context=True)]
    if investor is None or not targets:
        return []
    return [Draft("stake", (investor,), targets[0], reader.amounts())]


def read_acquisition(reader: SentenceReader, context: Context) -> list[Draft]:
    selling = reader.has("sale")
    if not (reader.has("kind-acquisition") or selling):
        return []
    organisations = reader.organisations()
    companies_first = sorted(organisations, key=lambda link: INV.Company not in reader.document.types(link.iri) and
                             not reader.document.types(link.iri) & subclasses(INV.Company))
    at = reader.position("sale" if selling else "kind-acquisition")
    if at is None:
        return []
    buyer = target = None
    if selling:
        buyer = next((link.iri for link in organisations if reader.introduced_by(link, "recipient")), None)
        sold = [link for link in companies_first if link.iri != buyer]
        # "X vende Y a Z": Y, named after the selling word; "Y wurde an Z verkauft": Y, sold in the passive voice
        target = next((link.iri for link in sold if link.mention.start_char > at), None)
        if target is None and reader.passive_at(at):
            target = next((link.iri for link in sold), None)
    else:
        agent = next((link for link in organisations if link.mention.start_char > at and reader.introduced_by(link, "agent")), None)
        if agent is not None:  # "Y viene rilevata da X"
            buyer = agent.iri
            target = next((link.iri for link in companies_first if link.iri != buyer and link.mention.start_char < at), None)
        else:
            before = [link for link in organisations if link.mention.start_char < at]
            buyer = before[-1].iri if before else None
            after = [link for link in organisations if link.mention.start_char > at and link.iri != buyer]
            # "acquisirà le attività di X, denominate Y": the business bought is Y, not its seller X
            named = [link for link in after if reader.introduced_by(link, "naming")]
            chosen = (named or after)[:1]
            target = chosen[0].iri if chosen else None
    amounts = reader.amounts()
    from_context = False
    if buyer is None and target is not None and amounts:  # "ha acquisito Y, pagata 233 milioni": the document's buyer
        buyer, from_context = context.company(exclude=target), True
    if buyer is None or target is None or buyer == target:
        return []
    return [Draft("acquisition", (buyer,), target, amounts, from_context=from_context)]


def read_public_funding(reader: SentenceReader, context: Context) -> list[Draft]:
    if not reader.has("kind-public-funding"):
        return []
    amounts = reader.amounts()
    funders = reader.of_types(INV.PublicBody)
    if not amounts or not funders:
        return []
    funder = funders[0].iri
    companies = [link.iri for link in reader.companies() if link.iri != funder]
    places = [link for link in reader.of_types(INV.Place)]
    # "die Ansiedlung des US-Chipherstellers in …": a company named by a description is the
    # document's company, which the funding is for, rather than the place
    described = not companies and reader.describes_a_company()
    target = companies[0] if companies else None if described else reader.document.best_place(places)
    from_context = target is None
    target = target or context.company(exclude=funder)
    if target is None:
        return []
    return [Draft("public_funding", (funder,), target, amounts, from_context=from_context)]


def read_funding_round(reader: SentenceReader, context: Context) -> list[Draft]:
    if not reader.has("kind-funding-round"):
        return []
    amounts = reader.amounts()
    if not amounts:
        return []
    at = reader.position("kind-funding-round")
    if at is None:
        return []
    # "guidato da X", else "erhält 8 Millionen Euro von X": who gives it
    leads = lead_investors(reader) or tuple(dict.fromkeys(
        link.iri for link in reader.organisations() if link.mention.start_char > at and reader.introduced_by(link, "agent")))
    participants = participants_of(reader, leads)
    candidates = [link for link in reader.companies() if link.iri not in leads and link.iri not in participants]
    raising = [link.iri for link in candidates if link.mention.start_char < at] or [link.iri for link in candidates]
    target = raising[0] if raising else None
    from_context = target is None
    target = target or context.company(prefer=INV.Startup)
    if target is None:
        return []
    return [Draft("funding_round", leads, target, amounts, participants, from_context=from_context)]


def read_capex(reader: SentenceReader, context: Context) -> list[Draft]:
    if not reader.has("investment"):
        return []
    at = reader.position("investment")
    if at is None:
        return []
    amounts = reader.amounts()
    companies = reader.companies() or reader.organisations()
    located = [link for link in reader.links if reader.introduced_by(link, "locative") and link.mention.start_char > at]
    located_places = reader.of_types(INV.Place, located)
    # the place the money goes to: the first one named after "in" ("in Heide im Kreis Dithmarschen")
    target = located_places[0].iri if located_places else reader.document.best_place(reader.of_types(INV.Place))
    invested_in = [link.iri for link in reader.companies() if link in located]
    before = [link.iri for link in companies if link.mention.start_char < at and link.iri not in invested_in]
    after = [link.iri for link in companies if link.mention.start_char > at and link.iri not in invested_in]
    investors = coordinated(reader, companies, before[-1:] or after[:1])
    if target is None and invested_in and investors:  # an investment in a company: an equity stake
        return [Draft("stake", investors, invested_in[0], amounts)]
    if not amounts:
        return []
    from_context = not (investors and target)
    investors = investors or context.investors()
    target = target or context.place()
    if not investors or target is None:
        return []
    return [Draft("capex", investors, target, amounts, from_context=from_context)]


KIND_READERS: tuple[Callable[[SentenceReader, Context], list[Draft]], ...] = (
    read_stake, read_acquisition, read_public_funding, read_funding_round, read_capex,
)


def lead_investors(reader: SentenceReader) -> tuple[URIRef, ...]:
    """Organisations named after a lead word ("guidato da X", "angeführt von X")."""
    at = reader.position("lead-investor")
    if at is None:
        return ()
    joined = reader.position("participant")
    end = joined if joined is not None and joined > at else reader.span.end_char
    return tuple(dict.fromkeys(link.iri for link in reader.organisations() if at < link.mention.start_char < end))


def participants_of(reader: SentenceReader, leads: tuple[URIRef, ...], anywhere: bool = False) -> tuple[URIRef, ...]:
    """Organisations and people named after a participation word ("hanno partecipato X, Y"), or
    `anywhere` in a sentence about the previous round ("Auch X und Y beteiligten sich")."""
    at = reader.position("participant")
    if at is None:
        return ()
    people = reader.of_types(INV.Person)
    return tuple(dict.fromkeys(link.iri for link in reader.organisations() + people
                               if (anywhere or link.mention.start_char > at) and link.iri not in leads))


def coordinated(reader: SentenceReader, links: list[LinkedMention], first: list[URIRef]) -> tuple[URIRef, ...]:
    """The investor and the `links` coordinated with it ("di Tencent e di Square")."""
    if not first:
        return ()
    joiners = reader.document.lexicon.words("coordination", reader.document.lang) | reader.document.lexicon.words(
        "amount-linker", reader.document.lang)
    chosen = [first[0]]
    index = next(i for i, link in enumerate(links) if link.iri == first[0])
    for previous, link in zip(links[index:], links[index + 1:]):
        between = reader.span.doc.char_span(previous.mention.end_char, link.mention.start_char, alignment_mode="expand")
        words = [t.lower_ for t in between] if between is not None else ["?"]
        if not words or any(w not in joiners for w in words):
            break
        chosen.append(link.iri)
    return tuple(dict.fromkeys(chosen))


# ---------------------------------------------------------------- the document

class Context:
    """What earlier sentences of a document said: the parties of a sentence that names none."""

    def __init__(self, document: LinkedDocument):
        self.document = document
        self.last: Investment | None = None
        self.last_place: URIRef | None = None
        self.published: dt.date | None = None
        self.committed: set[tuple[str, int]] = set()  # (sentence, year) of the document's commitments
        self.main_place = document.most_mentioned(frozenset(subclasses(INV.Country))) or document.most_mentioned(
            frozenset(subclasses(INV.Place)))

    def company(self, exclude: URIRef | None = None, prefer: URIRef | None = None) -> URIRef | None:
        """The organisation the document names most often (of class `prefer` if one is named), not a public body."""
        for types in ((subclasses(prefer),) if prefer is not None else ()) + (BUSINESS_TYPES,):
            found = self.document.most_mentioned(types, unless=NOT_BUSINESS, exclude=exclude)
            if found is not None:
                return found
        return None

    def investors(self) -> tuple[URIRef, ...]:
        if self.last and self.last.kind == "capex" and self.last.investors:
            return self.last.investors
        main = self.company()
        return (main,) if main else ()

    def place(self) -> URIRef | None:
        if self.last is not None and self.last.target is not None and self.document.types(self.last.target) & subclasses(INV.Place):
            return self.last.target
        return self.last_place or self.main_place

    def note_place(self, reader: SentenceReader) -> None:
        """Remember the first place a claim's sentence names after "in": where a project stands
        ("die Batteriefabrik von X in Heide") when the claim's target is a company."""
        located = [link for link in reader.of_types(INV.Place) if reader.introduced_by(link, "locative")]
        if located:
            self.last_place = located[0].iri


def document_investments(document: LinkedDocument, commitments: Sequence[Commitment] = ()) -> list[Investment]:
    """The investments one document states, merged per (kind, investors, target, first amount);
    periods such as "nei prossimi due anni" count from the article's date. A year that is the
    deadline of one of the document's `commitments` in the same sentence is not the claim's."""
    claims: dict[tuple, Investment] = {}
    context = Context(document)
    context.published = document.published
    context.committed = {(text, commitment.deadline) for commitment in commitments for text in commitment.evidence}
    occasion = document_occasion(document)
    for sentence in document.sentences:
        reader = SentenceReader(document, sentence)
        if reader.has("estimate"):
            continue
        drafts = split_allocation(reader, context) or next(
            (drafts for read in KIND_READERS if (drafts := read(reader, context))), [])
        if not drafts:
            attach_round_investors(reader, context)
            attach_deal_price(reader, context)
            continue
        for draft in drafts:
            if draft.target is not None:
                context.last = add_claim(claims, reader, draft, occasion, context, draft.target)
        context.note_place(reader)
    for claim in claims.values():
        claim.purposes = {LEX[p] for text in claim.evidence for p in document.concepts_in(document.lexicon.concepts_of("Purpose"), text)}
    return list(claims.values())


def add_claim(claims: dict, reader: SentenceReader, draft: Draft, occasion, context: Context, target: URIRef) -> Investment:
    confidence = CONFIDENCE_FROM_CONTEXT if draft.from_context else CONFIDENCE_SAME_SENTENCE
    first = draft.amounts[0] if draft.amounts else None
    key = (draft.kind, draft.investors, draft.target, first.value if first else None, first.currency if first else None)
    document, sentence = reader.document, reader.sentence
    claim = record(claims, key, sentence.text, confidence, lambda: Investment(
        document.doc_id, document.lang, confidence, kind=draft.kind, investors=draft.investors, target=target,
        amounts=draft.amounts, occasion=occasion if draft.kind == "capex" else None))
    claim.amounts = tuple(dict.fromkeys(claim.amounts + draft.amounts))
    claim.participants = tuple(dict.fromkeys(claim.participants + draft.participants))
    claim.deadline = (claim.deadline or deadline_in(document, sentence, context.committed)
                      or years_ahead(reader, context.published))
    if draft.kind == "funding_round":
        claim.round_name = claim.round_name or round_name(reader)
    claim.status = claim.status or status_of(document, sentence.text)
    if draft.kind in ("stake", "acquisition"):
        claim.share = claim.share or reader.percent()
    return claim


def split_allocation(reader: SentenceReader, context: Context) -> list[Draft]:
    """'davon entfallen 564 Mio. auf den Bund und 136 Mio. auf das Land X': each amount goes to the
    party named after it, as a part of the previous claim (its funder, or its target for capex)."""
    last = context.last
    if last is None or not reader.has("sub-allocation") or len(reader.sentence.money) < 2:
        return []
    drafts = []
    money = list(reader.sentence.money)
    for amount, following in zip(money, money[1:] + [None]):
        end = following.start_char if following is not None else reader.span.end_char
        party = next((link.iri for link in reader.links if amount.end_char <= link.mention.start_char < end), None)
        if party is None:
            continue
        value, currency = amount._.money
        if last.kind == "capex":
            drafts.append(Draft("capex", last.investors, party, (Amount(value, currency),)))
        else:
            drafts.append(Draft(last.kind, (party,), last.target, (Amount(value, currency),)))
    return drafts


def attach_round_investors(reader: SentenceReader, context: Context) -> None:
    """'Angeführt wurde die Runde von X. Auch Y beteiligte sich.': the previous round's investors."""
    last = context.last
    if last is None or last.kind != "funding_round":
        return
    leads = lead_investors(reader)
    if leads:
        last.investors = tuple(dict.fromkeys(last.investors + leads))
        last.add_evidence(reader.sentence.text, last.confidence)
    participants = participants_of(reader, leads, anywhere=True)
    if participants:
        last.participants = tuple(dict.fromkeys(last.participants + participants))
        last.add_evidence(reader.sentence.text, last.confidence)


def attach_deal_price(reader: SentenceReader, context: Context) -> None:
    """'L'equivalente economico dell'operazione è di 113 milioni': the price of the previous
    acquisition or stake of the document, if that had no amount."""
    last = context.last
    if last is None or last.kind not in ("acquisition", "stake") or last.amounts or not reader.has("deal-reference"):
        return
    amounts = reader.amounts()
    if amounts:
        last.amounts = amounts
        last.add_evidence(reader.sentence.text, last.confidence)


def years_ahead(reader: SentenceReader, published: dt.date | None) -> int | None:
    """"nei prossimi due anni" in an article of 2024: 2026. None without the article's date."""
    at = reader.position("period-ahead")
    if at is None or published is None:
        return None
    year_words = reader.document.lexicon.words("year-word", reader.document.lang)
    number = None
    for token in reader.span:
        if token.idx < at:
            continue
        if token.lower_ in year_words:
            return published.year + int(number) if number and 0 < number <= 50 else None
        value = read_number(token.text, reader.document.lang, {})
        number = value if value is not None else number
    return None


def round_name(reader: SentenceReader) -> str | None:
    """The round's name as the sentence writes it ("Serie A", "Seed-Runde")."""
    names = {name.replace("-", " ") for name in reader.document.lexicon.words("round-name", reader.document.lang)}
    lower = reader.sentence.text.lower().replace("-", " ")  # "Series-A-Finanzierungsrunde" holds "series a"
    for name in sorted(names, key=len, reverse=True):
        match = re.search(rf"(?<!\w){re.escape(name)}(?!\w)", lower)
        if match:
            return reader.sentence.text[match.start():match.end()]
    return None


def status_of(document: LinkedDocument, text: str) -> URIRef:
    """The status the wording gives (lex:status-…, by inv:statusPriority), else announced."""
    for concept in document.lexicon.statuses:
        if document.has(concept, text):
            return LEX[concept]
    return LEX["status-announced"]


def deadline_in(document: LinkedDocument, sentence, committed: set[tuple[str, int]]) -> int | None:
    """The one year of a sentence with a deadline word ("entro il 2027", "bis 2030"), if any,
    unless it is the deadline of a commitment read from the same sentence ("… to bring 25,000
    GPUs by 2025")."""
    if not document.has("deadline", sentence.text):
        return None
    years = {int(t.text) for t in sentence.span if is_year(t.text)}
    if len(years) != 1 or (sentence.text, next(iter(years))) in committed:
        return None
    return years.pop()


def document_occasion(document: LinkedDocument) -> URIRef | None:
    """The event the document's investments were announced at (the first event it names)."""
    for sentence in document.sentences:
        for link in sentence.links:
            if INV.Event in document.types(link.iri):
                return link.iri
    return None


def find_conflicts(investments: list[Investment]) -> list[Conflict]:
    """Claims from different documents on the same investor and target that state it differently.

    One conflict per disagreement: the claims of one value in several currencies (on "currency"),
    or of one currency with several values (on "value"). Claims without an amount or currency
    never conflict.
    """
    groups: dict[tuple, list[Investment]] = {}
    for claim in sorted(investments, key=lambda inv: str(inv.iri)):
        if claim.value is not None and claim.currency is not None:
            groups.setdefault((claim.kind, claim.investor, claim.target), []).append(claim)
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


# after commitments: a year a commitment of the same sentence has is not an investment's deadline
FACT_TYPE = FactType("investments", lambda document, earlier: document_investments(document, earlier.commitments), order=20,
                     document_triples=Investment.triples)
