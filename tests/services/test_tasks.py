"""TasksService: tasks by title, inferred priority, natural-language due dates, and notes."""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from luma_desktop.errors import Ambiguous, Invalid, NotFound, PermissionDenied
from luma_desktop.workspace.database import Workspace
from luma_desktop.workspace.models import (
    Appointment,
    Document,
    Note,
    Priority,
    Role,
    Task,
    TaskStatus,
    User,
)
from luma_desktop.workspace.services import ServiceContext
from luma_desktop.workspace.services.tasks import TaskChanges, TasksService, infer_priority
from luma_desktop.workspace.when import parse_when

from ..conftest import NOW
from ..factories import add, make_business, make_client, make_service

LONDON = ZoneInfo("Europe/London")


def local(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=LONDON)


def count(workspace: Workspace, ctx: ServiceContext, model: Any) -> int:
    with workspace.transaction(ctx.business_id) as session:
        return int(session.scalar(sa.select(sa.func.count()).select_from(model)) or 0)


def add_user(workspace: Workspace, ctx: ServiceContext, name: str, role: Role) -> int:
    email = name.lower().replace(" ", ".") + "@acme.test"
    return int(add(workspace, ctx, User(name=name, email=email, role=role))[0].id)


@pytest.fixture
def ctx(workspace: Workspace) -> ServiceContext:
    return make_business(workspace)


@pytest.fixture
def tasks(workspace: Workspace, ctx: ServiceContext) -> TasksService:
    return TasksService(workspace, ctx)


# --- create ------------------------------------------------------------------------------------


def test_create_task_reads_due_in_business_time_and_keeps_given_priority(tasks, ctx):
    created = tasks.create_task(
        "Order shampoo",
        description="the big bottles",
        priority="medium",
        due="friday at 3",
        assignee="me",
    )
    assert created.title == "Order shampoo"
    assert created.description == "the big bottles"
    assert created.priority is Priority.MEDIUM
    assert created.priority_reason is None
    assert created.due_at == local("2026-11-20 15:00")
    assert created.status is TaskStatus.OPEN
    assert created.assignee_user_id == ctx.user_id
    assert created.assignee_name == "Olivia Owner"
    assert created.created_by_user_id == ctx.user_id
    assert created.created_at == NOW
    assert created.overdue is False


PRIORITY_RULES = [
    ("Tidy the stockroom", "low priority please", "tomorrow", Priority.LOW, "explicit-low"),
    ("Fix the till asap", None, None, Priority.URGENT, "asap-urgent"),
    ("Call the landlord", "immediately", "next month", Priority.URGENT, "immediately-urgent"),
    ("Urgent: boiler", None, None, Priority.URGENT, "urgent-word"),
    ("Important: renew insurance", None, None, Priority.HIGH, "important-high"),
    ("Send the rota today", None, None, Priority.HIGH, "today-word-high"),
    ("Critical fix on booking page", None, "in 2 weeks", Priority.HIGH, "critical-high"),
    ("Repaint the door someday", None, "tomorrow", Priority.LOW, "someday-low"),
    ("Clean windows whenever", None, None, Priority.LOW, "whenever-low"),
    ("Call supplier", None, "tomorrow at 2pm", Priority.HIGH, "due-within-24h-high"),
    ("Call supplier", None, "in 3 days", Priority.MEDIUM, "due-within-3-days-medium"),
    ("Call supplier", None, "next friday", Priority.LOW, "due-later-low"),
    ("Call supplier", None, None, Priority.LOW, "no-due-low"),
]


@pytest.mark.parametrize(
    ("title", "description", "due", "expected"),
    [r[:4] for r in PRIORITY_RULES],
    ids=[r[4] for r in PRIORITY_RULES],
)
def test_priority_rules(title, description, due, expected):
    due_at = None if due is None else parse_when(due, NOW.astimezone(LONDON))
    priority, reason = infer_priority(title, description, due_at, NOW)
    assert priority is expected
    assert reason


def test_create_task_infers_priority_when_unsaid(tasks):
    soon = tasks.create_task("Call supplier", due="tomorrow at 2pm")
    assert (soon.priority, soon.priority_reason) == (
        Priority.HIGH,
        "high, because it is due within 24 hours",
    )
    asap = tasks.create_task("Fix the till asap", due="next friday")
    assert (asap.priority, asap.priority_reason) == (
        Priority.URGENT,
        "urgent, because it says “asap”",
    )
    later = tasks.create_task("Call supplier", due="in 3 days")
    assert later.priority is Priority.MEDIUM


def test_past_due_counts_as_high_and_overdue(tasks):
    created = tasks.create_task("Pay the window cleaner", due=NOW - timedelta(days=2))
    assert created.priority is Priority.HIGH
    assert created.priority_reason == "high, because it is due within 24 hours"
    assert created.overdue is True


BAD_CREATES = [
    ({"title": "   "}, "title is empty"),
    ({"title": "x" * 301}, "under 300"),
    ({"title": "Call Bob", "due": "when pigs fly"}, "tomorrow at 2pm"),
    ({"title": "Call Bob", "due": datetime(2026, 11, 20, 9)}, "timezone"),
    ({"title": "Call Bob", "priority": "extreme"}, "low, medium, high, urgent"),
    ({"title": "Call Bob", "linked_type": "invoice"}, "which one"),
    ({"title": "Call Bob", "linked_type": "spaceship", "linked_id": 1}, "spaceship"),
]


def test_create_task_refuses_bad_input_and_writes_nothing(workspace, ctx, tasks):
    for fields, message in BAD_CREATES:
        with pytest.raises(Invalid, match=message):
            tasks.create_task(**fields)
    assert count(workspace, ctx, Task) == 0


def test_assignee_by_name_email_and_refusals(workspace, ctx, tasks):
    sam = add_user(workspace, ctx, "Sam Stylist", Role.STAFF)
    portal = add_user(workspace, ctx, "Carla Client", Role.CLIENT)
    assert tasks.create_task("Sweep", assignee="sam").assignee_user_id == sam
    assert tasks.create_task("Mop", assignee="SAM.STYLIST@acme.test").assignee_user_id == sam
    with pytest.raises(NotFound, match="Zed"):
        tasks.create_task("Dust", assignee="Zed")
    with pytest.raises(NotFound, match="team member"):
        tasks.create_task("Dust", assignee=portal)
    assert count(workspace, ctx, Task) == 2


def test_linked_entities_are_validated_in_this_business(workspace, ctx, tasks):
    sarah = make_client(workspace, ctx, "Sarah", "Miller")
    service = make_service(workspace, ctx, "Haircut")
    appointment = add(
        workspace,
        ctx,
        Appointment(
            client_id=sarah.id,
            service_id=service.id,
            starts_at=NOW + timedelta(days=1),
            ends_at=NOW + timedelta(days=1, hours=1),
            confirmation_code="ABC234",
            currency="GBP",
        ),
    )[0]
    contract = add(workspace, ctx, Document(title="Lease contract"))[0]

    # Clients are given by id here: names go through _references.resolve_client.
    by_id = tasks.create_task("Call about colour", linked_type="Client", linked_id=sarah.id)
    assert (by_id.linked_type, by_id.linked_id) == ("client", sarah.id)
    assert by_id.linked_label == "Sarah Miller"
    by_code = tasks.create_task("Prepare room", linked_type="appointment", linked_id="abc234")
    assert by_code.linked_id == appointment.id
    assert by_code.linked_label == "appointment ABC234 on Thu 19 Nov 14:30"
    by_title = tasks.create_task("Sign it", linked_type="document", linked_id="lease")
    assert (by_title.linked_id, by_title.linked_label) == (contract.id, "Lease contract")

    other = make_business(workspace, slug="other")
    foreign = make_client(workspace, other, "Tom", "Jones")
    with pytest.raises(NotFound):
        tasks.create_task("Spy", linked_type="client", linked_id=foreign.id)
    with pytest.raises(NotFound, match="INV-0099"):
        tasks.create_task("Chase", linked_type="invoice", linked_id="INV-0099")
    assert count(workspace, ctx, Task) == 3


# --- list --------------------------------------------------------------------------------------


def test_list_orders_by_urgency_then_due_and_filters(workspace, ctx, tasks):
    sam = add_user(workspace, ctx, "Sam Stylist", Role.STAFF)
    tasks.create_task("Low later", priority="low", due="next friday")
    tasks.create_task("High friday", priority="high", due="friday")
    tasks.create_task("High tomorrow", priority="high", due="tomorrow", assignee=sam)
    tasks.create_task("High undated", priority="high")
    tasks.create_task("Urgent", priority="urgent", due="the 14th")
    tasks.create_task("Late one", priority="medium", due=NOW - timedelta(hours=1))
    done = tasks.create_task("Done one", priority="urgent")
    tasks.complete_tasks([done.id])

    titles = [t.title for t in tasks.list_tasks()]
    assert titles == [
        "Urgent",
        "High tomorrow",
        "High friday",
        "High undated",
        "Late one",
        "Low later",
    ]
    assert [t.title for t in tasks.list_tasks(status="done")] == ["Done one"]
    assert len(tasks.list_tasks(status="all")) == 7
    assert [t.title for t in tasks.list_tasks(priority="LOW")] == ["Low later"]
    assert [t.title for t in tasks.list_tasks(overdue=True)] == ["Late one"]
    assert [t.title for t in tasks.list_tasks(assignee="sam")] == ["High tomorrow"]
    before_friday = tasks.list_tasks(due_before="friday")
    assert [t.title for t in before_friday] == ["High tomorrow", "Late one"]
    after_friday = tasks.list_tasks(due_after="friday")
    assert [t.title for t in after_friday] == ["Urgent", "Low later"]
    assert [t.title for t in tasks.list_tasks(due_before=local("2026-11-20 10:00"))] == [
        "High tomorrow",
        "High friday",
        "Late one",
    ]


def test_list_refuses_bad_filters(tasks):
    with pytest.raises(Invalid, match="open, in progress, done"):
        tasks.list_tasks(status="finished")
    with pytest.raises(Invalid, match="tomorrow at 2pm"):
        tasks.list_tasks(due_before="the twelfth of never")


def test_own_only_and_staff_scope(workspace, ctx, tasks):
    sam = add_user(workspace, ctx, "Sam Stylist", Role.STAFF)
    staff = TasksService(workspace, dataclasses.replace(ctx, user_id=sam, role=Role.STAFF))
    tasks.create_task("Owner's own")
    assigned = tasks.create_task("For Sam", assignee=sam)
    by_sam = staff.create_task("Sam's note to self")

    assert [t.title for t in tasks.list_tasks(own_only=True)] == ["Owner's own", "For Sam"]
    assert sorted(t.title for t in staff.list_tasks()) == ["For Sam", "Sam's note to self"]
    owners = tasks.list_tasks(status="all")
    hidden = next(t for t in owners if t.title == "Owner's own")
    with pytest.raises(PermissionDenied, match="someone else's"):
        staff.update_task(hidden.id, TaskChanges(title="Mine now"))
    with pytest.raises(NotFound):
        staff.complete_tasks(["owner's own"])
    assert staff.complete_tasks(["for sam"]).completed_ids == [assigned.id]
    assert staff.delete_task(by_sam.id).title == "Sam's note to self"


def test_tasks_of_another_business_never_leak(workspace, ctx, tasks):
    other_ctx = make_business(workspace, slug="other")
    other = TasksService(workspace, other_ctx)
    theirs = other.create_task("Buy milk")
    tasks.create_task("Buy bread")
    assert [t.title for t in tasks.list_tasks(status="all")] == ["Buy bread"]
    with pytest.raises(NotFound):
        tasks.complete_tasks(["milk"])
    with pytest.raises(NotFound):
        tasks.delete_task(theirs.id)
    assert [t.status for t in other.list_tasks(status="all")] == [TaskStatus.OPEN]


def test_client_portal_users_cannot_use_tasks(workspace, ctx):
    portal = TasksService(workspace, dataclasses.replace(ctx, role=Role.CLIENT))
    with pytest.raises(PermissionDenied):
        portal.list_tasks()
    with pytest.raises(PermissionDenied):
        portal.create_note("hello")


# --- update ------------------------------------------------------------------------------------


def test_update_by_fuzzy_title_and_undo_with_previous(tasks):
    created = tasks.create_task("Call the dentist", priority="low", due="friday")
    result = tasks.update_task(
        "dentist",
        TaskChanges(priority="high", due="tomorrow at 2pm", title="Call the dentist back"),
    )
    assert result.task.id == created.id
    assert result.task.priority is Priority.HIGH
    assert result.task.due_at == local("2026-11-19 14:00")
    assert result.task.title == "Call the dentist back"
    assert result.previous == TaskChanges(
        priority=Priority.LOW, due=local("2026-11-20 09:00"), title="Call the dentist"
    )
    undone = tasks.update_task(created.id, result.previous).task
    assert (undone.title, undone.priority, undone.due_at) == (
        "Call the dentist",
        Priority.LOW,
        local("2026-11-20 09:00"),
    )


def test_update_clears_and_sets_status(workspace, ctx, tasks):
    created = tasks.create_task("Stocktake", due="friday", assignee="me", description="shelves")
    cleared = tasks.update_task(
        f"#{created.id}", TaskChanges(due=None, assignee=None, description=None)
    ).task
    assert (cleared.due_at, cleared.assignee_user_id, cleared.description) == (None, None, None)
    done = tasks.update_task("stocktake", TaskChanges(status="done")).task
    assert done.status is TaskStatus.DONE
    assert done.completed_at == NOW
    reopened = tasks.update_task("stocktake", TaskChanges(status="in progress")).task
    assert (reopened.status, reopened.completed_at) == (TaskStatus.IN_PROGRESS, None)


def test_ambiguous_title_lists_candidates_with_due_and_priority(workspace, ctx, tasks):
    tasks.create_task("Buy milk", priority="low", due="friday")
    tasks.create_task("Milk order for cafe", priority="high", due="tomorrow at 10am")
    with pytest.raises(Ambiguous) as error:
        tasks.update_task("milk", TaskChanges(priority="urgent"))
    details = sorted(c.detail for c in error.value.candidates)
    assert details == ["due Fri 20 Nov 09:00, low priority", "due Thu 19 Nov 10:00, high priority"]
    assert {t.priority for t in tasks.list_tasks()} == {Priority.LOW, Priority.HIGH}


def test_update_refuses_nothing_or_bad_changes(tasks):
    tasks.create_task("Order towels", priority="medium")
    with pytest.raises(Invalid, match="Say what to change"):
        tasks.update_task("towels", TaskChanges())
    with pytest.raises(Invalid, match="always has a priority"):
        tasks.update_task("towels", TaskChanges(priority=None))
    with pytest.raises(Invalid, match="tomorrow at 2pm"):
        tasks.update_task("towels", TaskChanges(title="Order more towels", due="blah"))
    with pytest.raises(NotFound, match="banana"):
        tasks.update_task("banana", TaskChanges(title="x"))
    (task,) = tasks.list_tasks()
    assert (task.title, task.priority) == ("Order towels", Priority.MEDIUM)


# --- complete / delete -------------------------------------------------------------------------


def test_complete_by_title_skips_done_and_reopen_undoes(tasks):
    milk = tasks.create_task("Buy milk")
    rota = tasks.create_task("Write the rota")
    first = tasks.complete_tasks(["milk", "rota"])
    assert first.completed_ids == [milk.id, rota.id]
    assert all(t.completed_at == NOW for t in first.completed)
    again = tasks.complete_tasks(["milk"])
    assert again.completed_ids == []
    assert [(s.task_id, s.reason) for s in again.skipped] == [(milk.id, "already done")]
    twice = tasks.reopen_tasks([rota.id])
    assert [t.status for t in twice] == [TaskStatus.OPEN]
    repeated = tasks.complete_tasks(["rota", "write the rota"])
    assert repeated.completed_ids == [rota.id]
    assert [s.reason for s in repeated.skipped] == ["listed twice"]


def test_complete_prefers_open_tasks_and_is_all_or_nothing(workspace, ctx, tasks):
    old = tasks.create_task("Buy milk")
    tasks.complete_tasks([old.id])
    new = tasks.create_task("Buy milk")
    assert tasks.complete_tasks(["buy milk"]).completed_ids == [new.id]
    bread = tasks.create_task("Buy bread")
    with pytest.raises(NotFound, match="unicorn"):
        tasks.complete_tasks(["bread", "unicorn"])
    assert tasks.list_tasks()[0].id == bread.id
    with pytest.raises(Invalid):
        tasks.complete_tasks([])


def test_delete_returns_snapshot_and_restore_recreates(workspace, ctx, tasks):
    client = make_client(workspace, ctx, "Sarah", "Miller")
    created = tasks.create_task(
        "Send Sarah her quote",
        due="friday",
        priority="high",
        assignee="me",
        linked_type="client",
        linked_id=client.id,
    )
    snapshot = tasks.delete_task("sarah quote")
    assert snapshot.id == created.id
    assert count(workspace, ctx, Task) == 0
    restored = tasks.restore_task(snapshot)
    assert restored.model_dump(exclude={"id"}) == snapshot.model_dump(exclude={"id"})
    assert [t.id for t in tasks.list_tasks()] == [restored.id]
    with pytest.raises(NotFound):
        tasks.delete_task(999)


# --- notes -------------------------------------------------------------------------------------


def test_notes_create_list_filter_delete_restore(workspace, ctx, tasks):
    sarah = make_client(workspace, ctx, "Sarah", "Miller")
    general = tasks.create_note("Window cleaner comes on Tuesdays", title="Windows")
    attached = tasks.create_note("Prefers cool tones", linked_type="client", linked_id=sarah.id)
    assert (attached.linked_type, attached.linked_id, attached.linked_label) == (
        "client",
        sarah.id,
        "Sarah Miller",
    )
    assert general.author_user_id == ctx.user_id
    assert [n.id for n in tasks.list_notes(linked_type="client", linked_id=sarah.id)] == [
        attached.id
    ]
    assert [n.id for n in tasks.list_notes(query="COOL tones")] == [attached.id]
    assert {n.id for n in tasks.list_notes()} == {general.id, attached.id}

    snapshot = tasks.delete_note("windows")
    assert snapshot == general
    assert count(workspace, ctx, Note) == 1
    restored = tasks.restore_note(snapshot)
    assert restored.model_dump(exclude={"id"}) == general.model_dump(exclude={"id"})


def test_notes_refuse_bad_input_and_respect_staff_scope(workspace, ctx, tasks):
    with pytest.raises(Invalid, match="note is empty"):
        tasks.create_note("  ")
    with pytest.raises(Invalid, match="not to “pet”"):
        tasks.create_note("Woof", linked_type="pet", linked_id=1)
    with pytest.raises(NotFound):
        tasks.create_note("Hi", linked_type="client", linked_id=12345)
    assert count(workspace, ctx, Note) == 0

    owner_note = tasks.create_note("Owner only")
    sam = add_user(workspace, ctx, "Sam Stylist", Role.STAFF)
    staff = TasksService(workspace, dataclasses.replace(ctx, user_id=sam, role=Role.STAFF))
    staff.create_note("Sam's note")
    assert [n.body for n in staff.list_notes()] == ["Sam's note"]
    with pytest.raises(PermissionDenied):
        staff.delete_note(owner_note.id)
    with pytest.raises(NotFound):
        staff.delete_note("owner only")
    with pytest.raises(PermissionDenied):
        staff.restore_note(owner_note)
