"""Whole-record work: the JSON export written before a delete, atomic files, merge moves."""

from __future__ import annotations

import enum
import json
import os
import re
import tempfile
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, cast

import sqlalchemy as sa
from sqlalchemy.engine import CursorResult
from sqlalchemy.orm import Session

from ....errors import Invalid
from ...models import (
    Appointment,
    Base,
    Client,
    ClientNote,
    ClientTag,
    Document,
    Invoice,
    InvoiceLine,
    KycSubject,
    KycVerification,
    Message,
    Note,
    Order,
    Payment,
    Quote,
    Task,
    User,
    WaitlistEntry,
)

__all__ = [
    "atomic_write",
    "client_record",
    "dump_json",
    "jsonable",
    "move_history",
    "row_dict",
    "slug",
]

_MOVED: tuple[tuple[str, type[Base], str], ...] = (
    ("appointments", Appointment, "client_id"),
    ("invoices", Invoice, "client_id"),
    ("quotes", Quote, "client_id"),
    ("messages", Message, "client_id"),
    ("client_notes", ClientNote, "client_id"),
    ("documents", Document, "client_id"),
    ("waitlist", WaitlistEntry, "client_id"),
    ("orders", Order, "client_id"),
    ("portal_users", User, "client_id"),
)
_LINKED: tuple[tuple[str, type[Task] | type[Note]], ...] = (("tasks", Task), ("notes", Note))


def jsonable(value: Any) -> Any:
    """A column value as JSON: ISO dates, enum values, decimals as text."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, Decimal):
        return str(value)
    return value


def row_dict(row: Base, *, skip: tuple[str, ...] = ("business_id",)) -> dict[str, Any]:
    """Every column of an ORM row as JSON-ready values."""
    return {
        column.key: jsonable(getattr(row, column.key))
        for column in row.__table__.columns
        if column.key not in skip
    }


def client_record(session: Session, client: Client) -> dict[str, Any]:
    """Everything about a client: profile, tags, notes, appointments, invoices (with lines and
    payments), quotes and messages — one query per table."""
    cid = client.id
    invoices = session.scalars(
        sa.select(Invoice).where(Invoice.client_id == cid).order_by(Invoice.id)
    ).all()
    invoice_ids = [i.id for i in invoices]
    lines = session.scalars(
        sa.select(InvoiceLine)
        .where(InvoiceLine.invoice_id.in_(invoice_ids))
        .order_by(InvoiceLine.position, InvoiceLine.id)
    ).all()
    payments = session.scalars(
        sa.select(Payment).where(Payment.invoice_id.in_(invoice_ids)).order_by(Payment.id)
    ).all()

    def rows(model: Any, *where: Any) -> list[dict[str, Any]]:
        return [
            row_dict(r)
            for r in session.scalars(sa.select(model).where(*where).order_by(model.id)).all()
        ]

    return {
        "client": row_dict(client),
        "tags": sorted(
            session.scalars(sa.select(ClientTag.tag).where(ClientTag.client_id == cid)).all()
        ),
        "notes": rows(ClientNote, ClientNote.client_id == cid),
        "linked_notes": rows(Note, Note.linked_type == "client", Note.linked_id == cid),
        "appointments": rows(Appointment, Appointment.client_id == cid),
        "invoices": [
            {
                **row_dict(i),
                "lines": [row_dict(line) for line in lines if line.invoice_id == i.id],
                "payments": [row_dict(p) for p in payments if p.invoice_id == i.id],
            }
            for i in invoices
        ],
        "quotes": rows(Quote, Quote.client_id == cid),
        "messages": rows(Message, Message.client_id == cid),
    }


def slug(text: str) -> str:
    """A file-name-safe form of a name ("Sarah O'Neil" → "sarah-o-neil")."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:40] or "client"


def atomic_write(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file and a rename (never half a file)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(
            "w",
            encoding="utf-8",
            newline="",
            dir=path.parent,
            prefix=f".{path.name}.",
            suffix=".tmp",
            delete=False,
        ) as handle:
            temporary = Path(handle.name)
            try:
                handle.write(text)
                handle.flush()
                os.fsync(handle.fileno())
            except BaseException:
                handle.close()
                temporary.unlink(missing_ok=True)
                raise
        os.replace(temporary, path)
    except OSError as error:
        reason = error.strerror or str(error)
        raise Invalid(
            f"I couldn't write {path} ({reason}). Choose a folder you can write to.", field="path"
        ) from error


def dump_json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False) + "\n"


def move_history(session: Session, keep_id: int, duplicate_id: int) -> dict[str, int]:
    """Point everything of ``duplicate_id`` at ``keep_id``; how many rows moved per kind."""
    moved: dict[str, int] = {}
    for name, model, column in _MOVED:
        attribute = getattr(model, column)
        result = session.execute(
            sa.update(model)
            .where(attribute == duplicate_id)
            .values({column: keep_id})
            .execution_options(synchronize_session=False)
        )
        moved[name] = cast(CursorResult[Any], result).rowcount
    for name, linked in _LINKED:
        result = session.execute(
            sa.update(linked)
            .where(linked.linked_type == "client", linked.linked_id == duplicate_id)
            .values(linked_id=keep_id)
            .execution_options(synchronize_session=False)
        )
        moved[name] = cast(CursorResult[Any], result).rowcount
    kept_tags = set(
        session.scalars(sa.select(ClientTag.tag).where(ClientTag.client_id == keep_id)).all()
    )
    their_tags = session.scalars(
        sa.select(ClientTag.tag).where(ClientTag.client_id == duplicate_id)
    ).all()
    new_tags = [t for t in their_tags if t not in kept_tags]
    session.execute(
        sa.delete(ClientTag)
        .where(ClientTag.client_id == duplicate_id)
        .execution_options(synchronize_session=False)
    )
    session.add_all(ClientTag(client_id=keep_id, tag=t) for t in new_tags)
    moved["tags"] = len(new_tags)
    verifications = {
        v.subject_id: v
        for v in session.scalars(
            sa.select(KycVerification).where(
                KycVerification.subject_type == KycSubject.CLIENT,
                KycVerification.subject_id.in_((keep_id, duplicate_id)),
            )
        ).all()
    }
    movable = duplicate_id in verifications and keep_id not in verifications
    if movable:
        verifications[duplicate_id].subject_id = keep_id
    moved["verifications"] = int(movable)
    session.flush()
    return moved
