"""Files → knowledge graph: the whole path, streaming each language's documents through nlp.pipe."""

from __future__ import annotations

import gc
import hashlib
import multiprocessing
import os
import pickle
from collections.abc import Callable, Iterable, Iterator
from collections import deque
from concurrent.futures import Executor, ProcessPoolExecutor
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, fields
from typing import cast
from functools import cache, cached_property
from pathlib import Path

from rdflib import Graph, URIRef
from tqdm import tqdm

from kg import __version__

from kg.documents import DocumentError, SourceDocument, find_documents, read_document
from kg.facts import Conflict, DocumentFacts, extract_facts, find_conflicts
from kg.files import write_atomic
from kg.linking import Entity, Linker, merge_entity
from kg.mentions import doc_mentions
from kg.nlp import COMPONENTS_CONFIG, PipelineChoice, choose_pipeline, load_pipeline
from kg.rdf import document_triples, lexicon_concepts, shared_triples
from kg.sinks import MemorySink, OxigraphSink, SortedLinesSink
from kg.resources import SHAPES, Resources, load_turtle
from kg.validate import CorpusVerdict, PieceVerdict, ValidationReport, one_step_shapes, validate_documents, validate_graph

BATCH_SIZE = 32
tqdm.monitor_interval = 0  # no lingering monitor thread, so that validation may fork (validate.can_fork)


class NothingToBuild(ValueError):
    """Not one of the given paths is a readable document in a supported language."""


@dataclass
class BuildResult:
    sink: MemorySink | SortedLinesSink | OxigraphSink
    triple_count: int
    documents: list[SourceDocument]
    errors: list[DocumentError]
    pipelines: dict[str, PipelineChoice]
    entities: int
    facts: DocumentFacts
    conflicts: list[Conflict]
    validation: ValidationReport | None = None
    processed: int = 0  # documents run through the pipelines in this build
    reused: int = 0  # documents whose results came from the cache

    @property
    def triples(self) -> set[tuple]:
        """The triples of an in-memory build."""
        if not isinstance(self.sink, MemorySink):
            raise TypeError("this build streamed its triples to a file or store; use .graph")
        return self.sink.triples

    @cached_property
    def graph(self) -> Graph:
        """The graph as rdflib sees it: in memory, or over the Oxigraph store a streamed build wrote."""
        return self.sink.graph()

    def summary(self) -> str:
        parts = [
            f"{len(self.documents)} documents",
            f"{len(self.errors)} skipped",
            f"{self.entities} entities",
            *(f"{len(found)} {fact_type.name}" for fact_type, found in self.facts.items()),
            f"{len(self.conflicts)} conflicts",
            f"{self.triple_count} triples",
        ]
        if self.reused:
            parts.append(f"{self.processed} processed, {self.reused} from cache")
        if self.validation is not None:
            parts.append(
                "conforms to shapes" if self.validation.conforms else f"{len(self.validation.violations)} violations"
            )
        return ", ".join(parts)


def read_documents(
    paths: Iterable[Path | str], lang: str | None = None, on_error: Callable[[DocumentError], None] | None = None
) -> tuple[list[SourceDocument], list[DocumentError]]:
    """Read every document under `paths`; a bad file becomes an error, the rest go on."""
    documents, errors, seen = [], [], set()
    for found in find_documents(paths):
        try:
            if isinstance(found, DocumentError):
                raise found
            document = read_document(found, lang=lang)
        except DocumentError as error:
            errors.append(error)
            if on_error:
                on_error(error)
            continue
        if document.content_hash not in seen:  # the same bytes twice are one document
            seen.add(document.content_hash)
            documents.append(document)
    return documents, errors


@dataclass
class DocumentResult:
    """What one document contributes to the graph; computed alone, so it can be cached or made
    in another process or on another machine."""

    doc_id: str
    entities: dict[URIRef, Entity]  # as this document sees them; merged across documents later
    facts: DocumentFacts
    triples: list[tuple]  # what the document states on its own (rdf.document_triples)
    lexicon_used: set[URIRef]
    verdict: PieceVerdict | None = None  # its own nodes validated where they were made (build with validation)


PARALLEL_FROM = 100  # documents; below, starting worker processes (each loads the models) costs what they save


def default_jobs(documents: int) -> int:
    """One process per core for a corpus big enough to repay starting them, else one (measured
    with make bench: 100 documents take as long with 2 processes as with 1, 1,000 a third less)."""
    return max(1, os.cpu_count() or 1) if documents > PARALLEL_FROM else 1


def process_batch(choice: PipelineChoice, documents: list[SourceDocument],
                  resources: Resources = Resources(), validate: bool = False) -> list[DocumentResult]:
    """Run one language's documents through its pipeline (nlp.pipe): entities, facts and triples,
    and with `validate` each document's own nodes checked against the shapes."""
    nlp = load_pipeline(choice)
    linker = shared_linker(resources)
    results = []
    for source, doc in zip(documents, nlp.pipe((d.text for d in documents), batch_size=BATCH_SIZE)):
        linked, entities = linker.link(doc_mentions(doc), source.lang, source.doc_id)
        facts = extract_facts(doc, linked, entities, source.lang, source.doc_id, resources)
        triples = document_triples(source, linked, entities, facts)
        results.append(DocumentResult(source.doc_id, entities, facts, triples, lexicon_concepts(triples)))
    if validate:
        validate_results(results, resources)
    return results


def validate_results(results: list[DocumentResult], resources: Resources = Resources()) -> None:
    """Give each result the verdict on its own nodes, in one SHACL run for them all; what they
    point to is typed as these documents see it (their entities, facts and lexicon concepts)."""
    entities: dict[URIRef, Entity] = {}
    facts = DocumentFacts()
    for result in results:
        for entity in result.entities.values():
            merge_entity(entities, entity)
        facts.extend(result.facts)
    used = set().union(*(result.lexicon_used for result in results))
    context = shared_triples(entities, facts, [], used, resources)
    for result, verdict in zip(results, validate_documents([r.triples for r in results], context)):
        result.verdict = verdict


@cache
def shared_linker(resources: Resources = Resources()) -> Linker:
    """One linker per process (and resources): its catalogue index is read-only once built."""
    return Linker(resources)


def batches(documents: list[SourceDocument], size: int) -> Iterator[list[SourceDocument]]:
    """Documents of one language at a time, `size` at most, in input order."""
    for language in sorted({d.lang for d in documents}):
        same = [d for d in documents if d.lang == language]
        for start in range(0, len(same), size):
            yield same[start:start + size]


def document_results(
    documents: list[SourceDocument],
    choices: dict[str, PipelineChoice],
    executor: Executor | None = None,
    cache: ResultCache | None = None,
    batch_size: int = BATCH_SIZE * 4,
    in_flight: int = 1,
    progress: bool = False,
    on_error: Callable[[DocumentError], None] | None = None,
    resources: Resources = Resources(),
    validate: bool = False,
) -> Iterator[tuple[DocumentResult, bool]]:
    """Every document's result and whether it came from the cache, language by language in
    input order, whoever computed it.

    Texts are read just before their batch is processed and results are handed on as soon as
    they are in order, so memory holds a few batches, not the corpus. Batches go to `executor`
    (a process pool, a Dask client's executor…), `in_flight` at most at a time, or run here.
    """
    def start(batch: list[SourceDocument]):
        cached = cache.load(d.doc_id for d in batch) if cache else {}
        fresh = []
        for document in batch:
            if document.doc_id in cached:
                continue
            try:
                fresh.append(document.with_text())
            except DocumentError as error:  # deleted, unreadable or changed since it was listed
                if on_error:
                    on_error(error)
        batch = [d for d in batch if d.doc_id in cached or any(f.doc_id == d.doc_id for f in fresh)]
        if not fresh:
            return batch, cached, list
        if executor is None:
            return batch, cached, lambda: process_batch(choices[fresh[0].lang], fresh, resources, validate)
        return batch, cached, executor.submit(process_batch, choices[fresh[0].lang], fresh, resources, validate).result

    pending: deque[tuple[list[SourceDocument], dict[str, DocumentResult], Callable[[], list[DocumentResult]]]] = deque()
    with tqdm(total=len(documents), desc="documents", unit=" doc", unit_scale=False, disable=not progress, leave=False,
              bar_format="{desc}: {n_fmt}/{total_fmt} [{elapsed}<{remaining}, {rate_fmt}]") as bar:
        for batch in batches(documents, batch_size):
            pending.append(start(batch))
            while len(pending) >= in_flight:
                yield from finish(*pending.popleft(), cache, bar)
        while pending:
            yield from finish(*pending.popleft(), cache, bar)


def finish(batch, cached, compute, cache, bar) -> Iterator[tuple[DocumentResult, bool]]:
    fresh = {r.doc_id: r for r in compute()}
    if cache:
        cache.save(fresh)
    for source in batch:
        yield (cached[source.doc_id], True) if source.doc_id in cached else (fresh[source.doc_id], False)
    bar.update(len(batch))


def build_graph(
    paths: Iterable[Path | str],
    lang: str | None = None,
    models: dict[str, str] | None = None,
    validate: bool = True,
    progress: bool = False,
    on_error: Callable[[DocumentError], None] | None = None,
    jobs: int | None = 1,
    cache_dir: Path | str | None = None,
    sink: MemorySink | SortedLinesSink | OxigraphSink | None = None,
    executor: Executor | None = None,
    on_warning: Callable[[str], None] | None = None,
    resources: Resources = Resources(),
) -> BuildResult:
    """Build the knowledge graph of the documents under `paths`.

    Triples go to `sink` document by document (default: a set in memory). With `jobs` > 1,
    documents are processed by that many processes, or by any `executor` given (e.g. a Dask
    client's); with a `cache_dir`, a document whose content, pipelines and project data are
    unchanged is not processed again. Either way the graph is the same as a sequential build
    without cache. `resources` are the catalogue, lexicon and ontology the rules read (the
    project's own by default). `jobs=None` chooses (`default_jobs`).
    """
    sink = sink if sink is not None else MemorySink()
    try:  # whatever stops the build (a bad --model, an interrupt while listing…), the sink leaves nothing
        documents, errors = read_documents(paths, lang, on_error)
        if not documents:
            raise NothingToBuild("no document could be read; nothing written")
        documents = [d.without_text() for d in documents]
        jobs = jobs or default_jobs(len(documents))
        choices = {language: choose_pipeline(language, (models or {}).get(language))
                   for language in sorted({d.lang for d in documents})}
        store = ResultCache(cache_dir, choices, warn=on_warning, resources=resources) if cache_dir else None
        entities: dict[URIRef, Entity] = {}
        facts = DocumentFacts()
        lexicon_used: set[URIRef] = set()
        reused = 0
        in_workers = validate and one_step_shapes(load_turtle(SHAPES))  # else the whole graph is validated at the end
        verdicts = CorpusVerdict()
        with ExitStack() as stack:
            stack.enter_context(fewer_collections())
            if executor is None and jobs > 1:
                executor = stack.enter_context(
                    ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("spawn"))
                )
            in_flight = 2 * jobs if executor else 1  # keeps every worker busy while one batch is merged
            def vanished(error: DocumentError) -> None:
                errors.append(error)
                documents.remove(next(d for d in documents if d.name == error.path.as_posix()))
                if on_error:
                    on_error(error)

            for done, from_cache in document_results(documents, choices, executor, store, in_flight=in_flight,
                                                      progress=progress, on_error=vanished, resources=resources,
                                                      validate=in_workers):
                reused += from_cache
                if in_workers:
                    if done.verdict is None:  # cached by a build without validation
                        validate_results([done], resources)
                    verdicts.add(cast(PieceVerdict, done.verdict))
                for entity in done.entities.values():
                    merge_entity(entities, entity)
                facts.extend(done.facts)
                lexicon_used |= done.lexicon_used
                sink.add(done.triples)
        conflicts = find_conflicts(facts.investments)
        shared = shared_triples(entities, facts, conflicts, lexicon_used, resources)
        sink.add(shared)
        count = sink.close()
    except BaseException:
        sink.abort()
        raise
    result = BuildResult(sink, count, documents, errors, choices, len(entities), facts, conflicts,
                         processed=len(documents) - reused, reused=reused)
    if in_workers:
        result.validation = verdicts.settle(shared, lambda: result.graph)
    elif validate:
        result.validation = validate_graph(result.graph, jobs=jobs)
    return result


@contextmanager
def fewer_collections(threshold: int = 50_000) -> Iterator[None]:
    """Run the cyclic garbage collector less often while building.

    A build keeps nearly everything it allocates (triples, facts, entities) until it ends, and at
    Python's default thresholds the collector rescans those survivors over and over: 9 % of a
    1,000-document build, measured.
    """
    old = gc.get_threshold()
    gc.set_threshold(threshold, 50, 1000)
    try:
        yield
    finally:
        gc.set_threshold(*old)


class ResultCache:
    """Per-document results on disk, keyed by content hash and by a fingerprint of everything else
    that shapes them (pipelines and their versions, catalogue, lexicon, ontology, name lists and
    invest-kg's own code). Each entry carries a SHA-256 checksum: a damaged one is recomputed.
    The cache's own problems (a damaged entry, a folder it cannot write) are warnings, never a
    failed build."""

    def __init__(self, folder: Path | str, choices: dict[str, PipelineChoice],
                 warn: Callable[[str], None] | None = None, resources: Resources = Resources()):
        self.folder = Path(folder) / fingerprint(choices, resources)
        self.warn = warn or (lambda message: None)
        self.writable = True

    def load(self, doc_ids: Iterable[str]) -> dict[str, DocumentResult]:
        found = {}
        for doc_id in doc_ids:
            path = self.folder / f"{doc_id}.pickle"
            try:
                data = path.read_bytes()
            except OSError:
                continue  # not cached (or no cache folder at all)
            digest, payload = data[:CHECKSUM_BYTES], data[CHECKSUM_BYTES:]
            if hashlib.sha256(payload).digest() != digest:
                self.warn(f"cache entry {path} is damaged; its document is processed again")
                continue
            try:
                found[doc_id] = pickle.loads(payload)
            except Exception:  # an entry of another code version: unpickling may fail in many ways
                self.warn(f"cache entry {path} cannot be read; its document is processed again")
        return found

    def save(self, results: dict[str, DocumentResult]) -> None:
        if not self.writable:
            return
        try:
            for doc_id, result in results.items():
                payload = pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL)
                write_atomic(self.folder / f"{doc_id}.pickle", hashlib.sha256(payload).digest() + payload)
        except OSError as error:
            self.writable = False
            self.warn(f"cache {self.folder.parent} cannot be written ({error.strerror or error}); building without it")


CHECKSUM_BYTES = 32


def fingerprint(choices: dict[str, PipelineChoice], resources: Resources = Resources()) -> str:
    digest = hashlib.sha256(__version__.encode())
    digest.update(",".join(f.name for f in fields(DocumentResult)).encode())  # entries of another layout are not read
    for choice in sorted(choices.values(), key=lambda c: c.lang):
        digest.update(f"{choice.lang}|{choice.name}|{choice.version}|{choice.path}".encode())
    code = sorted(Path(__file__).parent.rglob("*.py"))  # a changed rule invalidates what it made
    for path in (*resources.files(), COMPONENTS_CONFIG, *code):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]
