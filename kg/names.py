"""Keys of names: how invest-kg compares "Agglomération Mulhouse" and "mulhouse agglomeration"."""

from __future__ import annotations

import re
import unicodedata


def fold(name: str) -> str:
    """Lower case without accents: "Agglomération" → "agglomeration"."""
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def normalise(name: str) -> str:
    """Case-, accent-, punctuation- and word-order-insensitive key of a name."""
    return " ".join(sorted(re.findall(r"\w+", fold(name))))


def slug(name: str) -> str:
    return "-".join(re.findall(r"[a-z0-9]+", fold(name))) or "x"
