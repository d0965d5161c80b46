"""Convert the shared NER corpora into spaCy DocBin files.

Reads ../shared/corpora (never copied into the repository) and writes
``corpus/<lang>/{train,dev,eval-*}.spacy`` and the training text as ``raw.jsonl``. Labels are reduced to PER, LOC, ORG.

    python pipelines/training/convert.py --corpora ../shared/corpora --out corpus
"""

from __future__ import annotations

import gzip
import io
import json
import random
import zipfile
from collections.abc import Iterator
from pathlib import Path

import spacy
import typer
from spacy.tokens import Doc, DocBin
from spacy.training import iob_to_biluo, biluo_tags_to_spans

LABELS = {"PER", "LOC", "ORG"}
SMARTDATA_LABELS = {
    "organization": "ORG",
    "organization-company": "ORG",
    "person": "PER",
    "location": "LOC",
    "location-city": "LOC",
}
SENTENCES_PER_DOC = 10
# Fine or foreign tag sets → PER/LOC/ORG, as the corpora README prescribes; what is not listed is O.
LER_LABELS = {"PER": "PER", "RR": "PER", "AN": "PER", "LD": "LOC", "ST": "LOC", "STR": "LOC", "LDS": "LOC",
              "ORG": "ORG", "UN": "ORG", "INN": "ORG", "GRT": "ORG", "MRK": "ORG"}
HIPE_LABELS = {"pers": "PER", "loc": "LOC", "org": "ORG", "PER": "PER", "LOC": "LOC", "ORG": "ORG"}  # NewsEye writes them upper case
WIKINEURAL_LABELS = {"PER": "PER", "LOC": "LOC", "ORG": "ORG"}
MOBIE_LABELS = {"organization": "ORG", "organization-company": "ORG", "location": "LOC", "location-city": "LOC",
                "location-street": "LOC", "location-stop": "LOC", "location-route": "LOC", "person": "PER"}


def read_conll(path: Path, token_col: int, tag_col: int) -> Iterator[tuple[list[str], list[str]]]:
    """Yield (words, IOB tags) per sentence from a tab-separated token file."""
    words: list[str] = []
    tags: list[str] = []
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            line = line.rstrip("\n")
            if line.startswith("#"):
                continue
            if not line.strip():
                if words:
                    yield words, tags
                words, tags = [], []
                continue
            cols = line.split("\t")
            words.append(cols[token_col])
            tags.append(keep_outer_label(cols[tag_col]))
    if words:
        yield words, tags


def keep_outer_label(tag: str) -> str:
    """Map a tag to PER/LOC/ORG IOB2; OTH, deriv and part variants become O."""
    if tag == "O" or "-" not in tag:
        return "O"
    prefix, label = tag.split("-", 1)
    return f"{prefix}-{label}" if label in LABELS else "O"


def map_label(tag: str, labels: dict[str, str]) -> str:
    """An IOB tag of another tag set as PER/LOC/ORG IOB2 (IO tags become I-, fixed by repair_iob)."""
    if tag in ("O", "", "_"):
        return "O"
    prefix, _, label = tag.partition("-") if tag[:2] in ("B-", "I-") else ("I", "", tag)
    mapped = labels.get(label)
    return f"{prefix}-{mapped}" if mapped else "O"


def read_columns(lines, token_col: int, tag_col: int, labels: dict[str, str],
                 separator: str | None = "\t") -> Iterator[tuple[list[str], list[str]]]:
    """(words, PER/LOC/ORG IOB tags) per sentence of a CoNLL-like file: blank lines, `-DOCSTART-`
    lines and HIPE's `EndOfSentence` end a sentence; `#` comment and header lines are skipped."""
    words: list[str] = []
    tags: list[str] = []
    for line in lines:
        line = line.rstrip("\r\n")
        cols = line.split(separator) if line.strip() else []
        boundary = not cols or cols[0].startswith("-DOCSTART-")
        if not boundary and not line.startswith("#") and cols[0] != "TOKEN" and len(cols) > tag_col:
            words.append(cols[token_col])
            tags.append(map_label(cols[tag_col], labels))
            boundary = "EndOfSentence" in cols[-1]
        if boundary and words:
            yield words, repair_iob(tags)
            words, tags = [], []
    if words:
        yield words, repair_iob(tags)


def read_mobie(path: Path, overlap: Path) -> Iterator[tuple[list[str], list[str]]]:
    """MobIE sentences, without the documents that also stand in SmartData (its test split would leak)."""
    reused = {(row.split("\t")[0], row.split("\t")[1]) for row in overlap.read_text(encoding="utf-8").splitlines()[1:]}
    with zipfile.ZipFile(path) as archive:
        for name in sorted(archive.namelist()):
            text = io.TextIOWrapper(archive.open(name), encoding="utf-8")
            kept: list[str] = []
            keep = True
            for line in text:
                if line.startswith("-DOCSTART-"):
                    doc_id = line.split()[1][1:-1]  # "-ID-", where MobIE may add "/<hash>" to SmartData's ID
                    keep = not {(name, doc_id), (name, doc_id.rsplit("/", 1)[0])} & reused
                if keep:
                    kept.append(line)
            yield from read_columns(kept, 0, 3, MOBIE_LABELS, separator=None)


def sentences_to_docs(nlp, sentences, per_doc: int = SENTENCES_PER_DOC) -> Iterator[Doc]:
    """Group sentences into multi-sentence docs so the NER sees some context."""
    batch: list[tuple[list[str], list[str]]] = []
    for sentence in sentences:
        batch.append(sentence)
        if len(batch) == per_doc:
            yield conll_doc(nlp, batch)
            batch = []
    if batch:
        yield conll_doc(nlp, batch)


def conll_doc(nlp, sentences) -> Doc:
    words = [w for ws, _ in sentences for w in ws]
    tags = [t for _, ts in sentences for t in ts]
    starts = [i == 0 for ws, _ in sentences for i in range(len(ws))]
    doc = Doc(nlp.vocab, words=words, sent_starts=starts)
    doc.ents = biluo_tags_to_spans(doc, iob_to_biluo(repair_iob(tags)))
    return doc


def repair_iob(tags: list[str]) -> list[str]:
    """Turn an I- tag that follows O or another label into B- (IOB1 leftovers)."""
    fixed = []
    previous = "O"
    for tag in tags:
        if tag.startswith("I-") and previous[2:] != tag[2:]:
            tag = "B-" + tag[2:]
        fixed.append(tag)
        previous = tag
    return fixed


def read_smartdata(nlp, path: Path) -> Iterator[Doc]:
    """Yield tokenised docs with PER/LOC/ORG spans from a SmartData JSON stream."""
    decoder = json.JSONDecoder()
    text = gzip.open(path, "rt", encoding="utf-8").read()
    position = 0
    while True:
        while position < len(text) and text[position].isspace():
            position += 1
        if position >= len(text):
            return
        record, position = decoder.raw_decode(text, position)
        text_field = record["text"]
        doc = nlp.make_doc(text_field["string"] if isinstance(text_field, dict) else text_field)
        spans = []
        for mention in record.get("conceptMentions", {}).get("array", []):
            label = SMARTDATA_LABELS.get(mention["type"])
            if label is None:
                continue
            span = doc.char_span(mention["span"]["start"], mention["span"]["end"], label=label, alignment_mode="expand")
            if span is not None:
                spans.append(span)
        doc.ents = spacy.util.filter_spans(spans)
        yield doc


def open_lines(path: Path):
    return path.open(encoding="utf-8")


def write(docs, path: Path) -> int:
    docs = list(docs)
    path.parent.mkdir(parents=True, exist_ok=True)
    DocBin(docs=docs, store_user_data=False).to_disk(path)
    return len(docs)


def write_raw_text(docs, path: Path) -> int:
    """Write the docs' text as spaCy JSONL ({"text": ...}) for ``spacy pretrain``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as out:
        for doc in docs:
            out.write(json.dumps({"text": doc.text}, ensure_ascii=False) + "\n")
    return len(docs)


def hold_out(docs: list[Doc], fraction: float, seed: int = 0) -> tuple[list[Doc], list[Doc]]:
    """Split docs into (train, dev) with a fixed seed."""
    shuffled = docs[:]
    random.Random(seed).shuffle(shuffled)
    cut = int(len(shuffled) * fraction)
    return shuffled[cut:], shuffled[:cut]


def main(
    corpora: Path = typer.Option(Path("../shared/corpora"), help="Folder with it/ and de/ corpora."),
    out: Path = typer.Option(Path("corpus"), help="Where the .spacy files go."),
) -> None:
    it, de = spacy.blank("it"), spacy.blank("de")
    kind = corpora / "it"
    train = [d for dom in ("WN", "FIC", "ADG") for d in sentences_to_docs(it, read_conll(kind / f"kind_{dom}_train.tsv", 0, 1))]
    counts = {
        "it/train": write(train, out / "it/train.spacy"),
        "it/raw": write_raw_text(train, out / "it/raw.jsonl"),
        "it/dev": write(sentences_to_docs(it, read_conll(kind / "kind_WN_dev.tsv", 0, 1)), out / "it/dev.spacy"),
    }
    for dom in ("WN", "FIC", "ADG"):
        docs = sentences_to_docs(it, read_conll(kind / f"kind_{dom}_test.tsv", 0, 1))
        counts[f"it/eval-{dom}-test"] = write(docs, out / f"it/eval-{dom}-test.spacy")
    # Every KIND split the corpora allow for training (all but WN test): the train splits, the three
    # dev splits and the FIC and ADG test splits, less a quarter of WN dev that picks the checkpoint.
    wn_rest, wn_dev = hold_out(list(sentences_to_docs(it, read_conll(kind / "kind_WN_dev.tsv", 0, 1))), 0.25)
    allowed = [*train, *wn_rest, *(d for dom in ("FIC", "ADG") for split in ("dev", "test")
                                   for d in sentences_to_docs(it, read_conll(kind / f"kind_{dom}_{split}.tsv", 0, 1)))]
    counts["it/train-all"] = write(allowed, out / "it/train-all.spacy")
    counts["it/dev-all"] = write(wn_dev, out / "it/dev-all.spacy")

    germ = corpora / "de"
    germeval_train = list(sentences_to_docs(de, read_conll(germ / "germeval2014_test.tsv", 1, 2)))
    smart_train = list(read_smartdata(de, germ / "smartdata_v1_train.json.gz"))
    g_train, g_dev = hold_out(germeval_train, 0.1)
    s_train, s_dev = hold_out(smart_train, 0.1)
    counts["de/train"] = write(g_train + s_train, out / "de/train.spacy")
    counts["de/dev"] = write(g_dev + s_dev, out / "de/dev.spacy")
    counts["de/raw"] = write_raw_text(g_train + s_train, out / "de/raw.jsonl")
    # A GermEval-only variant, to measure what the SmartData domain adds or costs.
    counts["de/train-germeval"] = write(g_train, out / "de/train-germeval.spacy")
    counts["de/dev-germeval"] = write(g_dev, out / "de/dev-germeval.spacy")
    counts["de/eval-germeval-dev"] = write(
        sentences_to_docs(de, read_conll(germ / "germeval2014_dev.tsv", 1, 2)), out / "de/eval-germeval-dev.spacy"
    )
    counts["de/eval-smartdata-test"] = write(
        read_smartdata(de, germ / "smartdata_v1_test.json.gz"), out / "de/eval-smartdata-test.spacy"
    )
    # More German training data (CC BY / CC0 only: the German pipeline stays commercially usable).
    extra = germ / "extra"
    more_de = [
        *(s for part in ("newseye-dev", "newseye-dev2", "newseye-test", "sonar-dev", "sonar-test")
          for s in read_columns(open_lines(extra / f"HIPE-2022-v2.1-{part}-de.tsv"), 0, 1, HIPE_LABELS)),
        *read_mobie(extra / "mobie_ner_conll03.zip", extra / "mobie_overlap_with_smartdata_v1.tsv"),
    ]
    legal = [*read_columns(open_lines(extra / "ler_dev.conll"), 0, 1, LER_LABELS, separator=" "),
             *read_columns(open_lines(extra / "ler_test.conll"), 0, 1, LER_LABELS, separator=" ")]
    counts["de/train-more"] = write([*g_train, *s_train, *sentences_to_docs(de, more_de)], out / "de/train-more.spacy")
    # Court decisions: 13,000 sentences with few names; kept apart because they swamp the news text.
    more_legal = [*g_train, *s_train, *sentences_to_docs(de, more_de + legal)]
    counts["de/train-more-legal"] = write(more_legal, out / "de/train-more-legal.spacy")
    # Their text alone, to pretrain the tok2vec on (their annotations are not used there).
    counts["de/raw-more"] = write_raw_text(more_legal, out / "de/raw-more.jsonl")
    # More Italian training data (non-commercial, like KIND): WikiNEuRal and KIND Moro, both silver.
    more_it = [
        *read_columns(open_lines(kind / "extra/wikineural_it_val.conllu"), 1, 2, WIKINEURAL_LABELS),
        *read_columns(open_lines(kind / "extra/wikineural_it_test.conllu"), 1, 2, WIKINEURAL_LABELS),
        *read_columns(open_lines(kind / "extra/moro_train.tsv"), 0, 1, WIKINEURAL_LABELS),
        *read_columns(open_lines(kind / "extra/moro_test.tsv"), 0, 1, WIKINEURAL_LABELS),
    ]
    train_more = [*train, *sentences_to_docs(it, more_it)]
    counts["it/train-more"] = write(train_more, out / "it/train-more.spacy")
    counts["it/raw-more"] = write_raw_text(train_more, out / "it/raw-more.jsonl")
    eval_only = corpora / "eval-only"
    for lang, nlp in (("it", it), ("de", de)):
        counts[f"{lang}/eval-europarl"] = write(sentences_to_docs(nlp, read_columns(
            open_lines(eval_only / f"{lang}-europarl.test.conll02"), 0, 1, WIKINEURAL_LABELS)), out / f"{lang}/eval-europarl.spacy")
    counts["de/eval-uner-pud"] = write(sentences_to_docs(de, read_columns(
        open_lines(eval_only / "uner_de_pud_test.iob2"), 1, 2, WIKINEURAL_LABELS)), out / "de/eval-uner-pud.spacy")
    counts["de/eval-hipe2020-test"] = write(sentences_to_docs(de, read_columns(
        open_lines(eval_only / "HIPE-2022-v2.1-hipe2020-test-de.tsv"), 0, 1, HIPE_LABELS)), out / "de/eval-hipe2020-test.spacy")
    for name, n in counts.items():
        typer.echo(f"{name}: {n} docs")


if __name__ == "__main__":
    typer.run(main)
