"""Facts → RDF: documents, entities, facts and conflicts as a set of triples, then a Graph or N-Triples.

Every IRI is derived from content (document hashes, normalised names, fact keys) and no blank
node or timestamp is written, so the same input gives the same graph, byte for byte.
"""

from __future__ import annotations

from functools import lru_cache
from collections.abc import Iterable
from decimal import Decimal

from rdflib import OWL, RDF, RDFS, XSD, Literal, URIRef
from rdflib.namespace import PROV, SKOS

from kg.catalogue import catalogue_graph
from kg.documents import SourceDocument
from kg.facts import Commitment, Conflict, DocumentFacts, Facility, Investment, Partnership, Role
from kg.facts.investments import KIND_CLASSES
from kg.facts.context import Fact
from kg.linking import Entity, LinkedMention
from kg.rdfio import GRAPH_NAME, READABLE, SERIALIZATIONS, format_for, iri_n3, nt_row, serialize, triples_graph  # noqa: F401
from kg.resources import INV, KGR, LEX, LEXICON, ORG, SCHEMA, load_turtle

# Catalogue relations copied into the graph, with every entity they lead to.
CATALOGUE_LINKS = (INV.locatedIn, SCHEMA.parentOrganization, SCHEMA.worksFor, SCHEMA.organizer)


def document_iri(doc_id: str) -> URIRef:
    return KGR[f"doc/{doc_id}"]


@lru_cache(maxsize=65536, typed=True)  # names, reasons and positions recur over a corpus's mentions
def literal(value: str | int, lang: str | None = None) -> Literal:
    """Literal(value, lang=lang), made once per value: rdflib takes microseconds to make one."""
    return Literal(value, lang=lang)


@lru_cache(maxsize=4096)  # confidences and amounts repeat; making a decimal Literal is slow
def decimal_literal(value: Decimal) -> Literal:
    return Literal(format(value.normalize(), "f"), datatype=XSD.decimal)


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
    for investment in facts.investments:
        add_investment(add, investment)
    for commitment in facts.commitments:
        add_commitment(add, commitment)
    for role in facts.roles:
        add_role(add, role)
    for partnership in facts.partnerships:
        add_partnership(add, partnership)
    return triples


def shared_triples(
    entities: dict[URIRef, Entity], facts: DocumentFacts, conflicts: Iterable[Conflict], lexicon_used: set[URIRef],
) -> set[tuple]:
    """What only the whole corpus can say: merged entities with their catalogue context, facilities
    reported by several documents, who works for whom, conflicts, and the lexicon concepts in use."""
    triples: set[tuple] = set()
    add = triples.add
    for entity in entities.values():
        add_entity(add, entity)
    add_catalogue_context(add, entities)
    for role in facts.roles:
        add((role.person, SCHEMA.worksFor, role.organisation))
    for same_place in group_by_iri(facts.facilities).values():
        add_facility(add, same_place)
    for conflict in conflicts:
        add((conflict.iri, RDF.type, INV.Conflict))
        add((conflict.iri, INV.conflictOn, Literal(conflict.on)))
        add((conflict.iri, RDFS.label, Literal(f"sources disagree on {conflict.on}", lang="en")))
        for claim in conflict.claims:
            add((conflict.iri, INV.conflictingClaim, claim.iri))
    add_lexicon_concepts(add, lexicon_used | lexicon_concepts(triples))
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


def add_provenance(add, iri: URIRef, fact: Fact) -> None:
    """Document, evidence sentences and confidence: what every fact keeps."""
    add_sources(add, iri, fact)
    add((iri, INV.confidence, decimal_literal(fact.confidence)))


def add_sources(add, iri: URIRef, fact: Fact) -> None:
    """The fact's document and its evidence sentences, tagged with the document's language."""
    add((iri, PROV.wasDerivedFrom, document_iri(fact.doc_id)))
    for sentence in fact.evidence:
        add((iri, INV.evidence, Literal(sentence, lang=fact.lang)))


def add_investment(add, investment: Investment) -> None:
    iri = investment.iri
    add((iri, RDF.type, INV.Investment))
    add((iri, RDF.type, KIND_CLASSES[investment.kind]))
    for investor in investment.investors:
        add((iri, INV.investor, investor))
    for participant in investment.participants:
        add((iri, INV.participant, participant))
    add((iri, INV.target, investment.target))
    for index, amount in enumerate(investment.amounts):
        node = URIRef(f"{iri}/amount" + (f"-{index + 1}" if index else ""))
        add((iri, INV.amount, node))
        add((node, RDF.type, INV.MonetaryAmount))
        add((node, SCHEMA.value, decimal_literal(amount.value)))
        if amount.currency is not None:
            add((node, SCHEMA.currency, Literal(amount.currency)))
        if amount.maximum:
            add((node, INV.isMaximum, Literal(True)))
    if investment.share is not None:
        add((iri, INV.share, decimal_literal(investment.share)))
    if investment.round_name is not None:
        add((iri, INV.roundName, literal(investment.round_name)))
    if investment.status is not None:
        add((iri, INV.status, investment.status))
    if investment.occasion is not None:
        add((iri, INV.occasion, investment.occasion))
    if investment.deadline is not None:
        add((iri, INV.deadline, Literal(str(investment.deadline), datatype=XSD.gYear)))
    for purpose in investment.purposes:
        add((iri, INV.purpose, purpose))
    add_provenance(add, iri, investment)


def add_commitment(add, commitment: Commitment) -> None:
    iri = commitment.iri
    quantity = URIRef(f"{iri}/quantity")
    add((iri, RDF.type, INV.Commitment))
    add((iri, INV.committedBy, commitment.committed_by))
    add((iri, INV.quantity, quantity))
    add((quantity, RDF.type, SCHEMA.QuantitativeValue))
    add((quantity, SCHEMA.value, decimal_literal(commitment.quantity)))
    add((quantity, INV.unit, commitment.unit))
    add((iri, INV.deadline, Literal(str(commitment.deadline), datatype=XSD.gYear)))
    add_provenance(add, iri, commitment)


def add_role(add, role: Role) -> None:
    iri = role.iri
    add((iri, RDF.type, ORG.Membership))
    add((iri, ORG.member, role.person))
    add((iri, ORG.organization, role.organisation))
    add((iri, INV.roleLabel, Literal(role.label, lang=role.lang)))
    add_provenance(add, iri, role)


def group_by_iri(facts: list) -> dict[URIRef, list]:
    groups: dict[URIRef, list] = {}
    for fact in sorted(facts, key=lambda f: f.doc_id):
        groups.setdefault(fact.iri, []).append(fact)
    return groups


def add_facility(add, reports: list[Facility]) -> None:
    """One node per facility (operator and place), with what each document reports of it."""
    first = reports[0]
    iri = first.iri
    add((iri, RDF.type, INV.Facility))
    add((iri, INV.operator, first.operator))
    add((iri, INV.locatedIn, first.place))
    status = next((report.status for report in reports if report.status is not None), None)
    if status is not None:
        add((iri, INV.facilityStatus, status))
    labels = {label.language: str(label) for label in load_turtle(LEXICON).objects(LEX.facility, SKOS.prefLabel)}
    for report in reports:
        kind = labels.get(report.lang, labels.get("en", "facility"))
        add((iri, RDFS.label, Literal(f"{kind} {report.place_name}", lang=report.lang)))
        add_sources(add, iri, report)
    add((iri, INV.confidence, decimal_literal(max(report.confidence for report in reports))))


def add_partnership(add, partnership: Partnership) -> None:
    iri = partnership.iri
    add((iri, RDF.type, INV.Partnership))
    add((iri, SCHEMA.organizer, partnership.organiser))
    if partnership.programme is not None:
        add((iri, INV.programme, partnership.programme))
    for partner in partnership.partners:
        add((iri, INV.partner, partner))
    for venue in partnership.venues:
        add((iri, SCHEMA.location, venue))
    for audience in partnership.audiences:
        add((iri, INV.audience, audience))
    add_provenance(add, iri, partnership)


def add_lexicon_concepts(add, used: set[URIRef]) -> None:
    """Type and labels of the lexicon concepts the facts use."""
    lexicon = load_turtle(LEXICON)
    for concept in used:
        for cls in lexicon.objects(concept, RDF.type):
            add((concept, RDF.type, cls))
        for label in lexicon.objects(concept, SKOS.prefLabel):
            add((concept, SKOS.prefLabel, label))
