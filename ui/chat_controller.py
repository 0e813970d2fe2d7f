"""The chat view-model: the window's requests go to the :class:`Assistant`, its events come back
as rows of the :class:`ChatModel` (streaming text, cards, their outcomes).

Every request is a job: jobs run one at a time, in order, on the asyncio loop the app shares with
Qt, and wait until :meth:`ChatController.attach` hands over the assistant (the window is usable
before it is built). Database work runs in threads; a slot never blocks the GUI thread.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import Property, QObject, Signal, Slot
from PySide6.QtGui import QGuiApplication

from ..assistant.events import (
    ActionExecuted,
    ErrorOccurred,
    Event,
    TextDelta,
    Thinking,
    ToolFinished,
    ToolStarted,
    TurnComplete,
)
from ..clock import Clock, SystemClock
from ._chat_events import CardMapping, answer_id, card_mapping, history, rate_message
from ._tasks import TaskSet, human_message
from ._turn_rows import MOVED_ON, Turn, TurnRows
from .chat_model import ChatItem, ChatModel

if TYPE_CHECKING:
    from ..assistant.orchestrator import Assistant

__all__ = ["MOVED_ON", "ChatController"]

log = logging.getLogger(__name__)


class ChatController(QObject):
    """Drives one assistant from the chat window (exposed to QML as ``chat``)."""

    readyChanged = Signal()
    busyChanged = Signal()
    thinkingChanged = Signal()
    waitingForChanged = Signal()
    conversationIdChanged = Signal()
    freshChanged = Signal()
    statusChanged = Signal()
    noticeRaised = Signal(str)
    """A short message for a toast ("Copied", "Couldn't save your rating")."""
    turnFinished = Signal(int)
    """A turn ended in this conversation (its messages are stored)."""
    conversationOpened = Signal(int)

    def __init__(
        self,
        loop: asyncio.AbstractEventLoop,
        *,
        model: ChatModel | None = None,
        card_for: CardMapping | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._model = model or ChatModel(self)
        self._rows = TurnRows(self._model, card_for or card_mapping(), self._now)
        self._tasks = TaskSet(loop, self._failed)
        self._lock = asyncio.Lock()
        self._ready = asyncio.Event()
        self._assistant: Assistant | None = None
        self._clock: Clock = SystemClock()
        self._jobs = 0
        self._thinking = False
        self._waiting = ""
        self._conversation = -1
        self._fresh = True
        self._new_pending = False
        self._problem = ""
        self._status = ""
        self.listeners: list[Callable[[Event], None]] = []
        """Called with every event after the window shows it (speech, tray state, logs)."""
        self._refresh_status()

    # -- wiring ------------------------------------------------------------------------------

    def attach(self, assistant: Assistant) -> None:
        """Hand over the assistant; queued requests start now."""
        self._assistant = assistant
        self._clock = assistant.context.clock
        self._model.zone = ZoneInfo(assistant.context.timezone)
        bind = getattr(self._rows.card_for, "for_context", None)
        if callable(bind):  # cards show times in the business's zone and count down by its clock
            self._rows.card_for = bind(assistant.context)
        self._ready.set()
        self.readyChanged.emit()
        self._refresh_status()

    def show_problem(self, message: str) -> None:
        """Luma could not start (settings, database): say so in the window."""
        self._problem = message
        self._rows.problem("startup", message)
        self._refresh_status()

    @property
    def assistant(self) -> Assistant | None:
        return self._assistant

    @property
    def model(self) -> ChatModel:
        return self._model

    @property
    def conversation_id(self) -> int | None:
        """The conversation the window shows (``None`` before its first message)."""
        return self._conversation if self._conversation >= 0 else None

    async def idle(self) -> None:
        """Until every queued request has finished."""
        await self._tasks.wait()

    async def aclose(self) -> None:
        """Stop queued and running requests (shutdown)."""
        await self._tasks.cancel()

    # -- properties --------------------------------------------------------------------------

    def _get_messages(self) -> ChatModel:
        return self._model

    def _get_ready(self) -> bool:
        return self._assistant is not None

    def _get_busy(self) -> bool:
        return self._jobs > 0

    def _get_thinking(self) -> bool:
        return self._thinking

    def _get_waiting(self) -> str:
        return self._waiting

    def _get_conversation(self) -> int:
        return self._conversation

    def _get_fresh(self) -> bool:
        return self._fresh

    def _get_status(self) -> str:
        return self._status

    messages = Property(QObject, _get_messages, constant=True)
    ready = Property(bool, _get_ready, notify=readyChanged)
    busy = Property(bool, _get_busy, notify=busyChanged)
    thinking = Property(bool, _get_thinking, notify=thinkingChanged)
    waitingFor = Property(str, _get_waiting, notify=waitingForChanged)
    conversationId = Property(int, _get_conversation, notify=conversationIdChanged)
    fresh = Property(bool, _get_fresh, notify=freshChanged)
    """A new conversation (the window shows the greeting above it)."""
    status = Property(str, _get_status, notify=statusChanged)

    # -- slots: requests -----------------------------------------------------------------------

    @Slot(str, result=bool)
    def send(self, text: str) -> bool:
        """Send a message (shown at once; answered when the assistant is free)."""
        clean = text.strip()
        if not clean:
            return False
        self._rows.resolve(self._rows.open_errors(), "")
        self._model.append(ChatItem("user", self._now(), clean))
        self._job(lambda assistant: self._send(assistant, clean), "send")
        return True

    async def spoken(self, text: str) -> AsyncIterator[Event]:
        """A request heard by voice: shown and answered like a typed one, its events also
        yielded to the caller (the voice pipeline speaks them)."""
        clean = text.strip()
        if not clean:
            return
        self._rows.resolve(self._rows.open_errors(), "")
        self._model.append(ChatItem("user", self._now(), clean))
        heard: asyncio.Queue[Event | None] = asyncio.Queue()

        async def relay(assistant: Assistant) -> AsyncIterator[Event]:
            async for event in assistant.send(clean):
                heard.put_nowait(event)
                yield event

        async def answer(assistant: Assistant) -> None:
            try:
                if self._new_pending and assistant.conversation_id is not None:
                    await assistant.start_conversation()
                self._new_pending = False
                await self._consume(relay(assistant))
            finally:
                heard.put_nowait(None)

        self._job(answer, "voice")
        while (event := await heard.get()) is not None:
            yield event

    @Slot(int, bool, str, str)
    def confirm(self, pending_id: int, approve: bool, phrase: str, edits_json: str) -> None:
        """Answer a confirmation card (``edits_json``: changed arguments as a JSON object)."""
        try:
            edits = _edits(edits_json)
        except ValueError:
            self.noticeRaised.emit("Those changes could not be read; nothing was sent.")
            return
        self._job(
            lambda assistant: self._confirm(assistant, pending_id, approve, phrase, edits),
            "confirm",
        )

    @Slot(str, "QVariant")
    def choose(self, call_id: str, candidate_id: object) -> None:
        """Answer a disambiguation card (``candidate_id`` ``None``: none of them)."""
        chosen = _candidate(candidate_id)
        self._job(lambda assistant: self._choose(assistant, call_id, chosen), "choose")

    @Slot(str)
    def recover(self, action: str) -> None:
        """Act on an error card's option (``retry``, ``add_task``, ``offline``)."""
        for row in self._rows.open_errors():
            options = self._model.item_at(row).card_data.get("options") or []
            label = next((o.get("label", "") for o in options if o.get("action") == action), "")
            self._rows.resolve([row], label)
        self._job(lambda assistant: self._consume(assistant.recover(action)), "recover")

    @Slot()
    def newConversation(self) -> None:
        """Clear the window; the next message starts a new conversation."""
        self._job(self._start_new, "new conversation")

    @Slot(int)
    def openConversation(self, conversation_id: int) -> None:
        """Show a stored conversation and continue it."""
        self._job(lambda assistant: self._open(assistant, conversation_id), "open conversation")

    # -- slots: message actions ----------------------------------------------------------------

    @Slot(int, result=bool)
    def copy(self, row: int) -> bool:
        """Put a message's text on the clipboard."""
        if not 0 <= row < len(self._model):
            return False
        item = self._model.item_at(row)
        text = item.text or str(item.card_data.get("summary") or item.card_data.get("message", ""))
        clipboard = QGuiApplication.clipboard()
        if not text or clipboard is None:
            return False
        clipboard.setText(text)
        self.noticeRaised.emit("Copied")
        return True

    @Slot(int, int)
    def rate(self, row: int, value: int) -> None:
        """Thumbs up (1) or down (-1) on an answer; the same again takes it back."""
        if not 0 <= row < len(self._model) or value not in (1, -1):
            return
        item = self._model.item_at(row)
        assistant = self._assistant
        if item.kind != "assistant" or item.message_id is None or assistant is None:
            self.noticeRaised.emit("This answer can be rated once it is saved.")
            return
        new = 0 if item.feedback == value else value
        self._model.update(row, feedback=new)
        self._tasks.spawn(self._rate(assistant, item, new), "rate")

    # -- jobs ----------------------------------------------------------------------------------

    def _job(self, work: Callable[[Assistant], Awaitable[Any]], name: str) -> None:
        self._jobs += 1
        if self._jobs == 1:
            self.busyChanged.emit()
            self._refresh_status()
        self._tasks.spawn(self._run(work), name)

    async def _run(self, work: Callable[[Assistant], Awaitable[Any]]) -> None:
        try:
            await self._ready.wait()
            async with self._lock:
                assert self._assistant is not None
                await work(self._assistant)
        finally:
            self._rows.end_stream()
            self._set_thinking(False)
            self._jobs -= 1
            if self._jobs == 0:
                self.busyChanged.emit()
            self._refresh_status()

    async def _send(self, assistant: Assistant, text: str) -> None:
        if self._new_pending and assistant.conversation_id is not None:
            await assistant.start_conversation()
        self._new_pending = False
        await self._consume(assistant.send(text))

    async def _confirm(
        self,
        assistant: Assistant,
        pending_id: int,
        approve: bool,
        phrase: str,
        edits: dict[str, Any] | None,
    ) -> None:
        rows = self._model.find_cards(("confirmation",), "pending_id", pending_id, state="open")
        job = await self._consume(
            assistant.confirm(pending_id, approve=approve, phrase=phrase or None, edits=edits),
            answering=rows,
        )
        done = "Confirmed." if approve else "Cancelled."
        still_waiting = assistant.waiting_for == "confirmation"
        self._rows.settle(rows, job, still_waiting=still_waiting, done=done)

    async def _choose(self, assistant: Assistant, call_id: str, chosen: int | str | None) -> None:
        rows = self._model.find_cards(("disambiguation",), "call_id", call_id, state="open")
        label = self._rows.candidate_label(rows, chosen)
        job = await self._consume(assistant.choose(call_id, chosen), answering=rows)
        still_waiting = assistant.waiting_for == "choice"
        self._rows.settle(rows, job, still_waiting=still_waiting, done=label)

    async def _start_new(self, assistant: Assistant) -> None:
        self._model.reset()
        self._new_pending = assistant.conversation_id is not None
        self._set_conversation(-1, fresh=True)
        self._set_waiting(None)

    async def _open(self, assistant: Assistant, conversation_id: int) -> None:
        await assistant.resume(conversation_id)
        rows = await asyncio.to_thread(history, assistant, conversation_id)
        self._model.reset(rows)
        self._new_pending = False
        self._set_conversation(conversation_id, fresh=False)
        self._set_waiting(assistant.waiting_for)
        self.conversationOpened.emit(conversation_id)

    async def _rate(self, assistant: Assistant, item: ChatItem, value: int) -> None:
        assert item.message_id is not None
        try:
            await asyncio.to_thread(rate_message, assistant, item.message_id, value or None)
        except Exception as error:
            log.warning("could not store feedback on message %s: %s", item.message_id, error)
            row = self._rows.row_of(item.item_id)
            if row is not None:
                self._model.update(row, feedback=item.feedback)
            self.noticeRaised.emit(f"Your rating was not saved: {human_message(error)}")

    # -- events → rows ---------------------------------------------------------------------------

    async def _consume(self, events: AsyncIterator[Event], answering: Sequence[int] = ()) -> Turn:
        """Show a turn's events as they come; tidy up after its :class:`TurnComplete`."""
        turn = self._rows.begin(answering)
        async for event in events:
            self._apply(event, turn)
            for listener in self.listeners:
                try:
                    listener(event)
                except Exception:
                    log.exception("an event listener failed on %s", event.type)
        self._rows.end_stream()
        if turn.complete is not None:
            await self._after_turn(turn, turn.complete)
        return turn

    def _apply(self, event: Event, turn: Turn) -> None:
        if isinstance(event, Thinking):
            self._set_thinking(True)
        elif isinstance(event, TextDelta):
            self._set_thinking(False)
            self._rows.stream(event.text, turn)
        elif isinstance(event, TurnComplete):
            turn.complete = event
            self._set_thinking(False)
            self._set_waiting(event.waiting_for)
            self._set_conversation(event.conversation_id, fresh=self._fresh)
        elif isinstance(event, ToolStarted):  # a choice answered in words ("the second one")
            self._rows.resolve_call("disambiguation", event.call_id, "Answered.", turn.answering)
        else:
            self._rows.end_stream()
            if isinstance(event, ToolFinished | ActionExecuted):
                self._rows.resolve_call("confirmation", event.call_id, event.summary)
            if isinstance(event, ErrorOccurred):
                turn.errors.append(event.message)
            self._rows.add_card(event)

    async def _after_turn(self, turn: Turn, complete: TurnComplete) -> None:
        self._rows.close_stale(turn, complete.waiting_for)
        assistant = self._assistant
        if turn.text_rows and assistant is not None and complete.conversation_id:
            message_id = await asyncio.to_thread(answer_id, assistant, complete.conversation_id)
            if message_id is not None:
                self._model.update(turn.text_rows[-1], message_id=message_id)
        self.turnFinished.emit(complete.conversation_id)

    # -- helpers -------------------------------------------------------------------------------

    def _now(self) -> datetime:
        return self._clock.now()

    def _failed(self, error: BaseException) -> None:
        self._rows.problem("failed", human_message(error))

    def _set_thinking(self, value: bool) -> None:
        if value != self._thinking:
            self._thinking = value
            self.thinkingChanged.emit()
            self._refresh_status()

    def _set_waiting(self, value: str | None) -> None:
        if (value or "") != self._waiting:
            self._waiting = value or ""
            self.waitingForChanged.emit()
            self._refresh_status()

    def _set_conversation(self, conversation_id: int, *, fresh: bool) -> None:
        if conversation_id != self._conversation:
            self._conversation = conversation_id
            self.conversationIdChanged.emit()
        if fresh != self._fresh:
            self._fresh = fresh
            self.freshChanged.emit()

    def _refresh_status(self) -> None:
        if self._assistant is None:
            status = "Luma could not start" if self._problem else "Starting…"
        elif self._thinking:
            status = "Thinking…"
        elif self._waiting == "confirmation":
            status = "Waiting for your confirmation"
        elif self._waiting == "choice":
            status = "Waiting for your choice"
        elif self._jobs:
            status = "Working…"
        else:
            status = "Ready"
        if status != self._status:
            self._status = status
            self.statusChanged.emit()


def _edits(text: str) -> dict[str, Any] | None:
    """Edited arguments from a card (``None``: no edits); ValueError unless a JSON object."""
    if not text.strip():
        return None
    value = json.loads(text)
    if not isinstance(value, dict):
        raise ValueError("edits must be a JSON object")
    return value


def _candidate(value: object) -> int | str | None:
    """A candidate id from QML (JavaScript numbers arrive as floats)."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value if isinstance(value, int | str) and not isinstance(value, bool) else None
