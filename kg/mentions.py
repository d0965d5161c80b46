"""Doc → mentions: the named-entity spans of a processed document, in text order."""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass

from spacy.tokens import Doc, Span

from kg.components import ALIASES_KEY

ENTITY_LABELS = {"PER", "LOC", "ORG", "MISC", "GPE", "PERSON"}
LABEL_ALIASES = {"GPE": "LOC", "PERSON": "PER"}
CONTEXT_TOKENS = 3


@dataclass(frozen=True)
class Mention:
    text: str
    label: str  # PER, LOC, ORG or MISC
    start_char: int
    end_char: int
    sentence: int  # index of the sentence in the doc
    catalogue_id: str  # catalogue IRI when the catalogue tagger found it, else ""
    context: str = ""  # the few words before the mention ("la startup")
    alias: str = ""  # the acronym written here when `text` is the full name it stands for ("KKR")


def doc_mentions(doc: Doc) -> list[Mention]:
    """The entity mentions of `doc` worth linking (no bare numbers, no one-letter names)."""
    starts = [sent.start for sent in sentences(doc)]  # Span.sent walks the doc; a bisect does not
    mentions = []
    for ent in doc.ents:
        if ent.label_ not in ENTITY_LABELS:
            continue
        written = clean_name(ent)
        text = ent.kb_id_ or written  # the components keep a name's own form (and an acronym's full name) there
        if len(text) < 2 or not any(ch.isalpha() for ch in text):
            continue
        if not (ent.ent_id_ or ent.kb_id_) and not (text[0].isupper() or text[0].isdigit() or any(c.isupper() for c in text)):
            continue  # a statistical "name" in lower case ("französische") is an adjective or a noun; "dpa-AFX" is one
        sentence = bisect_right(starts, ent.start) - 1
        mentions.append(
            Mention(
                text=text,
                label=LABEL_ALIASES.get(ent.label_, ent.label_),
                start_char=ent.start_char,
                end_char=ent.end_char,
                sentence=sentence,
                catalogue_id=ent.ent_id_,
                context=doc[max(starts[sentence], ent.start - CONTEXT_TOKENS) : ent.start].text,
                alias=written if written in doc.user_data.get(ALIASES_KEY, {}) else "",
            )
        )
    return mentions


def sentences(doc: Doc) -> list[Span]:
    """The doc's sentences, computed once per doc (``Doc.sents`` walks every token at each call)."""
    if SENTENCES_KEY not in doc.user_data:
        doc.user_data[SENTENCES_KEY] = list(doc.sents)
    return doc.user_data[SENTENCES_KEY]


SENTENCES_KEY = "invest_kg.sentences"


def clean_name(span: Span) -> str:
    """The span's text without surrounding quotes, punctuation and line breaks."""
    return " ".join(span.text.split()).strip(" \"'“”„«»‘’.,;:()[]")
