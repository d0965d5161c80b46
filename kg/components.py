"""spaCy components invest-kg adds to every pipeline (configured in pipelines/components.cfg).

- ``invest_catalogue``: tags the catalogue's names as entities whose ``ent.ent_id_`` is the
  catalogue IRI.
- ``invest_money``: finds amounts of money ("4 mld di dollari", "zehn Milliarden Euro",
  "$2.1 billion") and puts them in ``doc.spans["money"]``, each with
  ``span._.money = (value, ISO 4217 code)``.
"""

from __future__ import annotations

from decimal import Decimal

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span, Token
from spacy.util import filter_spans

from kg.catalogue import load_catalogue
from kg.lexicon import Lexicon, load_lexicon
from kg.numbers import read_number

MONEY_KEY = "money"
MILLION = Decimal(1_000_000)

if not Span.has_extension("money"):
    Span.set_extension("money", default=None)


@Language.factory("invest_catalogue")
def make_catalogue_tagger(nlp: Language, name: str) -> CatalogueTagger:
    return CatalogueTagger(nlp)


class CatalogueTagger:
    """Tag every catalogue name (case-insensitively) as an entity whose ``ent_id_`` is its IRI.

    A catalogue match replaces the statistical entities it overlaps ("Mulhouse" + "Alsace" →
    "Mulhouse Alsace Agglomération"), except an entity of another label that contains it:
    "Paris" inside the person "Paris Hilton" stays a person.
    """

    def __init__(self, nlp: Language):
        self.matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.labels: dict[str, str] = {}
        for entry in load_catalogue().values():
            names = sorted({variant for name, _lang in entry.names for variant in sentence_final_variants(name)})
            self.matcher.add(str(entry.iri), list(nlp.tokenizer.pipe(names)))
            self.labels[str(entry.iri)] = entry.ner_label

    def __call__(self, doc: Doc) -> Doc:
        matches = []
        for match_id, start, end in self.matcher(doc):
            iri = doc.vocab.strings[match_id]
            matches.append(Span(doc, start, end, label=self.labels[iri], span_id=iri))
        kept_ents = []
        for ent in doc.ents:
            inside = [m for m in matches if ent.start <= m.start and m.end <= ent.end and (m.start, m.end) != (ent.start, ent.end)]
            if inside and all(m.label_ != ent.label_ for m in inside):
                kept_ents.append(ent)
                matches = [m for m in matches if m not in inside]
        overlapping = {t for m in matches for t in range(m.start, m.end)}
        others = [e for e in doc.ents if e in kept_ents or not overlapping.intersection(range(e.start, e.end))]
        doc.ents = filter_spans(filter_spans(matches) + others)
        return doc


def sentence_final_variants(name: str) -> tuple[str, ...]:
    """The name, plus "NAME." when it ends in a lone letter: tokenizers keep "F." in "STATION F." whole."""
    last = name.rsplit(" ", 1)[-1]
    return (name, f"{name}.") if len(last) == 1 and last.isalpha() else (name,)


@Language.component("invest_paragraph_breaks")
def paragraph_breaks(doc: Doc) -> Doc:
    """Start a sentence after every line break, so headlines do not run into the next line."""
    for token in doc[:-1]:
        if token.is_space and "\n" in token.text:
            doc[token.i + 1].is_sent_start = True
    return doc


@Language.factory("invest_money")
def make_money_finder(nlp: Language, name: str) -> MoneyFinder:
    return MoneyFinder(nlp, load_lexicon())


class MoneyFinder:
    """Find amounts of money: a number (digits or words), an optional scale, a currency term."""

    def __init__(self, nlp: Language, lexicon: Lexicon):
        self.lexicon = lexicon
        self.lang = nlp.lang
        self.currency_matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        codes: dict[str, list[str]] = {}
        for term, code in lexicon.currency_terms.items():
            codes.setdefault(code, []).append(term)
        for code, terms in sorted(codes.items()):
            self.currency_matcher.add(code, list(nlp.tokenizer.pipe(sorted(terms))))

    def __call__(self, doc: Doc) -> Doc:
        found = []
        taken: set[int] = set()
        matches = self.currency_matcher(doc)
        # Longest currency term first, so "dollari statunitensi" wins over "dollari".
        for match_id, start, end in sorted(matches, key=lambda m: (m[1], m[1] - m[2])):
            if start in taken:
                continue
            code = doc.vocab.strings[match_id]
            span = self.amount_before(doc, start, end, code) or self.amount_after(doc, start, end, code)
            if span is not None and not taken.intersection(range(span.start, span.end)):
                taken.update(range(span.start, span.end))
                found.append(span)
        found.extend(self.amounts_without_currency(doc, taken))
        doc.spans[MONEY_KEY] = sorted(found, key=lambda s: s.start)
        return doc

    def amounts_without_currency(self, doc: Doc, taken: set[int]) -> list[Span]:
        """'investimenti per 80 miliardi nel…', '(68 milioni)': a number with a scale of a million or
        more and no currency, read as money of no stated currency (``span._.money[1]`` is None).
        Not when a noun follows ('1,3 milioni di utenti', '3 Millionen Menschen')."""
        linkers = self.lexicon.words("amount-linker", self.lang)
        found = []
        for token in doc:
            multiplier = self.lexicon.scales.get(token.lower_)
            if multiplier is None or multiplier < MILLION or token.i in taken:
                continue
            after = doc[token.i + 1] if token.i + 1 < len(doc) else None
            if after is not None and not (after.is_punct or after.is_space or (after.is_stop and after.lower_ not in linkers)):
                continue
            value = self.number_ending_at(doc, token.i)
            if value is None or value[1] in taken:
                continue
            span = self.money_span(doc, value[1], token.i + 1, value[0], None)
            if span is not None:
                taken.update(range(span.start, span.end))
                found.append(span)
        return found

    def amount_before(self, doc: Doc, start: int, end: int, code: str) -> Span | None:
        """'4 miliardi di dollari', 'zehn Milliarden Euro', '15 Mio. €'."""
        i = start - 1
        if i >= 0 and doc[i].lower_ in self.lexicon.words("amount-linker", self.lang):
            i -= 1
        value = self.number_ending_at(doc, i)
        if value is None:
            return None
        number, first = value
        return self.money_span(doc, first, end, number, code)

    def amount_after(self, doc: Doc, start: int, end: int, code: str) -> Span | None:
        """'$2.1 billion', '€ 15 milioni'."""
        if end >= len(doc):
            return None
        last = end
        number = self.token_value(doc[last])
        if number is None:
            return None
        if last + 1 < len(doc) and doc[last + 1].lower_ in self.lexicon.scales:
            number *= self.lexicon.scales[doc[last + 1].lower_]
            last += 1
        return self.money_span(doc, start, last + 1, number, code)

    def number_ending_at(self, doc: Doc, i: int) -> tuple[Decimal, int] | None:
        """(value, first token index) of the number (with optional scale) ending at token i."""
        if i < 0:
            return None
        multiplier = Decimal(1)
        if doc[i].lower_ in self.lexicon.scales:
            multiplier = self.lexicon.scales[doc[i].lower_]
            i -= 1
            if i < 0:
                return None
        value = self.token_value(doc[i])
        if value is None:
            return None
        return value * multiplier, i

    def token_value(self, token: Token) -> Decimal | None:
        return read_number(token.text, self.lang, self.lexicon.scales)

    @staticmethod
    def money_span(doc: Doc, start: int, end: int, value: Decimal, code: str | None) -> Span | None:
        if value <= 0:
            return None
        span = Span(doc, start, end, label="MONEY")
        span._.money = (value.normalize(), code)
        return span
