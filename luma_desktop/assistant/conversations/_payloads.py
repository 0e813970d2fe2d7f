"""Provider-neutral messages as JSON-safe dicts, and back, exactly."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, Literal

from ...errors import Invalid
from ..brains.base import Block, Message, TextBlock, ToolCall, ToolOutcome

__all__ = ["PAYLOAD_VERSION", "message_from_payload", "message_to_payload", "stored_role"]

PAYLOAD_VERSION = 1
_ROLES: dict[str, Literal["user", "assistant"]] = {
    "user": "user",
    "assistant": "assistant",
    "tool": "user",
}


def _block_to_dict(block: Block) -> dict[str, Any]:
    if isinstance(block, TextBlock):
        return {"type": "text", "text": block.text}
    if isinstance(block, ToolCall):
        return {
            "type": "tool_call",
            "id": block.id,
            "name": block.name,
            "arguments": dict(block.arguments),
        }
    return {
        "type": "tool_outcome",
        "call_id": block.call_id,
        "content": block.content,
        "is_error": block.is_error,
    }


def message_to_payload(message: Message) -> dict[str, Any]:
    """The message as a JSON-safe dict (its role is stored beside it, see :func:`stored_role`).

    Raises :class:`Invalid` when tool arguments or ``meta`` hold values JSON cannot keep.
    """
    payload = {
        "v": PAYLOAD_VERSION,
        "blocks": [_block_to_dict(block) for block in message.content],
        "meta": dict(message.meta),
    }
    try:
        json.dumps(payload, allow_nan=False)
    except (TypeError, ValueError) as error:
        raise Invalid(
            f"This message cannot be saved: it holds a value JSON cannot store ({error})."
        ) from error
    return payload


def stored_role(message: Message) -> str:
    """``tool`` for a user message made only of tool outcomes, else the message's role."""
    if message.role == "user" and message.outcomes and not message.text:
        return "tool"
    return message.role


def _text(data: Mapping[str, Any], key: str) -> str:
    value = data.get(key)
    if not isinstance(value, str):
        raise Invalid(f"A stored message block has no text in “{key}”.")
    return value


def _block_from_dict(data: object) -> Block:
    if not isinstance(data, Mapping):
        raise Invalid("A stored message block is not an object.")
    kind = data.get("type")
    if kind == "text":
        return TextBlock(_text(data, "text"))
    if kind == "tool_call":
        arguments = data.get("arguments")
        if not isinstance(arguments, Mapping):
            raise Invalid("A stored tool call has no arguments object.")
        return ToolCall(_text(data, "id"), _text(data, "name"), dict(arguments))
    if kind == "tool_outcome":
        is_error = data.get("is_error", False)
        if not isinstance(is_error, bool):
            raise Invalid("A stored tool outcome has a malformed error flag.")
        return ToolOutcome(_text(data, "call_id"), _text(data, "content"), is_error)
    raise Invalid(f"A stored message block has an unknown type ({kind!r}).")


def message_from_payload(role: str, payload: Mapping[str, Any]) -> Message:
    """The :class:`Message` a payload of :func:`message_to_payload` describes.

    ``role`` is the stored role (``user``, ``assistant`` or ``tool``). Raises :class:`Invalid`
    for a payload this version cannot read.
    """
    message_role = _ROLES.get(role)
    if message_role is None:
        raise Invalid(f"A stored message has an unknown role ({role!r}).")
    if not isinstance(payload, Mapping) or payload.get("v") != PAYLOAD_VERSION:
        raise Invalid("A stored message was written in a format this version cannot read.")
    blocks = payload.get("blocks")
    meta = payload.get("meta", {})
    if not isinstance(blocks, list) or not isinstance(meta, Mapping):
        raise Invalid("A stored message is missing its blocks.")
    content = tuple(_block_from_dict(block) for block in blocks)
    return Message(message_role, content, dict(meta))
