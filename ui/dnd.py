"""Do not disturb: while it is on, Luma neither speaks reminders nor pops up tray messages;
reminder cards and the tray's attention icon still show. Persisted in the preferences file
(``do_not_disturb``, the key the settings window writes too: :meth:`DoNotDisturb.reload` picks
up its changes); exposed to QML as ``dnd`` (``enabled``, ``toggle()``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Property, QObject, QSettings, Signal, Slot

from ._notices import app_settings

if TYPE_CHECKING:
    from .app import DesktopApp

__all__ = ["DND_KEY", "DoNotDisturb", "dnd_for"]

DND_KEY = "do_not_disturb"
"""The QSettings key holding the switch (a bool)."""


class DoNotDisturb(QObject):
    """The Do not disturb switch, remembered across runs."""

    changed = Signal()

    def __init__(self, settings: QSettings, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._settings = settings
        self._enabled = self._stored()

    def _stored(self) -> bool:
        return bool(self._settings.value(DND_KEY, False, type=bool))

    def is_on(self) -> bool:
        """Whether Do not disturb is on now (read again: the settings window may have changed
        it through its own QSettings, whose values this process shares)."""
        self.reload()
        return self._enabled

    def _get_enabled(self) -> bool:
        return self._enabled

    @Slot(bool)
    def set_enabled(self, value: bool) -> None:
        """Turn Do not disturb on or off (saved at once)."""
        value = bool(value)
        if value == self._enabled:
            return
        self._enabled = value
        self._settings.setValue(DND_KEY, value)
        self._settings.sync()
        self.changed.emit()

    @Slot()
    def reload(self) -> None:
        """Read the switch again (another window of the app changed it)."""
        value = self._stored()
        if value != self._enabled:
            self._enabled = value
            self.changed.emit()

    @Slot()
    def toggle(self) -> None:
        self.set_enabled(not self._enabled)

    enabled = Property(bool, _get_enabled, set_enabled, notify=changed)


def dnd_for(app: DesktopApp) -> DoNotDisturb:
    """The app's switch: made (and exposed to QML as ``dnd``) by the first part that asks."""
    found = app.services.extras.get("dnd")
    if isinstance(found, DoNotDisturb):
        return found
    dnd = DoNotDisturb(app_settings(app), app)
    app.services.extras["dnd"] = dnd
    if app.engine is None:
        app.expose("dnd", dnd)
    return dnd
