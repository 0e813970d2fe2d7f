"""How people type and talk, made matchable: lowercase, no stray punctuation, no fillers.

:func:`normalise_speech` is applied to every request before template matching and to every
answer before it is read ("yes", "the second one"). Speech-to-text gives lowercase words
without punctuation and with fillers; typed text has capitals, commas and question marks.
Both end up the same::

    "Um, can you please remind me to call Sarah?"  ->  "remind me to call sarah"

Characters that carry meaning inside a word survive: ``£ $ € # @ : . ' & / -`` in "£49.99",
"#42", "inv-0042", "9:30", "what's", "cut & blow-dry".
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

__all__ = ["FILLERS", "Speech", "normalise_speech", "read_speech", "strip_article"]

FILLERS = frozenset({"um", "umm", "uh", "uhh", "uhm", "er", "erm", "hmm", "hm", "mm", "please"})
"""Words dropped wherever they appear."""

_LEADING = (
    "hey luma",
    "hi luma",
    "ok luma",
    "okay luma",
    "hello luma",
    "luma",
    "hey",
    "so",
    "right",
    "and",
    "also",
    "just",
    "can you",
    "could you",
    "would you",
    "will you",
    "can u",
    "would you mind",
    "i'd like you to",
    "i would like you to",
    "i want you to",
    "i need you to",
    "go ahead and",
)
"""Request openers removed from the start (repeatedly: "hey luma can you just ...")."""
_TRAILING = ("thanks", "thank you", "cheers", "for me", "if you can", "if you could", "luma")
"""Polite endings removed from the end (repeatedly)."""

_QUOTES = str.maketrans({"’": "'", "‘": "'", "“": " ", "”": " ", '"': " ", "–": "-", "—": " "})
_UNWANTED = re.compile(r"[^a-z0-9£$€#@:.'&/\- ]")
_GROUPED = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")
_OUTER = " ,.;:!?\"'“”‘’()[]"
_NOT_KEY = re.compile(r"[^\w£$€#@]")
_SENTENCE_DOT = re.compile(r"\.(?=\s|$)|(?<=\s)\.|^\.")
_LOOSE = re.compile(r"(?<![a-z0-9])['\-:&]+|['\-:&/]+(?![a-z0-9])")
_ARTICLES = ("the ", "a ", "an ", "my ", "our ", "that ", "this ")


@dataclass(frozen=True, slots=True)
class Speech:
    """A request's words as matched, and where each came from in the text as typed."""

    words: tuple[str, ...]
    """Lowercase, cleaned words (what templates are matched against)."""
    origins: tuple[int, ...]
    """For each word, the index of the token of :attr:`tokens` it came from."""
    tokens: tuple[str, ...]
    """The whitespace-separated tokens as typed."""

    @property
    def text(self) -> str:
        return " ".join(self.words)

    def restore(self, phrase: str) -> str:
        """Matched words given back as typed: "call hans about the vat return" → "Call Hans
        about the VAT return", "/downloads/list.csv" → "~/Downloads/list.csv"."""
        wanted = [_key(w) for w in phrase.split()]
        keys = [_key(w) for w in self.words]
        n = len(wanted)
        for start in range(len(keys) - n + 1):
            if n and keys[start : start + n] == wanted:
                first, last = self.origins[start], self.origins[start + n - 1]
                return " ".join(self.tokens[first : last + 1]).strip(_OUTER) or phrase
        return phrase


def _key(word: str) -> str:
    return _NOT_KEY.sub("", word)


def _strip_phrases(
    found: list[tuple[str, int]], phrases: tuple[str, ...], *, leading: bool
) -> list[tuple[str, int]]:
    split = sorted((p.split() for p in phrases), key=len, reverse=True)
    changed = True
    while changed and found:
        changed = False
        for phrase in split:
            n = len(phrase)
            part = found[:n] if leading else found[-n:]
            if [w for w, _ in part] == phrase and len(found) > n:
                found = found[n:] if leading else found[:-n]
                changed = True
                break
    return found


def _clean(token: str) -> list[str]:
    s = _GROUPED.sub("", token.lower())
    s = _UNWANTED.sub(" ", s)
    s = _SENTENCE_DOT.sub(" ", s)
    s = _LOOSE.sub(" ", s)
    return [w for w in s.split() if w not in FILLERS]


def read_speech(text: str, *, requests: bool = True) -> Speech:
    """The words of ``text`` as matched (see :func:`normalise_speech`), with their origins."""
    tokens = tuple(unicodedata.normalize("NFKC", text).translate(_QUOTES).split())
    found = [(word, i) for i, token in enumerate(tokens) for word in _clean(token)]
    if requests:
        found = _strip_phrases(found, _LEADING, leading=True)
        found = _strip_phrases(found, _TRAILING, leading=False)
    return Speech(tuple(w for w, _ in found), tuple(i for _, i in found), tokens)


def normalise_speech(text: str, *, requests: bool = True) -> str:
    """``text`` lowercased, without punctuation between words and without fillers.

    With ``requests`` (the default) request openers and polite endings go too ("can you",
    "hey luma", "thanks"); answers to a question keep them (``requests=False``).
    A phrase made only of an opener is kept as it is ("thanks" alone stays "thanks").
    """
    return read_speech(text, requests=requests).text


def strip_article(text: str) -> str:
    """ "the milk" → "milk": the words people put before a name or title."""
    s = text.strip()
    lowered = s.lower()
    for article in _ARTICLES:
        if lowered.startswith(article) and len(s) > len(article):
            return s[len(article) :].strip()
    return s
