"""spaCy components invest-kg adds to every pipeline (configured in pipelines/components.cfg).

- the catalogue: spaCy's own ``span_ruler``, initialized with ``catalogue_patterns()``, tags the
  catalogue's names as entities whose ``ent.ent_id_`` is the catalogue IRI; ``catalogue_over_ner``
  decides where its matches replace the statistical entities.
- ``invest_money``: finds amounts of money ("4 mld di dollari", "zehn Milliarden Euro",
  "$2.1 billion") and puts them in ``doc.spans["money"]``, each with
  ``span._.money = (value, ISO 4217 code)``.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator
from decimal import Decimal
from functools import cache
from pathlib import Path

import numpy
from babel import UnknownLocaleError
from babel.numbers import get_group_symbol
from spacy.attrs import IDX, LOWER, ORTH
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.strings import get_string_id
from spacy.tokens import Doc, Span, Token
from spacy.util import filter_spans, registry

from kg.catalogue import load_catalogue
from kg.lexicon import Lexicon, load_lexicon, stem_pattern
from kg.name_features import looked_up, sorted_table
from kg.names import uninflected
from kg.numbers import is_year, read_number
from kg.resources import NAMES_FOLDER

MONEY_KEY = "money"
MILLION = Decimal(1_000_000)
ARITHMETIC = {"^", "*", "/", "×", "**"}
FIRST_WORD = re.compile(r"\w+|\S+")
LEAD_WINDOW = 5  # tokens between a lead word and the "by" before the investor's name

if not Span.has_extension("money"):
    Span.set_extension("money", default=None)


@registry.misc("invest_kg.catalogue_patterns.v1")
def catalogue_patterns() -> list[dict]:
    """spaCy span_ruler patterns for every name of every catalogue entity, its IRI as the id:
    the data `pipelines/components.cfg`'s catalogue ruler is initialized with (and saves)."""
    return [
        {"label": entry.ner_label, "pattern": variant, "id": str(entry.iri)}
        for entry in load_catalogue().values()
        for variant in sorted({v for name, _lang in entry.names for v in sentence_final_variants(name)})
    ]


@registry.misc("invest_kg.catalogue_over_ner.v1")
def make_catalogue_over_ner():
    return catalogue_over_ner


def catalogue_over_ner(entities: Iterable[Span], spans: Iterable[Span]) -> list[Span]:
    """How the catalogue ruler's matches (`spans`) and the statistical entities meet: a match replaces
    the entities it overlaps ("Mulhouse" + "Alsace" → "Mulhouse Alsace Agglomération"), the longest
    match first, except that an entity of another label containing it stays ("Paris" inside the
    person "Paris Hilton")."""
    entities, matches = list(entities), list(spans)
    kept = []
    for ent in entities:
        inside = [m for m in matches if ent.start <= m.start and m.end <= ent.end and (m.start, m.end) != (ent.start, ent.end)]
        if inside and all(m.label_ != ent.label_ for m in inside):
            kept.append(ent)
            matches = [m for m in matches if m not in inside]
    overlapping = {t for m in matches for t in range(m.start, m.end)}
    others = [e for e in entities if e in kept or not overlapping.intersection(range(e.start, e.end))]
    return filter_spans(filter_spans(matches) + others)


def sentence_final_variants(name: str) -> tuple[str, ...]:
    """The name, plus "NAME." when it ends in a lone letter: tokenizers keep "F." in "STATION F." whole."""
    last = name.rsplit(" ", 1)[-1]
    return (name, f"{name}.") if len(last) == 1 and last.isalpha() else (name,)


@Language.component("invest_glued_periods")
def glued_periods(doc: Doc) -> Doc:
    """A period with a letter right after it ("Origin.Bio", "Booking.com") ends no sentence."""
    for token in doc[1:-1]:
        if token.text == "." and not token.whitespace_ and not doc[token.i - 1].whitespace_ and doc[token.i + 1].is_alpha:
            doc[token.i + 1].is_sent_start = False
    return doc


@Language.factory("invest_digit_groups")
def make_digit_groups(nlp: Language, name: str) -> DigitGroups:
    return DigitGroups(str(nlp.lang))


class DigitGroups:
    """One token for a number whose digits are grouped by spaces ("25 000 GPU", "1 200 000
    personnes"), in the languages whose CLDR group separator is a space (French); elsewhere a
    space between numbers separates two ("nel 2024 100 aziende")."""

    def __init__(self, lang: str):
        try:
            self.active = get_group_symbol(locale=lang).isspace()
        except (ValueError, UnknownLocaleError):
            self.active = False

    def __call__(self, doc: Doc) -> Doc:
        if not self.active:
            return doc
        groups, i = [], 0
        while i < len(doc):
            end = i
            if re.fullmatch(r"\d{1,3}", doc[i].text):
                while end + 1 < len(doc) and doc[end].whitespace_ == " " and re.fullmatch(r"\d{3}", doc[end + 1].text):
                    end += 1
            if end > i:
                groups.append(doc[i:end + 1])
            i = end + 1
        if groups:
            with doc.retokenize() as retokenizer:
                for span in groups:
                    retokenizer.merge(span)
        return doc


@Language.component("invest_paragraph_breaks")
def paragraph_breaks(doc: Doc) -> Doc:
    """Start a sentence after every line break, so headlines do not run into the next line."""
    for token in doc[:-1]:
        if token.is_space and "\n" in token.text:
            doc[token.i + 1].is_sent_start = True
    return doc


@Language.factory("invest_names", default_config={"lists": ["places.tsv", "companies.tsv", "places-de-osm.tsv", "places-wiktionary.tsv"],
                                                  "town_sources": ["geonames", "openstreetmap"]})
def make_name_list_tagger(nlp: Language, name: str, lists: list[str], town_sources: list[str]) -> NameListTagger:
    lexicon, lang = load_lexicon(), str(nlp.lang)
    paths = [NAMES_FOLDER / file for file in lists]
    return NameListTagger(nlp, paths, lexicon.words("genitive-ending", lang), lexicon.words("club-article", lang),
                          names_from(tuple(paths), tuple(town_sources)), ner_reads_name_lists(nlp), lexicon.words("sport-word", lang))


def ner_reads_name_lists(nlp: Language) -> bool:
    """Does the NER of `nlp` read the name lists' marks (``invest_name_features``, kg.name_features)?
    Then it weighed the lists against the context already, and the rules trust more of its labels."""
    return any(nlp.get_pipe_meta(pipe).factory == "invest_name_features" for pipe in nlp.pipe_names)


class NameListTagger:
    """Tag the names of seeds/names/*.tsv (places, listed companies; ``make names``) where no entity
    stands, with the list's label; an entity of exactly those words takes the list's label (the NER
    calls "Stellantis" a person and "Germania" an organisation; the catalogue's own stay, and so does
    a person's surname the same text gives in full: "Lewis Massa … Massa", a person that is a first
    name: "Douglas", a person where the NER read the place lists itself, and an organisation named
    after a town, which ``lex:club-article`` shows: "il Livorno", "del Burnley", or any place in a
    report on a match, where a town or country the NER calls an organisation is the team: two words
    of ``lex:sport-word`` or more, "il Chelsea ha perso la partita").
    Matching is case-sensitive: "Verona" the city, not a word. A listed place with a genitive ending
    (``lex:genitive-ending``: "Irlands", "Griechenlandes") is that place, unless the word is a first
    name or an ordinary word itself ("Lukas", "Kinos"); a listed company with a German dictionary
    noun after a hyphen is the company ("Tesla-Werk")."""

    def __init__(self, nlp: Language, paths: list[Path], genitive_endings: frozenset[str] = frozenset(),
                 articles: frozenset[str] = frozenset(), towns: frozenset[str] = frozenset(), ner_read_names: bool = False,
                 sport_words: frozenset[str] = frozenset()):
        # A look-up by text, not a PhraseMatcher: tokenising 43,000 names took 1.5 s per language at
        # every start; this index takes 0.05 s and finds the same spans (their text is the name's).
        self.names = listed_names(tuple(paths))
        self.lengths: dict[str, list[int]] = {}  # a name's first word → the lengths of the names it starts, longest first
        for name in self.names:
            for first in {name.split(" ", 1)[0], *FIRST_WORD.findall(name)[:1]}:
                self.lengths.setdefault(first, []).append(len(name))
        for first, lengths in self.lengths.items():
            self.lengths[first] = sorted(set(lengths), reverse=True)
        self.genitive_endings = sorted(genitive_endings, key=len, reverse=True)
        self.given = given_names()
        self.common_nouns = common_nouns(str(nlp.lang))
        self.not_genitives = self.given | ordinary_words(str(nlp.lang))
        self.articles, self.towns = articles, towns
        self.ner_read_names = ner_read_names
        self.sport_hashes = {get_string_id(word) for word in sport_words}

    def matches(self, doc: Doc) -> Iterator[tuple[str, int, int]]:
        """(label, start, end) of the longest listed name starting at each token."""
        text = doc.text
        for token in doc:
            for length in self.lengths.get(token.text, ()):
                label = self.names.get(text[token.idx:token.idx + length])
                span = doc.char_span(token.idx, token.idx + length) if label is not None else None
                if label is not None and span is not None:
                    yield label, span.start, span.end
                    break
            else:
                if self.genitive_endings and self.is_place_genitive(token.text):
                    yield "LOC", token.i, token.i + 1
                elif self.is_company_compound(token.text):
                    yield "ORG", token.i, token.i + 1

    def is_company_compound(self, word: str) -> bool:
        """"Rheinmetall-Aktie", "Tesla-Werk": a listed company and a dictionary noun after a hyphen
        (whose form `EntityFilter.named_in_compound` gives)."""
        head = compound_head(word, self.common_nouns)
        return head is not None and self.names.get(head) == "ORG"

    def is_team(self, doc: Doc, ent: Span, about_sport: bool = False) -> bool:
        """"il Livorno", "del Burnley": an organisation the NER found, a town's name after a definite
        article (towns take none), a club or company named after the town; in a report on sport
        (`about_sport`) any organisation the NER found: the team."""
        return ent.label_ == "ORG" and (about_sport or ent.start > 0 and doc[ent.start - 1].lower_ in self.articles
                                        and ent.text in self.towns)

    def about_sport(self, doc: Doc) -> bool:
        """Does the text have two words of a match or more (``lex:sport-word``: "partita", "Tor")?"""
        return bool(self.sport_hashes) and sum(lower in self.sport_hashes for lower in doc.to_array(LOWER).tolist()) >= 2

    def is_place_genitive(self, word: str) -> bool:
        """"Irlands": a listed place (of five letters or more) with a genitive ending."""
        if not word[:1].isupper() or word in self.names or word in self.not_genitives:
            return False
        return any(word.endswith(ending) and len(word) - len(ending) >= 5 and self.names.get(word[:-len(ending)]) == "LOC"
                   and word[:-len(ending)] not in self.not_genitives for ending in self.genitive_endings)

    def __call__(self, doc: Doc) -> Doc:
        # a surname the text gives a person elsewhere ("Lewis Hamilton … Hamilton") is no listed place
        surnames = surnames_of_people(doc.ents)
        about_sport = self.about_sport(doc)
        statistical = {(ent.start, ent.end) for ent in doc.ents if not ent.ent_id_
                       and not (ent.label_ == "PER" and (ent.text in surnames or ent.text in self.given))
                       and not self.is_team(doc, ent, about_sport)}
        taken = {i for ent in doc.ents for i in range(ent.start, ent.end)}
        # an NER that read the place lists and still saw a person ("Falcao", "Pinocchio") is right
        people = {(ent.start, ent.end) for ent in doc.ents if ent.label_ == "PER"} if self.ner_read_names else set()
        # a genitive ("Sachsen-Anhalts Landeshauptstadt") begins no longer name: the noun after it is its head
        found = [Span(doc, start, end, label=label) for label, start, end in self.matches(doc)
                 if ((start, end) in statistical and not (label == "LOC" and (start, end) in people)
                     or not taken.intersection(range(start, end)))
                 and not (end - start == 1 and (start, end) not in statistical and doc[start].text in self.names
                          and begins_longer_name(doc, end))]
        if found:
            replaced = {(span.start, span.end) for span in found}
            doc.ents = filter_spans(filter_spans(found) + [ent for ent in doc.ents if (ent.start, ent.end) not in replaced])
        return doc


def listed_names(paths: tuple[Path, ...] = ()) -> dict[str, str]:
    """Name → label of the name lists (`paths`, by default all of seeds/names/*.tsv), read once per process."""
    return read_name_lists(tuple(sorted(paths or NAMES_FOLDER.glob("*.tsv"))))


@cache  # keyed by the sorted paths, so that the tagger's list and the filter's default are one read
def read_name_lists(paths: tuple[Path, ...]) -> dict[str, str]:
    names: dict[str, str] = {}
    for path in paths:
        with path.open(encoding="utf-8") as rows:
            next(rows)  # header
            for row in rows:
                name, label, _source = row.rstrip("\n").split("\t")
                names.setdefault(name, label)
    return names


def surnames_of_people(ents, first_names: frozenset[str] | None = None) -> set[str]:
    """The last words of the persons named with two words or more (opening with one of
    `first_names`, if given): "Lewis Hamilton" → "Hamilton"."""
    return {ent[-1].text for ent in ents if ent.label_ == "PER" and len(ent) > 1
            and (first_names is None or ent[0].text in first_names)}


@cache
def names_from(paths: tuple[Path, ...], sources: tuple[str, ...]) -> frozenset[str]:
    """The names of the lists at `paths` that come from one of `sources` (their third column)."""
    names: set[str] = set()
    for path in paths:
        with path.open(encoding="utf-8") as rows:
            next(rows)  # header
            names.update(name for name, _label, source in (row.rstrip("\n").split("\t") for row in rows) if source in sources)
    return frozenset(names)


def begins_longer_name(doc: Doc, end: int) -> bool:
    """Is a one-word match followed by another capitalised word of no entity ("Schwarz Digits"):
    the first word of a longer name the list does not know, not the listed place or company?"""
    following = doc[end] if end < len(doc) else None
    return following is not None and following.text[:1].isupper() and following.is_alpha and not following.ent_type_


@cache
def ordinary_words(lang: str) -> frozenset[str]:
    """Capitalised words that are seldom names in `lang` (seeds/names/ordinary-words-LANG.txt)."""
    return word_list(f"ordinary-words-{lang}.txt")


def word_list(name: str) -> frozenset[str]:
    """The words of a list in seeds/names/ (``make names``), none if it is missing."""
    path = NAMES_FOLDER / name
    return frozenset(path.read_text(encoding="utf-8").split()) if path.exists() else frozenset()


@cache
def lower_case_words(lang: str) -> frozenset[str]:
    """Words the annotated corpora of `lang` mostly write in lower case (seeds/names/lower-case-words-LANG.txt)."""
    return word_list(f"lower-case-words-{lang}.txt")


def compound_head(word: str, nouns: frozenset[str]) -> str | None:
    """The first part of a compound of two parts whose second is one of `nouns` ("Siemens-Aktie" →
    "Siemens"), or None."""
    head, _, rest = word.partition("-")
    return head if head and rest in nouns and "-" not in rest else None


@cache
def ends_in_noun(word: str, nouns: frozenset[str], shortest_head: int = 4, shortest_start: int = 2) -> bool:
    """Is `word` a compound whose last part is one of `nouns` ("Konsolidierungskurs" → "Kurs")?"""
    return any(word[start:].capitalize() in nouns for start in range(shortest_start, len(word) - shortest_head + 1))


def is_noun(word: str, nouns: frozenset[str], suffixes: tuple[str, ...]) -> bool:
    """Is `word` one of `nouns`, a compound ending in one ("Kommunikationstechnik") or a word with a
    noun's suffix ("Unvorsichtigkeit", ``lex:noun-suffix``)? Where nouns are written in lower case
    (`nouns` empty) no word is."""
    return bool(nouns) and (word in nouns or ends_in_noun(word, nouns) or word.endswith(suffixes))


def common_nouns(lang: str) -> frozenset[str]:
    """The forms of `lang`'s common nouns where the language capitalises them (seeds/names/common-nouns-LANG.txt)."""
    return word_list(f"common-nouns-{lang}.txt")


@Language.factory("invest_entity_filter")
def make_entity_filter(nlp: Language, name: str) -> EntityFilter:
    return EntityFilter(str(nlp.lang), load_lexicon())


class EntityFilter:
    """Drop what the statistical NER takes for names but is not one, and give names their own form.

    - generic words ("KI", "GPU", "Cloud"), alone or first in a compound ("KI-Revolution", "US-Konzerns");
    - a function word (the language's stop word) opening a sentence ("Selon", "Laut"), and a German
      sentence's first two words that are an adjective and a noun ("Hohe Kräne", `is_adjective_and_noun`);
    - German place adjectives before a noun ("Münchner Tech-Finanzierer", "Berliner Investor"): one
      capitalised word ending in -er before another capitalised word;
    - a "place" that is a word the corpora write in lower case (`is_lower_case_word`), and in German
      such words opening a name (`without_lower_case_start`: "die italienische Großbank");
    - a noun that introduces a company's name, alone ("der Konzern", "il Gruppo": `is_introducing_noun`);
    - a German hyphen compound of common nouns ("Online-Handel", "Top-Manager": `is_common_compound`);
    - a "person" or "place" that is one common noun of the dictionary ("der Anpfiff": `is_common_noun`);
    - a place prefix ("Kreis Dithmarschen", "provincia di Verona") and a genitive ending
      (``lex:genitive-ending``) whose base form the same document or a list names ("Teslas" after
      "Tesla", "Griechenlandes") and a German dictionary noun after a hyphen ("Siemens-Aktie",
      `named_in_compound`) are left out of the name's form, kept in ``span.kb_id_`` for the mention;
      a name opening with an adjective takes the form the text first gives it ("das Rheinische
      Revier" after "im Rheinischen Revier").
    The catalogue's entities are never touched.
    """

    def __init__(self, lang: str, lexicon: Lexicon):
        self.lang = lang
        self.generic = lexicon.words("generic-word", lang)
        self.prefixes = sorted(lexicon.words("place-prefix", lang), key=len, reverse=True)
        self.lower_case = lower_case_words(lang)
        self.inflections = sorted(lexicon.words("adjective-inflection", lang), key=len, reverse=True)
        self.names_by_capitals = bool(lexicon.words("names-by-capitals", lang))
        self.introducer = introducer_pattern(lexicon, lang)
        self.ordinary = ordinary_words(lang)
        self.genitive_endings = sorted(lexicon.words("genitive-ending", lang), key=len, reverse=True)
        self.given = given_names()
        self.organisation_words = lexicon.words("organisation-name-word", lang)
        self.common_nouns = common_nouns(lang)
        self.role_words = Roles(lexicon, lang)
        self.adjective_endings = lexicon.words("name-adjective-ending", lang)

    def __call__(self, doc: Doc) -> Doc:
        kept = []
        names = {ent.text for ent in doc.ents}
        surnames = surnames_of_people(doc.ents)
        first_forms: dict[str, str] = {}  # a name's words with its adjective's ending cut → its first form in the text
        first_labels: dict[str, str] = {}  # a name → the kind the text first gives it
        for ent in doc.ents if self.adjective_endings else ():
            first_forms.setdefault(uninflected(ent.text, self.adjective_endings) or ent.text, ent.text)
            first_labels.setdefault(ent.text, ent.label_)
        for ent in doc.ents:
            if ent.ent_id_:
                kept.append(ent)
                continue
            first = ent.text.split("-", 1)[0].lower()
            if ent.text.lower() in self.generic or (first in self.generic and "-" in ent.text and len(ent) == 1):
                continue
            if len(ent) == 1 and ent[0].is_sent_start and ent[0].is_stop and not ent.text.isupper():
                continue  # "Selon Brad Smith, …": a capitalised function word that opens the sentence
            if self.lang == "de" and self.is_place_adjective(doc, ent):
                continue
            if (self.is_lower_case_word(ent) or self.is_introducing_noun(ent) or self.is_common_compound(ent, names)
                    or self.is_common_noun(ent, names, surnames) or self.is_adjective_and_noun(ent)):
                continue
            trimmed = self.without_lower_case_start(doc, ent)
            if trimmed is None:
                continue
            ent = trimmed
            form = self.own_form(ent, names, first_forms)
            if form != ent.text:
                # another form of a name takes its listed kind, or the kind the text first gave it
                kind = first_labels.get(form, ent.label_) if uninflected(form, self.adjective_endings) else ent.label_
                ent = Span(doc, ent.start, ent.end, label=listed_names().get(form, kind), kb_id=form)
            kept.append(ent)
        doc.ents = kept
        return doc

    def is_lower_case_word(self, ent: Span) -> bool:
        """A "place" of one capitalised word the corpora mostly write in lower case ("della Carrozzeria",
        "il Mercato"), or any name of such a word opening a sentence (in German, where nouns are
        capitalised, only there: "Bisherige"; a person or place also inflected,
        ``lex:adjective-inflection``: "Genauere"), which no list names."""
        if len(ent) != 1 or ent.text in listed_names():
            return False
        word = ent.text.lower()
        if word in self.lower_case:
            return ent.label_ == "LOC" and self.names_by_capitals or bool(ent[0].is_sent_start)
        if ent.label_ == "ORG" or not ent[0].is_sent_start:
            return False  # organisations keep theirs: a party is named by an adjective ("Grüne fordern …")
        return any(word.endswith(ending) and len(word) - len(ending) >= 4 and word[:-len(ending)] in self.lower_case
                   for ending in self.inflections)

    def is_adjective_and_noun(self, ent: Span) -> bool:
        """A sentence's first two words, an adjective the corpora write in lower case and a dictionary
        noun ("Hohe Kräne", "Mehrere Feuerwehren"), which no list names; not an adjective that opens
        names (``lex:name-adjective-ending``: "Deutsche Börse", "Europäische Union")."""
        return (len(ent) == 2 and bool(ent[0].is_sent_start) and ent[0].lower_ in self.lower_case
                and ent[1].text in self.common_nouns and uninflected(ent.text, self.adjective_endings) is None
                and ent.text not in listed_names())

    def is_common_noun(self, ent: Span, names: set[str], surnames: set[str]) -> bool:
        """A "person" or "place" of one word that the dictionary knows as a common noun ("der
        Anpfiff", "beim Lesen"; German: seeds/names/common-nouns-de.txt), which no list names, no
        first name ("Jasmine") and no genitive of a name ("Chinas"); a person's surname stays where a
        role names them ("Wirtschaftsminister Hagedorn") or the text names them in full. Organisations
        keep such words: brands are nouns too ("Post", "Spiegel")."""
        word = ent.text
        if ent.label_ == "PER" and (word in surnames or ent.start > 0 and self.role_words.end_at(ent.doc, ent.start - 1)):
            return False
        return (ent.label_ != "ORG" and len(ent) == 1 and word in self.common_nouns and word not in listed_names()
                and word not in self.given and self.own_form(ent, names) == word)

    def is_introducing_noun(self, ent: Span) -> bool:
        """One word that introduces a company's name but is none ("der Konzern", "des Konzerns", "die
        Tochtergesellschaft", "il Gruppo"): an organisation-introducing noun the corpora write in
        lower case or seldom as a name, or a form of a dictionary noun, which no list names ("Commerzbank" stays)."""
        word = ent.text
        return (len(ent) == 1 and "-" not in word
                and (word in self.ordinary or word.lower() in self.lower_case or word in self.common_nouns)
                and self.introducer.search(word.lower()) is not None and word not in listed_names())

    def is_common_compound(self, ent: Span, names: set[str]) -> bool:
        """A German hyphen compound ending in a common noun, of which no part names anything
        ("Online-Handel", "Top-Manager"); "Spotify-Gründer" (a listed or tagged name first, or an
        employer the components read in it), "Bertelsmann-Stiftung" (a word of organisations' names
        last) stay."""
        if self.names_by_capitals or len(ent) != 1 or "-" not in ent.text or ent.kb_id_:
            return False  # a name form the components gave ("Spotify" for "Spotify-Gründer") stays
        parts = ent.text.split("-")
        last = parts[-1]
        return (last in self.ordinary and last.lower() not in self.organisation_words
                and self.introducer.search(last.lower()) is None
                and not any(part in names or part in listed_names() or part in self.given for part in parts[:-1]))

    def without_lower_case_start(self, doc: Doc, ent: Span) -> Span | None:
        """In German, words the corpora write in lower case do not open a name ("die italienische
        Großbank", "in beiden Richtungen"): they are left out, and one word left after them is a
        noun, not a name, unless a list names it. Where common nouns are written in lower case
        (``lex:names-by-capitals``) they may open one ("regione Lombardia", "ministero dell'Economia")."""
        if self.names_by_capitals:
            return ent
        start = ent.start
        while start < ent.end and doc[start].is_lower and doc[start].text in self.lower_case:
            start += 1
        if start == ent.start or start < ent.end and not doc[start].text[:1].isupper() or self.prefixed(ent):
            return ent  # "ministero dell'Economia", "provincia di Verona" (own_form)
        if start == ent.end or (ent.end - start == 1 and doc[start].text not in listed_names()):
            return None
        return Span(doc, start, ent.end, label=ent.label_)

    @staticmethod
    def is_place_adjective(doc: Doc, ent: Span) -> bool:
        following = doc[ent.end] if ent.end < len(doc) else None
        return (len(ent) == 1 and ent.label_ != "PER" and ent.text.endswith("er") and "-" not in ent.text and following is not None
                and following.text[:1].isupper() and not following.is_punct)

    def prefixed(self, ent: Span) -> str | None:
        """The place prefix ("Kreis", "provincia di") a place's name opens with, if any."""
        if ent.label_ == "LOC":
            text = ent.text
            for prefix in self.prefixes:
                if text.lower().startswith(prefix + " ") and text[len(prefix) + 1:][:1].isupper():
                    return prefix
        return None

    def own_form(self, ent: Span, names: set[str], first_forms: dict[str, str] | None = None) -> str:
        text = ent.text
        key = uninflected(text, self.adjective_endings)
        if key is not None and first_forms and first_forms.get(key, text) != text:
            return first_forms[key]  # "das Rheinische Revier" after "im Rheinischen Revier": one name
        prefix = self.prefixed(ent)
        if prefix is not None:
            return text[len(prefix) + 1:]
        for ending in self.genitive_endings:
            base = text[:-len(ending)]
            if text.endswith(ending) and (base in names or base in listed_names()):
                return base
        return self.named_in_compound(ent) or text

    def named_in_compound(self, ent: Span) -> str | None:
        """The name a German hyphen compound of one name and one dictionary noun is about ("Siemens-Aktie",
        "ntv-Podcast" → Siemens, ntv), or None. Not where the noun makes an organisation of its own
        ("EU-Kommission", "Nordwind-Gruppe") or the first part is a noun no list names or a generic word
        ("Corona-Krise", "KI-Start-up")."""
        head = compound_head(ent.text, self.common_nouns) if len(ent) == 1 else None
        if head is None:
            return None
        rest = ent.text[len(head) + 1:]
        noun_first = head in self.common_nouns and head not in listed_names() or head.lower() in self.generic
        own_organisation = rest.lower() in self.organisation_words or self.introducer.search(rest.lower()) is not None
        return None if noun_first or own_organisation else head


DASHES = {"-", "–", "—"}


@Language.factory("invest_capitalised_names")
def make_capitalised_names(nlp: Language, name: str) -> CapitalisedNames:
    return CapitalisedNames(str(nlp.lang), load_lexicon())


class CapitalisedNames:
    """In a language that writes its nouns in lower case (``lex:names-by-capitals``: Italian, not
    German), capitalised words inside a sentence that no entity covers are a name: "Nel frattempo
    Bending Spoons è andata avanti", "la controllata FiberCop". Taken as ORG when they are several
    words, have a capital inside or are an acronym written as a word ("Lgt"); a single plain word
    ("Governo", "Copilot") is left alone, and so are acronyms of up to three letters ("AD") and
    ordinary capitalised words. The words stop before
    a capitalised function word or a word the corpora write in lower case (a title without its full
    stop: "Milano Ieri"); words that open with such a word name nothing ("Politiche Agricole"); a
    first name opens a person ("Nino Strano")."""

    def __init__(self, lang: str, lexicon: Lexicon):
        self.enabled = bool(lexicon.words("names-by-capitals", lang))
        self.ordinary = ordinary_words(lang)
        self.lower_case = lower_case_words(lang)
        self.given = given_names()

    def __call__(self, doc: Doc) -> Doc:
        if not self.enabled:
            return doc
        taken = {i for ent in doc.ents for i in range(ent.start, ent.end)}
        found = []
        i = 0
        while i < len(doc):
            token = doc[i]
            if (i in taken or token.is_sent_start or not token.text[:1].isupper() or not token.is_alpha
                    or token.text in self.ordinary or (i > 0 and doc[i - 1].text in QUOTE_OR_COLON)):
                i += 1
                continue
            end = i + 1
            while (end < len(doc) and end not in taken and doc[end].text[:1].isupper() and doc[end].is_alpha
                   and not self.is_word(doc[end])):
                end += 1
            several = end - i > 1
            inner_capital = any(c.isupper() for c in token.text[1:]) and not (token.text.isupper() and len(token.text) <= 3)
            if (several or inner_capital or is_acronym_as_word(token)) and not self.is_word(token):
                label = "PER" if several and end - i <= 3 and token.text in self.given else "ORG"
                found.append(Span(doc, i, end, label=label))
            i = end
        if found:
            doc.ents = sorted([*doc.ents, *found], key=lambda span: span.start)
        return doc

    def is_word(self, token: Token) -> bool:
        """A capitalised function word or a word the corpora write in lower case ("Questa", "Ieri")."""
        return token.is_stop or token.lower_ in self.lower_case


HashTable = tuple[numpy.ndarray, numpy.ndarray]  # sorted hashes and their bits (kg.name_features.sorted_table)
QUOTE_OR_COLON = {"«", '"', "“", "„", ":", "(", "’", "'"}
JOINING_SIGNS = {"&", "/", "#", "@", "+"}  # signs that join names ("Standard & Poor"): none stands alone beside one
VOWELS = set("aeiouyàáâäèéêìíòóôöùúûü")


def is_acronym_as_word(token: Token) -> bool:
    """An acronym the Italian press writes as a word ("Lgt", "Bnl", "Cdp"): three to five letters, a
    capital and then small letters, and no vowel, which no word of a language that writes its nouns
    in lower case lacks; not an abbreviation with its full stop ("Str.")."""
    text = token.text
    abbreviation = not token.whitespace_ and token.i + 1 < len(token.doc) and token.doc[token.i + 1].text == "."
    return (3 <= len(text) <= 5 and text.isalpha() and text[:1].isupper() and text[1:].islower()
            and not VOWELS.intersection(text.lower()) and not abbreviation)


@Language.component("invest_datelines")
def datelines(doc: Doc) -> Doc:
    """"FRANKFURT/MAILAND (dpa-AFX) - …", "Neckarsulm/Lübbenau (dpa) – …": at the start of a paragraph,
    the places before the parentheses are places (in their own case: "Frankfurt"), the news agency
    inside them an organisation, whatever the NER made of them."""
    found = []
    for start in [0] + [t.i + 1 for t in doc[:-1] if t.is_space and "\n" in t.text]:
        i, places = start, []
        while i < len(doc) and doc[i].text[:1].isupper() and doc[i].is_alpha:
            places.append(doc[i])
            i += 1
            if i < len(doc) and doc[i].text == "/":
                i += 1
        close = next((t.i for t in doc[i + 1:i + 5] if t.text == ")"), None) if i < len(doc) and doc[i].text == "(" else None
        if not places or close is None or close + 1 >= len(doc) or doc[close + 1].text not in DASHES or close == i + 1:
            continue
        for place in places:
            own = place.text.title() if place.text.isupper() else place.text
            found.append(Span(doc, place.i, place.i + 1, label="LOC", kb_id=own))
        found.append(Span(doc, i + 1, close, label="ORG", kb_id=doc[i + 1:close].text))
        if close + 2 < len(doc):
            doc[close + 2].is_sent_start = True  # the dateline is no part of the first sentence's facts
    if found:
        covered = {i for span in found for i in range(span.start, span.end)}
        doc.ents = sorted(found + [e for e in doc.ents if not covered.intersection(range(e.start, e.end))],
                          key=lambda span: span.start)
    return doc


ALIASES_KEY = "invest_kg.aliases"  # doc.user_data: acronym → the full name it stands for


@Language.component("invest_aliases")
def aliases(doc: Doc) -> Doc:
    """"Cassa Depositi e Prestiti (CDP)", "KKR (Kohlberg Kravis Roberts & Co)": the full name is one
    organisation and the acronym its alias in this document, when the capitalised words' initials
    spell the acronym. The full name becomes one entity (the NER often cuts it), the acronym an entity
    whose ``kb_id_`` is the full name, and ``doc.user_data[ALIASES_KEY]`` maps one to the other."""
    found: dict[tuple[int, int], Span] = {}
    aliases: dict[str, str] = {}
    generic = load_lexicon().words("generic-word", doc.lang_)  # "Künstliche Intelligenz (KI)" names nothing
    for open_at, token in enumerate(doc):
        if token.text != "(" or open_at == 0:
            continue
        close = next((t.i for t in doc[open_at + 1:open_at + 10] if t.text == ")"), None)
        if close is None or close == open_at + 1:
            continue
        inner = doc[open_at + 1:close]
        if len(inner) == 1 and is_acronym(inner.text):  # "Full Name (FN)"
            full = name_run_before(doc, open_at, inner.text)
            acronym = inner
        elif is_acronym(doc[open_at - 1].text) and initials_spell(inner, doc[open_at - 1].text):  # "FN (Full Name)"
            full, acronym = inner, doc[open_at - 1:open_at]
        else:
            continue
        if full is None or full.text.lower() in generic or acronym.text.lower() in generic:
            continue
        label = next((e.label_ for e in doc.ents if e.start >= full.start and e.end <= full.end and e.label_ in ("ORG", "LOC")), "ORG")
        found[(full.start, full.end)] = Span(doc, full.start, full.end, label=label)
        found[(acronym.start, acronym.end)] = Span(doc, acronym.start, acronym.end, label=label, kb_id=full.text)
        aliases[acronym.text] = full.text
    if found:
        spans = list(found.values())
        covered = {i for span in spans for i in range(span.start, span.end)}
        others = [Span(doc, e.start, e.end, label=e.label_, kb_id=aliases[e.text]) if e.text in aliases and not e.ent_id_ else e
                  for e in doc.ents if not covered.intersection(range(e.start, e.end))]
        doc.ents = sorted(spans + others, key=lambda span: span.start)
        doc.user_data[ALIASES_KEY] = aliases
    return doc


def is_acronym(text: str) -> bool:
    return 2 <= len(text) <= 6 and text.isalpha() and text.isupper()


def initials(span: Span) -> str:
    return "".join(t.text[0] for t in span if t.text[:1].isupper())


def initials_spell(span: Span, acronym: str) -> bool:
    """Do the capitalised words' initials begin with the acronym ("Kohlberg Kravis Roberts & Co": KKR)?"""
    return len(acronym) >= 2 and initials(span)[:len(acronym)] == acronym


def name_run_before(doc: Doc, end: int, acronym: str) -> Span | None:
    """The capitalised words (joined by "e", "di", "&"…) just before `end` whose initials spell `acronym`."""
    start = end
    connectors = load_lexicon().words("name-connector", doc.lang_)
    while start > 0 and end - start < 8 and (doc[start - 1].text[:1].isupper() or doc[start - 1].lower_ in connectors):
        start -= 1
        if doc[start].text[:1].isupper() and initials_spell(doc[start:end], acronym):
            return doc[start:end]
    return None


def people_by_surname(doc: Doc, names) -> dict[str, Span]:
    """Surname → the one person of two words or more a document names with it ("Monti" → "Mario
    Monti"); not a surname two people share, nor a word the corpora mostly write outside names."""
    people: dict[str, set[str]] = {}
    spans: dict[str, Span] = {}
    for ent in names:
        surname = ent[-1].text
        if ent.label_ == "PER" and len(ent) > 1 and surname.isalpha() and surname.istitle() and len(surname) >= 3:
            people.setdefault(surname, set()).add(ent.kb_id_ or ent.text)
            spans[surname] = ent
    ordinary = ordinary_words(str(doc.lang_))
    return {surname: spans[surname] for surname, persons in people.items() if len(persons) == 1 and surname not in ordinary}


@Language.component("invest_repeated_names")
def repeated_names(doc: Doc) -> Doc:
    """Tag again, with the same label, every other place where a document writes a name it has
    tagged once (one sense per discourse): "il fondo statunitense KKR … la vendita a KKR". A
    person's surname alone ("Mario Monti … Monti ha detto") is that person, named in full, where
    one person of the document bears it, it is no ordinary word and no article stands before it
    ("Hans Koch … der Koch", ``lex:determiner``)."""
    labels: dict[str, Counter] = {}
    names: dict[str, Span] = {}
    for ent in doc.ents:
        if ent.text[:1].isupper() and len(ent.text) >= 2 and ent.label_ in ("ORG", "LOC", "PER", "MISC"):
            if ent.text not in names or (ent.kb_id_ and not names[ent.text].kb_id_):  # an alias's full name wins
                names[ent.text] = ent
            if not ent.ent_id_:
                labels.setdefault(ent.text, Counter())[ent.label_] += 1
    if not names:
        return doc
    # the label a document gives a name most often is its label everywhere ("in Satispay" once LOC, thrice ORG)
    majority = {text: counts.most_common(1)[0][0] for text, counts in labels.items()
                if len(counts) > 1 and counts.most_common(2)[0][1] > counts.most_common(2)[1][1]}
    if majority:
        doc.ents = [Span(doc, ent.start, ent.end, label=majority[ent.text], kb_id=ent.kb_id_, span_id=ent.ent_id_)
                    if ent.text in majority and not ent.ent_id_ else ent for ent in doc.ents]
        names = {text: next(e for e in doc.ents if e.text == text) for text in names}
    # a look-up by text from each token that starts a tagged name (a PhraseMatcher built for every
    # document cost a tenth of the pipeline)
    first_tokens = {ent[0].text for ent in names.values()}
    longest = max(len(ent) for ent in names.values())
    taken = {i for ent in doc.ents for i in range(ent.start, ent.end)}
    found = []
    surnames = people_by_surname(doc, names.values())
    articles = load_lexicon().words("determiner", str(doc.lang_)) if surnames else frozenset()
    for token in doc:
        person = surnames.get(token.text)
        if person is not None and token.i not in taken and not (token.i > 0 and doc[token.i - 1].lower_ in articles):
            found.append(Span(doc, token.i, token.i + 1, label="PER", kb_id=person.kb_id_ or person.text))
            taken.add(token.i)
            continue
        if token.text not in first_tokens or token.i in taken:
            continue
        for end in range(min(len(doc), token.i + longest), token.i, -1):
            model = names.get(doc[token.i:end].text)
            if model is None or len(model) != end - token.i:
                continue
            if not taken.intersection(range(token.i, end)) and not (end - token.i == 1 and begins_longer_name(doc, end)):
                found.append(Span(doc, token.i, end, label=model.label_, kb_id=model.kb_id_, span_id=model.ent_id_))
                taken.update(range(token.i, end))
            break
    if found:
        doc.ents = sorted([*doc.ents, *found], key=lambda span: span.start)
    return doc


@cache
def given_names() -> frozenset[str]:
    """First names (seeds/names/given-names.txt, ``make names``)."""
    return word_list("given-names.txt")


def hash_table(words: Iterable[str]) -> HashTable:
    """The words' hashes as a sorted table (``kg.name_features.sorted_table``, read with
    ``looked_up``): a tenth of a set's memory for lists of 100,000 names."""
    keys = numpy.fromiter((get_string_id(word) for word in words), dtype="uint64")
    return sorted_table(keys, numpy.ones(len(keys), dtype="int8"))


@cache
def surnames_alone(lang: str) -> HashTable:
    """The hashes of the surnames that make a person alone in `lang` (seeds/names/surnames-LANG.txt,
    ``make names``): in German those that are no noun's form (a capitalised word that is no noun is
    a name), in Italian those that are no word ("Poste", "Foresta" are surnames too)."""
    return hash_table(word_list(f"surnames-{lang}.txt"))


@cache
def surname_genitives(lang: str) -> HashTable:
    """The hashes of the genitives of `surnames_alone` in a language whose names take an "s"
    (``lex:genitive-ending``: German "Kowalczyks"; a name ending in s, x or z takes an apostrophe)."""
    if "s" not in load_lexicon().words("genitive-ending", lang):
        return hash_table(())
    return hash_table(name + "s" for name in word_list(f"surnames-{lang}.txt") if not name.endswith(("s", "x", "z", "ß")))


@cache
def country_names() -> frozenset[str]:
    """Countries' names in the name lists (CLDR's, in every language the lists hold)."""
    with (NAMES_FOLDER / "places.tsv").open(encoding="utf-8") as rows:
        return frozenset(row.split("\t", 1)[0] for row in rows if row.rstrip("\n").endswith("\tcldr"))


def overriding(found: list[Span], ents: list[Span]) -> list[Span]:
    """`found` and the entities that share no token with them, in text order."""
    taken = {i for span in found for i in range(span.start, span.end)}
    return sorted([*found, *(ent for ent in ents if not taken.intersection(range(ent.start, ent.end)))],
                  key=lambda span: span.start)


AMPERSAND_HASH = get_string_id("&")


class Roles:
    """The role words of a language (``lex:role``: "ceo", "amministratore delegato", "Minister") and
    its forms of address (``lex:honorific``), to tell whether one ends at a word."""

    def __init__(self, lexicon: Lexicon, lang: str):
        self.stems = tuple(stem for stem in lexicon.stems("role", lang) if " " not in stem)
        self.two_word_stems = tuple(stem for stem in lexicon.stems("role", lang) if stem.count(" ") == 1)
        self.honorifics = lexicon.words("honorific", lang)
        self.compound = role_ending_pattern(self.stems, shortest_stem=5, head_letters=3)

    def end_at(self, doc: Doc, end: int) -> bool:
        """Does a role word end at token `end` ("ceo", "amministratore delegato"), or a compound ending
        in one ("Wirtschaftsministerin", "Vorstandschef", "Co-Vorstandschef")? A form of address
        ("Herr", "signora") stands before a name as a role does."""
        word = doc[end].lower_
        if word in self.honorifics:
            return True
        for word in {word, word.rsplit("-", 1)[-1]}:  # "Co-Vorstandschef", "Ex-Ministerin"
            if word.startswith(self.stems) or self.compound.search(word):
                return True
        return end > 0 and f"{doc[end - 1].lower_} {doc[end].lower_}".startswith(self.two_word_stems)


@Language.factory("invest_name_kinds")
def make_name_kinds(nlp: Language, name: str) -> NameKinds:
    return NameKinds(str(nlp.lang), load_lexicon(), ner_reads_name_lists(nlp))


class NameKinds:
    """Say what kind of thing a name is by its form, where the statistical NER is unsure:

    - a first name (``given_names``) and a capitalised word after it are a person ("Mitgründer Angela
      Kessler", where the NER saw a place "Kessler"; "Stefan Richter", whose surname is a word too);
      not where the two words are a listed name; a first name alone, next to no other capitalised
      word, is a person too ("sagte Mathilde"), and so is a surname of the language's list of those
      that are no word (``surnames_alone``: "sagte Kowalczyk", "ha detto Kowalczyk");
    - a "person" with a word of organisations' names in it (``lex:organisation-name-word``,
      introducing nouns, legal forms: "Banca Iccrea", "Greyhound Capital"), written in capitals
      ("ASTEM Lodi") or with a capital inside a word ("OpenAI") is an organisation;
    - capitalised words before a legal form (``lex:legal-form``: "die Voltara AG", "Ferretti
      Impianti S.p.A.") are one organisation with it, which a first name does not make a person;
    - an organisation and a country's name right after it are one organisation, its national
      subsidiary ("Microsoft Italia", "Siemens Deutschland"); an English "The" before an
      organisation is part of its name;
    - a surname after a word for family (``lex:family-word``: "die Familie Rossi") names a family,
      not a person, and is left out; a German adjective in a name takes the noun after it ("im
      Rheinischen Revier");
    - after a role and ``lex:role-of`` ("il ceo di Twitter") capitalised words (`may_name`), or a "person"
      without a first name, is an organisation; a listed company with an ordinary word after it
      ("SAP Software") is the company;
    - a form of address (``lex:honorific``: "Herrn Brenner", "la signora Sartoni") opens a person as a
      role does; a "person" of forms of address and roles only ("Frau Präsidentin") is none;
    - after a parent's or subsidiary's noun and "of" (``lex:affiliate``) the names listed are organisations;
    - in a list of names with a sure organisation in it ("Iccrea Banca, Endeavor Catalyst e …"), a
      "person" without a first name, whom no longer name of the text makes a person, is one too;
    - names joined by "&" are one organisation; a one-word name a district follows is a town
      ("Vellano, in provincia di Lucca", ``lex:district-word``); two capitalised words listed with a
      person are a person (`coordinated_people`).
    The catalogue's entities are never touched.
    """

    def __init__(self, lang: str, lexicon: Lexicon, ner_read_names: bool = False):
        # an NER whose words carry the name lists' marks (kg.name_features) weighed the first names
        # against their context already: its label for a whole name stands ("Crystal Palace")
        self.ner_read_names = ner_read_names
        self.given = given_names()
        self.given_hashes = {get_string_id(name) for name in self.given}
        self.surname_hashes = surnames_alone(lang)
        self.surname_genitive_hashes = surname_genitives(lang)
        self.not_before_surname = lexicon.words("determiner", lang) | lexicon.words("place-preposition", lang)
        self.place_preposition_hashes = {get_string_id(word) for word in lexicon.words("place-preposition", lang)}
        self.noun_suffixes = tuple(lexicon.words("noun-suffix", lang))
        self.ordinary = ordinary_words(lang)
        self.common_nouns = common_nouns(lang)
        self.countries = country_names()
        self.organisation_words = (lexicon.words("organisation-name-word", lang) | lexicon.words("legal-form", lang)
                                   | set(lexicon.stems("organisation-introducer", lang)))
        self.family_words = lexicon.words("family-word", lang)
        self.district_words = lexicon.words("district-word", lang)
        self.particles = lexicon.words("surname-particle", lang)
        # a surname with a particle glued to it ("McAuley", "DiCaprio"), in any language: no company ("OpenAI")
        glued = sorted({p.capitalize() for p in lexicon.words_in_any_language("surname-particle") if p.isalpha()})
        self.glued_particle = re.compile(rf"^(?:{'|'.join(glued)})[A-Z][a-z]+$")
        self.adjective_endings = tuple(lexicon.words("name-adjective-ending", lang))
        self.role_words = Roles(lexicon, lang)
        self.role_of = lexicon.words("role-of", lang)
        self.role_of_hashes = {get_string_id(word) for word in self.role_of}
        self.affiliate_nouns = lexicon.stems("affiliate", lang)
        self.honorifics = self.role_words.honorifics
        self.joiners = lexicon.words("coordination", lang)
        self.lower_case = lower_case_words(lang)
        self.names_by_capitals = bool(lexicon.words("names-by-capitals", lang))
        forms = sorted(lexicon.words("legal-form", lang) | lexicon.words("legal-form", "en"), key=len, reverse=True)
        self.legal_forms = re.compile(r"(?<![\w.&])(?:" + "|".join(re.escape(form) for form in forms) + r")(?![\w&])", re.IGNORECASE)

    def __call__(self, doc: Doc) -> Doc:
        ents = self.legal_names(doc, list(doc.ents))
        ents = self.people(doc, ents, {i for ent in ents if ent.ent_id_ or ent.label_ == "ORG" and self.ends_in_legal_form(ent)
                                       for i in range(ent.start, ent.end)})
        ents = [self.trimmed(doc, self.retyped(doc, ent))
                for ent in self.with_nouns(doc, self.names_alone(doc, ents)) if not self.family(doc, ent)]
        covered = {i for ent in ents for i in range(ent.start, ent.end)}
        ents = [self.with_article(doc, ent, covered) for ent in ents]
        for step in (self.role_holders, self.employers, self.affiliates, self.listed_with_organisations, self.subsidiaries,
                     self.without_titles_alone, self.ampersand_names, self.towns_in_districts, self.coordinated_people,
                     self.places_after_prepositions):
            ents = step(doc, ents)
        if [(e.start, e.end, e.label, e.kb_id) for e in ents] != [(e.start, e.end, e.label, e.kb_id) for e in doc.ents]:
            doc.ents = ents  # setting them costs more than all the rules when nothing changed
        return doc

    def employers(self, doc: Doc, ents: list[Span]) -> list[Span]:
        """After a role and "of" ("il ceo di Twitter", "Co-Vorstandschef von Nordwind Digits"): up to
        three capitalised words where no entity stands, or a "person" without a first name, are an
        organisation."""
        starting = {ent.start: ent for ent in ents}
        taken = {i for ent in ents for i in range(ent.start, ent.end)}
        found, retyped = [], {}
        for i in self.positions_of(doc, self.role_of_hashes):
            role, name = doc[i - 1], doc[i + 1]
            if not self.is_role(doc, role.i) or role.i in taken:
                continue
            ent = starting.get(name.i)
            if ent is not None and ent.label_ == "PER" and not ent.ent_id_ and name.text not in self.given:
                retyped[ent.start] = Span(doc, ent.start, ent.end, label="ORG", kb_id=ent.kb_id_)
            elif ent is None and name.i not in taken and name.is_title and name.is_alpha and self.may_name(name):
                end = name.i + 1
                while (end < len(doc) and end - name.i < 3 and end not in taken and doc[end].is_alpha
                       and (doc[end].is_title or doc[end].is_upper) and self.may_name(doc[end])):
                    end += 1
                found.append(Span(doc, name.i, end, label="ORG"))
        if not found and not retyped:
            return ents
        return sorted([*(retyped.get(ent.start, ent) for ent in ents), *found], key=lambda span: span.start)

    @staticmethod
    def positions_of(doc: Doc, hashes: set[int], attr: int = LOWER) -> list[int]:
        """Where inside `doc` (not first, not last) a word stands whose lower case (or other `attr`) is
        one of `hashes`: read from the words' hashes, since a Token object per word costs more than the rules."""
        return [i for i, word in enumerate(doc.to_array(attr).tolist()) if word in hashes and 0 < i < len(doc) - 1]

    def may_name(self, token: Token) -> bool:
        """Can a capitalised word after a role's "of" name an organisation? Where common nouns are
        written in lower case, unless the corpora write it so ("presidente di Regione"; "ceo di
        Twitter" names one, though the corpora seldom annotate it); in German, unless it is mostly
        no name there."""
        if self.names_by_capitals:
            return token.lower_ not in self.lower_case
        return token.text not in self.ordinary

    def affiliates(self, doc: Doc, ents: list[Span]) -> list[Span]:
        """After a parent's or a subsidiary's noun (``lex:affiliate``) and "of" ("die Muttergesellschaft
        von X und Y", "la controllante di X"): each name listed is an organisation, whatever the NER
        called it, unless a first name opens it; a capitalised word of no entity is one too."""
        starting = {ent.start: ent for ent in ents}
        taken = {i for ent in ents for i in range(ent.start, ent.end)}
        found, retyped = [], {}
        for of in self.positions_of(doc, self.role_of_hashes):
            if not self.ends_affiliate_noun(doc, of - 1):
                continue
            i = of + 1
            while i < len(doc):
                ent = starting.get(i)
                if ent is not None:
                    if not ent.ent_id_ and ent.label_ != "ORG" and doc[i].text not in self.given:
                        retyped[ent.start] = Span(doc, ent.start, ent.end, label="ORG", kb_id=ent.kb_id_)
                    i = ent.end
                elif i not in taken and doc[i].is_title and doc[i].is_alpha and doc[i].text not in self.ordinary:
                    found.append(Span(doc, i, i + 1, label="ORG"))
                    i += 1
                else:
                    break
                if i + 1 >= len(doc) or doc[i].lower_ not in self.joiners:
                    break
                i += 1
        if not found and not retyped:
            return ents
        return sorted([*(retyped.get(ent.start, ent) for ent in ents), *found], key=lambda span: span.start)

    def ampersand_names(self, doc: Doc, ents: list[Span]) -> list[Span]:
        """Names joined by "&" are one organisation ("Marino Armamenti & Sistemi", "Procter & Gamble",
        "Kohlberg Kravis Roberts & Co."): people's names take no ampersand. The parts are the
        entities on either side or, where none stands, up to three capitalised words; in German, which
        capitalises its nouns, one part must be an entity ("Forschung & Entwicklung" names nothing).
        Not where a part opens with a first name ("Andy Murray & Serena Williams") or is one letter ("R & B")."""
        ampersands = self.positions_of(doc, {AMPERSAND_HASH}, ORTH)
        if not ampersands:
            return ents
        ending = {ent.end: ent for ent in ents}
        starting = {ent.start: ent for ent in ents}
        found = []
        for i in ampersands:
            before, after = ending.get(i), starting.get(i + 1)
            start = before.start if before is not None else self.capitalised_run_before(doc, i)
            end = after.end if after is not None else self.capitalised_run_after(doc, i + 1)
            # German capitalises its nouns: there "Forschung & Entwicklung" joins names only where the NER found one
            sure = self.names_by_capitals or before is not None or after is not None
            if not (sure and start < i < end - 1) or any(ent.ent_id_ for ent in (before, after) if ent is not None):
                continue
            parts = (doc[start:i], doc[i + 1:end])
            # "Andy Murray & Serena Williams" are two people; "R & B" is a kind of music
            if any(part[0].text in self.given or len(part.text) < 2 for part in parts):
                continue
            found.append(Span(doc, start, end, label="ORG"))
        return overriding(filter_spans(found), ents) if found else ents

    def towns_in_districts(self, doc: Doc, ents: list[Span]) -> list[Span]:
        """A one-word "person" or "organisation" that a district follows is a town: "Vellano, in provincia
        di Lucca", "Ensdorf im Landkreis Saarlouis", "Vellano (provincia di Lucca)" (``lex:district-word``;
        between them at most a comma or bracket and one short lower-case word)."""
        retyped = {}
        for ent in ents:
            if len(ent) != 1 or ent.label_ == "LOC" or ent.ent_id_:
                continue
            i = ent.end
            if i < len(doc) and doc[i].text in (",", "("):
                i += 1
            if i < len(doc) and doc[i].is_lower and len(doc[i]) <= 3:
                i += 1
            if i < len(doc) and doc[i].lower_ in self.district_words:
                retyped[ent.start] = Span(doc, ent.start, ent.end, label="LOC", kb_id=ent.kb_id_)
        return [retyped.get(ent.start, ent) for ent in ents] if retyped else ents

    @staticmethod
    def capitalised_run_before(doc: Doc, end: int, longest: int = 3) -> int:
        start = end
        while (start > max(0, end - longest) and doc[start - 1].text[:1].isupper() and doc[start - 1].is_alpha
               and not doc[start - 1].is_stop):  # "Il Brighton & Hove Albion": the article is no part
            start -= 1
        return start

    @staticmethod
    def capitalised_run_after(doc: Doc, start: int, longest: int = 3) -> int:
        """The end of up to `longest` capitalised words from `start`, with a full stop glued to an abbreviation ("Co.")."""
        end = start
        while end < min(len(doc), start + longest) and doc[end].text[:1].isupper() and doc[end].text.rstrip(".").isalpha():
            end += 1
        return end

    def listed_with_organisations(self, doc: Doc, ents: list[Span]) -> list[Span]:
        """Names listed with commas and "and" take an organisation's kind where one of them is surely
        an organisation and a "person" among them has no first name: investors, shareholders, partners
        are listed so (a list of surnames with one the NER took for a company is not). A surname that
        a person of the same text ends in stays a person."""
        people_surnames = surnames_of_people(ents, self.given)
        retyped: dict[int, Span] = {}
        run: list[Span] = []
        for ent in [*ents, None]:
            if ent is not None and run and self.joined(doc, run[-1].end, ent.start):
                run.append(ent)
                continue
            if len(run) > 1 and any(self.surely_organisation(member) for member in run) \
                    and not any(member.label_ == "PER" and member[0].text in self.given for member in run):
                for member in run:
                    if member.label_ == "PER" and not member.ent_id_ and member[-1].text not in people_surnames:
                        retyped[member.start] = Span(doc, member.start, member.end, label="ORG", kb_id=member.kb_id_)
            run = [ent] if ent is not None else []
        return [retyped.get(ent.start, ent) for ent in ents] if retyped else ents

    def coordinated_people(self, doc: Doc, ents: list[Span]) -> list[Span]:
        """Two capitalised words joined by "and" or a comma to a person whose first name is known are
        a person too, where no entity stands ("Zandrigo Tarvisi e Roberto Cingoli"): names of one kind
        are listed together. Not words of organisations' names, dictionary nouns or ordinary words."""
        taken = {i for ent in ents for i in range(ent.start, ent.end)}
        found = []
        for ent in ents:
            if ent.label_ != "PER" or ent[0].text not in self.given:
                continue
            for start in (ent.start - 3, ent.end + 1):
                joiner_before = start < ent.start
                end = start + 2
                if start < 0 or end > len(doc) or taken.intersection(range(start, end)):
                    continue
                between = doc[end:ent.start] if joiner_before else doc[ent.end:start]
                after = doc[end] if end < len(doc) else None
                if (len(between) == 1 and between[0].lower_ in self.joiners and all(self.name_like(doc[i]) for i in range(start, end))
                        and not (after is not None and not joiner_before and self.name_like(after))):
                    found.append(Span(doc, start, end, label="PER"))
                    taken.update(range(start, end))
        return sorted([*ents, *found], key=lambda span: span.start) if found else ents

    def name_like(self, token: Token) -> bool:
        text = token.text
        return (token.is_title and token.is_alpha and not token.is_stop and text not in self.ordinary
                and token.lower_ not in self.lower_case and text not in self.common_nouns
                and token.lower_ not in self.organisation_words)

    def surely_organisation(self, ent: Span) -> bool:
        """An organisation by more than the NER's word: the catalogue's, a listed company, or one with
        a word of organisations' names in it ("Banca Valsabbina", "Greyhound Capital")."""
        return ent.label_ == "ORG" and (bool(ent.ent_id_) or listed_names().get(ent.text) == "ORG"
                                        or any(token.lower_ in self.organisation_words for token in ent))

    def joined(self, doc: Doc, end: int, start: int) -> bool:
        """Do only a comma and/or "and" stand between two names ("A, B", "A e B", "A, e B")?"""
        between = doc[end:start]
        return 1 <= len(between) <= 2 and all(token.lower_ in self.joiners for token in between)

    def ends_affiliate_noun(self, doc: Doc, end: int) -> bool:
        """Does a noun for a parent or subsidiary company end at token `end` ("Muttergesellschaft", "casa madre")?"""
        if not self.affiliate_nouns or end < 0:
            return False
        last_two = f"{doc[end - 1].lower_} {doc[end].lower_}" if end > 0 else doc[end].lower_
        return doc[end].lower_.startswith(self.affiliate_nouns) or last_two.startswith(self.affiliate_nouns)

    def without_titles_alone(self, doc: Doc, ents: list[Span]) -> list[Span]:
        """A "person" of forms of address and roles only ("Frau Präsidentin", "Herr Kommissar",
        "Presidente") names nobody."""
        kept = [ent for ent in ents if ent.label_ != "PER" or ent.ent_id_
                or not all(token.lower_ in self.honorifics or self.is_role(doc, token.i) for token in ent)]
        return kept if len(kept) != len(ents) else ents

    def is_role(self, doc: Doc, end: int) -> bool:
        return self.role_words.end_at(doc, end)

    def role_holders(self, doc: Doc, ents: list[Span]) -> list[Span]:
        """A role and up to three capitalised words right after it: a person ("Bundeskanzler Scholz",
        "il ministro Urso", "ceo Satya Nadella"), which the NER takes for a place, often with the role
        inside ("Wirtschaftsminister Habeck"). Not where the words are a listed name or an
        organisation the NER found on its own ("presidente Ferrari"), nor part of a longer entity; in
        German, where every noun is capitalised ("Leiter Marketing"), only where the NER found a name
        there or a first name opens it."""
        found = []
        text = doc.text
        capitalised = [text[start].isupper() for start in doc.to_array(IDX).tolist()]
        for role in range(len(doc) - 1):
            if not capitalised[role + 1] or not self.is_role(doc, role):
                continue  # a name follows a role: look at the role only before a capital
            start = end = role + 1
            while end < len(doc) and end - start < 3 and self.surname_like(doc[end]) and not self.is_role(doc, end):
                end += 1
            overlapping = [ent for ent in ents if ent.start < end and role < ent.end]
            # German capitalises every noun ("Leiter Marketing"): there the NER or a first name must say "name"
            sensed = (self.names_by_capitals or doc[start].text in self.given or doc[role].lower_ in self.honorifics
                      or any(ent.start <= start < ent.end for ent in overlapping))
            if end == start or not sensed or doc[start:end].text in listed_names() or any(
                    ent.ent_id_ or ent.start < role or ent.end > end or (ent.label_ == "ORG" and ent.start > role)
                    for ent in overlapping):
                continue
            found.append(Span(doc, start, end, label="PER"))
        if not found:
            return ents
        return overriding(found, ents)

    def surname_like(self, token: Token) -> bool:
        text = token.text
        return (text[:1].isupper() and text.replace("-", "").isalpha() and not text.isupper() and not token.is_sent_start
                and not token.is_stop and text not in self.ordinary and token.lower_ not in self.lower_case)

    def trimmed(self, doc: Doc, ent: Span) -> Span:
        """A listed company with an ordinary word or a dictionary noun after it ("SAP Software") is the company."""
        if (ent.label_ == "ORG" and not ent.ent_id_ and len(ent) >= 2
                and (ent[-1].text in self.ordinary or ent[-1].text in self.common_nouns)
                and listed_names().get(ent[:-1].text) == "ORG"):
            return Span(doc, ent.start, ent.end - 1, label="ORG")
        return ent

    def with_nouns(self, doc: Doc, ents: list[Span]) -> list[Span]:
        """An adjective with ``lex:name-adjective-ending`` inside a sentence, and the capitalised noun
        after it, are one name ("im Rheinischen Revier": not a place "Rheinischen"; "die Sächsische
        Schweiz", not Switzerland)."""
        if not self.adjective_endings:
            return ents
        starting = {ent.start: ent for ent in ents}
        merged, swallowed = [], set()
        for ent in ents:
            if ent.start in swallowed:
                continue
            noun = doc[ent.end] if ent.end < len(doc) else None
            after = starting.get(ent.end)
            if (noun is not None and len(ent) == 1 and not ent.ent_id_ and not ent[0].is_sent_start
                    and ent.text.lower().endswith(self.adjective_endings) and noun.is_title and noun.is_alpha
                    and (after is None and not noun.ent_type_ or after is not None and len(after) == 1)):
                merged.append(Span(doc, ent.start, ent.end + 1, label=ent.label_))
                swallowed.add(ent.end)
            else:
                merged.append(ent)
        return merged

    def family(self, doc: Doc, ent: Span) -> bool:
        """A surname after "Familie", "famiglia": a family, which is no person of its own."""
        return ent.label_ == "PER" and len(ent) == 1 and ent.start > 0 and doc[ent.start - 1].lower_ in self.family_words

    @staticmethod
    def with_article(doc: Doc, ent: Span, covered: set[int]) -> Span:
        """An English "The" inside a sentence belongs to the organisation's name after it ("an The
        Platform Group verkauft"), unless it ends another name ("Barts and The | London Trust")."""
        the = doc[ent.start - 1] if ent.start > 0 else None
        if ent.label_ == "ORG" and the is not None and the.text == "The" and not the.is_sent_start and the.i not in covered:
            return Span(doc, ent.start - 1, ent.end, label="ORG", kb_id=ent.kb_id_, span_id=ent.ent_id_)
        return ent

    def legal_names(self, doc: Doc, ents: list[Span]) -> list[Span]:
        """Capitalised words before a legal form, with it: "die Voltara AG", "Ferretti Impianti S.p.A."."""
        catalogue = {i for ent in ents if ent.ent_id_ for i in range(ent.start, ent.end)}
        found = []
        for match in self.legal_forms.finditer(doc.text):
            if not any(c.isupper() for c in match.group()):
                continue
            form = doc.char_span(match.start(), match.end(), alignment_mode="expand")
            if form is None:
                continue
            start = form.start
            while (start > 0 and form.start - start < 4 and is_name_word(doc[start - 1], first=True)
                   and not doc[start - 1].is_stop and not (doc[start - 1].is_sent_start and doc[start - 1].is_stop)):
                start -= 1
            if start < form.start and not catalogue.intersection(range(start, form.end)):
                found.append(Span(doc, start, form.end, label="ORG"))
        if not found:
            return ents
        return overriding(filter_spans(found), ents)

    def ends_in_legal_form(self, ent: Span) -> bool:
        return bool(self.legal_forms.search(ent[-1].text)) or bool(self.legal_forms.search(ent[-2:].text))

    def people(self, doc: Doc, ents: list[Span], protected: set[int]) -> list[Span]:
        """First names, surname particles and a capitalised word of two letters or more after them
        ("Anna Maria Cancellieri", "Antonio De Poli"), where no catalogue entity or company with a
        legal form (`protected` tokens) stands; not inside a person the NER found, nor over another
        name's words: one that opens before it ("Ospedale San Giovanni Addolorata", "Repubblica
        Italiana Giorgio Napolitano") or ends after it, or an organisation it opens with ("il
        Consiglio Paolo Gentiloni"). A place or organisation inside it gives way ("Renate Schmidt"), and
        one of exactly its words too, unless the NER read the name lists ("Nino Rota")."""
        listed = listed_names()
        people = [(ent.start, ent.end) for ent in ents if ent.label_ == "PER"]
        others = [(ent.start, ent.end, ent.label_) for ent in ents if ent.label_ != "PER"]
        found = []
        i = 0
        while i < len(doc) - 1:
            end = self.person_end(doc, i) if doc[i].text in self.given else None
            if (end is None or protected.intersection(range(i, end)) or doc[i:end].text in listed
                    or any(start <= i and end <= stop for start, stop in people)
                    or any(self.keeps_its_words(start, stop, label, i, end) for start, stop, label in others if start < end and i < stop)):
                i += 1
                continue
            found.append(Span(doc, i, end, label="PER"))
            i = end
        if not found:
            return ents
        return overriding(found, ents)

    def names_alone(self, doc: Doc, ents: list[Span]) -> list[Span]:
        """A first name alone where no entity stands ("sagte Mathilde", "ha detto Laura") is a person,
        unless the corpora write it in lower case or mostly outside names, or a list names it; so is a
        surname of `surnames_alone` that stands alone ("sagte Kowalczyk", "Kowalczyk eröffnete …"), or
        in the genitive before a noun ("Kowalczyks Nachfolger")."""
        taken = {i for ent in ents for i in range(ent.start, ent.end)}
        listed = listed_names()
        # the words' hashes, not Token objects: making one per word cost more than the rule
        orths = doc.to_array(ORTH)
        surnames, genitives = (looked_up(table, orths).tolist() for table in (self.surname_hashes, self.surname_genitive_hashes))
        candidates = [i for i, orth in enumerate(orths.tolist()) if i not in taken and (
            orth in self.given_hashes and not self.in_a_word(doc, i)
            or surnames[i] and self.stands_alone(doc, i)
            or genitives[i] and self.stands_alone(doc, i, genitive=True)
            and doc[i].text[:-1].lower() not in self.lower_case)]
        found = [Span(doc, i, i + 1, label="PER") for i in candidates
                 if doc[i].text not in self.ordinary and doc[i].lower_ not in self.lower_case and doc[i].text not in listed]
        return sorted([*ents, *found], key=lambda span: span.start) if found else ents

    def places_after_prepositions(self, doc: Doc, ents: list[Span]) -> list[Span]:
        """In German, where a capitalised word inside a sentence is a noun or a name, one after a
        preposition of place (``lex:place-preposition``: "in Langkampfen", "nach Kirriemuir") that is
        no noun's form, no compound ending in one ("in Konsolidierungskursen"), no word with a noun's
        suffix (``lex:noun-suffix``: "aus Unvorsichtigkeit"), no word the corpora write in lower case
        or mostly outside names and no first name is a place nobody listed."""
        if not self.common_nouns:
            return ents
        taken = {i for ent in ents for i in range(ent.start, ent.end)}
        found = [Span(doc, i + 1, i + 2, label="LOC") for i in self.positions_of(doc, self.place_preposition_hashes)
                 if i + 1 not in taken and self.unknown_name(doc[i + 1])]
        return sorted([*ents, *found], key=lambda span: span.start) if found else ents

    def unknown_name(self, token: Token) -> bool:
        """A capitalised word of no list, dictionary or corpus word, standing alone ("Langkampfen")."""
        word = token.text
        return (len(word) >= 3 and word.isalpha() and word[:1].isupper() and not is_noun(word, self.common_nouns, self.noun_suffixes)
                and word.lower() not in self.lower_case and word not in self.ordinary and word not in self.given
                and not self.name_goes_on(token))

    @staticmethod
    def name_goes_on(token: Token) -> bool:
        """Does a capitalised word, a hyphen or a number follow `token` ("in Bad Tölz", "nach
        Baden-Baden", "in Halle 8")? A full stop does not: a place ends many a sentence."""
        following = token.doc[token.i + 1] if token.i + 1 < len(token.doc) else None
        return following is not None and (following.is_title and following.is_alpha or following.text.startswith("-")
                                          or following.like_num)

    def stands_alone(self, doc: Doc, i: int, genitive: bool = False) -> bool:
        """Is the word at `i` apart from other names? After no capitalised word but a function word
        opening the sentence ("Auch Kowalczyk"), no article, preposition of place
        (``lex:place-preposition``: "in Zirl"), quotation mark or joining sign ("Standard & Poor",
        "Messe/Deutz"), or opening a sentence after no initial ("J. Eugster"); before no joining sign,
        and before no capitalised word where it opens a sentence or, for a `genitive`, none but a
        noun ("Kowalczyks Nachfolger")."""
        if i + 1 >= len(doc):
            return False
        after = doc[i + 1]
        joined = after.text in JOINING_SIGNS or after.text[:1] in ("’", "'", "-", "¬")  # "Kowalczyk-Gruppe", OCR's "¬"
        name_follows = after.is_title and after.is_alpha and not (genitive and is_noun(after.text, self.common_nouns, self.noun_suffixes))
        if i == 0 or doc[i].is_sent_start:  # "Kowalczyk eröffnete die Sitzung", not "Dr. Malan", "J. Eugster"
            after_initial = i > 1 and doc[i - 1].text == "." and len(doc[i - 2].text) <= 3 and doc[i - 2].text[:1].isupper()
            return not (after_initial or joined or name_follows)
        before = doc[i - 1]
        opening_word = before.is_sent_start and before.is_stop  # "Auch Kowalczyk lobte …"
        return not (before.text[:1].isupper() and not opening_word or before.lower_ in self.not_before_surname
                    or before.text in QUOTE_OR_COLON or before.text in JOINING_SIGNS or joined or genitive and name_follows)

    @staticmethod
    def in_a_word(doc: Doc, i: int) -> bool:
        """Is token `i` part of something longer: a name of more capitalised words ("Percy Heath"), an
        abbreviation ("31. Jan.") or a word a hyphen joins ("Ho-Wen-Bao")?"""
        following = doc[i + 1] if i + 1 < len(doc) else None
        before = doc[i - 1] if i > 0 else None
        return (following is not None and (following.text in (".", "-", "¬") or following.text.startswith("-")
                                           or following.is_title and following.is_alpha)
                or before is not None and (before.text in ("-", "¬") or before.is_title and before.is_alpha and not before.is_sent_start))

    def keeps_its_words(self, start: int, stop: int, label: str, person_start: int, person_end: int) -> bool:
        """Does a place or organisation at [start, stop) keep the words a person found by first names
        at [person_start, person_end) overlaps? Yes where it opens before the person or ends after
        it, where it is an organisation the person opens with, and, where the NER read the name
        lists, where it has exactly the person's words."""
        return (start < person_start or stop > person_end or label == "ORG" and start == person_start and stop < person_end
                or self.ner_read_names and (start, stop) == (person_start, person_end))

    def person_end(self, doc: Doc, start: int) -> int | None:
        """Where the name that opens with the first name at `start` ends: more first names, at most
        two particles, then a capitalised word that is no first name."""
        end = start + 1
        while end < len(doc) and end - start < 3 and doc[end].text in self.given:
            end += 1
        particles = end
        while particles < len(doc) and particles - end < 2 and doc[particles].lower_ in self.particles:
            particles += 1
        if particles < len(doc) and particles > end and doc[particles].is_title:
            end = particles
        surname = doc[end] if end < len(doc) else None
        if surname is None or not (surname.is_title and surname.is_alpha) or len(surname) < 2 or surname.text in self.given:
            return None
        return end + 1

    def retyped(self, doc: Doc, ent: Span) -> Span:
        if ent.label_ != "PER" or ent.ent_id_:
            return ent
        if ent[0].text in self.given:
            # after a first name only a word of organisations' names tells ("Orsola Capital"), not capitals
            is_organisation = any(self.organisation_word(token) for token in ent[1:])
        else:
            is_organisation = any(self.organisation_like(token) for token in ent)
        return Span(doc, ent.start, ent.end, label="ORG", kb_id=ent.kb_id_) if is_organisation else ent

    def organisation_word(self, token: Token) -> bool:
        return token.text.lower() in self.organisation_words

    def organisation_like(self, token: Token) -> bool:
        text = token.text
        return (self.organisation_word(token) or (text.isupper() and len(text) >= 3 and text.isalpha())
                or (text.isalpha() and any(c.isupper() for c in text[2:]) and not text.isupper()
                    and self.glued_particle.match(text) is None))

    def subsidiaries(self, doc: Doc, ents: list[Span]) -> list[Span]:
        merged: list[Span] = []
        for ent in ents:
            before = merged[-1] if merged else None
            if before is not None and before.label_ == "ORG" and ent.start == before.end and ent.text in self.countries:
                merged[-1] = Span(doc, before.start, ent.end, label="ORG")
                continue
            merged.append(ent)
        return merged


@Language.factory("invest_institution_names")
def make_institution_names(nlp: Language, name: str, max_words: int = 10) -> InstitutionNames:
    return InstitutionNames(str(nlp.lang), load_lexicon(), max_words)


class InstitutionNames:
    """An institution's name runs on through "of" and "and" while capitalised words follow: "Autorità
    Garante della Concorrenza e del Mercato", "Cassa Depositi e Prestiti", "Bundesanstalt für
    Finanzdienstleistungsaufsicht". The statistical NER cuts such names at "della" or misses them;
    here each is one organisation, in place of the entities it covers.

    A name begins with a capitalised ``lex:institution-word`` (in German also a compound ending in
    one; not after an indefinite article: "ein Institut für …" names none) and goes on through
    ``lex:institution-joiner`` words, at most two in a row, to capitalised words. It does not go on
    to a listed place or a person ("il Tribunale di Verona", "la Camera di Rocco Buttiglione": two
    names, as the annotated corpora have them), nor after "and" to another organisation ("Banca d'Italia e
    Consob"), nor after "and" to a part followed by a lower-case word and a capital ("… e del Made
    in Italy"): the name goes on in a way these rules do not read. An entity the name cuts into
    becomes part of it ("il Ministero degli Esteri iraniano"). Catalogue entities are never touched.
    """

    def __init__(self, lang: str, lexicon: Lexicon, max_words: int):
        self.head = noun_pattern(lexicon.stems("institution-word", lang), lang, shortest_head=6)
        self.joiners = lexicon.words("institution-joiner", lang)
        self.ands = lexicon.words("coordination", lang) & self.joiners
        self.indefinite = lexicon.words("indefinite-article", lang)
        self.given = given_names()
        self.max_words = max_words

    def __call__(self, doc: Doc) -> Doc:
        ents = list(doc.ents)
        catalogue = {i for ent in ents if ent.ent_id_ for i in range(ent.start, ent.end)}
        found = []
        i = 0
        while i < len(doc):
            end = self.name_end(doc, i) if self.begins_name(doc[i]) else None
            if end is None or catalogue.intersection(range(i, end)):
                i += 1
                continue
            start = min([ent.start for ent in ents if ent.start < i < ent.end] + [i])
            end = max([ent.end for ent in ents if ent.start < end < ent.end] + [end])
            found.append(Span(doc, start, end, label="ORG"))
            i = end
        if found:
            doc.ents = overriding(found, ents)
        return doc

    def begins_name(self, token: Token) -> bool:
        return (token.text[:1].isupper() and token.is_alpha and self.head.search(token.lower_) is not None
                and not (token.i > 0 and token.doc[token.i - 1].lower_ in self.indefinite))

    def name_end(self, doc: Doc, start: int) -> int | None:
        """Where the name that begins at `start` ends, if it runs on through a joiner; else None."""
        end = self.capitalised_run(doc, start + 1)
        joined = False
        while end - start < self.max_words:
            after = end
            while after < len(doc) and after - end < 2 and doc[after].lower_ in self.joiners:
                after += 1
            if (after == end or after == len(doc) or not is_capitalised(doc[after]) or doc[after].is_stop
                    or self.begins_other_name(doc[after])):
                break
            part_end = self.capitalised_run(doc, after + 1)
            if doc[end].lower_ in self.ands and (self.another_organisation(doc[after:part_end]) or goes_on(doc, part_end)):
                break
            end, joined = part_end, True
        return end if joined else None

    def capitalised_run(self, doc: Doc, start: int) -> int:
        """The end of the run of capitalised words from `start`, before a person or place begins."""
        end = start
        while end < len(doc) and is_capitalised(doc[end]) and not self.begins_other_name(doc[end]):
            end += 1
        return end

    def begins_other_name(self, token: Token) -> bool:
        """A listed place, a first name or a person of two words or more begins here (the NER's
        one-word people and places inside such names are common nouns: "e Prestiti", "del Mercato")."""
        following = token.doc[token.i + 1] if token.i + 1 < len(token.doc) else None
        return (token.text in self.given or listed_names().get(token.text) == "LOC"
                or token.ent_iob_ == "B" and token.ent_type_ == "PER" and following is not None and following.ent_iob_ == "I")

    @staticmethod
    def another_organisation(words: Span) -> bool:
        first = words[0]
        return (any(token.ent_id_ for token in words) or words.text in listed_names()
                or first.ent_type_ == "ORG" and first.ent_iob_ == "B")


def is_capitalised(token: Token) -> bool:
    return token.text[:1].isupper() and not token.is_sent_start and token.text.replace("-", "").isalpha()


def goes_on(doc: Doc, end: int) -> bool:
    """Does a lower-case word and a capitalised one follow `end` ("Made in Italy")?"""
    return end + 1 < len(doc) and doc[end].is_lower and is_capitalised(doc[end + 1])


@Language.factory("invest_name_cues")
def make_name_cue_tagger(nlp: Language, name: str, max_adjectives: int = 2, max_complement: int = 5,
                         max_words: int = 4) -> NameCueTagger:
    return NameCueTagger(str(nlp.lang), load_lexicon(), max_adjectives, max_complement, max_words)


class NameCueTagger:
    """Tag as ORG the capitalised words a noun introduces ("la startup Satispay", "des
    Batterieherstellers Northvolt", "der Onlinebroker Trade Republic"), where no entity stands:
    names of companies no list holds, which a statistical NER trained on 30,000 sentences misses.

    The nouns are ``lex:organisation-introducer`` stems; in German a stem may also end a compound
    ("IT-Firma", "Frühphasen-Investor"), with its genitive or plural ending.
    """

    def __init__(self, lang: str, lexicon: Lexicon, max_adjectives: int, max_complement: int, max_words: int):
        self.introducer = introducer_pattern(lexicon, lang)
        self.max_adjectives = max_adjectives if lang != "de" else 0  # German adjectives stand before the noun
        # Romance nouns take a complement before the name: "l'azienda statunitense di software per lo streaming X"
        self.max_complement = max_complement if lang != "de" else 0
        self.max_words = max_words
        self.copulas = lexicon.words("copula", lang)
        self.seat_phrases = {tuple(phrase.split()) for phrase in lexicon.words("seat-phrase", lang)}
        self.longest_seat = max(map(len, self.seat_phrases), default=0)
        self.seat_openers = {phrase[0] for phrase in self.seat_phrases}
        self.indefinite = lexicon.words("indefinite-article", lang)
        self.joiners = lexicon.words("coordination", lang)
        self.people_nouns = tuple(sorted(lexicon.words("introducer-of-people", lang)))
        self.ordinary_words = ordinary_words(lang)
        self.lower_case = lower_case_words(lang)
        self.common_nouns = common_nouns(lang)
        self.noun_suffixes = tuple(lexicon.words("noun-suffix", lang))
        self.given = given_names()
        # where common nouns are written in lower case, a capitalised "Banca" inside a sentence is a name's own word
        self.names_by_capitals = bool(lexicon.words("names-by-capitals", lang))
        self.roles = Roles(lexicon, lang).stems
        self.role_ending = role_ending_pattern(self.roles, shortest_stem=1, head_letters=0)
        self.generic = lexicon.words("generic-word", lang)
        self.agents = lexicon.words("agent", lang)
        lead = lexicon.stems("lead-investor", lang)
        self.lead = stem_pattern(lead) if lead else None
        # introducing nouns that open listed companies' names ("Bank of …", "Banca Generali"): part of a name
        self.name_openers = {first.lower() for name, label in listed_names().items() if label == "ORG"
                             for first in name.split(" ", 1)[:1] if " " in name and self.introducer.search(first.lower())}

    def employer_of(self, token: Token) -> str | None:
        """"Spotify-Gründer", "Apple-Manager", "Microsoft-Deutschlandchefin": the organisation a
        role compound names (its first part), or None."""
        head, _, rest = token.text.partition("-")
        rest = rest.lower()
        if not rest or not head[:1].isupper() or head.lower() in self.generic or head in self.ordinary_words or "-" in rest:
            return None  # "KI-Chefin", "Rathaus-Chef": a common word names no employer
        return head if rest.startswith(self.roles) or self.role_ending.search(rest) else None

    def __call__(self, doc: Doc) -> Doc:
        # The introducing noun outweighs the NER's label and extent for the same words ("IT-Firma Celonis"
        # is no place; "Origin.Bio" is more than "Origin"), but not a person ("Investor Klaus Hommels").
        relabel = {ent.start: ent for ent in doc.ents if not ent.ent_id_}
        taken = {i for ent in doc.ents if ent.start not in relabel for i in range(ent.start, ent.end)}
        found = []
        introduced = set()  # introducing nouns a name follows: an NER span opening with one gives way to the name
        text = doc.text
        for token in doc:
            employer = self.employer_of(token)
            if employer and token.i not in taken and not any(e.start <= token.i < e.end and len(e) > 1 for e in doc.ents):
                found.append(Span(doc, token.i, token.i + 1, label="ORG", kb_id=employer))
                taken.add(token.i)
                continue
            seated = self.name_before_seat(doc, token)
            if seated is not None and not taken.intersection(range(*seated)):
                found.append(Span(doc, *seated, label="ORG"))
                taken.update(range(*seated))
                continue
            if self.names_by_capitals and token.text[:1].isupper() and not token.is_sent_start:
                continue  # "Banca Ferroni": the name, not a noun introducing one
            word = hyphenated_word(doc, token.i, text).lower()  # "start-up" is three tokens in French
            if not self.introducer.search(word.rsplit("-", 1)[-1]) and not self.introducer.search(word) \
                    and not self.names_lead_investor(doc, token):
                continue
            named_before = self.name_before_copula(doc, token)
            if named_before is not None and not taken.intersection(range(*named_before)):
                found.append(Span(doc, *named_before, label="ORG"))
                taken.update(range(*named_before))
            start = token.i + 1
            skipped = 0
            while (start < len(doc) and skipped < self.max_adjectives and doc[start].is_lower and doc[start].is_alpha
                   and not doc[start].is_stop):
                start, skipped = start + 1, skipped + 1
            after_complement = False
            if not (start < len(doc) and is_name_word(doc[start], first=True)):
                start, after_complement = self.end_of_complement(doc, start), True
            end = start
            while end < len(doc) and end - start < self.max_words and is_name_word(doc[end], first=end == start):
                end += 1
            if end == start and self.names_itself(token) and token.i not in taken:
                # no name follows: the compound is one ("die Schwarz-Gruppe, Muttergesellschaft von …"),
                # where "die Biotech-Firma Origin.Bio" introduces the next
                found.append(Span(doc, token.i, token.i + 1, label="ORG"))
                taken.add(token.i)
                continue
            people_too = token.lower_.endswith(self.people_nouns) if self.people_nouns else False
            for start, end in self.listed_names(doc, start, end):
                if doc[start].text in self.ordinary_words and start not in relabel:
                    continue  # "das Unternehmen Anfang Mai": an ordinary word, no name
                if start in relabel and relabel[start].label_ == "PER" and (people_too or doc[start].text in self.given):
                    continue  # "Investor Klaus Hommels" stays a person, and so does "X und Anna Berger"
                if start in relabel and relabel[start].label_ == "LOC" and after_complement:
                    continue  # "la società di software di Milano": the complement's place
                if start in relabel:
                    end = max(end, relabel[start].end)
                named = doc[start].text[:1].isupper() or (doc[start].is_digit and end > start + 1)
                if named and not taken.intersection(range(start, end)):
                    found.append(Span(doc, start, end, label="ORG"))
                    taken.update(range(start, end))
                    if token.lower_ not in self.name_openers:
                        introduced.add(token.i)
        if found:
            starts = {span.start for span in found} | introduced
            # one sense per discourse: a name a noun introduces as a company is one wherever it stands
            cued = {span.text for span in found}
            kept = [Span(doc, ent.start, ent.end, label="ORG", kb_id=ent.kb_id_)
                    if ent.text in cued and not ent.ent_id_ and ent.label_ != "ORG" else ent
                    for ent in doc.ents if not (ent.start in starts and ent.start in relabel)]
            doc.ents = filter_spans(found + kept)
        return doc

    def end_of_complement(self, doc: Doc, start: int) -> int:
        """Where a name stands after the complement of an introducing noun ("di tecnologia per lo
        streaming Brightcove"): lower-case words, the last of them no function word ("di Milano" is
        the complement itself). `start` when no name follows."""
        end = start
        while end < len(doc) and end - start < self.max_complement and doc[end].is_lower and doc[end].is_alpha:
            end += 1
        if end == start or end >= len(doc) or doc[end - 1].is_stop or not is_name_word(doc[end], first=True):
            return start
        return end

    def name_before_copula(self, doc: Doc, token: Token) -> tuple[int, int] | None:
        """"X è una startup", "X ist ein Softwareunternehmen", and in apposition "X, ein Softwarehersteller
        aus Köln": the name X as (start, end), or None. After a comma a person stays one ("sagte Meyer,
        eine Firma …")."""
        if not self.copulas:
            return None
        i = token.i - 1
        while i > 0 and token.i - i <= self.max_adjectives and doc[i].is_lower and doc[i].is_alpha \
                and doc[i].lower_ not in self.indefinite:
            i -= 1
        apposition = i >= 2 and doc[i - 1].text == ","
        if i < 2 or doc[i].lower_ not in self.indefinite or not (apposition or doc[i - 1].lower_ in self.copulas):
            return None
        return self.name_ending_at(doc, i - 1, apposition)

    def name_before_seat(self, doc: Doc, token: Token) -> tuple[int, int] | None:
        """"X mit Sitz in Köln", "X, con sede a Bergamo" (``lex:seat-phrase``): the name X as (start,
        end), or None."""
        if token.lower_ not in self.seat_openers or token.i < 1:
            return None
        words = tuple(word.lower_ for word in doc[token.i:token.i + self.longest_seat])
        if not any(words[:len(phrase)] == phrase for phrase in self.seat_phrases):
            return None
        apposition = doc[token.i - 1].text == ","
        return self.name_ending_at(doc, token.i - 1 if apposition else token.i, apposition)

    def name_ending_at(self, doc: Doc, end: int, apposition: bool) -> tuple[int, int] | None:
        """The capitalised words (or the entity) that end at `end`, as (start, end): not a catalogue
        entity, nor a person before a comma, nor a German noun or a sentence's function word."""
        tagged = next((ent for ent in doc.ents if ent.end == end), None)
        if tagged is not None:
            return None if tagged.ent_id_ or apposition and tagged.label_ == "PER" else (tagged.start, end)
        start = end
        while start > 0 and end - start < self.max_words and (
                is_name_word(doc[start - 1], first=True) or doc[start - 1].text == "&" and start > 1 and start < end):
            start -= 1  # "P & O Nedlloyd": "&" inside a name
        # "Auch Quarvix ist …", "die Reederei Royal P & O mit Sitz in …": a function word or a German
        # noun opens no name ("Die Firma ist ein …", "Kommunikationstechnik mit Sitz in …": none)
        while start < end and (self.is_word(doc[start]) and doc[start].is_sent_start or doc[start].text == "&"
                               or is_noun(doc[start].text, self.common_nouns, self.noun_suffixes)):
            start += 1
        return (start, end) if start < end and doc[start].text[:1].isupper() and not self.is_word(doc[start]) else None


    def is_word(self, token: Token) -> bool:
        """A function word or a word the corpora write in lower case or mostly outside names ("Auch", "Das")."""
        return token.is_stop or token.lower_ in self.lower_case or token.text in self.ordinary_words

    def names_lead_investor(self, doc: Doc, token: Token) -> bool:
        """"guidato da X", "angeführt wurde die Runde von X", "led by X": X is who invests."""
        return (token.lower_ in self.agents and self.lead is not None
                and self.lead.search(doc[max(0, token.i - LEAD_WINDOW):token.i].text) is not None)

    def names_itself(self, token: Token) -> bool:
        """A hyphen compound of a name and an introducing noun: "Schwarz-Gruppe" (not "KI-Startup")."""
        head, _, rest = token.text.partition("-")
        return bool(rest) and head[:1].isupper() and not head.isupper() and self.introducer.search(rest.lower()) is not None

    def listed_names(self, doc: Doc, start: int, end: int) -> Iterator[tuple[int, int]]:
        """The name at start:end and the names listed after it ("LEA Partners, 468 Capital und
        Cavalry Ventures"), each as (start, end)."""
        while end > start:
            while end > start and not doc[end - 1].text[:1].isalnum():
                end -= 1
            if end == start:
                return
            yield start, end
            if end + 1 >= len(doc) or doc[end].lower_ not in self.joiners:
                return
            start = end = end + 1
            while end < len(doc) and end - start < self.max_words and is_name_word(doc[end], first=end == start):
                end += 1


def hyphenated_word(doc: Doc, end: int, text: str) -> str:
    """The word ending at token `end` with the parts a hyphen joins to it: "start-up" whether the
    tokenizer keeps it whole (it, de) or cuts it into "start", "-", "up" (fr). `text` is ``doc.text``,
    which spaCy builds anew at each call."""
    token = doc[end]
    if token.idx == 0 or text[token.idx - 1] != "-":
        return token.text  # no hyphen glued before it (read from the text: cheaper than the tokens)
    start = end
    while start >= 2 and doc[start - 1].text == "-" and not doc[start - 2].whitespace_ and not doc[start - 1].whitespace_:
        start -= 2
    return doc[start:end + 1].text


def introducer_pattern(lexicon: Lexicon, lang: str) -> re.Pattern:
    """A lower-case word that is an organisation-introducing noun (with a plural or genitive ending),
    or in German a compound ending in one ("biotech-firma", "batterieherstellers")."""
    return noun_pattern(lexicon.stems("organisation-introducer", lang), lang, shortest_head=4)


def noun_pattern(stems: tuple[str, ...], lang: str, shortest_head: int) -> re.Pattern:
    """A lower-case word that is one of the noun `stems` with a plural or genitive ending, or in German
    a compound ending in a stem of `shortest_head` letters or more.

    >>> bool(noun_pattern(("anstalt",), "de", 6).search("bundesanstalt"))
    True
    """
    heads = "|".join(re.escape(stem) for stem in stems if len(stem) >= shortest_head)
    return re.compile(rf"^(?:{'|'.join(re.escape(stem) for stem in stems)})(?:s|es|n|en|e|i)?$"
                      + (rf"|\w(?:{heads})(?:s|es|n|en)?$" if lang == "de" and heads else ""))


def role_ending_pattern(stems: tuple[str, ...], shortest_stem: int, head_letters: int) -> re.Pattern:
    """A lower-case word ending in a role stem of `shortest_stem` letters or more, with a feminine,
    plural or genitive ending, after at least `head_letters` letters ("wirtschaftsministerin").

    >>> bool(role_ending_pattern(("minister",), 5, 3).search("wirtschaftsministerin"))
    True
    """
    alternatives = "|".join(re.escape(stem) for stem in stems if len(stem) >= shortest_stem)
    if not alternatives:
        return re.compile(r"(?!)")  # no role words in this language: matches nothing
    return re.compile(rf"\w{{{head_letters}}}(?:{alternatives})(?:in|innen|s|en)?$")


def is_name_word(token: Token, first: bool) -> bool:
    """A word that may belong to a name: capitalised, an acronym, a number, or '&' inside it."""
    if token.is_space or token.is_sent_start and not first:
        return False
    text = token.text
    glued = text == "." and not token.whitespace_ and token.i > 0 and not token.doc[token.i - 1].whitespace_
    return text[:1].isupper() or (text[:1].isdigit() and first) or (text in ("&", "-") and not first) or (glued and not first)


@Language.factory("invest_money")
def make_money_finder(nlp: Language, name: str) -> MoneyFinder:
    return MoneyFinder(nlp, load_lexicon())


class MoneyFinder:
    """Find amounts of money: a number (digits or words), an optional scale, a currency term."""

    def __init__(self, nlp: Language, lexicon: Lexicon):
        self.lexicon = lexicon
        self.lang = str(nlp.lang)
        self.currency_matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        codes: dict[str, list[str]] = {}
        for term, code in lexicon.currency_terms.items():
            codes.setdefault(code, []).append(term)
        for code, terms in sorted(codes.items()):
            self.currency_matcher.add(code, [nlp.make_doc(term) for term in sorted(terms)])

    def __call__(self, doc: Doc) -> Doc:
        found = []
        taken: set[int] = set()
        matches = self.currency_matcher(doc)
        # Longest currency term first, so "dollari statunitensi" wins over "dollari".
        for match_id, start, end in sorted(matches, key=lambda m: (m[1], m[1] - m[2])):
            if start in taken:
                continue
            code = doc.vocab.strings[match_id]
            span = self.amount_before(doc, start, end, code) or self.amount_after(doc, start, end, code)
            if span is not None and not taken.intersection(range(span.start, span.end)):
                taken.update(range(span.start, span.end))
                found.append(span)
        found.extend(self.alternatives(doc, found, taken))
        found.extend(self.amounts_without_currency(doc, taken))
        doc.spans[MONEY_KEY] = sorted(found, key=lambda s: s.start)
        return doc

    def alternatives(self, doc: Doc, amounts: list[Span], taken: set[int]) -> list[Span]:
        """'9,9 statt 6,8 Milliarden Euro': the first number, with the scale and currency of the amount after it."""
        words = self.lexicon.words("amount-alternative", self.lang)
        found = []
        for amount in amounts:
            number_at, between = amount.start - 2, amount.start - 1
            if number_at < 0 or doc[between].lower_ not in words or number_at in taken or is_year(doc[number_at].text):
                continue
            first, second = self.token_value(doc[number_at]), self.token_value(doc[amount.start])
            value, currency = amount._.money
            if first is None or not second:
                continue
            span = self.money_span(doc, number_at, number_at + 1, first * (value / second), currency)
            if span is not None:
                taken.add(number_at)
                found.append(span)
        return found

    def amounts_without_currency(self, doc: Doc, taken: set[int]) -> list[Span]:
        """'investimenti per 80 miliardi nel…', '(68 milioni)': a number with a scale of a million or
        more and no currency, read as money of no stated currency (``span._.money[1]`` is None).
        Not when a noun follows ('1,3 milioni di utenti', '3 Millionen Menschen')."""
        linkers = self.lexicon.words("amount-linker", self.lang)
        found = []
        for token in doc:
            multiplier = self.lexicon.scales.get(token.lower_)
            if multiplier is None or multiplier < MILLION or token.i in taken:
                continue
            after = doc[token.i + 1] if token.i + 1 < len(doc) else None
            if after is not None and not (after.is_punct or after.is_space or (after.is_stop and after.lower_ not in linkers)):
                continue
            value = self.number_ending_at(doc, token.i)
            if value is None or value[1] in taken:
                continue
            span = self.money_span(doc, value[1], token.i + 1, value[0], None)
            if span is not None:
                taken.update(range(span.start, span.end))
                found.append(span)
        return found

    def amount_before(self, doc: Doc, start: int, end: int, code: str) -> Span | None:
        """'4 miliardi di dollari', 'zehn Milliarden Euro', '15 Mio. €'."""
        i = start - 1
        if i >= 0 and doc[i].lower_ in self.lexicon.words("amount-linker", self.lang):
            i -= 1
        value = self.number_ending_at(doc, i)
        if value is None:
            return None
        number, first = value
        if first > 0 and not doc[first - 1].whitespace_ and doc[first - 1].text in ARITHMETIC:
            return None  # "10^400 euro" is no 400 euros
        return self.money_span(doc, first, end, number, code)

    def amount_after(self, doc: Doc, start: int, end: int, code: str) -> Span | None:
        """'$2.1 billion', '€ 15 milioni'."""
        if end >= len(doc):
            return None
        last = end
        number = self.token_value(doc[last])
        if number is None:
            return None
        if last + 1 < len(doc) and doc[last + 1].lower_ in self.lexicon.scales:
            number *= self.lexicon.scales[doc[last + 1].lower_]
            last += 1
        return self.money_span(doc, start, last + 1, number, code)

    def number_ending_at(self, doc: Doc, i: int) -> tuple[Decimal, int] | None:
        """(value, first token index) of the number (with optional scale) ending at token i."""
        if i < 0:
            return None
        multiplier = Decimal(1)
        if doc[i].lower_ in self.lexicon.scales:
            multiplier = self.lexicon.scales[doc[i].lower_]
            i -= 1
            if i < 0:
                return None
        value = self.token_value(doc[i])
        if value is None:
            return None
        return value * multiplier, i

    def token_value(self, token: Token) -> Decimal | None:
        return read_number(token.text, self.lang, self.lexicon.scales)

    @staticmethod
    def money_span(doc: Doc, start: int, end: int, value: Decimal, code: str | None) -> Span | None:
        if value <= 0:
            return None
        span = Span(doc, start, end, label="MONEY")
        span._.money = (value.normalize(), code)
        return span
