"""The Claude brain: the Messages API through the official ``anthropic`` SDK, streamed, with tools.

Request: the stable system prompt is one cached block, the volatile context a second uncached
block; tools keep their order and the last one carries the cache breakpoint, so tools + system
form the cached prefix. Sampling ``temperature`` goes in the body (the SDK no longer has the
argument); a model that refuses it gets the request again without it, once per brain.

Stream: text deltas become :class:`TextChunk` at once; tool blocks are assembled from their
``input_json_delta`` fragments and parsed only at their ``content_block_stop``. A block that never
stops (cut stream, ``max_tokens``, error) never becomes a :class:`ToolCallReady`.

Retries are ours (the SDK's are off): 429 (honouring ``retry-after``), overload, 5xx and lost
connections are tried again with exponential backoff, but only while nothing of the attempt has
been yielded; afterwards a failure raises a retryable :class:`BrainError` and the orchestrator
drops the partial message, so a tool call is never proposed twice. Keys, permissions, unknown
models and spent budgets fail at once with a message that says what to do.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncGenerator, AsyncIterator, Awaitable, Callable, Mapping, Sequence
from contextlib import aclosing
from dataclasses import dataclass, field
from typing import Any, cast

import anthropic
import httpx2
from anthropic import types as wire

from ...errors import BrainError
from ..events import Usage
from ._retry import retry_after
from .base import (
    Block,
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
    UsageReport,
)

__all__ = ["ClaudeBrain", "StreamAssembler"]

log = logging.getLogger(__name__)

BACKOFF_BASE = 1.0
"""Seconds before the first retry; doubled each time up to :data:`BACKOFF_CAP`."""
BACKOFF_CAP = 16.0
MAX_RETRY_AFTER = 60.0
"""A ``retry-after`` longer than this is not waited for: the user is told when to come back."""

_CACHE: wire.CacheControlEphemeralParam = {"type": "ephemeral"}
_SPEND_LIMIT_ERRORS = (
    anthropic.PaymentRequiredError,
    anthropic.ContractSpendLimitReachedError,
    anthropic.EnforcedSpendLimitReachedError,
    anthropic.LinkedOrganizationSpendLimitReachedError,
    anthropic.LinkedOrganizationBillingUnavailableError,
)
_SPEND_WORDS = ("billing", "credit", "spend_limit", "spend limit", "spending limit")
_RETRY_KINDS = {
    "overloaded_error": "overloaded",
    "api_error": "having server trouble",
    "timeout_error": "timing out",
}
_KEY_REFUSED = (
    "Claude refused the API key: check ANTHROPIC_API_KEY (luma keys set ANTHROPIC_API_KEY)."
)
_SPENT = (
    "Your Anthropic account has reached its spending limit (or run out of credit); "
    "Luma will use the offline brain until it is raised."
)


class ClaudeBrain(Brain):
    """Plans with Claude; see the module docstring for the request, stream and retry rules."""

    name = "claude"

    def __init__(
        self,
        *,
        api_key: str,
        model: str,
        base_url: str | None = None,
        max_retries: int = 3,
        timeout: float = 60.0,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.model = model
        self._max_retries = max(0, max_retries)
        self._sleep = sleep
        self._send_temperature = True
        self._client = anthropic.AsyncAnthropic(
            api_key=api_key, base_url=base_url, max_retries=0, timeout=timeout
        )

    async def aclose(self) -> None:
        await self._client.close()

    async def _respond(self, request: BrainRequest) -> AsyncIterator[BrainEvent]:
        call = _Call.of(request)
        for attempt in range(self._max_retries + 1):
            yielded = False
            try:
                async with aclosing(self._attempt(call)) as events:
                    async for event in events:
                        yielded = True
                        yield event
                return
            except _Transient as failure:
                if yielded:
                    raise self._error(
                        f"Claude's answer was cut off ({failure.reason})"
                    ) from failure
                if attempt == self._max_retries:
                    tries = f"tried {attempt + 1} time{'s' if attempt else ''}"
                    raise self._error(f"Claude is {failure.state} right now ({tries})") from failure
                await self._sleep(self._wait(failure, attempt))

    async def _attempt(self, call: _Call) -> AsyncGenerator[BrainEvent, None]:
        """One model call; failures come out as :class:`_Transient` or :class:`BrainError`."""
        assembler = StreamAssembler()
        try:
            stream = await self._open(call)
            async with stream:
                async for raw in stream:
                    for event in assembler.feed(raw):
                        yield event
        except (anthropic.APIError, httpx2.TransportError) as error:
            if assembler.complete:  # the message was whole: a hiccup while draining is harmless
                log.debug("Ignoring %s after message_stop.", type(error).__name__)
                return
            raise _classify(error, self.model) from error
        if not assembler.complete:
            raise _Transient("the stream ended early", "unreachable")

    async def _open(self, call: _Call) -> anthropic.AsyncStream[wire.RawMessageStreamEvent]:
        try:
            return await self._create(call, temperature=self._send_temperature)
        except anthropic.BadRequestError as error:
            if not (self._send_temperature and "temperature" in (error.api_message or "").lower()):
                raise
            log.info("Claude model %s refuses 'temperature'; sending without it.", self.model)
            self._send_temperature = False
            return await self._create(call, temperature=False)

    async def _create(
        self, call: _Call, *, temperature: bool
    ) -> anthropic.AsyncStream[wire.RawMessageStreamEvent]:
        return await self._client.messages.create(
            model=self.model,
            max_tokens=call.max_tokens,
            system=call.system or anthropic.omit,
            messages=call.messages,
            tools=call.tools or anthropic.omit,
            stream=True,
            extra_body={"temperature": call.temperature} if temperature else None,
        )

    def _wait(self, failure: _Transient, attempt: int) -> float:
        if failure.wait is None:
            return min(BACKOFF_CAP, BACKOFF_BASE * 2.0**attempt)
        if failure.wait > MAX_RETRY_AFTER:
            later = f"please try again in {round(failure.wait)} seconds"
            raise self._error(f"Claude is {failure.state} right now", later) from failure
        return failure.wait

    def _error(self, text: str, advice: str = "please try again in a moment") -> BrainError:
        return BrainError(f"{text}; {advice}.", retryable=True, provider=self.name)


# -- request ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Call:
    """A :class:`BrainRequest` in Messages API shapes, built once for all attempts."""

    system: list[wire.TextBlockParam]
    messages: list[wire.MessageParam]
    tools: list[wire.ToolParam]
    max_tokens: int
    temperature: float

    @classmethod
    def of(cls, request: BrainRequest) -> _Call:
        system: list[wire.TextBlockParam] = []
        if request.system.strip():
            system.append({"type": "text", "text": request.system, "cache_control": _CACHE})
        if request.context.strip():
            system.append({"type": "text", "text": request.context})
        tools = [_tool(definition) for definition in request.tools]
        if tools:
            tools[-1]["cache_control"] = _CACHE
        messages = _messages(request.messages)
        return cls(system, messages, tools, request.max_tokens, request.temperature)


def _tool(definition: Mapping[str, Any]) -> wire.ToolParam:
    tool = {key: value for key, value in definition.items() if key != "cache_control"}
    return cast(wire.ToolParam, tool)


def _messages(history: Sequence[Message]) -> list[wire.MessageParam]:
    """Wire messages: empty ones dropped, same-role neighbours merged, tool results first."""
    merged: list[dict[str, Any]] = []
    for message in history:
        blocks = [item for block in message.content if (item := _block(block)) is not None]
        if not blocks:
            continue
        if merged and merged[-1]["role"] == message.role:
            merged[-1]["content"].extend(blocks)
        else:
            merged.append({"role": message.role, "content": blocks})
    for entry in merged:
        if entry["role"] == "user":
            entry["content"].sort(key=lambda block: block["type"] != "tool_result")
    return cast(list[wire.MessageParam], merged)


def _block(block: Block) -> dict[str, Any] | None:
    if isinstance(block, TextBlock):
        return {"type": "text", "text": block.text} if block.text.strip() else None
    if isinstance(block, ToolCall):
        return {"type": "tool_use", "id": block.id, "name": block.name, "input": block.arguments}
    result: dict[str, Any] = {"type": "tool_result", "tool_use_id": block.call_id}
    if block.content:
        result["content"] = block.content
    result["is_error"] = block.is_error
    return result


# -- stream ----------------------------------------------------------------------------------


@dataclass(slots=True)
class _ToolDraft:
    id: str
    name: str
    parts: list[str] = field(default_factory=list)

    def finish(self) -> ToolCallReady | ToolCallBroken:
        raw = "".join(self.parts)
        if not raw.strip():
            return ToolCallReady(ToolCall(self.id, self.name, {}))
        try:
            arguments = json.loads(raw)
        except json.JSONDecodeError as error:
            problem = f"The arguments are not valid JSON ({error.msg} at character {error.pos})."
            return ToolCallBroken(self.id, self.name, raw, problem)
        if not isinstance(arguments, dict):
            kind = type(arguments).__name__
            return ToolCallBroken(
                self.id, self.name, raw, f"The arguments must be a JSON object, not {kind}."
            )
        return ToolCallReady(ToolCall(self.id, self.name, arguments))


class StreamAssembler:
    """Turns the raw Messages stream events of one model message into brain events."""

    __slots__ = ("_drafts", "_usage", "complete", "stop_reason")

    def __init__(self) -> None:
        self._drafts: dict[int, _ToolDraft] = {}
        self._usage = Usage()
        self.stop_reason = "end_turn"
        self.complete = False
        """True once ``message_stop`` arrived (only then is the message whole)."""

    def feed(self, event: wire.RawMessageStreamEvent) -> tuple[BrainEvent, ...]:
        """The brain events ``event`` completes (usually none or one)."""
        if isinstance(event, wire.RawContentBlockDeltaEvent):
            delta = event.delta
            if isinstance(delta, wire.TextDelta):
                return (TextChunk(delta.text),) if delta.text else ()
            if isinstance(delta, wire.InputJSONDelta) and (draft := self._drafts.get(event.index)):
                draft.parts.append(delta.partial_json)
            return ()
        if isinstance(event, wire.RawContentBlockStartEvent):
            return self._start(event)
        if isinstance(event, wire.RawContentBlockStopEvent):
            draft = self._drafts.pop(event.index, None)
            return (draft.finish(),) if draft else ()
        if isinstance(event, wire.RawMessageStartEvent):
            usage = event.message.usage
            self._usage = Usage(
                usage.input_tokens,
                usage.output_tokens,
                usage.cache_read_input_tokens or 0,
                usage.cache_creation_input_tokens or 0,
            )
        elif isinstance(event, wire.RawMessageDeltaEvent):
            self.stop_reason = event.delta.stop_reason or self.stop_reason
            self._update_usage(event)
        elif isinstance(event, wire.RawMessageStopEvent) and not self.complete:
            return self._stop()
        return ()

    def _start(self, event: wire.RawContentBlockStartEvent) -> tuple[BrainEvent, ...]:
        block = event.content_block
        if isinstance(block, wire.ToolUseBlock):
            self._drafts[event.index] = _ToolDraft(block.id, block.name)
        elif isinstance(block, wire.TextBlock) and block.text:
            return (TextChunk(block.text),)
        return ()

    def _update_usage(self, event: wire.RawMessageDeltaEvent) -> None:
        usage, old = event.usage, self._usage
        self._usage = Usage(
            old.input_tokens if usage.input_tokens is None else usage.input_tokens,
            usage.output_tokens,
            _either(usage.cache_read_input_tokens, old.cache_read_tokens),
            _either(usage.cache_creation_input_tokens, old.cache_write_tokens),
        )

    def _stop(self) -> tuple[BrainEvent, ...]:
        self.complete = True
        if self._drafts:
            log.warning("Claude left %d tool block(s) unfinished; ignored.", len(self._drafts))
            self._drafts.clear()
        return (UsageReport(self._usage), Finished(self.stop_reason))


def _either(value: int | None, default: int) -> int:
    return default if value is None else value


# -- errors ----------------------------------------------------------------------------------


class _Transient(Exception):
    """A failure another attempt may fix (used only inside this module)."""

    def __init__(self, reason: str, state: str, wait: float | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        """What happened, for "Claude's answer was cut off (...)"."""
        self.state = state
        """How Claude is, for "Claude is ... right now"."""
        self.wait = wait
        """Seconds the server asked us to wait (``retry-after``), if it did."""


def _classify(error: anthropic.APIError | httpx2.TransportError, model: str) -> Exception:
    """The :class:`BrainError` (final) or :class:`_Transient` (retry) for an SDK failure."""
    if isinstance(error, anthropic.APIStatusError):
        return _classify_status(error, model)
    if isinstance(error, anthropic.APIConnectionError | httpx2.TransportError):
        return _Transient("the connection was lost", "unreachable")
    return BrainError(
        "Claude sent a reply Luma could not read. Please try again.",
        retryable=True,
        provider="claude",
    )


def _classify_status(error: anthropic.APIStatusError, model: str) -> Exception:
    status, kind = error.status_code, str(error.type or "")
    detail = (error.api_message or "").rstrip(".")
    if _is_spend_limit(error):
        return _final(_SPENT)
    if status == 401 or kind == "authentication_error":
        return _final(_KEY_REFUSED)
    if status == 403 or kind == "permission_error":
        return _final(
            f"Claude refused this API key access ({detail}): check the key's permissions."
        )
    if status == 404 or kind == "not_found_error":
        return _final(f"Claude doesn't know the model “{model}”: check LUMA_CLAUDE_MODEL.")
    if status == 413 or kind == "request_too_large":
        return _final("This conversation is too long for Claude: please start a new one.")
    if status == 429 or kind == "rate_limit_error":
        wait = retry_after(error.response.headers)
        return _Transient("rate limited", "rate-limiting this API key", wait)
    if status == 529 or kind in _RETRY_KINDS or status >= 500 or status == 408:
        state = _RETRY_KINDS.get(kind, "overloaded" if status == 529 else "unreachable")
        return _Transient(f"Claude is {state}", state)
    return _final(f"Claude rejected the request ({detail or status}).")


def _is_spend_limit(error: anthropic.APIStatusError) -> bool:
    if isinstance(error, _SPEND_LIMIT_ERRORS) or error.status_code == 402:
        return True
    text = f"{error.type} {error.error_code} {error.api_message}".lower()
    return any(word in text for word in _SPEND_WORDS)


def _final(message: str) -> BrainError:
    return BrainError(message, retryable=False, provider="claude")
