"""The global hotkey's own thread: pynput's keyboard listener, and on X11 a check that no other
application has grabbed the same combination.

Nothing here touches a Qt object: the thread reports only by emitting the signals of
:class:`KeySignals` (a QObject living on the GUI thread), which Qt delivers there.
"""

from __future__ import annotations

import importlib
import logging
import sys
import threading
from typing import Any

from PySide6.QtCore import QObject, Signal

from ._keys import Combo

__all__ = ["HotkeyConflict", "KeySignals", "KeyWatcher", "check_x11_grab"]

log = logging.getLogger(__name__)

_X_MASKS = {"ctrl": "ControlMask", "alt": "Mod1Mask", "shift": "ShiftMask", "cmd": "Mod4Mask"}


class HotkeyConflict(Exception):
    """Another application owns the combination."""


class KeySignals(QObject):
    """What the watcher thread reports (emitted from that thread, delivered on the GUI's)."""

    down = Signal()
    """Every key of the combination is down."""
    up = Signal()
    """A key of the combination came up after :attr:`down`."""
    started = Signal()
    failed = Signal(str, str)
    """``(kind, message)``: kind ``conflict`` or ``unavailable``."""


class KeyWatcher(threading.Thread):
    """Watches the keyboard for one combination until :meth:`stop`."""

    def __init__(self, combo: Combo, signals: KeySignals) -> None:
        super().__init__(name="luma-hotkey", daemon=True)
        self.combo = combo
        self.signals = signals
        self._lock = threading.Lock()
        self._stopping = False
        self._listener: Any = None
        self._pressed: set[Any] = set()
        self._active = False

    def stop(self, timeout: float = 2.0) -> None:
        """Stop listening and wait (a while) for the thread to end."""
        with self._lock:
            self._stopping = True
            listener = self._listener
        if listener is not None:
            listener.stop()
        if self.is_alive() and threading.current_thread() is not self:
            self.join(timeout)

    def run(self) -> None:
        try:
            self._watch()
        except HotkeyConflict as conflict:
            self.signals.failed.emit("conflict", str(conflict))
        except Exception as error:
            log.warning("the global hotkey could not start", exc_info=True)
            self.signals.failed.emit("unavailable", _reason(error))

    def _watch(self) -> None:
        if sys.platform.startswith("linux"):
            check_x11_grab(self.combo)
        keyboard = importlib.import_module("pynput.keyboard")
        keys = set(keyboard.HotKey.parse(self.combo.pynput))
        listener: Any = keyboard.Listener(
            on_press=lambda key: self._pressed_key(listener, keys, key),
            on_release=lambda key: self._released_key(listener, keys, key),
        )
        with self._lock:
            if self._stopping:
                return
            self._listener = listener
            listener.start()
        listener.wait()
        if getattr(listener, "IS_TRUSTED", True) is False:  # macOS without Accessibility
            listener.stop()
            raise PermissionError(
                "allow Luma under System Settings → Privacy & Security → Accessibility"
            )
        self.signals.started.emit()
        listener.join()  # until stop(); re-raises what broke the listener

    # -- the listener's callbacks (its thread) ----------------------------------------------------

    def _pressed_key(self, listener: Any, keys: set[Any], key: Any) -> None:
        canonical = listener.canonical(key)
        if canonical not in keys:
            return
        self._pressed.add(canonical)
        if not self._active and self._pressed >= keys:
            self._active = True
            self.signals.down.emit()

    def _released_key(self, listener: Any, keys: set[Any], key: Any) -> None:
        canonical = listener.canonical(key)
        self._pressed.discard(canonical)
        if self._active and canonical in keys:
            self._active = False
            self.signals.up.emit()


def check_x11_grab(combo: Combo, display_name: str | None = None) -> None:
    """On X11, try to grab ``combo`` for a moment: :class:`HotkeyConflict` when another client
    holds it; OSError when there is no usable X display."""
    try:
        xdisplay = importlib.import_module("Xlib.display")
        xerror = importlib.import_module("Xlib.error")
        x = importlib.import_module("Xlib.X")
    except ImportError as missing:
        raise OSError(f"python-xlib is missing ({missing})") from missing
    try:
        display = xdisplay.Display(display_name)
    except Exception as error:
        raise OSError(f"no X display to listen on ({error})") from error
    try:
        if not display.has_extension("RECORD"):
            raise OSError("the X server lacks the RECORD extension pynput listens with")
        keycode = display.keysym_to_keycode(_keysym(combo))
        if not keycode:
            raise OSError(f"this keyboard has no {combo.key} key")
        mask = 0
        for modifier in combo.modifiers:
            mask |= getattr(x, _X_MASKS[modifier])
        root = display.screen().root
        catcher = xerror.CatchError(xerror.BadAccess)
        root.grab_key(keycode, mask, False, x.GrabModeAsync, x.GrabModeAsync, onerror=catcher)
        display.sync()
        if catcher.get_error() is not None:
            raise HotkeyConflict(f"{combo.label} is already used by another application")
        root.ungrab_key(keycode, mask)
        display.sync()
    finally:
        display.close()


def _keysym(combo: Combo) -> int:
    """The X keysym of the combination's key (Latin-1 characters are their own keysyms)."""
    if not combo.named:
        return ord(combo.key)
    keyboard = importlib.import_module("pynput.keyboard")
    return int(keyboard.Key[combo.key].value.vk)


def _reason(error: Exception) -> str:
    text = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    return text.rstrip(".")
