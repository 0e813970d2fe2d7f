"""Which turn events become cards; stored messages as chat rows; ratings.

The card mapping is ``card_for(event) -> (card_type, data) | None``. ``ui/cards.py`` (the cards'
own module) provides it when present; until then :func:`minimal_card_for` keeps the window
usable: questions, errors and tool results with a card become cards carrying the event's data.
"""

from __future__ import annotations

import importlib
import json
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any, cast

from ..assistant.events import (
    ConfirmationRequired,
    DisambiguationRequired,
    ErrorOccurred,
    Event,
    ToolFinished,
)
from .chat_model import ChatItem

if TYPE_CHECKING:
    from ..assistant.conversations import StoredMessage
    from ..assistant.orchestrator import Assistant

__all__ = [
    "CardMapping",
    "answer_id",
    "card_mapping",
    "history",
    "history_items",
    "minimal_card_for",
    "plain",
    "rate_message",
]

CardMapping = Callable[[Event], "tuple[str, Mapping[str, Any]] | None"]


def plain(data: Mapping[str, Any]) -> dict[str, Any]:
    """``data`` as plain JSON values (what QML receives as a JavaScript object)."""
    loaded = json.loads(json.dumps(dict(data), ensure_ascii=False, default=str))
    return cast(dict[str, Any], loaded)


def minimal_card_for(event: Event) -> tuple[str, dict[str, Any]] | None:
    """The card for ``event`` with exactly the event's data, or ``None`` (text covers it)."""
    if isinstance(event, ConfirmationRequired):
        return "confirmation", event.to_dict()
    if isinstance(event, DisambiguationRequired):
        return "disambiguation", event.to_dict()
    if isinstance(event, ErrorOccurred):
        return "error", event.to_dict()
    if isinstance(event, ToolFinished) and event.ok and event.card != "text":
        return event.card, event.to_dict()
    return None


def card_mapping() -> CardMapping:
    """``luma_desktop.ui.cards.card_for`` when the cards module exists, else the minimal one."""
    name = f"{__package__}.cards"
    try:
        module = importlib.import_module(name)
    except ModuleNotFoundError as error:
        if error.name != name:
            raise
        return minimal_card_for
    return cast(CardMapping, module.card_for)


def history_items(stored: Iterable[StoredMessage], ratings: Mapping[int, int]) -> list[ChatItem]:
    """Rows for a stored conversation: the user's messages and Luma's answers (tool outcome
    messages are for the brain and stay hidden)."""
    return [
        ChatItem(
            message.role,
            message.created_at,
            message.text,
            message_id=message.id,
            feedback=ratings.get(message.id, 0),
        )
        for message in stored
        if message.role in ("user", "assistant") and message.text.strip()
    ]


# -- database work, run in worker threads (the modules load there too, not at start-up) -------


def history(assistant: Assistant, conversation_id: int) -> list[ChatItem]:
    """The rows of a stored conversation, with the user's ratings."""
    from ..assistant.feedback import feedback_in

    context = assistant.context
    stored = assistant.conversations.messages(context, conversation_id)
    return history_items(stored, feedback_in(assistant.workspace, context, conversation_id))


def answer_id(assistant: Assistant, conversation_id: int) -> int | None:
    """The stored id of the conversation's latest answer (what the thumbs rate)."""
    from ..assistant.feedback import last_answer_id

    return last_answer_id(assistant.workspace, assistant.context, conversation_id)


def rate_message(assistant: Assistant, message_id: int, value: int | None) -> None:
    from ..assistant.feedback import set_feedback

    set_feedback(assistant.workspace, assistant.context, message_id, value)
