"""Amounts of money as people say them: "£500", "five hundred dollars", "12 quid", "fifty p".

:func:`parse_money` gives a :class:`Money` — a ``Decimal`` amount with two decimal places and
an ISO currency code, or ``None`` for the currency when none was said (the business's
currency) — or ``None`` for anything it does not fully understand.

Ambiguity rules
    - Currency: "£", "pounds", "quid", "sterling", "gbp", "p", "pence" are GBP; "$", "dollars",
      "bucks", "usd" are USD (never CAD/AUD: say the code); "€", "euros", "eur" EUR; "chf",
      "francs" CHF. A bare amount ("500", "two fifty") has no currency (``None``). Two
      different currencies in one phrase are refused.
    - "two fifty" said alone is a price: 2.50 (and "twelve ninety nine" 12.99, "nineteen
      ninety nine" 19.99, "two oh five" 2.05), the way prices are read out in a shop; with a
      currency word after it ("two fifty dollars": $2.50 or $250?) it is refused. Say "two
      hundred and fifty" for 250 or "two pounds fifty" for 2.50.
    - "five pounds fifty" / "five pounds and fifty pence" = 5.50; "ten dollars twenty five
      cents" = 10.25. The part after the currency word must be under 100.
    - "fifty p" / "50p" / "fifty pence" = £0.50; "fifty cents" = 0.50 in the business's
      currency (``None``: both dollars and euros have cents).
    - "1.2k" = 1200, "2 grand" / "a grand" = 2000 / 1000 (UK), "£1.5m" = 1,500,000,
      "a fiver" = £5, "a tenner" = £10, "a pound" = £1.
    - "£1,250.00": commas must group thousands ("12,50" — a decimal comma? — is refused).
      More than two decimal places ("12.505") is refused rather than rounded.
    - Negative amounts ("-5", "minus five") and approximations ("about £500") are refused.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import NamedTuple

from ._text import clean
from .numbers import parse_decimal, parse_number, read_numbers

__all__ = ["Money", "parse_money"]


class Money(NamedTuple):
    """An amount in major units and its currency (``None``: the business's currency)."""

    amount: Decimal
    currency: str | None


_SYMBOLS = {"£": "GBP", "$": "USD", "€": "EUR"}
_CODES = {"gbp": "GBP", "usd": "USD", "eur": "EUR", "chf": "CHF"}
_MAJOR = _CODES | {
    "pound": "GBP",
    "pounds": "GBP",
    "quid": "GBP",
    "sterling": "GBP",
    "dollar": "USD",
    "dollars": "USD",
    "buck": "USD",
    "bucks": "USD",
    "euro": "EUR",
    "euros": "EUR",
    "franc": "CHF",
    "francs": "CHF",
}
_MINOR: dict[str, str | None] = {"p": "GBP", "pence": "GBP", "penny": "GBP", "c": None,
                                 "cent": None, "cents": None}  # fmt: skip
_SLANG = {"fiver": Money(Decimal("5.00"), "GBP"), "tenner": Money(Decimal("10.00"), "GBP")}
_NEGATIVE = re.compile(r"(?:^|[\s£$€])-\s*[\d.]|\b(?:minus|negative)\b")
_SCALED = re.compile(r"(\d+(?:\.\d+)?) ?(k|m|grand|thousand|million)")
_SCALES = {"k": 1000, "grand": 1000, "thousand": 1000, "m": 1_000_000, "million": 1_000_000}
_CENT = Decimal("0.01")


def _tokens(text: str) -> list[str]:
    s = clean(text, keep="£$€.,")
    s = re.sub(r"([£$€])", r" \1 ", s)
    s = re.sub(r"(?<!\d)[.,]|[.,](?!\d)", " ", s)
    s = re.sub(r"(\d)(p|pence|c|cents)\b", r"\1 \2", s)
    s = re.sub(r"\bgrand\b", "thousand", s)
    return s.split()


def _amount(words: list[str]) -> Decimal | None:
    """A major-unit amount: digits, spoken words, or a scaled "1.2k"/"2.5 grand"."""
    if words in (["a"], ["an"]):
        return Decimal(1)
    text = " ".join(words)
    scaled = _SCALED.fullmatch(text)
    if scaled is not None:
        return Decimal(scaled[1]) * _SCALES[scaled[2]]
    return parse_decimal(text) if text else None


def _price(words: list[str]) -> Decimal | None:
    """ "two fifty" → 2.50, "two oh five" → 2.05: a spoken price without a currency word."""
    read = read_numbers(words)
    if not read or not all(w.spoken and not w.ordinal for w in read if w.text != "oh"):
        return None
    values = [w.value for w in read]
    if len(values) == 3 and read[1].text == "oh":
        major, minor, low = values[0], values[2], 1
    elif len(values) == 2:
        major, minor, low = values[0], values[1], 10
    else:
        return None
    if major is None or minor is None or not (1 <= major <= 99 and low <= minor <= 99):
        return None
    return Decimal(major) + Decimal(minor) / 100


def _minor_part(words: list[str], currency: str | None) -> Decimal | None:
    """What follows the currency word: "fifty", "and fifty pence", "25 cents"."""
    if words[:1] == ["and"]:
        words = words[1:]
    if words and words[-1] in _MINOR:
        if (_MINOR[words[-1]] == "GBP") != (currency == "GBP"):
            return None  # "five dollars fifty pence", "five pounds fifty cents"
        words = words[:-1]
    value = parse_number(" ".join(words)) if words else None
    if value is None or not 0 <= value <= 99:
        return None
    return Decimal(value) / 100


def _with_currency_word(words: list[str], at: int) -> tuple[Decimal | None, str]:
    currency = _MAJOR[words[at]]
    amount = _amount(words[:at])
    rest = words[at + 1 :]
    if amount is None or not rest:
        return amount, currency
    minor = _minor_part(rest, currency)
    if minor is None or amount != amount.to_integral_value():
        return None, currency
    return amount + minor, currency


def _read(words: list[str]) -> tuple[Decimal | None, str | None]:
    major = next((i for i, word in enumerate(words) if word in _MAJOR), None)
    if major is not None:
        return _with_currency_word(words, major)
    if len(words) > 1 and words[-1] in _MINOR:
        pence = parse_number(" ".join(words[:-1]))
        return (None if pence is None else Decimal(pence) / 100), _MINOR[words[-1]]
    amount = _amount(words)
    return (amount if amount is not None else _price(words)), None


def _agree(*currencies: str | None) -> tuple[bool, str | None]:
    named = {c for c in currencies if c is not None}
    return len(named) <= 1, next(iter(named), None)


def parse_money(text: str) -> Money | None:
    """The amount ``text`` says ("£1,250", "five pounds fifty", "1.2k"), or ``None``."""
    if _NEGATIVE.search(text.lower()):
        return None
    words = _tokens(text)
    if words[:1] == ["a"] and words[1:] in (["fiver"], ["tenner"]):
        return _SLANG[words[1]]
    said = None
    if words and (words[0] in _SYMBOLS or words[0] in _CODES):
        said, words = _SYMBOLS.get(words[0]) or _CODES[words[0]], words[1:]
    elif words and words[-1] in _SYMBOLS:
        said, words = _SYMBOLS[words[-1]], words[:-1]
    amount, currency = _read(words)
    same, currency = _agree(said, currency)
    if amount is None or not same or amount != amount.quantize(_CENT):
        return None
    return Money(amount.quantize(_CENT), currency)
