"""Dates: the article's publication date, read with dateparser from a "published …" line."""

from __future__ import annotations

import datetime as dt

from kg.facts.context import LinkedDocument

MAX_LINE = 80  # a dateline is short; a long sentence mentioning "published" is not one


def publication_date(document: LinkedDocument) -> dt.date | None:
    """The date on a line that starts with a publication word ("Pubblicato il 17 mag 2024")."""
    import dateparser  # imported on first use: it costs half a second

    stems = document.lexicon.stems("published", document.lang)
    for line in document.doc.text.splitlines():
        line = line.strip()
        lowered = line.lower()
        stem = next((s for s in stems if lowered.startswith(s)), None)
        if stem is None or len(line) > MAX_LINE:
            continue
        rest = line[len(stem):].strip(" :,")
        parsed = dateparser.parse(rest, languages=[document.lang], settings={"REQUIRE_PARTS": ["day", "month", "year"]})
        if parsed is None:
            parsed = dateparser.parse(" ".join(rest.split()[1:]), languages=[document.lang],
                                      settings={"REQUIRE_PARTS": ["day", "month", "year"]})  # "il 17 mag 2024"
        if parsed is not None:
            return parsed.date()
    return None
