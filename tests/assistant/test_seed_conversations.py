"""The seed's conversation examples, end to end: the real anthropic SDK, the fake Messages
server on 127.0.0.1, the orchestrator, the gatekeeper and the demo workspace."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
import sqlalchemy as sa

from luma_desktop.assistant.brains import ScriptedBrain
from luma_desktop.assistant.brains.claude import ClaudeBrain
from luma_desktop.assistant.events import (
    ActionExecuted,
    ConfirmationRequired,
    DisambiguationRequired,
    ErrorOccurred,
    TextDelta,
    ToolFinished,
    TurnComplete,
)
from luma_desktop.workspace.models import Appointment, Client, Invoice

from ..fakes.anthropic_server import (
    FakeAnthropicServer,
    ToolUse,
    http_error,
    text_reply,
    tool_reply,
)
from .conftest import collect


async def _no_wait(seconds: float) -> None:
    return None


@pytest.fixture
def server() -> Iterator[FakeAnthropicServer]:
    fake = FakeAnthropicServer()
    with fake:
        yield fake


@pytest.fixture
def claude(server) -> ClaudeBrain:
    return ClaudeBrain(
        api_key="sk-test", model="claude-sonnet-4-6", base_url=server.base_url, sleep=_no_wait
    )


def _of(events, kind):
    return [e for e in events if isinstance(e, kind)]


def _count(workspace, model) -> int:
    with workspace.transaction(None) as session:
        return session.scalar(sa.select(sa.func.count()).select_from(model)) or 0


def _tool_results(request) -> list[dict]:
    last = request.body["messages"][-1]
    return [block for block in last["content"] if block.get("type") == "tool_result"]


async def test_balance(make_assistant, server, claude):
    server.add(
        tool_reply([ToolUse("banking_get_balance", {}, id="toolu_bal")], text="Checking."),
        text_reply("You have plenty in the bank.", chunks=4),
    )
    async with make_assistant(claude) as assistant:
        events = await collect(assistant.send("What's my balance?"))
    assert _of(events, ToolFinished)[0].card == "balance"
    assert "".join(e.text for e in _of(events, TextDelta)).endswith("plenty in the bank.")
    result = _tool_results(server.requests[1])[0]
    assert result["tool_use_id"] == "toolu_bal"
    assert "£" in json.loads(result["content"])["summary"]
    assert events[-1].usage.input_tokens > 0


async def test_booking_with_confirmation(make_assistant, server, claude, demo_workspace):
    booking = {"client": "Sarah Miller", "service": "Cut & blow-dry", "when": "tomorrow at 2pm"}
    server.add(
        tool_reply([ToolUse("scheduling_create_appointment", booking, id="toolu_book")]),
        text_reply("Booked Sarah in for tomorrow at 2pm."),
    )
    before = _count(demo_workspace, Appointment)
    async with make_assistant(claude) as assistant:
        first = await collect(assistant.send("Book a haircut for Sarah Miller at 2pm tomorrow"))
        asked = _of(first, ConfirmationRequired)[0]
        assert "Thu 19 Nov at 14:00" in asked.prompt
        assert _count(demo_workspace, Appointment) == before
        second = await collect(assistant.send("yes"))
    assert _of(second, ActionExecuted)[0].tool == "scheduling_create_appointment"
    assert _count(demo_workspace, Appointment) == before + 1
    assert second[-1].message == "Booked Sarah in for tomorrow at 2pm."
    assert not _tool_results(server.requests[1])[0].get("is_error")


async def test_disambiguating_the_two_sarahs(make_assistant, server, claude):
    server.add(
        tool_reply([ToolUse("clients_get", {"client": "Sarah"}, id="toolu_sarah")]),
        text_reply("Sarah Thompson's details are on screen."),
    )
    async with make_assistant(claude) as assistant:
        first = await collect(assistant.send("Pull up Sarah"))
        choice = _of(first, DisambiguationRequired)[0]
        assert {"Sarah Miller", "Sarah Thompson"} <= {c.label for c in choice.candidates}
        second = await collect(assistant.send("Sarah Thompson"))
    assert "Sarah Thompson" in _of(second, ToolFinished)[0].summary
    assert _tool_results(server.requests[1])[0]["tool_use_id"] == "toolu_sarah"


async def test_onboarding_a_client_then_a_draft_invoice(
    make_assistant, server, claude, demo_workspace
):
    new_client = {"first_name": "Maya", "last_name": "Patel", "email": "maya@patel.test"}
    invoice = {
        "client": "Maya Patel",
        "lines": [{"description": "Bridal trial", "unit_price": "120"}],
    }
    server.add(
        tool_reply([ToolUse("clients_create", new_client, id="toolu_client")]),
        tool_reply([ToolUse("invoices_create", invoice, id="toolu_invoice")]),
        text_reply("Maya is set up, and her draft invoice for £120 is ready."),
    )
    clients, invoices = _count(demo_workspace, Client), _count(demo_workspace, Invoice)
    async with make_assistant(claude) as assistant:
        await collect(assistant.send("New client Maya Patel, maya@patel.test, invoice her £120"))
        step = await collect(assistant.send("yes"))
        assert _of(step, ConfirmationRequired)[0].tool == "invoices_create"
        done = await collect(assistant.send("go ahead"))
    assert _count(demo_workspace, Client) == clients + 1
    assert _count(demo_workspace, Invoice) == invoices + 1
    assert done[-1].message.startswith("Maya is set up")


async def test_service_down_recovery(make_assistant, server, claude, demo_workspace):
    server.add(*[http_error(529) for _ in range(4)], text_reply("I'm back."))
    fallback = ScriptedBrain(lambda request: ["Offline answer."], name="offline")
    async with make_assistant(claude, fallback=fallback) as assistant:
        events = await collect(assistant.send("How many appointments today?"))
        error = _of(events, ErrorOccurred)[0]
        assert error.code == "brain"
        assert [o.action for o in error.options] == ["retry", "offline", "add_task"]
        assert isinstance(events[-1], TurnComplete)
        retried = await collect(assistant.recover("retry"))
    assert retried[-1].message == "I'm back."
    assert len(server.requests) == 5


async def test_a_local_model_books_with_confirmation(make_assistant, demo_workspace):
    from luma_desktop.assistant.brains.openai_compat import OpenAICompatibleBrain

    from ..fakes.openai_server import FakeCall, FakeOpenAIServer
    from ..fakes.openai_server import text_reply as local_text
    from ..fakes.openai_server import tool_reply as local_tools

    booking = {"client": "Sarah Miller", "service": "Cut & blow-dry", "when": "tomorrow at 2pm"}
    server = FakeOpenAIServer(
        [
            local_tools([FakeCall("scheduling_create_appointment", booking)], split_points=(7, 30)),
            local_text("All booked.", chunks=3),
        ]
    )
    before = _count(demo_workspace, Appointment)
    with server as base_url:
        brain = OpenAICompatibleBrain(base_url=base_url, model="llama3.1", sleep=_no_wait)
        async with make_assistant(brain) as assistant:
            first = await collect(assistant.send("book sarah miller for a cut tomorrow at 2"))
            assert _of(first, ConfirmationRequired)
            second = await collect(assistant.send("yes"))
    assert _count(demo_workspace, Appointment) == before + 1
    assert second[-1].message == "All booked."
    tool_message = server.requests[-1]["messages"][-1]
    assert tool_message["role"] == "tool"
    assert "Sarah Miller" in tool_message["content"]
