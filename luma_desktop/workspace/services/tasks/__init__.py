"""Tasks and todos, notes, and personal reminders (capabilities section 7).

One service, :class:`TasksService`, made of three parts (tasks, notes, reminders), plus the
:class:`ReminderScheduler` that fires reminders when they fall due. Priority inference rules
are in :mod:`._priority`; natural-language dates in :mod:`luma_desktop.workspace.when`.
"""

from __future__ import annotations

from ._common import LINK_TYPES
from ._models import (
    CompletionResult,
    CreatedTask,
    DueReminder,
    NoteOut,
    ReminderChange,
    ReminderOut,
    SkippedTask,
    TaskChanges,
    TaskOut,
    TaskUpdate,
)
from ._notes import NoteOps
from ._priority import infer_priority
from ._reminders import ReminderOps
from ._scheduler import ReminderScheduler
from ._tasks import TaskOps

__all__ = [
    "LINK_TYPES",
    "CompletionResult",
    "CreatedTask",
    "DueReminder",
    "NoteOut",
    "ReminderChange",
    "ReminderOut",
    "ReminderScheduler",
    "SkippedTask",
    "TaskChanges",
    "TaskOut",
    "TaskUpdate",
    "TasksService",
    "infer_priority",
]


class TasksService(TaskOps, NoteOps, ReminderOps):
    """Tasks/todos (by title), notes (optionally attached to a record) and the user's own
    reminders. Client-portal users get ``PermissionDenied``; staff see their own tasks/notes."""
