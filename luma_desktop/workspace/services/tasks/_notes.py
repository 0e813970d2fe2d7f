"""Notes: general, or attached to a client, invoice, appointment, quote or document."""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ....errors import NotFound, PermissionDenied
from ...models import Note
from .._matching import Option, match_one
from .._references import Ref
from ._common import TasksBase, hash_id
from ._models import NoteOut

__all__ = ["NoteOps"]


class NoteOps(TasksBase):
    """The note part of :class:`TasksService` (staff see and change their own notes)."""

    def list_notes(
        self,
        *,
        linked_type: str | None = None,
        linked_id: Ref | None = None,
        query: str | None = None,
        limit: int = 100,
    ) -> list[NoteOut]:
        """Notes, newest first; optionally those of one record, or containing every word of
        ``query`` (in the title or body, any case)."""
        self._member()
        with self._unit() as session:
            select = sa.select(Note)
            kind, record_id = self._link(session, linked_type, linked_id)
            if kind is not None:
                select = select.where(Note.linked_type == kind, Note.linked_id == record_id)
            for word in (query or "").split():
                pattern = f"%{word.lower()}%"
                select = select.where(
                    sa.or_(
                        sa.func.lower(Note.body).like(pattern),
                        sa.func.lower(Note.title).like(pattern),
                    )
                )
            if self._own_scope:
                select = select.where(Note.author_user_id == self._me())
            select = select.order_by(Note.created_at.desc(), Note.id.desc())
            rows = session.scalars(select.limit(max(1, min(limit, 1000)))).all()
            return self._note_outs(session, rows)

    def create_note(
        self,
        body: str,
        *,
        title: str | None = None,
        linked_type: str | None = None,
        linked_id: Ref | None = None,
    ) -> NoteOut:
        """A new note, attached to a record of this business when one is named."""
        self._member()
        text = self._text(body, "note", 20_000, required=True) or ""
        heading = self._text(title, "title", 300, required=False)
        with self._unit() as session:
            kind, record_id = self._link(session, linked_type, linked_id)
            note = Note(
                title=heading,
                body=text,
                linked_type=kind,
                linked_id=record_id,
                author_user_id=self.context.user_id,
                created_at=self.context.now(),
            )
            session.add(note)
            session.flush()
            return self._note_outs(session, [note])[0]

    def delete_note(self, reference: Ref) -> NoteOut:
        """Delete a note by id or (fuzzy) title/opening words; returns it for :meth:`restore_note`.

        Also the undo of :meth:`create_note`.
        """
        self._member()
        with self._unit() as session:
            note = self._find_note(session, reference)
            snapshot = self._note_outs(session, [note])[0]
            session.delete(note)
            return snapshot

    def restore_note(self, snapshot: NoteOut) -> NoteOut:
        """Recreate a deleted note from its snapshot (with a new id)."""
        self._member()
        if self._own_scope and snapshot.author_user_id != self.context.user_id:
            raise PermissionDenied("You can only restore your own notes.")
        with self._unit() as session:
            kind, record_id = snapshot.linked_type, snapshot.linked_id
            if kind is not None and record_id is not None:
                try:
                    kind, record_id = self._link(session, kind, record_id)
                except NotFound:  # the record went away since: keep the note, drop the link
                    kind, record_id = None, None
            note = Note(
                title=snapshot.title,
                body=snapshot.body,
                linked_type=kind,
                linked_id=record_id,
                author_user_id=snapshot.author_user_id,
                created_at=snapshot.created_at,
            )
            session.add(note)
            session.flush()
            return self._note_outs(session, [note])[0]

    def _find_note(self, session: Session, reference: Ref) -> Note:
        note_id = hash_id(reference)
        if note_id is not None:
            note = session.get(Note, note_id)
            if note is None:
                raise NotFound("note", f"#{note_id}")
            if self._own_scope and note.author_user_id != self.context.user_id:
                raise PermissionDenied("That note is someone else's; you can change your own.")
            return note
        assert isinstance(reference, str)
        select = sa.select(Note)
        if self._own_scope:
            select = select.where(Note.author_user_id == self._me())
        notes = session.scalars(select).all()
        options = [
            Option(n.id, n.title or n.body[:60], f"{n.created_at:%-d %b %Y}", (n.body[:60],))
            for n in notes
        ]
        chosen = match_one(reference, options, "note")
        return next(n for n in notes if n.id == chosen)

    def _note_outs(self, session: Session, notes: Sequence[Note]) -> list[NoteOut]:
        labels = self._labels(session, ((n.linked_type, n.linked_id) for n in notes))
        return [
            NoteOut(
                id=n.id,
                title=n.title,
                body=n.body,
                linked_type=n.linked_type,
                linked_id=n.linked_id,
                linked_label=labels.get((n.linked_type or "", n.linked_id or 0)),
                author_user_id=n.author_user_id,
                created_at=self._local(n.created_at) or self.context.now(),
            )
            for n in notes
        ]
