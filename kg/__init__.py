"""invest-kg: multilingual news articles about investments → one validated RDF knowledge graph.

The data flow, one module per stage:

    documents  (read files, detect language)
    → nlp      (spaCy pipelines per language: NER, catalogue tagger, money)
    → mentions (entity spans of a Doc)
    → linking  (mentions → canonical resources)
    → facts    (investments, conflicts)
    → rdf      (facts → rdflib Graph)
    → validate / query / views  (SHACL, SPARQL, networkx)

`kg.build.build_graph` runs the whole path; `kg.cli` is a thin Typer layer on top.
"""

__version__ = "0.1.0"
