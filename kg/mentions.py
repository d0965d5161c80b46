"""Doc → mentions: the named-entity spans of a processed document, in text order."""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Span

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


def doc_mentions(doc: Doc) -> list[Mention]:
    """The entity mentions of `doc` worth linking (no bare numbers, no one-letter names)."""
    sentence_index = {sent.start: i for i, sent in enumerate(doc.sents)}
    mentions = []
    for ent in doc.ents:
        if ent.label_ not in ENTITY_LABELS:
            continue
        text = clean_name(ent)
        if len(text) < 2 or not any(ch.isalpha() for ch in text):
            continue
        if not ent.ent_id_ and not (text[0].isupper() or text[0].isdigit()):
            continue  # a statistical "name" in lower case ("französische") is an adjective or a noun
        mentions.append(
            Mention(
                text=text,
                label=LABEL_ALIASES.get(ent.label_, ent.label_),
                start_char=ent.start_char,
                end_char=ent.end_char,
                sentence=sentence_index[ent.sent.start],
                catalogue_id=ent.ent_id_,
                context=doc[max(ent.sent.start, ent.start - CONTEXT_TOKENS) : ent.start].text,
            )
        )
    return mentions


def clean_name(span: Span) -> str:
    """The span's text without surrounding quotes, punctuation and line breaks."""
    return " ".join(span.text.split()).strip(" \"'“”„«»‘’.,;:()[]")
