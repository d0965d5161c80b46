"""Score invest-kg on hand-annotated news (``make eval``; not a test).

Builds the graph of each text of an evaluation folder alone and compares it with the folder's
``gold.json`` (the scoring of ``../shared/realnews-dev/README.md``):

- a gold investment is found when one ``inv:Investment`` (any subclass) of that text's graph has an
  investor, a target, an amount (within 2 %) and a currency each matching one of the gold
  alternatives (an empty gold list accepts anything); a graph investment is right when it finds a
  gold one;
- entity recall: a gold name is a label of a resource typed under the right top class;
  entity precision: the share of the graph's organisations, places and people one of whose labels
  is a name of the text's gold lists.

Names compare after lower-casing and removing accents and punctuation.

    python -m kg.evaluate ../shared/realnews-dev
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import typer
from rdflib import Graph, RDF, RDFS, URIRef

from kg.resources import INV, SCHEMA, subclasses

TOP_CLASSES = {"Organization": INV.Organization, "Place": INV.Place, "Person": INV.Person}
KINDS = ("capex", "acquisition", "stake", "funding_round", "public_funding")
TOLERANCE = Decimal("0.02")


def normalise(name: str) -> str:
    """Lower case, no accents, no punctuation, single spaces: how the gold compares names."""
    text = unicodedata.normalize("NFKD", name.lower())
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^\w\s]", " ", text).split())


@dataclass
class Claim:
    """An investment as the graph states it: names of its parties, its amounts."""

    iri: URIRef
    kind: str
    investors: set[str]
    targets: set[str]
    amounts: list[tuple[Decimal, str]]
    evidence: str = ""

    def finds(self, gold: dict) -> bool:
        return (
            names_match(self.investors, gold["investor"])
            and names_match(self.targets, gold["target"])
            and (not gold["amount"] or any(close(value, Decimal(str(g))) for value, _ in self.amounts for g in gold["amount"]))
            and (not gold["currency"] or any(currency in gold["currency"] for _, currency in self.amounts))
        )

    def __str__(self) -> str:
        amounts = ", ".join(f"{value:,.0f} {currency}" for value, currency in self.amounts) or "no amount"
        return f"{self.kind}: {'/'.join(sorted(self.investors)) or '?'} → {'/'.join(sorted(self.targets)) or '?'}, {amounts}"


def names_match(names: set[str], gold: list[str]) -> bool:
    return not gold or bool(names & {normalise(g) for g in gold})


def close(value: Decimal, gold: Decimal) -> bool:
    return abs(value - gold) <= TOLERANCE * abs(gold)


def kind_of(types: set[URIRef]) -> str:
    """The gold's kind word for the most specific investment class of a claim."""
    for cls, kind in ((INV.CapitalExpenditure, "capex"), (INV.Acquisition, "acquisition"), (INV.FundingRound, "funding_round"),
                      (INV.PublicFunding, "public_funding"), (INV.EquityStake, "stake")):
        if cls in types:
            return kind
    return "investment"


def labels(graph: Graph, node) -> set[str]:
    return {normalise(str(label)) for label in graph.objects(node, RDFS.label)}


def graph_claims(graph: Graph) -> list[Claim]:
    claims = []
    for iri in sorted({URIRef(str(s)) for s in graph.subjects(RDF.type, INV.Investment)}):
        amounts = [(Decimal(str(graph.value(a, SCHEMA.value))), str(graph.value(a, SCHEMA.currency) or ""))
                   for a in graph.objects(iri, INV.amount)]
        claims.append(Claim(
            iri, kind_of({URIRef(str(t)) for t in graph.objects(iri, RDF.type)}),
            {n for p in (INV.investor,) for o in graph.objects(iri, p) for n in labels(graph, o)},
            {n for o in graph.objects(iri, INV.target) for n in labels(graph, o)},
            sorted(amounts), str(next(iter(graph.objects(iri, INV.evidence)), "")),
        ))
    return claims


def graph_entities(graph: Graph) -> dict[str, list[set[str]]]:
    """Per top class, the label sets of the graph's resources typed under it (documents' entities only)."""
    found: dict[str, list[set[str]]] = {}
    mentioned = set(graph.objects(None, INV.refersTo))
    for name, top in TOP_CLASSES.items():
        typed = {s for cls in subclasses(top) for s in graph.subjects(RDF.type, cls)}
        found[name] = [labels(graph, s) for s in sorted(typed & mentioned, key=str)]
    return found


@dataclass
class Score:
    gold_entities: int = 0
    found_entities: int = 0
    graph_entities: int = 0
    gold_named_entities: int = 0
    gold_claims: Counter = field(default_factory=Counter)
    found_claims: Counter = field(default_factory=Counter)
    graph_claims: Counter = field(default_factory=Counter)
    right_claims: Counter = field(default_factory=Counter)
    report: list[str] = field(default_factory=list)

    def add_document(self, doc_id: str, gold: dict, graph: Graph) -> None:
        entities = graph_entities(graph)
        missed_entities = []
        for name, top in gold["entities"]:
            self.gold_entities += 1
            if any(normalise(name) in names for names in entities[top]):
                self.found_entities += 1
            else:
                missed_entities.append(f"{name} ({top})")
        gold_names = {normalise(n) for n, _ in gold["entities"]} | {
            normalise(n) for claim in gold["investments"] for part in ("investor", "target", "co_investors")
            for n in claim.get(part, [])}
        extra_entities = []
        for names in (names for group in entities.values() for names in group):
            self.graph_entities += 1
            if names & gold_names:
                self.gold_named_entities += 1
            else:
                extra_entities.append(min(names, default="?"))
        claims = graph_claims(graph)
        lines = []
        for item in gold["investments"]:
            self.gold_claims[item["kind"]] += 1
            if any(claim.finds(item) for claim in claims):
                self.found_claims[item["kind"]] += 1
            else:
                lines.append(f"  missed {item['kind']}: {'/'.join(item['investor']) or '?'} → {'/'.join(item['target'])}, "
                             f"{', '.join(f'{a:,.0f}' for a in item['amount']) or 'no amount'} {'/'.join(item['currency'])}")
        for claim in claims:
            self.graph_claims[claim.kind] += 1
            if any(claim.finds(item) for item in gold["investments"]):
                self.right_claims[claim.kind] += 1
            else:
                lines.append(f"  wrong  {claim}  «{claim.evidence[:100]}»")
        if missed_entities:
            lines.append(f"  entities missed: {', '.join(missed_entities)}")
        if extra_entities:
            lines.append(f"  entities not in gold: {', '.join(extra_entities)}")
        if lines:
            self.report.extend([doc_id, *lines])

    def table(self) -> str:
        def ratio(a: int, b: int) -> str:
            return f"{a / b:.2f}" if b else "–"

        def f1(p: float, r: float) -> str:
            return f"{2 * p * r / (p + r):.2f}" if p + r else "0.00"

        rows = ["| kind | gold | found | recall | graph | right | precision | F1 |", "|---|---|---|---|---|---|---|---|"]
        for kind in (*KINDS, "investment", "all"):
            if kind == "all":
                g, fo, gr, ri = (sum(c.values()) for c in (self.gold_claims, self.found_claims, self.graph_claims, self.right_claims))
            else:
                g, fo, gr, ri = self.gold_claims[kind], self.found_claims[kind], self.graph_claims[kind], self.right_claims[kind]
            if not (g or gr):
                continue
            p, r = (ri / gr if gr else 0.0), (fo / g if g else 0.0)
            rows.append(f"| {kind} | {g} | {fo} | {ratio(fo, g)} | {gr} | {ri} | {ratio(ri, gr)} | {f1(p, r)} |")
        rows.append("")
        rows.append(f"entity recall {ratio(self.found_entities, self.gold_entities)} ({self.found_entities}/{self.gold_entities}); "
                    f"graph entities named in the gold {ratio(self.gold_named_entities, self.graph_entities)} "
                    f"({self.gold_named_entities}/{self.graph_entities})")
        return "\n".join(rows)


def evaluate(folder: Path, models: dict[str, str] | None = None) -> Score:
    """Build each text of `folder` alone and score it against `folder/gold.json`."""
    from kg.build import build_graph  # spaCy is loaded only when something is built

    gold = json.loads((folder / "gold.json").read_text(encoding="utf-8"))["docs"]
    score = Score()
    for doc_id, item in sorted(gold.items()):
        result = build_graph([folder / f"{doc_id}.txt"], lang=item.get("lang"), models=models, validate=False)
        score.add_document(doc_id, item, result.graph)
    return score


def main(
    folder: Path = typer.Argument(..., help="A folder of NAME.txt files with gold.json beside them."),
    model: list[str] = typer.Option([], "--model", metavar="LANG=NAME", help="Pipeline for a language, as in kg build."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Only the table, not every missed and wrong claim."),
) -> None:
    """Print investment precision/recall/F1 per kind and entity recall against gold.json."""
    score = evaluate(folder, dict(m.split("=", 1) for m in model))
    if not quiet:
        typer.echo("\n".join(score.report) + "\n")
    typer.echo(score.table())


if __name__ == "__main__":
    typer.run(main)
