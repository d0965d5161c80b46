"""Parallel and incremental builds give the graph of a plain sequential build."""

import shutil

from kg.build import build_graph
from kg.rdf import serialize

from .conftest import SAMPLE


def turtle(result) -> bytes:
    return serialize(result.graph, "turtle")


def corpus(tmp_path):
    folder = tmp_path / "corpus"
    shutil.copytree(SAMPLE, folder)
    (folder / "it-extra.txt").write_text(
        "Kokoroe investirà 15 milioni di euro in Italia entro il 2026.\n", encoding="utf-8")
    return folder


def test_parallel_build_equals_sequential(tmp_path):
    folder = corpus(tmp_path)
    sequential = build_graph([folder], validate=False)
    parallel = build_graph([folder], validate=False, jobs=2)
    assert turtle(parallel) == turtle(sequential)


def test_incremental_build_reprocesses_only_changed_documents(tmp_path):
    folder, cache = corpus(tmp_path), tmp_path / "cache"
    first = build_graph([folder], validate=False, cache_dir=cache)
    assert (first.processed, first.reused) == (3, 0)
    again = build_graph([folder], validate=False, cache_dir=cache)
    assert (again.processed, again.reused) == (0, 3)
    assert turtle(again) == turtle(first)

    (folder / "it-extra.txt").write_text(
        "Kokoroe investirà 20 milioni di euro in Italia entro il 2026.\n", encoding="utf-8")
    changed = build_graph([folder], validate=False, cache_dir=cache)
    assert (changed.processed, changed.reused) == (1, 2)
    assert turtle(changed) == turtle(build_graph([folder], validate=False))
    assert b"20000000" in turtle(changed) and b"15000000" not in turtle(changed)


def test_removed_document_disappears(tmp_path):
    folder, cache = corpus(tmp_path), tmp_path / "cache"
    build_graph([folder], validate=False, cache_dir=cache)
    (folder / "it-extra.txt").unlink()
    after = build_graph([folder], validate=False, cache_dir=cache)
    assert after.processed == 0
    assert turtle(after) == turtle(build_graph([folder], validate=False))
    assert b"country/it" not in turtle(after)
