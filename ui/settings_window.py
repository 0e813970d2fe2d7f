"""The Settings window and the first-run tour as windows of the app's QML engine, and the
extension that plugs them into :class:`~.app.DesktopApp` (``install``).

Both windows are made on first use in the chat window's engine, so they share its ``Theme``
and context objects, and are hidden (not destroyed) when closed. ``install`` exposes
``settingsModel``, ``preferences``, ``keys``, ``onboarding`` and ``settingsWindow`` to QML and
shows the tour over the chat window on the first run.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Property, QObject, QUrl, Signal, Slot
from PySide6.QtQml import QQmlComponent, QQmlEngine
from PySide6.QtQuick import QQuickWindow

from ..errors import ConfigurationError
from ._notices import app_settings
from .keys_model import KeysModel
from .onboarding import OnboardingModel, check_microphone
from .preferences import Preferences
from .preferences_model import PreferencesModel
from .settings_model import SettingsModel

if TYPE_CHECKING:
    from .app import DesktopApp

__all__ = ["QML_DIR", "OnboardingWindow", "QmlWindow", "SettingsWindow", "install"]

log = logging.getLogger(__name__)

QML_DIR = Path(__file__).resolve().parent / "qml"


class QmlWindow(QObject):
    """A top-level QML window made on first :meth:`show` in the engine ``engine()`` gives."""

    visibleChanged = Signal()

    def __init__(
        self, engine: Callable[[], QQmlEngine | None], qml_file: Path, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._engine = engine
        self._file = qml_file
        self._window: QQuickWindow | None = None
        self._component: QQmlComponent | None = None

    def window(self) -> QQuickWindow:
        """The window (made now if it does not exist yet)."""
        if self._window is None:
            self._window = self._create()
            self._window.visibleChanged.connect(self.visibleChanged)
        return self._window

    def _create(self) -> QQuickWindow:
        engine = self._engine()
        if engine is None:
            raise RuntimeError(f"{self._file.name} needs the app's QML engine (load the window)")
        component = self._component = QQmlComponent(engine, QUrl.fromLocalFile(str(self._file)))
        made = component.create()
        if component.isError() or not isinstance(made, QQuickWindow):
            problems = "; ".join(error.toString() for error in component.errors())
            raise RuntimeError(f"{self._file.name} did not load: {problems or 'not a window'}")
        QQmlEngine.setObjectOwnership(made, QQmlEngine.ObjectOwnership.CppOwnership)
        return made

    @Slot()
    def show(self) -> None:
        """Show, raise and focus the window."""
        window = self.window()
        window.show()
        window.raise_()
        window.requestActivate()

    @Slot()
    def hide(self) -> None:
        if self._window is not None:
            self._window.hide()

    def _get_visible(self) -> bool:
        return self._window is not None and self._window.isVisible()

    def close(self) -> None:
        """Destroy the window (at shutdown, before the engine goes)."""
        if self._window is not None:
            self._window.hide()
            self._window.deleteLater()
            self._window = None
        self._component = None

    visible = Property(bool, _get_visible, notify=visibleChanged)


class SettingsWindow(QmlWindow):
    """The Settings window (QML: ``settingsWindow.show()`` / ``showSection("voice")``)."""

    def __init__(
        self, engine: Callable[[], QQmlEngine | None], parent: QObject | None = None
    ) -> None:
        super().__init__(engine, QML_DIR / "SettingsWindow.qml", parent)

    @Slot(str)
    def showSection(self, section: str) -> None:
        """Open at one section: brain, keys, voice, speech, hotkey, workspace, memory,
        appearance or startup."""
        self.window().setProperty("section", section)
        self.show()


class OnboardingWindow(QmlWindow):
    """The first-run tour's window; hides itself when the tour finishes."""

    def __init__(
        self,
        engine: Callable[[], QQmlEngine | None],
        tour: OnboardingModel,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(engine, QML_DIR / "Onboarding.qml", parent)
        self.tour = tour
        tour.finished.connect(self.hide)

    @Slot()
    def begin(self) -> None:
        """Start the tour from its first page and show it."""
        self.tour.start()
        self.show()


def _input_device(app: DesktopApp) -> str | None:
    from ..settings import load_settings

    try:
        return load_settings(paths=app.services.paths).voice_input_device
    except ConfigurationError:
        return None


def _follow_other_parts(
    app: DesktopApp, preferences: PreferencesModel, settings_window: SettingsWindow
) -> None:
    """Keep the global hotkey and the Do-not-disturb switch (other extensions, when
    installed) in step with the preferences; the tray's Settings entry opens this window."""
    tray = app.services.extras.get("tray")
    if tray is not None and hasattr(tray, "open_settings"):
        tray.open_settings = settings_window.show
    hotkey = app.services.extras.get("hotkey")
    if hotkey is not None and hasattr(hotkey, "rebind"):
        preferences.hotkeyChanged.connect(
            lambda: preferences.hotkeyError or hotkey.rebind(preferences.hotkeySetting)
        )
    dnd = app.services.extras.get("dnd")
    if dnd is not None and hasattr(dnd, "reload"):
        preferences.doNotDisturbChanged.connect(dnd.reload)
        dnd.changed.connect(preferences.doNotDisturbChanged)


def install(app: DesktopApp) -> None:
    """Plug the Settings window and the first-run tour into the app (an ``EXTENSIONS`` entry)."""
    paths = app.services.paths
    stored = Preferences(app_settings(app))  # the file the tray, hotkey and DND use too
    preferences = PreferencesModel(stored, window_state=app.window_state, parent=app)
    settings = SettingsModel(app.loop, paths, parent=app)
    keys = KeysModel(app.loop, parent=app)
    tour = OnboardingModel(
        app.loop,
        stored,
        microphone=partial(check_microphone, device=_input_device(app)),
        parent=app,
    )
    settings_window = SettingsWindow(lambda: app.engine, app)
    tour_window = OnboardingWindow(lambda: app.engine, tour, app)
    for name, obj in {
        "settingsModel": settings,
        "preferences": preferences,
        "keys": keys,
        "onboarding": tour,
        "settingsWindow": settings_window,
    }.items():
        app.expose(name, obj)
    preferences.tourRequested.connect(tour_window.begin)
    tour.finished.connect(app.showWindow)
    app.services.extras.update(
        settings=settings,
        preferences=preferences,
        keys=keys,
        onboarding=tour,
        settings_window=settings_window,
        onboarding_window=tour_window,
    )

    def first_run(_app: DesktopApp) -> None:
        _follow_other_parts(app, preferences, settings_window)
        keys.refresh()
        if tour.needed:
            tour_window.begin()

    async def close(_app: DesktopApp) -> None:
        for part in (tour, settings, keys):
            await part.aclose()
        settings_window.close()
        tour_window.close()

    app.on_window.append(first_run)
    app.on_shutdown.append(close)
