"""The chat window's message list: user and assistant messages, and cards, as a Qt list model.

Each row is a :class:`ChatItem`. QML reads the roles named in :data:`ROLES`; Python changes rows
only through :class:`ChatModel`'s methods, which store exactly the changed roles so the
virtualised ``ListView`` re-lays out one delegate, not the list.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, tzinfo
from functools import cache
from pathlib import Path
from typing import Any

from PySide6.QtCore import Property, QByteArray, QObject, Qt, Signal, Slot
from PySide6.QtGui import QStandardItem, QStandardItemModel

__all__ = ["CARDS_DIR", "ROLES", "ChatItem", "ChatModel", "card_file"]

CARDS_DIR = Path(__file__).resolve().parent / "qml" / "cards"
"""Where ``<Type>Card.qml`` files live (see ``ui/README.md``)."""

_ids = itertools.count(1)


@dataclass(slots=True)
class ChatItem:
    """One row: a message (``kind`` ``user`` / ``assistant``) or a card (``kind`` ``card``)."""

    kind: str
    at: datetime
    text: str = ""
    streaming: bool = False
    """An assistant message still growing (the view shows a blinking cursor)."""
    message_id: int | None = None
    """The stored conversation message (assistant answers can be rated once it is known)."""
    feedback: int = 0
    """``1`` thumbs up, ``-1`` thumbs down, ``0`` none."""
    card_type: str = ""
    card_data: dict[str, Any] = field(default_factory=dict)
    card_state: str = ""
    """``open`` (still interactive) or ``resolved``; empty for messages."""
    card_outcome: str = ""
    """What happened, once resolved ("Booked.", "Cancelled.")."""
    item_id: int = field(default_factory=lambda: next(_ids))


@cache
def card_file(card_type: str) -> str:
    """The QML file drawing ``card_type``: ``cards/<Type>Card.qml``, else ``TextCard.qml``."""
    pascal = "".join(part[:1].upper() + part[1:] for part in card_type.split("_") if part)
    name = f"{pascal}Card.qml"
    return name if pascal and (CARDS_DIR / name).is_file() else "TextCard.qml"


def _time_text(at: datetime, zone: tzinfo | None) -> str:
    return at.astimezone(zone).strftime("%H:%M")


_Reader = Callable[[ChatItem, tzinfo | None], Any]

ROLES: dict[str, _Reader] = {
    "itemId": lambda item, _: item.item_id,
    "kind": lambda item, _: item.kind,
    "text": lambda item, _: item.text,
    "time": lambda item, zone: _time_text(item.at, zone),
    "timestamp": lambda item, _: item.at.isoformat(),
    "streaming": lambda item, _: item.streaming,
    "messageId": lambda item, _: item.message_id if item.message_id is not None else -1,
    "feedback": lambda item, _: item.feedback,
    "cardType": lambda item, _: item.card_type,
    "cardData": lambda item, _: item.card_data,
    "cardState": lambda item, _: item.card_state,
    "cardOutcome": lambda item, _: item.card_outcome,
    "cardFile": lambda item, _: card_file(item.card_type) if item.kind == "card" else "",
}
"""QML role name → how to read it from a :class:`ChatItem`."""

_FIELD_ROLES = {
    "kind": ("kind",),
    "at": ("time", "timestamp"),
    "text": ("text",),
    "streaming": ("streaming",),
    "message_id": ("messageId",),
    "feedback": ("feedback",),
    "card_type": ("cardType", "cardFile"),
    "card_data": ("cardData",),
    "card_state": ("cardState",),
    "card_outcome": ("cardOutcome",),
}
_FIRST_ROLE = int(Qt.ItemDataRole.UserRole) + 1
_ROLE_NUMBERS = {name: _FIRST_ROLE + index for index, name in enumerate(ROLES)}


class ChatModel(QStandardItemModel):
    """The rows of the open conversation, oldest first.

    The values live in C++ (``QStandardItem`` roles), so the view reads them without calling
    into Python: a busy worker thread holding the GIL cannot stall the window's layout.
    Python keeps the :class:`ChatItem` list beside them and changes both together.
    """

    countChanged = Signal()

    def __init__(self, parent: QObject | None = None, *, zone: tzinfo | None = None) -> None:
        super().__init__(parent)
        self.setItemRoleNames(
            {number: QByteArray(name.encode()) for name, number in _ROLE_NUMBERS.items()}
        )
        self._items: list[ChatItem] = []
        self._zone = zone

    @Slot(int, result="QVariantMap")
    def get(self, row: int) -> dict[str, Any]:
        """Every role of one row (for QML code outside a delegate)."""
        if not 0 <= row < len(self._items):
            return {}
        item = self._items[row]
        return {name: read(item, self._zone) for name, read in ROLES.items()}

    # -- Python ------------------------------------------------------------------------------

    @property
    def zone(self) -> tzinfo | None:
        return self._zone

    @zone.setter
    def zone(self, zone: tzinfo | None) -> None:
        """The timezone timestamps are shown in (the business's)."""
        self._zone = zone
        for row in range(len(self._items)):
            self._store(row, ("time",))

    def __len__(self) -> int:
        return len(self._items)

    def item_at(self, row: int) -> ChatItem:
        """A copy of one row (change rows with :meth:`update`)."""
        return replace(self._items[row])

    def items(self) -> list[ChatItem]:
        return [replace(item) for item in self._items]

    def append(self, item: ChatItem) -> int:
        row = len(self._items)
        self._items.append(item)
        self.appendRow(self._cell(item))
        self.countChanged.emit()
        return row

    def reset(self, items: Iterable[ChatItem] = ()) -> None:
        """Replace every row (opening a conversation, starting a new one)."""
        self._items = list(items)
        self.removeRows(0, self.rowCount())
        if self._items:
            self.invisibleRootItem().appendRows([self._cell(item) for item in self._items])
        self.countChanged.emit()

    def append_text(self, row: int, text: str) -> None:
        """Grow a streaming message."""
        self._items[row].text += text
        self._store(row, ("text",))

    def update(self, row: int, **changes: Any) -> None:
        """Change fields of one row (names of :class:`ChatItem`)."""
        item = self._items[row]
        roles: list[str] = []
        for name, value in changes.items():
            if name not in _FIELD_ROLES:
                raise AttributeError(f"a chat item has no field {name!r}")
            setattr(item, name, value)
            roles.extend(_FIELD_ROLES[name])
        self._store(row, roles)

    def find_cards(
        self, card_types: Sequence[str], key: str, value: object, *, state: str | None = None
    ) -> list[int]:
        """Rows of cards of ``card_types`` whose data holds ``key == value`` (newest last)."""
        return [
            row
            for row, item in enumerate(self._items)
            if item.kind == "card"
            and item.card_type in card_types
            and item.card_data.get(key) == value
            and (state is None or item.card_state == state)
        ]

    def open_cards(self) -> list[int]:
        """Rows of cards still waiting for the user."""
        return [row for row, item in enumerate(self._items) if item.card_state == "open"]

    def _cell(self, item: ChatItem) -> QStandardItem:
        cell = QStandardItem()
        cell.setEditable(False)
        for name, read in ROLES.items():
            cell.setData(read(item, self._zone), _ROLE_NUMBERS[name])
        return cell

    def _store(self, row: int, roles: Iterable[str]) -> None:
        cell = self.item(row)
        if cell is None:
            return
        item = self._items[row]
        for name in dict.fromkeys(roles):
            cell.setData(ROLES[name](item, self._zone), _ROLE_NUMBERS[name])

    def _get_count(self) -> int:
        return len(self._items)

    count = Property(int, _get_count, notify=countChanged)
