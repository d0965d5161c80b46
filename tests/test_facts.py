from decimal import Decimal

import pytest

from kg.facts import document_investments, find_conflicts, Investment
from kg.linking import Linker
from kg.mentions import doc_mentions
from kg.resources import KGR


def investments(nlp, text, lang):
    doc = nlp(text)
    linker = Linker()
    linked = linker.link_document(doc_mentions(doc), lang, "doc1")
    return document_investments(doc, linked, linker.entities, lang, "doc1")


def summary(found):
    return [(i.investor, i.target, i.value, i.currency) for i in found]


def test_italian_investment_sentence(nlp_it):
    found = investments(nlp_it, "Microsoft investirà 4 miliardi di dollari in Francia.", "it")
    assert summary(found) == [(KGR.microsoft, KGR.france, Decimal(4_000_000_000), "USD")]
    assert found[0].evidence == ["Microsoft investirà 4 miliardi di dollari in Francia."]
    assert found[0].confidence == Decimal("0.9")


def test_german_investment_sentence(nlp_de):
    found = investments(nlp_de, "Microsoft will zehn Milliarden Euro in Frankreich investieren.", "de")
    assert summary(found) == [(KGR.microsoft, KGR.france, Decimal(10_000_000_000), "EUR")]


@pytest.mark.parametrize(
    "text, lang",
    [
        ("Microsoft ha investito in Mistral AI, valutata 2 miliardi di euro.", "it"),  # a valuation
        ("Der Umsatz von Microsoft in Frankreich stieg auf 2 Milliarden Euro.", "de"),  # revenue, no trigger
        ("Der Investor Microsoft meldet in Frankreich einen Umsatz von 2 Milliarden Euro.", "de"),  # trigger + revenue
        ("Microsoft ha 4 miliardi di dollari di liquidità in Francia.", "it"),  # money, no trigger
    ],
)
def test_traps_yield_no_investment(nlp_it, nlp_de, text, lang):
    assert investments(nlp_it if lang == "it" else nlp_de, text, lang) == []


def test_investor_and_target_from_earlier_sentence(nlp_de):
    text = "Microsoft baut in Frankreich aus. Das Unternehmen will dafür 4 Milliarden Euro investieren."
    found = investments(nlp_de, text, "de")
    assert summary(found) == [(KGR.microsoft, KGR.france, Decimal(4_000_000_000), "EUR")]
    assert found[0].confidence == Decimal("0.7")


def test_same_claim_twice_in_a_document_is_one_investment(nlp_it):
    text = "Microsoft investe 4 mld di dollari in Francia\n\nIl gruppo investirà 4 miliardi di dollari in Francia."
    found = investments(nlp_it, text, "it")
    assert len(found) == 1 and len(found[0].evidence) == 2


def claim(doc, value, currency):
    return Investment(doc, "it", KGR.microsoft, KGR.france, Decimal(value), currency, Decimal("0.9"), ["x"])


def test_conflicts_between_documents():
    usd, eur = claim("a", 4, "USD"), claim("b", 4, "EUR")
    conflicts = find_conflicts([usd, eur])
    assert [(c.on, {x.currency for x in c.claims}) for c in conflicts] == [("currency", {"USD", "EUR"})]
    assert find_conflicts([claim("a", 4, "USD"), claim("b", 4, "USD")]) == []
    assert [c.on for c in find_conflicts([claim("a", 4, "EUR"), claim("b", 5, "EUR")])] == ["value"]
    assert find_conflicts([claim("a", 4, "EUR"), claim("a", 5, "USD")]) == []  # one source: no conflict
