"""The date/time corpus: what people say and the moment or days it must mean.

The main corpus is read at Wednesday 18 November 2026, 14:30 in London (GMT); other clocks
cover a Friday afternoon and morning, 31 January, both London clock changes of 2026 and New
York. Expected values were worked out from the rules in the module docstrings of
``luma_desktop.language`` (``times``, ``days``, ``when``, ``ranges``), not from the parser.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from luma_desktop.language import parse_day, parse_range, parse_time, parse_when

LONDON = ZoneInfo("Europe/London")
NEW_YORK = ZoneInfo("America/New_York")
NOW = datetime(2026, 11, 18, 14, 30, tzinfo=LONDON)  # a Wednesday
TODAY = NOW.date()

# (text, expected "YYYY-MM-DD HH:MM" in London, id)
CORPUS = [
    # --- a day alone: 09:00; today: the next of 09:00/18:00 ---------------------------------
    ("today", "2026-11-18 18:00", "today-after-nine-is-close-of-business"),
    ("tomorrow", "2026-11-19 09:00", "tomorrow"),
    ("tmrw", "2026-11-19 09:00", "tomorrow-abbreviated"),
    ("the day after tomorrow", "2026-11-20 09:00", "day-after-tomorrow"),
    ("day after tomorrow", "2026-11-20 09:00", "day-after-tomorrow-no-article"),
    ("yesterday", "2026-11-17 09:00", "yesterday"),
    ("the day before yesterday", "2026-11-16 09:00", "day-before-yesterday"),
    ("friday", "2026-11-20 09:00", "weekday-is-the-coming-one"),
    ("on fri", "2026-11-20 09:00", "weekday-abbreviation"),
    ("this friday", "2026-11-20 09:00", "this-friday"),
    ("this coming friday", "2026-11-20 09:00", "this-coming-friday"),
    ("next friday", "2026-11-27 09:00", "next-friday-is-next-weeks"),
    ("friday next week", "2026-11-27 09:00", "friday-next-week"),
    ("next week friday", "2026-11-27 09:00", "next-week-friday"),
    ("friday this week", "2026-11-20 09:00", "friday-this-week"),
    ("friday week", "2026-11-27 09:00", "uk-friday-week"),
    ("a week on friday", "2026-11-27 09:00", "uk-a-week-on-friday"),
    ("monday", "2026-11-23 09:00", "monday"),
    ("next monday", "2026-11-23 09:00", "next-monday-is-monday-of-next-week"),
    ("this monday", "2026-11-23 09:00", "this-monday-is-the-coming-one"),
    ("last monday", "2026-11-16 09:00", "last-monday"),
    ("last friday", "2026-11-13 09:00", "last-friday"),
    ("wednesday", "2026-11-25 09:00", "own-weekday-is-a-week-ahead"),
    ("this wednesday", "2026-11-18 18:00", "this-weekday-counts-today"),
    ("next wednesday", "2026-11-25 09:00", "next-wednesday"),
    ("last wednesday", "2026-11-11 09:00", "last-own-weekday-is-a-week-ago"),
    ("thursday", "2026-11-19 09:00", "thursday-is-tomorrow"),
    ("thurs", "2026-11-19 09:00", "thurs"),
    ("tues", "2026-11-24 09:00", "tues"),
    ("sat", "2026-11-21 09:00", "sat"),
    ("sunday", "2026-11-22 09:00", "sunday"),
    ("next sat", "2026-11-28 09:00", "next-sat"),
    ("a week from today", "2026-11-25 09:00", "a-week-from-today"),
    ("a week today", "2026-11-25 09:00", "uk-a-week-today"),
    ("a week tomorrow", "2026-11-26 09:00", "uk-a-week-tomorrow"),
    ("two weeks from today", "2026-12-02 09:00", "two-weeks-from-today"),
    ("3 days from today", "2026-11-21 09:00", "days-from-today"),
    ("a fortnight today", "2026-12-02 09:00", "fortnight-today"),
    ("in a fortnight", "2026-12-02 09:00", "in-a-fortnight"),
    ("in 3 days", "2026-11-21 09:00", "in-3-days"),
    ("in three days time", "2026-11-21 09:00", "in-three-days-time"),
    ("in two weeks", "2026-12-02 09:00", "in-two-weeks"),
    ("in a month", "2026-12-18 09:00", "in-a-month"),
    ("in a year", "2027-11-18 09:00", "in-a-year"),
    ("3 weeks from now", "2026-12-09 09:00", "weeks-from-now"),
    ("two days from now", "2026-11-20 09:00", "days-from-now"),
    # --- dates ---------------------------------------------------------------------------------
    ("the 14th", "2026-12-14 09:00", "past-ordinal-is-next-month"),
    ("on the 14th", "2026-12-14 09:00", "on-the-14th"),
    ("the fourteenth", "2026-12-14 09:00", "spoken-ordinal"),
    ("the 14", "2026-12-14 09:00", "the-and-a-bare-number-is-a-day"),
    ("the 20th", "2026-11-20 09:00", "ordinal-later-this-month"),
    ("the twentieth", "2026-11-20 09:00", "spoken-twentieth"),
    ("the twenty first", "2026-11-21 09:00", "spoken-compound-ordinal"),
    ("the 18th", "2026-11-18 18:00", "ordinal-today"),
    ("the 1st", "2026-12-01 09:00", "the-1st"),
    ("the first", "2026-12-01 09:00", "the-first"),
    ("the 31st", "2026-12-31 09:00", "month-without-the-day-is-skipped"),
    ("14th of december", "2026-12-14 09:00", "day-of-month"),
    ("the fourteenth of december", "2026-12-14 09:00", "spoken-day-of-month"),
    ("december 14", "2026-12-14 09:00", "month-day"),
    ("december the 14th", "2026-12-14 09:00", "month-the-day"),
    ("dec 14th", "2026-12-14 09:00", "month-abbreviation"),
    ("14 dec", "2026-12-14 09:00", "day-month-abbreviation"),
    ("monday the 14th", "2026-12-14 09:00", "weekday-agrees-with-date"),
    ("monday 14th december", "2026-12-14 09:00", "weekday-day-month"),
    ("3 november", "2027-11-03 09:00", "passed-date-is-next-year"),
    ("1st of march 2027", "2027-03-01 09:00", "date-with-year"),
    ("jan 3rd 2027", "2027-01-03 09:00", "month-ordinal-year"),
    ("29 feb", "2028-02-29 09:00", "leap-day-finds-a-leap-year"),
    ("2026-12-01", "2026-12-01 09:00", "iso-date"),
    ("14/12", "2026-12-14 09:00", "slash-date-day-first"),
    ("12/14", "2026-12-14 09:00", "slash-date-month-first-unambiguous"),
    ("14/12/2026", "2026-12-14 09:00", "slash-date-with-year"),
    ("christmas day", "2026-12-25 09:00", "christmas-day"),
    ("christmas eve", "2026-12-24 09:00", "christmas-eve"),
    ("boxing day", "2026-12-26 09:00", "boxing-day"),
    ("new year's day", "2027-01-01 09:00", "new-years-day"),
    ("new year's eve", "2026-12-31 09:00", "new-years-eve"),
    # --- periods -------------------------------------------------------------------------------
    ("next week", "2026-11-23 09:00", "next-week-is-its-monday"),
    ("start of next week", "2026-11-23 09:00", "start-of-next-week"),
    ("the week after next", "2026-11-30 09:00", "week-after-next"),
    ("next month", "2026-12-01 09:00", "next-month-is-the-1st"),
    ("beginning of next month", "2026-12-01 09:00", "beginning-of-next-month"),
    ("the first of next month", "2026-12-01 09:00", "first-of-next-month"),
    ("the 15th of next month", "2026-12-15 09:00", "day-of-next-month"),
    ("next year", "2027-01-01 09:00", "next-year"),
    ("this weekend", "2026-11-21 09:00", "this-weekend-is-saturday"),
    ("the weekend", "2026-11-21 09:00", "the-weekend"),
    ("at the weekend", "2026-11-21 09:00", "uk-at-the-weekend"),
    ("next weekend", "2026-11-28 09:00", "next-weekend-is-next-weeks"),
    # --- "end of ...": close of business --------------------------------------------------------
    ("end of the month", "2026-11-30 18:00", "end-of-the-month"),
    ("end of month", "2026-11-30 18:00", "end-of-month"),
    ("month end", "2026-11-30 18:00", "month-end"),
    ("eom", "2026-11-30 18:00", "eom"),
    ("end of next month", "2026-12-31 18:00", "end-of-next-month"),
    ("end of the week", "2026-11-20 18:00", "end-of-week-is-friday"),
    ("end of this week", "2026-11-20 18:00", "end-of-this-week"),
    ("eow", "2026-11-20 18:00", "eow"),
    ("end of next week", "2026-11-27 18:00", "end-of-next-week"),
    ("end of the year", "2026-12-31 18:00", "end-of-the-year"),
    ("end of day", "2026-11-18 18:00", "end-of-day"),
    ("eod", "2026-11-18 18:00", "eod"),
    ("close of business", "2026-11-18 18:00", "close-of-business"),
    ("end of play", "2026-11-18 18:00", "uk-end-of-play"),
    ("cob friday", "2026-11-20 18:00", "cob-friday"),
    ("end of day tomorrow", "2026-11-19 18:00", "end-of-day-tomorrow"),
    ("end of tomorrow", "2026-11-19 18:00", "end-of-tomorrow"),
    ("by end of day friday", "2026-11-20 18:00", "by-end-of-day-friday"),
    ("the last day of the month", "2026-11-30 09:00", "last-day-of-the-month"),
    ("end of the month at 5pm", "2026-11-30 17:00", "end-of-month-with-a-time"),
    # --- a time alone: its next occurrence -----------------------------------------------------
    ("noon", "2026-11-19 12:00", "noon-passed-is-tomorrow"),
    ("midday", "2026-11-19 12:00", "midday"),
    ("midnight", "2026-11-19 00:00", "midnight-ends-today"),
    ("midnight tonight", "2026-11-19 00:00", "midnight-tonight"),
    ("tonight", "2026-11-18 20:00", "tonight"),
    ("this evening", "2026-11-18 18:00", "this-evening"),
    ("evening", "2026-11-18 18:00", "evening-still-ahead"),
    ("this afternoon", "2026-11-18 14:00", "this-afternoon-is-today-even-if-passed"),
    ("this morning", "2026-11-18 09:00", "this-morning-is-today"),
    ("morning", "2026-11-19 09:00", "morning-is-the-next-one"),
    ("in the morning", "2026-11-19 09:00", "in-the-morning"),
    ("first thing", "2026-11-19 09:00", "first-thing"),
    ("at 3", "2026-11-18 15:00", "bare-3-is-afternoon"),
    ("3 o'clock", "2026-11-18 15:00", "three-oclock"),
    ("at 4 o'clock", "2026-11-18 16:00", "at-four-oclock"),
    ("4", "2026-11-18 16:00", "lone-number-is-an-hour"),
    ("at 2", "2026-11-19 14:00", "passed-bare-hour-is-tomorrow"),
    ("at 8", "2026-11-19 08:00", "bare-8-is-morning"),
    ("at 11", "2026-11-19 11:00", "bare-11-is-morning"),
    ("at 12", "2026-11-19 12:00", "bare-12-is-noon"),
    ("at seven", "2026-11-18 19:00", "spoken-bare-7-is-evening"),
    ("5pm", "2026-11-18 17:00", "5pm"),
    ("5 pm", "2026-11-18 17:00", "5-space-pm"),
    ("5 p.m.", "2026-11-18 17:00", "5-dotted-pm"),
    ("two p m", "2026-11-19 14:00", "spoken-p-m"),
    ("seven pm", "2026-11-18 19:00", "spoken-hour-pm"),
    ("9am", "2026-11-19 09:00", "9am"),
    ("9:00 a.m.", "2026-11-19 09:00", "dotted-am-with-minutes"),
    ("nine thirty am", "2026-11-19 09:30", "spoken-minutes-am"),
    ("three thirty", "2026-11-18 15:30", "spoken-hour-and-minutes"),
    ("three oh five", "2026-11-18 15:05", "spoken-oh-minutes"),
    ("five fifteen pm", "2026-11-18 17:15", "spoken-minutes-pm"),
    ("half past three", "2026-11-18 15:30", "half-past"),
    ("half three", "2026-11-18 15:30", "uk-half-three"),
    ("half eleven", "2026-11-19 11:30", "uk-half-eleven"),
    ("quarter to five", "2026-11-18 16:45", "quarter-to"),
    ("a quarter past two", "2026-11-19 14:15", "a-quarter-past"),
    ("quarter past nine", "2026-11-19 09:15", "quarter-past-nine"),
    ("twenty to ten", "2026-11-19 09:40", "twenty-to"),
    ("ten past six", "2026-11-18 18:10", "ten-past"),
    ("twenty five past four", "2026-11-18 16:25", "twenty-five-past"),
    ("five to nine", "2026-11-19 08:55", "five-to-nine-is-morning"),
    ("17:45", "2026-11-18 17:45", "24-hour-clock"),
    ("23:59", "2026-11-18 23:59", "last-minute"),
    ("at 13:00", "2026-11-19 13:00", "24-hour-passed"),
    ("9.30", "2026-11-19 09:30", "dotted-minutes"),
    ("12am", "2026-11-19 00:00", "12am-is-midnight"),
    ("12pm", "2026-11-19 12:00", "12pm-is-noon"),
    ("at 7 in the evening", "2026-11-18 19:00", "in-the-evening"),
    ("3 in the afternoon", "2026-11-18 15:00", "hour-in-the-afternoon"),
    ("tonight at 9", "2026-11-18 21:00", "tonight-makes-pm"),
    ("tonight at 12", "2026-11-19 00:00", "tonight-at-12-is-midnight"),
    ("7 o'clock tonight", "2026-11-18 19:00", "oclock-tonight"),
    ("this evening at 7", "2026-11-18 19:00", "this-evening-at-7"),
    # --- a day and a time ----------------------------------------------------------------------
    ("2pm tomorrow", "2026-11-19 14:00", "time-before-day"),
    ("tomorrow at 2pm", "2026-11-19 14:00", "day-before-time"),
    ("tomorrow at two", "2026-11-19 14:00", "tomorrow-at-two"),
    ("tomorrow 2", "2026-11-19 14:00", "day-and-lone-hour"),
    ("tomorrow at 2.30pm", "2026-11-19 14:30", "dotted-minutes-pm"),
    ("tomorrow at half two", "2026-11-19 14:30", "uk-half-two"),
    ("friday at 3", "2026-11-20 15:00", "friday-at-3"),
    ("friday 3", "2026-11-20 15:00", "friday-3"),
    ("fri at 3pm", "2026-11-20 15:00", "fri-at-3pm"),
    ("friday 10am", "2026-11-20 10:00", "friday-10am"),
    ("8pm friday", "2026-11-20 20:00", "8pm-friday"),
    ("next monday at 10am", "2026-11-23 10:00", "next-monday-10am"),
    ("next tuesday at half past ten", "2026-11-24 10:30", "next-tuesday-half-past-ten"),
    ("10:30am next thursday", "2026-11-26 10:30", "time-then-next-thursday"),
    ("monday at 7", "2026-11-23 19:00", "monday-at-7-is-evening"),
    ("monday at 7am", "2026-11-23 07:00", "monday-at-7am"),
    ("on monday at noon", "2026-11-23 12:00", "monday-at-noon"),
    ("noon tomorrow", "2026-11-19 12:00", "noon-tomorrow"),
    ("tomorrow at midnight", "2026-11-20 00:00", "midnight-ends-the-named-day"),
    ("midday friday", "2026-11-20 12:00", "midday-friday"),
    ("first thing tomorrow", "2026-11-19 09:00", "first-thing-tomorrow"),
    ("first thing on monday", "2026-11-23 09:00", "first-thing-monday"),
    ("tomorrow morning", "2026-11-19 09:00", "tomorrow-morning"),
    ("tomorrow morning at 7", "2026-11-19 07:00", "morning-makes-am"),
    ("tomorrow afternoon at 4", "2026-11-19 16:00", "tomorrow-afternoon-at-4"),
    ("at 2 tomorrow afternoon", "2026-11-19 14:00", "at-2-tomorrow-afternoon"),
    ("tomorrow evening", "2026-11-19 18:00", "tomorrow-evening"),
    ("tomorrow night", "2026-11-19 20:00", "tomorrow-night"),
    ("friday night", "2026-11-20 20:00", "friday-night"),
    ("monday afternoon", "2026-11-23 14:00", "monday-afternoon"),
    ("sunday morning", "2026-11-22 09:00", "sunday-morning"),
    ("twenty past eleven tomorrow morning", "2026-11-19 11:20", "past-with-period"),
    ("ten to nine tomorrow", "2026-11-19 08:50", "to-with-day"),
    ("the 14th at 10", "2026-12-14 10:00", "ordinal-with-hour"),
    ("the 20th at 3pm", "2026-11-20 15:00", "ordinal-with-pm"),
    ("on the 1st of december at 9", "2026-12-01 09:00", "date-at-9"),
    ("dec 1st at 9:30", "2026-12-01 09:30", "month-ordinal-minutes"),
    ("14th of december at half past two", "2026-12-14 14:30", "date-half-past"),
    ("on friday the 20th at 11", "2026-11-20 11:00", "weekday-date-time"),
    ("in 3 days at noon", "2026-11-21 12:00", "offset-with-time"),
    ("2026-12-01 at 14:15", "2026-12-01 14:15", "iso-date-at-time"),
    ("yesterday at 3", "2026-11-17 15:00", "past-moment-is-returned"),
    ("a week today at 10", "2026-11-25 10:00", "a-week-today-at-10"),
    ("this friday at 5", "2026-11-20 17:00", "this-friday-at-5"),
    # --- exactly so long from now -------------------------------------------------------------
    ("in two hours", "2026-11-18 16:30", "in-two-hours"),
    ("in 30 minutes", "2026-11-18 15:00", "in-30-minutes"),
    ("in thirty minutes", "2026-11-18 15:00", "in-thirty-minutes"),
    ("in 45 mins", "2026-11-18 15:15", "in-45-mins"),
    ("in 5 minutes", "2026-11-18 14:35", "in-5-minutes"),
    ("in an hour", "2026-11-18 15:30", "in-an-hour"),
    ("in half an hour", "2026-11-18 15:00", "in-half-an-hour"),
    ("in an hour and a half", "2026-11-18 16:00", "in-an-hour-and-a-half"),
    ("in 90 min", "2026-11-18 16:00", "in-90-min"),
    ("in 1h30", "2026-11-18 16:00", "in-1h30"),
    ("in three and a half hours", "2026-11-18 18:00", "in-three-and-a-half-hours"),
    ("in a couple of hours", "2026-11-18 16:30", "in-a-couple-of-hours"),
    ("in 1 hour and 15 minutes", "2026-11-18 15:45", "hours-and-minutes"),
    ("2 hours from now", "2026-11-18 16:30", "from-now"),
    ("in twenty five minutes", "2026-11-18 14:55", "spoken-compound-minutes"),
    ("in two hours time", "2026-11-18 16:30", "in-two-hours-time"),
    # --- ISO -----------------------------------------------------------------------------------
    ("2026-12-01T14:00", "2026-12-01 14:00", "iso-local"),
    ("2026-12-01 14:00", "2026-12-01 14:00", "iso-local-with-space"),
    ("2026-12-01T14:00Z", "2026-12-01 14:00", "iso-utc"),
    ("2026-11-18T09:00:00+01:00", "2026-11-18 08:00", "iso-offset-converted"),
    # --- speech-to-text style -------------------------------------------------------------------
    ("um tomorrow at two p m please", "2026-11-19 14:00", "fillers-and-spoken-pm"),
    ("uh friday at three", "2026-11-20 15:00", "filler-spoken-hour"),
    ("Friday, 10 a.m.", "2026-11-20 10:00", "typed-punctuation-and-capitals"),
    ("TOMORROW AT 4PM", "2026-11-19 16:00", "shouting"),
    ("erm the fourteenth of december", "2026-12-14 09:00", "filler-spoken-date"),
    ("next monday at ten a m", "2026-11-23 10:00", "spoken-a-m"),
    ("tomorrow at twelve thirty", "2026-11-19 12:30", "spoken-twelve-thirty"),
    ("friday at half past four", "2026-11-20 16:30", "friday-half-past-four"),
]


def _local(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=LONDON)


def test_the_corpus_is_large_and_ids_are_unique() -> None:
    assert len(CORPUS) >= 150
    assert len({case[2] for case in CORPUS}) == len(CORPUS)
    assert len({case[0] for case in CORPUS}) == len(CORPUS)


@pytest.mark.parametrize(("text", "expected"), [c[:2] for c in CORPUS], ids=[c[2] for c in CORPUS])
def test_corpus(text: str, expected: str) -> None:
    moment = parse_when(text, NOW)
    assert moment is not None, text
    assert moment == _local(expected)
    assert moment.tzinfo == LONDON


def _at(text: str, zone: ZoneInfo) -> datetime:
    return datetime.fromisoformat(text).astimezone(zone)


FRIDAY_4PM = _at("2026-11-20T16:00+00:00", LONDON)
FRIDAY_10AM = _at("2026-11-20T10:00+00:00", LONDON)
END_OF_JANUARY = _at("2026-01-31T10:00+00:00", LONDON)  # a Saturday
SPRING_FORWARD = _at("2026-03-29T00:30+00:00", LONDON)  # clocks go 01:00 GMT → 02:00 BST
EVE_OF_SPRING = _at("2026-03-28T20:00+00:00", LONDON)
FALL_BACK = _at("2026-10-25T00:30+01:00", LONDON)  # clocks go 02:00 BST → 01:00 GMT
NEW_YORK_NOW = _at("2026-11-18T09:30-05:00", NEW_YORK)
NEW_YORK_SPRING = _at("2026-03-07T22:00-05:00", NEW_YORK)  # 8 March 02:00 → 03:00
NEW_YORK_FALL = _at("2026-10-31T23:00-04:00", NEW_YORK)  # 1 November 02:00 → 01:00

# (now, text, expected with the local offset, id)
OTHER_CLOCKS = [
    (FRIDAY_4PM, "friday at 3", "2026-11-27T15:00+00:00", "friday-passed-time-is-next-week"),
    (FRIDAY_4PM, "friday at 5", "2026-11-20T17:00+00:00", "friday-time-ahead-is-today"),
    (FRIDAY_4PM, "friday", "2026-11-27T09:00+00:00", "friday-alone-on-friday-next-week"),
    (FRIDAY_4PM, "this friday", "2026-11-20T18:00+00:00", "this-friday-on-friday-is-today"),
    (FRIDAY_4PM, "next friday", "2026-11-27T09:00+00:00", "next-friday-on-friday"),
    (FRIDAY_4PM, "end of the week", "2026-11-20T18:00+00:00", "end-of-week-on-friday"),
    (FRIDAY_4PM, "end of next week", "2026-11-27T18:00+00:00", "end-of-next-week-on-friday"),
    (FRIDAY_4PM, "tomorrow", "2026-11-21T09:00+00:00", "friday-tomorrow-is-saturday"),
    (FRIDAY_4PM, "next monday", "2026-11-23T09:00+00:00", "next-monday-from-friday"),
    (FRIDAY_4PM, "this weekend", "2026-11-21T09:00+00:00", "weekend-from-friday"),
    (FRIDAY_4PM, "tonight", "2026-11-20T20:00+00:00", "friday-tonight"),
    (FRIDAY_4PM, "noon", "2026-11-21T12:00+00:00", "friday-noon-is-saturday"),
    (FRIDAY_4PM, "at 4", "2026-11-21T16:00+00:00", "the-current-minute-is-not-ahead"),
    (FRIDAY_10AM, "friday at 3", "2026-11-20T15:00+00:00", "friday-morning-at-3-is-today"),
    (FRIDAY_10AM, "friday at 9", "2026-11-27T09:00+00:00", "friday-morning-at-9-is-next-week"),
    (FRIDAY_10AM, "friday afternoon", "2026-11-20T14:00+00:00", "friday-afternoon-today"),
    (FRIDAY_10AM, "friday", "2026-11-27T09:00+00:00", "friday-alone-friday-morning"),
    (END_OF_JANUARY, "in a month", "2026-02-28T09:00+00:00", "month-later-clamps"),
    (END_OF_JANUARY, "end of the month", "2026-01-31T18:00+00:00", "end-of-month-on-31st"),
    (END_OF_JANUARY, "end of next month", "2026-02-28T18:00+00:00", "end-of-february"),
    (END_OF_JANUARY, "next month", "2026-02-01T09:00+00:00", "next-month-from-31st"),
    (END_OF_JANUARY, "the 31st", "2026-01-31T18:00+00:00", "the-31st-on-the-31st"),
    (END_OF_JANUARY, "the 30th", "2026-03-30T09:00+01:00", "the-30th-skips-february"),
    (END_OF_JANUARY, "the 1st", "2026-02-01T09:00+00:00", "the-1st-is-tomorrow"),
    (END_OF_JANUARY, "this weekend", "2026-01-31T18:00+00:00", "weekend-on-saturday-is-today"),
    (END_OF_JANUARY, "next weekend", "2026-02-07T09:00+00:00", "next-weekend-on-saturday"),
    (END_OF_JANUARY, "end of the week", "2026-02-06T18:00+00:00", "end-of-week-on-saturday"),
    (END_OF_JANUARY, "february 29", "2028-02-29T09:00+00:00", "no-leap-day-in-2026"),
    (END_OF_JANUARY, "tomorrow at 2", "2026-02-01T14:00+00:00", "tomorrow-is-february"),
    (END_OF_JANUARY, "next monday", "2026-02-02T09:00+00:00", "next-monday-on-saturday"),
    (SPRING_FORWARD, "1:30am", "2026-03-29T02:30+01:00", "missing-hour-moves-forward"),
    (SPRING_FORWARD, "in 2 hours", "2026-03-29T03:30+01:00", "offset-across-spring-gap"),
    (SPRING_FORWARD, "in an hour", "2026-03-29T02:30+01:00", "hour-across-spring-gap"),
    (SPRING_FORWARD, "today", "2026-03-29T09:00+01:00", "today-on-change-day"),
    (SPRING_FORWARD, "noon", "2026-03-29T12:00+01:00", "noon-on-change-day"),
    (SPRING_FORWARD, "tomorrow at 9", "2026-03-30T09:00+01:00", "after-spring-change"),
    (EVE_OF_SPRING, "in 12 hours", "2026-03-29T09:00+01:00", "twelve-real-hours"),
    (EVE_OF_SPRING, "tomorrow at 9", "2026-03-29T09:00+01:00", "tomorrow-is-summer-time"),
    (FALL_BACK, "1:30am", "2026-10-25T01:30+01:00", "repeated-hour-is-the-first"),
    (FALL_BACK, "in 2 hours", "2026-10-25T01:30+00:00", "offset-across-autumn-change"),
    (FALL_BACK, "in 1 hour", "2026-10-25T01:30+01:00", "hour-before-autumn-change"),
    (FALL_BACK, "today at noon", "2026-10-25T12:00+00:00", "noon-after-autumn-change"),
    (FALL_BACK, "tomorrow at 9", "2026-10-26T09:00+00:00", "tomorrow-in-winter-time"),
    (NEW_YORK_NOW, "tomorrow at 2pm", "2026-11-19T14:00-05:00", "new-york-tomorrow"),
    (NEW_YORK_NOW, "noon", "2026-11-18T12:00-05:00", "new-york-noon-ahead"),
    (NEW_YORK_NOW, "in 2 hours", "2026-11-18T11:30-05:00", "new-york-offset"),
    (NEW_YORK_NOW, "today", "2026-11-18T18:00-05:00", "new-york-today"),
    (NEW_YORK_NOW, "2026-12-01T14:00Z", "2026-12-01T09:00-05:00", "utc-shown-in-new-york"),
    (NEW_YORK_NOW, "friday at 3", "2026-11-20T15:00-05:00", "new-york-friday-at-3"),
    (NEW_YORK_SPRING, "tomorrow at 2:30am", "2026-03-08T03:30-04:00", "new-york-missing-hour"),
    (NEW_YORK_SPRING, "in 5 hours", "2026-03-08T04:00-04:00", "new-york-offset-across-gap"),
    (NEW_YORK_FALL, "tomorrow at 1:30am", "2026-11-01T01:30-04:00", "new-york-repeated-hour"),
    (NEW_YORK_FALL, "in 3 hours", "2026-11-01T01:00-05:00", "new-york-offset-across-change"),
    (NEW_YORK_FALL, "tomorrow at noon", "2026-11-01T12:00-05:00", "new-york-after-change"),
]


@pytest.mark.parametrize(
    ("now", "text", "expected"), [c[:3] for c in OTHER_CLOCKS], ids=[c[3] for c in OTHER_CLOCKS]
)
def test_other_clocks(now: datetime, text: str, expected: str) -> None:
    moment = parse_when(text, now)
    wanted = datetime.fromisoformat(expected)
    assert moment is not None
    # In UTC: Python never calls a repeated wall-clock time equal to one in another zone.
    assert moment.astimezone(UTC) == wanted.astimezone(UTC)
    assert moment.utcoffset() == wanted.utcoffset()  # the local wall clock is right too
    assert moment.tzinfo == now.tzinfo


REFUSED = [
    ("", "empty"),
    ("banana", "unknown-word"),
    ("soon", "vague"),
    ("in a bit", "vague-offset"),
    ("sometime next week", "vague-within-a-week"),
    ("next", "next-alone"),
    ("about 3", "approximation"),
    ("in 3", "offset-without-unit"),
    ("31 february", "impossible-date"),
    ("31 april", "thirty-first-of-april"),
    ("2026-02-30", "impossible-iso-date"),
    ("the 32nd", "impossible-ordinal"),
    ("the 14th of smarch", "unknown-month"),
    ("25pm", "impossible-hour"),
    ("13pm", "pm-over-12"),
    ("10:75", "impossible-minutes"),
    ("2pm 3pm", "two-times"),
    ("at 3 at 4", "two-bare-hours"),
    ("tomorrow friday", "two-days"),
    ("in 2 hours tomorrow", "offset-with-a-day"),
    ("call the dentist friday", "extra-words"),
    ("3/4", "ambiguous-slash-date"),
    ("0/0", "impossible-slash-date"),
    ("tuesday the 14th", "weekday-disagrees-with-date"),
    ("tonight at 1", "tonight-small-hours"),
    ("in -2 hours", "negative-offset"),
    ("2 days ago", "ago"),
    ("this week", "a-range-is-not-a-moment"),
    ("friday lunchtime", "unknown-part-of-day"),
    ("twelve ninety nine", "price-not-a-time"),
]


@pytest.mark.parametrize("text", [c[0] for c in REFUSED], ids=[c[1] for c in REFUSED])
def test_refused(text: str) -> None:
    assert parse_when(text, NOW) is None


DAYS = [
    ("today", date(2026, 11, 18), "today"),
    ("friday", date(2026, 11, 20), "friday"),
    ("next friday", date(2026, 11, 27), "next-friday"),
    ("wednesday", date(2026, 11, 25), "own-weekday"),
    ("the 14th", date(2026, 12, 14), "ordinal"),
    ("end of the month", date(2026, 11, 30), "end-of-month"),
    ("end of next week", date(2026, 11, 27), "end-of-next-week"),
    ("eod", date(2026, 11, 18), "end-of-day-is-today"),
    ("in 3 days", date(2026, 11, 21), "in-3-days"),
    ("a week tomorrow", date(2026, 11, 26), "a-week-tomorrow"),
    ("christmas", date(2026, 12, 25), "christmas"),
    ("2026-12-01", date(2026, 12, 1), "iso"),
    ("the twenty first", date(2026, 11, 21), "spoken-ordinal"),
    ("tomorrow at 2pm", None, "time-is-not-a-day"),
    ("in two hours", None, "offset-is-not-a-day"),
    ("tonight", None, "period-is-not-a-day"),
    ("friday 3", None, "hour-is-not-a-day"),
    ("3/4", None, "ambiguous"),
    ("whenever", None, "nonsense"),
]


@pytest.mark.parametrize(("text", "expected"), [c[:2] for c in DAYS], ids=[c[2] for c in DAYS])
def test_parse_day(text: str, expected: date | None) -> None:
    assert parse_day(text, TODAY) == expected


def _days(start: str, end: str) -> tuple[date, date]:
    return date.fromisoformat(start), date.fromisoformat(end)


RANGES = [
    ("next week", _days("2026-11-23", "2026-11-29"), "next-week-monday-to-sunday"),
    ("this week", _days("2026-11-16", "2026-11-22"), "this-week"),
    ("last week", _days("2026-11-09", "2026-11-15"), "last-week"),
    ("the week after next", _days("2026-11-30", "2026-12-06"), "week-after-next"),
    ("this month", _days("2026-11-01", "2026-11-30"), "this-month"),
    ("next month", _days("2026-12-01", "2026-12-31"), "next-month"),
    ("last month", _days("2026-10-01", "2026-10-31"), "last-month"),
    ("this year", _days("2026-01-01", "2026-12-31"), "this-year"),
    ("next year", _days("2027-01-01", "2027-12-31"), "next-year"),
    ("this weekend", _days("2026-11-21", "2026-11-22"), "this-weekend"),
    ("over the weekend", _days("2026-11-21", "2026-11-22"), "over-the-weekend"),
    ("next weekend", _days("2026-11-28", "2026-11-29"), "next-weekend"),
    ("the rest of the week", _days("2026-11-18", "2026-11-22"), "rest-of-week"),
    ("rest of the month", _days("2026-11-18", "2026-11-30"), "rest-of-month"),
    ("the next 7 days", _days("2026-11-18", "2026-11-24"), "next-7-days"),
    ("next seven days", _days("2026-11-18", "2026-11-24"), "next-seven-days-spoken"),
    ("the next 2 weeks", _days("2026-11-18", "2026-12-01"), "next-2-weeks"),
    ("the last 30 days", _days("2026-10-20", "2026-11-18"), "last-30-days"),
    ("the past week", _days("2026-11-12", "2026-11-18"), "past-week-is-7-days"),
    ("december", _days("2026-12-01", "2026-12-31"), "month-name"),
    ("in december", _days("2026-12-01", "2026-12-31"), "in-month"),
    ("november", _days("2026-11-01", "2026-11-30"), "current-month-counts"),
    ("october", _days("2027-10-01", "2027-10-31"), "passed-month-is-next-year"),
    ("december 2027", _days("2027-12-01", "2027-12-31"), "month-and-year"),
    ("monday to friday", _days("2026-11-23", "2026-11-27"), "monday-to-friday"),
    ("from monday to friday", _days("2026-11-23", "2026-11-27"), "from-to"),
    ("between the 1st and the 14th", _days("2026-12-01", "2026-12-14"), "between-ordinals"),
    ("friday to monday", _days("2026-11-20", "2026-11-23"), "over-the-weekend-span"),
    ("today and tomorrow", _days("2026-11-18", "2026-11-19"), "today-and-tomorrow"),
    ("the 20th to the 25th of december", _days("2026-12-20", "2026-12-25"), "shared-month"),
    ("until friday", _days("2026-11-18", "2026-11-20"), "until-friday"),
    ("tomorrow", _days("2026-11-19", "2026-11-19"), "one-day"),
    ("the 14th", _days("2026-12-14", "2026-12-14"), "one-ordinal-day"),
]


@pytest.mark.parametrize(("text", "expected"), [c[:2] for c in RANGES], ids=[c[2] for c in RANGES])
def test_parse_range(text: str, expected: tuple[date, date]) -> None:
    found = parse_range(text, TODAY)
    assert found is not None
    assert (found.start, found.end) == expected


@pytest.mark.parametrize(
    "text",
    ["the 14th to the 1st", "until yesterday", "from tomorrow", "this quarter", "banana", ""],
    ids=["end-before-start", "until-the-past", "open-ended", "quarter", "nonsense", "empty"],
)
def test_parse_range_refuses(text: str) -> None:
    assert parse_range(text, TODAY) is None


def test_range_bounds_are_local_midnights() -> None:
    found = parse_range("next week", TODAY)
    assert found is not None
    start, end = found.bounds(LONDON)
    assert start == datetime(2026, 11, 23, tzinfo=LONDON)
    assert end == datetime(2026, 11, 30, tzinfo=LONDON)
    assert found.days == 7


def test_range_bounds_across_a_clock_change() -> None:
    found = parse_range("this weekend", date(2026, 10, 23))
    assert found is not None
    start, end = found.bounds(LONDON)
    # Same-zone subtraction is wall-clock; real time is measured in UTC.
    assert (end.astimezone(UTC) - start.astimezone(UTC)).total_seconds() == 49 * 3600
    assert start.utcoffset() != end.utcoffset()


TIMES = [
    ("half past three", time(15, 30), "half-past"),
    ("quarter to five", time(16, 45), "quarter-to"),
    ("4", time(16), "lone-number"),
    ("9", time(9), "lone-morning-hour"),
    ("two p m", time(14), "spoken-pm"),
    ("noon", time(12), "noon"),
    ("midnight", time(0), "midnight"),
    ("tonight at 9", time(21), "tonight"),
    ("19:45", time(19, 45), "24-hour"),
    ("tomorrow at 3", None, "a-day-is-not-a-time"),
    ("25:00", None, "impossible"),
    ("4 5", None, "two-numbers"),
]


@pytest.mark.parametrize(("text", "expected"), [c[:2] for c in TIMES], ids=[c[2] for c in TIMES])
def test_parse_time(text: str, expected: time | None) -> None:
    assert parse_time(text) == expected
