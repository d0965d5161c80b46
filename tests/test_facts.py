"""Facts from sentences of our own, in Italian and German, traps included."""

from datetime import date
from decimal import Decimal

import pytest

from kg.facts import Investment, extract_facts, find_conflicts
from kg.facts.investments import Amount
from kg.linking import Linker
from kg.mentions import doc_mentions
from kg.resources import KGR, LEX

from .conftest import ruler_pipeline


def facts(nlp, text, lang):
    doc = nlp(text)
    linker = Linker()
    linked = linker.link_document(doc_mentions(doc), lang, "doc1")
    return extract_facts(doc, linked, linker.entities, lang, "doc1")


def investments(nlp, text, lang):
    return [(i.investor, i.target, i.value, i.currency) for i in facts(nlp, text, lang).investments]


def test_italian_investment_sentence(nlp_it):
    found = facts(nlp_it, "Microsoft investirà 4 miliardi di dollari in Francia per il cloud.", "it").investments
    assert [(i.investor, i.target, i.value, i.currency) for i in found] == [(KGR.microsoft, KGR.france, Decimal(4_000_000_000), "USD")]
    assert found[0].evidence == ["Microsoft investirà 4 miliardi di dollari in Francia per il cloud."]
    assert found[0].confidence == Decimal("0.9")
    assert found[0].purposes == {LEX["purpose-cloud"]}


def test_german_investment_sentence(nlp_de):
    assert investments(nlp_de, "Microsoft will zehn Milliarden Euro in Frankreich investieren.", "de") == [
        (KGR.microsoft, KGR.france, Decimal(10_000_000_000), "EUR")
    ]


@pytest.mark.parametrize(
    "text, lang",
    [
        ("Der Umsatz von Microsoft in Frankreich stieg auf 2 Milliarden Euro.", "de"),  # revenue, no trigger
        ("Der Investor Microsoft meldet in Frankreich einen Umsatz von 2 Milliarden Euro.", "de"),  # trigger + revenue
        ("Microsoft ha 4 miliardi di dollari di liquidità in Francia.", "it"),  # money, no trigger
        ("Microsoft investirà in Francia con 3.000 dipendenti e 2 miliardi di euro di ricavi.", "it"),  # jobs, revenue
    ],
)
def test_traps_yield_no_investment(nlp_it, nlp_de, text, lang):
    assert investments(nlp_it if lang == "it" else nlp_de, text, lang) == []


def test_investment_in_a_company_is_a_stake_without_its_valuation(nlp_it):
    found = facts(nlp_it, "Microsoft ha investito in Mistral AI, valutata 2 miliardi di euro.", "it").investments
    assert [(i.kind, i.investor, i.target, i.amounts) for i in found] == [("stake", KGR.microsoft, KGR["mistral-ai"], ())]


def test_investor_and_target_from_earlier_sentence(nlp_de):
    text = "Microsoft baut in Frankreich aus. Das Unternehmen will dafür 4 Milliarden Euro investieren."
    found = facts(nlp_de, text, "de").investments
    assert [(i.investor, i.target, i.value) for i in found] == [(KGR.microsoft, KGR.france, Decimal(4_000_000_000))]
    assert found[0].confidence == Decimal("0.7")


def test_same_claim_twice_in_a_document_is_one_investment(nlp_it):
    text = "Microsoft investe 4 mld di dollari in Francia\n\nIl gruppo investirà 4 miliardi di dollari in Francia."
    found = facts(nlp_it, text, "it").investments
    assert len(found) == 1 and len(found[0].evidence) == 2


def test_occasion_of_an_investment(nlp_it):
    found = facts(nlp_it, "Al vertice Choose France, Microsoft ha annunciato che investirà 4 miliardi di euro in Francia.", "it")
    assert [i.occasion for i in found.investments] == [KGR["choose-france"]]


@pytest.mark.parametrize(
    "text, lang",
    [
        ("A febbraio Microsoft ha acquistato una quota di Mistral AI, valutata 2 miliardi di euro.", "it"),
        ("Mistral AI, dopo che Microsoft ne ha acquisito una quota, cresce in fretta.", "it"),
        ("Microsoft erwarb im Februar eine Beteiligung an Mistral AI.", "de"),
    ],
)
def test_equity_stake_targets_the_company_without_the_valuation(nlp_it, nlp_de, text, lang):
    found = facts(nlp_it if lang == "it" else nlp_de, text, lang).investments
    assert [(i.kind, i.investor, i.target, i.value) for i in found] == [("stake", KGR.microsoft, KGR["mistral-ai"], None)]


def commitments(nlp, text, lang):
    return sorted((c.quantity, c.unit, c.deadline) for c in facts(nlp, text, lang).commitments)


@pytest.mark.parametrize(
    "text, lang, expected",
    [
        ("Microsoft porterà 25mila GPU in Francia entro la fine del 2025.", "it", (25_000, "unit-gpu", 2025)),
        ("Microsoft formerà un milione di persone entro il 2027.", "it", (1_000_000, "unit-person", 2027)),
        ("Microsoft coinvolgerà più di 2.500 startup entro il 2027.", "it", (2_500, "unit-startup", 2027)),
        ("Microsoft will bis 2026 zwei Millionen Menschen schulen.", "de", (2_000_000, "unit-person", 2026)),
        ("Microsoft plant bis Ende 2024 100 MW an neuen Projekten.", "de", (100, "unit-megawatt", 2024)),
        # machine-translated order: quantity, year and unit scrambled
        ("Microsoft plant, bis Ende 25,000 Rechenzentren und bis zu 2025 der besten GPUs zu bringen.", "de", (25_000, "unit-gpu", 2025)),
        ("Microsoft will bis Ende 1 2027 Million Bürger ausbilden.", "de", (1_000_000, "unit-person", 2027)),
        ("Microsoft plant, bis Ende 100 etwa 2024 MW an Projekten zu bauen.", "de", (100, "unit-megawatt", 2024)),
    ],
)
def test_commitments(nlp_it, nlp_de, text, lang, expected):
    quantity, unit, year = expected
    assert commitments(nlp_it if lang == "it" else nlp_de, text, lang) == [(Decimal(quantity), LEX[unit], year)]


@pytest.mark.parametrize(
    "text, lang",
    [
        ("Microsoft investirà 4 miliardi di euro entro il 2027.", "it"),  # money is not a quantity
        ("Bis 2025 soll der Betrieb von Microsoft wasserneutral sein.", "de"),  # no unit
        ("Microsoft ha 25mila GPU in Francia.", "it"),  # no deadline
    ],
)
def test_no_commitment(nlp_it, nlp_de, text, lang):
    assert commitments(nlp_it if lang == "it" else nlp_de, text, lang) == []


def test_roles(nlp_it):
    found = facts(nlp_it, "«È un giorno storico», ha detto Brad Smith, presidente di Microsoft. Lo conferma Corine de Bilbao, vicepresidente aziendale di Microsoft France.", "it").roles
    assert sorted((r.person, r.organisation, r.label) for r in found) == [
        (KGR["brad-smith"], KGR.microsoft, "presidente"),
        (KGR["corine-de-bilbao"], KGR["microsoft-france"], "vicepresidente aziendale"),
    ]


def test_no_role_without_a_role_word(nlp_it):
    assert facts(nlp_it, "Brad Smith ha incontrato Microsoft France a Parigi.", "it").roles == []


def test_facilities_new_and_expanded(nlp_it):
    text = ("Microsoft amplierà i suoi data center a Parigi e Marsiglia. "
            "Costruirà anche un nuovo data center nella Mulhouse Alsace Agglomération, nella regione Grand Est, a cinque ore da Parigi.")
    found = {(f.operator, f.place, f.status) for f in facts(nlp_it, text, "it").facilities}
    assert found == {
        (KGR.microsoft, KGR.paris, LEX["facility-expansion"]),
        (KGR.microsoft, KGR.marseille, LEX["facility-expansion"]),
        (KGR.microsoft, KGR["mulhouse-alsace-agglomeration"], LEX["facility-new"]),
    }


def test_facilities_german(nlp_de):
    text = "Microsoft erweitert bestehende Rechenzentren in Paris und Marseille und baut einen neuen Campus in der Region Grand Est."
    found = {(f.place, f.status) for f in facts(nlp_de, text, "de").facilities}
    assert found == {
        (KGR.paris, LEX["facility-expansion"]), (KGR.marseille, LEX["facility-expansion"]), (KGR["grand-est"], LEX["facility-new"]),
    }


def test_partnerships_programmes_venues_and_audiences(nlp_de):
    text = ("Microsoft arbeitet in Zusammenarbeit mit Simplon und EDHEC an neuen Kursen. "
            "Das Programm GenAI Studio richtet sich an Start-ups. Das Programm beginnt bei STATION F.")
    found = {p.programme: p for p in facts(nlp_de, text, "de").partnerships}
    assert found[None].organiser == KGR.microsoft and found[None].partners == {KGR.simplon, KGR.edhec}
    studio = found[KGR["genai-studio"]]
    assert studio.organiser == KGR.microsoft
    assert studio.venues == {KGR["station-f"]}
    assert studio.audiences == {LEX["audience-startups"]}


def claim(doc, value, currency):
    return Investment(doc, "it", Decimal("0.9"), ["x"], kind="capex", investors=(KGR.microsoft,), target=KGR.france,
                      amounts=(Amount(Decimal(value), currency),))


def test_conflicts_between_documents():
    usd, eur = claim("a", 4, "USD"), claim("b", 4, "EUR")
    conflicts = find_conflicts([usd, eur])
    assert [(c.on, {x.currency for x in c.claims}) for c in conflicts] == [("currency", {"USD", "EUR"})]
    assert find_conflicts([claim("a", 4, "USD"), claim("b", 4, "USD")]) == []
    assert [c.on for c in find_conflicts([claim("a", 4, "EUR"), claim("b", 5, "EUR")])] == ["value"]
    assert find_conflicts([claim("a", 4, "EUR"), claim("a", 5, "USD")]) == []  # one source: no conflict


def test_investment_deadline_but_not_a_commitments_year(nlp_it, nlp_de):
    found = facts(nlp_it, "Microsoft investirà 4 miliardi di euro in Francia entro il 2027.", "it").investments
    assert [i.deadline for i in found] == [2027]
    found = facts(nlp_de, "Microsoft will 4 Milliarden Euro in Frankreich investieren, um bis 2025 25.000 GPUs zu bringen.", "de")
    assert [i.deadline for i in found.investments] == [None]
    assert [(c.quantity, c.deadline) for c in found.commitments] == [(Decimal(25_000), 2025)]


def test_publication_date_from_a_dateline(nlp_it, nlp_de):
    assert facts(nlp_it, "Titolo\n\nPubblicato il 17 mag 2024\n\nTesto.", "it").published == {"doc1": date(2024, 5, 17)}
    assert facts(nlp_de, "Titel\n\nVeröffentlicht: 3. März 2025\n\nText.", "de").published == {"doc1": date(2025, 3, 3)}
    assert facts(nlp_it, "Il rapporto pubblicato ieri non ha una data.", "it").published == {}


@pytest.fixture(scope="module")
def ruler_ner():
    """Italian pipeline whose 'NER' tags two unknown organisations (a stand-in for a statistical model)."""
    return ruler_pipeline("it", [{"label": "ORG", "pattern": "Nuvola Crediti"}, {"label": "ORG", "pattern": "Acme"}])


def test_partners_need_the_catalogue_or_a_kind_word(ruler_ner):
    found = facts(ruler_ner, "Microsoft collabora con Simplon, con Nuvola Crediti e con la startup Acme.", "it").partnerships
    assert [p.partners for p in found] == [{KGR.simplon, KGR["org/acme"]}]
