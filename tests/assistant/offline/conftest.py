"""Fixtures for the offline brain: a brain on the demo business, and a settable working context."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pytest

from luma_desktop.assistant.brains import (
    BrainEvent,
    BrainRequest,
    Message,
    StateNote,
    TextBlock,
    TextChunk,
    ToolCall,
    ToolCallReady,
)
from luma_desktop.assistant.brains.offline import OfflineBrain
from luma_desktop.assistant.context import execution_context_for


@dataclass(frozen=True, slots=True)
class Record:
    kind: str
    id: int
    label: str = ""


class StaticWorking:
    """A working context that always answers the same records (kind → id)."""

    def __init__(self, records: Mapping[str, int] | None = None) -> None:
        self.records = dict(records or {})

    def current(self, kind: str) -> Record | None:
        found = self.records.get(kind)
        return Record(kind, found) if found is not None else None


@pytest.fixture
def owner_context(demo_workspace, clock):
    return execution_context_for(demo_workspace, clock=clock)


@pytest.fixture
def working() -> StaticWorking:
    return StaticWorking()


@pytest.fixture
def brain(demo_workspace, registry, owner_context, working) -> OfflineBrain:
    """The offline brain of the demo owner at the tests' fixed ``NOW``."""
    return OfflineBrain(demo_workspace, registry, owner_context, working=working)


# -- talking to the brain as the orchestrator does --------------------------------------------


def request(*messages: Message) -> BrainRequest:
    return BrainRequest(system="", context="", messages=messages, tools=())


async def run(brain: OfflineBrain, *messages: Message) -> list[BrainEvent]:
    return [event async for event in brain.respond(request(*messages))]


def text_of(events: Sequence[BrainEvent]) -> str:
    return "".join(e.text for e in events if isinstance(e, TextChunk))


def calls(events: Sequence[BrainEvent]) -> list[ToolCall]:
    return [e.call for e in events if isinstance(e, ToolCallReady)]


def assistant_turn(events: Sequence[BrainEvent]) -> Message:
    """The assistant message the orchestrator keeps for these events (state notes → meta)."""
    meta: dict[str, Any] = {}
    for event in events:
        if isinstance(event, StateNote):
            meta.update(event.data)
    content = (TextBlock(text_of(events)), *calls(events))
    return Message("assistant", content, meta)


async def converse(brain: OfflineBrain, *said: str) -> list[list[BrainEvent]]:
    """Say each line in turn, keeping the history as the orchestrator would."""
    history: list[Message] = []
    turns = []
    for line in said:
        history.append(Message.user(line))
        events = await run(brain, *history)
        history.append(assistant_turn(events))
        turns.append(events)
    return turns
