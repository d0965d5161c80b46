from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "seeds" / "sample"
SHARED_SEEDS = ROOT.parent / "shared" / "seeds"


@pytest.fixture(scope="session")
def seed_build():
    """The two shared seed articles built together (once per test session)."""
    if not SHARED_SEEDS.is_dir():
        pytest.skip("../shared/seeds is not beside the repository")
    from kg.build import build_graph

    return build_graph([SHARED_SEEDS])


@pytest.fixture(scope="session")
def nlp_it():
    from kg.nlp import pipeline_for

    return pipeline_for("it")


@pytest.fixture(scope="session")
def nlp_de():
    from kg.nlp import pipeline_for

    return pipeline_for("de")


def ruler_pipeline(lang: str, patterns: list[dict]):
    """A pipeline whose 'NER' is a ruler (a stand-in for a statistical model, its guesses written in
    `patterns`), with invest-kg's components after it."""
    import spacy

    from kg.nlp import add_invest_components, add_sentence_boundaries

    nlp = spacy.blank(lang)
    nlp.add_pipe("entity_ruler", name="ner").add_patterns(patterns)
    add_sentence_boundaries(nlp)
    add_invest_components(nlp)
    return nlp


@pytest.fixture(scope="session")
def tiny_ner():
    return ruler_pipeline("it", [
        {"label": "PER", "pattern": "Paris Hilton"},
        {"label": "LOC", "pattern": "Mulhouse"},
        {"label": "ORG", "pattern": "Alsace Agglomération"},
    ])
