"""Defaults the offline brain takes from recalled memories.

A model reads "Relevant history" in its prompt; the offline parser cannot, so a few preferences
become defaults here: "Prefers invoice reminders on Mondays" makes "remind me to chase unpaid
invoices" a reminder for Monday instead of a "When?" question. Only a missing argument is ever
filled, and only from a memory about the same kind of thing (reminders), preferring the memory
that shares the most words with the request.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from ._understanding import Understanding

__all__ = ["fill_from_memory"]

_WEEKDAY = re.compile(
    r"\b(monday|tuesday|wednesday|thursday|friday|saturday|sunday)s?\b", re.IGNORECASE
)
_TIME = re.compile(r"\b(?:at\s+)?(\d{1,2}(?:[:.]\d{2})?\s*(?:am|pm))\b", re.IGNORECASE)
_ABOUT_REMINDERS = re.compile(r"\bremind(?:er|ers)?\b", re.IGNORECASE)
_WORD = re.compile(r"[a-z]{3,}")
_STOP = frozenset({"the", "and", "for", "with", "prefers", "reminder", "reminders", "remind"})


def fill_from_memory(understood: Understanding, recalled: Sequence[str]) -> Understanding:
    """``understood`` with a missing reminder time taken from a remembered preference."""
    if understood.tool != "reminders_create" or understood.missing != ("when",):
        return understood
    request_words = _words(str(understood.arguments.get("text", "")))
    best: tuple[int, str] | None = None
    for memory in recalled:
        when = _preferred_when(memory)
        if when is None:
            continue
        overlap = len(request_words & _words(memory))
        if best is None or overlap > best[0]:
            best = (overlap, when)
    if best is None:
        return understood
    arguments = {**understood.arguments, "when": best[1]}
    return replace(understood, arguments=arguments, missing=(), question=None)


def _preferred_when(memory: str) -> str | None:
    """ "monday at 9am" from a memory about reminders naming a weekday (and maybe a time)."""
    if not _ABOUT_REMINDERS.search(memory):
        return None
    day = _WEEKDAY.search(memory)
    if day is None:
        return None
    time = _TIME.search(memory)
    weekday = day.group(1).lower()
    return f"{weekday} at {time.group(1).lower().replace(' ', '')}" if time else weekday


def _words(text: str) -> set[str]:
    """Content words, singular ("invoices" and "invoice" count as one)."""
    return {word.removesuffix("s") for word in _WORD.findall(text.lower()) if word not in _STOP}
