"""French, the third language: every fact type from sentences of our own, names, numbers and dates,
and the seed facts in a French article of our own writing (seeds/sample/fr-microsoft-france.txt).

The rule tests use a ruler as NER (invented names), so they check the rules and the lexicon's
French words; the sample test uses the pipeline French users get (spaCy's fr_core_news_md).
"""

from datetime import date
from decimal import Decimal

import pytest

from kg.facts import extract_facts
from kg.linking import Linker
from kg.mentions import doc_mentions
from kg.resources import KGR, LEX

from .conftest import SAMPLE, ruler_pipeline

NAMES = {
    "ORG": ["Ferrovento", "Valcadore", "Nordlicht Robotik", "Brivio Capitale", "Kessel Ventures", "Ministère de l'Industrie",
            "Bpifrance"],
    "LOC": ["Normandie", "Rouen", "Lyon"],
    "PER": ["Claire Vasseur", "Anna Rinaldi"],
}
M = Decimal(1_000_000)


@pytest.fixture(scope="module")
def nlp_fr_rules():
    return ruler_pipeline("fr", [{"label": label, "pattern": name} for label, names in NAMES.items() for name in names])


def facts(nlp, text):
    doc = nlp(text)
    linker = Linker()
    linked = linker.link_document(doc_mentions(doc), "fr", "doc1")
    found = extract_facts(doc, linked, linker.entities, "fr", "doc1")
    name = {iri: min(entity.names)[0] for iri, entity in linker.entities.items()}
    return found, name


def investments(nlp, text):
    found, name = facts(nlp, text)
    return [(i.kind, tuple(name[x] for x in i.investors), name[i.target], tuple((a.value, a.currency) for a in i.amounts))
            for i in found.investments]


@pytest.mark.parametrize("text, expected", [
    ("Ferrovento investira 1,2 milliard d'euros en Normandie d'ici 2028.",
     ("capex", ("Ferrovento",), "Normandie", ((1200 * M, "EUR"),))),
    ("Valcadore rachète Nordlicht Robotik pour 300 millions d'euros.",
     ("acquisition", ("Valcadore",), "Nordlicht Robotik", ((300 * M, "EUR"),))),
    ("Nordlicht Robotik a été rachetée par Valcadore pour 300 millions d'euros.",
     ("acquisition", ("Valcadore",), "Nordlicht Robotik", ((300 * M, "EUR"),))),
    ("Ferrovento cède Nordlicht Robotik à Valcadore pour 80 millions d'euros.",
     ("acquisition", ("Valcadore",), "Nordlicht Robotik", ((80 * M, "EUR"),))),
    ("Brivio Capitale a pris une participation de 20 % dans Nordlicht Robotik pour 45 millions d'euros.",
     ("stake", ("Brivio Capitale",), "Nordlicht Robotik", ((45 * M, "EUR"),))),
    ("Nordlicht Robotik a bouclé une levée de fonds de série A de 12 millions d'euros menée par Kessel Ventures.",
     ("funding_round", ("Kessel Ventures",), "Nordlicht Robotik", ((12 * M, "EUR"),))),
    ("Le Ministère de l'Industrie accorde une subvention de 50 millions d'euros à l'usine de Ferrovento à Rouen.",
     ("public_funding", ("Ministère de l'Industrie",), "Ferrovento", ((50 * M, "EUR"),))),
])
def test_one_investment_of_each_kind(nlp_fr_rules, text, expected):
    assert investments(nlp_fr_rules, text) == [expected]


@pytest.mark.parametrize("text", [
    "Brivio Capitale détient 33 % de Nordlicht Robotik.",  # ownership as it stands
    "Nordlicht Robotik est valorisée à 200 millions d'euros, selon Kessel Ventures.",  # a valuation
    "Ferrovento a réalisé un chiffre d'affaires de 2 milliards d'euros en Normandie.",  # revenue
    "Ferrovento remporte une commande de 30 millions d'euros de Valcadore à Lyon.",  # an order won
    "Ferrovento devrait investir 5 milliards d'euros en Normandie pour rester dans la course.",  # an estimate of needs
])
def test_traps_are_not_investments(nlp_fr_rules, text):
    assert investments(nlp_fr_rules, text) == []


def test_status_and_period(nlp_fr_rules):
    found, _ = facts(nlp_fr_rules, "Titre\n\nPublié le 17 mai 2024\n\nSelon la presse, Ferrovento pourrait investir 90 millions "
                                   "d'euros en Normandie dans les trois prochaines années.")
    assert found.published == {"doc1": date(2024, 5, 17)}
    [claim] = found.investments
    assert (claim.status, claim.deadline) == (LEX["status-reported"], 2027)


def test_commitments_with_grouped_digits(nlp_fr_rules):
    found, _ = facts(nlp_fr_rules, "D'ici fin 2025, le groupe Ferrovento formera 25 000 personnes en Normandie.")
    assert [(c.quantity, c.unit, c.deadline) for c in found.commitments] == [(Decimal(25_000), LEX["unit-person"], 2025)]


def test_role_facility_and_partnership(nlp_fr_rules):
    text = ("« C'est une étape », a déclaré Claire Vasseur, présidente de Ferrovento. "
            "Le groupe Ferrovento construira un nouveau centre de données à Lyon et agrandira son campus existant à Rouen. "
            "Ferrovento travaille avec la société Kessel Ventures et l'entreprise Valcadore sur un programme pour les étudiants.")
    found, name = facts(nlp_fr_rules, text)
    assert [(name[r.person], name[r.organisation], r.label) for r in found.roles] == [("Claire Vasseur", "Ferrovento", "présidente")]
    assert {(name[f.place], f.status) for f in found.facilities} == {("Lyon", LEX["facility-new"]), ("Rouen", LEX["facility-expansion"])}
    [partnership] = found.partnerships
    assert {name[p] for p in partnership.partners} == {"Kessel Ventures", "Valcadore"}
    assert partnership.audiences == {LEX["audience-students"]}


def test_names_the_ner_misses_after_a_french_noun(nlp_fr_rules):
    doc = nlp_fr_rules("La start-up lyonnaise Pomelune a levé 3 millions d'euros auprès du fonds Azurite Partners.")
    assert [(e.text, e.label_) for e in doc.ents] == [("Pomelune", "ORG"), ("Azurite Partners", "ORG")]


@pytest.fixture(scope="module")
def french_sample():
    from kg.build import build_graph

    return build_graph([SAMPLE / "fr-microsoft-france.txt"])


def test_the_seed_facts_in_a_french_article(french_sample):
    """The seed story, written in French by us, read with spaCy's French pipeline."""
    facts = french_sample.facts
    assert french_sample.validation.conforms
    assert {(i.kind, i.investors, i.target, i.value, i.currency) for i in facts.investments} == {
        ("capex", (KGR.microsoft,), KGR.france, Decimal(4_000_000_000), "EUR"),
        ("stake", (KGR.microsoft,), KGR["mistral-ai"], None, None),
    }
    assert {(c.quantity, c.unit, c.deadline) for c in facts.commitments} == {
        (Decimal(25_000), LEX["unit-gpu"], 2025), (Decimal(1_000_000), LEX["unit-person"], 2027)}
    assert {(f.place, f.status) for f in facts.facilities} == {
        (KGR.paris, LEX["facility-expansion"]), (KGR.marseille, LEX["facility-expansion"]),
        (KGR["mulhouse-alsace-agglomeration"], LEX["facility-new"])}
    assert {(r.person, r.organisation, r.label) for r in facts.roles} == {(KGR["brad-smith"], KGR.microsoft, "président")}
    partners = {p for partnership in facts.partnerships for p in partnership.partners}
    assert partners == {KGR.simplon, KGR.kokoroe, KGR["france-travail"]}
    assert french_sample.pipelines["fr"].name == "fr_core_news_md"
