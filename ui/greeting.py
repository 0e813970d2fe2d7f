"""The proactive greeting (exposed to QML as ``greeter``): today's briefing from real data.

The facts come from :func:`luma_desktop.assistant.briefing.build_briefing`, read in a worker
thread; the window shows ``salutation`` and ``highlights`` above a new conversation. ``refresh``
reads them again (the app calls it when the window is shown after a while).
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import TYPE_CHECKING

from PySide6.QtCore import Property, QObject, Signal, Slot

from ._tasks import TaskSet

if TYPE_CHECKING:
    from ..assistant.briefing import Briefing
    from ..assistant.context import ExecutionContext
    from ..workspace.database import Workspace

__all__ = ["Greeter"]

log = logging.getLogger(__name__)

STALE_AFTER_S = 300.0
"""``refresh_if_stale`` reads the briefing again once it is this old."""


class Greeter(QObject):
    """Today's briefing for the signed-in user."""

    changed = Signal()
    loadingChanged = Signal()

    def __init__(self, loop: asyncio.AbstractEventLoop, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._tasks = TaskSet(loop)
        self._source: tuple[Workspace, ExecutionContext] | None = None
        self._briefing: Briefing | None = None
        self._loaded_at = 0.0
        self._loading = False

    def attach(self, workspace: Workspace, context: ExecutionContext) -> None:
        """Read briefings from this workspace for this user (starts the first read)."""
        self._source = (workspace, context)
        self.refresh()

    @property
    def briefing(self) -> Briefing | None:
        return self._briefing

    @Slot()
    def refresh(self) -> None:
        """Read the briefing again in the background."""
        if self._source is not None and not self._loading:
            self._set_loading(True)
            self._tasks.spawn(self.load(), "greeting")

    @Slot()
    def refresh_if_stale(self) -> None:
        if time.monotonic() - self._loaded_at > STALE_AFTER_S:
            self.refresh()

    async def load(self) -> Briefing | None:
        """Read the briefing now (in a worker thread)."""
        if self._source is None:
            return None
        workspace, context = self._source
        try:
            briefing = await asyncio.to_thread(_read, workspace, context)
        except Exception:
            log.exception("could not read today's briefing")
            return None
        finally:
            self._set_loading(False)
        self._briefing = briefing
        self._loaded_at = time.monotonic()
        self.changed.emit()
        return briefing

    async def idle(self) -> None:
        await self._tasks.wait()

    async def aclose(self) -> None:
        await self._tasks.cancel()

    def _set_loading(self, value: bool) -> None:
        if value != self._loading:
            self._loading = value
            self.loadingChanged.emit()

    def _get_salutation(self) -> str:
        return self._briefing.salutation() if self._briefing else ""

    def _get_highlights(self) -> list[str]:
        return self._briefing.highlights() if self._briefing else []

    def _get_text(self) -> str:
        return self._briefing.text() if self._briefing else ""

    def _get_loading(self) -> bool:
        return self._loading

    def _get_ready(self) -> bool:
        return self._briefing is not None

    salutation = Property(str, _get_salutation, notify=changed)
    highlights = Property(list, _get_highlights, notify=changed)
    text = Property(str, _get_text, notify=changed)
    ready = Property(bool, _get_ready, notify=changed)
    loading = Property(bool, _get_loading, notify=loadingChanged)


def _read(workspace: Workspace, context: ExecutionContext) -> Briefing:
    from ..assistant.briefing import build_briefing
    from ..workspace.services import Services

    services = Services(workspace, context.service_context())
    return build_briefing(services, context.user_name)
