"""Days of a business calendar: "friday", "next monday", "the 14th", "end of next week".

:func:`take_day` lifts the day out of a normalised phrase for :mod:`.when`; the calendar
helpers (:func:`period`, :func:`next_date`, :func:`add_months`) serve :mod:`.ranges` too.
Weeks run Monday to Sunday; the working week ends on Friday.

Ambiguity rules
    - A plain weekday ("friday", "on fri") is the next such day after today: on a Friday,
      "friday" is a week ahead, unless a time is given that is still to come today ("friday at
      3" said on Friday at 10:00 is today 15:00; said at 16:00 it is next week).
    - "this friday" / "this coming friday" counts today: the coming Friday, today on a Friday.
    - "next friday" is the Friday of next week, as UK speakers mean it: said on Wednesday 18
      November it is 27 November, not 20 November ("this friday"). "next monday" said on any
      day is the Monday of next week (on a Sunday, tomorrow).
    - "last friday" is the most recent Friday before today (a week ago on a Friday).
    - "friday next week" / "next week friday" = "next friday"; "friday this week" = "this friday".
    - UK "friday week" and "a week on friday" are a week after this Friday (on a Friday, a
      week today); "a week today"
      / "a week from today" = today + 7 days; "a week tomorrow" = tomorrow + 7 days.
    - "the 14th" is the next 14th counting today (months without that day are skipped: "the
      31st" in November is 31 December). "14th of december" / "december 14" without a year is
      the next such date counting today ("3 november" said on 18 November 2026 is in 2027;
      "29 feb" finds the next leap year).
    - "monday the 14th" must agree: the weekday is checked against the date, never used to
      move it; a disagreement is refused.
    - Slash dates are read only when they cannot be misread: "14/12" and "12/14" are 14
      December; "3/4" (3 April or 4 March?) is refused.
    - "next week" is the Monday of next week, "next month" the 1st of next month, "next year"
      1 January; "the week after next" the Monday in two weeks.
    - "end of the week" is the end of the working week: the coming Friday (today on a Friday;
      on a weekend, next Friday); "end of next week" the Friday of next week; "end of the
      month" / "month end" its last day; "end of next month" the last day of next month; "end
      of the year" 31 December. "start of next week/month/year" is its first day.
    - "this weekend" / "the weekend" is the coming Saturday (today on a Saturday or Sunday);
      "next weekend" the Saturday of next week.
    - "in 3 days", "in two weeks", "in a month", "3 days from now" are that far from today
      (a month later on the same day number, or the month's last day when it is shorter).
    - Fixed holidays: "christmas (day)", "christmas eve", "boxing day", "new year's eve",
      "new year's day" are the next such date counting today. Movable feasts are not known.
    - Two different days in one phrase ("tomorrow friday") are refused.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from datetime import date, timedelta

from ._phrase import Phrase, take

__all__ = [
    "MONTH",
    "MONTHS",
    "add_months",
    "next_date",
    "period",
    "take_day",
    "week_start",
]

MONTHS = {name.lower(): n for n, name in enumerate(calendar.month_name) if name}
MONTHS |= {name.lower(): n for n, name in enumerate(calendar.month_abbr) if name} | {"sept": 9}
MONTH = "(" + "|".join(sorted(MONTHS, key=len, reverse=True)) + ")"
"""A regex group matching a month name or abbreviation."""
# fmt: off
_WEEKDAYS = {"monday": 0, "mon": 0, "tuesday": 1, "tue": 1, "tues": 1, "wednesday": 2, "wed": 2,
             "thursday": 3, "thu": 3, "thur": 3, "thurs": 3, "friday": 4, "fri": 4,
             "saturday": 5, "sat": 5, "sunday": 6, "sun": 6}
# fmt: on
_WEEKDAY = "(" + "|".join(sorted(_WEEKDAYS, key=len, reverse=True)) + ")"
_HOLIDAYS = {"christmas eve": (12, 24), "christmas": (12, 25), "boxing": (12, 26),
             "new years eve": (12, 31), "new years": (1, 1)}  # fmt: skip
_OFFSETS = {"this": 0, "the": 0, "next": 1, "last": -1, None: 0}
_ORD = r"(?:st|nd|rd|th)"


# --- calendar ----------------------------------------------------------------------------------


def add_months(day: date, months: int) -> date:
    """``day`` moved by whole months, clamped to the month's last day (31 Jan + 1 → 28 Feb)."""
    year, month = divmod(day.month - 1 + months, 12)
    year += day.year
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def next_date(today: date, month: int | None, day: int) -> date | None:
    """The next ``day`` (of ``month``, or of any month) counting today; ``None`` if none."""
    for step in range(12 * 8 + 1):
        year, m = divmod(today.month - 1 + step, 12)
        if month is not None and m + 1 != month:
            continue
        try:
            candidate = date(today.year + year, m + 1, day)
        except ValueError:
            continue
        if candidate >= today:
            return candidate
    return None


def week_start(day: date) -> date:
    """The Monday of ``day``'s week."""
    return day - timedelta(days=day.weekday())


def period(unit: str, which: str | None, today: date) -> tuple[date, date]:
    """First and last day of this/next/last ``unit`` (week, weekend, month, year)."""
    offset = _OFFSETS[which]
    if unit in ("week", "weekend"):
        start = week_start(today) + timedelta(days=7 * offset + (5 if unit == "weekend" else 0))
        return start, start + timedelta(days=1 if unit == "weekend" else 6)
    if unit == "month":
        first = add_months(today.replace(day=1), offset)
        return first, first.replace(day=calendar.monthrange(first.year, first.month)[1])
    return date(today.year + offset, 1, 1), date(today.year + offset, 12, 31)


def _this(wanted: int, today: date) -> date:
    """The coming ``wanted`` weekday counting today."""
    return today + timedelta(days=(wanted - today.weekday()) % 7)


def _coming(wanted: int, today: date, phrase: Phrase) -> date:
    ahead = (wanted - today.weekday()) % 7
    if ahead == 0:
        ahead = 7
        phrase.same_weekday = True
    return today + timedelta(days=ahead)


# --- patterns ----------------------------------------------------------------------------------

_Handler = Callable[[re.Match[str], date, Phrase], date | None]


def _dated(year: str | None, month: int, day: int, today: date) -> date | None:
    if year is None:
        return next_date(today, month, day)
    try:
        return date(int(year) + (2000 if len(year) == 2 else 0), month, day)
    except ValueError:
        return None


def _weekday(m: re.Match[str], today: date, phrase: Phrase) -> date:
    which, wanted = m[1], _WEEKDAYS[m[2]]
    if which == "this":
        return _this(wanted, today)
    if which == "last":
        return today - timedelta(days=(today.weekday() - wanted) % 7 or 7)
    if which == "next":
        return week_start(today) + timedelta(days=7 + wanted)
    return _coming(wanted, today, phrase)


def _in_week(m: re.Match[str], today: date, phrase: Phrase) -> date:
    name, which = (m[1], m[2]) if m[1] else (m[4], m[3])
    return period("week", which, today)[0] + timedelta(days=_WEEKDAYS[name])


def _bound(m: re.Match[str], today: date, phrase: Phrase) -> date:
    edge, which, unit = m[1], m[2], m[3]
    if edge != "end":
        return period(unit, which, today)[0]
    phrase.end_of = True
    if unit == "week" and which in ("next", "last"):
        return week_start(today) + timedelta(days=11 if which == "next" else -3)
    if unit == "week":
        return _this(4, today)
    return period(unit, which, today)[1]


def _weekend(m: re.Match[str], today: date, phrase: Phrase) -> date:
    if m[1] in (None, "this") and today.weekday() >= 5:
        return today
    return period("weekend", m[1], today)[0]


def _offset(m: re.Match[str], today: date, phrase: Phrase) -> date:
    count, unit = int(m[1] or m[3]), (m[2] or m[4])[0]
    if unit in "my":
        return add_months(today, count * (12 if unit == "y" else 1))
    return today + timedelta(days=count * (7 if unit == "w" else 1))


def _from_base(m: re.Match[str], today: date, phrase: Phrase) -> date:
    base = today + timedelta(days=1 if m[3] == "tomorrow" else 0)
    return base + timedelta(days=int(m[1]) * (7 if m[2].startswith("w") else 1))


def _slash(m: re.Match[str], today: date, phrase: Phrase) -> date | None:
    first, second = int(m[1]), int(m[2])
    if first <= 12 and second <= 12 and first != second:
        return None  # 3/4: day-first or month-first? we ask
    day, month = (second, first) if first <= 12 < second else (first, second)
    return _dated(m[3], month, day, today) if 1 <= month <= 12 else None


def _of_month(m: re.Match[str], today: date, phrase: Phrase) -> date | None:
    first = period("month", m[2], today)[0]
    try:
        return first.replace(day=int(m[1]))
    except ValueError:
        return None


def _iso(m: re.Match[str], today: date, phrase: Phrase) -> date | None:
    try:
        return date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return None


def _plus(days: int) -> _Handler:
    return lambda m, today, phrase: today + timedelta(days=days)


def _end_of_unit(m: re.Match[str], today: date, phrase: Phrase) -> date:
    phrase.end_of = True
    return period(m[1], None, today)[1]


_DAYS: tuple[tuple[re.Pattern[str], _Handler], ...] = tuple(
    (re.compile(pattern), handler)
    for pattern, handler in (
        (r"\b(?:the )?day after tomorrow\b", _plus(2)),
        (r"\b(?:the )?day before yesterday\b", _plus(-2)),
        (r"\b(\d+) (days?|weeks?) (?:from )?(today|tomorrow)\b", _from_base),
        (
            rf"\b(\d+) weeks? (?:on|from) {_WEEKDAY}\b",
            lambda m, t, p: _this(_WEEKDAYS[m[2]], t) + timedelta(days=7 * int(m[1])),
        ),
        (
            rf"\b{_WEEKDAY} (this|next|last) week\b|\b(this|next|last) week (?:on )?{_WEEKDAY}\b",
            _in_week,
        ),
        (rf"\b{_WEEKDAY} week\b", lambda m, t, p: _this(_WEEKDAYS[m[1]], t) + timedelta(7)),
        (
            r"\b(christmas eve|christmas(?: day)?|boxing day|new years eve|new years(?: day)?)\b",
            lambda m, t, p: next_date(t, *_HOLIDAYS[m[1].removesuffix(" day")]),
        ),
        (r"\btoday\b", _plus(0)),
        (r"\btomorrow\b", _plus(1)),
        (r"\byesterday\b", _plus(-1)),
        (
            r"\b(?:the )?(end|start|beginning) of (?:(the|this|next|last) )?(week|month|year)\b",
            _bound,
        ),
        (r"\b(month|year) end\b", _end_of_unit),
        (
            r"\b(?:the )?last day of (?:(the|this|next) )?month\b",
            lambda m, t, p: period("month", m[1], t)[1],
        ),
        (rf"\b(\d{{1,2}}){_ORD}? of (this|next) month\b", _of_month),
        (r"\b(?:(this|next|last) )?weekend\b", _weekend),
        (r"\b(?:the )?week after next\b", lambda m, t, p: week_start(t) + timedelta(14)),
        (r"\bnext (week|month|year)\b", lambda m, t, p: period(m[1], "next", t)[0]),
        (
            r"\bin (\d+) (days?|weeks?|months?|years?)(?: time)?\b"
            r"|\b(\d+) (days?|weeks?|months?|years?) (?:from now|later)\b",
            _offset,
        ),
        (r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b", _iso),
        (r"\b(\d{1,2})/(\d{1,2})(?:/(\d{4}|\d{2}))?\b", _slash),
        (
            rf"\b(\d{{1,2}}){_ORD}? (?:of )?{MONTH}(?: (\d{{4}}))?\b",
            lambda m, t, p: _dated(m[3], MONTHS[m[2]], int(m[1]), t),
        ),
        (
            rf"\b{MONTH} (?:the )?(\d{{1,2}}){_ORD}?(?: (\d{{4}}))?\b",
            lambda m, t, p: _dated(m[3], MONTHS[m[1]], int(m[2]), t),
        ),
        (
            rf"\b(\d{{1,2}}){_ORD}\b|\bthe (\d{{1,2}})\b(?! ?(?:am|pm|:))",
            lambda m, t, p: next_date(t, None, int(m[1] or m[2])),
        ),
        (rf"\b(?:(this|next|last) )?{_WEEKDAY}\b", _weekday),
    )
)
_DATE_AHEAD = (
    rf"(?:the )?\d{{1,2}}{_ORD}\b|the \d{{1,2}}\b|\d{{1,2}}{_ORD}? (?:of )?{MONTH}\b"
    rf"|{MONTH} (?:the )?\d"
)
_CHECKED_WEEKDAY = re.compile(rf"\b{_WEEKDAY} (?={_DATE_AHEAD})")
_EDGE = re.compile(
    r"\b(?:the )?end of (?:the )?day\b|\b(?:the )?(end|start|beginning) of\b"
    r"(?! (?:the |this |next |last )?(?:week|month|year)\b)"
)


def _take_modifiers(s: str, phrase: Phrase) -> str:
    """ "monday the 14th" (a weekday to check) and "end of (the day)" (a time default)."""
    checked, s = take(_CHECKED_WEEKDAY, s)
    if checked is not None:
        phrase.weekday = _WEEKDAYS[checked[1]]
    edge, s = take(_EDGE, s)
    if edge is not None and edge[1] in (None, "end"):
        phrase.end_of = True
    return s


def take_day(s: str, today: date, phrase: Phrase) -> tuple[str, bool]:
    """Remove the day from ``s`` into ``phrase``; ``False`` when it makes no sense."""
    s = _take_modifiers(s, phrase)
    for pattern, handler in _DAYS:
        match, rest = take(pattern, s)
        if match is None:
            continue
        if phrase.day is not None:
            return rest, False  # two days in one phrase
        day = handler(match, today, phrase)
        if day is None:
            return rest, False
        phrase.day, s = day, rest
    if phrase.weekday is not None and (
        phrase.day is None or phrase.day.weekday() != phrase.weekday
    ):
        return s, False
    return s, True
