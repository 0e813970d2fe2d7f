"""Slot names: which arguments a slot fills, and wildcards written side by side.

A template's slot name is normally the argument it fills (``{when:due}`` fills ``due``). Two
more forms:

- ``{client:_}`` (any name starting with ``_``): an **ignored** slot. Its words are read as
  their type and count as understood, but no argument gets them ("Olivia paid invoice 42").
- ``{person:first_name+last_name}``: one phrase fills **several** arguments. A pair type
  (``person``, ``period``) gives each its part; any other type gives each the same value
  (``{client:keep+duplicate}``).

hassil cannot split two wildcards written side by side (``pay {payee} {amount}``): it gives
every word to the first and none to the second. :func:`join_adjacent` rewrites each such run
into one wildcard whose name joins theirs (``payee|amount``); the reader then cuts its words
where they explain most, the typed slots anchoring the cut. A run holds at most one free slot
(``text`` or ``person``): two free ones could be cut anywhere.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from hassil import Group, ListReference, Sequence, TextChunk
from hassil.expression import Expression

__all__ = [
    "FREE_TYPES",
    "IGNORED",
    "JOINED",
    "SHARED",
    "arguments_of",
    "is_ignored",
    "join_adjacent",
    "members",
]

IGNORED = "_"
"""Prefix of a slot whose words are understood but passed to no argument."""
SHARED = "+"
"""Separator of the arguments one slot fills: ``{period:start+end}``."""
JOINED = "|"
"""Separator of the slots of a run of side-by-side wildcards (set by :func:`join_adjacent`)."""
FREE_TYPES = frozenset({"text", "person"})
"""Types that fit almost any words: a run of side-by-side wildcards holds at most one."""


def is_ignored(slot: str) -> bool:
    return slot.startswith(IGNORED)


def arguments_of(slot: str) -> tuple[str, ...]:
    """The arguments ``slot`` fills: none when ignored, several for ``a+b``."""
    return () if is_ignored(slot) else tuple(slot.split(SHARED))


def members(key: str) -> tuple[str, ...]:
    """The slots of a phrase key: one, or those of a joined run (``payee|amount``)."""
    return tuple(key.split(JOINED))


def _is_gap(item: Expression) -> bool:
    return isinstance(item, TextChunk) and not item.text.strip()


def _runs(items: list[Expression], wildcard: Callable[[ListReference], bool]) -> Iterator[range]:
    """Index ranges of two or more wildcards separated only by spaces."""

    def wild(index: int) -> bool:
        item = items[index]
        return isinstance(item, ListReference) and wildcard(item)

    start = 0
    while start < len(items):
        end = start
        if wild(start):
            while end + 2 < len(items) and _is_gap(items[end + 1]) and wild(end + 2):
                end += 2
        if end > start:
            yield range(start, end + 1)
        start = end + 1


def join_adjacent(
    expression: Expression, wildcard: Callable[[ListReference], bool], joined_list: str
) -> list[tuple[ListReference, ...]]:
    """Rewrite every run of side-by-side wildcards in ``expression`` (in place) as one
    wildcard of ``joined_list`` named ``a|b``; the runs found, in order."""
    if not isinstance(expression, Group):
        return []
    found: list[tuple[ListReference, ...]] = []
    for item in expression.items:
        found += join_adjacent(item, wildcard, joined_list)
    if not isinstance(expression, Sequence):
        return found
    for run in reversed(list(_runs(expression.items, wildcard))):
        items = expression.items[run.start : run.stop : 2]
        refs = tuple(item for item in items if isinstance(item, ListReference))
        name = JOINED.join(ref.slot_name for ref in refs)
        joined = ListReference(f"{joined_list}:{name}", is_end_of_word=refs[-1].is_end_of_word)
        expression.items[run.start : run.stop] = [joined]
        found.append(refs)
    return found
