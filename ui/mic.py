"""The microphone button's state, driven by the voice code (exposed to QML as ``mic``).

The composer calls :meth:`MicState.press` / :meth:`MicState.release` (push-to-talk); the voice
engine listens to ``micPressed`` / ``micReleased`` and reports back through ``listening``,
``level`` (0–1, for the meter) and ``available`` (false while speech models load or without a
microphone; ``unavailableReason`` says why).
"""

from __future__ import annotations

from PySide6.QtCore import Property, QObject, Signal, Slot

__all__ = ["MicState"]


class MicState(QObject):
    """Push-to-talk state shared by the composer's mic button and the voice engine."""

    micPressed = Signal()
    micReleased = Signal()
    levelChanged = Signal()
    listeningChanged = Signal()
    availableChanged = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._level = 0.0
        self._listening = False
        self._available = False
        self._reason = "Voice is starting…"

    @Slot()
    def press(self) -> None:
        """The mic button went down (or was toggled on)."""
        if self._available:
            self.micPressed.emit()

    @Slot()
    def release(self) -> None:
        """The mic button came up (or was toggled off)."""
        if self._available:
            self.micReleased.emit()

    def _get_level(self) -> float:
        return self._level

    def set_level(self, value: float) -> None:
        """The input level, 0–1 (the meter around the mic button)."""
        value = min(1.0, max(0.0, float(value)))
        if abs(value - self._level) > 1e-3:
            self._level = value
            self.levelChanged.emit()

    def _get_listening(self) -> bool:
        return self._listening

    def set_listening(self, value: bool) -> None:
        """Whether Luma is capturing speech now."""
        if value != self._listening:
            self._listening = value
            if not value:
                self.set_level(0.0)
            self.listeningChanged.emit()

    def _get_available(self) -> bool:
        return self._available

    def _get_reason(self) -> str:
        return self._reason

    def set_available(self, available: bool, reason: str = "") -> None:
        """Whether push-to-talk works now; ``reason`` is shown when it does not."""
        self._reason = "" if available else (reason or "Voice input is not available.")
        if available != self._available:
            self._available = available
            if not available:
                self.set_listening(False)
        self.availableChanged.emit()

    level = Property(float, _get_level, set_level, notify=levelChanged)
    listening = Property(bool, _get_listening, set_listening, notify=listeningChanged)
    available = Property(bool, _get_available, notify=availableChanged)
    unavailableReason = Property(str, _get_reason, notify=availableChanged)
