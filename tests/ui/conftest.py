"""Fixtures for the desktop app: Qt offscreen, the shared qasync loop, the app on demo data.

Qt runs offscreen with the software renderer (grabbing frames works without a display);
``LUMA_TEST_QT_PLATFORM`` picks another platform (e.g. ``xcb`` under Xvfb for the tray tests).
"""

from __future__ import annotations

import os

os.environ["QT_QPA_PLATFORM"] = os.environ.get("LUMA_TEST_QT_PLATFORM", "offscreen")
os.environ.setdefault("QT_QUICK_BACKEND", "software")

import asyncio
from collections.abc import AsyncIterator, Callable, Coroutine, Iterator, Sequence
from pathlib import Path
from typing import Any, TypeVar

import pytest

from luma_desktop.assistant.brains.base import (
    Brain,
    BrainEvent,
    BrainRequest,
    TextChunk,
)
from luma_desktop.assistant.catalog import ToolRegistry
from luma_desktop.assistant.context import execution_context_for
from luma_desktop.assistant.factory import build_assistant
from luma_desktop.assistant.orchestrator import Assistant, AssistantOptions
from luma_desktop.clock import FixedClock
from luma_desktop.paths import resolve_paths
from luma_desktop.settings import LumaSettings
from luma_desktop.tools import build_registry
from luma_desktop.workspace.database import Workspace

T = TypeVar("T")

TIMEOUT_S = 60.0


@pytest.fixture(scope="session")
def registry() -> ToolRegistry:
    return build_registry()


@pytest.fixture
def qt_loop(qapp: Any) -> Iterator[asyncio.AbstractEventLoop]:
    """The qasync loop Qt and asyncio share, as in the app (one per test)."""
    import qasync

    loop = qasync.QEventLoop(qapp)
    asyncio.set_event_loop(loop)
    yield loop
    loop.close()
    asyncio.set_event_loop(None)


@pytest.fixture
def run(qt_loop: asyncio.AbstractEventLoop) -> Callable[[Coroutine[Any, Any, T]], T]:
    """Run a coroutine on the shared loop (Qt paints and handles events meanwhile)."""

    def run_(work: Coroutine[Any, Any, T], timeout: float = TIMEOUT_S) -> T:
        return qt_loop.run_until_complete(asyncio.wait_for(work, timeout))

    return run_


class PacedBrain(Brain):
    """Streams its chunks with a pause between them, like a model over the network."""

    name = "paced"
    model = "paced"

    def __init__(self, chunks: Sequence[str], pause_s: float = 0.02) -> None:
        self.chunks = list(chunks)
        self.pause_s = pause_s

    async def _respond(self, request: BrainRequest) -> AsyncIterator[BrainEvent]:
        for chunk in self.chunks:
            await asyncio.sleep(self.pause_s)
            yield TextChunk(chunk)


def make_assistant(
    workspace: Workspace, registry: ToolRegistry, clock: FixedClock, brain: Brain | None
) -> Assistant:
    """An owner's assistant on the demo business: ``brain``, or the real offline brain."""
    if brain is None:
        return build_assistant(workspace, registry, LumaSettings(), clock=clock)
    context = execution_context_for(workspace, business="demo-salon", clock=clock)
    return Assistant(
        workspace=workspace,
        registry=registry,
        context=context,
        brain=brain,
        options=AssistantOptions(business_name="Luma Hair"),
    )


@pytest.fixture
def make_app(
    qt_loop: asyncio.AbstractEventLoop,
    run: Callable[..., Any],
    demo_workspace: Workspace,
    registry: ToolRegistry,
    clock: FixedClock,
) -> Iterator[Callable[..., Any]]:
    """The desktop app on the demo business, its window shown and its assistant ready."""
    from PySide6.QtWidgets import QApplication

    from luma_desktop.ui.app import DesktopApp, Opened

    qapp = QApplication.instance()
    assert isinstance(qapp, QApplication)
    apps: list[DesktopApp] = []

    def make(brain: Brain | None = None, *, ready: bool = True) -> DesktopApp:
        assistant = make_assistant(demo_workspace, registry, clock, brain)
        app = DesktopApp(
            qapp,
            qt_loop,
            resolve_paths(),
            opener=lambda _paths: Opened(demo_workspace, assistant),
        )
        apps.append(app)
        app.load_window()
        app.showWindow()
        if ready:
            run(app.start_services())
            run(app.greeter.idle())
            run(app.conversations.idle())
        return app

    yield make
    for app in apps:
        run(app.shutdown())
        assert app.qml_warnings == [], app.qml_warnings
    qapp.processEvents()


def screenshots_dir(tmp_path: Path) -> Path:
    """Where tests write screenshots: ``$LUMA_SCREENSHOTS`` or the test's temporary folder."""
    folder = Path(os.environ.get("LUMA_SCREENSHOTS") or tmp_path / "screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder
