"""The rich cards in a real QML view, fed by the real assistant on the demo business.

Each card renders from events the core produced (real tools on the demo workspace, real
confirmations from the gatekeeper), and its buttons — pressed with real mouse and key events —
drive the assistant through the chat controller: bookings land in the database, cancelled ones
do not. ``test_card_screenshots.py`` writes pictures of every card for review.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from PySide6.QtCore import Qt

from luma_desktop.assistant.brains import ToolCall
from luma_desktop.assistant.catalog import ToolRegistry
from luma_desktop.clock import FixedClock
from luma_desktop.errors import BrainError
from luma_desktop.workspace.database import Workspace
from luma_desktop.workspace.models import Appointment, BankTransaction, Client

from .card_harness import Chat, chat_factory, show_expiring

BOOKING = {"client": "Sarah Miller", "service": "Cut & blow-dry", "when": "tomorrow at 2pm"}
PAYMENT = {"payee": "Glow Beauty Supplies", "amount": "9000"}
TOMORROW_2PM = datetime(2026, 11, 19, 14, 0, tzinfo=UTC)


@pytest.fixture
def open_chat(
    qt_loop: asyncio.AbstractEventLoop,
    run: Callable[..., Any],
    demo_workspace: Workspace,
    registry: ToolRegistry,
    clock: FixedClock,
) -> Iterator[Callable[..., Chat]]:
    yield from chat_factory(qt_loop, run, demo_workspace, registry, clock)


def _count(workspace: Workspace, model: Any, *where: Any) -> int:
    with workspace.transaction(None) as session:
        query = sa.select(sa.func.count()).select_from(model).where(*where)
        return session.scalar(query) or 0


def _value(item: Any, name: str) -> Any:
    """A QML ``var`` property as Python values."""
    value = item.property(name)
    return value.toVariant() if hasattr(value, "toVariant") else value


def _client_id(workspace: Workspace, name: str) -> int:
    first, last = name.split()
    named = Client.first_name == first, Client.last_name == last
    with workspace.transaction(None) as session:
        found = session.scalar(sa.select(Client.id).where(*named))
    assert found is not None
    return found


# -- result cards ----------------------------------------------------------------------------------

RESULTS = [
    pytest.param(
        "invoices_get",
        {"invoice": 42},
        "invoiceCard",
        ["Invoice INV-0042", "Olivia Bennett", "Full head colour", "VAT 20%", "£96.00", "Overdue"],
        id="invoice",
    ),
    pytest.param(
        "quotes_get",
        {"quote": 1},
        "invoiceCard",
        ["Quote Q-0001", "Hans Mueller", "Valid until", "Men's cut", "£464.40"],
        id="quote",
    ),
    pytest.param(
        "invoices_overdue_summary",
        {},
        "invoiceCard",
        ["Overdue invoices", "£220.80", "Sarah Thompson", "1 invoice · 25 days overdue"],
        id="overdue-invoices",
    ),
    pytest.param(
        "banking_get_balance",
        {},
        "balanceCard",
        ["£28,691.98", "Business Current", "£10,653.71", "Savings", "£351.60 pending in"],
        id="balance",
    ),
    pytest.param(
        "banking_get_statement",
        {},
        "balanceCard",
        ["Business Current", "£10,670.18", "Closing balance", "SoundSalon Music Licence"],
        id="statement",
    ),
    pytest.param(
        "scheduling_get_appointment",
        {"appointment": 231},
        "appointmentCard",
        ["Full head colour", "Sarah Miller", "Today", "15:15 – 17:15", "PS4MN6", "£80.00"],
        id="appointment",
    ),
    pytest.param(
        "scheduling_day_summary",
        {},
        "appointmentCard",
        ["Today · Wed 18 Nov", "Sarah Thompson", "Signature facial · Chloe Evans", "14:45"],
        id="day",
    ),
    pytest.param(
        "scheduling_check_availability",
        {"service": "Cut & blow-dry", "day": "tomorrow"},
        "appointmentCard",
        ["Free for Cut & blow-dry", "60 min", "10:45", "Daniel"],
        id="availability",
    ),
    pytest.param(
        "clients_get",
        {"client": "Sarah Miller"},
        "clientCard",
        ["Sarah Miller", "Customer", "#vip", "sarah.miller@example.com", "Next visit"],
        id="client",
    ),
    pytest.param(
        "clients_search",
        {"query": "sarah"},
        "clientCard",
        ["Clients", "Sarah Miller", "Sarah Thompson"],
        id="clients",
    ),
    pytest.param(
        "tasks_list",
        {},
        "tableCard",
        ["Tasks", "Submit the VAT return", "Urgent", "Mon 23 Nov, 12:00 · Emma Clarke"],
        id="tasks",
    ),
    pytest.param(
        "reminders_list",
        {},
        "tableCard",
        ["Reminders", "Renew the salon insurance", "Today, 15:15"],
        id="reminders",
    ),
    pytest.param(
        "search_global",
        {"query": "sarah"},
        "tableCard",
        ["Search results", "12 results for “sarah”", "Sarah Thompson", "Client"],
        id="search",
    ),
    pytest.param(
        "scheduling_list_resources",
        {},
        "tableCard",
        ["Staff", "Resources", "Chloe Evans", "Chair 1"],
        id="table",
    ),
]


@pytest.mark.parametrize(("tool", "arguments", "object_name", "expected"), RESULTS)
def test_a_tool_result_renders_as_its_card(open_chat, tool, arguments, object_name, expected):
    chat = open_chat([ToolCall("r1", tool, arguments)], ["Here it is."])
    chat.say("show me")
    card = chat.window.card(object_name)
    texts = chat.window.texts(card)
    for text in expected:
        assert any(text in shown for shown in texts), f"{text!r} not in {texts}"
    assert card.property("cardState") == "resolved"
    assert card.height() > 80


def test_a_statement_draws_its_balance_trend(open_chat):
    chat = open_chat([ToolCall("s1", "banking_get_statement", {})], ["Here it is."])
    chat.say("statement")
    card = chat.window.card("balanceCard")
    spark = chat.window.child(card, "sparkline")
    assert spark.isVisible()
    assert len(_value(spark, "points")) >= 10


# -- confirmations ---------------------------------------------------------------------------------


def test_confirm_books_the_appointment(open_chat, demo_workspace):
    chat = open_chat([ToolCall("b1", "scheduling_create_appointment", BOOKING)], ["Booked."])
    chat.say("Book a haircut for Sarah Miller at 2pm tomorrow")
    card = chat.window.card("confirmationCard")
    assert card.property("cardState") == "open"
    assert "Book Cut & blow-dry for Sarah Miller" in chat.window.child(card, "prompt").property(
        "text"
    )
    assert not chat.window.child(card, "preview").isVisible()  # medium: the question says it
    sarah = _client_id(demo_workspace, "Sarah Miller")
    before = _count(demo_workspace, Appointment, Appointment.client_id == sarah)

    chat.window.click(chat.window.child(card, "confirmButton"))
    chat.wait()

    booked = Appointment.client_id == sarah, Appointment.starts_at == TOMORROW_2PM
    assert _count(demo_workspace, Appointment, Appointment.client_id == sarah) == before + 1
    assert _count(demo_workspace, Appointment, *booked) == 1
    card = chat.window.card("confirmationCard")
    assert card.property("cardState") == "resolved"
    assert card.property("cardOutcome")
    assert not chat.window.child(card, "actions").isVisible()
    assert chat.window.child(card, "outcome").isVisible()
    booked_card = _value(chat.window.card("appointmentCard"), "cardData")
    assert booked_card["summary"].startswith("Booked Cut & blow-dry for Sarah Miller")


def test_cancel_writes_nothing(open_chat, demo_workspace):
    chat = open_chat([ToolCall("b1", "scheduling_create_appointment", BOOKING)], ["Okay."])
    chat.say("Book a haircut for Sarah Miller at 2pm tomorrow")
    before = _count(demo_workspace, Appointment)
    card = chat.window.card("confirmationCard")

    chat.window.key(chat.window.child(card, "cancelButton"), Qt.Key.Key_Space)
    chat.wait()

    assert _count(demo_workspace, Appointment) == before
    card = chat.window.card("confirmationCard")
    assert card.property("cardState") == "resolved"
    assert card.property("cardOutcome") == "Cancelled."
    assert not chat.window.child(card, "actions").isVisible()


def test_edit_confirms_the_changed_arguments(open_chat, demo_workspace):
    chat = open_chat([ToolCall("b1", "scheduling_create_appointment", BOOKING)], ["Booked."])
    chat.say("Book a haircut for Sarah Miller at 2pm tomorrow")
    card = chat.window.card("confirmationCard")
    chat.window.key(chat.window.child(card, "editButton"), Qt.Key.Key_Return)
    assert card.property("editing")
    when = chat.window.child(card, "edit_when")
    assert when.property("text") == "tomorrow at 2pm"
    when.setProperty("text", "")
    chat.window.type_into(when, "tomorrow at 3pm")

    chat.window.click(chat.window.child(card, "confirmButton"))
    chat.wait()

    three_pm = TOMORROW_2PM + timedelta(hours=1)
    assert _count(demo_workspace, Appointment, Appointment.starts_at == three_pm) == 1
    assert _count(demo_workspace, Appointment, Appointment.starts_at == TOMORROW_2PM) == 0
    booked_card = _value(chat.window.card("appointmentCard"), "cardData")
    assert booked_card["appointment"]["time"] == "15:00 – 16:00"


def test_critical_confirm_needs_the_typed_phrase(open_chat, demo_workspace):
    chat = open_chat([ToolCall("p1", "banking_pay_payee", PAYMENT)], ["Paid."])
    chat.say("Pay Glow Beauty Supplies 9000")
    card = chat.window.card("confirmationCard")
    phrase = _value(card, "cardData")["phrase"]
    assert phrase.startswith("CONFIRM ")
    texts = chat.window.texts(card)
    assert "Glow Beauty Supplies" in texts
    assert "£9,000.00" in texts  # the detailed preview of a critical action
    confirm = chat.window.child(card, "confirmButton")
    field = chat.window.child(card, "phraseField")
    paid = BankTransaction.amount_minor == -900_000

    assert not confirm.isEnabled()
    chat.window.click(confirm)
    chat.wait()
    assert _count(demo_workspace, BankTransaction, paid) == 0

    chat.window.type_into(field, "CONFIRM")
    assert not confirm.isEnabled()
    chat.window.type_into(field, phrase.removeprefix("CONFIRM").lower())
    assert confirm.isEnabled()
    chat.window.click(confirm)
    chat.wait()

    assert _count(demo_workspace, BankTransaction, paid) == 1
    assert chat.window.card("confirmationCard").property("cardState") == "resolved"


@pytest.mark.parametrize(
    "left",
    [
        pytest.param(timedelta(seconds=-30), id="already-expired"),
        pytest.param(timedelta(seconds=0.4), id="runs-out"),
    ],
)
def test_an_expired_countdown_disables_the_card(open_chat, qtbot, left):
    chat = open_chat([ToolCall("b1", "scheduling_create_appointment", BOOKING)])
    show_expiring(chat, left)
    card = chat.window.card("confirmationCard")

    qtbot.waitUntil(lambda: card.property("expired"), timeout=5000)
    chat.window.settle()

    assert card.property("note") == "Expired"
    assert chat.window.child(card, "expiredNote").isVisible()
    assert not chat.window.child(card, "actions").isVisible()
    assert not chat.window.child(card, "confirmButton").isEnabled()
    assert not chat.window.child(card, "cancelButton").isEnabled()


def test_a_fresh_confirmation_counts_down_from_five_minutes(open_chat):
    chat = open_chat([ToolCall("b1", "scheduling_create_appointment", BOOKING)])
    chat.say("book Sarah")
    card = chat.window.card("confirmationCard")
    assert card.property("note") in ("Expires in 5:00", "Expires in 4:59")
    assert chat.window.child(card, "confirmButton").isEnabled()


# -- choices and errors --------------------------------------------------------------------------


def test_picking_the_second_sarah_books_her(open_chat, demo_workspace):
    booking = {**BOOKING, "client": "Sarah"}
    chat = open_chat([ToolCall("b1", "scheduling_create_appointment", booking)], ["Booked."])
    chat.say("Book a haircut for Sarah at 2pm tomorrow")
    card = chat.window.card("disambiguationCard")
    labels = [c["label"] for c in _value(card, "cardData")["candidates"]]
    assert labels == ["Sarah Miller", "Sarah Thompson"]
    assert "Sarah Thompson" in chat.window.texts(card)

    chat.window.key(chat.window.child(card, "candidate1"), Qt.Key.Key_2)
    chat.wait()

    card = chat.window.card("disambiguationCard")
    assert card.property("cardState") == "resolved"
    assert not chat.window.child(card, "options").isVisible()
    confirmation = chat.window.card("confirmationCard")
    assert "Sarah Thompson" in _value(confirmation, "cardData")["prompt"]
    chat.window.click(chat.window.child(confirmation, "confirmButton"))
    chat.wait()

    thompson = _client_id(demo_workspace, "Sarah Thompson")
    booked = Appointment.client_id == thompson, Appointment.starts_at == TOMORROW_2PM
    assert _count(demo_workspace, Appointment, *booked) == 1
    miller = _client_id(demo_workspace, "Sarah Miller")
    mine = Appointment.client_id == miller, Appointment.starts_at == TOMORROW_2PM
    assert _count(demo_workspace, Appointment, *mine) == 0


def test_none_of_these_books_nobody(open_chat, demo_workspace):
    booking = {**BOOKING, "client": "Sarah"}
    chat = open_chat([ToolCall("b1", "scheduling_create_appointment", booking)], ["Okay."])
    chat.say("Book a haircut for Sarah at 2pm tomorrow")
    before = _count(demo_workspace, Appointment)
    card = chat.window.card("disambiguationCard")

    chat.window.click(chat.window.child(card, "noneButton"))
    chat.wait()

    assert _count(demo_workspace, Appointment) == before
    assert chat.window.card("disambiguationCard").property("cardState") == "resolved"
    assert "confirmation" not in chat.card_types()


def test_retry_on_an_error_card_calls_recover(open_chat):
    overloaded = BrainError("The model is overloaded; try again.", retryable=True, provider="x")
    chat = open_chat([overloaded], ["Here is your balance."])
    chat.say("What's my balance?")
    card = chat.window.card("errorCard")
    assert card.property("cardState") == "open"
    assert "The model is overloaded; try again." in chat.window.texts(card)
    retry = chat.window.child(card, "recover_retry")
    assert retry.property("text") == "Try again"

    chat.window.click(retry)
    chat.wait()

    assert chat.window.card("errorCard").property("cardState") == "resolved"
    assert chat.window.card("errorCard").property("cardOutcome") == "Try again"
    answers = [i.text for i in chat.controller.model.items() if i.kind == "assistant"]
    assert answers[-1] == "Here is your balance."


# -- progress --------------------------------------------------------------------------------------


def test_a_multi_step_turn_shows_one_progress_card(open_chat):
    calls = [
        ToolCall("s1", "banking_get_balance", {}),
        ToolCall("s2", "invoices_overdue_summary", {}),
        ToolCall("s3", "scheduling_create_appointment", BOOKING),
    ]
    chat = open_chat(calls, ["Done."])
    chat.say("balance, overdue invoices, and book Sarah")
    assert chat.card_types().count("progress") == 1
    card = chat.window.card("progressCard")
    data = _value(card, "cardData")
    assert [s["state"] for s in data["steps"]] == ["done", "done", "waiting"]
    assert data["title"] == "Waiting for you"
    assert card.property("cardState") == "running"

    chat.window.click(chat.window.child(chat.window.card("confirmationCard"), "confirmButton"))
    chat.wait()

    card = chat.window.card("progressCard")
    data = _value(card, "cardData")
    assert [s["label"] for s in data["steps"]] == [
        "Look up balance",
        "Overdue summary",
        "Book an appointment",
    ]
    assert [s["state"] for s in data["steps"]] == ["done", "done", "done"]
    assert (data["title"], card.property("cardState")) == ("All done", "resolved")
    assert chat.card_types().count("progress") == 1


# -- accessibility ---------------------------------------------------------------------------------


def test_every_control_has_a_name_and_takes_focus(open_chat):
    chat = open_chat([ToolCall("p1", "banking_pay_payee", PAYMENT)])
    chat.say("Pay Glow Beauty Supplies 9000")
    card = chat.window.card("confirmationCard")
    controls = ["phraseField", "confirmButton", "editButton", "cancelButton"]
    for name in controls:
        assert chat.window.child(card, name).property("activeFocusOnTab"), name
    field = chat.window.child(card, "phraseField")
    field.forceActiveFocus()
    chat.window.key(field, Qt.Key.Key_Tab)
    edit = chat.window.child(card, "editButton")  # Confirm is disabled, so Tab skips it
    assert edit.hasActiveFocus()
