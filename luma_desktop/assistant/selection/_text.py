"""Turning text into retrieval terms: references, contractions, names, stems, phrases.

The same steps run over tool metadata and over requests, so both meet on the same terms:

1. References become words (``INV-0042`` → "invoice reference", ``£50`` → "amount").
2. Words are cut out; in tool metadata, capitalised words the catalog never writes in lower
   case are names (Sarah, Tesco, HairCo) and are dropped: an example's client says nothing
   about the tool.
3. Each word is stemmed lightly (plural, -ing, -ed, final e, doubled consonant), so "booking",
   "booked" and "books" meet on "book".
4. Fixed phrases are joined into one term ("no show" → ``noshow``, "to do" → ``todo``).
5. Stop words and bare numbers are dropped (phrases keep theirs).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from collections.abc import Set as AbstractSet
from typing import NamedTuple

from ._aliases import PHRASES, STOPWORDS

__all__ = ["MAX_CHARS", "Analysed", "PhraseTable", "analyse", "lowercase_words", "stem"]

MAX_CHARS = 2000
"""Only the first this many characters of a request count (a pasted page must stay fast)."""

# Each pattern is anchored and bounded, so a long run of letters, digits or dots stays linear.
_REFERENCES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"(?<![\w.+-])[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63}){1,4}"), " email "),
    (re.compile(r"(?<![\w./~-])(?:~|\.{1,2})?/[\w./~-]{1,255}"), " file "),
    (re.compile(r"(?<![\w-])[\w-]{1,100}\.(?:csv|json)\b", re.I), " file "),
    (re.compile(r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?\b"), " iban "),
    (re.compile(r"\binv-?\d{1,9}\b", re.I), " invoice reference "),
    (re.compile(r"\bq-?\d{1,9}\b", re.I), " quote reference "),
    (re.compile(r"\bord-?\d{1,9}\b", re.I), " order reference "),
    (re.compile(r"#\s?\d{1,9}"), " reference number "),
    (
        re.compile(r"\b(?=[A-Z0-9]{0,5}\d)(?=[A-Z0-9]{0,5}[A-Z])[A-Z0-9]{6}\b"),
        " confirmation code ",
    ),
    (re.compile(r"[£$€]\s?\d[\d,.]{0,12}k?"), " amount "),
    (
        re.compile(r"\b\d[\d,.]{0,12}\s?(?:quid|pounds?|euros?|dollars?)\b", re.I),
        " amount ",
    ),
    (re.compile(r"(?<![\d ])\+?\d[\d ]{8,16}\d\b"), " phone "),
    (re.compile(r"\b\d{1,2}(?::\d{2})?\s?(?:am|pm)\b|\bo'?clock\b", re.I), " datetime "),
)
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)?")
_SENTENCE_START = re.compile(r"(?:^|[.!?]\s+)([A-Z][a-z]+)\b")
_CONTRACTION = re.compile(r"(?:'s|'re|'ll|'ve|'d|'m)$")
_VOWELS = frozenset("aeiouy")


@functools.lru_cache(maxsize=8192)
def stem(word: str) -> str:
    """A light, consistent English stem ("invoices", "invoicing" → "invoic")."""
    if len(word) <= 3 or not word.isalpha():
        return word
    word = _plural(word)
    for suffix in ("ing", "ed"):
        root = word[: -len(suffix)]
        if word.endswith(suffix) and len(root) >= 3 and _VOWELS & set(root):
            word = root
            break
    if word.endswith("e") and len(word) > 4:
        word = word[:-1]
    if len(word) > 3 and word[-1] == word[-2] and word[-1] not in _VOWELS:
        word = word[:-1]
    return word


def _plural(word: str) -> str:
    if word.endswith(("ies", "ied")) and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("sses"):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is")) and len(word) > 4:
        return word[:-1]
    return word


def _words(text: str, *, known: AbstractSet[str] | None = None) -> list[str]:
    """Lowercase words of ``text`` with references spelled out and contractions cut off.

    With ``known`` (the words the catalog uses in lower case), capitalised words outside it
    are names (Sarah, Tesco, HairCo, October) and are left out.
    """
    text = unicodedata.normalize("NFKC", text[:MAX_CHARS]).replace("’", "'")
    for pattern, replacement in _REFERENCES:
        text = pattern.sub(replacement, text)
    words: list[str] = []
    for match in _WORD.finditer(text):
        word = match.group()
        lower = _CONTRACTION.sub("", word.lower())
        if known is not None and _is_name(word) and lower not in known:
            continue
        if lower.endswith("n't"):
            words += [lower[:-3], "not"]
        elif lower and not lower.isdigit():
            words.append(lower)
    return words


def _is_name(word: str) -> bool:
    return word[0].isupper() and not word.isupper()


def lowercase_words(text: str, *, sentence_starts: bool = False) -> set[str]:
    """The words ``text`` writes in lower case (a vocabulary that tells names apart).

    ``sentence_starts``: also the first word of each sentence (for descriptions, whose
    sentences start with a verb or a noun, never with a client's name).
    """
    text = unicodedata.normalize("NFKC", text).replace("’", "'")
    words = {_CONTRACTION.sub("", m.group()) for m in _WORD.finditer(text) if m.group().islower()}
    if sentence_starts:
        words |= {m.group(1).lower() for m in _SENTENCE_START.finditer(text)}
    return words


class PhraseTable:
    """Stemmed phrases to look for in a stem sequence, indexed by their first stem."""

    def __init__(self, entries: Iterable[tuple[tuple[str, ...], str]]) -> None:
        self._by_first: dict[str, list[tuple[tuple[str, ...], str]]] = {}
        for phrase, value in entries:
            if phrase:
                self._by_first.setdefault(phrase[0], []).append((phrase, value))
        for candidates in self._by_first.values():
            candidates.sort(key=lambda item: -len(item[0]))

    def find(self, sequence: Sequence[str]) -> Iterator[tuple[int, int, str]]:
        """Every ``(start, end, value)`` match, longest first at each start (overlaps too)."""
        for start, first in enumerate(sequence):
            for phrase, value in self._by_first.get(first, ()):
                end = start + len(phrase)
                if tuple(sequence[start:end]) == phrase:
                    yield start, end, value

    def join(self, sequence: Sequence[str]) -> list[tuple[int, int, str]]:
        """Non-overlapping matches, left to right, the longest at each position."""
        found: list[tuple[int, int, str]] = []
        position = 0
        for start, end, value in self.find(sequence):
            if start >= position:
                found.append((start, end, value))
                position = end
        return found


def _phrase_table() -> PhraseTable:
    entries = []
    for words, joined in PHRASES.items():
        for variant in words.split("|"):
            entries.append((tuple(stem(w) for w in _words(variant)), stem(joined)))
    return PhraseTable(entries)


_PHRASE_TABLE = _phrase_table()


class Analysed(NamedTuple):
    """A text's stems in order (fixed phrases joined) and which of them carry content."""

    stems: list[str]
    content: list[bool]

    def terms(self) -> list[str]:
        """The content stems (stop words and their stems dropped)."""
        return [s for s, keep in zip(self.stems, self.content, strict=True) if keep]


def analyse(text: str, *, known: AbstractSet[str] | None = None) -> Analysed:
    """Stems of every word of ``text``, with fixed phrases joined into one content term.

    ``known``: drop capitalised names, as :func:`_words` does (for tool metadata).
    """
    words = _words(text, known=known)
    sequence = [stem(w) for w in words]
    keep = [w not in STOPWORDS for w in words]
    result = Analysed([], [])
    position = 0
    for start, end, joined in _PHRASE_TABLE.join(sequence):
        result.stems.extend(sequence[position:start])
        result.content.extend(keep[position:start])
        result.stems.append(joined)
        result.content.append(True)
        position = end
    result.stems.extend(sequence[position:])
    result.content.extend(keep[position:])
    return result
