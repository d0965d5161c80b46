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


def plant_in_documents(document_triples):
    """kg.build's document_triples with a violation of each kind in the documents' own nodes."""
    def planted_triples(source, linked, entities, facts):
        triples = document_triples(source, linked, entities, facts)
        investment = next((s for s, p, o in triples if p == INV.investor and o == KGR.microsoft
                           and any(t[0] == s and t[1] == INV.amount for t in triples)), None)
        if investment is not None and source.lang == "it":
            triples = [t for t in triples if not (t[0] == investment and t[1] == INV.investor)]
            triples.append((investment, INV.investor, KGR.paris))  # sh:class on an object's type
        quantity = next((o for _s, p, o in triples if p == INV.quantity), None)
        triples = [t for t in triples if not (t[0] == quantity and t[1] == INV.unit)]  # a target of sh:targetObjectsOf
        mention = next(s for s, p, o in triples if o == INV.Mention)
        return [t for t in triples if not (t[0] == mention and t[1] == PROV.wasDerivedFrom)]  # minCount
    return planted_triples


def plant_in_shared(shared_triples):
    """kg.build's shared_triples with a violation on an entity, and, in the merged graph only,
    Microsoft typed a place: the documents validated it as a company."""
    def planted_triples(entities, facts, conflicts, lexicon_used, resources):
        triples = shared_triples(entities, facts, conflicts, lexicon_used, resources)
        triples.add((KGR.microsoft, OWL.sameAs, URIRef("http://example.org/microsoft")))
        if conflicts:  # the final call (the documents' own context has no conflicts)
            triples.discard((KGR.microsoft, RDF.type, INV.Company))
            triples.add((KGR.microsoft, RDF.type, INV.City))
        return triples
    return planted_triples


def test_validation_where_triples_are_made_gives_the_whole_graph_verdict(monkeypatch):
    import kg.build

    monkeypatch.setattr(kg.build, "document_triples", plant_in_documents(kg.build.document_triples))
    monkeypatch.setattr(kg.build, "shared_triples", plant_in_shared(kg.build.shared_triples))
    built = build_graph([SAMPLE], validate=True)
    whole = validate_graph(built.graph)
    paths = {v.path for v in whole.violations}
    assert {"inv:investor", "inv:unit", "prov:wasDerivedFrom", "owl:sameAs", "org:organization"} <= paths
    assert violations(built.validation) == violations(whole)
    assert [v.sources for v in built.validation.violations] == [v.sources for v in whole.violations]


def test_validation_in_worker_processes_agrees(tmp_path):
    import shutil

    folder = tmp_path / "corpus"
    for copy in range(3):
        shutil.copytree(SAMPLE, folder / str(copy))
    built = build_graph([folder], validate=True, jobs=2)
    assert built.validation.conforms and validate_graph(built.graph).conforms


def test_nodes_alike_are_validated_once_with_the_same_results():
    """Mentions that differ only in what no constraint reads share one pySHACL run; a difference a
    constraint sees (a datatype, a value a pattern reads, an object's type) keeps a node apart."""
    from rdflib import XSD, Graph

    from kg.validate import run_pyshacl, validate_alike_once

    triples = {(KGR.doc, RDF.type, INV.Document), (KGR.acme, RDF.type, INV.Organization), (KGR.rome, RDF.type, INV.Place)}
    for i in range(30):
        mention = KGR[f"mention/{i}"]
        triples |= {(mention, RDF.type, INV.Mention), (mention, INV.refersTo, KGR.acme),
                    (mention, INV.mentionText, Literal(f"Acme {i}", lang="it")), (mention, PROV.wasDerivedFrom, KGR.doc)}
    plain, lost = KGR["mention/plain"], KGR["mention/lost"]
    triples |= {(plain, RDF.type, INV.Mention), (plain, INV.refersTo, KGR.acme), (plain, INV.mentionText, Literal("Acme")),
                (plain, PROV.wasDerivedFrom, KGR.doc)}  # a text without a language tag
    triples |= {(lost, RDF.type, INV.Mention), (lost, INV.refersTo, KGR.acme), (lost, INV.mentionText, Literal("Acme", lang="it")),
                (lost, PROV.wasDerivedFrom, KGR.rome)}  # derived from a place, not a document
    for i, code in enumerate(("EUR", "USD", "eur", "EUR")):
        amount = KGR[f"amount/{i}"]
        triples |= {(amount, RDF.type, INV.MonetaryAmount), (amount, SCHEMA.value, Literal("5", datatype=XSD.decimal)),
                    (amount, SCHEMA.currency, Literal(code))}
    focus = {s for s, _p, _o in triples if s not in (KGR.doc, KGR.acme, KGR.rome)}
    whole = Graph()
    whole.addN((s, p, o, whole) for s, p, o in triples)
    expected = {found for found in run_pyshacl(whole, load_turtle(SHAPES)) if found[0] in focus}
    assert {found[0] for found in expected} == {plain, lost, KGR["amount/2"]}
    assert set(validate_alike_once(triples, focus, load_turtle(SHAPES))) == expected
