"""Cutting one run of words between several slots, where the cut explains most.

hassil hands the reader one phrase for a run of side-by-side wildcards (``payee|amount``, see
:mod:`._slotnames`), and all the words to the first of ``{text:title} [{when:due}]`` with none
for the optional second. Both are settled here the same way: every cut is tried, each part is
read as its slot's type, and the cut whose parts explain most of the words wins (typed values
and names explain their length, free text nothing), so typed slots anchor the cut: "brightwater
200 pounds" → payee "brightwater" + amount "200 pounds"; "call mum tomorrow at 3" → text
"call mum" + when "tomorrow at 3".
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Protocol, TypeVar

from ._slotnames import members

__all__ = ["Explains", "best_cut", "fill_trailing"]


class Explains(Protocol):
    @property
    def explained(self) -> float:
        """Characters of the request a reading accounts for."""
        ...


T = TypeVar("T", bound=Explains)


def _cuts(words: Sequence[str], parts: int) -> Iterator[tuple[str, ...]]:
    """Every way to cut ``words`` into ``parts`` non-empty phrases, in order."""
    for ends in itertools.combinations(range(1, len(words)), parts - 1):
        bounds = (0, *ends, len(words))
        yield tuple(" ".join(words[a:b]) for a, b in itertools.pairwise(bounds))


def best_cut(
    slots: Sequence[str], phrase: str, read: Callable[[str, str], T | None]
) -> list[tuple[str, T]] | None:
    """``phrase`` cut between ``slots`` where it explains most: ``(part, reading)`` per slot,
    or ``None`` when no cut reads every part as its slot's type."""
    seen: dict[tuple[str, str], T | None] = {}

    def cached(slot: str, part: str) -> T | None:
        if (slot, part) not in seen:
            seen[slot, part] = read(slot, part)
        return seen[slot, part]

    best: list[tuple[str, T]] | None = None
    score = float("-inf")
    for parts in _cuts(phrase.split(), len(slots)):
        readings = [cached(slot, part) for slot, part in zip(slots, parts, strict=True)]
        if any(r is None for r in readings):
            continue
        chosen = [(part, r) for part, r in zip(parts, readings, strict=True) if r is not None]
        total = sum(r.explained for _, r in chosen)
        if total > score:
            best, score = chosen, total
    return best


def _source(position: Mapping[str, int], phrases: Mapping[str, str], index: int) -> str | None:
    """The phrase key nearest before position ``index`` (the one a trailing slot cuts into)."""
    before = {
        key: max(position.get(m, -1) for m in members(key))
        for key in phrases
        if all(position.get(m, -1) < index for m in members(key))
    }
    return max(before, key=lambda key: before[key]) if before else None


def _subsets(slots: Sequence[str]) -> Iterator[tuple[str, ...]]:
    """The non-empty subsets of ``slots``, each in order."""
    for size in range(1, len(slots) + 1):
        yield from itertools.combinations(slots, size)


def fill_trailing(
    order: Sequence[str],
    phrases: dict[str, str],
    read: Callable[[str, str], T | None],
    eligible: Callable[[str], bool],
) -> dict[str, str]:
    """Fill empty ``eligible`` slots from the end of the phrase before them, when that explains
    more than leaving them empty (``order``: the sentence's slots, in order). Empty slots in a
    row ("{person} [{email}] [{phone}]") are filled together: any of them, in order."""
    position = {slot: index for index, slot in enumerate(order)}
    index = 0
    while index < len(order):
        taken = {m for key in phrases for m in members(key)}
        run: list[str] = []
        while index + len(run) < len(order):
            slot = order[index + len(run)]
            if slot in taken or not eligible(slot):
                break
            run.append(slot)
        source = _source(position, phrases, index) if run else None
        if source is not None:
            _fill(source, run, phrases, read)
        index += len(run) or 1
    return phrases


def _fill(
    source: str, run: Sequence[str], phrases: dict[str, str], read: Callable[[str, str], T | None]
) -> None:
    """Cut the end of ``source``'s phrase into the slots of ``run`` that explain most."""
    whole = read(source, phrases[source])
    score = whole.explained if whole is not None else float("-inf")
    chosen: list[tuple[str, str]] | None = None
    for subset in _subsets(run):
        cut = best_cut((source, *subset), phrases[source], read)
        total = sum(r.explained for _, r in cut) if cut is not None else float("-inf")
        if cut is not None and total > score:
            score = total
            chosen = [(slot, part) for slot, (part, _) in zip((source, *subset), cut, strict=True)]
    for slot, part in chosen or ():
        phrases[slot] = part
