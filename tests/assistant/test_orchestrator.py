"""The agentic turn with a scripted brain: tools, confirmations, choices, errors, budget."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
import sqlalchemy as sa

from luma_desktop.assistant.brains import (
    BrainRequest,
    ScriptedBrain,
    ToolCall,
    ToolCallBroken,
    ToolOutcome,
)
from luma_desktop.assistant.events import (
    ActionExecuted,
    ConfirmationRequired,
    DisambiguationRequired,
    ErrorOccurred,
    TextDelta,
    ToolFinished,
    ToolStarted,
    TurnComplete,
)
from luma_desktop.errors import BrainError
from luma_desktop.workspace.models import Appointment, AuditEntry, PendingAction, Task

from .conftest import collect, scripted

BOOKING = {"client": "Sarah Miller", "service": "Cut & blow-dry", "when": "tomorrow at 2pm"}


def _of(events, kind):
    return [e for e in events if isinstance(e, kind)]


def _outcomes(request: BrainRequest) -> list[ToolOutcome]:
    return list(request.messages[-1].outcomes)


def _count(workspace, model) -> int:
    with workspace.transaction(None) as session:
        return session.scalar(sa.select(sa.func.count()).select_from(model)) or 0


async def test_a_read_runs_at_once_and_its_result_goes_back(make_assistant):
    brain = scripted([ToolCall("c1", "banking_get_balance", {})], ["You have money."])
    assistant = make_assistant(brain)
    events = await collect(assistant.send("What's my balance?"))

    started, finished = _of(events, ToolStarted)[0], _of(events, ToolFinished)[0]
    assert (started.tool, finished.ok, finished.card) == ("banking_get_balance", True, "balance")
    assert "£" in finished.summary
    outcome = _outcomes(brain.requests[1])[0]
    assert outcome.call_id == "c1"
    assert not outcome.is_error
    assert json.loads(outcome.content)["summary"] == finished.summary
    done = events[-1]
    assert isinstance(done, TurnComplete)
    assert done.message == "You have money."
    assert done.waiting_for is None


async def test_a_booking_waits_for_yes_and_then_runs(make_assistant, demo_workspace):
    brain = scripted([ToolCall("b1", "scheduling_create_appointment", BOOKING)], ["Booked."])
    assistant = make_assistant(brain)
    before = _count(demo_workspace, Appointment)

    first = await collect(assistant.send("Book a haircut for Sarah Miller at 2pm tomorrow"))
    asked = _of(first, ConfirmationRequired)[0]
    assert asked.risk == "medium"
    assert "Sarah Miller" in asked.prompt
    assert first[-1].waiting_for == "confirmation"
    assert _count(demo_workspace, Appointment) == before
    assert len(brain.requests) == 1

    second = await collect(assistant.send("yes please"))
    assert _of(second, ActionExecuted)[0].tool == "scheduling_create_appointment"
    assert _count(demo_workspace, Appointment) == before + 1
    assert second[-1].message == "Booked."
    assert second[-1].waiting_for is None
    assert not _outcomes(brain.requests[1])[0].is_error


async def test_no_cancels_and_the_brain_is_told(make_assistant, demo_workspace):
    brain = scripted([ToolCall("b1", "scheduling_create_appointment", BOOKING)], ["Okay."])
    assistant = make_assistant(brain)
    before = _count(demo_workspace, Appointment)
    await collect(assistant.send("book sarah miller for a haircut tomorrow at 2"))
    await collect(assistant.send("no"))
    assert _count(demo_workspace, Appointment) == before
    outcome = _outcomes(brain.requests[1])[0]
    assert outcome.is_error
    assert "declined" in outcome.content


async def test_an_expired_confirmation_runs_nothing(make_assistant, demo_workspace, clock):
    brain = scripted([ToolCall("b1", "scheduling_create_appointment", BOOKING)], ["Sorry."])
    assistant = make_assistant(brain)
    before = _count(demo_workspace, Appointment)
    await collect(assistant.send("book sarah miller for a haircut tomorrow at 2"))
    clock.advance(timedelta(minutes=6))
    events = await collect(assistant.send("yes"))
    assert "expired" in _of(events, ErrorOccurred)[0].message
    assert _count(demo_workspace, Appointment) == before
    assert "expired" in _outcomes(brain.requests[1])[0].content
    with demo_workspace.transaction(None) as session:
        audited = session.scalars(sa.select(AuditEntry.outcome).order_by(AuditEntry.id)).all()
    assert audited[-1] == "expired"


async def test_an_altered_pending_action_is_refused(make_assistant, demo_workspace):
    brain = scripted([ToolCall("b1", "scheduling_create_appointment", BOOKING)], ["Sorry."])
    assistant = make_assistant(brain)
    before = _count(demo_workspace, Appointment)
    asked = _of(await collect(assistant.send("book sarah")), ConfirmationRequired)[0]
    with demo_workspace.transaction(None) as session:
        row = session.get(PendingAction, asked.pending_id)
        row.arguments = {**row.arguments, "client": "Sarah Thompson"}
    events = await collect(assistant.confirm(asked.pending_id))
    assert "changed" in _of(events, ErrorOccurred)[0].message
    assert _count(demo_workspace, Appointment) == before


async def test_edit_then_approve_runs_the_edited_call(make_assistant):
    brain = scripted([ToolCall("b1", "scheduling_create_appointment", BOOKING)], ["Done."])
    assistant = make_assistant(brain)
    asked = _of(await collect(assistant.send("book sarah")), ConfirmationRequired)[0]
    events = await collect(assistant.confirm(asked.pending_id, edits={"when": "tomorrow at 3pm"}))
    finished = _of(events, ToolFinished)[0]
    assert finished.ok
    assert "15:00" in finished.summary


async def test_ambiguous_sarah_asks_which_and_the_answer_reruns(make_assistant):
    brain = scripted([ToolCall("g1", "clients_get", {"client": "Sarah"})], ["Here she is."])
    assistant = make_assistant(brain)
    first = await collect(assistant.send("show me Sarah"))
    choice = _of(first, DisambiguationRequired)[0]
    labels = {c.label for c in choice.candidates}
    assert {"Sarah Miller", "Sarah Thompson"} <= labels
    assert first[-1].waiting_for == "choice"

    second = await collect(assistant.send("the one with the design email"))
    finished = _of(second, ToolFinished)[0]
    assert finished.ok
    assert "Sarah Thompson" in finished.summary
    assert _outcomes(brain.requests[1])[0].call_id == "g1"


async def test_choose_by_id_through_the_api(make_assistant):
    brain = scripted([ToolCall("g1", "clients_get", {"client": "Sarah"})], ["Here."])
    assistant = make_assistant(brain)
    choice = _of(await collect(assistant.send("show me Sarah")), DisambiguationRequired)[0]
    miller = next(c for c in choice.candidates if c.label == "Sarah Miller")
    events = await collect(assistant.choose(choice.call_id, miller.id))
    assert "Sarah Miller" in _of(events, ToolFinished)[0].summary


async def test_parallel_calls_return_together_in_order(make_assistant):
    calls = [
        ToolCall("p1", "banking_get_balance", {}),
        ToolCall("p2", "tasks_list", {}),
        ToolCall("p3", "no_such_tool", {}),
    ]
    brain = scripted(calls, ["Both done."])
    assistant = make_assistant(brain)
    await collect(assistant.send("balance and my tasks"))
    outcomes = _outcomes(brain.requests[1])
    assert [o.call_id for o in outcomes] == ["p1", "p2", "p3"]
    assert [o.is_error for o in outcomes] == [False, False, True]


async def test_at_most_ten_tool_calls_per_message(make_assistant):
    def script(request: BrainRequest):
        if not request.tools:
            return ["I stopped after ten lookups."]
        n = len(request.messages)
        return [ToolCall(f"t{n}a", "tasks_list", {}), ToolCall(f"t{n}b", "tasks_list", {})]

    brain = ScriptedBrain(script)
    assistant = make_assistant(brain)
    events = await collect(assistant.send("list my tasks forever"))
    assert len(_of(events, ToolStarted)) == 10
    assert events[-1].message.endswith("I stopped after ten lookups.")
    assert brain.requests[-1].tools == ()


async def test_a_broken_call_is_reported_and_runs_nothing(make_assistant, demo_workspace):
    broken = ToolCallBroken("x1", "tasks_create", '{"title": "milk', "unterminated string")
    brain = scripted([broken], ["Let me try again."])
    assistant = make_assistant(brain)
    before = _count(demo_workspace, Task)
    await collect(assistant.send("add milk"))
    assert _count(demo_workspace, Task) == before
    outcome = _outcomes(brain.requests[1])[0]
    assert outcome.is_error
    assert "not valid JSON" in outcome.content


async def test_a_repeated_call_id_never_runs_twice(make_assistant, demo_workspace):
    call = ToolCall("same", "tasks_create", {"title": "Buy shampoo"})
    brain = scripted([call], [call], ["Done."])
    assistant = make_assistant(brain)
    before = _count(demo_workspace, Task)
    await collect(assistant.send("add buy shampoo"))
    assert _count(demo_workspace, Task) == before + 1


async def test_a_brain_failure_offers_recovery_and_the_chat_goes_on(make_assistant, demo_workspace):
    down = BrainError("Claude is overloaded.", retryable=True, provider="claude")
    brain = scripted([down], ["Back again."])
    assistant = make_assistant(brain)
    events = await collect(assistant.send("call the supplier about towels"))
    error = _of(events, ErrorOccurred)[0]
    assert error.code == "brain"
    assert [o.action for o in error.options] == ["retry", "add_task"]
    before = _count(demo_workspace, Task)
    added = await collect(assistant.recover("add_task"))
    assert _count(demo_workspace, Task) == before + 1
    assert "task list" in added[-1].message
    again = await collect(assistant.send("hello?"))
    assert again[-1].message == "Back again."


async def test_a_crashing_service_yields_an_error_with_options(make_assistant, monkeypatch):
    from luma_desktop.workspace.services.banking import BankingService

    def explode(*args, **kwargs):
        raise RuntimeError("connection reset")

    monkeypatch.setattr(BankingService, "get_balance", explode)
    brain = scripted([ToolCall("c1", "banking_get_balance", {})], ["The bank is down."])
    assistant = make_assistant(brain)
    events = await collect(assistant.send("balance"))
    error = _of(events, ErrorOccurred)[0]
    assert {o.action for o in error.options} == {"retry", "add_task"}
    assert "connection reset" not in error.message
    assert events[-1].message == "The bank is down."


async def test_the_rate_limit_answers_clearly(make_assistant):
    brain = ScriptedBrain(lambda request: ["ok"])
    assistant = make_assistant(brain, per_minute=2)
    await collect(assistant.send("one"))
    await collect(assistant.send("two"))
    events = await collect(assistant.send("three"))
    assert _of(events, ErrorOccurred)[0].code == "rate_limited"
    assert len(brain.requests) == 2


async def test_empty_text_is_a_clear_error(make_assistant):
    brain = ScriptedBrain(lambda request: ["ok"])
    events = await collect(make_assistant(brain).send("   "))
    assert _of(events, ErrorOccurred)[0].code == "invalid"
    assert brain.requests == []


async def test_text_streams_as_deltas_and_is_stored(make_assistant):
    brain = scripted(["Hello ", "there."])
    assistant = make_assistant(brain)
    events = await collect(assistant.send("hi"))
    assert [e.text for e in _of(events, TextDelta)] == ["Hello ", "there."]
    stored = assistant.conversations.messages(assistant.context, assistant.conversation_id)
    assert [(m.role, m.text) for m in stored] == [("user", "hi"), ("assistant", "Hello there.")]


async def test_a_resumed_conversation_keeps_its_history(make_assistant):
    brain = scripted(
        [ToolCall("g1", "clients_get", {"client": "Sarah Miller"})], ["Found."], ["Ok"]
    )
    assistant = make_assistant(brain)
    await collect(assistant.send("show sarah miller"))
    conversation = assistant.conversation_id

    again = make_assistant(brain)
    await again.resume(conversation)
    await collect(again.send("and her phone?"))
    request = brain.requests[-1]
    assert [m.role for m in request.messages] == ["user", "assistant", "user", "assistant", "user"]
    assert "Sarah Miller" in request.context


async def test_every_action_is_audited(make_assistant, demo_workspace):
    brain = scripted(
        [ToolCall("a", "banking_get_balance", {}), ToolCall("b", "no_such_tool", {})], ["ok"]
    )
    await collect(make_assistant(brain).send("balance"))
    with demo_workspace.transaction(None) as session:
        outcomes = session.scalars(sa.select(AuditEntry.outcome).order_by(AuditEntry.id)).all()
    assert outcomes[-2:] == ["executed", "denied"]


async def test_the_fast_path_answers_without_the_llm(make_assistant):
    llm = ScriptedBrain(lambda request: ["from the llm"], name="claude")

    class Sure(ScriptedBrain):
        def is_confident(self, text: str) -> bool:
            return text == "what's my balance"

    fast = Sure(lambda request: ["from the fast path"], name="offline")
    assistant = make_assistant(llm, fast_path=fast)
    events = await collect(assistant.send("what's my balance"))
    assert events[-1].message == "from the fast path"
    assert events[-1].brain == "offline"
    events = await collect(assistant.send("something vague"))
    assert events[-1].brain == "claude"
    assert len(llm.requests) == 1


@pytest.mark.parametrize("answer", ["cancel", "never mind"], ids=["cancel", "never-mind"])
async def test_declining_words(make_assistant, demo_workspace, answer):
    brain = scripted([ToolCall("b1", "scheduling_create_appointment", BOOKING)], ["Okay."])
    assistant = make_assistant(brain)
    before = _count(demo_workspace, Appointment)
    await collect(assistant.send("book sarah"))
    await collect(assistant.send(answer))
    assert _count(demo_workspace, Appointment) == before


async def test_moving_on_drops_the_waiting_call(make_assistant, demo_workspace):
    brain = scripted([ToolCall("b1", "scheduling_create_appointment", BOOKING)], ["Your balance…"])
    assistant = make_assistant(brain)
    before = _count(demo_workspace, Appointment)
    await collect(assistant.send("book sarah"))
    await collect(assistant.send("actually what's my balance"))
    assert _count(demo_workspace, Appointment) == before
    history = brain.requests[-1].messages
    assert history[-2].outcomes[0].is_error
    assert "moved on" in history[-2].outcomes[0].content
    assert history[-1].text == "actually what's my balance"


async def test_a_long_conversation_is_summarised_and_stays_usable(make_assistant):
    brain = ScriptedBrain(lambda request: [f"Answer {len(request.messages)}."])
    assistant = make_assistant(brain)
    for number in range(14):
        await collect(assistant.send(f"question number {number}"))
    request = brain.requests[-1]
    assert len(request.messages) < 28
    assert "Earlier in this conversation" in request.context
    assert "question number 0" in request.context
    assert request.messages[0].role == "user"
