"""The offline brain in a conversation: proposals, questions across turns, and replies."""

from __future__ import annotations

import json

import pytest
import sqlalchemy as sa

from luma_desktop.assistant.brains import (
    Finished,
    Message,
    StateNote,
    TextBlock,
    ToolCall,
    ToolOutcome,
)
from luma_desktop.workspace.models import Task

from .conftest import calls, converse, run, text_of

pytestmark = pytest.mark.usefixtures("demo_workspace")


async def test_a_complete_request_becomes_one_tool_call(brain):
    events = await run(brain, Message.user("I need to call the dentist friday"))
    assert calls(events) == [
        ToolCall("offline_1", "tasks_create", {"title": "call the dentist", "due": "friday"})
    ]
    assert events[-1] == Finished("tool_use")


async def test_call_ids_count_the_calls_already_in_the_conversation(brain):
    earlier = Message("assistant", (ToolCall("offline_1", "tasks_list", {}),))
    outcome = Message("user", (ToolOutcome("offline_1", json.dumps({"summary": "No tasks."})),))
    reply = Message("assistant", (TextBlock("No tasks."),))
    events = await run(brain, earlier, outcome, reply, Message.user("what are my reminders"))
    assert calls(events) == [ToolCall("offline_2", "reminders_list", {})]


async def test_a_reminder_is_built_over_three_turns(brain):
    first, second, third = await converse(
        brain, "create a reminder", "meeting with the team", "tomorrow at 3pm"
    )
    assert text_of(first) == "What should I remind you about?"
    assert next(e for e in first if isinstance(e, StateNote)).data == {
        "offline": {
            "tool": "reminders_create",
            "arguments": {},
            "asking": "text",
            "tries": 0,
            "needs": ["text", "when"],
        }
    }
    assert text_of(second) == "When?"
    assert calls(third) == [
        ToolCall(
            "offline_1",
            "reminders_create",
            {"text": "meeting with the team", "when": "tomorrow at 3pm"},
        )
    ]
    assert third[-1] == Finished("tool_use")


async def test_one_answer_can_fill_the_asked_and_the_next_argument(brain):
    _, second = await converse(brain, "set a reminder", "to call mum tomorrow at 3")
    assert calls(second)[0].arguments == {"text": "call mum", "when": "tomorrow at 3"}


async def test_an_answer_of_the_wrong_kind_is_asked_again_then_dropped(brain):
    _, again, dropped = await converse(
        brain, "remind me to call mum", "whenever suits", "the blue one"
    )
    assert text_of(again).startswith("Sorry, I didn't get that. When?")
    assert "tomorrow at 3pm" in text_of(again)
    assert "left it" in text_of(dropped)
    assert not calls(dropped)
    assert not [e for e in dropped if isinstance(e, StateNote)]


@pytest.mark.parametrize("answer", ["never mind", "cancel", "no", "forget it"])
async def test_never_mind_drops_the_open_question(brain, answer):
    _, dropped = await converse(brain, "create a reminder", answer)
    assert text_of(dropped) == "OK, I've dropped that."
    assert not calls(dropped)
    assert not [e for e in dropped if isinstance(e, StateNote)]


async def test_a_new_complete_request_replaces_the_open_question(brain):
    _, switched = await converse(brain, "create a reminder", "what's on my list")
    assert calls(switched) == [ToolCall("offline_1", "tasks_list", {})]


async def test_the_working_context_fills_it(brain, working):
    working.records["task"] = 7
    events = await run(brain, Message.user("mark it as done"))
    assert calls(events)[0].arguments == {"tasks": [7]}


async def test_it_without_a_current_record_is_asked_for(brain):
    events = await run(brain, Message.user("snooze it for ten minutes"))
    assert text_of(events) == "Which reminder should I snooze?"
    assert not calls(events)


async def test_nothing_matching_gets_suggestions(brain):
    events = await run(brain, Message.user("remind bananas xylophone"))
    said = text_of(events)
    assert said.startswith("I didn't catch that. You could say: “")
    assert said.count("“") in (2, 3)
    assert events[-1] == Finished("end_turn")


async def test_outcomes_are_answered_with_their_summaries(brain):
    call = Message("assistant", (ToolCall("offline_1", "tasks_create", {"title": "x"}),))
    done = json.dumps({"summary": "Added the task x (medium).", "card": "tasks", "data": {}})
    events = await run(brain, call, Message("user", (ToolOutcome("offline_1", done),)))
    assert text_of(events) == "Added the task x (medium)."
    assert events[-1] == Finished("end_turn")


async def test_errors_are_answered_with_their_message(brain):
    call = Message("assistant", (ToolCall("offline_1", "tasks_delete", {"task": "zebra"}),))
    error = json.dumps({"error": "not_found", "message": "I couldn't find task “zebra”."})
    outcome = Message("user", (ToolOutcome("offline_1", error, is_error=True),))
    events = await run(brain, call, outcome)
    assert text_of(events) == "I couldn't find task “zebra”."


async def test_several_outcomes_make_one_short_answer(brain):
    call = Message(
        "assistant",
        (ToolCall("offline_1", "tasks_list", {}), ToolCall("offline_2", "reminders_list", {})),
    )
    outcomes = Message(
        "user",
        (
            ToolOutcome("offline_1", json.dumps({"summary": "No tasks match."})),
            ToolOutcome("offline_2", "not json at all"),
        ),
    )
    events = await run(brain, call, outcomes)
    assert text_of(events) == "No tasks match. not json at all"


async def test_a_request_without_a_user_message_still_finishes(brain):
    events = await run(brain, Message("assistant", (TextBlock("hello"),)))
    assert events[-1] == Finished("end_turn")
    assert text_of(events) == "I didn't catch that."


def test_understanding_writes_nothing(brain, demo_workspace, owner_context):
    def count() -> int:
        with demo_workspace.transaction(owner_context.business_id) as session:
            return session.scalar(sa.select(sa.func.count(Task.id))) or 0

    before = count()
    understood = brain.understand("add a task to order more towels")
    assert understood.tool == "tasks_create"
    assert count() == before


@pytest.mark.parametrize(
    ("text", "confident"),
    [
        pytest.param("tick off the milk", True, id="exact"),
        pytest.param("what's on my list", True, id="no-slots"),
        pytest.param("add a note to sara miler she prefers mornings", False, id="fuzzy-name"),
        pytest.param("tick off the dentist", False, id="unknown-task"),
        pytest.param("create a reminder", False, id="missing-slots"),
        pytest.param("sing me a song", False, id="no-match"),
    ],
)
def test_only_exact_complete_matches_are_confident(brain, text, confident):
    assert brain.is_confident(text) is confident


def test_understanding_reports_missing_arguments_and_the_question(brain):
    understood = brain.understand("create a reminder")
    assert understood.tool == "reminders_create"
    assert understood.missing == ("text", "when")
    assert understood.question == "What should I remind you about?"
    assert understood.to_dict()["missing"] == ["text", "when"]


async def test_a_required_optional_argument_is_asked_then_the_call_is_made(brain):
    asked, answered = await converse(brain, "chase it", "invoice 42")
    assert text_of(asked) == "Which invoice should I chase? Say its number, like invoice 42."
    state = next(e for e in asked if isinstance(e, StateNote)).data["offline"]
    assert state["needs"] == ["invoice"]
    assert calls(answered) == [
        ToolCall("offline_1", "invoices_send_reminder", {"invoice": "INV-0042"})
    ]


async def test_a_name_answer_fills_first_and_last_name(brain):
    asked, answered = await converse(brain, "add a client", "Maya Patel")
    assert text_of(asked) == "What's the new client's name?"
    assert calls(answered)[0].arguments == {"first_name": "Maya", "last_name": "Patel"}


def test_workspace_changed_makes_renamed_records_known_at_once(
    brain, demo_workspace, owner_context
):
    """A rename to a name of the same length escapes the version check: the hook catches it."""
    assert brain.understand("tick off the milk").arguments == {
        "tasks": ["Buy milk for the staff room"]
    }
    with demo_workspace.transaction(owner_context.business_id) as session:
        task = session.scalars(sa.select(Task).where(Task.title.like("Buy milk%"))).one()
        task.title = "Buy milk for the staff hall"
    brain.workspace_changed()
    assert brain.understand("tick off the milk").arguments == {
        "tasks": ["Buy milk for the staff hall"]
    }


async def test_an_answer_fills_only_the_argument_asked_for(brain):
    """``{client:keep+duplicate}`` exists, but the answer to "keep" is not the duplicate too."""
    _, kept = await converse(brain, "merge two clients", "Sarah Miller")
    assert text_of(kept) == "Which one is the duplicate to merge into it?"
    state = next(e for e in kept if isinstance(e, StateNote)).data["offline"]
    assert state["arguments"] == {"keep": "Sarah Miller"}
