"""Sentence templates: the YAML files beside each tool domain, loaded into one hassil set.

Files (found in the installed ``luma_desktop.tools`` package): ``<domain>_sentences.yaml`` for
a module domain (``tools/tasks.py`` → ``tools/tasks_sentences.yaml``) and
``<domain>/sentences.yaml`` for a package domain (``tools/scheduling/sentences.yaml``).
The format is hassil's (``intents`` → ``data`` → ``sentences``/``slots``, ``lists``,
``expansion_rules``) plus three keys per intent that hassil ignores: ``questions`` (field →
what to ask when it is missing), ``examples`` (requests that must parse to this tool; they are
also the suggestions when nothing matches) and ``reply`` (the answer, ``{summary}`` being the
tool's summary), and one per sentence block: ``requires`` (optional arguments these sentences
cannot do without: asked for when missing). The intent name is the tool name; a slot name is
the argument name (see :mod:`._slotnames` for ignored, shared and side-by-side slots).
See docs/offline-templates.md.
"""

from __future__ import annotations

import importlib.resources
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from importlib.resources.abc import Traversable
from typing import Any

import yaml  # type: ignore[import-untyped]
from hassil import Group, Intents, ListReference, Sentence, WildcardSlotList
from pydantic import BaseModel

from ...catalog import ToolRegistry
from ._index import SentenceIndex
from ._slotnames import FREE_TYPES, arguments_of, join_adjacent
from ._slots import ENTITY_KINDS
from ._values import COMPOUND_TYPES, VALUE_TYPES

__all__ = [
    "BUILTIN_LISTS",
    "BUILTIN_RULES",
    "CURRENT",
    "REQUIRES",
    "IntentTemplates",
    "TemplateError",
    "TemplateSet",
    "load_templates",
    "template_files",
]

BUILTIN_LISTS = VALUE_TYPES | ENTITY_KINDS | {"line"}
"""Slot types every file may use without declaring them (all are hassil wildcards)."""
BUILTIN_RULES: dict[str, str] = {
    "show": "(show [me]|list|give me|tell me|read [out]|get [me]|pull up|display|let me see"
    "|can i see|i want to see|what are|what're)",
    "whats": "(what's|whats|what is|what're|what are)",
    "it": "(it|that|this|that one|this one)",
    "my": "(my|the|our)",
}
"""Expansion rules every file may use (``<show>``, ``<whats>``, ``<it>``, ``<my>``)."""
CURRENT = "current"
"""Key of a fixed slot value taken from the working context: ``slots: {task: {current: task}}``."""
REQUIRES = "requires"
"""Key of a sentence block's optional arguments it cannot do without (kept in its metadata)."""
_LUMA_KEYS = ("questions", "examples", "reply")


class TemplateError(ValueError):
    """A template file is malformed or does not fit the tools (a bug for its author)."""


@dataclass(frozen=True, slots=True)
class IntentTemplates:
    """What the templates say about one tool besides its sentences."""

    tool: str
    source: str
    """The file it came from (for error messages)."""
    questions: Mapping[str, str] = field(default_factory=dict)
    examples: tuple[str, ...] = ()
    reply: str = "{summary}"
    slot_types: Mapping[str, str] = field(default_factory=dict)
    """Argument → slot type, from the sentences (what an answer to a question is read as)."""
    slot_names: Mapping[str, str] = field(default_factory=dict)
    """Argument → the slot that fills it (``first_name`` → ``first_name+last_name``)."""
    requires: tuple[str, ...] = ()
    """Optional arguments some sentence block ``requires`` (each needs a question too)."""


@dataclass(frozen=True, eq=False)
class TemplateSet:
    """Every loaded template: one hassil :class:`Intents` and Luma's extras per tool."""

    intents: Intents
    by_tool: Mapping[str, IntentTemplates]
    sentence_slots: Mapping[int, Mapping[str, str]]
    """``id(sentence)`` → slot name → slot type (list name) of that sentence."""
    index: SentenceIndex
    """The sentences by the words they require (what a request is matched against)."""

    def slots_of(self, sentence: Sentence | None) -> Mapping[str, str]:
        return self.sentence_slots.get(id(sentence), {}) if sentence is not None else {}


def template_files() -> Iterator[tuple[str, Traversable]]:
    """``(domain, file)`` for every sentence file of the installed tools package."""
    root = importlib.resources.files("luma_desktop.tools")
    for entry in sorted(root.iterdir(), key=lambda e: e.name):
        if entry.is_file() and entry.name.endswith("_sentences.yaml"):
            yield entry.name.removesuffix("_sentences.yaml"), entry
        elif entry.is_dir() and (entry / "sentences.yaml").is_file():
            yield entry.name, entry / "sentences.yaml"


def _read(source: str, file: Traversable) -> dict[str, Any]:
    try:
        data = yaml.safe_load(file.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise TemplateError(f"{source}: not valid YAML ({error})") from error
    if not isinstance(data, dict) or not isinstance(data.get("intents"), dict):
        raise TemplateError(f"{source}: needs a top-level 'intents' mapping")
    return data


def _merge(files: Iterable[tuple[str, dict[str, Any]]]) -> tuple[dict[str, Any], dict[str, Any]]:
    """One hassil dict from all files (refusing clashes) and the Luma extras per intent."""
    merged: dict[str, Any] = {
        "language": "en",
        "intents": {},
        "lists": {name: {"wildcard": True} for name in sorted(BUILTIN_LISTS)},
        "expansion_rules": dict(BUILTIN_RULES),
    }
    extras: dict[str, Any] = {}
    for source, data in files:
        for section in ("lists", "expansion_rules"):
            for name, body in (data.get(section) or {}).items():
                if name in merged[section] and merged[section][name] != body:
                    raise TemplateError(f"{source}: {section} '{name}' is already defined")
                merged[section][name] = body
        for tool, body in data["intents"].items():
            if tool in merged["intents"]:
                raise TemplateError(f"{source}: intent '{tool}' is defined twice")
            if not isinstance(body, dict) or not isinstance(body.get("data"), list):
                raise TemplateError(f"{source}: intent '{tool}' needs a 'data' list")
            merged["intents"][tool] = {"data": [_block(source, tool, b) for b in body["data"]]}
            extras[tool] = {key: body.get(key) for key in _LUMA_KEYS} | {"source": source}
    return merged, extras


def _block(source: str, tool: str, block: Any) -> Any:
    """A sentence block with its ``requires`` list moved into its metadata."""
    if not isinstance(block, dict) or REQUIRES not in block:
        return block
    needed = block[REQUIRES]
    if not isinstance(needed, list) or not all(isinstance(n, str) for n in needed):
        raise TemplateError(f"{source}: {tool}: 'requires' must be a list of argument names")
    metadata = dict(block.get("metadata") or {}) | {REQUIRES: needed}
    return {k: v for k, v in block.items() if k != REQUIRES} | {"metadata": metadata}


def _sentence_slots(sentence: Sentence, rules: Mapping[str, Sentence]) -> dict[str, str]:
    slots: dict[str, str] = {}
    assert isinstance(sentence.expression, Group)
    for reference in sentence.expression.list_references(dict(rules)):
        slots.setdefault(reference.slot_name, reference.list_name)
    return slots


def _check_fields(source: str, tool: str, model: type[BaseModel], names: Iterable[str]) -> None:
    unknown = sorted(set(names) - set(model.model_fields))
    if unknown:
        raise TemplateError(f"{source}: {tool} has no argument named {', '.join(unknown)}")


def _check_slots(source: str, tool: str, model: type[BaseModel], slots: Mapping[str, str]) -> None:
    """Every slot names arguments of the tool; a pair type fills at most two."""
    for slot, kind in slots.items():
        names = arguments_of(slot)
        _check_fields(source, tool, model, names)
        if kind in COMPOUND_TYPES and len(names) > 2:
            raise TemplateError(f"{source}: {tool}: a {kind} fills at most two arguments ({slot})")


def _join_runs(intents: Intents) -> None:
    """Side-by-side wildcards of every sentence and rule, joined (see :mod:`._slotnames`)."""
    lists = dict(intents.slot_lists)

    def wildcard(ref: ListReference) -> bool:
        return isinstance(lists.get(ref.list_name), WildcardSlotList)

    blocks = [d for i in intents.intents.values() for d in i.data]
    bodies = [s for d in blocks for s in d.sentences]
    bodies += [*intents.expansion_rules.values()]
    bodies += [rule for d in blocks for rule in d.expansion_rules.values()]
    for sentence in bodies:
        for run in join_adjacent(sentence.expression, wildcard, "text"):
            if sum(ref.list_name in FREE_TYPES for ref in run) > 1:
                slots = ", ".join(ref.slot_name for ref in run)
                raise TemplateError(f"'{sentence.text}' puts free slots side by side ({slots})")


def _note_slot(
    slot: str, kind: str, types: dict[str, str], names: dict[str, str], shared: dict[str, str]
) -> None:
    """Record the type and slot of each argument ``slot`` fills (what an answer is read as).

    A slot that gives several arguments one same value (``{client:keep+duplicate}``) answers
    for them only when no slot names them alone: "Which one should I keep?" is about ``keep``.
    """
    arguments = arguments_of(slot)
    alone = len(arguments) == 1 or kind in COMPOUND_TYPES
    for argument in arguments:
        types.setdefault(argument, kind)
        (names if alone else shared).setdefault(argument, slot)


def _build(
    intents: Intents, extras: Mapping[str, Any], registry: ToolRegistry
) -> tuple[dict[str, IntentTemplates], dict[int, Mapping[str, str]]]:
    by_tool: dict[str, IntentTemplates] = {}
    sentence_slots: dict[int, Mapping[str, str]] = {}
    for name, intent in intents.intents.items():
        extra, tool = extras[name], registry.get(name)
        source = extra["source"]
        if tool is None:
            raise TemplateError(f"{source}: '{name}' is not a registered tool")
        model = tool.input_model
        types: dict[str, str] = {}
        slot_names: dict[str, str] = {}
        shared: dict[str, str] = {}
        requires: list[str] = []
        for data in intent.data:
            rules = {**intents.expansion_rules, **data.expansion_rules}
            known_lists = set(intents.slot_lists) | set(data.slot_lists)
            _check_fields(source, name, model, data.slots)
            needed = (data.metadata or {}).get(REQUIRES) or []
            _check_fields(source, name, model, needed)
            requires += [field for field in needed if field not in requires]
            for sentence in data.sentences:
                slots = _sentence_slots(sentence, rules)
                missing = sorted(set(slots.values()) - known_lists)
                if missing:
                    raise TemplateError(f"{source}: {name} uses lists nobody defined: {missing}")
                _check_slots(source, name, model, slots)
                sentence_slots[id(sentence)] = slots
                for slot, kind in slots.items():
                    _note_slot(slot, kind, types, slot_names, shared)
        questions = dict(extra.get("questions") or {})
        _check_fields(source, name, model, questions)
        by_tool[name] = IntentTemplates(
            tool=name,
            source=source,
            questions=questions,
            examples=tuple(extra.get("examples") or ()),
            reply=extra.get("reply") or "{summary}",
            slot_types=types,
            slot_names=shared | slot_names,
            requires=tuple(requires),
        )
    return by_tool, sentence_slots


def load_templates(
    registry: ToolRegistry,
    files: Iterable[tuple[str, Traversable]] | None = None,
    *,
    strict: bool = False,
) -> TemplateSet:
    """Load and check every sentence file (default: :func:`template_files`).

    Templates of tools missing from ``registry`` are dropped, or refused with ``strict``.
    Raises :class:`TemplateError` for malformed files, unknown arguments or undefined lists.
    """
    chosen = list(template_files() if files is None else files)
    read = [(f"{domain} ({file.name})", file) for domain, file in chosen]
    merged, extras = _merge((source, _read(source, file)) for source, file in read)
    if not strict:
        merged["intents"] = {k: v for k, v in merged["intents"].items() if k in registry}
    try:
        intents = Intents.from_dict(merged)
        by_tool, sentence_slots = _build(intents, extras, registry)
        _join_runs(intents)
    except TemplateError:
        raise
    except Exception as error:  # hassil raises several kinds for a template that does not parse
        raise TemplateError(f"a sentence template does not parse: {error}") from error
    return TemplateSet(intents, by_tool, sentence_slots, SentenceIndex(intents))
