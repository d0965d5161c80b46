"""Files → knowledge graph: the whole path, streaming each language's documents through nlp.pipe."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph
from tqdm import tqdm

from kg.documents import DocumentError, SourceDocument, find_documents, read_document
from kg.facts import Conflict, DocumentFacts, extract_facts, find_conflicts
from kg.linking import Linker
from kg.mentions import doc_mentions
from kg.nlp import PipelineChoice, choose_pipeline, load_pipeline
from kg.rdf import build_rdf
from kg.validate import ValidationReport, validate_graph

BATCH_SIZE = 32


@dataclass
class BuildResult:
    graph: Graph
    documents: list[SourceDocument]
    errors: list[DocumentError]
    pipelines: dict[str, PipelineChoice]
    entities: int
    facts: DocumentFacts
    conflicts: list[Conflict]
    validation: ValidationReport | None = None

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
            f"{len(self.graph)} triples",
        ]
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


def build_graph(
    paths: Iterable[Path | str],
    lang: str | None = None,
    models: dict[str, str] | None = None,
    validate: bool = True,
    progress: bool = False,
    on_error: Callable[[DocumentError], None] | None = None,
) -> BuildResult:
    """Build the knowledge graph of the documents under `paths`."""
    documents, errors = read_documents(paths, lang, on_error)
    linker = Linker()
    facts = DocumentFacts()
    mentions: list[tuple[SourceDocument, list]] = []
    pipelines: dict[str, PipelineChoice] = {}
    with tqdm(total=len(documents), desc="documents", unit="doc", disable=not progress, leave=False) as bar:
        for language in sorted({d.lang for d in documents}):
            pipelines[language] = choose_pipeline(language, (models or {}).get(language))
            nlp = load_pipeline(pipelines[language])
            batch = [d for d in documents if d.lang == language]
            for source, doc in zip(batch, nlp.pipe((d.text for d in batch), batch_size=BATCH_SIZE)):
                linked = linker.link_document(doc_mentions(doc), language, source.doc_id)
                mentions.append((source, linked))
                facts.extend(extract_facts(doc, linked, linker.entities, language, source.doc_id))
                bar.update()
    conflicts = find_conflicts(facts.investments)
    graph = build_rdf(documents, linker.entities, facts, conflicts, mentions)
    result = BuildResult(graph, documents, errors, pipelines, len(linker.entities), facts, conflicts)
    if validate:
        result.validation = validate_graph(graph)
    return result
