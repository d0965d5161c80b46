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
