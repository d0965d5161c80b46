import contextlib
import threading
import time
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


@contextlib.contextmanager
def serving(app):
    """The base URL of `app` served by uvicorn on a free loopback port, in a thread, until the block ends."""
    import uvicorn

    from kg.serve import free_loopback_port

    port = free_loopback_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="error"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline, "server did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)
