"""Times of day: "2pm", "two p m", "half past three", "quarter to five", "noon", "tonight at 9".

:func:`parse_time` reads a phrase that is only a time of day; :func:`take_time` lifts the time
out of a longer phrase for :mod:`.when`.

Ambiguity rules
    - An hour without am/pm follows business hours: 1-7 are afternoon ("at 3" → 15:00), 8-11
      morning ("at 9" → 09:00), 12 is noon; 0 and 13-23 are a 24-hour clock.
    - "12am" is midnight (00:00), "12pm" noon.
    - A part of the day sets the time when there is no hour: "morning" 09:00, "afternoon" 14:00,
      "evening" 18:00, "night"/"tonight" 20:00, "first thing" 09:00. Beside an hour it chooses
      am/pm: "tonight at 9" → 21:00, "tomorrow morning at 7" → 07:00, "morning at 12" → noon.
      "tonight at 12" is midnight; "tonight at 1" to "tonight at 5" are refused (that night's
      small hours or this afternoon? we ask).
    - "noon"/"midday" is 12:00; "midnight" is the end of the day named (:attr:`Phrase.midnight`).
    - "half past three" / UK "half three" = 3:30, "quarter to five" = 4:45, "ten past six" =
      6:10, "three thirty" / "three oh five" = 3:30 / 3:05; the business-hours rule then
      applies to the hour (15:30, 16:45, 18:10...).
    - A lone number is an hour only where the caller expects a time (:func:`parse_time`, or
      beside a day in :func:`.when.parse_when`: "friday 3" → Friday 15:00).
    - Two times in one phrase ("2pm 3pm") are refused.
"""

from __future__ import annotations

import re
from datetime import time

from ._phrase import FILLERS, Phrase, normalise, take

__all__ = ["hour_of", "lone_hour", "parse_time", "take_time"]

_PERIODS = {
    "morning": (time(9), "am"),
    "afternoon": (time(14), "pm"),
    "evening": (time(18), "pm"),
    "night": (time(20), "pm"),
    "firstthing": (time(9), "am"),
}
_PERIOD = re.compile(
    r"\b(?:(this|in the|at) )?(morning|afternoon|evening|night)\b|\b(tonight|firstthing)\b"
    r"(?: in the morning)?"
)
_CLOCKS = tuple(
    re.compile(pattern)
    for pattern in (
        r"\b(?:at )?(\d{1,2})(?::(\d{2}))? ?(am|pm)\b",
        r"\b(?:at )?(\d{1,2}):(\d{2})\b",
        r"\bat (\d{1,2})\b(?!:|\d|st|nd|rd|th)",
    )
)
_NAMED = re.compile(r"\b(?:at )?(noon|midnight)\b")


def hour_of(hour: int, minute: int, meridiem: str | None, bias: str | None) -> time | None:
    """The time ``hour:minute`` means under the rules above, or ``None`` when impossible."""
    if minute > 59 or hour > 23:
        return None
    if meridiem:
        if not 1 <= hour <= 12:
            return None
        return time(hour % 12 + (12 if meridiem == "pm" else 0), minute)
    if hour == 0 or hour > 12:
        return time(hour, minute)
    if hour == 12:
        return time(12, minute)
    if bias == "pm" or (bias is None and hour <= 7):
        return time(hour + 12, minute)
    return time(hour, minute)


def _take_period(s: str, phrase: Phrase) -> str:
    period, s = take(_PERIOD, s)
    if period is not None:
        name = period[2] or ("night" if period[3] == "tonight" else period[3])
        phrase.clock, phrase.bias = _PERIODS[name]
        phrase.night = name == "night"
        phrase.today_only = period[1] == "this" or period[3] == "tonight"
    return s


def _set_clock(phrase: Phrase, clock: time | None, meridiem: str | None) -> bool:
    """Record ``clock``; the night rules for "tonight at 12" and "tonight at 1"."""
    if clock is None:
        return False
    phrase.hour_given = True
    if phrase.night and meridiem is None and clock.minute == 0 and clock.hour == 12:
        phrase.midnight, phrase.clock = True, None
        return True
    if phrase.night and meridiem is None and 13 <= clock.hour <= 17:
        return False
    phrase.clock = clock
    return True


def take_time(s: str, phrase: Phrase) -> tuple[str, bool]:
    """Remove the time of day from ``s`` into ``phrase``; ``False`` when it makes no sense."""
    s = _take_period(s, phrase)
    found = False
    for pattern in _CLOCKS:
        match, s = take(pattern, s)
        if match is None:
            continue
        if found:
            return s, False
        found = True
        groups = match.groups()
        minute = int(groups[1] or 0) if len(groups) > 1 else 0
        meridiem = groups[2] if len(groups) > 2 else None
        if not _set_clock(phrase, hour_of(int(groups[0]), minute, meridiem, phrase.bias), meridiem):
            return s, False
    named, s = take(_NAMED, s)
    if named is not None:
        if found:
            return s, False
        phrase.hour_given = True
        if named[1] == "midnight":
            phrase.midnight, phrase.clock = True, None
        else:
            phrase.clock = time(12)
    return s, True


def lone_hour(s: str, phrase: Phrase) -> bool:
    """If ``s`` is only a number (and fillers), make it the hour of ``phrase``."""
    numbers = [word for word in s.split() if word not in FILLERS]
    if len(numbers) != 1 or not numbers[0].isdigit() or phrase.hour_given:
        return False
    return _set_clock(phrase, hour_of(int(numbers[0]), 0, None, phrase.bias), None)


def parse_time(text: str) -> time | None:
    """The time of day ``text`` names ("half past three" → 15:30, "4" → 16:00), or ``None``.

    "midnight" is 00:00 here; a phrase with a day in it gives ``None``.
    """
    phrase = Phrase()
    s, ok = take_time(normalise(text), phrase)
    if not ok:
        return None
    if s and not all(word in FILLERS for word in s.split()) and not lone_hour(s, phrase):
        return None
    if phrase.midnight:
        return time(0)
    return phrase.clock
