"""The offline brain as the assistant's only brain: whole turns through the real orchestrator."""

from __future__ import annotations

from luma_desktop.assistant.brains.offline import OfflineBrain
from luma_desktop.assistant.events import (
    ActionExecuted,
    ConfirmationRequired,
    TurnComplete,
)

from ..conftest import collect


def offline_assistant(make_assistant, demo_workspace, registry, owner_context):
    brain = OfflineBrain(demo_workspace, registry, owner_context)
    assistant = make_assistant(brain)
    brain.working = assistant.working
    return assistant


async def say(assistant, text):
    events = await collect(assistant.send(text))
    complete = events[-1]
    assert isinstance(complete, TurnComplete)
    return events, complete


async def test_a_reminder_with_slot_filling_is_created(
    make_assistant, demo_workspace, registry, owner_context
):
    assistant = offline_assistant(make_assistant, demo_workspace, registry, owner_context)
    _, first = await say(assistant, "create a reminder")
    assert first.message == "What should I remind you about?"
    _, second = await say(assistant, "meeting with the team")
    assert second.message == "When?"
    events, third = await say(assistant, "tomorrow at 3pm")
    assert [e.tool for e in events if isinstance(e, ActionExecuted)] == ["reminders_create"]
    assert third.message == "I'll remind you of “meeting with the team” at Thu 19 Nov, 15:00."
    assert third.brain == "offline"


async def test_a_risky_request_still_needs_confirmation(
    make_assistant, demo_workspace, registry, owner_context
):
    assistant = offline_assistant(make_assistant, demo_workspace, registry, owner_context)
    events, complete = await say(assistant, "delete the milk task")
    (asked,) = [e for e in events if isinstance(e, ConfirmationRequired)]
    assert asked.tool == "tasks_delete"
    assert asked.arguments == {"task": "Buy milk for the staff room"}
    assert complete.waiting_for == "confirmation"
    assert not [e for e in events if isinstance(e, ActionExecuted)]


async def test_it_refers_to_the_task_just_named(
    make_assistant, demo_workspace, registry, owner_context
):
    assistant = offline_assistant(make_assistant, demo_workspace, registry, owner_context)
    await say(assistant, "add a task to order more towels")
    events, complete = await say(assistant, "make it urgent")
    (done,) = [e for e in events if isinstance(e, ActionExecuted)]
    assert done.tool == "tasks_update"
    assert "order more towels (urgent" in complete.message
