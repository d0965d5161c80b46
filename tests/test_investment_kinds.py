"""Investments of every kind, from sentences of our own in Italian and German, traps included.

The names are invented; a ruler stands in for the statistical NER so that each test checks the
extraction rules, not a model's guesses.
"""

from decimal import Decimal

import pytest

from kg.facts import extract_facts
from kg.facts.investments import Amount
from kg.linking import Linker
from kg.mentions import doc_mentions
from kg.resources import LEX

from .conftest import ruler_pipeline

NAMES = {
    "ORG": ["Ferrovento", "Valcadore", "Nordlicht Robotik", "Brivio Capitale", "Kessel Ventures", "Alpenfonds",
            "Ministero delle Imprese", "Bundeswirtschaftsministerium"],
    "LOC": ["Lombardia", "Brescia", "Sachsen", "Chemnitz"],
    "PER": ["Anna Rinaldi"],
}


@pytest.fixture(scope="module")
def pipelines():
    patterns = [{"label": label, "pattern": name} for label, names in NAMES.items() for name in names]
    return {"it": ruler_pipeline("it", patterns), "de": ruler_pipeline("de", patterns)}


def investments(pipelines, text, lang):
    doc = pipelines[lang](text)
    linker = Linker()
    linked = linker.link_document(doc_mentions(doc), lang, "doc1")
    found = extract_facts(doc, linked, linker.entities, lang, "doc1").investments
    name = {iri: min(entity.names)[0] for iri, entity in linker.entities.items()}
    return [
        (i.kind, tuple(name[x] for x in i.investors), name[i.target], tuple((a.value, a.currency) for a in i.amounts))
        for i in found
    ], found


M = Decimal(1_000_000)


@pytest.mark.parametrize("lang, text, expected", [
    ("it", "Ferrovento investirà 1,2 miliardi di euro in Lombardia entro il 2028.",
     ("capex", ("Ferrovento",), "Lombardia", ((1200 * M, "EUR"),))),
    ("de", "Insgesamt 2 Milliarden Euro investiert Ferrovento in ein neues Werk in Sachsen.",
     ("capex", ("Ferrovento",), "Sachsen", ((2000 * M, "EUR"),))),
    ("it", "Valcadore acquisisce Nordlicht Robotik per 300 milioni di euro.",
     ("acquisition", ("Valcadore",), "Nordlicht Robotik", ((300 * M, "EUR"),))),
    ("it", "Nordlicht Robotik viene rilevata da Valcadore per 300 milioni di euro.",
     ("acquisition", ("Valcadore",), "Nordlicht Robotik", ((300 * M, "EUR"),))),
    ("it", "Ferrovento vende Nordlicht Robotik a Valcadore per 80 milioni di euro.",
     ("acquisition", ("Valcadore",), "Nordlicht Robotik", ((80 * M, "EUR"),))),
    ("de", "Valcadore übernimmt Nordlicht Robotik für 1,2 Mrd. Euro.",
     ("acquisition", ("Valcadore",), "Nordlicht Robotik", ((1200 * M, "EUR"),))),
    ("de", "Nordlicht Robotik wurde mehrheitlich an Valcadore verkauft.",
     ("acquisition", ("Valcadore",), "Nordlicht Robotik", ())),
    ("it", "Brivio Capitale ha acquistato una quota del 20% in Nordlicht Robotik per 45 milioni di euro.",
     ("stake", ("Brivio Capitale",), "Nordlicht Robotik", ((45 * M, "EUR"),))),
    ("de", "Valcadore hat seine Beteiligung an Nordlicht Robotik auf 29,9 Prozent aufgestockt.",
     ("stake", ("Valcadore",), "Nordlicht Robotik", ())),
    ("it", "Via libera all'investimento di Brivio Capitale e di Valcadore in Nordlicht Robotik.",
     ("stake", ("Brivio Capitale", "Valcadore"), "Nordlicht Robotik", ())),
    ("it", "Nordlicht Robotik ha chiuso un round di Serie A da 12 milioni di euro guidato da Kessel Ventures.",
     ("funding_round", ("Kessel Ventures",), "Nordlicht Robotik", ((12 * M, "EUR"),))),
    ("de", "Nordlicht Robotik hat umgerechnet 12,3 Millionen Euro (15 Millionen US-Dollar) eingesammelt.",
     ("funding_round", (), "Nordlicht Robotik", ((Decimal("12.3") * M, "EUR"), (15 * M, "USD")))),
    ("it", "Il Ministero delle Imprese ha stanziato un contributo di 50 milioni di euro per lo stabilimento di Ferrovento a Brescia.",
     ("public_funding", ("Ministero delle Imprese",), "Ferrovento", ((50 * M, "EUR"),))),
    ("it", "Ferrovento prevede investimenti per 80 miliardi in Lombardia.",
     ("capex", ("Ferrovento",), "Lombardia", ((80_000 * M, None),))),
])
def test_one_investment_of_each_kind(pipelines, lang, text, expected):
    assert investments(pipelines, text, lang)[0] == [expected]


@pytest.mark.parametrize("lang, text", [
    ("it", "Brivio Capitale detiene il 33% di Nordlicht Robotik."),  # ownership as it stands
    ("de", "Ferrovento müsste 5 Milliarden Euro in Sachsen investieren, um mitzuhalten."),  # an estimate of needs
    ("it", "Ferrovento ha chiuso il 2024 con ricavi per 2 miliardi di euro in Lombardia."),  # revenue
    ("de", "Nordlicht Robotik wird mit 200 Millionen Euro bewertet, sagt Kessel Ventures."),  # a valuation
    ("it", "Ferrovento ha approvato un dividendo di 300 milioni di euro per i soci di Lombardia."),  # a dividend
    ("de", "Der Markt für Roboter in Sachsen wächst auf 4 Milliarden Euro, investiert wird wenig."),  # market size
    ("de", "Nordlicht Robotik erhält den Zuschlag für 30 Millionen Euro von Ferrovento."),  # a contract award
    ("it", "Ferrovento si aggiudica una commessa da 30 milioni di euro da Valcadore in Lombardia."),  # an order won
    ("it", "Ferrovento vuole vendere a Valcadore parte della sua rete in Lombardia."),  # sells no company
    ("de", "Ferrovento will einen Teil seines Netzes an Valcadore verkaufen."),
])
def test_traps_are_not_investments(pipelines, lang, text):
    assert investments(pipelines, text, lang)[0] == []


def test_round_valuation_is_not_an_amount_of_the_round(pipelines):
    found, _ = investments(pipelines, "Nordlicht Robotik ha raccolto 12 milioni di euro, che le attribuiscono una valutazione di 200 milioni.", "it")
    assert found == [("funding_round", (), "Nordlicht Robotik", ((12 * M, "EUR"),))]


def test_lead_investor_and_participants_in_the_next_sentences(pipelines):
    text = ("Das Start-up Nordlicht Robotik hat 15 Millionen Euro eingesammelt. "
            "Angeführt wurde die Runde von Kessel Ventures. Auch Anna Rinaldi und Alpenfonds beteiligten sich.")
    found, claims = investments(pipelines, text, "de")
    assert found == [("funding_round", ("Kessel Ventures",), "Nordlicht Robotik", ((15 * M, "EUR"),))]
    assert len(claims[0].participants) == 2 and len(claims[0].evidence) == 3


def test_sub_allocation_splits_public_funding_among_funders(pipelines):
    text = ("Das Bundeswirtschaftsministerium fördert das Werk von Ferrovento in Chemnitz mit 600 Millionen Euro. "
            "Davon entfallen 450 Millionen Euro auf den Bund und 150 Millionen Euro auf das Land Sachsen.")
    found, _ = investments(pipelines, text, "de")
    assert found == [
        ("public_funding", ("Bundeswirtschaftsministerium",), "Ferrovento", ((600 * M, "EUR"),)),
        ("public_funding", ("Sachsen",), "Ferrovento", ((150 * M, "EUR"),)),
    ]


def test_share_status_and_maximum(pipelines):
    _, claims = investments(pipelines, "Secondo indiscrezioni, Brivio Capitale potrebbe acquistare una quota del 20% in Nordlicht Robotik.", "it")
    assert [(c.kind, c.share, c.status) for c in claims] == [("stake", Decimal(20), LEX["status-reported"])]
    _, claims = investments(pipelines, "Valcadore acquisisce Nordlicht Robotik per 300 milioni di euro, che potranno salire fino a 400 milioni.", "it")
    # the euro stated for the first amount goes on to the second, a maximum
    assert claims[0].amounts == (Amount(300 * M, "EUR"), Amount(400 * M, "EUR", maximum=True))
    assert claims[0].status == LEX["status-announced"]


def test_context_investor_for_a_sentence_without_one(pipelines):
    text = "Ferrovento costruirà un impianto in Lombardia. L'azienda investirà 700 milioni di euro nel progetto."
    found, claims = investments(pipelines, text, "it")
    assert found == [("capex", ("Ferrovento",), "Lombardia", ((700 * M, "EUR"),))]
    assert claims[0].confidence == Decimal("0.7")


def test_price_of_the_deal_in_the_next_sentence(pipelines):
    text = ("Valcadore rileva Nordlicht Robotik. "
            "Il prezzo dell'operazione è stato fissato in 90 milioni di euro, che Valcadore pagherà in contanti.")
    found, claims = investments(pipelines, text, "it")
    assert found == [("acquisition", ("Valcadore",), "Nordlicht Robotik", ((90 * M, "EUR"),))]
    assert len(claims[0].evidence) == 2


def test_no_price_from_an_unrelated_later_sentence(pipelines):
    text = "Valcadore rileva Nordlicht Robotik. Ferrovento ha chiuso l'anno con ricavi per 90 milioni di euro."
    assert investments(pipelines, text, "it")[0] == [("acquisition", ("Valcadore",), "Nordlicht Robotik", ())]


def test_capex_target_is_the_first_place_after_in(pipelines):
    found, _ = investments(pipelines, "Ferrovento investiert 300 Millionen Euro in Chemnitz in Sachsen.", "de")
    assert found == [("capex", ("Ferrovento",), "Chemnitz", ((300 * M, "EUR"),))]


def test_context_place_from_the_project_named_before(pipelines):
    text = ("Das Bundeswirtschaftsministerium fördert das Werk von Ferrovento in Chemnitz mit 600 Millionen Euro. "
            "Bisher hat das Unternehmen bereits 80 Millionen Euro in das Projekt investiert.")
    found, _ = investments(pipelines, text, "de")
    assert found[1] == ("capex", ("Ferrovento",), "Chemnitz", ((80 * M, "EUR"),))


def test_round_name_and_a_period_counted_from_the_article_date(pipelines):
    text = ("Pubblicato il 3 marzo 2025\n\n"
            "Nordlicht Robotik ha chiuso un round di Serie B da 30 milioni di euro.\n\n"
            "Ferrovento investirà 200 milioni di euro in Lombardia nei prossimi tre anni.")
    _, claims = investments(pipelines, text, "it")
    by_kind = {c.kind: c for c in claims}
    assert by_kind["funding_round"].round_name == "Serie B"
    _, claims = investments(pipelines, "Nordlicht Robotik hat in einer Series-A-Finanzierungsrunde 20 Millionen Euro eingesammelt.", "de")
    assert [c.round_name for c in claims] == ["Series-A"]
    assert by_kind["capex"].deadline == 2028
    text = "Veröffentlicht: 3. März 2025\n\nFerrovento investiert innerhalb der nächsten 5 bis 15 Jahre 2 Milliarden Euro in Sachsen."
    _, claims = investments(pipelines, text, "de")
    assert [c.deadline for c in claims] == [2040]


def test_no_deadline_from_a_period_without_the_article_date(pipelines):
    _, claims = investments(pipelines, "Ferrovento investirà 200 milioni di euro in Lombardia nei prossimi tre anni.", "it")
    assert [c.deadline for c in claims] == [None]


@pytest.mark.parametrize("lang, text, expected", [
    ("it", "Valcadore acquisisce il 60% di Nordlicht Robotik per 90 milioni di euro.",
     [("stake", ("Valcadore",), "Nordlicht Robotik", ((90 * M, "EUR"),))]),
    ("de", "Valcadore übernimmt 75 Prozent an Nordlicht Robotik.", [("stake", ("Valcadore",), "Nordlicht Robotik", ())]),
    ("de", "Das Start-up Nordlicht Robotik erhält 8 Millionen Euro von Kessel Ventures.",
     [("funding_round", ("Kessel Ventures",), "Nordlicht Robotik", ((8 * M, "EUR"),))]),
    ("de", "Ferrovento erhält einen Auftrag über 80 Millionen Euro von Valcadore.", []),  # an order, no investment
    ("it", "Valcadore acquisisce il 100% di Nordlicht Robotik.", [("acquisition", ("Valcadore",), "Nordlicht Robotik", ())]),
])
def test_shares_bought_and_money_received(pipelines, lang, text, expected):
    assert investments(pipelines, text, lang)[0] == expected


@pytest.mark.parametrize("lang, text, expected", [
    ("de", "Valcadore war im großen Stil bei Nordlicht Robotik eingestiegen.", [("stake", ("Valcadore",), "Nordlicht Robotik", ())]),
    ("it", "Il Ministero delle Imprese ha stanziato 40 milioni di euro per Ferrovento.",
     [("public_funding", ("Ministero delle Imprese",), "Ferrovento", ((40 * M, "EUR"),))]),
    ("it", "Ferrovento ha stanziato 40 milioni di euro per l'impianto di Brescia.",  # no public funder: capex
     [("capex", ("Ferrovento",), "Brescia", ((40 * M, "EUR"),))]),
    ("it", "Ferrovento ha annunciato un investimento di 60 milioni di euro nello stabilimento di Brescia.",
     [("capex", ("Ferrovento",), "Brescia", ((60 * M, "EUR"),))]),
])
def test_more_ways_to_say_it(pipelines, lang, text, expected):
    assert investments(pipelines, text, lang)[0] == expected


def test_public_funding_for_a_company_named_by_a_description(pipelines):
    text = ("Ferrovento baut ein Werk in Chemnitz. "
            "Die Ansiedlung des Batterieherstellers in Chemnitz fördert das Bundeswirtschaftsministerium mit 50 Millionen Euro.")
    found, claims = investments(pipelines, text, "de")
    assert found == [("public_funding", ("Bundeswirtschaftsministerium",), "Ferrovento", ((50 * M, "EUR"),))]
    assert claims[0].confidence == Decimal("0.7")
    found, _ = investments(pipelines, "Il Ministero delle Imprese ha stanziato 40 milioni di euro per il porto di Brescia.", "it")
    assert found == [("public_funding", ("Ministero delle Imprese",), "Brescia", ((40 * M, "EUR"),))]


def test_the_business_bought_is_the_one_named(pipelines):
    text = "Valcadore acquisirà le attività robotiche di Ferrovento, denominate Nordlicht Robotik, per 90 milioni di euro."
    assert investments(pipelines, text, "it")[0] == [("acquisition", ("Valcadore",), "Nordlicht Robotik", ((90 * M, "EUR"),))]


def test_a_buyer_named_in_the_sentence_before(pipelines):
    text = ("Valcadore è andata avanti a colpi di acquisizioni. "
            "A maggio ha acquisito l'azienda francese di software per la logistica Tramontana, pagata 40 milioni di euro.")
    found, claims = investments(pipelines, text, "it")
    assert found == [("acquisition", ("Valcadore",), "Tramontana", ((40 * M, "EUR"),))]
    assert claims[0].confidence == Decimal("0.7")
