"""Resident memory of the running app at idle: python -m tests.benchmarks.ui_memory [--quick].

Starts the real app offscreen (as ``tests.benchmarks.ui_launch`` does) on a fresh Luma home,
waits until the assistant is ready, then until the process's resident memory has been steady
for a few seconds (the speech and embedding models load in the background after the window
shows), and prints it: with voice and memory on (both models loaded), and with both off for
comparison.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

_CODE = "import sys; from luma_desktop.ui.app import run_app; sys.exit(run_app(['luma']))"
_MIB = 1024 * 1024


def _idle_rss(home: Path, *, models: bool, settle_s: float, limit_s: float) -> float:
    """MiB resident once the app is ready and its memory has stopped growing."""
    switch = "true" if models else "false"
    environment = {
        **os.environ,
        "LUMA_HOME": str(home),
        "LUMA_KEYRING": "off",
        "LUMA_REPORT_SHOWN": "1",
        "LUMA_MEMORY_ENABLED": switch,
        "LUMA_VOICE_ENABLED": switch,
        "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen"),
    }
    process = subprocess.Popen(
        [sys.executable, "-c", _CODE],
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert process.stdout is not None
        for line in process.stdout:
            if line.startswith("LUMA_READY"):
                break
        watched = psutil.Process(process.pid)
        started, steady_since, last = time.monotonic(), time.monotonic(), 0.0
        while time.monotonic() - started < limit_s:
            rss = watched.memory_info().rss / _MIB
            if abs(rss - last) > 2:
                steady_since, last = time.monotonic(), rss
            elif time.monotonic() - steady_since >= settle_s:
                break
            time.sleep(0.5)
        return last
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="shorter settling (smoke run)")
    args = parser.parse_args()
    settle, limit = (2.0, 30.0) if args.quick else (6.0, 120.0)
    print("resident memory at idle (offscreen, demo business, after start-up settles):")
    for models in (True, False):
        with tempfile.TemporaryDirectory(prefix="luma-rss-") as home:
            rss = _idle_rss(Path(home), models=models, settle_s=settle, limit_s=limit)
        label = "speech + embedding models loaded" if models else "voice and memory off"
        print(f"  {label:<34} {rss:8.0f} MiB")
    print("(no p95: one figure per configuration)")


if __name__ == "__main__":
    main()
