"""Natural-language dates and times, read in the business timezone (see when.py's rules)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from luma_desktop.workspace.when import ACCEPTED_FORMS, parse_day, parse_when

from .conftest import NOW

LONDON = ZoneInfo("Europe/London")
# Wednesday 18 November 2026, 14:30 in London (GMT, so the same as UTC).
LOCAL_NOW = NOW.astimezone(LONDON)
TODAY = LOCAL_NOW.date()


def at(text: str) -> datetime:
    """'2026-11-20 15:00' as an aware London datetime."""
    return datetime.fromisoformat(text).replace(tzinfo=LONDON)


CASES = [
    # days alone: 09:00, except today (next of 09:00/18:00 still ahead)
    ("today", "2026-11-18 18:00", "today-after-9-is-close-of-business"),
    ("tomorrow", "2026-11-19 09:00", "tomorrow-defaults-to-9"),
    ("the day after tomorrow", "2026-11-20 09:00", "day-after-tomorrow"),
    ("friday", "2026-11-20 09:00", "coming-friday"),
    ("on fri", "2026-11-20 09:00", "weekday-abbreviation-with-on"),
    ("wednesday", "2026-11-25 09:00", "own-weekday-is-next-week"),
    ("this wednesday", "2026-11-18 18:00", "this-weekday-counts-today"),
    ("next monday", "2026-11-23 09:00", "next-monday"),
    ("next friday", "2026-11-27 09:00", "next-friday-is-in-next-week"),
    ("in 3 days", "2026-11-21 09:00", "in-three-days-digits"),
    ("in three days", "2026-11-21 09:00", "in-three-days-words"),
    ("in a week", "2026-11-25 09:00", "in-a-week"),
    ("in 2 months", "2027-01-18 09:00", "in-two-months"),
    ("the 14th", "2026-12-14 09:00", "past-ordinal-is-next-month"),
    ("the 30th", "2026-11-30 09:00", "ordinal-later-this-month"),
    ("the fourteenth", "2026-12-14 09:00", "spoken-ordinal"),
    ("the twenty first", "2026-11-21 09:00", "spoken-compound-ordinal"),
    ("end of the month", "2026-11-30 18:00", "end-of-month-close-of-business"),
    ("end of the week", "2026-11-20 18:00", "end-of-week-is-friday"),
    ("end of day", "2026-11-18 18:00", "end-of-day"),
    ("next week", "2026-11-23 09:00", "next-week-is-monday"),
    ("next month", "2026-12-01 09:00", "next-month-is-the-first"),
    ("2026-12-01", "2026-12-01 09:00", "iso-date"),
    ("1 december", "2026-12-01 09:00", "day-month"),
    ("1st of march 2027", "2027-03-01 09:00", "ordinal-of-month-with-year"),
    ("december 1 2027", "2027-12-01 09:00", "month-day-year"),
    ("3 november", "2027-11-03 09:00", "date-already-past-is-next-year"),
    ("29 feb", "2028-02-29 09:00", "leap-day-finds-leap-year"),
    # times alone: next occurrence
    ("noon", "2026-11-19 12:00", "noon-already-past-is-tomorrow"),
    ("midnight", "2026-11-19 00:00", "midnight-ends-today"),
    ("tonight", "2026-11-18 20:00", "tonight"),
    ("this evening", "2026-11-18 18:00", "this-evening"),
    ("morning", "2026-11-19 09:00", "morning-is-next-9am"),
    ("at 3", "2026-11-18 15:00", "bare-3-is-afternoon"),
    ("at 8", "2026-11-19 08:00", "bare-8-is-morning-next-day"),
    ("5pm", "2026-11-18 17:00", "pm-today"),
    ("two p m", "2026-11-19 14:00", "spoken-p-m-already-past"),
    ("three thirty", "2026-11-18 15:30", "spoken-hour-and-minutes"),
    ("half past four", "2026-11-18 16:30", "half-past"),
    ("quarter to five", "2026-11-18 16:45", "quarter-to"),
    ("ten past six", "2026-11-18 18:10", "minutes-past"),
    ("17:45", "2026-11-18 17:45", "24-hour-clock"),
    ("at 4 o'clock", "2026-11-18 16:00", "o-clock"),
    # day and time together
    ("tomorrow at 2pm", "2026-11-19 14:00", "tomorrow-at-2pm"),
    ("2pm tomorrow", "2026-11-19 14:00", "time-before-day"),
    ("friday at 3", "2026-11-20 15:00", "friday-at-3-business-hours"),
    ("Friday, 10 a.m.", "2026-11-20 10:00", "dotted-am-and-capitals"),
    ("dec 1st at 9:30", "2026-12-01 09:30", "month-ordinal-with-minutes"),
    ("9.30 on friday", "2026-11-20 09:30", "dotted-minutes"),
    ("tonight at 9", "2026-11-18 21:00", "tonight-makes-9-pm"),
    ("tomorrow morning at 7", "2026-11-19 07:00", "morning-makes-7-am"),
    ("tomorrow evening", "2026-11-19 18:00", "tomorrow-evening"),
    ("tomorrow at midnight", "2026-11-20 00:00", "midnight-ends-the-named-day"),
    ("next monday at 10am", "2026-11-23 10:00", "next-monday-10am"),
    ("in 3 days at noon", "2026-11-21 12:00", "offset-with-time"),
    ("2026-12-01 at 14:15", "2026-12-01 14:15", "iso-with-time"),
    # exact offsets from now
    ("in two hours", "2026-11-18 16:30", "in-two-hours"),
    ("in 30 minutes", "2026-11-18 15:00", "in-30-minutes"),
    ("in an hour", "2026-11-18 15:30", "in-an-hour"),
    ("in half an hour", "2026-11-18 15:00", "in-half-an-hour"),
    ("in an hour and a half", "2026-11-18 16:00", "hour-and-a-half"),
    ("in 1 hour and 15 minutes", "2026-11-18 15:45", "hours-and-minutes"),
    ("2 hours from now", "2026-11-18 16:30", "from-now"),
    ("in twenty five minutes", "2026-11-18 14:55", "spoken-compound-minutes"),
]


@pytest.mark.parametrize(("text", "expected"), [c[:2] for c in CASES], ids=[c[2] for c in CASES])
def test_parse_when(text: str, expected: str) -> None:
    assert parse_when(text, LOCAL_NOW) == at(expected)


UNREADABLE = [
    ("", "empty"),
    ("banana", "unknown-word"),
    ("31 february", "impossible-date"),
    ("2026-02-30", "impossible-iso-date"),
    ("25pm", "impossible-hour"),
    ("13pm", "pm-over-12"),
    ("10:75", "impossible-minutes"),
    ("2pm 3pm", "two-times"),
    ("tomorrow friday", "two-days"),
    ("in 2 hours tomorrow", "offset-with-a-day"),
    ("call the dentist friday", "extra-words"),
]


@pytest.mark.parametrize("text", [c[0] for c in UNREADABLE], ids=[c[1] for c in UNREADABLE])
def test_parse_when_refuses_what_it_does_not_understand(text: str) -> None:
    assert parse_when(text, LOCAL_NOW) is None


def test_result_keeps_the_business_timezone_across_daylight_saving() -> None:
    summer_now = datetime(2026, 6, 10, 8, 0, tzinfo=LONDON)  # BST, UTC+1
    moment = parse_when("tomorrow at 2pm", summer_now)
    assert moment == datetime(2026, 6, 11, 14, 0, tzinfo=LONDON)
    assert moment is not None
    assert moment.utcoffset() is not None
    assert moment.utcoffset().total_seconds() == 3600  # type: ignore[union-attr]


def test_other_timezone_reads_local_wall_clock() -> None:
    tokyo = ZoneInfo("Asia/Tokyo")
    moment = parse_when("tomorrow at 9", NOW.astimezone(tokyo))  # 23:30 Wednesday in Tokyo
    assert moment == datetime(2026, 11, 19, 9, 0, tzinfo=tokyo)


def test_offset_crosses_the_clock_change_in_real_time() -> None:
    before_change = datetime(2026, 10, 25, 0, 30, tzinfo=LONDON)  # clocks go back at 02:00
    moment = parse_when("in 2 hours", before_change)
    assert moment is not None
    # Same-zone subtraction in Python is wall-clock; compare real (UTC) time instead.
    assert (moment.astimezone(UTC) - before_change.astimezone(UTC)).total_seconds() == 7200
    assert moment.hour == 1  # 01:30 GMT, after the clocks went back


def test_naive_now_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="aware"):
        parse_when("tomorrow", datetime(2026, 11, 18, 14, 30))


def test_hint_lists_forms_that_parse() -> None:
    samples = [
        "tomorrow at 2pm",
        "friday at 3",
        "in two hours",
        "next monday",
        "the 14th",
        "end of the month",
        "1 december at 9:30",
        "2026-12-01",
    ]
    for sample in samples:
        assert f"“{sample}”" in ACCEPTED_FORMS
        assert parse_when(sample, LOCAL_NOW) is not None


DAYS = [
    ("today", date(2026, 11, 18), "today"),
    ("friday", date(2026, 11, 20), "friday"),
    ("next monday", date(2026, 11, 23), "next-monday"),
    ("end of the month", date(2026, 11, 30), "end-of-month"),
    ("the 14th", date(2026, 12, 14), "ordinal"),
    ("yesterday", date(2026, 11, 17), "yesterday"),
    ("tomorrow at 2pm", None, "time-is-not-a-day"),
    ("in two hours", None, "offset-is-not-a-day"),
    ("tonight", None, "period-is-not-a-day"),
    ("whenever", None, "nonsense"),
]


@pytest.mark.parametrize(("text", "expected"), [c[:2] for c in DAYS], ids=[c[2] for c in DAYS])
def test_parse_day(text: str, expected: date | None) -> None:
    assert parse_day(text, TODAY) == expected
