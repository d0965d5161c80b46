"""Score the bundled NER alone and with invest-kg's components on the held-out splits.

    python pipelines/training/score_components.py --lang it --eval corpus/it/eval-WN-test.spacy --eval corpus/it/eval-europarl.spacy

Both read the gold tokenisation and are scored with spaCy's span scorer on PER, LOC and ORG (gold
MISC and the like are left out), so the two columns differ only by the components that `kg build`
runs after the NER (pipelines/components.cfg). Prints a Markdown table for the model card.
"""

from __future__ import annotations

from pathlib import Path

import spacy
import typer
from spacy.scorer import Scorer
from spacy.tokens import Doc, DocBin, Span
from spacy.training import Example

from kg.nlp import pipeline_for

LABELS = ("PER", "LOC", "ORG")


def gold_docs(path: Path, vocab) -> list[Doc]:
    docs = list(DocBin().from_disk(path).get_docs(vocab))
    for doc in docs:
        doc.ents = [ent for ent in doc.ents if ent.label_ in LABELS]
    return docs


def scores(nlp, gold: list[Doc]) -> dict[str, float]:
    """Micro P/R/F of `nlp` over the gold documents' own words."""
    inputs = (Doc(nlp.vocab, words=[t.text for t in doc], spaces=[bool(t.whitespace_) for t in doc]) for doc in gold)
    examples = []
    for predicted, reference in zip(nlp.pipe(inputs, batch_size=64), gold):
        predicted.ents = [Span(predicted, e.start, e.end, label=e.label_) for e in predicted.ents if e.label_ in LABELS]
        examples.append(Example(predicted, reference))
    found = Scorer.score_spans(examples, "ents")
    return {key: found[f"ents_{key}"] or 0.0 for key in ("p", "r", "f")}


def main(lang: str = typer.Option(..., help="it or de"),
         splits: list[Path] = typer.Option(..., "--eval", help="Held-out .spacy files."),
         model: Path = typer.Option(None, help="NER pipeline folder (default: the bundled one)")) -> None:
    model = model or Path("pipelines/models") / lang
    alone = spacy.load(model)
    full = pipeline_for(lang, {lang: str(model)})
    print("| split | NER alone F | NER + components P / R / F |\n|---|---|---|")
    for split in splits:
        gold = gold_docs(split, alone.vocab)
        ner = scores(alone, gold)
        with_components = scores(full, gold)
        print(f"| {lang}: {split.stem} | {ner['f']:.3f} | {with_components['p']:.3f} / {with_components['r']:.3f} / "
              f"**{with_components['f']:.3f}** |")


if __name__ == "__main__":
    typer.run(main)
