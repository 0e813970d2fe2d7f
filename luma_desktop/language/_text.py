"""Speech-style clean-up every value parser starts with.

Speech-to-text and hurried typing give lowercase words without punctuation, with fillers
("um", "uh", "please", "can you") between them. :func:`clean` lowercases, unifies quotes and
hyphens, drops the characters a parser does not use and the fillers, and collapses spaces.
Fillers are only removed as whole words; approximations ("about", "around") are not fillers:
they are left in place so a parser refuses them rather than pretending they are exact.
"""

from __future__ import annotations

import re

__all__ = ["FILLER_WORDS", "clean"]

FILLER_WORDS = frozenset(
    {"um", "umm", "uh", "uhh", "uhm", "er", "erm", "ah", "eh", "hmm", "hm", "mm", "please", "pls"}
)
"""Single words that carry nothing and are dropped wherever they appear."""

_FILLER_PHRASES = re.compile(
    r"\b(?:(?:can|could|would|will) you|i mean|you know|kind of|sort of|let'?s say)\b"
)
_QUOTES = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-"})
_WORD_HYPHEN = re.compile(r"(?<=[a-z])-(?=[a-z])")
_UNWANTED: dict[str, re.Pattern[str]] = {}


def _unwanted(keep: str) -> re.Pattern[str]:
    pattern = _UNWANTED.get(keep)
    if pattern is None:
        pattern = re.compile(f"[^a-z0-9' {re.escape(keep)}]" if keep else "[^a-z0-9' ]")
        _UNWANTED[keep] = pattern
    return pattern


def clean(text: str, keep: str = "") -> str:
    """``text`` lowercased, without fillers and without punctuation other than ``keep``.

    Apostrophes survive (for "o'clock" and "let's"); hyphens between letters become spaces
    ("twenty-five" → "twenty five").
    """
    s = _WORD_HYPHEN.sub(" ", text.lower().translate(_QUOTES))
    s = _unwanted(keep).sub(" ", s)
    s = _FILLER_PHRASES.sub(" ", s)
    return " ".join(word for word in s.split() if word not in FILLER_WORDS)
