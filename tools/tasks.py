"""Tasks, notes and reminders (spec section 7): todos by title, notes, personal reminders."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from ..assistant.catalog import Card, DataScope, Operation, Risk, Tool, ToolResult, UndoPlan
from ..assistant.context import ExecutionContext
from ..workspace.models import Importance, Priority, TaskStatus
from ..workspace.services import Services
from ..workspace.services.tasks import ReminderOut, TaskChanges, TaskOut
from ._common import Limit, Reference, ToolInput, WhenText, local_label

__all__ = ["INVERSES", "TOOLS"]

DOMAIN = "tasks"


def _task_line(task: TaskOut, context: ExecutionContext) -> str:
    due = f", due {local_label(task.due_at, context)}" if task.due_at else ""
    return f"{task.title} ({task.priority.value}{due})"


LinkedType = Literal["client", "invoice", "appointment", "quote", "document"]


def _undo(operation: str, summary: str, **arguments: Any) -> UndoPlan:
    return UndoPlan(DOMAIN, operation, arguments, summary)


# -- tasks_list ------------------------------------------------------------------------------


class ListTasks(ToolInput):
    status: Literal["active", "open", "in_progress", "done", "all"] = Field(
        default="active", description="'active' = open or in progress."
    )
    priority: Priority | None = Field(default=None, description="Only this priority.")
    due_before: WhenText | None = Field(default=None, description="Due before this day/time.")
    overdue: bool = Field(default=False, description="Only tasks past their due time.")
    assignee: str | None = Field(default=None, description="A person's name or e-mail, or 'me'.")
    limit: Limit = 20


def list_tasks(services: Services, args: ListTasks, context: ExecutionContext) -> ToolResult:
    tasks = services.tasks.list_tasks(
        status=args.status,
        priority=args.priority,
        due_before=args.due_before,
        overdue=args.overdue,
        assignee=args.assignee,
        own_only=context.own_only,
        limit=args.limit,
    )
    if not tasks:
        return ToolResult("No tasks match.", [], Card.TASKS)
    lines = "; ".join(_task_line(t, context) for t in tasks[:5])
    more = f" and {len(tasks) - 5} more" if len(tasks) > 5 else ""
    return ToolResult(f"{len(tasks)} task(s): {lines}{more}.", tasks, Card.TASKS)


# -- tasks_create ----------------------------------------------------------------------------


class CreateTask(ToolInput):
    title: str = Field(min_length=1, max_length=300, description="What needs doing.")
    description: str | None = Field(default=None, max_length=10_000, description="Details.")
    priority: Priority | None = Field(
        default=None, description="Leave empty to infer it from the words and the due date."
    )
    due: WhenText | None = Field(default=None, description="When it is due, e.g. 'friday'.")
    assignee: str | None = Field(default=None, description="A person's name or e-mail, or 'me'.")
    linked_type: LinkedType | None = Field(default=None, description="Kind of linked record.")
    linked_to: Reference | None = Field(default=None, description="The linked record.")


def create_task(services: Services, args: CreateTask, context: ExecutionContext) -> ToolResult:
    task = services.tasks.create_task(
        args.title,
        description=args.description,
        priority=args.priority,
        due=args.due,
        assignee=args.assignee,
        linked_type=args.linked_type,
        linked_id=args.linked_to,
    )
    why = f" — {task.priority_reason}" if task.priority_reason else ""
    return ToolResult(
        f"Added the task {_task_line(task, context)}{why}.",
        task,
        Card.TASKS,
        _undo("delete_task", f"remove the task “{task.title}”", reference=task.id),
    )


# -- tasks_update ----------------------------------------------------------------------------


class UpdateTask(ToolInput):
    task: Reference = Field(description="The task's title (or part of it) or id.")
    title: str | None = Field(default=None, min_length=1, max_length=300, description="New title.")
    priority: Priority | None = Field(default=None, description="New priority.")
    due: WhenText | None = Field(default=None, description="New due date/time.")
    assignee: str | None = Field(default=None, description="New assignee: name, e-mail or 'me'.")
    status: TaskStatus | None = Field(default=None, description="New status.")


def update_task(services: Services, args: UpdateTask, context: ExecutionContext) -> ToolResult:
    changes = TaskChanges(**args.model_dump(exclude={"task"}, exclude_none=True))
    update = services.tasks.update_task(args.task, changes)
    return ToolResult(
        f"Updated {_task_line(update.task, context)}.",
        update.task,
        Card.TASKS,
        _undo(
            "update_task",
            f"put “{update.task.title}” back as it was",
            reference=update.task.id,
            changes=update.previous.model_dump(mode="json", exclude_unset=True),
        ),
    )


# -- tasks_complete --------------------------------------------------------------------------


class CompleteTasks(ToolInput):
    tasks: list[Reference] = Field(
        min_length=1, max_length=50, description="Titles (or parts, e.g. 'milk') or ids."
    )


def complete_tasks(
    services: Services, args: CompleteTasks, context: ExecutionContext
) -> ToolResult:
    result = services.tasks.complete_tasks(args.tasks)
    parts = []
    if result.completed:
        parts.append("Done: " + ", ".join(t.title for t in result.completed) + ".")
    parts += [f"{s.title}: {s.reason}." for s in result.skipped]
    undo = None
    if result.completed_ids:
        undo = _undo(
            "reopen_tasks",
            "reopen " + ", ".join(t.title for t in result.completed),
            ids=result.completed_ids,
        )
    return ToolResult(" ".join(parts) or "Nothing to complete.", result, Card.TASKS, undo)


# -- tasks_delete ----------------------------------------------------------------------------


class DeleteTask(ToolInput):
    task: Reference = Field(description="The task's title (or part of it) or id.")


def delete_task(services: Services, args: DeleteTask, context: ExecutionContext) -> ToolResult:
    snapshot = services.tasks.delete_task(args.task)
    return ToolResult(
        f"Deleted the task “{snapshot.title}”.",
        snapshot,
        Card.TASKS,
        _undo(
            "restore_task",
            f"bring back the task “{snapshot.title}”",
            snapshot=snapshot.model_dump(mode="json"),
        ),
    )


# -- notes -----------------------------------------------------------------------------------


class ListNotes(ToolInput):
    linked_type: LinkedType | None = Field(default=None, description="Kind of linked record.")
    linked_to: Reference | None = Field(default=None, description="The linked record.")
    query: str | None = Field(default=None, max_length=200, description="Words in the note.")
    limit: Limit = 20


def list_notes(services: Services, args: ListNotes, context: ExecutionContext) -> ToolResult:
    notes = services.tasks.list_notes(
        linked_type=args.linked_type, linked_id=args.linked_to, query=args.query, limit=args.limit
    )
    if not notes:
        return ToolResult("No notes found.", [], Card.TABLE)
    shown = "; ".join((n.title or n.body[:60]) for n in notes[:5])
    return ToolResult(f"{len(notes)} note(s): {shown}.", notes, Card.TABLE)


class CreateNote(ToolInput):
    body: str = Field(min_length=1, max_length=10_000, description="The note's text.")
    title: str | None = Field(default=None, max_length=300, description="A short title.")
    linked_type: LinkedType | None = Field(default=None, description="Kind of linked record.")
    linked_to: Reference | None = Field(default=None, description="The linked record.")


def create_note(services: Services, args: CreateNote, context: ExecutionContext) -> ToolResult:
    note = services.tasks.create_note(
        args.body, title=args.title, linked_type=args.linked_type, linked_id=args.linked_to
    )
    where = f" on {note.linked_label}" if note.linked_label else ""
    return ToolResult(
        f"Saved the note{where}.",
        note,
        Card.TEXT,
        _undo("delete_note", "remove the note", reference=note.id),
    )


# -- reminders -------------------------------------------------------------------------------


def _reminder_line(reminder: ReminderOut, context: ExecutionContext) -> str:
    return f"“{reminder.text}” at {local_label(reminder.due_at, context)}"


class CreateReminder(ToolInput):
    text: str = Field(min_length=1, max_length=500, description="What to remind about.")
    when: WhenText = Field(description="When to remind, e.g. 'friday at 3', 'in 2 hours'.")
    importance: Importance = Field(default=Importance.NORMAL, description="'high' to stand out.")


def create_reminder(
    services: Services, args: CreateReminder, context: ExecutionContext
) -> ToolResult:
    reminder = services.tasks.create_reminder(args.text, args.when, importance=args.importance)
    return ToolResult(
        f"I'll remind you of {_reminder_line(reminder, context)}.",
        reminder,
        Card.REMINDERS,
        _undo("delete_reminder", f"remove the reminder “{reminder.text}”", reference=reminder.id),
    )


class ListReminders(ToolInput):
    which: Literal["upcoming", "past", "all"] = Field(
        default="upcoming", description="Which reminders."
    )
    limit: Limit = 20


def list_reminders(
    services: Services, args: ListReminders, context: ExecutionContext
) -> ToolResult:
    reminders = services.tasks.list_reminders(args.which, limit=args.limit)
    if not reminders:
        return ToolResult(f"No {args.which} reminders.", [], Card.REMINDERS)
    shown = "; ".join(_reminder_line(r, context) for r in reminders[:5])
    return ToolResult(f"{len(reminders)} reminder(s): {shown}.", reminders, Card.REMINDERS)


class ReminderRef(ToolInput):
    reminder: Reference = Field(description="Words from the reminder's text, or its id.")


def delete_reminder(services: Services, args: ReminderRef, context: ExecutionContext) -> ToolResult:
    snapshot = services.tasks.delete_reminder(args.reminder)
    return ToolResult(
        f"Deleted the reminder “{snapshot.text}”.",
        snapshot,
        Card.REMINDERS,
        _undo(
            "restore_reminder",
            f"bring back the reminder “{snapshot.text}”",
            snapshot=snapshot.model_dump(mode="json"),
        ),
    )


class SnoozeReminder(ToolInput):
    reminder: Reference = Field(description="Words from the reminder's text, or its id.")
    minutes: int = Field(default=10, ge=1, le=10_080, description="How long to snooze.")
    until: WhenText | None = Field(default=None, description="Snooze until then instead.")


def snooze_reminder(
    services: Services, args: SnoozeReminder, context: ExecutionContext
) -> ToolResult:
    change = services.tasks.snooze_reminder(args.reminder, args.minutes, until=args.until)
    return ToolResult(
        f"Snoozed {_reminder_line(change.reminder, context)}.",
        change.reminder,
        Card.REMINDERS,
        _undo(
            "restore_reminder",
            f"put “{change.reminder.text}” back to its old time",
            snapshot=change.previous.model_dump(mode="json"),
        ),
    )


# -- the catalog of this domain --------------------------------------------------------------

_W, _R = Operation.WRITE, Operation.READ

TOOLS: list[Tool[Any]] = [
    Tool(
        "tasks_list",
        DOMAIN,
        "List tasks/todos by status, priority, due date or assignee, most urgent first. "
        "Use for 'what's on my todo list', 'overdue tasks'.",
        ListTasks,
        list_tasks,
        _R,
        Risk.NONE,
        DataScope.ROLE_BASED,
        Card.TASKS,
        examples=(
            "what's on my to-do list",
            "which tasks are overdue",
            "what does Chloe still have to do",
        ),
    ),
    Tool(
        "tasks_create",
        DOMAIN,
        "Create a task/todo with an optional priority (inferred when unsaid), due date in "
        "words, assignee and linked record. Use for 'add a todo', 'I need to call X friday'.",
        CreateTask,
        create_task,
        _W,
        Risk.LOW,
        DataScope.ROLE_BASED,
        Card.TASKS,
        reversible=True,
        examples=(
            "add a todo to buy more towels",
            "put calling the accountant on my list for friday",
            "new task for Daniel: fix the door, high priority",
        ),
    ),
    Tool(
        "tasks_update",
        DOMAIN,
        "Change a task found by its title: title, priority, due date, assignee or status.",
        UpdateTask,
        update_task,
        _W,
        Risk.LOW,
        DataScope.ROLE_BASED,
        Card.TASKS,
        reversible=True,
        examples=(
            "make the towels task high priority",
            "move the accountant task to next week",
            "give the stock check task to Chloe",
        ),
    ),
    Tool(
        "tasks_complete",
        DOMAIN,
        "Mark one or several tasks done, found by title ('complete the milk todo').",
        CompleteTasks,
        complete_tasks,
        _W,
        Risk.LOW,
        DataScope.ROLE_BASED,
        Card.TASKS,
        reversible=True,
        examples=(
            "complete the milk todo",
            "tick off the towels task",
            "I've done the accountant call",
        ),
    ),
    Tool(
        "tasks_delete",
        DOMAIN,
        "Delete a task found by its title.",
        DeleteTask,
        delete_task,
        _W,
        Risk.MEDIUM,
        DataScope.ROLE_BASED,
        Card.TASKS,
        confirmation="Delete the task “{task}”?",
        reversible=True,
        examples=(
            "delete the towels todo",
            "remove the task about the accountant",
        ),
    ),
    Tool(
        "notes_list",
        DOMAIN,
        "List notes, general or attached to a client, invoice or appointment; search words.",
        ListNotes,
        list_notes,
        _R,
        Risk.NONE,
        DataScope.ROLE_BASED,
        Card.TABLE,
        examples=(
            "what notes have I written this week",
            "read me the notes about the landlord",
        ),
    ),
    Tool(
        "notes_create",
        DOMAIN,
        "Write a note, optionally attached to a client, invoice, appointment, quote or document.",
        CreateNote,
        create_note,
        _W,
        Risk.LOW,
        DataScope.ROLE_BASED,
        Card.TEXT,
        reversible=True,
        examples=(
            "write down that the new stock comes thursday",
            "add a note to invoice 42: customer asked for a receipt",
        ),
    ),
    Tool(
        "reminders_create",
        DOMAIN,
        "Remind the user of something at a time (desktop notification and voice when due). "
        "Use for 'remind me to call the dentist on Friday'.",
        CreateReminder,
        create_reminder,
        _W,
        Risk.LOW,
        DataScope.OWN,
        Card.REMINDERS,
        reversible=True,
        examples=(
            "remind me at 5 to lock the back door",
            "set a reminder for tomorrow morning to order foils",
        ),
    ),
    Tool(
        "reminders_list",
        DOMAIN,
        "The user's upcoming or past reminders.",
        ListReminders,
        list_reminders,
        _R,
        Risk.NONE,
        DataScope.OWN,
        Card.REMINDERS,
        examples=(
            "list my reminders",
            "what am I being reminded about this week",
        ),
    ),
    Tool(
        "reminders_delete",
        DOMAIN,
        "Delete one of the user's reminders, found by its words.",
        ReminderRef,
        delete_reminder,
        _W,
        Risk.MEDIUM,
        DataScope.OWN,
        Card.REMINDERS,
        confirmation="Delete the reminder “{reminder}”?",
        reversible=True,
        examples=(
            "remove the reminder about the landlord",
            "cancel the lock-up reminder",
        ),
    ),
    Tool(
        "reminders_snooze",
        DOMAIN,
        "Snooze a due reminder for some minutes or until a time.",
        SnoozeReminder,
        snooze_reminder,
        _W,
        Risk.LOW,
        DataScope.OWN,
        Card.REMINDERS,
        reversible=True,
        examples=(
            "snooze it for 15 minutes",
            "remind me about that again after lunch",
        ),
    ),
]

INVERSES = {
    (DOMAIN, "delete_task"): lambda s, a: s.tasks.delete_task(a["reference"]),
    (DOMAIN, "update_task"): lambda s, a: s.tasks.update_task(
        a["reference"], TaskChanges.model_validate(a["changes"])
    ),
    (DOMAIN, "reopen_tasks"): lambda s, a: s.tasks.reopen_tasks(a["ids"]),
    (DOMAIN, "restore_task"): lambda s, a: s.tasks.restore_task(
        TaskOut.model_validate(a["snapshot"])
    ),
    (DOMAIN, "delete_note"): lambda s, a: s.tasks.delete_note(a["reference"]),
    (DOMAIN, "delete_reminder"): lambda s, a: s.tasks.delete_reminder(a["reference"]),
    (DOMAIN, "restore_reminder"): lambda s, a: s.tasks.restore_reminder(
        ReminderOut.model_validate(a["snapshot"])
    ),
}
