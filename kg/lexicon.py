"""The multilingual lexicon (ontology/lexicon.ttl) as plain look-up structures."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
import re
from functools import cache
from pathlib import Path

import pycountry
from babel.numbers import get_currency_name, get_currency_symbol
from rdflib import RDF, URIRef
from rdflib.namespace import SKOS

from kg.resources import INV, LEX, LEXICON, language_of, load_turtle

BABEL_LOCALES = ("it", "de", "en", "fr")
@dataclass(frozen=True)
class Lexicon:
    currency_terms: dict[str, str] = field(default_factory=dict)  # term → ISO 4217 code
    scales: dict[str, Decimal] = field(default_factory=dict)  # scale word (lower case) → multiplier
    triggers: dict[str, dict[str, tuple[str, ...]]] = field(default_factory=dict)  # concept → lang → stems
    word_sets: dict[str, dict[str, frozenset[str]]] = field(default_factory=dict)  # concept → lang → exact words
    type_cues: dict[URIRef, dict[str, tuple[str, ...]]] = field(default_factory=dict)  # class → lang → stems
    statuses: tuple[str, ...] = ()  # investment status concepts, by inv:statusPriority
    members: dict[str, tuple[str, ...]] = field(default_factory=dict)  # inv: class name → its concepts ("Unit" → unit-gpu…)

    def concepts_of(self, cls: str) -> tuple[str, ...]:
        """The lexicon's concepts typed `inv:<cls>` ("Unit", "Purpose", "Audience", "FacilityStatus")."""
        return self.members.get(cls, ())

    def stems(self, concept: str, lang: str) -> tuple[str, ...]:
        """Lower-case word starts that trigger `concept` in `lang`."""
        return self.triggers.get(concept, {}).get(lang, ())

    def words(self, concept: str, lang: str) -> frozenset[str]:
        """Exact lower-case words listed for `concept` in `lang` (skos:altLabel of word lists)."""
        return self.word_sets.get(concept, {}).get(lang, frozenset())

    def words_in_any_language(self, concept: str) -> frozenset[str]:
        """Exact lower-case words listed for `concept` in whichever language ("de", "van", "von")."""
        return frozenset().union(*self.word_sets.get(concept, {}).values())


@cache
def load_lexicon(path: Path = LEXICON) -> Lexicon:
    """Read currency terms, scale words and trigger stems from the lexicon Turtle file."""
    graph = load_turtle(path)
    currency_terms: dict[str, str] = {}
    for concept, notation in graph.subject_objects(SKOS.notation):
        code = str(notation)
        if pycountry.currencies.get(alpha_3=code) is None:
            raise ValueError(f"{path}: {concept} has skos:notation '{code}', which is not an ISO 4217 currency code")
        currency_terms.update({term: code for term in babel_currency_terms(code)})
        currency_terms.update({str(label): code for label in graph.objects(concept, SKOS.altLabel)})
    scales = {
        str(label).lower(): Decimal(str(multiplier))
        for concept, multiplier in graph.subject_objects(INV.multiplier)
        for label in graph.objects(concept, SKOS.altLabel)
    }
    triggers: dict[str, dict[str, tuple[str, ...]]] = {}
    for concept, stem in graph.subject_objects(INV.triggerStem):
        stems_by_lang = triggers.setdefault(concept_name(concept), {})
        lang = language_of(stem)
        stems_by_lang[lang] = tuple(sorted({*stems_by_lang.get(lang, ()), str(stem).lower()}))
    word_sets: dict[str, dict[str, frozenset[str]]] = {}
    # a word list is a concept with exact words (skos:altLabel) that is no currency and no scale
    measures = {*graph.subjects(SKOS.notation, None), *graph.subjects(INV.multiplier, None)}
    for concept, word in graph.subject_objects(SKOS.altLabel):
        if concept not in measures and str(concept).startswith(str(LEX)):
            words_by_lang = word_sets.setdefault(concept_name(concept), {})
            lang = language_of(word)
            words_by_lang[lang] = words_by_lang.get(lang, frozenset()) | {str(word).lower()}
    type_cues = {URIRef(str(cls)): triggers[concept_name(concept)]
                 for concept, cls in sorted(graph.subject_objects(INV.cueFor), key=str)}
    statuses = tuple(concept_name(c) for c, _ in sorted(graph.subject_objects(INV.statusPriority), key=lambda pair: int(str(pair[1]))))
    members: dict[str, list[str]] = {}
    for concept, cls in graph.subject_objects(RDF.type):
        if str(cls).startswith(str(INV)) and str(concept).startswith(str(LEX)):
            members.setdefault(str(cls).removeprefix(str(INV)), []).append(concept_name(concept))
    return Lexicon(currency_terms, scales, triggers, word_sets, type_cues, statuses,
                   {cls: tuple(sorted(names)) for cls, names in members.items()})


def concept_name(concept) -> str:
    return str(concept).removeprefix(str(LEX))


def babel_currency_terms(code: str) -> set[str]:
    """Names (singular and plural) and symbols of a currency in the supported locales."""
    terms = {code}
    for locale in BABEL_LOCALES:
        for count in (1, 2):
            terms.add(get_currency_name(code, count=count, locale=locale))
        symbol = get_currency_symbol(code, locale=locale)
        if symbol != code and len(symbol) <= 3:
            terms.add(symbol)
    return terms



def word_has_stem(word: str, stems: tuple[str, ...]) -> bool:
    """Does the (lower-case) word start with one of the stems?"""
    return word.startswith(stems)


def starts_word(stems: tuple[str, ...], text: str) -> bool:
    """Does any stem start a word of `text` (case-insensitive)?"""
    return bool(stems) and stem_pattern(stems).search(text) is not None


@cache
def stem_pattern(stems: tuple[str, ...]) -> re.Pattern:
    return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(stem) for stem in stems) + ")", re.IGNORECASE)


COMPOUND_HEAD_MIN = 6  # shorter stems ("ag", "spa") would end too many ordinary words


def has_cue(stems: tuple[str, ...], text: str) -> bool:
    """Does a stem start a word of `text`, or a long stem end one, as the head of a compound
    does ("Wirtschaftsministerium", "Batteriehersteller")?"""
    return starts_word(stems, text) or bool(heads := tuple(s for s in stems if len(s) >= COMPOUND_HEAD_MIN)) and \
        compound_head_pattern(heads).search(text) is not None


@cache
def compound_head_pattern(stems: tuple[str, ...]) -> re.Pattern:
    return re.compile(r"\w(?:" + "|".join(re.escape(stem) for stem in stems) + r")\w*(?!\w)", re.IGNORECASE)
