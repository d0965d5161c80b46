"""Where the project's data lives, and the RDF namespaces it uses."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from rdflib import Graph, Namespace, URIRef

from kg.locations import NAMESPACES, data_path

if TYPE_CHECKING:
    from kg.catalogue import CatalogueEntry
    from kg.lexicon import Lexicon


class Vocabulary(Namespace):
    """A Namespace whose named terms (``INV.investor``) are made once: rdflib makes and checks a
    new URIRef at every attribute access, a tenth of the graph-building time on big corpora."""

    def __getattr__(self, name: str) -> URIRef:
        return vocabulary_term(self, name)


@lru_cache(maxsize=None)
def vocabulary_term(namespace: Namespace, name: str) -> URIRef:
    return Namespace.__getattr__(namespace, name)


INV = Vocabulary(NAMESPACES["inv"])
KGR = Vocabulary(NAMESPACES["kgr"])
LEX = Vocabulary(NAMESPACES["lex"])
SCHEMA = Vocabulary(NAMESPACES["schema"])
ORG = Vocabulary(NAMESPACES["org"])
WD = Namespace(NAMESPACES["wd"])

PREFIXES = {prefix: Namespace(iri) for prefix, iri in NAMESPACES.items()} | {
    "inv": INV, "kgr": KGR, "lex": LEX, "org": ORG, "schema": SCHEMA, "wd": WD,
}


ONTOLOGY = data_path("ontology", "invest.ttl")
SHAPES = data_path("ontology", "shapes.ttl")
LEXICON = data_path("ontology", "lexicon.ttl")
CATALOGUE = data_path("seeds", "catalogue.ttl")
PIPELINES = data_path("pipelines")
NAMES_FOLDER = data_path("seeds", "names")


@cache
def load_turtle(path: Path) -> Graph:
    """Parse a Turtle file once per process (callers must not modify the result)."""
    return Graph().parse(path, format="turtle")


def language_of(term) -> str:
    """A literal's language tag, "" for none (and for what is no literal)."""
    return getattr(term, "language", None) or ""


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


@cache
def superclasses(cls) -> frozenset:
    """`cls` and every class the ontology declares above it (rdfs:subClassOf, transitively)."""
    from rdflib import RDFS

    return frozenset(load_turtle(ONTOLOGY).transitive_objects(cls, RDFS.subClassOf))


@dataclass(frozen=True)
class Resources:
    """What invest-kg's rules read besides the text: the ontology, the lexicon, the catalogue and
    the name lists. Each file is parsed once per process, on first use, so a Resources travels to
    worker processes as its paths. ``Resources()`` is the project's own data; give other files
    (a catalogue of your own companies, a lexicon with another language) to build with them.

    >>> Resources().lexicon.stems("kind-acquisition", "it")[:2]
    ('acquisi', 'acquist')
    """

    ontology_path: Path = ONTOLOGY
    lexicon_path: Path = LEXICON
    catalogue_path: Path = CATALOGUE
    names_folder: Path = NAMES_FOLDER

    @property
    def ontology(self) -> Graph:
        return load_turtle(self.ontology_path)

    @property
    def lexicon(self) -> Lexicon:
        from kg.lexicon import load_lexicon

        return load_lexicon(self.lexicon_path)

    @property
    def catalogue(self) -> dict[URIRef, CatalogueEntry]:
        from kg.catalogue import load_catalogue

        return load_catalogue(self.catalogue_path)

    @property
    def catalogue_graph(self) -> Graph:
        return load_turtle(self.catalogue_path)

    def files(self) -> list[Path]:
        """Every file the resources are read from (what a cache of their results depends on)."""
        return [self.catalogue_path, self.lexicon_path, self.ontology_path, *sorted(Path(self.names_folder).glob("*"))]
