"""The system tray icon: Luma's state at a glance and a menu that works from anywhere.

The icon shows ``idle``, ``listening``, ``thinking``, ``speaking`` or ``attention`` (a reminder
is due, or Luma waits for an answer). The menu: Open Luma, Push to talk, the quick actions
(sent through the chat like typed requests), Do not disturb (persisted), Settings, Quit; due
reminders add their own entries at the top (:meth:`Tray.set_alerts`). Without a tray host
(``QSystemTrayIcon.isSystemTrayAvailable()`` false) Luma runs window-only — closing the window
quits — says so once in the chat, and docks the icon if a tray appears later.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Property, QMetaObject, QObject, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QSystemTrayIcon

from ._notices import post_notice
from ._tray_icons import TRAY_STATES, tray_icon
from .context_bar import QuickAction, quick_actions
from .dnd import DoNotDisturb, dnd_for
from .hotkey import is_listening, push_to_talk_for, toggle_talk

if TYPE_CHECKING:
    from .app import DesktopApp

__all__ = ["MESSAGE_MS", "TRAY_STATES", "Tray", "TrayAlert", "TrayMessage", "install"]

log = logging.getLogger(__name__)

MESSAGE_MS = 10_000
"""How long a tray message stays up."""
_RECHECK_MS = 10_000
_NO_TRAY = (
    "Luma can't show a tray icon here: this desktop has no system tray running. Luma runs in "
    "this window only, so closing it quits Luma; start Luma again (or use the hotkey) to bring "
    "it back."
)


@dataclass(frozen=True, slots=True)
class TrayAlert:
    """Something waiting for the user, shown at the top of the menu with its actions."""

    title: str
    actions: Sequence[tuple[str, Callable[[], None]]]


@dataclass(frozen=True, slots=True)
class TrayMessage:
    """A message the tray was asked to show (``shown``: it popped up)."""

    title: str
    text: str
    shown: bool


class Tray(QObject):
    """The tray icon and its menu for one app (``app.services.extras["tray"]``)."""

    stateChanged = Signal()
    availableChanged = Signal()
    _voiceState = Signal(str)

    def __init__(self, app: DesktopApp, dnd: DoNotDisturb) -> None:
        super().__init__(app)
        self.app = app
        self.dnd = dnd
        self.open_settings: Callable[[], None] | None = None
        """What Settings opens, when the settings window registers it this way."""
        self.messages: list[TrayMessage] = []
        """Every message asked for, oldest first (the last 50)."""
        self._voice = "idle"
        self._state = "idle"
        self._alerts: list[TrayAlert] = []
        self._alert_menus: list[QMenu] = []
        self._on_click: Callable[[], None] | None = None
        self.icon = QSystemTrayIcon(tray_icon("idle"), self)
        self.icon.setToolTip("Luma")
        self.menu = QMenu()
        self.actions: dict[str, QAction] = {}
        self._build_menu()
        self.icon.setContextMenu(self.menu)
        self.icon.activated.connect(self._activated)
        self.icon.messageClicked.connect(self._message_clicked)
        self._voiceState.connect(self.set_voice_state, Qt.ConnectionType.QueuedConnection)
        self._recheck = QTimer(self, interval=_RECHECK_MS)
        self._recheck.timeout.connect(self._check_host)
        self._available = False
        self._follow(app)

    # -- the menu ------------------------------------------------------------------------------

    def _build_menu(self) -> None:
        menu = self.menu
        self._alert_anchor = menu.addSeparator()
        self._alert_anchor.setVisible(False)
        self._add("open", "Open Luma", self.app.showWindow)
        self._add("push_to_talk", "Push to talk", self.push_to_talk)
        menu.addSeparator()
        for index, action in enumerate(quick_actions(None)):
            self._add(f"quick{index}", action.label, lambda a=action: self.quick_action(a))
        menu.addSeparator()
        dnd = self._add("dnd", "Do not disturb", self.dnd.set_enabled, checkable=True)
        dnd.setChecked(self.dnd.is_on())
        self.dnd.changed.connect(lambda: dnd.setChecked(self.dnd.is_on()))
        self.dnd.changed.connect(self.refresh)
        self._add("settings", "Settings…", self._settings)
        menu.addSeparator()
        self._add("quit", "Quit Luma", self.app.quit)
        menu.aboutToShow.connect(self._menu_opening)

    def _add(
        self, name: str, text: str, slot: Callable[..., Any], *, checkable: bool = False
    ) -> QAction:
        action = QAction(text, self.menu)
        action.setObjectName(name)
        action.setCheckable(checkable)
        action.triggered.connect(slot if checkable else (lambda _checked=False: slot()))
        self.menu.addAction(action)
        self.actions[name] = action
        return action

    def _menu_opening(self) -> None:
        self.dnd.reload()
        listening = is_listening(push_to_talk_for(self.app))
        self.actions["push_to_talk"].setText("Stop listening" if listening else "Push to talk")
        self.actions["settings"].setEnabled(self._settings_opener() is not None)

    def set_alerts(self, alerts: Sequence[TrayAlert]) -> None:
        """Show ``alerts`` at the top of the menu (each a submenu of its actions)."""
        for old in self._alert_menus:
            self.menu.removeAction(old.menuAction())
            old.deleteLater()
        self._alert_menus = []
        first = self.menu.actions()[0]
        for alert in alerts:
            submenu = QMenu(alert.title, self.menu)
            for label, callback in alert.actions:
                submenu.addAction(label).triggered.connect(lambda _c=False, f=callback: f())
            submenu.menuAction().setObjectName("alert")
            self.menu.insertMenu(first, submenu)
            self._alert_menus.append(submenu)
        self._alert_anchor.setVisible(bool(alerts))
        self._alerts = list(alerts)
        self.refresh()

    # -- menu actions --------------------------------------------------------------------------

    @Slot()
    def push_to_talk(self) -> None:
        """Start listening, or end the request being recorded."""
        toggle_talk(push_to_talk_for(self.app))

    def quick_action(self, action: QuickAction) -> None:
        """Send a quick action as the user (show the window with it), or put its text in the
        composer when it needs finishing ("Remind me to …")."""
        self.app.showWindow()
        if action.send:
            self.app.chat.send(action.text)
        else:
            _fill_composer(self.app, action.text)

    def _settings_opener(self) -> Callable[[], None] | None:
        """What Settings opens: :attr:`open_settings`, else the ``open`` of the settings
        window the app keeps in ``app.services.extras["settings"]``."""
        if self.open_settings is not None:
            return self.open_settings
        opener = getattr(self.app.services.extras.get("settings"), "open", None)
        return opener if callable(opener) else None

    def _settings(self) -> None:
        opener = self._settings_opener()
        if opener is not None:
            opener()

    def _activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason == QSystemTrayIcon.ActivationReason.Trigger:
            self.app.toggleWindow()
        elif reason == QSystemTrayIcon.ActivationReason.MiddleClick:
            self.push_to_talk()

    # -- messages ------------------------------------------------------------------------------

    def notify(self, title: str, text: str, on_click: Callable[[], None] | None = None) -> bool:
        """Pop up a tray message (unless Do not disturb is on or there is no tray); clicking
        it calls ``on_click`` (default: open the window). True when it popped up."""
        shown = self._available and self.icon.isVisible() and not self.dnd.is_on()
        if shown:
            self._on_click = on_click
            self.icon.showMessage(title, text, tray_icon("attention"), MESSAGE_MS)
        self.messages = [*self.messages[-49:], TrayMessage(title, text, shown)]
        return shown

    def _message_clicked(self) -> None:
        callback, self._on_click = self._on_click, None
        (callback or self.app.showWindow)()

    # -- state ---------------------------------------------------------------------------------

    def _get_state(self) -> str:
        return self._state

    def _get_available(self) -> bool:
        return self._available

    state = Property(str, _get_state, notify=stateChanged)
    available = Property(bool, _get_available, notify=availableChanged)

    @Slot(str)
    def set_voice_state(self, state: str) -> None:
        """The voice pipeline's state (``idle``, ``listening``, ``speaking``…)."""
        self._voice = state
        self.refresh()

    def follow_voice(self, pipeline: Any) -> None:
        """Show a ``VoicePipeline``'s state (its observers may run on any thread)."""

        def observe(item: object) -> None:
            if type(item).__name__ == "StateChanged":
                self._voiceState.emit(str(getattr(item, "state", "idle")))

        pipeline.subscribe(observe)

    @Slot()
    def refresh(self) -> None:
        state = self._compute_state()
        chat = self.app.chat
        status = "Do not disturb" if self.dnd.is_on() else chat.property("status")
        self.icon.setToolTip(f"Luma — {status}")
        if state != self._state:
            self._state = state
            self.icon.setIcon(tray_icon(state))
            self.stateChanged.emit()

    def _compute_state(self) -> str:
        voice, chat = self._voice, self.app.chat
        if voice == "listening" or self.app.mic.property("listening"):
            return "listening"
        if voice == "speaking":
            return "speaking"
        if voice in ("transcribing", "thinking") or chat.property("thinking"):
            return "thinking"
        if self._alerts or chat.property("waitingFor"):
            return "attention"
        return "idle"

    def _follow(self, app: DesktopApp) -> None:
        for signal in (
            app.chat.thinkingChanged,
            app.chat.waitingForChanged,
            app.chat.statusChanged,
            app.mic.listeningChanged,
        ):
            signal.connect(self.refresh)

    # -- the tray host -------------------------------------------------------------------------

    def start(self) -> bool:
        """Show the icon; without a tray host, run window-only with a notice. True when the
        icon is in a tray."""
        self.icon.show()
        self._check_host()
        if not self._available:
            post_notice(self.app, "no-tray", _NO_TRAY, once=True)
            self._recheck.start()
        self.refresh()
        return self._available

    def _check_host(self) -> None:
        available = QSystemTrayIcon.isSystemTrayAvailable()
        if available:
            self._recheck.stop()
        self.app.keep_running_hidden = available
        if available != self._available:
            self._available = available
            self.availableChanged.emit()

    def close(self) -> None:
        """Take the icon out of the tray (shutdown)."""
        self._recheck.stop()
        self.icon.hide()
        self.menu.deleteLater()
        self.app.keep_running_hidden = False


def _fill_composer(app: DesktopApp, text: str) -> None:
    """Put ``text`` in the composer, cursor at its end, focused."""
    window = app.window
    field = window.findChild(QObject, "composerInput") if window is not None else None
    if field is None:
        return
    field.setProperty("text", text)
    field.setProperty("cursorPosition", len(text))
    QMetaObject.invokeMethod(field, "forceActiveFocus")


def install(app: DesktopApp) -> Tray:
    """Create the tray (with the Do not disturb switch) and show it once the window is loaded;
    follow the voice pipeline in ``app.services.extras["voice"]`` when there is one."""
    tray = Tray(app, dnd_for(app))
    app.services.extras["tray"] = tray

    def start(_app: DesktopApp) -> None:
        tray.start()

    app.on_window.append(start)

    def follow_voice(_app: DesktopApp) -> None:
        pipeline = app.services.extras.get("voice")
        if pipeline is not None and hasattr(pipeline, "subscribe"):
            tray.follow_voice(pipeline)

    app.on_ready.append(follow_voice)
    app.on_shutdown.append(lambda _app: tray.close())
    return tray
