"""Booking, moving, cancelling and the status life of appointments, with their undo."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa

from luma_desktop.clock import FixedClock
from luma_desktop.errors import Conflict, Invalid, NotFound
from luma_desktop.workspace.models import (
    AppointmentStatus,
    BlockedTime,
    Channel,
    HoursException,
    OutboxItem,
    Role,
)
from luma_desktop.workspace.services.scheduling import Recurrence
from luma_desktop.workspace.services.scheduling import _booking as booking_module

from ..factories import add
from .test_scheduling_support import FRI, SUN, THU, WED, at, hhmm, make_diary


def test_create_appointment_books_a_confirmed_slot(workspace):
    diary = make_diary(workspace)
    booking = diary.service.create_appointment(
        diary.sarah.id, "haircut", at(THU, "10:00"), notes="  Fringe only  "
    )
    info = booking.first
    assert info.status is AppointmentStatus.CONFIRMED
    assert info.staff_name == "Anna"  # first free qualified staff member by name
    assert hhmm(info.starts_at) == "10:00"
    assert hhmm(info.ends_at) == "11:00"
    assert info.price_minor == 4500
    assert info.price == "£45.00"
    assert info.currency == "GBP"
    assert info.notes == "Fringe only"
    assert len(info.confirmation_code) == 6
    assert info.confirmation_code.isupper()
    assert info.summary == "Haircut for Sarah Miller with Anna, Thu 19 Nov 10:00-11:00 (confirmed)"
    assert booking.recurrence_group is None
    assert booking.undo.operation == "discard_appointments"
    [row] = diary.appointments()
    assert row.starts_at == datetime(2026, 11, 19, 10, tzinfo=UTC)
    assert row.created_by_user_id == diary.context.user_id
    # a second booking at the same time goes to the next free stylist
    second = diary.service.create_appointment(diary.tom.id, "Haircut", at(THU, "10:00"))
    assert second.first.staff_name == "Ben"
    assert second.first.confirmation_code != info.confirmation_code
    # naive datetimes are business-local wall-clock time
    booking = diary.service.create_appointment(
        diary.sarah.id, "Haircut", datetime(2026, 11, 19, 15, 0), staff="Ben"
    )
    assert booking.first.starts_at == at(THU, "15:00")
    assert booking.first.staff_name == "Ben"


def test_double_booking_is_refused_with_the_nearest_free_slots(workspace):
    diary = make_diary(workspace)
    diary.book(THU, "10:00", staff=diary.anna)
    with pytest.raises(Conflict) as caught:
        diary.service.create_appointment(diary.tom.id, "Haircut", at(THU, "10:30"), staff="Anna")
    error = caught.value
    assert "Anna is already booked from Thu 19 Nov 10:00 to 11:00" in error.message
    assert "15 minutes' buffer" in error.message
    assert [str(s) for s in error.suggestions] == [
        "Thu 19 Nov 11:15 with Anna",
        "Thu 19 Nov 11:30 with Anna",
        "Thu 19 Nov 11:45 with Anna",
    ]
    assert error.to_dict()["suggestions"][0] == "Thu 19 Nov 11:15 with Anna"
    assert len(diary.appointments()) == 1
    # the same client cannot be in two places, whoever the stylist
    with pytest.raises(Conflict, match="Sarah Miller already has Haircut"):
        diary.service.create_appointment(diary.sarah.id, "Colour", at(THU, "10:30"))


def test_outside_hours_closed_days_and_blocks_are_conflicts(workspace):
    diary = make_diary(workspace)
    add(
        workspace,
        diary.context,
        BlockedTime(starts_at=at(FRI, "12:00"), ends_at=at(FRI, "13:00"), reason="Team lunch"),
        HoursException(day=THU, closed=True, reason="Staff training"),
    )
    svc = diary.service
    with pytest.raises(Conflict, match="outside opening hours") as late:
        svc.create_appointment(diary.sarah.id, "Haircut", at(FRI, "17:30"), staff="Anna")
    assert [hhmm(s.starts_at) for s in late.value.suggestions] == ["16:30", "16:45", "17:00"]
    with pytest.raises(Conflict, match="closed on Thu 19 Nov") as closed:
        svc.create_appointment(diary.sarah.id, "Haircut", at(THU, "10:00"))
    assert closed.value.message.endswith("(Staff training).")
    assert all(s.starts_at.date() == FRI for s in closed.value.suggestions)
    with pytest.raises(Conflict, match="Team lunch") as blocked:
        svc.create_appointment(diary.sarah.id, "Haircut", at(FRI, "11:30"), staff="Ben")
    assert [hhmm(s.starts_at) for s in blocked.value.suggestions] == ["10:30", "10:45", "11:00"]
    with pytest.raises(Conflict, match="closed on Sun 22 Nov") as sunday:
        svc.create_appointment(diary.sarah.id, "Haircut", at(SUN, "11:00"))
    monday = SUN + timedelta(days=1)
    assert [(s.starts_at.date(), hhmm(s.starts_at)) for s in sunday.value.suggestions] == [
        (monday, "09:00"),
        (monday, "09:15"),
        (monday, "09:30"),
    ]
    assert diary.appointments() == []


def test_create_bad_input_writes_nothing(workspace):
    diary = make_diary(workspace)
    svc = diary.service
    with pytest.raises(Invalid, match="already passed"):
        svc.create_appointment(diary.sarah.id, "Haircut", at(WED, "09:00"))
    with pytest.raises(Invalid, match="Who is the appointment for"):
        svc.create_appointment(None, "Haircut", at(THU, "10:00"))
    with pytest.raises(NotFound):
        svc.create_appointment(diary.sarah.id, "Haircut", at(THU, "10:00"), staff="Zed")
    with pytest.raises(Invalid, match="Anna doesn't do Colour"):
        svc.create_appointment(diary.sarah.id, "Colour", at(THU, "10:00"), staff="Anna")
    with pytest.raises(Invalid, match="1-52"):
        svc.create_appointment(
            diary.sarah.id, "Haircut", at(THU, "10:00"), recurrence={"every_weeks": 1, "count": 53}
        )
    with pytest.raises(NotFound):
        svc.create_appointment(9999, "Haircut", at(THU, "10:00"))
    assert diary.appointments() == []


def test_confirmation_codes_are_redrawn_on_a_clash(workspace, monkeypatch):
    diary = make_diary(workspace)
    first = diary.service.create_appointment(diary.sarah.id, "Haircut", at(THU, "10:00"))
    used = first.first.confirmation_code
    draws = iter([used, used, "NEW234"])
    monkeypatch.setattr(booking_module, "new_confirmation_code", lambda: next(draws))
    second = diary.service.create_appointment(diary.tom.id, "Haircut", at(THU, "12:00"))
    assert second.first.confirmation_code == "NEW234"


def test_weekly_recurrence_books_every_date_at_the_same_local_time(workspace):
    diary = make_diary(workspace)
    booking = diary.service.create_appointment(
        diary.sarah.id,
        "Haircut",
        at(THU, "10:00"),
        staff="Ben",
        recurrence=Recurrence(every_weeks=2, count=4),
    )
    days = [a.starts_at.date() for a in booking.appointments]
    assert days == [THU + timedelta(weeks=2 * n) for n in range(4)]
    assert {hhmm(a.starts_at) for a in booking.appointments} == {"10:00"}
    assert booking.recurrence_group is not None
    assert {a.recurrence_group for a in booking.appointments} == {booking.recurrence_group}
    assert len({a.confirmation_code for a in booking.appointments}) == 4
    assert booking.undo.arguments == {"references": [a.id for a in booking.appointments]}
    # without a named stylist, one who is free on every date is preferred
    diary.book(THU + timedelta(weeks=1), "14:00", staff=diary.anna, client=diary.tom)
    series = diary.service.create_appointment(
        diary.sarah.id, "Haircut", at(THU, "14:00"), recurrence={"count": 3}
    )
    assert [a.staff_name for a in series.appointments] == ["Ben", "Ben", "Ben"]


def test_recurrence_across_dst_keeps_the_wall_clock(workspace):
    diary = make_diary(workspace, clock=FixedClock(datetime(2027, 3, 1, tzinfo=UTC)))
    booking = diary.service.create_appointment(
        diary.sarah.id, "Haircut", at(date(2027, 3, 25), "10:00"), recurrence={"count": 2}
    )
    before, after = (a.starts_at for a in booking.appointments)
    assert hhmm(before) == hhmm(after) == "10:00"
    assert before.astimezone(UTC).hour == 10
    assert after.astimezone(UTC).hour == 9  # British Summer Time


def test_recurrence_clash_books_nothing_and_names_the_dates(workspace):
    diary = make_diary(workspace)
    clash_day = THU + timedelta(weeks=2)
    add(workspace, diary.context, HoursException(day=clash_day, closed=True, reason="Holiday"))
    with pytest.raises(Conflict) as caught:
        diary.service.create_appointment(
            diary.sarah.id, "Haircut", at(THU, "10:00"), recurrence={"every_weeks": 1, "count": 5}
        )
    message = caught.value.message
    assert "1 of the 5 dates clash, so nothing was booked" in message
    assert "Thu 3 Dec 10:00" in message
    assert "Holiday" in message
    assert caught.value.suggestions
    assert all(s.starts_at.date() > clash_day for s in caught.value.suggestions)
    assert diary.appointments() == []


def test_reschedule_moves_and_undo_puts_it_back(workspace):
    diary = make_diary(workspace)
    appointment_id = diary.book(THU, "10:00", staff=diary.anna)
    code = diary.appointments()[0].confirmation_code
    svc = diary.service
    moved = svc.reschedule_appointment(code.lower(), at(THU, "10:30"))  # overlaps only itself
    assert hhmm(moved.appointment.starts_at) == "10:30"
    assert hhmm(moved.previous.starts_at) == "10:00"
    assert moved.previous.staff_id == diary.anna.id
    again = svc.reschedule_appointment(f"#{appointment_id}", at(FRI, "09:00"), staff="Ben")
    assert again.appointment.staff_name == "Ben"
    assert again.previous.staff_id == diary.anna.id
    undone = svc.apply_undo(again.undo.model_dump(mode="json"))
    assert "back to Thu 19 Nov 10:30" in undone.summary
    row = diary.appointments()[0]
    assert row.starts_at == datetime(2026, 11, 19, 10, 30, tzinfo=UTC)
    assert row.staff_id == diary.anna.id


def test_reschedule_conflicts_and_bad_states(workspace):
    diary = make_diary(workspace)
    first = diary.book(THU, "10:00", staff=diary.anna)
    diary.book(THU, "12:00", staff=diary.anna, client=diary.tom)
    svc = diary.service
    with pytest.raises(Conflict, match="Anna is already booked") as caught:
        svc.reschedule_appointment(first, at(THU, "12:30"))
    assert caught.value.suggestions
    with pytest.raises(Invalid, match="already passed"):
        svc.reschedule_appointment(first, at(WED, "09:00"))
    with pytest.raises(Invalid, match="already booked for"):
        svc.reschedule_appointment(first, at(THU, "10:00"))
    svc.cancel_appointment(first)
    with pytest.raises(Invalid, match="cancelled, so it can't be moved"):
        svc.reschedule_appointment(first, at(FRI, "10:00"))
    assert diary.appointments()[0].starts_at == datetime(2026, 11, 19, 10, tzinfo=UTC)


def test_cancel_with_notification_and_undo(workspace):
    diary = make_diary(workspace)
    sarah_appointment = diary.book(THU, "10:00")
    tom_appointment = diary.book(THU, "12:00", client=diary.tom)
    svc = diary.service
    result = svc.cancel_appointment(sarah_appointment, "Stylist is ill.", notify=True)
    assert result.appointment.status is AppointmentStatus.CANCELLED
    assert result.appointment.cancel_reason == "Stylist is ill."
    assert result.previous.status is AppointmentStatus.CONFIRMED
    message = result.message
    assert message is not None
    assert message.channel is Channel.EMAIL
    assert message.recipient == "sarah@example.com"
    assert message.body.startswith(
        "Hi Sarah, your Haircut with Anna at Acme Studio on "
        "Thursday 19 November at 10:00 has been cancelled."
    )
    assert "Reason: Stylist is ill." in message.body
    sms = svc.cancel_appointment(tom_appointment, notify=True).message
    assert sms is not None
    assert sms.channel is Channel.SMS
    assert sms.recipient == "+447700900123"
    with workspace.transaction(diary.context.business_id) as session:
        items = session.scalars(sa.select(OutboxItem).order_by(OutboxItem.id)).all()
        assert [(i.channel, i.related_type, i.related_id) for i in items] == [
            (Channel.EMAIL, "appointment", sarah_appointment),
            (Channel.SMS, "appointment", tom_appointment),
        ]
    with pytest.raises(Invalid, match="already cancelled"):
        svc.cancel_appointment(sarah_appointment)
    assert "cannot be recalled" in result.undo.summary
    svc.apply_undo(result.undo)
    restored = svc.get_appointment(sarah_appointment)
    assert restored.status is AppointmentStatus.CONFIRMED
    assert restored.cancel_reason is None
    # once the slot is taken again, the undo refuses instead of double-booking
    cancelled = svc.cancel_appointment(sarah_appointment)
    diary.book(THU, "10:00", staff=diary.anna, client=diary.tom)
    with pytest.raises(Conflict, match="I can't put it back: Anna is already booked"):
        svc.apply_undo(cancelled.undo)
    assert svc.get_appointment(sarah_appointment).status is AppointmentStatus.CANCELLED


def test_confirm_complete_and_no_show_follow_the_state_rules(workspace):
    clock = FixedClock(datetime(2026, 11, 18, 14, 30, tzinfo=UTC))
    diary = make_diary(workspace, clock=clock)
    portal = diary.acting_as(Role.CLIENT, client_id=diary.sarah.id)
    requested = portal.create_appointment(None, "Haircut", at(THU, "10:00")).first
    assert requested.status is AppointmentStatus.REQUESTED
    svc = diary.service
    confirmed = svc.confirm_appointment(requested.confirmation_code)
    assert confirmed.appointment.status is AppointmentStatus.CONFIRMED
    assert confirmed.previous.status is AppointmentStatus.REQUESTED
    with pytest.raises(Invalid, match="already confirmed"):
        svc.confirm_appointment(requested.id)
    with pytest.raises(Invalid, match="before it starts"):
        svc.complete_appointment(requested.id)
    with pytest.raises(Invalid, match="before it starts"):
        svc.mark_no_show(requested.id)
    clock.advance(timedelta(days=1))  # Thu 14:30: the appointment has happened
    done = svc.complete_appointment(requested.id)
    assert done.appointment.status is AppointmentStatus.COMPLETED
    no_show = svc.mark_no_show(requested.id)  # a correction is allowed
    assert no_show.previous.status is AppointmentStatus.COMPLETED
    svc.apply_undo(no_show.undo)
    assert svc.get_appointment(requested.id).status is AppointmentStatus.COMPLETED
    with pytest.raises(Invalid, match="already completed"):
        svc.cancel_appointment(requested.id)
    other = diary.book(FRI, "10:00")
    svc.cancel_appointment(other)
    clock.advance(timedelta(days=2))
    with pytest.raises(Invalid, match="cancelled, so it can't be marked completed"):
        svc.complete_appointment(other)


def test_discarding_a_booking_is_its_undo(workspace):
    diary = make_diary(workspace)
    booking = diary.service.create_appointment(
        diary.sarah.id, "Haircut", at(THU, "10:00"), recurrence={"count": 2}
    )
    undone = diary.service.apply_undo(booking.undo.model_dump(mode="json"))
    assert undone.operation == "discard_appointments"
    assert diary.appointments() == []
    with pytest.raises(Invalid, match="not something I can undo"):
        diary.service.apply_undo(
            {"operation": "delete_resource_everything", "arguments": {}, "summary": "x"}
        )
    kept = diary.book(THU, "10:00")
    diary.service.send_appointment_reminder(kept)
    with pytest.raises(Conflict, match="cancel it instead"):
        diary.service.discard_appointments([kept])
    assert len(diary.appointments()) == 1


def test_send_reminder_queues_a_readable_message(workspace):
    diary = make_diary(workspace)
    appointment = diary.book(THU, "10:00", staff=diary.ben)
    sent = diary.service.send_appointment_reminder(appointment)
    message = sent.message
    assert message.channel is Channel.EMAIL
    assert message.subject == "Reminder: Haircut on Thu 19 Nov 10:00"
    assert message.body.startswith(
        "Hi Sarah, this is a reminder of your Haircut with Ben at Acme Studio on "
        "Thursday 19 November at 10:00."
    )
    assert sent.appointment.confirmation_code in message.body
    assert sent.appointment.reminder_sent_at == diary.context.now()
    toms = diary.book(FRI, "10:00", client=diary.tom)
    by_sms = diary.service.send_appointment_reminder(toms)
    assert by_sms.message.channel is Channel.SMS
    assert by_sms.message.recipient == "+447700900123"
    assert by_sms.message.subject is None


def test_reminder_bad_input(workspace):
    diary = make_diary(workspace)
    toms = diary.book(THU, "10:00", client=diary.tom)
    with pytest.raises(Invalid, match="Tom Jones has no e-mail address on file; try SMS"):
        diary.service.send_appointment_reminder(toms, channel="email")
    with pytest.raises(Invalid, match="not a valid channel"):
        diary.service.send_appointment_reminder(toms, channel="pigeon")
    diary.service.cancel_appointment(toms)
    with pytest.raises(Invalid, match="nothing to remind"):
        diary.service.send_appointment_reminder(toms)
    with pytest.raises(NotFound):
        diary.service.send_appointment_reminder("#999")
    with workspace.transaction(diary.context.business_id) as session:
        assert session.scalars(sa.select(OutboxItem)).all() == []
