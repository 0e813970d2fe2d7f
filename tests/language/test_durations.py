"""Lengths of time as people say them."""

from __future__ import annotations

from datetime import timedelta

import pytest

from luma_desktop.language import parse_duration

DURATIONS = [
    ("45 minutes", timedelta(minutes=45), "minutes"),
    ("forty five mins", timedelta(minutes=45), "spoken-mins"),
    ("an hour and a half", timedelta(minutes=90), "hour-and-a-half"),
    ("one and a half hours", timedelta(minutes=90), "one-and-a-half-hours"),
    ("two and a half hours", timedelta(minutes=150), "two-and-a-half-hours"),
    ("two hours and a half", timedelta(minutes=150), "hours-and-a-half"),
    ("1.5 hours", timedelta(minutes=90), "decimal-hours"),
    ("1h30", timedelta(minutes=90), "compact"),
    ("1h30m", timedelta(minutes=90), "compact-with-m"),
    ("1h 30", timedelta(minutes=90), "compact-spaced"),
    ("2h", timedelta(hours=2), "hours-letter"),
    ("45m", timedelta(minutes=45), "minutes-letter"),
    ("90 min", timedelta(minutes=90), "ninety-min"),
    ("half an hour", timedelta(minutes=30), "half-an-hour"),
    ("a quarter of an hour", timedelta(minutes=15), "quarter-of-an-hour"),
    ("three quarters of an hour", timedelta(minutes=45), "three-quarters"),
    ("two hours", timedelta(hours=2), "two-hours"),
    ("an hour", timedelta(hours=1), "an-hour"),
    ("a couple of hours", timedelta(hours=2), "couple-of-hours"),
    ("an hour 15", timedelta(minutes=75), "bare-minutes-after-hour"),
    ("2 hours 45", timedelta(minutes=165), "hours-then-minutes"),
    ("2 hrs 15 mins", timedelta(minutes=135), "abbreviations"),
    ("2 hours and 15 minutes", timedelta(minutes=135), "and-between"),
    ("1 hour, 10 minutes", timedelta(minutes=70), "comma-between"),
    ("1:30", timedelta(minutes=90), "clock-form"),
    ("for 45 minutes", timedelta(minutes=45), "for-prefix"),
    ("um an hour please", timedelta(hours=1), "fillers"),
    ("90 seconds", timedelta(seconds=90), "seconds"),
    ("a day", timedelta(days=1), "a-day"),
    ("3 days", timedelta(days=3), "days"),
    ("a week", timedelta(weeks=1), "a-week"),
    ("a fortnight", timedelta(weeks=2), "fortnight"),
    ("Twenty Minutes.", timedelta(minutes=20), "typed-capitals"),
]


@pytest.mark.parametrize(
    ("text", "expected"), [c[:2] for c in DURATIONS], ids=[c[2] for c in DURATIONS]
)
def test_parse_duration(text: str, expected: timedelta) -> None:
    assert parse_duration(text) == expected


REFUSED = [
    ("", "empty"),
    ("45", "number-without-unit"),
    ("hour", "unit-without-number"),
    ("a few minutes", "vague-amount"),
    ("a while", "vague"),
    ("1 hour 2 hours", "repeated-unit"),
    ("3 months", "months-have-no-fixed-length"),
    ("a year", "years-have-no-fixed-length"),
    ("0 minutes", "zero"),
    ("an hour 75", "trailing-minutes-too-many"),
    ("1:75", "clock-minutes-too-many"),
    ("third hour", "ordinal"),
    ("about an hour", "approximation"),
    ("45 minutes tomorrow", "extra-words"),
]


@pytest.mark.parametrize("text", [c[0] for c in REFUSED], ids=[c[1] for c in REFUSED])
def test_parse_duration_refuses(text: str) -> None:
    assert parse_duration(text) is None
