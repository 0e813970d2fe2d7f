"""Gatekeeper outcomes, told two ways: as events for people and as tool results for brains."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from ..errors import Ambiguous, LumaError, ServiceError, WorkspaceError
from .brains.base import ToolOutcome
from .catalog import Operation, ToolResult
from .events import (
    ActionExecuted,
    Candidate,
    ConfirmationRequired,
    DisambiguationRequired,
    Event,
    ToolFinished,
)
from .gatekeeper import AwaitingConfirmation, Cancelled, Executed, Failed, Outcome, Rejected

__all__ = [
    "MAX_RESULT_CHARS",
    "Told",
    "error_content",
    "failure_block",
    "outage_of",
    "result_content",
    "tell",
]

MAX_RESULT_CHARS = 12_000
"""A tool result sent to a model is cut to about this many characters (long lists shortened)."""


@dataclass(frozen=True, slots=True)
class Told:
    """What an outcome means for the turn."""

    events: tuple[Event, ...]
    block: ToolOutcome | None
    """The result for the brain, or ``None`` while the call waits for the human."""
    choice: DisambiguationRequired | None = None


def tell(outcome: Outcome) -> Told:
    """Events and the brain's tool result for one gatekeeper outcome."""
    if isinstance(outcome, Executed):
        result = outcome.result
        events: list[Event] = [
            ToolFinished(
                outcome.call_id,
                outcome.tool.name,
                True,
                result.summary,
                result.card.value,
                result.to_dict()["data"],
            )
        ]
        if outcome.tool.operation is Operation.WRITE:
            events.append(
                ActionExecuted(
                    outcome.call_id,
                    outcome.tool.name,
                    result.summary,
                    undoable=outcome.tool.reversible and result.undo is not None,
                )
            )
        return Told(tuple(events), ToolOutcome(outcome.call_id, result_content(result)))
    if isinstance(outcome, AwaitingConfirmation):
        pending = outcome.pending
        event = ConfirmationRequired(
            pending_id=pending.id,
            call_id=outcome.call_id,
            tool=pending.tool,
            risk=pending.risk.value,
            prompt=pending.prompt,
            arguments=pending.arguments,
            expires_at=pending.expires_at,
            phrase=pending.phrase,
            raised_because=pending.raised_because,
        )
        return Told((event,), None)
    if isinstance(outcome, Cancelled):
        text = "The user declined; nothing was done. Do not retry unless they ask again."
        finished = ToolFinished(outcome.call_id, outcome.pending.tool, False, "Cancelled.")
        return Told((finished,), failure_block(outcome.call_id, "cancelled", text))
    name = outcome.tool_name if isinstance(outcome, Rejected) else outcome.tool.name
    error = outcome.error
    if isinstance(outcome, Failed) and isinstance(error, Ambiguous):
        choice = DisambiguationRequired(
            call_id=outcome.call_id,
            tool=name,
            kind=error.kind,
            reference=str(error.reference),
            question=f"Which {error.kind} did you mean?",
            candidates=tuple(Candidate(c.id, c.label, c.detail or "") for c in error.candidates),
        )
        return Told((choice,), None, choice)
    finished = ToolFinished(outcome.call_id, name, False, error.message)
    return Told((finished,), ToolOutcome(outcome.call_id, error_content(error), is_error=True))


def outage_of(outcome: Outcome) -> LumaError | None:
    """The error when the service itself failed (database down, a crash), not the request."""
    if not isinstance(outcome, Failed):
        return None
    error = outcome.error
    return error if isinstance(error, WorkspaceError) or type(error) is ServiceError else None


def error_content(error: LumaError) -> str:
    return json.dumps(error.to_dict(), ensure_ascii=False, default=str)


def failure_block(call_id: str, code: str, message: str) -> ToolOutcome:
    """A tool result telling the brain a call did not run, and why."""
    content = json.dumps({"error": code, "message": message}, ensure_ascii=False)
    return ToolOutcome(call_id, content, is_error=True)


def result_content(result: ToolResult) -> str:
    """The JSON a brain reads: summary, card and data, with long lists shortened to fit."""
    payload = result.to_dict()
    text = json.dumps(payload, ensure_ascii=False, default=str)
    keep = 50
    while len(text) > MAX_RESULT_CHARS and keep >= 1:
        payload["data"] = _shorten(result.to_dict()["data"], keep)
        payload["note"] = f"Long lists were cut to their first {keep} items."
        text = json.dumps(payload, ensure_ascii=False, default=str)
        keep //= 2
    if len(text) > MAX_RESULT_CHARS:
        payload = {"summary": result.summary, "card": result.card.value, "note": "Data omitted."}
        text = json.dumps(payload, ensure_ascii=False, default=str)
    return text


def _shorten(value: Any, keep: int) -> Any:
    if isinstance(value, list):
        return [_shorten(item, keep) for item in value[:keep]]
    if isinstance(value, dict):
        return {key: _shorten(item, keep) for key, item in value.items()}
    if isinstance(value, str) and len(value) > 40 * keep:
        return value[: 40 * keep] + "…"
    return value
