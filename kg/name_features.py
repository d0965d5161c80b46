"""Name-list features for the statistical NER: which listed names each word belongs to.

A CNN trained on a few thousand sentences knows the names those sentences repeat. The lists know
tens of thousands more (places, listed companies, first names, surnames). The ``invest_name_features``
component, first in the bundled Italian pipeline, marks each word with the lists it is found in — "B-LOC" for
the first word of a listed place, "I-ORG" inside a listed company's name, "FIRST" for a first name —
and the ``invest.NameListEmbed.v1`` embedding gives the NER's tok2vec that mark as one more input
beside the word's own form, prefix, suffix and shape. The network learns from the annotated
corpora how far to trust each list, unlike a rule that takes every listed word for a name.

The lists arrive through ``initialize`` (the training config's ``[initialize.components.name_features]``)
and are saved with the pipeline as hashes, so ``spacy.load(path)`` needs nothing else (the factory
and the architecture are found through the package's entry points).
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import cast

import numpy
import srsly
from spacy.attrs import ORTH
from spacy.language import Language
from spacy.ml.staticvectors import StaticVectors
from spacy.strings import get_string_id
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc, Span
from spacy.util import registry
from thinc.api import HashEmbed, Maxout, Model, chain, concatenate, list2ragged, ragged2list, with_array
from thinc.types import Floats2d, Ints2d, Ragged

FEATURES_KEY = "invest_name_features"
WORD_JOINER = "\x1f"  # between the words of a name in the index: no word holds it
NAME_LABELS = ("PER", "LOC", "ORG")


def read_names(path: Path) -> dict[str, list[str]]:
    """Names by label from a ``name<TAB>label[<TAB>source]`` TSV with a header (seeds/names) or a
    file of ``LABEL name`` lines (KIND's organisation gazetteer)."""
    names: dict[str, list[str]] = {label: [] for label in NAME_LABELS}
    with path.open(encoding="utf-8") as lines:
        if path.suffix == ".tsv":
            for row in csv.DictReader(lines, delimiter="\t"):
                if row["label"] in names:
                    names[row["label"]].append(row["name"])
        else:
            for line in lines:
                label, _, name = line.strip().partition(" ")
                if label in names and name:
                    names[label].append(name)
    return names


def read_words(path: Path) -> list[str]:
    """The first word of each line, written as a name is ("abaco", "JAMES 3.318" → "Abaco", "James")."""
    words = (line.split(maxsplit=1)[0] for line in path.open(encoding="utf-8") if line.strip())
    return [word.title() if word.islower() or word.isupper() else word for word in words if not word.startswith("#")]


@Language.factory("invest_name_features")
def make_name_features(nlp: Language, name: str) -> NameFeatures:
    return NameFeatures(name)


class NameFeatures:
    """Marks every word of a ``Doc`` with the name lists it is in, as one hashed feature per word
    in ``doc.user_data["invest_name_features"]`` (read by ``invest.NameListEmbed.v1``).

    Names (label → names) are matched case-sensitively, longest first, by the text of their words:
    "Banca Popolare di Sondrio" gives "B-ORG", "I-ORG", "I-ORG", "I-ORG". Single words (mark →
    words) mark the word itself: "FIRST", "SURNAME". A word in several lists carries all their marks
    ("Paris": "B-LOC|FIRST"). The pipeline keeps the lists as hashes of the names and words, as
    spaCy keeps its strings: a table of features, not the source lists, which are read at training
    from where they live (``../shared``, seeds/names)."""

    def __init__(self, name: str = "name_features") -> None:
        self.name = name
        self.lists: dict[str, dict[str, list[int]]] = {"names": {}, "words": {}}  # label or mark → hashes
        self.first_words: list[list[int]] = [[], []]  # hashes of names' first words, and bit masks of their lengths
        self.index()

    def initialize(self, get_examples: Callable | None = None, *, nlp: Language | None = None,
                   names: Iterable[str] = (), words: dict[str, list[str]] | None = None) -> None:
        """Read the lists: `names`, paths of labelled name lists; `words`, mark → paths of word lists."""
        if nlp is None:
            raise ValueError("invest_name_features: initialize needs the pipeline, to split names into its words")
        listed: dict[str, set[str]] = {label: set() for label in NAME_LABELS}
        for path in names:
            for label, found in read_names(Path(path)).items():
                listed[label].update(found)
        # split as the pipeline's tokenizer splits the text: "Valle d'Aosta" is three words in Italian
        tokenizer = cast(Tokenizer, nlp.tokenizer)
        self.set_lists({label: [[token.text for token in doc] for doc in tokenizer.pipe(sorted(found))]
                        for label, found in listed.items() if found},
                       {mark: sorted({word for path in paths for word in read_words(Path(path))})
                        for mark, paths in (words or {}).items()})

    def set_lists(self, names: dict[str, list[list[str]]], words: dict[str, list[str]]) -> None:
        """Keep `names` (label → names, each as its words) and `words` (mark → words) as hashes."""
        length_bits: dict[int, int] = {}
        for found in names.values():
            for name in found:
                first = get_string_id(name[0])
                length_bits[first] = length_bits.get(first, 0) | 1 << len(name)
        self.lists = {"names": {label: [get_string_id(WORD_JOINER.join(name)) for name in found] for label, found in names.items()},
                      "words": {mark: [get_string_id(word) for word in found] for mark, found in words.items()}}
        self.first_words = [list(length_bits), list(length_bits.values())]
        self.index()

    def index(self) -> None:
        # Sorted hash arrays with a bit per list beside them, looked up for a whole Doc at once:
        # dicts of the Italian pipeline's 272,000 entries took 23 MB more in every process and
        # 0.25 s to build at each load (these, 0.05 s).
        self.labels = list(self.lists["names"])
        self.mark_names = list(self.lists["words"])
        self.mark_sets: dict[int, frozenset[str]] = {}
        self.names_table = bit_table(self.lists["names"].values())
        self.words_table = bit_table(self.lists["words"].values())
        self.first_table = sorted_table(numpy.asarray(self.first_words[0], dtype="uint64"),
                                        numpy.asarray(self.first_words[1], dtype="int64"))

    def marks_by_bits(self, bits: int) -> frozenset[str]:
        found = self.mark_sets.get(bits)
        if found is None:
            found = self.mark_sets[bits] = frozenset(name for j, name in enumerate(self.mark_names) if bits >> j & 1)
        return found

    def marks(self, words: list[str], hashes: list[int] | None = None) -> list[set[str]]:
        """The marks of each word of `words` (whose hashes a ``Doc`` has already: ``to_array(ORTH)``).

        >>> features = NameFeatures(); features.set_lists({"LOC": [["Reggio", "Emilia"]]}, {})
        >>> features.marks(["a", "Reggio", "Emilia", "oggi"])
        [set(), {'B-LOC'}, {'I-LOC'}, set()]
        """
        keys = numpy.asarray(hashes if hashes is not None else [get_string_id(word) for word in words], dtype="uint64")
        marks = [set(self.marks_by_bits(bits)) if bits else set() for bits in looked_up(self.words_table, keys).tolist()]
        # every name that may start at each word, looked up at once; then the longest from the left
        first_bits = looked_up(self.first_table, keys)
        candidates = [(i, length) for i in numpy.flatnonzero(first_bits).tolist()
                      for length in lengths_of(int(first_bits[i])) if i + length <= len(words)]
        if not candidates:
            return marks
        name_keys = numpy.asarray([keys[i] if length == 1 else get_string_id(WORD_JOINER.join(words[i:i + length]))
                                   for i, length in candidates], dtype="uint64")
        found = {candidate: bits for candidate, bits in zip(candidates, looked_up(self.names_table, name_keys).tolist()) if bits}
        inside_until = 0  # a name inside a longer one is not marked again ("Homburg" in "Bad Homburg")
        for i, length in candidates:
            bits = found.get((i, length))
            if i < inside_until or not bits:
                continue
            for j, label in enumerate(self.labels):
                if bits >> j & 1:
                    marks[i].add(f"B-{label}")
                    for k in range(i + 1, i + length):
                        marks[k].add(f"I-{label}")
            inside_until = i + length
        return marks

    def __call__(self, doc: Doc) -> Doc:
        words = [token.text for token in doc]
        doc.user_data[FEATURES_KEY] = numpy.asarray(
            [get_string_id("|".join(sorted(marks))) if marks else 0 for marks in self.marks(words, doc.to_array(ORTH).tolist())],
            dtype="uint64")
        return doc

    def pipe(self, docs: Iterable[Doc], batch_size: int = 128) -> Iterable[Doc]:
        for doc in docs:
            yield self(doc)

    def to_bytes(self, *, exclude: Iterable[str] = ()) -> bytes:
        return cast(bytes, srsly.msgpack_dumps({"lists": self.lists, "first_words": self.first_words}))

    def from_bytes(self, data: bytes, *, exclude: Iterable[str] = ()) -> NameFeatures:
        saved = srsly.msgpack_loads(data)
        self.lists, self.first_words = saved["lists"], saved["first_words"]
        self.index()
        return self

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        (path / "lists.msgpack").write_bytes(self.to_bytes())

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> NameFeatures:
        return self.from_bytes((Path(path) / "lists.msgpack").read_bytes())


def lengths_of(bits: int) -> list[int]:
    """The lengths whose bits are set, longest first: 0b1010 → [3, 1]."""
    return [n for n in range(bits.bit_length() - 1, 0, -1) if bits >> n & 1]


def bit_table(lists: Iterable[list[int]]) -> tuple[numpy.ndarray, numpy.ndarray]:
    """Sorted unique hashes, and for each the bits of the lists (in order) that hold it."""
    keys = [numpy.asarray(hashes, dtype="uint64") for hashes in lists]
    if not keys:
        return sorted_table(numpy.zeros(0, dtype="uint64"), numpy.zeros(0, dtype="int64"))
    return sorted_table(numpy.concatenate(keys),
                        numpy.concatenate([numpy.full(len(k), 1 << j, dtype="int64") for j, k in enumerate(keys)]))


def sorted_table(keys: numpy.ndarray, bits: numpy.ndarray) -> tuple[numpy.ndarray, numpy.ndarray]:
    """`keys` sorted and made unique, each with the union of its `bits` (what ``looked_up`` reads)."""
    order = numpy.argsort(keys, kind="stable")
    keys, bits = keys[order], bits[order]
    unique, starts = numpy.unique(keys, return_index=True)
    return unique, numpy.bitwise_or.reduceat(bits, starts) if len(bits) else bits


def looked_up(table: tuple[numpy.ndarray, numpy.ndarray], keys: numpy.ndarray) -> numpy.ndarray:
    """The table's bits for each of `keys`, 0 where it has none."""
    hashes, bits = table
    if not len(hashes):
        return numpy.zeros(len(keys), dtype="int64")
    at = numpy.minimum(numpy.searchsorted(hashes, keys), len(hashes) - 1)
    return numpy.where(hashes[at] == keys, bits[at], 0)


def name_feature_column(doc: Doc | Span) -> numpy.ndarray:
    """The words' name-list marks, hashed (0 where the component did not run)."""
    whole = doc if isinstance(doc, Doc) else doc.doc
    column = whole.user_data.get(FEATURES_KEY)
    if column is None or len(column) != len(whole):
        column = numpy.zeros(len(whole), dtype="uint64")
    return column if isinstance(doc, Doc) else column[doc.start:doc.end]


def NameListFeatures(columns: list[str | int]) -> Model[list[Doc], list[Ints2d]]:
    """spaCy's FeatureExtractor with the name-list marks as one more column."""
    return Model("extract_features_with_names", extract_forward, attrs={"columns": columns})


def extract_forward(model: Model, docs: list[Doc], is_train: bool) -> tuple[list[Ints2d], Callable]:
    columns = model.attrs["columns"]
    features: list[Ints2d] = []
    for doc in docs:
        attrs = doc.to_array(columns) if isinstance(doc, Doc) else doc.doc.to_array(columns)[doc.start:doc.end]
        attrs = attrs.reshape((attrs.shape[0], -1))
        both = numpy.hstack([attrs.astype("uint64"), name_feature_column(doc).reshape((-1, 1))])
        features.append(model.ops.asarray2i(cast(Ints2d, both), dtype="uint64"))
    return features, lambda d_features: []


@registry.architectures("invest.NameListEmbed.v1")
def NameListEmbed(width: int, attrs: list[str | int], rows: list[int], include_static_vectors: bool = False,
                  name_rows: int = 500, name_width: int = 32) -> Model[list[Doc], list[Floats2d]]:
    """spacy.MultiHashEmbed.v2 with the name-list marks embedded too (`name_rows` rows of
    `name_width` columns), so that the tok2vec sees which lists hold each word."""
    if len(rows) != len(attrs):
        raise ValueError(f"Mismatched lengths: {len(rows)} vs {len(attrs)}")
    embeddings: list[Model] = [HashEmbed(width, rows[i], column=i, seed=8 + i, dropout=0.0) for i in range(len(attrs))]
    embeddings.append(HashEmbed(name_width, name_rows, column=len(attrs), seed=8 + len(attrs), dropout=0.0))
    concat_size = width * (len(attrs) + include_static_vectors) + name_width
    max_out: Model[Ragged, Ragged] = with_array(Maxout(width, concat_size, nP=3, dropout=0.0, normalize=True))
    features: Model = chain(NameListFeatures(attrs), list2ragged(), with_array(concatenate(*embeddings)))
    if include_static_vectors:
        features = concatenate(features, StaticVectors(width, dropout=0.0))
    return chain(features, max_out, ragged2list())
