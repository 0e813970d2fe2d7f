"""The read side of scheduling: appointments, availability, day agenda, resources, waitlist."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ....errors import Invalid, PermissionDenied
from ...models import (
    Appointment,
    AppointmentStatus,
    BlockedTime,
    BookingLink,
    Resource,
    ResourceKind,
    Staff,
    WaitlistEntry,
    WaitlistStatus,
    WorkingHours,
)
from .._base import DomainService
from .._references import Ref, resolve_client, resolve_service, resolve_staff
from . import _time as t
from ._calendar import Calendar, Lane, active_resource, lanes_for
from ._common import find_appointment, parse_enum, portal_client_id, range_bounds, require_team
from ._describe import describe, describe_blocks, describe_link, describe_waitlist
from ._models import (
    AppointmentInfo,
    Availability,
    BlockInfo,
    BookingLinkInfo,
    DaySummary,
    Gap,
    ResourceInfo,
    ResourceList,
    Slot,
    StaffInfo,
    WaitlistEntryInfo,
    WorkingHoursInfo,
)

__all__ = ["MAX_AVAILABILITY_DAYS", "ReadOps", "Template", "template_of"]

MAX_AVAILABILITY_DAYS = 31
"""Longest range :meth:`ReadOps.check_availability` searches at once."""

Statuses = AppointmentStatus | str | Sequence[AppointmentStatus | str]
Template = dict[int, tuple[tuple[time, time], ...]]


def template_of(rows: Sequence[WorkingHours]) -> Template:
    """Working-hours rows as ``{weekday: ((start, end), ...)}``."""
    template: dict[int, list[tuple[time, time]]] = {}
    for row in sorted(rows, key=lambda r: (r.weekday, r.starts)):
        template.setdefault(row.weekday, []).append((row.starts, row.ends))
    return {day: tuple(periods) for day, periods in template.items()}


class ReadOps(DomainService):
    """Scheduling reads. Portal users see only their own appointments."""

    def list_appointments(
        self,
        start: date | datetime | None = None,
        end: date | datetime | None = None,
        *,
        staff: Ref | None = None,
        client: Ref | None = None,
        service: Ref | None = None,
        status: Statuses | None = None,
        own_only: bool = False,
        limit: int | None = None,
    ) -> list[AppointmentInfo]:
        """Appointments starting in a local range, by start time.

        Dates are whole local days (``end`` inclusive); by default today and the next six
        days. Cancelled ones are left out unless ``status`` asks for them. ``own_only``
        keeps the signed-in staff member's appointments.
        """
        with self._unit() as session:
            low, high = range_bounds(start, end, self.context)
            query = sa.select(Appointment).where(
                Appointment.starts_at >= low, Appointment.starts_at < high
            )
            own = portal_client_id(self.context)
            if own is not None:
                if client is not None and client != own:
                    raise PermissionDenied("You can only see your own appointments.")
                query = query.where(Appointment.client_id == own)
            elif client is not None:
                query = query.where(Appointment.client_id == resolve_client(session, client).id)
            if own_only:
                if self.context.staff_id is None:
                    raise PermissionDenied("Your sign-in is not linked to a staff member.")
                query = query.where(Appointment.staff_id == self.context.staff_id)
            if staff is not None:
                query = query.where(Appointment.staff_id == resolve_staff(session, staff).id)
            if service is not None:
                query = query.where(Appointment.service_id == resolve_service(session, service).id)
            query = query.where(Appointment.status.in_(self._statuses(status)))
            query = query.order_by(Appointment.starts_at, Appointment.id)
            if limit is not None:
                if limit < 1:
                    raise Invalid("The limit must be at least 1.", field="limit")
                query = query.limit(limit)
            return describe(session, self.context.tz, session.scalars(query).all())

    @staticmethod
    def _statuses(status: Statuses | None) -> list[AppointmentStatus]:
        if status is None:
            return [s for s in AppointmentStatus if s is not AppointmentStatus.CANCELLED]
        wanted = [status] if isinstance(status, str) else list(status)
        if not wanted:
            raise Invalid("Name at least one status.", field="status")
        return [parse_enum(AppointmentStatus, s, "status") for s in wanted]

    def get_appointment(self, reference: Ref, *, on: date | None = None) -> AppointmentInfo:
        """One appointment by id, "#42", confirmation code, or client name (their next one,
        or their one on ``on``)."""
        with self._unit() as session:
            row = find_appointment(session, self.context, reference, on)
            return describe(session, self.context.tz, [row])[0]

    def check_availability(
        self,
        service: Ref,
        day: date | None = None,
        *,
        last_day: date | None = None,
        staff: Ref | None = None,
        resource: Ref | None = None,
        limit: int | None = None,
    ) -> Availability:
        """Free slots for ``service`` from ``day`` (default today) to ``last_day`` (inclusive).

        Slots start on the 15-minute wall-clock grid, never in the past, one per free staff
        member who performs the service (or just ``staff``), with ``resource`` free too.
        """
        first = day or self.context.today()
        last = last_day or first
        if last < first:
            raise Invalid("The last day is before the first day.", field="last_day")
        if (last - first).days >= MAX_AVAILABILITY_DAYS:
            raise Invalid(
                f"I can check at most {MAX_AVAILABILITY_DAYS} days at a time.", field="last_day"
            )
        with self._unit() as session:
            found = resolve_service(session, service)
            if not found.active:
                raise Invalid(f"{found.name} is no longer offered.", field="service")
            lanes = lanes_for(session, found, staff)
            room = active_resource(session, resource)
            calendar = Calendar(session, self.context, first, last)
            pairs = calendar.slots(
                t.days_between(first, last),
                lanes,
                room,
                found.duration_minutes,
                found.buffer_minutes,
            )
            if limit is not None:
                pairs = pairs[: max(limit, 0)]
            tz = self.context.tz
            duration = timedelta(minutes=found.duration_minutes)
            slots = tuple(
                Slot(
                    starts_at=start.astimezone(tz),
                    ends_at=(start + duration).astimezone(tz),
                    staff_id=lane.staff_id,
                    staff_name=lane.name,
                    resource_id=room.id if room else None,
                    resource_name=room.name if room else None,
                )
                for start, lane in pairs
            )
            return Availability(
                service_id=found.id,
                service_name=found.name,
                duration_minutes=found.duration_minutes,
                buffer_minutes=found.buffer_minutes,
                first_day=first,
                last_day=last,
                slots=slots,
            )

    def day_summary(self, day: date | None = None, *, staff: Ref | None = None) -> DaySummary:
        """The agenda of a local day: appointments, free gaps, first/last, utilisation."""
        require_team(self.context, "see the day's agenda")
        day = day or self.context.today()
        with self._unit() as session:
            lanes = self._summary_lanes(session, staff)
            calendar = Calendar(session, self.context, day, day)
            low, high = range_bounds(day, None, self.context)
            query = sa.select(Appointment).where(
                Appointment.starts_at >= low,
                Appointment.starts_at < high,
                Appointment.status != AppointmentStatus.CANCELLED,
            )
            if staff is not None:
                query = query.where(Appointment.staff_id == lanes[0].staff_id)
            rows = session.scalars(query.order_by(Appointment.starts_at, Appointment.id)).all()
            gaps, open_minutes = self._gaps(calendar, day, lanes, rows)
            booked = sum(t.minutes((r.starts_at, r.ends_at)) for r in rows)
            tz = self.context.tz
            return DaySummary(
                day=day,
                open=bool(calendar.opening(day)),
                closed_reason=calendar.closed_reason(day),
                opening=tuple(calendar.opening(day)),
                staff_id=lanes[0].staff_id if staff is not None else None,
                staff_name=lanes[0].name if staff is not None else None,
                appointments=tuple(describe(session, tz, rows)),
                gaps=tuple(gaps),
                first_starts_at=rows[0].starts_at.astimezone(tz) if rows else None,
                last_ends_at=max(r.ends_at for r in rows).astimezone(tz) if rows else None,
                booked_minutes=booked,
                open_minutes=open_minutes,
                utilisation=round(booked / open_minutes, 3) if open_minutes else 0.0,
            )

    @staticmethod
    def _summary_lanes(session: Session, staff: Ref | None) -> list[Lane]:
        if staff is not None:
            member = resolve_staff(session, staff)
            return [Lane(member.id, member.name)]
        team = session.scalars(
            sa.select(Staff).where(Staff.active.is_(True)).order_by(Staff.name, Staff.id)
        ).all()
        return [Lane(s.id, s.name) for s in team] or [Lane(None, None)]

    def _gaps(
        self, calendar: Calendar, day: date, lanes: list[Lane], rows: Sequence[Appointment]
    ) -> tuple[list[Gap], int]:
        tz = self.context.tz
        gaps: list[Gap] = []
        open_minutes = 0
        for lane in lanes:
            free = calendar.free_spans(day, lane, None)
            open_minutes += sum(t.minutes(span) for span in free)
            taken = [(r.starts_at, r.ends_at) for r in rows if r.staff_id == lane.staff_id]
            for span in t.subtract(free, taken):
                if t.minutes(span) >= t.SLOT_MINUTES:
                    gaps.append(
                        Gap(
                            starts_at=span[0].astimezone(tz),
                            ends_at=span[1].astimezone(tz),
                            minutes=t.minutes(span),
                            staff_id=lane.staff_id,
                            staff_name=lane.name,
                        )
                    )
        gaps.sort(key=lambda g: (g.starts_at, g.staff_name or ""))
        return gaps, open_minutes

    def list_resources(
        self, kind: ResourceKind | str | None = None, *, include_inactive: bool = False
    ) -> ResourceList:
        """Bookable staff and rooms/chairs/equipment; ``kind`` "staff" or a resource kind."""
        wanted = None if kind is None or kind == "staff" else parse_enum(ResourceKind, kind, "kind")
        with self._unit() as session:
            staff: list[StaffInfo] = []
            if kind is None or kind == "staff":
                query = sa.select(Staff).order_by(Staff.name, Staff.id)
                if not include_inactive:
                    query = query.where(Staff.active.is_(True))
                with_hours = set(session.scalars(sa.select(WorkingHours.staff_id)).all())
                staff = [
                    StaffInfo(
                        id=s.id,
                        name=s.name,
                        title=s.title,
                        active=s.active,
                        has_working_hours=s.id in with_hours,
                    )
                    for s in session.scalars(query)
                ]
            resources: list[ResourceInfo] = []
            if kind != "staff":
                query_r = sa.select(Resource).order_by(Resource.kind, Resource.name)
                if wanted is not None:
                    query_r = query_r.where(Resource.kind == wanted)
                if not include_inactive:
                    query_r = query_r.where(Resource.active.is_(True))
                resources = [ResourceInfo.model_validate(r) for r in session.scalars(query_r)]
            return ResourceList(staff=tuple(staff), resources=tuple(resources))

    def list_blocked_times(
        self,
        start: date | datetime | None = None,
        end: date | datetime | None = None,
        *,
        staff: Ref | None = None,
    ) -> list[BlockInfo]:
        """Blocks overlapping a local range (default the next 30 days); with ``staff``, theirs
        and the business-wide ones."""
        require_team(self.context, "see blocked times")
        with self._unit() as session:
            low, high = range_bounds(start, end, self.context, default_days=30)
            query = sa.select(BlockedTime).where(
                BlockedTime.starts_at < high, BlockedTime.ends_at > low
            )
            if staff is not None:
                member = resolve_staff(session, staff)
                query = query.where(
                    (BlockedTime.staff_id == member.id)
                    | (BlockedTime.staff_id.is_(None) & BlockedTime.resource_id.is_(None))
                )
            rows = session.scalars(query.order_by(BlockedTime.starts_at, BlockedTime.id)).all()
            return describe_blocks(session, self.context.tz, rows)

    def get_booking_link(
        self, *, service: Ref | None = None, staff: Ref | None = None
    ) -> BookingLinkInfo | None:
        """The existing public booking link for a service, staff member, both, or the whole
        business (neither); ``None`` when there is none yet (see ``create_booking_link``)."""
        with self._unit() as session:
            service_id = resolve_service(session, service).id if service is not None else None
            staff_id = resolve_staff(session, staff).id if staff is not None else None
            link = session.scalars(
                sa.select(BookingLink)
                .where(
                    BookingLink.service_id.is_(None)
                    if service_id is None
                    else BookingLink.service_id == service_id,
                    BookingLink.staff_id.is_(None)
                    if staff_id is None
                    else BookingLink.staff_id == staff_id,
                )
                .order_by(BookingLink.id)
            ).first()
            return describe_link(session, link) if link is not None else None

    def list_waitlist(
        self, *, service: Ref | None = None, day: date | None = None, include_closed: bool = False
    ) -> list[WaitlistEntryInfo]:
        """Clients waiting for a slot, first come first served; ``day`` matches entries
        for that day or for any day."""
        require_team(self.context, "see the waitlist")
        with self._unit() as session:
            query = sa.select(WaitlistEntry)
            if not include_closed:
                query = query.where(
                    WaitlistEntry.status.in_([WaitlistStatus.WAITING, WaitlistStatus.OFFERED])
                )
            if service is not None:
                query = query.where(
                    WaitlistEntry.service_id == resolve_service(session, service).id
                )
            if day is not None:
                query = query.where(
                    WaitlistEntry.preferred_day.is_(None) | (WaitlistEntry.preferred_day == day)
                )
            rows = session.scalars(query.order_by(WaitlistEntry.created_at, WaitlistEntry.id))
            return describe_waitlist(session, self.context.tz, rows.all())

    def get_working_hours(self, staff: Ref) -> WorkingHoursInfo:
        """A staff member's weekly template (empty: they work the business's hours)."""
        with self._unit() as session:
            member = resolve_staff(session, staff)
            rows = session.scalars(
                sa.select(WorkingHours).where(WorkingHours.staff_id == member.id)
            ).all()
            return WorkingHoursInfo(
                staff_id=member.id, staff_name=member.name, template=template_of(rows)
            )
