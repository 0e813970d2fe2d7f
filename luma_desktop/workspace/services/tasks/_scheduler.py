"""The hook that makes reminders happen: poll for due ones, fire each once, sleep till the next."""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Protocol

from ....clock import Clock
from ._models import DueReminder

__all__ = ["ReminderScheduler"]

log = logging.getLogger(__name__)

ReminderCallback = Callable[[DueReminder], Awaitable[None] | None]


class _Source(Protocol):
    """What the scheduler needs from :class:`TasksService`."""

    def fire_due(self, now: datetime | None = None) -> list[DueReminder]: ...
    def next_due_at(self) -> datetime | None: ...


class ReminderScheduler:
    """Fires the due reminders of one business, each exactly once.

    ``poll`` claims due reminders (marking them fired in the same transaction); ``run`` loops:
    poll in a worker thread, hand each reminder to the callback (the desktop notification and
    the voice), then wait until the next one is due — at most ``max_interval`` seconds, so
    reminders added meanwhile by another desktop are noticed — or until ``stop_event`` is set.
    """

    def __init__(self, tasks: _Source, *, max_interval: float = 30.0) -> None:
        if max_interval <= 0:
            raise ValueError("max_interval must be positive")
        self.tasks = tasks
        self.max_interval = max_interval

    def poll(self, now: datetime | None = None) -> list[DueReminder]:
        """The reminders due at ``now`` that no poll has returned yet."""
        return self.tasks.fire_due(now)

    def next_due_at(self) -> datetime | None:
        """When the next pending reminder falls due; ``None`` when nothing is pending."""
        return self.tasks.next_due_at()

    def delay(self, now: datetime) -> float:
        """Seconds to sleep after a poll at ``now``: until the next due time, capped."""
        next_at = self.next_due_at()
        if next_at is None:
            return self.max_interval
        seconds = (next_at - now).total_seconds()
        return min(max(seconds, min(0.2, self.max_interval)), self.max_interval)

    async def run(
        self, callback: ReminderCallback, stop_event: asyncio.Event, clock: Clock
    ) -> None:
        """Fire reminders until ``stop_event`` is set; a failing callback is logged, not fatal."""
        while not stop_event.is_set():
            for reminder in await asyncio.to_thread(self.poll, clock.now()):
                try:
                    result = callback(reminder)
                    if inspect.isawaitable(result):
                        await result
                except Exception:
                    log.exception("reminder callback failed for reminder %s", reminder.id)
            delay = await asyncio.to_thread(self.delay, clock.now())
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop_event.wait(), timeout=delay)
