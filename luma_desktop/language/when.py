"""Natural-language moments and days in the business timezone: the one date parser of Luma.

:func:`parse_when` turns a phrase into an aware datetime; :func:`parse_day` into a date; both
answer ``None`` for anything they do not fully understand (unknown words, "31 february",
"25pm", "3/4"), so callers can ask again with :data:`ACCEPTED_FORMS` as a hint. ``now`` is
aware and in the business timezone; results are in the same timezone. The rules for times of
day are in :mod:`.times`, for days in :mod:`.days`, for ranges ("next week") in :mod:`.ranges`.

Ambiguity rules (combining)
    - A day and a time combine in either order ("tomorrow at 2pm", "2pm tomorrow").
    - A day alone is at 09:00 (:data:`DEFAULT_TIME`), an "end of ..." phrase at 18:00
      (:data:`END_OF_DAY`, close of business). A day alone that is today is the first of
      09:00 and 18:00 still ahead, else 23:59.
    - A time alone is its next occurrence: today when still ahead, else tomorrow ("noon" said at
      14:30 is tomorrow 12:00). "this morning", "this evening" and "tonight" always mean today.
    - "midnight" ends the day named: "tomorrow at midnight" is 00:00 the day after tomorrow.
    - A plain weekday with a time that is still ahead today means today ("friday at 3" on a
      Friday morning); otherwise see :mod:`.days`.
    - A lone number beside a day is the hour ("friday 3" → Friday 15:00); a lone number alone
      is an hour too ("4" → the next 16:00), since callers only ask when they expect a time.
    - "in 30 minutes", "in two hours", "in half an hour", "in an hour and a half", "2 hours
      from now" are exactly that long from ``now`` (real time, across clock changes) and take
      no day or time. Offsets in days, weeks, months or years name a day ("in 3 days" →
      09:00 three days on).
    - ISO forms: "2026-12-01" (a day), "2026-12-01T14:00" / "2026-12-01 14:00" (local wall
      clock), "2026-12-01T14:00Z" / "+01:00" (that instant, shown in the business timezone).
    - Clock changes: a wall-clock time that does not exist (01:30 on the spring-forward day in
      London) moves forward by the gap (02:30 BST); one that happens twice (01:30 on the
      autumn day) is the first of the two (BST).
    - Negative offsets ("in -2 hours", "minus 3 days") and "ago" are refused.
    - Past moments are returned as said ("yesterday at 3", "this morning" in the afternoon);
      callers decide whether the past is allowed.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta

from ._phrase import FILLERS, Phrase, normalise
from ._text import clean
from .days import take_day
from .durations import parse_duration
from .times import lone_hour, take_time

__all__ = ["ACCEPTED_FORMS", "DEFAULT_TIME", "END_OF_DAY", "parse_day", "parse_when"]

DEFAULT_TIME = time(9)
"""When a day is named without a time."""
END_OF_DAY = time(18)
"""Close of business: the time of "end of the day/week/month"."""
ACCEPTED_FORMS = (
    "Try “tomorrow at 2pm”, “friday at 3”, “in two hours”, “next monday”, “the 14th”, "
    "“end of the month”, “1 december at 9:30” or “2026-12-01”."
)
"""A hint for people whose phrase was not understood."""

_ISO_MOMENT = re.compile(
    r"\d{4}-\d{2}-\d{2}[t ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:z|[+-]\d{2}:?\d{2})?"
)
_RELATIVE = re.compile(r"in (?P<a>.+?)(?: time)?|(?P<b>.+?) from now")
_NEGATIVE = re.compile(r"(?:^|\s)-\s*\d|\b(?:minus|ago)\b")
_CALENDAR_UNIT = re.compile(r"\b(?:days?|weeks?|fortnights?|months?|years?)\b")


def _iso_moment(text: str, now: datetime) -> datetime | None:
    s = text.strip().lower()
    if not _ISO_MOMENT.fullmatch(s):
        return None
    try:
        moment = datetime.fromisoformat(s.upper().replace(" ", "T"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        return _wall(moment.date(), moment.time(), now)
    return moment.astimezone(now.tzinfo)


def _relative(text: str) -> timedelta | None:
    """ "in two hours", "90 minutes from now": an exact offset in hours and minutes."""
    s = clean(text, keep=".:").replace("'", "")
    match = _RELATIVE.fullmatch(s)
    if match is None:
        return None
    inner = match["a"] or match["b"]
    if _CALENDAR_UNIT.search(inner):
        return None
    return parse_duration(inner)


def _wall(day: date, clock: time, now: datetime) -> datetime:
    """``day`` at ``clock`` in ``now``'s timezone, through UTC so clock-change gaps resolve."""
    return datetime.combine(day, clock, tzinfo=now.tzinfo).astimezone(UTC).astimezone(now.tzinfo)


def _read(text: str, today: date) -> Phrase | None:
    """The day and time parts of ``text``, or ``None`` when something is left unexplained."""
    phrase = Phrase()
    s, ok = take_time(normalise(text), phrase)
    if ok:
        s, ok = take_day(s, today, phrase)
    if not ok:
        return None
    if all(word in FILLERS for word in s.split()) or lone_hour(s, phrase):
        return phrase
    return None


def parse_when(text: str, now: datetime) -> datetime | None:
    """The moment ``text`` names, in ``now``'s timezone, or ``None`` (see the module rules)."""
    if now.tzinfo is None:
        raise ValueError("parse_when needs an aware 'now'")
    if _NEGATIVE.search(text.lower()):
        return None
    iso = _iso_moment(text, now)
    if iso is not None:
        return iso
    delta = _relative(text)
    if delta is not None:
        return (now.astimezone(UTC) + delta).astimezone(now.tzinfo)
    phrase = _read(text, now.date())
    if phrase is None or not (phrase.day or phrase.clock or phrase.midnight or phrase.end_of):
        return None
    return _moment(phrase, now)


def _moment(phrase: Phrase, now: datetime) -> datetime:
    today = now.date()
    if phrase.midnight:
        return _wall((phrase.day or today) + timedelta(days=1), time(0), now)
    if phrase.clock is None:
        return _day_alone(phrase.day or today, phrase.end_of, now)
    if phrase.day is not None:
        if phrase.same_weekday and _wall(today, phrase.clock, now) > now:
            return _wall(today, phrase.clock, now)
        return _wall(phrase.day, phrase.clock, now)
    candidate = _wall(today, phrase.clock, now)
    if candidate <= now and not phrase.today_only:
        candidate = _wall(today + timedelta(days=1), phrase.clock, now)
    return candidate


def _day_alone(day: date, end_of: bool, now: datetime) -> datetime:
    if end_of:
        return _wall(day, END_OF_DAY, now)
    if day != now.date():
        return _wall(day, DEFAULT_TIME, now)
    ahead = [_wall(day, t, now) for t in (DEFAULT_TIME, END_OF_DAY) if _wall(day, t, now) > now]
    return ahead[0] if ahead else _wall(day, time(23, 59), now)


def parse_day(text: str, today: date) -> date | None:
    """The day ``text`` names ("friday", "the 14th", "end of the month"), or ``None``.

    Only day phrases count: a phrase with a time of day ("tomorrow at 2pm") or an exact offset
    ("in two hours") gives ``None``.
    """
    if _NEGATIVE.search(text.lower()) or _relative(text) is not None:
        return None
    phrase = Phrase()
    s = normalise(text)
    rest, ok = take_time(s, phrase)
    if not ok or rest != s:
        return None
    s, ok = take_day(s, today, phrase)
    if not ok or not all(word in FILLERS for word in s.split()):
        return None
    if phrase.day is None and phrase.end_of:
        return today
    return phrase.day
