"""Working-context records as arguments: "it" reaches the tool as something it resolves right.

For every kind of record, a request about "it" is proposed with a value the tool's input model
accepts, and running the tool on the demo business acts on that very record (the working
context, fed the result, names the same id). Invoices and quotes are renumbered first so that
their ids and numbers differ: passing the id would find another document, or none.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
import sqlalchemy as sa

from luma_desktop.assistant.brains.offline._referents import Referents, accepts_id
from luma_desktop.assistant.executor import Executor
from luma_desktop.assistant.working_context import WorkingContext
from luma_desktop.tools import build_registry
from luma_desktop.workspace.models import Invoice, Quote
from luma_desktop.workspace.services._references import (
    resolve_service,
    resolve_staff,
)
from luma_desktop.workspace.services.invoicing._documents import resolve_product

from .conftest import Record

REGISTRY = build_registry()


@dataclass(frozen=True)
class About:
    kind: str
    record: int
    said: str
    tool: str
    field: str
    value: Any
    """What the tool is given for the record."""
    summary: str | None = None
    """Words of the record in the tool's summary, for results that name it by name only."""


CASES = [
    About("client", 1, "tell me about her", "clients_get", "client", 1),
    About("invoice", 78, "send it", "invoices_send", "invoice", "INV-0500"),
    About("quote", 3, "show me that quote", "quotes_get", "quote", "Q-0300"),
    About(
        "appointment",
        231,
        "tell me about that appointment",
        "scheduling_get_appointment",
        "appointment",
        231,
    ),
    About("task", 5, "mark it as done", "tasks_complete", "tasks", [5]),
    About("reminder", 3, "snooze it for ten minutes", "reminders_snooze", "reminder", 3),
    About("payee", 4, "pay them 46.80", "banking_pay_payee", "payee", 4, "FreshFold Laundry"),
    About("card", 2, "freeze it", "banking_freeze_card", "card", "ending 7305"),
    About("resource", 5, "take it out of service", "scheduling_update_resource", "resource", 5),
    About(
        "transaction",
        390,
        "uncategorise it",
        "banking_categorize_transaction",
        "transactions",
        [390],
    ),
]


@pytest.fixture
def renumbered(demo_workspace, owner_context):
    """Invoice 78 is INV-0500 and quote 3 is Q-0300 (ids and numbers no longer agree)."""
    with demo_workspace.transaction(owner_context.business_id) as session:
        session.execute(sa.update(Invoice).where(Invoice.id == 78).values(number="INV-0500"))
        session.execute(sa.update(Quote).where(Quote.id == 3).values(number="Q-0300"))


@pytest.mark.usefixtures("renumbered")
@pytest.mark.parametrize("case", CASES, ids=lambda c: c.kind)
def test_it_reaches_the_tool_as_the_right_record(
    case, brain, working, *, demo_workspace, owner_context, clock, tmp_path
):
    working.records[case.kind] = case.record
    understood = brain.understand(case.said)
    assert (understood.tool, understood.missing) == (case.tool, ())
    assert understood.arguments[case.field] == case.value
    tool = REGISTRY.get(case.tool)
    tool.input_model.model_validate(understood.arguments)

    executor = Executor(demo_workspace, REGISTRY, {"files_dir": tmp_path})
    result = executor.execute(owner_context, case.tool, understood.arguments)
    if case.summary is not None:
        assert case.summary in result.summary
        return
    after = WorkingContext(clock, timedelta(minutes=10))
    after.note(tool, understood.arguments, result)
    named = after.current(case.kind)
    assert named is not None
    assert named.id == case.record


@pytest.mark.parametrize(
    ("kind", "record", "model_of", "field", "resolve"),
    [
        pytest.param(
            "staff", 3, "scheduling_day_summary", "staff", resolve_staff, id="staff"
        ),
        pytest.param(
            "service", 4, "scheduling_check_availability", "service", resolve_service,
            id="service",
        ),
        pytest.param("product", 2, "invoices_create", "product", resolve_product, id="product"),
    ],
)  # fmt: skip
def test_kinds_without_it_sentences_are_passed_as_their_id(
    kind, record, model_of, field, resolve, *, demo_workspace, owner_context
):
    model = REGISTRY.get(model_of).input_model
    if field not in model.model_fields:  # a product is named inside an invoice line
        model = model.model_fields["lines"].annotation.__args__[0]
    value = Referents(demo_workspace, owner_context.business_id).argument(
        model, field, kind, Record(kind, record, "a label")
    )
    assert value == record
    with demo_workspace.transaction(owner_context.business_id) as session:
        assert resolve(session, value).id == record


def test_a_record_that_is_gone_gives_no_value(demo_workspace, owner_context):
    referents = Referents(demo_workspace, owner_context.business_id)
    model = REGISTRY.get("invoices_send").input_model
    assert referents.argument(model, "invoice", "invoice", Record("invoice", 9999)) is None


def test_a_text_only_argument_gets_the_label_of_a_kind_without_a_number(
    demo_workspace, owner_context
):
    referents = Referents(demo_workspace, owner_context.business_id)
    model = REGISTRY.get("banking_freeze_card").input_model
    assert referents.argument(model, "card", "note", Record("note", 4, "Team day")) == "Team day"
    assert referents.argument(model, "card", "note", Record("note", 4)) == "#4"


def test_cards_sharing_their_last_digits_are_passed_by_id(demo_workspace, owner_context):
    from luma_desktop.workspace.models import Card

    with demo_workspace.transaction(owner_context.business_id) as session:
        session.execute(sa.update(Card).values(last4="4821"))
    referents = Referents(demo_workspace, owner_context.business_id)
    model = REGISTRY.get("banking_freeze_card").input_model
    assert referents.argument(model, "card", "card", Record("card", 2)) == "#2"


@pytest.mark.parametrize(
    ("tool", "field", "takes_id"),
    [
        ("clients_get", "client", True),
        ("invoices_send", "invoice", False),
        ("banking_freeze_card", "card", False),
        ("tasks_complete", "tasks", True),
        ("banking_reconcile", "transaction", True),
    ],
)
def test_which_arguments_take_an_id(tool, field, takes_id):
    annotation = REGISTRY.get(tool).input_model.model_fields[field].annotation
    assert accepts_id(annotation) is takes_id
