"""Graph → networkx link views, written as GraphML, GEXF or node-link JSON."""

from __future__ import annotations

import html
import json
import re
import tempfile
from pathlib import Path

import networkx as nx
from rdflib import RDF, RDFS, Graph, URIRef
from rdflib.namespace import PROV, SKOS

from kg.files import write_atomic
from kg.resources import INV, SCHEMA, subclasses

VIEW_KINDS = ("entities", "investments", "organisations")
VIEW_SUFFIXES = (".graphml", ".gexf", ".json", ".html")


def label_of(graph: Graph, node: URIRef) -> str:
    """A display label: the catalogue preferred label, else the first rdfs:label, else the IRI."""
    label = graph.value(node, SKOS.prefLabel) or min(graph.objects(node, RDFS.label), default=None, key=str)
    return str(label) if label is not None else str(node)


def entity_type(graph: Graph, node: URIRef) -> str:
    types = sorted(str(t).removeprefix(str(INV)) for t in graph.objects(node, RDF.type) if str(t).startswith(str(INV)))
    return ",".join(types)


def investment_view(graph: Graph) -> nx.MultiDiGraph:
    """Investor → target edges, one per investment claim, with amount, currency and source."""
    view = nx.MultiDiGraph(name="investments")
    for investment in sorted(graph.subjects(RDF.type, INV.Investment)):
        target = graph.value(investment, INV.target)
        investors = sorted(graph.objects(investment, INV.investor))
        if target is None:
            continue
        amount = min(graph.objects(investment, INV.amount), default=None)
        value = graph.value(amount, SCHEMA.value) if amount is not None else None
        currency = graph.value(amount, SCHEMA.currency) if amount is not None else None
        status = graph.value(investment, INV.status)
        for investor in investors:  # a round whose investors are not named draws no edge
            for node in (investor, target):
                view.add_node(str(node), label=label_of(graph, node), type=entity_type(graph, node))
            view.add_edge(
                str(investor), str(target), key=str(investment),
                kind=investment_kind(graph, investment),
                value=float(value) if value is not None else 0.0,
                currency=str(currency or ""),
                share=float(graph.value(investment, INV.share) or 0.0),
                status=local_name(status) if status is not None else "",
                participants="; ".join(label_of(graph, p) for p in sorted(graph.objects(investment, INV.participant))),
                source=str(graph.value(graph.value(investment, PROV.wasDerivedFrom), SCHEMA.name) or ""),
            )
    return view


def investment_kind(graph: Graph, investment) -> str:
    """The investment class of a claim below inv:Investment, as its local name: "FundingRound" for
    a claim typed inv:Investment and inv:FundingRound."""
    kinds = [t for t in graph.objects(investment, RDF.type) if t != INV.Investment and t in subclasses(INV.Investment)]
    return local_name(min(kinds)) if kinds else "Investment"


def local_name(iri) -> str:
    return str(iri).rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def entity_view(graph: Graph) -> nx.Graph:
    """Entities linked when a sentence mentions both; edge weight = shared sentences.

    Catalogue relations (located in, parent organisation, works for, organiser) are edges too.
    """
    view = nx.Graph(name="entities")
    sentences: dict[tuple, set[str]] = {}
    for mention in graph.subjects(RDF.type, INV.Mention):
        entity = graph.value(mention, INV.refersTo)
        key = (graph.value(mention, PROV.wasDerivedFrom), graph.value(mention, INV.sentenceIndex))
        sentences.setdefault(key, set()).add(str(entity))
        if str(entity) not in view:
            view.add_node(str(entity), label=label_of(graph, entity), type=entity_type(graph, entity))
    for key in sorted(sentences, key=str):
        together = sorted(sentences[key])
        for i, a in enumerate(together):
            for b in together[i + 1:]:
                weight = view.edges[a, b]["weight"] + 1 if view.has_edge(a, b) else 1
                view.add_edge(a, b, weight=weight, relation="co-mention")
    for relation in (INV.locatedIn, SCHEMA.parentOrganization, SCHEMA.worksFor, SCHEMA.organizer):
        for subject, obj in sorted(graph.subject_objects(relation)):
            if str(subject) in view and str(obj) in view:
                view.add_edge(str(subject), str(obj), weight=1, relation=graph.namespace_manager.normalizeUri(relation))
    return view


def organisation_view(graph: Graph) -> nx.MultiDiGraph:
    """Organisations and programmes: organiser → partner (per partnership), organiser → programme,
    investor → company for equity stakes and acquisitions, subsidiary → parent."""
    view = nx.MultiDiGraph(name="organisations")

    def node(iri):
        view.add_node(str(iri), label=label_of(graph, iri), type=entity_type(graph, iri))
        return str(iri)

    for partnership in sorted(graph.subjects(RDF.type, INV.Partnership)):
        organiser = node(graph.value(partnership, SCHEMA.organizer))
        programme = graph.value(partnership, INV.programme)
        programme_label = label_of(graph, programme) if programme is not None else ""
        if programme is not None:
            view.add_edge(organiser, node(programme), key=f"{partnership}/programme", relation="organises")
        for partner in sorted(graph.objects(partnership, INV.partner)):
            view.add_edge(organiser, node(partner), key=f"{partnership}/{partner}", relation="partner", programme=programme_label)
    for kind, relation in ((INV.EquityStake, "stake"), (INV.Acquisition, "acquisition")):
        for deal in sorted(graph.subjects(RDF.type, kind)):
            company = graph.value(deal, INV.target)
            for investor in sorted(graph.objects(deal, INV.investor)):
                view.add_edge(node(investor), node(company), key=str(deal), relation=relation, programme="")
    for subsidiary, parent in sorted(graph.subject_objects(SCHEMA.parentOrganization)):
        view.add_edge(node(subsidiary), node(parent), key=f"{subsidiary}/parent", relation="subsidiary of", programme="")
    return view


def make_view(graph: Graph, kind: str) -> nx.Graph:
    if kind not in VIEW_KINDS:
        raise ValueError(f"unknown view kind '{kind}' (choose from {', '.join(VIEW_KINDS)})")
    return {"investments": investment_view, "organisations": organisation_view, "entities": entity_view}[kind](graph)


def view_html(view: nx.Graph) -> str:
    """An interactive page (pyvis, vis.js inlined so it works offline). Labels are drawn as text;
    tooltips are HTML, so every name in them is escaped."""
    from pyvis.network import Network

    network = Network(height="720px", width="100%", directed=view.is_directed(), cdn_resources="in_line")
    for node, data in sorted(view.nodes(data=True)):
        label = str(data.get("label", node))
        network.add_node(node, label=label, title=html.escape(f"{label} ({data.get('type', '')})\n{node}"))
    for a, b, data in sorted(view.edges(data=True), key=lambda e: (e[0], e[1], sorted(e[2].items()))):
        tip = ", ".join(f"{key}: {value}" for key, value in sorted(data.items()))
        network.add_edge(a, b, title=html.escape(tip), value=data.get("weight", 1))
    return without_remote_resources(network.generate_html())


REMOTE_TAG = re.compile(r'<link[^>]*href="https?://[^"]*"[^>]*>|<script[^>]*src="https?://[^"]*"[^>]*>\s*</script>', re.IGNORECASE)


def without_remote_resources(page: str) -> str:
    """The page without the tags that load from the web (pyvis's template links Bootstrap from a
    CDN; vis.js itself is inlined): the view opens offline and tells no server it was opened."""
    return REMOTE_TAG.sub("", page)


def write_view(view: nx.Graph, path: Path | str) -> None:
    """Write a view by suffix (.graphml, .gexf, .json node-link), atomically."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in VIEW_SUFFIXES:
        raise ValueError(f"{path}: unknown view format '{suffix}' (use {', '.join(VIEW_SUFFIXES)})")
    if suffix == ".json":
        data = json.dumps(nx.node_link_data(view, edges="links"), indent=2, sort_keys=True, ensure_ascii=False).encode()
    elif suffix == ".html":
        data = view_html(view).encode("utf-8")
    else:
        writer = nx.write_graphml if suffix == ".graphml" else nx.write_gexf
        with tempfile.TemporaryDirectory() as folder:
            scratch = Path(folder) / path.name
            writer(xml_safe(view), scratch)
            data = scratch.read_bytes()
    write_atomic(path, data)


XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_safe(view: nx.Graph) -> nx.Graph:
    """A copy of `view` whose text attributes hold no character XML 1.0 forbids (a control
    character in a file name would make GraphML and GEXF files no XML at all)."""
    def clean(data: dict) -> dict:
        return {key: XML_FORBIDDEN.sub("\ufffd", value) if isinstance(value, str) else value for key, value in data.items()}

    safe = view.__class__()
    safe.graph.update(clean(view.graph))
    safe.add_nodes_from((XML_FORBIDDEN.sub("\ufffd", str(n)), clean(d)) for n, d in view.nodes(data=True))
    if view.is_multigraph():
        safe.add_edges_from((XML_FORBIDDEN.sub("\ufffd", str(a)), XML_FORBIDDEN.sub("\ufffd", str(b)), k, clean(d))
                            for a, b, k, d in view.edges(keys=True, data=True))
    else:
        safe.add_edges_from((XML_FORBIDDEN.sub("\ufffd", str(a)), XML_FORBIDDEN.sub("\ufffd", str(b)), clean(d))
                            for a, b, d in view.edges(data=True))
    return safe
