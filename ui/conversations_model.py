"""The conversation list of the expanded window (exposed to QML as ``conversations``).

Lists the user's conversations (most recent first), searches titles and messages as the user
types, and renames, archives and deletes them through :class:`ConversationStore` in worker
threads. ``open(id)`` asks the chat to show one (``openRequested``).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import (
    Property,
    QAbstractListModel,
    QByteArray,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
    Slot,
)

from ._tasks import TaskSet, human_message

if TYPE_CHECKING:
    from ..assistant.context import ExecutionContext
    from ..assistant.conversations import ConversationInfo, ConversationStore

__all__ = ["ConversationsModel", "when_text"]

_SEARCH_DELAY_MS = 250
_Index = QModelIndex | QPersistentModelIndex


def when_text(moment: datetime, now: datetime) -> str:
    """ "14:02" today, "Tue" this week, "3 Nov" this year, else "3 Nov 2025" (both local)."""
    if moment.date() == now.date():
        return moment.strftime("%H:%M")
    if timedelta(0) <= now - moment < timedelta(days=6):
        return moment.strftime("%a")
    if moment.year == now.year:
        return f"{moment.day} {moment:%b}"
    return f"{moment.day} {moment:%b %Y}"


@dataclass(frozen=True, slots=True)
class _Row:
    info: ConversationInfo
    snippet: str


_ROLE_NAMES = ("conversationId", "title", "snippet", "when", "archived", "messageCount")
_FIRST_ROLE = int(Qt.ItemDataRole.UserRole) + 1


class ConversationsModel(QAbstractListModel):
    """The user's conversations, or the ones matching ``query``."""

    queryChanged = Signal()
    showArchivedChanged = Signal()
    loadingChanged = Signal()
    countChanged = Signal()
    currentIdChanged = Signal()
    openRequested = Signal(int)
    removed = Signal(int)
    noticeRaised = Signal(str)

    def __init__(self, loop: asyncio.AbstractEventLoop, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._tasks = TaskSet(loop, lambda error: self.noticeRaised.emit(human_message(error)))
        self._rows: list[_Row] = []
        self._store: ConversationStore | None = None
        self._context_of: Callable[[], ExecutionContext] | None = None
        self._query = ""
        self._show_archived = False
        self._loading = False
        self._current = -1
        self._generation = 0
        self._timer = QTimer(self, singleShot=True, interval=_SEARCH_DELAY_MS)
        self._timer.timeout.connect(self.refresh)

    def attach(self, store: ConversationStore, context_of: Callable[[], ExecutionContext]) -> None:
        """List ``store``'s conversations for the user ``context_of()`` names."""
        self._store, self._context_of = store, context_of
        self.refresh()

    # -- Qt ----------------------------------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt API
        return 0 if parent.isValid() else len(self._rows)

    def roleNames(self) -> dict[int, QByteArray]:
        return {_FIRST_ROLE + i: QByteArray(name.encode()) for i, name in enumerate(_ROLE_NAMES)}

    def data(self, index: _Index, role: int = int(Qt.ItemDataRole.DisplayRole)) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        if role == int(Qt.ItemDataRole.DisplayRole):
            return row.info.title
        name = _ROLE_NAMES[role - _FIRST_ROLE] if 0 <= role - _FIRST_ROLE < 6 else ""
        return self._value(row, name)

    def _value(self, row: _Row, name: str) -> Any:
        info = row.info
        if name == "when":
            return self._when(info.updated_at)
        values = {
            "conversationId": info.id,
            "title": info.title,
            "snippet": row.snippet,
            "archived": info.archived,
            "messageCount": info.message_count,
        }
        return values.get(name)

    def _when(self, moment: datetime) -> str:
        if self._context_of is None:
            return ""
        context = self._context_of()
        zone = ZoneInfo(context.timezone)
        return when_text(moment.astimezone(zone), context.clock.now().astimezone(zone))

    # -- slots ---------------------------------------------------------------------------------

    @Slot()
    def refresh(self) -> None:
        """List again (the query, or the recent conversations)."""
        if self._store is None:
            return
        self._timer.stop()
        self._generation += 1
        self._set_loading(True)
        self._tasks.spawn(self._load(self._generation), "list conversations")

    @Slot(int)
    def open(self, conversation_id: int) -> None:
        self.openRequested.emit(conversation_id)

    @Slot(int, str)
    def rename(self, conversation_id: int, title: str) -> None:
        self._tasks.spawn(self._rename(conversation_id, title), "rename conversation")

    @Slot(int, bool)
    def archive(self, conversation_id: int, archived: bool) -> None:
        self._tasks.spawn(self._archive(conversation_id, archived), "archive conversation")

    @Slot(int)
    def remove(self, conversation_id: int) -> None:
        """Delete a conversation and its messages for good."""
        self._tasks.spawn(self._remove(conversation_id), "delete conversation")

    async def idle(self) -> None:
        await self._tasks.wait()

    async def aclose(self) -> None:
        await self._tasks.cancel()

    def rows(self) -> list[tuple[int, str, bool]]:
        """``(id, title, archived)`` of every row (for tests and the tray's recent list)."""
        return [(r.info.id, r.info.title, r.info.archived) for r in self._rows]

    # -- work ----------------------------------------------------------------------------------

    def _context(self) -> ExecutionContext:
        assert self._context_of is not None
        return self._context_of()

    async def _load(self, generation: int) -> None:
        store, context, query = self._store, self._context(), self._query.strip()
        assert store is not None
        try:
            if query:
                matches = await asyncio.to_thread(store.search, context, query, limit=100)
                rows = [_Row(m.conversation, m.snippet) for m in matches]
            else:
                infos = await asyncio.to_thread(
                    store.list, context, include_archived=self._show_archived, limit=200
                )
                rows = [_Row(info, info.summary or "") for info in infos]
        finally:
            if generation == self._generation:
                self._set_loading(False)
        if generation == self._generation:
            self.beginResetModel()
            self._rows = rows
            self.endResetModel()
            self.countChanged.emit()

    async def _rename(self, conversation_id: int, title: str) -> None:
        assert self._store is not None
        info = await asyncio.to_thread(self._store.rename, self._context(), conversation_id, title)
        self._replace(info)
        self.refresh()  # a listing read before the change must not bring the old title back

    async def _archive(self, conversation_id: int, archived: bool) -> None:
        assert self._store is not None
        info = await asyncio.to_thread(
            self._store.archive, self._context(), conversation_id, archived
        )
        if archived and not self._show_archived and not self._query.strip():
            self._drop(conversation_id)
        else:
            self._replace(info)
        self.refresh()

    async def _remove(self, conversation_id: int) -> None:
        assert self._store is not None
        await asyncio.to_thread(self._store.delete, self._context(), conversation_id)
        self._drop(conversation_id)
        self.removed.emit(conversation_id)
        self.refresh()

    def _replace(self, info: ConversationInfo) -> None:
        for index, row in enumerate(self._rows):
            if row.info.id == info.id:
                self._rows[index] = replace(row, info=info)
                self.dataChanged.emit(self.index(index), self.index(index))
                return

    def _drop(self, conversation_id: int) -> None:
        for index, row in enumerate(self._rows):
            if row.info.id == conversation_id:
                self.beginRemoveRows(QModelIndex(), index, index)
                del self._rows[index]
                self.endRemoveRows()
                self.countChanged.emit()
                return

    # -- properties ------------------------------------------------------------------------------

    def _set_loading(self, value: bool) -> None:
        if value != self._loading:
            self._loading = value
            self.loadingChanged.emit()

    def _get_query(self) -> str:
        return self._query

    def set_query(self, value: str) -> None:
        """Search as the user types (after a short pause)."""
        if value != self._query:
            self._query = value
            self.queryChanged.emit()
            self._timer.start()

    def _get_show_archived(self) -> bool:
        return self._show_archived

    def set_show_archived(self, value: bool) -> None:
        if value != self._show_archived:
            self._show_archived = value
            self.showArchivedChanged.emit()
            self.refresh()

    def _get_current(self) -> int:
        return self._current

    def set_current_id(self, value: int) -> None:
        """The conversation the chat shows (highlighted in the list)."""
        if value != self._current:
            self._current = value
            self.currentIdChanged.emit()

    def _get_loading(self) -> bool:
        return self._loading

    def _get_count(self) -> int:
        return len(self._rows)

    query = Property(str, _get_query, set_query, notify=queryChanged)
    showArchived = Property(bool, _get_show_archived, set_show_archived, notify=showArchivedChanged)
    currentId = Property(int, _get_current, set_current_id, notify=currentIdChanged)
    loading = Property(bool, _get_loading, notify=loadingChanged)
    count = Property(int, _get_count, notify=countChanged)
