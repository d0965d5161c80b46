"""The name-list marks the bundled NER's tok2vec reads (kg/name_features.py)."""

import numpy
import pytest
import spacy
from spacy.util import registry

from kg.name_features import FEATURES_KEY, NameFeatures, read_words


@pytest.fixture
def features(tmp_path):
    places = tmp_path / "places.tsv"
    places.write_text("name\tlabel\tsource\nBad Harzfeld\tLOC\ttest\nHarzfeld\tLOC\ttest\nSan Remolo di Sopra\tLOC\ttest\n")
    companies = tmp_path / "orgs.txt"  # KIND's gazetteer format
    companies.write_text("ORG Fennmark Holding\nORG Banca Ferroni\nMISC Not A Company\n")
    given = tmp_path / "given.txt"
    given.write_text("Orsola\nwalburga\nHENRIETTA      0.004 0.004  3\n")  # lower or upper case reads as names
    component = NameFeatures()
    component.initialize(names=[str(places), str(companies)], words={"FIRST": [str(given)]}, nlp=spacy.blank("de"))
    return component


def test_names_mark_their_words_and_single_words_themselves(features):
    words = "La Banca Ferroni apre a San Remolo di Sopra , dice Orsola".split()
    assert features.marks(words) == [set(), {"B-ORG"}, {"I-ORG"}, set(), set(), {"B-LOC"}, {"I-LOC"}, {"I-LOC"},
                                     {"I-LOC"}, set(), set(), {"FIRST"}]
    assert features.marks(["Walburga", "Fennmark", "Holding", "Henrietta"]) == [{"FIRST"}, {"B-ORG"}, {"I-ORG"}, {"FIRST"}]


def test_names_are_split_as_the_pipeline_splits_text(tmp_path):
    """Italian splits "Valle d'Orsena" into "Valle", "d'", "Orsena"; the name is found in those words."""
    places = tmp_path / "places.tsv"
    places.write_text("name\tlabel\tsource\nValle d'Orsena\tLOC\ttest\n")
    component = NameFeatures()
    nlp = spacy.blank("it")
    component.initialize(names=[str(places)], nlp=nlp)
    words = [token.text for token in nlp.make_doc("in Valle d'Orsena")]
    assert component.marks(words) == [set(), {"B-LOC"}, {"I-LOC"}, {"I-LOC"}]


def test_initialize_needs_the_pipeline():
    with pytest.raises(ValueError, match="needs the pipeline"):
        NameFeatures().initialize(names=[])


def test_longest_name_wins_and_names_inside_it_are_not_marked_again(features):
    assert features.marks(["in", "Bad", "Harzfeld", "und", "Harzfeld"]) == [set(), {"B-LOC"}, {"I-LOC"}, set(), {"B-LOC"}]


def test_matching_is_case_sensitive_and_labels_other_than_names_are_ignored(features):
    assert features.marks(["banca", "ferroni", "Not", "A", "Company"]) == [set()] * 5


def test_marks_are_hashed_into_the_doc_and_survive_saving(features, tmp_path):
    nlp = spacy.blank("de")
    doc = features(nlp.make_doc("Orsola kam nach Bad Harzfeld"))
    column = doc.user_data[FEATURES_KEY]
    assert len(column) == 5 and column[1] == 0 and column[0] != 0 and column[3] != column[4] != 0
    features.to_disk(tmp_path / "saved")
    again = NameFeatures().from_disk(tmp_path / "saved")
    assert list(again(nlp.make_doc("Orsola kam nach Bad Harzfeld")).user_data[FEATURES_KEY]) == list(column)
    assert list(NameFeatures().from_bytes(features.to_bytes())(nlp.make_doc("Orsola")).user_data[FEATURES_KEY]) == [column[0]]


def test_the_saved_lists_are_hashes_not_the_names(features):
    """The source lists are read at training, not redistributed inside the pipeline."""
    saved = features.to_bytes()
    assert b"Harzfeld" not in saved and b"Ferroni" not in saved and b"Orsola" not in saved
    assert NameFeatures().from_bytes(saved).marks(["Banca", "Ferroni"]) == [{"B-ORG"}, {"I-ORG"}]


def test_read_words_capitalises_and_skips_comments(tmp_path):
    path = tmp_path / "w.txt"
    path.write_text("# a comment\nabaco\nMüller\tfreq\n\nMcAuley\n")
    assert read_words(path) == ["Abaco", "Müller", "McAuley"]


def test_the_embedding_reads_the_marks(features):
    """Two documents of the same words with other marks embed differently; with none, as zeros' row."""
    embed = registry.architectures.get("invest.NameListEmbed.v1")(
        width=16, attrs=["NORM", "SHAPE"], rows=[100, 50], name_rows=20, name_width=8)
    nlp = spacy.blank("de")
    plain = nlp.make_doc("Orsola kam nach Bad Harzfeld")
    marked = features(nlp.make_doc("Orsola kam nach Bad Harzfeld"))
    embed.initialize(X=[plain, marked])
    vectors = embed.predict([plain, marked])
    assert vectors[0].shape == (5, 16)
    assert not numpy.allclose(vectors[0][0], vectors[1][0])  # "Orsola": FIRST
    assert numpy.allclose(vectors[0][1], vectors[1][1])  # "kam": no mark in either

