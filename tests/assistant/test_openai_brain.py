"""The OpenAI-compatible brain, driven through the real ``openai`` SDK against the fake server."""

from __future__ import annotations

import json
import socket
from contextlib import asynccontextmanager
from dataclasses import replace

import pytest
import pytest_asyncio

from luma_desktop.assistant.brains.base import (
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
from luma_desktop.assistant.brains.openai_compat import OpenAICompatibleBrain
from luma_desktop.assistant.events import Usage
from luma_desktop.errors import BrainError

from ..fakes.openai_server import (
    FakeCall,
    FakeOpenAIServer,
    cut_at_length,
    http_error,
    mid_stream_error,
    no_finish,
    parallel_tool_reply,
    text_reply,
    tool_reply,
)

BOOKING = {"client": "Zoë Ortiz", "service": "Cut & colour", "start": "2026-11-19T14:00", "n": 2}
BOOKING_JSON = json.dumps(BOOKING, ensure_ascii=False)
TOOLS = (
    {
        "name": "book_appointment",
        "description": "Book a client in for a service.",
        "input_schema": {"type": "object", "properties": {"client": {"type": "string"}}},
    },
    {"name": "get_balance", "description": "", "input_schema": {"type": "object"}},
)


class Sleeps(list[float]):
    """An injected ``sleep`` that records how long the brain wanted to wait."""

    async def __call__(self, seconds: float) -> None:
        self.append(seconds)


SYSTEM = "You are Luma."
CONTEXT = "Now: Wed 18 Nov 2026 14:30 (Europe/London)"


def ask(text: str = "Book Zoë for a cut tomorrow at two", **fields) -> BrainRequest:
    request = {"system": SYSTEM, "context": CONTEXT, "messages": (Message.user(text),)}
    return BrainRequest(**{**request, "tools": TOOLS, **fields})


@asynccontextmanager
async def local_brain(*replies, max_retries: int = 3, models=(), **kwargs):
    server = FakeOpenAIServer(replies, models=models)
    sleeps = Sleeps()
    with server as base_url:
        brain = OpenAICompatibleBrain(
            base_url=base_url,
            model=kwargs.pop("model", "llama3.1"),
            max_retries=max_retries,
            sleep=sleeps,
            **kwargs,
        )
        try:
            yield brain, server, sleeps
        finally:
            await brain.aclose()


async def collect(brain, request=None):
    return [event async for event in brain.respond(request or ask())]


async def collect_until_error(brain, request=None):
    events = []
    with pytest.raises(BrainError) as caught:
        async for event in brain.respond(request or ask()):
            events.append(event)
    return events, caught.value


def text_of(events) -> str:
    return "".join(e.text for e in events if isinstance(e, TextChunk))


def ready(events) -> list[ToolCall]:
    return [e.call for e in events if isinstance(e, ToolCallReady)]


def broken(events) -> list[ToolCallBroken]:
    return [e for e in events if isinstance(e, ToolCallBroken)]


# --- streaming ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pieces", "split_events"),
    [
        pytest.param(1, False, id="one-chunk"),
        pytest.param(5, False, id="five-chunks"),
        pytest.param(9, True, id="events-split-mid-character"),
    ],
)
async def test_text_streams_as_chunks_and_ends_the_turn(pieces, split_events):
    sentence = "Zoë is booked — tomorrow at 2 pm, £45. 🎉"
    reply = replace(text_reply(sentence, pieces), split_events=split_events)
    sent = [c["choices"][0]["delta"].get("content") for c in reply.chunks]
    async with local_brain(reply) as (brain, _, _):
        events = await collect(brain)
    assert [e.text for e in events if isinstance(e, TextChunk)] == [t for t in sent if t]
    assert text_of(events) == sentence
    assert events[-1] == Finished("end_turn")
    assert UsageReport(Usage(input_tokens=120, output_tokens=18)) in events


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def shared_brain():
    """One server and brain for the many split-point cases (a client takes ~0.1 s to build)."""
    async with local_brain() as (brain, server, _):
        yield brain, server


@pytest.mark.asyncio(loop_scope="module")
@pytest.mark.parametrize("point", range(1, len(BOOKING_JSON)), ids=lambda p: f"split-{p}")
async def test_arguments_split_at_any_point_give_one_exact_call(point, shared_brain):
    brain, server = shared_brain
    call = FakeCall("book_appointment", BOOKING, id="call_abc")
    server.push(tool_reply([call], split_points=[point]))
    events = await collect(brain)
    assert server.remaining == 0
    assert ready(events) == [ToolCall("call_abc", "book_appointment", BOOKING)]
    assert broken(events) == []
    assert events[-1] == Finished("tool_use")


async def test_arguments_one_character_per_fragment():
    call = FakeCall("book_appointment", BOOKING, id="call_abc")
    reply = tool_reply([call], split_points=range(len(BOOKING_JSON)), text="Booking now.")
    async with local_brain(reply) as (brain, _, _):
        events = await collect(brain)
    assert text_of(events) == "Booking now."
    assert ready(events) == [ToolCall("call_abc", "book_appointment", BOOKING)]


async def test_tool_call_is_proposed_only_after_the_stream_finished():
    call = FakeCall("book_appointment", BOOKING)
    async with local_brain(tool_reply([call], split_points=(5, 20), text="On it.")) as (
        brain,
        _,
        _,
    ):
        events = await collect(brain)
    kinds = [type(e).__name__ for e in events]
    assert kinds == ["TextChunk", "ToolCallReady", "UsageReport", "Finished"]


async def test_interleaved_parallel_calls_are_assembled_by_index():
    calls = [
        FakeCall("book_appointment", BOOKING, id="call_1"),
        FakeCall("get_balance", {}, id="call_2"),
        FakeCall("find_client", {"query": "Sarah", "limit": 5}, id="call_3"),
    ]
    async with local_brain(parallel_tool_reply(calls, split_points=(2, 7, 11, 30))) as (
        brain,
        _,
        _,
    ):
        events = await collect(brain)
    assert ready(events) == [
        ToolCall("call_1", "book_appointment", BOOKING),
        ToolCall("call_2", "get_balance", {}),
        ToolCall("call_3", "find_client", {"query": "Sarah", "limit": 5}),
    ]
    assert events[-1] == Finished("tool_use")


@pytest.mark.parametrize(
    ("options", "finish", "stop"),
    [
        pytest.param({"whole": True}, "tool_calls", "tool_use", id="whole-call-one-chunk"),
        pytest.param({"whole": True}, "stop", "tool_use", id="ollama-says-stop"),
        pytest.param({"repeat": True}, "tool_calls", "tool_use", id="id-and-name-repeated"),
    ],
)
async def test_server_variants_give_the_same_call(options, finish, stop):
    calls = [FakeCall("book_appointment", BOOKING, id="call_x"), FakeCall("get_balance", {})]
    reply = tool_reply(calls, split_points=(4, 9), finish=finish, **options)
    async with local_brain(reply) as (brain, _, _):
        events = await collect(brain)
    assert ready(events) == [
        ToolCall("call_x", "book_appointment", BOOKING),
        ToolCall("call_fake_1", "get_balance", {}),
    ]
    assert events[-1] == Finished(stop)


async def test_missing_ids_are_made_up_stable_per_request_and_distinct_per_turn():
    calls = [FakeCall("get_balance", ""), FakeCall("book_appointment", BOOKING)]
    replies = [tool_reply(calls, split_points=(3,), ids=False) for _ in range(3)]
    async with local_brain(*replies) as (brain, _, _):
        first = ready(await collect(brain))
        again = ready(await collect(brain))
        other = ready(await collect(brain, ask("And book Sarah too")))
    ids = [call.id for call in first]
    assert ids[0].startswith("call_0_")
    assert ids[1].startswith("call_1_")
    assert len(set(ids)) == 2
    assert [call.id for call in again] == ids
    assert not {call.id for call in other} & set(ids)
    assert first[0].arguments == {}  # empty arguments mean no arguments
    assert first[1].arguments == BOOKING


@pytest.mark.parametrize(
    ("arguments", "problem"),
    [
        pytest.param('{"client": "Zoë",}', "not valid JSON", id="trailing-comma"),
        pytest.param('["Zoë"]', "JSON object", id="a-list"),
        pytest.param("Zoë please", "not valid JSON", id="prose"),
    ],
)
async def test_bad_arguments_are_reported_broken_not_proposed(arguments, problem):
    call = FakeCall("book_appointment", arguments, id="call_bad")
    async with local_brain(tool_reply([call], split_points=(3,))) as (brain, _, _):
        events = await collect(brain)
    assert ready(events) == []
    [report] = broken(events)
    assert (report.id, report.name, report.raw) == ("call_bad", "book_appointment", arguments)
    assert problem in report.problem


@pytest.mark.parametrize("at", [0, 1, 12, len(BOOKING_JSON) - 1], ids=lambda a: f"cut-{a}")
async def test_cut_at_length_never_proposes_the_incomplete_call(at):
    done = FakeCall("get_balance", {}, id="call_done")
    call = FakeCall("book_appointment", BOOKING, id="call_cut")
    reply = cut_at_length(call, at, complete=[done], split_points=(3, 8))
    async with local_brain(reply) as (brain, _, _):
        events = await collect(brain)
    assert ready(events) == [ToolCall("call_done", "get_balance", {})]
    assert [(b.id, b.raw) for b in broken(events)] == [("call_cut", BOOKING_JSON[:at])]
    assert "token limit" in broken(events)[0].problem
    assert events[-1] == Finished("max_tokens")


# --- incomplete streams -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "options",
    [
        pytest.param({}, id="ends-without-done"),
        pytest.param({"done": True}, id="done-but-no-finish"),
        pytest.param({"drop": True}, id="connection-cut"),
    ],
)
async def test_stream_without_finish_is_an_error_and_proposes_nothing(options):
    call = FakeCall("book_appointment", BOOKING)
    reply = no_finish(tool_reply([call], split_points=(6,), text="Booking."), **options)
    async with local_brain(reply, text_reply("unused")) as (brain, server, sleeps):
        events, error = await collect_until_error(brain)
    assert text_of(events) == "Booking."
    assert ready(events) == []
    assert error.retryable
    assert error.provider == "local"
    assert len(server.requests) == 1  # text was already out: no replay
    assert sleeps == []


async def test_cut_stream_before_anything_was_yielded_is_retried():
    call = FakeCall("book_appointment", BOOKING, id="call_ok")
    cut = no_finish(tool_reply([call], split_points=(6,)), drop=True)
    async with local_brain(cut, tool_reply([call], split_points=(9,))) as (brain, server, sleeps):
        events = await collect(brain)
    assert ready(events) == [ToolCall("call_ok", "book_appointment", BOOKING)]
    assert len(server.requests) == 2
    assert sleeps == [0.5]


async def test_error_after_text_is_not_retried():
    failing = mid_stream_error(text_reply("Let me check", 3), "CUDA out of memory")
    async with local_brain(failing, text_reply("unused")) as (brain, server, sleeps):
        events, error = await collect_until_error(brain)
    assert text_of(events) == "Let me check"
    assert error.retryable
    assert "CUDA out of memory" in error.message
    assert len(server.requests) == 1
    assert server.remaining == 1
    assert sleeps == []


# --- HTTP errors and retries ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("headers", "wait"),
    [
        pytest.param({"retry-after": "7"}, 7.0, id="seconds"),
        pytest.param({"retry-after": "1.5"}, 1.5, id="fraction"),
        pytest.param({"retry-after-ms": "250"}, 0.25, id="milliseconds"),
        pytest.param({}, 0.5, id="no-header-backoff"),
    ],
)
async def test_429_is_retried_after_the_time_the_server_asked(headers, wait):
    busy = http_error(429, "slow down", headers=headers)
    async with local_brain(busy, text_reply("Hi")) as (brain, server, sleeps):
        events = await collect(brain)
    assert text_of(events) == "Hi"
    assert sleeps == [wait]
    assert len(server.requests) == 2


async def test_429_with_a_long_retry_after_is_not_waited_for():
    busy = http_error(429, headers={"retry-after": "3600"})
    async with local_brain(busy, text_reply("unused")) as (brain, server, sleeps):
        _, error = await collect_until_error(brain)
    assert error.retryable
    assert "try again in 3600 seconds" in error.message
    assert sleeps == []
    assert len(server.requests) == 1


@pytest.mark.parametrize("status", [500, 502, 503, 504], ids=lambda s: f"http-{s}")
async def test_server_errors_are_retried_with_backoff(status):
    async with local_brain(http_error(status), http_error(status), text_reply("Back")) as (
        brain,
        server,
        sleeps,
    ):
        events = await collect(brain)
    assert text_of(events) == "Back"
    assert sleeps == [0.5, 1.0]
    assert len(server.requests) == 3


async def test_retries_run_out_with_a_retryable_error():
    errors = [http_error(503, "loading model") for _ in range(3)]
    async with local_brain(*errors, max_retries=2) as (brain, server, sleeps):
        _, error = await collect_until_error(brain)
    assert error.retryable
    assert "503" in error.message
    assert "loading model" in error.message
    assert sleeps == [0.5, 1.0]
    assert len(server.requests) == 3


@pytest.mark.parametrize(
    ("status", "message", "expected"),
    [
        pytest.param(400, "context length exceeded", "context length exceeded", id="400"),
        pytest.param(
            400, "llama2 does not support tools", "model that supports tool", id="400-no-tools"
        ),
        pytest.param(401, "invalid api key", "refused the API key", id="401"),
        pytest.param(403, "forbidden", "refused the API key", id="403"),
        pytest.param(
            404,
            'model "qwen3" not found, try pulling it first',
            "The local server has no model 'qwen3': pull it or set LUMA_LOCAL_MODEL.",
            id="404-model",
        ),
    ],
)
async def test_client_errors_are_not_retried_and_say_what_to_do(status, message, expected):
    async with local_brain(http_error(status, message), text_reply("unused"), model="qwen3") as (
        brain,
        server,
        sleeps,
    ):
        _, error = await collect_until_error(brain)
    assert expected in error.message
    assert not error.retryable
    assert sleeps == []
    assert len(server.requests) == 1


async def test_unknown_model_on_a_server_that_lists_models():
    async with local_brain(text_reply("unused"), models=("llama3.1",), model="mistral") as (
        brain,
        server,
        sleeps,
    ):
        _, error = await collect_until_error(brain)
    assert error.message == (
        "The local server has no model 'mistral': pull it or set LUMA_LOCAL_MODEL."
    )
    assert not error.retryable
    assert server.remaining == 1
    assert sleeps == []


async def test_wrong_base_url_points_at_the_setting():
    async with local_brain() as (_, server, _):
        brain_at_root = OpenAICompatibleBrain(
            base_url=server.base_url.removesuffix("/v1"), model="llama3.1", max_retries=0
        )
        try:
            _, error = await collect_until_error(brain_at_root)
        finally:
            await brain_at_root.aclose()
    assert "LUMA_LOCAL_BASE_URL" in error.message
    assert not error.retryable


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


async def test_connection_refused_is_retried_then_explained():
    sleeps = Sleeps()
    base_url = f"http://127.0.0.1:{_closed_port()}/v1"
    brain = OpenAICompatibleBrain(base_url=base_url, model="llama3.1", sleep=sleeps)
    try:
        _, error = await collect_until_error(brain)
    finally:
        await brain.aclose()
    assert error.message.startswith(f"The local model server at {base_url} is not answering")
    assert error.retryable
    assert sleeps == [0.5, 1.0, 2.0]


# --- request shape and usage ------------------------------------------------------------------


def _history() -> tuple[Message, ...]:
    calls = (
        ToolCall("call_1", "find_client", {"query": "Zoë"}),
        ToolCall("call_2", "get_balance", {}),
    )
    return (
        Message.user("Book Zoë tomorrow"),
        Message("assistant", (TextBlock("Looking her up."), *calls)),
        Message(
            "user",
            (ToolOutcome("call_1", '{"id": 7}'), ToolOutcome("call_2", "offline", is_error=True)),
        ),
        Message("assistant", (TextBlock("Which time?"),)),
        Message.user("2pm"),
    )


async def test_request_carries_system_history_tools_and_options():
    request = ask(messages=_history(), max_tokens=321, temperature=0.2)
    async with local_brain(text_reply("Done")) as (brain, server, _):
        await collect(brain, request)
    [body] = server.requests
    assert body["model"] == "llama3.1"
    assert body["stream"] is True
    assert body["stream_options"] == {"include_usage": True}
    assert (body["max_tokens"], body["temperature"]) == (321, 0.2)
    assert body["messages"] == [
        {
            "role": "system",
            "content": "You are Luma.\n\nNow: Wed 18 Nov 2026 14:30 (Europe/London)",
        },
        {"role": "user", "content": "Book Zoë tomorrow"},
        {
            "role": "assistant",
            "content": "Looking her up.",
            "tool_calls": [
                {
                    "id": "call_1",
                    "type": "function",
                    "function": {"name": "find_client", "arguments": '{"query": "Zoë"}'},
                },
                {
                    "id": "call_2",
                    "type": "function",
                    "function": {"name": "get_balance", "arguments": "{}"},
                },
            ],
        },
        {"role": "tool", "tool_call_id": "call_1", "content": '{"id": 7}'},
        {"role": "tool", "tool_call_id": "call_2", "content": "ERROR: offline"},
        {"role": "assistant", "content": "Which time?"},
        {"role": "user", "content": "2pm"},
    ]
    assert body["tools"] == [
        {
            "type": "function",
            "function": {
                "name": "book_appointment",
                "description": "Book a client in for a service.",
                "parameters": TOOLS[0]["input_schema"],
            },
        },
        {"type": "function", "function": {"name": "get_balance", "parameters": {"type": "object"}}},
    ]


@pytest.mark.parametrize(
    ("api_key", "sent"),
    [
        pytest.param(None, "Bearer not-needed", id="no-key"),
        pytest.param("sk-local-123", "Bearer sk-local-123", id="key"),
    ],
)
async def test_api_key_is_a_placeholder_unless_given(api_key, sent, monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", "sk-real-openai-key")
    async with local_brain(text_reply("Hi"), api_key=api_key) as (brain, server, _):
        await collect(brain)
    assert server.request_headers[0]["authorization"] == sent


async def test_no_tools_means_no_tools_field():
    async with local_brain(text_reply("Hi")) as (brain, server, _):
        await collect(brain, ask(tools=(), context=""))
    assert "tools" not in server.requests[0]
    assert server.requests[0]["messages"][0] == {"role": "system", "content": "You are Luma."}


@pytest.mark.parametrize(
    ("usage", "expected"),
    [
        pytest.param(
            {"prompt_tokens": 900, "completion_tokens": 40},
            Usage(input_tokens=900, output_tokens=40),
            id="plain",
        ),
        pytest.param(
            {
                "prompt_tokens": 900,
                "completion_tokens": 40,
                "prompt_tokens_details": {"cached_tokens": 768},
            },
            Usage(input_tokens=132, output_tokens=40, cache_read_tokens=768),
            id="cached",
        ),
    ],
)
async def test_usage_is_reported(usage, expected):
    async with local_brain(text_reply("Hi", usage=usage)) as (brain, _, _):
        events = await collect(brain)
    assert [e.usage for e in events if isinstance(e, UsageReport)] == [expected]


async def test_no_usage_chunk_means_no_usage_report():
    async with local_brain(text_reply("Hi", usage=None)) as (brain, _, _):
        events = await collect(brain)
    assert not [e for e in events if isinstance(e, UsageReport)]
    assert events[-1] == Finished("end_turn")


async def test_a_closed_brain_fails_with_a_brain_error():
    async with local_brain(text_reply("unused")) as (brain, server, _):
        await brain.aclose()
        _, error = await collect_until_error(brain)
    assert error.provider == "local"
    assert server.requests == []
