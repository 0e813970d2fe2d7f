"""Key combinations for the global hotkey: parse what people type, show it, hand it to pynput.

``"<ctrl>+<alt>+space"``, ``"Ctrl+Alt+Space"`` and ``"control+option+SPACE"`` are the same
:class:`Combo`: modifiers (ctrl, alt, shift, cmd) plus one other key, a character or a named
key. Parsing needs no pynput (it cannot be imported without a display on Linux).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass

from ..errors import ConfigurationError

__all__ = ["MODIFIERS", "NAMED_KEYS", "Combo", "parse_combo"]

MODIFIERS = ("ctrl", "alt", "shift", "cmd")
"""Modifier names, in the order they are shown."""

NAMED_KEYS = frozenset(
    {
        "space", "enter", "tab", "esc", "backspace", "delete", "insert", "home", "end",
        "page_up", "page_down", "up", "down", "left", "right", "pause", "print_screen",
        "scroll_lock", "menu", *(f"f{number}" for number in range(1, 21)),
    }
)  # fmt: skip
"""Keys with names (pynput's ``Key`` members) a hotkey may end with."""

_ALIASES = {
    "control": "ctrl", "ctl": "ctrl", "option": "alt", "opt": "alt", "super": "cmd",
    "win": "cmd", "windows": "cmd", "meta": "cmd", "command": "cmd", "return": "enter",
    "escape": "esc", "del": "delete", "ins": "insert", "pgup": "page_up", "pageup": "page_up",
    "pgdn": "page_down", "pagedown": "page_down", "prtsc": "print_screen",
    "print": "print_screen", "printscreen": "print_screen", "bksp": "backspace",
    "spacebar": "space", "scrolllock": "scroll_lock", "pgdown": "page_down",
}  # fmt: skip
_QT_MAC = {"ctrl": "cmd", "meta": "ctrl"}
"""In Qt's text on macOS "Ctrl" is the Command key and "Meta" the Control key."""
_QT_NAMES = {"ctrl": "Ctrl", "alt": "Alt", "shift": "Shift", "cmd": "Meta"}
_QT_MAC_NAMES = {**_QT_NAMES, "ctrl": "Meta", "cmd": "Ctrl"}
_QT_KEYS = {
    "enter": "Return", "page_up": "PgUp", "page_down": "PgDown", "delete": "Del",
    "insert": "Ins", "print_screen": "Print", "scroll_lock": "ScrollLock", "esc": "Esc",
}  # fmt: skip
_SPECIAL_LABELS = {"esc": "Esc", "page_up": "Page Up", "page_down": "Page Down"}


def _modifier_label(name: str) -> str:
    if name == "cmd":
        return "Cmd" if sys.platform == "darwin" else "Win" if sys.platform == "win32" else "Super"
    return name.capitalize()


@dataclass(frozen=True, slots=True)
class Combo:
    """A hotkey: modifiers (in :data:`MODIFIERS` order) and one key (a character or a name)."""

    modifiers: tuple[str, ...]
    key: str

    @property
    def named(self) -> bool:
        """Whether the key is a named key (``space``) rather than a character."""
        return len(self.key) > 1

    @property
    def pynput(self) -> str:
        """The form ``pynput.keyboard.HotKey.parse`` reads: ``<ctrl>+<alt>+<space>``."""
        key = f"<{self.key}>" if self.named else self.key
        return "+".join([*(f"<{m}>" for m in self.modifiers), key])

    @property
    def qt_text(self) -> str:
        """Qt's portable text, the form the preferences file keeps: ``Ctrl+Alt+Space``."""
        names = _QT_MAC_NAMES if sys.platform == "darwin" else _QT_NAMES
        key = _QT_KEYS.get(self.key) or (self.key.upper() if not self.named else self.key.title())
        return "+".join([*(names[m] for m in self.modifiers), key])

    @property
    def label(self) -> str:
        """How people read it: ``Ctrl+Alt+Space``."""
        key = _SPECIAL_LABELS.get(self.key) or self.key.replace("_", " ").title()
        return "+".join([*(_modifier_label(m) for m in self.modifiers), key])


def parse_combo(text: str) -> Combo:
    """The combination ``text`` names (pynput's "<ctrl>+<alt>+space" or Qt's "Ctrl+Alt+Space");
    ConfigurationError (setting ``hotkey``) when it is not one: an unknown key, two keys
    besides modifiers, or a plain character without modifiers (it would fire while typing)."""
    parts = [part.strip().strip("<>").strip().lower() for part in _split(text)]
    if not parts or not all(parts):
        raise _bad(text, "write it like Ctrl+Alt+Space")
    qt_on_mac = sys.platform == "darwin" and "<" not in text
    modifiers: set[str] = set()
    keys: list[str] = []
    for part in parts:
        if qt_on_mac:
            part = _QT_MAC.get(part, part)  # noqa: PLW2901
        name = _ALIASES.get(part, part.replace(" ", "_"))
        if name.endswith(("_l", "_r")) and name[:-2] in MODIFIERS:
            name = name[:-2]
        if name in MODIFIERS:
            modifiers.add(name)
        elif len(name) == 1 or name in NAMED_KEYS:
            keys.append(name)
        else:
            raise _bad(text, f"“{part}” is not a key Luma knows")
    if len(keys) != 1:
        raise _bad(text, "use modifiers (Ctrl, Alt, Shift, Super) and exactly one other key")
    key = keys[0]
    if not modifiers and (len(key) == 1 or key in {"space", "enter", "tab", "backspace"}):
        raise _bad(text, "a key without Ctrl, Alt or Super would fire while you type")
    return Combo(tuple(m for m in MODIFIERS if m in modifiers), key)


def _split(text: str) -> list[str]:
    """Split at ``+`` signs, keeping a ``+`` key (``ctrl++``)."""
    parts: list[str] = []
    current = ""
    for character in text.strip():
        if character == "+" and current.strip():
            parts.append(current)
            current = ""
        else:
            current += character
    parts.append(current)
    return parts


def _bad(text: str, why: str) -> ConfigurationError:
    return ConfigurationError(
        f"“{text}” cannot be used as the hotkey: {why}. Choose another in Settings.",
        setting="hotkey",
    )
