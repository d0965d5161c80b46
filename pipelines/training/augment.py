"""Mention replacement for NER training: names the training text never shows.

A few thousand annotated sentences repeat the same few hundred names, so the network learns those
names rather than what a name looks like in context. This augmenter yields each training example
and, for a share of them (``level``), a copy whose people, places and organisations are swapped for
other names of the same kind: names seen earlier in the training data, or names from project lists
(places, listed companies, first names + surnames). Loaded by ``spacy train --code`` only; the
trained pipeline does not need it.

Example config::

    [corpora.train.augmenter]
    @augmenters = "invest.swap_names.v1"
    level = 0.5
    name_lists = ["seeds/names/places.tsv", "seeds/names/companies.tsv"]
    given_names = "seeds/names/given-names.txt"
    surnames = "../shared/corpora/de/gazetteer_surnames.txt"
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc
from spacy.training import Example
from spacy.util import registry

from kg.name_features import NAME_LABELS, read_names, read_words

SWAPPED_LABELS = NAME_LABELS


class NameSwapper:
    """Swaps entity mentions for other names of their label, half from the text seen so far."""

    def __init__(self, level: float, listed: dict[str, list[str]], given: list[str],
                 surnames: list[str], seed: int) -> None:
        self.level = level
        self.listed = listed
        self.given = given
        self.surnames = surnames
        self.seen: dict[str, list[str]] = {label: [] for label in SWAPPED_LABELS}
        self.random = random.Random(seed)

    def __call__(self, nlp: Language, example: Example) -> Iterator[Example]:
        reference = example.reference
        for ent in reference.ents:
            if ent.label_ in self.seen:
                self.seen[ent.label_].append(ent.text)
        yield example
        if reference.ents and self.random.random() < self.level:
            yield self.swapped(nlp, reference)

    def other_name(self, label: str) -> str | None:
        seen = self.seen[label]
        if seen and self.random.random() < 0.5:
            return self.random.choice(seen)
        if label == "PER" and self.given and self.surnames:
            surname = self.random.choice(self.surnames)
            return surname if self.random.random() < 0.3 else f"{self.random.choice(self.given)} {surname}"
        listed = self.listed.get(label)
        return self.random.choice(listed) if listed else None

    def swapped(self, nlp: Language, reference: Doc) -> Example:
        words: list[str] = []
        spaces: list[bool] = []
        tags: list[str] = []
        starts = {ent.start: ent for ent in reference.ents}
        i = 0
        while i < len(reference):
            ent = starts.get(i)
            name = self.other_name(ent.label_) if ent is not None and ent.label_ in self.seen else None
            if ent is not None and name is not None:
                tokens = nlp.tokenizer(name)
                words.extend(token.text for token in tokens)
                spaces.extend(bool(token.whitespace_) for token in tokens[:-1])
                spaces.append(bool(reference[ent.end - 1].whitespace_))
                tags.extend(("B-" if k == 0 else "I-") + ent.label_ for k in range(len(tokens)))
                i = ent.end
                continue
            token = reference[i]
            words.append(token.text)
            spaces.append(bool(token.whitespace_))
            tags.append(f"{token.ent_iob_}-{token.ent_type_}" if token.ent_type_ else (token.ent_iob_ or "O"))
            i += 1
        swapped = Doc(nlp.vocab, words=words, spaces=spaces, ents=tags)
        return Example(Doc(nlp.vocab, words=words, spaces=spaces), swapped)


@registry.augmenters("invest.swap_names.v1")
def create_name_swapper(level: float, name_lists: list[str], given_names: str | None = None,
                        surnames: str | None = None, seed: int = 0
                        ) -> Callable[[Language, Example], Iterator[Example]]:
    listed: dict[str, list[str]] = {label: [] for label in SWAPPED_LABELS}
    for path in name_lists:
        for label, names in read_names(Path(path)).items():
            listed[label].extend(names)
    given = read_words(Path(given_names)) if given_names else []
    return NameSwapper(level, listed, given, read_words(Path(surnames)) if surnames else [], seed)
