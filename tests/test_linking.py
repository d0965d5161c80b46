from kg.linking import FUZZY_THRESHOLD, Linker, normalise
from kg.mentions import Mention
from kg.resources import INV, KGR


def mention(text, label, sentence=0):
    return Mention(text, label, 0, len(text), sentence, "")


def link(linker, texts_labels, lang="it", doc="d1"):
    return [l.iri for l in linker.link_document([mention(t, l, i) for i, (t, l) in enumerate(texts_labels)], lang, doc)]


def test_normalise_ignores_case_accents_punctuation_and_word_order():
    assert normalise("Agglomération Mulhouse-Alsace") == normalise("mulhouse alsace AGGLOMERATION")
    assert normalise("Microsoft") != normalise("Microsoft France")


def test_country_names_across_languages_are_one_node():
    linker = Linker()
    italian = link(linker, [("Francia", "LOC")], "it", "a")
    german = link(linker, [("Frankreich", "LOC")], "de", "b")
    assert italian == german == [KGR.france]
    assert linker.entities[KGR.france].names == {("Francia", "it"): 1, ("Frankreich", "de"): 1}


def test_country_outside_catalogue_gets_iso_iri_from_any_language():
    linker = Linker()
    assert link(linker, [("Germania", "LOC")], "it") == link(linker, [("Deutschland", "LOC")], "de", "d2")
    assert linker.entities[KGR["country/de"]].types == {INV.Country}


def test_subsidiary_stays_apart_from_parent():
    linker = Linker()
    assert link(linker, [("Microsoft", "ORG"), ("Microsoft France", "ORG")]) == [KGR.microsoft, KGR["microsoft-france"]]


def test_short_form_of_a_person_in_the_same_document():
    linker = Linker()
    assert link(linker, [("Anna Rossi", "PER"), ("Rossi", "PER")]) == [KGR["person/anna-rossi"]] * 2
    # in another document, "Rossi" alone is not Anna Rossi
    assert link(linker, [("Rossi", "PER")], doc="d2") == [KGR["person/rossi"]]


def test_person_named_like_a_city_is_not_the_city():
    linker = Linker()
    assert link(linker, [("Paris Hilton", "PER"), ("Parigi", "LOC")]) == [KGR["person/hilton-paris"], KGR.paris]


def test_fuzzy_match_joins_a_misspelling_but_not_a_different_name():
    linker = Linker()
    assert FUZZY_THRESHOLD >= 90
    assert link(linker, [("Mulhouse Alsace Agglomeratoin", "ORG")]) == [KGR["mulhouse-alsace-agglomeration"]]
    assert link(linker, [("Microsoft Italia", "ORG")]) == [KGR["org/italia-microsoft"]]


def test_a_german_name_opening_with_an_adjective_is_one_node_in_all_its_cases():
    linker = Linker()
    banks = link(linker, [("Deutsche Bank", "ORG")], "de", "a") + link(linker, [("Deutschen Bank", "ORG")], "de", "b")
    assert banks[0] == banks[1] != link(linker, [("Ostdeutschen Bank", "ORG")], "de", "c")[0]
    assert link(linker, [("Europäischen Union", "ORG")], "de", "d") == [KGR["european-union"]]  # the catalogue's "Europäische Union"


def test_new_entities_have_deterministic_iris():
    first = link(Linker(), [("Acme Robotica SpA", "ORG")])
    second = link(Linker(), [("robotica ACME SpA", "ORG")])
    assert first == second == [KGR["org/acme-robotica-spa"]]


def test_two_people_sharing_a_surname_stay_apart_and_the_bare_surname_is_not_guessed():
    linker = Linker()
    linked = link(linker, [("Anna Rossi", "PER"), ("Marco Rossi", "PER"), ("Rossi", "PER")])
    assert linked == [KGR["person/anna-rossi"], KGR["person/marco-rossi"]]


def test_subsidiary_named_after_parent_and_country():
    linker = Linker()
    assert link(linker, [("Microsoft Italia", "ORG")]) == [KGR["org/italia-microsoft"]]
    subsidiary = linker.entities[KGR["org/italia-microsoft"]]
    assert subsidiary.parent == KGR.microsoft and subsidiary.types == {INV.Company}
    assert KGR.microsoft not in linker.entities  # the parent itself was not mentioned


def test_cue_words_refine_new_entity_types():
    linker = Linker()
    mentions = [
        Mention("Acme", "ORG", 0, 4, 0, "", "la startup"),
        Mention("Politecnico di Bari", "ORG", 0, 4, 1, "", "presso il"),
        Mention("Lecce", "LOC", 0, 4, 2, "", "la città di"),
        Mention("Zeta", "ORG", 0, 4, 3, "", "grazie a"),
    ]
    linker.link_document(mentions, "it", "d1")
    types = {iri: entity.types for iri, entity in linker.entities.items()}
    assert types == {
        KGR["org/acme"]: {INV.Startup},
        KGR["org/bari-di-politecnico"]: {INV.EducationalOrganization},
        KGR["place/lecce"]: {INV.City},
        KGR["org/zeta"]: {INV.Organization},
    }


def test_a_later_cue_narrows_an_earlier_type():
    linker = Linker()
    linker.link_document([Mention("Gamma", "ORG", 0, 5, 0, "", "")], "de", "d1")
    linker.link_document([Mention("Gamma", "ORG", 0, 5, 0, "", "das Start-up")], "de", "d2")
    assert linker.entities[KGR["org/gamma"]].types == {INV.Startup}


def test_a_person_is_not_linked_to_a_place_of_the_same_name():
    linker = Linker()
    assert link(linker, [("Paris", "PER"), ("Paris", "LOC")]) == [KGR["person/paris"], KGR.paris]


def test_a_catalogue_of_ones_own(tmp_path):
    """Resources name the data the rules read: a build with a catalogue of one's own links to it."""
    from rdflib import OWL

    from kg.build import build_graph
    from kg.resources import CATALOGUE, WD, Resources

    catalogue = tmp_path / "catalogue.ttl"
    catalogue.write_text(CATALOGUE.read_text(encoding="utf-8")
                         + '\nkgr:ferrovento a inv:Company ; skos:prefLabel "Ferrovento"@it ; owl:sameAs wd:Q4115189 .\n',
                         encoding="utf-8")
    article = tmp_path / "it-ferrovento.txt"
    article.write_text("La società Ferrovento investirà 5 milioni di euro in Francia.\n", encoding="utf-8")
    own = build_graph([article], validate=False, resources=Resources(catalogue_path=catalogue)).graph
    assert (KGR.ferrovento, OWL.sameAs, WD.Q4115189) in own
    assert (KGR.ferrovento, OWL.sameAs, WD.Q4115189) not in build_graph([article], validate=False).graph
