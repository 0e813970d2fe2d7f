"""Slot filling across turns: ask for what is missing, read the answer, ask the next thing.

The state of an open question travels with the assistant message that asked it, in
``Message.meta`` (written through a :class:`StateNote`)::

    {"offline": {"tool": "reminders_create", "arguments": {"text": "call mum"},
                 "asking": "when", "tries": 0, "needs": ["text", "when"]}}

``needs`` lists every argument the call waits for (the tool's required ones and those its
sentence block ``requires``), in the order they are asked.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from ._parser import Parser
from ._readings import required_fields
from ._replies import HINTS, retry_question
from ._slots import ENTITY_KINDS
from ._speech import normalise_speech, read_speech
from ._understanding import Understanding, WorkingContextLike

__all__ = ["MAX_TRIES", "STATE_KEY", "OpenQuestion", "Step", "answer"]

STATE_KEY = "offline"
MAX_TRIES = 2
"""Answers of the wrong kind accepted before the question is dropped."""
_ANSWER_LEADS = ("to ", "about ", "that ", "it's ", "its ", "it is ", "for ", "the task is ")


@dataclass(frozen=True, slots=True)
class OpenQuestion:
    """A tool call waiting for one more argument."""

    tool: str
    arguments: dict[str, Any] = field(default_factory=dict)
    asking: str = ""
    tries: int = 0
    needs: tuple[str, ...] = ()
    """Every argument the call waits for (empty: the tool's required ones)."""

    def to_meta(self) -> dict[str, Any]:
        state: dict[str, Any] = {
            "tool": self.tool,
            "arguments": self.arguments,
            "asking": self.asking,
            "tries": self.tries,
        }
        if self.needs:
            state["needs"] = list(self.needs)
        return {STATE_KEY: state}

    @classmethod
    def from_meta(cls, meta: Mapping[str, Any]) -> OpenQuestion | None:
        """The open question kept in an assistant message's meta, if any (and well formed)."""
        state = meta.get(STATE_KEY)
        if not isinstance(state, Mapping):
            return None
        tool, arguments, asking = state.get("tool"), state.get("arguments"), state.get("asking")
        if not (isinstance(tool, str) and isinstance(arguments, dict) and isinstance(asking, str)):
            return None
        tries = state.get("tries", 0)
        needs = state.get("needs", [])
        return cls(
            tool,
            dict(arguments),
            asking,
            tries if isinstance(tries, int) else 0,
            tuple(n for n in needs if isinstance(n, str)) if isinstance(needs, list) else (),
        )


@dataclass(frozen=True, slots=True)
class Step:
    """What to do after an answer: propose the call, ask (again), or give up."""

    understanding: Understanding | None
    """The call so far (complete, or with a question); ``None`` when the question is dropped."""
    state: OpenQuestion | None = None
    """The question left open, to keep with the reply."""


def _phrase(text: str, kind: str) -> str:
    """The answer's words that are the value ("to call mum" → "call mum", "the milk one")."""
    said = normalise_speech(text)
    if kind == "text":
        for lead in _ANSWER_LEADS:
            if said.startswith(lead) and len(said) > len(lead):
                return said[len(lead) :]
    if kind in ENTITY_KINDS and said.endswith(" one"):
        return said.removesuffix(" one")
    return said


def _ask_again(parser: Parser, question: OpenQuestion, kind: str) -> Step:
    """The answer was not of the asked kind: ask once more with an example, then give up."""
    if question.tries + 1 >= MAX_TRIES:
        return Step(None)
    asked = retry_question(parser.question(question.tool, question.asking), HINTS.get(kind))
    missing = (question.asking,)
    again = replace(question, tries=question.tries + 1)
    return Step(Understanding(question.tool, question.arguments, 1.0, missing, asked), again)


def answer(
    parser: Parser, question: OpenQuestion, text: str, working: WorkingContextLike | None
) -> Step:
    """Fill the asked argument from ``text`` (and any later one said with it)."""
    tool = parser.registry.get(question.tool)
    templates = parser.templates.by_tool.get(question.tool)
    if tool is None or templates is None:
        return Step(None)
    model = tool.input_model
    kind = templates.slot_types.get(question.asking, "text")
    needed = question.needs or required_fields(model)
    later = [f for f in needed if f not in question.arguments and f != question.asking]
    types: dict[str, str] = {}
    for name in (question.asking, *later):  # a shared slot fills its whole pair at once
        types.setdefault(
            templates.slot_names.get(name, name), templates.slot_types.get(name, "text")
        )
    asked_slot = templates.slot_names.get(question.asking, question.asking)
    reader = parser.reader(working, read_speech(text))
    read = reader.convert(model, types, {asked_slot: _phrase(text, kind)})
    if read is None or question.asking not in read.arguments:
        return _ask_again(parser, question, kind)
    arguments = {**question.arguments, **read.arguments}
    missing = tuple(f for f in needed if f not in arguments)
    if not missing:
        return Step(Understanding(question.tool, arguments, read.factor))
    asked = parser.question(question.tool, missing[0])
    state = OpenQuestion(question.tool, arguments, missing[0], needs=question.needs)
    return Step(Understanding(question.tool, arguments, read.factor, missing, asked), state)
