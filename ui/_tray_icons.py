"""The tray icon for each state, drawn with QPainter at the sizes trays ask for.

A filled disc in the state's colour with a white glyph: the Luma spark (idle), a microphone
(listening), three dots (thinking), sound bars (speaking), and the spark with an orange badge
(attention: a reminder is due or Luma waits for an answer).
"""

from __future__ import annotations

import math
from functools import cache

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPainterPath, QPen, QPixmap

__all__ = ["STATE_COLOURS", "TRAY_STATES", "tray_icon"]

TRAY_STATES = ("idle", "listening", "thinking", "speaking", "attention")
STATE_COLOURS = {
    "idle": "#5046e5",
    "listening": "#dc2626",
    "thinking": "#d97706",
    "speaking": "#059669",
    "attention": "#5046e5",
}
"""The disc colour of each state (the window theme's accent, danger, warning, success)."""
_BADGE = "#f97316"
_SIZES = (16, 22, 24, 32, 48, 64)


@cache
def tray_icon(state: str) -> QIcon:
    """The icon for ``state`` (one of :data:`TRAY_STATES`)."""
    if state not in STATE_COLOURS:
        raise ValueError(f"“{state}” is not a tray state ({', '.join(TRAY_STATES)})")
    icon = QIcon()
    for size in _SIZES:
        icon.addPixmap(_draw(state, size))
    return icon


def _draw(state: str, size: int) -> QPixmap:
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    s = float(size)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(STATE_COLOURS[state]))
    painter.drawEllipse(QRectF(s * 0.04, s * 0.04, s * 0.92, s * 0.92))
    white = QColor("#ffffff")
    if state == "listening":
        _microphone(painter, s, white)
    elif state == "thinking":
        painter.setBrush(white)
        for dx in (-0.22, 0.0, 0.22):
            painter.drawEllipse(QPointF(s * (0.5 + dx), s * 0.5), s * 0.075, s * 0.075)
    elif state == "speaking":
        painter.setBrush(white)
        for index, height in enumerate((0.2, 0.42, 0.3, 0.16)):
            x = s * (0.29 + 0.13 * index)
            painter.drawRoundedRect(
                QRectF(x, s * (0.5 - height / 2), s * 0.085, s * height), s * 0.04, s * 0.04
            )
    else:
        painter.setBrush(white)
        painter.drawPath(_spark(s))
        if state == "attention":
            painter.setPen(QPen(white, max(1.0, s * 0.05)))
            painter.setBrush(QColor(_BADGE))
            painter.drawEllipse(QPointF(s * 0.76, s * 0.24), s * 0.2, s * 0.2)
    painter.end()
    return pixmap


def _spark(s: float) -> QPainterPath:
    """A four-pointed star in the middle of the disc."""
    path = QPainterPath()
    centre, outer, inner = s * 0.5, s * 0.3, s * 0.09
    for index in range(8):
        angle = math.pi / 4 * index - math.pi / 2
        radius = outer if index % 2 == 0 else inner
        point = QPointF(centre + radius * math.cos(angle), centre + radius * math.sin(angle))
        if index == 0:
            path.moveTo(point)
        else:
            path.lineTo(point)
    path.closeSubpath()
    return path


def _microphone(painter: QPainter, s: float, colour: QColor) -> None:
    painter.setBrush(colour)
    painter.drawRoundedRect(QRectF(s * 0.4, s * 0.2, s * 0.2, s * 0.36), s * 0.1, s * 0.1)
    pen = QPen(colour, max(1.0, s * 0.065))
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    painter.setPen(pen)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawArc(QRectF(s * 0.3, s * 0.3, s * 0.4, s * 0.38), 200 * 16, 140 * 16)
    painter.drawLine(QPointF(s * 0.5, s * 0.68), QPointF(s * 0.5, s * 0.8))
