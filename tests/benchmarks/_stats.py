"""Small helpers the benchmarks share: timing, percentiles, printing."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from typing import Any

__all__ = ["percentile", "print_row", "time_calls"]


def percentile(samples: list[float], fraction: float) -> float:
    """The ``fraction`` (0-1) percentile of ``samples`` (nearest-rank)."""
    ordered = sorted(samples)
    index = max(0, min(len(ordered) - 1, round(fraction * len(ordered) + 0.5) - 1))
    return ordered[index]


def time_calls(call: Callable[[], Any], repeat: int, warmup: int = 3) -> list[float]:
    """Durations of ``repeat`` calls in milliseconds, after ``warmup`` untimed calls."""
    for _ in range(warmup):
        call()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        call()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def print_row(name: str, samples: list[float], unit: str = "ms", target: str = "") -> None:
    """One line: name, p50, p95, max and the target it is measured against."""
    p50, p95 = statistics.median(samples), percentile(samples, 0.95)
    suffix = f"  (target {target})" if target else ""
    print(
        f"{name:42} p50 {p50:8.2f} {unit}  p95 {p95:8.2f} {unit}  max {max(samples):8.2f} "
        f"{unit}  n={len(samples)}{suffix}"
    )
