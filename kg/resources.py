"""Where the project's data lives, and the RDF namespaces it uses."""

from __future__ import annotations

from functools import cache, lru_cache
from pathlib import Path

from rdflib import Graph, Namespace, URIRef

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class Vocabulary(Namespace):
    """A Namespace whose named terms (``INV.investor``) are made once: rdflib makes and checks a
    new URIRef at every attribute access, a tenth of the graph-building time on big corpora."""

    def __getattr__(self, name: str) -> URIRef:
        return vocabulary_term(self, name)


@lru_cache(maxsize=None)
def vocabulary_term(namespace: Namespace, name: str) -> URIRef:
    return Namespace.__getattr__(namespace, name)


INV = Vocabulary("https://w3id.org/invest-kg/ontology#")
KGR = Vocabulary("https://w3id.org/invest-kg/resource/")
LEX = Vocabulary("https://w3id.org/invest-kg/lexicon#")
SCHEMA = Vocabulary("https://schema.org/")
ORG = Vocabulary("http://www.w3.org/ns/org#")
WD = Namespace("http://www.wikidata.org/entity/")

PREFIXES = {
    "inv": INV,
    "kgr": KGR,
    "lex": LEX,
    "org": ORG,
    "schema": SCHEMA,
    "wd": WD,
    "prov": Namespace("http://www.w3.org/ns/prov#"),
    "skos": Namespace("http://www.w3.org/2004/02/skos/core#"),
    "owl": Namespace("http://www.w3.org/2002/07/owl#"),
    "xsd": Namespace("http://www.w3.org/2001/XMLSchema#"),
    "rdfs": Namespace("http://www.w3.org/2000/01/rdf-schema#"),
}


def data_path(*parts: str) -> Path:
    """Path of a project data file: packaged copy (kg/data/...) first, else the checkout."""
    packaged = Path(__file__).resolve().parent / "data" / Path(*parts)
    return packaged if packaged.exists() else PROJECT_ROOT.joinpath(*parts)


ONTOLOGY = data_path("ontology", "invest.ttl")
SHAPES = data_path("ontology", "shapes.ttl")
LEXICON = data_path("ontology", "lexicon.ttl")
QUERIES = data_path("ontology", "queries")
CATALOGUE = data_path("seeds", "catalogue.ttl")
PIPELINES = data_path("pipelines")


@cache
def load_turtle(path: Path) -> Graph:
    """Parse a Turtle file once per process (callers must not modify the result)."""
    return Graph().parse(path, format="turtle")


def bind_prefixes(graph: Graph) -> Graph:
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True)
    return graph


@cache
def subclasses(cls) -> frozenset:
    """`cls` and every class the ontology declares under it (rdfs:subClassOf, transitively).

    >>> INV.Startup in subclasses(INV.Organization)
    True
    """
    from rdflib import RDFS

    ontology = load_turtle(ONTOLOGY)
    return frozenset(ontology.transitive_subjects(RDFS.subClassOf, cls))
