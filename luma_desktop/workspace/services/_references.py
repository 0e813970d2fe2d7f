"""Resolve human references ("Sarah Miller", "#42", "INV-0042", "ABC123") to rows.

Every resolver takes an ``int`` id or a ``str`` reference, looks only inside the session's
business, and raises :class:`NotFound` or :class:`Ambiguous` (with ranked candidates) instead of
guessing.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, tzinfo
from typing import TypeVar

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ...errors import NotFound
from ..models import (
    Appointment,
    AppointmentStatus,
    BankAccount,
    Client,
    Invoice,
    Payee,
    Quote,
    Resource,
    Service,
    Staff,
)
from ._matching import Option, match_one

__all__ = [
    "VISIT_STATUSES",
    "Ref",
    "last_visit_subquery",
    "parse_number_reference",
    "resolve_account",
    "resolve_appointment",
    "resolve_client",
    "resolve_invoice",
    "resolve_payee",
    "resolve_quote",
    "resolve_resource",
    "resolve_service",
    "resolve_staff",
]

Ref = int | str
"""An id, or what a person calls the record."""

_HASH_NUMBER = re.compile(r"^\s*(?:#|no\.?\s*|number\s+)?(\d+)\s*$", re.IGNORECASE)
_PREFIXED = re.compile(r"^\s*([A-Za-z]{1,6})[-\s]?(\d+)\s*$")


def parse_number_reference(reference: str) -> int | None:
    """``"#42"``, ``"42"``, ``"no. 42"``, ``"INV-0042"`` → 42; anything else → ``None``."""
    for pattern in (_HASH_NUMBER, _PREFIXED):
        match = pattern.match(reference)
        if match:
            return int(match.groups()[-1])
    return None


VISIT_STATUSES = (AppointmentStatus.CONFIRMED, AppointmentStatus.COMPLETED)
"""Appointments that count as a visit once they have started."""


def last_visit_subquery(now: datetime | None) -> sa.Subquery:
    """``(client_id, last_visit)`` of every client who has had a visit before ``now``.

    Without ``now`` (no clock at hand) only completed appointments count: those have happened.
    """
    happened = (
        Appointment.status == AppointmentStatus.COMPLETED
        if now is None
        else sa.and_(Appointment.status.in_(VISIT_STATUSES), Appointment.starts_at <= now)
    )
    return (
        sa.select(
            Appointment.client_id.label("client_id"),
            sa.func.max(Appointment.starts_at).label("last_visit"),
        )
        .where(happened)
        .group_by(Appointment.client_id)
        .subquery("last_visits")
    )


def _client_option(client: Client, last_visit: datetime | None, tz: tzinfo) -> Option:
    seen = f"last visit {last_visit.astimezone(tz):%-d %b %Y}" if last_visit else "no visits yet"
    return Option(
        client.id,
        client.full_name,
        ", ".join(filter(None, [client.email, client.phone, seen])),
        tuple(filter(None, [client.email, client.phone, client.company])),
    )


def _named_exactly(text: str) -> sa.ColumnElement[bool]:
    """Clients whose name, e-mail, phone or company is ``text`` (trimmed, in any case)."""
    names = (Client.first_name + " " + Client.last_name, Client.email, Client.phone, Client.company)
    return sa.or_(*(sa.func.lower(sa.func.trim(name)) == text for name in names))


def resolve_client(
    session: Session,
    reference: Ref,
    *,
    include_deleted: bool = False,
    among: sa.ColumnElement[bool] | None = None,
    now: datetime | None = None,
) -> Client:
    """A client by id, e-mail, phone or (fuzzy) name.

    ``among`` limits the clients a text reference may mean (e.g. a staff member's own); an id
    is looked up regardless, so that the caller can say why it refuses it. Candidates show
    their last visit before ``now``, as a date in ``now``'s timezone (see
    :func:`last_visit_subquery`). A name, e-mail, phone or company given exactly (trimmed, in
    any case) is found with one small query; only otherwise are all clients ranked fuzzily.
    """
    if isinstance(reference, int):
        client = session.get(Client, reference)
        if client is None or (client.deleted_at is not None and not include_deleted):
            raise NotFound("client", f"#{reference}")
        return client
    visits = last_visit_subquery(now)
    query = sa.select(Client, visits.c.last_visit).outerjoin(
        visits, visits.c.client_id == Client.id
    )
    if not include_deleted:
        query = query.where(Client.deleted_at.is_(None))
    if among is not None:
        query = query.where(among)
    wanted = reference.strip().lower()
    # Exact names beat fuzzy ones in match_one, so the exact rows alone give the same answer.
    rows = session.execute(query.where(_named_exactly(wanted))).all() if wanted else []
    if not rows:
        rows = session.execute(query).all()
    tz = (now.tzinfo if now is not None else None) or UTC
    chosen = match_one(reference, [_client_option(c, last, tz) for c, last in rows], "client")
    clients: dict[int, Client] = {c.id: c for c, _ in rows}
    return clients[chosen]


NamedT = TypeVar("NamedT", Staff, Service, Resource, Payee, BankAccount)
NumberedT = TypeVar("NumberedT", Invoice, Quote)


def _by_name(
    session: Session, model: type[NamedT], reference: Ref, kind: str, detail: str = ""
) -> NamedT:
    if isinstance(reference, int):
        row = session.get(model, reference)
        if row is None:
            raise NotFound(kind, f"#{reference}")
        return row
    rows = session.scalars(sa.select(model)).all()
    options = [Option(r.id, r.name, str(getattr(r, detail, "") or "")) for r in rows]
    row_id = match_one(reference, options, kind)
    return next(r for r in rows if r.id == row_id)


def resolve_staff(session: Session, reference: Ref) -> Staff:
    """A staff member by id or (fuzzy) name."""
    return _by_name(session, Staff, reference, "staff member", "title")


def resolve_service(session: Session, reference: Ref) -> Service:
    """A service by id or (fuzzy) name ("cut" finds "Haircut")."""
    return _by_name(session, Service, reference, "service", "category")


def resolve_resource(session: Session, reference: Ref) -> Resource:
    """A room, chair or piece of equipment by id or (fuzzy) name."""
    return _by_name(session, Resource, reference, "resource", "kind")


def resolve_payee(session: Session, reference: Ref) -> Payee:
    """A saved payee by id or (fuzzy) name."""
    return _by_name(session, Payee, reference, "payee", "iban")


def resolve_account(session: Session, reference: Ref) -> BankAccount:
    """One of the business's bank accounts by id or (fuzzy) name."""
    return _by_name(session, BankAccount, reference, "bank account", "iban")


def _numbered(session: Session, model: type[NumberedT], reference: Ref, kind: str) -> NumberedT:
    if isinstance(reference, int):
        row = session.get(model, reference)
        if row is None:
            raise NotFound(kind, f"#{reference}")
        return row
    exact = session.scalars(
        sa.select(model).where(sa.func.upper(model.number) == reference.strip().upper())
    ).first()
    if exact is not None:
        return exact
    number = parse_number_reference(reference)
    if number is not None:
        for row in session.scalars(sa.select(model)).all():
            if parse_number_reference(row.number) == number:
                return row
    raise NotFound(kind, reference)


def resolve_invoice(session: Session, reference: Ref) -> Invoice:
    """An invoice by id, number ("INV-0042") or spoken number ("#42", "42")."""
    return _numbered(session, Invoice, reference, "invoice")


def resolve_quote(session: Session, reference: Ref) -> Quote:
    """A quote by id, number ("Q-0007") or spoken number."""
    return _numbered(session, Quote, reference, "quote")


def resolve_appointment(session: Session, reference: Ref) -> Appointment:
    """An appointment by id or confirmation code."""
    if isinstance(reference, int):
        row = session.get(Appointment, reference)
    else:
        code = reference.strip().upper()
        row = session.scalars(
            sa.select(Appointment).where(Appointment.confirmation_code == code)
        ).first()
        spoken_number = _HASH_NUMBER.match(reference)
        if row is None and spoken_number:
            row = session.get(Appointment, int(spoken_number.group(1)))
    if row is None:
        raise NotFound("appointment", reference)
    return row
