"""Personal reminders (each user only their own) and the scheduler that fires them once."""

from __future__ import annotations

import asyncio
import dataclasses
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from luma_desktop.clock import FixedClock
from luma_desktop.errors import Invalid, NotFound, PermissionDenied
from luma_desktop.workspace.database import Workspace
from luma_desktop.workspace.models import Importance, Reminder, ReminderStatus, Role, User
from luma_desktop.workspace.services import ServiceContext
from luma_desktop.workspace.services.tasks import DueReminder, ReminderScheduler, TasksService

from ..conftest import NOW
from ..factories import add, make_business

LONDON = ZoneInfo("Europe/London")


def local(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=LONDON)


def reminder_count(workspace: Workspace, ctx: ServiceContext) -> int:
    with workspace.transaction(ctx.business_id) as session:
        return int(session.scalar(sa.select(sa.func.count()).select_from(Reminder)) or 0)


@pytest.fixture
def ctx(workspace: Workspace, clock: FixedClock) -> ServiceContext:
    return make_business(workspace, clock=clock)


@pytest.fixture
def owner(workspace: Workspace, ctx: ServiceContext) -> TasksService:
    return TasksService(workspace, ctx)


@pytest.fixture
def sam(workspace: Workspace, ctx: ServiceContext) -> TasksService:
    """A staff member of the same business."""
    user = add(workspace, ctx, User(name="Sam Stylist", email="sam@acme.test", role=Role.STAFF))
    return TasksService(workspace, dataclasses.replace(ctx, user_id=user[0].id, role=Role.STAFF))


def test_create_reminder_from_natural_language_and_list_upcoming(owner, ctx):
    dentist = owner.create_reminder("Call the dentist", "friday at 3", importance="high")
    assert dentist.due_at == local("2026-11-20 15:00")
    assert (dentist.user_id, dentist.importance) == (ctx.user_id, Importance.HIGH)
    assert (dentist.status, dentist.snooze_count, dentist.fired_at) == (
        ReminderStatus.PENDING,
        0,
        None,
    )
    soon = owner.create_reminder("Take the cake out", "in 30 minutes")
    assert soon.due_at == NOW + timedelta(minutes=30)
    exact = owner.create_reminder("Bank run", local("2026-11-19 11:00"))
    assert [r.text for r in owner.list_reminders()] == [
        "Take the cake out",
        "Bank run",
        "Call the dentist",
    ]
    assert [r.id for r in owner.list_reminders("all")] == [soon.id, exact.id, dentist.id]
    assert owner.list_reminders("past") == []


BAD_REMINDERS = [
    ("Call mum", "this morning", "normal", "already passed"),
    ("Call mum", NOW, "normal", "already passed"),
    ("Call mum", "after lunch maybe", "normal", "tomorrow at 2pm"),
    ("  ", "tomorrow", "normal", "empty"),
    ("Call mum", "tomorrow", "sky high", "not a valid importance; choose normal, high"),
]


def test_create_reminder_refuses_bad_input_and_writes_nothing(workspace, ctx, owner):
    for text, when, importance, message in BAD_REMINDERS:
        with pytest.raises(Invalid, match=message):
            owner.create_reminder(text, when, importance=importance)
    assert reminder_count(workspace, ctx) == 0


def test_reminders_are_private_to_their_user(workspace, ctx, owner, sam):
    mine = owner.create_reminder("Pay rent", "tomorrow")
    theirs = sam.create_reminder("Pay rent", "tomorrow at 10")
    assert [r.id for r in owner.list_reminders()] == [mine.id]
    assert [r.id for r in sam.list_reminders()] == [theirs.id]
    for attempt in (sam.delete_reminder, sam.mark_done, sam.snooze_reminder):
        with pytest.raises(PermissionDenied, match="someone else's"):
            attempt(mine.id)
    with pytest.raises(PermissionDenied):
        sam.restore_reminder(mine)
    assert sam.delete_reminder("pay rent").id == theirs.id
    with pytest.raises(NotFound):
        sam.delete_reminder("pay rent")
    assert [r.id for r in owner.list_reminders()] == [mine.id]


def test_reminders_need_a_signed_in_user(workspace, ctx):
    system = TasksService(workspace, dataclasses.replace(ctx, user_id=None))
    with pytest.raises(PermissionDenied, match="signed-in"):
        system.create_reminder("Nobody", "tomorrow")
    assert system.due_reminders() == []


def test_delete_and_restore_reminder(workspace, ctx, owner):
    created = owner.create_reminder("Order towels", "tomorrow at 2pm")
    snapshot = owner.delete_reminder("towels")
    assert snapshot == created
    assert reminder_count(workspace, ctx) == 0
    restored = owner.restore_reminder(snapshot)
    assert restored.model_dump(exclude={"id"}) == created.model_dump(exclude={"id"})
    with pytest.raises(NotFound):
        owner.delete_reminder(9999)


def test_snooze_fired_reminder_and_undo(owner, clock):
    reminder = owner.create_reminder("Stretch", "in 30 minutes")
    clock.advance(timedelta(minutes=31))
    assert [r.id for r in owner.fire_due()] == [reminder.id]
    snoozed = owner.snooze_reminder("stretch")
    assert snoozed.reminder.due_at == NOW + timedelta(minutes=41)
    assert (snoozed.reminder.status, snoozed.reminder.snooze_count) == (ReminderStatus.PENDING, 1)
    assert snoozed.previous.status is ReminderStatus.FIRED
    later = owner.snooze_reminder(reminder.id, until="tomorrow at 9")
    assert later.reminder.due_at == local("2026-11-19 09:00")
    assert later.reminder.snooze_count == 2
    undone = owner.restore_reminder(snoozed.previous)
    assert (undone.id, undone.status, undone.due_at, undone.snooze_count) == (
        reminder.id,
        ReminderStatus.FIRED,
        NOW + timedelta(minutes=30),
        0,
    )


def test_snooze_of_a_future_reminder_postpones_it_and_refusals(owner):
    reminder = owner.create_reminder("Water plants", "tomorrow at 9")
    moved = owner.snooze_reminder("plants", minutes=60)
    assert moved.reminder.due_at == local("2026-11-19 10:00")
    with pytest.raises(Invalid, match="between 1 minute and 7 days"):
        owner.snooze_reminder("plants", minutes=0)
    with pytest.raises(Invalid, match="already passed"):
        owner.snooze_reminder("plants", until="this morning")
    done = owner.mark_done("plants")
    assert done.reminder.status is ReminderStatus.DONE
    with pytest.raises(Invalid, match="already done"):
        owner.snooze_reminder(reminder.id)
    assert owner.list_reminders() == []
    assert [r.id for r in owner.list_reminders("past")] == [reminder.id]


def test_due_reminders_span_users_and_mark_fired_only_pending(owner, sam, clock):
    a = owner.create_reminder("Owner thing", "in 10 minutes")
    b = sam.create_reminder("Sam thing", "in 20 minutes")
    owner.create_reminder("Later thing", "tomorrow")
    assert owner.due_reminders() == []
    clock.advance(timedelta(minutes=25))
    due = owner.due_reminders()
    assert [(d.id, d.user_name) for d in due] == [(a.id, "Olivia Owner"), (b.id, "Sam Stylist")]
    assert due[0].due_at == NOW + timedelta(minutes=10)
    assert owner.mark_fired([a.id, b.id]) == [a.id, b.id]
    assert owner.mark_fired([a.id]) == []
    assert owner.due_reminders() == []
    with pytest.raises(Invalid, match="timezone"):
        owner.due_reminders(datetime(2026, 11, 18, 15))


def test_scheduler_poll_fires_each_reminder_once(workspace, ctx, owner, clock):
    first = owner.create_reminder("First", "in 5 minutes")
    second = owner.create_reminder("Second", "in 1 hour")
    scheduler = ReminderScheduler(owner)
    other_desktop = ReminderScheduler(TasksService(workspace, ctx))
    assert scheduler.next_due_at() == NOW + timedelta(minutes=5)
    assert scheduler.poll(clock.now()) == []
    clock.advance(timedelta(minutes=6))
    fired = scheduler.poll(clock.now())
    assert [f.id for f in fired] == [first.id]
    assert other_desktop.poll(clock.now()) == []
    assert scheduler.poll(clock.now()) == []
    assert scheduler.next_due_at() == NOW + timedelta(hours=1)
    assert scheduler.delay(clock.now()) == 30.0
    clock.advance(timedelta(minutes=53, seconds=50))
    assert scheduler.delay(clock.now()) == pytest.approx(10.0)
    (fired_row,) = [r for r in owner.list_reminders("past") if r.id == first.id]
    assert (fired_row.status, fired_row.fired_at) == (
        ReminderStatus.FIRED,
        NOW + timedelta(minutes=6),
    )
    assert [r.id for r in owner.list_reminders()] == [second.id]


def test_scheduler_run_loop_fires_on_time_and_stops(owner, clock):
    reminders = [owner.create_reminder(f"Reminder {n}", f"in {n} minutes") for n in (1, 2)]
    scheduler = ReminderScheduler(owner, max_interval=0.01)
    received: list[DueReminder] = []

    async def callback(item: DueReminder) -> None:
        received.append(item)

    def broken_callback(item: DueReminder) -> None:
        raise RuntimeError("the notification area is gone")

    async def wait_for(count: int) -> None:
        for _ in range(500):
            if len(received) >= count:
                return
            await asyncio.sleep(0.01)
        raise AssertionError(f"only {len(received)} reminders arrived")

    async def scenario() -> None:
        stop = asyncio.Event()
        task = asyncio.create_task(scheduler.run(callback, stop, clock))
        await asyncio.sleep(0.05)
        assert received == []
        clock.advance(timedelta(minutes=1))
        await wait_for(1)
        clock.advance(timedelta(minutes=1))
        await wait_for(2)
        await asyncio.sleep(0.05)
        stop.set()
        await asyncio.wait_for(task, timeout=5)
        # A failing callback is logged, not fatal: the loop keeps going until stopped.
        owner.create_reminder("Reminder 3", "in 1 minute")
        clock.advance(timedelta(minutes=2))
        stop2 = asyncio.Event()
        task2 = asyncio.create_task(scheduler.run(broken_callback, stop2, clock))
        await asyncio.sleep(0.1)
        assert not task2.done()
        stop2.set()
        await asyncio.wait_for(task2, timeout=5)

    asyncio.run(scenario())
    assert [r.id for r in received] == [r.id for r in reminders]
    assert all(r.status is ReminderStatus.FIRED for r in owner.list_reminders("past"))


def test_reminders_of_another_business_never_fire_here(workspace, ctx, owner, clock):
    other_ctx = make_business(workspace, slug="other", clock=clock)
    other = TasksService(workspace, other_ctx)
    theirs = other.create_reminder("Their reminder", "in 5 minutes")
    mine = owner.create_reminder("My reminder", "in 5 minutes")
    clock.advance(timedelta(minutes=10))
    assert [r.id for r in ReminderScheduler(owner).poll(clock.now())] == [mine.id]
    with pytest.raises(NotFound):
        owner.delete_reminder(theirs.id)
    assert [r.id for r in ReminderScheduler(other).poll(clock.now())] == [theirs.id]
