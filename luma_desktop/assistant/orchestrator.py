"""The assistant facade: one signed-in user's conversations with Luma, as event streams.

``send`` (a message), ``confirm`` (a pending action), ``choose`` (a disambiguation) and
``recover`` (after an error) each yield the typed events of :mod:`.events` and end with one
:class:`TurnComplete`. Inside a turn the brain plans, the gatekeeper decides and runs, and the
loop continues until the brain answers without tools, the tool budget is spent, or the turn
pauses for the human. Database work runs in worker threads; the event loop never blocks.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from ..errors import BrainError, ConfirmationError, Invalid, LumaError, RateLimited
from ..memory.capture import UsedTool
from ..workspace.database import Workspace
from ._outcomes import outage_of, tell
from ._paused import Answer, Decision, Paused, resolve_reference
from .audit import AuditLog
from .brains.base import (
    Brain,
    BrainRequest,
    Finished,
    Message,
    StateNote,
    TextBlock,
    TextChunk,
    ToolCall,
    ToolCallBroken,
    ToolCallReady,
    UsageReport,
)
from .catalog import Operation, Tool, ToolRegistry
from .context import ExecutionContext
from .conversations import ConversationStore, fold
from .events import (
    ConfirmationRequired,
    ErrorOccurred,
    Event,
    RecoveryOption,
    TextDelta,
    Thinking,
    ToolStarted,
    TurnComplete,
    Usage,
)
from .executor import Executor
from .gatekeeper import Executed, Gatekeeper, Outcome
from .pending import PendingStore
from .prompt import build_prompt
from .provenance import Provenance
from .recollection import Recalled, Recollection, used_tool
from .selection import ToolSelector
from .usage import RateLimiter, record_usage
from .working_context import WorkingContext

__all__ = ["Assistant", "AssistantOptions"]

log = logging.getLogger(__name__)

SUMMARY_AFTER = 20
"""Messages after which older turns are folded into the conversation's summary."""

RETRY = RecoveryOption("retry", "Try again")
ADD_TASK = RecoveryOption("add_task", "Put it on my task list instead")
GO_OFFLINE = RecoveryOption("offline", "Answer with the offline brain")


@dataclass(frozen=True, slots=True)
class AssistantOptions:
    max_tool_calls: int = 10
    """Tool calls allowed per user message."""
    max_tokens: int = 1024
    temperature: float = 0.3
    business_name: str = "the business"


@dataclass
class _Turn:
    """What one user message has produced so far."""

    tools: tuple[Tool[Any], ...] = ()
    text: list[str] = field(default_factory=list)
    usage: Usage = field(default_factory=Usage)
    calls_used: int = 0
    brain: str = ""
    used: list[UsedTool] = field(default_factory=list)
    """What the tools did, for memory capture."""


class Assistant:
    """One user's assistant over one workspace (use ``async with`` or call ``aclose``)."""

    def __init__(
        self,
        *,
        workspace: Workspace,
        registry: ToolRegistry,
        context: ExecutionContext,
        brain: Brain,
        fast_path: Brain | None = None,
        fallback: Brain | None = None,
        selector: ToolSelector | None = None,
        rate_limiter: RateLimiter | None = None,
        options: AssistantOptions | None = None,
        services_options: Mapping[str, Any] | None = None,
        memory: Recollection | None = None,
    ) -> None:
        self.workspace = workspace
        self.registry = registry
        self.brain = brain
        self.fast_path = fast_path
        self.fallback = fallback
        self.options = options or AssistantOptions()
        self.memory = memory
        self._context = context
        self._executor = Executor(workspace, registry, services_options)
        self.gatekeeper = Gatekeeper(self._executor, AuditLog(workspace), PendingStore(workspace))
        self.conversations = ConversationStore(workspace)
        self.working = WorkingContext(context.clock)
        self._selector = selector or ToolSelector.for_registry(registry)
        self._limiter = rate_limiter or RateLimiter(clock=context.clock)
        self._summary: str | None = None
        self._history: list[Message] = []
        self._unsaved: list[Message] = []
        self._provenance = Provenance()
        self._paused: Paused | None = None
        self._turn = _Turn()
        self._last_request = ""
        self._recalled = Recalled()
        self._talked = False
        """Whether the user said something since the conversation was entered."""
        self._lock = asyncio.Lock()

    async def __aenter__(self) -> Assistant:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        self._capture_conversation()
        if self.memory is not None:
            await self.memory.drain()
        for brain in self._brains():
            await brain.aclose()

    # -- conversations ----------------------------------------------------------------------

    @property
    def context(self) -> ExecutionContext:
        return self._context

    @property
    def conversation_id(self) -> int | None:
        return self._context.conversation_id

    @property
    def waiting_for(self) -> str | None:
        """``"confirmation"`` or ``"choice"`` while the conversation waits for the user."""
        return self._paused.waiting_for if self._paused else None

    async def start_conversation(self, title: str | None = None) -> int:
        self._capture_conversation()
        info = await asyncio.to_thread(self.conversations.start, self._context, title)
        self._enter(info.id)
        self._summary, self._history = None, []
        self._provenance = Provenance()
        self.working.forget()
        return info.id

    async def resume(self, conversation_id: int) -> None:
        """Continue a stored conversation (its summary, recent messages and working context)."""
        self._capture_conversation()
        context = replace(self._context, conversation_id=conversation_id)
        transcript = await asyncio.to_thread(self.conversations.history, context, conversation_id)
        self._enter(conversation_id)
        self._summary, self._history = transcript.summary, list(transcript.messages)
        self._provenance = Provenance.of(self._history)
        for message in reversed(self._history):
            if message.role == "assistant" and "working" in message.meta:
                self.working.load(message.meta["working"])
                break
        await self._close_interrupted_round()

    def _enter(self, conversation_id: int) -> None:
        self._context = replace(self._context, conversation_id=conversation_id)
        self._paused = None
        self._turn = _Turn()

    async def _close_interrupted_round(self) -> None:
        """After a restart, calls that were waiting for the human are dropped, and said so."""
        if not self._history or not self._history[-1].tool_calls:
            return
        await asyncio.to_thread(self.gatekeeper.expire_open, self._context)
        note = "Not done: Luma restarted before this was confirmed."
        self._append(Paused.closing(self._history[-1].tool_calls, note))
        await self._save()

    # -- turns ------------------------------------------------------------------------------

    async def send(self, text: str) -> AsyncIterator[Event]:
        """One user message in, its events out."""
        async for event in self._finishing(self._send(text)):
            yield event

    async def _send(self, text: str) -> AsyncIterator[Event]:
        text = text.strip()
        if self.conversation_id is None:
            await self.start_conversation()
        if not text:
            yield self._error(Invalid("Say or type what you need, and I'll take it from there."))
            yield self._complete()
            return
        try:
            self._limiter.check(self._context.user_id)
        except RateLimited as error:
            yield self._error(error)
            yield self._complete()
            return
        if self._paused is not None:
            answered = self._paused.answer_from_text(text)
            if answered is not None:
                async for event in self._apply_answer(answered):
                    yield event
                return
            await self._abandon_paused(f"The user moved on and said: {text[:200]}")
        self._last_request = text
        self._turn = _Turn()
        self._talked = True
        self._append(Message.user(text))
        self._recalled = await self._recall(text)
        brain = await self._brain_for(text)
        async for event in self._rounds(brain):
            yield event

    async def confirm(
        self,
        pending_id: int,
        *,
        approve: bool = True,
        phrase: str | None = None,
        edits: Mapping[str, Any] | None = None,
    ) -> AsyncIterator[Event]:
        """Answer a :class:`ConfirmationRequired` (optionally approving edited arguments)."""
        async for event in self._finishing(self._decide(pending_id, approve, phrase, edits)):
            yield event

    async def choose(self, call_id: str, candidate_id: int | str | None) -> AsyncIterator[Event]:
        """Answer a :class:`DisambiguationRequired` (``None``: none of them)."""
        async for event in self._finishing(self._pick(call_id, candidate_id)):
            yield event

    async def recover(self, action: str) -> AsyncIterator[Event]:
        """Act on an error's recovery option: ``retry``, ``add_task`` or ``offline``."""
        async for event in self._finishing(self._recover(action)):
            yield event

    async def _recover(self, action: str) -> AsyncIterator[Event]:
        if not self._last_request:
            yield self._error(Invalid("There is nothing to retry yet."))
            yield self._complete()
            return
        if action == "add_task":
            async for event in self._add_as_task(self._last_request):
                yield event
            return
        if action not in ("retry", "offline"):
            yield self._error(Invalid(f"“{action}” is not something I can do here."))
            yield self._complete()
            return
        brain = self.fallback if action == "offline" and self.fallback else self.brain
        self._turn = _Turn()
        if not self._history or self._history[-1].role != "user":
            self._append(Message.user(self._last_request))
        async for event in self._rounds(brain):
            yield event

    # -- the loop ---------------------------------------------------------------------------

    async def _brain_for(self, text: str) -> Brain:
        """The offline fast path when it is sure (no tokens spent), else the main brain."""
        fast = self.fast_path
        if fast is None or fast is self.brain:
            return self.brain
        return fast if await asyncio.to_thread(_confident, fast, text) else self.brain

    async def _rounds(self, brain: Brain) -> AsyncIterator[Event]:
        """Ask the brain, run what it proposes, repeat; pause for the human when needed."""
        turn = self._turn
        turn.brain = brain.name
        if not turn.tools:
            turn.tools = self._select_tools()
        while True:
            yield Thinking(brain.name)
            reply: _Reply | None = None
            async for item in self._ask(brain, turn):
                if isinstance(item, _Reply):
                    reply = item
                else:
                    yield item
            if reply is None:  # the brain failed; an error event was yielded
                yield self._complete()
                return
            self._append(reply.message)
            calls = reply.message.tool_calls
            if not calls:
                yield self._complete()
                return
            paused = Paused(calls)
            async for event in self._run_calls(paused, reply.broken):
                yield event
            if not paused.done:
                self._paused = paused
                yield self._complete()
                return
            self._append(paused.outcome_message())

    async def _ask(self, brain: Brain, turn: _Turn) -> AsyncIterator[Event | _Reply]:
        """Stream one brain reply as events; finish with the assembled :class:`_Reply`."""
        exhausted = turn.calls_used >= self.options.max_tool_calls
        request = self._request(() if exhausted else turn.tools)
        text: list[str] = []
        calls: list[ToolCall] = []
        broken: list[ToolCallBroken] = []
        meta: dict[str, Any] = {}
        try:
            async for event in brain.respond(request):
                if isinstance(event, TextChunk):
                    text.append(event.text)
                    yield TextDelta(event.text)
                elif isinstance(event, ToolCallReady):
                    calls.append(event.call)
                elif isinstance(event, ToolCallBroken):
                    broken.append(event)
                elif isinstance(event, UsageReport):
                    turn.usage = turn.usage + event.usage
                    await asyncio.to_thread(
                        record_usage,
                        self.workspace,
                        self._context,
                        model=brain.model or brain.name,
                        usage=event.usage,
                    )
                elif isinstance(event, StateNote):
                    meta.update(event.data)
                elif isinstance(event, Finished):
                    break
        except BrainError as error:
            log.warning("brain %s failed: %s", brain.name, error)
            yield self._error(error, *self._options_after_brain_error(brain, error))
            return
        turn.text.append("".join(text))
        placeholders = [ToolCall(b.id, b.name, {}) for b in broken]
        meta["working"] = self.working.to_dict()
        content = ((TextBlock("".join(text)),) if text else ()) + tuple(calls + placeholders)
        yield _Reply(Message("assistant", content, meta), tuple(broken))

    def _request(self, tools: Sequence[Tool[Any]]) -> BrainRequest:
        parts = build_prompt(
            self._context,
            business=self.options.business_name,
            working=self.working.describe(),
            summary=self._summary,
            history=self._recalled.history,
        )
        return BrainRequest(
            system=parts.system,
            context=parts.context,
            messages=tuple(self._history),
            tools=tuple(tool.definition() for tool in tools),
            max_tokens=self.options.max_tokens,
            temperature=self.options.temperature,
            recalled=self._recalled.texts,
        )

    def _select_tools(self) -> tuple[Tool[Any], ...]:
        accessible = self._executor.accessible_tools(self._context)
        recent = [call.name for message in self._history[-8:] for call in message.tool_calls]
        chosen = self._selector.select(
            self._last_request, accessible, topic=self.working.topic, recent=recent
        )
        return tuple(chosen)

    async def _run_calls(
        self, paused: Paused, broken: Sequence[ToolCallBroken]
    ) -> AsyncIterator[Event]:
        """Submit each call to the gatekeeper (in order); results go back together."""
        turn = self._turn
        for item in broken:
            paused.record_broken(item)
        for call in paused.calls:
            if call.id in paused.outcomes:
                continue
            if turn.calls_used >= self.options.max_tool_calls:
                paused.record_over_budget(call, self.options.max_tool_calls)
                continue
            turn.calls_used += 1
            yield ToolStarted(call.id, call.name, dict(call.arguments))
            outcome = await asyncio.to_thread(
                self.gatekeeper.submit, self._context, call, self._provenance
            )
            for event in self._absorb(paused, call, outcome):
                yield event

    def _absorb(self, paused: Paused, call: ToolCall, outcome: Outcome) -> list[Event]:
        """Record an outcome in the round and say what it means."""
        told = tell(outcome)
        events = list(told.events)
        used = used_tool(outcome)
        if used is not None:
            self._turn.used.append(used)
        if isinstance(outcome, Executed):
            self.working.note(outcome.tool, outcome.arguments, outcome.result)
            if outcome.tool.operation is Operation.WRITE:
                self._workspace_changed()
        if told.block is not None:  # under the brain's id, also when a choice re-ran it
            paused.outcomes[call.id] = replace(told.block, call_id=call.id)
        elif told.choice is not None:
            paused.choices[call.id] = (told.choice, call)
        else:
            confirmation = next(e for e in events if isinstance(e, ConfirmationRequired))
            paused.confirmations[call.id] = confirmation
        outage = outage_of(outcome)
        if outage is not None:
            events.append(self._error(outage, RETRY, ADD_TASK))
        return events

    # -- answers ----------------------------------------------------------------------------

    async def _apply_answer(self, answer: Answer) -> AsyncIterator[Event]:
        if isinstance(answer, Decision):
            events = self._decide(answer.pending_id, answer.approve, answer.phrase, None)
        else:
            events = self._pick(answer.call_id, answer.candidate_id)
        async for event in events:
            yield event

    async def _decide(
        self,
        pending_id: int,
        approve: bool,
        phrase: str | None,
        edits: Mapping[str, Any] | None,
    ) -> AsyncIterator[Event]:
        paused = self._paused
        call_id = paused.call_of_pending(pending_id) if paused else None
        if paused is None or call_id is None:
            yield self._error(ConfirmationError("I have no action waiting for that confirmation."))
            yield self._complete()
            return
        try:
            outcome = await asyncio.to_thread(
                self.gatekeeper.decide,
                self._context,
                pending_id,
                approve=approve,
                phrase=phrase,
                edits=edits,
            )
        except ConfirmationError as error:
            yield self._error(error)
            if not paused.still_open_after(error):
                paused.drop_confirmation(call_id, error.message)
                async for event in self._resume_if_done():
                    yield event
                return
            yield self._complete()
            return
        paused.confirmations.pop(call_id, None)
        call = next(c for c in paused.calls if c.id == call_id)
        for event in self._absorb(paused, call, outcome):
            yield event
        async for event in self._resume_if_done():
            yield event

    async def _pick(self, call_id: str, candidate_id: int | str | None) -> AsyncIterator[Event]:
        paused = self._paused
        entry = paused.choices.get(call_id) if paused else None
        if paused is None or entry is None:
            yield self._error(Invalid("There is no choice waiting for that answer."))
            yield self._complete()
            return
        question, call = entry
        del paused.choices[call_id]
        if candidate_id is None:
            paused.outcomes[call_id] = Paused.not_done(call_id, "The user chose none of them.")
        else:
            retried = resolve_reference(call, question, candidate_id)
            yield ToolStarted(call_id, call.name, dict(retried.arguments))
            outcome = await asyncio.to_thread(self.gatekeeper.submit, self._context, retried)
            for event in self._absorb(paused, replace(call, arguments=retried.arguments), outcome):
                yield event
        async for event in self._resume_if_done():
            yield event

    async def _resume_if_done(self) -> AsyncIterator[Event]:
        """When every call of the paused round has its result, hand them back to the brain."""
        paused = self._paused
        if paused is None or not paused.done:
            yield self._complete()
            return
        self._paused = None
        self._append(paused.outcome_message())
        async for event in self._rounds(self._brain_by_name(self._turn.brain)):
            yield event

    async def _abandon_paused(self, reason: str) -> None:
        paused = self._paused
        self._paused = None
        if paused is None:
            return
        await asyncio.to_thread(self.gatekeeper.expire_open, self._context)
        self._append(paused.abandon(reason))

    async def _add_as_task(self, request: str) -> AsyncIterator[Event]:
        call = ToolCall(f"recover_{time.monotonic_ns()}", "tasks_create", {"title": request[:300]})
        yield ToolStarted(call.id, call.name, dict(call.arguments))
        outcome = await asyncio.to_thread(self.gatekeeper.submit, self._context, call)
        told = tell(outcome)
        for event in told.events:
            yield event
        if isinstance(outcome, Executed):
            text = f"I've put “{request[:80]}” on your task list."
            yield TextDelta(text)
            self._turn.text.append(text)
        yield self._complete()

    # -- memory -----------------------------------------------------------------------------

    async def _recall(self, text: str) -> Recalled:
        if self.memory is None:
            return Recalled()
        return await self.memory.recall(self._context, text)

    def _capture_exchange(self, reply: str) -> None:
        if self.memory is not None and self._last_request:
            self.memory.capture_exchange(self._context, self._last_request, reply, self._turn.used)

    def _capture_summary(self, summary: str | None) -> None:
        if self.memory is not None and summary and self.conversation_id is not None:
            self.memory.capture_summary(self._context, summary)

    def _capture_conversation(self) -> None:
        """When a conversation ends (another starts, or Luma closes), keep its summary."""
        if self.memory is not None and self._talked and self._paused is None:
            self._capture_summary(fold(self._summary, self._history))
        self._talked = False

    # -- helpers ----------------------------------------------------------------------------

    def _brains(self) -> list[Brain]:
        return list({id(b): b for b in (self.brain, self.fast_path, self.fallback) if b}.values())

    def _workspace_changed(self) -> None:
        for brain in self._brains():
            brain.workspace_changed()

    def _brain_by_name(self, name: str) -> Brain:
        for brain in (self.fast_path, self.fallback, self.brain):
            if brain is not None and brain.name == name:
                return brain
        return self.brain

    def _options_after_brain_error(
        self, brain: Brain, error: BrainError
    ) -> tuple[RecoveryOption, ...]:
        options = [RETRY] if error.retryable else []
        if self.fallback is not None and brain is not self.fallback:
            options.append(GO_OFFLINE)
        return (*options, ADD_TASK)

    def _append(self, message: Message) -> None:
        """Add to the history; stored with the rest of the turn (see :meth:`_save`)."""
        self._history.append(message)
        self._provenance.add(message)
        self._unsaved.append(message)

    async def _save(self) -> None:
        """Store the turn's new messages in one transaction."""
        conversation, unsaved = self.conversation_id, self._unsaved
        self._unsaved = []
        if conversation is not None and unsaved:
            await asyncio.to_thread(
                self.conversations.append_all, self._context, conversation, unsaved
            )

    async def _finishing(self, events: AsyncIterator[Event]) -> AsyncIterator[Event]:
        """One turn at a time; its messages are stored before :class:`TurnComplete` reaches the
        consumer, and a long conversation is summarised just after."""
        async with self._lock:
            async for event in events:
                if not isinstance(event, TurnComplete):
                    yield event
                    continue
                await self._save()
                yield event
                if event.waiting_for is None:  # after the answer: nobody waits for these
                    self._capture_exchange(event.message)
                    if len(self._history) > SUMMARY_AFTER and await self.summarise_if_long():
                        self._capture_summary(self._summary)

    def _error(self, error: LumaError, *options: RecoveryOption) -> ErrorOccurred:
        return ErrorOccurred(error.code, error.message, tuple(options))

    def _complete(self) -> TurnComplete:
        turn = self._turn
        return TurnComplete(
            conversation_id=self.conversation_id or 0,
            message="\n\n".join(part for part in turn.text if part),
            usage=turn.usage,
            brain=turn.brain,
            waiting_for=self.waiting_for,
        )

    async def summarise_if_long(self) -> bool:
        """Fold old turns into the summary (done after each turn once it grows long)."""
        conversation = self.conversation_id
        if conversation is None or self._paused is not None:
            return False
        done = await asyncio.to_thread(
            self.conversations.summarise_if_long, self._context, conversation
        )
        if done:
            transcript = await asyncio.to_thread(
                self.conversations.history, self._context, conversation
            )
            self._summary, self._history = transcript.summary, list(transcript.messages)
        return done


@dataclass(frozen=True, slots=True)
class _Reply:
    message: Message
    broken: tuple[ToolCallBroken, ...]


def _confident(brain: Brain, text: str) -> bool:
    check: Callable[[str], bool] | None = getattr(brain, "is_confident", None)
    return bool(check and check(text))
