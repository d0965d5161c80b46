"""Parallel and incremental builds give the graph of a plain sequential build."""

import io
import shutil
from pathlib import Path

import pytest

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


@pytest.mark.slow
def test_parallel_build_equals_sequential(tmp_path):
    folder = corpus(tmp_path)
    sequential = build_graph([folder], validate=False)
    parallel = build_graph([folder], validate=False, jobs=2)
    assert turtle(parallel) == turtle(sequential)


def test_incremental_build_reprocesses_only_changed_documents(tmp_path):
    folder, cache = corpus(tmp_path), tmp_path / "cache"
    first = build_graph([folder], validate=False, cache_dir=cache)
    assert (first.processed, first.reused) == (4, 0)
    again = build_graph([folder], validate=False, cache_dir=cache)
    assert (again.processed, again.reused) == (0, 4)
    assert turtle(again) == turtle(first)

    (folder / "it-extra.txt").write_text(
        "Kokoroe investirà 20 milioni di euro in Italia entro il 2026.\n", encoding="utf-8")
    changed = build_graph([folder], validate=False, cache_dir=cache)
    assert (changed.processed, changed.reused) == (1, 3)
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


def test_damaged_cache_entries_are_recomputed_with_a_warning(tmp_path):
    folder, cache = corpus(tmp_path), tmp_path / "cache"
    first = build_graph([folder], validate=False, cache_dir=cache)
    entries = sorted(cache.rglob("*.pickle"))
    damaged = bytearray(entries[0].read_bytes())
    damaged[len(damaged) // 2] ^= 0x01  # one flipped bit
    entries[0].write_bytes(bytes(damaged))
    entries[1].write_bytes(entries[1].read_bytes()[:40])  # a truncated entry
    warnings = []
    again = build_graph([folder], validate=False, cache_dir=cache, on_warning=warnings.append)
    assert (again.processed, again.reused) == (2, 2)
    assert turtle(again) == turtle(first)
    assert len(warnings) == 2 and all("processed again" in w for w in warnings)


def test_a_cache_that_cannot_be_written_is_a_warning(tmp_path):
    folder, not_a_folder = corpus(tmp_path), tmp_path / "cache"
    not_a_folder.write_text("a file")
    warnings = []
    result = build_graph([folder], validate=False, cache_dir=not_a_folder, on_warning=warnings.append)
    assert result.processed == 4 and turtle(result) == turtle(build_graph([folder], validate=False))
    assert len(warnings) == 1 and "cannot be written" in warnings[0]


def test_cache_fingerprint_covers_the_code(tmp_path, monkeypatch):
    """A changed rule invalidates cached results: the fingerprint reads invest-kg's own source."""
    import kg.build
    from kg.build import fingerprint
    from kg.nlp import choose_pipeline

    choices = {"it": choose_pipeline("it", "rules")}
    package = tmp_path / "kg"
    shutil.copytree(Path(kg.build.__file__).parent, package, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(kg.build, "__file__", str(package / "build.py"))
    before = fingerprint(choices)
    rule = package / "facts" / "investments.py"
    rule.write_text(rule.read_text().replace("WINDOW_AFTER = 3", "WINDOW_AFTER = 4"))
    assert fingerprint(choices) != before


def test_streamed_files_equal_in_memory_serialisation(tmp_path):
    """N-Triples and N-Quads written chunk by chunk (an external sort) are the bytes rdflib writes
    for the whole graph, without duplicates; nothing but the output is left behind."""
    from kg.sinks import SortedLinesSink

    from rdflib import Dataset
    from rdflib.compare import isomorphic

    from kg.rdf import GRAPH_NAME

    folder = corpus(tmp_path)
    in_memory = build_graph([folder], validate=False)
    expected = serialize(in_memory.graph, "nt")
    out = tmp_path / "out"
    for chunk_lines in (50, 10**6):  # merged from many sorted chunks, or one
        streamed = build_graph([folder], validate=False, sink=SortedLinesSink(out / "graph.nt", chunk_lines=chunk_lines))
        assert (out / "graph.nt").read_bytes() == expected
        assert streamed.triple_count == len(in_memory.triples) == expected.count(b"\n")

    build_graph([folder], validate=False, sink=SortedLinesSink(out / "graph.nq", quads=True, chunk_lines=50))
    quads = Dataset()
    quads.parse(out / "graph.nq", format="nquads")
    assert isomorphic(quads.graph(GRAPH_NAME), in_memory.graph)
    assert sorted(p.name for p in out.iterdir()) == ["graph.nq", "graph.nt"]


def test_failed_streamed_build_leaves_no_file(tmp_path, monkeypatch):
    import kg.build
    from kg.sinks import SortedLinesSink

    def broken(*args):
        raise RuntimeError("pipeline crashed")

    monkeypatch.setattr(kg.build, "process_batch", broken)
    out = tmp_path / "out" / "graph.nt"
    try:
        build_graph([corpus(tmp_path)], validate=False, sink=SortedLinesSink(out, chunk_lines=50))
    except RuntimeError:
        pass
    assert list((tmp_path / "out").iterdir()) == []


def test_oxigraph_store_answers_like_the_in_memory_graph(tmp_path):
    from rdflib.query import Result

    from kg.query import canned_queries, canonical_rows, load_graph, run_query
    from kg.sinks import OxigraphSink
    from kg.sparql import answer_from_store

    folder = corpus(tmp_path)
    in_memory = build_graph([folder], validate=False)
    store_path = tmp_path / "graph.oxigraph"
    streamed = build_graph([folder], validate=True, sink=OxigraphSink(store_path, chunk_lines=50))
    assert streamed.validation.conforms and streamed.triple_count == len(in_memory.triples)
    del streamed  # a store folder is opened by one process at a time
    stored = load_graph(store_path)
    assert len(stored) == len(in_memory.triples)
    for name in canned_queries():
        assert canonical_rows(run_query(stored, name)) == canonical_rows(run_query(in_memory.graph, name)), name
    del stored
    for name in canned_queries():  # kg query STORE: Oxigraph alone evaluates and writes the results
        native = Result.parse(io.StringIO(answer_from_store(store_path, name, "json")), format="json")
        assert canonical_rows(native) == canonical_rows(run_query(in_memory.graph, name)), name


def test_documents_are_listed_without_their_text(tmp_path):
    result = build_graph([corpus(tmp_path)], validate=False)
    assert result.documents and all(d.text == "" for d in result.documents)
    assert all(d.with_text().text for d in result.documents)


@pytest.mark.slow
def test_dask_local_cluster_build_equals_sequential(tmp_path):
    """Workers of a real (local, two-process) Dask cluster map documents to triples."""
    pytest.importorskip("dask.distributed")
    from kg.distributed import dask_executor

    folder = corpus(tmp_path)
    with dask_executor("local", workers=2) as executor:
        distributed = build_graph([folder], validate=False, executor=executor, jobs=2)
    assert turtle(distributed) == turtle(build_graph([folder], validate=False))


def test_default_jobs_use_the_cores_only_for_corpora_that_repay_them(monkeypatch):
    import os

    from kg.build import default_jobs

    monkeypatch.setattr(os, "cpu_count", lambda: 4)
    assert default_jobs(3) == 1 and default_jobs(100) == 1
    assert default_jobs(101) == 4 and default_jobs(10_000) == 4
