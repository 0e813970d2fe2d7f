"""Pure time arithmetic for scheduling: UTC spans, wall-clock grids, human formatting.

Arithmetic is done on UTC datetimes only (adding a timedelta to a zoned datetime does
wall-clock arithmetic, which is wrong across a DST change); wall-clock times are turned into
instants once, per local day, with :func:`instant`.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from ....errors import Invalid

__all__ = [
    "SLOT_MINUTES",
    "Span",
    "as_utc",
    "clock_time",
    "days_between",
    "grid",
    "inside",
    "instant",
    "intersect",
    "long_when",
    "minutes",
    "overlaps",
    "period",
    "short_day",
    "short_when",
    "subtract",
]

SLOT_MINUTES = 15
"""Granularity of offered slots (wall-clock minutes past the hour: 00, 15, 30, 45)."""

Span = tuple[datetime, datetime]
"""A half-open period [start, end) between two aware UTC datetimes."""


def as_utc(value: datetime, tz: ZoneInfo, field: str = "time") -> datetime:
    """``value`` in UTC; a naive datetime is read as wall-clock time in ``tz``."""
    if not isinstance(value, datetime):
        raise Invalid(f"“{value}” is not a date and time.", field=field)
    if value.tzinfo is None:
        value = value.replace(tzinfo=tz)
    return value.astimezone(UTC)


def instant(day: date, at: time, tz: ZoneInfo) -> datetime:
    """The UTC instant of wall-clock ``at`` on local ``day`` (``time(0)`` may mean midnight)."""
    return datetime.combine(day, at, tzinfo=tz).astimezone(UTC)


def period(day: date, opens: time, closes: time, tz: ZoneInfo) -> Span | None:
    """The UTC span of a local opening period; ``closes == 00:00`` means midnight."""
    start = instant(day, opens, tz)
    end = (
        instant(day + timedelta(days=1), time(0), tz)
        if closes == time(0)
        else instant(day, closes, tz)
    )
    return (start, end) if start < end else None


def grid(day: date, tz: ZoneInfo, step: int = SLOT_MINUTES) -> list[datetime]:
    """Every wall-clock slot start of local ``day`` as UTC, skipping times DST makes vanish."""
    starts: list[datetime] = []
    for minute in range(0, 24 * 60, step):
        wall = datetime.combine(day, time(minute // 60, minute % 60), tzinfo=tz)
        moment = wall.astimezone(UTC)
        if moment.astimezone(tz).replace(tzinfo=None) == wall.replace(tzinfo=None):
            starts.append(moment)
    return starts


def minutes(span: Span) -> int:
    return int((span[1] - span[0]).total_seconds() // 60)


def overlaps(a: Span, b: Span) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def inside(span: Span, spans: Iterable[Span]) -> bool:
    """True when ``span`` lies entirely within one of ``spans``."""
    return any(s <= span[0] and span[1] <= e for s, e in spans)


def intersect(left: Iterable[Span], right: Iterable[Span]) -> list[Span]:
    out = [(max(a, c), min(b, d)) for a, b in left for c, d in right]
    return sorted(s for s in out if s[0] < s[1])


def subtract(spans: Iterable[Span], cuts: Iterable[Span]) -> list[Span]:
    """``spans`` with every ``cut`` removed."""
    result = sorted(spans)
    for cut_start, cut_end in cuts:
        pieces: list[Span] = []
        for start, end in result:
            if cut_end <= start or end <= cut_start:
                pieces.append((start, end))
                continue
            if start < cut_start:
                pieces.append((start, cut_start))
            if cut_end < end:
                pieces.append((cut_end, end))
        result = pieces
    return result


def days_between(first: date, last: date) -> list[date]:
    """Every day from ``first`` to ``last`` inclusive."""
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def clock_time(value: datetime | time, tz: ZoneInfo | None = None) -> str:
    """``"14:30"``."""
    if isinstance(value, datetime) and tz is not None:
        value = value.astimezone(tz)
    return f"{value:%H:%M}"


def short_day(value: date) -> str:
    """``"Thu 19 Nov"`` (portable: no ``%-d``)."""
    return f"{value:%a} {value.day} {value:%b}"


def short_when(value: datetime, tz: ZoneInfo) -> str:
    """``"Thu 19 Nov 14:30"`` in ``tz``."""
    local = value.astimezone(tz)
    return f"{short_day(local.date())} {local:%H:%M}"


def long_when(value: datetime, tz: ZoneInfo) -> str:
    """``"Thursday 19 November at 14:30"`` in ``tz``."""
    local = value.astimezone(tz)
    return f"{local:%A} {local.day} {local:%B} at {local:%H:%M}"
