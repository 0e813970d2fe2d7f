"""Search scoring: :func:`_matching.rank` plus the partial matches people type into a search box."""

from __future__ import annotations

import re
from collections.abc import Sequence

from rapidfuzz import utils

from .._matching import MATCH_THRESHOLD, Option, rank

__all__ = ["CONTAINS_SCORE", "fuzzy_scores"]

CONTAINS_SCORE = 90.0
"""Score of a name that contains the query ("mill" in "Sarah Miller") or a phone that contains
its digits ("07700 900123" in +447700900123)."""
_NOT_DIGIT = re.compile(r"\D")


def fuzzy_scores(
    query: str, options: Sequence[Option], *, threshold: float = MATCH_THRESHOLD
) -> dict[int, float]:
    """Option id → score (0-100) for every option that matches ``query``.

    A query with an ``@`` only matches e-mail-like aliases that contain it. Otherwise fuzzy
    similarity comes from :func:`rank` (an exact name scores 100); a label or alias
    containing the query, or an alias containing its digits (at least 4, leading zeros of a
    national number ignored), scores at least :data:`CONTAINS_SCORE`.
    """
    if "@" in query:  # an e-mail address or part of one: match addresses only
        wanted_email = query.strip().lower()
        return {
            o.id: 100.0 if any(a.lower() == wanted_email for a in o.aliases) else CONTAINS_SCORE
            for o in options
            if any(wanted_email in a.lower() for a in o.aliases)
        }
    scores = {c.id: c.score for c in rank(query, options, threshold=threshold)}
    wanted = utils.default_process(query)
    digits = _NOT_DIGIT.sub("", query).lstrip("0")
    by_digits = len(digits) >= 4 and len(digits) * 2 >= len(query.replace(" ", ""))
    if not wanted:
        return scores
    for option in options:
        if scores.get(option.id, 0.0) >= CONTAINS_SCORE:
            continue
        texts = (option.label, *option.aliases)
        if any(wanted in utils.default_process(text) for text in texts) or (
            by_digits and any(digits in _NOT_DIGIT.sub("", text) for text in option.aliases)
        ):
            scores[option.id] = CONTAINS_SCORE
    return scores
