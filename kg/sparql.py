"""SPARQL text → answers without rdflib: the canned queries, what each answers, the refusal of
SERVICE, terminal tables, and ``kg query`` on an Oxigraph store evaluated by Oxigraph alone.

A store answers natively: pyoxigraph evaluates the query and writes the SPARQL 1.1 result formats
itself, and no rdflib term is made for a row (on a million-triple store, making them took longer
than the query).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from decimal import Decimal, InvalidOperation
from pathlib import Path

from kg.locations import NAMESPACES, QUERIES

RESULT_FORMATS = ("table", "json", "csv", "tsv", "xml")
XSD = NAMESPACES["xsd"]
WHOLE_NUMBERS = {XSD + name for name in (
    "integer", "decimal", "int", "long", "short", "byte", "nonNegativeInteger", "positiveInteger",
    "nonPositiveInteger", "negativeInteger", "unsignedInt", "unsignedLong", "unsignedShort", "unsignedByte",
)}
FLOATING_NUMBERS = {XSD + "double", XSD + "float"}


class QueryError(Exception):
    """A query that cannot be found, parsed or answered; str() is one line."""


class StoreError(Exception):
    """A store folder that cannot be opened; str() is one line naming the folder."""


def canned_queries() -> dict[str, Path]:
    """Name → file of the queries shipped in ontology/queries/."""
    return {path.stem: path for path in sorted(QUERIES.glob("*.rq"))}


def query_description(text: str) -> str:
    """What a query answers: its leading comment lines, as one line."""
    lines = []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        lines.append(line.lstrip("#").strip())
    return " ".join(lines)


def query_text(query: str) -> str:
    """The SPARQL text of a canned query name, a .rq file, or the query itself."""
    canned = canned_queries()
    if query in canned:
        return canned[query].read_text(encoding="utf-8")
    if query.endswith(".rq"):
        path = Path(query)
        if not path.is_file():
            raise QueryError(f"{query}: no such query file (canned queries: {', '.join(canned)})")
        return path.read_text(encoding="utf-8")
    if not any(word in query.upper() for word in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")):
        raise QueryError(f"'{query}' is not a canned query ({', '.join(canned)}), a .rq file or SPARQL")
    return query


# SPARQL's tokens that can hold the letters S-E-R-V-I-C-E without being the keyword: long and
# short strings, IRIs and comments; the keyword itself is a word not joined to a name by ':', '?'
# or '$'. Scanning left to right, whichever starts first is taken whole.
SPARQL_TOKENS = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""' r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"(?:[^"\\\n]|\\.)*"' r"|'(?:[^'\\\n]|\\.)*'"
    r'|<[^<>"{}|^`\\\x00-\x20]*>' r"|#[^\n]*"
    r"|(?<![\w:?$])(?P<service>SERVICE)(?![\w:-])",
    re.IGNORECASE | re.DOTALL,
)


def refuse_federation(text: str) -> None:
    """Raise QueryError if a query asks for SERVICE: invest-kg answers from its graph alone and
    never makes a request to another server for a caller (rdflib and Oxigraph both would).

    >>> refuse_federation('SELECT * WHERE { ?s <urn:SERVICE> "SERVICE" } # SERVICE')
    >>> refuse_federation("SELECT * WHERE { service <http://x/sparql> { ?s ?p ?o } }")
    Traceback (most recent call last):
    kg.sparql.QueryError: SERVICE is not allowed: ...
    """
    if any(match.group("service") for match in SPARQL_TOKENS.finditer(text)):
        raise QueryError("SERVICE is not allowed: invest-kg answers from its own graph and fetches nothing from other servers")


def cell_text(value: str, *, iri: bool = False, datatype: str | None = None,
              namespaces: Sequence[tuple[str, str]] = ()) -> str:
    """A term as people read it: IRIs with the longest matching prefix (kgr:investment/…),
    numbers with grouped digits, text on one line.

    >>> cell_text("4000000000.0", datatype=XSD + "decimal")
    '4,000,000,000'
    >>> cell_text("https://w3id.org/invest-kg/resource/x", iri=True, namespaces=sorted_namespaces())
    'kgr:x'
    """
    if iri:
        for prefix, namespace in namespaces:
            if value.startswith(namespace) and len(value) > len(namespace):
                return f"{prefix}:{value[len(namespace):]}"
        return value
    if datatype in WHOLE_NUMBERS or datatype in FLOATING_NUMBERS:
        try:
            number = Decimal(str(float(value))) if datatype in FLOATING_NUMBERS else Decimal(value.strip())
        except (InvalidOperation, ValueError):
            return " ".join(value.split())
        if number.is_finite() and number == number.to_integral_value():  # 100, never "100.0"
            return f"{number:,.0f}"
        return f"{float(number) if datatype in FLOATING_NUMBERS else number:,}"
    return " ".join(value.split())


def sorted_namespaces(extra: Iterable[tuple[str, str]] = ()) -> list[tuple[str, str]]:
    """(prefix, IRI) pairs, longest IRI first, for `cell_text`."""
    pairs = {**NAMESPACES, **dict(extra)}
    return sorted(((prefix, iri) for prefix, iri in pairs.items() if prefix), key=lambda pair: -len(pair[1]))


def fit(cell: str, width: int) -> str:
    """The cell, cut to `width` with an ellipsis that says so."""
    return cell if len(cell) <= width else cell[:width - 1] + "…"


def table_text(names: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """An aligned plain-text table of cells, for a terminal, with its row count."""
    widths = [min(max([len(name)] + [len(row[i]) for row in rows]), 60) for i, name in enumerate(names)]

    def line(cells):
        return "  ".join(fit(cell, width).ljust(width) for cell, width in zip(cells, widths)).rstrip()

    out = [line(names), line(["-" * w for w in widths])] + [line(row) for row in rows]
    out.append(f"({len(rows)} rows)")
    return "\n".join(out) + "\n"


def answer_from_store(folder: Path | str, query: str, fmt: str = "table") -> str:
    """What ``kg query STORE QUERY`` prints, evaluated by Oxigraph over a store folder written
    by ``kg build -o NAME.oxigraph`` (opened read-only; its graphs queried as one).

    >>> print(answer_from_store("graph.oxigraph", "ASK { ?s ?p ?o }"))  # doctest: +SKIP
    true
    """
    import pyoxigraph as ox

    text = query_text(query)
    refuse_federation(text)
    try:
        store = ox.Store.read_only(str(folder))
    except (OSError, RuntimeError) as error:  # RocksDB reports a damaged store as RuntimeError
        raise StoreError(f"{folder}: not an Oxigraph store ({one_line(error)})") from error
    try:
        result = store.query(text, use_default_graph_as_union=True, prefixes=NAMESPACES)
        if isinstance(result, ox.QueryTriples):
            return (ox.serialize(result, format=ox.RdfFormat.TURTLE, prefixes=NAMESPACES) or b"").decode("utf-8")
        if fmt != "table":
            formats = {"json": ox.QueryResultsFormat.JSON, "csv": ox.QueryResultsFormat.CSV,
                       "tsv": ox.QueryResultsFormat.TSV, "xml": ox.QueryResultsFormat.XML}
            return (result.serialize(format=formats[fmt]) or b"").decode("utf-8")
        if isinstance(result, ox.QueryBoolean):
            return f"{str(bool(result)).lower()}\n"
        return solutions_table(result)
    except (SyntaxError, OSError, ValueError, RuntimeError) as error:  # parse errors, reading and evaluation errors
        raise QueryError(f"SPARQL error: {one_line(error)}") from error


def solutions_table(solutions) -> str:
    """Oxigraph's SELECT solutions as a terminal table; each distinct term is formatted once."""
    import pyoxigraph as ox

    namespaces = sorted_namespaces()
    texts: dict = {}

    def text_of(term) -> str:
        if term is None:
            return ""
        known = texts.get(term)
        if known is None:
            if isinstance(term, ox.Literal):
                known = cell_text(term.value, datatype=term.datatype.value)
            else:
                known = cell_text(term.value, iri=isinstance(term, ox.NamedNode), namespaces=namespaces)
            texts[term] = known
        return known

    names = [variable.value for variable in solutions.variables]
    rows = [[text_of(term) for term in solution] for solution in solutions]
    return table_text(names, rows)


def one_line(error: BaseException) -> str:
    return " ".join(str(error).split()) or type(error).__name__
