from decimal import Decimal

import pytest

from kg.numbers import parse_digits, parse_number_words, split_number_suffix


@pytest.mark.parametrize(
    "text, lang, expected",
    [
        ("4", "it", "4"),
        ("4,3", "it", "4.3"),
        ("3,3", "de", "3.3"),
        ("2.500", "it", "2500"),  # Italian thousands
        ("25,000", "de", "25000"),  # English grouping in a machine-translated German text
        ("2.1", "it", "2.1"),  # not a valid Italian grouping: read as a decimal point
        ("1.000.000", "de", "1000000"),
    ],
)
def test_digits_in_document_locale(text, lang, expected):
    assert parse_digits(text, lang) == Decimal(expected)


def test_non_numbers_are_none():
    assert parse_digits("GPU", "it") is None
    assert parse_number_words("dollari", "it") is None


@pytest.mark.parametrize("words, lang, expected", [("quattro", "it", 4), ("zehn", "de", 10), ("zehn Milliarden", "de", 10**10)])
def test_number_words(words, lang, expected):
    assert parse_number_words(words, lang) == expected


def test_number_with_scale_suffix():
    assert split_number_suffix("25mila", {"mila": Decimal(1000)}) == ("25", Decimal(1000))
    assert split_number_suffix("25GPU", {"mila": Decimal(1000)}) is None
