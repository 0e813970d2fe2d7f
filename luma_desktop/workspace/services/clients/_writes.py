"""Changing one client: create (and its undo), update, notes and tags."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ....errors import Conflict, Invalid, PermissionDenied
from ...models import (
    Appointment,
    Client,
    ClientNote,
    ClientTag,
    Document,
    Invoice,
    Message,
    NoteKind,
    Order,
    Quote,
    Role,
    WaitlistEntry,
)
from .._references import Ref, resolve_staff
from ._access import ClientsAccess
from ._fields import (
    CONTACT_FIELDS,
    EDITABLE_FIELDS,
    DuplicateIndex,
    clean_birthday,
    clean_email,
    clean_lead_status,
    clean_name,
    clean_phone,
    clean_tags,
    clean_text,
)
from ._queries import build_profile, tags_by_client
from ._records import jsonable
from ._schemas import (
    ClientNoteOut,
    ClientProfile,
    ClientUpdate,
    RemovedClient,
    TagChange,
    TagResult,
)

__all__ = ["ClientWrites"]

_HISTORY_TABLES: tuple[tuple[Any, Any], ...] = (
    (Appointment, Appointment.client_id),
    (Invoice, Invoice.client_id),
    (Quote, Quote.client_id),
    (Message, Message.client_id),
    (ClientNote, ClientNote.client_id),
    (Document, Document.client_id),
    (Order, Order.client_id),
    (WaitlistEntry, WaitlistEntry.client_id),
    (Client, Client.merged_into_id),
)


class ClientWrites(ClientsAccess):
    """Single-client writes of :class:`ClientsService`."""

    def _clean_field(self, session: Session, name: str, value: Any) -> Any:
        if name in ("first_name", "last_name"):
            return clean_name(value, name, required=name == "first_name")
        if name == "email":
            return clean_email(value)
        if name == "phone":
            return clean_phone(value, self.context.country)
        if name == "birthday":
            return clean_birthday(value, self.context.today())
        if name == "lead_status":
            return clean_lead_status(value)
        if name == "owner_staff_id":
            return resolve_staff(session, value).id if value not in (None, "") else None
        return clean_text(value, name)

    def _refuse_duplicate(
        self,
        session: Session,
        name: str,
        email: str | None,
        phone: str | None,
        *,
        exclude_id: int | None = None,
    ) -> None:
        match = DuplicateIndex.load(session, exclude_id=exclude_id).find(name, email, phone)
        if match is not None and self.context.role is Role.CLIENT:
            what = {"email": "e-mail address", "phone": "phone number"}.get(match.field, "name")
            raise Conflict(
                f"That {what} is already used by someone else; please contact the business."
            )
        if match is not None:
            raise Conflict(
                f"{match.message} If this really is someone else, ask again and "
                "allow the duplicate; otherwise update the existing client.",
                suggestions=[match.label],
            )

    def _profile(self, session: Session, client: Client) -> ClientProfile:
        return build_profile(
            session,
            client,
            now=self.context.now(),
            tz=self.context.tz,
            currency=self.context.currency,
            show_money=self._sees_money,
        )

    def create(
        self,
        first_name: str,
        last_name: str = "",
        *,
        email: str | None = None,
        phone: str | None = None,
        company: str | None = None,
        source: str | None = None,
        lead_status: str | None = None,
        address: str | None = None,
        birthday: date | str | None = None,
        owner_staff: Ref | None = None,
        tags: Sequence[str] = (),
        allow_duplicate: bool = False,
    ) -> ClientProfile:
        """A new client. The phone is stored in E.164; a client with the same e-mail, phone or
        a very similar name raises :class:`Conflict` unless ``allow_duplicate``."""
        self._require_manager("add clients")
        raw = {
            "first_name": first_name,
            "last_name": last_name,
            "email": email,
            "phone": phone,
            "company": company,
            "source": source,
            "address": address,
            "birthday": birthday,
            "owner_staff_id": owner_staff,
        }
        with self._unit() as session:
            values = {k: self._clean_field(session, k, v) for k, v in raw.items()}
            if lead_status is not None:
                values["lead_status"] = clean_lead_status(lead_status)
            clean = clean_tags(tags)
            if not allow_duplicate:
                name = f"{values['first_name']} {values['last_name']}".strip()
                self._refuse_duplicate(session, name, values["email"], values["phone"])
            client = Client(**values, created_at=self.context.now())
            session.add(client)
            session.flush()
            session.add_all(ClientTag(client_id=client.id, tag=t) for t in clean)
            session.flush()
            return self._profile(session, client)

    def remove_created(self, ref: Ref) -> RemovedClient:
        """Undo of :meth:`create`: erase the client when nothing refers to it yet, otherwise
        soft-delete it (its appointments, invoices and notes stay)."""
        self._require_manager("remove clients")
        with self._unit() as session:
            client = self._resolve(session, ref)
            used = any(
                session.scalar(
                    sa.select(sa.literal(1)).select_from(model).where(column == client.id).limit(1)
                )
                for model, column in _HISTORY_TABLES
            )
            result = RemovedClient(
                client_id=client.id, name=client.full_name, hard_deleted=not used
            )
            if used:
                client.deleted_at = self.context.now()
            else:
                session.execute(sa.delete(ClientTag).where(ClientTag.client_id == client.id))
                session.delete(client)
            session.flush()
            return result

    def update(
        self, ref: Ref | None, fields: Mapping[str, Any], *, allow_duplicate: bool = False
    ) -> ClientUpdate:
        """Change fields (names, contact data, birthday, lead status, source, owner staff).

        Returns the values the changed fields had before: passing ``previous`` back to
        ``update`` undoes the change. Client-portal users may change only their own e-mail,
        phone and address.
        """
        if not fields:
            raise Invalid("Tell me what to change.", field="fields")
        changes = dict(fields)
        if "owner_staff" in changes:
            changes["owner_staff_id"] = changes.pop("owner_staff")
        unknown = sorted(set(changes) - set(EDITABLE_FIELDS))
        if unknown:
            raise Invalid(
                f"I can't change “{unknown[0]}” on a client; I can change "
                f"{', '.join(EDITABLE_FIELDS)}.",
                field=unknown[0],
            )
        if self.context.role is Role.CLIENT:
            blocked = sorted(set(changes) - CONTACT_FIELDS)
            if blocked:
                raise PermissionDenied(
                    f"You can change only your e-mail, phone and address, "
                    f"not {blocked[0].replace('_', ' ')}."
                )
        else:
            self._require_manager("change clients")
        with self._unit() as session:
            client = self._resolve(session, ref)
            cleaned = {k: self._clean_field(session, k, v) for k, v in changes.items()}
            changed = {k: v for k, v in cleaned.items() if getattr(client, k) != v}
            if changed and (not allow_duplicate or self.context.role is Role.CLIENT):
                first = changed.get("first_name", client.first_name)
                last = changed.get("last_name", client.last_name)
                renamed = {"first_name", "last_name"} & set(changed)
                self._refuse_duplicate(
                    session,
                    f"{first} {last}".strip() if renamed else "",
                    changed.get("email"),
                    changed.get("phone"),
                    exclude_id=client.id,
                )
            previous = {k: jsonable(getattr(client, k)) for k in changed}
            for key, value in changed.items():
                setattr(client, key, value)
            session.flush()
            return ClientUpdate(
                client=self._profile(session, client), changed=tuple(changed), previous=previous
            )

    def add_note(self, ref: Ref, body: str, kind: str = "internal") -> ClientNoteOut:
        """A typed note (call, visit, preference, internal) on a client; undo with
        :meth:`delete_note`."""
        self._require_team("add notes")
        text = (body or "").strip()
        if not text:
            raise Invalid("The note is empty.", field="body")
        if len(text) > 10_000:
            raise Invalid("The note is longer than 10,000 characters.", field="body")
        try:
            note_kind = NoteKind(str(kind).strip().lower())
        except ValueError:
            kinds = ", ".join(k.value for k in NoteKind)
            raise Invalid(f"“{kind}” is not a kind of note; use {kinds}.", field="kind") from None
        with self._unit() as session:
            client = self._resolve(session, ref)
            note = ClientNote(
                client_id=client.id,
                kind=note_kind,
                body=text,
                author_user_id=self.context.user_id,
                created_at=self.context.now(),
            )
            session.add(note)
            session.flush()
            return ClientNoteOut.model_validate(note)

    def delete_note(self, note_id: int) -> ClientNoteOut:
        """Remove a client note (the undo of :meth:`add_note`); returns what was removed."""
        self._require_team("delete notes")
        with self._unit() as session:
            note = self._get(session, ClientNote, note_id, "client note")
            self._resolve(session, note.client_id)
            if self.context.role is Role.STAFF and note.author_user_id != self.context.user_id:
                raise PermissionDenied("You can delete only notes you wrote.")
            removed = ClientNoteOut.model_validate(note)
            session.delete(note)
            session.flush()
            return removed

    def _retag(
        self, session: Session, clients: Sequence[Client], target: Mapping[int, list[str]]
    ) -> TagResult:
        ids = [c.id for c in clients]
        before = tags_by_client(session, ids)
        changes = []
        for client in clients:
            old, new = before.get(client.id, []), sorted(set(target[client.id]))
            gone = set(old) - set(new)
            if gone:
                session.execute(
                    sa.delete(ClientTag).where(
                        ClientTag.client_id == client.id, ClientTag.tag.in_(gone)
                    )
                )
            session.add_all(ClientTag(client_id=client.id, tag=t) for t in new if t not in old)
            changes.append(
                TagChange(
                    client_id=client.id, name=client.full_name, before=tuple(old), after=tuple(new)
                )
            )
        session.flush()
        return TagResult(changes=tuple(changes))

    def tag(
        self, refs: Ref | Sequence[Ref], add: Sequence[str] = (), remove: Sequence[str] = ()
    ) -> TagResult:
        """Add and/or remove tags (trimmed, lower case) on one or many clients.

        The result holds each client's tags before and after; :meth:`set_tags` with
        ``result.previous`` undoes it.
        """
        self._require_manager("tag clients")
        adding, removing = clean_tags(add), clean_tags(remove)
        if not adding and not removing:
            raise Invalid("Name a tag to add or remove.", field="add")
        both = set(adding) & set(removing)
        if both:
            raise Invalid(f"“{sorted(both)[0]}” cannot be both added and removed.", field="add")
        with self._unit() as session:
            clients = self._resolve_many(session, refs)
            current = tags_by_client(session, [c.id for c in clients])
            target = {
                c.id: [t for t in current.get(c.id, []) if t not in removing] + adding
                for c in clients
            }
            return self._retag(session, clients, target)

    def set_tags(self, tags_by_client: Mapping[int, Sequence[str]]) -> TagResult:
        """Give each client exactly these tags (the undo of :meth:`tag`)."""
        self._require_manager("tag clients")
        target = {
            client_id: clean_tags(tags) if tags else []
            for client_id, tags in tags_by_client.items()
        }
        with self._unit() as session:
            clients = self._resolve_many(session, list(target))
            return self._retag(session, clients, target)
