"""Marking names and amounts in evidence sentences (kg explain, kg show)."""

import pytest

from kg.explain import AMOUNT, highlight
from kg.views import amount_label


@pytest.mark.parametrize("text, expected", [
    ("Valcadore investirà 1,2 miliardi di euro in Lombardia entro il 2028.",
     [("Valcadore", "organisation"), ("1,2 miliardi di euro", AMOUNT), ("Lombardia", "place")]),
    ("Kessel Ventures gibt 15 Mio. US-Dollar und 20 % an Nordlicht.",
     [("Kessel Ventures", "organisation"), ("15 Mio. US-Dollar", AMOUNT), ("20 %", AMOUNT), ("Nordlicht", "organisation")]),
    ("Nel 2025 arriveranno 300 tecnici.", []),  # years and bare counts are no amounts
    ("La Lombardia e la Lombardia Sud.", [("Lombardia", "place"), ("Lombardia Sud", "place")]),  # the longest name wins
])
def test_names_and_amounts_are_marked(text, expected):
    names = {"Valcadore": "organisation", "Lombardia": "place", "Lombardia Sud": "place", "Kessel Ventures": "organisation",
             "Nordlicht": "organisation"}
    segments = highlight(text, names)
    assert "".join(s.text for s in segments) == text
    assert [(s.text, s.kind) for s in segments if s.kind] == expected


@pytest.mark.parametrize("value, currency, share, expected", [
    (4_000_000_000, "USD", None, "4 bn USD"), (12_300_000, "EUR", None, "12.3 m EUR"),
    (950_000, "EUR", None, "950,000 EUR"), (None, None, 20, "20 %"), (None, None, None, ""),
])
def test_amount_labels(value, currency, share, expected):
    assert amount_label(value, currency, share) == expected
