"""Which tools one turn sends to the model: core, recent, topic and the best-matching ones."""

from __future__ import annotations

import weakref
from collections.abc import Container, Iterable, Sequence
from typing import Any

from ..catalog import Operation, Tool, ToolRegistry
from ._aliases import DOMAIN_KEYWORDS
from ._index import ToolIndex, query_terms

__all__ = ["DEFAULT_CORE", "ToolSelector"]

DEFAULT_CORE = ("search_global", "tasks_create", "assistant_undo_last")
"""Tools sent on every turn (when the role can see them):

- ``search_global``: the way to anything the request names without saying what it is, so a
  request retrieval misreads still has a road to the right record;
- ``tasks_create``: the orchestrator's recovery offer ("I can put this on your task list
  instead") must work whatever the request was about;
- ``assistant_undo_last``: "undo that" can follow any action and is among the smallest tools.
"""

_CACHE: weakref.WeakKeyDictionary[ToolRegistry, tuple[int, ToolSelector]] = (
    weakref.WeakKeyDictionary()
)


class ToolSelector:
    """Picks the tools worth sending for one message, from those the user may see.

    A turn gets, besides the core: the tools used recently in the conversation; the best
    tools of the working context's domain (at most ``topic_limit``, not the whole domain);
    and the tools retrieval ranks highest — at most ``limit``, each scoring at least
    ``relative`` of the best. When even the best match is weak (below ``weak_score``, a
    vague request), up to ``vague_limit`` go, so the model has more to choose from; when
    nothing matches at all, each domain's entry tool goes (the one that best answers the
    domain's own keywords: the diary, the client list, the balance...).
    """

    def __init__(
        self,
        tools: Iterable[Tool[Any]],
        *,
        core: Iterable[str] = DEFAULT_CORE,
        limit: int = 10,
        vague_limit: int = 14,
        relative: float = 0.25,
        weak_score: float = 8.0,
        topic_limit: int = 4,
        topic_boost: float = 0.3,
        recent_limit: int = 4,
        long_terms: int = 8,
    ) -> None:
        catalog = list(tools)
        self._domains = {tool.name: tool.domain for tool in catalog}
        self._reads = {tool.name for tool in catalog if tool.operation is Operation.READ}
        self._index = ToolIndex(catalog)
        self._entries = self._domain_entries(catalog)
        self.core: tuple[str, ...] = tuple(dict.fromkeys(core))
        self.limit, self.vague_limit = limit, vague_limit
        self.relative, self.weak_score = relative, weak_score
        self.topic_limit, self.topic_boost = topic_limit, topic_boost
        self.recent_limit, self.long_terms = recent_limit, long_terms

    @classmethod
    def for_registry(cls, registry: ToolRegistry) -> ToolSelector:
        """The selector of ``registry`` with default settings, built once per registry state."""
        cached = _CACHE.get(registry)
        if cached is not None and cached[0] == len(registry):
            return cached[1]
        selector = cls(list(registry))
        _CACHE[registry] = (len(registry), selector)
        return selector

    def scores(
        self, text: str, accessible: Sequence[Tool[Any]], *, topic: str | None = None
    ) -> dict[str, float]:
        """Retrieval score of each accessible tool that matches ``text`` at all."""
        return self._scores(query_terms(text), {tool.name for tool in accessible}, topic)

    def _scores(
        self, query: dict[str, float], visible: Container[str], topic: str | None
    ) -> dict[str, float]:
        raw = self._index.scores(query)
        boost = 1.0 + self.topic_boost
        return {
            name: score * (boost if self._in_topic(name, topic) else 1.0)
            for name, score in raw.items()
            if name in visible
        }

    def select(
        self,
        text: str,
        accessible: Sequence[Tool[Any]],
        *,
        topic: str | None = None,
        recent: Sequence[str] = (),
    ) -> list[Tool[Any]]:
        """The tools to send: a subset of ``accessible``, core first, then by name."""
        visible = {tool.name: tool for tool in accessible}
        query = query_terms(text)
        scores = self._scores(query, visible, topic)
        fixed = [name for name in self.core if name in visible]
        fixed += [name for name in list(recent)[-self.recent_limit :] if name in visible]
        chosen = set(fixed)
        if scores:
            chosen.update(self._retrieved(scores, len(query), exclude=chosen))
        else:
            chosen.update(self._overview(visible))
        chosen.update(self._topical(scores, visible, topic))
        core = [name for name in self.core if name in chosen]
        rest = sorted(chosen.difference(core))
        return [visible[name] for name in core + rest]

    def _retrieved(self, scores: dict[str, float], terms: int, exclude: set[str]) -> list[str]:
        """The best-scoring tools; more for a weak best match or a long (multi-step) request."""
        ranked = sorted(scores.items(), key=lambda item: (-item[1], item[0]))
        if not ranked:
            return []
        best = ranked[0][1]
        longer = max(0, terms - self.long_terms) // 2
        limit = self.vague_limit if best < self.weak_score else self.limit + longer
        limit = min(limit, self.vague_limit)
        floor = best * self.relative
        picked = [name for name, score in ranked if score >= floor and name not in exclude]
        return picked[:limit]

    def _domain_entries(self, catalog: list[Tool[Any]]) -> dict[str, list[str]]:
        """Per domain, its tools ranked: reads first, then by the domain's own keywords."""
        entries: dict[str, list[str]] = {}
        for domain in sorted({tool.domain for tool in catalog}):
            query = query_terms(DOMAIN_KEYWORDS.get(domain, domain))
            scores = self._index.scores(query)
            members = [tool.name for tool in catalog if tool.domain == domain]
            members.sort(key=lambda n: (n not in self._reads, -scores.get(n, 0.0), n))
            entries[domain] = members
        return entries

    def _overview(self, visible: Container[str]) -> list[str]:
        """For a request nothing matches: each domain's entry tool the user may see."""
        picked = []
        for members in self._entries.values():
            picked += [name for name in members if name in visible][:1]
        return picked

    def _topical(
        self, scores: dict[str, float], visible: dict[str, Tool[Any]], topic: str | None
    ) -> list[str]:
        if not topic:
            return []
        members = [name for name in visible if self._in_topic(name, topic)]
        members.sort(key=lambda n: (-scores.get(n, 0.0), n not in self._reads, n))
        return members[: self.topic_limit]

    def _in_topic(self, name: str, topic: str | None) -> bool:
        if not topic:
            return False
        return self._domains.get(name) == topic or name.startswith(f"{topic}_")
