"""People's names, e-mail addresses and phone numbers said in a request.

These slot types need no keyword before them ("add a new client Maya Patel maya@patel.test"):
each answers ``None`` for a phrase that is not of its kind, so the brain can cut a run of
words where the kinds change. Phrases come as typed (capitals kept).

- :func:`read_person`: one to five name words (letters, with ``'``, ``-`` or ``.`` inside).
  The last word, with the particles before it ("van", "de la"...), is the last name; the rest
  is the first name ("Mary Jane Smith" → "Mary Jane" + "Smith", "Anna de la Cruz" → "Anna" +
  "de la Cruz"); one word is a first name alone. Capitals as typed; a phrase typed all in
  lower case (speech) gets capitals ("maya patel" → "Maya Patel").
- :func:`read_email`: one address, as typed, or spoken ("maya at patel dot test").
- :func:`read_phone`: a number shaped like a phone number of the business's country (digits
  as typed, or spoken: "oh seven seven double oh..."). Whether it is a real, valid number is
  the tool's to say ("07700 900456" is understood, then refused with a clear message).
"""

from __future__ import annotations

import itertools
import re

import phonenumbers

from ....language.numbers import UNIT_WORDS

# The clients service's own e-mail check (one rule for what an address is).
from ....workspace.values import is_email

__all__ = ["PARTICLES", "read_email", "read_person", "read_phone"]

PARTICLES = frozenset(
    {"van", "von", "de", "da", "di", "del", "della", "der", "den", "du", "la", "le", "ter",
     "ten", "dos", "das", "st", "bin", "al", "mac"}
)  # fmt: skip
"""Words that belong to the last name that follows them ("van Beethoven", "de la Cruz")."""
_NOT_NAMES = frozenset(
    {"and", "or", "with", "for", "from", "at", "on", "to", "the", "a", "an", "is", "called",
     "named", "email", "e-mail", "mail", "phone", "mobile", "number", "tomorrow", "today"}
)  # fmt: skip
_NAME_WORD = re.compile(r"[^\W\d_]+(?:['’.\-][^\W\d_]+)*\.?")
_MAX_NAME_WORDS = 5
_DIGITS = {"oh": "0", "o": "0", "zero": "0", **{w: str(n) for n, w in enumerate(UNIT_WORDS, 1)}}
_REPEATS = {"double": 2, "triple": 3}
_SPOKEN_MARKS = {"at": "@", "dot": ".", "underscore": "_", "dash": "-", "hyphen": "-"}
_PHONE_CHARS = re.compile(r"^\+?[\d\s().\-]+$")
_MIN_PHONE_DIGITS = 7


def _capitalised(word: str) -> str:
    if word in PARTICLES:
        return word
    return "-".join(part[:1].upper() + part[1:] for part in word.split("-"))


def read_person(phrase: str) -> tuple[str, str | None] | None:
    """``(first name, last name or None)`` of a person's name, or ``None``."""
    words = phrase.split()
    if not 0 < len(words) <= _MAX_NAME_WORDS:
        return None
    if any(w.lower() in _NOT_NAMES or not _NAME_WORD.fullmatch(w) for w in words):
        return None
    if not any(ch.isupper() for ch in phrase):
        words = [_capitalised(w) for w in words]
    if len(words) == 1:
        return words[0], None
    start = len(words) - 1
    while start > 1 and words[start - 1].lower() in PARTICLES:
        start -= 1
    return " ".join(words[:start]), " ".join(words[start:])


def read_email(phrase: str) -> str | None:
    """The e-mail address ``phrase`` is (as typed, or spoken: "maya dot p at mail dot com")."""
    words = phrase.split()
    if len(words) > 1:  # spoken: words joined by "at", "dot"... and nothing else
        if "at" not in words or any("@" in w for w in words):
            return None
        words = [_SPOKEN_MARKS.get(w, w) for w in words]
        marks = [w in _SPOKEN_MARKS.values() for w in words]
        if marks[0] or marks[-1] or any(a == b for a, b in itertools.pairwise(marks)):
            return None
    candidate = "".join(words)
    return candidate if is_email(candidate) else None


def _spoken_digits(words: list[str]) -> str | None:
    digits: list[str] = []
    repeat = 1
    for word in words:
        if word in _REPEATS:
            repeat = _REPEATS[word]
            continue
        digit = _DIGITS.get(word) or (word if word.isdigit() else None)
        if digit is None:
            return None
        digits.append(digit * repeat if len(digit) == 1 else digit)
        repeat = 1
    return "".join(digits) if repeat == 1 else None


def read_phone(phrase: str, country: str) -> str | None:
    """The phone number ``phrase`` is (as typed, or spoken digits as digits), or ``None``."""
    said = phrase.strip()
    candidate = said if _PHONE_CHARS.match(said) else _spoken_digits(said.lower().split())
    if candidate is None or sum(ch.isdigit() for ch in candidate) < _MIN_PHONE_DIGITS:
        return None
    try:
        number = phonenumbers.parse(candidate, country)
    except phonenumbers.NumberParseException:
        return None
    return candidate if phonenumbers.is_possible_number(number) else None
