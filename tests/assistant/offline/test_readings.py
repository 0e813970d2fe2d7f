"""How matches become arguments: splitting side-by-side slots, lists, answers, failures."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import BaseModel

from luma_desktop.assistant.brains import BrainRequest, Message
from luma_desktop.assistant.brains.offline import OfflineBrain
from luma_desktop.assistant.brains.offline._readings import field_is_list
from luma_desktop.errors import WorkspaceError
from luma_desktop.tools import build_registry
from luma_desktop.workspace.database import Workspace, sqlite_url

from .conftest import calls, converse, text_of

REGISTRY = build_registry()


@pytest.mark.parametrize(
    ("said", "arguments"),
    [
        pytest.param(
            "remind me to call mum tomorrow at 3",
            {"text": "call mum", "when": "tomorrow at 3"},
            id="longest-time-at-the-end",
        ),
        pytest.param(
            "remind me to prepare the monday meeting",
            {"text": "prepare the monday meeting"},
            id="a-day-inside-the-text-stays",
        ),
        pytest.param(
            "i need to fix chair 3", {"title": "fix chair 3"}, id="a-number-is-not-a-time"
        ),
        pytest.param(
            "Add a todo: Call Hans about the VAT return!",
            {"title": "Call Hans about the VAT return"},
            id="free-text-as-typed",
        ),
        pytest.param(
            "add a note to sarah miller she prefers mornings",
            {"linked_type": "client", "linked_to": "Sarah Miller", "body": "she prefers mornings"},
            id="name-then-text",
        ),
    ],
)
def test_side_by_side_slots_are_split_where_it_explains_most(brain, said, arguments):
    assert brain.understand(said).arguments == arguments


@pytest.mark.parametrize(
    ("tool", "field", "many"),
    [
        ("tasks_complete", "tasks", True),
        ("search_global", "kinds", True),
        ("search_global", "query", False),
        ("tasks_create", "nope", False),
    ],
)
def test_list_arguments_are_recognised_through_optional(tool, field, many):
    assert field_is_list(REGISTRY.get(tool).input_model, field) is many


def test_a_listed_value_is_read_from_its_words(brain):
    reader = brain._parser.reader(None)
    model = REGISTRY.get("tasks_update").input_model
    assert reader.value(model, "priority", "task_priority", "asap").value == "urgent"
    assert reader.value(model, "priority", "task_priority", "purple") is None


@pytest.mark.parametrize(
    ("said", "tool", "arguments"),
    [
        pytest.param(
            "pay brightwater 200 pounds with reference elec 88213",
            "banking_pay_payee",
            {"payee": "Brightwater Energy", "amount": "200.00", "reference": "elec 88213"},
            id="payee-then-amount",
        ),
        pytest.param(
            "pay glow beauty supplies £46.80 ref order 17",
            "banking_pay_payee",
            {"payee": "Glow Beauty Supplies", "amount": "46.80", "reference": "order 17"},
            id="long-name-then-amount",
        ),
        pytest.param(
            "add a new client Maya Patel maya@patel.test",
            "clients_create",
            {"first_name": "Maya", "last_name": "Patel", "email": "maya@patel.test"},
            id="person-then-email",
        ),
        pytest.param(
            "add a client called Anna de la Cruz anna@cruz.test 020 7946 0958",
            "clients_create",
            {
                "first_name": "Anna",
                "last_name": "de la Cruz",
                "email": "anna@cruz.test",
                "phone": "020 7946 0958",
            },
            id="person-email-and-phone",
        ),
        pytest.param(
            "new client maya patel 07700 900123",
            "clients_create",
            {"first_name": "Maya", "last_name": "Patel", "phone": "07700 900123"},
            id="person-then-phone-skipping-email",
        ),
        pytest.param(
            "make emma sarah miller's stylist",
            "clients_update",
            {"owner_staff": "Emma Clarke", "client": "Sarah Miller"},
            id="two-names-side-by-side",
        ),
        pytest.param(
            "Olivia paid invoice 42 by card",
            "invoices_record_payment",
            {"invoice": "#42", "method": "card"},
            id="ignored-payer",
        ),
        pytest.param(
            "send invoice 78 to sarah", "invoices_send", {"invoice": "#78"}, id="ignored-recipient"
        ),
        pytest.param(
            "file the screwfix payment under equipment",
            "banking_categorize_transaction",
            {"category": "equipment"},
            id="ignored-counterparty",
        ),
    ],
)
def test_side_by_side_and_ignored_slots(brain, said, tool, arguments):
    """Typed slots anchor the cut of side-by-side ones; ignored slots reach no argument."""
    understood = brain.understand(said)
    assert (understood.tool, understood.arguments) == (tool, arguments)
    assert "_" not in understood.arguments


def test_a_shared_slot_gives_every_argument_the_same_name(brain):
    understood = brain.understand("olivia bennett is on the system twice, merge them")
    assert understood.arguments == {"keep": "Olivia Bennett", "duplicate": "Olivia Bennett"}


def test_a_period_fills_both_days(brain):
    understood = brain.understand("get me the statement for October")
    assert understood.arguments == {"start": "2026-10-01", "end": "2026-10-31"}


class Priced(BaseModel):
    amount: str
    currency: str | None = None


class Unpriced(BaseModel):
    amount: str


def test_an_amount_in_another_currency_needs_a_currency_argument(brain):
    reader = brain._parser.reader(None)
    filled = reader.slot(Priced, "amount", "amount", "five hundred dollars")
    assert filled is not None
    assert filled.arguments == {"amount": "500.00", "currency": "USD"}
    assert reader.slot(Unpriced, "amount", "amount", "five hundred dollars") is None
    assert reader.slot(Unpriced, "amount", "amount", "£500").arguments == {"amount": "500.00"}


def test_pounds_are_not_paid_as_dollars(brain):
    understood = brain.understand("pay hairco 250 dollars")
    assert understood.tool != "banking_pay_payee" or "amount" not in understood.arguments


def test_a_block_that_requires_an_argument_asks_for_it(brain, working):
    understood = brain.understand("chase it")
    assert understood.tool == "invoices_send_reminder"
    assert understood.missing == ("invoice",)
    assert understood.question == "Which invoice should I chase? Say its number, like invoice 42."
    working.records["invoice"] = 42
    assert brain.understand("chase it").arguments == {"invoice": "INV-0042"}


def test_chasing_all_the_overdue_ones_needs_no_invoice(brain):
    understood = brain.understand("chase the overdue ones")
    assert (understood.arguments, understood.missing) == ({"all_overdue": True}, ())


async def test_an_answer_names_the_record(brain):
    asked, answered = await converse(brain, "delete a task", "the milk one")
    assert text_of(asked) == "Which task should I delete?"
    assert calls(answered)[0].arguments == {"task": "Buy milk for the staff room"}


def test_an_unreachable_workspace_is_never_confident(tmp_path: Path, owner_context):
    broken = Workspace(sqlite_url(tmp_path / "no" / "such" / "folder"))
    brain = OfflineBrain(broken, REGISTRY, owner_context)
    assert brain.is_confident("tick off the milk") is False
    broken.dispose()


async def test_an_unreachable_workspace_fails_the_turn_clearly(tmp_path: Path, owner_context):
    broken = Workspace(sqlite_url(tmp_path / "no" / "such" / "folder"))
    brain = OfflineBrain(broken, REGISTRY, owner_context)
    request = BrainRequest("", "", (Message.user("tick off the milk"),), ())
    with pytest.raises(WorkspaceError):
        [e async for e in brain.respond(request)]
    broken.dispose()
