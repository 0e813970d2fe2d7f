"""Cutting text to a length at a word boundary (titles, summary lines, snippets)."""

from __future__ import annotations

import re

__all__ = ["clip"]

_SPACES = re.compile(r"\s+")


def clip(text: str, limit: int, *, shortest: int = 2, trailing: str = " ,;:-") -> str:
    """``text`` on one line, at most ``limit`` characters, cut after a whole word ending in "…".

    The cut falls at the last space unless that would keep less than ``limit // shortest``
    characters; ``trailing`` characters are dropped before the "…".
    """
    flat = _SPACES.sub(" ", text).strip()
    if len(flat) <= limit:
        return flat
    room = flat[: limit - 1]
    cut = room.rfind(" ")
    if cut >= limit // shortest:
        room = room[:cut]
    return room.rstrip(trailing) + "…"
