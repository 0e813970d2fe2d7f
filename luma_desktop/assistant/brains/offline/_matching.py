"""Matching a spoken phrase to the names of one kind of record, allowing for recognition errors.

Two ways, by what the names look like:

- :class:`NameIndex` for people and companies ("Sarah Miller" answers to "sarah miller",
  "sarah", "miller" and, fuzzily, "sara miler"): the whole phrase is compared with each name.
- :class:`TitleIndex` for titles ("Buy milk for the staff room" answers to "the milk"): every
  word of the phrase must be (fuzzily) a word of the title.

Both answer an :class:`EntityMatch`: the canonical label when exactly one record fits best,
otherwise the phrase as said (the service then asks which one, or says it found nothing).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from ._speech import strip_article

__all__ = ["FUZZY_MIN", "EntityMatch", "NameIndex", "Record", "TitleIndex", "fold"]

FUZZY_MIN = 80.0
"""Lowest similarity (0-100) that still counts as the same name."""
_TIE = 3.0
"""Names within this many points of the best are equally good."""
_STOP = frozenset({"the", "a", "an", "my", "our", "to", "for", "of", "on", "in", "with", "and"})
_PUNCT = re.compile(r"[&\-/.,]+")
_DROP = re.compile(r"['’]")


def fold(text: str) -> str:
    """Lowercase words without punctuation: "Men's Cut & Blow-dry" → "mens cut blow dry"."""
    return " ".join(_PUNCT.sub(" ", _DROP.sub("", text.lower())).split())


@dataclass(frozen=True, slots=True)
class Record:
    """One record a phrase may name: its id, label and other names."""

    id: int
    label: str
    aliases: tuple[str, ...] = ()
    """Parts of the label it answers to ("Sarah", "Miller"): a match gives the label."""
    names: tuple[str, ...] = ()
    """Other whole names ("Alpine Tech" for its contact): a match gives that name."""


@dataclass(frozen=True, slots=True)
class EntityMatch:
    """How a phrase matched a kind of record."""

    value: str
    """The label of the one record meant, or the phrase as said (without "the")."""
    score: float
    """0-100: how well the phrase matched the best name (0: not a name of this kind)."""
    unique: bool = False
    """Whether exactly one record fits best (then :attr:`value` is its label)."""
    coverage: float = 1.0
    """How much of the name the phrase said: "hans" is half of "Hans Mueller", "milk" a fifth
    of "Buy milk for the staff room" (between two equally good names, the fuller one wins)."""


def _result(
    phrase: str, ids: set[int], labels: dict[int, str], score: float, coverage: float
) -> EntityMatch:
    if len(ids) == 1:
        return EntityMatch(labels[next(iter(ids))], score, True, coverage)
    return EntityMatch(phrase, score, False, coverage)


def _content(words: Iterable[str]) -> list[str]:
    return [w for w in words if w not in _STOP]


def _named(
    phrase: str, found: dict[str, set[int]], shown: dict[str, str], score: float
) -> EntityMatch:
    """The match of the names in ``found`` (folded name → ids) when they mean one record."""
    ids = set().union(*found.values())
    coverage = max(min(1.0, len(n.split()) / len(fold(shown[n]).split())) for n in found)
    if len(ids) != 1:
        return EntityMatch(phrase, score, False, coverage)
    displays = {shown[name] for name in found}
    value = displays.pop() if len(displays) == 1 else phrase
    return EntityMatch(value, score, True, coverage)


class NameIndex:
    """Whole-phrase matching against full names and their parts."""

    def __init__(self, records: Iterable[Record]) -> None:
        self._labels: dict[int, str] = {}
        self._ids: defaultdict[str, set[int]] = defaultdict(set)
        self._shown: dict[str, str] = {}
        """Folded name → what a unique match answers (the label, or another whole name)."""
        for record in records:
            self._labels[record.id] = record.label
            named = [(n, record.label) for n in (record.label, *record.aliases)]
            for name, shown in [*named, *((n, n) for n in record.names)]:
                folded = fold(name)
                if folded:
                    self._ids[folded].add(record.id)
                    self._shown.setdefault(folded, shown)
        self._names = list(self._ids)

    def __len__(self) -> int:
        return len(self._labels)

    def match(self, phrase: str) -> EntityMatch:
        said = strip_article(phrase)
        wanted = fold(said)
        if not wanted:
            return EntityMatch(said, 0.0)
        exact = self._ids.get(wanted)
        if exact:
            return _named(said, {wanted: exact}, self._shown, 100.0)
        found = process.extract(
            wanted, self._names, scorer=fuzz.ratio, score_cutoff=FUZZY_MIN, limit=20
        )
        if not found:
            return EntityMatch(said, 0.0)
        best = max(score for _, score, _ in found)
        close = {name: self._ids[name] for name, score, _ in found if score >= best - _TIE}
        return _named(said, close, self._shown, min(float(best), 99.0))


class TitleIndex:
    """Word matching: every word of the phrase must be a word of the title."""

    def __init__(self, records: Iterable[Record]) -> None:
        self._labels: dict[int, str] = {}
        self._exact: defaultdict[str, set[int]] = defaultdict(set)
        self._by_word: defaultdict[str, set[int]] = defaultdict(set)
        self._sizes: dict[int, int] = {}
        """Record id → how many words (other than "the", "for"...) its label has."""
        for record in records:
            self._labels[record.id] = record.label
            self._sizes[record.id] = max(1, len(_content(fold(record.label).split())))
            for name in (record.label, *record.aliases):
                folded = fold(name)
                self._exact[folded].add(record.id)
                for word in folded.split():
                    self._by_word[word].add(record.id)
        self._vocabulary = list(self._by_word)

    def __len__(self) -> int:
        return len(self._labels)

    def _word_scores(self, word: str) -> dict[int, float]:
        """Record id → how well its best word matches ``word``."""
        scores: dict[int, float] = {}
        found = process.extract(
            word, self._vocabulary, scorer=fuzz.ratio, score_cutoff=FUZZY_MIN, limit=None
        )
        for candidate, score, _ in found:
            for record in self._by_word[candidate]:
                scores[record] = max(scores.get(record, 0.0), float(score))
        if len(word) >= 4:  # "colour" in "colours", "recept" in "reception"
            for candidate in self._vocabulary:
                if candidate.startswith(word) and candidate != word:
                    for record in self._by_word[candidate]:
                        scores[record] = max(scores.get(record, 0.0), 90.0)
        return scores

    def match(self, phrase: str) -> EntityMatch:
        said = strip_article(phrase)
        wanted = fold(said)
        exact = self._exact.get(wanted)
        if exact:
            return _result(said, exact, self._labels, 100.0, 1.0)
        words = _content(wanted.split())
        if not words:
            return EntityMatch(said, 0.0)
        totals: dict[int, float] | None = None
        for word in words:
            scores = self._word_scores(word)
            if totals is None:
                totals = scores
            else:
                totals = {r: totals[r] + s for r, s in scores.items() if r in totals}
            if not totals:
                return EntityMatch(said, 0.0)
        assert totals is not None
        best = max(totals.values())
        ids = {r for r, total in totals.items() if total >= best - _TIE * len(words)}
        coverage = max(min(1.0, len(words) / self._sizes[r]) for r in ids)
        return _result(said, ids, self._labels, best / len(words), coverage)
