"""Booking and moving appointments: conflict checks, nearest free slots, recurrence."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from pydantic import ValidationError
from sqlalchemy.orm import Session

from ....errors import Conflict, Invalid, PermissionDenied, WorkspaceError
from ...models import Appointment, AppointmentStatus, Client, Resource, Service, Staff
from ...values import new_confirmation_code
from .._base import DomainService
from .._references import Ref, resolve_client, resolve_service
from . import _time as t
from ._calendar import Calendar, Lane, Room, Window, active_resource, lanes_for, lock_diary
from ._common import ACTIVE, find_appointment, is_portal, iso, portal_client_id
from ._describe import describe, state_of
from ._models import AppointmentChange, Booking, Recurrence, Slot, Undo

__all__ = ["SUGGESTIONS", "BookingOps", "nearest_slots", "restore_arguments"]

SUGGESTIONS = 3
"""How many free slots a conflict offers instead."""
SUGGESTION_DAYS = 14
"""How far ahead (in days) a conflict looks for free slots."""
CODE_ATTEMPTS = 25


def nearest_slots(
    calendar: Calendar,
    wanted: datetime,
    lanes: list[Lane],
    *,
    room: Room | None,
    duration: int,
    buffer: int,
    client_id: int | None,
    ignore: frozenset[int] = frozenset(),
) -> list[Slot]:
    """Up to three free slots nearest ``wanted``, on its local day or the following days.

    ``calendar`` must cover ``wanted``'s day and the :data:`SUGGESTION_DAYS` after it.
    """
    tz = calendar.tz
    first = wanted.astimezone(tz).date()
    found: dict[datetime, Lane] = {}
    for offset in range(SUGGESTION_DAYS + 1):
        day = first + timedelta(days=offset)
        for start, lane in calendar.slots(
            [day], lanes, room, duration, buffer, client_id=client_id, ignore=ignore
        ):
            found.setdefault(start, lane)
        if len(found) >= SUGGESTIONS and offset >= 1:
            break
    best = sorted(found, key=lambda s: (abs(s - wanted), s))[:SUGGESTIONS]
    return [
        Slot(
            starts_at=s.astimezone(tz),
            ends_at=(s + timedelta(minutes=duration)).astimezone(tz),
            staff_id=found[s].staff_id,
            staff_name=found[s].name,
            resource_id=room.id if room else None,
            resource_name=room.name if room else None,
        )
        for s in sorted(best)
    ]


def restore_arguments(row: Appointment) -> dict[str, Any]:
    """JSON-ready arguments of ``restore_appointment`` that put ``row`` back as it is now."""
    return {
        "reference": row.id,
        "status": row.status.value,
        "starts_at": iso(row.starts_at),
        "ends_at": iso(row.ends_at),
        "staff_id": row.staff_id,
        "resource_id": row.resource_id,
        "cancel_reason": row.cancel_reason,
    }


class BookingOps(DomainService):
    """Creating and rescheduling appointments."""

    def create_appointment(
        self,
        client: Ref | None,
        service: Ref,
        starts_at: datetime,
        *,
        staff: Ref | None = None,
        resource: Ref | None = None,
        notes: str | None = None,
        recurrence: Recurrence | Mapping[str, Any] | None = None,
    ) -> Booking:
        """Book ``client`` for ``service`` at ``starts_at`` (naive = business local time).

        Without ``staff`` the first free qualified staff member (by name) is chosen. A
        clash raises :class:`Conflict` with the nearest free slots; a recurring booking is
        all-or-nothing. Portal users book only themselves, as a request.
        """
        repeat = self._recurrence(recurrence)
        if notes is not None and len(notes) > 5000:
            raise Invalid("The notes are too long (at most 5000 characters).", field="notes")
        tz = self.context.tz
        start = t.as_utc(starts_at, tz, "starts_at")
        if start < self.context.now():
            raise Invalid(
                f"{t.long_when(start, tz)} has already passed; pick a time from now on.",
                field="starts_at",
            )
        with self._unit() as session:
            booked_for = self._booking_client(session, client)
            found = resolve_service(session, service)
            if not found.active:
                raise Invalid(f"{found.name} is no longer offered.", field="service")
            lanes = lanes_for(session, found, staff)
            room = active_resource(session, resource)
            starts = self._occurrences(start, repeat)
            lock_diary(session, self.context.business_id)
            calendar = Calendar(
                session,
                self.context,
                starts[0].astimezone(tz).date(),
                starts[-1].astimezone(tz).date() + timedelta(days=1),
            )
            plan = self._plan(
                session, calendar, starts, lanes=lanes, room=room, service=found, client=booked_for
            )
            group = str(uuid.uuid4()) if len(plan) > 1 else None
            codes = self._codes(session, len(plan))
            status = (
                AppointmentStatus.REQUESTED
                if is_portal(self.context)
                else (AppointmentStatus.CONFIRMED)
            )
            rows = [
                Appointment(
                    client_id=booked_for.id,
                    service_id=found.id,
                    staff_id=lane.staff_id,
                    resource_id=room.id if room else None,
                    starts_at=when,
                    ends_at=when + timedelta(minutes=found.duration_minutes),
                    status=status,
                    confirmation_code=code,
                    price_minor=found.price_minor,
                    currency=found.currency,
                    notes=(notes or "").strip() or None,
                    recurrence_group=group,
                    created_by_user_id=self.context.user_id,
                )
                for (when, lane), code in zip(plan, codes, strict=True)
            ]
            session.add_all(rows)
            session.flush()
            infos = tuple(describe(session, tz, rows))
            what = f"{found.name} for {booked_for.full_name}" + (
                f" ({len(rows)} dates)" if len(rows) > 1 else ""
            )
            undo = Undo(
                operation="discard_appointments",
                arguments={"references": [r.id for r in rows]},
                summary=f"Remove the booking of {what}.",
            )
            return Booking(appointments=infos, recurrence_group=group, undo=undo)

    @staticmethod
    def _recurrence(value: Recurrence | Mapping[str, Any] | None) -> Recurrence | None:
        if value is None or isinstance(value, Recurrence):
            return value
        try:
            return Recurrence.model_validate(dict(value))
        except ValidationError as exc:
            raise Invalid(
                "A repeat needs a number of weeks between visits (1-52) and how many "
                "visits in all (1-52).",
                field="recurrence",
            ) from exc

    def _occurrences(self, start: datetime, repeat: Recurrence | None) -> list[datetime]:
        """Start instants of every visit: same local wall-clock time, DST-safe."""
        if repeat is None:
            return [start]
        tz = self.context.tz
        local = start.astimezone(tz)
        return [
            t.instant(local.date() + timedelta(weeks=n * repeat.every_weeks), local.time(), tz)
            for n in range(repeat.count)
        ]

    def _booking_client(self, session: Session, client: Ref | None) -> Client:
        own = portal_client_id(self.context)
        if own is not None:
            if client is not None and client != own:
                raise PermissionDenied("You can only book appointments for yourself.")
            found = session.get(Client, own)
        elif client is None:
            raise Invalid("Who is the appointment for? Name the client.", field="client")
        else:
            found = resolve_client(session, client)
        if found is None or found.deleted_at is not None:
            raise Invalid("That client record no longer exists.", field="client")
        return found

    def _plan(
        self,
        session: Session,
        calendar: Calendar,
        starts: list[datetime],
        *,
        lanes: list[Lane],
        room: Room | None,
        service: Service,
        client: Client,
    ) -> list[tuple[datetime, Lane]]:
        """A lane for every start (one lane for all if possible), or :class:`Conflict`."""
        duration, buffer = service.duration_minutes, service.buffer_minutes

        def problem(when: datetime, lane: Lane) -> str | None:
            return calendar.problem(
                Window.at(when, duration, buffer), lane, room, client_id=client.id
            )

        for lane in lanes:
            if all(problem(when, lane) is None for when in starts):
                return [(when, lane) for when in starts]
        plan: list[tuple[datetime, Lane]] = []
        clashes: list[tuple[datetime, str]] = []
        for when in starts:
            reasons = []
            for lane in lanes:
                reason = problem(when, lane)
                if reason is None:
                    plan.append((when, lane))
                    break
                reasons.append(reason)
            else:
                clashes.append((when, self._why(reasons, service, len(lanes))))
        if not clashes:
            return plan
        tz = self.context.tz
        first_clash = clashes[0][0]
        suggestions = nearest_slots(
            Calendar(
                session,
                self.context,
                first_clash.astimezone(tz).date(),
                first_clash.astimezone(tz).date() + timedelta(days=SUGGESTION_DAYS),
            ),
            first_clash,
            lanes,
            room=room,
            duration=duration,
            buffer=buffer,
            client_id=client.id,
        )
        if len(starts) == 1:
            raise Conflict(clashes[0][1], suggestions=suggestions)
        listed = "; ".join(f"{t.short_when(when, tz)}: {why}" for when, why in clashes)
        raise Conflict(
            f"{len(clashes)} of the {len(starts)} dates clash, so nothing was booked. {listed}",
            suggestions=suggestions,
        )

    @staticmethod
    def _why(reasons: list[str], service: Service, lanes: int) -> str:
        distinct = list(dict.fromkeys(reasons))
        if len(distinct) == 1:
            return distinct[0]
        return f"Nobody who does {service.name} is free then: {' '.join(distinct[:lanes])}"

    @staticmethod
    def _codes(session: Session, count: int) -> list[str]:
        """``count`` confirmation codes unused in this business (new ones drawn on a clash)."""
        codes: list[str] = []
        for _ in range(count):
            for _attempt in range(CODE_ATTEMPTS):
                code = new_confirmation_code()
                taken = (
                    code in codes
                    or session.scalar(
                        sa.select(Appointment.id).where(Appointment.confirmation_code == code)
                    )
                    is not None
                )
                if not taken:
                    codes.append(code)
                    break
            else:
                raise WorkspaceError("I couldn't find a free confirmation code; please try again.")
        return codes

    def reschedule_appointment(
        self, reference: Ref, starts_at: datetime, *, staff: Ref | None = None
    ) -> AppointmentChange:
        """Move an appointment (same length) to ``starts_at``, optionally to another staff
        member; the same checks as booking, ignoring the appointment itself."""
        tz = self.context.tz
        start = t.as_utc(starts_at, tz, "starts_at")
        if start < self.context.now():
            raise Invalid(
                f"{t.long_when(start, tz)} has already passed; pick a time from now on.",
                field="starts_at",
            )
        with self._unit() as session:
            row = find_appointment(session, self.context, reference)
            if row.status not in ACTIVE:
                raise Invalid(
                    f"That appointment is {row.status.value.replace('_', ' ')}, so it "
                    "can't be moved.",
                    field="reference",
                )
            service = self._get(session, Service, row.service_id, "service")
            lanes = (
                lanes_for(session, service, staff)
                if staff is not None
                else [self._current_lane(session, row)]
            )
            if start == row.starts_at and lanes[0].staff_id == row.staff_id:
                raise Invalid(
                    f"It is already booked for {t.long_when(start, tz)}.", field="starts_at"
                )
            room = self._current_room(session, row)
            duration = t.minutes((row.starts_at, row.ends_at))
            lock_diary(session, self.context.business_id)
            day = start.astimezone(tz).date()
            calendar = Calendar(session, self.context, day, day + timedelta(days=SUGGESTION_DAYS))
            want = Window.at(start, duration, service.buffer_minutes)
            reason = calendar.problem(
                want, lanes[0], room, client_id=row.client_id, ignore=frozenset({row.id})
            )
            if reason is not None:
                raise Conflict(
                    reason,
                    suggestions=nearest_slots(
                        calendar,
                        start,
                        lanes,
                        room=room,
                        duration=duration,
                        buffer=service.buffer_minutes,
                        client_id=row.client_id,
                        ignore=frozenset({row.id}),
                    ),
                )
            previous, undo_args = state_of(row, tz), restore_arguments(row)
            row.starts_at, row.ends_at, row.staff_id = want.start, want.end, lanes[0].staff_id
            if is_portal(self.context):
                row.status = AppointmentStatus.REQUESTED
            session.flush()
            info = describe(session, tz, [row])[0]
            undo = Undo(
                operation="restore_appointment",
                arguments=undo_args,
                summary=f"Move {info.service_name} for {info.client_name} back to "
                f"{t.short_when(previous.starts_at, tz)}.",
            )
            return AppointmentChange(appointment=info, previous=previous, undo=undo)

    @staticmethod
    def _current_lane(session: Session, row: Appointment) -> Lane:
        if row.staff_id is None:
            return Lane(None, None)
        member = session.get(Staff, row.staff_id)
        return Lane(row.staff_id, member.name if member else None)

    @staticmethod
    def _current_room(session: Session, row: Appointment) -> Room | None:
        if row.resource_id is None:
            return None
        resource = session.get(Resource, row.resource_id)
        return Room(resource.id, resource.name, resource.capacity) if resource else None
