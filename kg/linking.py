"""Mentions → canonical entities: one IRI per real-world thing across documents and languages.

A mention is linked, in this order, to
1. the catalogue entity the catalogue tagger tagged it with;
2. a catalogue entity whose name matches after normalisation (case, accents, punctuation,
   word order, the case ending of a German adjective opening it: "Deutschen Bank"), or, for
   countries, whose name in another language Babel knows;
3. an earlier, longer person name in the same document whose last word it is ("Smith"),
   unless two people of the document share that surname;
4. a catalogue entity whose normalised name is within FUZZY_THRESHOLD (rapidfuzz ratio);
5. otherwise a new entity whose IRI is derived from the normalised name and its kind. Its type
   is refined by the lexicon's type cues ("la startup Acme" → inv:Startup), and a known
   organisation's name followed by a country ("Microsoft Italia") becomes a subsidiary of it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path

from babel import Locale
from rapidfuzz import fuzz, process
from rdflib import URIRef

from kg.catalogue import CatalogueEntry
from kg.lexicon import BABEL_LOCALES, has_cue, load_lexicon
from kg.mentions import Mention
from kg.names import fold, normalise, slug, uninflected  # noqa: F401 (fold, slug: part of this module's interface)
from kg.resources import INV, KGR, LEXICON, Resources, subclasses, superclasses

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
    parent: URIRef | None = None  # the organisation a subsidiary belongs to


@dataclass(frozen=True)
class LinkedMention:
    mention: Mention
    iri: URIRef
    reason: str  # why the mention was linked to this IRI


@dataclass(frozen=True)
class Resolution:
    iri: URIRef
    reason: str
    types: frozenset[URIRef] | None = None  # for a new entity
    parent: URIRef | None = None  # for a new subsidiary


@cache
def country_codes() -> dict[str, str]:
    """Normalised country name in it/de/en/fr → ISO 3166 alpha-2 code, from Babel's CLDR data."""
    codes: dict[str, str] = {}
    for locale in BABEL_LOCALES:
        for code, name in Locale.parse(locale).territories.items():
            if code.isalpha() and len(code) == 2:
                codes.setdefault(normalise(name), code)
    return codes


class Linker:
    """Links the mentions of many documents to one set of entities."""

    def __init__(self, resources: Resources = Resources()):
        self.resources = resources
        self.catalogue: dict[URIRef, CatalogueEntry] = resources.catalogue
        self.by_key: dict[str, URIRef] = {}
        self.country_iri: dict[str, URIRef] = {}
        for entry in self.catalogue.values():
            for name, lang in entry.names:
                self.by_key.setdefault(self.key_of(name, lang), entry.iri)
                if INV.Country in entry.types and normalise(name) in country_codes():
                    self.country_iri[country_codes()[normalise(name)]] = entry.iri
        self.fuzzy_keys = sorted(k for k in self.by_key if len(k) >= FUZZY_MIN_LENGTH)
        self.entities: dict[URIRef, Entity] = {}

    def key_of(self, name: str, lang: str) -> str:
        """A name's key: normalised, and without the case ending of the adjective it opens with
        (``lex:name-adjective-ending``), so that "der Deutschen Bank" in one text and "die Deutsche
        Bank" in another are one bank."""
        endings = load_lexicon(self.resources.lexicon_path).words("name-adjective-ending", lang)
        return normalise(uninflected(name, endings) or name)

    def link_document(self, mentions: list[Mention], lang: str, doc_id: str) -> list[LinkedMention]:
        """Link one document's mentions and merge its entities into ``self.entities``."""
        linked, found = self.link(mentions, lang, doc_id)
        for entity in found.values():
            merge_entity(self.entities, entity)
        return linked

    def link(self, mentions: list[Mention], lang: str, doc_id: str) -> tuple[list[LinkedMention], dict[URIRef, Entity]]:
        """Link one document's mentions; return them and the document's own view of its entities.

        Nothing outside the document is read or changed, so documents can be linked in any order,
        in other processes, or taken from a cache, and merged afterwards with ``merge_entity``.
        """
        linked = []
        entities: dict[URIRef, Entity] = {}
        people_by_surname: dict[str, set[URIRef]] = {}
        for mention in mentions:
            found = self.resolve(mention, lang, people_by_surname)
            if found is None:
                continue
            entry = self.catalogue.get(found.iri)
            entity = merge_entity(entities, Entity(
                found.iri, entry.types if entry else found.types or frozenset(), entry, parent=found.parent))
            for name in (mention.text, mention.alias) if mention.alias else (mention.text,):  # "KKR" names it too
                entity.names[(name, lang)] = entity.names.get((name, lang), 0) + 1
            entity.documents.add(doc_id)
            if mention.label == "PER" and " " in mention.text:
                people_by_surname.setdefault(mention.text.split()[-1].casefold(), set()).add(found.iri)
            linked.append(LinkedMention(mention, found.iri, found.reason))
        return linked, entities

    def resolve(self, mention: Mention, lang: str, people_by_surname: dict[str, set[URIRef]]) -> Resolution | None:
        """Where a mention links to and why, or None if it is not linkable."""
        if mention.catalogue_id:
            return Resolution(URIRef(mention.catalogue_id), "catalogue name")
        key = self.key_of(mention.text, lang)
        if key in self.by_key and self.compatible(mention, self.by_key[key]):
            return Resolution(self.by_key[key], "catalogue name (normalised)")
        if mention.label == "LOC" and key in country_codes():
            code = country_codes()[key]
            if code in self.country_iri:
                return Resolution(self.country_iri[code], f"country name (ISO {code})")
            return Resolution(KGR[f"country/{code.lower()}"], f"country name (ISO {code})", frozenset({INV.Country}))
        if mention.label == "PER" and " " not in mention.text:
            people = people_by_surname.get(mention.text.casefold(), set())
            if len(people) == 1:
                return Resolution(next(iter(people)), "surname of a person named earlier in the document")
            if len(people) > 1:
                return None  # "Rossi" after "Anna Rossi" and "Marco Rossi": ambiguous
        if mention.label in ("ORG", "LOC") and len(key) >= FUZZY_MIN_LENGTH:
            match = process.extractOne(key, self.fuzzy_keys, scorer=fuzz.ratio, score_cutoff=FUZZY_THRESHOLD)
            if match and self.compatible(mention, self.by_key[match[0]]):
                return Resolution(self.by_key[match[0]], f"fuzzy catalogue match ({match[1]:.0f} ≥ {FUZZY_THRESHOLD})")
        if mention.label not in KIND_OF_LABEL:
            return None
        kind, top = KIND_OF_LABEL[mention.label]
        iri = KGR[f"{kind}/{slug(key)}"]
        parent = self.parent_of(mention) if mention.label == "ORG" else None
        if parent is not None:
            return Resolution(iri, "new entity: subsidiary of a known organisation", frozenset({INV.Company}), parent)
        refined = refine_type(top, f"{mention.context} {mention.text}", lang, self.resources.lexicon_path)
        return Resolution(iri, "new entity" if refined == top else "new entity, typed by a cue word", frozenset({refined}))

    def compatible(self, mention: Mention, iri: URIRef) -> bool:
        """A person is never linked to a non-person by name, nor the reverse (Paris the city vs a
        person called Paris); organisations and places may be (a council is also an area)."""
        return (mention.label == "PER") == (self.catalogue[iri].ner_label == "PER")

    def parent_of(self, mention: Mention) -> URIRef | None:
        """The catalogue organisation X of a name "X <country>" ("Microsoft Italia")."""
        words = mention.text.split()
        for cut in range(len(words) - 1, 0, -1):
            head, tail = " ".join(words[:cut]), " ".join(words[cut:])
            parent = self.by_key.get(normalise(head))
            if parent is not None and normalise(tail) in country_codes():
                entry = self.catalogue.get(parent)
                if entry is not None and entry.ner_label == "ORG":
                    return parent
        return None



def merge_entity(entities: dict[URIRef, Entity], seen: Entity) -> Entity:
    """Add what one sighting says of an entity to `entities`: its names, documents, parent, and a
    narrower type from a cue word (a later "startup" narrows an earlier "organisation")."""
    entity = entities.get(seen.iri)
    if entity is None:
        entity = entities[seen.iri] = Entity(seen.iri, seen.types, seen.catalogue, dict(seen.names), set(seen.documents), seen.parent)
        return entity
    for key, count in seen.names.items():
        entity.names[key] = entity.names.get(key, 0) + count
    entity.documents |= seen.documents
    entity.parent = entity.parent or seen.parent
    if entity.catalogue is None and seen.types and seen.types != entity.types:
        narrower = {t for t in seen.types for e in entity.types if t in subclasses(e)}
        if narrower:
            entity.types = frozenset(narrower)
    return entity


@lru_cache(maxsize=8192)  # names recur across a corpus
def refine_type(top: URIRef, text: str, lang: str, lexicon: Path = LEXICON) -> URIRef:
    """The most specific class under `top` whose cue words occur in `text`, else `top`."""
    cues = load_lexicon(lexicon).type_cues
    candidates = [cls for cls in cues if cls in subclasses(top) and has_cue(cues[cls].get(lang, ()), text)]
    return max(candidates, key=lambda cls: (len(superclasses(cls)), str(cls)), default=top)

