"""Query benchmark (`make bench-queries`): every canned query at about 10k, 100k and 1M triples.

For each N, writes N documents made from the sample articles (as `make bench` does), builds them
once into an Oxigraph store (``kg build -o g.oxigraph``) and once into N-Triples, then times:

- Oxigraph: each canned query as a whole ``kg query STORE NAME`` process, as a user runs it
  (start-up included; table output thrown away), the fastest of --repeats runs;
- rdflib: the N-Triples file loaded once into rdflib's in-memory store (loading not counted),
  then each canned query in that process, up to --rdflib-max documents.

Prints a Markdown table: seconds per query and size, for both stores, with the triple counts and
the baseline of the same run: ``kg query`` of an empty SELECT on the same store (start-up alone).

    python -m kg.bench_queries --sizes 45 450 4500
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

import typer

from kg.bench import write_corpus


def whole_process(*args: str, repeats: int) -> float:
    """The fastest of `repeats` runs of ``kg ARGS`` as a process, in seconds."""
    best = float("inf")
    for _ in range(repeats):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "kg.cli", *args], check=True, capture_output=True)
        best = min(best, time.perf_counter() - started)
    return best


def main(
    sizes: list[int] = typer.Option([45, 450, 4500], "--sizes", help="Numbers of documents (about 225 triples each)."),
    rdflib_max: int = typer.Option(450, "--rdflib-max", help="Time rdflib's in-memory store up to this many documents."),
    repeats: int = typer.Option(2, "--repeats", help="Runs of each whole-process query; the fastest counts."),
) -> None:
    from kg.query import canned_queries, load_graph, run_query

    names = list(canned_queries())
    columns: list[tuple[str, dict[str, str]]] = []
    for size in sizes:
        with tempfile.TemporaryDirectory() as root:
            folder = Path(root) / "docs"
            folder.mkdir()
            write_corpus(folder, size)
            store, lines = Path(root) / "g.oxigraph", Path(root) / "g.nt"
            for output in (store, lines):
                subprocess.run([sys.executable, "-m", "kg.cli", "build", str(folder), "-o", str(output), "--no-validate",
                                "--jobs", "2"], check=True, capture_output=True)
            triples = sum(1 for _ in lines.open(encoding="utf-8"))
            oxigraph = {"(start-up: empty query)": f"{whole_process('query', str(store), 'SELECT * WHERE {} LIMIT 0', repeats=repeats):.2f}"}
            oxigraph |= {name: f"{whole_process('query', str(store), name, repeats=repeats):.2f}" for name in names}
            columns.append((f"Oxigraph, {triples:,} triples", oxigraph))
            if size <= rdflib_max:
                graph = load_graph(lines)
                memory = {"(start-up: empty query)": "–"}
                for name in names:
                    started = time.perf_counter()
                    run_query(graph, name)
                    memory[name] = f"{time.perf_counter() - started:.2f}"
                columns.append((f"rdflib in memory, {triples:,} triples (query only)", memory))
    rows = ["(start-up: empty query)", *names]
    typer.echo("| query | " + " | ".join(title for title, _ in columns) + " |")
    typer.echo("|---" * (len(columns) + 1) + "|")
    for row in rows:
        typer.echo(f"| {row} | " + " | ".join(values.get(row, "–") for _, values in columns) + " |")


if __name__ == "__main__":
    typer.run(main)
