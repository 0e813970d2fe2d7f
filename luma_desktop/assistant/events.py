"""The event stream of a turn: what the UI, text-to-speech and the CLI consume.

Every turn yields these, in order, and always ends with exactly one :class:`TurnComplete`.
Events are frozen dataclasses; ``to_dict()`` gives the JSON form (``luma chat --json``).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any, ClassVar

__all__ = [
    "ActionExecuted",
    "Candidate",
    "ConfirmationRequired",
    "DisambiguationRequired",
    "ErrorOccurred",
    "Event",
    "RecoveryOption",
    "TextDelta",
    "Thinking",
    "ToolFinished",
    "ToolStarted",
    "TurnComplete",
    "Usage",
]


@dataclass(frozen=True, slots=True)
class Usage:
    """Tokens a model spent (all zero for the offline brain)."""

    input_tokens: int = 0
    output_tokens: int = 0
    cache_read_tokens: int = 0
    cache_write_tokens: int = 0

    def __add__(self, other: Usage) -> Usage:
        return Usage(
            self.input_tokens + other.input_tokens,
            self.output_tokens + other.output_tokens,
            self.cache_read_tokens + other.cache_read_tokens,
            self.cache_write_tokens + other.cache_write_tokens,
        )

    @property
    def total(self) -> int:
        return (
            self.input_tokens
            + self.output_tokens
            + self.cache_read_tokens
            + self.cache_write_tokens
        )


@dataclass(frozen=True, slots=True)
class _Event:
    type: ClassVar[str] = "event"

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        for key, value in data.items():
            if isinstance(value, datetime):
                data[key] = value.isoformat()
        return {"type": self.type, **data}


@dataclass(frozen=True, slots=True)
class TextDelta(_Event):
    """A piece of the assistant's answer, as it streams."""

    type: ClassVar[str] = "text_delta"
    text: str


@dataclass(frozen=True, slots=True)
class Thinking(_Event):
    """The brain is working (show a typing indicator)."""

    type: ClassVar[str] = "thinking"
    brain: str


@dataclass(frozen=True, slots=True)
class ToolStarted(_Event):
    """A tool call passed the gatekeeper and is running."""

    type: ClassVar[str] = "tool_started"
    call_id: str
    tool: str
    arguments: dict[str, Any]


@dataclass(frozen=True, slots=True)
class ToolFinished(_Event):
    """A tool call ended: its summary, and the card data when it worked."""

    type: ClassVar[str] = "tool_finished"
    call_id: str
    tool: str
    ok: bool
    summary: str
    card: str = "text"
    data: Any = None


@dataclass(frozen=True, slots=True)
class ActionExecuted(_Event):
    """A write happened (after confirmation when it needed one)."""

    type: ClassVar[str] = "action_executed"
    call_id: str
    tool: str
    summary: str
    undoable: bool = False


@dataclass(frozen=True, slots=True)
class ConfirmationRequired(_Event):
    """A medium+ risk call waits for the human; answer with ``Assistant.confirm``."""

    type: ClassVar[str] = "confirmation_required"
    pending_id: int
    call_id: str
    tool: str
    risk: str
    prompt: str
    """The question to show or speak ("Book Sarah Miller for a haircut on Thu 19 Nov at 14:00?")."""
    arguments: dict[str, Any]
    expires_at: datetime
    phrase: str | None = None
    """For critical actions, the exact phrase the user must type."""
    raised_because: tuple[str, ...] = ()
    """Arguments whose values came from tool results, not from the user (they raise the risk)."""


@dataclass(frozen=True, slots=True)
class Candidate:
    """One choice of a disambiguation."""

    id: int | str
    label: str
    detail: str = ""


@dataclass(frozen=True, slots=True)
class DisambiguationRequired(_Event):
    """A name matched several records; answer with ``Assistant.choose`` or in words."""

    type: ClassVar[str] = "disambiguation_required"
    call_id: str
    tool: str
    kind: str
    reference: str
    question: str
    candidates: tuple[Candidate, ...]


@dataclass(frozen=True, slots=True)
class RecoveryOption:
    """Something the user can do after an error ("retry", "add_task")."""

    action: str
    label: str


@dataclass(frozen=True, slots=True)
class ErrorOccurred(_Event):
    """Something failed; the conversation stays usable and offers ways forward."""

    type: ClassVar[str] = "error"
    code: str
    message: str
    options: tuple[RecoveryOption, ...] = ()


@dataclass(frozen=True, slots=True)
class TurnComplete(_Event):
    """The turn ended: the full assistant message and what it cost."""

    type: ClassVar[str] = "turn_complete"
    conversation_id: int
    message: str
    usage: Usage = field(default_factory=Usage)
    brain: str = ""
    waiting_for: str | None = None
    """``"confirmation"`` or ``"choice"`` when the turn paused for the user."""


Event = (
    TextDelta
    | Thinking
    | ToolStarted
    | ToolFinished
    | ActionExecuted
    | ConfirmationRequired
    | DisambiguationRequired
    | ErrorOccurred
    | TurnComplete
)
