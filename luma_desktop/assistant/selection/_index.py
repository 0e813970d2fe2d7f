"""A BM25 index over tool metadata, and requests turned into weighted queries.

Each tool is one document: its name (weighted most: the catalog's own words), its examples
(how people ask), its description and its domain's keywords. A request's own terms weigh 1;
the catalog words its synonyms stand for weigh :data:`SYNONYM_WEIGHT`. The term-document
weights are computed once, so scoring a request is a few dictionary look-ups per term.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping
from collections.abc import Set as AbstractSet
from typing import Any

from ..catalog import Tool
from ._aliases import DOMAIN_KEYWORDS, SYNONYMS
from ._text import PhraseTable, analyse, lowercase_words, stem

__all__ = ["SYNONYM_WEIGHT", "ToolIndex", "catalog_vocabulary", "query_terms", "tool_document"]

NAME_WEIGHT = 3.0
EXAMPLE_WEIGHT = 2.0
DESCRIPTION_WEIGHT = 1.0
DOMAIN_WEIGHT = 1.0
SYNONYM_WEIGHT = 0.5
K1 = 1.2
B = 0.75


def tool_document(tool: Tool[Any], known: AbstractSet[str]) -> dict[str, float]:
    """The weighted terms of one tool's metadata (``known``: the catalog's lowercase words)."""
    bag: dict[str, float] = {}
    fields = [
        (tool.name.replace("_", " "), NAME_WEIGHT),
        (DOMAIN_KEYWORDS.get(tool.domain, tool.domain), DOMAIN_WEIGHT),
        (tool.description, DESCRIPTION_WEIGHT),
    ]
    fields += [(example, EXAMPLE_WEIGHT) for example in tool.examples]
    for text, weight in fields:
        for term in analyse(text, known=known).terms():
            bag[term] = bag.get(term, 0.0) + weight
    return bag


def catalog_vocabulary(tools: Iterable[Tool[Any]]) -> set[str]:
    """Every word the tools' descriptions and examples write in lower case (or start with)."""
    words: set[str] = set()
    for tool in tools:
        words |= lowercase_words(tool.description, sentence_starts=True)
        for example in tool.examples:
            words |= lowercase_words(example)
    return words


def _synonym_table() -> PhraseTable:
    entries = []
    for triggers, targets in SYNONYMS.items():
        words = tuple(stem(word) for word in targets.split())
        for trigger in triggers.split("|"):
            entries.append((tuple(analyse(trigger).stems), " ".join(words)))
    return PhraseTable(entries)


_SYNONYMS = _synonym_table()


def query_terms(text: str) -> dict[str, float]:
    """The weighted terms of a request: its own content terms, then its synonyms' words."""
    analysed = analyse(text)
    weights: dict[str, float] = {}
    for term in analysed.terms():
        weights[term] = 1.0
    for _start, _end, targets in _SYNONYMS.find(analysed.stems):
        for term in targets.split():
            weights[term] = max(weights.get(term, 0.0), SYNONYM_WEIGHT)
    return weights


class ToolIndex:
    """BM25 scores of tools for a weighted query."""

    def __init__(self, tools: Iterable[Tool[Any]]) -> None:
        catalog = list(tools)
        known = catalog_vocabulary(catalog)
        documents = {tool.name: tool_document(tool, known) for tool in catalog}
        self.names: tuple[str, ...] = tuple(documents)
        count = len(documents)
        average = sum(sum(d.values()) for d in documents.values()) / max(count, 1)
        frequency: Counter[str] = Counter()
        for document in documents.values():
            frequency.update(document.keys())
        self._postings: dict[str, list[tuple[str, float]]] = {}
        for name, document in documents.items():
            norm = K1 * (1 - B + B * sum(document.values()) / max(average, 1e-9))
            for term, tf in document.items():
                idf = math.log(1 + (count - frequency[term] + 0.5) / (frequency[term] + 0.5))
                weight = idf * tf * (K1 + 1) / (tf + norm)
                self._postings.setdefault(term, []).append((name, weight))

    def __contains__(self, term: object) -> bool:
        return term in self._postings

    def scores(self, query: Mapping[str, float]) -> dict[str, float]:
        """Score of every tool that shares a term with ``query`` (others score 0)."""
        scores: dict[str, float] = {}
        for term, weight in query.items():
            for name, contribution in self._postings.get(term, ()):
                scores[name] = scores.get(name, 0.0) + weight * contribution
        return scores
