"""The running summary of a long conversation: extractive, deterministic and bounded.

Old turns fold into lines such as "The user asked: …", "Luma: …" (the first sentence of a
reply) and "Done: <tool> — …" (what an executed tool reported). The cut always lands just
before a user's text message, so a tool call is never separated from its outcome.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence

from ..brains.base import Message, ToolCall
from ._clip import clip

__all__ = [
    "LINE_LIMIT",
    "SUMMARY_LIMIT",
    "cut_index",
    "first_sentence",
    "fold",
    "is_user_text",
]

SUMMARY_LIMIT = 2000
"""Most characters a summary keeps (the oldest lines go first)."""
LINE_LIMIT = 200
"""Most characters of one summary line."""

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
_SPACES = re.compile(r"\s+")


def first_sentence(text: str, limit: int = 160) -> str:
    flat = _SPACES.sub(" ", text).strip()
    return clip(_SENTENCE_END.split(flat, maxsplit=1)[0], limit)


def is_user_text(message: Message) -> bool:
    """A message the user typed or said (not a message of tool outcomes)."""
    return message.role == "user" and bool(message.text.strip()) and not message.outcomes


def cut_index(messages: Sequence[Message], keep: int) -> int | None:
    """Where the kept part starts: a user text message, leaving about ``keep`` messages.

    Prefers the latest boundary that keeps at least ``keep``; otherwise the earliest one
    after it. ``None`` when no boundary folds anything.
    """
    latest = max(len(messages) - keep, 0)
    for index in range(latest, 0, -1):
        if is_user_text(messages[index]):
            return index
    for index in range(max(latest, 1), len(messages)):
        if is_user_text(messages[index]):
            return index
    return None


def _outcome_text(content: str) -> str:
    try:
        data = json.loads(content)
    except ValueError:
        return first_sentence(content)
    if isinstance(data, dict):
        for key in ("summary", "message"):
            if isinstance(data.get(key), str):
                return first_sentence(data[key])
    return first_sentence(content)


def _lines(messages: Sequence[Message]) -> list[str]:
    calls: dict[str, ToolCall] = {}
    lines: list[str] = []
    for message in messages:
        calls.update((call.id, call) for call in message.tool_calls)
        if message.role == "user" and message.text.strip():
            lines.append("The user asked: " + clip(message.text, 160))
        elif message.role == "assistant" and message.text.strip():
            lines.append("Luma: " + first_sentence(message.text))
        for outcome in message.outcomes:
            call = calls.get(outcome.call_id)
            name = call.name if call else "a tool"
            verb = "Not done" if outcome.is_error else "Done"
            lines.append(f"{verb}: {name} — {_outcome_text(outcome.content)}")
    return [clip(line, LINE_LIMIT) for line in lines]


def fold(previous: str | None, messages: Sequence[Message]) -> str:
    """The previous summary with ``messages`` folded in, at most :data:`SUMMARY_LIMIT` long."""
    lines = [line for line in (previous or "").splitlines() if line.strip()]
    lines += _lines(messages)
    kept: list[str] = []
    size = 0
    for line in reversed(lines):
        size += len(line) + 1
        if size > SUMMARY_LIMIT + 1:
            break
        kept.append(line)
    return "\n".join(reversed(kept))
