"""A virtual X screen for the tray and global-hotkey tests, and a runner for Qt code on it.

``Xvfb -displayfd`` picks a free display number and writes it when the server is ready;
``trayer`` on top of it is the system-tray host (ready once it owns the ``_NET_SYSTEM_TRAY_S0``
selection). Both are stopped when the test ends. Qt picks its platform once per process and
the suite runs offscreen, so Qt code that needs X runs in a subprocess:
:func:`run_scenario` starts ``python -m tests.ui._x11_app <scenario>`` on the display and
returns the JSON it reports. Tests skip only when Xvfb is not installed (CI installs it, with
xdotool and trayer: ``.ci/install-system-packages``).
"""

from __future__ import annotations

import json
import os
import select
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

__all__ = ["XDisplay", "needs_xvfb", "run_scenario", "start_x"]

REPO = Path(__file__).resolve().parents[2]
READY_S = 10.0
SCENARIO_S = 60.0
TRAYER = [
    "trayer",
    "--edge",
    "top",
    "--align",
    "right",
    "--widthtype",
    "request",
    "--height",
    "24",
    "--transparent",
    "false",
]

needs_xvfb = pytest.mark.skipif(
    shutil.which("Xvfb") is None, reason="Xvfb is not installed (apt install xvfb)"
)


@dataclass
class XDisplay:
    """A running virtual screen (and its tray host)."""

    name: str
    """``:N``."""
    tray: bool
    home: Path
    processes: list[subprocess.Popen[bytes]] = field(default_factory=list)

    def env(self) -> dict[str, str]:
        """The environment of a Luma process on this screen: xcb, no D-Bus (Qt then uses the
        XEmbed tray, which trayer hosts), its own Luma home and config folder."""
        runtime = self.home / "runtime"
        runtime.mkdir(mode=0o700, exist_ok=True)
        env = {
            key: value
            for key, value in os.environ.items()
            if key not in {"DBUS_SESSION_BUS_ADDRESS", "WAYLAND_DISPLAY", "XDG_SESSION_TYPE"}
        }
        env.update(
            DISPLAY=self.name,
            QT_QPA_PLATFORM="xcb",
            LUMA_TEST_QT_PLATFORM="xcb",
            QT_QUICK_BACKEND="software",
            LUMA_HOME=str(self.home / "luma"),
            XDG_CONFIG_HOME=str(self.home / "config"),
            XDG_RUNTIME_DIR=str(runtime),
            LUMA_KEYRING="off",
            LUMA_MEMORY_ENABLED="false",
            HF_HUB_OFFLINE="1",
            PYTHONPATH=os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")])),
        )
        return env

    def xdotool(self, *args: str) -> None:
        """Run xdotool on this screen (synthetic key presses reach every client)."""
        subprocess.run(["xdotool", *args], env={**os.environ, "DISPLAY": self.name}, check=True)


@contextmanager
def start_x(home: Path, *, tray: bool) -> Iterator[XDisplay]:
    """Xvfb (1280×800, 24-bit) and, when ``tray``, trayer as the tray host; stopped after."""
    read, write = os.pipe()
    server = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write), "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
        pass_fds=(write,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write)
    display = XDisplay(f":{_read_display(read, server)}", tray, home, [server])
    try:
        if tray:
            display.processes.append(
                subprocess.Popen(
                    TRAYER,
                    env={**os.environ, "DISPLAY": display.name},
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
            )
            _wait_for_tray(display.name)
        yield display
    finally:
        for process in reversed(display.processes):
            process.terminate()
            try:
                process.wait(5)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _read_display(fd: int, server: subprocess.Popen[bytes]) -> str:
    """The display number Xvfb writes once it accepts connections (read up to its newline:
    Xvfb stops if the pipe closes before it has written everything)."""
    text, deadline = b"", time.monotonic() + READY_S
    try:
        while not text.endswith(b"\n") and time.monotonic() < deadline:
            ready, _, _ = select.select([fd], [], [], max(0.0, deadline - time.monotonic()))
            chunk = os.read(fd, 32) if ready else b""
            if not chunk:
                break
            text += chunk
    finally:
        os.close(fd)
    number = text.decode().strip()
    if not number.isdigit():
        server.kill()
        server.wait()
        raise RuntimeError(f"Xvfb did not start within {READY_S:.0f} s (exit {server.poll()})")
    return number


_TRAY_OWNED = """
import sys, time
from Xlib import X, display
connection = display.Display(sys.argv[1])
atom = connection.intern_atom("_NET_SYSTEM_TRAY_S0")
deadline = time.monotonic() + float(sys.argv[2])
while connection.get_selection_owner(atom) == X.NONE:
    if time.monotonic() > deadline:
        sys.exit(1)
    time.sleep(0.05)
"""


def _wait_for_tray(name: str) -> None:
    """Until trayer owns the tray selection (checked by a child process: the test process
    may open no sockets besides loopback ones)."""
    waited = subprocess.run(
        [sys.executable, "-c", _TRAY_OWNED, name, str(READY_S)], check=False, timeout=30
    )
    if waited.returncode != 0:
        raise RuntimeError(f"trayer did not take the system tray within {READY_S:.0f} s")


def run_scenario(display: XDisplay, scenario: str, **options: Any) -> dict[str, Any]:
    """Run ``tests/ui/_x11_app.py`` ``scenario`` on ``display``; its JSON report."""
    result = subprocess.run(
        [sys.executable, "-m", "tests.ui._x11_app", scenario, json.dumps(options)],
        env=display.env(),
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=SCENARIO_S,
        check=False,
    )
    lines = [line for line in result.stdout.splitlines() if line.startswith("REPORT ")]
    output = f"{result.stdout[-3000:]}\n{result.stderr[-6000:]}"
    assert result.returncode == 0, (
        f"scenario {scenario} failed (exit {result.returncode}):\n{output}"
    )
    assert lines, f"scenario {scenario} reported nothing:\n{output}"
    report: dict[str, Any] = json.loads(lines[-1].removeprefix("REPORT "))
    return report
