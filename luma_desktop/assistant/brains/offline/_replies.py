"""What the offline brain says: answers from tool outcomes, and its own short lines.

A tool's summary already holds the facts ("Added the task Call the dentist (medium, due Fri
20 Nov, 09:00)."); the template's ``reply`` may wrap it (``"Done. {summary}"``). Errors are
said as the error message. Everything stays short enough to be spoken.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from ..base import Message, ToolOutcome
from ._templates import TemplateSet

__all__ = ["DROPPED", "HINTS", "no_match", "outcome_reply", "retry_question"]

DROPPED = "OK, I've dropped that."
"""The answer when the user abandons a question ("never mind")."""
_NOTHING = "I didn't catch that."
_DONE = "Done."


def _payload(outcome: ToolOutcome) -> dict[str, Any]:
    try:
        data = json.loads(outcome.content)
    except (TypeError, ValueError):
        data = None
    if isinstance(data, dict):
        return data
    key = "message" if outcome.is_error else "summary"
    return {key: outcome.content}


def _tool_names(messages: Iterable[Message]) -> dict[str, str]:
    return {call.id: call.name for message in messages for call in message.tool_calls}


def outcome_reply(
    outcomes: Sequence[ToolOutcome], history: Sequence[Message], templates: TemplateSet
) -> str:
    """One short answer for the outcomes of the brain's calls."""
    names = _tool_names(history)
    parts: list[str] = []
    for outcome in outcomes:
        payload = _payload(outcome)
        if outcome.is_error or "error" in payload:
            parts.append(str(payload.get("message") or "That didn't work."))
            continue
        summary = str(payload.get("summary") or _DONE)
        found = templates.by_tool.get(names.get(outcome.call_id, ""))
        reply = found.reply if found else "{summary}"
        parts.append(reply.replace("{summary}", summary).strip())
    return " ".join(p for p in parts if p) or _DONE


def no_match(suggestions: Sequence[str]) -> str:
    """Nothing matched: say so, with two or three things one could say instead."""
    if not suggestions:
        return _NOTHING
    quoted = ", ".join(f"“{s}”" for s in suggestions)
    return f"{_NOTHING} You could say: {quoted}."


def retry_question(question: str, hint: str | None) -> str:
    """Ask again after an answer that was not of the expected kind."""
    example = f" For example {hint}." if hint else ""
    return f"Sorry, I didn't get that. {question}{example}"


HINTS: Mapping[str, str] = {
    "when": "“tomorrow at 3pm” or “friday at 10”",
    "day": "“tomorrow”, “friday” or “the 14th”",
    "number": "“3” or “twelve”",
    "duration": "“10 minutes” or “an hour”",
    "amount": "“£50” or “49.99”",
    "reference": "“INV-0042” or “#42”",
    "period": "“last month”, “october” or “1 to 15 november”",
    "email": "“maya@example.com”",
    "phone": "“07700 900123”",
    "person": "“Maya Patel”",
}
"""Examples to give when an answer was not of the slot's type."""
