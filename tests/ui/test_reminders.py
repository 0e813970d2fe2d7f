"""Reminders as notifications (issue 8): due at the test clock → a tray message, a card in the
chat and speech; snooze moves it ten minutes, done ends it; Do not disturb keeps the card but
not the voice. The scheduled payments run with the same check once a day.

Most tests run offscreen in this process (the tray records what it was asked to show); one
runs the app on Xvfb with a tray host, where the message really pops up and a click on it
opens the chat at the card.
"""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from PySide6.QtCore import QEvent, QPointF, Qt
from PySide6.QtGui import QGuiApplication, QMouseEvent
from PySide6.QtQuick import QQuickItem
from PySide6.QtWidgets import QApplication

from luma_desktop.assistant.context import execution_context_for
from luma_desktop.assistant.factory import build_assistant
from luma_desktop.clock import FixedClock
from luma_desktop.paths import resolve_paths
from luma_desktop.settings import LumaSettings
from luma_desktop.ui import reminders as reminders_module
from luma_desktop.ui import tray as tray_module
from luma_desktop.ui.app import DesktopApp, Opened
from luma_desktop.ui.reminders import POLL_MS, ReminderNotifier, pipeline_speaker
from luma_desktop.ui.tray import Tray, TrayMessage
from luma_desktop.voice.playback import Player
from luma_desktop.voice.streams import FakeSpeaker
from luma_desktop.voice.tts.base import ToneVoice
from luma_desktop.workspace.database import Workspace
from luma_desktop.workspace.models import Role
from luma_desktop.workspace.services.banking import BankingService
from luma_desktop.workspace.services.tasks import TasksService

from ._xvfb import needs_xvfb, run_scenario, start_x

VAT = "Call the accountant about the VAT return"  # Emma's (the owner's), due at NOW + 45 min
ALPINE = "Send Alpine Tech the team-day confirmation"  # Priya's, due at NOW + 2 h


@dataclass
class Booted:
    app: DesktopApp
    tray: Tray
    notifier: ReminderNotifier
    spoken: list[str]
    clock: FixedClock
    workspace: Workspace

    def check(self, run: Any) -> list[str]:
        due = run(self.notifier.check())
        run(self.notifier.idle())
        return [reminder.text for reminder in due]

    def cards(self) -> list[dict[str, Any]]:
        return [
            {"state": i.card_state, "outcome": i.card_outcome, **i.card_data}
            for i in self.app.chat.model.items()
            if i.card_type == "reminder"
        ]

    def tasks(self) -> TasksService:
        assistant = self.app.services.assistant
        assert assistant is not None
        return TasksService(self.workspace, assistant.context.service_context())


@pytest.fixture
def booted(qt_loop, run, demo_workspace, registry, clock) -> Iterator[Booted]:
    """The app on the demo business with the tray and the reminders installed, ready."""
    qapp = QApplication.instance()
    assert isinstance(qapp, QApplication)
    assistant = build_assistant(demo_workspace, registry, LumaSettings(), clock=clock)
    app = DesktopApp(
        qapp, qt_loop, resolve_paths(), opener=lambda _paths: Opened(demo_workspace, assistant)
    )
    tray = tray_module.install(app)
    notifier = reminders_module.install(app)
    spoken: list[str] = []
    notifier.speak = spoken.append
    app.load_window()
    app.showWindow()
    tray.start()
    run(app.start_services())
    run(notifier.idle())
    yield Booted(app, tray, notifier, spoken, clock, demo_workspace)
    run(app.shutdown())
    assert app.qml_warnings == [], app.qml_warnings


def test_nothing_is_due_at_the_start_and_the_check_repeats(booted):
    assert booted.cards() == []
    assert booted.notifier.timer.isActive()
    assert booted.notifier.timer.interval() == POLL_MS == 30_000
    assert booted.tray.property("state") == "idle"


def test_a_due_reminder_is_a_card_a_tray_message_and_spoken(booted, run):
    booted.clock.advance(timedelta(minutes=45))
    booted.app.hideWindow()
    assert booted.check(run) == [VAT]
    [card] = booted.cards()
    assert card["state"] == "due"
    assert (card["text"], card["due_label"], card["importance"]) == (VAT, "Due 15:15", "high")
    # offscreen has no tray: the message is recorded, and the window is the notification
    assert booted.tray.messages[-1] == TrayMessage("Reminder", VAT, shown=False)
    assert booted.app.window is not None
    assert booted.app.window.isVisible()
    assert booted.spoken == [f"Reminder: {VAT}"]
    assert booted.notifier.property("count") == 1
    assert booted.tray.property("state") == "attention"
    assert booted.check(run) == []  # announced once
    [stored] = [r for r in booted.tasks().list_reminders("past") if r.text == VAT]
    assert stored.status == "fired"


def test_snooze_moves_it_ten_minutes(booted, run):
    booted.clock.advance(timedelta(minutes=45))
    booted.check(run)
    reminder_id = booted.cards()[0]["reminder_id"]
    booted.notifier.snooze(reminder_id)
    run(booted.notifier.idle())
    [card] = booted.cards()
    assert (card["state"], card["outcome"]) == ("resolved", "Snoozed until 15:25.")
    [stored] = [r for r in booted.tasks().list_reminders("upcoming") if r.id == reminder_id]
    assert (stored.status, f"{stored.due_at:%H:%M}", stored.snooze_count) == ("pending", "15:25", 1)
    assert booted.tray.property("state") == "idle"

    booted.clock.advance(timedelta(minutes=10))
    assert booted.check(run) == [VAT]
    assert [c["state"] for c in booted.cards()] == ["resolved", "due"]


def test_done_marks_it_done(booted, run):
    booted.clock.advance(timedelta(minutes=45))
    booted.check(run)
    reminder_id = booted.cards()[0]["reminder_id"]
    booted.notifier.done(reminder_id)
    run(booted.notifier.idle())
    assert [(c["state"], c["outcome"]) for c in booted.cards()] == [("resolved", "Done.")]
    [stored] = [r for r in booted.tasks().list_reminders("all") if r.id == reminder_id]
    assert stored.status == "done"
    assert booted.notifier.property("count") == 0
    booted.clock.advance(timedelta(hours=1))
    assert VAT not in booted.check(run)


def test_do_not_disturb_keeps_the_card_but_not_the_voice_or_the_popup(booted, run):
    booted.tray.dnd.set_enabled(True)
    booted.app.hideWindow()
    booted.clock.advance(timedelta(minutes=45))
    assert booted.check(run) == [VAT]
    assert [c["state"] for c in booted.cards()] == ["due"]
    assert booted.spoken == []
    assert booted.app.window is not None
    assert not booted.app.window.isVisible()
    assert booted.tray.property("state") == "attention"


def test_with_voice_off_nothing_is_said(booted, run):
    booted.notifier.voice_enabled = lambda: False
    booted.clock.advance(timedelta(minutes=45))
    assert booted.check(run) == [VAT]
    assert booted.spoken == []


def test_only_the_signed_in_users_reminders_are_announced(booted, run):
    booted.clock.advance(timedelta(hours=2))
    assert booted.check(run) == [VAT]
    still_due = booted.tasks().due_reminders()
    assert [r.text for r in still_due] == [ALPINE]  # Priya's desktop will announce it


def test_the_card_buttons_answer_the_reminder(booted, run):
    booted.clock.advance(timedelta(minutes=45))
    booted.check(run)
    run(_settle())
    card = _item(booted.app, "reminderCard")
    assert _item(card, "reminderText").property("text") == VAT
    _click(booted.app, _item(card, "doneButton"))
    run(booted.notifier.idle())
    run(_settle())
    assert [(c["state"], c["outcome"]) for c in booted.cards()] == [("resolved", "Done.")]
    assert not _item(card, "actions").isVisible()


def test_a_reminder_deleted_meanwhile_is_explained_not_lost(booted, run, qtbot):
    booted.clock.advance(timedelta(minutes=45))
    booted.check(run)
    reminder_id = booted.cards()[0]["reminder_id"]
    booted.tasks().delete_reminder(reminder_id)
    with qtbot.waitSignal(booted.app.chat.noticeRaised, timeout=5000) as notice:
        booted.notifier.snooze(reminder_id)
        run(booted.notifier.idle())
    [card] = booted.cards()
    assert card["state"] == "resolved"
    assert card["outcome"] == notice.args[0]
    assert f"#{reminder_id}" in card["outcome"]


def test_the_days_scheduled_payments_are_made_with_the_check(booted, run):
    """The demo's one-off HairCo payment falls due in five days."""
    booted.clock.advance(timedelta(days=5))
    booted.check(run)
    assistant = booted.app.services.assistant
    assert assistant is not None
    bank = BankingService(booted.workspace, assistant.context.service_context())
    page = bank.list_transactions(counterparty="HairCo", status="pending")
    assert [t.amount_minor for t in page.items] == [-28_640]
    booted.check(run)  # the same day again: nothing more
    assert bank.list_transactions(counterparty="HairCo", status="pending").total == 1


def test_client_portal_users_are_not_polled(booted, demo_workspace, clock):
    portal = execution_context_for(demo_workspace, role=Role.CLIENT, clock=clock)
    notifier = ReminderNotifier(booted.app, booted.tray.dnd)
    notifier.attach(demo_workspace, portal)
    assert not notifier.timer.isActive()


def test_speech_goes_through_the_pipelines_voice_and_player(run):
    speaker = FakeSpeaker(samplerate=16_000)
    pipeline = SimpleNamespace(voice=ToneVoice(), player=Player(stream_factory=speaker))
    speak = pipeline_speaker(pipeline)
    try:
        run(speak(f"Reminder: {VAT}"))
    finally:
        pipeline.player.close()
    assert pipeline.voice.spoken == [f"Reminder: {VAT}"]
    assert speaker.last.writes


def test_no_reminder_is_spoken_over_the_user(run):
    speaker = FakeSpeaker(samplerate=16_000)
    pipeline = SimpleNamespace(
        voice=ToneVoice(), player=Player(stream_factory=speaker), state="listening"
    )
    try:
        run(pipeline_speaker(pipeline)(f"Reminder: {VAT}"))
    finally:
        pipeline.player.close()
    assert pipeline.voice.spoken == []
    assert speaker.opened == []


# -- on a real X screen with a tray host ---------------------------------------------------------


@pytest.fixture
def demo_copy(tmp_path: Path, _demo_sqlite_file: Path) -> str:
    """A folder holding a copy of the demo workspace, for the app in the subprocess."""
    demo = tmp_path / "demo"
    demo.mkdir()
    shutil.copy(_demo_sqlite_file, demo / "workspace.sqlite3")
    return str(demo)


@needs_xvfb
def test_the_tray_message_pops_up_and_opens_the_chat_at_the_card(tmp_path, demo_copy):
    with start_x(tmp_path, tray=True) as display:
        report = run_scenario(display, "reminder", demo=demo_copy)
    assert report["cards_before"] == []
    assert report["timer_ms"] == 30_000
    assert report["due"] == [VAT]
    assert report["message"] == ["Reminder", VAT, True]
    assert {"Reminder", VAT} <= set(report["balloon_texts"])  # Qt's message window
    assert report["state"] == "attention"
    assert report["alerts"] == [VAT]
    assert report["spoken"] == [f"Reminder: {VAT}"]
    assert report["click_opens_window"] is True
    [card] = report["cards_after_click"]  # put back after the chat was cleared
    assert (card["state"], card["text"]) == ("due", VAT)
    [snoozed] = report["cards_after_snooze"]  # from the tray menu's entry
    assert (snoozed["state"], snoozed["outcome"]) == ("resolved", "Snoozed until 15:25.")
    assert report["state_after_snooze"] == "idle"
    assert report["alerts_after_snooze"] == []


# -- helpers -------------------------------------------------------------------------------------


async def _settle() -> None:
    """Let QML lay out what changed."""
    await asyncio.sleep(0.05)


def _walk(item: QQuickItem) -> Iterator[QQuickItem]:
    yield item
    for child in item.childItems():
        yield from _walk(child)


def _item(root: DesktopApp | QQuickItem, name: str) -> QQuickItem:
    start = root.window.contentItem() if isinstance(root, DesktopApp) else root
    assert start is not None
    found = [item for item in _walk(start) if item.objectName() == name]
    assert found, f"no {name} in the window"
    return found[-1]


def _click(app: DesktopApp, item: QQuickItem) -> None:
    """A real mouse click in the middle of ``item``, sent to the window."""
    window = app.window
    assert window is not None
    centre = item.mapToScene(QPointF(item.width() / 2, item.height() / 2))
    outside = QPointF(window.mapToGlobal(centre.toPoint()))
    left, none = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    for kind, buttons in (
        (QEvent.Type.MouseButtonPress, left),
        (QEvent.Type.MouseButtonRelease, Qt.MouseButton.NoButton),
    ):
        QGuiApplication.sendEvent(window, QMouseEvent(kind, centre, outside, left, buttons, none))
