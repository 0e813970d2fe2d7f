"""The global hotkey (issue 8): xdotool presses on a virtual X screen reach pynput, a tap shows
and hides Luma, a hold is push-to-talk, a grabbed combination is reported; Wayland gets a
notice instead; combinations are parsed with clear errors.
"""

from __future__ import annotations

import re
import threading
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from luma_desktop.errors import ConfigurationError
from luma_desktop.paths import resolve_paths
from luma_desktop.ui import hotkey as hotkey_module
from luma_desktop.ui._keys import parse_combo
from luma_desktop.ui.app import DesktopApp
from luma_desktop.ui.hotkey import (
    DEFAULT_HOTKEY,
    HOLD_MS,
    hotkey_setting,
    toggle_talk,
    wayland_session,
)
from luma_desktop.ui.preferences import open_preferences
from luma_desktop.ui.single_instance import SingleInstance

from ._x11_app import FakePushToTalk
from ._xvfb import needs_xvfb, run_scenario, start_x


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """What the hotkey scenario saw on Xvfb (xdotool presses Ctrl+Alt+Space)."""
    home = tmp_path_factory.mktemp("hotkey")
    with start_x(home, tray=False) as display:
        return run_scenario(display, "hotkey")


# -- on X11 --------------------------------------------------------------------------------------


@needs_xvfb
def test_the_hotkey_listens_from_the_start(report):
    assert report["status"] == "active"
    assert report["label"] == "Ctrl+Alt+Space"


@needs_xvfb
def test_a_tap_hides_and_shows_the_window(report):
    assert report["tap_hides"] is True
    assert report["tap_shows"] is True
    assert report["calls_after_taps"] == []  # a tap is not push-to-talk


@needs_xvfb
def test_holding_the_key_is_push_to_talk(report):
    assert report["hold_presses"] is True
    assert report["hold_calls"] == ["press", "release"]
    assert report["visible_after_hold"] is True  # a hold does not hide the window


@needs_xvfb
def test_in_toggle_mode_the_next_press_ends_listening(report):
    assert report["toggle_after_hold"] == ["press"]  # letting go keeps listening
    assert report["toggle_after_tap"] == ["press", "release"]
    assert report["visible_after_toggle_tap"] is True


@needs_xvfb
def test_a_combination_another_app_grabbed_is_reported(report):
    assert report["rebind_error"] == ""
    assert report["conflict_status"] == "conflict"
    assert report["conflict_problem"].startswith("Ctrl+Alt+L is already used by another app")
    assert "Settings (hotkey)" in report["conflict_problem"]
    assert report["conflict_notices"] == ["hotkey-conflict"]


@needs_xvfb
def test_rebinding_to_an_unknown_key_is_refused(report):
    assert "“nope” is not a key Luma knows" in report["invalid"]


# -- combinations --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "label", "qt_text"),
    [
        pytest.param("<ctrl>+<alt>+space", "Ctrl+Alt+Space", "Ctrl+Alt+Space", id="pynput"),
        pytest.param("Ctrl+Alt+Space", "Ctrl+Alt+Space", "Ctrl+Alt+Space", id="qt-text"),
        pytest.param("control + option + SPACE", "Ctrl+Alt+Space", "Ctrl+Alt+Space", id="words"),
        pytest.param("<alt>+<ctrl_l>+l", "Ctrl+Alt+L", "Ctrl+Alt+L", id="sides-and-order"),
        pytest.param("Ctrl+Shift+PgDown", "Ctrl+Shift+Page Down", "Ctrl+Shift+PgDown", id="pgdn"),
        pytest.param("F9", "F9", "F9", id="function-key-alone"),
        pytest.param("ctrl++", "Ctrl++", "Ctrl++", id="plus-key"),
    ],
)
def test_combinations_are_read_in_either_spelling(text, label, qt_text):
    combo = parse_combo(text)
    assert combo.label == label
    assert combo.qt_text == qt_text
    assert parse_combo(combo.qt_text) == combo


@pytest.mark.parametrize(
    ("text", "why"),
    [
        pytest.param("", "write it like Ctrl+Alt+Space", id="empty"),
        pytest.param("space", "would fire while you type", id="no-modifier"),
        pytest.param("a", "would fire while you type", id="plain-letter"),
        pytest.param("<ctrl>+<alt>", "exactly one other key", id="modifiers-only"),
        pytest.param("ctrl+a+b", "exactly one other key", id="two-keys"),
        pytest.param("ctrl+alt+nope", "“nope” is not a key", id="unknown"),
    ],
)
def test_bad_combinations_are_refused_naming_the_setting(text, why):
    with pytest.raises(ConfigurationError, match=re.escape(why)) as raised:
        parse_combo(text)
    assert raised.value.setting == "hotkey"


def test_the_setting_defaults_and_reads_the_preferences_file():
    store = open_preferences()
    assert hotkey_setting(store) == DEFAULT_HOTKEY
    store.setValue("hotkey", "Ctrl+Shift+Space")
    assert parse_combo(hotkey_setting(store)).label == "Ctrl+Shift+Space"


@pytest.mark.parametrize(
    ("environ", "wayland"),
    [
        pytest.param({"WAYLAND_DISPLAY": "wayland-0"}, True, id="wayland-display"),
        pytest.param({"XDG_SESSION_TYPE": "wayland"}, True, id="session-type"),
        pytest.param({"XDG_SESSION_TYPE": "x11", "WAYLAND_DISPLAY": "w"}, False, id="x11-wins"),
        pytest.param({"DISPLAY": ":0"}, False, id="x11"),
        pytest.param({}, False, id="nothing"),
    ],
)
def test_wayland_sessions_are_recognised(environ, wayland):
    assert wayland_session(environ) is wayland


# -- offscreen (this process) --------------------------------------------------------------------


@pytest.fixture
def make(qapp, qt_loop, run) -> Iterator[Callable[..., DesktopApp]]:
    """Apps without a window or an assistant (enough for the hotkey); shut down after."""
    apps: list[DesktopApp] = []

    def make_(instance: SingleInstance | None = None) -> DesktopApp:
        apps.append(DesktopApp(qapp, qt_loop, resolve_paths(), instance=instance))
        return apps[-1]

    yield make_
    for app in apps:
        run(app.shutdown())


@pytest.fixture
def app(make) -> DesktopApp:
    return make()


def _notices(app: DesktopApp) -> list[str]:
    return [i.card_data["key"] for i in app.chat.model.items() if i.card_type == "notice"]


def test_on_wayland_luma_says_so_once_and_offers_the_tray_and_ctrl_k(make, app):
    wayland = {"WAYLAND_DISPLAY": "wayland-0"}
    hotkey = hotkey_module.install(app, environ=wayland)
    hotkey.start()
    assert hotkey.property("status") == "wayland"
    assert _notices(app) == ["hotkey-wayland"]
    message = app.chat.model.items()[-1].card_data["message"]
    assert "Wayland" in message
    assert "Ctrl+K" in message
    assert "tray" in message
    hotkey.start()
    assert _notices(app) == ["hotkey-wayland"]

    later = make()  # the next run
    again = hotkey_module.install(later, environ=wayland)
    again.start()
    assert again.property("status") == "wayland"
    assert _notices(later) == []  # said once, ever


def test_a_bad_stored_combination_falls_back_with_a_notice(app):
    open_preferences().setValue("hotkey", "Ctrl+Alt")
    hotkey = hotkey_module.install(app, environ={"WAYLAND_DISPLAY": "w"})
    hotkey.start()
    assert hotkey.property("status") == "invalid"
    assert hotkey.property("label") == "Ctrl+Alt+Space"
    assert _notices(app) == ["hotkey-invalid"]
    assert "Settings" in hotkey.property("problem")


def test_reports_from_the_watcher_thread_reach_the_gui_thread(qtbot, app):
    """A hold while voice is still loading: the mic refuses, the window says why."""
    hotkey = hotkey_module.install(app, environ={})
    pressed: list[bool] = []
    app.mic.micPressed.connect(lambda: pressed.append(True))
    worker = threading.Thread(target=hotkey.signals.down.emit)
    with qtbot.waitSignal(app.chat.noticeRaised, timeout=HOLD_MS + 2000) as notice:
        worker.start()
    worker.join()
    assert notice.args == ["Push-to-talk: Voice is starting…"]
    assert pressed == []


def test_a_second_luma_can_ask_for_push_to_talk(qtbot, make):
    name = f"luma-test-{uuid.uuid4().hex[:12]}"
    instance = SingleInstance(name)
    assert instance.claim()
    app = make(instance)
    fake = app.services.extras["push_to_talk"] = FakePushToTalk()
    hotkey_module.install(app, environ={"WAYLAND_DISPLAY": "w"})
    assert SingleInstance(name).notify("ptt")
    qtbot.waitUntil(lambda: fake.calls == ["press"], timeout=5000)
    assert SingleInstance(name).notify("ptt")
    qtbot.waitUntil(lambda: fake.calls == ["press", "release"], timeout=5000)


def test_toggle_talk_uses_a_pipelines_own_toggle():
    class Pipeline:
        def __init__(self) -> None:
            self.calls: list[str] = []

        def press(self) -> None:
            self.calls.append("press")

        def release(self) -> None:
            self.calls.append("release")

        def toggle(self) -> None:
            self.calls.append("toggle")

    pipeline = Pipeline()
    toggle_talk(pipeline)
    assert pipeline.calls == ["toggle"]
    fake = FakePushToTalk()
    toggle_talk(fake)
    toggle_talk(fake)
    assert fake.calls == ["press", "release"]


def test_the_default_is_the_documented_one():
    assert DEFAULT_HOTKEY == "<ctrl>+<alt>+space"
    assert parse_combo(DEFAULT_HOTKEY).pynput == "<ctrl>+<alt>+<space>"
    assert Path(hotkey_module.__file__).name == "hotkey.py"
