"""Typed slot values: what a phrase captured by a template becomes as a tool argument.

Each built-in slot type has a converter ``(phrase, locale) -> value`` that answers
:data:`INVALID` when the phrase is not of that type; the parser then drops that reading of the
sentence. Every kind of value is read by the one parser of :mod:`luma_desktop.language` (or
the workspace's own check); this module only decides what the tool is given. The rules
(documented for template authors in docs/offline-templates.md):

``text``       the words as said (trimmed).
``when``       a date-time phrase that ``parse_when`` understands, passed through as text
               without a leading "at/on/by/for" the phrase does not need ("on friday at 3" →
               "friday at 3"); the tool parses it in the business timezone. A number alone is
               not a time ("call room 5"), "at 5" is.
``day``        a day phrase that ``parse_day`` understands, passed through the same way.
``period``     a span of days (``parse_range``) as ISO first and last days; a month named
               alone is the latest one that has begun ("october" in November 2026 is October
               2026, "december" is December 2025).
``number``     a whole number, digits or words ("forty two" → 42), as an int.
``duration``   a length of time as whole minutes ("half an hour" → 30, "2 hours" → 120); a
               number alone is minutes ("snooze it 10").
``amount``     money as a decimal string with two places ("£1,250.50" → "1250.50"); an amount
               in another currency than the business's is an :class:`InCurrency`.
``reference``  a record reference: "#42", "INV-0042" (with the business's prefixes), or an
               upper-case booking code ("ps4mn6" → "PS4MN6").
``email``, ``phone``, ``person``: see :mod:`._contacts`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Final

from ....language import parse_day, parse_duration, parse_money, parse_range, parse_when
from ....language.days import MONTHS
from ....language.numbers import parse_decimal, parse_number
from ....language.references import parse_reference
from ._contacts import read_email, read_person, read_phone

__all__ = [
    "COMPOUND_TYPES",
    "CONVERTERS",
    "INVALID",
    "RESTORED_TYPES",
    "VALUE_TYPES",
    "InCurrency",
    "Locale",
    "convert",
]


class _Invalid:
    """The marker of a phrase that is not a value of the slot's type."""

    def __repr__(self) -> str:
        return "INVALID"


INVALID: Final = _Invalid()


@dataclass(frozen=True, slots=True)
class Locale:
    """What values are read against: the business's clock, currency, country and prefixes."""

    now: datetime
    """The current time in the business timezone."""
    currency: str = "GBP"
    """The business's ISO currency: amounts said without one, or in it, are plain amounts."""
    country: str = "GB"
    """Default region of phone numbers said without a country code."""
    prefixes: Callable[[], Mapping[str, str]] = dict
    """The business's document prefixes by kind ({"invoice": "INV-"}...), read when needed."""

    @property
    def today(self) -> date:
        return self.now.date()


@dataclass(frozen=True, slots=True)
class InCurrency:
    """An amount said in another currency than the business's ("$500" for a GBP business)."""

    amount: str
    currency: str


Converter = Callable[[str, Locale], Any]

_CONNECTORS = ("at ", "on ", "by ", "for ", "due ", "from ")
_CODE = re.compile(r"^(?=.*\d)(?=.*[a-z])[a-z0-9]{4,12}$")
_YEAR = re.compile(r"\b\d{4}\b")
_CENT = Decimal("0.01")


def _text(phrase: str, locale: Locale) -> Any:
    value = phrase.strip()
    return value or INVALID


def _without_connector(phrase: str, parse: Callable[[str], object]) -> Any:
    """``phrase`` once ``parse`` accepts it, without a leading "on"/"at" it does not need."""
    value = phrase.strip()
    meaning = parse(value) if value and parse_number(value) is None else None
    if meaning is None:
        return INVALID
    for connector in _CONNECTORS:
        rest = value[len(connector) :]
        usable = value.startswith(connector) and rest and parse_number(rest) is None
        if usable and parse(rest) == meaning:
            return rest
    return value


def _when(phrase: str, locale: Locale) -> Any:
    return _without_connector(phrase, lambda text: parse_when(text, locale.now))


def _day(phrase: str, locale: Locale) -> Any:
    return _without_connector(phrase, lambda text: parse_day(text, locale.today))


def _period(phrase: str, locale: Locale) -> Any:
    """``(first day, last day)`` as ISO dates; a month alone is the latest that has begun."""
    span = parse_range(phrase, locale.today)
    if span is None:
        return INVALID
    said = set(phrase.lower().split())
    if span.start > locale.today and said & MONTHS.keys() and not _YEAR.search(phrase):
        earlier = parse_range(phrase, _a_year_before(locale.today))
        span = earlier if earlier is not None and earlier.start <= locale.today else span
    return (span.start.isoformat(), span.end.isoformat())


def _a_year_before(day: date) -> date:
    return day.replace(year=day.year - 1, day=min(day.day, 28) if day.month == 2 else day.day)


def _number(phrase: str, locale: Locale) -> Any:
    value = parse_decimal(phrase)
    if value is None or value != value.to_integral_value():
        return INVALID
    return int(value)


def _duration(phrase: str, locale: Locale) -> Any:
    bare = parse_number(phrase)
    if bare is not None:
        return bare if bare > 0 else INVALID
    length = parse_duration(phrase)
    if length is None or length.total_seconds() % 60:
        return INVALID
    return int(length.total_seconds() // 60)


def _amount(phrase: str, locale: Locale) -> Any:
    money = parse_money(phrase)
    if money is None or money.amount <= 0:
        return INVALID
    amount = str(money.amount.quantize(_CENT))
    if money.currency is None or money.currency == locale.currency:
        return amount
    return InCurrency(amount, money.currency)


def _reference(phrase: str, locale: Locale) -> Any:
    words = phrase.lower().split()
    if len(words) >= 4 and all(len(w) == 1 for w in words):
        words = ["".join(words)]  # spelled out: "p s 4 m n 6"
    said = " ".join(words)
    found = parse_reference(said, locale.prefixes())
    if found is not None:
        return found.code or f"#{found.number}"
    return said.upper() if _CODE.match(said) else INVALID


def _email(phrase: str, locale: Locale) -> Any:
    return read_email(phrase) or INVALID


def _phone(phrase: str, locale: Locale) -> Any:
    return read_phone(phrase, locale.country) or INVALID


def _person(phrase: str, locale: Locale) -> Any:
    return read_person(phrase) or INVALID


CONVERTERS: dict[str, Converter] = {
    "text": _text,
    "when": _when,
    "day": _day,
    "period": _period,
    "number": _number,
    "duration": _duration,
    "amount": _amount,
    "reference": _reference,
    "email": _email,
    "phone": _phone,
    "person": _person,
}
VALUE_TYPES = frozenset(CONVERTERS)
"""The built-in value slot types (wildcards whose phrase is converted)."""
COMPOUND_TYPES = frozenset({"period", "person"})
"""Types whose value is a pair that fills two arguments (``{period:start+end}``)."""
RESTORED_TYPES = frozenset({"text", "email", "phone", "person"})
"""Types read from the words as typed (capitals and punctuation kept), not as matched."""


def convert(kind: str, phrase: str, locale: Locale) -> Any:
    """``phrase`` as a value of slot type ``kind``, or :data:`INVALID`."""
    return CONVERTERS[kind](phrase, locale)
