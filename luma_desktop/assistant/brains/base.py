"""What every brain speaks: provider-neutral messages in, a stream of brain events out.

A brain proposes; it never executes. The orchestrator turns :class:`ToolCallReady` events into
gatekeeper submissions and sends the outcomes back as :class:`ToolOutcome` blocks in the next
request. Brains translate these shapes to and from their wire format (Anthropic Messages,
OpenAI chat completions, or none at all for the offline parser).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from ...errors import BrainError, LumaError
from ..events import Usage

__all__ = [
    "Block",
    "Brain",
    "BrainEvent",
    "BrainRequest",
    "Finished",
    "Message",
    "StateNote",
    "TextBlock",
    "TextChunk",
    "ToolCall",
    "ToolCallBroken",
    "ToolCallReady",
    "ToolOutcome",
    "UsageReport",
]


@dataclass(frozen=True, slots=True)
class TextBlock:
    text: str


@dataclass(frozen=True, slots=True)
class ToolCall:
    """A complete, parsed tool call proposed by a brain."""

    id: str
    name: str
    arguments: dict[str, Any]


@dataclass(frozen=True, slots=True)
class ToolOutcome:
    """What happened to a tool call, as the brain reads it next time."""

    call_id: str
    content: str
    is_error: bool = False


Block = TextBlock | ToolCall | ToolOutcome


@dataclass(frozen=True, slots=True)
class Message:
    """One message of the history: user text and tool outcomes, or assistant text and calls."""

    role: Literal["user", "assistant"]
    content: tuple[Block, ...]
    meta: Mapping[str, Any] = field(default_factory=dict)
    """Brain-private state kept with an assistant message (the offline brain's open slots)."""

    @property
    def text(self) -> str:
        return "".join(block.text for block in self.content if isinstance(block, TextBlock))

    @property
    def tool_calls(self) -> tuple[ToolCall, ...]:
        return tuple(block for block in self.content if isinstance(block, ToolCall))

    @property
    def outcomes(self) -> tuple[ToolOutcome, ...]:
        return tuple(block for block in self.content if isinstance(block, ToolOutcome))

    @classmethod
    def user(cls, text: str) -> Message:
        return cls("user", (TextBlock(text),))


@dataclass(frozen=True, slots=True)
class BrainRequest:
    """Everything a brain needs for one model call."""

    system: str
    """The stable part of the system prompt (role, protocols, user, boundaries): cacheable."""
    context: str
    """The volatile part (date and time, working context): sent after the cached prefix."""
    messages: tuple[Message, ...]
    tools: tuple[Mapping[str, Any], ...]
    """Tool definitions ``{"name", "description", "input_schema"}``, stable order first."""
    max_tokens: int = 1024
    temperature: float = 0.3
    recalled: tuple[str, ...] = ()
    """Memories relevant to this turn, most relevant first (model brains already see them in
    ``context``; the offline brain fills defaults from them, e.g. the usual reminder day)."""


@dataclass(frozen=True, slots=True)
class TextChunk:
    text: str


@dataclass(frozen=True, slots=True)
class ToolCallReady:
    """A tool call whose block is complete and whose arguments parsed as a JSON object."""

    call: ToolCall


@dataclass(frozen=True, slots=True)
class ToolCallBroken:
    """A complete tool block whose arguments did not parse; the model is told, nothing runs."""

    id: str
    name: str
    raw: str
    problem: str


@dataclass(frozen=True, slots=True)
class UsageReport:
    usage: Usage


@dataclass(frozen=True, slots=True)
class StateNote:
    """Brain-private state to keep with the assistant message (see :attr:`Message.meta`)."""

    data: Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class Finished:
    """The model message ended: ``end_turn``, ``tool_use``, ``max_tokens``, ..."""

    stop_reason: str


BrainEvent = TextChunk | ToolCallReady | ToolCallBroken | UsageReport | StateNote | Finished


class Brain(ABC):
    """A planner: reads the conversation, streams text and proposes tool calls."""

    name: str = "brain"
    """Shown to users ("claude", "local", "offline") and stored with usage."""
    model: str = ""
    """The model identifier (for usage records)."""

    async def respond(self, request: BrainRequest) -> AsyncIterator[BrainEvent]:
        """Stream one model message; every failure surfaces as :class:`BrainError`.

        Ends with exactly one :class:`Finished` unless it raises.
        """
        finished = False
        try:
            async for event in self._respond(request):
                finished = finished or isinstance(event, Finished)
                yield event
        except LumaError:
            raise
        except Exception as error:  # a provider library failing in a way we did not map
            raise BrainError(
                f"The {self.name} brain failed unexpectedly ({type(error).__name__}).",
                retryable=True,
                provider=self.name,
            ) from error
        if not finished:
            yield Finished("end_turn")

    @abstractmethod
    def _respond(self, request: BrainRequest) -> AsyncIterator[BrainEvent]:
        """The provider-specific stream (an async generator)."""

    def workspace_changed(self) -> None:  # noqa: B027 - optional hook
        """The business data changed (a write ran): drop anything cached from it."""

    async def aclose(self) -> None:  # noqa: B027 - optional hook, nothing to release by default
        """Release connections (default: nothing to release)."""
