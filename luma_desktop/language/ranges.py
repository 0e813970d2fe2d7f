"""Spans of days: "next week" → Monday..Sunday, "this month", "monday to friday", "december".

:func:`parse_range` gives a :class:`DateRange` (first and last day, both included) or ``None``.

Ambiguity rules
    - Weeks run Monday to Sunday. "this week" is the whole week, days gone included; "next
      week" / "last week" the week after / before; "the week after next" the one after that.
      "this/next/last month" and "this/next/last year" likewise. "the weekend" / "this
      weekend" is this week's Saturday and Sunday; "next weekend" next week's.
    - "the rest of the week/month/year" runs from today to its last day.
    - "the next 7 days" starts today and covers 7 days (today to 6 days on); "the last 7 days"
      / "the past 7 days" ends today (6 days ago to today); also in weeks ("next 2 weeks");
      "the past week" is the last 7 days (but "last week" is the calendar week before this).
    - A month name alone ("december", "in december") is the next such month counting the
      current one; with a year ("december 2027") that month.
    - "X to Y", "from X to Y", "between X and Y", "X until Y": both ends are day phrases read as
      :func:`.when.parse_day` reads them. A weekday end before the start moves a week on
      ("friday to monday" runs over the weekend); any other end before the start is refused.
      A bare day number at the start takes the end's month ("the 20th to the 25th of
      december" is 20-25 December). "until friday" runs from today to Friday.
    - Any other day phrase ("tomorrow", "the 14th") is a one-day range.
"""

from __future__ import annotations

import calendar
import re
from datetime import UTC, date, datetime, time, timedelta
from typing import NamedTuple
from zoneinfo import ZoneInfo

from ._phrase import normalise
from .days import MONTH, MONTHS, period, week_start
from .when import parse_day

__all__ = ["DateRange", "parse_range"]


class DateRange(NamedTuple):
    """Days from ``start`` to ``end``, both included."""

    start: date
    end: date

    @property
    def days(self) -> int:
        """How many days the range covers."""
        return (self.end - self.start).days + 1

    def bounds(self, tz: ZoneInfo) -> tuple[datetime, datetime]:
        """The first instant and the end (exclusive) in ``tz``, as aware datetimes."""
        start = datetime.combine(self.start, time.min, tzinfo=tz).astimezone(UTC)
        end = datetime.combine(self.end + timedelta(days=1), time.min, tzinfo=tz).astimezone(UTC)
        return start.astimezone(tz), end.astimezone(tz)


_PERIOD = re.compile(r"(?:the )?(this|next|last|the) (week|weekend|month|year)")
_WEEK_AFTER_NEXT = re.compile(r"(?:the )?week after next")
_REST = re.compile(r"(?:the )?(?:rest|remainder) of (?:the |this )?(week|month|year)")
_SPAN = re.compile(r"(?:the )?(next|coming|last|past) (?:(\d+) )?(days?|weeks?)")
_MONTH_ALONE = re.compile(rf"(?:in |during )?{MONTH}(?: (\d{{4}}))?")
_BETWEEN = re.compile(r"(?:from |between )?(.+?) (?:to|until|till|through|and) (.+)")
_UNTIL = re.compile(r"(?:until|till|up to|through) (.+)")
_BARE_DAY = re.compile(r"(?:the )?(\d{1,2})(?:st|nd|rd|th)?")
_LEADING = re.compile(r"^(?:(?:for|during|over|on) )+")
_WEEKDAY_END = re.compile(
    r"(?:on |this )?(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?"
)


def _span(match: re.Match[str], today: date) -> DateRange:
    count = int(match[2] or 1) * (7 if match[3].startswith("w") else 1)
    if match[1] in ("next", "coming"):
        return DateRange(today, today + timedelta(days=count - 1))
    return DateRange(today - timedelta(days=count - 1), today)


def _month(match: re.Match[str], today: date) -> DateRange:
    month = MONTHS[match[1]]
    year = int(match[2]) if match[2] else today.year + (month < today.month)
    return DateRange(date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1]))


def _named(s: str, today: date) -> DateRange | None:
    """The range forms that are more than one day."""
    if _WEEK_AFTER_NEXT.fullmatch(s):
        start = week_start(today) + timedelta(days=14)
        return DateRange(start, start + timedelta(days=6))
    if match := _PERIOD.fullmatch(s):
        return DateRange(*period(match[2], match[1], today))
    if match := _REST.fullmatch(s):
        return DateRange(today, period(match[1], None, today)[1])
    if (match := _SPAN.fullmatch(s)) and int(match[2] or 1) > 0:
        return _span(match, today)
    if match := _MONTH_ALONE.fullmatch(s):
        return _month(match, today)
    return None


def _start(text: str, end: date, end_text: str, today: date) -> date | None:
    """The start day; "the 20th to the 25th of december": a bare day takes the end's month."""
    bare = _BARE_DAY.fullmatch(text)
    if bare and re.search(rf"\b{MONTH}\b", end_text):
        try:
            return end.replace(day=int(bare[1]))
        except ValueError:
            return None
    return parse_day(text, today)


def _until(match: re.Match[str], today: date) -> DateRange | None:
    end = parse_day(match[1], today)
    return DateRange(today, end) if end is not None and end >= today else None


def _between(s: str, today: date) -> DateRange | None:
    match = _BETWEEN.fullmatch(s)
    if match is None:
        return None
    end = parse_day(match[2], today)
    start = _start(match[1], end, match[2], today) if end is not None else None
    if start is None or end is None:
        return None
    if end < start and _WEEKDAY_END.fullmatch(match[2]):
        end += timedelta(days=7 * ((start - end).days // 7 + 1))
    return DateRange(start, end) if end >= start else None


def parse_range(text: str, today: date) -> DateRange | None:
    """The days ``text`` spans ("next week", "this month", "monday to friday"), or ``None``."""
    s = _LEADING.sub("", normalise(text))
    named = _named(s, today)
    if named is not None:
        return named
    if until := _UNTIL.fullmatch(s):
        return _until(until, today)
    between = _between(s, today)
    if between is not None:
        return between
    day = parse_day(s, today)
    return DateRange(day, day) if day is not None else None
