"""The desktop app shell: Qt and asyncio on one loop, the window first, the assistant after.

``run_app`` starts a ``QApplication`` with a qasync event loop shared by Qt and the assistant,
makes sure only one Luma runs per user (a second one shows the first one's window), loads the
chat window and shows it, then opens the workspace and builds the assistant in a worker thread.
Other parts plug in through :class:`DesktopApp`: ``expose`` (objects for QML), ``on_window``,
``on_ready`` and ``on_shutdown`` hooks, ``services.extras``; modules listed in
:data:`EXTENSIONS` get ``install(app)`` called before the window loads (see ``ui/README.md``).
"""

from __future__ import annotations

import asyncio
import gc
import importlib
import inspect
import logging
import os
import signal
import sys
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Property, QObject, QTimer, QUrl, Signal, Slot
from PySide6.QtQml import QQmlApplicationEngine, QQmlComponent, QQmlError
from PySide6.QtQuick import QQuickWindow
from PySide6.QtQuickControls2 import QQuickStyle
from PySide6.QtWidgets import QApplication

from ..paths import AppPaths, resolve_paths
from ._tasks import human_message
from .cards import follow_progress
from .chat_controller import ChatController
from .context_bar import ContextBar
from .conversations_model import ConversationsModel
from .greeting import Greeter
from .mic import MicState
from .single_instance import SingleInstance, instance_name
from .window_state import WindowState

if TYPE_CHECKING:
    from ..assistant.orchestrator import Assistant
    from ..bootstrap import Runtime
    from ..memory import Memory
    from ..workspace.database import Workspace

__all__ = [
    "EXTENSIONS",
    "QML_DIR",
    "AppServices",
    "DesktopApp",
    "Hook",
    "Opened",
    "open_assistant",
    "run_app",
    "tune_interpreter",
    "warm_up",
]

log = logging.getLogger(__name__)

QML_DIR = Path(__file__).resolve().parent / "qml"

EXTENSIONS: tuple[str, ...] = (
    "luma_desktop.ui.voice_bridge",
    "luma_desktop.ui.tray",
    "luma_desktop.ui.hotkey",
    "luma_desktop.ui.reminders",
    "luma_desktop.ui.settings_window",
)
"""Modules whose ``install(app: DesktopApp) -> None`` runs before the window loads (the tray,
the global hotkey, settings and onboarding add themselves here)."""

Hook = Callable[["DesktopApp"], Awaitable[None] | None]


GIL_SWITCH_INTERVAL_S = 0.001
"""How long a busy worker thread may keep the GIL when the GUI thread wants it (Python's
default is 5 ms; each Qt call from Python can wait that long while the database or a model
runs in a worker, and a frame makes many)."""


@dataclass(frozen=True, slots=True)
class Opened:
    """What the background start-up produced."""

    workspace: Workspace
    assistant: Assistant
    runtime: Runtime | None = None
    memory: Memory | None = None


@dataclass
class AppServices:
    """Everything the running app has loaded; parts add their own objects to ``extras``."""

    paths: AppPaths
    runtime: Runtime | None = None
    workspace: Workspace | None = None
    assistant: Assistant | None = None
    memory: Memory | None = None
    """Long-term memory (its model loads in the background; ``None`` when it is off)."""
    extras: dict[str, Any] = field(default_factory=dict)


def open_assistant(paths: AppPaths) -> Opened:
    """Settings, logging, the workspace (migrated; the demo on first run), long-term memory
    (its model loading in the background) and the assistant. Blocking: the app runs it in a
    worker thread."""
    from ..assistant.factory import build_assistant
    from ..bootstrap import open_workspace, start, start_memory
    from ..tools import default_registry

    runtime = start(log_to_stderr=False)
    workspace = open_workspace(runtime)
    memory = start_memory(runtime)
    try:
        assistant = build_assistant(
            workspace, default_registry(), runtime.settings, clock=runtime.clock, memory=memory
        )
    except BaseException:
        if memory is not None:
            memory.close()
        workspace.dispose()
        raise
    return Opened(workspace, assistant, runtime, memory)


def warm_up(assistant: Assistant) -> None:
    """Build what the assistant would otherwise build on the event loop at its first turns
    (each tool's JSON schema), so no turn stalls the window. Blocking: call in a thread.

    The app then calls ``gc.freeze()``: the objects loaded at start-up (catalog, templates,
    models) stay for the whole run, and without freezing them every full garbage collection
    walks them all — about 0.7 s during which the window cannot paint."""
    for tool in assistant.registry:
        tool.definition()


class DesktopApp(QObject):
    """The running app: its window, view-models, services and hooks (QML sees it as ``shell``)."""

    readyChanged = Signal()

    def __init__(
        self,
        qt_app: QApplication,
        loop: asyncio.AbstractEventLoop,
        paths: AppPaths,
        *,
        instance: SingleInstance | None = None,
        opener: Callable[[AppPaths], Opened] = open_assistant,
    ) -> None:
        super().__init__()
        self.qt_app = qt_app
        self.loop = loop
        self.services = AppServices(paths)
        self.instance = instance
        self.opener = opener
        self.window_state = WindowState(paths.config / "window.json", self)
        self.chat = ChatController(loop, parent=self)
        follow_progress(self.chat)
        self.conversations = ConversationsModel(loop, self)
        self.context_bar = ContextBar(self)
        self.greeter = Greeter(loop, self)
        self.mic = MicState(self)
        self.on_window: list[Hook] = []
        """Called once the window is loaded (before the assistant is ready)."""
        self.on_ready: list[Hook] = []
        """Called once the workspace is open and the assistant built."""
        self.on_shutdown: list[Hook] = []
        """Called first when the app quits (stop your threads here)."""
        self.keep_running_hidden = False
        """When true (a tray icon exists), closing the window hides it instead of quitting."""
        self.qml_warnings: list[str] = []
        self.window: QQuickWindow | None = None
        self.engine: QQmlApplicationEngine | None = None
        self._objects: dict[str, QObject] = {
            "shell": self,
            "chat": self.chat,
            "conversations": self.conversations,
            "contextBar": self.context_bar,
            "greeter": self.greeter,
            "windowState": self.window_state,
            "mic": self.mic,
        }
        self._quit = asyncio.Event()
        self._startup: asyncio.Task[None] | None = None
        self._components: list[QQmlComponent] = []
        self._wire()

    def _wire(self) -> None:
        chat, conversations = self.chat, self.conversations
        conversations.openRequested.connect(chat.openConversation)
        conversations.removed.connect(self._conversation_removed)
        conversations.noticeRaised.connect(chat.noticeRaised)
        chat.turnFinished.connect(lambda _: conversations.refresh())
        chat.turnFinished.connect(lambda _: self.context_bar.refresh())
        chat.conversationOpened.connect(lambda _: self.context_bar.refresh())
        chat.conversationIdChanged.connect(
            lambda: conversations.set_current_id(chat.conversation_id or -1)
        )
        if self.instance is not None:
            self.instance.messageReceived.connect(self._instance_message)

    # -- the window ----------------------------------------------------------------------------

    def expose(self, name: str, obj: QObject) -> None:
        """Make ``obj`` visible to QML as ``name`` (call before :meth:`load_window`)."""
        if name in self._objects:
            raise ValueError(f"{name!r} is already exposed to QML")
        if self.engine is not None:
            raise RuntimeError("expose objects before the window loads")
        self._objects[name] = obj

    def load_window(self) -> QQuickWindow:
        """Load the chat window (hidden) and place it where it was last time."""
        if QQuickStyle.name() != "Basic":
            QQuickStyle.setStyle("Basic")
        engine = self.engine = QQmlApplicationEngine()
        engine.warnings.connect(self._qml_warnings)
        for name, obj in self._objects.items():
            engine.rootContext().setContextProperty(name, obj)
        engine.load(QUrl.fromLocalFile(str(QML_DIR / "ChatWindow.qml")))
        roots = engine.rootObjects()
        if not roots or not isinstance(roots[0], QQuickWindow):
            problems = "; ".join(self.qml_warnings) or "no window was created"
            raise RuntimeError(f"the chat window did not load: {problems}")
        window = self.window = roots[0]
        self.window_state.place(window)
        QTimer.singleShot(0, self._precompile)
        return window

    def _precompile(self) -> None:
        """Compile the message and card components now, not at the first message."""
        engine = self.engine
        if engine is None:
            return
        files = [QML_DIR / "MessageBubble.qml", *sorted((QML_DIR / "cards").glob("*.qml"))]
        self._components = [QQmlComponent(engine, QUrl.fromLocalFile(str(f))) for f in files]

    def _qml_warnings(self, errors: Sequence[QQmlError]) -> None:
        for error in errors:
            self.qml_warnings.append(error.toString())
            log.warning("QML: %s", error.toString())

    @Slot()
    def showWindow(self) -> None:
        """Show, raise and focus the window (a second ``luma``, the tray, the hotkey)."""
        window = self.window
        if window is None:
            return
        window.show()
        window.raise_()
        window.requestActivate()
        self.greeter.refresh_if_stale()

    @Slot()
    def hideWindow(self) -> None:
        if self.window is not None:
            self.window.hide()

    @Slot()
    def toggleWindow(self) -> None:
        if self.window is not None and self.window.isVisible():
            self.hideWindow()
        else:
            self.showWindow()

    @Slot()
    def closeWindow(self) -> None:
        """The window's close button: hide when a tray keeps Luma reachable, else quit."""
        if self.keep_running_hidden:
            self.hideWindow()
        else:
            self.quit()

    @Slot()
    def quit(self) -> None:
        """Shut down cleanly (the assistant, threads, the database), then exit."""
        self._quit.set()

    def _instance_message(self, message: str) -> None:
        if message == "show":
            self.showWindow()

    def _conversation_removed(self, conversation_id: int) -> None:
        if conversation_id == self.chat.conversation_id:
            self.chat.newConversation()

    def _get_ready(self) -> bool:
        return self.services.assistant is not None

    ready = Property(bool, _get_ready, notify=readyChanged)

    # -- running -------------------------------------------------------------------------------

    async def run(self) -> int:
        """Start the services in the background and run until :meth:`quit`."""
        for hook in self.on_window:
            await _call(hook, self)
        self._startup = self.loop.create_task(self.start_services(), name="start Luma")
        await self._quit.wait()
        await self.shutdown()
        return 0

    async def start_services(self) -> None:
        """Open the workspace and build the assistant in a thread, then hand them out."""
        try:
            opened = await asyncio.to_thread(self._open)
        except Exception as error:
            log.error("Luma could not start", exc_info=error)
            self.chat.show_problem(human_message(error))
            return
        services = self.services
        services.runtime, services.workspace = opened.runtime, opened.workspace
        services.memory = opened.memory
        services.assistant = assistant = opened.assistant
        self.chat.attach(assistant)
        self.conversations.attach(assistant.conversations, lambda: assistant.context)
        self.context_bar.attach(assistant.working)
        self.greeter.attach(opened.workspace, assistant.context)
        self.readyChanged.emit()
        _report("LUMA_READY")
        for hook in self.on_ready:
            try:
                await _call(hook, self)
            except Exception:
                log.exception("a start-up hook failed")

    def _open(self) -> Opened:
        opened = self.opener(self.services.paths)
        warm_up(opened.assistant)
        gc.freeze()  # see warm_up
        return opened

    async def shutdown(self) -> None:
        """Hooks, then the view-models' tasks, the assistant and the database."""
        for hook in self.on_shutdown:
            try:
                await _call(hook, self)
            except Exception:
                log.exception("a shutdown hook failed")
        if self._startup is not None and not self._startup.done():
            await asyncio.wait({self._startup})
        self.window_state.save()
        for part in (self.chat, self.conversations, self.greeter):
            await part.aclose()
        assistant, workspace = self.services.assistant, self.services.workspace
        if assistant is not None:
            await assistant.aclose()
        if self.services.memory is not None:
            await asyncio.to_thread(self.services.memory.close)
        if workspace is not None:
            await asyncio.to_thread(workspace.dispose)
        if self.instance is not None:
            self.instance.close()
        if self.window is not None:
            self.window.hide()
        self._components.clear()
        if self.engine is not None:
            self.engine.deleteLater()
            self.engine = self.window = None


async def _call(hook: Hook, app: DesktopApp) -> None:
    result = hook(app)
    if inspect.isawaitable(result):
        await result


def _report(label: str) -> None:
    """Print ``label`` and the wall-clock time when ``LUMA_REPORT_SHOWN`` is set (benchmarks)."""
    if os.environ.get("LUMA_REPORT_SHOWN"):
        print(f"{label} {time.time():.6f}", flush=True)


def _report_first_frame(window: QQuickWindow) -> None:
    if not os.environ.get("LUMA_REPORT_SHOWN"):
        return

    def shown() -> None:
        window.frameSwapped.disconnect(shown)
        _report("LUMA_SHOWN")

    window.frameSwapped.connect(shown)


def install_extensions(app: DesktopApp, names: Sequence[str] = EXTENSIONS) -> None:
    """Call ``install(app)`` of each module; one that fails is logged and left out."""
    for name in names:
        try:
            importlib.import_module(name).install(app)
        except Exception:
            log.exception("could not load the %s extension", name)


def tune_interpreter() -> None:
    """Interpreter settings for a responsive window (see :data:`GIL_SWITCH_INTERVAL_S`)."""
    sys.setswitchinterval(GIL_SWITCH_INTERVAL_S)


def run_app(argv: Sequence[str] | None = None) -> int:
    """Run the desktop app until it quits; returns the exit code (0 when another Luma was
    already running and was asked to show itself)."""
    import qasync

    tune_interpreter()
    arguments = list(sys.argv if argv is None else argv) or ["luma"]
    qt_app = QApplication.instance() or QApplication(arguments)
    assert isinstance(qt_app, QApplication)
    qt_app.setApplicationName("Luma")
    qt_app.setOrganizationName("Luma")
    qt_app.setQuitOnLastWindowClosed(False)
    paths = resolve_paths()
    instance = SingleInstance(instance_name(paths.config))
    if not instance.claim():
        if instance.notify("show"):
            return 0
        print("Luma is already running but did not answer; try again.", file=sys.stderr)
        return 1
    loop = qasync.QEventLoop(qt_app)
    asyncio.set_event_loop(loop)
    app = DesktopApp(qt_app, loop, paths, instance=instance)
    install_extensions(app)
    window = app.load_window()
    _report_first_frame(window)
    app.showWindow()
    _quit_on_signals(app)
    try:
        with loop:
            return int(loop.run_until_complete(app.run()))
    finally:
        asyncio.set_event_loop(None)


def _quit_on_signals(app: DesktopApp) -> None:
    """Ctrl+C and SIGTERM quit cleanly (a timer lets Python see signals while Qt waits)."""
    for number in (signal.SIGINT, signal.SIGTERM):
        signal.signal(number, lambda *_: app.loop.call_soon_threadsafe(app.quit))
    ticker = QTimer(app, interval=250)
    ticker.timeout.connect(lambda: None)
    ticker.start()
