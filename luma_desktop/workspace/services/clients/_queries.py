"""Read queries of the clients domain: summaries, profile, timeline (no N+1: grouped queries)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Sequence
from datetime import datetime, time
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ...models import (
    Appointment,
    AppointmentStatus,
    Channel,
    Client,
    ClientNote,
    ClientTag,
    Direction,
    Invoice,
    InvoiceStatus,
    Message,
    Note,
    Payment,
    Service,
    Staff,
)
from ...values import format_money
from ._schemas import (
    AppointmentBrief,
    ClientProfile,
    ClientSummary,
    EngagementLevel,
    HistoryEntry,
    HistoryKind,
)

__all__ = [
    "HISTORY_KINDS",
    "build_profile",
    "history_entries",
    "own_clients_clause",
    "summaries",
    "tags_by_client",
]

HISTORY_KINDS: tuple[HistoryKind, ...] = ("appointment", "invoice", "payment", "message", "note")
OPEN_INVOICE = (InvoiceStatus.SENT, InvoiceStatus.PARTIALLY_PAID)


def own_clients_clause(staff_id: int | None) -> sa.ColumnElement[bool]:
    """Clients a staff member looks after or has (had) appointments with."""
    if staff_id is None:
        return sa.false()
    return sa.or_(
        Client.owner_staff_id == staff_id,
        Client.id.in_(sa.select(Appointment.client_id).where(Appointment.staff_id == staff_id)),
    )


def tags_by_client(session: Session, client_ids: Collection[int]) -> dict[int, list[str]]:
    """Each client's tags, alphabetically (one query)."""
    tags: dict[int, list[str]] = defaultdict(list)
    if client_ids:
        rows = session.execute(
            sa.select(ClientTag.client_id, ClientTag.tag)
            .where(ClientTag.client_id.in_(client_ids))
            .order_by(ClientTag.tag)
        ).all()
        for client_id, tag in rows:
            tags[client_id].append(tag)
    return tags


def summaries(
    session: Session,
    rows: Sequence[tuple[Client, datetime | None]],
    tz: ZoneInfo,
    *,
    scores: dict[int, float] | None = None,
    levels: dict[int, EngagementLevel] | None = None,
) -> list[ClientSummary]:
    """Summaries of ``(client, last visit)`` rows, with their tags."""
    tags = tags_by_client(session, [c.id for c, _ in rows])
    return [
        ClientSummary(
            id=c.id,
            name=c.full_name,
            first_name=c.first_name,
            last_name=c.last_name,
            email=c.email,
            phone=c.phone,
            company=c.company,
            lead_status=c.lead_status,
            tags=tuple(tags.get(c.id, ())),
            created_at=c.created_at.astimezone(tz),
            last_visit=last.astimezone(tz) if last else None,
            score=(scores or {}).get(c.id),
            engagement=(levels or {}).get(c.id),
            deleted=c.deleted_at is not None,
        )
        for c, last in rows
    ]


def _appointment(
    session: Session,
    client_id: int,
    tz: ZoneInfo,
    *conditions: sa.ColumnElement[bool],
    latest: bool,
) -> AppointmentBrief | None:
    order = Appointment.starts_at.desc() if latest else Appointment.starts_at.asc()
    row = session.execute(
        sa.select(Appointment, Service.name, Staff.name)
        .join(Service, Appointment.service_id == Service.id)
        .outerjoin(Staff, Appointment.staff_id == Staff.id)
        .where(Appointment.client_id == client_id, *conditions)
        .order_by(order)
        .limit(1)
    ).first()
    if row is None:
        return None
    appointment, service, staff = row
    return AppointmentBrief(
        id=appointment.id,
        starts_at=appointment.starts_at.astimezone(tz),
        service=service,
        staff=staff,
        status=appointment.status,
        confirmation_code=appointment.confirmation_code,
    )


def build_profile(
    session: Session,
    client: Client,
    *,
    now: datetime,
    tz: ZoneInfo,
    currency: str,
    show_money: bool,
) -> ClientProfile:
    """The profile of ``client``; the balance is left out when ``show_money`` is false."""
    last = _appointment(
        session,
        client.id,
        tz,
        Appointment.starts_at < now,
        Appointment.status != AppointmentStatus.CANCELLED,
        latest=True,
    )
    upcoming = _appointment(
        session,
        client.id,
        tz,
        Appointment.starts_at >= now,
        Appointment.status.in_((AppointmentStatus.REQUESTED, AppointmentStatus.CONFIRMED)),
        latest=False,
    )
    balance = None
    if show_money:
        balance = int(
            session.scalar(
                sa.select(
                    sa.func.coalesce(sa.func.sum(Invoice.total_minor - Invoice.paid_minor), 0)
                ).where(
                    Invoice.client_id == client.id,
                    Invoice.status.in_(OPEN_INVOICE),
                    Invoice.currency == currency,
                )
            )
            or 0
        )
    notes = (
        session.scalar(
            sa.select(sa.func.count())
            .select_from(ClientNote)
            .where(ClientNote.client_id == client.id)
        )
        or 0
    )
    notes += (
        session.scalar(
            sa.select(sa.func.count())
            .select_from(Note)
            .where(Note.linked_type == "client", Note.linked_id == client.id)
        )
        or 0
    )
    owner = session.get(Staff, client.owner_staff_id) if client.owner_staff_id else None
    return ClientProfile(
        id=client.id,
        name=client.full_name,
        first_name=client.first_name,
        last_name=client.last_name,
        company=client.company,
        email=client.email,
        phone=client.phone,
        address=client.address,
        birthday=client.birthday,
        lead_status=client.lead_status,
        source=client.source,
        owner_staff_id=client.owner_staff_id,
        owner_staff=owner.name if owner else None,
        created_at=client.created_at.astimezone(tz),
        tags=tuple(tags_by_client(session, [client.id]).get(client.id, ())),
        last_appointment=last,
        next_appointment=upcoming,
        balance_minor=balance,
        currency=currency,
        balance=format_money(balance, currency) if balance is not None else None,
        notes_count=notes,
        deleted_at=client.deleted_at.astimezone(tz) if client.deleted_at else None,
        merged_into_id=client.merged_into_id,
    )


def _clip(text: str | None, size: int = 120) -> str:
    flat = " ".join((text or "").split())
    return flat if len(flat) <= size else flat[: size - 1] + "…"


def _appointment_entries(session: Session, client_id: int, limit: int) -> list[HistoryEntry]:
    rows = session.execute(
        sa.select(Appointment, Service.name, Staff.name)
        .join(Service, Appointment.service_id == Service.id)
        .outerjoin(Staff, Appointment.staff_id == Staff.id)
        .where(Appointment.client_id == client_id)
        .order_by(Appointment.starts_at.desc())
        .limit(limit)
    ).all()
    return [
        HistoryEntry(
            kind="appointment",
            id=a.id,
            at=a.starts_at,
            title=f"{service}{' with ' + staff if staff else ''}",
            detail=f"code {a.confirmation_code}"
            + (f", {a.cancel_reason}" if a.cancel_reason else ""),
            status=a.status.value,
            amount_minor=a.price_minor,
            currency=a.currency,
        )
        for a, service, staff in rows
    ]


def _money_entries(
    session: Session, client_id: int, limit: int, tz: ZoneInfo
) -> list[HistoryEntry]:
    invoices = session.scalars(
        sa.select(Invoice)
        .where(Invoice.client_id == client_id)
        .order_by(Invoice.created_at.desc())
        .limit(limit)
    ).all()
    entries = [
        HistoryEntry(
            kind="invoice",
            id=i.id,
            at=i.sent_at or i.created_at,
            title=f"Invoice {i.number}",
            detail=f"{format_money(i.total_minor, i.currency)}"
            + (f", due {i.due_on:%-d %b %Y}" if i.due_on else ""),
            status=i.status.value,
            amount_minor=i.total_minor,
            currency=i.currency,
        )
        for i in invoices
    ]
    payments = session.execute(
        sa.select(Payment, Invoice.number)
        .join(Invoice, Payment.invoice_id == Invoice.id)
        .where(Invoice.client_id == client_id)
        .order_by(Payment.paid_on.desc(), Payment.id.desc())
        .limit(limit)
    ).all()
    for payment, number in payments:
        recorded = payment.created_at.astimezone(tz)
        at = (
            recorded
            if recorded.date() == payment.paid_on
            else datetime.combine(payment.paid_on, time(12), tzinfo=tz)
        )
        entries.append(
            HistoryEntry(
                kind="payment",
                id=payment.id,
                at=at,
                title=f"Payment for {number}",
                detail=f"{format_money(payment.amount_minor, payment.currency)} by "
                f"{payment.method.value.replace('_', ' ')}",
                amount_minor=payment.amount_minor,
                currency=payment.currency,
            )
        )
    return entries


def _message_and_note_entries(session: Session, client_id: int, limit: int) -> list[HistoryEntry]:
    messages = session.scalars(
        sa.select(Message)
        .where(Message.client_id == client_id)
        .order_by(Message.created_at.desc())
        .limit(limit)
    ).all()
    entries = [
        HistoryEntry(
            kind="message",
            id=m.id,
            at=m.created_at,
            title=f"{'SMS' if m.channel is Channel.SMS else 'E-mail'} "
            f"{'received' if m.direction is Direction.INBOUND else 'sent'}",
            detail=_clip(m.subject or m.body),
            status=m.direction.value,
        )
        for m in messages
    ]
    notes = session.scalars(
        sa.select(ClientNote)
        .where(ClientNote.client_id == client_id)
        .order_by(ClientNote.created_at.desc())
        .limit(limit)
    ).all()
    entries += [
        HistoryEntry(
            kind="note",
            id=n.id,
            at=n.created_at,
            title=f"{n.kind.value.capitalize()} note",
            detail=_clip(n.body),
            status=n.kind.value,
        )
        for n in notes
    ]
    linked = session.scalars(
        sa.select(Note)
        .where(Note.linked_type == "client", Note.linked_id == client_id)
        .order_by(Note.created_at.desc())
        .limit(limit)
    ).all()
    entries += [
        HistoryEntry(
            kind="note",
            id=n.id,
            at=n.created_at,
            title=n.title or "Note",
            detail=_clip(n.body),
            status="note",
        )
        for n in linked
    ]
    return entries


def history_entries(
    session: Session,
    client_id: int,
    *,
    tz: ZoneInfo,
    limit: int,
    kinds: Collection[HistoryKind],
    show_money: bool,
) -> list[HistoryEntry]:
    """The newest ``limit`` events of a client's timeline, newest first."""
    entries: list[HistoryEntry] = []
    if "appointment" in kinds:
        entries += _appointment_entries(session, client_id, limit)
    if show_money and ({"invoice", "payment"} & set(kinds)):
        entries += [e for e in _money_entries(session, client_id, limit, tz) if e.kind in kinds]
    if {"message", "note"} & set(kinds):
        entries += [
            e for e in _message_and_note_entries(session, client_id, limit) if e.kind in kinds
        ]
    entries.sort(key=lambda e: (e.at, e.id), reverse=True)
    return [e.model_copy(update={"at": e.at.astimezone(tz)}) for e in entries[:limit]]
