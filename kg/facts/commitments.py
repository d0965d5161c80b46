"""Commitments: a quantity of a unit by a deadline ("25,000 GPUs by the end of 2025").

Machine-translated text scrambles the order ("bis Ende 25,000 … bis zu 2025 der … GPUs",
"bis Ende 1 2027 Million … Bürger"), so a sentence is read as bags of years, quantities,
scale words and units, not as a phrase: four-digit numbers between 1900 and 2100 are years,
other numbers are quantities, a scale word multiplies the nearest quantity before it, and each
unit takes the nearest quantity. Numbers inside amounts of money are not quantities.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property

from rdflib import RDF, URIRef

from kg.facts.context import Fact, LinkedDocument, fact_iri, record
from kg.facts.registry import FactType
from kg.facts.triples import add_provenance, decimal_literal, year_literal
from kg.lexicon import word_has_stem
from kg.numbers import is_year, read_number
from kg.resources import INV, LEX, SCHEMA


@dataclass(kw_only=True)
class Commitment(Fact):
    committed_by: URIRef
    quantity: Decimal
    unit: URIRef
    deadline: int

    @cached_property
    def iri(self) -> URIRef:  # from fields that do not change once the fact exists
        return fact_iri("commitment", self.doc_id, self.committed_by, self.quantity, self.unit, self.deadline)

    def triples(self, add) -> None:
        iri = self.iri
        quantity = URIRef(f"{iri}/quantity")
        add((iri, RDF.type, INV.Commitment))
        add((iri, INV.committedBy, self.committed_by))
        add((iri, INV.quantity, quantity))
        add((quantity, RDF.type, SCHEMA.QuantitativeValue))
        add((quantity, SCHEMA.value, decimal_literal(self.quantity)))
        add((quantity, INV.unit, self.unit))
        add((iri, INV.deadline, year_literal(self.deadline)))
        add_provenance(add, iri, self)


def document_commitments(document: LinkedDocument) -> list[Commitment]:
    found: dict[tuple, Commitment] = {}
    for sentence, actor, confidence in document.acting_sentences("deadline"):
        for quantity, unit, year in read_commitments(document, sentence):
            record(found, (quantity, unit, year), sentence.text, confidence, lambda: Commitment(
                document.doc_id, document.lang, confidence, committed_by=actor, quantity=quantity, unit=unit, deadline=year))
    return list(found.values())


def read_commitments(document: LinkedDocument, sentence) -> list[tuple[Decimal, URIRef, int]]:
    """(quantity, unit, year) triples of one sentence."""
    in_money = {i for span in sentence.money for i in range(span.start, span.end)}
    scales = document.lexicon.scales
    years: list[int] = []
    quantities: list[tuple[int, Decimal]] = []
    units: list[tuple[int, URIRef]] = []
    for token in sentence.span:
        if token.i in in_money:
            continue
        if is_year(token.text):
            years.append(token.i)
        elif token.lower_ in scales and quantities:
            position, value = quantities[-1]
            quantities[-1] = (position, value * scales[token.lower_])
        else:
            unit = unit_of(document, token.lower_)
            if unit is not None:
                units.append((token.i, unit))
                continue
            number = read_number(token.text, document.lang, scales)
            if number is not None and number > 0 and (token.text[:1].isdigit() or next_is_scale_or_unit(document, token)):
                quantities.append((token.i, number))
    if not years or not units or not quantities:
        return []
    year = int(sentence.span.doc[years[-1]].text) if len(years) == 1 else None
    found = []
    free = list(quantities)
    for position, unit in units:
        if not free:
            break
        nearest = min(free, key=lambda q: (abs(q[0] - position), q[0] > position))
        free.remove(nearest)
        deadline = year if year is not None else nearest_year(years, position, sentence)
        found.append((nearest[1].normalize(), unit, deadline))
    return found


def nearest_year(years: list[int], position: int, sentence) -> int:
    return int(sentence.span.doc[min(years, key=lambda y: abs(y - position))].text)


def unit_of(document: LinkedDocument, word: str) -> URIRef | None:
    for name in document.lexicon.concepts_of("Unit"):
        if word_has_stem(word, document.lexicon.stems(name, document.lang)):
            return LEX[name]
    return None


def next_is_scale_or_unit(document: LinkedDocument, token) -> bool:
    """A number word counts only before a scale or a unit ("un milione", "zwei GPUs"), not as an article."""
    if token.i + 1 >= len(token.doc):
        return False
    following = token.doc[token.i + 1].lower_
    return following in document.lexicon.scales or unit_of(document, following) is not None


FACT_TYPE = FactType("commitments", lambda document, earlier: document_commitments(document), order=10,
                     document_triples=Commitment.triples)
