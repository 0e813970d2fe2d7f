"""Lengths of time: "45 minutes", "an hour and a half", "1h30", "90 min" → a timedelta.

:func:`parse_duration` answers ``None`` for anything it does not fully understand.

Ambiguity rules
    - A number needs a unit: "45" alone is refused (minutes? hours?). The one exception is a
      number after hours, which is minutes: "an hour 15", "1h30", "2 hours 45" (it must be
      under 60).
    - "1:30" is one hour thirty minutes (hours:minutes, minutes under 60).
    - "half an hour" = 30 min, "a quarter of an hour" = 15 min, "three quarters of an hour" =
      45 min, "an hour and a half" = "one and a half hours" = 90 min, "a couple of hours" = 2 h.
    - Units: seconds, minutes, hours, days, weeks, fortnights; each at most once per phrase
      ("1 hour 2 hours" is refused). Months and years have no fixed length and are refused.
    - Vague amounts ("a few minutes", "a while") and zero-length durations are refused.
"""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal

from ._text import clean
from .numbers import read_numbers

__all__ = ["parse_duration"]

_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800, "f": 1209600}
_UNIT = r"(?:seconds?|secs?|s|minutes?|mins?|m|hours?|hrs?|h|days?|d|weeks?|wks?|w|fortnights?)"
_PART = re.compile(rf"(\d+(?:\.\d+)?) ?({_UNIT})(?![a-z])")
_SEPARATOR = re.compile(r"(?:\s|,|\band\b)*")
_LOOSE_POINT = re.compile(r"[.:](?!\d)")
_CLOCK = re.compile(r"(\d{1,2}):([0-5]\d)")


def _rewrites(*pairs: tuple[str, str]) -> tuple[tuple[re.Pattern[str], str], ...]:
    return tuple((re.compile(pattern), replacement) for pattern, replacement in pairs)


_WORD_REWRITES = _rewrites(  # before number words are read
    (r"\b(?:a )?couple of\b", "2"),
    (r"\bfor\b", ""),
    (rf"\bhalf an? ({_UNIT})\b", r"0.5 \1"),
    (rf"\b(?:a )?quarter of an? ({_UNIT})\b", r"0.25 \1"),
    (rf"\bthree quarters of an? ({_UNIT})\b", r"0.75 \1"),
    (rf"\ban? ({_UNIT})\b", r"1 \1"),
)
_DIGIT_REWRITES = _rewrites(  # after
    (rf"\b(\d+) and (?:a )?half ({_UNIT})\b", r"\1.5 \2"),
    (rf"\b(\d+) ({_UNIT}) and a half\b", r"\1.5 \2"),
)


def _normalise(text: str) -> str:
    s = _LOOSE_POINT.sub(" ", clean(text, keep=".:"))
    for pattern, replacement in _WORD_REWRITES:
        s = pattern.sub(replacement, s)
    words = read_numbers(s.split())
    if any(word.ordinal for word in words):
        return ""
    s = " ".join(word.text for word in words)
    for pattern, replacement in _DIGIT_REWRITES:
        s = pattern.sub(replacement, s)
    return s


def _parts(s: str) -> list[tuple[Decimal, str]] | None:
    """``[(amount, unit letter)]`` covering all of ``s``, or ``None``."""
    parts: list[tuple[Decimal, str]] = []
    position = _SEPARATOR.match(s, 0)
    at = position.end() if position else 0
    while at < len(s):
        match = _PART.match(s, at)
        if match is None:
            return _trailing_minutes(s[at:], parts)
        unit = "f" if match[2].startswith("f") else match[2][0]
        parts.append((Decimal(match[1]), unit))
        separator = _SEPARATOR.match(s, match.end())
        at = separator.end() if separator else match.end()
    return parts


def _trailing_minutes(
    rest: str, parts: list[tuple[Decimal, str]]
) -> list[tuple[Decimal, str]] | None:
    """ "an hour 15": a bare number after hours is minutes."""
    if parts and parts[-1][1] == "h" and rest.isdigit() and int(rest) < 60:
        return [*parts, (Decimal(rest), "m")]
    return None


def parse_duration(text: str) -> timedelta | None:
    """How long ``text`` says ("an hour and a half" → 1:30:00), or ``None``."""
    s = _normalise(text)
    clock = _CLOCK.fullmatch(s)
    if clock is not None:
        total = timedelta(hours=int(clock[1]), minutes=int(clock[2]))
        return total if total else None
    parts = _parts(s) if s else None
    if not parts or len({unit for _, unit in parts}) != len(parts):
        return None
    seconds = sum(amount * _UNIT_SECONDS[unit] for amount, unit in parts)
    if seconds <= 0:
        return None
    return timedelta(microseconds=int(seconds * 1_000_000))
