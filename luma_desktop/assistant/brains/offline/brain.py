"""The offline brain: Luma without a model, and the fast path in front of one.

It reads the last message of the request: a user's words are parsed against the sentence
templates (continuing an open question when the previous assistant message holds one), the
outcomes of its own tool calls are answered from the templates' replies. It only proposes:
every call still goes through the gatekeeper, whatever the confidence.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Sequence
from functools import lru_cache

from ....errors import LumaError
from ....workspace.database import Workspace
from ... import answers  # a module import: answers imports this package too
from ...catalog import ToolRegistry
from ...context import ExecutionContext
from ..base import (
    Brain,
    BrainEvent,
    BrainRequest,
    Finished,
    Message,
    StateNote,
    TextChunk,
    ToolCall,
    ToolCallReady,
)
from ._dialogue import OpenQuestion, answer
from ._parser import Parser
from ._preferences import fill_from_memory
from ._readings import Sources
from ._referents import Referents
from ._replies import DROPPED, no_match, outcome_reply
from ._slots import EntityLists
from ._templates import TemplateSet, load_templates
from ._understanding import Understanding, WorkingContextLike
from ._values import Locale

__all__ = ["OfflineBrain"]

_GAVE_UP = "I still didn't get that, so I've left it. Just ask again when you're ready."


@lru_cache(maxsize=8)
def _templates_for(registry: ToolRegistry) -> TemplateSet:
    return load_templates(registry)


class OfflineBrain(Brain):
    """Understands requests with sentence templates; no network, no tokens."""

    name = "offline"
    model = "templates"

    def __init__(
        self,
        workspace: Workspace,
        registry: ToolRegistry,
        context: ExecutionContext,
        *,
        working: WorkingContextLike | None = None,
    ) -> None:
        self.working = working
        """What "it", "her" and "that invoice" refer to (the orchestrator sets it)."""
        self._entities = EntityLists(workspace, context.business_id, context.user_id)
        self._referents = Referents(workspace, context.business_id)
        business = context.service_context()

        def locale() -> Locale:
            now = context.clock.now().astimezone(business.tz)
            return Locale(now, business.currency, business.country, self._entities.prefixes)

        sources = Sources(_templates_for(registry), registry, self._entities, self._referents)
        self._parser = Parser(sources, locale)

    # -- the pure parse (``luma parse`` and the fast path) ---------------------------------------

    def understand(self, text: str) -> Understanding:
        """What ``text`` asks for, without running anything or writing anywhere."""
        return self._parser.understand(text, self.working)

    def is_confident(self, text: str) -> bool:
        """Whether ``text`` is an unambiguous exact match with every required argument.

        False when the names cannot be read (the workspace is down): the main brain answers.
        """
        try:
            return self._parser.parse(text, self.working).confident
        except LumaError:
            return False

    def invalidate(self) -> None:
        """Forget the cached names (clients, tasks...): call after a write tool ran."""
        self._entities.invalidate()
        self._referents.invalidate()

    def workspace_changed(self) -> None:
        """The orchestrator ran a write: the names and numbers read so far may be stale."""
        self.invalidate()

    def refresh(self) -> None:
        """Reload the cached names now."""
        self._entities.invalidate()
        self._entities.size("client")

    # -- a turn --------------------------------------------------------------------------------

    async def _respond(self, request: BrainRequest) -> AsyncIterator[BrainEvent]:
        messages = request.messages
        last = messages[-1] if messages else None
        if last is None or last.role != "user":
            events: list[BrainEvent] = [TextChunk(no_match(())), Finished("end_turn")]
        elif last.outcomes:
            reply = outcome_reply(last.outcomes, messages, self._parser.templates)
            events = [TextChunk(reply), Finished("end_turn")]
        else:
            question = _open_question(messages)
            number = 1 + sum(len(m.tool_calls) for m in messages)
            events = await asyncio.to_thread(
                self._step, last.text, question, number, request.recalled
            )
        for event in events:
            yield event

    def _step(
        self,
        text: str,
        question: OpenQuestion | None,
        number: int,
        recalled: Sequence[str] = (),
    ) -> list[BrainEvent]:
        if question is None:
            understood = self._parser.understand(text, self.working)
            return _propose(fill_from_memory(understood, recalled), number)
        if answers.parse_confirmation(text) is False:
            return [TextChunk(DROPPED), Finished("end_turn")]
        parsed = self._parser.parse(text, self.working)
        if parsed.confident:  # a new, complete request replaces the open question
            return _propose(self._parser.understand(text, self.working), number)
        step = answer(self._parser, question, text, self.working)
        if step.understanding is None:
            return [TextChunk(_GAVE_UP), Finished("end_turn")]
        return _propose(step.understanding, number, step.state)


def _open_question(messages: Sequence[Message]) -> OpenQuestion | None:
    """The question the previous assistant message left open, if any."""
    if len(messages) < 2 or messages[-2].role != "assistant":
        return None
    return OpenQuestion.from_meta(messages[-2].meta)


def _propose(
    understood: Understanding, number: int, state: OpenQuestion | None = None
) -> list[BrainEvent]:
    if understood.tool is None:
        return [TextChunk(no_match(understood.suggestions)), Finished("end_turn")]
    if understood.missing:
        asking = state or OpenQuestion(
            understood.tool, understood.arguments, understood.missing[0], needs=understood.missing
        )
        return [
            TextChunk(understood.question or "Could you tell me more?"),
            StateNote(asking.to_meta()),
            Finished("end_turn"),
        ]
    call = ToolCall(f"offline_{number}", understood.tool, dict(understood.arguments))
    return [ToolCallReady(call), Finished("tool_use")]
