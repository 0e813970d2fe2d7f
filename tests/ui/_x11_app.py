"""Scenarios for the tray, the global hotkey and reminder notifications, run on a real X screen.

``python -m tests.ui._x11_app SCENARIO OPTIONS_JSON`` (see ``_xvfb.run_scenario``) builds the
desktop app on the xcb platform, runs one scenario on its qasync loop and prints
``REPORT {json}``: what it observed. The tests assert on the report. ``demo`` in the options
is a folder holding a copy of the demo workspace (seeded at ``NOW``); without it the app has
no assistant (start-up fails with a notice) — enough for the hotkey and the missing tray.
"""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import qasync
from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QColor, QGuiApplication
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

from luma_desktop.clock import FixedClock
from luma_desktop.errors import WorkspaceError
from luma_desktop.paths import AppPaths, resolve_paths
from luma_desktop.ui import hotkey as hotkey_module
from luma_desktop.ui import reminders as reminders_module
from luma_desktop.ui import tray as tray_module
from luma_desktop.ui.app import DesktopApp, Opened
from luma_desktop.ui.dnd import DoNotDisturb
from luma_desktop.ui.preferences import open_preferences

Report = dict[str, Any]
WAIT_S = 8.0
START_S = 40.0
"""How long the assistant may take to load (a busy CI machine)."""
NOW = datetime(2026, 11, 18, 14, 30, tzinfo=UTC)
"""The suite's fixed time (``tests/conftest.py``): the demo workspace is seeded at it."""


class FakePushToTalk:
    """A voice pipeline's push-to-talk surface that records what it was asked to do."""

    def __init__(self) -> None:
        self.calls: list[str] = []
        self.state = "idle"

    def press(self) -> None:
        self.calls.append("press")
        self.state = "listening"

    def release(self) -> None:
        self.calls.append("release")
        self.state = "idle"


# -- helpers -------------------------------------------------------------------------------------


async def wait_until(check: Callable[[], object], within: float = WAIT_S) -> bool:
    """Poll ``check`` while the loop runs; whether it came true ``within`` seconds."""
    deadline = asyncio.get_running_loop().time() + within
    while not check():
        if asyncio.get_running_loop().time() > deadline:
            return False
        await asyncio.sleep(0.02)
    return True


async def xdotool(*args: str) -> None:
    await asyncio.to_thread(subprocess.run, ["xdotool", *args], check=True)


def visible(app: DesktopApp) -> bool:
    return app.window is not None and app.window.isVisible()


def cards(app: DesktopApp, card_type: str) -> list[dict[str, Any]]:
    return [
        {"state": item.card_state, "outcome": item.card_outcome, **item.card_data}
        for item in app.chat.model.items()
        if item.kind == "card" and item.card_type == card_type
    ]


def has_colour(tray: tray_module.Tray, colour: str) -> bool:
    """Whether the screen shows ``colour`` where the tray icon is (a real screenshot)."""
    area = tray.icon.geometry()
    screen = QGuiApplication.primaryScreen()
    if area.isEmpty() or screen is None:
        return False
    image = screen.grabWindow(0, area.x(), area.y(), area.width(), area.height()).toImage()
    want = QColor(colour)
    for y in range(image.height()):
        for x in range(image.width()):
            pixel = image.pixelColor(x, y)
            if all(
                abs(a - b) < 24
                for a, b in zip(
                    (pixel.red(), pixel.green(), pixel.blue()),
                    (want.red(), want.green(), want.blue()),
                    strict=True,
                )
            ):
                return True
    return False


def balloon() -> QWidget | None:
    """Qt's own tray message window (used when no D-Bus notification service runs)."""
    for widget in QApplication.topLevelWidgets():
        if widget.metaObject().className() == "QBalloonTip" and widget.isVisible():
            return widget
    return None


def texts_in(widget: QWidget) -> list[str]:
    return [
        str(child.property("text"))
        for child in widget.findChildren(QObject)
        if child.metaObject().className() == "QLabel"
    ]


async def run_app(app: DesktopApp, *, ready: bool = True) -> asyncio.Task[int]:
    """Start ``app.run()`` (window hooks, then the services in the background); with
    ``ready``, wait until the start-up hooks (the extensions' first) have run."""
    started = asyncio.Event()
    app.on_ready.append(lambda _app: started.set())
    task = asyncio.ensure_future(app.run())
    if ready:
        await asyncio.wait_for(started.wait(), START_S)
    await asyncio.sleep(0)
    return task


# -- scenarios -----------------------------------------------------------------------------------


async def tray_scenario(app: DesktopApp, clock: FixedClock) -> Report:
    report: Report = {}
    tray = tray_module.install(app)
    fake = app.services.extras["push_to_talk"] = FakePushToTalk()
    app.load_window()
    app.showWindow()
    running = await run_app(app)
    await wait_until(lambda: tray.icon.isVisible() and not tray.icon.geometry().isEmpty())
    area = tray.icon.geometry()
    report.update(
        system_tray=tray_module.QSystemTrayIcon.isSystemTrayAvailable(),
        available=tray.property("available"),
        icon_visible=tray.icon.isVisible(),
        geometry=[area.x(), area.y(), area.width(), area.height()],
        keep_running_hidden=app.keep_running_hidden,
        notices=cards(app, "notice"),
        state=tray.property("state"),
        idle_drawn=await wait_until(lambda: has_colour(tray, "#5046e5")),
    )
    tray.set_voice_state("listening")
    report["listening_state"] = tray.property("state")
    report["listening_drawn"] = await wait_until(lambda: has_colour(tray, "#dc2626"))
    tray.set_voice_state("idle")

    def act(name: str) -> None:
        tray.actions[name].trigger()

    app.hideWindow()
    act("open")
    report["open_shows_window"] = await wait_until(lambda: visible(app))

    before = len(app.chat.model)
    act("quick0")
    await app.chat.idle()
    new = app.chat.model.items()[before:]
    report["quick_label"] = tray.actions["quick0"].text()
    report["quick_rows"] = [[item.kind, item.text or item.card_type] for item in new]

    act("quick3")
    field = app.window.findChild(QObject, "composerInput") if app.window else None
    report["quick3_label"] = tray.actions["quick3"].text()
    report["composer_text"] = field.property("text") if field is not None else None

    act("dnd")
    report["dnd_on"] = tray.dnd.is_on()
    report["dnd_checked"] = tray.actions["dnd"].isChecked()
    report["dnd_reloaded"] = DoNotDisturb(open_preferences(app.services.paths)).is_on()
    report["dnd_tooltip"] = tray.icon.toolTip()

    act("push_to_talk")
    tray.menu.aboutToShow.emit()
    report["ptt_label_while_listening"] = tray.actions["push_to_talk"].text()
    act("push_to_talk")
    report["ptt_calls"] = list(fake.calls)

    tray.menu.aboutToShow.emit()
    report["settings_enabled_alone"] = tray.actions["settings"].isEnabled()
    opened: list[bool] = []
    tray.open_settings = lambda: opened.append(True)
    tray.menu.aboutToShow.emit()
    act("settings")
    report["settings_opened"] = opened

    act("quit")
    report["quit_exit"] = await asyncio.wait_for(running, 20)
    report["icon_after_quit"] = tray.icon.isVisible()
    return report


async def no_tray_scenario(app: DesktopApp, clock: FixedClock) -> Report:
    tray = tray_module.install(app)
    app.load_window()
    app.showWindow()
    running = await run_app(app, ready=False)
    await wait_until(lambda: cards(app, "notice"), 5)
    report: Report = {
        "system_tray": tray_module.QSystemTrayIcon.isSystemTrayAvailable(),
        "available": tray.property("available"),
        "keep_running_hidden": app.keep_running_hidden,
        "notices": cards(app, "notice"),
        "notified": tray.notify("Reminder", "Call the accountant"),
    }
    app.closeWindow()  # window-only: closing quits
    report["close_quits"] = await asyncio.wait_for(running, 20) == 0
    return report


async def hotkey_scenario(app: DesktopApp, clock: FixedClock) -> Report:
    report: Report = {}
    fake = app.services.extras["push_to_talk"] = FakePushToTalk()
    mode = ["hold"]
    hotkey = hotkey_module.install(app, mode=lambda: mode[0])
    app.load_window()
    app.showWindow()
    await wait_until(lambda: visible(app))
    hotkey.start()
    await wait_until(lambda: hotkey.property("status") != "starting")
    report.update(status=hotkey.property("status"), label=hotkey.property("label"))

    await xdotool("key", "--delay", "0", "ctrl+alt+space")
    report["tap_hides"] = await wait_until(lambda: not visible(app))
    await xdotool("key", "--delay", "0", "ctrl+alt+space")
    report["tap_shows"] = await wait_until(lambda: visible(app))
    report["calls_after_taps"] = list(fake.calls)

    await xdotool("keydown", "ctrl+alt+space")
    report["hold_presses"] = await wait_until(lambda: fake.calls == ["press"])
    await asyncio.sleep(0.2)
    await xdotool("keyup", "ctrl+alt+space")
    await wait_until(lambda: len(fake.calls) >= 2)
    report["hold_calls"] = list(fake.calls)
    report["visible_after_hold"] = visible(app)

    fake.calls.clear()
    mode[0] = "toggle"
    await xdotool("keydown", "ctrl+alt+space")
    await wait_until(lambda: fake.calls == ["press"])
    await xdotool("keyup", "ctrl+alt+space")
    await asyncio.sleep(0.5)
    report["toggle_after_hold"] = list(fake.calls)
    await xdotool("key", "--delay", "0", "ctrl+alt+space")
    await wait_until(lambda: len(fake.calls) >= 2)
    await asyncio.sleep(0.4)
    report["toggle_after_tap"] = list(fake.calls)
    report["visible_after_toggle_tap"] = visible(app)

    report.update(await _conflict(app, hotkey))
    report["invalid"] = hotkey.rebind("<ctrl>+<alt>+nope")
    hotkey.stop()
    await app.shutdown()
    return report


async def _conflict(app: DesktopApp, hotkey: hotkey_module.GlobalHotkey) -> Report:
    """Another X client grabs Ctrl+Alt+L; rebinding to it is reported as a conflict."""
    from Xlib import XK, X, display

    other = display.Display()
    keycode = other.keysym_to_keycode(XK.string_to_keysym("l"))
    root = other.screen().root
    root.grab_key(keycode, X.ControlMask | X.Mod1Mask, False, X.GrabModeAsync, X.GrabModeAsync)
    other.sync()
    try:
        error = hotkey.rebind("<ctrl>+<alt>+l")
        await wait_until(lambda: hotkey.property("status") not in ("starting", "active"))
        return {
            "rebind_error": error,
            "conflict_status": hotkey.property("status"),
            "conflict_problem": hotkey.property("problem"),
            "conflict_notices": [n["key"] for n in cards(app, "notice")],
        }
    finally:
        other.close()


async def reminder_scenario(app: DesktopApp, clock: FixedClock) -> Report:
    report: Report = {}
    tray = tray_module.install(app)
    notifier = reminders_module.install(app)
    spoken: list[str] = []
    notifier.speak = spoken.append
    app.load_window()
    app.showWindow()
    running = await run_app(app)
    await wait_until(notifier.timer.isActive)
    await wait_until(lambda: tray.icon.isVisible() and not tray.icon.geometry().isEmpty())
    await notifier.idle()
    report["cards_before"] = cards(app, "reminder")
    report["timer_ms"] = notifier.timer.interval()

    clock.advance(timedelta(minutes=45))
    due = await notifier.check()
    report["due"] = [reminder.text for reminder in due]
    message = tray.messages[-1] if tray.messages else None
    report["message"] = [message.title, message.text, message.shown] if message else None
    await wait_until(lambda: balloon() is not None, 5)
    tip = balloon()
    report["balloon_texts"] = texts_in(tip) if tip is not None else []
    report["state"] = tray.property("state")
    report["alerts"] = [a.text() for a in tray.menu.actions() if a.objectName() == "alert"]
    await notifier.idle()
    report["spoken"] = list(spoken)

    app.hideWindow()
    app.chat.model.reset()  # the user started a new conversation meanwhile
    if tip is not None:
        QTest.mouseClick(tip, Qt.MouseButton.LeftButton)
    report["click_opens_window"] = await wait_until(lambda: visible(app))
    report["cards_after_click"] = cards(app, "reminder")

    alert = next(a for a in tray.menu.actions() if a.objectName() == "alert")
    menu = alert.menu()
    snooze = next(a for a in menu.actions() if a.text().startswith("Snooze"))
    snooze.trigger()
    await notifier.idle()
    report["cards_after_snooze"] = cards(app, "reminder")
    report["state_after_snooze"] = tray.property("state")
    report["alerts_after_snooze"] = [
        a.text() for a in tray.menu.actions() if a.objectName() == "alert"
    ]
    app.quit()
    await asyncio.wait_for(running, 20)
    return report


SCENARIOS: dict[str, Callable[[DesktopApp, FixedClock], Awaitable[Report]]] = {
    "tray": tray_scenario,
    "no_tray": no_tray_scenario,
    "hotkey": hotkey_scenario,
    "reminder": reminder_scenario,
}


# -- running -------------------------------------------------------------------------------------


def _opener(demo: str | None, clock: FixedClock) -> Callable[[AppPaths], Opened]:
    def open_demo(_paths: AppPaths) -> Opened:
        from luma_desktop.assistant.factory import build_assistant
        from luma_desktop.settings import LumaSettings
        from luma_desktop.tools import build_registry
        from luma_desktop.workspace.database import Workspace, sqlite_url

        if demo is None:
            raise WorkspaceError("This test runs without a workspace.")
        workspace = Workspace(sqlite_url(Path(demo)))
        assistant = build_assistant(workspace, build_registry(), LumaSettings(), clock=clock)
        return Opened(workspace, assistant)

    return open_demo


def main(argv: list[str]) -> int:
    scenario, options = SCENARIOS[argv[1]], json.loads(argv[2] if len(argv) > 2 else "{}")
    qapp = QApplication(["luma"])
    qapp.setApplicationName("Luma")
    qapp.setOrganizationName("Luma")
    qapp.setQuitOnLastWindowClosed(False)
    loop = qasync.QEventLoop(qapp)
    asyncio.set_event_loop(loop)
    clock = FixedClock(NOW)
    app = DesktopApp(qapp, loop, resolve_paths(), opener=_opener(options.get("demo"), clock))
    with loop:
        report = loop.run_until_complete(asyncio.wait_for(scenario(app, clock), 50))
    print("REPORT " + json.dumps(report, default=str), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
