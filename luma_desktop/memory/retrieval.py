"""Ranking recalled memories and writing them into a turn as "Relevant history".

A candidate counts when its similarity (``1 - cosine_distance / 2``) reaches the threshold.
The score orders the survivors: similarity, a little more for personal memories, and a
recency weight that only breaks near-ties::

    score = similarity * (1.05 if personal else 1) * (0.85 + 0.15 * 0.5 ** (age_days / 90))

The top ``k`` are kept, then as many as fit the token budget (about 4 characters a token).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from .records import Hit, MemoryRecord, Scope

__all__ = [
    "HEADER",
    "PERSONAL_BOOST",
    "RECENCY_HALF_LIFE_DAYS",
    "format_history",
    "history_line",
    "rank",
    "recency",
    "similarity",
    "within_budget",
]

PERSONAL_BOOST = 1.05
"""Personal memories rank a little above company ones of the same similarity."""
RECENCY_HALF_LIFE_DAYS = 90.0
"""Age at which the recency weight halves."""
RECENCY_SHARE = 0.15
"""How much of the score recency may move (so it only breaks near-ties)."""
CHARS_PER_TOKEN = 4
HEADER = "Relevant history (from earlier conversations):"


def similarity(distance: float) -> float:
    """Cosine distance (0-2) as a similarity in [0, 1]."""
    return min(1.0, max(0.0, 1.0 - distance / 2.0))


def recency(created_at: datetime, now: datetime) -> float:
    """1 for a memory made now, 0.5 after :data:`RECENCY_HALF_LIFE_DAYS` days."""
    age_days = max(0.0, (now - created_at).total_seconds() / 86_400)
    return float(0.5 ** (age_days / RECENCY_HALF_LIFE_DAYS))


def rank(
    candidates: Iterable[tuple[MemoryRecord, float]],
    *,
    now: datetime,
    threshold: float,
    k: int,
) -> list[Hit]:
    """The best ``k`` of ``(record, distance)`` pairs whose similarity reaches ``threshold``."""
    hits = []
    for record, distance in candidates:
        alike = similarity(distance)
        if alike < threshold:
            continue
        boost = PERSONAL_BOOST if record.scope is Scope.PERSONAL else 1.0
        weight = (1 - RECENCY_SHARE) + RECENCY_SHARE * recency(record.created_at, now)
        hits.append(Hit(record=record, similarity=alike, score=alike * boost * weight))
    hits.sort(key=lambda hit: (-hit.score, hit.record.id))
    return hits[: max(0, k)]


def history_line(hit: Hit, now: datetime | None = None) -> str:
    """One line of the history block: ``- (you, 3 Nov) Prefers invoice reminders on Mondays``.

    The year is shown when it is not ``now``'s.
    """
    created = hit.record.created_at
    day = f"{created.day} {created:%b}"
    if now is not None and created.year != now.year:
        day += f" {created.year}"
    whose = "you" if hit.record.scope is Scope.PERSONAL else "team"
    text = " ".join(hit.record.text.split())
    return f"- ({whose}, {day}) {text}"


def within_budget(hits: Sequence[Hit], token_budget: int, now: datetime | None = None) -> list[Hit]:
    """The leading ``hits`` whose history block fits ``token_budget`` tokens."""
    used = len(HEADER) + 1
    kept = []
    for hit in hits:
        used += len(history_line(hit, now)) + 1
        if used > token_budget * CHARS_PER_TOKEN:
            break
        kept.append(hit)
    return kept


def format_history(hits: Sequence[Hit], now: datetime | None = None) -> str:
    """The "Relevant history" block for a prompt; ``""`` when there is nothing to say."""
    if not hits:
        return ""
    return "\n".join([HEADER, *(history_line(hit, now) for hit in hits)])
