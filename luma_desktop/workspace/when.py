"""Natural-language dates and times ("friday at 3", "in two hours") in the business timezone.

:func:`parse_when` turns a phrase into an aware datetime; :func:`parse_day` into a date. Both
answer ``None`` for anything they do not fully understand (unknown words, "31 february", "25pm"),
so callers can ask again with :data:`ACCEPTED_FORMS` as a hint. ``now`` is aware and in the
business timezone; results are in the same timezone.

Times of day
    "2pm", "2:30 pm", "9.30", "14:00", "at 3", "three thirty", "two p m", "half past two",
    "quarter to five", "ten past six". An hour without am/pm follows business hours: 1-7 are
    afternoon ("at 3" → 15:00), 8-12 are morning or noon ("at 9" → 09:00); 0 and 13-23 are a
    24-hour clock. "noon"/"midday" is 12:00; "midnight" ends the day named: 00:00 of the next day.
    "morning" 09:00, "afternoon" 14:00, "evening" 18:00, "tonight"/"night" 20:00; beside a bare
    hour they choose am/pm ("tonight at 9" → 21:00, "morning at 7" → 07:00).
Days
    "today", "tomorrow", "the day after tomorrow", "yesterday". A weekday ("friday", "on fri") is
    the next such day after today (on a Friday, "friday" is a week ahead); "this friday" counts
    today; "next friday" is the Friday of next week (weeks run Monday to Sunday). "the 14th" is the
    next 14th counting today (skipping months without one). "1 december", "dec 1st",
    "december 1 2027", "2026-12-01": without a year, the next such date counting today.
    "in 3 days", "in two weeks", "in a month": that far from today. "next week" is Monday of next
    week, "next month" the 1st of next month. "end of the day" is today, "end of the week" the
    coming Friday (today on a Friday), "end of the month" its last day.
Combining
    A day and a time combine in either order ("tomorrow at 2pm", "2pm tomorrow"). A day alone is
    at 09:00 (:data:`DEFAULT_TIME`) and an "end of ..." phrase at 18:00 (:data:`END_OF_DAY`);
    when a day alone means today, it is the first of 09:00 and 18:00 still ahead, else 23:59.
    A time alone is its next occurrence: today when still ahead, else tomorrow ("this morning",
    "this evening" and "tonight" always mean today). "in 30 minutes", "in two hours",
    "in half an hour", "in an hour and a half", "2 hours from now" are exactly that long from
    ``now`` and take no day or time.
Spoken numbers ("two", "twenty five", "fourteenth") are read as digits, and "a"/"an" before a
unit as one. Filler words "at", "on", "by", "the", "for", "until" are ignored.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

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

# fmt: off
_SMALL = {w: n for n, w in enumerate([
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
    "nineteen",
])}
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50}
_ORDINALS = {w: n for n, w in enumerate([
    "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth",
    "tenth", "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth",
    "seventeenth", "eighteenth", "nineteenth",
], 1)}
# fmt: on
_ORDINALS |= {"twentieth": 20, "thirtieth": 30}
_UNIT = r"(?:minutes?|mins?|hours?|hrs?|days?|weeks?|months?)"
_MONTHS = {name.lower(): n for n, name in enumerate(calendar.month_name) if name}
_MONTHS |= {name.lower(): n for n, name in enumerate(calendar.month_abbr) if name}
_MONTHS["sept"] = 9
_MONTH = "(" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + ")"
# fmt: off
_WEEKDAYS = {"monday": 0, "mon": 0, "tuesday": 1, "tue": 1, "tues": 1, "wednesday": 2, "wed": 2,
             "thursday": 3, "thu": 3, "thur": 3, "thurs": 3, "friday": 4, "fri": 4,
             "saturday": 5, "sat": 5, "sunday": 6, "sun": 6}
# fmt: on
_WEEKDAY = "(" + "|".join(sorted(_WEEKDAYS, key=len, reverse=True)) + ")"
_FILLERS = frozenset({"at", "on", "by", "the", "for", "until", "till"})
_PERIODS = {
    "morning": (time(9), "am"),
    "afternoon": (time(14), "pm"),
    "evening": (time(18), "pm"),
    "night": (time(20), "pm"),
}


@dataclass
class _Parsed:
    """What a phrase said, before it is turned into a moment."""

    day: date | None = None
    clock: time | None = None
    midnight: bool = False
    today_only: bool = False  # "tonight", "this evening"
    end_of: bool = False  # "end of the week" defaults to END_OF_DAY


# --- normalising -------------------------------------------------------------------------------


def _ordinal(n: int) -> str:
    suffix = "th" if 11 <= n % 100 <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _number_words(tokens: list[str]) -> tuple[list[str], list[bool]]:
    """Spoken numbers to digits; the flags mark cardinals that were spoken (for "three thirty")."""
    out: list[str] = []
    spoken: list[bool] = []
    i = 0
    while i < len(tokens):
        tok, nxt = tokens[i], tokens[i + 1] if i + 1 < len(tokens) else ""
        step, value, is_spoken = 1, tok, False
        if tok in _TENS and nxt in _SMALL and 0 < _SMALL[nxt] < 10:
            step, value, is_spoken = 2, str(_TENS[tok] + _SMALL[nxt]), True
        elif tok in _TENS and nxt in _ORDINALS and _ORDINALS[nxt] < 10:
            step, value = 2, _ordinal(_TENS[tok] + _ORDINALS[nxt])
        elif tok in _TENS or tok in _SMALL:
            value, is_spoken = str(_TENS.get(tok, _SMALL.get(tok))), True
        elif tok in _ORDINALS:
            value = _ordinal(_ORDINALS[tok])
        elif tok in ("a", "an") and re.fullmatch(_UNIT, nxt):
            value = "1"
        out.append(value)
        spoken.append(is_spoken)
        i += step
    return out, spoken


def _spoken_clock(tokens: list[str], spoken: list[bool]) -> list[str]:
    """Join a spoken hour and its minutes: "3 30" → "3:30", "3 oh 5" → "3:05"."""
    out: list[str] = []
    i = 0
    while i < len(tokens):
        hour_ok = spoken[i] and 1 <= int(tokens[i]) <= 12 and (i == 0 or tokens[i - 1] != "in")
        if hour_ok and i + 1 < len(tokens) and spoken[i + 1] and 10 <= int(tokens[i + 1]) <= 59:
            out.append(f"{tokens[i]}:{tokens[i + 1]}")
            i += 2
            continue
        if (
            hour_ok
            and i + 2 < len(tokens)
            and tokens[i + 1] == "oh"
            and spoken[i + 2]
            and int(tokens[i + 2]) < 10
        ):
            out.append(f"{tokens[i]}:0{tokens[i + 2]}")
            i += 3
            continue
        out.append(tokens[i])
        i += 1
    return out


def _past_to(match: re.Match[str]) -> str:
    minutes = {"half": 30, "quarter": 15}.get(match[1]) or int(match[1])
    hour = int(match[3])
    if not (1 <= hour <= 12 and 1 <= minutes <= 59):
        return match[0]
    if match[2] == "to":
        hour, minutes = (hour - 2) % 12 + 1, 60 - minutes
    return f"{hour}:{minutes:02d}"


def _normalise(text: str) -> str:
    s = text.lower().replace("’", "'")
    s = re.sub(r"\bo'?\s?clock\b", " ", s)
    s = re.sub(r"\b([ap])\.?\s?m\b\.?", r"\1m", s)
    s = re.sub(r"\b(\d{1,2})\.(\d{2})\b", r"\1:\2", s)
    s = re.sub(r"(?<=[a-z])-(?=[a-z])", " ", s)
    s = re.sub(r"[^a-z0-9:\- ]", " ", s)
    s = " ".join(s.split())
    for phrase, plain in (
        ("an hour and a half", "90 minutes"),
        ("half an hour", "30 minutes"),
        ("a quarter of an hour", "15 minutes"),
        ("a couple of", "two"),
        ("couple of", "two"),
    ):
        s = re.sub(rf"\b{phrase}\b", plain, s)
    tokens, spoken = _number_words(s.split())
    s = " ".join(_spoken_clock(tokens, spoken))
    s = re.sub(r"\b(half|quarter|\d{1,2})(?: minutes?)? (past|to) (\d{1,2})\b", _past_to, s)
    return " ".join(s.split())


# --- pieces ------------------------------------------------------------------------------------


def _take(pattern: str, s: str) -> tuple[re.Match[str] | None, str]:
    """The first match of ``pattern`` in ``s`` and ``s`` without it."""
    match = re.search(pattern, s)
    if match is None:
        return None, s
    return match, " ".join((s[: match.start()] + " " + s[match.end() :]).split())


def _hour(hour: int, minute: int, meridiem: str | None, bias: str | None) -> time | None:
    if minute > 59 or hour > 23:
        return None
    if meridiem:
        if not 1 <= hour <= 12:
            return None
        return time(hour % 12 + (12 if meridiem == "pm" else 0), minute)
    if hour == 0 or hour > 12:
        return time(hour, minute)
    if bias == "pm" or (bias is None and hour <= 7):
        return time(hour % 12 + 12, minute)
    if bias == "am":
        return time(hour % 12, minute)
    return time(hour, minute)


_CLOCKS = (
    r"\b(?:at )?(\d{1,2})(?::(\d{2}))? ?(am|pm)\b",
    r"\b(?:at )?(\d{1,2}):(\d{2})\b",
    r"\bat (\d{1,2})\b",
)


def _take_time(s: str, parsed: _Parsed) -> tuple[str, bool]:
    """Remove the time of day from ``s`` into ``parsed``; ``False`` when it makes no sense."""
    bias: str | None = None
    period, s = _take(r"\b(?:(this|in the|at) )?(morning|afternoon|evening|night)\b|\btonight\b", s)
    if period is not None:
        name = period[2] or "night"
        parsed.clock, bias = _PERIODS[name]
        parsed.today_only = period[1] == "this" or period[0] == "tonight"
    found = False
    for pattern in _CLOCKS:
        match, s = _take(pattern, s)
        if match is None:
            continue
        if found:
            return s, False
        found = True
        groups = match.groups()
        meridiem = groups[2] if len(groups) > 2 else None
        clock = _hour(int(groups[0]), int(groups[1] or 0) if len(groups) > 1 else 0, meridiem, bias)
        if clock is None:
            return s, False
        parsed.clock = clock
    named, s = _take(r"\b(?:at )?(noon|midday|midnight)\b", s)
    if named is not None:
        if found:
            return s, False
        if named[1] == "midnight":
            parsed.midnight = True
        else:
            parsed.clock = time(12)
    return s, True


def _add_months(day: date, months: int) -> date:
    year, month = divmod(day.month - 1 + months, 12)
    year += day.year
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def _next_date(today: date, month: int | None, day: int) -> date | None:
    """The next ``day`` (of ``month``, or of any month) counting today."""
    for step in range(0, 12 * 8 + 1):
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


def _dated(year: str | None, month: int, day: int, today: date) -> date | None:
    if year is None:
        return _next_date(today, month, day)
    try:
        return date(int(year), month, day)
    except ValueError:
        return None


def _weekday(match: re.Match[str], today: date) -> date:
    wanted = _WEEKDAYS[match[2]]
    if match[1] == "next":
        return today - timedelta(days=today.weekday() - 7) + timedelta(days=wanted)
    ahead = (wanted - today.weekday()) % 7
    if match[1] != "this" and ahead == 0:
        ahead = 7
    return today + timedelta(days=ahead)


def _offset(match: re.Match[str], today: date) -> date:
    count, unit = int(match[1] or match[3]), (match[2] or match[4])[0]
    if unit == "m":
        return _add_months(today, count)
    return today + timedelta(days=count * (7 if unit == "w" else 1))


def _end_of(match: re.Match[str], today: date) -> date:
    unit = match[1] or match[2] or {"d": "day", "w": "week", "m": "month"}[match[3]]
    if unit == "week":
        return today + timedelta(days=(4 - today.weekday()) % 7)
    if unit == "month":
        return today.replace(day=calendar.monthrange(today.year, today.month)[1])
    return today


_DAYS: tuple[tuple[str, str], ...] = (
    (r"\b(?:the )?day after tomorrow\b", "after"),
    (r"\btoday\b", "today"),
    (r"\btomorrow\b", "tomorrow"),
    (r"\byesterday\b", "yesterday"),
    (r"\bend of (?:the |this )?(day|week|month)\b|\b(week|month) end\b|\beo(d|w|m)\b", "end"),
    (r"\bnext (week|month)\b", "next"),
    (
        r"\b(?:in (\d+) (days?|weeks?|months?))\b|\b(\d+) (days?|weeks?|months?) from now\b",
        "offset",
    ),
    (r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b", "iso"),
    (rf"\b(\d{{1,2}})(?:st|nd|rd|th)? (?:of )?{_MONTH}(?: (\d{{4}}))?\b", "day_month"),
    (rf"\b{_MONTH} (?:the )?(\d{{1,2}})(?:st|nd|rd|th)?(?: (\d{{4}}))?\b", "month_day"),
    (r"\b(\d{1,2})(?:st|nd|rd|th)\b", "nth"),
    (rf"\b(?:(this|next|coming) )?{_WEEKDAY}\b", "weekday"),
)


def _day_from(kind: str, m: re.Match[str], today: date, parsed: _Parsed) -> date | None:
    simple = {"after": 2, "today": 0, "tomorrow": 1, "yesterday": -1}
    if kind in simple:
        return today + timedelta(days=simple[kind])
    if kind == "end":
        parsed.end_of = True
        return _end_of(m, today)
    if kind == "next":
        if m[1] == "week":
            return today + timedelta(days=7 - today.weekday())
        return _add_months(today.replace(day=1), 1)
    if kind == "offset":
        return _offset(m, today)
    if kind == "iso":
        try:
            return date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            return None
    if kind == "day_month":
        return _dated(m[3], _MONTHS[m[2]], int(m[1]), today)
    if kind == "month_day":
        return _dated(m[3], _MONTHS[m[1]], int(m[2]), today)
    if kind == "nth":
        return _next_date(today, None, int(m[1]))
    return _weekday(m, today)


def _take_day(s: str, today: date, parsed: _Parsed) -> tuple[str, bool]:
    """Remove the day from ``s`` into ``parsed``; ``False`` when it makes no sense."""
    for pattern, kind in _DAYS:
        match, rest = _take(pattern, s)
        if match is None:
            continue
        if parsed.day is not None:
            return rest, False  # two days in one phrase
        day = _day_from(kind, match, today, parsed)
        if day is None:
            return rest, False
        parsed.day, s = day, rest
    return s, True


def _only_fillers(s: str) -> bool:
    return all(word in _FILLERS for word in s.split())


_RELATIVE = (
    r"^(?:in )?(\d+) (?:(hours?|hrs?)(?: and)? (\d+) (?:minutes?|mins?)|"
    r"(minutes?|mins?|hours?|hrs?))(?: from now)?$"
)


def _relative(s: str) -> timedelta | None:
    match = re.match(_RELATIVE, s)
    if match is None or not (s.startswith("in ") or s.endswith(" from now")):
        return None
    amount = int(match[1])
    if match[2]:
        return timedelta(hours=amount, minutes=int(match[3]))
    return timedelta(hours=amount) if match[4].startswith("h") else timedelta(minutes=amount)


# --- public ------------------------------------------------------------------------------------


def parse_when(text: str, now: datetime) -> datetime | None:
    """The moment ``text`` names, in ``now``'s timezone, or ``None`` (see the module rules)."""
    if now.tzinfo is None:
        raise ValueError("parse_when needs an aware 'now'")
    s = _normalise(text)
    delta = _relative(s)
    if delta is not None:
        return (now.astimezone(UTC) + delta).astimezone(now.tzinfo)
    parsed = _Parsed()
    today = now.date()
    s, ok = _take_time(s, parsed)
    if ok:
        s, ok = _take_day(s, today, parsed)
    if not ok or not _only_fillers(s):
        return None
    if parsed.day is None and parsed.clock is None and not parsed.midnight:
        return None
    return _moment(parsed, now)


def _moment(parsed: _Parsed, now: datetime) -> datetime:
    tz, today = now.tzinfo, now.date()

    def at(day: date, clock: time) -> datetime:
        return datetime.combine(day, clock, tzinfo=tz).astimezone(UTC).astimezone(tz)

    if parsed.midnight:
        return at((parsed.day or today) + timedelta(days=1), time(0))
    if parsed.clock is None:
        day = parsed.day or today
        if parsed.end_of:
            return at(day, END_OF_DAY)
        if day == today:
            ahead = [at(day, t) for t in (DEFAULT_TIME, END_OF_DAY) if at(day, t) > now]
            return ahead[0] if ahead else at(day, time(23, 59))
        return at(day, DEFAULT_TIME)
    if parsed.day is not None:
        return at(parsed.day, parsed.clock)
    candidate = at(today, parsed.clock)
    if candidate <= now and not parsed.today_only:
        candidate = at(today + timedelta(days=1), parsed.clock)
    return candidate


def parse_day(text: str, today: date) -> date | None:
    """The day ``text`` names ("friday", "the 14th", "end of the month"), or ``None``.

    Only day phrases count: a phrase with a time of day ("tomorrow at 2pm") gives ``None``.
    """
    s = _normalise(text)
    if _relative(s) is not None:
        return None
    parsed = _Parsed()
    rest, ok = _take_time(s, parsed)
    if not ok or rest != s:
        return None
    s, ok = _take_day(s, today, parsed)
    if not ok or not _only_fillers(s):
        return None
    return parsed.day
