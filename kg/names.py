"""Keys of names: how invest-kg compares "Agglomération Mulhouse" and "mulhouse agglomeration"."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import cache


def fold(name: str) -> str:
    """Lower case without accents: "Agglomération" → "agglomeration"."""
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def normalise(name: str) -> str:
    """Case-, accent-, punctuation- and word-order-insensitive key of a name."""
    return " ".join(sorted(re.findall(r"\w+", fold(name))))


def slug(name: str) -> str:
    return "-".join(re.findall(r"[a-z0-9]+", fold(name))) or "x"


def uninflected(name: str, adjective_endings: Iterable[str]) -> str | None:
    """`name` with the case ending of the adjective it opens with cut off, or None if it opens with
    none. `adjective_endings` are the adjective's endings with and without a case ending
    (``lex:name-adjective-ending``: "isch", "ischen", …), so the base "isch" stays.

    >>> uninflected("Rheinischen Revier", ["isch", "ische", "ischen"])
    'Rheinisch Revier'
    """
    first, _, rest = name.partition(" ")
    if not rest:
        return None
    lowered = first.casefold()
    endings = longest_first(frozenset(adjective_endings))
    for ending in endings:
        if lowered.endswith(ending):
            base = min((e for e in endings if ending.startswith(e)), key=len)
            return f"{first[:len(first) - len(ending) + len(base)]} {rest}"
    return None


@cache  # the linker asks for every mention: sort each language's few endings once
def longest_first(words: frozenset[str]) -> tuple[str, ...]:
    return tuple(sorted(words, key=len, reverse=True))
