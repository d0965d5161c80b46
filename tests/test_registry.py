"""A new fact type is one registration: extraction, the graph and the summary pick it up."""

from dataclasses import dataclass
from decimal import Decimal

import catalogue
import pytest
from rdflib import Literal

from kg.facts.context import Fact
from kg.facts.registry import FactType, fact_types, registry
from kg.facts.triples import document_iri
from kg.resources import SCHEMA

from .conftest import SAMPLE


@dataclass
class Headline(Fact):
    earlier_types: tuple = ()


def headline_triples(fact: Headline, add) -> None:
    add((document_iri(fact.doc_id), SCHEMA.headline, Literal(fact.evidence[0], lang=fact.lang)))


def read_headline(document, earlier) -> list[Headline]:
    first = document.sentences[0].text
    return [Headline(document.doc_id, document.lang, Decimal(1), [first], tuple(name for name, found in earlier.lists.items() if found))]


@pytest.fixture
def headlines():
    registry.register("headlines", func=FactType("headlines", read_headline, order=99, document_triples=headline_triples))
    fact_types.cache_clear()
    yield
    catalogue.REGISTRY.pop(("invest_kg", "fact_types", "headlines"))
    fact_types.cache_clear()


def test_the_project_registers_its_fact_types_in_order():
    assert [t.name for t in fact_types()] == ["commitments", "investments", "roles", "facilities", "partnerships"]


def test_a_registered_fact_type_is_extracted_written_and_counted(headlines):
    from kg.build import build_graph

    result = build_graph([SAMPLE], validate=False)
    assert sorted(h.evidence[0] for h in result.facts.headlines) == [
        "Microsoft investit 4 milliards d'euros en France", "Microsoft kündigt Milliardeninvestition in Frankreich an",
        "Microsoft punta 4 miliardi di dollari sulla Francia"]
    assert len(list(result.graph.subject_objects(SCHEMA.headline))) == 3
    assert "6 partnerships, 3 headlines, 1 conflicts" in result.summary()
    # it comes last, so it sees what the types before it found in the same document
    assert {"commitments", "investments", "facilities", "partnerships"} <= set(result.facts.headlines[0].earlier_types)
