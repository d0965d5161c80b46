"""Where the project's data lives and the IRIs of its namespaces, as plain strings: importable
without rdflib, for the commands that answer from an Oxigraph store alone (``kg query STORE``)."""

from __future__ import annotations

from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent

NAMESPACES = {
    "inv": "https://w3id.org/invest-kg/ontology#",
    "kgr": "https://w3id.org/invest-kg/resource/",
    "lex": "https://w3id.org/invest-kg/lexicon#",
    "org": "http://www.w3.org/ns/org#",
    "schema": "https://schema.org/",
    "wd": "http://www.wikidata.org/entity/",
    "prov": "http://www.w3.org/ns/prov#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
}


def data_path(*parts: str) -> Path:
    """Path of a project data file: packaged copy (kg/data/...) first, else the checkout."""
    packaged = Path(__file__).resolve().parent / "data" / Path(*parts)
    return packaged if packaged.exists() else PROJECT_ROOT.joinpath(*parts)


QUERIES = data_path("ontology", "queries")
