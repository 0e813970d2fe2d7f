"""Blocked time, working hours, resources, waitlist and booking links (with their undo)."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest
import sqlalchemy as sa

from luma_desktop.errors import Conflict, Invalid, NotFound
from luma_desktop.workspace.models import (
    Appointment,
    BlockedTime,
    BookingLink,
    ResourceKind,
    WaitlistStatus,
    WorkingHours,
)

from .test_scheduling_support import FRI, SUN, THU, WED, at, hhmm, make_diary


def _count(diary, model):
    with diary.workspace.transaction(diary.context.business_id) as session:
        return session.scalar(sa.select(sa.func.count()).select_from(model))


def test_block_time_for_the_business_a_staff_member_and_whole_days(workspace):
    diary = make_diary(workspace)
    svc = diary.service
    lunch = svc.block_time(at(THU, "12:00"), at(THU, "13:00"), reason="Team lunch")
    assert lunch.block.scope == "business"
    assert lunch.block.reason == "Team lunch"
    assert hhmm(lunch.block.starts_at) == "12:00"
    course = svc.block_time(FRI, staff="Ben", reason="Course")  # the whole local day
    assert course.block.scope == "staff"
    assert course.block.staff_name == "Ben"
    assert course.block.starts_at == at(FRI, "00:00")
    assert course.block.ends_at == at(FRI + timedelta(days=1), "00:00")
    listed = svc.list_blocked_times(THU, FRI)
    assert [b.id for b in listed] == [lunch.block.id, course.block.id]
    assert [b.id for b in svc.list_blocked_times(THU, FRI, staff="Anna")] == [lunch.block.id]
    assert svc.list_blocked_times(SUN) == []
    ben_friday = svc.check_availability("Haircut", FRI, staff="Ben").slots
    assert ben_friday == ()


def test_block_time_names_clashing_appointments_unless_forced(workspace):
    diary = make_diary(workspace)
    diary.book(THU, "10:00", staff=diary.anna)
    code = diary.appointments()[0].confirmation_code
    svc = diary.service
    with pytest.raises(
        Conflict, match=f"1 appointment\\(s\\) fall in that period: Thu 19 Nov 10:00 \\({code}\\)"
    ):
        svc.block_time(at(THU, "09:00"), at(THU, "12:00"), staff="Anna")
    assert _count(diary, BlockedTime) == 0
    svc.block_time(at(THU, "09:00"), at(THU, "12:00"), staff="Ben")  # Ben is free then
    forced = svc.block_time(at(THU, "09:00"), at(THU, "12:00"), staff="Anna", force=True)
    assert forced.block.staff_id == diary.anna.id
    assert diary.appointments()[0].status.value == "confirmed"  # kept as it was


def test_block_time_bad_input(workspace):
    diary = make_diary(workspace)
    svc = diary.service
    with pytest.raises(Invalid, match="end after it starts"):
        svc.block_time(at(THU, "12:00"), at(THU, "11:00"))
    with pytest.raises(Invalid, match="When should the block end"):
        svc.block_time(at(THU, "12:00"))
    with pytest.raises(Invalid, match="already over"):
        svc.block_time(at(WED, "09:00"), at(WED, "10:00"))
    with pytest.raises(Invalid, match="not both"):
        svc.block_time(THU, staff="Anna", resource="Room 1")
    with pytest.raises(NotFound):
        svc.block_time(THU, staff="Zed")
    assert _count(diary, BlockedTime) == 0


def test_unblock_and_undo_both_ways(workspace):
    diary = make_diary(workspace)
    svc = diary.service
    first = svc.block_time(at(THU, "12:00"), at(THU, "13:00"), staff="Anna", reason="Dentist")
    undone = svc.apply_undo(first.undo)  # the undo of blocking is unblocking
    assert undone.operation == "unblock_time"
    assert svc.list_blocked_times(THU) == []
    block = svc.block_time(at(THU, "12:00"), at(THU, "13:00"), staff="Anna", reason="Dentist")
    removed = svc.unblock_time(f"#{block.block.id}")
    assert removed.block.reason == "Dentist"
    assert svc.list_blocked_times(THU) == []
    svc.apply_undo(removed.undo.model_dump(mode="json"))  # block it again
    [again] = svc.list_blocked_times(THU)
    assert (again.staff_id, again.reason, hhmm(again.starts_at)) == (
        diary.anna.id,
        "Dentist",
        "12:00",
    )
    svc.unblock_time(again.id)
    with pytest.raises(NotFound):
        svc.unblock_time(again.id)
    with pytest.raises(NotFound):
        svc.unblock_time("lunch")


def test_set_working_hours_replaces_the_template_and_undo_restores_it(workspace):
    diary = make_diary(workspace)
    svc = diary.service
    first = svc.set_working_hours(
        "Anna", {"thursday": [("10:00", "14:00")], 4: [(time(9), time(12)), ("13:00", "17:00")]}
    )
    assert first.template == {
        3: ((time(10), time(14)),),
        4: ((time(9), time(12)), (time(13), time(17))),
    }
    assert first.previous == {}
    second = svc.set_working_hours(diary.anna.id, {"Mon": [("9:00", "17:30")]})
    assert second.previous == first.template
    assert svc.get_working_hours("Anna").template == {0: ((time(9), time(17, 30)),)}
    assert svc.check_availability("Haircut", THU, staff="Anna").slots == ()  # Thursday off now
    svc.apply_undo(second.undo.model_dump(mode="json"))
    assert svc.get_working_hours("Anna").template == first.template
    cleared = svc.set_working_hours("Anna", {})
    assert cleared.template == {}
    assert len(svc.check_availability("Haircut", THU, staff="Anna").slots) == 33
    resources = svc.list_resources("staff")
    assert [(s.name, s.has_working_hours) for s in resources.staff] == [
        ("Anna", False),
        ("Ben", False),
    ]


_BAD_TEMPLATES = [
    ({0: [("12:00", "09:00")]}, "ends before it starts"),
    ({0: [("09:00", "13:00"), ("12:00", "17:00")]}, "overlap at 12:00-13:00"),
    ({"funday": [("09:00", "17:00")]}, "not a weekday"),
    ({0: [("9am", "17:00")]}, "not a time of day"),
    ({0: [("09:00",)]}, "needs a start and an end"),
    ({0: [], "mon": [("09:00", "10:00")]}, "given twice"),
    ({0: [], 1: []}, "no working time at all"),
]


def test_set_working_hours_validates_and_writes_nothing(workspace):
    diary = make_diary(workspace)
    diary.service.set_working_hours("Anna", {2: [("09:00", "11:00")]})
    for template, message in _BAD_TEMPLATES:
        with pytest.raises(Invalid, match=message):
            diary.service.set_working_hours("Anna", template)
    with pytest.raises(NotFound):
        diary.service.set_working_hours("Zed", {0: [("09:00", "17:00")]})
    with diary.workspace.transaction(diary.context.business_id) as session:
        rows = session.scalars(sa.select(WorkingHours)).all()
        assert [(r.weekday, r.starts, r.ends) for r in rows] == [(2, time(9), time(11))]


def test_resources_create_update_list_and_undo(workspace):
    diary = make_diary(workspace)
    svc = diary.service
    made = svc.create_resource("Colour room", "room", capacity=2)
    assert made.resource.kind is ResourceKind.ROOM
    assert made.resource.capacity == 2
    svc.create_resource("Chair 1", ResourceKind.CHAIR)
    with pytest.raises(Conflict, match="already a resource called Colour room"):
        svc.create_resource("colour  ROOM", "room")
    with pytest.raises(Invalid, match="one of: room, chair, equipment"):
        svc.create_resource("Laser", "robot")
    with pytest.raises(Invalid, match="from 1 to 100"):
        svc.create_resource("Sink", "equipment", capacity=0)
    changed = svc.update_resource("Colour room", name="Studio", capacity=1, active=False)
    assert changed.previous is not None
    assert changed.previous.name == "Colour room"
    assert (changed.resource.name, changed.resource.active) == ("Studio", False)
    listing = svc.list_resources()
    assert [r.name for r in listing.resources] == ["Chair 1"]
    assert [s.name for s in listing.staff] == ["Anna", "Ben"]
    everything = svc.list_resources(include_inactive=True)
    assert [r.name for r in everything.resources] == ["Chair 1", "Studio"]
    assert svc.list_resources("room").staff == ()
    with pytest.raises(Invalid, match="inactive"):
        svc.check_availability("Haircut", THU, resource="Studio")
    svc.apply_undo(changed.undo)
    restored = svc.list_resources("room").resources[0]
    assert (restored.name, restored.capacity, restored.active) == ("Colour room", 2, True)
    with pytest.raises(Invalid, match="Tell me what to change"):
        svc.update_resource("Colour room")
    svc.apply_undo(made.undo)  # the undo of creating it removes it
    assert [r.name for r in svc.list_resources(include_inactive=True).resources] == ["Chair 1"]


def test_delete_resource_refuses_while_future_bookings_use_it(workspace):
    diary = make_diary(workspace)
    svc = diary.service
    room = svc.create_resource("Room 1", "room").resource
    booked = svc.create_appointment(
        diary.sarah.id, "Haircut", at(THU, "10:00"), resource="Room 1"
    ).first
    svc.block_time(at(FRI, "09:00"), at(FRI, "10:00"), resource=room.id)
    with pytest.raises(Conflict, match="booked for 1 upcoming appointment"):
        svc.delete_resource("Room 1")
    svc.cancel_appointment(booked.id)
    deleted = svc.delete_resource(room.id)
    assert deleted.resource.name == "Room 1"
    assert deleted.detached_appointments == 1
    assert diary.appointments()[0].resource_id is None
    assert svc.list_blocked_times(FRI) == []
    with pytest.raises(NotFound):
        svc.delete_resource(room.id)


def test_waitlist_add_list_remove(workspace):
    diary = make_diary(workspace)
    svc = diary.service
    sarah = svc.add_to_waitlist(diary.sarah.id, "Haircut", day=FRI, notes="Any time")
    tom = svc.add_to_waitlist(diary.tom.id, "Colour", staff="Ben")
    assert sarah.status is WaitlistStatus.WAITING
    assert sarah.preferred_day == FRI
    assert tom.staff_name == "Ben"
    assert tom.preferred_day is None
    with pytest.raises(Conflict, match="already waiting for Haircut on Fri 20 Nov"):
        svc.add_to_waitlist(diary.sarah.id, "Haircut", day=FRI)
    with pytest.raises(Invalid, match="already passed"):
        svc.add_to_waitlist(diary.sarah.id, "Haircut", day=WED - timedelta(days=1))
    assert [w.client_name for w in svc.list_waitlist()] == ["Sarah Miller", "Tom Jones"]
    assert [w.id for w in svc.list_waitlist(service="Colour")] == [tom.id]
    assert [w.id for w in svc.list_waitlist(day=THU)] == [tom.id]  # Tom takes any day
    assert sarah.undo is not None
    svc.apply_undo(sarah.undo)
    assert [w.id for w in svc.list_waitlist()] == [tom.id]
    assert len(svc.list_waitlist(include_closed=True)) == 2
    with pytest.raises(Invalid, match="already removed"):
        svc.remove_from_waitlist(sarah.id)


def test_booking_links_read_without_writing_and_create_once(workspace):
    diary = make_diary(workspace)
    svc = diary.service
    assert svc.get_booking_link(service="Haircut") is None
    assert _count(diary, BookingLink) == 0
    made = svc.create_booking_link(service="Haircut", staff="Anna")
    assert made.created
    assert made.code == "haircut-anna"
    assert made.url == "https://book.luma.local/acme/haircut-anna"
    again = svc.create_booking_link(service="haircut", staff="anna")
    assert again.id == made.id
    assert not again.created
    assert again.undo is None
    business = svc.create_booking_link()
    assert business.code == "all"
    assert business.service_name is None
    assert svc.get_booking_link(service="Haircut", staff="Anna") == again
    assert svc.get_booking_link(service="Haircut") is None
    assert svc.get_booking_link().code == "all"
    assert made.undo is not None
    svc.apply_undo(made.undo)
    assert svc.get_booking_link(service="Haircut", staff="Anna") is None
    with pytest.raises(NotFound):
        svc.delete_booking_link("haircut-anna")
    assert svc.delete_booking_link("ALL").code == "all"
    assert _count(diary, BookingLink) == 0


def test_undo_records_survive_json_and_reject_garbage(workspace):
    diary = make_diary(workspace)
    svc = diary.service
    appointment = diary.book(THU, "10:00")
    change = svc.cancel_appointment(appointment, "Client asked")
    stored = change.undo.model_dump(mode="json")
    assert stored["arguments"]["starts_at"] == "2026-11-19T10:00:00+00:00"
    assert stored["arguments"]["status"] == "confirmed"
    with pytest.raises(Invalid, match="incomplete"):
        svc.apply_undo({"operation": "restore_appointment"})
    with pytest.raises(Invalid, match="wrong arguments"):
        svc.apply_undo({"operation": "unblock_time", "arguments": {"nope": 1}, "summary": "x"})
    svc.apply_undo(stored)
    with diary.workspace.transaction(diary.context.business_id) as session:
        row = session.get(Appointment, appointment)
        assert row is not None
        assert row.status.value == "confirmed"
        assert row.starts_at == datetime(2026, 11, 19, 10, tzinfo=UTC)
