"""ClaudeBrain driven through the real ``anthropic`` SDK against the fake Messages server."""

from __future__ import annotations

import json
import socket
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest

from luma_desktop.assistant.brains.base import (
    BrainEvent,
    BrainRequest,
    Finished,
    Message,
    TextBlock,
    TextChunk,
    ToolCall,
    ToolCallBroken,
    ToolCallReady,
    ToolOutcome,
    UsageReport,
)
from luma_desktop.assistant.brains.claude import ClaudeBrain
from luma_desktop.assistant.events import Usage
from luma_desktop.errors import BrainError

from ..fakes.anthropic_server import (
    FakeAnthropicServer,
    Reply,
    SseReply,
    ToolUse,
    cut_at_max_tokens,
    error_midstream,
    http_error,
    interleaved_tool_reply,
    no_message_stop,
    text_reply,
    tool_reply,
)

MODEL = "claude-sonnet-4-6"
SAMPLE = '{"client": "Sarah Miller", "service": "Haircut", "when": "tomorrow at 2pm"}'
SAMPLE_ARGS = json.loads(SAMPLE)
TOOLS = (
    {"name": "clients_search", "description": "Find clients.", "input_schema": {"type": "object"}},
    {"name": "scheduling_book", "description": "Book.", "input_schema": {"type": "object"}},
    {"name": "banking_get_balance", "description": "Balance.", "input_schema": {"type": "object"}},
)
REQUEST = BrainRequest(
    system="You are Luma, the assistant of Studio Nova.",
    context="Now: Wednesday 18 November 2026, 14:30 (Europe/London).",
    messages=(Message.user("Book Sarah Miller for a haircut tomorrow at 2pm"),),
    tools=TOOLS,
    max_tokens=700,
    temperature=0.3,
)


class Sleeps:
    """The injected sleep: records the waits instead of waiting."""

    def __init__(self) -> None:
        self.waits: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)


@pytest.fixture
def server() -> Iterator[FakeAnthropicServer]:
    fake = FakeAnthropicServer()
    with fake:
        yield fake


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


@pytest.fixture
async def brain(server: FakeAnthropicServer, sleeps: Sleeps) -> AsyncIterator[ClaudeBrain]:
    claude = ClaudeBrain(api_key="sk-ant-test", model=MODEL, base_url=server.base_url, sleep=sleeps)
    yield claude
    await claude.aclose()


async def collect(brain: ClaudeBrain, request: BrainRequest = REQUEST) -> list[BrainEvent]:
    return [event async for event in brain.respond(request)]


async def collect_failure(
    brain: ClaudeBrain, request: BrainRequest = REQUEST
) -> tuple[list[BrainEvent], BrainError]:
    """The events yielded before the brain raised, and the error."""
    events: list[BrainEvent] = []
    with pytest.raises(BrainError) as caught:
        async for event in brain.respond(request):
            events.append(event)
    return events, caught.value


def text_of(events: list[BrainEvent]) -> str:
    return "".join(event.text for event in events if isinstance(event, TextChunk))


def ready(events: list[BrainEvent]) -> list[ToolCall]:
    return [event.call for event in events if isinstance(event, ToolCallReady)]


# -- streaming -------------------------------------------------------------------------------


async def test_text_streams_as_it_arrives(brain, server):
    server.add(text_reply("Your balance is £4,210.50.", chunks=6))

    events = await collect(brain)

    chunks = [event for event in events if isinstance(event, TextChunk)]
    assert len(chunks) == 6
    assert text_of(events) == "Your balance is £4,210.50."
    assert isinstance(events[-2], UsageReport)
    assert events[-1] == Finished("end_turn")


async def test_events_split_anywhere_on_the_wire_still_parse(brain, server):
    call = ToolUse("scheduling_book", SAMPLE_ARGS)
    reply = tool_reply([call], text="Booking that now.", split_points=[5, 30])
    server.add(SseReply(reply.events, write_size=7))

    events = await collect(brain)

    assert text_of(events) == "Booking that now."
    assert ready(events) == [ToolCall(call.id, "scheduling_book", SAMPLE_ARGS)]


@pytest.mark.parametrize(
    "split_points",
    [pytest.param([point], id=f"at-{point}") for point in range(1, len(SAMPLE))]
    + [pytest.param(list(range(1, len(SAMPLE))), id="every-character")],
)
async def test_tool_json_split_at_any_point_gives_one_exact_call(brain, server, split_points):
    call = ToolUse("scheduling_book", SAMPLE)
    server.add(tool_reply([call], split_points=split_points))

    events = await collect(brain)

    assert ready(events) == [ToolCall(call.id, "scheduling_book", SAMPLE_ARGS)]
    assert not [event for event in events if isinstance(event, ToolCallBroken)]
    assert events[-1] == Finished("tool_use")


async def test_interleaved_parallel_tool_blocks_each_complete(brain, server):
    calls = [
        ToolUse("clients_search", {"query": "Sarah"}),
        ToolUse("scheduling_book", SAMPLE_ARGS),
        ToolUse("banking_get_balance", {}),
    ]
    server.add(interleaved_tool_reply(calls, fragments=4))

    events = await collect(brain)

    proposed = ready(events)
    assert sorted(proposed, key=lambda c: c.id) == sorted(
        (ToolCall(c.id, c.name, dict(c.arguments)) for c in calls), key=lambda c: c.id
    )
    assert [c.name for c in proposed] == [
        "banking_get_balance",
        "scheduling_book",
        "clients_search",
    ]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        pytest.param("", {}, id="empty-input"),
        pytest.param("{}", {}, id="empty-object"),
        pytest.param('  {"limit": 20} ', {"limit": 20}, id="whitespace"),
    ],
)
async def test_tool_inputs_that_parse(brain, server, raw, expected):
    call = ToolUse("banking_list_transactions", raw)
    server.add(tool_reply([call]))

    events = await collect(brain)

    assert ready(events) == [ToolCall(call.id, "banking_list_transactions", expected)]


@pytest.mark.parametrize(
    ("raw", "problem"),
    [
        pytest.param('{"client": "Sarah"', "not valid JSON", id="unterminated"),
        pytest.param('{"client": Sarah}', "not valid JSON", id="bare-word"),
        pytest.param('["Sarah"]', "must be a JSON object, not list", id="list"),
        pytest.param('"Sarah"', "must be a JSON object, not str", id="string"),
    ],
)
async def test_complete_blocks_that_do_not_parse_are_broken_not_ready(brain, server, raw, problem):
    call = ToolUse("clients_search", raw)
    server.add(tool_reply([call], split_points=[3]))

    events = await collect(brain)

    assert ready(events) == []
    broken = [event for event in events if isinstance(event, ToolCallBroken)]
    assert [(b.id, b.name, b.raw) for b in broken] == [(call.id, "clients_search", raw)]
    assert problem in broken[0].problem


@pytest.mark.parametrize(
    ("close_block", "broken_count"),
    [pytest.param(False, 0, id="block-left-open"), pytest.param(True, 1, id="block-closed")],
)
async def test_max_tokens_mid_tool_json_never_proposes_the_cut_call(
    brain, server, close_block, broken_count
):
    call = ToolUse("scheduling_book", SAMPLE)
    server.add(cut_at_max_tokens(call, keep=40, text="Let me book that.", close_block=close_block))

    events = await collect(brain)

    assert ready(events) == []
    assert len([e for e in events if isinstance(e, ToolCallBroken)]) == broken_count
    assert text_of(events) == "Let me book that."
    assert events[-1] == Finished("max_tokens")


async def test_usage_maps_input_output_and_cache_tokens(brain, server):
    usage = {
        "input_tokens": 120,
        "cache_creation_input_tokens": 2048,
        "cache_read_input_tokens": 300,
        "output_tokens": 57,
    }
    server.add(text_reply("Done.", usage=usage))

    events = await collect(brain)

    reports = [event.usage for event in events if isinstance(event, UsageReport)]
    assert reports == [
        Usage(input_tokens=120, output_tokens=57, cache_read_tokens=300, cache_write_tokens=2048)
    ]


# -- failures mid-stream ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("error_type", "retryable"),
    [
        pytest.param("overloaded_error", True, id="overloaded"),
        pytest.param("api_error", True, id="api-error"),
        pytest.param("invalid_request_error", False, id="invalid-request"),
    ],
)
async def test_error_event_after_text_raises_without_retry(
    brain, server, sleeps, error_type, retryable
):
    server.add(error_midstream("Booking Sarah", error_type=error_type), text_reply("unused"))

    events, error = await collect_failure(brain)

    assert text_of(events) == "Booking Sarah"
    assert error.retryable is retryable
    assert error.provider == "claude"
    assert len(server.requests) == 1
    assert sleeps.waits == []


async def test_error_event_before_anything_was_yielded_is_retried(brain, server, sleeps):
    server.add(error_midstream(), text_reply("Here you go."))

    events = await collect(brain)

    assert text_of(events) == "Here you go."
    assert len(server.requests) == 2
    assert sleeps.waits == [1.0]


@pytest.mark.parametrize(
    "abort", [pytest.param(False, id="clean-end"), pytest.param(True, id="dropped")]
)
async def test_stream_without_message_stop_raises_and_proposes_nothing(
    brain, server, sleeps, abort
):
    call = ToolUse("scheduling_book", SAMPLE)
    server.add(no_message_stop("Sure.", call, keep=50, abort=abort), text_reply("unused"))

    events, error = await collect_failure(brain)

    assert text_of(events) == "Sure."
    assert ready(events) == []
    assert not any(isinstance(event, Finished) for event in events)
    assert error.retryable is True
    assert "cut off" in error.message
    assert len(server.requests) == 1
    assert sleeps.waits == []


async def test_complete_call_then_dropped_stream_is_an_error_not_a_proposal_to_run(brain, server):
    call = ToolUse("clients_search", {"query": "Sarah"})
    reply = tool_reply([call])
    server.add(SseReply(reply.events[:-2], abort=True), text_reply("unused"))

    events, error = await collect_failure(brain)

    assert ready(events) == [ToolCall(call.id, "clients_search", {"query": "Sarah"})]
    assert not any(isinstance(event, Finished) for event in events)
    assert error.retryable is True
    assert len(server.requests) == 1


async def test_connection_dropped_after_message_stop_keeps_the_whole_message(brain, server):
    reply = text_reply("All done.", chunks=2)
    server.add(SseReply(reply.events, abort=True), text_reply("unused"))

    events = await collect(brain)

    assert text_of(events) == "All done."
    assert events[-1] == Finished("end_turn")
    assert len(server.requests) == 1


async def test_stream_ending_early_before_any_output_is_retried(brain, server, sleeps):
    server.add(no_message_stop(), text_reply("Second time lucky."))

    events = await collect(brain)

    assert text_of(events) == "Second time lucky."
    assert len(server.requests) == 2
    assert sleeps.waits == [1.0]


# -- HTTP errors and retries -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("headers", "wait"),
    [
        pytest.param({"retry-after": "7"}, 7.0, id="retry-after"),
        pytest.param({"retry-after-ms": "1500", "retry-after": "2"}, 1.5, id="retry-after-ms"),
        pytest.param({}, 1.0, id="no-header-backoff"),
    ],
)
async def test_429_is_retried_after_the_wait_the_server_asks(brain, server, sleeps, headers, wait):
    server.add(http_error(429, headers=headers), text_reply("Booked."))

    events = await collect(brain)

    assert text_of(events) == "Booked."
    assert sleeps.waits == [wait]
    assert len(server.requests) == 2


async def test_429_retry_after_as_http_date(brain, server, sleeps):
    when = format_datetime(datetime.now(UTC) + timedelta(seconds=30), usegmt=True)
    server.add(http_error(429, headers={"retry-after": when}), text_reply("Booked."))

    await collect(brain)

    assert len(sleeps.waits) == 1
    assert 20 < sleeps.waits[0] <= 30


async def test_429_asking_for_a_long_wait_tells_the_user_instead(brain, server, sleeps):
    server.add(http_error(429, headers={"retry-after": "120"}), text_reply("unused"))

    _, error = await collect_failure(brain)

    assert error.retryable is True
    assert "120 seconds" in error.message
    assert sleeps.waits == []
    assert len(server.requests) == 1


async def test_529_is_retried_with_exponential_backoff(brain, server, sleeps):
    server.add(http_error(529), http_error(529), http_error(529), text_reply("Finally."))

    events = await collect(brain)

    assert text_of(events) == "Finally."
    assert sleeps.waits == [1.0, 2.0, 4.0]
    assert len(server.requests) == 4


@pytest.mark.parametrize("status", [500, 502, 503, 504])
async def test_server_errors_are_retried(brain, server, sleeps, status):
    server.add(http_error(status), text_reply("Recovered."))

    events = await collect(brain)

    assert text_of(events) == "Recovered."
    assert len(server.requests) == 2


async def test_retries_exhausted_is_a_retryable_error(brain, server, sleeps):
    server.add(*[http_error(529) for _ in range(4)], text_reply("unused"))

    _, error = await collect_failure(brain)

    assert error.retryable is True
    assert "overloaded" in error.message
    assert "tried 4 times" in error.message
    assert len(server.requests) == 4
    assert sleeps.waits == [1.0, 2.0, 4.0]


async def test_unreachable_server_is_retried_then_reported(sleeps):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    claude = ClaudeBrain(
        api_key="sk-ant-test",
        model=MODEL,
        base_url=f"http://127.0.0.1:{port}",
        max_retries=2,
        sleep=sleeps,
    )
    try:
        _, error = await collect_failure(claude)
    finally:
        await claude.aclose()

    assert error.retryable is True
    assert "unreachable" in error.message
    assert sleeps.waits == [1.0, 2.0]


@pytest.mark.parametrize(
    ("reply", "words"),
    [
        pytest.param(http_error(401), "ANTHROPIC_API_KEY", id="401-bad-key"),
        pytest.param(http_error(403, message="Key lacks access"), "permissions", id="403"),
        pytest.param(http_error(404, message="model: claude-x"), MODEL, id="404-unknown-model"),
        pytest.param(
            http_error(400, message="messages: roles must alternate"), "roles must", id="400"
        ),
        pytest.param(http_error(413), "too long", id="413"),
    ],
)
async def test_client_errors_are_not_retried(brain, server, sleeps, reply: Reply, words):
    server.add(reply, text_reply("unused"))

    _, error = await collect_failure(brain)

    assert error.retryable is False
    assert words in error.message
    assert len(server.requests) == 1
    assert sleeps.waits == []


@pytest.mark.parametrize(
    "reply",
    [
        pytest.param(http_error(402), id="402-billing-error"),
        pytest.param(
            http_error(429, error_code="enforced_spend_limit_reached"), id="enforced-spend-limit"
        ),
        pytest.param(
            http_error(429, error_code="contract_spend_limit_reached"), id="contract-spend-limit"
        ),
        pytest.param(
            http_error(402, error_code="linked_organization_spend_limit_reached"),
            id="linked-org-spend-limit",
        ),
        pytest.param(
            http_error(400, message="Your credit balance is too low to access the Anthropic API."),
            id="credit-too-low",
        ),
    ],
)
async def test_spend_limits_are_not_retried(brain, server, sleeps, reply: Reply):
    server.add(reply, text_reply("unused"))

    _, error = await collect_failure(brain)

    assert error.retryable is False
    assert "spending limit" in error.message
    assert "offline brain" in error.message
    assert len(server.requests) == 1
    assert sleeps.waits == []


# -- the request -----------------------------------------------------------------------------


async def test_request_shape_caches_tools_and_system_but_not_the_context(brain, server):
    server.add(text_reply("Hi."))

    await collect(brain)

    (sent,) = server.requests
    body = sent.body
    assert sent.path == "/v1/messages"
    assert body["model"] == MODEL
    assert body["stream"] is True
    assert body["max_tokens"] == 700
    assert body["temperature"] == 0.3
    assert body["system"] == [
        {"type": "text", "text": REQUEST.system, "cache_control": {"type": "ephemeral"}},
        {"type": "text", "text": REQUEST.context},
    ]
    assert [tool["name"] for tool in body["tools"]] == [tool["name"] for tool in TOOLS]
    assert [tool.get("cache_control") for tool in body["tools"]] == [
        None,
        None,
        {"type": "ephemeral"},
    ]
    assert body["tools"][0]["input_schema"] == {"type": "object"}
    assert sent.headers["authorization"] == "Bearer sk-ant-test"


async def test_history_becomes_alternating_messages_with_tool_results(brain, server):
    call = ToolCall("toolu_1", "clients_search", {"query": "Sarah"})
    second = ToolCall("toolu_2", "banking_get_balance", {})
    history = (
        Message.user("Find Sarah and my balance"),
        Message("assistant", (TextBlock("Looking."), call, second)),
        Message("user", (ToolOutcome("toolu_1", '{"matches": 2}'),)),
        Message("user", (TextBlock("also check the bank"), ToolOutcome("toolu_2", "down", True))),
        Message("assistant", (TextBlock("  "),)),
        Message("assistant", ()),
        Message.user("hello?"),
    )
    server.add(text_reply("Two Sarahs."))

    await collect(brain, BrainRequest(system="S", context="", messages=history, tools=()))

    body = server.requests[0].body
    assert body["system"] == [{"type": "text", "text": "S", "cache_control": {"type": "ephemeral"}}]
    assert "tools" not in body
    assert body["messages"] == [
        {"role": "user", "content": [{"type": "text", "text": "Find Sarah and my balance"}]},
        {
            "role": "assistant",
            "content": [
                {"type": "text", "text": "Looking."},
                {
                    "type": "tool_use",
                    "id": "toolu_1",
                    "name": "clients_search",
                    "input": {"query": "Sarah"},
                },
                {"type": "tool_use", "id": "toolu_2", "name": "banking_get_balance", "input": {}},
            ],
        },
        {
            "role": "user",
            "content": [
                {
                    "type": "tool_result",
                    "tool_use_id": "toolu_1",
                    "content": '{"matches": 2}',
                    "is_error": False,
                },
                {
                    "type": "tool_result",
                    "tool_use_id": "toolu_2",
                    "content": "down",
                    "is_error": True,
                },
                {"type": "text", "text": "also check the bank"},
                {"type": "text", "text": "hello?"},
            ],
        },
    ]


async def test_a_model_refusing_temperature_gets_requests_without_it(brain, server, sleeps):
    refusal = http_error(400, message="`temperature` is deprecated for this model.")
    server.add(refusal, text_reply("First."), text_reply("Second."))

    first = await collect(brain)
    second = await collect(brain)

    assert (text_of(first), text_of(second)) == ("First.", "Second.")
    assert [r.body.get("temperature") for r in server.requests] == [0.3, None, None]
    assert sleeps.waits == []


async def test_aclose_closes_the_client(server, sleeps):
    claude = ClaudeBrain(api_key="k", model=MODEL, base_url=server.base_url, sleep=sleeps)
    server.add(text_reply("Hi."))
    await collect(claude)

    await claude.aclose()

    assert claude._client.is_closed()
