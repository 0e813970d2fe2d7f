"""Scheduling: appointments, availability, working hours, blocked time, resources, waitlist.

Times: appointments are stored in UTC; every result is in the business timezone; naive input
datetimes are read as business-local wall-clock time; days ("today", a ``date``) are local
days. Slots lie on a 15-minute wall-clock grid computed per local day, so DST days work.
See :mod:`._calendar` for the availability rules (hours, blocks, buffers, staff, resources).

Client-portal users (``Role.CLIENT``) see and change only their own appointments; their
bookings and moves become requests. Team-only operations refuse them.

Undo. Every reversible write returns an :class:`Undo` (``operation`` + JSON-ready
``arguments`` + a ``summary``); :meth:`SchedulingService.apply_undo` runs it:

==========================  ================================================================
write                       undo
==========================  ================================================================
create_appointment          discard_appointments(references) — deletes the new bookings
reschedule_appointment      restore_appointment(...) — previous start/end/staff/status
cancel_appointment          restore_appointment(...) — previous status (a sent message stays)
confirm / complete /        restore_appointment(...) — previous status
mark_no_show
restore_appointment         restore_appointment(...) — redo
block_time                  unblock_time(reference)
unblock_time                block_time(...) — the same period, scope and reason
set_working_hours           set_working_hours(staff, previous template)
create_resource             delete_resource(reference)
update_resource             update_resource(reference, previous name/capacity/active)
add_to_waitlist             remove_from_waitlist(reference)
create_booking_link         delete_booking_link(reference) (only when a link was made)
==========================  ================================================================

Not reversible: send_appointment_reminder (a message cannot be unsent), delete_resource,
discard_appointments, remove_from_waitlist, delete_booking_link.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from pydantic import ValidationError

from ....errors import Invalid
from ._booking import BookingOps
from ._hours import HoursOps
from ._models import (
    AppointmentChange,
    AppointmentInfo,
    AppointmentState,
    Availability,
    BlockChange,
    BlockInfo,
    Booking,
    BookingLinkInfo,
    DaySummary,
    Gap,
    QueuedMessage,
    Recurrence,
    ReminderSent,
    ResourceChange,
    ResourceDeleted,
    ResourceInfo,
    ResourceList,
    Slot,
    StaffInfo,
    Undo,
    Undone,
    WaitlistEntryInfo,
    WorkingHoursInfo,
)
from ._queries import ReadOps
from ._setup import SetupOps
from ._status import StatusOps
from ._waitlist import WaitlistOps

__all__ = [
    "UNDO_OPERATIONS",
    "AppointmentChange",
    "AppointmentInfo",
    "AppointmentState",
    "Availability",
    "BlockChange",
    "BlockInfo",
    "Booking",
    "BookingLinkInfo",
    "DaySummary",
    "Gap",
    "QueuedMessage",
    "Recurrence",
    "ReminderSent",
    "ResourceChange",
    "ResourceDeleted",
    "ResourceInfo",
    "ResourceList",
    "SchedulingService",
    "Slot",
    "StaffInfo",
    "Undo",
    "Undone",
    "WaitlistEntryInfo",
    "WorkingHoursInfo",
]

UNDO_OPERATIONS = frozenset(
    {
        "discard_appointments",
        "restore_appointment",
        "unblock_time",
        "block_time",
        "set_working_hours",
        "delete_resource",
        "update_resource",
        "remove_from_waitlist",
        "delete_booking_link",
    }
)
"""The methods an :class:`Undo` may name."""

_DATETIME_ARGUMENTS = ("starts_at", "ends_at")


class SchedulingService(ReadOps, BookingOps, StatusOps, HoursOps, SetupOps, WaitlistOps):
    """Every scheduling operation; each public method is one transaction."""

    def apply_undo(self, undo: Undo | Mapping[str, Any]) -> Undone:
        """Run a stored :class:`Undo` (or its JSON form) and say what was undone."""
        try:
            record = undo if isinstance(undo, Undo) else Undo.model_validate(dict(undo))
        except ValidationError as exc:
            raise Invalid("That undo record is incomplete.", field="undo") from exc
        if record.operation not in UNDO_OPERATIONS:
            raise Invalid(
                f"“{record.operation}” is not something I can undo with.", field="operation"
            )
        arguments = dict(record.arguments)
        for name in _DATETIME_ARGUMENTS:
            if isinstance(arguments.get(name), str):
                try:
                    arguments[name] = datetime.fromisoformat(arguments[name])
                except ValueError as exc:
                    raise Invalid(f"The undo record has a broken {name}.", field=name) from exc
        try:
            getattr(self, record.operation)(**arguments)
        except TypeError as exc:
            raise Invalid(
                f"The undo record for {record.operation} has the wrong arguments.",
                field="arguments",
            ) from exc
        return Undone(operation=record.operation, summary=record.summary)
