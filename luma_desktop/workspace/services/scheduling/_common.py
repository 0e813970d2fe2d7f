"""Helpers the scheduling operations share: portal scoping, lookups, describing rows."""

from __future__ import annotations

import enum
from datetime import UTC, date, datetime, timedelta
from typing import TypeVar

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ....errors import Ambiguous, Candidate, Invalid, NotFound, PermissionDenied
from ...models import Appointment, AppointmentStatus, Role, Service
from ...values import local_day_bounds
from .._base import ServiceContext
from .._references import Ref, parse_number_reference, resolve_appointment, resolve_client
from . import _time as t

__all__ = [
    "ACTIVE",
    "find_appointment",
    "is_portal",
    "iso",
    "parse_enum",
    "portal_client_id",
    "range_bounds",
    "record_id",
    "require_team",
]

ACTIVE = (AppointmentStatus.REQUESTED, AppointmentStatus.CONFIRMED)
"""Statuses that hold a place in the diary and can still change."""

EnumT = TypeVar("EnumT", bound=enum.StrEnum)


def is_portal(context: ServiceContext) -> bool:
    return context.role is Role.CLIENT


def portal_client_id(context: ServiceContext) -> int | None:
    """The client a portal user is (``None`` for team members)."""
    if not is_portal(context):
        return None
    if context.client_id is None:
        raise PermissionDenied(
            "Your sign-in is not linked to a client record, so I can't show or change appointments."
        )
    return context.client_id


def require_team(context: ServiceContext, action: str) -> None:
    """Refuse client-portal users for team-only operations."""
    if is_portal(context):
        raise PermissionDenied(f"Only the business's team can {action}.")


def parse_enum(kind: type[EnumT], value: EnumT | str, field: str) -> EnumT:
    """``value`` as a member of ``kind``; a clear error listing the choices otherwise."""
    try:
        return kind(value.strip().lower().replace(" ", "_") if isinstance(value, str) else value)
    except ValueError as exc:
        choices = ", ".join(m.value for m in kind)
        raise Invalid(
            f"“{value}” is not a valid {field}; use one of: {choices}.", field=field
        ) from exc


def iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def find_appointment(
    session: Session, context: ServiceContext, reference: Ref, on: date | None = None
) -> Appointment:
    """An appointment by id, "#42", confirmation code or client name (next one / on ``on``).

    Portal users only ever find their own appointments, by id or code (others' are "not
    found", and names of other clients are never searched).
    """
    own = portal_client_id(context)
    try:
        row = resolve_appointment(session, reference)
    except NotFound:
        if (
            own is not None
            or not isinstance(reference, str)
            or parse_number_reference(reference) is not None
        ):
            raise
        row = _by_client_name(session, context, reference, on)
    if own is not None and row.client_id != own:
        raise NotFound("appointment", reference)
    if on is not None and row.starts_at.astimezone(context.tz).date() != on:
        raise NotFound("appointment", f"{reference} on {t.short_day(on)}")
    return row


def _by_client_name(
    session: Session, context: ServiceContext, name: str, on: date | None
) -> Appointment:
    try:
        client = resolve_client(session, name)
    except NotFound:
        raise NotFound("appointment", name) from None
    query = sa.select(Appointment).where(Appointment.client_id == client.id)
    if on is not None:
        start, end = local_day_bounds(on, context.tz)
        query = query.where(Appointment.starts_at >= start, Appointment.starts_at < end)
    else:
        query = query.where(Appointment.starts_at >= context.now(), Appointment.status.in_(ACTIVE))
    rows = session.scalars(query.order_by(Appointment.starts_at, Appointment.id)).all()
    if not rows:
        when = f" on {t.short_day(on)}" if on else " coming up"
        raise NotFound("appointment", f"{client.full_name}{when}")
    if on is not None and len(rows) > 1:
        services = dict(session.execute(sa.select(Service.id, Service.name)).all())
        candidates = [
            Candidate(
                r.id,
                f"{services.get(r.service_id, 'Appointment')} at "
                f"{t.clock_time(r.starts_at, context.tz)}",
                r.confirmation_code,
            )
            for r in rows
        ]
        raise Ambiguous("appointment", f"{client.full_name} on {t.short_day(on)}", candidates)
    return rows[0]


def range_bounds(
    start: date | datetime | None,
    end: date | datetime | None,
    context: ServiceContext,
    *,
    default_days: int = 7,
    max_days: int = 366,
) -> tuple[datetime, datetime]:
    """UTC bounds of a local range. Dates mean whole local days (``end`` inclusive).

    Nothing given: today and the ``default_days - 1`` days after. Only ``start``: that day
    (to the end of its local day for a datetime).
    """
    tz = context.tz
    if start is None:
        low = local_day_bounds(context.today(), tz)[0]
    elif isinstance(start, datetime):
        low = t.as_utc(start, tz, "start")
    else:
        low = local_day_bounds(start, tz)[0]
    if end is None:
        last = (
            context.today() + timedelta(days=default_days - 1)
            if start is None
            else low.astimezone(tz).date()
        )
        high = local_day_bounds(last, tz)[1]
    elif isinstance(end, datetime):
        high = t.as_utc(end, tz, "end")
    else:
        high = local_day_bounds(end, tz)[1]
    if high <= low:
        raise Invalid("The end of the period is before its start.", field="end")
    if high - low > timedelta(days=max_days):
        raise Invalid(f"Please ask for at most {max_days} days at a time.", field="end")
    return low.astimezone(UTC), high.astimezone(UTC)


def record_id(reference: Ref, kind: str) -> int:
    """An id from ``12`` or ``"#12"``; a clear error for anything else."""
    if isinstance(reference, int):
        return reference
    number = parse_number_reference(reference)
    if number is None:
        raise NotFound(kind, reference)
    return number
