"""Numbers as news writes them: locale digits, number words, scale words."""

from __future__ import annotations

import re
from decimal import Decimal

from babel.numbers import NumberFormatError, parse_decimal
from text_to_num import text2num

# "25,000", "2.500" or "25 000": groups of three after a separator are thousands, in any locale.
GROUP_SEPARATORS = ".,\u0020\u00a0\u202f"
THOUSANDS_GROUPED = re.compile(rf"\d{{1,3}}(?:[{GROUP_SEPARATORS}]\d{{3}})+")
DIGITS = re.compile(rf"\d(?:[\d.,]|[{GROUP_SEPARATORS}](?=\d))*")


def parse_digits(text: str, lang: str) -> Decimal | None:
    """Value of a digit string in the document's locale ("4,3" in it → 4.3); None if not a number."""
    if not DIGITS.fullmatch(text):
        return None
    if THOUSANDS_GROUPED.fullmatch(text):
        return Decimal(re.sub(rf"[{GROUP_SEPARATORS}]", "", text))
    for locale in (lang, "en"):
        try:
            return parse_decimal(text, locale=locale, strict=True)
        except NumberFormatError:
            continue
    return None


def parse_number_words(words: str, lang: str) -> Decimal | None:
    """Value of number words ("quattro", "zehn Milliarden") via text2num; None if not a number."""
    try:
        return Decimal(text2num(words.lower(), lang))
    except (ValueError, IndexError, AssertionError, NotImplementedError):
        return None


def split_number_suffix(text: str, scales: dict[str, Decimal]) -> tuple[str, Decimal] | None:
    """Split a token like "25mila" into its digits and scale multiplier."""
    match = re.fullmatch(r"(\d[\d.,]*)([^\d\s]+)", text)
    if match and match.group(2).lower() in scales:
        return match.group(1), scales[match.group(2).lower()]
    return None


def read_number(text: str, lang: str, scales: dict[str, Decimal]) -> Decimal | None:
    """Value of one token: digits in the locale, digits with a scale suffix ("25mila"), or a number word."""
    suffixed = split_number_suffix(text, scales)
    if suffixed:
        value = parse_digits(suffixed[0], lang)
        return None if value is None else value * suffixed[1]
    if text[:1].isdigit():
        return parse_digits(text, lang)
    if text.isalpha():
        return parse_number_words(text, lang)
    return None


def is_year(text: str) -> bool:
    """A four-digit year between 1900 and 2100 written without separators."""
    return len(text) == 4 and text.isdigit() and 1900 <= int(text) <= 2100
