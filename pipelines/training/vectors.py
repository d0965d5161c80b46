"""Train floret word vectors on the text a pipeline may train on, for ``spacy init vectors --mode floret``.

floret (fastText with hashed subwords) gives every word a vector, also words it never saw, from
its character n-grams; the table has a fixed number of rows however large the vocabulary.

    python pipelines/training/vectors.py corpus/it/raw-more.jsonl build/vectors/it.floret
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import floret
import typer


def write_lines(raw_text: Path, lines_file: Path) -> int:
    """Copy the ``{"text": …}`` records of a JSONL file to one text per line; return how many."""
    count = 0
    with raw_text.open(encoding="utf-8") as records, lines_file.open("w", encoding="utf-8") as out:
        for record in records:
            out.write(json.loads(record)["text"].replace("\n", " ") + "\n")
            count += 1
    return count


def main(
    raw_text: Path = typer.Argument(..., help="JSONL file of training text, one {\"text\": …} per line"),
    output: Path = typer.Argument(..., help="where to write the .floret vectors table"),
    dim: int = typer.Option(100, help="vector width"),
    bucket: int = typer.Option(50_000, help="rows of the hashed table"),
    epochs: int = typer.Option(10, help="passes over the text"),
    min_count: int = typer.Option(3, help="words seen fewer times learn only through their subwords"),
    threads: int = typer.Option(1, help="threads (1 keeps the result reproducible)"),
) -> None:
    output.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        lines_file = Path(tmp) / "text.txt"
        count = write_lines(raw_text, lines_file)
        model = floret.train_unsupervised(
            str(lines_file), model="cbow", mode="floret", hashCount=2, bucket=bucket, minn=4, maxn=5,
            dim=dim, epoch=epochs, minCount=min_count, thread=threads,
        )
    model.save_floret_vectors(str(output))
    typer.echo(f"{output}: {dim} × {bucket} floret vectors from {count} texts")


if __name__ == "__main__":
    typer.run(main)
