"""Tasks and todos: list, create (priority inferred), update, complete, delete — by title."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, Literal

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ....errors import Invalid, NotFound, PermissionDenied
from ...models import Priority, Task, TaskStatus, User
from ...values import local_day_bounds
from ...when import ACCEPTED_FORMS, parse_day
from .._matching import Option, match_one
from .._references import Ref
from ._common import TasksBase, hash_id
from ._models import (
    CompletionResult,
    CreatedTask,
    SkippedTask,
    TaskChanges,
    TaskOut,
    TaskUpdate,
)
from ._priority import infer_priority

__all__ = ["TaskOps"]

_URGENCY = {Priority.URGENT: 0, Priority.HIGH: 1, Priority.MEDIUM: 2, Priority.LOW: 3}
_OPEN = (TaskStatus.OPEN, TaskStatus.IN_PROGRESS)


class TaskOps(TasksBase):
    """The task half of :class:`TasksService`."""

    def list_tasks(
        self,
        *,
        status: TaskStatus | Literal["active", "all"] | str = "active",
        priority: Priority | str | None = None,
        due_before: datetime | str | None = None,
        due_after: datetime | str | None = None,
        assignee: Ref | None = None,
        overdue: bool = False,
        own_only: bool = False,
        limit: int = 200,
    ) -> list[TaskOut]:
        """Tasks, most urgent first (priority, then due date; undated last).

        ``status`` "active" (default) means open or in progress. A day phrase as ``due_before``
        means before that day starts, as ``due_after`` after it ends ("after friday" is from
        Saturday); a datetime or time phrase is used as it is. ``own_only`` (forced for staff)
        keeps tasks the user created or is assigned.
        """
        self._member()
        with self._unit() as session:
            query = sa.select(Task)
            if status == "active":
                query = query.where(Task.status.in_(_OPEN))
            elif status != "all":
                query = query.where(Task.status == self._choice(TaskStatus, status, "status"))
            if priority is not None:
                query = query.where(Task.priority == self._choice(Priority, priority, "priority"))
            if due_before is not None:
                query = query.where(Task.due_at < self._bound(due_before, "due_before"))
            if due_after is not None:
                query = query.where(Task.due_at >= self._bound(due_after, "due_after"))
            if assignee is not None:
                query = query.where(Task.assignee_user_id == self._user(session, assignee).id)
            if overdue:
                query = query.where(
                    Task.status != TaskStatus.DONE, Task.due_at < self.context.now()
                )
            if own_only or self._own_scope:
                me = self._me()
                query = query.where(
                    sa.or_(Task.assignee_user_id == me, Task.created_by_user_id == me)
                )
            query = query.order_by(
                sa.case(_URGENCY, value=Task.priority), Task.due_at.is_(None), Task.due_at, Task.id
            )
            rows = session.scalars(query.limit(max(1, min(limit, 1000)))).all()
            return self._outs(session, rows)

    def create_task(
        self,
        title: str,
        *,
        description: str | None = None,
        priority: Priority | str | None = None,
        due: datetime | str | None = None,
        assignee: Ref | None = None,
        linked_type: str | None = None,
        linked_id: Ref | None = None,
    ) -> CreatedTask:
        """A new task; its priority follows the documented rules when not given."""
        self._member()
        clean_title = self._text(title, "title", 300, required=True) or ""
        clean_description = self._text(description, "description", 10_000, required=False)
        due_at = None if due is None else self._moment(due, "due")
        reason = None
        if priority is None:
            chosen, why = infer_priority(clean_title, clean_description, due_at, self.context.now())
            reason = f"{chosen.value}, because {why}"
        else:
            chosen = self._choice(Priority, priority, "priority")
        with self._unit() as session:
            assignee_id = None if assignee is None else self._user(session, assignee).id
            kind, record_id = self._link(session, linked_type, linked_id)
            task = Task(
                title=clean_title,
                description=clean_description,
                priority=chosen,
                status=TaskStatus.OPEN,
                due_at=due_at,
                assignee_user_id=assignee_id,
                created_by_user_id=self.context.user_id,
                linked_type=kind,
                linked_id=record_id,
                created_at=self.context.now(),
            )
            session.add(task)
            session.flush()
            out = self._outs(session, [task])[0]
            return CreatedTask(**out.model_dump(), priority_reason=reason)

    def update_task(self, reference: Ref, changes: TaskChanges) -> TaskUpdate:
        """Change a task found by title or id; ``previous`` holds the old values (undo)."""
        self._member()
        fields = changes.model_fields_set
        if not fields:
            raise Invalid(
                "Say what to change: title, description, priority, due, assignee or status."
            )
        with self._unit() as session:
            task = self._find(session, reference)
            previous: dict[str, Any] = {}
            for name in sorted(fields):
                previous[name] = self._apply(session, task, name, getattr(changes, name))
            session.flush()
            return TaskUpdate(task=self._outs(session, [task])[0], previous=TaskChanges(**previous))

    def complete_tasks(self, references: Sequence[Ref]) -> CompletionResult:
        """Mark tasks done ("complete the milk todo" → ``["milk"]``); done ones are skipped."""
        self._member()
        if not references:
            raise Invalid("Say which task to complete.", field="references")
        with self._unit() as session:
            done: list[Task] = []
            skipped: list[SkippedTask] = []
            for reference in references:
                task = self._find(session, reference)
                if task.status is TaskStatus.DONE:
                    reason = "listed twice" if task in done else "already done"
                    skipped.append(
                        SkippedTask(
                            reference=str(reference),
                            task_id=task.id,
                            title=task.title,
                            reason=reason,
                        )
                    )
                    continue
                task.status, task.completed_at = TaskStatus.DONE, self.context.now()
                done.append(task)
            session.flush()
            return CompletionResult(
                completed=self._outs(session, done),
                completed_ids=[t.id for t in done],
                skipped=skipped,
            )

    def reopen_tasks(self, task_ids: Sequence[int]) -> list[TaskOut]:
        """Open completed tasks again (the undo of :meth:`complete_tasks`)."""
        self._member()
        with self._unit() as session:
            tasks = [self._find(session, task_id) for task_id in task_ids]
            reopened = [t for t in tasks if t.status is TaskStatus.DONE]
            for task in reopened:
                task.status, task.completed_at = TaskStatus.OPEN, None
            session.flush()
            return self._outs(session, reopened)

    def delete_task(self, reference: Ref) -> TaskOut:
        """Delete a task by title or id; the snapshot returned lets :meth:`restore_task` undo."""
        self._member()
        with self._unit() as session:
            task = self._find(session, reference)
            snapshot = self._outs(session, [task])[0]
            session.delete(task)
            return snapshot

    def restore_task(self, snapshot: TaskOut) -> TaskOut:
        """Recreate a deleted task from its snapshot (with a new id)."""
        self._member()
        me = self.context.user_id
        if self._own_scope and me not in (snapshot.assignee_user_id, snapshot.created_by_user_id):
            raise PermissionDenied("You can only restore your own tasks.")
        with self._unit() as session:
            assignee = snapshot.assignee_user_id
            if assignee is not None and session.get(User, assignee) is None:
                assignee = None
            task = Task(
                title=snapshot.title,
                description=snapshot.description,
                priority=snapshot.priority,
                status=snapshot.status,
                due_at=snapshot.due_at,
                assignee_user_id=assignee,
                created_by_user_id=snapshot.created_by_user_id,
                linked_type=snapshot.linked_type,
                linked_id=snapshot.linked_id,
                created_at=snapshot.created_at,
                completed_at=snapshot.completed_at,
            )
            session.add(task)
            session.flush()
            return self._outs(session, [task])[0]

    # --- helpers -----------------------------------------------------------------------------

    def _bound(self, value: datetime | str, field: str) -> datetime:
        if isinstance(value, str):
            day = parse_day(value, self.context.today())
            if day is not None:
                start, end = local_day_bounds(day, self.context.tz)
                return start if field == "due_before" else end
        try:
            return self._moment(value, field)
        except Invalid:
            raise Invalid(
                f"I don't understand “{value}” as a date. {ACCEPTED_FORMS}", field=field
            ) from None

    def _visible(self, task: Task) -> bool:
        me = self.context.user_id
        return not self._own_scope or me in (task.assignee_user_id, task.created_by_user_id)

    def _find(self, session: Session, reference: Ref) -> Task:
        """A task by id/"#id" or (fuzzy) title; open tasks are preferred over done ones."""
        task_id = hash_id(reference)
        if task_id is not None:
            task = session.get(Task, task_id)
            if task is None:
                raise NotFound("task", f"#{task_id}")
            if not self._visible(task):
                raise PermissionDenied("That task is someone else's; you can change your own.")
            return task
        assert isinstance(reference, str)
        tasks = [t for t in session.scalars(sa.select(Task)).all() if self._visible(t)]
        tasks_open = [t for t in tasks if t.status in _OPEN]
        tasks_done = [t for t in tasks if t.status not in _OPEN]
        for pool in (tasks_open, tasks_done):
            try:
                chosen = match_one(reference, [self._option(t) for t in pool], "task")
            except NotFound:
                continue
            return next(t for t in pool if t.id == chosen)
        raise NotFound("task", reference)

    def _option(self, task: Task) -> Option:
        due = self._local(task.due_at)
        when = f"due {due:%a %-d %b %H:%M}" if due else "no due date"
        done = ", done" if task.status is TaskStatus.DONE else ""
        return Option(task.id, task.title, f"{when}, {task.priority.value} priority{done}")

    def _apply(self, session: Session, task: Task, name: str, value: Any) -> Any:
        """Set one field from :class:`TaskChanges`; returns the old value."""
        old: Any
        if name == "title":
            old, task.title = task.title, self._text(value, "title", 300, required=True) or ""
        elif name == "description":
            old = task.description
            task.description = self._text(value, "description", 10_000, required=False)
        elif name == "priority":
            if value is None:
                raise Invalid(
                    "A task always has a priority; choose low, medium, high or urgent.",
                    field="priority",
                )
            old, task.priority = task.priority, self._choice(Priority, value, "priority")
        elif name == "due":
            old = self._local(task.due_at)
            task.due_at = None if value is None else self._moment(value, "due")
        elif name == "assignee":
            old = task.assignee_user_id
            task.assignee_user_id = None if value is None else self._user(session, value).id
        else:
            if value is None:
                raise Invalid("Choose a status: open, in progress or done.", field="status")
            old, status = task.status, self._choice(TaskStatus, value, "status")
            if status is not task.status:
                task.status = status
                task.completed_at = self.context.now() if status is TaskStatus.DONE else None
        return old

    def _outs(self, session: Session, tasks: Sequence[Task]) -> list[TaskOut]:
        names = self._names(session, (t.assignee_user_id for t in tasks))
        labels = self._labels(session, ((t.linked_type, t.linked_id) for t in tasks))
        now = self.context.now()
        return [
            TaskOut(
                id=t.id,
                title=t.title,
                description=t.description,
                priority=t.priority,
                status=t.status,
                due_at=self._local(t.due_at),
                overdue=t.status is not TaskStatus.DONE and t.due_at is not None and t.due_at < now,
                assignee_user_id=t.assignee_user_id,
                assignee_name=names.get(t.assignee_user_id or 0),
                created_by_user_id=t.created_by_user_id,
                linked_type=t.linked_type,
                linked_id=t.linked_id,
                linked_label=labels.get((t.linked_type or "", t.linked_id or 0)),
                created_at=self._local(t.created_at) or now,
                completed_at=self._local(t.completed_at),
            )
            for t in tasks
        ]
