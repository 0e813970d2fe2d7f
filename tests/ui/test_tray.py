"""The system tray (issue 8): under Xvfb with a tray host the icon appears, shows Luma's state
and its menu works; without a tray host Luma runs window-only and says so once.

The X11 parts run in a subprocess on a virtual screen (``_xvfb``, ``_x11_app``): Qt's platform
is chosen once per process and the rest of the suite runs offscreen.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtGui import QColor

from luma_desktop.paths import resolve_paths
from luma_desktop.ui import tray as tray_module
from luma_desktop.ui._tray_icons import STATE_COLOURS, TRAY_STATES, tray_icon
from luma_desktop.ui.app import DesktopApp

from ._xvfb import needs_xvfb, run_scenario, start_x


def _demo_copy(folder: Path, demo_file: Path) -> str:
    demo = folder / "demo"
    demo.mkdir()
    shutil.copy(demo_file, demo / "workspace.sqlite3")
    return str(demo)


@pytest.fixture(scope="module")
def tray_report(tmp_path_factory: pytest.TempPathFactory, _demo_sqlite_file: Path) -> Any:
    """What the tray scenario saw on Xvfb with trayer as the tray host (run once)."""
    home = tmp_path_factory.mktemp("tray")
    with start_x(home, tray=True) as display:
        return run_scenario(display, "tray", demo=_demo_copy(home, _demo_sqlite_file))


@pytest.fixture(scope="module")
def no_tray_report(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """What the app saw on Xvfb without any tray host."""
    home = tmp_path_factory.mktemp("no-tray")
    with start_x(home, tray=False) as display:
        return run_scenario(display, "no_tray")


# -- with a tray host ----------------------------------------------------------------------------


@needs_xvfb
def test_the_icon_appears_in_the_tray(tray_report):
    assert tray_report["system_tray"] is True
    assert tray_report["available"] is True
    assert tray_report["icon_visible"] is True
    x, y, width, height = tray_report["geometry"]
    assert width > 0
    assert height > 0
    assert 0 <= x < 1280
    assert 0 <= y < 800
    assert tray_report["idle_drawn"] is True, "the idle icon's colour is not on screen"
    assert tray_report["state"] == "idle"
    assert tray_report["keep_running_hidden"] is True  # closing the window hides it
    assert tray_report["notices"] == []


@needs_xvfb
def test_the_icon_shows_the_listening_state(tray_report):
    assert tray_report["listening_state"] == "listening"
    assert tray_report["listening_drawn"] is True, "the listening icon is not on screen"


@needs_xvfb
def test_open_luma_shows_the_hidden_window(tray_report):
    assert tray_report["open_shows_window"] is True


@needs_xvfb
def test_a_quick_action_is_sent_and_answered(tray_report):
    assert tray_report["quick_label"] == "Today's schedule"
    rows = tray_report["quick_rows"]
    assert rows[0] == ["user", "What's on today?"]
    answers = [text for kind, text in rows[1:] if kind == "assistant"]
    assert answers
    assert "appointment" in answers[-1]
    assert ["card", "appointment"] in rows


@needs_xvfb
def test_new_reminder_puts_the_start_of_a_request_in_the_composer(tray_report):
    assert tray_report["quick3_label"] == "New reminder…"
    assert tray_report["composer_text"] == "Remind me to "


@needs_xvfb
def test_do_not_disturb_toggles_and_is_remembered(tray_report):
    assert tray_report["dnd_on"] is True
    assert tray_report["dnd_checked"] is True
    assert tray_report["dnd_reloaded"] is True  # read back from the preferences file
    assert tray_report["dnd_tooltip"] == "Luma — Do not disturb"


@needs_xvfb
def test_push_to_talk_starts_and_ends_listening(tray_report):
    assert tray_report["ptt_calls"] == ["press", "release"]
    assert tray_report["ptt_label_while_listening"] == "Stop listening"


@needs_xvfb
def test_settings_opens_what_the_settings_window_registered(tray_report):
    assert tray_report["settings_enabled_alone"] is False
    assert tray_report["settings_opened"] == [True]


@needs_xvfb
def test_quit_ends_the_app_and_removes_the_icon(tray_report):
    assert tray_report["quit_exit"] == 0
    assert tray_report["icon_after_quit"] is False


# -- without a tray host -------------------------------------------------------------------------


@needs_xvfb
def test_without_a_tray_host_luma_runs_window_only_with_a_notice(no_tray_report):
    assert no_tray_report["system_tray"] is False
    assert no_tray_report["available"] is False
    assert no_tray_report["keep_running_hidden"] is False
    [notice] = no_tray_report["notices"]
    assert notice["key"] == "no-tray"
    assert "no system tray" in notice["message"]
    assert "closing it quits" in notice["message"]
    assert no_tray_report["notified"] is False
    assert no_tray_report["close_quits"] is True


# -- offscreen (this process) --------------------------------------------------------------------


@pytest.mark.parametrize("state", TRAY_STATES)
def test_each_state_has_its_icon(qapp, state):
    icon = tray_icon(state)
    sizes = {(size.width(), size.height()) for size in icon.availableSizes()}
    assert {(16, 16), (22, 22), (32, 32), (64, 64)} <= sizes
    image = icon.pixmap(64, 64).toImage()
    edge = image.pixelColor(8, 32)  # on the disc, clear of the glyph
    assert edge.name() == QColor(STATE_COLOURS[state]).name()
    assert image.pixelColor(0, 0).alpha() == 0  # round: the corners are transparent


def test_an_unknown_state_is_refused(qapp):
    with pytest.raises(ValueError, match="not a tray state"):
        tray_icon("dancing")


def test_the_no_tray_notice_is_shown_once_ever(qapp, qt_loop, run):
    """Offscreen there is no tray either: the first run says so, later runs do not."""
    first = DesktopApp(qapp, qt_loop, resolve_paths())
    tray = tray_module.install(first)
    assert tray.start() is False
    notices = [i for i in first.chat.model.items() if i.card_type == "notice"]
    assert [n.card_data["key"] for n in notices] == ["no-tray"]
    tray.start()
    assert len([i for i in first.chat.model.items() if i.card_type == "notice"]) == 1
    run(first.shutdown())  # closes the tray
    assert not tray.icon.isVisible()

    second = DesktopApp(qapp, qt_loop, resolve_paths())
    later = tray_module.install(second)
    assert later.start() is False
    assert [i for i in second.chat.model.items() if i.card_type == "notice"] == []
    run(second.shutdown())
