"""The back office: tasks (one about milk), notes and personal reminders."""

from __future__ import annotations

from datetime import timedelta

from ..models import Importance, Note, Priority, Reminder, ReminderStatus, Task, TaskStatus
from ._builder import Seeder, load

__all__ = ["seed_office"]


def seed_office(s: Seeder) -> None:
    """Tasks with mixed priorities, states and due times; notes; reminders (one already past)."""
    content = load("content")
    owner = s.users["emma"]
    for spec in content["tasks"]:
        due = s.at(s.days(spec["due_days"]), spec["due_time"]) if spec["due_time"] else None
        status = TaskStatus(spec["status"])
        created = s.now - timedelta(days=s.rng.randint(1, 12), hours=s.rng.randint(0, 6))
        client = s.clients[spec["client"]] if spec.get("client") else None
        s.add(
            Task(
                title=spec["title"],
                description=spec.get("description"),
                priority=Priority(spec["priority"]),
                status=status,
                due_at=due,
                assignee_user_id=s.users[spec["assignee"]].id if spec["assignee"] else None,
                created_by_user_id=owner.id,
                completed_at=min(due or s.now, s.now) if status is TaskStatus.DONE else None,
                linked_type="client" if client else None,
                linked_id=client.id if client else None,
            ),
            created=min(created, due) if due else created,
        )
    for spec in content["notes"]:
        client = s.clients[spec["client"]] if spec.get("client") else None
        s.add(
            Note(
                title=spec["title"],
                body=spec["body"],
                author_user_id=s.users[spec["author"]].id,
                linked_type="client" if client else None,
                linked_id=client.id if client else None,
            ),
            created=s.now + timedelta(days=spec["days"]),
        )
    for spec in content["reminders"]:
        due = s.now + timedelta(minutes=spec["minutes"])
        past = bool(spec.get("past"))
        s.add(
            Reminder(
                user_id=s.users[spec["user"]].id,
                text=spec["text"],
                due_at=due,
                importance=Importance(spec["importance"]),
                status=ReminderStatus.FIRED if past else ReminderStatus.PENDING,
                fired_at=due if past else None,
                snooze_count=0,
            ),
            created=min(due, s.now) - timedelta(hours=s.rng.randint(2, 48)),
        )
