"""Files → knowledge graph: the whole path, streaming each language's documents through nlp.pipe."""

from __future__ import annotations

import hashlib
import multiprocessing
import pickle
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path

from rdflib import Graph, URIRef
from tqdm import tqdm

from kg import __version__

from kg.documents import DocumentError, SourceDocument, find_documents, read_document
from kg.facts import Conflict, DocumentFacts, extract_facts, find_conflicts
from kg.files import write_atomic
from kg.linking import Entity, LinkedMention, Linker, merge_entity
from kg.mentions import doc_mentions
from kg.nlp import COMPONENTS_CONFIG, PipelineChoice, choose_pipeline, load_pipeline
from kg.rdf import build_triples, triples_graph
from kg.resources import CATALOGUE, LEXICON, ONTOLOGY
from kg.validate import ValidationReport, validate_graph

BATCH_SIZE = 32


@dataclass
class BuildResult:
    triples: set[tuple]
    documents: list[SourceDocument]
    errors: list[DocumentError]
    pipelines: dict[str, PipelineChoice]
    entities: int
    facts: DocumentFacts
    conflicts: list[Conflict]
    validation: ValidationReport | None = None
    processed: int = 0  # documents run through the pipelines in this build
    reused: int = 0  # documents whose results came from the cache

    @cached_property
    def graph(self) -> Graph:
        """The triples in an rdflib Graph, made on first use (writing N-Triples needs none)."""
        return triples_graph(self.triples)

    def summary(self) -> str:
        parts = [
            f"{len(self.documents)} documents",
            f"{len(self.errors)} skipped",
            f"{self.entities} entities",
            f"{len(self.facts.investments)} investments",
            f"{len(self.facts.commitments)} commitments",
            f"{len(self.facts.facilities)} facilities",
            f"{len(self.facts.partnerships)} partnerships",
            f"{len(self.facts.roles)} roles",
            f"{len(self.conflicts)} conflicts",
            f"{len(self.triples)} triples",
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
    in another process."""

    doc_id: str
    linked: list[LinkedMention]
    entities: dict[URIRef, Entity]
    facts: DocumentFacts


def process_batch(choice: PipelineChoice, documents: list[SourceDocument]) -> list[DocumentResult]:
    """Run one language's documents through its pipeline (nlp.pipe) and extract their facts."""
    nlp = load_pipeline(choice)
    linker = shared_linker()
    results = []
    for source, doc in zip(documents, nlp.pipe((d.text for d in documents), batch_size=BATCH_SIZE)):
        linked, entities = linker.link(doc_mentions(doc), source.lang, source.doc_id)
        facts = extract_facts(doc, linked, entities, source.lang, source.doc_id)
        results.append(DocumentResult(source.doc_id, linked, entities, facts))
    return results


@cache
def shared_linker() -> Linker:
    """One linker per process: its catalogue index is read-only once built."""
    return Linker()


def batches(documents: list[SourceDocument], size: int) -> Iterator[list[SourceDocument]]:
    """Documents of one language at a time, `size` at most, in input order."""
    for language in sorted({d.lang for d in documents}):
        same = [d for d in documents if d.lang == language]
        for start in range(0, len(same), size):
            yield same[start:start + size]


def process_documents(
    documents: list[SourceDocument], choices: dict[str, PipelineChoice], jobs: int = 1, progress: bool = False,
) -> dict[str, DocumentResult]:
    """Results by document id, made by `jobs` processes (each loads the pipelines once)."""
    results: dict[str, DocumentResult] = {}
    size = BATCH_SIZE * 4 if jobs > 1 else max(len(documents), 1)
    work = list(batches(documents, size))
    with tqdm(total=len(documents), desc="documents", unit="doc", disable=not progress, leave=False) as bar:
        if jobs > 1:
            with ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("spawn")) as pool:
                futures = [pool.submit(process_batch, choices[batch[0].lang], batch) for batch in work]
                for future in as_completed(futures):
                    done = future.result()
                    results.update((r.doc_id, r) for r in done)
                    bar.update(len(done))
        else:
            for batch in work:
                done = process_batch(choices[batch[0].lang], batch)
                results.update((r.doc_id, r) for r in done)
                bar.update(len(done))
    return results


def build_graph(
    paths: Iterable[Path | str],
    lang: str | None = None,
    models: dict[str, str] | None = None,
    validate: bool = True,
    progress: bool = False,
    on_error: Callable[[DocumentError], None] | None = None,
    jobs: int = 1,
    cache_dir: Path | str | None = None,
) -> BuildResult:
    """Build the knowledge graph of the documents under `paths`.

    With `jobs` > 1, documents are processed by that many processes; with a `cache` folder, a
    `cache_dir`, a document whose content, pipelines and project data are unchanged is not
    processed again.
    Either way the graph is the same as a sequential build without cache.
    """
    documents, errors = read_documents(paths, lang, on_error)
    choices = {language: choose_pipeline(language, (models or {}).get(language)) for language in sorted({d.lang for d in documents})}
    store = ResultCache(cache_dir, choices) if cache_dir else None
    cached = store.load([d.doc_id for d in documents]) if store else {}
    fresh = process_documents([d for d in documents if d.doc_id not in cached], choices, jobs, progress)
    if store:
        store.save(fresh)
    results = {**cached, **fresh}
    entities: dict[URIRef, Entity] = {}
    facts = DocumentFacts()
    mentions = []
    for source in documents:  # input order, so that merging is the same however results were made
        document = results[source.doc_id]
        for entity in document.entities.values():
            merge_entity(entities, entity)
        facts.extend(document.facts)
        mentions.append((source, document.linked))
    conflicts = find_conflicts(facts.investments)
    triples = build_triples(documents, entities, facts, conflicts, mentions)
    result = BuildResult(triples, documents, errors, choices, len(entities), facts, conflicts,
                         processed=len(fresh), reused=len(cached))
    if validate:
        result.validation = validate_graph(result.graph)
    return result


class ResultCache:
    """Per-document results on disk, keyed by content hash and by a fingerprint of everything else
    that shapes them (pipelines and their versions, catalogue, lexicon, ontology, invest-kg)."""

    def __init__(self, folder: Path | str, choices: dict[str, PipelineChoice]):
        self.folder = Path(folder) / fingerprint(choices)

    def load(self, doc_ids: list[str]) -> dict[str, DocumentResult]:
        found = {}
        for doc_id in doc_ids:
            path = self.folder / f"{doc_id}.pickle"
            if path.exists():
                try:
                    found[doc_id] = pickle.loads(path.read_bytes())
                except (pickle.UnpicklingError, EOFError, AttributeError, ImportError):
                    continue  # an unreadable entry is recomputed
        return found

    def save(self, results: dict[str, DocumentResult]) -> None:
        for doc_id, result in results.items():
            write_atomic(self.folder / f"{doc_id}.pickle", pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL))


def fingerprint(choices: dict[str, PipelineChoice]) -> str:
    digest = hashlib.sha256(__version__.encode())
    for choice in sorted(choices.values(), key=lambda c: c.lang):
        digest.update(f"{choice.lang}|{choice.name}|{choice.version}|{choice.path}".encode())
    for path in (CATALOGUE, LEXICON, ONTOLOGY, COMPONENTS_CONFIG):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]
