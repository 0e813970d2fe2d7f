"""What the task, note and reminder operations share: access rules, times, people and links."""

from __future__ import annotations

import enum
import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import TypeVar

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ....errors import Invalid, NotFound, PermissionDenied
from ...models import Appointment, Client, Document, Invoice, Quote, Role, User
from ...when import ACCEPTED_FORMS, parse_when
from .._base import DomainService
from .._matching import Option, match_one
from .._references import (
    Ref,
    resolve_appointment,
    resolve_client,
    resolve_invoice,
    resolve_quote,
)

__all__ = ["LINK_TYPES", "TasksBase", "hash_id"]

LINK_TYPES = ("client", "invoice", "appointment", "quote", "document")
"""Records a task or note may be attached to."""

EnumT = TypeVar("EnumT", bound=enum.StrEnum)
_ME = frozenset({"me", "myself", "i", "mine"})
_HASH_ID = re.compile(r"^\s*#(\d+)\s*$")


def hash_id(reference: Ref) -> int | None:
    """The id in ``42`` or ``"#42"``; ``None`` for anything else (a title)."""
    if isinstance(reference, int):
        return reference
    match = _HASH_ID.match(reference)
    return int(match.group(1)) if match else None


def _resolve_document(session: Session, reference: Ref) -> Document:
    if isinstance(reference, int):
        row = session.get(Document, reference)
        if row is None or row.deleted_at is not None:
            raise NotFound("document", f"#{reference}")
        return row
    rows = session.scalars(sa.select(Document).where(Document.deleted_at.is_(None))).all()
    chosen = match_one(reference, [Option(d.id, d.title, d.kind) for d in rows], "document")
    return next(d for d in rows if d.id == chosen)


_Linkable = Client | Invoice | Appointment | Quote | Document
_LINK_RESOLVERS: dict[str, Callable[[Session, Ref], _Linkable]] = {
    "client": resolve_client,
    "invoice": resolve_invoice,
    "appointment": resolve_appointment,
    "quote": resolve_quote,
    "document": _resolve_document,
}


class TasksBase(DomainService):
    """Helpers of :class:`TasksService`; no public operations of its own."""

    # --- access ------------------------------------------------------------------------------

    def _member(self) -> None:
        """Refuse client-portal users: tasks, notes and reminders are the team's."""
        if self.context.role is Role.CLIENT:
            raise PermissionDenied("Tasks, notes and reminders are for the team, not the portal.")

    @property
    def _own_scope(self) -> bool:
        """Staff see and change only their own tasks and notes (the spec's role table)."""
        return self.context.role is Role.STAFF

    def _me(self) -> int:
        """The signed-in user's id; reminders and "me" need one."""
        if self.context.user_id is None:
            raise PermissionDenied("This needs a signed-in user; nobody is signed in.")
        return self.context.user_id

    # --- values ------------------------------------------------------------------------------

    def _local(self, value: datetime | None) -> datetime | None:
        return None if value is None else value.astimezone(self.context.tz)

    def _moment(self, value: datetime | str, field: str) -> datetime:
        """An aware datetime, or a phrase read in the business timezone; ``Invalid`` otherwise."""
        if isinstance(value, datetime):
            if value.tzinfo is None:
                raise Invalid(f"The {field} time needs a timezone.", field=field)
            return value.astimezone(self.context.tz)
        moment = parse_when(value, self.context.now())
        if moment is None:
            raise Invalid(
                f"I don't understand “{value}” as a {field} time. {ACCEPTED_FORMS}", field=field
            )
        return moment

    @staticmethod
    def _choice(enum_class: type[EnumT], value: EnumT | str, field: str) -> EnumT:
        try:
            return enum_class(str(value).strip().lower().replace(" ", "_"))
        except ValueError:
            choices = ", ".join(m.value.replace("_", " ") for m in enum_class)
            raise Invalid(
                f"“{value}” is not a valid {field}; choose {choices}.", field=field
            ) from None

    @staticmethod
    def _text(value: str | None, field: str, limit: int, *, required: bool) -> str | None:
        text = (value or "").strip()
        if required and not text:
            raise Invalid(f"The {field} is empty; say what it should be.", field=field)
        if len(text) > limit:
            raise Invalid(
                f"The {field} is {len(text)} characters; keep it under {limit}.", field=field
            )
        return text or None

    # --- people ------------------------------------------------------------------------------

    def _user(self, session: Session, reference: Ref) -> User:
        """A team member by id, e-mail, (fuzzy) name or "me"."""
        if isinstance(reference, str) and reference.strip().lower() in _ME:
            reference = self._me()
        if isinstance(reference, int):
            user = session.get(User, reference)
            if user is None or user.role is Role.CLIENT:
                raise NotFound("team member", f"#{reference}")
            return user
        team = session.scalars(
            sa.select(User).where(User.active.is_(True), User.role != Role.CLIENT)
        ).all()
        wanted = reference.strip().lower()
        by_email = [u for u in team if u.email.lower() == wanted]
        if by_email:
            return by_email[0]
        options = [Option(u.id, u.name, f"{u.role.value}, {u.email}", (u.email,)) for u in team]
        chosen = match_one(reference, options, "team member")
        return next(u for u in team if u.id == chosen)

    @staticmethod
    def _names(session: Session, user_ids: Iterable[int | None]) -> dict[int, str]:
        ids = {i for i in user_ids if i is not None}
        if not ids:
            return {}
        rows = session.execute(sa.select(User.id, User.name).where(User.id.in_(ids)))
        return dict(rows.all())

    # --- linked records ----------------------------------------------------------------------

    def _link(
        self, session: Session, linked_type: str | None, linked: Ref | None
    ) -> tuple[str | None, int | None]:
        """Validate a link to another record of this business; ``(None, None)`` for no link."""
        if linked_type is None and linked is None:
            return None, None
        kinds = ", ".join(LINK_TYPES)
        if linked_type is None or linked is None:
            raise Invalid(
                f"To attach it, say which kind of record ({kinds}) and which one.",
                field="linked_type",
            )
        kind = linked_type.strip().lower()
        if kind not in _LINK_RESOLVERS:
            raise Invalid(
                f"I can attach it to a {kinds}, not to “{linked_type}”.", field="linked_type"
            )
        row = _LINK_RESOLVERS[kind](session, linked)
        return kind, row.id

    def _labels(
        self, session: Session, links: Iterable[tuple[str | None, int | None]]
    ) -> dict[tuple[str, int], str]:
        """What each linked record is called, fetched with one query per kind."""
        wanted: dict[str, set[int]] = defaultdict(set)
        for kind, record_id in links:
            if kind is not None and record_id is not None:
                wanted[kind].add(record_id)
        labels: dict[tuple[str, int], str] = {}
        for kind, ids in wanted.items():
            labels |= {(kind, i): label for i, label in self._labels_of(session, kind, ids)}
        return labels

    def _labels_of(self, session: Session, kind: str, ids: set[int]) -> list[tuple[int, str]]:
        if kind == "client":
            clients = session.scalars(sa.select(Client).where(Client.id.in_(ids))).all()
            return [(c.id, c.full_name) for c in clients]
        if kind in ("invoice", "quote"):
            model = Invoice if kind == "invoice" else Quote
            rows = session.execute(sa.select(model.id, model.number).where(model.id.in_(ids)))
            return [(row_id, label) for row_id, label in rows]
        if kind == "document":
            rows = session.execute(
                sa.select(Document.id, Document.title).where(Document.id.in_(ids))
            )
            return [(row_id, label) for row_id, label in rows]
        if kind == "appointment":
            found = session.scalars(sa.select(Appointment).where(Appointment.id.in_(ids))).all()
            return [
                (
                    a.id,
                    f"appointment {a.confirmation_code} on "
                    f"{a.starts_at.astimezone(self.context.tz):%a %-d %b %H:%M}",
                )
                for a in found
            ]
        return []
