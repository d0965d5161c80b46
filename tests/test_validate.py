"""SHACL in shards (and in parallel) gives the verdict of whole-graph validation."""

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import OWL, PROV, RDF

from kg.build import build_graph
from kg.resources import INV, KGR, SCHEMA
from kg.validate import one_step_shapes, validate_graph
from kg.resources import SHAPES, load_turtle

from .conftest import SAMPLE


@pytest.fixture(scope="module")
def planted():
    """The sample graph with one violation of each kind the shards must not lose or invent."""
    graph = build_graph([SAMPLE], validate=False).graph
    investment = next(i for i in graph.subjects(INV.investor, KGR.microsoft) if (i, INV.amount, None) in graph)
    graph.set((investment, INV.investor, KGR.paris))  # sh:class on an object's type
    amount = graph.value(investment, INV.amount)
    graph.set((amount, SCHEMA.currency, Literal("usd")))  # pattern on a node of its own
    quantity = next(graph.objects(None, INV.quantity))
    graph.remove((quantity, INV.unit, None))  # a target of sh:targetObjectsOf
    mention = next(graph.subjects(RDF.type, INV.Mention))
    graph.remove((mention, PROV.wasDerivedFrom, None))  # minCount
    graph.add((KGR.microsoft, OWL.sameAs, URIRef("http://example.org/microsoft")))  # on an entity
    facility = next(graph.subjects(RDF.type, INV.Facility))
    graph.set((facility, INV.operator, KGR.paris))
    return graph


def violations(report):
    return {(v.focus, v.path, v.message) for v in report.violations}


def test_shards_give_the_whole_graph_verdict(planted):
    whole = validate_graph(planted)
    paths = {v.path for v in whole.violations}
    assert {"inv:investor", "schema:currency", "inv:unit", "prov:wasDerivedFrom", "owl:sameAs", "inv:operator"} <= paths
    tiny_shards = validate_graph(planted, shard_triples=25)
    assert violations(tiny_shards) == violations(whole)
    assert [v.sources for v in tiny_shards.violations] == [v.sources for v in whole.violations]
    parallel = validate_graph(planted, shard_triples=100, jobs=2)
    assert violations(parallel) == violations(whole) and not parallel.conforms
    shapes_shared_out = validate_graph(planted, jobs=2)  # whole graph, shapes split between processes
    assert violations(shapes_shared_out) == violations(whole)


def test_shards_do_not_invent_violations():
    graph = build_graph([SAMPLE], validate=False).graph
    assert validate_graph(graph, shard_triples=10).conforms
    assert validate_graph(graph).conforms


def test_shapes_that_look_further_are_validated_whole():
    shapes = load_turtle(SHAPES)
    assert one_step_shapes(shapes)
    deeper = shapes + load_turtle(SHAPES)
    deeper.add((URIRef("urn:shape"), URIRef("http://www.w3.org/ns/shacl#node"), URIRef("urn:other")))
    assert not one_step_shapes(deeper)


def test_parallel_shards_while_other_threads_run(planted):
    """With a thread running, forking is unsafe: the graph goes to spawned processes in shards."""
    import threading

    stop = threading.Event()
    waiter = threading.Thread(target=stop.wait)
    waiter.start()
    try:
        spawned = validate_graph(planted, jobs=2)
    finally:
        stop.set()
        waiter.join()
    assert violations(spawned) == violations(validate_graph(planted))
