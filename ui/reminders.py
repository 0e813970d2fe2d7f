"""Reminders as notifications: due ones pop up in the tray, land in the chat as a card, and
are spoken (voice on, Do not disturb off); snooze and done from the card or the tray menu.

Every :data:`POLL_MS` a timer on the GUI thread asks the workspace — in a worker thread, through
``TasksService`` — for the signed-in user's due reminders and claims them (marks them fired, so
each is announced once even with several desktops). Clicking the tray message opens the chat at
the card. The same check runs the bank's daily hook, ``BankingService.run_due_payments``, once
per business day (at start-up, then when the date changes); payments it could not make become
a notice in the chat.

Exposed to QML as ``reminders``: ``snooze(id)``, ``snoozeFor(id, minutes)``, ``done(id)``,
``open(id)``, ``count``. The card is ``reminder`` (``cards/ReminderCard.qml``) with
``cardState`` ``due`` until it is answered — not ``open``, which the chat closes when the
conversation moves on.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
from collections.abc import Awaitable, Callable
from datetime import date, datetime, timedelta
from functools import partial
from typing import TYPE_CHECKING, Any, Protocol

from PySide6.QtCore import Property, QObject, QTimer, Signal, Slot

from ..errors import LumaError
from ._notices import post_notice
from ._tasks import TaskSet, human_message
from .chat_model import ChatItem
from .dnd import DoNotDisturb, dnd_for
from .tray import Tray, TrayAlert

if TYPE_CHECKING:
    from ..assistant.context import ExecutionContext
    from ..workspace.database import Workspace
    from ..workspace.services.banking import DuePaymentsRun
    from ..workspace.services.tasks import DueReminder, ReminderChange, TasksService
    from .app import DesktopApp

__all__ = [
    "POLL_MS",
    "REMINDER_CARD",
    "SNOOZE_MINUTES",
    "ReminderNotifier",
    "Speak",
    "install",
    "pipeline_speaker",
]

log = logging.getLogger(__name__)

POLL_MS = 30_000
SNOOZE_MINUTES = 10
REMINDER_CARD = "reminder"
DUE = "due"
"""The ``cardState`` of a reminder card waiting for Snooze or Done."""

Speak = Callable[[str], Awaitable[Any] | None]
"""Says a sentence out loud (awaited when it returns an awaitable)."""


class _Speaking(Protocol):
    voice: Any
    player: Any


def pipeline_speaker(pipeline: _Speaking) -> Speak:
    """Speak through a ``VoicePipeline``'s voice and player (its microphone is muted while the
    speaker plays); not while the user is talking to it. A failing voice or device is logged,
    never raised."""

    async def speak(text: str) -> None:
        if str(getattr(pipeline, "state", "")) == "listening":
            log.info("a reminder was not spoken: Luma is listening (it is in the chat)")
            return
        try:
            await pipeline.player.play_async(pipeline.voice.stream(text))
        except LumaError as error:
            log.warning("could not speak a reminder: %s", error)

    return speak


class ReminderNotifier(QObject):
    """Announces the signed-in user's reminders as they fall due (``extras["reminders"]``)."""

    countChanged = Signal()

    def __init__(
        self,
        app: DesktopApp,
        dnd: DoNotDisturb,
        *,
        tray: Tray | None = None,
        speak: Speak | None = None,
        voice_enabled: Callable[[], bool] | None = None,
        poll_ms: int = POLL_MS,
    ) -> None:
        super().__init__(app)
        self.app = app
        self.dnd = dnd
        self.tray = tray
        self.speak = speak
        """Says reminders out loud (``None``: Luma has no voice here)."""
        self.voice_enabled = voice_enabled or (lambda: _voice_setting(app))
        self.spoken: list[str] = []
        """What was handed to :attr:`speak`, oldest first (the last 50)."""
        self._tasks = TaskSet(app.loop, lambda error: log.error("reminders: %s", error))
        self._active: dict[int, DueReminder] = {}
        self._source: tuple[Workspace, ExecutionContext] | None = None
        self._checking: asyncio.Task[Any] | None = None
        self._payments_day: date | None = None
        self.timer = QTimer(self, interval=poll_ms)
        self.timer.timeout.connect(self.checkNow)

    # -- running -------------------------------------------------------------------------------

    def attach(self, workspace: Workspace, context: ExecutionContext) -> None:
        """Start checking for ``context``'s user (the assistant's): now, then every poll.
        Client-portal users have no reminders (and do not run the bank's hook)."""
        if str(context.role) == "client":
            return
        self._source = (workspace, context)
        self.timer.start()
        self.checkNow()

    @Slot()
    def checkNow(self) -> None:
        """Check in the background (skipped while a check runs)."""
        if self._checking is None or self._checking.done():
            self._checking = self._tasks.spawn(self.check(), "check reminders")

    async def check(self) -> list[DueReminder]:
        """Announce the reminders due now and run the day's payments; returns the reminders."""
        if self._source is None:
            return []
        workspace, context = self._source
        try:
            due = await asyncio.to_thread(_claim_due, workspace, context)
        except LumaError as error:  # the database is away: try again at the next poll
            log.warning("could not check reminders: %s", error)
            due = []
        for reminder in due:
            self._announce(reminder)
        await self._daily_payments(workspace, context)
        return due

    async def idle(self) -> None:
        """Until every check, snooze, done and speech started so far has finished."""
        await self._tasks.wait()

    async def aclose(self) -> None:
        self.timer.stop()
        await self._tasks.cancel()

    # -- announcing ----------------------------------------------------------------------------

    def _announce(self, reminder: DueReminder) -> None:
        self._active[reminder.id] = reminder
        self._show_card(reminder)
        self._update_tray()
        quiet = self.dnd.is_on()
        tray = self.tray
        popped = tray is not None and tray.notify(
            "Reminder", reminder.text, partial(self.open, reminder.id)
        )
        if not popped and not quiet:
            self.app.showWindow()  # no tray: the card is the notification
        if not quiet and self.speak is not None and self.voice_enabled():
            self._tasks.spawn(self._say(f"Reminder: {reminder.text}"), "speak reminder")
        self.countChanged.emit()

    def _show_card(self, reminder: DueReminder) -> None:
        model = self.app.chat.model
        rows = model.find_cards((REMINDER_CARD,), "reminder_id", reminder.id, state=DUE)
        data = _card_data(reminder, self._context_today())
        if rows:
            model.update(rows[-1], card_data=data)
            return
        now = self._context_now()
        model.append(ChatItem("card", now, card_type=REMINDER_CARD, card_data=data, card_state=DUE))

    async def _say(self, text: str) -> None:
        assert self.speak is not None
        self.spoken = [*self.spoken[-49:], text]
        result = self.speak(text)
        if inspect.isawaitable(result):
            await result

    def _update_tray(self) -> None:
        if self.tray is None:
            return
        self.tray.set_alerts(
            [
                TrayAlert(
                    _short(reminder.text),
                    (
                        ("Open in chat", partial(self.open, reminder.id)),
                        (f"Snooze {SNOOZE_MINUTES} minutes", partial(self.snooze, reminder.id)),
                        ("Done", partial(self.done, reminder.id)),
                    ),
                )
                for reminder in self._active.values()
            ]
        )

    # -- answering (QML, the tray) -------------------------------------------------------------

    @Slot(int)
    def snooze(self, reminder_id: int) -> None:
        """Remind again in :data:`SNOOZE_MINUTES` minutes."""
        self.snoozeFor(reminder_id, SNOOZE_MINUTES)

    @Slot(int, int)
    def snoozeFor(self, reminder_id: int, minutes: int) -> None:
        self._answer(reminder_id, lambda tasks: tasks.snooze_reminder(int(reminder_id), minutes))

    @Slot(int)
    def done(self, reminder_id: int) -> None:
        """Mark the reminder done."""
        self._answer(reminder_id, lambda tasks: tasks.mark_done(int(reminder_id)))

    @Slot(int)
    def open(self, reminder_id: int) -> None:
        """Show the window with the reminder's card (again, if the chat was cleared)."""
        reminder = self._active.get(int(reminder_id))
        if reminder is not None:
            self._show_card(reminder)
        self.app.showWindow()

    def _answer(self, reminder_id: int, change: Callable[[TasksService], ReminderChange]) -> None:
        self._tasks.spawn(self._change(int(reminder_id), change), "answer a reminder")

    async def _change(
        self, reminder_id: int, change: Callable[[TasksService], ReminderChange]
    ) -> None:
        if self._source is None:
            return
        workspace, context = self._source
        try:
            result = await asyncio.to_thread(lambda: change(_tasks_service(workspace, context)))
        except LumaError as error:
            self.app.chat.noticeRaised.emit(human_message(error))
            outcome = error.message
        else:
            outcome = _outcome(result)
        self._active.pop(reminder_id, None)
        model = self.app.chat.model
        for row in model.find_cards((REMINDER_CARD,), "reminder_id", reminder_id, state=DUE):
            model.update(row, card_state="resolved", card_outcome=outcome)
        self._update_tray()
        self.countChanged.emit()

    def _get_count(self) -> int:
        return len(self._active)

    count = Property(int, _get_count, notify=countChanged)
    """Reminders announced and not yet snoozed or done."""

    # -- the bank's daily hook -----------------------------------------------------------------

    async def _daily_payments(self, workspace: Workspace, context: ExecutionContext) -> None:
        today = self._context_today()
        if self._payments_day == today:
            return
        self._payments_day = today
        try:
            run = await asyncio.to_thread(_run_due_payments, workspace, context)
        except LumaError as error:
            log.warning("the daily scheduled payments did not run: %s", error)
            return
        for skipped in run.skipped:
            post_notice(
                self.app,
                f"payment-skipped-{skipped.scheduled_payment_id}-{skipped.due_on}-{today}",
                f"A scheduled payment due {skipped.due_on:%a %-d %b} was not made: "
                f"{skipped.reason} Luma tries again tomorrow.",
            )

    # -- helpers -------------------------------------------------------------------------------

    def _context_now(self) -> datetime:
        assert self._source is not None
        return self._source[1].service_context().now()

    def _context_today(self) -> date:
        return self._context_now().date()


def _tasks_service(workspace: Workspace, context: ExecutionContext) -> TasksService:
    from ..workspace.services.tasks import TasksService

    return TasksService(workspace, context.service_context())


def _claim_due(workspace: Workspace, context: ExecutionContext) -> list[DueReminder]:
    """The user's reminders due now, each marked fired (blocking: run in a thread)."""
    tasks = _tasks_service(workspace, context)
    now = context.service_context().now()
    mine = [r for r in tasks.due_reminders(now) if r.user_id == context.user_id]
    claimed = set(tasks.mark_fired([r.id for r in mine], now)) if mine else set()
    return [r for r in mine if r.id in claimed]


def _run_due_payments(workspace: Workspace, context: ExecutionContext) -> DuePaymentsRun:
    from ..workspace.services.banking import BankingService

    return BankingService(workspace, context.service_context()).run_due_payments()


def _card_data(reminder: DueReminder, today: date) -> dict[str, Any]:
    due = reminder.due_at
    when = f"{due:%H:%M}" if due.date() == today else f"{due:%a %-d %b, %H:%M}"
    return {
        "type": REMINDER_CARD,
        "reminder_id": reminder.id,
        "text": reminder.text,
        "due_at": due.isoformat(),
        "due_label": f"Due {when}",
        "importance": str(reminder.importance),
        "snooze_count": reminder.snooze_count,
        "snooze_minutes": SNOOZE_MINUTES,
        "summary": reminder.text,
    }


def _outcome(change: ReminderChange) -> str:
    reminder = change.reminder
    if str(reminder.status) == "done":
        return "Done."
    due = reminder.due_at
    moved = due - change.previous.due_at
    if moved <= timedelta(days=1) and due.date() == change.previous.due_at.date():
        return f"Snoozed until {due:%H:%M}."
    return f"Snoozed until {due:%a %-d %b, %H:%M}."


def _short(text: str, limit: int = 48) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _voice_setting(app: DesktopApp) -> bool:
    runtime = app.services.runtime
    return runtime.settings.voice_enabled if runtime is not None else True


def install(app: DesktopApp) -> ReminderNotifier:
    """Create the notifier (QML: ``reminders``); start it once the assistant is ready, with the
    tray from ``extras["tray"]`` and the voice pipeline from ``extras["voice"]`` when present."""
    notifier = ReminderNotifier(app, dnd_for(app))
    app.services.extras["reminders"] = notifier
    if app.engine is None:
        app.expose("reminders", notifier)

    def ready(_app: DesktopApp) -> None:
        assistant, workspace = app.services.assistant, app.services.workspace
        if assistant is None or workspace is None:
            return
        notifier.tray = notifier.tray or app.services.extras.get("tray")
        pipeline = app.services.extras.get("voice")
        if notifier.speak is None and pipeline is not None and hasattr(pipeline, "player"):
            notifier.speak = pipeline_speaker(pipeline)
        notifier.attach(workspace, assistant.context)

    app.on_ready.append(ready)
    app.on_shutdown.append(lambda _app: notifier.aclose())
    return notifier
