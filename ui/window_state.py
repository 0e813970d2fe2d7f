"""The chat window's place, size and look, remembered between runs (exposed as ``windowState``).

Kept in ``<config dir>/window.json`` (beside ``settings.toml``; ``LUMA_HOME`` moves it too):
position, the compact and expanded sizes, expanded or not, always-on-top, theme
(``system``/``light``/``dark``) and the font scale. A missing or damaged file gives the
defaults; a position no screen shows any more is replaced by the screen's centre.
"""

from __future__ import annotations

import json
import logging
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

from PySide6.QtCore import Property, QObject, QRect, QTimer, Signal, Slot
from PySide6.QtGui import QGuiApplication, QWindow

__all__ = ["COMPACT", "EXPANDED", "THEMES", "WindowState"]

log = logging.getLogger(__name__)

COMPACT = (400, 600)
EXPANDED = (980, 680)
THEMES = ("system", "light", "dark")
_MIN_SIZE = (340, 420)
_MAX_SIDE = 8000
_SAVE_DELAY_MS = 400


@dataclass(frozen=True, slots=True)
class _Stored:
    x: int | None = None
    y: int | None = None
    compact: tuple[int, int] = COMPACT
    expanded_size: tuple[int, int] = EXPANDED
    expanded: bool = False
    always_on_top: bool = False
    theme: str = "system"
    font_scale: float = 1.0


def _size(value: object, default: tuple[int, int]) -> tuple[int, int]:
    if not isinstance(value, list | tuple) or len(value) != 2:
        return default
    width, height = value
    if not all(isinstance(v, int) and not isinstance(v, bool) for v in (width, height)):
        return default
    return (min(max(width, _MIN_SIZE[0]), _MAX_SIDE), min(max(height, _MIN_SIZE[1]), _MAX_SIDE))


def _coordinate(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _read(path: Path) -> _Stored:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return _Stored()
    except (OSError, ValueError) as error:
        log.warning("ignored the window state in %s: %s", path, error)
        return _Stored()
    if not isinstance(data, dict):
        return _Stored()
    scale = data.get("font_scale")
    theme = data.get("theme")
    return _Stored(
        x=_coordinate(data.get("x")),
        y=_coordinate(data.get("y")),
        compact=_size(data.get("compact"), COMPACT),
        expanded_size=_size(data.get("expanded_size"), EXPANDED),
        expanded=data.get("expanded") is True,
        always_on_top=data.get("always_on_top") is True,
        theme=theme if theme in THEMES else "system",
        font_scale=min(max(float(scale), 0.8), 2.0) if isinstance(scale, int | float) else 1.0,
    )


class WindowState(QObject):
    """Where the window is and how it looks; saved shortly after each change."""

    expandedChanged = Signal()
    alwaysOnTopChanged = Signal()
    themeChanged = Signal()
    fontScaleChanged = Signal()

    def __init__(self, path: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.path = path
        self._stored = _read(path)
        self._window: QWindow | None = None
        self._timer = QTimer(self, singleShot=True, interval=_SAVE_DELAY_MS)
        self._timer.timeout.connect(self.save)

    # -- the window ----------------------------------------------------------------------------

    def place(self, window: QWindow) -> None:
        """Give ``window`` its remembered geometry and follow its moves and resizes."""
        self._window = window
        width, height = self._size()
        x, y = self._stored.x, self._stored.y
        if x is None or y is None or not self._visible(QRect(x, y, width, height)):
            x, y = self._centre(width, height)
        window.setGeometry(x, y, width, height)
        for signal in (window.xChanged, window.yChanged, window.widthChanged, window.heightChanged):
            signal.connect(self._remember)

    def _size(self) -> tuple[int, int]:
        return self._stored.expanded_size if self._stored.expanded else self._stored.compact

    @staticmethod
    def _visible(rect: QRect) -> bool:
        screens = QGuiApplication.screens()
        return not screens or any(s.availableGeometry().intersects(rect) for s in screens)

    @staticmethod
    def _centre(width: int, height: int) -> tuple[int, int]:
        screen = QGuiApplication.primaryScreen()
        if screen is None:
            return 0, 0
        area = screen.availableGeometry()
        return area.x() + (area.width() - width) // 2, area.y() + (area.height() - height) // 2

    def _remember(self) -> None:
        window = self._window
        if window is None:
            return
        size = (window.width(), window.height())
        sized = {"expanded_size": size} if self._stored.expanded else {"compact": size}
        self._change(x=window.x(), y=window.y(), **sized)

    def _change(self, **changes: Any) -> None:
        self._stored = replace(self._stored, **changes)
        self._timer.start()

    @Slot()
    def save(self) -> None:
        """Write the file now (also done shortly after every change)."""
        self._timer.stop()
        data = asdict(self._stored)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            temporary = self.path.with_suffix(".tmp")
            temporary.write_text(json.dumps(data, indent=2), encoding="utf-8")
            temporary.replace(self.path)
        except OSError as error:
            log.warning("could not save the window state to %s: %s", self.path, error)

    # -- properties ----------------------------------------------------------------------------

    def _get_expanded(self) -> bool:
        return self._stored.expanded

    def set_expanded(self, value: bool) -> None:
        """Switch between the compact chat and the full window with the conversation list."""
        if value == self._stored.expanded:
            return
        self._change(expanded=value)
        if self._window is not None:
            width, height = self._size()
            self._window.resize(width, height)
        self.expandedChanged.emit()

    def _get_on_top(self) -> bool:
        return self._stored.always_on_top

    def set_always_on_top(self, value: bool) -> None:
        if value != self._stored.always_on_top:
            self._change(always_on_top=value)
            self.alwaysOnTopChanged.emit()

    def _get_theme(self) -> str:
        return self._stored.theme

    def set_theme(self, value: str) -> None:
        """``system``, ``light`` or ``dark`` (anything else is ignored)."""
        if value in THEMES and value != self._stored.theme:
            self._change(theme=value)
            self.themeChanged.emit()

    def _get_font_scale(self) -> float:
        return self._stored.font_scale

    def set_font_scale(self, value: float) -> None:
        """Text size relative to the default, 0.8–2.0."""
        value = min(max(float(value), 0.8), 2.0)
        if abs(value - self._stored.font_scale) > 1e-6:
            self._change(font_scale=value)
            self.fontScaleChanged.emit()

    expanded = Property(bool, _get_expanded, set_expanded, notify=expandedChanged)
    alwaysOnTop = Property(bool, _get_on_top, set_always_on_top, notify=alwaysOnTopChanged)
    theme = Property(str, _get_theme, set_theme, notify=themeChanged)
    fontScale = Property(float, _get_font_scale, set_font_scale, notify=fontScaleChanged)
