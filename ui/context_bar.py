"""What Luma is focused on (the working context) and the quick actions that follow its topic.

Exposed to QML as ``contextBar``: ``focus`` lists the records "her" or "that invoice" would mean
(kind, label), ``topic`` is the domain of the last tool used, ``chips`` are quick actions for
that topic. Refreshed after every turn and every half minute (the context decays).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Property, QObject, QTimer, Signal, Slot

if TYPE_CHECKING:
    from ..assistant.working_context import WorkingContext

__all__ = ["QUICK_ACTIONS", "ContextBar", "QuickAction", "quick_actions"]

_REFRESH_MS = 30_000


@dataclass(frozen=True, slots=True)
class QuickAction:
    """A chip under the composer."""

    label: str
    text: str
    """What it sends (or puts in the composer when ``send`` is false)."""
    send: bool = True


_SCHEDULE = QuickAction("Today's schedule", "What's on today?")
_BALANCE = QuickAction("Check balance", "What's my balance?")
_OVERDUE = QuickAction("Overdue invoices", "Which invoices are overdue?")
_REMINDER = QuickAction("New reminder…", "Remind me to ", send=False)

QUICK_ACTIONS: dict[str | None, tuple[QuickAction, ...]] = {
    None: (_SCHEDULE, _BALANCE, _OVERDUE, _REMINDER),
    "scheduling": (
        _SCHEDULE,
        QuickAction("Next free slot…", "Any free slots today for a ", send=False),
        QuickAction("Tomorrow", "What's on tomorrow?"),
        QuickAction("This week", "What's booked this week"),
    ),
    "invoicing": (
        _OVERDUE,
        QuickAction("Who owes me", "Who owes me money?"),
        QuickAction("Draft invoices", "Show draft invoices"),
        QuickAction("Revenue this month", "Revenue this month"),
    ),
    "banking": (
        _BALANCE,
        QuickAction("Recent transactions", "Show recent transactions"),
        _OVERDUE,
    ),
    "clients": (
        QuickAction("Newest clients", "Who are my newest clients?"),
        QuickAction("VIP clients", "Show VIP clients"),
        _SCHEDULE,
    ),
    "tasks": (
        QuickAction("My tasks", "Show my tasks"),
        QuickAction("Overdue tasks", "Any overdue tasks?"),
        QuickAction("My reminders", "Show my reminders"),
        _REMINDER,
    ),
}
"""Chips per working-context topic (``None``: no topic yet)."""


def quick_actions(topic: str | None) -> tuple[QuickAction, ...]:
    """The chips for ``topic`` (the general ones for topics without their own)."""
    return QUICK_ACTIONS.get(topic, QUICK_ACTIONS[None])


class ContextBar(QObject):
    """The working context of the open conversation, for the bar above the messages."""

    changed = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._working: WorkingContext | None = None
        self._focus: list[dict[str, Any]] = []
        self._topic = ""
        self._chips = [asdict(action) for action in quick_actions(None)]
        self._timer = QTimer(self, interval=_REFRESH_MS)
        self._timer.timeout.connect(self.refresh)

    def attach(self, working: WorkingContext) -> None:
        """Follow the assistant's working context."""
        self._working = working
        self._timer.start()
        self.refresh()

    @Slot()
    def refresh(self) -> None:
        """Read the working context again (cheap: it lives in memory)."""
        working = self._working
        if working is None:
            return
        focus = [{"kind": r.kind, "label": r.label} for r in working.referents]
        topic = working.topic or ""
        chips = [asdict(action) for action in quick_actions(topic or None)]
        if (focus, topic, chips) != (self._focus, self._topic, self._chips):
            self._focus, self._topic, self._chips = focus, topic, chips
            self.changed.emit()

    @Slot(str)
    def forget(self, kind: str) -> None:
        """Drop one record from the focus ("not her any more")."""
        if self._working is not None:
            self._working.forget(kind)
            self.refresh()

    def _get_focus(self) -> list[dict[str, Any]]:
        return self._focus

    def _get_topic(self) -> str:
        return self._topic

    def _get_chips(self) -> list[dict[str, Any]]:
        return self._chips

    def _get_summary(self) -> str:
        return " · ".join(item["label"] for item in self._focus)

    focus = Property(list, _get_focus, notify=changed)
    topic = Property(str, _get_topic, notify=changed)
    chips = Property(list, _get_chips, notify=changed)
    summary = Property(str, _get_summary, notify=changed)
    """The focus in one line ("Sarah Miller · INV-0042")."""
