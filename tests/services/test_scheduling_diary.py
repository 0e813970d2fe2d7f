"""Listing and finding appointments, portal and staff scoping, tenant isolation."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from luma_desktop.errors import Ambiguous, Conflict, Invalid, NotFound, PermissionDenied
from luma_desktop.workspace.models import AppointmentStatus, Role

from .test_scheduling_support import FRI, THU, at, hhmm, make_diary


def test_list_appointments_filters_and_orders(workspace):
    diary = make_diary(workspace)
    late = diary.book(THU, "15:00", staff=diary.ben, client=diary.tom)
    early = diary.book(THU, "09:00", staff=diary.anna)
    colour = diary.book(FRI, "10:00", staff=diary.ben, service=diary.colour)
    cancelled = diary.book(FRI, "14:00", staff=diary.anna)
    diary.service.cancel_appointment(cancelled)
    svc = diary.service
    week = svc.list_appointments()  # today and the next six days
    assert [a.id for a in week] == [early, late, colour]
    assert [a.id for a in svc.list_appointments(THU)] == [early, late]
    assert [a.id for a in svc.list_appointments(THU, FRI, staff="Ben")] == [late, colour]
    assert [a.id for a in svc.list_appointments(THU, FRI, client=diary.tom.id)] == [late]
    assert [a.id for a in svc.list_appointments(THU, FRI, service="Colour")] == [colour]
    assert [a.id for a in svc.list_appointments(THU, FRI, status="cancelled")] == [cancelled]
    assert len(svc.list_appointments(THU, FRI, status=["confirmed", "cancelled"])) == 4
    window = svc.list_appointments(at(THU, "10:00"), at(FRI, "12:00"))
    assert [a.id for a in window] == [late, colour]
    assert [a.id for a in svc.list_appointments(THU, FRI, limit=1)] == [early]
    first = week[0]
    assert first.client_name == "Sarah Miller"
    assert first.staff_name == "Anna"
    assert first.starts_at.tzinfo is not None
    assert hhmm(first.starts_at) == "09:00"


def test_list_appointments_bad_input(workspace):
    diary = make_diary(workspace)
    svc = diary.service
    with pytest.raises(Invalid, match="not a valid status"):
        svc.list_appointments(status="maybe")
    with pytest.raises(Invalid, match="before its start"):
        svc.list_appointments(FRI, THU)
    with pytest.raises(Invalid, match="at most 366 days"):
        svc.list_appointments(THU, THU + timedelta(days=400))
    with pytest.raises(Invalid, match="limit"):
        svc.list_appointments(limit=0)
    with pytest.raises(NotFound):
        svc.list_appointments(staff="Zed")


def test_own_only_scopes_to_the_signed_in_staff_member(workspace):
    diary = make_diary(workspace)
    mine = diary.book(THU, "10:00", staff=diary.ben)
    diary.book(THU, "10:00", staff=diary.anna, client=diary.tom)
    ben = diary.acting_as(Role.STAFF, staff_id=diary.ben.id)
    assert [a.id for a in ben.list_appointments(THU, own_only=True)] == [mine]
    assert len(ben.list_appointments(THU)) == 2  # the tool layer decides the scope
    unlinked = diary.acting_as(Role.STAFF)
    with pytest.raises(PermissionDenied, match="not linked to a staff member"):
        unlinked.list_appointments(THU, own_only=True)


def test_get_appointment_by_id_code_number_and_client_name(workspace):
    diary = make_diary(workspace)
    first = diary.book(THU, "10:00")
    later = diary.book(FRI, "10:00")
    code = diary.appointments()[0].confirmation_code
    svc = diary.service
    assert svc.get_appointment(first).id == first
    assert svc.get_appointment(code.lower()).id == first
    assert svc.get_appointment(f" {code} ").id == first
    assert svc.get_appointment(f"#{later}").id == later
    assert svc.get_appointment("Sarah Miller").id == first  # her next one
    assert svc.get_appointment("sarah miller", on=FRI).id == later
    diary.book(FRI, "15:00")
    with pytest.raises(Ambiguous) as caught:
        svc.get_appointment("Sarah Miller", on=FRI)
    assert [c.label for c in caught.value.candidates] == ["Haircut at 10:00", "Haircut at 15:00"]
    with pytest.raises(NotFound):
        svc.get_appointment("ZZZ999")
    with pytest.raises(NotFound):
        svc.get_appointment(9999)
    with pytest.raises(NotFound):
        svc.get_appointment(first, on=FRI)


def test_portal_clients_only_see_and_change_their_own(workspace):
    diary = make_diary(workspace)
    toms = diary.book(THU, "10:00", client=diary.tom)
    sarahs = diary.book(THU, "12:00")
    portal = diary.acting_as(Role.CLIENT, client_id=diary.sarah.id)
    assert [a.id for a in portal.list_appointments(THU)] == [sarahs]
    assert portal.get_appointment(sarahs).client_name == "Sarah Miller"
    with pytest.raises(NotFound):
        portal.get_appointment(toms)
    tom_code = diary.appointments()[0].confirmation_code
    with pytest.raises(NotFound):
        portal.get_appointment(tom_code)
    with pytest.raises(NotFound):
        portal.get_appointment("Tom Jones")  # never searches other clients by name
    with pytest.raises(PermissionDenied):
        portal.list_appointments(THU, client=diary.tom.id)
    with pytest.raises(Conflict) as clash:  # Tom has Anna at 10:00
        portal.create_appointment(None, "Haircut", at(THU, "10:30"), staff="Anna")
    assert clash.value.message == "Anna is already booked at Thu 19 Nov 10:30."
    assert clash.value.suggestions
    assert "Tom" not in str(clash.value.to_dict())
    with pytest.raises(PermissionDenied, match="only book appointments for yourself"):
        portal.create_appointment(diary.tom.id, "Haircut", at(FRI, "10:00"))
    with pytest.raises(NotFound):
        portal.reschedule_appointment(toms, at(FRI, "10:00"))
    with pytest.raises(NotFound):
        portal.cancel_appointment(toms)
    with pytest.raises(PermissionDenied):
        portal.confirm_appointment(sarahs)
    with pytest.raises(PermissionDenied):
        portal.day_summary(THU)
    with pytest.raises(PermissionDenied):
        portal.block_time(at(FRI, "10:00"), at(FRI, "11:00"))
    own = portal.create_appointment(diary.sarah.id, "Haircut", at(FRI, "11:00")).first
    assert own.status is AppointmentStatus.REQUESTED
    moved = portal.reschedule_appointment(sarahs, at(FRI, "15:00"))
    assert moved.appointment.status is AppointmentStatus.REQUESTED  # moved by the client
    assert moved.previous.status is AppointmentStatus.CONFIRMED
    assert portal.cancel_appointment(own.id).appointment.status is AppointmentStatus.CANCELLED
    statuses = {
        a.id: a.status
        for a in diary.service.list_appointments(
            THU, FRI, status=["requested", "confirmed", "cancelled"]
        )
    }
    assert statuses[toms] is AppointmentStatus.CONFIRMED
    lost = diary.acting_as(Role.CLIENT)  # a portal sign-in without a client record
    with pytest.raises(PermissionDenied, match="not linked to a client record"):
        lost.list_appointments()
    with pytest.raises(PermissionDenied):
        lost.create_appointment(None, "Haircut", at(THU, "16:00"))


def test_queries_never_cross_businesses(workspace):
    diary = make_diary(workspace)
    other = make_diary(workspace, slug="other")
    theirs = other.book(THU, "10:00", staff=other.anna)
    ours = diary.book(THU, "10:00", staff=diary.anna)  # same time, no clash across tenants
    svc = diary.service
    assert [a.id for a in svc.list_appointments(THU)] == [ours]
    with pytest.raises(NotFound):
        svc.get_appointment(theirs)
    their_code = other.appointments()[0].confirmation_code
    with pytest.raises(NotFound):
        svc.get_appointment(their_code)
    with pytest.raises(NotFound):
        svc.cancel_appointment(theirs)
    with pytest.raises(NotFound):
        svc.create_appointment(other.sarah.id, "Haircut", at(FRI, "10:00"))
    assert other.service.get_appointment(theirs).status is AppointmentStatus.CONFIRMED
    summary = svc.day_summary(THU)
    assert [a.id for a in summary.appointments] == [ours]
    assert svc.list_resources().staff[0].id == diary.anna.id
    assert other.appointments()[0].starts_at == datetime(2026, 11, 19, 10, tzinfo=UTC)
