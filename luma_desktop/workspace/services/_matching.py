"""Fuzzy matching of human references ("Sarah", "sara miler", "the milk todo") to records."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, utils

from ...errors import Ambiguous, Candidate, NotFound

__all__ = ["MATCH_THRESHOLD", "Option", "match_one", "rank"]

MATCH_THRESHOLD = 70.0
"""Lowest similarity (0-100) that counts as a match."""
TIE_MARGIN = 5.0
"""Candidates within this many points of the best are equally good: the reference is ambiguous."""
COMPOUND_SCORE = 80.0
"""Score of a compound word that ends or starts with a name's word ("haircut" → "Men's cut")."""


def _compound(wanted: str, name: str) -> float:
    """:data:`COMPOUND_SCORE` when a word said is a compound of a word of the name."""
    parts = [p for p in name.split() if len(p) >= 3]
    for word in wanted.split():
        for part in parts:
            if len(word) >= len(part) + 3 and (word.endswith(part) or word.startswith(part)):
                return COMPOUND_SCORE
    return 0.0


@dataclass(frozen=True, slots=True)
class Option:
    """A record that a reference may point at."""

    id: int
    label: str
    detail: str = ""
    aliases: tuple[str, ...] = ()
    """Other names it answers to (company, e-mail, confirmation code...)."""


def rank(
    reference: str, options: Sequence[Option], *, threshold: float = MATCH_THRESHOLD
) -> list[Candidate]:
    """Options that match ``reference``, best first, each with its score."""
    wanted = utils.default_process(reference)
    if not wanted:
        return []
    scored: dict[int, Candidate] = {}
    for option in options:
        names = (option.label, *option.aliases)
        best = 0.0
        for name in names:
            processed = utils.default_process(name)
            if processed == wanted:
                best = 101.0  # an exact name beats every fuzzy one
                break
            best = max(best, fuzz.token_set_ratio(wanted, processed), _compound(wanted, processed))
        if best >= threshold:
            scored[option.id] = Candidate(
                option.id, option.label, option.detail, min(best, 100.0), {"exact": best > 100}
            )
    return sorted(scored.values(), key=lambda c: (-c.score, -c.extra["exact"], c.label, c.id))


def match_one(
    reference: str, options: Sequence[Option], kind: str, *, threshold: float = MATCH_THRESHOLD
) -> int:
    """The id of the one option ``reference`` means.

    Raises :class:`NotFound` when nothing is close enough and :class:`Ambiguous` (with ranked
    candidates) when several are equally close — it never guesses between near-equals.
    """
    candidates = rank(reference, options, threshold=threshold)
    if not candidates:
        raise NotFound(kind, reference)
    exact = [c for c in candidates if c.extra["exact"]]
    if len(exact) == 1:
        return exact[0].id
    pool = exact or candidates
    top = pool[0].score
    tied = [c for c in pool if top - c.score <= TIE_MARGIN]
    if len(tied) > 1:
        raise Ambiguous(kind, reference, tied)
    return tied[0].id
