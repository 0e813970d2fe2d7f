"""Typed slot values: what a captured phrase becomes as a tool argument."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from luma_desktop.assistant.brains.offline._contacts import read_email, read_person, read_phone
from luma_desktop.assistant.brains.offline._values import INVALID, InCurrency, Locale, convert
from luma_desktop.language import parse_duration, parse_money

NOW = datetime(2026, 11, 18, 14, 30, tzinfo=ZoneInfo("Europe/London"))
GB = Locale(NOW)


@pytest.mark.parametrize(
    ("kind", "phrase", "value"),
    [
        pytest.param("text", " call the dentist ", "call the dentist", id="text-trimmed"),
        pytest.param("text", "  ", INVALID, id="text-empty"),
        pytest.param("when", "on friday at 3", "friday at 3", id="when-drops-on"),
        pytest.param("when", "tomorrow at 3pm", "tomorrow at 3pm", id="when-as-said"),
        pytest.param("when", "by friday", "friday", id="when-drops-by"),
        pytest.param("when", "at 6", "at 6", id="when-keeps-needed-at"),
        pytest.param("when", "6", INVALID, id="when-bare-number"),
        pytest.param("when", "in two hours", "in two hours", id="when-relative"),
        pytest.param("when", "dentist friday", INVALID, id="when-with-other-words"),
        pytest.param("day", "next monday", "next monday", id="day"),
        pytest.param("day", "on the 14th", "the 14th", id="day-drops-on"),
        pytest.param("day", "tomorrow at 2pm", INVALID, id="day-not-a-time"),
        pytest.param("number", "forty two", 42, id="number-words"),
        pytest.param("number", "3", 3, id="number-digits"),
        pytest.param("number", "2.5", INVALID, id="number-not-whole"),
        pytest.param("number", "some", INVALID, id="number-not-a-number"),
        pytest.param("duration", "half an hour", 30, id="duration-half-hour"),
        pytest.param("duration", "2 hours", 120, id="duration-hours"),
        pytest.param("duration", "ten minutes", 10, id="duration-words"),
        pytest.param("duration", "an hour and a half", 90, id="duration-hour-and-half"),
        pytest.param("duration", "1 hour 30", 90, id="duration-hour-minutes"),
        pytest.param("duration", "for 20 minutes", 20, id="duration-for"),
        pytest.param("duration", "10", 10, id="duration-bare-minutes"),
        pytest.param("duration", "a day", 1440, id="duration-day"),
        pytest.param("duration", "30 seconds", INVALID, id="duration-not-whole-minutes"),
        pytest.param("duration", "a while", INVALID, id="duration-vague"),
        pytest.param("amount", "£500", "500.00", id="amount-pounds"),
        pytest.param("amount", "£1,250.50", "1250.50", id="amount-grouped"),
        pytest.param("amount", "twelve pounds fifty", "12.50", id="amount-pounds-pence"),
        pytest.param("amount", "fifty pence", "0.50", id="amount-pence"),
        pytest.param("amount", "49.99", "49.99", id="amount-plain"),
        pytest.param("amount", "200 quid", "200.00", id="amount-slang"),
        pytest.param("amount", "nothing", INVALID, id="amount-not-money"),
        pytest.param("amount", "£0", INVALID, id="amount-zero"),
        pytest.param(
            "amount",
            "five hundred dollars",
            InCurrency("500.00", "USD"),
            id="amount-other-currency",
        ),
        pytest.param("reference", "#42", "#42", id="reference-hash"),
        pytest.param("reference", "number forty two", "#42", id="reference-spoken"),
        pytest.param("reference", "0031", "#31", id="reference-zero-padded"),
        pytest.param("reference", "inv-0042", "INV-0042", id="reference-invoice"),
        pytest.param("reference", "inv 0042", "INV-0042", id="reference-invoice-spaced"),
        pytest.param("reference", "invoice 42", "INV-0042", id="reference-invoice-word"),
        pytest.param("reference", "q-7", "Q-0007", id="reference-quote"),
        pytest.param("reference", "appointment 5", "#5", id="reference-without-code"),
        pytest.param("reference", "ps4mn6", "PS4MN6", id="reference-code"),
        pytest.param("reference", "p s 4 m n 6", "PS4MN6", id="reference-spelled"),
        pytest.param("reference", "sarah", INVALID, id="reference-a-name"),
        pytest.param("period", "october", ("2026-10-01", "2026-10-31"), id="period-past-month"),
        pytest.param("period", "december", ("2025-12-01", "2025-12-31"), id="period-last-december"),
        pytest.param("period", "november", ("2026-11-01", "2026-11-30"), id="period-this-month"),
        pytest.param(
            "period", "december 2026", ("2026-12-01", "2026-12-31"), id="period-month-with-year"
        ),
        pytest.param("period", "last month", ("2026-10-01", "2026-10-31"), id="period-last-month"),
        pytest.param("period", "next week", ("2026-11-23", "2026-11-29"), id="period-next-week"),
        pytest.param(
            "period", "1 to 15 october", ("2026-10-01", "2026-10-15"), id="period-between"
        ),
        pytest.param("period", "yesterday", ("2026-11-17", "2026-11-17"), id="period-one-day"),
        pytest.param("period", "the savings account", INVALID, id="period-not-a-period"),
        pytest.param("email", "maya@patel.test", "maya@patel.test", id="email"),
        pytest.param("email", "Maya.Patel@Mail.test", "Maya.Patel@Mail.test", id="email-as-typed"),
        pytest.param("email", "maya at patel dot test", "maya@patel.test", id="email-spoken"),
        pytest.param("email", "patel maya at patel dot test", INVALID, id="email-words-before"),
        pytest.param("email", "maya patel", INVALID, id="email-not-one"),
        pytest.param("phone", "07700 900123", "07700 900123", id="phone-as-typed"),
        pytest.param("phone", "+44 20 7946 0958", "+44 20 7946 0958", id="phone-international"),
        pytest.param(
            "phone",
            "oh two oh seven nine four six oh nine five eight",
            "02079460958",
            id="phone-spoken",
        ),
        pytest.param("phone", "oh seven seven double oh nine", INVALID, id="phone-too-short"),
        pytest.param("phone", "forty two", INVALID, id="phone-a-number"),
        pytest.param("person", "Maya Patel", ("Maya", "Patel"), id="person-two-words"),
        pytest.param("person", "Rhiannon", ("Rhiannon", None), id="person-first-name"),
        pytest.param("person", "Mary Jane Smith", ("Mary Jane", "Smith"), id="person-last-word"),
        pytest.param("person", "Anna de la Cruz", ("Anna", "de la Cruz"), id="person-particles"),
        pytest.param("person", "maya patel", ("Maya", "Patel"), id="person-spoken-capitals"),
        pytest.param("person", "Jo O'Neil-Smith", ("Jo", "O'Neil-Smith"), id="person-punctuated"),
        pytest.param("person", "maya patel maya@patel.test", INVALID, id="person-with-email"),
        pytest.param("person", "room 5", INVALID, id="person-with-digits"),
        pytest.param("person", "maya and tom", INVALID, id="person-two-people"),
    ],
)
def test_phrases_convert_per_slot_type(kind, phrase, value):
    assert convert(kind, phrase, GB) == value


@pytest.mark.parametrize(
    ("locale", "phrase", "value"),
    [
        pytest.param(Locale(NOW, currency="USD"), "$500", "500.00", id="business-currency"),
        pytest.param(Locale(NOW, currency="USD"), "£5", InCurrency("5.00", "GBP"), id="other"),
        pytest.param(Locale(NOW, currency="EUR"), "120", "120.00", id="no-currency-said"),
    ],
)
def test_amounts_say_when_they_are_in_another_currency(locale, phrase, value):
    assert convert("amount", phrase, locale) == value


def test_references_use_the_business_prefixes():
    locale = Locale(NOW, prefixes=lambda: {"invoice": "SAL-", "quote": "EST-"})
    assert convert("reference", "sal 42", locale) == "SAL-0042"
    assert convert("reference", "est-7", locale) == "EST-0007"
    assert convert("reference", "inv 42", locale) == "SAL-0042"


@pytest.mark.parametrize(
    "phrase",
    ["£1,250.50", "two fifty", "a tenner", "1.2k", "fifty p", "five pounds and fifty pence",
     "twelve ninety nine", "2 grand", "£12.505", "about £500", "-5"],
)  # fmt: skip
def test_amounts_are_what_the_money_parser_reads(phrase):
    """One parser per kind of value: the slot type agrees with luma_desktop.language."""
    money = parse_money(phrase)
    expected = f"{money.amount:.2f}" if money and money.amount > 0 else INVALID
    assert convert("amount", phrase, GB) == expected


@pytest.mark.parametrize(
    "phrase",
    ["45 minutes", "an hour and a half", "1h30", "90 min", "three quarters of an hour",
     "a couple of hours", "1:30", "a fortnight", "a few minutes", "2 months"],
)  # fmt: skip
def test_durations_are_what_the_duration_parser_reads(phrase):
    length = parse_duration(phrase)
    expected = int(length.total_seconds() // 60) if length else INVALID
    assert convert("duration", phrase, GB) == expected


@pytest.mark.parametrize(
    ("reader", "phrase"),
    [
        pytest.param(read_email, "maya@", id="email-without-domain"),
        pytest.param(read_email, "at dot", id="email-only-marks"),
        pytest.param(read_person, "", id="person-empty"),
        pytest.param(read_person, "a b c d e f", id="person-too-many-words"),
        pytest.param(lambda p: read_phone(p, "GB"), "0770", id="phone-too-few-digits"),
        pytest.param(lambda p: read_phone(p, "GB"), "call me", id="phone-words"),
    ],
)
def test_contact_readers_refuse_what_is_not_theirs(reader, phrase):
    assert reader(phrase) is None
