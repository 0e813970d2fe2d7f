"""Document references: "#42", "invoice 42", "INV-0042", "inv 42", "number forty two", "QUO-0007".

:func:`parse_reference` gives a :class:`Reference` — the kind of record (or ``None`` when the
phrase does not say), its number, and the canonical code the business prints
(:func:`~luma_desktop.workspace.values.numbered_reference`: "INV-0042") — or ``None``.

Ambiguity rules
    - The kind comes from a word or a prefix: "invoice"/"inv", "quote"/"quotation"/"quo"/"q",
      "order"/"ord", "appointment"/"appt"/"apt"/"booking", or the letters of the business's
      own prefixes (``prefixes``: kind → prefix, e.g. ``{"invoice": "SAL-"}``, laid over
      :data:`DEFAULT_PREFIXES`; their letters win over the built-in words). Without one
      ("#42", "number 42", "42") the kind is ``None``: the caller searches every numbered kind
      and asks when several match.
    - The code uses the business's prefix for the kind (default "INV-", "Q-", "ORD-"), so
      "QUO-0007" is quote 7, printed "Q-0007" unless the business's quote prefix is "QUO-".
      Appointments have no printed code (``code`` is ``None``).
    - Spoken numbers: a run of single digits is read digit by digit, as codes are read out
      ("four two" = 42, "oh oh four two" = 42); other number words as a number ("forty two",
      "one hundred and five").
    - Numbers start at 1. Unknown prefixes ("XYZ-12"), a kind without a number ("invoice"),
      two numbers ("invoice 42 43"), decimals and anything left over are refused.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import NamedTuple

from ..workspace.values import numbered_reference
from ._text import clean
from .numbers import UNIT_WORDS, parse_number

__all__ = ["DEFAULT_PREFIXES", "Reference", "parse_reference"]

DEFAULT_PREFIXES: Mapping[str, str] = {"invoice": "INV-", "quote": "Q-", "order": "ORD-"}
"""The prefixes a new business prints (its tax settings may change them)."""


class Reference(NamedTuple):
    """A numbered record named by a person."""

    kind: str | None
    """"invoice", "quote", "order", "appointment", or ``None`` when not said."""
    number: int
    code: str | None
    """The printed code ("INV-0042"), or ``None`` when the kind is unknown or has none."""


_KINDS = {
    "invoice": "invoice",
    "inv": "invoice",
    "quote": "quote",
    "quotation": "quote",
    "quo": "quote",
    "q": "quote",
    "order": "order",
    "ord": "order",
    "appointment": "appointment",
    "appt": "appointment",
    "apt": "appointment",
    "booking": "appointment",
}
_MARKERS = frozenset({"#", "number", "no", "num", "nr"})
_DIGIT_WORDS = {
    "oh": "0",
    "o": "0",
    "zero": "0",
    **{word: str(n) for n, word in enumerate(UNIT_WORDS, 1)},
}
_LETTER_DIGIT = re.compile(r"([a-z])-?(?=\d)")
_MAX_NUMBER = 10**9


def _kinds(prefixes: Mapping[str, str]) -> dict[str, str]:
    own = {re.sub(r"[^a-z]", "", prefix.lower()): kind for kind, prefix in prefixes.items()}
    return _KINDS | {letters: kind for letters, kind in own.items() if letters}


def _number(words: list[str]) -> int | None:
    if len(words) == 1 and words[0].isdigit():
        return int(words[0])
    if len(words) > 1 and all(word in _DIGIT_WORDS for word in words):
        return int("".join(_DIGIT_WORDS[word] for word in words))
    if any(word.isdigit() for word in words):
        return None
    return parse_number(" ".join(words)) if words else None


def parse_reference(text: str, prefixes: Mapping[str, str] | None = None) -> Reference | None:
    """The record ``text`` names ("invoice forty two" → invoice 42, "INV-0042"), or ``None``."""
    prefixes = {**DEFAULT_PREFIXES, **(prefixes or {})}
    s = _LETTER_DIGIT.sub(r"\1 ", clean(text, keep="#-"))
    words = s.replace("#", " # ").replace("-", " ").split()
    if words[:1] in (["the"], ["that"]):
        words = words[1:]
    kind = _kinds(prefixes).get(words[0]) if words else None
    if kind is not None:
        words = words[1:]
    if words[:1] and words[0] in _MARKERS:
        words = words[1:]
    number = _number(words)
    if number is None or not 1 <= number < _MAX_NUMBER:
        return None
    prefix = prefixes.get(kind) if kind else None
    return Reference(kind, number, numbered_reference(prefix, number) if prefix else None)
