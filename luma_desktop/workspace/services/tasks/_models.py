"""What the tasks service answers with (typed, frozen) and the one input model it takes."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict

from ...models import Importance, Priority, ReminderStatus, TaskStatus

__all__ = [
    "CompletionResult",
    "CreatedTask",
    "DueReminder",
    "NoteOut",
    "ReminderChange",
    "ReminderOut",
    "SkippedTask",
    "TaskChanges",
    "TaskOut",
    "TaskUpdate",
]

_FROZEN = ConfigDict(frozen=True, from_attributes=True)


class TaskOut(BaseModel):
    """A task/todo; also the snapshot :meth:`TasksService.restore_task` recreates from."""

    model_config = _FROZEN

    id: int
    title: str
    description: str | None
    priority: Priority
    status: TaskStatus
    due_at: datetime | None
    """In the business timezone."""
    overdue: bool
    assignee_user_id: int | None
    assignee_name: str | None
    created_by_user_id: int | None
    linked_type: str | None
    linked_id: int | None
    linked_label: str | None
    """What the linked record is called ("Sarah Miller", "INV-0042")."""
    created_at: datetime
    completed_at: datetime | None


class CreatedTask(TaskOut):
    """A new task, with why its priority was chosen when nobody said."""

    priority_reason: str | None
    """``None`` when the priority was given; otherwise the rule that chose it."""


class TaskChanges(BaseModel):
    """Changes to a task. Only the fields that are set count; ``None`` clears
    description, due and assignee. Also the "previous values" an update returns for undo."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    title: str | None = None
    description: str | None = None
    priority: Priority | str | None = None
    """A level; free text ("High") is checked by the service with a helpful message."""
    due: datetime | str | None = None
    """An aware datetime or a phrase such as "friday at 3"."""
    assignee: int | str | None = None
    """A user id, e-mail, name or "me"."""
    status: TaskStatus | str | None = None


class TaskUpdate(BaseModel):
    """An updated task and what it was before (pass ``previous`` back to undo)."""

    model_config = _FROZEN

    task: TaskOut
    previous: TaskChanges


class SkippedTask(BaseModel):
    """A task a completion request left alone, and why."""

    model_config = _FROZEN

    reference: str
    task_id: int
    title: str
    reason: str


class CompletionResult(BaseModel):
    """Tasks completed by one request (undo: ``reopen_tasks(completed_ids)``)."""

    model_config = _FROZEN

    completed: list[TaskOut]
    completed_ids: list[int]
    skipped: list[SkippedTask]


class NoteOut(BaseModel):
    """A note; also the snapshot :meth:`TasksService.restore_note` recreates from."""

    model_config = _FROZEN

    id: int
    title: str | None
    body: str
    linked_type: str | None
    linked_id: int | None
    linked_label: str | None
    author_user_id: int | None
    created_at: datetime


class ReminderOut(BaseModel):
    """A personal reminder; also the snapshot :meth:`TasksService.restore_reminder` takes."""

    model_config = _FROZEN

    id: int
    user_id: int
    text: str
    due_at: datetime
    """In the business timezone."""
    importance: Importance
    status: ReminderStatus
    fired_at: datetime | None
    snooze_count: int
    created_at: datetime


class ReminderChange(BaseModel):
    """A changed reminder and its state before (undo: ``restore_reminder(previous)``)."""

    model_config = _FROZEN

    reminder: ReminderOut
    previous: ReminderOut


class DueReminder(BaseModel):
    """A reminder whose time has come: what the notification and the voice say."""

    model_config = _FROZEN

    id: int
    user_id: int
    user_name: str
    text: str
    due_at: datetime
    importance: Importance
    snooze_count: int
