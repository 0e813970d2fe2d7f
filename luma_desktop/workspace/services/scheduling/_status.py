"""An appointment's life after booking: cancel, confirm, complete, no-show, remind, restore."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ....errors import Conflict, Invalid
from ...models import (
    Appointment,
    AppointmentStatus,
    Channel,
    Invoice,
    Resource,
    Service,
    Staff,
)
from .._base import DomainService
from .._references import Ref
from . import _time as t
from ._booking import restore_arguments
from ._calendar import Calendar, Lane, Room, Window, lock_diary
from ._common import ACTIVE, find_appointment, is_portal, parse_enum, require_team
from ._describe import describe, state_of
from ._messages import send_about
from ._models import (
    AppointmentChange,
    AppointmentInfo,
    AppointmentState,
    QueuedMessage,
    ReminderSent,
    Undo,
)

__all__ = ["StatusOps"]

_S = AppointmentStatus


def _label(status: AppointmentStatus) -> str:
    return status.value.replace("_", " ")


class StatusOps(DomainService):
    """Status changes; each returns the previous state and an undo."""

    def cancel_appointment(
        self,
        reference: Ref,
        reason: str | None = None,
        *,
        notify: bool = False,
        channel: Channel | str | None = None,
    ) -> AppointmentChange:
        """Cancel with an optional reason; ``notify`` queues a message to the client
        (e-mail when they have an address, else SMS, unless ``channel`` says)."""
        reason = (reason or "").strip() or None
        if reason is not None and len(reason) > 500:
            raise Invalid("The reason is too long (at most 500 characters).", field="reason")
        with self._unit() as session:
            row = find_appointment(session, self.context, reference)
            if row.status not in ACTIVE:
                raise Invalid(
                    f"That appointment is already {_label(row.status)}, so it can't be cancelled.",
                    field="reference",
                )
            if is_portal(self.context) and row.starts_at <= self.context.now():
                raise Invalid(
                    "That appointment has already started; please call the business.",
                    field="reference",
                )
            before = restore_arguments(row)
            previous = state_of(row, self.context.tz)
            row.status, row.cancel_reason = _S.CANCELLED, reason
            session.flush()
            message = (
                send_about(
                    session,
                    self.context.tz,
                    row,
                    "cancellation",
                    channel=channel,
                    reason=reason,
                    user_id=self.context.user_id,
                )
                if notify
                else None
            )
            note = " (the message already sent cannot be recalled)" if message else ""
            return self._change(
                session, row, previous, before, verb="Reinstate", tail=note, message=message
            )

    def confirm_appointment(self, reference: Ref) -> AppointmentChange:
        """Requested → confirmed."""
        return self._move_status(reference, _S.CONFIRMED, (_S.REQUESTED,), started=False)

    def complete_appointment(self, reference: Ref) -> AppointmentChange:
        """Mark done (it must have started); a no-show can be corrected to completed."""
        return self._move_status(reference, _S.COMPLETED, (*ACTIVE, _S.NO_SHOW), started=True)

    def mark_no_show(self, reference: Ref) -> AppointmentChange:
        """Mark that the client did not come (it must have started); corrects "completed"."""
        return self._move_status(reference, _S.NO_SHOW, (*ACTIVE, _S.COMPLETED), started=True)

    def _move_status(
        self,
        reference: Ref,
        target: AppointmentStatus,
        allowed: tuple[AppointmentStatus, ...],
        *,
        started: bool,
    ) -> AppointmentChange:
        require_team(self.context, f"mark appointments {_label(target)}")
        with self._unit() as session:
            row = find_appointment(session, self.context, reference)
            if row.status is target:
                raise Invalid(f"That appointment is already {_label(target)}.", field="reference")
            if row.status not in allowed:
                raise Invalid(
                    f"That appointment is {_label(row.status)}, so it can't be marked "
                    f"{_label(target)}.",
                    field="reference",
                )
            if started and row.starts_at > self.context.now():
                when = t.long_when(row.starts_at, self.context.tz)
                raise Invalid(
                    f"That appointment is on {when}; it can't be marked "
                    f"{_label(target)} before it starts.",
                    field="reference",
                )
            before = restore_arguments(row)
            previous = state_of(row, self.context.tz)
            row.status = target
            session.flush()
            return self._change(
                session,
                row,
                previous,
                before,
                verb="Set",
                tail=f" back to {_label(previous.status)}",
            )

    def _change(
        self,
        session: Session,
        row: Appointment,
        previous: AppointmentState,
        undo_args: dict[str, Any],
        *,
        verb: str,
        tail: str = "",
        message: QueuedMessage | None = None,
    ) -> AppointmentChange:
        """The result of a change to ``row``; its undo restores ``undo_args``."""
        info = describe(session, self.context.tz, [row])[0]
        when = t.short_when(previous.starts_at, self.context.tz)
        undo = Undo(
            operation="restore_appointment",
            arguments=undo_args,
            summary=f"{verb} {info.service_name} for {info.client_name} on {when}{tail}.",
        )
        return AppointmentChange(appointment=info, previous=previous, message=message, undo=undo)

    def restore_appointment(
        self,
        reference: Ref,
        *,
        status: AppointmentStatus | str,
        starts_at: datetime,
        ends_at: datetime,
        staff_id: int | None = None,
        resource_id: int | None = None,
        cancel_reason: str | None = None,
    ) -> AppointmentChange:
        """Put an appointment back as it was (the undo of a move or status change).

        Restoring into the diary (requested/confirmed) refuses a double booking. Portal
        users restore only their own, and their restored bookings come back as requests.
        """
        target = parse_enum(AppointmentStatus, status, "status")
        tz = self.context.tz
        start, end = t.as_utc(starts_at, tz, "starts_at"), t.as_utc(ends_at, tz, "ends_at")
        if end <= start:
            raise Invalid("An appointment must end after it starts.", field="ends_at")
        if is_portal(self.context):
            if target not in (*ACTIVE, _S.CANCELLED):
                raise Invalid("You can only reinstate or cancel your appointments.", field="status")
            target = _S.CANCELLED if target is _S.CANCELLED else _S.REQUESTED
            if target is _S.REQUESTED and start < self.context.now():
                raise Invalid("That time has already passed.", field="starts_at")
        with self._unit() as session:
            row = find_appointment(session, self.context, reference)
            lane = self._lane(session, staff_id)
            room = self._room(session, resource_id)
            if target in ACTIVE:
                lock_diary(session, self.context.business_id)
                day = start.astimezone(tz).date()
                service = self._get(session, Service, row.service_id, "service")
                want = Window.at(start, t.minutes((start, end)), service.buffer_minutes)
                reason = Calendar(session, self.context, day, day).problem(
                    want,
                    lane,
                    room,
                    client_id=row.client_id,
                    ignore=frozenset({row.id}),
                    check_hours=is_portal(self.context),
                )
                if reason is not None:
                    raise Conflict(f"I can't put it back: {reason}")
            before = restore_arguments(row)
            previous = state_of(row, tz)
            row.status, row.starts_at, row.ends_at = target, start, end
            row.staff_id, row.resource_id = lane.staff_id, room.id if room else None
            row.cancel_reason = cancel_reason if target is _S.CANCELLED else None
            session.flush()
            return self._change(
                session,
                row,
                previous,
                before,
                verb="Set",
                tail=f" back to {_label(previous.status)}",
            )

    def _lane(self, session: Session, staff_id: int | None) -> Lane:
        if staff_id is None:
            return Lane(None, None)
        member = self._get(session, Staff, staff_id, "staff member")
        return Lane(member.id, member.name)

    def _room(self, session: Session, resource_id: int | None) -> Room | None:
        if resource_id is None:
            return None
        found = self._get(session, Resource, resource_id, "resource")
        return Room(found.id, found.name, found.capacity)

    def discard_appointments(self, references: Sequence[Ref]) -> list[AppointmentInfo]:
        """Delete appointments just booked (the undo of ``create_appointment``).

        Refused for appointments that took place, were reminded or are invoiced.
        """
        if not references:
            raise Invalid("Name at least one appointment to remove.", field="references")
        with self._unit() as session:
            rows = [find_appointment(session, self.context, ref) for ref in references]
            invoiced = set(
                session.scalars(
                    sa.select(Invoice.appointment_id).where(
                        Invoice.appointment_id.in_([r.id for r in rows])
                    )
                ).all()
            )
            for row in rows:
                if (
                    row.status not in ACTIVE
                    or row.reminder_sent_at is not None
                    or (row.id in invoiced)
                ):
                    raise Conflict(
                        f"Appointment {row.confirmation_code} is "
                        f"{_label(row.status)}, reminded or invoiced, so I won't "
                        "delete it; cancel it instead."
                    )
            removed = describe(session, self.context.tz, rows)
            for row in rows:
                session.delete(row)
            session.flush()
            return removed

    def send_appointment_reminder(
        self, reference: Ref, *, channel: Channel | str | None = None
    ) -> ReminderSent:
        """Queue a reminder to the client (e-mail if they have one, else SMS) and note when."""
        require_team(self.context, "send reminders")
        with self._unit() as session:
            row = find_appointment(session, self.context, reference)
            if row.status not in ACTIVE:
                raise Invalid(
                    f"That appointment is {_label(row.status)}; there is nothing to "
                    "remind the client of.",
                    field="reference",
                )
            if row.starts_at <= self.context.now():
                raise Invalid("That appointment has already started.", field="reference")
            message = send_about(
                session,
                self.context.tz,
                row,
                "reminder",
                channel=channel,
                user_id=self.context.user_id,
            )
            row.reminder_sent_at = self.context.now()
            session.flush()
            return ReminderSent(
                appointment=describe(session, self.context.tz, [row])[0], message=message
            )
