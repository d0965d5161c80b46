"""The real-news scorer (make eval) counts a claim found only when every part matches."""

from decimal import Decimal

from rdflib import RDF, RDFS, Graph, Literal, URIRef

from kg.evaluate import Score, normalise
from kg.resources import INV, KGR, SCHEMA


def graph_with_claim(kind, investor, target, value, currency):
    graph = Graph()
    claim = KGR["investment/x"]
    graph.add((claim, RDF.type, INV.Investment))
    graph.add((claim, RDF.type, kind))
    for iri, name, cls in ((KGR.a, investor, INV.Company), (KGR.b, target, INV.City)):
        graph.add((iri, RDF.type, cls))
        graph.add((iri, RDFS.label, Literal(name, lang="de")))
        graph.add((KGR[f"mention/{name}"], INV.refersTo, iri))
    graph.add((claim, INV.investor, KGR.a))
    graph.add((claim, INV.target, KGR.b))
    amount = URIRef(f"{claim}/amount")
    graph.add((claim, INV.amount, amount))
    graph.add((amount, SCHEMA.value, Literal(Decimal(value))))
    if currency:
        graph.add((amount, SCHEMA.currency, Literal(currency)))
    return graph


GOLD = {"entities": [["Ferrovento AG", "Organization"], ["Köln", "Place"], ["Anna Rinaldi", "Person"]],
        "investments": [{"kind": "capex", "investor": ["Ferrovento AG"], "target": ["Köln"], "amount": [1e9], "currency": ["EUR"]}]}


def score(graph):
    result = Score()
    result.add_document("d", GOLD, graph)
    return result


def test_names_compare_without_case_accents_and_punctuation():
    assert normalise("Ferrovento  A.G.") == "ferrovento a g" and normalise("KÖLN") == "koln"


def test_a_matching_claim_is_found_and_right():
    result = score(graph_with_claim(INV.CapitalExpenditure, "ferrovento AG", "Koln", "1015000000", "EUR"))  # within 2 %
    assert (result.found_claims["capex"], result.right_claims["capex"]) == (1, 1)
    assert (result.found_entities, result.gold_entities) == (2, 3)  # the person is missing


def test_any_wrong_part_misses_the_claim():
    for args in (("Ferrovento AG", "Köln", "1030000000", "EUR"),   # amount off by 3 %
                 ("Ferrovento AG", "Köln", "1000000000", "USD"),   # currency
                 ("Valcadore", "Köln", "1000000000", "EUR"),       # investor
                 ("Ferrovento AG", "Bonn", "1000000000", "EUR")):  # target
        result = score(graph_with_claim(INV.CapitalExpenditure, *args))
        assert result.found_claims["capex"] == 0 and result.graph_claims["capex"] == 1 and result.right_claims["capex"] == 0


def test_a_claim_of_another_kind_still_finds_the_gold_but_counts_under_its_kind():
    result = score(graph_with_claim(INV.EquityStake, "Ferrovento AG", "Köln", "1000000000", "EUR"))
    assert result.found_claims["capex"] == 1 and result.right_claims["stake"] == 1
