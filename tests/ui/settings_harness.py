"""The Settings window and the first-run tour on their real view-models, in a QML engine of
their own (Qt offscreen): helpers find items by ``objectName``, click and type with real
mouse and key events, and save screenshots.

Start at login writes into ``<tmp>/xdg`` (a :class:`LinuxAutostart` there), the preferences
go to the test's Luma home, and the tour's catalog is the session's registry.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QPointF, Qt
from PySide6.QtGui import QGuiApplication, QKeyEvent, QMouseEvent
from PySide6.QtQml import QQmlApplicationEngine, QQmlError
from PySide6.QtQuick import QQuickItem, QQuickWindow
from PySide6.QtQuickControls2 import QQuickStyle

from luma_desktop.assistant.catalog import ToolRegistry
from luma_desktop.paths import resolve_paths
from luma_desktop.ui.autostart import LinuxAutostart
from luma_desktop.ui.keys_model import KeysModel
from luma_desktop.ui.onboarding import MicCheck, OnboardingModel
from luma_desktop.ui.preferences import Preferences
from luma_desktop.ui.preferences_model import PreferencesModel
from luma_desktop.ui.settings_model import SettingsModel
from luma_desktop.ui.settings_window import OnboardingWindow, SettingsWindow
from luma_desktop.ui.window_state import WindowState

__all__ = ["SECTIONS", "SettingsUi", "open_settings_ui", "walk"]

SECTIONS = (
    "brain",
    "keys",
    "voice",
    "speech",
    "hotkey",
    "workspace",
    "memory",
    "appearance",
    "startup",
)


def walk(root: QQuickItem) -> Iterator[QQuickItem]:
    """``root`` and every item below it (delegates included)."""
    pending = [root]
    while pending:
        item = pending.pop()
        yield item
        pending.extend(item.childItems())


@dataclass
class SettingsUi:
    """The models, the engine and both windows (made on first use)."""

    loop: asyncio.AbstractEventLoop
    engine: QQmlApplicationEngine
    stored: Preferences
    preferences: PreferencesModel
    settings: SettingsModel
    keys: KeysModel
    onboarding: OnboardingModel
    settings_window: SettingsWindow
    onboarding_window: OnboardingWindow
    xdg: Path
    warnings: list[str] = field(default_factory=list)

    def run(self, work: Coroutine[Any, Any, Any]) -> Any:
        return self.loop.run_until_complete(asyncio.wait_for(work, 30))

    def settle(self, seconds: float = 0.01) -> None:
        """Let QML lay out and paint, and started jobs run."""
        self.run(asyncio.sleep(seconds))

    def idle(self) -> None:
        """Until keyring calls, device lists and the tour's work have finished."""
        for part in (self.keys, self.settings, self.onboarding):
            self.run(part.idle())
        self.settle()

    def items(self, window: QQuickWindow) -> list[QQuickItem]:
        return list(walk(window.contentItem()))

    def item(self, window: QQuickWindow, name: str, *, visible: bool = True) -> QQuickItem:
        found = [
            i for i in walk(window.contentItem()) if i.objectName() == name and
            (i.isVisible() or not visible)
        ]  # fmt: skip
        assert found, f"no {'visible ' if visible else ''}QML item named {name}"
        return found[0]

    def texts(self, window: QQuickWindow) -> list[str]:
        """The visible labels' texts."""
        return [
            str(i.property("text"))
            for i in walk(window.contentItem())
            if i.isVisible() and isinstance(i.property("text"), str) and i.property("text")
        ]

    # -- input (sent to the window directly: QTest would run queued jobs outside the loop) ---

    def click(self, window: QQuickWindow, item: QQuickItem) -> None:
        """A mouse press and release in the middle of ``item``."""
        centre = item.mapToScene(QPointF(item.width() / 2, item.height() / 2))
        outside = QPointF(window.mapToGlobal(centre.toPoint()))
        left, none = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
        for kind, buttons in (
            (QEvent.Type.MouseButtonPress, left),
            (QEvent.Type.MouseButtonRelease, Qt.MouseButton.NoButton),
        ):
            QGuiApplication.sendEvent(
                window, QMouseEvent(kind, centre, outside, left, buttons, none)
            )
        self.settle()

    def key(
        self,
        window: QQuickWindow,
        key: Qt.Key,
        modifiers: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier,
        text: str = "",
    ) -> None:
        """Press and release ``key`` in the window's focused item."""
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QGuiApplication.sendEvent(window, QKeyEvent(kind, int(key), modifiers, text))
        self.settle()

    def type_into(self, window: QQuickWindow, item: QQuickItem, text: str) -> None:
        """Focus ``item`` and type ``text`` character by character."""
        item.forceActiveFocus()
        for char in text:
            key = Qt.Key(ord(char.upper())) if char.isalnum() else Qt.Key.Key_Minus
            self.key(window, key, text=char)

    def shot(self, window: QQuickWindow, path: Path, wait: float = 0.05) -> Path:
        """Save the window as a PNG once animations (``wait`` seconds) are over."""
        self.settle(wait)
        image = window.grabWindow()
        assert not image.isNull()
        assert image.save(str(path)), f"could not write {path}"
        return path

    def close(self) -> None:
        for part in (self.onboarding, self.settings, self.keys):
            self.run(part.aclose())
        self.settings_window.close()
        self.onboarding_window.close()
        self.settle()
        self.engine.deleteLater()
        self.settle()


def open_settings_ui(
    loop: asyncio.AbstractEventLoop,
    tmp_path: Path,
    registry: ToolRegistry,
    *,
    microphone: Callable[..., MicCheck] | None = None,
    window_state: WindowState | None = None,
) -> SettingsUi:
    """The models and windows on the test's Luma home (nothing shown yet)."""
    if QQuickStyle.name() != "Basic":
        QQuickStyle.setStyle("Basic")
    paths = resolve_paths()
    stored = Preferences.open(paths)
    xdg = tmp_path / "xdg"
    preferences = PreferencesModel(stored, window_state=window_state, autostart=LinuxAutostart(xdg))
    settings = SettingsModel(loop, paths)
    keys = KeysModel(loop)
    options: dict[str, Any] = {"microphone": microphone} if microphone is not None else {}
    tour = OnboardingModel(loop, stored, catalog=lambda: registry, **options)
    engine = QQmlApplicationEngine()
    warnings: list[str] = []

    def collect(errors: list[QQmlError]) -> None:
        warnings.extend(error.toString() for error in errors)

    engine.warnings.connect(collect)
    for name, obj in {
        "settingsModel": settings,
        "preferences": preferences,
        "keys": keys,
        "onboarding": tour,
    }.items():
        engine.rootContext().setContextProperty(name, obj)
    return SettingsUi(
        loop=loop,
        engine=engine,
        stored=stored,
        preferences=preferences,
        settings=settings,
        keys=keys,
        onboarding=tour,
        settings_window=SettingsWindow(lambda: engine),
        onboarding_window=OnboardingWindow(lambda: engine, tour),
        xdg=xdg,
        warnings=warnings,
    )
