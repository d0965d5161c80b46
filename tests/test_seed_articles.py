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
        if (investment, RDF.type, INV.EquityStake) in graph:
            continue
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


def test_microsofts_stake_in_mistral_is_an_investment_in_the_company(seed_build):
    stakes = [i for i in seed_build.facts.investments if i.kind == "stake"]
    assert [(i.investor, i.target, i.value) for i in stakes] == [(KGR.microsoft, KGR["mistral-ai"], None)]


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


def test_no_spurious_investment(seed_build):
    assert len(seed_build.facts.investments) == 3  # 4 bn USD (it), 4 bn EUR (de), the stake in Mistral AI


def test_commitments_with_scrambled_german_numbers(seed_build):
    by_language = {}
    for c in seed_build.facts.commitments:
        lang = next(d.lang for d in seed_build.documents if d.doc_id == c.doc_id)
        by_language.setdefault(lang, set()).add((c.committed_by, int(c.quantity), str(c.unit).rsplit("#", 1)[1], c.deadline))
    common = {
        (KGR.microsoft, 25_000, "unit-gpu", 2025),
        (KGR.microsoft, 1_000_000, "unit-person", 2027),
        (KGR.microsoft, 2_500, "unit-startup", 2027),
    }
    assert by_language["it"] == common
    assert by_language["de"] == common | {(KGR.microsoft, 100, "unit-megawatt", 2024)}


def test_facilities_are_one_node_per_site_across_languages(seed_build):
    graph = seed_build.graph
    facilities = {
        (graph.value(f, INV.locatedIn), str(graph.value(f, INV.facilityStatus)).rsplit("#", 1)[1], len(set(graph.objects(f, PROV.wasDerivedFrom))))
        for f in graph.subjects(RDF.type, INV.Facility)
    }
    assert facilities == {
        (KGR.paris, "facility-expansion", 2),
        (KGR.marseille, "facility-expansion", 2),
        (KGR["mulhouse-alsace-agglomeration"], "facility-new", 2),
    }


def test_people_and_roles(seed_build):
    roles = {(r.person, r.organisation, r.label) for r in seed_build.facts.roles}
    assert roles == {
        (KGR["brad-smith"], KGR.microsoft, "presidente"),
        (KGR["franck-leroy"], KGR["conseil-regional-grand-est"], "presidente"),
        (KGR["corine-de-bilbao"], KGR["microsoft-france"], "vicepresidente aziendale"),
    }


def test_programmes_partners_and_venue(seed_build):
    partnerships = seed_build.facts.partnerships
    partners = set().union(*(p.partners for p in partnerships))
    assert {KGR.simplon, KGR.kokoroe, KGR["france-travail"], KGR.edhec, KGR["skema-business-school"]} <= partners
    studio = [p for p in partnerships if p.programme == KGR["genai-studio"]]
    assert {KGR["station-f"]} == set().union(*(p.venues for p in studio))
    genialles = [p for p in partnerships if p.programme == KGR.genialles]
    assert genialles and all(p.organiser == KGR.simplon for p in genialles)
