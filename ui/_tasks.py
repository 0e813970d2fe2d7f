"""Background asyncio work for view-models: keeps tasks alive, reports failures, cancels them.

Slots start coroutines here instead of awaiting them, so the GUI thread returns to Qt at once.
The loop is passed in (the app's qasync loop), so slots may be called while it is not running.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from typing import Any

from ..errors import LumaError

__all__ = ["TaskSet", "human_message"]

log = logging.getLogger(__name__)


def human_message(error: BaseException) -> str:
    """What to tell the user about ``error`` (Luma's own messages are written for people)."""
    if isinstance(error, LumaError):
        return error.message
    return "Something went wrong on Luma's side; the details are in the log file."


class TaskSet:
    """Tasks started by one view-model."""

    def __init__(
        self,
        loop: asyncio.AbstractEventLoop,
        on_error: Callable[[BaseException], None] | None = None,
    ) -> None:
        self.loop = loop
        self._on_error = on_error
        self._tasks: set[asyncio.Task[Any]] = set()

    def __len__(self) -> int:
        return len(self._tasks)

    def spawn(self, work: Coroutine[Any, Any, Any], name: str) -> asyncio.Task[Any]:
        """Run ``work`` in the background; a failure is logged and handed to ``on_error``."""
        task = self.loop.create_task(work, name=name)
        self._tasks.add(task)
        task.add_done_callback(self._finished)
        return task

    def _finished(self, task: asyncio.Task[Any]) -> None:
        self._tasks.discard(task)
        if task.cancelled():
            return
        error = task.exception()
        if error is None:
            return
        if isinstance(error, LumaError):
            log.warning("%s failed: %s", task.get_name(), error)
        else:
            log.error("%s failed", task.get_name(), exc_info=error)
        if self._on_error is not None:
            self._on_error(error)

    async def wait(self) -> None:
        """Until every task (including ones started meanwhile) has finished."""
        while self._tasks:
            await asyncio.wait(set(self._tasks))

    async def cancel(self) -> None:
        """Cancel every task and wait for them to end."""
        tasks = set(self._tasks)
        for task in tasks:
            task.cancel()
        if tasks:
            await asyncio.wait(tasks)
