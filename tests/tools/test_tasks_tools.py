"""Tasks, notes and reminders tools through the executor, on the demo business."""

import pytest

from luma_desktop.errors import Ambiguous, Invalid, PermissionDenied
from luma_desktop.workspace.models import Role


def test_create_list_complete_and_undo(executor, owner):
    created = executor.execute(
        owner, "tasks_create", {"title": "Order more shampoo asap", "due": "tomorrow at 10am"}
    )
    assert "Order more shampoo asap (urgent" in created.summary
    listed = executor.execute(owner, "tasks_list", {"priority": "urgent"})
    assert any(t.title == "Order more shampoo asap" for t in listed.data)

    done = executor.execute(owner, "tasks_complete", {"tasks": ["shampoo"]})
    assert done.summary.startswith("Done: Order more shampoo asap")
    undone = executor.execute(owner, "assistant_undo_last", {})
    assert undone.summary == "Undone: reopen Order more shampoo asap."
    again = executor.execute(owner, "tasks_list", {"priority": "urgent"})
    assert any(
        t.title == "Order more shampoo asap" and t.status.value == "open" for t in again.data
    )


def test_delete_then_undo_brings_the_task_back(executor, owner):
    executor.execute(owner, "tasks_create", {"title": "Fix the back door lock"})
    deleted = executor.execute(owner, "tasks_delete", {"task": "back door"})
    assert deleted.summary == "Deleted the task “Fix the back door lock”."
    executor.execute(owner, "assistant_undo_last", {})
    titles = [t.title for t in executor.execute(owner, "tasks_list", {"limit": 200}).data]
    assert "Fix the back door lock" in titles


def test_update_undo_restores_previous_priority(executor, owner):
    executor.execute(owner, "tasks_create", {"title": "Repaint the sign", "priority": "low"})
    executor.execute(owner, "tasks_update", {"task": "repaint", "priority": "high"})
    executor.execute(owner, "assistant_undo_last", {})
    (task,) = [
        t
        for t in executor.execute(owner, "tasks_list", {"limit": 200}).data
        if t.title == "Repaint the sign"
    ]
    assert task.priority.value == "low"


def test_reminder_with_words_and_undo(executor, owner):
    made = executor.execute(
        owner, "reminders_create", {"text": "call the dentist", "when": "friday at 3"}
    )
    assert made.summary == "I'll remind you of “call the dentist” at Fri 20 Nov, 15:00."
    snoozed = executor.execute(owner, "reminders_snooze", {"reminder": "dentist", "minutes": 30})
    assert "15:30" in snoozed.summary
    executor.execute(owner, "assistant_undo_last", {})
    upcoming = executor.execute(owner, "reminders_list", {}).data
    (dentist,) = [r for r in upcoming if r.text == "call the dentist"]
    assert (dentist.due_at.hour, dentist.due_at.minute) == (15, 0)


@pytest.mark.parametrize(
    ("tool", "arguments", "message"),
    [
        pytest.param("tasks_create", {"title": ""}, "title", id="empty-title"),
        pytest.param(
            "tasks_create", {"title": "x", "due": "when pigs fly"}, "don't understand", id="bad-due"
        ),
        pytest.param(
            "tasks_create", {"title": "x", "priority": "whenever"}, "priority", id="bad-priority"
        ),
        pytest.param(
            "tasks_create", {"title": "x", "business_id": 2}, "not an argument", id="forged-scope"
        ),
        pytest.param(
            "reminders_create",
            {"text": "x", "when": "yesterday at 9"},
            "already passed",
            id="past-reminder",
        ),
        pytest.param(
            "reminders_snooze", {"reminder": "x", "minutes": 0}, "minutes", id="zero-snooze"
        ),
    ],
)
def test_bad_input_is_refused_and_writes_nothing(executor, owner, tool, arguments, message):
    before = len(executor.execute(owner, "tasks_list", {"status": "all", "limit": 200}).data)
    with pytest.raises(Invalid, match=message):
        executor.execute(owner, tool, arguments)
    after = len(executor.execute(owner, "tasks_list", {"status": "all", "limit": 200}).data)
    assert after == before


def test_ambiguous_title_asks(executor, owner):
    executor.execute(owner, "tasks_create", {"title": "Call Sarah about colour"})
    executor.execute(owner, "tasks_create", {"title": "Call Sarah about the invoice"})
    with pytest.raises(Ambiguous) as caught:
        executor.execute(owner, "tasks_complete", {"tasks": ["call sarah"]})
    labels = {c.label for c in caught.value.candidates}
    assert {"Call Sarah about colour", "Call Sarah about the invoice"} <= labels


def test_client_portal_cannot_see_or_run_task_tools(executor, as_role):
    client = as_role(Role.CLIENT)
    visible = {t.name for t in executor.accessible_tools(client)}
    assert not visible & {"tasks_list", "tasks_create", "reminders_create"}
    with pytest.raises(PermissionDenied):
        executor.execute(client, "tasks_create", {"title": "sneaky"})


def test_reminders_are_personal(executor, as_role):
    staff, manager = as_role(Role.STAFF), as_role(Role.MANAGER)
    executor.execute(staff, "reminders_create", {"text": "restock towels", "when": "in 2 hours"})
    mine = executor.execute(staff, "reminders_list", {}).data
    theirs = executor.execute(manager, "reminders_list", {}).data
    assert any(r.text == "restock towels" for r in mine)
    assert not any(r.text == "restock towels" for r in theirs)


def test_nothing_to_undo_is_said_plainly(executor, as_role):
    admin = as_role(Role.ADMIN)
    result = executor.execute(admin, "assistant_undo_last", {})
    assert result.summary.startswith("There is nothing I can undo")
