"""Tasks/todos, notes and personal reminders."""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ._base import Base, IdMixin, StrEnumType, TenantMixin, TimestampMixin

__all__ = [
    "Importance",
    "Note",
    "Priority",
    "Reminder",
    "ReminderStatus",
    "Task",
    "TaskStatus",
]


class Priority(enum.StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    URGENT = "urgent"


class TaskStatus(enum.StrEnum):
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    DONE = "done"


class Importance(enum.StrEnum):
    NORMAL = "normal"
    HIGH = "high"


class ReminderStatus(enum.StrEnum):
    PENDING = "pending"
    FIRED = "fired"
    DONE = "done"


class _LinkedEntity:
    """An optional link to another record ("client", 12)."""

    linked_type: Mapped[str | None] = mapped_column(sa.String(30))
    linked_id: Mapped[int | None]


class Task(_LinkedEntity, IdMixin, TenantMixin, TimestampMixin, Base):
    """A todo with priority, due time and assignee."""

    __tablename__ = "tasks"

    title: Mapped[str] = mapped_column(sa.String(300))
    description: Mapped[str | None] = mapped_column(sa.Text)
    priority: Mapped[Priority] = mapped_column(StrEnumType(Priority), default=Priority.MEDIUM)
    status: Mapped[TaskStatus] = mapped_column(StrEnumType(TaskStatus), default=TaskStatus.OPEN)
    due_at: Mapped[datetime | None]
    assignee_user_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    created_by_user_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    completed_at: Mapped[datetime | None]


class Note(_LinkedEntity, IdMixin, TenantMixin, TimestampMixin, Base):
    """A free note, general or attached to a client, invoice or appointment."""

    __tablename__ = "notes"

    title: Mapped[str | None] = mapped_column(sa.String(300))
    body: Mapped[str] = mapped_column(sa.Text)
    author_user_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True
    )


class Reminder(IdMixin, TenantMixin, TimestampMixin, Base):
    """Something to tell a user at a time (notification + voice when due)."""

    __tablename__ = "reminders"
    __table_args__ = (sa.Index("ix_reminders_status_due", "status", "due_at"),)

    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(sa.String(500))
    due_at: Mapped[datetime]
    importance: Mapped[Importance] = mapped_column(
        StrEnumType(Importance), default=Importance.NORMAL
    )
    status: Mapped[ReminderStatus] = mapped_column(
        StrEnumType(ReminderStatus), default=ReminderStatus.PENDING
    )
    fired_at: Mapped[datetime | None]
    snooze_count: Mapped[int] = mapped_column(default=0)
