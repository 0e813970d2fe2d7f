"""The brain for local OpenAI-compatible servers: Ollama, llama.cpp server, LM Studio, vLLM.

It speaks streaming chat completions through the official ``openai`` SDK (with the SDK's own
retries off) and turns the stream into brain events. Tool calls arrive as fragments keyed by
``index``; they are assembled quietly and proposed only once the stream has ended normally with
a ``finish_reason``, so nothing ever runs from a half-received call. Retries (429 with
``retry-after``, 5xx, connection failures) happen only while nothing has been yielded yet.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
from collections.abc import AsyncGenerator, AsyncIterator, Awaitable, Callable, Iterable, Iterator
from contextlib import aclosing
from dataclasses import dataclass, field
from typing import Any

from openai import (
    APIConnectionError,
    APIError,
    APIStatusError,
    APITimeoutError,
    AsyncOpenAI,
    omit,
)
from openai.types.chat import (
    ChatCompletionChunk,
    ChatCompletionFunctionToolParam,
    ChatCompletionMessageFunctionToolCallParam,
    ChatCompletionMessageParam,
)
from openai.types.chat.chat_completion_chunk import ChoiceDeltaToolCall
from openai.types.completion_usage import CompletionUsage

from ...errors import BrainError
from ..events import Usage
from ._retry import retry_after
from .base import (
    Brain,
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

__all__ = ["OpenAICompatibleBrain"]

_NO_KEY = "not-needed"
"""Sent as the API key when none is configured: local servers ignore it, and it keeps the SDK
from picking up (and leaking) a real ``OPENAI_API_KEY`` from the environment."""
_MAX_WAIT = 60.0
"""A ``retry-after`` longer than this is not waited for: the error goes to the caller."""
_RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
_STOP_REASONS = {
    "tool_calls": "tool_use",
    "function_call": "tool_use",
    "stop": "end_turn",
    "length": "max_tokens",
}


class OpenAICompatibleBrain(Brain):
    """Plans with a model served by a local OpenAI-compatible server, by base URL and name."""

    name = "local"

    def __init__(
        self,
        *,
        base_url: str,
        model: str,
        api_key: str | None = None,
        max_retries: int = 3,
        timeout: float = 120.0,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.model = model
        self.base_url = base_url.rstrip("/")
        self._max_retries = max(0, max_retries)
        self._timeout = timeout
        self._sleep = sleep
        self._client = AsyncOpenAI(
            base_url=self.base_url, api_key=api_key or _NO_KEY, max_retries=0, timeout=timeout
        )

    async def aclose(self) -> None:
        await self._client.close()

    async def _respond(self, request: BrainRequest) -> AsyncIterator[BrainEvent]:
        params = _Params.of(request)
        attempt = 0
        while True:
            yielded = False
            try:
                async with aclosing(self._attempt(params)) as events:
                    async for event in events:
                        yielded = True
                        yield event
                return
            except (APIError, _StreamCut) as error:
                failure, wait = self._failure(error, attempt)
                if yielded:  # the caller already has part of this answer: never replay it
                    failure.retryable = True
                    raise failure from error
                if wait is None or attempt >= self._max_retries:
                    raise failure from error
            attempt += 1
            await self._sleep(wait)

    async def _attempt(self, params: _Params) -> AsyncGenerator[BrainEvent, None]:
        stream = await self._client.chat.completions.create(
            model=self.model,
            messages=params.messages,
            tools=params.tools or omit,
            temperature=params.temperature,
            max_tokens=params.max_tokens,
            stream=True,
            stream_options={"include_usage": True},
        )
        calls = _ToolCalls(params.digest)
        finish: str | None = None
        usage: CompletionUsage | None = None
        async with stream:
            async for chunk in stream:
                usage = getattr(chunk, "usage", None) or usage
                for choice in _first_choice(chunk):
                    if choice.delta.content:
                        yield TextChunk(choice.delta.content)
                    calls.add(choice.delta.tool_calls or ())
                    finish = choice.finish_reason or finish
        if finish is None:
            raise _StreamCut
        proposed = list(calls.finish(truncated=finish == "length"))
        for event in proposed:
            yield event
        if usage is not None:
            yield UsageReport(_usage(usage))
        yield Finished(_stop_reason(finish, bool(proposed)))

    def _failure(
        self, error: APIError | _StreamCut, attempt: int
    ) -> tuple[BrainError, float | None]:
        """The human error for ``error`` and how long to wait before retrying (None: don't)."""
        backoff = min(8.0, 0.5 * 2**attempt)
        where = f"The local model server at {self.base_url}"
        if isinstance(error, _StreamCut):
            message = f"{where} stopped its answer before the model finished; try again."
            return self._error(message, retryable=True), backoff
        if isinstance(error, APITimeoutError):
            message = (
                f"{where} did not answer within {self._timeout:g} seconds "
                "(it may still be loading the model); try again."
            )
            return self._error(message, retryable=True), backoff
        if isinstance(error, APIConnectionError):
            message = (
                f"{where} is not answering: start it (for Ollama, `ollama serve`) "
                "or check LUMA_LOCAL_BASE_URL."
            )
            return self._error(message, retryable=True), backoff
        if isinstance(error, APIStatusError):
            return self._status_failure(error, backoff)
        message = f"{where} failed mid-answer ({_detail(error)}); try again."
        return self._error(message, retryable=True), backoff

    def _status_failure(
        self, error: APIStatusError, backoff: float
    ) -> tuple[BrainError, float | None]:
        status, detail = error.status_code, _detail(error)
        where = f"The local model server at {self.base_url}"
        if status in _RETRY_STATUSES:
            wait = retry_after(error.response.headers)
            busy = "is busy" if status == 429 else f"failed ({status}: {detail})"
            if wait is not None and wait > _MAX_WAIT:
                message = f"{where} {busy}; try again in {wait:.0f} seconds."
                return self._error(message, retryable=True), None
            message = f"{where} {busy}; try again in a moment."
            return self._error(message, retryable=True), backoff if wait is None else wait
        if status == 404 and (isinstance(error.body, dict) or "model" in detail.lower()):
            message = (
                f"The local server has no model '{self.model}': pull it or set LUMA_LOCAL_MODEL."
            )
        elif status == 404:
            message = (
                f"{where} has no chat completions endpoint ({detail}): "
                "check LUMA_LOCAL_BASE_URL (it usually ends in /v1)."
            )
        elif status in (401, 403):
            message = (
                f"{where} refused the API key ({status}): store the key it expects with "
                "`luma keys set OPENAI_API_KEY`."
            )
        elif status == 400 and "tool" in detail.lower():
            message = (
                f"{where} rejected the request ({detail}): choose a model that supports "
                "tool calling with LUMA_LOCAL_MODEL."
            )
        else:
            message = f"{where} rejected the request ({status}: {detail})."
        return self._error(message, retryable=status in (408, 409)), None

    def _error(self, message: str, *, retryable: bool) -> BrainError:
        return BrainError(message, retryable=retryable, provider=self.name)


class _StreamCut(Exception):
    """The stream ended without a ``finish_reason``: the answer is incomplete."""


# --- request -------------------------------------------------------------------------------


def _chat_messages(request: BrainRequest) -> list[ChatCompletionMessageParam]:
    """The chat messages for ``request``: one system message, then the history in order."""
    system = f"{request.system}\n\n{request.context}" if request.context else request.system
    messages: list[ChatCompletionMessageParam] = [{"role": "system", "content": system}]
    for message in request.messages:
        messages.extend(_convert(message))
    return messages


def _convert(message: Message) -> Iterator[ChatCompletionMessageParam]:
    if message.role == "assistant":
        calls = message.tool_calls
        if calls:
            yield {
                "role": "assistant",
                "content": message.text or None,
                "tool_calls": [_call_param(call) for call in calls],
            }
        else:
            yield {"role": "assistant", "content": message.text}
    # Tool results must directly follow the assistant message that asked for them.
    for outcome in message.outcomes:
        yield _outcome_param(outcome)
    if message.role == "user":
        for block in message.content:
            if isinstance(block, TextBlock) and block.text:
                yield {"role": "user", "content": block.text}


def _call_param(call: ToolCall) -> ChatCompletionMessageFunctionToolCallParam:
    arguments = json.dumps(call.arguments, ensure_ascii=False)
    return {
        "id": call.id,
        "type": "function",
        "function": {"name": call.name, "arguments": arguments},
    }


def _outcome_param(outcome: ToolOutcome) -> ChatCompletionMessageParam:
    content = f"ERROR: {outcome.content}" if outcome.is_error else outcome.content
    return {"role": "tool", "tool_call_id": outcome.call_id, "content": content}


def _tool_param(tool: Any) -> ChatCompletionFunctionToolParam:
    function: Any = {"name": tool["name"], "parameters": tool.get("input_schema", {})}
    if tool.get("description"):
        function["description"] = tool["description"]
    return {"type": "function", "function": function}


@dataclass(frozen=True, slots=True)
class _Params:
    """The wire form of one request, built once and reused by every retry."""

    messages: list[ChatCompletionMessageParam]
    tools: list[ChatCompletionFunctionToolParam]
    temperature: float
    max_tokens: int
    digest: str
    """A short digest of the history: ids made up for missing ones are the same on every
    retry of this request and differ from turn to turn."""

    @classmethod
    def of(cls, request: BrainRequest) -> _Params:
        messages = _chat_messages(request)
        text = json.dumps(messages, sort_keys=True, default=str)
        return cls(
            messages=messages,
            tools=[_tool_param(tool) for tool in request.tools],
            temperature=request.temperature,
            max_tokens=request.max_tokens,
            digest=hashlib.sha256(text.encode()).hexdigest()[:10],
        )


# --- response ------------------------------------------------------------------------------


def _first_choice(chunk: ChatCompletionChunk) -> Iterator[Any]:
    """The first choice's updates (we never ask for ``n`` > 1; usage chunks have none)."""
    for choice in getattr(chunk, "choices", None) or ():
        if getattr(choice, "index", 0) == 0 and getattr(choice, "delta", None) is not None:
            yield choice


@dataclass
class _PartialCall:
    id: str = ""
    name: str = ""
    arguments: list[str] = field(default_factory=list)


class _ToolCalls:
    """Tool-call fragments assembled by ``index``, proposed only when the stream finished."""

    def __init__(self, digest: str) -> None:
        self._digest = digest
        self._calls: dict[int, _PartialCall] = {}

    def add(self, fragments: Iterable[ChoiceDeltaToolCall]) -> None:
        for fragment in fragments:
            call = self._calls.setdefault(self._index_of(fragment), _PartialCall())
            function = fragment.function
            if fragment.id and not call.id:
                call.id = fragment.id
            if function is not None and function.name and function.name != call.name:
                call.name += function.name
            if function is not None and function.arguments:
                call.arguments.append(function.arguments)

    def _index_of(self, fragment: ChoiceDeltaToolCall) -> int:
        index = getattr(fragment, "index", None)
        if isinstance(index, int):
            return index
        # Servers that omit the index: a new id or name starts a call, the rest continues one.
        for known, call in self._calls.items():
            if fragment.id and call.id == fragment.id:
                return known
        if fragment.id or (fragment.function and fragment.function.name):
            return len(self._calls)
        return max(self._calls, default=0)

    def finish(self, *, truncated: bool) -> Iterator[ToolCallReady | ToolCallBroken]:
        used: set[str] = set()
        for index, call in sorted(self._calls.items()):
            call_id = call.id if call.id and call.id not in used else self._made_up_id(index)
            used.add(call_id)
            raw = "".join(call.arguments)
            arguments, problem = _parse_arguments(raw, truncated=truncated)
            if not call.name:
                problem = "the tool call has no tool name"
            if arguments is None or problem:
                yield ToolCallBroken(call_id, call.name, raw, problem)
            else:
                yield ToolCallReady(ToolCall(call_id, call.name, arguments))

    def _made_up_id(self, index: int) -> str:
        return f"call_{index}_{self._digest}"


def _parse_arguments(raw: str, *, truncated: bool = False) -> tuple[dict[str, Any] | None, str]:
    """``(arguments, "")`` for a JSON object (or nothing at all), else ``(None, problem)``."""
    cut = "the reply hit the token limit before the arguments were complete"
    if not raw.strip():
        return (None, cut) if truncated else ({}, "")
    try:
        value = json.loads(raw)
    except json.JSONDecodeError as error:
        if truncated:
            return None, cut
        return None, f"the arguments are not valid JSON ({error.msg} at character {error.pos})"
    if not isinstance(value, dict):
        return None, f"the arguments must be a JSON object, not {type(value).__name__}"
    return value, ""


def _stop_reason(finish: str, proposed_calls: bool) -> str:
    if finish == "stop" and proposed_calls:
        return "tool_use"  # some local servers say "stop" after tool calls
    return _STOP_REASONS.get(finish, finish)


def _usage(usage: CompletionUsage) -> Usage:
    details = usage.prompt_tokens_details
    cached = (details.cached_tokens or 0) if details is not None else 0
    # prompt_tokens includes the cached part; Usage counts it once, under cache reads.
    return Usage(
        input_tokens=max(0, (usage.prompt_tokens or 0) - cached),
        output_tokens=usage.completion_tokens or 0,
        cache_read_tokens=cached,
    )


# --- errors --------------------------------------------------------------------------------


def _detail(error: APIError) -> str:
    """What the server said, short and without markup."""
    body = error.body
    text = (body.get("message") or body.get("error")) if isinstance(body, dict) else body
    if not isinstance(text, str) or not text.strip():
        text = error.message
    return " ".join(str(text).split())[:200]
