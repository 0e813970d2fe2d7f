"""The app's own preferences for QML (exposed as ``preferences``): theme, text size, always on
top, the global hotkey, do not disturb and start at login.

They live in :class:`~.preferences.Preferences` (``QSettings``) and apply at once. When the
chat window's :class:`~.window_state.WindowState` is given, the look follows it both ways (its
pin button and the Settings window stay in step), so every window using ``Theme`` restyles.
Start at login is read from the system (:mod:`.autostart`), which is what really counts.
"""

from __future__ import annotations

import os

from PySide6.QtCore import Property, QKeyCombination, QObject, Qt, Signal, Slot
from PySide6.QtGui import QGuiApplication, QKeySequence

from ..errors import ConfigurationError
from ._keys import Combo
from .autostart import Autostart, autostart_for
from .preferences import DEFAULT_HOTKEY, HOTKEY_PRESETS, THEMES, Preferences, parse_hotkey
from .window_state import WindowState

__all__ = ["PreferencesModel", "key_caps", "wayland_session"]

_MODIFIER_KEYS = {
    key.value
    for key in (
        Qt.Key.Key_Control,
        Qt.Key.Key_Alt,
        Qt.Key.Key_Shift,
        Qt.Key.Key_Meta,
        Qt.Key.Key_AltGr,
        Qt.Key.Key_Super_L,
        Qt.Key.Key_Super_R,
    )
}
_MODIFIER_MASK = (
    Qt.KeyboardModifier.ControlModifier
    | Qt.KeyboardModifier.AltModifier
    | Qt.KeyboardModifier.ShiftModifier
    | Qt.KeyboardModifier.MetaModifier
).value


def key_caps(combo: Combo) -> list[str]:
    """The labels of a combination's keys: ["Ctrl", "Alt", "Space"]."""
    parts = combo.label.split("+")
    count = len(combo.modifiers)
    return [*parts[:count], "+" if combo.key == "+" else "+".join(parts[count:])]


def wayland_session() -> bool:
    """Whether this desktop session is Wayland (no global hotkeys there)."""
    return os.environ.get("XDG_SESSION_TYPE", "").lower() == "wayland" or bool(
        os.environ.get("WAYLAND_DISPLAY")
    )


class PreferencesModel(QObject):
    """Preferences that apply as soon as they change."""

    themeChanged = Signal()
    fontScaleChanged = Signal()
    alwaysOnTopChanged = Signal()
    hotkeyChanged = Signal()
    doNotDisturbChanged = Signal()
    startAtLoginChanged = Signal()
    tourRequested = Signal()
    """The user asked to see the first-run tour again."""

    def __init__(
        self,
        preferences: Preferences,
        *,
        window_state: WindowState | None = None,
        autostart: Autostart | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.preferences = preferences
        self.autostart = autostart or autostart_for()
        self._window_state = window_state
        self._hotkey_error = ""
        self._login_error = ""
        if window_state is not None:
            self._follow(window_state)
        hints = QGuiApplication.styleHints()
        if hints is not None:
            hints.colorSchemeChanged.connect(self.themeChanged)

    def _follow(self, state: WindowState) -> None:
        """Give the window state the stored look, then keep both in step."""
        prefs = self.preferences
        if prefs.contains("appearance/theme"):
            state.set_theme(prefs.theme)
            state.set_font_scale(prefs.font_scale)
            state.set_always_on_top(prefs.always_on_top)
        else:
            prefs.theme = str(state.property("theme"))
            prefs.font_scale = float(state.property("fontScale"))
            prefs.always_on_top = bool(state.property("alwaysOnTop"))
        state.themeChanged.connect(lambda: self._take("theme", state.property("theme")))
        state.fontScaleChanged.connect(
            lambda: self._take("font_scale", state.property("fontScale"))
        )
        state.alwaysOnTopChanged.connect(
            lambda: self._take("always_on_top", state.property("alwaysOnTop"))
        )

    def _take(self, name: str, value: object) -> None:
        if getattr(self.preferences, name) == value:
            return
        setattr(self.preferences, name, value)
        signal = {
            "theme": self.themeChanged,
            "font_scale": self.fontScaleChanged,
            "always_on_top": self.alwaysOnTopChanged,
        }[name]
        signal.emit()

    # -- look ----------------------------------------------------------------------------------

    def _get_theme(self) -> str:
        return self.preferences.theme

    def set_theme(self, value: str) -> None:
        """``system``, ``light`` or ``dark`` (anything else is ignored)."""
        if value not in THEMES or value == self.preferences.theme:
            return
        self.preferences.theme = value
        if self._window_state is not None:
            self._window_state.set_theme(value)
        self.themeChanged.emit()

    def _get_dark(self) -> bool:
        theme = self.preferences.theme
        if theme != "system":
            return theme == "dark"
        hints = QGuiApplication.styleHints()
        return hints is not None and hints.colorScheme() == Qt.ColorScheme.Dark

    def _get_font_scale(self) -> float:
        return self.preferences.font_scale

    def set_font_scale(self, value: float) -> None:
        """Text size relative to the default, 0.8–2.0."""
        before = self.preferences.font_scale
        self.preferences.font_scale = value
        if abs(self.preferences.font_scale - before) < 1e-6:
            return
        if self._window_state is not None:
            self._window_state.set_font_scale(self.preferences.font_scale)
        self.fontScaleChanged.emit()

    def _get_on_top(self) -> bool:
        return self.preferences.always_on_top

    def set_always_on_top(self, value: bool) -> None:
        if value == self.preferences.always_on_top:
            return
        self.preferences.always_on_top = value
        if self._window_state is not None:
            self._window_state.set_always_on_top(value)
        self.alwaysOnTopChanged.emit()

    # -- hotkey, do not disturb ----------------------------------------------------------------

    def _get_hotkey(self) -> str:
        return self.preferences.hotkey.label

    def _get_hotkey_setting(self) -> str:
        return self.preferences.hotkey.qt_text

    def _get_hotkey_keys(self) -> list[str]:
        return key_caps(self.preferences.hotkey)

    def _get_hotkey_error(self) -> str:
        return self._hotkey_error

    @Slot(str, result=bool)
    def setHotkey(self, text: str) -> bool:
        """Use ``text`` ("Ctrl+Alt+Space" or "<ctrl>+<alt>+space") as the global hotkey; False
        (and the reason in ``hotkeyError``) when it cannot be one."""
        try:
            self.preferences.hotkey = text
        except ConfigurationError as error:
            self._hotkey_error = error.message
            self.hotkeyChanged.emit()
            return False
        self._hotkey_error = ""
        self.hotkeyChanged.emit()
        return True

    @Slot(int, int, result=str)
    def hotkeyText(self, key: int, modifiers: int) -> str:
        """The portable text of a key press ("Ctrl+Alt+Space"); empty while only modifier
        keys are down (the hotkey recorder waits for the real key)."""
        if key in _MODIFIER_KEYS or key in (0, Qt.Key.Key_unknown.value):
            return ""
        held = Qt.KeyboardModifier(modifiers & _MODIFIER_MASK)
        sequence = QKeySequence(QKeyCombination(held, Qt.Key(key)))
        return sequence.toString(QKeySequence.SequenceFormat.PortableText)

    @Slot()
    def resetHotkey(self) -> None:
        self.setHotkey(DEFAULT_HOTKEY)

    def _get_presets(self) -> list[dict[str, str]]:
        combos = [parse_hotkey(preset) for preset in HOTKEY_PRESETS]
        return [{"value": combo.qt_text, "label": combo.label} for combo in combos]

    def _get_wayland(self) -> bool:
        return wayland_session()

    def _get_dnd(self) -> bool:
        return self.preferences.do_not_disturb

    def set_do_not_disturb(self, value: bool) -> None:
        """No spoken reminders or notification sounds while on."""
        if value != self.preferences.do_not_disturb:
            self.preferences.do_not_disturb = value
            self.doNotDisturbChanged.emit()

    # -- start at login ------------------------------------------------------------------------

    def _get_start_at_login(self) -> bool:
        return self.autostart.is_enabled()

    def set_start_at_login(self, value: bool) -> None:
        """Switch starting at login on or off (the reason is in ``startAtLoginError`` when the
        system refuses)."""
        try:
            self.autostart.set_enabled(value)
        except ConfigurationError as error:
            self._login_error = error.message
        else:
            self._login_error = ""
            self.preferences.start_at_login = value
        self.startAtLoginChanged.emit()

    def _get_login_error(self) -> str:
        return self._login_error

    def _get_login_location(self) -> str:
        return self.autostart.location

    @Slot()
    def showTour(self) -> None:
        """Ask for the first-run tour again."""
        self.tourRequested.emit()

    theme = Property(str, _get_theme, set_theme, notify=themeChanged)
    dark = Property(bool, _get_dark, notify=themeChanged)
    fontScale = Property(float, _get_font_scale, set_font_scale, notify=fontScaleChanged)
    alwaysOnTop = Property(bool, _get_on_top, set_always_on_top, notify=alwaysOnTopChanged)
    hotkey = Property(str, _get_hotkey, notify=hotkeyChanged)
    """The hotkey as people read it ("Ctrl+Alt+Space")."""
    hotkeySetting = Property(str, _get_hotkey_setting, notify=hotkeyChanged)
    """The hotkey as stored (Qt's portable text)."""
    hotkeyKeys = Property(list, _get_hotkey_keys, notify=hotkeyChanged)
    """The hotkey's keys, one label each (the key caps)."""
    hotkeyError = Property(str, _get_hotkey_error, notify=hotkeyChanged)
    hotkeyPresets = Property(list, _get_presets, constant=True)
    waylandSession = Property(bool, _get_wayland, constant=True)
    doNotDisturb = Property(bool, _get_dnd, set_do_not_disturb, notify=doNotDisturbChanged)
    startAtLogin = Property(
        bool, _get_start_at_login, set_start_at_login, notify=startAtLoginChanged
    )
    startAtLoginError = Property(str, _get_login_error, notify=startAtLoginChanged)
    startAtLoginLocation = Property(str, _get_login_location, constant=True)
