"""Spoken and written numbers: "forty two" → 42, "twenty first" → 21, "1,250.50" → 1250.50.

:func:`read_numbers` turns the number words inside a phrase into values, for the other parsers;
:func:`parse_number`, :func:`parse_decimal` and :func:`parse_ordinal` read a whole phrase that
is one number, and answer ``None`` for anything else.

Ambiguity rules
    - Number words follow English grammar: "one hundred and five" = 105, "two thousand and
      twenty six" = 2026, "twenty five hundred" = 2500, "a hundred" = 100, "a dozen" = 12,
      "two dozen" = 24, "half a dozen" = 6, "a couple" = 2.
    - Words that cannot continue a number start a new one: "three thirty" is 3 then 30 and
      "nineteen ninety nine" is 19 then 99 (times and prices give such pairs their meaning);
      a whole phrase that reads as two numbers is not a number (``None``).
    - "a"/"an" is 1 only before "hundred", "thousand", "million" or "dozen"; "zero" only on its
      own; "oh" is never a number here (clock and reference parsers read it as a digit).
    - "second" is an ordinal except after "a", "an", "one", "1", "per" or "each" ("a second"
      is a unit of time); "twenty second" is always 22nd.
    - Digits: "1,250" needs groups of three after each comma ("1,25" is refused: decimal
      comma or typo, we cannot tell); "1.2k" = 1200 and "2m" = 2,000,000; a digit ordinal is
      read by its digits whatever the suffix ("22th" = 22).
    - Decimals: "twelve point five" = 12.5 (digits after "point" one word each), "one and a
      half" = 1.5, "two and a quarter" = 2.25, "half" = 0.5.
    - Negative numbers and approximations ("about forty") are refused.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from typing import NamedTuple

from ._text import clean

__all__ = [
    "UNIT_WORDS",
    "NumberWord",
    "ordinal_suffix",
    "parse_decimal",
    "parse_number",
    "parse_ordinal",
    "read_numbers",
]

# fmt: off
UNIT_WORDS = ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
_TEEN_WORDS = ["ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen",
               "seventeen", "eighteen", "nineteen"]
_TENS_WORDS = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
_UNIT_ORD = ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth",
             "ninth"]
_TEEN_ORD = ["tenth", "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth",
             "sixteenth", "seventeenth", "eighteenth", "nineteenth"]
_TENS_ORD = ["twentieth", "thirtieth", "fortieth", "fiftieth", "sixtieth", "seventieth",
             "eightieth", "ninetieth"]
# fmt: on
_UNITS = {w: n for n, w in enumerate(UNIT_WORDS, 1)}
_TEENS = {w: n for n, w in enumerate(_TEEN_WORDS, 10)}
_TENS = dict(zip(_TENS_WORDS, range(20, 100, 10), strict=True)) | {"fourty": 40}
_ORD_UNITS = {w: n for n, w in enumerate(_UNIT_ORD, 1)}
_ORD_TEENS = {w: n for n, w in enumerate(_TEEN_ORD, 10)}
_ORD_TENS = dict(zip(_TENS_ORD, range(20, 100, 10), strict=True))
_TWO_DIGIT = _TEENS | _TENS | _ORD_TEENS | _ORD_TENS
_SCALES = {"thousand": 1000, "million": 1_000_000}
_ORD_SCALES = {"thousandth": 1000, "millionth": 1_000_000}
_ONE_BEFORE = frozenset({"hundred", "thousand", "million", "dozen"})
_NOT_ORDINAL_AFTER = frozenset({"a", "an", "one", "1", "per", "each"})
_DIGITS = re.compile(r"\d+")
_DIGIT_ORDINAL = re.compile(r"(\d+)(?:st|nd|rd|th)")
_WRITTEN = re.compile(r"(?P<int>\d{1,3}(?:,\d{3})+|\d*)(?:\.(?P<frac>\d+))?(?P<scale>k|m)?")
_NEGATIVE = re.compile(r"(?:^|\s)-\s*[\d.]|\b(?:minus|negative)\b")
_LOOSE_POINT = re.compile(r"[.,](?!\d)")
_DIGIT_WORDS = {"zero": 0, "oh": 0, "o": 0} | _UNITS
_FRACTIONS = {"half": Decimal("0.5"), "quarter": Decimal("0.25")}
_MAX = 10**12


class NumberWord(NamedTuple):
    """One word of a phrase after :func:`read_numbers`: a number, or the word unchanged."""

    text: str
    """The digits ("42"), the digit ordinal ("21st"), or the original word."""
    value: int | None
    """The number, or ``None`` for a word that is not one."""
    spoken: bool = False
    """True when the number was said in words (so "three thirty" can be a time)."""
    ordinal: bool = False
    """True for "third", "21st", "twenty first"."""


def ordinal_suffix(n: int) -> str:
    """``21`` → ``"21st"``, ``12`` → ``"12th"``."""
    suffix = "th" if 11 <= n % 100 <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


class _Reader:
    """A small state machine over number words; ``last`` is the kind of the previous word."""

    def __init__(self) -> None:
        self.total = 0
        self.group = 0
        self.last = ""
        self.scale = _MAX
        self.ordinal = False

    def step(self, word: str, nxt: str) -> bool:
        """Consume ``word`` if it continues the number; ``False`` ends it."""
        last = self.last
        if word in _UNITS or word in _ORD_UNITS:
            if last not in ("", "tens", "hundred", "and", "scale"):
                return False
            return self._add(_UNITS.get(word) or _ORD_UNITS[word], "unit", word in _ORD_UNITS)
        if word in _TWO_DIGIT:
            if last not in ("", "hundred", "and", "scale"):
                return False
            kind = "tens" if word in _TENS else "teen"
            return self._add(_TWO_DIGIT[word], kind, word in _ORD_TEENS or word in _ORD_TENS)
        if word in ("a", "an") and last == "" and nxt in _ONE_BEFORE:
            return self._add(1, "unit", False)
        if word in ("hundred", "hundredth"):
            if last not in ("unit", "teen", "tens") or self.group >= 100:
                return False
            self.group *= 100
            self.last, self.ordinal = "hundred", word == "hundredth"
            return True
        if word in _SCALES or word in _ORD_SCALES:
            return self._scale(_SCALES.get(word) or _ORD_SCALES[word], word in _ORD_SCALES)
        if word == "dozen" and last in ("unit", "teen", "tens") and self.total == 0:
            self.group *= 12
            self.last = "dozen"
            return True
        if word == "and" and last in ("hundred", "scale"):
            return nxt in _UNITS or nxt in _TEENS or nxt in _TENS or nxt in _ORD_UNITS
        return False

    def _add(self, value: int, kind: str, ordinal: bool) -> bool:
        self.group += value
        self.last, self.ordinal = kind, ordinal
        return True

    def _scale(self, scale: int, ordinal: bool) -> bool:
        if self.last not in ("unit", "teen", "tens", "hundred") or scale >= self.scale:
            return False
        self.total += self.group * scale
        self.group, self.scale = 0, scale
        self.last, self.ordinal = "scale", ordinal
        return True

    @property
    def value(self) -> int:
        return self.total + self.group


def _read_words(words: Sequence[str], start: int) -> tuple[int, int, bool] | None:
    """The number starting at ``words[start]``: (value, index after it, ordinal), or None."""
    reader = _Reader()
    i = start
    while i < len(words):
        nxt = words[i + 1] if i + 1 < len(words) else ""
        if words[i] == "and":
            if not reader.step("and", nxt):
                break
            reader.last = "and"
            i += 1
            continue
        if not reader.step(words[i], nxt):
            break
        i += 1
        if reader.ordinal or reader.last == "dozen":
            break
    if i == start or reader.last in ("", "and"):
        return None
    return reader.value, i, reader.ordinal


def _second_is_unit(words: Sequence[str], i: int) -> bool:
    return words[i] == "second" and i > 0 and words[i - 1] in _NOT_ORDINAL_AFTER


def _digits_with_scale(words: Sequence[str], i: int) -> tuple[int, int] | None:
    """ "5 hundred", "2 thousand": digits times a scale word."""
    if i + 1 < len(words) and _DIGITS.fullmatch(words[i]):
        scale = {"hundred": 100, **_SCALES}.get(words[i + 1])
        if scale is not None:
            return int(words[i]) * scale, i + 2
    return None


def read_numbers(words: Sequence[str]) -> list[NumberWord]:
    """Each number in ``words`` (spoken, digits or ordinal) as one :class:`NumberWord`."""
    out: list[NumberWord] = []
    i = 0
    while i < len(words):
        word = words[i]
        if word == "half" and words[i + 1 : i + 3] == ["a", "dozen"]:
            out.append(NumberWord("6", 6, spoken=True))
            i += 3
            continue
        if word == "a" and words[i + 1 : i + 2] == ["couple"]:
            out.append(NumberWord("2", 2, spoken=True))
            i += 2
            continue
        scaled = _digits_with_scale(words, i)
        if scaled is not None:
            out.append(NumberWord(str(scaled[0]), scaled[0]))
            i = scaled[1]
            continue
        found = None if _second_is_unit(words, i) else _read_words(words, i)
        if found is not None:
            value, i, ordinal = found
            text = ordinal_suffix(value) if ordinal else str(value)
            out.append(NumberWord(text, value, spoken=True, ordinal=ordinal))
            continue
        out.append(_plain(word))
        i += 1
    return out


def _plain(word: str) -> NumberWord:
    if _DIGITS.fullmatch(word):
        return NumberWord(word, int(word))
    ordinal = _DIGIT_ORDINAL.fullmatch(word)
    if ordinal:
        return NumberWord(ordinal_suffix(int(ordinal[1])), int(ordinal[1]), ordinal=True)
    if word == "zero":
        return NumberWord("0", 0, spoken=True)
    return NumberWord(word, None)


def _single(text: str) -> NumberWord | None:
    words = clean(text).removeprefix("the ").split()
    read = read_numbers(words)
    if len(read) != 1 or read[0].value is None:
        return None
    return read[0]


def parse_number(text: str) -> int | None:
    """A whole number said or written ("forty two", "1,250", "1.2k"); ``None`` otherwise."""
    value = parse_decimal(text)
    if value is None or value != value.to_integral_value():
        return None
    return int(value)


def parse_ordinal(text: str) -> int | None:
    """An ordinal ("third", "21st", "the twenty first"); ``None`` otherwise."""
    word = _single(text)
    if word is None or not word.ordinal or word.value is None or word.value < 1:
        return None
    return word.value


def parse_decimal(text: str) -> Decimal | None:
    """A number with an optional fraction ("12.5", "twelve point five", "one and a half")."""
    if _NEGATIVE.search(text.lower()):
        return None
    s = _LOOSE_POINT.sub(" ", clean(text, keep=",.")).strip()
    written = _WRITTEN.fullmatch(s)
    if written is not None:
        return _written(written)
    return _spoken_decimal(s.split()) if s else None


def _written(match: re.Match[str]) -> Decimal | None:
    if not (match["int"] or match["frac"]):
        return None
    try:
        value = Decimal(f"{match['int'].replace(',', '') or '0'}.{match['frac'] or '0'}")
    except InvalidOperation:
        return None
    if match["scale"]:
        value *= 1000 if match["scale"] == "k" else 1_000_000
    return Decimal(int(value)) if value == value.to_integral_value() else value


def _spoken_decimal(words: list[str]) -> Decimal | None:
    if words in (["half"], ["a", "half"]):
        return Decimal("0.5")
    fraction = Decimal(0)
    if len(words) >= 3 and words[-3:-1] == ["and", "a"] and words[-1] in _FRACTIONS:
        words, fraction = words[:-3], _FRACTIONS[words[-1]]
    point = words.index("point") if "point" in words else len(words)
    whole = read_numbers(words[:point])
    if len(whole) != 1 or whole[0].value is None or whole[0].ordinal:
        return None
    if point == len(words):
        return Decimal(whole[0].value) + fraction
    digits = [_DIGIT_WORDS.get(w) for w in words[point + 1 :]]
    if fraction or not digits or None in digits:
        return None
    return Decimal(f"{whole[0].value}.{''.join(str(d) for d in digits)}")
