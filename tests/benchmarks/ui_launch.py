"""Launch to window shown (target < 1.5 s): python -m tests.benchmarks.ui_launch [--quick].

Starts the real app (``run_app``) in a subprocess, offscreen, with ``LUMA_REPORT_SHOWN`` set:
the app prints ``LUMA_SHOWN <time>`` at the window's first frame and ``LUMA_READY <time>``
once the workspace is open and the assistant built. Measured from just before the process
starts. "Fresh" runs use a new, empty Luma home (the window shows while the demo business is
still being created); "existing" runs reuse a home whose workspace is already there.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from ._stats import print_row

_CODE = "import sys; from luma_desktop.ui.app import run_app; sys.exit(run_app(['luma']))"
_TIMEOUT_S = 120.0


def _launch(home: Path, *, until: str) -> dict[str, float]:
    """Start the app, wait for the ``until`` mark, stop it; the marks' delays in seconds."""
    environment = {
        **os.environ,
        "LUMA_HOME": str(home),
        "LUMA_KEYRING": "off",
        "LUMA_REPORT_SHOWN": "1",
        "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen"),
    }
    started = time.time()
    process = subprocess.Popen(
        [sys.executable, "-c", _CODE],
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    marks: dict[str, float] = {}
    try:
        assert process.stdout is not None
        for line in process.stdout:
            label, _, stamp = line.strip().partition(" ")
            if label.startswith("LUMA_"):
                marks[label.removeprefix("LUMA_").lower()] = float(stamp) - started
            if until in marks or time.time() - started > _TIMEOUT_S:
                break
    finally:
        _stop(process, graceful=until == "ready")
    if until not in marks:
        raise RuntimeError(f"the app never reported {until!r} (exit code {process.returncode})")
    return marks


def _stop(process: subprocess.Popen[str], *, graceful: bool) -> None:
    if graceful:
        process.send_signal(signal.SIGTERM)  # the app quits cleanly on SIGTERM
        try:
            process.wait(timeout=30)
            return
        except subprocess.TimeoutExpired:
            pass
    process.kill()
    process.wait()


def _remove_socket(home: Path) -> None:
    """A killed app leaves its single-instance socket behind."""
    from PySide6.QtCore import QDir

    from luma_desktop.ui.single_instance import instance_name

    (Path(QDir.tempPath()) / instance_name(home / "config")).unlink(missing_ok=True)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="few runs (smoke test)")
    args = parser.parse_args(argv)
    fresh_runs, existing_runs = (2, 0) if args.quick else (5, 5)
    fresh: list[float] = []
    for _ in range(fresh_runs):
        home = Path(tempfile.mkdtemp(prefix="luma-launch-"))
        try:
            fresh.append(_launch(home, until="shown")["shown"] * 1000)
        finally:
            _remove_socket(home)
            shutil.rmtree(home, ignore_errors=True)
    print_row("launch to window shown (fresh home)", fresh, target="< 1500 ms")
    if not existing_runs:
        return
    home = Path(tempfile.mkdtemp(prefix="luma-launch-"))
    try:
        first = _launch(home, until="ready")
        print(f"first run: demo business created, assistant ready after {first['ready']:.1f} s")
        runs = [_launch(home, until="ready") for _ in range(existing_runs)]
    finally:
        shutil.rmtree(home, ignore_errors=True)
    print_row(
        "launch to window shown (existing workspace)",
        [run["shown"] * 1000 for run in runs],
        target="< 1500 ms",
    )
    print_row("launch to assistant ready (existing)", [run["ready"] * 1000 for run in runs])


if __name__ == "__main__":
    main()
