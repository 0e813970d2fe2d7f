"""Measuring GUI-thread stalls: a 5 ms ``QTimer`` ticking on the GUI thread while work runs.

A gap between ticks much longer than 5 ms means the GUI thread could not get back to its event
loop for that long (busy, waiting for the GIL, or not scheduled by the OS).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from PySide6.QtCore import Qt, QTimer

__all__ = ["TICK_MS", "StallMeter", "measure_stalls"]

TICK_MS = 5


@dataclass
class StallMeter:
    """The tick times (``perf_counter`` seconds) seen while measuring."""

    ticks: list[float] = field(default_factory=list)

    @property
    def gaps_ms(self) -> list[float]:
        return [
            (later - earlier) * 1000
            for earlier, later in zip(self.ticks, self.ticks[1:], strict=False)
        ]

    @property
    def longest_gap_ms(self) -> float:
        return max(self.gaps_ms, default=0.0)


@contextmanager
def measure_stalls() -> Iterator[StallMeter]:
    """Tick every 5 ms on the GUI thread for the duration of the ``with`` block."""
    meter = StallMeter()
    timer = QTimer(interval=TICK_MS)
    timer.setTimerType(Qt.TimerType.PreciseTimer)
    timer.timeout.connect(lambda: meter.ticks.append(time.perf_counter()))
    timer.start()
    try:
        yield meter
    finally:
        timer.stop()
