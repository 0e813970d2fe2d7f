"""Resolve human references ("Sarah Miller", "#42", "INV-0042", "ABC123") to rows.

Every resolver takes an ``int`` id or a ``str`` reference, looks only inside the session's
business, and raises :class:`NotFound` or :class:`Ambiguous` (with ranked candidates) instead of
guessing.
"""

from __future__ import annotations

import re
from datetime import datetime
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
    "Ref",
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


def _short_date(value: datetime | None) -> str:
    return f"last visit {value:%-d %b %Y}" if value else "no visits yet"


def resolve_client(session: Session, reference: Ref, *, include_deleted: bool = False) -> Client:
    """A client by id, e-mail, phone or (fuzzy) name."""
    if isinstance(reference, int):
        client = session.get(Client, reference)
        if client is None or (client.deleted_at is not None and not include_deleted):
            raise NotFound("client", f"#{reference}")
        return client
    query = sa.select(Client)
    if not include_deleted:
        query = query.where(Client.deleted_at.is_(None))
    clients = session.scalars(query).all()
    last_visits: dict[int, datetime] = dict(
        session.execute(
            sa.select(Appointment.client_id, sa.func.max(Appointment.starts_at))
            .where(Appointment.status == AppointmentStatus.COMPLETED)
            .group_by(Appointment.client_id)
        ).all()
    )
    options = [
        Option(
            c.id,
            c.full_name,
            ", ".join(filter(None, [c.email, c.phone, _short_date(last_visits.get(c.id))])),
            tuple(filter(None, [c.email, c.phone, c.company])),
        )
        for c in clients
    ]
    client_id = match_one(reference, options, "client")
    return next(c for c in clients if c.id == client_id)


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
