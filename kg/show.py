"""One document as people read it: its text with every mention marked by the kind of entity it was
linked to (and the amounts), beside the facts found in it with their evidence — a displaCy-style
page that needs no server and loads nothing from the web.
"""

from __future__ import annotations

import html

from rdflib import Graph
from rdflib.namespace import PROV

from kg.documents import SourceDocument
from kg.explain import (
    AMOUNT, OTHER_COLOUR, FactExplanation, Segment, amount_pattern, cut, entity_group, facts_of_document, group_colours,
)
from kg.query import compact
from kg.rdf import document_iri
from kg.resources import INV

STYLE = """
body{font-family:system-ui,sans-serif;margin:0;color:#222;background:#fafafa}
header{padding:1em 2em;background:#fff;border-bottom:1px solid #ddd}
h1{font-size:1.4em;margin:0 0 .3em} .caption{color:#555;margin:0}
main{display:flex;gap:2em;padding:1.5em 2em;align-items:flex-start}
article{flex:3;background:#fff;padding:1.5em;border:1px solid #ddd;line-height:2.1;white-space:pre-wrap;font-size:1.05em}
aside{flex:2;min-width:22em;position:sticky;top:1em;max-height:calc(100vh - 2em);overflow-y:auto}
mark{padding:.15em .35em;border-radius:.35em;color:#111}
mark .kind{font-size:.65em;font-weight:bold;text-transform:uppercase;margin-left:.4em;opacity:.75}
.legend{display:flex;gap:1em;flex-wrap:wrap;margin:.6em 0 0;padding:0;list-style:none}
.legend li{display:flex;align-items:center;gap:.4em}
.swatch{display:inline-block;width:1em;height:1em;border-radius:.2em}
.fact{background:#fff;border:1px solid #ddd;border-radius:.4em;padding:.8em 1em;margin:0 0 1em}
.fact h3{margin:0 0 .4em;font-size:1em} .fact table{border-collapse:collapse;margin:.3em 0}
.fact td{padding:.1em .8em .1em 0;vertical-align:top} .fact td:first-child{color:#666}
.evidence{border-left:3px solid #ccc;padding-left:.7em;line-height:1.8;margin:.4em 0}
.conflict{color:#b00020;font-weight:bold} .iri{color:#777;font-size:.8em}
"""


def document_page(graph: Graph, document: SourceDocument) -> str:
    """The page of `document`, whose mentions and facts `graph` holds (a graph built from it)."""
    doc = document_iri(document.doc_id)
    colours = group_colours()
    facts = facts_of_document(graph, doc)
    segments = marked_text(graph, doc, document.text)
    kinds = sorted({s.kind for s in segments if s.kind})
    legend = "".join(
        f'<li><span class="swatch" style="background:{colours.get(kind, OTHER_COLOUR)}"></span>{html.escape(kind_name(kind))}</li>'
        for kind in kinds
    )
    mentions = sum(1 for s in segments if s.kind and s.kind != AMOUNT)
    return f"""<!doctype html>
<html lang="{html.escape(document.lang)}"><head><meta charset="utf-8">
<title>{html.escape(document.name)} — invest-kg</title><style>{STYLE}</style></head><body>
<header><h1>{html.escape(document.name)}</h1>
<p class="caption">Language {html.escape(document.lang)} · {mentions} mentions marked by the kind of entity they were linked to ·
{len(facts)} facts found, each with the sentence it comes from. Hover a name for its entity.</p>
<ul class="legend" id="legend">{legend}</ul></header>
<main><article id="text">{segments_html(segments, colours)}</article>
<aside id="facts"><h2>Facts</h2>{"".join(fact_html(fact, colours) for fact in facts) or "<p>No facts found.</p>"}</aside></main>
</body></html>"""


def marked_text(graph: Graph, doc, text: str) -> list[Segment]:
    """The document's text cut at its mentions (kind = their entity's group) and amounts."""
    spans = []
    for mention in graph.subjects(PROV.wasDerivedFrom, doc):
        offset = graph.value(mention, INV.startChar)
        if offset is None or graph.value(mention, INV.refersTo) is None:
            continue
        start = int(str(offset))
        name = str(graph.value(mention, INV.mentionText))
        if text[start:start + len(name)] == name:
            spans.append((start, start + len(name), entity_group(graph, graph.value(mention, INV.refersTo)),
                          compact(graph.value(mention, INV.refersTo), graph)))
    taken = {i for start, end, *_ in spans for i in range(start, end)}
    for match in amount_pattern().finditer(text):
        if not taken.intersection(range(match.start(), match.end())):
            spans.append((match.start(), match.end(), AMOUNT, ""))
    return cut(text, spans)


def segments_html(segments: list[Segment], colours: dict[str, str]) -> str:
    parts = []
    for segment in segments:
        if not segment.kind:
            parts.append(html.escape(segment.text))
            continue
        title = segment.title
        parts.append(
            f'<mark data-kind="{html.escape(segment.kind)}" style="background:{colours.get(segment.kind, OTHER_COLOUR)}55"'
            + (f' title="{html.escape(title)}"' if title else "")
            + f'>{html.escape(segment.text)}<span class="kind">{html.escape(kind_name(segment.kind))}</span></mark>'
        )
    return "".join(parts)


def fact_html(fact: FactExplanation, colours: dict[str, str]) -> str:
    rows = "".join(f"<tr><td>{html.escape(label)}</td><td>{html.escape(value)}</td></tr>" for label, value in fact.statements)
    rows += f"<tr><td>confidence</td><td>{html.escape(fact.confidence)}</td></tr>"
    conflicts = "".join(f'<p class="conflict">⚠ {html.escape(c)}</p>' for c in fact.conflicts)
    return (f'<section class="fact"><h3>{html.escape(fact.kind)}</h3><table>{rows}</table>'
            f'<p class="evidence">{segments_html(fact.evidence, colours)}</p>{conflicts}'
            f'<div class="iri">{html.escape(fact.iri)}</div></section>')


def kind_name(kind: str) -> str:
    return "amount" if kind == AMOUNT else kind
