"""Graph → what a fact or an entity rests on: its evidence sentence with the names and amounts in
it marked, its source, confidence and conflicts, and for an entity why its mentions were merged.

Read-only and free of spaCy, like every command that only reads a graph. `kg explain` prints it,
`kg show` and the views draw it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache

from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.term import Node
from rdflib.namespace import OWL, PROV, SKOS

from kg.query import compact, explain_entity
from kg.resources import INV, ONTOLOGY, SCHEMA, language_of, load_turtle, subclasses, superclasses

# what a fact says of itself rather than of the world: shown apart, or not at all
OWN_PROPERTIES = {RDF.type, INV.evidence, PROV.wasDerivedFrom, INV.confidence}
AMOUNT = "AMOUNT"  # the segment kind of a money amount or quantity


@dataclass(frozen=True)
class Segment:
    """A piece of an evidence sentence: plain text (kind None), a name (its entity kind, e.g.
    "organisation") or an amount (kind "AMOUNT")."""

    text: str
    kind: str | None = None
    title: str = ""  # what a marked name stands for (an entity's compact IRI)


@dataclass
class FactExplanation:
    iri: str
    kind: str  # "capital expenditure", "commitment"…
    statements: list[tuple[str, str]]  # (property label, value as people read it)
    evidence: list[Segment]
    source: str
    language: str
    confidence: str
    conflicts: list[str] = field(default_factory=list)

    def as_json(self) -> dict:
        return {
            "iri": self.iri, "kind": self.kind, "statements": [list(pair) for pair in self.statements],
            "evidence": [{"text": s.text, "kind": s.kind} for s in self.evidence],
            "source": self.source, "language": self.language, "confidence": self.confidence, "conflicts": self.conflicts,
        }


@dataclass
class EntityExplanation:
    iri: str
    name: str
    kinds: list[str]
    same_as: list[str]
    mentions: list[tuple[str, str, str, str, int]]  # (text, language, why linked, source, count)
    facts: list[FactExplanation]
    fact_count: int = 0  # all its facts, of which `facts` may show the first

    def as_json(self) -> dict:
        return {
            "iri": self.iri, "name": self.name, "kinds": self.kinds, "sameAs": self.same_as,
            "mentions": [dict(zip(("text", "language", "reason", "source", "count"), m)) for m in self.mentions],
            "facts": [fact.as_json() for fact in self.facts], "factCount": self.fact_count,
        }


def explain(graph: Graph, term: str, limit: int | None = None) -> list[FactExplanation | EntityExplanation]:
    """What `term` (a fact's IRI, compact IRI or last path part, or an entity's IRI or any of its
    names) rests on, an entity's facts up to `limit` of them (all by default). Empty when the
    graph knows no such thing.

    >>> [e.kind for e in explain(graph, "kgr:investment/806902523d0beb4c-e88a662f7c")]  # doctest: +SKIP
    ['capital expenditure']
    """
    iri = resolve(graph, term)
    if iri is not None and (iri, INV.evidence, None) in graph:
        return [explain_fact(graph, iri)]
    if iri is not None and (None, INV.refersTo, iri) in graph:
        return [explain_entity_facts(graph, iri, limit)]
    found = (resolve(graph, e.entity) for e in explain_entity(graph, term))
    return [explain_entity_facts(graph, entity, limit) for entity in found if entity is not None]


def resolve(graph: Graph, term: str) -> Node | None:
    """The IRI a user means: full, prefixed ("kgr:microsoft") or the end of a fact's IRI."""
    if term.startswith(("http://", "https://")):
        return URIRef(term)
    prefix, colon, rest = term.partition(":")
    if colon:
        namespace = dict(graph.namespaces()).get(prefix)
        if namespace is not None:
            return URIRef(str(namespace) + rest)
    if "/" in term or "-" in term:
        ends = {s for s in graph.subjects(INV.evidence, None) if str(s).endswith("/" + term)}
        if len(ends) == 1:
            return ends.pop()
    return None


def explain_fact(graph: Graph, fact: Node) -> FactExplanation:
    document = graph.value(fact, PROV.wasDerivedFrom)
    names = names_in_document(graph, document, fact)
    evidence: list[Segment] = []
    for sentence in sorted(map(str, graph.objects(fact, INV.evidence))):  # every sentence, in a stable order
        evidence += ([Segment(" … ")] if evidence else []) + highlight(sentence, names)
    conflicts = [
        f"{label_of(graph, conflict)}: " + ", ".join(compact(c, graph) for c in sorted(graph.objects(conflict, INV.conflictingClaim), key=str) if c != fact)
        for conflict in sorted(graph.subjects(INV.conflictingClaim, fact), key=str)
    ]
    return FactExplanation(
        iri=compact(fact, graph),
        kind=fact_kind(graph, fact),
        statements=statements(graph, fact),
        evidence=evidence,
        source=str(graph.value(document, SCHEMA.name) or ""),
        language=str(graph.value(document, SCHEMA.inLanguage) or ""),
        confidence=str(graph.value(fact, INV.confidence) or ""),
        conflicts=conflicts,
    )


def explain_entity_facts(graph: Graph, entity: Node, limit: int | None = None) -> EntityExplanation:
    merged = explain_entity(graph, str(entity).rsplit("/", 1)[-1])
    mentions = next((list(e.mentions) for e in merged if e.entity == compact(entity, graph)), [])
    facts = sorted({s for s, _p in graph.subject_predicates(entity) if (s, INV.evidence, None) in graph}, key=str)
    return EntityExplanation(
        iri=compact(entity, graph),
        name=label_of(graph, entity),
        kinds=sorted(class_label(t) for t in graph.objects(entity, RDF.type) if str(t).startswith(str(INV))),
        same_as=sorted(compact(s, graph) for s in graph.objects(entity, OWL.sameAs)),
        mentions=mentions,
        facts=[explain_fact(graph, fact) for fact in facts[:limit]],
        fact_count=len(facts),
    )


def facts_of_document(graph: Graph, document: URIRef) -> list[FactExplanation]:
    """Every fact derived from `document`, investments first."""
    facts = [s for s in graph.subjects(PROV.wasDerivedFrom, document) if (s, INV.evidence, None) in graph]
    explained = [explain_fact(graph, fact) for fact in facts]
    return sorted(explained, key=lambda e: (e.kind not in investment_kinds(), e.kind, e.iri))


def statements(graph: Graph, fact: Node) -> list[tuple[str, str]]:
    rows = []
    for predicate, value in graph.predicate_objects(fact):
        if predicate in OWN_PROPERTIES:
            continue
        rows.append((property_label(predicate), value_text(graph, value)))
    return sorted(rows)


def value_text(graph: Graph, value) -> str:
    """An amount as "4,000,000,000 USD" ("up to …" for a maximum), an entity or concept by its
    label, a literal as written."""
    if isinstance(value, Literal):
        return compact(value, graph)
    amount = graph.value(value, SCHEMA.value)
    if amount is not None:
        unit = graph.value(value, SCHEMA.currency) or graph.value(value, INV.unit)
        unit_text = label_of(graph, unit) if isinstance(unit, URIRef) else str(unit or "")
        maximum = graph.value(value, INV.isMaximum)
        text = f"{compact(amount, graph)} {unit_text}".strip()
        return f"up to {text}" if maximum is not None and maximum.toPython() else text
    return label_of(graph, value)


def label_of(graph: Graph, node) -> str:
    """The catalogue's preferred label (English first), else the least of the names texts give,
    else the ontology's English label, else a compact IRI."""
    preferred = sorted(graph.objects(node, SKOS.prefLabel), key=lambda label: (language_of(label) != "en", str(label)))
    if preferred:
        return str(preferred[0])
    names = sorted(str(label) for label in graph.objects(node, RDFS.label))
    if names:
        return names[0]
    ontology_label = ontology_labels().get(node)
    return ontology_label or compact(node, graph)


def fact_kind(graph: Graph, fact: Node) -> str:
    """The most specific of a fact's inv: classes, by its English label."""
    types = sorted((t for t in graph.objects(fact, RDF.type) if str(t).startswith(str(INV))), key=str)
    return class_label(max(types, key=lambda t: len(superclasses(t)))) if types else "fact"


@cache
def ontology_labels() -> dict[Node, str]:
    ontology = load_turtle(ONTOLOGY)
    return {s: str(o) for s, o in ontology.subject_objects(RDFS.label) if language_of(o) == "en"}


def class_label(cls: Node) -> str:
    return ontology_labels().get(cls) or str(cls).rsplit("#", 1)[-1]


def property_label(predicate: Node) -> str:
    return ontology_labels().get(predicate) or str(predicate).rsplit("#", 1)[-1].rsplit("/", 1)[-1]


@cache
def investment_kinds() -> frozenset[str]:
    """The English labels of the investment classes ("capital expenditure"…), from the ontology."""
    return frozenset(class_label(c) for c in subclasses(INV.Investment))


# colours of the broad kinds of entities (colour-blind safe, from the Okabe–Ito palette)
GROUP_COLOURS = {INV.Organization: "#0072B2", INV.Place: "#009E73", INV.Person: "#CC79A7", INV.Programme: "#E69F00",
                 INV.Event: "#D55E00"}
AMOUNT_COLOUR = "#F0E442"
OTHER_COLOUR = "#999999"


def group_colours() -> dict[str, str]:
    """Entity group label ("organisation"…) → colour, plus the amount's."""
    return {**{class_label(cls): colour for cls, colour in GROUP_COLOURS.items()}, AMOUNT: AMOUNT_COLOUR}


def entity_group(graph: Graph, entity) -> str:
    """The broadest inv: class of an entity ("organisation" for a startup, "place" for a city),
    by its English label: what the views colour by."""
    groups = sorted({top_class(t) for t in graph.objects(entity, RDF.type) if str(t).startswith(str(INV))}, key=str)
    return class_label(groups[0]) if groups else "other"


@cache
def top_class(cls: Node) -> Node:
    """The broadest class of the project's ontology above `cls`: inv:Organization for inv:Startup."""
    def own(c) -> bool:
        return str(c).startswith(str(INV))

    tops = [c for c in superclasses(cls) if own(c) and not any(own(p) and p != c for p in superclasses(c))]
    return min(tops, key=str, default=cls)


def names_in_document(graph: Graph, document, fact: Node | None = None) -> dict[str, str]:
    """Every name a document's mentions give, and the labels of what `fact` points to, with the
    group of their entity: what to mark in its sentences."""
    names: dict[str, str] = {}
    if fact is not None:
        for value in graph.objects(fact, None):
            if isinstance(value, URIRef) and (value, RDF.type, None) in graph and (value, RDFS.label, None) in graph:
                for label in graph.objects(value, RDFS.label):
                    names[str(label)] = entity_group(graph, value)
    if document is not None:
        for mention in graph.subjects(PROV.wasDerivedFrom, document):
            text = graph.value(mention, INV.mentionText)
            if text is not None:
                names[str(text)] = entity_group(graph, graph.value(mention, INV.refersTo))
    return names


def highlight(text: str, names: dict[str, str]) -> list[Segment]:
    """`text` cut into segments, names and amounts marked; the longest match wins.

    >>> highlight("Acme investirà 4 miliardi di euro.", {"Acme": "organisation"})[:2]
    [Segment(text='Acme', kind='organisation'), Segment(text=' investirà ', kind=None)]
    """
    spans = [(m.start(), m.end(), AMOUNT, "") for m in amount_pattern().finditer(text)]
    for name in sorted(names, key=len, reverse=True):
        if len(name) < 2:
            continue
        for match in re.finditer(rf"(?<!\w){re.escape(name)}(?!\w)", text):
            spans.append((match.start(), match.end(), names[name], ""))
    return cut(text, spans)


def cut(text: str, spans: list[tuple[int, int, str, str]]) -> list[Segment]:
    """`text` as segments, each span (start, end, kind, title) marked: of spans that overlap, the
    one that starts first wins, the longest on a tie."""
    segments, at = [], 0
    for start, end, kind, title in sorted(spans, key=lambda span: (span[0], -(span[1] - span[0]))):
        if start < at:
            continue
        if start > at:
            segments.append(Segment(text[at:start]))
        segments.append(Segment(text[start:end], kind, title))
        at = end
    if at < len(text):
        segments.append(Segment(text[at:]))
    return segments


@cache
def amount_pattern() -> re.Pattern:
    """A number with its scale word and currency ("4 miliardi di dollari", "1,2 Mrd. Euro", "€ 50
    Millionen"), or a number alone; words from the lexicon."""
    from kg.lexicon import load_lexicon

    lexicon = load_lexicon()
    def alternation(words) -> str:
        return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))

    scales, currencies = alternation(lexicon.scales), alternation(lexicon.currency_terms)
    linkers = alternation(lexicon.words_in_any_language("amount-linker"))
    number = r"\d[\d.,'’]*\d|\d"
    scale = rf"\s?(?:{scales})(?!\w)"
    currency_after = rf"\s(?:(?:{linkers})\s?)?(?:{currencies})(?!\w)"
    # a bare number ("2027", "25") is no amount: a scale, a currency or a percent sign makes one
    return re.compile(
        rf"(?<!\w)(?:(?:{currencies})\s?(?:{number})(?:{scale})?"
        rf"|(?:{number})(?:{scale})(?:{currency_after})?|(?:{number})(?:{currency_after})|(?:{number})\s?%)",
        re.IGNORECASE,
    )


def text_lines(explanations: list[FactExplanation | EntityExplanation], style=None) -> Iterator[str]:
    """Lines for a terminal. `style(text, kind)` marks a name or amount (colour, bold); without it,
    names are left plain and amounts too."""
    style = style or (lambda text, kind: text)
    for explanation in explanations:
        if isinstance(explanation, EntityExplanation):
            yield f"{explanation.iri}  {explanation.name}  ({', '.join(explanation.kinds) or 'entity'})"
            for same in explanation.same_as:
                yield f"  same as      {same}"
            yield "  merged from:" if explanation.mentions else "  no mentions"
            for text, language, reason, source, count in explanation.mentions:
                yield f"    {count}× \"{text}\"@{language}  {reason}  [{source}]"
            shown = f" (the first {len(explanation.facts)}; --limit 0 shows all)" if len(explanation.facts) < explanation.fact_count else ""
            yield f"  facts: {explanation.fact_count}{shown}"
            for fact in explanation.facts:
                yield from ("  " + line for line in fact_lines(fact, style))
        else:
            yield from fact_lines(explanation, style)
        yield ""


def fact_lines(fact: FactExplanation, style) -> Iterator[str]:
    yield f"{fact.iri}  {fact.kind}"
    for label, value in fact.statements:
        yield f"  {label:<14} {value}"
    yield f"  {'confidence':<14} {fact.confidence}"
    yield f"  {'source':<14} {fact.source} ({fact.language})"
    evidence = "".join(style(s.text, s.kind) if s.kind else s.text for s in fact.evidence)
    yield f"  {'evidence':<14} «{evidence}»"
    for conflict in fact.conflicts:
        yield f"  {'conflict':<14} {conflict}"
