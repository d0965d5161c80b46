"""Graph → networkx link views, written as GraphML, GEXF or node-link JSON."""

from __future__ import annotations

import html
import json
from collections import Counter
import re
import tempfile
from pathlib import Path

import networkx as nx
from rdflib import RDF, Graph, URIRef
from rdflib.namespace import PROV

from kg.explain import OTHER_COLOUR, entity_group, group_colours, label_of
from kg.files import write_atomic
from kg.resources import INV, SCHEMA, subclasses

VIEW_KINDS = ("entities", "investments", "organisations")
VIEW_SUFFIXES = (".graphml", ".gexf", ".json", ".html")


def entity_type(graph: Graph, node: URIRef) -> str:
    types = sorted(str(t).removeprefix(str(INV)) for t in graph.objects(node, RDF.type) if str(t).startswith(str(INV)))
    return ",".join(types)


def investment_view(graph: Graph) -> nx.MultiDiGraph:
    """Investor → target edges, one per investment claim, with amount, currency and source; an
    amount or share the text does not state is left out, not written as 0. Claims that sources
    state differently carry ``conflict`` = "currency" (or what they disagree on).

    >>> investment_view(graph).edges(data="amount_label")  # doctest: +SKIP
    [('…/microsoft', '…/france', '4 bn USD'), …]
    """
    view = nx.MultiDiGraph(name="investments")
    mentions = mention_counts(graph)
    conflicts = {claim: str(graph.value(conflict, INV.conflictOn) or "yes")
                 for conflict in graph.subjects(RDF.type, INV.Conflict) for claim in graph.objects(conflict, INV.conflictingClaim)}
    for investment in sorted(graph.subjects(RDF.type, INV.Investment), key=str):
        target = graph.value(investment, INV.target)
        investors = sorted(graph.objects(investment, INV.investor), key=str)
        if target is None:
            continue
        amount = min(graph.objects(investment, INV.amount), default=None, key=str)
        value = graph.value(amount, SCHEMA.value) if amount is not None else None
        currency = graph.value(amount, SCHEMA.currency) if amount is not None else None
        share = graph.value(investment, INV.share)
        status = graph.value(investment, INV.status)
        for investor in investors:  # a round whose investors are not named draws no edge
            for node in (investor, target):
                add_entity_node(view, graph, node, mentions)
            known = {"value": float(str(value))} if value is not None else {}
            if share is not None:
                known["share"] = float(str(share))
            view.add_edge(
                str(investor), str(target), key=str(investment),
                kind=investment_kind(graph, investment),
                currency=str(currency or ""),
                amount_label=amount_label(value, currency, share),
                status=local_name(status) if status is not None else "",
                participants="; ".join(label_of(graph, p) for p in sorted(graph.objects(investment, INV.participant), key=str)),
                source=str(graph.value(graph.value(investment, PROV.wasDerivedFrom), SCHEMA.name) or ""),
                conflict=conflicts.get(investment, ""),
                **known,
            )
    return view


def amount_label(value, currency, share=None) -> str:
    """What an edge says of its money, short: "4 bn USD", "300 m EUR", "20 %", "" when unknown.

    >>> amount_label(4_000_000_000, "USD")
    '4 bn USD'
    """
    parts = []
    if value is not None:
        number = float(value)
        for size, word in ((1e9, "bn"), (1e6, "m")):
            if abs(number) >= size:
                parts.append(f"{number / size:,.3g} {word}")
                break
        else:
            parts.append(f"{number:,.0f}")
        parts[-1] = f"{parts[-1]} {currency}".strip() if currency else parts[-1]
    if share is not None:
        parts.append(f"{float(share):g} %")
    return ", ".join(parts)


def mention_counts(graph: Graph) -> Counter:
    return Counter(entity for _mention, entity in graph.subject_objects(INV.refersTo))


def add_entity_node(view: nx.Graph, graph: Graph, node, mentions: Counter) -> str:
    view.add_node(str(node), label=label_of(graph, node), type=entity_type(graph, node),
                  group=entity_group(graph, node), mentions=mentions.get(node, 0))
    return str(node)


def investment_kind(graph: Graph, investment) -> str:
    """The investment class of a claim below inv:Investment, as its local name: "FundingRound" for
    a claim typed inv:Investment and inv:FundingRound."""
    kinds = [t for t in graph.objects(investment, RDF.type) if t != INV.Investment and t in subclasses(INV.Investment)]
    return local_name(min(kinds, key=str)) if kinds else "Investment"


def local_name(iri) -> str:
    return str(iri).rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def entity_view(graph: Graph) -> nx.Graph:
    """Entities linked when a sentence mentions both; edge weight = shared sentences.

    Catalogue relations (located in, parent organisation, works for, organiser) are edges too.
    """
    view = nx.Graph(name="entities")
    sentences: dict[tuple, set[str]] = {}
    mentions = mention_counts(graph)
    for mention in graph.subjects(RDF.type, INV.Mention):
        entity = graph.value(mention, INV.refersTo)
        key = (graph.value(mention, PROV.wasDerivedFrom), graph.value(mention, INV.sentenceIndex))
        sentences.setdefault(key, set()).add(str(entity))
        if str(entity) not in view:
            add_entity_node(view, graph, entity, mentions)
    for key in sorted(sentences, key=str):
        together = sorted(sentences[key])
        for i, a in enumerate(together):
            for b in together[i + 1:]:
                weight = view.edges[a, b]["weight"] + 1 if view.has_edge(a, b) else 1
                view.add_edge(a, b, weight=weight, relation="co-mention")
    for relation in (INV.locatedIn, SCHEMA.parentOrganization, SCHEMA.worksFor, SCHEMA.organizer):
        for subject, obj in sorted(graph.subject_objects(relation), key=str):
            if str(subject) in view and str(obj) in view:
                view.add_edge(str(subject), str(obj), weight=1, relation=graph.namespace_manager.normalizeUri(relation))
    return view


def organisation_view(graph: Graph) -> nx.MultiDiGraph:
    """Organisations and programmes: organiser → partner (per partnership), organiser → programme,
    investor → company for equity stakes and acquisitions, subsidiary → parent."""
    view = nx.MultiDiGraph(name="organisations")
    mentions = mention_counts(graph)

    def node(iri):
        return add_entity_node(view, graph, iri, mentions)

    for partnership in sorted(graph.subjects(RDF.type, INV.Partnership), key=str):
        organiser = node(graph.value(partnership, SCHEMA.organizer))
        programme = graph.value(partnership, INV.programme)
        programme_label = label_of(graph, programme) if programme is not None else ""
        if programme is not None:
            view.add_edge(organiser, node(programme), key=f"{partnership}/programme", relation="organises")
        for partner in sorted(graph.objects(partnership, INV.partner), key=str):
            view.add_edge(organiser, node(partner), key=f"{partnership}/{partner}", relation="partner", programme=programme_label)
    for kind, relation in ((INV.EquityStake, "stake"), (INV.Acquisition, "acquisition")):
        for deal in sorted(graph.subjects(RDF.type, kind), key=str):
            company = graph.value(deal, INV.target)
            for investor in sorted(graph.objects(deal, INV.investor), key=str):
                view.add_edge(node(investor), node(company), key=str(deal), relation=relation, programme="")
    for subsidiary, parent in sorted(graph.subject_objects(SCHEMA.parentOrganization), key=str):
        view.add_edge(node(subsidiary), node(parent), key=f"{subsidiary}/parent", relation="subsidiary of", programme="")
    return view


def make_view(graph: Graph, kind: str) -> nx.Graph:
    if kind not in VIEW_KINDS:
        raise ValueError(f"unknown view kind '{kind}' (choose from {', '.join(VIEW_KINDS)})")
    return {"investments": investment_view, "organisations": organisation_view, "entities": entity_view}[kind](graph)


VIEW_CAPTIONS = {
    "investments": "Who invests in what: an arrow from investor to target, with a line per claim giving its amount "
                   "as the source states it (×2: two sources say the same). Red dashed arrows carry claims that "
                   "sources state differently (⚠). Hover an arrow for each claim's kind, status and source.",
    "organisations": "Organisations and programmes: partnerships, programmes organised, stakes and acquisitions, "
                     "subsidiaries.",
    "entities": "Entities named in the same sentence are linked; a thicker line means more such sentences. "
                "Catalogue relations (located in, parent organisation) are links too.",
}
EDGE_COLOUR, CONFLICT_COLOUR = "#777777", "#D62728"


def view_html(view: nx.Graph, title: str | None = None, caption: str | None = None) -> str:
    """A self-contained interactive page (vis-network inlined, nothing loaded from the web): nodes
    coloured by kind with a legend and sized by mentions, edges labelled with what they say
    (amounts and currency), conflicts marked, a title and a caption.

    Every name goes into the page as JSON inside the script, with <, > and & escaped, and into
    tooltips as text, never as HTML.
    """
    colours = group_colours()
    name = view.graph.get("name", "graph")
    title = title or f"invest-kg: {name}"
    caption = caption or VIEW_CAPTIONS.get(name, "")
    nodes = []
    for node, data in sorted(view.nodes(data=True)):
        group = data.get("group", "other")
        mentions = data.get("mentions", 0)
        nodes.append({
            "id": node, "label": str(data.get("label", node)), "group": group, "value": max(1, mentions),
            "color": colours.get(group, OTHER_COLOUR),
            "title": f"{data.get('label', node)}\n{group} ({data.get('type', '')})\n{mentions} mentions\n{node}",
        })
    # one drawn arrow per pair of nodes, a line of its label per claim ("⚠ 4 bn EUR ×2"): parallel
    # arrows hide each other's labels; the view file itself keeps an edge per claim
    pairs: dict[tuple, list[dict]] = {}
    for a, b, data in sorted(view.edges(data=True), key=lambda e: (e[0], e[1], sorted(map(str, e[2].items())))):
        pairs.setdefault((a, b), []).append(data)
    edges = []
    for (a, b), claims in pairs.items():
        lines = Counter("" if view.name == "entities" else edge_line(data) for data in claims)
        conflict = any(data.get("conflict") for data in claims)
        tip = "\n\n".join("\n".join(f"{key}: {value}" for key, value in sorted(data.items()) if value not in ("", None))
                           for data in claims)
        edges.append({
            "from": a, "to": b, "title": tip, "value": sum(data.get("weight", 1) for data in claims),
            "label": "\n".join(line + (f" ×{count}" if count > 1 else "") for line, count in sorted(lines.items()) if line),
            "color": CONFLICT_COLOUR if conflict else EDGE_COLOUR, "dashes": conflict,
        })
    groups = sorted({n["group"] for n in nodes})
    legend = "".join(
        f'<li data-kind="{html.escape(g)}"><span class="swatch" style="background:{colours.get(g, OTHER_COLOUR)}"></span>'
        f"{html.escape(g)}</li>" for g in groups
    )
    if any(e["dashes"] for e in edges):
        legend += f'<li data-kind="conflict"><span class="line" style="border-color:{CONFLICT_COLOUR}"></span>sources disagree</li>'
    options = {
        "nodes": {"shape": "dot", "scaling": {"min": 10, "max": 40, "label": {"enabled": False}}, "font": {"size": 18, "strokeWidth": 4, "strokeColor": "#ffffff"}},
        "edges": {"arrows": {"to": {"enabled": view.is_directed(), "scaleFactor": 0.6}},
                  "scaling": {"min": 1, "max": 6, "label": {"enabled": False}},
                  "font": {"size": 16, "align": "horizontal", "background": "rgba(255,255,255,0.85)", "strokeWidth": 0},
                  "smooth": {"type": "dynamic"}},
        "physics": {"solver": "forceAtlas2Based", "forceAtlas2Based": {"gravitationalConstant": -200, "springLength": 250, "avoidOverlap": 1},
                    "stabilization": {"iterations": 400}},
        "interaction": {"hover": True, "tooltipDelay": 150},
    }
    return VIEW_PAGE.format(
        title=html.escape(title), caption=html.escape(caption), legend=legend, vis=vis_network_js(),
        counts=f"{len(nodes)} nodes, {len(edges)} edges",
        nodes=script_json(nodes), edges=script_json(edges), options=script_json(options),
    )


def edge_line(data: dict) -> str:
    """What one claim or relation says on its arrow: its amount ("4 bn USD"), else its kind."""
    line = data.get("amount_label") or kind_words(data.get("kind", "")) or data.get("relation", "")
    return f"⚠ {line}" if data.get("conflict") else line


def kind_words(kind: str) -> str:
    """"EquityStake" → "equity stake"."""
    return re.sub(r"(?<=[a-z])(?=[A-Z])", " ", kind).lower()


def script_json(data) -> str:
    """JSON that cannot end the <script> it stands in."""
    return json.dumps(data, ensure_ascii=False).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def vis_network_js() -> str:
    """vis-network as pyvis ships it, to inline in the page."""
    import pyvis

    folder = Path(pyvis.__file__).parent / "lib"
    return max(folder.glob("vis-*/vis-network.min.js")).read_text(encoding="utf-8")


VIEW_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<style>
body{{font-family:system-ui,sans-serif;margin:0;color:#222}}
header{{padding:.8em 1.5em;border-bottom:1px solid #ddd}} h1{{font-size:1.4em;margin:0 0 .2em}}
.caption{{margin:0;color:#555}} .counts{{color:#777;font-size:.9em}}
.legend{{display:flex;gap:1.2em;flex-wrap:wrap;list-style:none;margin:.5em 0 0;padding:0}}
.legend li{{display:flex;align-items:center;gap:.4em}}
.swatch{{display:inline-block;width:1em;height:1em;border-radius:50%}}
.line{{display:inline-block;width:2em;border-top:3px dashed}}
#network{{width:100%;height:calc(100vh - 8.5em);min-height:480px}}
.tip{{white-space:pre-line;font:14px system-ui,sans-serif;max-width:40em}}
</style><script>{vis}</script></head><body>
<header><h1>{title}</h1><p class="caption">{caption} <span class="counts">{counts}</span></p>
<ul class="legend" id="legend">{legend}</ul></header>
<div id="network"></div>
<script>
function tip(text) {{ const div = document.createElement("div"); div.className = "tip"; div.textContent = text; return div; }}
const nodes = new vis.DataSet({nodes}.map(n => ({{...n, title: tip(n.title)}})));
const edges = new vis.DataSet({edges}.map(e => ({{...e, title: tip(e.title)}})));
const network = new vis.Network(document.getElementById("network"), {{nodes, edges}}, {options});
network.once("stabilizationIterationsDone", () => network.setOptions({{physics: false}}));
window.investKgView = {{nodes, edges, network}};
</script></body></html>"""


def write_view(view: nx.Graph, path: Path | str, title: str | None = None) -> None:
    """Write a view by suffix (.graphml, .gexf, .json node-link, .html with `title`), atomically."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in VIEW_SUFFIXES:
        raise ValueError(f"{path}: unknown view format '{suffix}' (use {', '.join(VIEW_SUFFIXES)})")
    if suffix == ".json":
        data = json.dumps(nx.node_link_data(view, edges="links"), indent=2, sort_keys=True, ensure_ascii=False).encode()
    elif suffix == ".html":
        data = view_html(view, title).encode("utf-8")
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
