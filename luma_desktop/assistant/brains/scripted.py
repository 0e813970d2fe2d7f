"""A brain that replays a script: the fake the orchestrator's tests (and yours) drive.

Give it either a list of replies, one per model call, or a function that reads the request and
returns the reply. A reply is a list whose items are text (streamed as one chunk), a
:class:`ToolCall`, any :class:`BrainEvent`, or an exception to raise at that point.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Sequence

from ...errors import BrainError
from .base import (
    Brain,
    BrainEvent,
    BrainRequest,
    Finished,
    TextChunk,
    ToolCall,
    ToolCallBroken,
    ToolCallReady,
)

__all__ = ["ScriptItem", "ScriptedBrain"]

ScriptItem = str | ToolCall | BrainEvent | BaseException
Script = Sequence[Sequence[ScriptItem]] | Callable[[BrainRequest], Sequence[ScriptItem]]


class ScriptedBrain(Brain):
    """Replays scripted replies and records every request it was given."""

    def __init__(self, script: Script, *, name: str = "scripted", model: str = "script") -> None:
        self.name = name
        self.model = model
        self._script = script
        self.requests: list[BrainRequest] = []

    def _next_reply(self, request: BrainRequest) -> Sequence[ScriptItem]:
        if callable(self._script):
            return self._script(request)
        index = len(self.requests) - 1
        if index >= len(self._script):
            raise BrainError("The script has no more replies.", provider=self.name)
        return self._script[index]

    async def _respond(self, request: BrainRequest) -> AsyncIterator[BrainEvent]:
        self.requests.append(request)
        reply = self._next_reply(request)
        stop = "tool_use" if any(isinstance(i, ToolCall | ToolCallBroken) for i in reply) else None
        for item in reply:
            await asyncio.sleep(0)
            event = _as_event(item)
            yield event
            if isinstance(event, Finished):
                return
        yield Finished(stop or "end_turn")


def _as_event(item: ScriptItem) -> BrainEvent:
    if isinstance(item, BaseException):
        raise item
    if isinstance(item, str):
        return TextChunk(item)
    if isinstance(item, ToolCall):
        return ToolCallReady(item)
    return item
