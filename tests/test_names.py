"""Entities the statistical NER misses or invents: name lists, introducing nouns, precision traps.

A ruler stands in for the statistical NER (its mistakes are written into it on purpose), so the
tests check the components after it, in Italian and German, with sentences of our own.
"""

import pytest

from kg.mentions import doc_mentions

from .conftest import ruler_pipeline

NER_GUESSES = [
    {"label": "PER", "pattern": "Stellantis"},       # a company the NER calls a person
    {"label": "ORG", "pattern": "Germania"},         # a country it calls an organisation
    {"label": "LOC", "pattern": "Voltaris"},         # a company it calls a place
    {"label": "PER", "pattern": "Klaus Hommels"},
    {"label": "ORG", "pattern": "KI-Revolution"},
    {"label": "LOC", "pattern": "Münchner"},
    {"label": "ORG", "pattern": "GPU"},
    {"label": "LOC", "pattern": "Kreis Dithmarschen"},
    {"label": "LOC", "pattern": "Deutschlands"},
    {"label": "ORG", "pattern": "Fabbrica Lumen"},
    {"label": "ORG", "pattern": "Fabbrica Lumens"},
    {"label": "PER", "pattern": "Lanterna Rossa"},   # companies the NER calls persons
    {"label": "PER", "pattern": "Silberfisch"},
    {"label": "LOC", "pattern": "Selon"},             # a preposition opening a sentence
]


@pytest.fixture(scope="module")
def nlps():
    return {"it": ruler_pipeline("it", NER_GUESSES), "de": ruler_pipeline("de", NER_GUESSES)}


def names(nlps, lang, text):
    return [(m.text, m.label) for m in doc_mentions(nlps[lang](text))]


def test_listed_places_and_companies_fill_gaps_and_fix_labels(nlps):
    found = names(nlps, "it", "Stellantis produrrà a Magdeburgo, in Germania, con Tencent.")
    assert found == [("Stellantis", "ORG"), ("Magdeburgo", "LOC"), ("Germania", "LOC"), ("Tencent", "ORG")]


def test_lists_match_names_not_words(nlps):
    assert names(nlps, "it", "magdeburgo e tencent scritti in minuscolo non sono nomi.") == []


@pytest.mark.parametrize("lang, text, expected", [
    ("it", "Ha investito la startup dei pagamenti Nuvolaria.", [("Nuvolaria", "ORG")]),  # after the noun's complement
    ("it", "Ha acquisito l'azienda tedesca di software per la logistica Tramontana, pagata poco.", [("Tramontana", "ORG")]),
    ("it", "Cresce la società di consulenza di Brescia.", [("Brescia", "LOC")]),  # the complement's place stays one
    ("it", "Lo ha comprato il fondo statunitense Brenta Partners per pochi soldi.", [("Brenta Partners", "ORG")]),
    ("it", "La startup Nuvolaria ha chiuso un round.", [("Nuvolaria", "ORG")]),
    ("de", "Die Fabrik des schwedischen Batterieherstellers Voltaris steht in Heide.", [("Voltaris", "ORG"), ("Heide", "LOC")]),
    ("de", "Der Onlinebroker Handelswerk Neun folgte auf Platz zwei.", [("Handelswerk Neun", "ORG")]),
    ("de", "Das Geld kommt vom Investor Klaus Hommels und den Bestandsinvestoren Brenta Partners, 471 Capital und Kiefer Ventures.",
     [("Klaus Hommels", "PER"), ("Brenta Partners", "ORG"), ("471 Capital", "ORG"), ("Kiefer Ventures", "ORG")]),
])
def test_nouns_that_introduce_organisation_names(nlps, lang, text, expected):
    assert names(nlps, lang, text) == expected


def test_precision_traps(nlps):
    text = "Der Münchner Tech-Finanzierer glaubt an die KI-Revolution und kauft GPU für den Kreis Dithmarschen."
    assert names(nlps, "de", text) == [("Dithmarschen", "LOC")]


def test_a_function_word_opening_a_sentence_is_no_name():
    french = {"fr": ruler_pipeline("fr", NER_GUESSES)}
    assert names(french, "fr", "Selon Klaus Hommels, le marché croît.") == [("Klaus Hommels", "PER")]


def test_german_genitive_takes_the_base_form(nlps):
    assert names(nlps, "de", "Deutschlands Anteil wächst.") == [("Deutschland", "LOC")]
    assert names(nlps, "de", "Fabbrica Lumen wächst. Fabbrica Lumens Werk steht.") == [("Fabbrica Lumen", "ORG"), ("Fabbrica Lumen", "ORG")]


def test_a_name_tagged_once_is_tagged_throughout_with_its_majority_label(nlps):
    text = "Il fondo Brenta Partners investe. Brenta Partners cresce. La banca loda Brenta Partners."
    assert names(nlps, "it", text) == [("Brenta Partners", "ORG")] * 3
    text = "Voltaris cresce. La società Voltaris assume. Il gruppo Voltaris investe."  # NER: LOC once, cues: ORG twice
    assert names(nlps, "it", text) == [("Voltaris", "ORG")] * 3


def test_compound_of_a_name_and_an_organisation_noun(nlps):
    assert names(nlps, "de", "Die Lumenwerk-Gruppe baut. Das KI-Startup wächst.") == [("Lumenwerk-Gruppe", "ORG")]


def test_a_listed_word_that_begins_a_longer_name_is_not_tagged_alone(nlps):
    assert names(nlps, "de", "Das Geld geht in das Magdeburgo Rechenwerk und nach Magdeburgo.") == [("Magdeburgo", "LOC")]


def test_an_ordinary_capitalised_word_is_no_name_after_an_introducing_noun(nlps):
    assert names(nlps, "de", "Das Unternehmen Anfang des Jahres wuchs, der Konzern Ende März auch.") == []


def test_a_glued_period_ends_no_sentence_and_stays_in_the_name(nlps):
    doc = nlps["de"]("Die Biotech-Firma Heliora.Bio hat Geld. Sie wächst.")
    assert [s.text for s in doc.sents] == ["Die Biotech-Firma Heliora.Bio hat Geld.", "Sie wächst."]
    assert [(m.text, m.label) for m in doc_mentions(doc)] == [("Heliora.Bio", "ORG")]


@pytest.mark.parametrize("lang, text, expected", [
    ("de", "Angeführt wurde die Runde von Kiefer Ventures.", [("Kiefer Ventures", "ORG")]),
    ("it", "Il round è stato guidato da Brenta Partners.", [("Brenta Partners", "ORG")]),
    ("de", "Das Werk wurde von Anfang an geplant.", []),  # "von" without a lead word introduces no name
])
def test_the_lead_investor_after_a_lead_word(nlps, lang, text, expected):
    assert names(nlps, lang, text) == expected


@pytest.mark.parametrize("lang, text, full, acronym", [
    ("it", "Il fondo Brenta Partners (BP) investe. Poi BP vende.", "Brenta Partners", "BP"),
    ("it", "Lo Stato possiede il 10% tramite Cassa Ferroviaria e Prestiti (CFP). CFP investe.", "Cassa Ferroviaria e Prestiti", "CFP"),
    ("de", "Die Rheinische Netz Gesellschaft (RNG) baut in Köln. Die RNG investiert.", "Rheinische Netz Gesellschaft", "RNG"),
    ("it", "La cessione al fondo KVB (Kiefer Venture Brothers & Co) è chiusa. KVB paga.", "Kiefer Venture Brothers & Co", "KVB"),
])
def test_a_full_name_and_its_acronym_are_one_entity(nlps, lang, text, full, acronym):
    from kg.linking import Linker

    doc = nlps[lang](text)
    linker = Linker()
    linked = linker.link_document(doc_mentions(doc), lang, "doc1")
    assert {link.iri for link in linked if link.mention.label != "LOC"} == {linked[0].iri}
    assert {full, acronym} <= {name for name, _lang in linker.entities[linked[0].iri].names}


def test_parentheses_without_an_acronym_of_the_name_before_are_no_alias(nlps):
    doc = nlps["it"]("Il fatturato (IVA esclusa) cresce con Brenta Partners (RNG).")
    assert "invest_kg.aliases" not in doc.user_data


@pytest.mark.parametrize("text, expected", [
    ("Der frühere Lumenwerk-Manager Anna Rinaldi wechselt.", [("Lumenwerk", "ORG")]),
    ("Der Voltaris-Gründer sagt es.", [("Voltaris", "ORG")]),
    ("Die KI-Chefin sagt es.", []),  # a generic first part names nothing
    ("Zwei Feldmark-Europachefinnen sagen es.", [("Feldmark", "ORG")]),  # feminine plural of a role compound
])
def test_a_role_compound_names_the_organisation(nlps, text, expected):
    assert [n for n in names(nlps, "de", text) if n[1] == "ORG"] == expected


def test_a_dateline_gives_places_and_an_agency_and_no_facts(nlps):
    doc = nlps["de"]("BREMEN/HANNOVER (dpa-AFX) - Valcadore investiert 5 Millionen Euro in Bremen.")
    found = [(m.text, m.label) for m in doc_mentions(doc)]
    assert found[:3] == [("Bremen", "LOC"), ("Hannover", "LOC"), ("dpa-AFX", "ORG")]
    assert [s.text for s in doc.sents][0] == "BREMEN/HANNOVER (dpa-AFX) -"
    doc = nlps["it"]("Il gruppo (in crescita) - dice il testo - investe.")  # parentheses mid-sentence: no dateline
    assert [(m.text, m.label) for m in doc_mentions(doc)] == []


@pytest.mark.parametrize("lang, text, expected", [
    ("it", "Nel frattempo Brenta Partners è cresciuta molto.", [("Brenta Partners", "ORG")]),
    ("it", "Lo ha detto la controllata NordCom ieri.", [("NordCom", "ORG")]),
    ("it", "Il Governo approva e il Presidente e AD firma.", []),  # single plain words and short acronyms
    ("de", "Die Schöne Neue Fabrik wächst.", []),  # German capitalises every noun: no such rule
])
def test_capitalised_words_inside_an_italian_sentence_are_names(nlps, lang, text, expected):
    assert names(nlps, lang, text) == expected


@pytest.mark.parametrize("lang, text, expected", [
    ("it", "Lanterna Rossa cresce in fretta. Secondo Anna, Lanterna Rossa è una piccola startup.",
     [("Lanterna Rossa", "ORG"), ("Anna", "PER"), ("Lanterna Rossa", "ORG")]),
    ("de", "Silberfisch wächst. Silberfisch ist ein Softwareunternehmen aus Heide.",
     [("Silberfisch", "ORG"), ("Silberfisch", "ORG"), ("Heide", "LOC")]),
    ("it", "Secondo Anna, Rossi è un imprenditore.", [("Anna", "PER")]),  # a person's noun makes no organisation
])
def test_a_name_said_to_be_a_company_is_one_throughout_the_document(nlps, lang, text, expected):
    assert names(nlps, lang, text) == expected


@pytest.mark.parametrize("lang, text, expected", [
    ("it", "Anche Quarvix, una startup di Bergamo, partecipa al round.", [("Quarvix", "ORG"), ("Bergamo", "LOC")]),
    ("de", "Auch Quarvix, ein Softwarehersteller aus Köln, beteiligt sich.", [("Quarvix", "ORG"), ("Köln", "LOC")]),
    ("de", "Brellmax ist ein Start-up. Die Firma ist ein Zulieferer.", [("Brellmax", "ORG")]),  # "Firma" is a noun
    ("de", "Das sagte Herr Meyer, eine Firma wolle nicht bauen.", [("Meyer", "PER")]),  # a person stays one
])
def test_a_name_in_apposition_to_a_company_noun_is_a_company(nlps, lang, text, expected):
    assert names(nlps, lang, text) == expected


@pytest.mark.parametrize("lang, text, expected", [
    ("it", "Ieri Quarvix, con sede a Bergamo, ha annunciato il round.", [("Quarvix", "ORG"), ("Bergamo", "LOC")]),
    ("de", "Gestern teilte Quarvix mit Sitz in Köln mit, dass es wächst.", [("Quarvix", "ORG"), ("Köln", "LOC")]),
    ("de", "Gestern wuchs die Kommunikationstechnik mit Sitz in Köln.", [("Köln", "LOC")]),  # a compound noun
])
def test_the_name_before_its_seat_is_an_organisation(nlps, lang, text, expected):
    assert names(nlps, lang, text) == expected
