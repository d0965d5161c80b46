"""Speed of the bundled NER pipelines on news text, one process (`make bench-ner`).

For each language, times nlp.pipe over the held-out news split (or, without the corpora, the
sample articles repeated) and prints words per second for: the tokenizer alone (the baseline,
measured in the same run), the bundled NER pipeline, and the full invest-kg pipeline (NER +
catalogue tagger + money finder). Ratios are against the baseline. Set OMP_NUM_THREADS=1 for
a one-core figure (the Makefile does).
"""

from __future__ import annotations

import time
from pathlib import Path

import spacy
import typer
from spacy.tokens import DocBin

from kg.nlp import BUNDLED, add_invest_components, add_sentence_boundaries

ROOT = Path(__file__).resolve().parents[2]
NEWS_SPLITS = {"it": "corpus/it/eval-WN-test.spacy", "de": "corpus/de/eval-germeval-dev.spacy"}
TARGET_WPS = 10_000


def news_texts(lang: str, nlp) -> list[str]:
    split = ROOT / NEWS_SPLITS[lang]
    if split.exists():
        return [doc.text for doc in DocBin().from_disk(split).get_docs(nlp.vocab)]
    samples = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds" / "sample").glob(f"{lang}-*.txt"))]
    return samples * 200


def best_seconds(run, repeats: int) -> float:
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - start)
    return best


def main(repeats: int = typer.Option(3, help="Runs per measurement; the best is kept.")) -> None:
    typer.echo("| lang | words | tokenizer w/s (baseline) | NER w/s | ratio | invest-kg pipeline w/s | ratio | ≥ 10,000 |")
    typer.echo("|---|---|---|---|---|---|---|---|")
    for lang in ("it", "de"):
        path = BUNDLED / lang
        if not (path / "config.cfg").exists():
            typer.echo(f"| {lang} | no bundled pipeline at {path} |")
            continue
        ner = spacy.load(path)
        full = spacy.load(path)
        add_sentence_boundaries(full)
        add_invest_components(full)
        texts = news_texts(lang, ner)
        words = sum(1 for doc in ner.tokenizer.pipe(texts) for t in doc if not t.is_space)
        baseline = words / best_seconds(lambda: list(ner.tokenizer.pipe(texts)), repeats)
        ner_wps = words / best_seconds(lambda: [None for _ in ner.pipe(texts, batch_size=64)], repeats)
        full_wps = words / best_seconds(lambda: [None for _ in full.pipe(texts, batch_size=64)], repeats)
        verdict = "yes" if ner_wps >= TARGET_WPS else "no"
        typer.echo(
            f"| {lang} | {words:,} | {baseline:,.0f} | {ner_wps:,.0f} | {ner_wps / baseline:.3f} "
            f"| {full_wps:,.0f} | {full_wps / baseline:.3f} | {verdict} |"
        )


if __name__ == "__main__":
    typer.run(main)
