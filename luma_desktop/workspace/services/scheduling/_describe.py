"""Turn scheduling rows into the typed results (names loaded in one query per kind)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ...models import (
    Appointment,
    BlockedTime,
    BookingLink,
    Client,
    Resource,
    Service,
    Staff,
    WaitlistEntry,
)
from ...values import format_money
from . import _time as t
from ._models import (
    AppointmentInfo,
    AppointmentState,
    BlockInfo,
    BookingLinkInfo,
    WaitlistEntryInfo,
)

__all__ = ["describe", "describe_blocks", "describe_link", "describe_waitlist", "state_of"]


def state_of(row: Appointment, tz: ZoneInfo) -> AppointmentState:
    """The movable part of an appointment (what an undo restores)."""
    return AppointmentState(
        status=row.status,
        starts_at=row.starts_at.astimezone(tz),
        ends_at=row.ends_at.astimezone(tz),
        staff_id=row.staff_id,
        resource_id=row.resource_id,
        cancel_reason=row.cancel_reason,
    )


def _names(
    session: Session, model: type[Staff] | type[Service] | type[Resource], ids: Iterable[int | None]
) -> dict[int, str]:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    query = sa.select(model.id, model.name).where(model.id.in_(wanted))
    return dict(session.execute(query).all())


def _client_names(session: Session, ids: Iterable[int]) -> dict[int, str]:
    wanted = set(ids)
    if not wanted:
        return {}
    return {
        c.id: c.full_name for c in session.scalars(sa.select(Client).where(Client.id.in_(wanted)))
    }


def describe(session: Session, tz: ZoneInfo, rows: Sequence[Appointment]) -> list[AppointmentInfo]:
    """Appointment rows as :class:`AppointmentInfo`, times in ``tz``."""
    clients = _client_names(session, (r.client_id for r in rows))
    services = _names(session, Service, (r.service_id for r in rows))
    staff = _names(session, Staff, (r.staff_id for r in rows))
    resources = _names(session, Resource, (r.resource_id for r in rows))
    out = []
    for r in rows:
        start, end = r.starts_at.astimezone(tz), r.ends_at.astimezone(tz)
        service = services.get(r.service_id, "Appointment")
        client = clients.get(r.client_id, "a client")
        staff_name = staff.get(r.staff_id) if r.staff_id is not None else None
        with_staff = f" with {staff_name}" if staff_name else ""
        out.append(
            AppointmentInfo(
                id=r.id,
                confirmation_code=r.confirmation_code,
                status=r.status,
                starts_at=start,
                ends_at=end,
                duration_minutes=t.minutes((r.starts_at, r.ends_at)),
                client_id=r.client_id,
                client_name=client,
                service_id=r.service_id,
                service_name=service,
                staff_id=r.staff_id,
                staff_name=staff_name,
                resource_id=r.resource_id,
                resource_name=resources.get(r.resource_id) if r.resource_id is not None else None,
                price_minor=r.price_minor,
                currency=r.currency,
                price=format_money(r.price_minor, r.currency),
                notes=r.notes,
                cancel_reason=r.cancel_reason,
                recurrence_group=r.recurrence_group,
                reminder_sent_at=r.reminder_sent_at.astimezone(tz) if r.reminder_sent_at else None,
                created_at=r.created_at.astimezone(tz),
                summary=(
                    f"{service} for {client}{with_staff}, {t.short_when(start, tz)}-"
                    f"{t.clock_time(end)} ({r.status.value.replace('_', '-')})"
                ),
            )
        )
    return out


def describe_blocks(session: Session, tz: ZoneInfo, rows: Sequence[BlockedTime]) -> list[BlockInfo]:
    staff = _names(session, Staff, (b.staff_id for b in rows))
    resources = _names(session, Resource, (b.resource_id for b in rows))
    return [
        BlockInfo(
            id=b.id,
            starts_at=b.starts_at.astimezone(tz),
            ends_at=b.ends_at.astimezone(tz),
            scope="staff"
            if b.staff_id is not None
            else ("resource" if b.resource_id is not None else "business"),
            staff_id=b.staff_id,
            staff_name=staff.get(b.staff_id) if b.staff_id is not None else None,
            resource_id=b.resource_id,
            resource_name=resources.get(b.resource_id) if b.resource_id is not None else None,
            reason=b.reason,
        )
        for b in rows
    ]


def describe_waitlist(
    session: Session, tz: ZoneInfo, rows: Sequence[WaitlistEntry]
) -> list[WaitlistEntryInfo]:
    clients = _client_names(session, (w.client_id for w in rows))
    services = _names(session, Service, (w.service_id for w in rows))
    staff = _names(session, Staff, (w.staff_id for w in rows))
    return [
        WaitlistEntryInfo(
            id=w.id,
            client_id=w.client_id,
            client_name=clients.get(w.client_id, "a client"),
            service_id=w.service_id,
            service_name=services.get(w.service_id, "a service"),
            staff_id=w.staff_id,
            staff_name=staff.get(w.staff_id) if w.staff_id is not None else None,
            preferred_day=w.preferred_day,
            notes=w.notes,
            status=w.status,
            created_at=w.created_at.astimezone(tz),
        )
        for w in rows
    ]


def describe_link(session: Session, link: BookingLink) -> BookingLinkInfo:
    service = session.get(Service, link.service_id) if link.service_id is not None else None
    staff = session.get(Staff, link.staff_id) if link.staff_id is not None else None
    return BookingLinkInfo(
        id=link.id,
        code=link.code,
        url=link.url,
        service_id=link.service_id,
        service_name=service.name if service else None,
        staff_id=link.staff_id,
        staff_name=staff.name if staff else None,
    )
