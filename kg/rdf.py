"""Facts → RDF: documents, entities, investments and conflicts as one rdflib Graph.

Every IRI is derived from content (document hashes, normalised names, fact keys) and no blank
node or timestamp is written, so the same input gives the same graph, byte for byte.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path

from rdflib import OWL, RDF, RDFS, XSD, Graph, Literal, URIRef
from rdflib.namespace import PROV, SKOS

from kg.catalogue import catalogue_graph
from kg.documents import SourceDocument
from kg.facts import Conflict, Investment
from kg.linking import Entity, LinkedMention
from kg.resources import INV, KGR, SCHEMA, bind_prefixes

# Catalogue relations copied into the graph, with every entity they lead to.
CATALOGUE_LINKS = (INV.locatedIn, SCHEMA.parentOrganization, SCHEMA.worksFor, SCHEMA.organizer)


def document_iri(doc: SourceDocument) -> URIRef:
    return KGR[f"doc/{doc.doc_id}"]


def decimal_literal(value: Decimal) -> Literal:
    return Literal(format(value.normalize(), "f"), datatype=XSD.decimal)


def build_rdf(
    documents: Iterable[SourceDocument],
    entities: dict[URIRef, Entity],
    investments: Iterable[Investment],
    conflicts: Iterable[Conflict],
    mentions: Iterable[tuple[SourceDocument, list[LinkedMention]]] = (),
) -> Graph:
    """The knowledge graph of a build, with prefixes bound."""
    triples: set[tuple] = set()
    add = triples.add
    for doc in documents:
        iri = document_iri(doc)
        add((iri, RDF.type, INV.Document))
        add((iri, SCHEMA.name, Literal(doc.name)))
        add((iri, INV.sourceFile, Literal(doc.name)))
        add((iri, SCHEMA.inLanguage, Literal(doc.lang)))
        add((iri, INV.contentHash, Literal(f"sha256:{doc.content_hash}")))
    for entity in entities.values():
        add_entity(add, entity)
        for doc_id in entity.documents:
            add((KGR[f"doc/{doc_id}"], SCHEMA.mentions, entity.iri))
    add_catalogue_context(add, entities)
    for doc, linked in mentions:
        for link in linked:
            add_mention(add, doc, link)
    for investment in investments:
        add_investment(add, investment)
    for conflict in conflicts:
        add((conflict.iri, RDF.type, INV.Conflict))
        add((conflict.iri, INV.conflictOn, Literal(conflict.on)))
        add((conflict.iri, RDFS.label, Literal(f"sources disagree on {conflict.on}", lang="en")))
        for claim in conflict.claims:
            add((conflict.iri, INV.conflictingClaim, claim.iri))
    graph = bind_prefixes(Graph(identifier=GRAPH_NAME))
    for triple in sorted(triples):
        graph.add(triple)
    return graph


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


def add_mention(add, doc: SourceDocument, link: LinkedMention) -> None:
    iri = KGR[f"mention/{doc.doc_id}-{link.mention.start_char}"]
    add((iri, RDF.type, INV.Mention))
    add((iri, INV.mentionText, Literal(link.mention.text, lang=doc.lang)))
    add((iri, INV.refersTo, link.iri))
    add((iri, INV.linkReason, Literal(link.reason)))
    add((iri, INV.startChar, Literal(link.mention.start_char)))
    add((iri, PROV.wasDerivedFrom, document_iri(doc)))


def add_catalogue_context(add, entities: dict[URIRef, Entity]) -> None:
    """Catalogue facts about the entities seen (sameAs, nesting, parents), with what they lead to."""
    catalogue = catalogue_graph()
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
                todo.append(target)


def add_investment(add, investment: Investment) -> None:
    iri = investment.iri
    amount = URIRef(f"{iri}/amount")
    add((iri, RDF.type, INV.Investment))
    add((iri, INV.investor, investment.investor))
    add((iri, INV.target, investment.target))
    add((iri, INV.amount, amount))
    add((amount, RDF.type, INV.MonetaryAmount))
    add((amount, SCHEMA.value, decimal_literal(investment.value)))
    add((amount, SCHEMA.currency, Literal(investment.currency)))
    add((iri, INV.confidence, decimal_literal(investment.confidence)))
    add((iri, PROV.wasDerivedFrom, KGR[f"doc/{investment.doc_id}"]))
    for sentence in investment.evidence:
        add((iri, INV.evidence, Literal(sentence, lang=investment.lang)))


# Output formats whose bytes we can make deterministic; RDF/XML is read but not written.
SERIALIZATIONS = {".ttl": "turtle", ".nt": "nt", ".nq": "nquads", ".jsonld": "json-ld", ".json": "json-ld", ".trig": "trig"}
READABLE = {**SERIALIZATIONS, ".rdf": "xml", ".xml": "xml", ".owl": "xml"}
GRAPH_NAME = KGR["graph"]


def format_for(path, explicit: str | None = None) -> str:
    """rdflib format name for an output path (by suffix) or an explicit --format."""
    if explicit:
        return explicit
    suffix = Path(path).suffix.lower()
    if suffix not in SERIALIZATIONS:
        raise ValueError(f"{path}: unknown RDF suffix '{suffix}' (use one of {', '.join(SERIALIZATIONS)}, or --format)")
    return SERIALIZATIONS[suffix]


def serialize(graph: Graph, fmt: str) -> bytes:
    """Serialise deterministically: lines of line-based formats and JSON-LD arrays are sorted."""
    data = graph.serialize(format=fmt, encoding="utf-8")
    if fmt in ("nt", "nquads"):
        data = b"".join(sorted(data.splitlines(keepends=True)))
    elif fmt == "json-ld":
        data = json.dumps(sorted_json(json.loads(data)), indent=2, sort_keys=True, ensure_ascii=False).encode() + b"\n"
    return data


def sorted_json(value):
    """JSON with every array sorted (JSON-LD arrays other than @list are unordered sets)."""
    if isinstance(value, dict):
        return {key: sorted_json(item) if key != "@list" else [sorted_json(i) for i in item] for key, item in value.items()}
    if isinstance(value, list):
        items = [sorted_json(item) for item in value]
        return sorted(items, key=lambda item: json.dumps(item, sort_keys=True, ensure_ascii=False))
    return value
