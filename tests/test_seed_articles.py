"""The foundation's acceptance case: the two shared seed articles built together."""

from decimal import Decimal

from rdflib import OWL, RDF, RDFS, Literal
from rdflib.namespace import PROV

from kg.resources import INV, KGR, SCHEMA, WD


def test_graph_conforms(seed_build):
    assert seed_build.validation.conforms, [str(v) for v in seed_build.validation.violations]
    assert len(seed_build.documents) == 2 and not seed_build.errors


def test_key_entities_appear_once_typed_and_labelled(seed_build):
    graph = seed_build.graph
    expected = {
        KGR.microsoft: INV.Company,
        KGR["mulhouse-alsace-agglomeration"]: INV.PublicBody,
        KGR.simplon: INV.EducationalOrganization,
        KGR["station-f"]: INV.Site,
        KGR["mistral-ai"]: INV.Startup,
    }
    for iri, cls in expected.items():
        assert (iri, RDF.type, cls) in graph, iri
        assert any(label.language in ("it", "de") for label in graph.objects(iri, RDFS.label)), iri
    labels = {str(o) for s, o in graph.subject_objects(RDFS.label) if str(o).lower().startswith("mulhouse")}
    holders = {s for s, o in graph.subject_objects(RDFS.label) if str(o) in labels}
    assert holders == {KGR["mulhouse-alsace-agglomeration"]}


def test_francia_and_frankreich_are_one_node(seed_build):
    graph = seed_build.graph
    assert (KGR.france, RDFS.label, Literal("Francia", lang="it")) in graph
    assert (KGR.france, RDFS.label, Literal("Frankreich", lang="de")) in graph
    assert (KGR.france, OWL.sameAs, WD.Q142) in graph


def test_one_investment_per_article_with_its_own_currency(seed_build):
    graph = seed_build.graph
    claims = set()
    for investment in graph.subjects(RDF.type, INV.Investment):
        amount = graph.value(investment, INV.amount)
        document = graph.value(investment, PROV.wasDerivedFrom)
        claims.add((
            graph.value(investment, INV.investor), graph.value(investment, INV.target),
            graph.value(amount, SCHEMA.value).toPython(), str(graph.value(amount, SCHEMA.currency)),
            str(graph.value(document, SCHEMA.inLanguage)),
        ))
    assert claims == {
        (KGR.microsoft, KGR.france, Decimal(4_000_000_000), "USD", "it"),
        (KGR.microsoft, KGR.france, Decimal(4_000_000_000), "EUR", "de"),
    }


def test_currency_disagreement_is_an_explicit_conflict(seed_build):
    assert [c.on for c in seed_build.conflicts] == ["currency"]
    assert {c.currency for c in seed_build.conflicts[0].claims} == {"USD", "EUR"}


def test_evidence_and_provenance(seed_build):
    graph = seed_build.graph
    for investment in graph.subjects(RDF.type, INV.Investment):
        document = graph.value(investment, PROV.wasDerivedFrom)
        language = str(graph.value(document, SCHEMA.inLanguage))
        evidence = list(graph.objects(investment, INV.evidence))
        assert evidence and all(e.language == language for e in evidence)
        assert str(graph.value(document, INV.contentHash)).startswith("sha256:")
