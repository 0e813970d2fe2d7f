"""The desktop app's own preferences (look, hotkey, start at login, do not disturb, onboarding),
kept with ``QSettings`` — not in ``settings.toml``, which holds what the core needs.

The file is ``<config dir>/preferences.ini`` (beside ``settings.toml``, so ``LUMA_HOME`` moves it
too, and the same on every platform). Values are checked when read: a damaged or hand-edited
entry gives the default. The global hotkey is stored as Qt's portable text ("Ctrl+Alt+Space"),
which :mod:`.hotkey` reads.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QSettings

from ..errors import ConfigurationError
from ..paths import AppPaths, resolve_paths
from ._keys import Combo, parse_combo

__all__ = [
    "DEFAULT_HOTKEY",
    "HOTKEY_PRESETS",
    "IN_APP_SHORTCUTS",
    "ONBOARDING_VERSION",
    "THEMES",
    "Preferences",
    "normalise_hotkey",
    "open_preferences",
    "parse_hotkey",
]

THEMES = ("system", "light", "dark")
DEFAULT_HOTKEY = "<ctrl>+<alt>+space"
"""The global hotkey until the user picks another (``hotkey`` re-exports it)."""
HOTKEY_PRESETS = ("<ctrl>+<alt>+space", "<ctrl>+<shift>+space", "<alt>+space", "<ctrl>+<alt>+l")
IN_APP_SHORTCUTS = ("Ctrl+K", "Ctrl+N", "Ctrl+E")
"""Shortcuts the chat window uses itself (Qt's text; a global hotkey must not take them)."""
ONBOARDING_VERSION = 1
"""Raise it when the first-run tour changes enough to show it again."""

_FILE_NAME = "preferences.ini"


def open_preferences(paths: AppPaths | None = None) -> QSettings:
    """The preferences file of this Luma home."""
    folder = (paths or resolve_paths()).config
    return QSettings(str(folder / _FILE_NAME), QSettings.Format.IniFormat)


def parse_hotkey(text: str) -> Combo:
    """The combination ``text`` names, in either spelling ("Ctrl+Alt+Space" or
    "<ctrl>+<alt>+space"); :class:`ConfigurationError` (setting ``hotkey``) when the global
    hotkey cannot use it."""
    combo = parse_combo(text)
    taken = {parse_combo(shortcut) for shortcut in IN_APP_SHORTCUTS} | {Combo((), "esc")}
    if combo in taken:
        raise ConfigurationError(
            f"{combo.label} is already a shortcut inside Luma's window. Choose another one.",
            setting="hotkey",
        )
    return combo


def normalise_hotkey(text: str) -> str:
    """``text`` in the spelling the preferences keep (Qt's portable text: "Ctrl+Alt+Space")."""
    return parse_hotkey(text).qt_text


class Preferences:
    """Typed access to the preferences file (each write is saved at once)."""

    def __init__(self, store: QSettings) -> None:
        self.store = store

    @classmethod
    def open(cls, paths: AppPaths | None = None) -> Preferences:
        return cls(open_preferences(paths))

    def _text(self, key: str, default: str) -> str:
        value = self.store.value(key, default)
        return value if isinstance(value, str) else default

    def _flag(self, key: str, default: bool) -> bool:
        value = self.store.value(key, default)
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.lower() in {"true", "false", "1", "0"}:
            return value.lower() in {"true", "1"}
        return default

    def _set(self, key: str, value: object) -> None:
        self.store.setValue(key, value)
        self.store.sync()

    def contains(self, key: str) -> bool:
        return bool(self.store.contains(key))

    @property
    def theme(self) -> str:
        value = self._text("appearance/theme", "system")
        return value if value in THEMES else "system"

    @theme.setter
    def theme(self, value: str) -> None:
        if value not in THEMES:
            raise ConfigurationError(
                f"The theme must be system, light or dark, not “{value}”.", setting="theme"
            )
        self._set("appearance/theme", value)

    @property
    def font_scale(self) -> float:
        value = self.store.value("appearance/font_scale", 1.0)
        try:
            scale = float(str(value))
        except ValueError:
            return 1.0
        return min(max(scale, 0.8), 2.0) if math.isfinite(scale) else 1.0

    @font_scale.setter
    def font_scale(self, value: float) -> None:
        self._set("appearance/font_scale", round(min(max(float(value), 0.8), 2.0), 2))

    @property
    def always_on_top(self) -> bool:
        return self._flag("appearance/always_on_top", False)

    @always_on_top.setter
    def always_on_top(self, value: bool) -> None:
        self._set("appearance/always_on_top", bool(value))

    @property
    def start_at_login(self) -> bool:
        return self._flag("start_at_login", False)

    @start_at_login.setter
    def start_at_login(self, value: bool) -> None:
        self._set("start_at_login", bool(value))

    @property
    def do_not_disturb(self) -> bool:
        return self._flag("do_not_disturb", False)

    @do_not_disturb.setter
    def do_not_disturb(self, value: bool) -> None:
        self._set("do_not_disturb", bool(value))

    @property
    def hotkey(self) -> Combo:
        """The chosen combination (the default when none is stored or it is unusable)."""
        try:
            return parse_hotkey(self._text("hotkey", DEFAULT_HOTKEY))
        except ConfigurationError:
            return parse_combo(DEFAULT_HOTKEY)

    @hotkey.setter
    def hotkey(self, value: str) -> None:
        self._set("hotkey", normalise_hotkey(value))

    @property
    def onboarding_completed(self) -> bool:
        value = self.store.value("onboarding/completed", 0)
        try:
            return int(str(value)) >= ONBOARDING_VERSION
        except ValueError:
            return False

    def complete_onboarding(self) -> None:
        self._set("onboarding/completed", ONBOARDING_VERSION)

    def reset_onboarding(self) -> None:
        """Show the first-run tour again at the next start."""
        self.store.remove("onboarding/completed")
        self.store.sync()
