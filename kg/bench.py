"""End-to-end benchmark (`make bench`): how fast documents become a validated graph.

For each N, writes N documents made from the sample articles (each made unique by a numbered
closing line), then, each in a fresh process so that peak memory is its own:

- raw spaCy: the same pipelines' ``nlp.pipe`` over the same texts (the baseline);
- invest-kg: ``build_graph`` without validation (NLP, linking, facts, RDF), streaming the graph
  to a sorted N-Triples file (the bounded-memory path of ``kg build -o graph.nt``);
- validation: the written graph loaded into memory, then pySHACL in shards by --validate-jobs
  processes (up to --validate-max documents; loading is not counted).

Then, as a user runs them (whole processes: start-up, model loading and file reading included),
``kg build DOCS -o graph.nt`` with its default validation, with --jobs 1 and --jobs 2, against a raw
spaCy process (`raw_process`: load the same pipelines, read the files, ``nlp.pipe``).

Raw spaCy and invest-kg are measured alternately --repeats times and the fastest run of each
counts (the machine is a shared VM: one run can be 40 % slower than the next). Prints words/s,
the ratio of invest-kg to raw spaCy (goal ≥ 0.8), triples/s, peak memory and validation time, as
a Markdown table, with the machine it ran on.

    python -m kg.bench --sizes 100 1000 10000
"""

from __future__ import annotations

import multiprocessing
import os
import platform
import resource
import subprocess
import sys
import tempfile
from queue import Empty
import time
from pathlib import Path

import typer

from kg.locations import PROJECT_ROOT

SAMPLE = PROJECT_ROOT / "seeds" / "sample"
CLOSING = {"it": "Nota redazionale numero {i}.", "de": "Redaktionelle Anmerkung Nummer {i}."}


def write_corpus(folder: Path, size: int) -> int:
    """`size` documents cycling over the it/de sample articles; returns their word count."""
    samples = [(p.name[:2], p.read_text(encoding="utf-8")) for p in sorted(SAMPLE.glob("*.txt")) if p.name[:2] in CLOSING]
    words = 0
    for i in range(size):
        lang, text = samples[i % len(samples)]
        text = f"{text}\n{CLOSING[lang].format(i=i)}\n"
        (folder / f"{i:06d}-{lang}.txt").write_text(text, encoding="utf-8")
        words += len(text.split())
    return words


def run_raw(folder: str, queue) -> None:
    from kg.build import read_documents
    from kg.nlp import pipeline_for

    documents, _ = read_documents([folder])
    pipelines = {lang: pipeline_for(lang) for lang in sorted({d.lang for d in documents})}  # loading is not timed
    start = time.perf_counter()
    for lang, nlp in pipelines.items():
        for _doc in nlp.pipe((d.text for d in documents if d.lang == lang), batch_size=32):
            pass
    queue.put({"seconds": time.perf_counter() - start, "peak_mb": peak_mb()})


def run_build(folder: str, validate_jobs: int, queue) -> None:
    from kg.build import build_graph
    from kg.nlp import pipeline_for
    from kg.query import load_graph
    from kg.sinks import SortedLinesSink
    from kg.validate import validate_graph

    for lang in ("it", "de"):
        pipeline_for(lang)  # loading models is not what we measure (raw spaCy loads them untimed too)
    load_other_models()
    output = Path(folder).with_name("graph.nt")  # beside the corpus folder, not in it
    start = time.perf_counter()
    result = build_graph([folder], validate=False, sink=SortedLinesSink(output))  # end to end: the file is written
    seconds = time.perf_counter() - start
    peak = peak_mb()
    validation = None
    if validate_jobs:
        graph = load_graph(output)
        started = time.perf_counter()
        report = validate_graph(graph, jobs=validate_jobs)
        validation = (time.perf_counter() - started, report.conforms)
    queue.put({"seconds": seconds, "triples": result.triple_count, "peak_mb": peak, "validation": validation})


def raw_process(folder: str) -> None:
    """A raw spaCy process over the corpus, as a user would write one: the same pipelines loaded,
    each file read (its language from its name), ``nlp.pipe`` per language."""
    from kg.nlp import pipeline_for

    paths = sorted(Path(folder).glob("*.txt"))
    for lang in ("it", "de"):
        nlp = pipeline_for(lang)
        texts = (path.read_text(encoding="utf-8") for path in paths if path.stem.endswith(f"-{lang}"))
        for _doc in nlp.pipe(texts, batch_size=32):
            pass


def whole_process(command: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True)
    return time.perf_counter() - started


def whole_processes(folder: str, repeats: int) -> dict[str, float]:
    """Fastest wall-clock seconds of each whole process, run alternately `repeats` times."""
    output = str(Path(folder).with_name("graph.nt"))
    commands = {
        "raw": [sys.executable, "-c", f"from kg.bench import raw_process; raw_process({folder!r})"],
        "kg -j1": [sys.executable, "-m", "kg.cli", "build", folder, "-o", output, "--jobs", "1"],
        "kg -j2": [sys.executable, "-m", "kg.cli", "build", folder, "-o", output, "--jobs", "2"],
    }
    best = dict.fromkeys(commands, float("inf"))
    for _ in range(repeats):
        for name, command in commands.items():
            best[name] = min(best[name], whole_process(command))
    return best


def load_other_models() -> None:
    """What invest-kg loads once per process besides the spaCy pipelines (language-id model,
    catalogue index, lexicon, dateparser's language data): untimed, like the pipelines."""
    from kg.build import shared_linker
    from kg.documents import detect_language
    from kg.facts.dates import read_date
    from kg.lexicon import load_lexicon

    detect_language("Microsoft investe in Francia.")
    shared_linker()
    load_lexicon()
    read_date("17 maggio 2024", "it")
    read_date("17. Mai 2024", "de")
    read_date.cache_clear()  # the data stays loaded; no answer is kept


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def in_fresh_process(target, *args) -> dict:
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    process = context.Process(target=target, args=(*args, queue))
    process.start()
    while process.is_alive() or not queue.empty():
        try:
            return queue.get(timeout=1)
        except Empty:
            continue
    raise RuntimeError(f"{target.__name__} exited with code {process.exitcode} without a result")


def main(
    sizes: list[int] = typer.Option([100, 1000, 10000], "--sizes", help="Numbers of documents."),
    validate_max: int = typer.Option(1000, "--validate-max", help="Validate graphs of at most this many documents."),
    validate_jobs: int = typer.Option(2, "--validate-jobs", help="Processes for validation."),
    repeats: int = typer.Option(3, "--repeats", help="Alternate runs of each side; the fastest counts."),
    whole_max: int = typer.Option(1000, "--whole-max", help="Time whole processes up to this many documents."),
) -> None:
    typer.echo(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
               f"Python {platform.python_version()}, OMP_NUM_THREADS={os.environ.get('OMP_NUM_THREADS', 'unset')}, "
               f"best of {repeats} alternate runs")
    typer.echo(f"| documents | words | raw spaCy w/s | invest-kg w/s | ratio | triples | triples/s | peak MB (raw / kg) "
               f"| SHACL s ({validate_jobs} jobs) |")
    typer.echo("|---|---|---|---|---|---|---|---|---|")
    whole: list[str] = []
    for size in sizes:
        with tempfile.TemporaryDirectory() as root:
            folder = str(Path(root) / "docs")
            Path(folder).mkdir()
            words = write_corpus(Path(folder), size)
            raws, builds = [], []
            for attempt in range(repeats):
                raws.append(in_fresh_process(run_raw, folder))
                validate = validate_jobs if size <= validate_max and attempt == 0 else 0
                builds.append(in_fresh_process(run_build, folder, validate))
            raw = min(raws, key=lambda run: run["seconds"])
            built = {**min(builds, key=lambda run: run["seconds"]), "validation": builds[0]["validation"]}
            if size <= whole_max:
                seconds = whole_processes(folder, repeats)
                whole.append(f"| {size:,} | {seconds['raw']:.1f} | {seconds['kg -j1']:.1f} | {seconds['raw'] / seconds['kg -j1']:.2f} "
                             f"| {seconds['kg -j2']:.1f} | {seconds['raw'] / seconds['kg -j2']:.2f} |")
        raw_wps, kg_wps = words / raw["seconds"], words / built["seconds"]
        shacl = f"{built['validation'][0]:.1f} ({'conforms' if built['validation'][1] else 'violations'})" if built["validation"] else "–"
        typer.echo(
            f"| {size:,} | {words:,} | {raw_wps:,.0f} | {kg_wps:,.0f} | {kg_wps / raw_wps:.2f} | {built['triples']:,} "
            f"| {built['triples'] / built['seconds']:,.0f} | {raw['peak_mb']:,.0f} / {built['peak_mb']:,.0f} | {shacl} |"
        )
    if whole:
        typer.echo("\nWhole processes, seconds (kg build -o graph.nt with its default validation; ratio = raw spaCy "
                   "process time / kg time, goal ≥ 0.8):")
        typer.echo("| documents | raw spaCy process | kg build -j 1 | ratio | kg build -j 2 | ratio |")
        typer.echo("|---|---|---|---|---|---|")
        typer.echo("\n".join(whole))


if __name__ == "__main__":
    typer.run(main)
