"""Mentions → canonical entities: one IRI per real-world thing across documents and languages.

A mention is linked, in this order, to
1. the catalogue entity the catalogue tagger tagged it with;
2. a catalogue entity whose name matches after normalisation (case, accents, punctuation,
   word order), or, for countries, whose name in another language Babel knows;
3. an earlier, longer person name in the same document whose last word it is ("Smith");
4. a catalogue entity whose normalised name is within FUZZY_THRESHOLD (rapidfuzz ratio);
5. otherwise a new entity whose IRI is derived from the normalised name and its kind.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache

from babel import Locale
from rapidfuzz import fuzz, process
from rdflib import URIRef

from kg.catalogue import CatalogueEntry, load_catalogue
from kg.lexicon import BABEL_LOCALES
from kg.mentions import Mention
from kg.resources import INV, KGR

# Chosen on the seed articles: 92 joins "Mulhouse Alsace Agglomeration"/"Agglomération Mulhouse-Alsace"
# and spelling slips, while "Microsoft" vs "Microsoft France" (ratio 72) stay apart.
FUZZY_THRESHOLD = 92
FUZZY_MIN_LENGTH = 6

KIND_OF_LABEL = {"ORG": ("org", INV.Organization), "LOC": ("place", INV.Place), "PER": ("person", INV.Person)}


@dataclass
class Entity:
    iri: URIRef
    types: frozenset[URIRef]
    catalogue: CatalogueEntry | None = None
    names: dict[tuple[str, str], int] = field(default_factory=dict)  # (name, lang) → mentions
    documents: set[str] = field(default_factory=set)


@dataclass(frozen=True)
class LinkedMention:
    mention: Mention
    iri: URIRef
    reason: str  # why the mention was linked to this IRI


def fold(name: str) -> str:
    """Lower case without accents: "Agglomération" → "agglomeration"."""
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def normalise(name: str) -> str:
    """Case-, accent-, punctuation- and word-order-insensitive key of a name."""
    return " ".join(sorted(re.findall(r"\w+", fold(name))))


def slug(name: str) -> str:
    return "-".join(re.findall(r"[a-z0-9]+", fold(name))) or "x"


@cache
def country_codes() -> dict[str, str]:
    """Normalised country name in it/de/en/fr → ISO 3166 alpha-2 code, from Babel's CLDR data."""
    codes = {}
    for locale in BABEL_LOCALES:
        for code, name in Locale.parse(locale).territories.items():
            if code.isalpha() and len(code) == 2:
                codes.setdefault(normalise(name), code)
    return codes


class Linker:
    """Links the mentions of many documents to one set of entities."""

    def __init__(self, catalogue: dict[URIRef, CatalogueEntry] | None = None):
        self.catalogue = catalogue if catalogue is not None else load_catalogue()
        self.by_key: dict[str, URIRef] = {}
        self.country_iri: dict[str, URIRef] = {}
        for entry in self.catalogue.values():
            for name, _lang in entry.names:
                self.by_key.setdefault(normalise(name), entry.iri)
                if INV.Country in entry.types and normalise(name) in country_codes():
                    self.country_iri[country_codes()[normalise(name)]] = entry.iri
        self.fuzzy_keys = sorted(k for k in self.by_key if len(k) >= FUZZY_MIN_LENGTH)
        self.entities: dict[URIRef, Entity] = {}

    def link_document(self, mentions: list[Mention], lang: str, doc_id: str) -> list[LinkedMention]:
        """Link one document's mentions, recording names and the document on each entity."""
        linked = []
        people_in_doc: dict[str, URIRef] = {}
        for mention in mentions:
            result = self.resolve(mention, people_in_doc)
            if result is None:
                continue
            iri, reason, types = result
            entity = self.entity(iri, types)
            key = (mention.text, lang)
            entity.names[key] = entity.names.get(key, 0) + 1
            entity.documents.add(doc_id)
            if mention.label == "PER" and " " in mention.text:
                people_in_doc[mention.text.split()[-1].casefold()] = iri
            linked.append(LinkedMention(mention, iri, reason))
        return linked

    def resolve(self, mention: Mention, people_in_doc: dict[str, URIRef]):
        """(IRI, reason, types for a new entity) for a mention, or None if it is not linkable."""
        if mention.catalogue_id:
            return URIRef(mention.catalogue_id), "catalogue name", None
        key = normalise(mention.text)
        if key in self.by_key:
            return self.by_key[key], "catalogue name (normalised)", None
        if mention.label == "LOC" and key in country_codes():
            code = country_codes()[key]
            if code in self.country_iri:
                return self.country_iri[code], f"country name (ISO {code})", None
            return KGR[f"country/{code.lower()}"], f"country name (ISO {code})", frozenset({INV.Country})
        if mention.label == "PER" and " " not in mention.text and mention.text.casefold() in people_in_doc:
            return people_in_doc[mention.text.casefold()], "short form of a name earlier in the document", None
        if mention.label in ("ORG", "LOC") and len(key) >= FUZZY_MIN_LENGTH:
            match = process.extractOne(key, self.fuzzy_keys, scorer=fuzz.ratio, score_cutoff=FUZZY_THRESHOLD)
            if match:
                return self.by_key[match[0]], f"fuzzy catalogue match ({match[1]:.0f})", None
        if mention.label not in KIND_OF_LABEL:
            return None
        kind, cls = KIND_OF_LABEL[mention.label]
        return KGR[f"{kind}/{slug(key)}"], "new entity", frozenset({cls})

    def entity(self, iri: URIRef, types: frozenset[URIRef] | None) -> Entity:
        if iri not in self.entities:
            entry = self.catalogue.get(iri)
            self.entities[iri] = Entity(iri, entry.types if entry else types or frozenset(), entry)
        return self.entities[iri]
