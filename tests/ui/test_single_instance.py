"""One Luma per user: the second start hands "show" to the first and exits 0."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

import pytest
from PySide6.QtCore import QDir

from luma_desktop.paths import resolve_paths
from luma_desktop.ui.single_instance import SingleInstance, instance_name


@pytest.fixture
def name() -> str:
    return f"luma-test-{uuid.uuid4().hex[:12]}"


def test_the_second_instance_signals_the_first(qtbot, name):
    first, second = SingleInstance(name), SingleInstance(name)
    try:
        assert first.claim()
        assert not second.claim()
        with qtbot.waitSignal(first.messageReceived, timeout=5000) as received:
            assert second.notify("show")
        assert received.args == ["show"]
    finally:
        first.close()


def test_several_lines_arrive_in_order(qtbot, name):
    first = SingleInstance(name)
    messages: list[str] = []
    first.messageReceived.connect(messages.append)
    try:
        assert first.claim()
        assert SingleInstance(name).notify("show")
        assert SingleInstance(name).notify("  ptt  ")
        qtbot.waitUntil(lambda: messages == ["show", "ptt"], timeout=5000)
    finally:
        first.close()


def test_nobody_to_notify_when_no_instance_runs(name):
    assert not SingleInstance(name).notify("show")


@pytest.mark.skipif(sys.platform == "win32", reason="local sockets are named pipes on Windows")
def test_a_socket_left_by_a_crashed_instance_is_taken_over(qtbot, name):
    path = Path(QDir.tempPath()) / name
    stale = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    stale.bind(str(path))
    stale.close()  # the file stays, nobody listens
    assert path.exists()
    instance = SingleInstance(name)
    try:
        assert instance.claim()
        with qtbot.waitSignal(instance.messageReceived, timeout=5000):
            assert SingleInstance(name).notify("show")
    finally:
        instance.close()


def test_names_differ_per_config_folder(tmp_path):
    assert instance_name(tmp_path / "a") != instance_name(tmp_path / "b")
    assert instance_name(tmp_path / "a") == instance_name(tmp_path / "a")
    assert len(instance_name(tmp_path / "a")) < 40


@pytest.mark.slow
def test_a_second_luma_shows_the_running_one_and_exits_0(qtbot):
    running = SingleInstance(instance_name(resolve_paths().config))
    try:
        assert running.claim()
        environment = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
        with qtbot.waitSignal(running.messageReceived, timeout=30_000) as received:
            result = subprocess.run(
                [
                    sys.executable,
                    "-c",
                    "import sys; from luma_desktop.ui.app import run_app; "
                    "sys.exit(run_app(['luma']))",
                ],
                env=environment,
                capture_output=True,
                text=True,
                timeout=60,
                check=False,
                cwd=tempfile.gettempdir(),
            )
        assert result.returncode == 0, result.stderr
        assert received.args == ["show"]
    finally:
        running.close()
