"""The lexicon read from ontology/lexicon.ttl: words per language and across languages."""

from kg.lexicon import Lexicon, load_lexicon


def test_words_in_any_language_joins_every_language_of_a_concept():
    lexicon = Lexicon(word_sets={"particle": {"it": frozenset({"di"}), "en": frozenset({"mc", "di"})}})
    assert lexicon.words_in_any_language("particle") == {"di", "mc"}
    assert lexicon.words("particle", "it") == {"di"}
    assert lexicon.words_in_any_language("unknown-concept") == frozenset()


def test_surname_particles_of_the_shipped_lexicon_span_languages():
    particles = load_lexicon().words_in_any_language("surname-particle")
    assert {"mc", "von", "della", "du"} <= particles
    assert "mc" not in load_lexicon().words("surname-particle", "de")


def test_the_first_names_hold_no_titles_and_no_long_s():
    from kg.components import given_names, role_ending_pattern

    lexicon = load_lexicon()
    roles = role_ending_pattern(tuple(stem for lang in ("it", "de", "en") for stem in lexicon.stems("role", lang) if " " not in stem),
                                shortest_stem=4, head_letters=0)
    names = given_names()
    assert {"Angela", "Wolfgang", "Giuseppe", "Samuel"} <= names
    assert not [name for name in names if "ſ" in name or roles.search(name.lower())]


def test_regions_the_corpora_annotate_are_listed_and_region_names_that_are_words_are_not():
    from kg.components import listed_names

    names = listed_names()
    assert names.get("Tirol") == names.get("Vorarlberg") == names.get("Udine") == "LOC"
    assert "Landes" not in names and "Manche" not in names  # "des Landes", "manche": German words
    assert "Kino" not in names and "Gerne" not in names  # seen once outside names, frequent words
