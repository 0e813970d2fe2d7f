"""The availability engine: who is free when, and why not.

A :class:`Calendar` loads, once per request, everything that decides availability between two
local days: opening hours and their exceptions, staff working hours, blocked times and the
non-cancelled appointments (each holding its staff member and resource until its end plus the
service's buffer). :meth:`Calendar.problem` explains why a period cannot be booked;
:meth:`Calendar.slots` lists what can.

Rules: the client's time (start to end) must lie within the business's opening hours of that
local day, within the staff member's working hours (none set = the business hours) and outside
blocked time (business-wide, the staff member's, the resource's). The buffer after an
appointment keeps the staff member and resource busy (no other appointment may start in it)
but may run past closing time. A resource holds up to ``capacity`` appointments at once.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ....errors import Invalid
from ...models import (
    Appointment,
    AppointmentStatus,
    BlockedTime,
    Business,
    Client,
    HoursException,
    OpeningHours,
    Role,
    Service,
    ServiceStaff,
    Staff,
    WorkingHours,
)
from .._base import ServiceContext
from .._references import Ref, resolve_resource, resolve_staff
from . import _time as t

__all__ = [
    "Busy",
    "Calendar",
    "Lane",
    "Room",
    "Window",
    "active_resource",
    "lanes_for",
    "lock_diary",
]


@dataclass(frozen=True, slots=True)
class Lane:
    """Who an appointment is with: a staff member, or nobody in a business without staff."""

    staff_id: int | None
    name: str | None


@dataclass(frozen=True, slots=True)
class Room:
    """A resource to book alongside the staff member."""

    id: int
    name: str
    capacity: int


@dataclass(frozen=True, slots=True)
class Busy:
    """A non-cancelled appointment as the calendar sees it."""

    appointment_id: int
    staff_id: int | None
    resource_id: int | None
    client_id: int
    start: datetime
    end: datetime
    held_until: datetime
    service_name: str
    client_name: str


@dataclass(frozen=True, slots=True)
class Window:
    """A wished-for period: the client's time and how long staff/resource stay busy."""

    start: datetime
    end: datetime
    held_until: datetime

    @classmethod
    def at(cls, start: datetime, duration: int, buffer: int) -> Window:
        end = start + timedelta(minutes=duration)
        return cls(start, end, end + timedelta(minutes=buffer))


def lanes_for(session: Session, service: Service, staff: Ref | None) -> list[Lane]:
    """The staff who may perform ``service`` (one when ``staff`` is given), by name."""
    qualified = set(
        session.scalars(
            sa.select(ServiceStaff.staff_id).where(ServiceStaff.service_id == service.id)
        ).all()
    )
    if staff is not None:
        member = resolve_staff(session, staff)
        if not member.active:
            raise Invalid(f"{member.name} is no longer active, so cannot be booked.", field="staff")
        if qualified and member.id not in qualified:
            names = sorted(
                session.scalars(sa.select(Staff.name).where(Staff.id.in_(qualified))).all()
            )
            raise Invalid(
                f"{member.name} doesn't do {service.name}; it is done by {', '.join(names)}.",
                field="staff",
            )
        return [Lane(member.id, member.name)]
    team = session.scalars(
        sa.select(Staff).where(Staff.active.is_(True)).order_by(Staff.name, Staff.id)
    ).all()
    lanes = [Lane(s.id, s.name) for s in team if not qualified or s.id in qualified]
    if lanes:
        return lanes
    if team or qualified:
        raise Invalid(f"Nobody active performs {service.name} at the moment.", field="service")
    return [Lane(None, None)]


def active_resource(session: Session, reference: Ref | None) -> Room | None:
    if reference is None:
        return None
    resource = resolve_resource(session, reference)
    if not resource.active:
        raise Invalid(
            f"{resource.name} is switched off (inactive), so cannot be booked.", field="resource"
        )
    return Room(resource.id, resource.name, resource.capacity)


class Calendar:
    """Availability facts for the local days ``first`` to ``last`` (a day either side too)."""

    def __init__(self, session: Session, context: ServiceContext, first: date, last: date):
        self.tz = context.tz
        self.now = context.now().astimezone(UTC)
        # portal users are not told who else is booked or why time is blocked
        self.private = context.role is Role.CLIENT
        start = t.instant(first - timedelta(days=1), time(0), self.tz)
        end = t.instant(last + timedelta(days=2), time(0), self.tz)
        self._opening: dict[int, list[tuple[time, time]]] = defaultdict(list)
        for row in session.scalars(sa.select(OpeningHours).order_by(OpeningHours.opens)):
            self._opening[row.weekday].append((row.opens, row.closes))
        self._exceptions = {
            row.day: row
            for row in session.scalars(
                sa.select(HoursException).where(
                    HoursException.day.between(first - timedelta(days=1), last + timedelta(days=1))
                )
            )
        }
        self._working: dict[int, dict[int, list[tuple[time, time]]]] = defaultdict(
            lambda: defaultdict(list)
        )
        for wh in session.scalars(sa.select(WorkingHours).order_by(WorkingHours.starts)):
            self._working[wh.staff_id][wh.weekday].append((wh.starts, wh.ends))
        self.blocks = list(
            session.scalars(
                sa.select(BlockedTime)
                .where(BlockedTime.starts_at < end, BlockedTime.ends_at > start)
                .order_by(BlockedTime.starts_at)
            )
        )
        self.busy = self._load_busy(session, start, end)

    @staticmethod
    def _load_busy(session: Session, start: datetime, end: datetime) -> list[Busy]:
        rows = session.execute(
            sa.select(
                Appointment.id,
                Appointment.staff_id,
                Appointment.resource_id,
                Appointment.client_id,
                Appointment.starts_at,
                Appointment.ends_at,
                Service.name,
                Service.buffer_minutes,
                Client.first_name,
                Client.last_name,
            )
            .join(Service, Service.id == Appointment.service_id)
            .join(Client, Client.id == Appointment.client_id)
            .where(
                Appointment.status != AppointmentStatus.CANCELLED,
                Appointment.starts_at < end,
                Appointment.ends_at > start,
            )
        ).all()
        return [
            Busy(
                appointment_id=row[0],
                staff_id=row[1],
                resource_id=row[2],
                client_id=row[3],
                start=row[4],
                end=row[5],
                held_until=row[5] + timedelta(minutes=row[7]),
                service_name=row[6],
                client_name=f"{row[8]} {row[9]}".strip(),
            )
            for row in rows
        ]

    # -- hours --------------------------------------------------------------------------

    def opening(self, day: date) -> list[tuple[time, time]]:
        """Local opening periods of ``day`` (an exception replaces the weekly hours)."""
        exception = self._exceptions.get(day)
        if exception is not None:
            if exception.closed:
                return []
            if exception.opens is not None and exception.closes is not None:
                return [(exception.opens, exception.closes)]
        return list(self._opening.get(day.weekday(), []))

    def closed_reason(self, day: date) -> str | None:
        """Why the business is shut all ``day``, or ``None`` when it opens."""
        if self.opening(day):
            return None
        exception = self._exceptions.get(day)
        why = f" ({exception.reason})" if exception is not None and exception.reason else ""
        return f"The business is closed on {t.short_day(day)}{why}."

    def open_spans(self, day: date) -> list[t.Span]:
        spans = (t.period(day, opens, closes, self.tz) for opens, closes in self.opening(day))
        return [s for s in spans if s is not None]

    def working_spans(self, day: date, lane: Lane) -> list[t.Span]:
        """When ``lane`` can work on ``day``: opening hours, narrowed by their own template."""
        opened = self.open_spans(day)
        if lane.staff_id is None or lane.staff_id not in self._working:
            return opened
        periods = self._working[lane.staff_id].get(day.weekday(), [])
        own = [p for p in (t.period(day, a, b, self.tz) for a, b in periods) if p is not None]
        return t.intersect(opened, own)

    def blocks_for(self, lane: Lane, room: Room | None) -> list[BlockedTime]:
        return [
            b
            for b in self.blocks
            if (b.staff_id is None and b.resource_id is None)
            or (b.staff_id is not None and b.staff_id == lane.staff_id)
            or (room is not None and b.resource_id == room.id)
        ]

    def free_spans(self, day: date, lane: Lane, room: Room | None) -> list[t.Span]:
        """Working time of ``lane`` on ``day`` minus the blocks that concern it."""
        cuts = [(b.starts_at, b.ends_at) for b in self.blocks_for(lane, room)]
        return t.subtract(self.working_spans(day, lane), cuts)

    # -- checks -------------------------------------------------------------------------

    def problem(
        self,
        want: Window,
        lane: Lane,
        room: Room | None,
        *,
        client_id: int | None = None,
        ignore: frozenset[int] = frozenset(),
        check_hours: bool = True,
    ) -> str | None:
        """Why ``want`` cannot be booked with ``lane``/``room``, or ``None`` when it can."""
        if check_hours:
            reason = self._hours_problem(want, lane, room)
            if reason:
                return reason
        return self._booking_problem(want, lane, room, client_id=client_id, ignore=ignore)

    def _hours_problem(self, want: Window, lane: Lane, room: Room | None) -> str | None:
        day = want.start.astimezone(self.tz).date()
        closed = self.closed_reason(day)
        if closed:
            return closed
        span = (want.start, want.end)
        if not t.inside(span, self.open_spans(day)):
            hours = ", ".join(f"{t.clock_time(a)}-{t.clock_time(b)}" for a, b in self.opening(day))
            return f"That is outside opening hours ({hours} on {day:%A})."
        if not t.inside(span, self.working_spans(day, lane)):
            return f"{lane.name} doesn't work then ({self._describe_hours(day, lane)})."
        for block in self.blocks_for(lane, room):
            if t.overlaps(span, (block.starts_at, block.ends_at)):
                if self.private:
                    return "That time is not available."
                whose = ""
                if block.staff_id is not None:
                    whose = f" for {lane.name}"
                elif block.resource_id is not None and room is not None:
                    whose = f" for {room.name}"
                why = f" ({block.reason})" if block.reason else ""
                return (
                    f"That time is blocked{whose}{why} from "
                    f"{t.short_when(block.starts_at, self.tz)} to "
                    f"{t.short_when(block.ends_at, self.tz)}."
                )
        return None

    def _describe_hours(self, day: date, lane: Lane) -> str:
        spans = self.working_spans(day, lane)
        if not spans:
            return f"not on {day:%A}s"
        text = ", ".join(f"{t.clock_time(a, self.tz)}-{t.clock_time(b, self.tz)}" for a, b in spans)
        return f"works {text} on {day:%A}"

    def _booking_problem(
        self,
        want: Window,
        lane: Lane,
        room: Room | None,
        *,
        client_id: int | None,
        ignore: frozenset[int],
        among: list[Busy] | None = None,
    ) -> str | None:
        held = (want.start, want.held_until)
        in_room = 0
        for busy in self.busy if among is None else among:
            if busy.appointment_id in ignore:
                continue
            if busy.staff_id == lane.staff_id and t.overlaps(held, (busy.start, busy.held_until)):
                who = lane.name or "The diary"
                if self.private:
                    return f"{who} is already booked at {t.short_when(want.start, self.tz)}."
                return (
                    f"{who} is already booked from {t.short_when(busy.start, self.tz)} to "
                    f"{t.clock_time(busy.end, self.tz)} ({busy.service_name} for "
                    f"{busy.client_name}{_buffer_note(busy)})."
                )
            if (
                client_id is not None
                and busy.client_id == client_id
                and t.overlaps((want.start, want.end), (busy.start, busy.end))
            ):
                return (
                    f"{busy.client_name} already has {busy.service_name} at "
                    f"{t.short_when(busy.start, self.tz)}."
                )
            if (
                room is not None
                and busy.resource_id == room.id
                and t.overlaps(held, (busy.start, busy.held_until))
            ):
                in_room += 1
                if in_room >= room.capacity:
                    return (
                        f"{room.name} is in use from {t.short_when(busy.start, self.tz)} to "
                        f"{t.clock_time(busy.held_until, self.tz)}."
                    )
        return None

    # -- slots --------------------------------------------------------------------------

    def slots(
        self,
        days: list[date],
        lanes: list[Lane],
        room: Room | None,
        duration: int,
        buffer: int,
        *,
        client_id: int | None = None,
        ignore: frozenset[int] = frozenset(),
    ) -> list[tuple[datetime, Lane]]:
        """Free (start, lane) pairs on ``days``, on the wall-clock grid, never in the past."""
        found: list[tuple[datetime, Lane]] = []
        for day in days:
            starts = [s for s in t.grid(day, self.tz) if s >= self.now]
            if not starts:
                continue
            reach = (starts[0], starts[-1] + timedelta(minutes=duration + buffer))
            among = [b for b in self.busy if t.overlaps(reach, (b.start, b.held_until))]
            for lane in lanes:
                spans = self.free_spans(day, lane, room)
                for start in starts:
                    want = Window.at(start, duration, buffer)
                    if (
                        t.inside((want.start, want.end), spans)
                        and self._booking_problem(
                            want, lane, room, client_id=client_id, ignore=ignore, among=among
                        )
                        is None
                    ):
                        found.append((start, lane))
        return sorted(found, key=lambda item: (item[0], item[1].name or ""))

    def add(self, busy: Busy) -> None:
        """Count a booking made in this transaction."""
        self.busy.append(busy)


def _buffer_note(busy: Busy) -> str:
    extra = t.minutes((busy.end, busy.held_until))
    return f", then {extra} minutes' buffer" if extra else ""


def lock_diary(session: Session, business_id: int) -> None:
    """Serialise bookings of one business (PostgreSQL row lock; SQLite locks on write)."""
    session.execute(sa.select(Business.id).where(Business.id == business_id).with_for_update())
