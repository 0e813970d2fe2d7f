"""One reading of a request: a hassil match turned into tool arguments, with a score.

hassil gives every way a sentence template matches (a wildcard may end at several places).
:class:`Reader` converts each match's slots per slot type, cuts runs of words between slots
written side by side (see :mod:`._splitting`), fills working-context slots (see
:mod:`._referents`), and scores the result by how much of the request it explains: literal
template words and typed values count fully, names count by how well they matched, free text
counts nothing. The best-explained reading wins.
"""

from __future__ import annotations

import itertools
import re
import types
import typing
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from hassil import RecognizeResult, Sentence, TextSlotList, is_match
from pydantic import BaseModel, ValidationError

from ...catalog import ToolRegistry
from ._matching import FUZZY_MIN
from ._referents import Referents
from ._slotnames import FREE_TYPES, arguments_of, members
from ._slots import ENTITY_KINDS, LINE_KINDS, EntityLists
from ._splitting import best_cut, fill_trailing
from ._templates import CURRENT, REQUIRES, TemplateSet
from ._understanding import WorkingContextLike
from ._values import COMPOUND_TYPES, INVALID, RESTORED_TYPES, VALUE_TYPES, InCurrency, Locale
from ._values import convert as convert_value

__all__ = [
    "FALLBACK",
    "KNOWN_NAMES",
    "Filled",
    "Reader",
    "Reading",
    "Sources",
    "field_is_list",
    "required_fields",
]

UNRESOLVED = 0.5
"""Confidence factor of a name that matched no record (the service will say so)."""
KNOWN_NAMES = "known_names"
"""Metadata flag of sentence blocks that only match when their names are known records
(generic wording such as "delete the X" then means this tool only for its own records)."""
FALLBACK = "fallback"
"""Metadata flag of sentence blocks that lose ties to other tools (catch-alls like search)."""
_SPLIT = re.compile(r"\s*,\s*|\s+and\s+|\s*&\s*")
LINE = "line"
"""The slot type of invoice and quote lines: catalog names, each a service or a product."""
_BUILTIN = VALUE_TYPES | ENTITY_KINDS | {LINE}


@dataclass(frozen=True, slots=True)
class Reading:
    """One interpretation of a request."""

    tool: str
    arguments: dict[str, Any]
    confidence: float
    missing: tuple[str, ...]
    explained: float
    """Characters of the request this reading accounts for."""
    accepted: bool
    """False when complete but refused by the tool's input model."""

    fallback: bool = False
    """From sentences that lose ties to other tools' (``metadata: {fallback: true}``)."""

    @property
    def rank(self) -> tuple[bool, float, int, bool, int]:
        """Higher is better: accepted, most explained, least missing, not a fallback, then the
        simpler call."""
        return (
            self.accepted,
            round(self.explained, 2),
            -len(self.missing),
            not self.fallback,
            -len(self.arguments),
        )


def required_fields(model: type[BaseModel]) -> tuple[str, ...]:
    """The input fields without a default."""
    return tuple(name for name, info in model.model_fields.items() if info.is_required())


def field_is_list(model: type[BaseModel], name: str) -> bool:
    """Whether the field takes a list (``tasks: list[Reference]``, ``kinds: list[str] | None``)."""
    info = model.model_fields.get(name)
    if info is None:
        return False
    options = typing.get_args(info.annotation) if _is_union(info.annotation) else ()
    return any(typing.get_origin(t) is list for t in (info.annotation, *options))


def _is_union(annotation: Any) -> bool:
    return typing.get_origin(annotation) in (typing.Union, types.UnionType)


@dataclass(slots=True)
class _Value:
    """One argument's value read from a phrase."""

    value: Any
    factor: float = 1.0
    explained: float = 0.0
    unknown: bool = False
    """A name in it matched no record."""
    extra: dict[str, Any] = field(default_factory=dict)
    """Arguments the phrase also gives ("$500" → ``currency``)."""


@dataclass(slots=True)
class Filled:
    """The arguments some slots give, and how well their words fit."""

    arguments: dict[str, Any] = field(default_factory=dict)
    factor: float = 1.0
    explained: float = 0.0
    unknown: bool = False
    """A name in them matched no record."""

    def add(self, other: Filled) -> None:
        for name, value in other.arguments.items():
            self.arguments.setdefault(name, value)
        self.factor *= other.factor
        self.explained += other.explained
        self.unknown = self.unknown or other.unknown


@dataclass(frozen=True, slots=True)
class Sources:
    """What readings are made of: the templates, the tools and the business's records."""

    templates: TemplateSet
    registry: ToolRegistry
    entities: EntityLists
    """The names of the business's records (what name slots match)."""
    referents: Referents
    """What working-context records are passed as."""


class Reader:
    """Turns hassil matches into :class:`Reading` objects for one request."""

    def __init__(
        self,
        sources: Sources,
        locale: Locale,
        *,
        working: WorkingContextLike | None,
        restore: Callable[[str], str] = str,
    ) -> None:
        self._templates = sources.templates
        self._registry = sources.registry
        self._entities = sources.entities
        self._referents = sources.referents
        self._locale = locale
        self._working = working
        self._restore = restore
        """Gives words back as typed (free text keeps its capitals and punctuation)."""

    def read(self, result: RecognizeResult, length: int) -> Reading | None:
        """The reading of one match (``None`` when a slot is not of its type)."""
        tool = self._registry.get(result.intent.name)
        if tool is None:
            return None
        model = tool.input_model
        phrases = {e.name: e.text.strip() for e in result.entities_list if e.is_wildcard}
        literal = max(length - sum(len(p) for p in phrases.values()), 0)
        fixed = self._fixed(model, result, phrases)
        read = self.convert(model, self._templates.slots_of(result.intent_sentence), phrases)
        if read is None or (read.unknown and _flag(result, KNOWN_NAMES)):
            return None
        arguments = {**fixed, **read.arguments}
        needed = (*required_fields(model), *_required_too(result))
        missing = tuple(dict.fromkeys(f for f in needed if f not in arguments))
        return Reading(
            tool=tool.name,
            arguments=arguments,
            confidence=read.factor,
            missing=missing,
            explained=literal + read.explained,
            accepted=bool(missing) or _accepted(model, arguments),
            fallback=_flag(result, FALLBACK),
        )

    def convert(
        self, model: type[BaseModel], types: Mapping[str, str], phrases: Mapping[str, str]
    ) -> Filled | None:
        """Phrases by slot → the arguments they give (``None`` when one is not of its type).

        An empty slot is filled from the end of the phrase before it when that explains more
        (``{text:title} [{when:due}]``); a run of side-by-side slots is cut where it explains
        most (see :mod:`._splitting`).
        """

        seen: dict[tuple[str, str], Filled | None] = {}

        def read(key: str, phrase: str) -> Filled | None:
            if (key, phrase) not in seen:
                seen[key, phrase] = self._phrase(model, types, key, phrase)
            return seen[key, phrase]

        def eligible(slot: str) -> bool:
            return types[slot] in _BUILTIN

        total = Filled()
        for key, phrase in fill_trailing(list(types), dict(phrases), read, eligible).items():
            got = read(key, phrase)
            if got is None:
                return None
            total.add(got)
        return total

    def _phrase(
        self, model: type[BaseModel], types: Mapping[str, str], key: str, phrase: str
    ) -> Filled | None:
        """One phrase: of one slot, or of a run of side-by-side slots (cut where it fits)."""
        slots = members(key)
        if len(slots) == 1:
            return self.slot(model, key, types.get(key, "text"), phrase)
        cut = best_cut(slots, phrase, lambda s, p: self.slot(model, s, types.get(s, "text"), p))
        if cut is None:
            return None
        total = Filled()
        for _, filled in cut:
            total.add(filled)
        return total

    def slot(self, model: type[BaseModel], slot: str, kind: str, phrase: str) -> Filled | None:
        """``phrase`` as slot ``slot`` of type ``kind``: the arguments it fills (none when
        ignored; each of ``a+b``: its part of a pair, or the same value)."""
        names = arguments_of(slot)
        if kind in COMPOUND_TYPES and len(names) == 2:
            pair = self._converted(kind, phrase)
            if pair is INVALID:
                return None
            filled = {n: v for n, v in zip(names, pair, strict=True) if v is not None}
            return Filled(filled, 1.0, _weight(kind, phrase))
        read = self.value(model, names[0] if names else None, kind, phrase)
        if read is None:
            return None
        arguments = dict.fromkeys(names, read.value)
        if names:
            arguments |= {k: v for k, v in read.extra.items() if k not in arguments}
        return Filled(arguments, read.factor, read.explained, read.unknown)

    def value(
        self, model: type[BaseModel], name: str | None, kind: str, phrase: str
    ) -> _Value | None:
        """``phrase`` as the value of argument ``name`` (``None``: ignored) read as ``kind``."""
        many = name is not None and field_is_list(model, name)
        if kind in ENTITY_KINDS:
            return self._names(kind, phrase, many)
        if kind == LINE:
            return self._lines(phrase, many)
        if kind not in VALUE_TYPES:  # an author's value list ("urgent" → "urgent")
            chosen = self._listed(kind, phrase)
            return _Value([chosen] if many else chosen, 1.0, float(len(phrase))) if chosen else None
        if many and kind == "text":
            parts = [self._restore(p) for p in _SPLIT.split(phrase) if p]
            return _Value(parts) if parts else None
        value = self._converted(kind, phrase)
        if value is INVALID:
            return None
        extra: dict[str, Any] = {}
        if isinstance(value, InCurrency):  # only for a tool that takes the currency
            if name is None or "currency" not in model.model_fields:
                return None
            extra = {"currency": value.currency}
            value = value.amount
        if kind in COMPOUND_TYPES:
            value = _whole(kind, value)
        return _Value([value] if many else value, 1.0, _weight(kind, phrase), extra=extra)

    def _converted(self, kind: str, phrase: str) -> Any:
        said = self._restore(phrase) if kind in RESTORED_TYPES else phrase
        return convert_value(kind, said, self._locale)

    def _listed(self, kind: str, phrase: str) -> Any:
        """The value of an author's list whose words are ``phrase`` (answers to questions)."""
        values = self._templates.intents.slot_lists.get(kind)
        if not isinstance(values, TextSlotList):
            return None
        for value in values.values:
            if is_match(phrase, Sentence(expression=value.text_in)) is not None:
                return value.value_out
        return None

    def _names(self, kind: str, phrase: str, many: bool) -> _Value | None:
        whole = self._entities.match(kind, phrase)
        parts = [phrase]
        if many and (whole.score < FUZZY_MIN or not whole.unique):
            parts = [p for p in _SPLIT.split(phrase) if p] or [phrase]
        values, factor, explained, unknown = [], 1.0, 0.0, False
        for part in parts:
            found = whole if len(parts) == 1 else self._entities.match(kind, part)
            if not found.value:
                return None
            values.append(found.value if found.unique else self._restore(found.value))
            if found.score >= FUZZY_MIN:
                factor *= found.score / 100
                explained += len(part) * _fuzzy(found.score) * (0.9 + 0.1 * found.coverage)
            else:
                factor *= UNRESOLVED
                explained -= 0.1 * len(part)
                unknown = True
        return _Value(values if many else values[0], factor, explained, unknown)

    def _lines(self, phrase: str, many: bool) -> _Value | None:
        """Lines naming catalog items ("a cut and blow dry and an argan shampoo"): the words
        are grouped at "and"/commas so that every group is one service or product — a name
        may itself hold an "and" — preferring fewer, longer groups."""
        words = [p for p in _SPLIT.split(phrase) if p] or [phrase]
        best: list[tuple[dict[str, str], float, int]] | None = None
        for groups in _groupings(words, 1 if not many else len(words)):
            lines = [self._line(group) for group in groups]
            if all(line is not None for line in lines):
                best = [line for line in lines if line is not None]
                break
        if best is None:
            return None
        factor, explained = 1.0, 0.0
        for _, score, length in best:
            factor *= score / 100
            explained += length * _fuzzy(score)
        values = [line for line, _, _ in best]
        return _Value(values if many else values[0], factor, explained)

    def _line(self, words: str) -> tuple[dict[str, str], float, int] | None:
        for kind in LINE_KINDS:
            found = self._entities.match(kind, words)
            if found.value and found.unique and found.score >= FUZZY_MIN:
                return {kind: found.value}, found.score, len(words)
        return None

    def _fixed(
        self, model: type[BaseModel], result: RecognizeResult, phrases: Mapping[str, str]
    ) -> dict[str, Any]:
        """Slots with fixed values (``slots:`` in the template, author lists, working context)."""
        fixed: dict[str, Any] = {}
        for entity in result.entities_list:
            if entity.is_wildcard or entity.name in phrases:
                continue
            value = entity.value
            if isinstance(value, Mapping) and CURRENT in value:
                kind = str(value[CURRENT])
                referent = self._working.current(kind) if self._working else None
                if referent is None:
                    continue
                value = self._referents.argument(model, entity.name, kind, referent)
                if value is None:
                    continue
            if field_is_list(model, entity.name) and not isinstance(value, list):
                value = [value]
            fixed[entity.name] = value
        return fixed


def _groupings(words: list[str], most: int) -> Iterator[list[str]]:
    """Ways to join consecutive ``words`` (split at "and") into at most ``most`` groups,
    fewest groups first."""
    for count in range(1, min(most, len(words)) + 1):
        for cuts in itertools.combinations(range(1, len(words)), count - 1):
            bounds = (0, *cuts, len(words))
            yield [" and ".join(words[a:b]) for a, b in itertools.pairwise(bounds)]


def _flag(result: RecognizeResult, key: str) -> bool:
    """A flag of the matched sentence block's ``metadata``."""
    return bool(result.intent_metadata and result.intent_metadata.get(key))


def _required_too(result: RecognizeResult) -> list[str]:
    """The optional arguments the matched sentence block ``requires``."""
    needed = result.intent_metadata.get(REQUIRES) if result.intent_metadata else None
    return [str(name) for name in needed] if isinstance(needed, list) else []


def _weight(kind: str, phrase: str) -> float:
    """How much of the request a typed value explains: all of it, or nothing for free words."""
    return 0.0 if kind in FREE_TYPES else float(len(phrase))


def _whole(kind: str, pair: tuple[Any, Any]) -> Any:
    """A pair type filling one argument: the whole name, or the first day of a period."""
    if kind == "person":
        return " ".join(part for part in pair if part)
    return pair[0]


def _fuzzy(score: float) -> float:
    """How much of a name's length a match explains: all when exact, little when fuzzy.

    A fuzzy match must not outweigh an exact one that is a few letters shorter
    ("sarah miller she" is not a better name than "sarah miller").
    """
    return max(0.0, 1 - 3 * (1 - score / 100))


def _accepted(model: type[BaseModel], arguments: dict[str, Any]) -> bool:
    try:
        model.model_validate(arguments)
    except ValidationError:
        return False
    return True
