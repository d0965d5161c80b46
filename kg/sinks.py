"""Where a build's triples go: a set in memory, a sorted N-Triples/N-Quads file, or an Oxigraph store.

A build hands each document's triples to its sink as soon as the document is processed, and the
corpus-wide triples (merged entities, facilities, conflicts) at the end. The file and Oxigraph
sinks keep no more than one chunk of triples in memory: files are written as sorted chunks and
merged (an external sort), so the output is the same bytes as sorting the whole graph at once.
Nothing appears at the output path until ``close`` has written all of it.
"""

from __future__ import annotations

import heapq
import os
import shutil
import tempfile
import weakref
from collections.abc import Iterable, Iterator
from contextlib import ExitStack
from pathlib import Path

from rdflib import Graph
from oxrdflib import OxigraphStore

from kg.rdfio import GRAPH_NAME, nt_row, triples_graph

CHUNK_LINES = 250_000
STORE_SUFFIX = ".oxigraph"


class MemorySink:
    """All triples in one Python set: what the Turtle, JSON-LD and TriG writers need."""

    def __init__(self) -> None:
        self.triples: set[tuple] = set()

    def add(self, triples: Iterable[tuple]) -> None:
        self.triples.update(triples)

    def close(self) -> int:
        return len(self.triples)

    def abort(self) -> None:
        self.triples.clear()

    def graph(self) -> Graph:
        return triples_graph(self.triples)


class SortedLinesSink:
    """Sorted, duplicate-free N-Triples (or N-Quads in the graph ``kgr:graph``), in bounded memory."""

    def __init__(self, path: Path | str, quads: bool = False, chunk_lines: int = CHUNK_LINES):
        self.path = Path(path)
        self.suffix = f" <{GRAPH_NAME}> .\n" if quads else None
        self.chunk_lines = chunk_lines
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.work = Path(tempfile.mkdtemp(prefix=f".{self.path.name}.", dir=self.path.parent))
        self.buffer: list[str] = []
        self.chunks: list[Path] = []

    def add(self, triples: Iterable[tuple]) -> None:
        if self.suffix:
            self.buffer.extend(nt_row(t)[:-3] + self.suffix for t in triples)
        else:
            self.buffer.extend(map(nt_row, triples))
        if len(self.buffer) >= self.chunk_lines:
            self.spill()

    def spill(self) -> None:
        chunk = self.work / f"{len(self.chunks):06d}.nt"
        chunk.write_text("".join(sorted(set(self.buffer))), encoding="utf-8")
        self.chunks.append(chunk)
        self.buffer = []

    def close(self) -> int:
        """Merge the chunks into the output file (atomically) and return its number of lines."""
        merged = self.work / "merged"
        if not self.chunks:  # it all fitted in one chunk: no merge needed
            lines = sorted(set(self.buffer))
            merged.write_text("".join(lines), encoding="utf-8")
            count = len(lines)
        else:
            if self.buffer:
                self.spill()
            count = 0
            with ExitStack() as files, merged.open("w", encoding="utf-8") as out:
                runs = [files.enter_context(chunk.open(encoding="utf-8")) for chunk in self.chunks]
                for line in unique(heapq.merge(*runs)):
                    out.write(line)
                    count += 1
        os.replace(merged, self.path)
        shutil.rmtree(self.work, ignore_errors=True)
        return count

    def abort(self) -> None:
        shutil.rmtree(self.work, ignore_errors=True)

    def graph(self) -> Graph:
        """The written file in a temporary on-disk Oxigraph store (validation, queries)."""
        return oxigraph_graph_of_file(self.path)


class OxigraphSink:
    """An Oxigraph store folder (``graph.oxigraph``) that ``kg query``/``kg serve`` open directly."""

    def __init__(self, path: Path | str, chunk_lines: int = CHUNK_LINES):
        import pyoxigraph

        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.work = Path(tempfile.mkdtemp(prefix=f".{self.path.name}.", dir=self.path.parent))
        self.store = pyoxigraph.Store(str(self.work / "store"))
        self.graph_name = pyoxigraph.NamedNode(str(GRAPH_NAME))
        self.chunk_lines = chunk_lines
        self.buffer: list[str] = []

    def add(self, triples: Iterable[tuple]) -> None:
        self.buffer.extend(map(nt_row, triples))
        if len(self.buffer) >= self.chunk_lines:
            self.flush()

    def flush(self) -> None:
        import pyoxigraph

        if self.buffer:
            self.store.bulk_load("".join(self.buffer).encode("utf-8"), pyoxigraph.RdfFormat.N_TRIPLES, to_graph=self.graph_name)
            self.buffer = []

    def close(self) -> int:
        self.flush()
        self.store.optimize()
        count = len(self.store)
        del self.store  # releases the folder's lock
        replace_folder(self.work / "store", self.path)
        shutil.rmtree(self.work, ignore_errors=True)
        return count

    def abort(self) -> None:
        self.buffer = []
        del self.store  # closed with the folder it stood in
        shutil.rmtree(self.work, ignore_errors=True)

    def graph(self) -> Graph:
        return open_oxigraph(self.path)


def unique(lines: Iterator[str]) -> Iterator[str]:
    """Sorted lines without repeats."""
    previous = None
    for line in lines:
        if line != previous:
            yield line
            previous = line


def replace_folder(new: Path, target: Path) -> None:
    """Put folder `new` at `target`; an old `target` is removed only once `new` is in place."""
    if not target.exists():
        os.replace(new, target)
        return
    # a name of its own, so that two builds of the same store never meet in one ".old" folder
    old = Path(tempfile.mkdtemp(prefix=f".{target.name}.old.", dir=target.parent))
    os.replace(target, old)  # onto an empty folder: allowed
    os.replace(new, target)
    shutil.rmtree(old, ignore_errors=True)


def open_oxigraph(path: Path | str) -> Graph:
    """A read-only rdflib Graph over an Oxigraph store folder written by ``kg build -o NAME.oxigraph``
    (read-only, so that any number of readers can open it at once)."""
    import pyoxigraph

    from kg.resources import bind_prefixes

    return bind_prefixes(Graph(store=OxigraphStore(store=pyoxigraph.Store.read_only(str(path))), identifier=GRAPH_NAME))


def oxigraph_graph_of_file(path: Path) -> Graph:
    """An N-Triples/N-Quads file bulk-loaded into an Oxigraph store in a temporary folder (on disk,
    removed with the graph), so that a big graph is validated or queried without an in-memory copy."""
    import pyoxigraph

    from kg.resources import bind_prefixes

    folder = tempfile.mkdtemp(prefix=".kg-store-", dir=path.parent)
    store = pyoxigraph.Store(folder)
    if path.suffix == ".nq":
        store.bulk_load(path=str(path), format=pyoxigraph.RdfFormat.N_QUADS)
    else:
        store.bulk_load(path=str(path), format=pyoxigraph.RdfFormat.N_TRIPLES, to_graph=pyoxigraph.NamedNode(str(GRAPH_NAME)))
    graph = Graph(store=OxigraphStore(store=store), identifier=GRAPH_NAME)
    weakref.finalize(graph, shutil.rmtree, folder, True)
    return bind_prefixes(graph)


def sink_for(output: Path | str | None, rdf_format: str | None = None):
    """The sink a build writes to: N-Triples/N-Quads and Oxigraph stream; other formats need memory."""
    if output is None:
        return MemorySink()
    output = Path(output)
    if output.suffix == STORE_SUFFIX:
        return OxigraphSink(output)
    if rdf_format in ("nt", "nquads"):
        return SortedLinesSink(output, quads=rdf_format == "nquads")
    return MemorySink()
