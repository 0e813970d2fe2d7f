"""Personal reminders: each user sees and changes only their own; the scheduler fires them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any, Literal, cast

import sqlalchemy as sa
from sqlalchemy.engine import CursorResult
from sqlalchemy.orm import Session

from ....errors import Invalid, NotFound, PermissionDenied
from ...models import Importance, Reminder, ReminderStatus, User
from .._matching import Option, match_one
from .._references import Ref
from ._common import TasksBase, hash_id
from ._models import DueReminder, ReminderChange, ReminderOut

__all__ = ["ReminderOps"]

_MAX_SNOOZE_MINUTES = 7 * 24 * 60
_LIVE = (ReminderStatus.PENDING, ReminderStatus.FIRED)


class ReminderOps(TasksBase):
    """The reminder part of :class:`TasksService`."""

    def create_reminder(
        self, text: str, when: datetime | str, *, importance: Importance | str = Importance.NORMAL
    ) -> ReminderOut:
        """Remind the signed-in user of ``text`` at ``when`` (a datetime or "friday at 3")."""
        self._member()
        me = self._me()
        body = self._text(text, "reminder text", 500, required=True) or ""
        level = self._choice(Importance, importance, "importance")
        due = self._future(when, "reminder")
        with self._unit() as session:
            reminder = Reminder(
                user_id=me,
                text=body,
                due_at=due,
                importance=level,
                status=ReminderStatus.PENDING,
                snooze_count=0,
                created_at=self.context.now(),
            )
            session.add(reminder)
            session.flush()
            return self._reminder_out(reminder)

    def list_reminders(
        self, which: Literal["upcoming", "past", "all"] | str = "upcoming", *, limit: int = 100
    ) -> list[ReminderOut]:
        """The user's reminders: "upcoming" (not done, still ahead; soonest first), "past"
        (due or done; latest first) or "all" (by time)."""
        self._member()
        me, now = self._me(), self.context.now()
        query = sa.select(Reminder).where(Reminder.user_id == me)
        if which == "upcoming":
            query = query.where(Reminder.status != ReminderStatus.DONE, Reminder.due_at > now)
            query = query.order_by(Reminder.due_at, Reminder.id)
        elif which == "past":
            query = query.where(
                sa.or_(Reminder.status == ReminderStatus.DONE, Reminder.due_at <= now)
            )
            query = query.order_by(Reminder.due_at.desc(), Reminder.id.desc())
        elif which == "all":
            query = query.order_by(Reminder.due_at, Reminder.id)
        else:
            raise Invalid(f"“{which}” is not a choice; say upcoming, past or all.", field="which")
        with self._unit() as session:
            rows = session.scalars(query.limit(max(1, min(limit, 1000)))).all()
            return [self._reminder_out(r) for r in rows]

    def delete_reminder(self, reference: Ref) -> ReminderOut:
        """Delete one of the user's reminders (by id or text); the snapshot undoes it."""
        self._member()
        with self._unit() as session:
            reminder = self._find_reminder(session, reference)
            snapshot = self._reminder_out(reminder)
            session.delete(reminder)
            return snapshot

    def restore_reminder(self, snapshot: ReminderOut) -> ReminderOut:
        """Put a reminder back as the snapshot shows it: recreated when deleted, otherwise
        reset (undo of delete, snooze and done)."""
        self._member()
        if snapshot.user_id != self._me():
            raise PermissionDenied("That reminder is someone else's; you can restore your own.")
        with self._unit() as session:
            reminder = session.get(Reminder, snapshot.id)
            if reminder is None or reminder.user_id != snapshot.user_id:
                reminder = Reminder(user_id=snapshot.user_id, created_at=snapshot.created_at)
                session.add(reminder)
            reminder.text, reminder.due_at = snapshot.text, snapshot.due_at
            reminder.importance, reminder.status = snapshot.importance, snapshot.status
            reminder.fired_at, reminder.snooze_count = snapshot.fired_at, snapshot.snooze_count
            session.flush()
            return self._reminder_out(reminder)

    def snooze_reminder(
        self, reference: Ref, minutes: int = 10, *, until: datetime | str | None = None
    ) -> ReminderChange:
        """Move a pending or fired reminder to ``until``, or ``minutes`` after the later of now
        and its due time; it becomes pending again."""
        self._member()
        if until is None and not 1 <= minutes <= _MAX_SNOOZE_MINUTES:
            raise Invalid("Snooze for between 1 minute and 7 days.", field="minutes")
        target = None if until is None else self._future(until, "snooze")
        with self._unit() as session:
            reminder = self._find_reminder(session, reference)
            if reminder.status not in _LIVE:
                raise Invalid(
                    f"“{reminder.text}” is already done, so there is nothing to snooze.",
                    field="reference",
                )
            previous = self._reminder_out(reminder)
            base = max(self.context.now(), reminder.due_at)
            reminder.due_at = target or base + timedelta(minutes=minutes)
            reminder.status = ReminderStatus.PENDING
            reminder.snooze_count += 1
            session.flush()
            return ReminderChange(reminder=self._reminder_out(reminder), previous=previous)

    def mark_done(self, reference: Ref) -> ReminderChange:
        """Mark one of the user's reminders done (dismissed)."""
        self._member()
        with self._unit() as session:
            reminder = self._find_reminder(session, reference)
            previous = self._reminder_out(reminder)
            reminder.status = ReminderStatus.DONE
            session.flush()
            return ReminderChange(reminder=self._reminder_out(reminder), previous=previous)

    # --- the scheduler's side: every user of the business ------------------------------------

    def due_reminders(self, now: datetime | None = None) -> list[DueReminder]:
        """Pending reminders of any user of the business whose time has come (``due ≤ now``)."""
        self._member()
        with self._unit() as session:
            return [due for due, _ in self._due(session, self._at(now))]

    def mark_fired(self, reminder_ids: Sequence[int], now: datetime | None = None) -> list[int]:
        """Mark pending reminders fired; returns the ids that were still pending."""
        self._member()
        at = self._at(now)
        with self._unit() as session:
            return [i for i in reminder_ids if self._claim(session, i, at)]

    def fire_due(self, now: datetime | None = None) -> list[DueReminder]:
        """Due reminders, each marked fired in the same transaction: every one is returned
        once, even with several pollers."""
        self._member()
        at = self._at(now)
        with self._unit() as session:
            due = self._due(session, at)
            return [item for item, row_id in due if self._claim(session, row_id, at)]

    def next_due_at(self) -> datetime | None:
        """When the next pending reminder of the business falls due (``None``: none pending)."""
        self._member()
        with self._unit() as session:
            soonest = session.scalar(
                sa.select(Reminder.due_at)
                .where(Reminder.status == ReminderStatus.PENDING)
                .order_by(Reminder.due_at)
                .limit(1)
            )
        return self._local(soonest)

    # --- helpers -----------------------------------------------------------------------------

    def _at(self, now: datetime | None) -> datetime:
        if now is None:
            return self.context.now()
        if now.tzinfo is None:
            raise Invalid("The time to check reminders against needs a timezone.", field="now")
        return now

    def _due(self, session: Session, now: datetime) -> list[tuple[DueReminder, int]]:
        rows = session.execute(
            sa.select(Reminder, User.name)
            .join(User, User.id == Reminder.user_id)
            .where(Reminder.status == ReminderStatus.PENDING, Reminder.due_at <= now)
            .order_by(Reminder.due_at, Reminder.id)
        ).all()
        return [
            (
                DueReminder(
                    id=r.id,
                    user_id=r.user_id,
                    user_name=name,
                    text=r.text,
                    due_at=self._local(r.due_at) or now,
                    importance=r.importance,
                    snooze_count=r.snooze_count,
                ),
                r.id,
            )
            for r, name in rows
        ]

    @staticmethod
    def _claim(session: Session, reminder_id: int, now: datetime) -> bool:
        """Fire one pending reminder; ``False`` when it was not (or no longer) pending."""
        result = session.execute(
            sa.update(Reminder)
            .where(Reminder.id == reminder_id, Reminder.status == ReminderStatus.PENDING)
            .values(status=ReminderStatus.FIRED, fired_at=now)
            .execution_options(synchronize_session=False)
        )
        return cast(CursorResult[Any], result).rowcount == 1

    def _future(self, when: datetime | str, field: str) -> datetime:
        moment = self._moment(when, field)
        now = self.context.now()
        if moment <= now:
            raise Invalid(
                f"{moment:%a %-d %b at %H:%M} has already passed; it is now "
                f"{now:%a %-d %b %H:%M}. Give a time that is still ahead.",
                field=field,
            )
        return moment

    def _find_reminder(self, session: Session, reference: Ref) -> Reminder:
        me = self._me()
        reminder_id = hash_id(reference)
        if reminder_id is not None:
            reminder = session.get(Reminder, reminder_id)
            if reminder is None:
                raise NotFound("reminder", f"#{reminder_id}")
            if reminder.user_id != me:
                raise PermissionDenied(
                    "That reminder is someone else's; you can only change your own."
                )
            return reminder
        assert isinstance(reference, str)
        own = session.scalars(sa.select(Reminder).where(Reminder.user_id == me)).all()
        live = [r for r in own if r.status in _LIVE]
        for pool in (live, [r for r in own if r.status not in _LIVE]):
            options = [
                Option(r.id, r.text, f"{self._local(r.due_at):%a %-d %b %H:%M}, {r.status.value}")
                for r in pool
            ]
            try:
                chosen = match_one(reference, options, "reminder")
            except NotFound:
                continue
            return next(r for r in pool if r.id == chosen)
        raise NotFound("reminder", reference)

    def _reminder_out(self, r: Reminder) -> ReminderOut:
        return ReminderOut(
            id=r.id,
            user_id=r.user_id,
            text=r.text,
            due_at=self._local(r.due_at) or self.context.now(),
            importance=r.importance,
            status=r.status,
            fired_at=self._local(r.fired_at),
            snooze_count=r.snooze_count,
            created_at=self._local(r.created_at) or self.context.now(),
        )
