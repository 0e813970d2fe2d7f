"""Availability: opening hours, exceptions, working hours, blocks, buffers, staff, DST, past."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest

from luma_desktop.clock import FixedClock
from luma_desktop.errors import Invalid, NotFound
from luma_desktop.workspace.models import (
    BlockedTime,
    HoursException,
    OpeningHours,
    Resource,
    ResourceKind,
    WorkingHours,
)
from luma_desktop.workspace.services.scheduling import SchedulingService

from ..factories import add, make_business, make_client, make_service, make_staff
from .test_scheduling_support import SUN, THU, WED, at, hhmm, make_diary


def _times(slots, staff_name=None):
    return [hhmm(s.starts_at) for s in slots if staff_name is None or s.staff_name == staff_name]


def test_slots_follow_opening_hours_on_a_15_minute_grid(workspace):
    diary = make_diary(workspace)
    result = diary.service.check_availability("Haircut", THU, staff="Anna")
    times = _times(result.slots)
    assert times[0] == "09:00"
    assert times[1] == "09:15"
    assert times[-1] == "17:00"  # 60 min ends at 18:00; the buffer may run past closing
    assert len(times) == 33
    assert result.duration_minutes == 60
    assert result.buffer_minutes == 15
    first = result.slots[0]
    assert first.starts_at.tzinfo is not None
    assert first.starts_at.utcoffset() == timedelta(0)  # GMT in November
    assert first.ends_at - first.starts_at == timedelta(hours=1)
    assert first.staff_id == diary.anna.id
    assert str(first) == "Thu 19 Nov 09:00 with Anna"


def test_existing_booking_and_its_buffer_hide_slots(workspace):
    diary = make_diary(workspace)
    diary.book(THU, "10:00", staff=diary.anna)
    anna = _times(diary.service.check_availability("Haircut", THU).slots, "Anna")
    # 09:00 would hold Anna until 10:15 (buffer) and clash; the booking holds her until 11:15.
    assert "09:00" not in anna
    assert anna[0] == "11:15"
    ben = _times(diary.service.check_availability("Haircut", THU).slots, "Ben")
    assert ben[0] == "09:00"
    assert "10:00" in ben
    # a service without buffer may start right after a booking ends
    diary.book(THU, "10:00", staff=diary.ben, client=diary.tom, service=diary.colour)  # to 11:30
    colour = _times(diary.service.check_availability("Colour", THU).slots)
    assert "09:00" not in colour
    assert "11:15" not in colour
    assert colour[0] == "11:30"


def test_holiday_exception_closes_the_day_and_special_hours_replace_it(workspace):
    diary = make_diary(workspace)
    add(
        workspace,
        diary.context,
        HoursException(day=THU, closed=True, reason="Staff training"),
        HoursException(
            day=THU + timedelta(days=1),
            closed=False,
            opens=time(12),
            closes=time(15),
            reason="Short day",
        ),
        HoursException(day=SUN, closed=False, opens=time(10), closes=time(12)),
    )
    svc = diary.service
    assert svc.check_availability("Haircut", THU).slots == ()
    friday = _times(svc.check_availability("Haircut", THU + timedelta(days=1), staff="Anna").slots)
    assert friday[0] == "12:00"
    assert friday[-1] == "14:00"
    sunday = _times(svc.check_availability("Haircut", SUN, staff="Ben").slots)
    assert sunday == ["10:00", "10:15", "10:30", "10:45", "11:00"]


def test_blocked_time_business_wide_and_per_staff(workspace):
    diary = make_diary(workspace)
    add(
        workspace,
        diary.context,
        BlockedTime(starts_at=at(THU, "12:00"), ends_at=at(THU, "13:00"), reason="Lunch"),
        BlockedTime(
            staff_id=diary.ben.id,
            starts_at=at(THU, "09:00"),
            ends_at=at(THU, "15:00"),
            reason="Course",
        ),
    )
    slots = diary.service.check_availability("Haircut", THU).slots
    anna = _times(slots, "Anna")
    assert "11:00" in anna
    assert "11:15" not in anna  # would run into lunch
    assert "12:30" not in anna
    assert "13:00" in anna
    ben = _times(slots, "Ben")
    assert ben[0] == "15:00"


def test_working_hours_narrow_the_day_and_no_rows_means_business_hours(workspace):
    diary = make_diary(workspace)
    add(
        workspace,
        diary.context,
        WorkingHours(staff_id=diary.anna.id, weekday=THU.weekday(), starts=time(10), ends=time(13)),
        WorkingHours(staff_id=diary.anna.id, weekday=THU.weekday(), starts=time(14), ends=time(20)),
    )
    slots = diary.service.check_availability("Haircut", THU).slots
    anna = _times(slots, "Anna")
    assert anna[0] == "10:00"
    assert "12:00" in anna
    assert "12:15" not in anna
    assert anna[-1] == "17:00"  # her 20:00 end is cut at closing time
    assert _times(slots, "Ben")[0] == "09:00"
    friday = diary.service.check_availability("Haircut", THU + timedelta(days=1)).slots
    assert _times(friday, "Anna") == []  # no Friday rows: a day off
    # only the staff who perform a service are offered
    slots = diary.service.check_availability("Colour", THU).slots
    assert {s.staff_name for s in slots} == {"Ben"}
    with pytest.raises(Invalid, match="Anna doesn't do Colour"):
        diary.service.check_availability("Colour", THU, staff="Anna")


def test_no_slots_in_the_past(workspace):
    diary = make_diary(workspace)  # now: Wed 14:30 London
    today = _times(diary.service.check_availability("Haircut", WED, staff="Anna").slots)
    assert today[0] == "14:30"
    assert today[-1] == "17:00"
    assert diary.service.check_availability("Haircut", WED - timedelta(days=1)).slots == ()


def test_range_and_resource_capacity(workspace):
    diary = make_diary(workspace)
    room = add(
        workspace, diary.context, Resource(name="Colour room", kind=ResourceKind.ROOM, capacity=1)
    )[0]
    diary.service.create_appointment(
        diary.sarah.id, diary.colour.id, at(THU, "09:00"), resource=room.id
    )
    result = diary.service.check_availability(
        "Haircut", THU, last_day=THU + timedelta(days=2), resource="Colour room"
    )
    thursday = [s for s in result.slots if s.starts_at.date() == THU]
    # the room is busy 09:00-10:30 whoever the stylist is
    assert "09:00" not in _times(thursday)
    assert _times(thursday, "Anna")[0] == "10:30"
    assert {s.starts_at.date() for s in result.slots} == {
        THU,
        THU + timedelta(days=1),
        THU + timedelta(days=2),
    }
    assert all(s.resource_name == "Colour room" for s in result.slots)


def test_availability_bad_input(workspace):
    diary = make_diary(workspace)
    svc = diary.service
    with pytest.raises(NotFound):
        svc.check_availability("Massage", THU)
    with pytest.raises(Invalid, match="last day is before"):
        svc.check_availability("Haircut", THU, last_day=WED)
    with pytest.raises(Invalid, match="at most 31 days"):
        svc.check_availability("Haircut", THU, last_day=THU + timedelta(days=40))


def test_dst_spring_forward_keeps_wall_clock_slots(workspace):
    clock = FixedClock(datetime(2027, 3, 1, tzinfo=UTC))
    context = make_business(workspace, clock=clock)
    make_staff(workspace, context, "Anna")
    make_service(workspace, context, "Haircut")
    dst_day = date(2027, 3, 28)  # clocks go forward at 01:00 GMT
    add(
        workspace,
        context,
        OpeningHours(weekday=6, opens=time(0), closes=time(4)),
        OpeningHours(weekday=6, opens=time(9), closes=time(12)),
    )
    svc = SchedulingService(workspace, context)
    slots = svc.check_availability("Haircut", dst_day).slots
    night = [s for s in slots if s.starts_at.hour < 9]
    # 00:00-00:45 GMT, then 01:00-01:45 do not exist; 02:00-03:00 BST
    assert _times(night) == [
        "00:00",
        "00:15",
        "00:30",
        "00:45",
        "02:00",
        "02:15",
        "02:30",
        "02:45",
        "03:00",
    ]
    half_past = night[2]
    assert hhmm(half_past.ends_at) == "02:30"  # 60 real minutes across the change
    assert half_past.ends_at.astimezone(UTC) - half_past.starts_at.astimezone(UTC) == timedelta(
        hours=1
    )
    morning = [s for s in slots if s.starts_at.hour >= 9]
    assert hhmm(morning[0].starts_at) == "09:00"
    assert morning[0].starts_at.astimezone(UTC).hour == 8  # BST
    saturday = svc.check_availability("Haircut", dst_day - timedelta(days=1)).slots
    assert saturday[0].starts_at.astimezone(UTC).hour == 9  # GMT


def test_business_without_staff_books_the_business_diary(workspace):
    context = make_business(workspace, slug="solo")
    make_service(workspace, context, "Massage")
    client = make_client(workspace, context, "Ann", "Lee")
    svc = SchedulingService(workspace, context)
    booking = svc.create_appointment(client.id, "Massage", at(THU, "10:00"))
    assert booking.first.staff_id is None
    times = _times(svc.check_availability("Massage", THU).slots)
    assert "10:00" not in times
    assert "09:15" not in times
    assert "09:00" in times
    assert "11:00" in times


def test_day_summary_gaps_and_utilisation(workspace):
    diary = make_diary(workspace)
    diary.book(THU, "10:00", staff=diary.anna)
    diary.book(THU, "14:00", staff=diary.anna, client=diary.tom)
    diary.book(THU, "11:00", staff=diary.ben, service=diary.colour)
    add(
        workspace,
        diary.context,
        BlockedTime(staff_id=diary.ben.id, starts_at=at(THU, "16:00"), ends_at=at(THU, "18:00")),
    )
    summary = diary.service.day_summary(THU)
    assert summary.open
    assert summary.closed_reason is None
    assert [a.starts_at.hour for a in summary.appointments] == [10, 11, 14]
    assert hhmm(summary.first_starts_at) == "10:00"
    assert hhmm(summary.last_ends_at) == "15:00"
    assert summary.booked_minutes == 60 + 60 + 90
    assert summary.open_minutes == 9 * 60 + 7 * 60  # Ben is blocked for two hours
    assert summary.utilisation == round(210 / 960, 3)
    anna_gaps = [
        (hhmm(g.starts_at), hhmm(g.ends_at)) for g in summary.gaps if g.staff_name == "Anna"
    ]
    assert anna_gaps == [("09:00", "10:00"), ("11:00", "14:00"), ("15:00", "18:00")]
    own = diary.service.day_summary(THU, staff="Ben")
    assert own.staff_name == "Ben"
    assert [a.service_name for a in own.appointments] == ["Colour"]
    assert own.open_minutes == 7 * 60
    closed = diary.service.day_summary(SUN)
    assert not closed.open
    assert closed.utilisation == 0.0
    assert "closed" in (closed.closed_reason or "")


def test_availability_ignores_other_businesses(workspace):
    diary = make_diary(workspace)
    other = make_diary(workspace, slug="other")
    other.book(THU, "10:00", staff=other.anna)
    add(
        workspace,
        other.context,
        BlockedTime(starts_at=at(THU, "09:00"), ends_at=at(THU, "18:00"), reason="Closed"),
    )
    slots = diary.service.check_availability("Haircut", THU, staff=diary.anna.id).slots
    assert len(slots) == 33
    with pytest.raises(NotFound):
        diary.service.check_availability(other.cut.id, THU)
