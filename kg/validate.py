"""Graph → SHACL verdict: the project's shapes through pySHACL, as readable violations."""

from __future__ import annotations

import multiprocessing
import threading
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from typing import Any, cast
from dataclasses import dataclass, field
from pathlib import Path

import pyshacl
from rdflib import RDF, RDFS, BNode, Graph, Literal, URIRef
from rdflib.namespace import PROV, SH
from rdflib.plugins.stores.memory import Memory
from rdflib.term import Node

from kg.resources import INV, ONTOLOGY, SCHEMA, SHAPES, load_turtle


@dataclass(frozen=True)
class Violation:
    focus: str
    path: str
    message: str
    severity: str
    sources: tuple[str, ...]  # source files of the documents the focus node came from

    def __str__(self) -> str:
        where = f" [{', '.join(self.sources)}]" if self.sources else ""
        return f"{self.severity}: {self.focus} {self.path}: {self.message}{where}"


@dataclass(frozen=True)
class ValidationReport:
    conforms: bool
    violations: tuple[Violation, ...]


SHARD_TRIPLES = 200_000


def validate_graph(
    graph: Graph, shapes: Path = SHAPES, ontology: Path = ONTOLOGY, jobs: int = 1, shard_triples: int | None = None,
) -> ValidationReport:
    """Validate `graph` against the shapes; subclasses count for sh:class (a Startup is an Organization).

    Instead of pySHACL's RDFS inference (which copies the graph, takes ~40 s per 230k triples, and
    would also type every object of inv:investor as an organisation by rdfs:range, hiding the very
    violations the shapes look for), superclass types are materialised for the run: ~7x faster,
    and range/domain never vouch for a node.

    An in-memory graph is validated whole, in place; with `jobs` > 1 by forked processes that
    each run a share of the shapes over the same graph (no copy; the union of their results is
    the whole verdict). A graph in another store (an Oxigraph folder, opened read-only), any graph
    when forking is not possible, or when `shard_triples` is given, is validated in shards of
    subjects of about `shard_triples` triples (see `shards`), by `jobs` processes; the verdict is
    the same because the shapes look one step from their focus node.
    """
    shapes_graph = load_turtle(shapes)
    ancestors = superclasses(load_turtle(ontology))
    in_place = isinstance(graph.store, Memory)  # the whole-graph run adds types to the graph for a while
    sharded = shard_triples or not in_place or (jobs > 1 and not can_fork())
    if sharded and one_step_shapes(shapes_graph):
        size = shard_triples or SHARD_TRIPLES
        found = validate_in_shards(graph, shapes, ancestors, jobs, size, targets_of_objects(shapes_graph))
    else:
        found = validate_whole(graph if in_place else copy_to_memory(graph), shapes_graph, ancestors, jobs)
    violations = sorted({describe(graph, *terms) for terms in found}, key=lambda v: (v.focus, v.path, v.message))
    return ValidationReport(not violations, tuple(violations))


def validate_whole(graph: Graph, shapes_graph: Graph, ancestors: dict, jobs: int = 1) -> list[tuple]:
    """pySHACL over the whole graph, with the superclass types added for the run and removed after;
    with `jobs` > 1 the shapes are shared out among forked processes."""
    inferred = {
        (node, RDF.type, ancestor)
        for node, cls in graph.subject_objects(RDF.type)
        for ancestor in ancestors.get(cls, ())
        if (node, RDF.type, ancestor) not in graph
    }
    graph.addN((s, p, o, graph) for s, p, o in inferred)
    try:
        if jobs == 1 or not can_fork():
            return run_pyshacl(graph, shapes_graph)
        return in_forked_processes(validate_shapes, share_shapes(graph, shapes_graph, jobs), (graph, shapes_graph))
    finally:
        for triple in inferred:
            graph.remove(triple)


def share_shapes(graph: Graph, shapes_graph: Graph, jobs: int) -> list[list[Node]]:
    """The node shapes in `jobs` groups of about equal work (focus nodes × property shapes)."""
    def work(shape) -> int:
        focus = sum(1 for cls in shapes_graph.objects(shape, SH.targetClass) for _ in graph.subjects(RDF.type, cls))
        focus += sum(1 for p in shapes_graph.objects(shape, SH.targetSubjectsOf) for _ in graph.subject_objects(p))
        focus += sum(1 for p in shapes_graph.objects(shape, SH.targetObjectsOf) for _ in graph.subject_objects(p))
        return focus * max(1, len(list(shapes_graph.objects(shape, SH.property))))

    shares: list[list[Node]] = [[] for _ in range(jobs)]
    loads = [0] * jobs
    for cost, shape in sorted(((work(shape), shape) for shape in set(shapes_graph.subjects(RDF.type, SH.NodeShape))), reverse=True):
        least = loads.index(min(loads))
        shares[least].append(shape)
        loads[least] += cost
    return [share for share in shares if share]


def validate_shapes(shapes: list[Node]) -> list[tuple]:
    assert _FORKED is not None, "validate_shapes runs in a worker forked by in_forked_processes"
    graph, shapes_graph = _FORKED
    return run_pyshacl(graph, shapes_graph, shapes)


def copy_to_memory(graph: Graph) -> Graph:
    copy = Graph()
    copy.addN((s, p, o, copy) for s, p, o in graph)
    return copy


def run_pyshacl(data: Graph, shapes_graph: Graph, use_shapes: list[Node] | None = None) -> list[tuple]:
    """(focus, path, message, severity) of every result pySHACL reports (for `use_shapes` only).

    Not pySHACL's focus_nodes option: it also filters the value nodes that nested shapes (sh:or)
    check, and an investor that is a city then passes "organisation or person"."""
    _conforms, results, _text = pyshacl.validate(
        data, shacl_graph=shapes_graph, inference="none", inplace=True, allow_warnings=True,
        use_shapes=cast(Any, use_shapes),  # pySHACL takes any shape node, its annotation says URIRef
    )
    return [
        (
            results.value(result, SH.focusNode),
            results.value(result, SH.resultPath),
            results.value(result, SH.resultMessage) or results.value(result, SH.sourceConstraintComponent),
            results.value(result, SH.resultSeverity),
        )
        for result in results.subjects(SH.resultSeverity, None)
    ]


def superclasses(ontology: Graph) -> dict[Node, set[Node]]:
    """Each class's strict superclasses by rdfs:subClassOf."""
    return {
        cls: {c for c in ontology.transitive_objects(cls, RDFS.subClassOf) if c is not None} - {cls}
        for cls in set(ontology.subjects(RDFS.subClassOf, None))
    }


# Shape features that look further than one step from the focus node; with any of them the graph
# cannot be cut into shards that keep the verdict, and it is validated whole.
BEYOND_ONE_STEP = (SH.node, SH.qualifiedValueShape, SH.sparql, SH.targetNode, SH.target, SH.equals, SH.disjoint,
                   SH.lessThan, SH.lessThanOrEquals, SH.closed)


def one_step_shapes(shapes_graph: Graph) -> bool:
    """Whether every shape looks only at its focus node's own triples and the types of their objects."""
    if any((None, feature, None) in shapes_graph for feature in BEYOND_ONE_STEP):
        return False
    return all(isinstance(path, URIRef) for path in shapes_graph.objects(None, SH.path))


def targets_of_objects(shapes_graph: Graph) -> set[Node]:
    """Predicates whose objects are focus nodes (sh:targetObjectsOf)."""
    return set(shapes_graph.objects(None, SH.targetObjectsOf))


def shards(graph: Graph, ancestors: dict, incoming: set[Node], size: int,
           subjects: Iterable[Node] | None = None) -> Iterator[tuple[set[tuple], set]]:
    """The graph (or the given `subjects` of it) cut into (triples, focus nodes) pieces of about
    `size` triples.

    Each subject is the focus of exactly one shard, which holds all its triples, the (superclass-
    complete) types of every node they point to, and the triples through which it is a target of
    sh:targetObjectsOf. Shapes that look one step (`one_step_shapes`) see in the shard exactly
    what they would see in the whole graph; results on other nodes of the shard are dropped.
    """
    types: dict = {}
    complete = completer(ancestors)

    def typed(node) -> list[tuple]:
        if node not in types:
            types[node] = [(node, RDF.type, cls) for cls in complete(graph.objects(node, RDF.type))]
        return types[node]

    triples: set[tuple] = set()
    focus: set = set()
    for subject in sorted(set(graph.subjects()) if subjects is None else set(subjects), key=str):
        for triple in graph.triples((subject, None, None)):
            triples.add(triple)
            if not isinstance(triple[2], Literal):
                triples.update(typed(triple[2]))
        triples.update(typed(subject))
        for predicate in incoming:
            triples.update((source, predicate, subject) for source in graph.subjects(predicate, subject))
        focus.add(subject)
        if len(triples) >= size:
            yield triples, focus
            triples, focus = set(), set()
    if focus:
        yield triples, focus


def validate_in_shards(graph: Graph, shapes: Path, ancestors: dict, jobs: int, size: int, incoming: set) -> list[tuple]:
    """Shards validated here, or sent to `jobs` spawned processes."""
    if jobs == 1:
        return [found for piece in shards(graph, ancestors, incoming, size) for found in validate_shard(*piece, shapes)]
    with ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("spawn")) as pool:
        futures = [pool.submit(validate_shard, *piece, shapes) for piece in shards(graph, ancestors, incoming, size)]
        return [found for future in futures for found in future.result()]


@dataclass
class PieceVerdict:
    """What validating one document's own nodes found (where its triples were made), and what it
    took for granted about the nodes it points to, to be checked once the corpus is merged."""

    results: list[tuple] = field(default_factory=list)  # (focus, path, message, severity)
    assumed: dict[Node, frozenset] = field(default_factory=dict)  # pointed-to node → its types, superclasses included
    types: dict[Node, frozenset] = field(default_factory=dict)  # own typed nodes but mentions → types (what shared triples may point to)
    incoming: list[tuple] = field(default_factory=list)  # own triples that make another node a target (sh:targetObjectsOf)


def validate_documents(
    documents: list[list[tuple]], context: Iterable[tuple], shapes: Path = SHAPES, ontology: Path = ONTOLOGY,
) -> list[PieceVerdict]:
    """Validate the nodes of each document's own triples (their subjects) in one pySHACL run,
    with the types `context` gives the nodes they point to (entities as these documents see
    them, lexicon concepts…). For one-step shapes (`one_step_shapes`) a node's results depend on
    its own triples and those types only, so they are final unless a pointed-to node ends up
    with other types in the merged graph (`CorpusVerdict.settle` checks)."""
    ancestors = superclasses(load_turtle(ontology))
    shapes_graph = load_turtle(shapes)
    complete = completer(ancestors)
    given: defaultdict[Node, set] = defaultdict(set)
    for subject, predicate, obj in context:
        if predicate == RDF.type:
            given[subject].add(obj)
    targets = targets_of_objects(shapes_graph)
    data: list[tuple] = []
    owners: dict[Node, int] = {}
    verdicts = []
    for number, triples in enumerate(documents):
        own: defaultdict[Node, set] = defaultdict(set)
        for subject, predicate, obj in triples:
            own[subject]
            if predicate == RDF.type:
                own[subject].add(obj)
        external = {o for _s, _p, o in triples if not isinstance(o, Literal) and o not in own}
        verdict = PieceVerdict(
            assumed={node: complete(given.get(node, set())) for node in external},
            types={node: complete(types) for node, types in own.items() if types and INV.Mention not in types},
        )
        verdicts.append(verdict)
        owners.update((node, number) for node in own)
        data.extend(triples)
        data.extend((node, RDF.type, cls) for node, types in own.items() for cls in complete(types))
        data.extend((node, RDF.type, cls) for node, types in verdict.assumed.items() for cls in types)
        verdict.incoming = [t for t in triples if t[1] in targets and t[2] in external]
    for found in validate_alike_once(data, set(owners), shapes_graph):
        verdicts[owners[found[0]]].results.append(found)
    return verdicts


def completer(ancestors: dict) -> Callable[[Iterable[Node]], frozenset]:
    """A function that adds to types their superclasses."""
    def complete(types: Iterable[Node]) -> frozenset:
        types = set(types)
        return frozenset(types | {a for cls in types for a in ancestors.get(cls, ())})
    return complete


@dataclass
class CorpusVerdict:
    """The documents' verdicts merged as they arrive, then settled with the shared triples."""

    results: list[tuple] = field(default_factory=list)
    local_types: dict[Node, frozenset] = field(default_factory=dict)
    assumed: defaultdict[Node, set] = field(default_factory=lambda: defaultdict(set))
    incoming: set[tuple] = field(default_factory=set)
    interned: dict[frozenset, frozenset] = field(default_factory=dict)  # a few type sets, shared by many nodes

    def add(self, verdict: PieceVerdict) -> None:
        self.results.extend(verdict.results)
        self.incoming.update(verdict.incoming)
        for node, types in verdict.types.items():
            self.local_types[node] = self.interned.setdefault(types, types)
        for node, types in verdict.assumed.items():
            self.assumed[node].add(self.interned.setdefault(types, types))

    def settle(self, shared: set[tuple], final_graph: Callable[[], Graph],
               shapes: Path = SHAPES, ontology: Path = ONTOLOGY) -> ValidationReport:
        """The whole graph's verdict: the shared triples (merged entities, conflicts, lexicon
        concepts…) validated here with the types of what they point to, and the documents'
        results. Where a document took a pointed-to node for other types than the merged graph
        gives it (an entity one text calls a startup and another an organisation), the nodes
        pointing to it are validated again from `final_graph`, which is also read to name the
        sources of violations; otherwise it is never opened. Same verdict as `validate_graph`."""
        ancestors = superclasses(load_turtle(ontology))
        complete = completer(ancestors)
        shared_types: defaultdict[Node, set] = defaultdict(set)
        for subject, predicate, obj in shared:
            shared_types[subject]
            if predicate == RDF.type:
                shared_types[subject].add(obj)

        def types_of(node) -> frozenset:
            return complete(shared_types[node]) if node in shared_types else self.local_types.get(node, frozenset())

        targets = targets_of_objects(load_turtle(shapes))
        changed = {node for node, views in self.assumed.items() if views != {types_of(node)}}
        adrift = {o for _s, p, o in shared if p in targets and o not in shared_types}  # targets only shared triples make
        piece = set(shared) | self.incoming
        piece.update((node, RDF.type, cls) for node in shared_types for cls in types_of(node))
        piece.update((o, RDF.type, cls) for _s, _p, o in shared if not isinstance(o, Literal) for cls in types_of(o))
        found = [f for f in self.results if f[0] not in shared_types] + validate_shard(piece, set(shared_types), shapes)
        graph = None
        if changed or adrift:
            graph = final_graph()
            again = ({s for node in changed for s in graph.subjects(None, node)} | adrift) - set(shared_types)
            found = [f for f in found if f[0] not in again]
            for triples, focus in shards(graph, ancestors, targets, SHARD_TRIPLES, subjects=again):
                found.extend(validate_shard(triples, focus, shapes))
        if not found:
            return ValidationReport(True, ())
        graph = graph if graph is not None else final_graph()
        violations = sorted({describe(graph, *terms) for terms in found}, key=lambda v: (v.focus, v.path, v.message))
        return ValidationReport(False, tuple(violations))


def can_fork() -> bool:
    """Forking shares the graph without copying it; with other threads running (a Dask client, a
    server) it is unsafe."""
    return "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1


def in_forked_processes(task, shares: list, inherited: tuple) -> list[tuple]:
    """`task` over each share in its own forked process, which finds `inherited` in `_FORKED`."""
    global _FORKED
    _FORKED = inherited
    try:
        with ProcessPoolExecutor(max_workers=len(shares), mp_context=multiprocessing.get_context("fork")) as pool:
            return [found for part in pool.map(task, shares) for found in part]
    finally:
        _FORKED = None


_FORKED: tuple | None = None  # what forked validation workers read from their parent


def validate_shard(triples: set[tuple], focus: set, shapes: Path) -> list[tuple]:
    """pySHACL over one shard; only results on the shard's own focus nodes count."""
    return validate_alike_once(triples, focus, load_turtle(shapes))


# Constraint parameters that read a value itself, not only its kind, datatype or types.
VALUE_PARAMETERS = {SH.pattern, SH["in"], SH.hasValue, SH.minLength, SH.maxLength, SH.minInclusive, SH.maxInclusive,
                    SH.minExclusive, SH.maxExclusive, SH.languageIn, SH.uniqueLang, SH.flags}


def validate_alike_once(triples: Iterable[tuple], focus: set, shapes_graph: Graph) -> list[tuple]:
    """The results of one-step shapes on the `focus` nodes of `triples` (their types complete),
    each kind of node validated once: nodes alike (`alike`) get the same results, so pySHACL sees
    one of each (a corpus's mentions are a few kinds, not thousands of nodes), with only the shapes
    that target one of them (not those of the nodes they point to, typed for sh:class)."""
    targets = targets_of_objects(shapes_graph)
    index = TripleIndex(triples, focus, targets)
    kinds: dict[tuple, list] = {}
    for node, kind in alike(index, focus, *value_reading(shapes_graph)).items():
        kinds.setdefault(kind, []).append(node)
    sample = Graph()
    for first, *_others in kinds.values():
        for predicate, obj in index.outgoing.get(first, ()):
            sample.add((first, predicate, obj))
            sample.addN((obj, RDF.type, cls, sample) for cls in index.types.get(obj, ()))
        sample.addN((subject, predicate, first, sample) for subject, predicate in index.incoming.get(first, ()))
    members = {nodes[0]: nodes for nodes in kinds.values()}
    shapes = targeting_shapes(shapes_graph, sample, list(members))
    if not shapes:
        return []
    return [(node, *found[1:]) for found in run_pyshacl(sample, shapes_graph, shapes) if found[0] in members
            for node in members[found[0]]]


class TripleIndex:
    """Triples by what `alike` and the sample need: types of every node, the focus nodes' own
    triples, and the triples that make a focus node a target of sh:targetObjectsOf."""

    def __init__(self, triples: Iterable[tuple], focus: set, targets: set):
        self.types: dict[Node, set] = {}
        self.outgoing: dict[Node, list] = {}
        self.incoming: dict[Node, list] = {}
        for s, p, o in triples:
            if p == RDF.type:
                self.types.setdefault(s, set()).add(o)
            if s in focus:
                self.outgoing.setdefault(s, []).append((p, o))
            if p in targets and o in focus:
                self.incoming.setdefault(o, []).append((s, p))
        for node, pairs in self.outgoing.items():  # a triple listed twice is one triple
            self.outgoing[node] = list(dict.fromkeys(pairs))


def targeting_shapes(shapes_graph: Graph, data: Graph, nodes: list[Node]) -> list[Node]:
    """The node shapes whose targets include one of `nodes` in `data`."""
    types = {cls for node in nodes for cls in data.objects(node, RDF.type)}
    subjects_of = {p for node in nodes for p in data.predicates(node, None)}
    objects_of = {p for node in nodes for p in data.predicates(None, node)}
    return [shape for shape in set(shapes_graph.subjects(RDF.type, SH.NodeShape))
            if any(cls in types for cls in shapes_graph.objects(shape, SH.targetClass))
            or any(p in subjects_of for p in shapes_graph.objects(shape, SH.targetSubjectsOf))
            or any(p in objects_of for p in shapes_graph.objects(shape, SH.targetObjectsOf))]


def value_reading(shapes_graph: Graph) -> tuple[frozenset, bool]:
    """The paths whose values some constraint reads (sh:pattern, sh:in, ranges…, in nested shapes
    too), and whether a node shape reads its focus node itself."""
    paths = set()
    for shape, path in shapes_graph.subject_objects(SH.path):
        seen, todo = set(), [shape]
        while todo:
            node = todo.pop()
            seen.add(node)
            for parameter, value in shapes_graph.predicate_objects(node):
                if parameter in VALUE_PARAMETERS:
                    paths.add(path)
                if isinstance(value, BNode) and value not in seen and parameter != SH.path:
                    todo.append(value)
    node_shapes = set(shapes_graph.subjects(RDF.type, SH.NodeShape))
    return frozenset(paths), any((shape, parameter, None) in shapes_graph for shape in node_shapes for parameter in VALUE_PARAMETERS)


def alike(index: TripleIndex, focus: set, value_paths: frozenset, focus_read: bool) -> dict:
    """For each `focus` node, what one-step shapes can see of it: its kind and types, and for each of
    its triples the predicate, the object's kind, datatype, language, well-formedness and types,
    and the object itself where a constraint reads it (and the node itself where a node shape
    does), and which sh:targetObjectsOf predicates point to it. Nodes alike get the same results."""
    def value(predicate, obj) -> str:
        read = str(obj) if predicate in value_paths else ""
        if isinstance(obj, Literal):
            return f"{predicate} L {obj.datatype} {obj.language} {getattr(obj, 'ill_typed', None)} {read}"
        return f"{predicate} {'B' if isinstance(obj, BNode) else 'I'} {sorted(map(str, index.types.get(obj, ())))} {read}"

    return {node: (isinstance(node, BNode), str(node) if focus_read else "", frozenset(index.types.get(node, ())),
                   tuple(sorted(value(p, o) for p, o in index.outgoing.get(node, ()))),
                   tuple(sorted({str(p) for _s, p in index.incoming.get(node, ())})))
            for node in focus}


def describe(graph: Graph, focus, path, message, severity) -> Violation:
    return Violation(
        focus=short(graph, focus),
        path=short(graph, path) if path is not None else "",
        message=str(message),
        severity=short(graph, severity).removeprefix("sh:"),
        sources=source_files(graph, focus),
    )


def source_files(graph: Graph, node) -> tuple[str, ...]:
    """Source files of the documents a node was derived from or is mentioned in."""
    documents = set(graph.objects(node, PROV.wasDerivedFrom)) | set(graph.subjects(SCHEMA.mentions, node))
    names = {str(name) for doc in documents for name in graph.objects(doc, SCHEMA.name)}
    return tuple(sorted(names))


def short(graph: Graph, node) -> str:
    if isinstance(node, URIRef):
        try:
            return graph.namespace_manager.normalizeUri(node)
        except Exception:
            return f"<{node}>"
    return str(node)
