"""Dates: the article's publication date, read with dateparser from a "published …" line."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

from kg.facts.context import LinkedDocument

MAX_LINE = 80  # a dateline is short; a long sentence mentioning "published" is not one


def publication_date(document: LinkedDocument) -> dt.date | None:
    """The date on a line that starts with a publication word ("Pubblicato il 17 mag 2024")."""
    stems = document.lexicon.stems("published", document.lang)
    for line in document.text.splitlines():
        line = line.strip()
        lowered = line.lower()
        stem = next((s for s in stems if lowered.startswith(s)), None)
        if stem is None or len(line) > MAX_LINE:
            continue
        parsed = read_date(line[len(stem):].strip(" :,"), document.lang)
        if parsed is not None:
            return parsed
    return None


@lru_cache(maxsize=4096)  # a news corpus has thousands of articles per day
def read_date(text: str, lang: str) -> dt.date | None:
    """A full date (day, month, year) in `text`, also after one leading word ("il 17 mag 2024")."""
    import dateparser  # imported on first use: it costs half a second

    settings = {"REQUIRE_PARTS": ["day", "month", "year"]}
    parsed = dateparser.parse(text, languages=[lang], settings=settings)
    if parsed is None:
        parsed = dateparser.parse(" ".join(text.split()[1:]), languages=[lang], settings=settings)
    return parsed.date() if parsed is not None else None
