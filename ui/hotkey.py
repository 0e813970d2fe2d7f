"""The global hotkey (pynput): tap it to show or hide Luma, hold it to talk — from any app.

One combination (:func:`hotkey_setting`: the key ``hotkey`` of the preferences file the
settings window writes, default :data:`DEFAULT_HOTKEY`) does both: released within
:data:`HOLD_MS` it is a tap (show/hide); held longer it is push-to-talk. In ``hold`` mode
(``push_to_talk_mode``) listening ends when it comes up; in ``toggle`` mode it ends at a pause
or at the next tap. Listening goes to ``app.services.extras["push_to_talk"]`` (a
``VoicePipeline``) when set, else to ``app.mic`` (whose signals the voice code follows).

pynput listens on its own thread (:mod:`._key_watcher`), which reports through Qt signals only.
A combination another app holds is reported as a conflict; on Wayland, where global shortcuts
are impossible, Luma says so once and offers the window's Ctrl+K and the tray instead.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, Protocol

from PySide6.QtCore import Property, QObject, QSettings, Qt, QTimer, Signal, Slot

from ..errors import ConfigurationError
from ._key_watcher import KeySignals, KeyWatcher
from ._keys import Combo, parse_combo
from ._notices import app_settings, post_notice
from .preferences import DEFAULT_HOTKEY, open_preferences

if TYPE_CHECKING:
    from .app import DesktopApp

__all__ = [
    "DEFAULT_HOTKEY",
    "HOLD_MS",
    "HOTKEY_KEY",
    "GlobalHotkey",
    "PushToTalk",
    "hotkey_setting",
    "install",
    "is_listening",
    "push_to_talk_for",
    "toggle_talk",
    "wayland_session",
]

log = logging.getLogger(__name__)

HOTKEY_KEY = "hotkey"
"""The preferences key of the combination (the settings window writes it, as Qt's portable
text: "Ctrl+Alt+Space"; both spellings parse)."""
HOLD_MS = 300
"""A press held longer than this is push-to-talk; a shorter one shows or hides the window."""


def hotkey_setting(settings: QSettings | None = None) -> str:
    """The combination the user chose (preferences key ``hotkey``), or :data:`DEFAULT_HOTKEY`."""
    value = (settings or open_preferences()).value(HOTKEY_KEY, DEFAULT_HOTKEY)
    return str(value).strip() or DEFAULT_HOTKEY


def wayland_session(environ: Mapping[str, str] | None = None) -> bool:
    """Whether this is a Wayland session (global key grabs are impossible there), unless the
    session says it is X11."""
    env = os.environ if environ is None else environ
    session = env.get("XDG_SESSION_TYPE", "").lower()
    return session == "wayland" or (bool(env.get("WAYLAND_DISPLAY")) and session != "x11")


# -- push-to-talk targets ------------------------------------------------------------------------


class PushToTalk(Protocol):
    """What listening is started and ended on: a ``VoicePipeline``, ``MicState`` or a fake."""

    def press(self) -> None: ...
    def release(self) -> None: ...


def push_to_talk_for(app: DesktopApp) -> PushToTalk:
    """The pipeline the voice code put in ``app.services.extras["push_to_talk"]``, else the
    composer's mic state."""
    target = app.services.extras.get("push_to_talk")
    return target if target is not None else app.mic


def is_listening(target: object) -> bool:
    """Whether ``target`` is recording now (a pipeline's ``state``, a mic's ``listening``)."""
    if str(getattr(target, "state", "")) == "listening":
        return True
    return bool(getattr(target, "listening", False))


def unavailable_reason(target: object) -> str:
    """Why ``target`` cannot listen now (empty when it can)."""
    if getattr(target, "available", True) is False:
        reason = getattr(target, "unavailableReason", "") or "Voice input is not available."
        return str(reason)
    return ""


def toggle_talk(target: PushToTalk) -> None:
    """Start listening, or end the request being recorded (the tray's Push to talk)."""
    toggle = getattr(target, "toggle", None)
    if callable(toggle):
        toggle()
    elif is_listening(target):
        target.release()
    else:
        target.press()


# -- the controller ------------------------------------------------------------------------------


class GlobalHotkey(QObject):
    """Runs the key watcher and turns its reports into show/hide and push-to-talk (exposed to
    QML as ``hotkey``: ``label``, ``status``, ``problem``, ``rebind(text)``)."""

    statusChanged = Signal()

    def __init__(
        self,
        app: DesktopApp,
        *,
        settings: QSettings | None = None,
        target: Callable[[], PushToTalk] | None = None,
        mode: Callable[[], str] | None = None,
        environ: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(app)
        self.app = app
        self._settings = settings or app_settings(app)
        self._target = target or (lambda: push_to_talk_for(app))
        self._mode = mode or (lambda: _push_to_talk_mode(app))
        self._environ = environ
        self.signals = self._new_signals()
        """The current watcher's reports (delivered here, on the GUI thread)."""
        self._hold = QTimer(self, singleShot=True, interval=HOLD_MS)
        self._hold.timeout.connect(self._held)
        self._watcher: KeyWatcher | None = None
        self._holding = False
        self._status = "off"
        self._problem = ""
        self.combo: Combo | None = None

    def _new_signals(self) -> KeySignals:
        signals = KeySignals(self)
        queued = Qt.ConnectionType.QueuedConnection
        signals.down.connect(self._down, queued)
        signals.up.connect(self._up, queued)
        signals.started.connect(self._started, queued)
        signals.failed.connect(self._failed, queued)
        return signals

    def _current(self) -> bool:
        """Whether the report being handled comes from the current watcher (a stopped one
        may still have reports on their way)."""
        return self.sender() is self.signals

    # -- properties ---------------------------------------------------------------------------

    def _get_status(self) -> str:
        return self._status

    def _get_problem(self) -> str:
        return self._problem

    def _get_label(self) -> str:
        return self.combo.label if self.combo is not None else ""

    status = Property(str, _get_status, notify=statusChanged)
    """``off``, ``starting``, ``active``, ``conflict``, ``unavailable``, ``invalid`` or
    ``wayland``."""
    problem = Property(str, _get_problem, notify=statusChanged)
    label = Property(str, _get_label, notify=statusChanged)

    # -- starting and stopping ----------------------------------------------------------------

    def start(self) -> None:
        """Read the combination from the settings and start watching for it."""
        self.stop()
        try:
            self.combo = parse_combo(hotkey_setting(self._settings))
        except ConfigurationError as error:
            self.combo = parse_combo(DEFAULT_HOTKEY)
            self._set_status("invalid", error.message)
            post_notice(self.app, "hotkey-invalid", error.message)
            return
        if wayland_session(self._environ):
            self._set_status("wayland", _wayland_message(self.combo))
            post_notice(self.app, "hotkey-wayland", self._problem, once=True)
            return
        self._set_status("starting")
        self.signals = self._new_signals()
        self._watcher = KeyWatcher(self.combo, self.signals)
        self._watcher.start()

    def stop(self) -> None:
        """Stop watching (the thread ends; a hold in progress ends listening)."""
        watcher, self._watcher = self._watcher, None
        if watcher is not None:
            watcher.signals.blockSignals(True)
            watcher.stop()
            watcher.signals.deleteLater()
        self._hold.stop()
        if self._holding:
            self._holding = False
            self._target().release()
        if self._status in ("starting", "active"):
            self._set_status("off")

    @Slot(str, result=str)
    def rebind(self, text: str) -> str:
        """Use and save another combination; returns what is wrong with it ("" when fine)."""
        try:
            combo = parse_combo(text)
        except ConfigurationError as error:
            return error.message
        self._settings.setValue(HOTKEY_KEY, combo.qt_text)
        self._settings.sync()
        self.start()
        return ""

    # -- the watcher's reports (GUI thread) ------------------------------------------------------

    @Slot()
    def _started(self) -> None:
        if self._current():
            self._set_status("active")

    @Slot(str, str)
    def _failed(self, kind: str, reason: str) -> None:
        if not self._current():
            return
        label = self.combo.label if self.combo else "The hotkey"
        if kind == "conflict":
            message = (
                f"{reason}, so Luma's global hotkey is off. Choose another key combination in "
                "Settings (hotkey); the tray icon and the window work meanwhile."
            )
        else:
            message = (
                f"The global hotkey {label} could not start ({reason}). Use the tray icon, or "
                "the window's Ctrl+K to type."
            )
        self._watcher = None
        self._set_status(kind, message)
        post_notice(self.app, f"hotkey-{kind}", message)

    @Slot()
    def _down(self) -> None:
        if not self._current() or self._holding:
            return
        target = self._target()
        if self._mode() == "toggle" and is_listening(target):
            target.release()  # a press while listening ends the request
            self._holding = True  # swallow its release
            return
        self._hold.start()

    @Slot()
    def _held(self) -> None:
        target = self._target()
        reason = unavailable_reason(target)
        if reason:
            self.app.chat.noticeRaised.emit(f"Push-to-talk: {reason}")
            return
        self._holding = True
        target.press()

    @Slot()
    def _up(self) -> None:
        if not self._current():
            return
        if self._hold.isActive():
            self._hold.stop()
            self.app.toggleWindow()
            return
        if not self._holding:
            return
        self._holding = False
        if self._mode() != "toggle":  # toggle mode: a pause or the next press ends it
            self._target().release()

    def _set_status(self, status: str, problem: str = "") -> None:
        if (status, problem) != (self._status, self._problem):
            self._status, self._problem = status, problem
            if problem:
                log.warning("global hotkey: %s", problem)
            self.statusChanged.emit()


def _wayland_message(combo: Combo) -> str:
    return (
        f"This desktop runs Wayland, where apps cannot have global shortcuts, so {combo.label} "
        "does nothing outside Luma. Use the tray icon (Open Luma, Push to talk), or press "
        "Ctrl+K in Luma's window to type."
    )


def _push_to_talk_mode(app: DesktopApp) -> str:
    runtime = app.services.runtime
    return runtime.settings.push_to_talk_mode if runtime is not None else "hold"


def _instance_message(app: DesktopApp, message: str) -> None:
    """Lines a second ``luma`` sends: ``ptt`` toggles listening, ``toggle`` shows/hides."""
    if message == "ptt":
        toggle_talk(push_to_talk_for(app))
    elif message == "toggle":
        app.toggleWindow()


def install(app: DesktopApp, **options: Any) -> GlobalHotkey:
    """Create the hotkey (QML: ``hotkey``), start it once the window is loaded, stop it at
    shutdown. ``options`` go to :class:`GlobalHotkey` (tests)."""
    hotkey = GlobalHotkey(app, **options)
    app.services.extras["hotkey"] = hotkey
    if app.engine is None:
        app.expose("hotkey", hotkey)
    app.on_window.append(lambda _app: hotkey.start())
    app.on_shutdown.append(lambda _app: hotkey.stop())
    if app.instance is not None:
        app.instance.messageReceived.connect(lambda line: _instance_message(app, line))
    return hotkey
