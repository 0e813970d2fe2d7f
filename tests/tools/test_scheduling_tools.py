"""Scheduling tools through the executor, on the demo salon (now: Wed 18 Nov 2026, 14:30).

Demo facts used here: PS4MN6 is Sarah Miller's colour with Emma today 15:15-17:15, WRWYFZ her
cut with Emma on Tue 24 Nov 09:00, 56X22X Sarah Thompson's requested facial with Chloe (the
staff user) today 14:45, HGU45G a completed men's cut today 14:00, 7JZC3W Rohan Hussain's brows
with Priya today 15:00, 2FZNQ7 the portal client Olivia Bennett's men's cut on Thu 19 Nov 13:00.
Block #1 is Daniel's dentist visit on Sat 21 Nov 14:00-16:00.
"""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from luma_desktop.assistant.context import execution_context_for
from luma_desktop.clock import FixedClock
from luma_desktop.errors import Ambiguous, Conflict, Invalid, NotFound, PermissionDenied
from luma_desktop.workspace.models import (
    Appointment,
    BlockedTime,
    BookingLink,
    OutboxItem,
    Resource,
    Role,
    WaitlistEntry,
    WorkingHours,
)
from luma_desktop.workspace.services.scheduling import UNDO_OPERATIONS, Slot

from ..conftest import NOW
from .spec import spec_tools

CHLOE, EMMA = 4, 1


def snapshot(executor, context):
    """Everything a scheduling write could change."""
    with executor.workspace.transaction(context.business_id) as session:

        def rows(*columns):
            return sorted(tuple(r) for r in session.execute(sa.select(*columns)).all())

        return (
            rows(Appointment.id, Appointment.status, Appointment.starts_at, Appointment.staff_id),
            rows(BlockedTime.id, BlockedTime.starts_at, BlockedTime.ends_at, BlockedTime.reason),
            rows(Resource.id, Resource.name, Resource.capacity, Resource.active),
            rows(WaitlistEntry.id, WaitlistEntry.status),
            rows(WorkingHours.staff_id, WorkingHours.weekday, WorkingHours.starts),
            rows(BookingLink.id, BookingLink.code),
            rows(OutboxItem.id),
        )


def appointment(executor, context, code):
    return executor.execute(context, "scheduling_get_appointment", {"appointment": code}).data


def undo(executor, context):
    return executor.execute(context, "assistant_undo_last", {}).summary


@pytest.fixture
def staff(as_role):
    return as_role(Role.STAFF)


@pytest.fixture
def client(as_role):
    return as_role(Role.CLIENT)


# -- reads -------------------------------------------------------------------------------------


def test_list_appointments_filters_by_client_range_and_status(executor, owner):
    week = executor.execute(owner, "scheduling_list_appointments", {})
    assert len(week.data) == 39
    assert week.summary.startswith("39 appointment(s): Cut & blow-dry for Ava Cooper with Emma")
    sarah = executor.execute(
        owner,
        "scheduling_list_appointments",
        {"start": "today", "end": "next friday", "client": "Sarah Miller"},
    ).data
    assert [a.confirmation_code for a in sarah] == ["PS4MN6", "WRWYFZ"]
    requested = executor.execute(
        owner, "scheduling_list_appointments", {"status": ["requested"], "staff": "Daniel"}
    ).data
    assert [a.confirmation_code for a in requested] == ["QNC9XJ", "EADG2V"]
    mine = executor.execute(owner, "scheduling_list_appointments", {"staff": "me"}).data
    assert mine
    assert {a.staff_name for a in mine} == {"Emma Clarke"}
    assert executor.execute(owner, "scheduling_list_appointments", {"start": "sunday"}).summary == (
        "No appointments match."
    )


def test_get_appointment_by_code_and_by_name_on_a_day(executor, owner):
    found = executor.execute(owner, "scheduling_get_appointment", {"appointment": "PS4MN6"})
    assert found.summary == (
        "Full head colour for Sarah Miller with Emma Clarke, Wed 18 Nov 15:15-17:15 "
        "(confirmed), £80.00, confirmation code PS4MN6."
    )
    on_day = executor.execute(
        owner, "scheduling_get_appointment", {"appointment": "Sarah Miller", "day": "24 nov"}
    )
    assert on_day.data.confirmation_code == "WRWYFZ"


def test_check_availability_any_free_slots_friday_for_a_colour(executor, owner):
    result = executor.execute(
        owner, "scheduling_check_availability", {"service": "colour", "day": "friday"}
    )
    slots = result.data.slots
    assert result.data.service_name == "Full head colour"
    assert slots
    assert {s.starts_at.date().isoformat() for s in slots} == {"2026-11-20"}
    assert {s.staff_name for s in slots} <= {"Emma Clarke", "Daniel Reid"}
    assert all(s.ends_at - s.starts_at == timedelta(minutes=120) for s in slots)
    assert result.summary.startswith("The first 20 free slots for Full head colour (120 min) on")
    assert "Fri 20 Nov: 10:30 with Emma Clarke" in result.summary


def test_availability_honours_a_block(executor, owner):
    daniel = executor.execute(
        owner,
        "scheduling_check_availability",
        {"service": "Cut & blow-dry", "day": "saturday", "staff": "Daniel", "limit": 200},
    ).data.slots
    starts = {s.starts_at.strftime("%H:%M") for s in daniel}
    assert not {"14:00", "14:30", "15:00", "15:30"} & starts  # the dentist block


def test_day_summary_what_have_i_got_on_today(executor, owner, staff):
    everyone = executor.execute(owner, "scheduling_day_summary", {})
    assert len(everyone.data.appointments) == 15
    assert everyone.data.utilisation == pytest.approx(0.386)
    assert everyone.summary.startswith(
        "Wed 18 Nov: 15 appointment(s) from 09:00 to 17:15, 39% of the bookable time taken. "
        "Next: Signature facial for Sarah Thompson"
    )
    mine = executor.execute(staff, "scheduling_day_summary", {})
    assert mine.data.staff_name == "Chloe Evans"
    assert {a.staff_id for a in mine.data.appointments} == {CHLOE}
    closed = executor.execute(owner, "scheduling_day_summary", {"day": "sunday"})
    assert closed.summary == "The business is closed on Sun 22 Nov."


def test_list_resources_and_blocked_times(executor, owner):
    listed = executor.execute(owner, "scheduling_list_resources", {})
    assert [s.name for s in listed.data.staff] == [
        "Chloe Evans",
        "Daniel Reid",
        "Emma Clarke",
        "Priya Shah",
    ]
    assert "Colour station (equipment)" in listed.summary
    rooms = executor.execute(owner, "scheduling_list_resources", {"kind": "room"}).data
    assert [r.name for r in rooms.resources] == ["Treatment room"]
    assert rooms.staff == ()
    blocks = executor.execute(owner, "scheduling_list_blocked_times", {})
    assert blocks.summary == (
        "1 blocked period(s): #1 Daniel Reid, Sat 21 Nov, 14:00-16:00 (Dentist appointment)."
    )


def test_booking_link_is_read_and_never_made(executor, owner, staff):
    before = snapshot(executor, owner)
    chloe = executor.execute(owner, "scheduling_get_booking_link", {"staff": "Chloe"})
    assert chloe.data.staff_name == "Chloe Evans"
    assert chloe.summary.startswith("The booking link for Chloe Evans is https://")
    assert executor.execute(staff, "scheduling_get_booking_link", {"staff": "me"}).data == (
        chloe.data
    )
    missing = executor.execute(owner, "scheduling_get_booking_link", {"service": "colour"})
    assert missing.data is None
    assert missing.summary.startswith("There is no booking link for “colour” yet.")
    assert "general booking link is https://" in missing.summary
    assert snapshot(executor, owner) == before


def test_list_waitlist(executor, owner, staff):
    entries = executor.execute(owner, "scheduling_list_waitlist", {}).data
    assert [e.client_name for e in entries] == ["Joseph Khan", "Rohan Hussain", "Ella Rossi"]
    balayage = executor.execute(owner, "scheduling_list_waitlist", {"service": "balayage"})
    assert balayage.summary == (
        "1 on the waitlist: Rohan Hussain for Balayage with Daniel Reid on Sat 21 Nov, "
        "Any time after 11am."
    )
    # Chloe sees entries for anyone, not those waiting for Daniel or Emma
    mine = executor.execute(staff, "scheduling_list_waitlist", {}).data
    assert [e.client_name for e in mine] == ["Joseph Khan"]


# -- booking and moving ----------------------------------------------------------------------


def test_book_sarah_in_for_a_cut_tomorrow_at_two_asks_which_sarah(executor, owner):
    before = snapshot(executor, owner)
    with pytest.raises(Ambiguous) as caught:
        executor.execute(
            owner,
            "scheduling_create_appointment",
            {"client": "Sarah", "service": "Cut & blow-dry", "when": "tomorrow at two"},
        )
    assert {c.label for c in caught.value.candidates} == {"Sarah Miller", "Sarah Thompson"}
    with pytest.raises(Ambiguous, match="Men's cut"):
        executor.execute(
            owner,
            "scheduling_create_appointment",
            {"client": "Sarah Miller", "service": "cut", "when": "tomorrow at two"},
        )
    assert snapshot(executor, owner) == before


def test_create_appointment_returns_a_code_and_undo_removes_it(executor, owner):
    before = snapshot(executor, owner)
    booked = executor.execute(
        owner,
        "scheduling_create_appointment",
        {"client": "Sarah Miller", "service": "Cut & blow-dry", "when": "tomorrow at two"},
    )
    first = booked.data.first
    assert (first.client_name, first.staff_name) == ("Sarah Miller", "Daniel Reid")
    assert first.starts_at.isoformat() == "2026-11-19T14:00:00+00:00"
    assert first.status.value == "confirmed"
    assert booked.summary == (
        "Booked Cut & blow-dry for Sarah Miller with Daniel Reid on Thu 19 Nov, 14:00. "
        f"Confirmation code {first.confirmation_code}."
    )
    assert undo(executor, owner) == (
        "Undone: remove the booking of Cut & blow-dry for Sarah Miller."
    )
    assert snapshot(executor, owner) == before


def test_recurring_booking_and_its_undo(executor, owner):
    before = snapshot(executor, owner)
    booked = executor.execute(
        owner,
        "scheduling_create_appointment",
        {
            "client": "Hans Mueller",
            "service": "Men's cut",
            "when": "2026-11-25T11:00",
            "staff": "Emma",
            "repeat_every_weeks": 2,
            "repeat_times": 3,
        },
    )
    days = [a.starts_at.date().isoformat() for a in booked.data.appointments]
    assert days == ["2026-11-25", "2026-12-09", "2026-12-23"]
    assert "and 2 more visit(s)" in booked.summary
    undo(executor, owner)
    assert snapshot(executor, owner) == before


def test_double_booking_is_refused_with_the_nearest_free_slots(executor, owner):
    before = snapshot(executor, owner)
    with pytest.raises(Conflict) as caught:
        executor.execute(
            owner,
            "scheduling_create_appointment",
            {
                "client": "Sarah Thompson",
                "service": "Cut & blow-dry",
                "when": "tomorrow at two",
                "staff": "Emma",
            },
        )
    assert "Emma Clarke is already booked" in caught.value.message
    suggestions = caught.value.suggestions
    assert 1 <= len(suggestions) <= 3
    assert all(isinstance(s, Slot) and s.staff_name == "Emma Clarke" for s in suggestions)
    assert [f"{s.starts_at:%H:%M}" for s in suggestions] == ["15:00", "15:15", "15:30"]
    assert caught.value.to_dict()["suggestions"][0] == "Thu 19 Nov 15:00 with Emma Clarke"
    assert snapshot(executor, owner) == before


def test_move_it_to_4pm_keeps_the_day_and_undo_moves_it_back(executor, owner):
    moved = executor.execute(
        owner, "scheduling_reschedule_appointment", {"appointment": "WRWYFZ", "to": "4pm"}
    )
    assert moved.data.appointment.starts_at.isoformat() == "2026-11-24T16:00:00+00:00"
    assert moved.summary == (
        "Moved Cut & blow-dry for Sarah Miller to Tue 24 Nov, 16:00 with Emma Clarke "
        "(was Tue 24 Nov, 09:00)."
    )
    assert undo(executor, owner) == (
        "Undone: move Cut & blow-dry for Sarah Miller back to Tue 24 Nov 09:00."
    )
    again = appointment(executor, owner, "WRWYFZ")
    assert (again.starts_at.hour, again.staff_id, again.status.value) == (9, EMMA, "confirmed")


def test_reschedule_to_a_named_day_and_a_clash_offers_slots(executor, owner):
    moved = executor.execute(
        owner,
        "scheduling_reschedule_appointment",
        {"appointment": "WRWYFZ", "to": "friday at 3"},
    )
    assert moved.data.appointment.starts_at.isoformat() == "2026-11-20T15:00:00+00:00"
    before = snapshot(executor, owner)
    with pytest.raises(Conflict) as caught:  # Isla Robinson's cut with Emma, Thu 13:45
        executor.execute(
            owner,
            "scheduling_reschedule_appointment",
            {"appointment": "WRWYFZ", "to": "thursday at 2pm"},
        )
    assert caught.value.suggestions
    assert all(isinstance(s, Slot) for s in caught.value.suggestions)
    assert snapshot(executor, owner) == before


def test_cancel_with_notice_and_undo_reinstates(executor, owner):
    cancelled = executor.execute(
        owner,
        "scheduling_cancel_appointment",
        {"appointment": "WRWYFZ", "reason": "Client unwell", "notify": True},
    )
    assert cancelled.data.appointment.status.value == "cancelled"
    assert cancelled.data.message.recipient == "sarah.miller@example.com"
    assert cancelled.summary == (
        "Cancelled Sarah Miller's Cut & blow-dry on Tue 24 Nov, 09:00. "
        "Sarah Miller was told by email."
    )
    assert "cannot be recalled" in undo(executor, owner)
    back = appointment(executor, owner, "WRWYFZ")
    assert (back.status.value, back.cancel_reason) == ("confirmed", None)


# -- status changes --------------------------------------------------------------------------


def test_confirm_and_undo(executor, owner):
    done = executor.execute(owner, "scheduling_confirm_appointment", {"appointment": "56X22X"})
    assert done.summary == (
        "Confirmed Signature facial for Sarah Thompson on Wed 18 Nov, 14:45 (was requested)."
    )
    undo(executor, owner)
    assert appointment(executor, owner, "56X22X").status.value == "requested"


def test_complete_once_started_and_undo(executor, demo_workspace):
    later = execution_context_for(
        demo_workspace, role=Role.OWNER, clock=FixedClock(NOW + timedelta(hours=1))
    )
    done = executor.execute(later, "scheduling_complete_appointment", {"appointment": "7JZC3W"})
    assert done.data.appointment.status.value == "completed"
    assert done.summary.startswith("Marked done: Brow shape & tint for Rohan Hussain")
    undo(executor, later)
    assert appointment(executor, later, "7JZC3W").status.value == "confirmed"


def test_no_show_and_undo(executor, owner):
    marked = executor.execute(owner, "scheduling_mark_no_show", {"appointment": "HGU45G"})
    assert marked.summary == (
        "Marked as a no-show: Men's cut for Florence Lewis on Wed 18 Nov, 14:00 (was completed)."
    )
    undo(executor, owner)
    assert appointment(executor, owner, "HGU45G").status.value == "completed"


def test_reminder_is_queued_and_cannot_be_undone(executor, as_role):
    admin = as_role(Role.ADMIN)
    sent = executor.execute(
        admin, "scheduling_send_appointment_reminder", {"appointment": "WRWYFZ", "channel": "sms"}
    )
    assert sent.undo is None
    assert sent.data.message.channel.value == "sms"
    assert "Tuesday 24 November at 09:00" in sent.data.message.body
    assert "WRWYFZ" in sent.data.message.body
    assert sent.summary.startswith("Sent Sarah Miller a reminder by sms to +44")
    assert executor.registry.get("scheduling_send_appointment_reminder").reversible is False
    assert undo(executor, admin).startswith("There is nothing I can undo")
    assert appointment(executor, admin, "WRWYFZ").reminder_sent_at is not None


# -- blocked time and working hours ----------------------------------------------------------


def test_block_a_time_span_and_undo(executor, owner):
    before = snapshot(executor, owner)
    blocked = executor.execute(
        owner,
        "scheduling_block_time",
        {"starts": "friday at 2pm", "ends": "4pm", "staff": "Emma", "reason": "Admin"},
    )
    block = blocked.data.block
    assert (block.scope, block.staff_name) == ("staff", "Emma Clarke")
    assert (block.starts_at.isoformat(), block.ends_at.isoformat()) == (
        "2026-11-20T14:00:00+00:00",
        "2026-11-20T16:00:00+00:00",
    )
    assert blocked.summary == "Blocked Emma Clarke, Fri 20 Nov, 14:00-16:00 (Admin)."
    undo(executor, owner)
    assert snapshot(executor, owner) == before


def test_block_whole_days_and_minutes(executor, owner):
    holiday = executor.execute(
        owner, "scheduling_block_time", {"starts": "14 december", "ends": "15 december"}
    )
    assert holiday.summary == "Blocked the whole business, Mon 14 Dec to Tue 15 Dec."
    short = executor.execute(
        owner,
        "scheduling_block_time",
        {"starts": "2026-11-27T16:30", "minutes": 30, "staff": "me", "reason": "Call"},
    )
    assert short.data.block.ends_at.isoformat() == "2026-11-27T17:00:00+00:00"


def test_block_over_appointments_needs_force(executor, owner):
    before = snapshot(executor, owner)
    with pytest.raises(Conflict, match="WRWYFZ"):
        executor.execute(owner, "scheduling_block_time", {"starts": "24 nov", "staff": "Emma"})
    assert snapshot(executor, owner) == before
    forced = executor.execute(
        owner, "scheduling_block_time", {"starts": "24 nov", "staff": "Emma", "force": True}
    )
    assert forced.data.block.staff_id == EMMA
    assert appointment(executor, owner, "WRWYFZ").status.value == "confirmed"


def test_unblock_by_words_and_undo_blocks_again(executor, owner):
    removed = executor.execute(owner, "scheduling_unblock_time", {"block": "Daniel's dentist"})
    assert removed.summary == (
        "Removed the block: Daniel Reid, Sat 21 Nov, 14:00-16:00 (Dentist appointment)."
    )
    assert executor.execute(owner, "scheduling_list_blocked_times", {}).data == []
    assert undo(executor, owner) == "Undone: block Sat 21 Nov 14:00 to Sat 21 Nov 16:00 again."
    (back,) = executor.execute(owner, "scheduling_list_blocked_times", {}).data
    assert (back.staff_name, back.reason) == ("Daniel Reid", "Dentist appointment")


def test_unblock_ambiguous_words_ask(executor, owner):
    for day in ("14 december", "15 december"):
        executor.execute(
            owner, "scheduling_block_time", {"starts": day, "staff": "Emma", "reason": "Course"}
        )
    before = snapshot(executor, owner)
    with pytest.raises(Ambiguous) as caught:
        executor.execute(owner, "scheduling_unblock_time", {"block": "emma course"})
    assert [c.label for c in caught.value.candidates] == [
        "#3 Emma Clarke, Mon 14 Dec (all day) (Course)",
        "#4 Emma Clarke, Tue 15 Dec (all day) (Course)",
    ]
    assert snapshot(executor, owner) == before
    executor.execute(owner, "scheduling_unblock_time", {"block": "emma course 15 dec"})


def test_set_working_hours_day_by_day_and_undo(executor, owner):
    before = snapshot(executor, owner)
    changed = executor.execute(
        owner,
        "scheduling_set_working_hours",
        {"staff": "Chloe", "friday": ["10:00-16:00"], "saturday": []},
    )
    assert changed.summary == (
        "Chloe Evans now works Wed 09:00-18:00; Thu 11:00-20:00; Fri 10:00-16:00."
    )
    assert undo(executor, owner) == "Undone: put Chloe Evans's working hours back as they were."
    assert snapshot(executor, owner) == before
    reset = executor.execute(
        owner, "scheduling_set_working_hours", {"staff": "Chloe", "use_business_hours": True}
    )
    assert reset.summary == "Chloe Evans now works the business's opening hours."
    assert reset.data.template == {}


# -- resources and the waitlist --------------------------------------------------------------


def test_create_update_delete_resource_with_undo(executor, owner):
    before = snapshot(executor, owner)
    made = executor.execute(
        owner, "scheduling_create_resource", {"name": "Chair 4", "kind": "chair"}
    )
    assert made.summary == "Added Chair 4 (chair)."
    undo(executor, owner)
    assert snapshot(executor, owner) == before

    executor.execute(owner, "scheduling_create_resource", {"name": "Chair 4", "kind": "chair"})
    updated = executor.execute(
        owner, "scheduling_update_resource", {"resource": "Chair 4", "capacity": 2, "active": False}
    )
    assert updated.summary == (
        "Updated: Chair 4 (chair, capacity 2, inactive) (was Chair 4 (chair))."
    )
    undo(executor, owner)
    rows = executor.execute(owner, "scheduling_list_resources", {"kind": "chair"}).data.resources
    (chair,) = [r for r in rows if r.name == "Chair 4"]
    assert (chair.capacity, chair.active) == (1, True)

    deleted = executor.execute(owner, "scheduling_delete_resource", {"resource": "Chair 4"})
    assert deleted.summary == "Deleted Chair 4."
    assert deleted.undo is None
    assert executor.registry.get("scheduling_delete_resource").reversible is False


def test_add_to_waitlist_and_undo(executor, owner):
    added = executor.execute(
        owner,
        "scheduling_add_to_waitlist",
        {"client": "Sarah Miller", "service": "Balayage", "day": "saturday", "notes": "mornings"},
    )
    assert added.summary == (
        "Added Sarah Miller for Balayage on Sat 21 Nov, mornings to the waitlist."
    )
    assert undo(executor, owner) == "Undone: take Sarah Miller off the waitlist for Balayage."
    names = [e.client_name for e in executor.execute(owner, "scheduling_list_waitlist", {}).data]
    assert "Sarah Miller" not in names


# -- bad input: a clear error and nothing written --------------------------------------------

LONG = "x" * 501


@pytest.mark.parametrize(
    ("tool", "arguments", "expected"),
    [
        pytest.param(
            "scheduling_list_appointments",
            {"start": "when pigs fly"},
            (Invalid, "don't understand"),
            id="list-bad-day",
        ),
        pytest.param(
            "scheduling_list_appointments",
            {"status": ["pending"]},
            (Invalid, "status"),
            id="list-bad-status",
        ),
        pytest.param(
            "scheduling_get_appointment",
            {"appointment": "ZZZZZZ"},
            (NotFound, "ZZZZZZ"),
            id="get-unknown",
        ),
        pytest.param(
            "scheduling_check_availability",
            {"service": "colour", "day": "friday", "last_day": "thursday"},
            (Invalid, "before the first day"),
            id="availability-backwards",
        ),
        pytest.param(
            "scheduling_check_availability",
            {"service": "tattoo"},
            (NotFound, "tattoo"),
            id="availability-unknown-service",
        ),
        pytest.param(
            "scheduling_day_summary",
            {"day": "someday"},
            (Invalid, "as a day"),
            id="summary-bad-day",
        ),
        pytest.param(
            "scheduling_list_resources", {"kind": "spaceship"}, (Invalid, "kind"), id="bad-kind"
        ),
        pytest.param(
            "scheduling_list_blocked_times",
            {"start": "friday", "end": "today"},
            (Invalid, "before its start"),
            id="blocks-backwards",
        ),
        pytest.param(
            "scheduling_get_booking_link",
            {"service": "tattoo"},
            (NotFound, "tattoo"),
            id="link-unknown-service",
        ),
        pytest.param(
            "scheduling_list_waitlist", {"day": "blue moon"}, (Invalid, "as a day"), id="wl-bad-day"
        ),
        pytest.param(
            "scheduling_create_appointment",
            {"client": "Sarah Miller", "service": "Cut & blow-dry", "when": "yesterday at 2pm"},
            (Invalid, "already passed"),
            id="create-in-the-past",
        ),
        pytest.param(
            "scheduling_create_appointment",
            {
                "client": "Sarah Miller",
                "service": "Cut & blow-dry",
                "when": "friday at 10",
                "repeat_every_weeks": 2,
            },
            (Invalid, "repeat_times"),
            id="create-repeat-without-count",
        ),
        pytest.param(
            "scheduling_create_appointment",
            {"client": "Sarah Miller", "service": "Balayage", "when": "friday at 10", "staff": 4},
            (Invalid, "doesn't do Balayage"),
            id="create-unqualified-staff",
        ),
        pytest.param(
            "scheduling_create_appointment",
            {"service": "facial", "when": "friday at 11", "business_id": 2},
            (Invalid, "not an argument"),
            id="create-forged-scope",
        ),
        pytest.param(
            "scheduling_reschedule_appointment",
            {"appointment": "PS4MN6", "to": "yesterday at 10"},
            (Invalid, "already passed"),
            id="move-to-the-past",
        ),
        pytest.param(
            "scheduling_reschedule_appointment",
            {"appointment": "HGU45G", "to": "friday at 10"},
            (Invalid, "can't be moved"),
            id="move-completed",
        ),
        pytest.param(
            "scheduling_cancel_appointment",
            {"appointment": "HGU45G"},
            (Invalid, "already completed"),
            id="cancel-completed",
        ),
        pytest.param(
            "scheduling_cancel_appointment",
            {"appointment": "WRWYFZ", "reason": LONG},
            (Invalid, "reason"),
            id="cancel-long-reason",
        ),
        pytest.param(
            "scheduling_confirm_appointment",
            {"appointment": "PS4MN6"},
            (Invalid, "already confirmed"),
            id="confirm-confirmed",
        ),
        pytest.param(
            "scheduling_complete_appointment",
            {"appointment": "WRWYFZ"},
            (Invalid, "before it starts"),
            id="complete-future",
        ),
        pytest.param(
            "scheduling_mark_no_show",
            {"appointment": "WRWYFZ"},
            (Invalid, "before it starts"),
            id="no-show-future",
        ),
        pytest.param(
            "scheduling_send_appointment_reminder",
            {"appointment": "HGU45G"},
            (Invalid, "nothing to remind"),
            id="remind-completed",
        ),
        pytest.param(
            "scheduling_send_appointment_reminder",
            {"appointment": "WRWYFZ", "channel": "pigeon"},
            (Invalid, "channel"),
            id="remind-bad-channel",
        ),
        pytest.param(
            "scheduling_block_time",
            {"starts": "friday at 2pm"},
            (Invalid, "When should the block end"),
            id="block-no-end",
        ),
        pytest.param(
            "scheduling_block_time",
            {"starts": "friday at 2pm", "ends": "1pm"},
            (Invalid, "end after it starts"),
            id="block-backwards",
        ),
        pytest.param(
            "scheduling_block_time",
            {"starts": "friday", "minutes": 30},
            (Invalid, "start time"),
            id="block-minutes-without-time",
        ),
        pytest.param(
            "scheduling_unblock_time", {"block": "#999"}, (NotFound, "999"), id="unblock-unknown"
        ),
        pytest.param(
            "scheduling_unblock_time",
            {"block": "holiday in spain"},
            (NotFound, "holiday in spain"),
            id="unblock-no-match",
        ),
        pytest.param(
            "scheduling_set_working_hours",
            {"staff": "Chloe", "monday": ["17:00-09:00"]},
            (Invalid, "ends before it starts"),
            id="hours-backwards",
        ),
        pytest.param(
            "scheduling_set_working_hours",
            {"staff": "Chloe", "monday": ["9 till 5"]},
            (Invalid, "monday"),
            id="hours-bad-period",
        ),
        pytest.param(
            "scheduling_set_working_hours",
            {"staff": "Chloe"},
            (Invalid, "at least one day"),
            id="hours-nothing",
        ),
        pytest.param(
            "scheduling_set_working_hours",
            {
                "staff": "Chloe",
                "wednesday": [],
                "thursday": [],
                "friday": [],
                "saturday": [],
            },
            (Invalid, "no working time"),
            id="hours-all-days-off",
        ),
        pytest.param(
            "scheduling_create_resource",
            {"name": "chair 1", "kind": "chair"},
            (Conflict, "already a resource called Chair 1"),
            id="resource-duplicate",
        ),
        pytest.param(
            "scheduling_create_resource",
            {"name": "Sofa", "kind": "sofa"},
            (Invalid, "kind"),
            id="resource-bad-kind",
        ),
        pytest.param(
            "scheduling_update_resource",
            {"resource": "Chair 2"},
            (Invalid, "what to change"),
            id="update-nothing",
        ),
        pytest.param(
            "scheduling_update_resource",
            {"resource": "Chair 2", "capacity": 0},
            (Invalid, "capacity"),
            id="update-zero-capacity",
        ),
        pytest.param(
            "scheduling_delete_resource",
            {"resource": "Colour station"},
            (Conflict, "upcoming appointment"),
            id="delete-in-use",
        ),
        pytest.param(
            "scheduling_delete_resource",
            {"resource": "Jacuzzi"},
            (NotFound, "Jacuzzi"),
            id="delete-unknown",
        ),
        pytest.param(
            "scheduling_add_to_waitlist",
            {"client": "Rohan Hussain", "service": "Balayage", "day": "saturday"},
            (Conflict, "already waiting"),
            id="waitlist-duplicate",
        ),
        pytest.param(
            "scheduling_add_to_waitlist",
            {"client": "Sarah Miller", "service": "Balayage", "day": "yesterday"},
            (Invalid, "already passed"),
            id="waitlist-past-day",
        ),
    ],
)
def test_bad_input_is_refused_and_writes_nothing(executor, owner, tool, arguments, expected):
    error, message = expected
    before = snapshot(executor, owner)
    with pytest.raises(error, match=message):
        executor.execute(owner, tool, arguments)
    assert snapshot(executor, owner) == before


# -- who may see what ------------------------------------------------------------------------

TEAM_ONLY = [
    ("scheduling_day_summary", {}),
    ("scheduling_list_resources", {}),
    ("scheduling_list_blocked_times", {}),
    ("scheduling_get_booking_link", {}),
    ("scheduling_list_waitlist", {}),
    ("scheduling_confirm_appointment", {"appointment": "2FZNQ7"}),
    ("scheduling_complete_appointment", {"appointment": "2FZNQ7"}),
    ("scheduling_mark_no_show", {"appointment": "2FZNQ7"}),
    ("scheduling_send_appointment_reminder", {"appointment": "2FZNQ7"}),
    ("scheduling_block_time", {"starts": "friday"}),
    ("scheduling_unblock_time", {"block": 1}),
    ("scheduling_set_working_hours", {"use_business_hours": True}),
    ("scheduling_create_resource", {"name": "Chair 9", "kind": "chair"}),
    ("scheduling_update_resource", {"resource": "Chair 1", "active": False}),
    ("scheduling_delete_resource", {"resource": "Chair 1"}),
    ("scheduling_add_to_waitlist", {"client": 4, "service": "facial"}),
]


@pytest.mark.parametrize(("tool", "arguments"), [pytest.param(*c, id=c[0]) for c in TEAM_ONLY])
def test_client_portal_cannot_run_team_tools(executor, owner, client, tool, arguments):
    assert tool not in {t.name for t in executor.accessible_tools(client)}
    before = snapshot(executor, owner)
    with pytest.raises(PermissionDenied):
        executor.execute(client, tool, arguments)
    assert snapshot(executor, owner) == before


@pytest.mark.parametrize(
    "tool",
    ["scheduling_create_resource", "scheduling_update_resource", "scheduling_delete_resource"],
)
def test_staff_cannot_manage_resources(executor, staff, tool):
    assert tool not in {t.name for t in executor.accessible_tools(staff)}
    with pytest.raises(PermissionDenied):
        executor.execute(staff, tool, {"resource": "Chair 1", "name": "x", "kind": "chair"})


def test_every_role_sees_the_six_portal_tools_and_the_manager_all(executor, as_role):
    portal = {
        "scheduling_list_appointments",
        "scheduling_get_appointment",
        "scheduling_check_availability",
        "scheduling_create_appointment",
        "scheduling_reschedule_appointment",
        "scheduling_cancel_appointment",
    }
    for role in Role:
        names = {t.name for t in executor.accessible_tools(as_role(role))}
        assert portal <= names, role
    client_names = {t.name for t in executor.accessible_tools(as_role(Role.CLIENT))}
    assert {n for n in client_names if n.startswith("scheduling_")} == portal
    manager = {t.name for t in executor.accessible_tools(as_role(Role.MANAGER))}
    assert len({n for n in manager if n.startswith("scheduling_")}) == 22


# -- the client portal: only their own appointments ------------------------------------------


def test_portal_lists_and_gets_only_their_own(executor, client):
    mine = executor.execute(
        client, "scheduling_list_appointments", {"start": "today", "end": "31 dec"}
    )
    assert mine.data
    assert {a.client_name for a in mine.data} == {"Olivia Bennett"}
    assert appointment(executor, client, "2FZNQ7").client_name == "Olivia Bennett"
    with pytest.raises(NotFound):
        appointment(executor, client, "PS4MN6")
    with pytest.raises(PermissionDenied):
        executor.execute(client, "scheduling_list_appointments", {"client": "Sarah Miller"})


@pytest.mark.parametrize(
    ("tool", "arguments"),
    [
        pytest.param(
            "scheduling_reschedule_appointment",
            {"appointment": "PS4MN6", "to": "friday at 10"},
            id="move",
        ),
        pytest.param("scheduling_cancel_appointment", {"appointment": "PS4MN6"}, id="cancel"),
        pytest.param("scheduling_cancel_appointment", {"appointment": 231}, id="cancel-by-id"),
    ],
)
def test_portal_cannot_touch_another_clients_appointment(executor, owner, client, tool, arguments):
    before = snapshot(executor, owner)
    with pytest.raises(NotFound):
        executor.execute(client, tool, arguments)
    assert snapshot(executor, owner) == before


def test_portal_books_a_request_for_themselves(executor, owner, client):
    requested = executor.execute(
        client, "scheduling_create_appointment", {"service": "facial", "when": "friday at 11"}
    )
    first = requested.data.first
    assert (first.client_name, first.status.value) == ("Olivia Bennett", "requested")
    assert requested.summary.startswith("Requested Signature facial with Chloe Evans on Fri 20")
    same = executor.execute(
        client,
        "scheduling_create_appointment",
        {"client": "Olivia Bennett", "service": "facial", "when": "friday at 2pm"},
    )
    assert same.data.first.client_name == "Olivia Bennett"
    before = snapshot(executor, owner)
    with pytest.raises(PermissionDenied):
        executor.execute(
            client,
            "scheduling_create_appointment",
            {"client": "Sarah Miller", "service": "facial", "when": "friday at 3pm"},
        )
    assert snapshot(executor, owner) == before


def test_portal_moves_and_cancels_their_own(executor, owner, client):
    moved = executor.execute(
        client, "scheduling_reschedule_appointment", {"appointment": "2FZNQ7", "to": "3pm"}
    )
    assert moved.data.appointment.status.value == "requested"
    assert moved.data.appointment.starts_at.isoformat() == "2026-11-19T15:00:00+00:00"
    assert moved.summary.startswith("Asked to move your Men's cut to Thu 19 Nov, 15:00")
    cancelled = executor.execute(client, "scheduling_cancel_appointment", {"appointment": "2FZNQ7"})
    assert cancelled.summary == "Cancelled your Men's cut on Thu 19 Nov, 15:00."
    assert appointment(executor, owner, "2FZNQ7").status.value == "cancelled"


# -- staff: their own diary only -------------------------------------------------------------


def test_staff_lists_only_their_own_appointments(executor, staff):
    mine = executor.execute(staff, "scheduling_list_appointments", {"end": "next friday"}).data
    assert mine
    assert {a.staff_id for a in mine} == {CHLOE}
    with pytest.raises(PermissionDenied):
        appointment(executor, staff, "PS4MN6")
    with pytest.raises(PermissionDenied):
        executor.execute(staff, "scheduling_day_summary", {"staff": "Emma"})


@pytest.mark.parametrize(
    ("tool", "arguments"),
    [
        pytest.param(
            "scheduling_reschedule_appointment", {"appointment": "WRWYFZ", "to": "5pm"}, id="move"
        ),
        pytest.param("scheduling_cancel_appointment", {"appointment": "WRWYFZ"}, id="cancel"),
        pytest.param("scheduling_confirm_appointment", {"appointment": "QNC9XJ"}, id="confirm"),
        pytest.param(
            "scheduling_send_appointment_reminder", {"appointment": "WRWYFZ"}, id="remind"
        ),
        pytest.param(
            "scheduling_create_appointment",
            {"client": "Sarah Miller", "service": "facial", "when": "fri 11am", "staff": "Emma"},
            id="book-for-a-colleague",
        ),
        pytest.param("scheduling_block_time", {"starts": "friday", "staff": "Emma"}, id="block"),
        pytest.param(
            "scheduling_block_time", {"starts": "friday", "resource": "Chair 1"}, id="block-chair"
        ),
        pytest.param("scheduling_unblock_time", {"block": "#1"}, id="unblock-daniel"),
        pytest.param(
            "scheduling_set_working_hours", {"staff": "Emma", "monday": ["09:00-12:00"]}, id="hours"
        ),
        pytest.param(
            "scheduling_add_to_waitlist",
            {"client": "Sarah Miller", "service": "colour", "staff": "Emma"},
            id="waitlist-for-a-colleague",
        ),
    ],
)
def test_staff_cannot_change_a_colleagues_diary(executor, owner, staff, tool, arguments):
    before = snapshot(executor, owner)
    with pytest.raises(PermissionDenied):
        executor.execute(staff, tool, arguments)
    assert snapshot(executor, owner) == before


def test_staff_manage_their_own_diary(executor, staff):
    confirmed = executor.execute(staff, "scheduling_confirm_appointment", {"appointment": "56X22X"})
    assert confirmed.data.appointment.status.value == "confirmed"
    blocked = executor.execute(
        staff, "scheduling_block_time", {"starts": "saturday", "reason": "Holiday", "force": True}
    )
    assert blocked.data.block.staff_id == CHLOE
    removed = executor.execute(staff, "scheduling_unblock_time", {"block": "holiday"})
    assert removed.data.block.id == blocked.data.block.id
    hours = executor.execute(staff, "scheduling_set_working_hours", {"saturday": ["10:00-16:00"]})
    assert hours.data.staff_name == "Chloe Evans"
    assert undo(executor, staff) == "Undone: put Chloe Evans's working hours back as they were."
    booked = executor.execute(
        staff,
        "scheduling_create_appointment",
        {"client": "Sarah Miller", "service": "facial", "when": "2026-11-28T15:00"},
    )
    assert booked.data.first.staff_id == CHLOE


def test_every_spec_row_of_section_1_is_here(registry):
    names = {t.name for t in spec_tools().values() if t.section == 1}
    tools = {t.name: t for t in registry if t.domain == "scheduling"}
    assert len(names) == 22
    assert set(tools) == names
    reversible = {n for n, t in tools.items() if t.reversible}
    assert reversible == {
        n
        for n, t in tools.items()
        if t.operation.value == "write"
        and n not in {"scheduling_send_appointment_reminder", "scheduling_delete_resource"}
    }
    assert all(registry.inverse("scheduling", op) is not None for op in UNDO_OPERATIONS)
