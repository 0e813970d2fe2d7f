"""Which card each turn event becomes, with the data its QML file draws.

``card_for(event) -> (card_type, data) | None`` is the contract ``_chat_events.card_mapping``
loads. ``card_type`` picks ``qml/cards/<Type>Card.qml``: ``confirmation``, ``disambiguation``,
``error``, ``appointment`` (also lists and free slots), ``invoice`` (also lists and quotes),
``balance`` (also transactions), ``client`` (also lists), ``table`` (tasks, reminders, search and
anything else) and ``progress``. The data keeps the event's own fields (``pending_id``,
``call_id``, ``candidates``, ``options``, ``summary``) and adds display text formatted in the
business's timezone and currency, so QML only lays it out.

:class:`ProgressTracker` turns the tool calls of a multi-step turn into one ``progress`` card;
:func:`follow_progress` shows it in a chat window (state ``running`` until it finishes).

Wiring: the chat controller should use ``card_for.for_context(assistant.context)`` once the
assistant is ready (moments in the business's zone, confirmation countdowns on its clock), and
the app should call ``follow_progress(chat)`` once.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import tzinfo
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from ..assistant.events import (
    ConfirmationRequired,
    DisambiguationRequired,
    ErrorOccurred,
    Event,
    ToolFinished,
)
from ..clock import Clock, SystemClock
from ._card_accounts import balance_view, client_view
from ._card_format import CardFormat, action_label, humanise, money_text
from ._card_progress import ProgressTracker
from ._card_tables import table_view
from ._card_views import appointment_view, invoice_view
from ._chat_events import plain
from .chat_model import ChatItem

if TYPE_CHECKING:
    from ..assistant.context import ExecutionContext
    from .chat_controller import ChatController

__all__ = [
    "CARD_OF",
    "CardFormat",
    "CardMapper",
    "ProgressTracker",
    "action_label",
    "card_for",
    "follow_progress",
    "money_text",
]

CARD_OF = {
    "appointment": "appointment",
    "appointments": "appointment",
    "availability": "appointment",
    "invoice": "invoice",
    "invoices": "invoice",
    "quote": "invoice",
    "balance": "balance",
    "transactions": "balance",
    "client": "client",
    "clients": "client",
    "tasks": "table",
    "reminders": "table",
    "search": "table",
    "table": "table",
}
"""A tool result's card (the catalog's ``Card``) → the QML card that draws it."""

_VIEWS: dict[str, Callable[[str, Any, CardFormat], dict[str, Any] | None]] = {
    "appointment": appointment_view,
    "invoice": invoice_view,
    "balance": balance_view,
    "client": client_view,
}
_RESULT_TITLES = {"tasks": "Tasks", "reminders": "Reminders", "search": "Search results"}
_RISK_LABELS = {
    "low": "Please confirm",
    "medium": "Please confirm",
    "high": "High risk · check the details",
    "critical": "Critical · cannot be undone",
}
_ERROR_TITLES = {
    "brain": "The AI model didn't answer",
    "workspace": "Your business data is unreachable",
    "confirmation": "That confirmation did not go through",
    "rate_limited": "Too many requests for now",
    "memory": "Memory is unavailable",
    "voice": "Voice did not work",
    "configuration": "A setting needs attention",
    "permission_denied": "Not allowed",
    "not_found": "Not found",
    "invalid": "That request could not be read",
    "conflict": "That clashes with something",
    "startup": "Luma could not start",
}
_MONEY_ARGUMENTS = ("amount", "price", "unit_price", "deposit", "total")
_MOMENT_ARGUMENTS = ("when", "on", "day", "date", "due", "at", "to", "start", "end", "until")
_NAME_ARGUMENTS = (
    "client",
    "payee",
    "staff",
    "service",
    "name",
    "keep",
    "duplicate",
    "recipient",
    "invoice",
    "quote",
    "appointment",
    "account",
    "from_account",
    "to_account",
    "resource",
    "title",
    "text",
)


def _argument_kind(key: str, value: Any) -> str:
    if isinstance(value, bool):
        return "bool"
    if key in _MONEY_ARGUMENTS or key.endswith(("_minor", "_amount")):
        return "money"
    if key in _MOMENT_ARGUMENTS or key.endswith(("_on", "_at", "_date")):
        return "date"
    if key in _NAME_ARGUMENTS or key.endswith("_name"):
        return "name"
    return "text"


def _argument_text(value: Any) -> str:
    if isinstance(value, Mapping):
        return ", ".join(f"{humanise(str(k))} {v}" for k, v in value.items() if v not in (None, ""))
    if isinstance(value, list):
        return "; ".join(_argument_text(item) for item in value)
    return str(value)


@dataclass(frozen=True, slots=True)
class CardMapper:
    """``card_for`` for one business: moments in its timezone, "now" from its clock.

    The module's :data:`card_for` uses the computer's timezone and clock;
    ``card_for.for_context(assistant.context)`` gives the business's.
    """

    format: CardFormat = field(default_factory=CardFormat)
    wall_clock: Callable[[], float] = time.time
    """Seconds since the epoch on this computer (what QML's ``Date.now()`` counts in)."""

    @classmethod
    def for_context(cls, context: ExecutionContext) -> CardMapper:
        return cls.for_business(ZoneInfo(context.timezone), context.clock, context.currency)

    @classmethod
    def for_business(
        cls, zone: tzinfo | None, clock: Clock | None = None, currency: str = ""
    ) -> CardMapper:
        return cls(CardFormat(zone, clock or SystemClock(), currency))

    def __call__(self, event: Event) -> tuple[str, dict[str, Any]] | None:
        if isinstance(event, ConfirmationRequired):
            return "confirmation", self.confirmation(event)
        if isinstance(event, DisambiguationRequired):
            return "disambiguation", self.disambiguation(event)
        if isinstance(event, ErrorOccurred):
            return "error", self.error(event)
        if isinstance(event, ToolFinished) and event.ok and event.card in CARD_OF:
            return self.result(event)
        return None

    # -- questions -------------------------------------------------------------------------------

    def confirmation(self, event: ConfirmationRequired) -> dict[str, Any]:
        """The question, the arguments as label/value rows, the risk, and the time left."""
        labels: Mapping[str, str] = getattr(event, "labels", None) or {}
        left = event.expires_at - self.format.clock.now()
        fields = [
            self._argument(key, value, labels, event.arguments)
            for key, value in event.arguments.items()
            if value not in (None, "", [], {})
        ]
        return {
            **event.to_dict(),
            "title": action_label(event.tool),
            "risk_label": _RISK_LABELS.get(event.risk, "Please confirm"),
            "fields": fields,
            "raised_labels": [humanise(name) for name in event.raised_because],
            "expires_in_ms": int(left.total_seconds() * 1000),
            "issued_at_ms": int(self.wall_clock() * 1000),
        }

    def _argument(
        self, key: str, value: Any, labels: Mapping[str, str], arguments: Mapping[str, Any]
    ) -> dict[str, Any]:
        kind = _argument_kind(key, value)
        editable = isinstance(value, str | int | float | bool)
        shown = raw = _argument_text(value)
        if key in labels:
            shown = labels[key]
        elif kind == "bool":
            shown = "Yes" if value else "No"
        elif kind == "money" and editable:
            currency = arguments.get("currency")
            if key.endswith("_minor") and isinstance(value, int):
                shown = money_text(value, currency or self.format.currency) or shown
            else:
                shown = self.format.major_money(value, currency)
        elif kind == "date":
            shown = self.format.when(value) or shown
        placeholder = ""
        if kind == "name" and isinstance(value, int) and key not in labels:
            shown = f"#{value}"
            placeholder = "Unchanged; type a name to change it"
        return {
            "name": key,
            "label": humanise(key),
            "value": shown,
            "edit": labels.get(key, "" if isinstance(value, bool) or placeholder else raw),
            "placeholder": placeholder,
            "checked": value is True,
            "kind": kind,
            "strong": kind in ("money", "date", "name"),
            "editable": editable,
        }

    def disambiguation(self, event: DisambiguationRequired) -> dict[str, Any]:
        return {**event.to_dict(), "title": action_label(event.tool)}

    def error(self, event: ErrorOccurred) -> dict[str, Any]:
        title = _ERROR_TITLES.get(event.code, "Something went wrong")
        return {**event.to_dict(), "title": title}

    # -- results ---------------------------------------------------------------------------------

    def result(self, event: ToolFinished) -> tuple[str, dict[str, Any]]:
        """A tool's result as its card, or as the generic table card when it has another shape."""
        card = CARD_OF[event.card]
        view = _VIEWS.get(card)
        shown = view(event.card, event.data, self.format) if view else None
        if shown is None:
            card, shown = "table", table_view(event.card, event.data, self.format)
            shown["title"] = _RESULT_TITLES.get(event.card) or action_label(event.tool)
            shown.setdefault("subtitle", "")
        common = {
            "call_id": event.call_id,
            "tool": event.tool,
            "result": event.card,
            "summary": event.summary,
        }
        return card, {**common, **shown}


card_for = CardMapper()
"""The card of an event, with moments in the computer's timezone (see :class:`CardMapper`)."""


# -- progress in the window ------------------------------------------------------------------


def follow_progress(controller: ChatController) -> ProgressTracker:
    """Show multi-step turns of ``controller`` as progress cards in its message list."""
    tracker = ProgressTracker()
    model = controller.model

    def show(event: Event) -> None:
        for card_type, data in tracker.feed(event):
            state = "resolved" if data["finished"] else "running"
            rows = model.find_cards((card_type,), "key", data["key"])
            if rows:
                model.update(rows[-1], card_data=plain(data), card_state=state)
                continue
            clock = controller.assistant.context.clock if controller.assistant else SystemClock()
            shown = plain(data)
            model.append(
                ChatItem(
                    "card", clock.now(), card_type=card_type, card_data=shown, card_state=state
                )
            )

    controller.listeners.append(show)
    return tracker
