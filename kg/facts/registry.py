"""The fact types: what each extracts from a linked document, how it becomes RDF, and in which
order the types are read.

A fact type is one module that makes a ``FactType`` and names it in the ``invest_kg_fact_types``
entry-point group of its package (this project's are in pyproject.toml); extraction, the graph,
the build summary and the result cache all loop over ``fact_types()``. Types are read in their
``order``, and each extractor sees the facts the types before it found in the same document, so
precedence between overlapping types is stated, not hidden in one extractor importing another.

>>> [t.name for t in fact_types()]  # doctest: +SKIP
['commitments', 'investments', 'roles', 'facilities', 'partnerships']
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any

import catalogue

registry = catalogue.create("invest_kg", "fact_types", entry_points=True)

Add = Callable[[tuple], None]


@dataclass(frozen=True)
class FactType:
    name: str  # the plural that names the facts in DocumentFacts and in the build summary
    extract: Callable[[Any, Any], list]  # (LinkedDocument, DocumentFacts found so far) → facts
    order: int  # types are read, written and counted in this order
    document_triples: Callable[[Any, Add], None] | None = None  # (fact, add): its triples, made with its document
    corpus_triples: Callable[[Add, list], None] | None = None  # (add, every document's facts): made once, at the end


@cache
def fact_types() -> tuple[FactType, ...]:
    """Every registered fact type, in order."""
    found = [registered if isinstance(registered, FactType) else registered() for registered in registry.get_all().values()]
    names = [t.name for t in found]
    if len(set(names)) != len(names):
        raise ValueError(f"two fact types share a name: {sorted(names)}")
    return tuple(sorted(found, key=lambda t: (t.order, t.name)))


def fact_type_names() -> tuple[str, ...]:
    return tuple(t.name for t in fact_types())


class DocumentFacts:
    """The facts of one document (or of many, once extended), a list per fact type, read as
    attributes: ``facts.investments``, ``facts.commitments``…"""

    def __init__(self, lists: dict[str, list] | None = None, published: dict | None = None):
        self.lists: dict[str, list] = {name: [] for name in fact_type_names()}
        self.lists.update(lists or {})
        self.published = dict(published or {})  # doc_id → publication date

    def __getattr__(self, name: str) -> list:
        lists = self.__dict__.get("lists")  # absent while unpickling
        if lists is not None and name in lists:
            return lists[name]
        raise AttributeError(name)

    def __eq__(self, other) -> bool:
        return isinstance(other, DocumentFacts) and (self.lists, self.published) == (other.lists, other.published)

    def extend(self, other: DocumentFacts) -> None:
        for name, facts in other.lists.items():
            self.lists.setdefault(name, []).extend(facts)
        self.published.update(other.published)

    def count(self) -> int:
        return sum(len(facts) for facts in self.lists.values())

    def items(self) -> Iterable[tuple[FactType, list]]:
        """(fact type, facts) in the types' order."""
        return ((fact_type, self.lists.get(fact_type.name, [])) for fact_type in fact_types())
