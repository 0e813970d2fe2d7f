"""The chat window on the demo business: streaming, cards and their answers, conversations,
feedback, keyboard, accessibility and looks (Qt offscreen, the app's own wiring)."""

from __future__ import annotations

import asyncio
import itertools
import shutil
from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible, QGuiApplication
from PySide6.QtQuick import QQuickItem
from PySide6.QtTest import QTest

from luma_desktop.assistant.feedback import feedback_in
from luma_desktop.clock import FixedClock
from luma_desktop.errors import ConfigurationError
from luma_desktop.ui.app import DesktopApp
from luma_desktop.ui.chat_controller import MOVED_ON
from luma_desktop.ui.context_bar import QUICK_ACTIONS, quick_actions
from luma_desktop.workspace.database import Workspace, sqlite_url
from luma_desktop.workspace.services import Services

from ..conftest import NOW
from .conftest import PacedBrain, make_assistant

TOMORROW = date(2026, 11, 19)


def items(app: DesktopApp) -> list[QQuickItem]:
    """Every item of the window, delegates included (they have no QObject parent)."""
    assert app.window is not None
    found: list[QQuickItem] = []
    pending = [app.window.contentItem()]
    while pending:
        item = pending.pop()
        found.append(item)
        pending.extend(item.childItems())
    return found


def qml(app: DesktopApp, name: str) -> QQuickItem:
    named = [item for item in items(app) if item.objectName() == name]
    assert named, f"no QML item named {name}"
    return named[0]


def type_text(window, text: str) -> None:
    for char in text:
        QTest.keyClick(window, Qt.Key(ord(char.upper())))


def kinds(app: DesktopApp) -> list[str]:
    return [i.card_type if i.kind == "card" else i.kind for i in app.chat.model.items()]


def cards(app: DesktopApp, card_type: str) -> list:
    return [i for i in app.chat.model.items() if i.kind == "card" and i.card_type == card_type]


async def until(model, condition) -> None:
    """Wait (letting Qt and asyncio run) until ``condition()`` holds after a change of
    ``model``."""
    reached = asyncio.Event()

    def check(*_args) -> None:
        if condition():
            reached.set()

    signals = (model.modelReset, model.rowsRemoved, model.dataChanged)
    for signal in signals:
        signal.connect(check)
    check()
    try:
        async with asyncio.timeout(10):
            await reached.wait()
    finally:
        for signal in signals:
            signal.disconnect(check)


def ask(app: DesktopApp, run, text: str) -> None:
    assert app.chat.send(text)
    run(app.chat.idle())


def appointments_tomorrow(app: DesktopApp) -> list[tuple[str, str]]:
    assistant = app.services.assistant
    services = Services(assistant.workspace, assistant.context.service_context())
    found = services.scheduling.list_appointments(TOMORROW, TOMORROW)
    return [(a.client_name, a.starts_at.strftime("%H:%M")) for a in found]


# -- opening --------------------------------------------------------------------------------


def test_window_opens_compact_frameless_with_the_greeting_and_footnote(make_app):
    app = make_app()
    window = app.window
    assert (window.width(), window.height()) == (400, 600)
    assert window.flags() & Qt.WindowType.FramelessWindowHint
    assert window.isVisible()
    assert app.chat.status == "Ready"
    assert app.chat.fresh
    assert qml(app, "footnote").property("text") == (
        "Luma can make mistakes. Check important details."
    )
    greeting = app.greeter.text
    assert greeting.startswith("Good afternoon")
    assert "3 overdue invoices totalling £220.80" in greeting
    assert "15 appointments today" in greeting
    assert "a gap 3:45–6pm" in greeting
    labels = [chip["label"] for chip in app.context_bar.chips]
    assert labels == ["Today's schedule", "Check balance", "Overdue invoices", "New reminder…"]


def test_a_message_typed_before_luma_is_ready_is_answered_once_it_is(make_app, run):
    app = make_app(ready=False)
    assert app.chat.status == "Starting…"
    assert app.chat.send("what's my balance")
    assert kinds(app) == ["user"]
    run(app.start_services())
    run(app.chat.idle())
    assert kinds(app) == ["user", "balance", "assistant"]
    assert app.chat.status == "Ready"


def test_a_start_up_failure_is_shown_in_the_window(qapp, qt_loop, run, tmp_path):
    def broken(_paths):
        raise ConfigurationError("Luma's settings are not valid (brain: …).", setting="brain")

    from luma_desktop.paths import resolve_paths

    app = DesktopApp(qapp, qt_loop, resolve_paths(), opener=broken)
    app.load_window()
    run(app.start_services())
    try:
        assert app.chat.status == "Luma could not start"
        [card] = cards(app, "error")
        assert card.card_data["message"] == "Luma's settings are not valid (brain: …)."
        assert not app.chat.ready
    finally:
        run(app.shutdown())


# -- streaming and cards ------------------------------------------------------------------------


def test_a_reply_streams_into_the_list_piece_by_piece(make_app, run):
    pieces = ["Hello", " Emma,", " you", " have", " three", " overdue", " invoices", "."]
    app = make_app(PacedBrain(pieces, pause_s=0.06))
    seen: list[tuple[str, bool]] = []
    thinking: list[bool] = []
    model = app.chat.model

    def changed(*_args) -> None:
        rows = [i for i in model.items() if i.kind == "assistant"]
        if rows and (not seen or seen[-1] != (rows[-1].text, rows[-1].streaming)):
            seen.append((rows[-1].text, rows[-1].streaming))

    model.dataChanged.connect(changed)
    model.rowsInserted.connect(changed)
    app.chat.thinkingChanged.connect(lambda: thinking.append(app.chat.thinking))
    ask(app, run, "anything overdue?")

    texts = [text for text, streaming in seen if streaming]
    assert len(texts) >= 4, seen
    assert all(b.startswith(a) and len(b) > len(a) for a, b in itertools.pairwise(texts))
    assert seen[-1] == ("".join(pieces), False)
    assert thinking[:2] == [True, False]
    answer = model.items()[-1]
    assert answer.message_id is not None
    assert app.chat.conversation_id is not None
    assert app.chat.fresh  # the greeting stays above the conversation it started


def test_the_offline_brain_answers_the_balance_with_a_card(make_app, run):
    app = make_app()
    ask(app, run, "what's my balance")
    assert kinds(app) == ["user", "balance", "assistant"]
    [card] = cards(app, "balance")
    assert card.card_data["tool"] == "banking_get_balance"
    assert card.card_state == "resolved"
    answer = app.chat.model.items()[-1]
    assert answer.text.startswith("Available:")
    assert not answer.streaming
    loaders = [item for item in items(app) if item.objectName() == "cardLoader"]
    assert loaders
    assert all(loader.childItems() for loader in loaders)  # each loaded its card
    assert [c["label"] for c in app.context_bar.chips] == [
        a.label for a in quick_actions("banking")
    ]


@pytest.mark.parametrize(
    ("approve", "outcome", "booked"),
    [
        pytest.param(True, "Booked", [("Sarah Miller", "14:00")], id="confirm"),
        pytest.param(False, "Cancelled.", [], id="cancel"),
    ],
)
def test_a_booking_waits_on_its_card_until_confirmed_or_cancelled(
    make_app, run, approve, outcome, booked
):
    app = make_app()
    before = appointments_tomorrow(app)
    ask(app, run, "book a balayage for Sarah Miller at 2pm tomorrow")
    [card] = cards(app, "confirmation")
    assert card.card_state == "open"
    assert app.chat.waitingFor == "confirmation"
    assert app.chat.status == "Waiting for your confirmation"
    assert "Sarah Miller" in card.card_data["prompt"]

    app.chat.confirm(card.card_data["pending_id"], approve, "", "")
    run(app.chat.idle())
    [card] = cards(app, "confirmation")
    assert card.card_state == "resolved"
    assert outcome in card.card_outcome
    assert app.chat.waitingFor == ""
    added = [a for a in appointments_tomorrow(app) if a not in before]
    assert added == booked


def test_choosing_the_second_sarah_books_sarah_thompson(make_app, run):
    app = make_app()
    ask(app, run, "book a balayage for Sarah at 2pm tomorrow")
    [choice] = cards(app, "disambiguation")
    assert choice.card_state == "open"
    labels = [c["label"] for c in choice.card_data["candidates"]]
    assert labels == ["Sarah Miller", "Sarah Thompson"]

    second = choice.card_data["candidates"][1]["id"]
    app.chat.choose(choice.card_data["call_id"], float(second))  # QML passes numbers as floats
    run(app.chat.idle())
    [choice] = cards(app, "disambiguation")
    assert choice.card_state == "resolved"
    [confirmation] = cards(app, "confirmation")
    assert "Sarah Thompson" in confirmation.card_data["prompt"]

    app.chat.confirm(confirmation.card_data["pending_id"], True, "", "")
    run(app.chat.idle())
    assert ("Sarah Thompson", "14:00") in appointments_tomorrow(app)


def test_moving_on_closes_the_waiting_card(make_app, run):
    app = make_app()
    ask(app, run, "book a balayage for Sarah Miller at 2pm tomorrow")
    ask(app, run, "what's my balance")
    [card] = cards(app, "confirmation")
    assert (card.card_state, card.card_outcome) == ("resolved", MOVED_ON)
    assert app.chat.waitingFor == ""


def test_edits_that_are_not_json_are_refused_and_nothing_is_sent(make_app, run):
    app = make_app()
    ask(app, run, "book a balayage for Sarah Miller at 2pm tomorrow")
    notices: list[str] = []
    app.chat.noticeRaised.connect(notices.append)
    [card] = cards(app, "confirmation")
    app.chat.confirm(card.card_data["pending_id"], True, "", "[not json")
    run(app.chat.idle())
    assert notices == ["Those changes could not be read; nothing was sent."]
    assert cards(app, "confirmation")[0].card_state == "open"


# -- conversations and feedback -------------------------------------------------------------


def test_conversations_can_be_searched_renamed_archived_and_deleted(make_app, run):
    app = make_app()
    conversations = app.conversations
    ask(app, run, "what's my balance")
    first = app.chat.conversation_id
    app.chat.newConversation()
    ask(app, run, "which invoices are overdue?")
    second = app.chat.conversation_id
    run(conversations.idle())
    assert [row[0] for row in conversations.rows()] == [second, first]
    assert conversations.currentId == second

    conversations.set_query("balance")  # searches after a short pause
    run(until(conversations, lambda: [row[0] for row in conversations.rows()] == [first]))

    conversations.set_query("")
    conversations.refresh()
    conversations.rename(first, "  Bank check ")
    run(conversations.idle())
    assert (first, "Bank check", False) in conversations.rows()

    notices: list[str] = []
    app.chat.noticeRaised.connect(notices.append)
    conversations.rename(first, "   ")
    run(conversations.idle())
    assert notices == ["A conversation needs a title with some words in it."]
    assert (first, "Bank check", False) in conversations.rows()

    conversations.archive(first, True)
    run(conversations.idle())
    assert [row[0] for row in conversations.rows()] == [second]
    conversations.set_show_archived(True)
    run(conversations.idle())
    assert (first, "Bank check", True) in conversations.rows()

    conversations.remove(second)
    run(conversations.idle())
    run(app.chat.idle())
    assert [row[0] for row in conversations.rows()] == [first]
    assert app.chat.fresh  # the open one was deleted
    assert len(app.chat.model) == 0

    conversations.open(first)
    run(app.chat.idle())
    assert app.chat.conversation_id == first
    assert kinds(app) == ["user", "assistant"]


def test_thumbs_up_and_down_are_stored_per_answer_and_shown_again(make_app, run):
    app = make_app()
    ask(app, run, "what's my balance")
    assistant = app.services.assistant
    conversation = app.chat.conversation_id
    row = len(app.chat.model) - 1
    message_id = app.chat.model.item_at(row).message_id

    def stored() -> dict[int, int]:
        return feedback_in(assistant.workspace, assistant.context, conversation)

    app.chat.rate(row, 1)
    run(app.chat.idle())
    assert stored() == {message_id: 1}
    app.chat.rate(row, 1)  # the same again takes it back
    run(app.chat.idle())
    assert stored() == {}
    app.chat.rate(row, -1)
    run(app.chat.idle())
    assert stored() == {message_id: -1}

    notices: list[str] = []
    app.chat.noticeRaised.connect(notices.append)
    app.chat.rate(0, 1)  # the user's own message
    assert notices == ["This answer can be rated once it is saved."]

    app.chat.newConversation()
    app.chat.openConversation(conversation)
    run(app.chat.idle())
    answer = app.chat.model.items()[-1]
    assert (answer.message_id, answer.feedback) == (message_id, -1)


def test_copy_puts_the_message_on_the_clipboard(make_app, run):
    app = make_app()
    ask(app, run, "what's my balance")
    row = len(app.chat.model) - 1
    assert app.chat.copy(row)
    assert QGuiApplication.clipboard().text() == app.chat.model.item_at(row).text
    assert not app.chat.copy(99)


# -- chips ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def offline_brain(_demo_sqlite_file, registry, tmp_path_factory):
    """The real offline brain on a copy of the demo business (parsing only reads it)."""
    folder = tmp_path_factory.mktemp("chips")
    shutil.copy(_demo_sqlite_file, folder / "workspace.sqlite3")
    workspace = Workspace(sqlite_url(folder))
    yield make_assistant(workspace, registry, FixedClock(NOW), None).brain
    workspace.dispose()


@pytest.mark.parametrize(
    "text",
    sorted({a.text for actions in QUICK_ACTIONS.values() for a in actions if a.send}),
)
def test_every_chip_is_a_request_the_offline_brain_understands(offline_brain, text):
    assert offline_brain.is_confident(text)


# -- keyboard, accessibility, looks ---------------------------------------------------------


def test_keyboard_enter_sends_shift_enter_breaks_the_line_ctrl_k_focuses_esc_hides(
    make_app, run, qapp
):
    app = make_app()
    window = app.window
    window.requestActivate()
    composer = qml(app, "composerInput")
    QTest.keyClick(window, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    qapp.processEvents()
    assert composer.property("activeFocus")
    type_text(window, "hello")
    QTest.keyClick(window, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    type_text(window, "there")
    assert composer.property("text") == "hello\nthere"
    QTest.keyClick(window, Qt.Key.Key_Return)
    assert composer.property("text") == ""
    assert app.chat.model.items()[0].text == "hello\nthere"
    run(app.chat.idle())
    QTest.keyClick(window, Qt.Key.Key_Tab)
    assert not composer.property("activeFocus")
    assert composer.property("text") == ""  # Tab moved on instead of typing
    QTest.keyClick(window, Qt.Key.Key_Escape)
    qapp.processEvents()
    assert not window.isVisible()
    app.showWindow()
    assert window.isVisible()


_CONTROLS = ("Button", "TextField", "TextArea", "CheckBox", "ItemDelegate")


def test_every_control_has_an_accessible_name(make_app, run, qapp):
    app = make_app()
    app.window_state.set_expanded(True)
    ask(app, run, "what's my balance")
    ask(app, run, "book a balayage for Sarah at 2pm tomorrow")
    run(app.conversations.idle())
    qapp.processEvents()
    controls = [
        item
        for item in items(app)
        if item.isVisible() and any(c in item.metaObject().className() for c in _CONTROLS)
    ]
    assert len(controls) > 15
    unnamed = []
    for item in controls:
        face = QAccessible.queryAccessibleInterface(item)
        name = face.text(QAccessible.Text.Name) if face is not None else ""
        if not name.strip():
            unnamed.append(f"{item.metaObject().className()} {item.objectName()}")
    assert unnamed == []


def test_fonts_follow_the_scale_setting_and_the_theme_can_go_dark(make_app, run, qapp):
    app = make_app()
    ask(app, run, "what's my balance")
    qapp.processEvents()
    text = qml(app, "messageText")
    assert text.property("font").pixelSize() == 14
    app.window_state.set_font_scale(1.5)
    qapp.processEvents()
    assert text.property("font").pixelSize() == 21
    frame = qml(app, "frame")
    light = frame.property("color").lightness()
    app.window_state.set_theme("dark")
    qapp.processEvents()
    assert frame.property("color").lightness() < 60 < light


def test_expanding_shows_the_conversation_list_and_the_size_is_remembered(make_app, qapp):
    app = make_app()
    listing = qml(app, "conversationList")
    assert not listing.property("visible")
    app.window_state.set_expanded(True)
    qapp.processEvents()
    assert listing.property("visible")
    assert (app.window.width(), app.window.height()) == (980, 680)
    app.window.setPosition(120, 80)
    app.window_state.save()

    from luma_desktop.ui.window_state import WindowState

    again = WindowState(app.window_state.path)
    assert again.expanded
    assert again.fontScale == 1.0
    app.window_state.set_expanded(False)
    assert (app.window.width(), app.window.height()) == (400, 600)


# -- screenshots --------------------------------------------------------------------------------


def test_screenshots_of_the_chat_window_are_written_for_review(make_app, run, tmp_path):
    from PySide6.QtGui import QImage

    from .conftest import screenshots_dir
    from .screenshots import capture

    app = make_app()
    saved = capture(app, run, screenshots_dir(tmp_path))
    assert [path.stem for path in saved] == [
        "01-greeting",
        "02-balance",
        "03-which-sarah",
        "04-confirm-booking",
        "05-booked",
        "06-expanded",
        "07-expanded-dark",
        "08-dark-larger-text",
    ]
    sizes = {path.stem: QImage(str(path)).size().toTuple() for path in saved}
    assert sizes["01-greeting"] == (400, 600)
    assert sizes["06-expanded"] == (980, 680)
    for path in saved:
        image = QImage(str(path))
        colours = {image.pixel(x, y) for x in range(0, image.width(), 7) for y in range(0, 600, 7)}
        assert len(colours) > 20, f"{path.name} looks blank"
