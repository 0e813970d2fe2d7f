"""The shared first step of the date and time parsers: a phrase in one canonical spelling.

:func:`normalise` rewrites speech and typing variants into the few forms the day and time
patterns know: number words become digits ("twenty first" → "21st"), "two thirty" → "2:30",
"half past three" and UK "half three" → "3:30", "quarter to five" → "4:45", "p m" → "pm",
"9.30" → "9:30", "eod" → "end of day", "a week" → "1 week", "tmrw" → "tomorrow".
:class:`Phrase` collects what the patterns found; :func:`take` removes one pattern's match.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, time

from ._text import clean
from .numbers import NumberWord, read_numbers

__all__ = ["FILLERS", "Phrase", "normalise", "take"]

FILLERS = frozenset({"at", "on", "by", "the", "for", "until", "till", "a", "of"})
"""Words a date phrase may carry around its parts ("on friday at 3", "by the 14th")."""


@dataclass
class Phrase:
    """What a phrase said, before it is turned into a moment."""

    day: date | None = None
    clock: time | None = None
    hour_given: bool = False
    """An hour was said ("at 3", "noon"), not only a part of the day."""
    bias: str | None = None
    """"am"/"pm" from a part of the day ("tonight at 9"), for hours without am/pm."""
    night: bool = False
    midnight: bool = False
    today_only: bool = False
    """ "tonight", "this evening": today even when the time has passed."""
    end_of: bool = False
    """ "end of ...": defaults to close of business rather than the start of the day."""
    weekday: int | None = None
    """ "monday the 14th": the weekday the date must fall on."""
    same_weekday: bool = False
    """A plain weekday naming today's weekday: a week ahead unless its time is still to come."""


def _compile(*pairs: tuple[str, str]) -> tuple[tuple[re.Pattern[str], str], ...]:
    return tuple((re.compile(pattern), replacement) for pattern, replacement in pairs)


_UNIT = r"(?:minutes?|mins?|hours?|hrs?|days?|weeks?|months?|years?)"
_SPELLING = _compile(  # on words, before numbers are read
    (r"\bo'? ?clock\b", " "),
    (r"(\d)\.(\d\d)(?!\d)", r"\1:\2"),
    (r"\b([ap])\.? ?m\b\.?", r"\1m"),
    (r"'", ""),
    (r"(?<!\d)[.-]|[.-](?!\d)", " "),
    (r"\b(?:tmrw|tmr|tmrow|tomoz|tomorow|tommorow|tommorrow|2morrow|2moro)\b", "tomorrow"),
    (r"\btonite\b", "tonight"),
    (r"\bfirst thing\b", "firstthing"),
    (r"\b(?:a )?couple of\b", "two"),
    (r"\b(?:a )?fortnight\b", "two weeks"),
    (r"\bthis coming\b|\bcoming\b", "this"),
    (r"\bmid ?day\b", "noon"),
    (r"\b(?:close|end) of (?:business|play)\b|\b(?:cob|eop|eod)\b", "end of day"),
    (r"\beow\b", "end of the week"),
    (r"\beom\b", "end of the month"),
    (r"\ba quarter\b", "quarter"),
    (rf"\ban? ({_UNIT})\b", r"1 \1"),
)
_HALF_HOUR = re.compile(r"\bhalf (\d{1,2})\b(?! ?(?:hours?|minutes?|:))")  # UK "half three"
_PAST_TO = re.compile(r"\b(half|quarter|\d{1,2})(?: minutes?)? (past|after|to|before) (\d{1,2})\b")


def _past_to(match: re.Match[str]) -> str:
    minutes = {"half": 30, "quarter": 15}.get(match[1]) or int(match[1])
    hour = int(match[3])
    if not (1 <= hour <= 12 and 1 <= minutes <= 59):
        return match[0]
    if match[2] in ("to", "before"):
        hour, minutes = (hour - 2) % 12 + 1, 60 - minutes
    return f"{hour}:{minutes:02d}"


def _spoken_clock(words: list[NumberWord]) -> list[str]:
    """A spoken hour and its minutes become one clock: "3 30" → "3:30", "3 oh 5" → "3:05"."""
    out: list[str] = []
    i = 0
    while i < len(words):
        word, value = words[i], words[i].value
        hour = word.spoken and not word.ordinal and value is not None and 1 <= value <= 12
        hour = hour and (i == 0 or words[i - 1].text != "in")
        after = words[i + 1 : i + 3]
        if hour and after and after[0].spoken and _minutes(after[0], 10):
            out.append(f"{value}:{after[0].value:02d}")
            i += 2
        elif hour and len(after) == 2 and after[0].text == "oh" and _minutes(after[1], 1, 9):
            out.append(f"{value}:{after[1].value:02d}")
            i += 3
        else:
            out.append(word.text)
            i += 1
    return out


def _minutes(word: NumberWord, low: int, high: int = 59) -> bool:
    return word.value is not None and not word.ordinal and low <= word.value <= high


def normalise(text: str) -> str:
    """``text`` in the canonical spelling the day and time patterns read."""
    s = clean(text, keep=":.-/")
    for pattern, replacement in _SPELLING:
        s = pattern.sub(replacement, s)
    s = " ".join(_spoken_clock(read_numbers(s.split())))
    s = _HALF_HOUR.sub(r"\1:30", s)
    s = _PAST_TO.sub(_past_to, s)
    return " ".join(s.split())


def take(pattern: re.Pattern[str], s: str) -> tuple[re.Match[str] | None, str]:
    """The first match of ``pattern`` in ``s`` and ``s`` without it."""
    match = pattern.search(s)
    if match is None:
        return None, s
    return match, " ".join((s[: match.start()] + " " + s[match.end() :]).split())
