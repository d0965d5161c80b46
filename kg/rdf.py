"""Facts → RDF: documents, entities, facts and conflicts as a set of triples, then a Graph or N-Triples.

Every IRI is derived from content (document hashes, normalised names, fact keys) and no blank
node or timestamp is written, so the same input gives the same graph, byte for byte.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from rdflib import OWL, RDF, RDFS, XSD, Graph, Literal, URIRef
from rdflib.namespace import PROV, SKOS

from kg.documents import SourceDocument
from kg.facts import Conflict, DocumentFacts
from kg.facts.triples import document_iri, literal  # noqa: F401 (document_iri: the documents' IRIs, for callers)
from kg.linking import Entity, LinkedMention
from kg.rdfio import GRAPH_NAME, READABLE, SERIALIZATIONS, format_for, iri_n3, nt_row, serialize, triples_graph  # noqa: F401
from kg.resources import INV, KGR, LEX, LEXICON, SCHEMA, Resources, load_turtle

# Catalogue relations copied into the graph, with every entity they lead to.
CATALOGUE_LINKS = (INV.locatedIn, SCHEMA.parentOrganization, SCHEMA.worksFor, SCHEMA.organizer)


def document_triples(
    source: SourceDocument, linked: list[LinkedMention], entities: Iterable[URIRef], facts: DocumentFacts,
) -> list[tuple]:
    """What one document states on its own: its node, its mentions and the facts only it reports.

    Made where the document is processed (any process or worker); every subject here belongs to
    this document, so these triples never need to be merged with another document's. A list,
    which may repeat a triple: sinks drop repeats, and hashing rdflib terms here would cost more.
    """
    triples: list[tuple] = []
    add = triples.append
    iri = document_iri(source.doc_id)
    add((iri, RDF.type, INV.Document))
    add((iri, SCHEMA.name, Literal(source.name)))
    add((iri, INV.sourceFile, Literal(source.name)))
    add((iri, SCHEMA.inLanguage, Literal(source.lang)))
    add((iri, INV.contentHash, Literal(f"sha256:{source.content_hash}")))
    if source.doc_id in facts.published:
        add((iri, SCHEMA.datePublished, Literal(facts.published[source.doc_id].isoformat(), datatype=XSD.date)))
    for entity in entities:
        add((iri, SCHEMA.mentions, entity))
    for link in linked:
        add_mention(add, source, iri, link)
    for fact_type, found in facts.items():
        if fact_type.document_triples is not None:
            for fact in found:
                fact_type.document_triples(fact, add)
    return triples


def shared_triples(
    entities: dict[URIRef, Entity], facts: DocumentFacts, conflicts: Iterable[Conflict], lexicon_used: set[URIRef],
    resources: Resources = Resources(),
) -> set[tuple]:
    """What only the whole corpus can say: merged entities with their catalogue context, facilities
    reported by several documents, who works for whom, conflicts, and the lexicon concepts in use."""
    triples: set[tuple] = set()
    add = triples.add
    for entity in entities.values():
        add_entity(add, entity)
    add_catalogue_context(add, entities, resources.catalogue_graph)
    for fact_type, found in facts.items():
        if fact_type.corpus_triples is not None:
            fact_type.corpus_triples(add, found)
    for conflict in conflicts:
        add((conflict.iri, RDF.type, INV.Conflict))
        add((conflict.iri, INV.conflictOn, Literal(conflict.on)))
        add((conflict.iri, RDFS.label, Literal(f"sources disagree on {conflict.on}", lang="en")))
        for claim in conflict.claims:
            add((conflict.iri, INV.conflictingClaim, claim.iri))
    add_lexicon_concepts(add, lexicon_used | lexicon_concepts(triples), resources.lexicon_path)
    return triples


def lexicon_concepts(triples: Iterable[tuple]) -> set[URIRef]:
    """The lexicon concepts (units, statuses, audiences, purposes) that triples point to."""
    prefix = str(LEX)
    return {o for _s, _p, o in triples if type(o) is URIRef and o.startswith(prefix)}


def add_entity(add, entity: Entity) -> None:
    for cls in entity.types:
        add((entity.iri, RDF.type, cls))
    for (name, lang), _count in entity.names.items():
        add((entity.iri, RDFS.label, Literal(name, lang=lang)))
    for lang in {lang for _name, lang in entity.names}:
        add((entity.iri, INV.seenInLanguage, Literal(lang)))
    if entity.parent is not None:
        add((entity.iri, SCHEMA.parentOrganization, entity.parent))
    if entity.catalogue:
        name, lang = entity.catalogue.names[0]
        add((entity.iri, SKOS.prefLabel, Literal(name, lang=lang or None)))


def add_mention(add, doc: SourceDocument, doc_iri: URIRef, link: LinkedMention) -> None:
    iri = KGR[f"mention/{doc.doc_id}-{link.mention.start_char}"]
    add((iri, RDF.type, INV.Mention))
    add((iri, INV.mentionText, literal(link.mention.text, doc.lang)))
    add((iri, INV.refersTo, link.iri))
    add((iri, INV.linkReason, literal(link.reason)))
    add((iri, INV.startChar, literal(link.mention.start_char)))
    add((iri, INV.sentenceIndex, literal(link.mention.sentence)))
    add((iri, PROV.wasDerivedFrom, doc_iri))


def add_catalogue_context(add, entities: dict[URIRef, Entity], catalogue: Graph) -> None:
    """Catalogue facts about the entities seen (sameAs, nesting, parents), with what they lead to."""
    todo = sorted(iri for iri, entity in entities.items() if entity.catalogue)
    done: set[URIRef] = set()
    while todo:
        subject = todo.pop()
        if subject in done:
            continue
        done.add(subject)
        for same in catalogue.objects(subject, OWL.sameAs):
            add((subject, OWL.sameAs, same))
        for title in catalogue.objects(subject, SCHEMA.jobTitle):
            add((subject, SCHEMA.jobTitle, title))
        for link in CATALOGUE_LINKS:
            for target in catalogue.objects(subject, link):
                add((subject, link, target))
                if target not in entities and target not in done:
                    for cls in catalogue.objects(target, RDF.type):
                        add((target, RDF.type, cls))
                    for label in catalogue.objects(target, SKOS.prefLabel):
                        add((target, SKOS.prefLabel, label))
                        add((target, RDFS.label, label))
                todo.append(URIRef(str(target)))


def add_lexicon_concepts(add, used: set[URIRef], lexicon_path: Path = LEXICON) -> None:
    """Type and labels of the lexicon concepts the facts use."""
    lexicon = load_turtle(lexicon_path)
    for concept in used:
        for cls in lexicon.objects(concept, RDF.type):
            add((concept, RDF.type, cls))
        for label in lexicon.objects(concept, SKOS.prefLabel):
            add((concept, SKOS.prefLabel, label))
