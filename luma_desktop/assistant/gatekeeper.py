"""The gatekeeper: the only road from a proposed tool call to its execution, for every brain.

For each call: the tool must exist and be visible to the user's role and plan, its arguments
must validate (unknown fields refused), scope comes from the :class:`ExecutionContext`. Then
risk decides: none/low run at once; medium and high become a :class:`PendingInfo` the human
approves or declines; critical also needs a typed phrase. A sensitive value that came from tool
results rather than from the user raises the risk one level (:mod:`.provenance`). Every
executed, denied, confirmed, cancelled, expired and failed action is audited. A call id that
already ran returns its first outcome: a retried stream never executes a tool twice.
"""

from __future__ import annotations

import logging
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from ..errors import ConfirmationError, Invalid, LumaError, NotFound, PermissionDenied, ServiceError
from ..workspace.models import PendingStatus
from ..workspace.services import Services
from ..workspace.values import zone
from ..workspace.when import parse_day, parse_when
from .answers import phrase_matches
from .audit import AuditLog, AuditOutcome
from .brains.base import ToolCall
from .catalog import Risk, Tool, ToolResult
from .context import ExecutionContext
from .executor import Executor
from .pending import PendingInfo, PendingStore
from .provenance import Provenance

__all__ = [
    "AwaitingConfirmation",
    "Cancelled",
    "Executed",
    "Failed",
    "Gatekeeper",
    "Outcome",
    "Rejected",
]

log = logging.getLogger(__name__)

_IDENTIFY: dict[str, Callable[[Services, int | str], tuple[int, str]]] = {
    "client": lambda services, ref: services.clients.identify(ref),
}
"""How to resolve each kind of record an argument may name (see :class:`~.catalog.Refers`)."""


@dataclass(frozen=True, slots=True)
class Executed:
    call_id: str
    tool: Tool[Any]
    arguments: dict[str, Any]
    result: ToolResult


@dataclass(frozen=True, slots=True)
class Rejected:
    """Refused before running: unknown tool, invalid arguments, not allowed."""

    call_id: str
    tool_name: str
    error: LumaError


@dataclass(frozen=True, slots=True)
class Failed:
    """The tool ran and its service said no (not found, ambiguous, conflict, down)."""

    call_id: str
    tool: Tool[Any]
    arguments: dict[str, Any]
    error: LumaError


@dataclass(frozen=True, slots=True)
class AwaitingConfirmation:
    call_id: str
    pending: PendingInfo


@dataclass(frozen=True, slots=True)
class Cancelled:
    call_id: str
    pending: PendingInfo


Outcome = Executed | Rejected | Failed | AwaitingConfirmation | Cancelled


class Gatekeeper:
    """Checks, holds for confirmation, runs and audits tool calls (synchronous: call it from a
    worker thread)."""

    def __init__(self, executor: Executor, audit: AuditLog, pending: PendingStore) -> None:
        self.executor = executor
        self.audit = audit
        self.pending = pending
        self._seen: OrderedDict[tuple[int, int | None, str], Outcome] = OrderedDict()

    # -- proposals ------------------------------------------------------------------------

    def submit(
        self, context: ExecutionContext, call: ToolCall, provenance: Provenance | None = None
    ) -> Outcome:
        """Decide what happens to a proposed call, and run it when no human is needed."""
        key = (context.business_id, context.conversation_id, call.id)
        if key in self._seen:
            return self._seen[key]
        outcome = self._submit(context, call, provenance)
        self._remember(key, outcome)
        return outcome

    def _submit(
        self, context: ExecutionContext, call: ToolCall, provenance: Provenance | None
    ) -> Outcome:
        try:
            tool, validated = self.executor.check(context, call.name, call.arguments)
        except (NotFound, PermissionDenied, Invalid) as error:
            self.audit.record(
                context,
                tool=call.name,
                outcome=AuditOutcome.DENIED,
                arguments=call.arguments,
                reason=error.message,
            )
            return Rejected(call.id, call.name, error)
        arguments = validated.model_dump(mode="json", exclude_unset=True)
        risk = tool.risk_for(validated, self.executor.services(context))
        tainted = provenance.tainted(arguments) if provenance else ()
        if tainted:
            risk = risk.raised()
        if not risk.needs_confirmation():
            return self._run(context, call.id, tool, arguments)
        return self._hold(context, call.id, tool, arguments, risk=risk, tainted=tainted)

    def _hold(
        self,
        context: ExecutionContext,
        call_id: str,
        tool: Tool[Any],
        arguments: dict[str, Any],
        *,
        risk: Risk,
        tainted: tuple[str, ...] = (),
    ) -> Outcome:
        """Keep the call for the human; names of records are settled first."""
        try:
            arguments, labels = self._identify(context, tool, arguments)
        except ServiceError as error:  # ambiguous or unknown: ask which, before asking "ok?"
            return Failed(call_id, tool, arguments, error)
        pending = self.pending.create(
            context,
            call_id=call_id,
            tool=tool.name,
            arguments=arguments,
            risk=risk,
            prompt=confirmation_prompt(tool, arguments, context, labels),
            raised_because=tainted,
        )
        return AwaitingConfirmation(call_id, pending)

    def _identify(
        self, context: ExecutionContext, tool: Tool[Any], arguments: dict[str, Any]
    ) -> tuple[dict[str, Any], dict[str, str]]:
        """Names of records resolved to ids (and their labels for the question)."""
        resolved, labels = dict(arguments), {}
        services = self.executor.services(context)
        for name, kind in tool.references.items():
            value = arguments.get(name)
            identify = _IDENTIFY.get(kind)
            if identify is None or value is None or isinstance(value, bool):
                continue
            resolved[name], labels[name] = identify(services, value)
        return resolved, labels

    # -- decisions ------------------------------------------------------------------------

    def decide(
        self,
        context: ExecutionContext,
        pending_id: int,
        *,
        approve: bool,
        phrase: str | None = None,
        edits: Mapping[str, Any] | None = None,
    ) -> Outcome:
        """Approve (optionally with edited arguments) or decline a pending action.

        Raises :class:`ConfirmationError` when it expired, was altered, is not the user's, or
        the typed phrase of a critical action is wrong (then it stays open for another try).
        """
        try:
            pending = self.pending.take(context, pending_id)
        except ConfirmationError as error:
            self.audit.record(
                context,
                tool="(confirmation)",
                outcome=AuditOutcome.EXPIRED if error.expired else AuditOutcome.DENIED,
                arguments={"pending_id": pending_id},
                reason=error.message,
            )
            raise
        if not approve:
            self.pending.settle(context, pending.id, PendingStatus.CANCELLED)
            self.audit.record(
                context,
                tool=pending.tool,
                outcome=AuditOutcome.CANCELLED,
                arguments=pending.arguments,
                reason="declined by the user",
            )
            return Cancelled(pending.call_id, pending)
        if edits:
            return self._approve_edited(context, pending, edits)
        if pending.phrase is not None and not (phrase and phrase_matches(phrase, pending.phrase)):
            raise ConfirmationError(
                f"This one needs the exact phrase: type “{pending.phrase}” to go ahead, "
                "or say cancel.",
                still_open=True,
            )
        self.pending.settle(context, pending.id, PendingStatus.APPROVED)
        self.audit.record(
            context,
            tool=pending.tool,
            outcome=AuditOutcome.CONFIRMED,
            arguments=pending.arguments,
            reason=f"{pending.risk.value} risk confirmed by the user",
        )
        outcome = self._run_checked(context, pending.call_id, pending.tool, pending.arguments)
        if isinstance(outcome, Executed):
            self.pending.settle(context, pending.id, PendingStatus.EXECUTED)
        key = (context.business_id, context.conversation_id, pending.call_id)
        self._remember(key, outcome)
        return outcome

    def _approve_edited(
        self, context: ExecutionContext, pending: PendingInfo, edits: Mapping[str, Any]
    ) -> Outcome:
        """Edit-then-approve: the edited call is checked from scratch and asked again only
        if it became riskier than what the user is approving."""
        self.pending.settle(context, pending.id, PendingStatus.CANCELLED)
        call = ToolCall(pending.call_id, pending.tool, {**pending.arguments, **edits})
        try:
            tool, validated = self.executor.check(context, call.name, call.arguments)
        except LumaError as error:
            return Rejected(call.id, call.name, error)
        arguments = validated.model_dump(mode="json", exclude_unset=True)
        risk = tool.risk_for(validated, self.executor.services(context))
        if risk.level > pending.risk.level or risk is Risk.CRITICAL:
            return self._hold(context, call.id, tool, arguments, risk=risk)
        self.audit.record(
            context,
            tool=tool.name,
            outcome=AuditOutcome.CONFIRMED,
            arguments=arguments,
            reason="confirmed by the user after editing",
        )
        return self._run(context, call.id, tool, arguments)

    def expire_open(self, context: ExecutionContext) -> list[PendingInfo]:
        """Drop the conversation's open confirmations (the user moved on); audited as expired."""
        dropped = self.pending.expire_open(context)
        for pending in dropped:
            self.audit.record(
                context,
                tool=pending.tool,
                outcome=AuditOutcome.EXPIRED,
                arguments=pending.arguments,
                reason="not confirmed before the next request",
            )
        return dropped

    # -- execution ------------------------------------------------------------------------

    def _run_checked(
        self, context: ExecutionContext, call_id: str, name: str, arguments: dict[str, Any]
    ) -> Outcome:
        """Approval is not authorisation: check the call again before running it."""
        try:
            tool, validated = self.executor.check(context, name, arguments)
        except LumaError as error:
            self.audit.record(
                context,
                tool=name,
                outcome=AuditOutcome.DENIED,
                arguments=arguments,
                reason=error.message,
            )
            return Rejected(call_id, name, error)
        return self._run(context, call_id, tool, validated.model_dump(mode="json"))

    def _run(
        self, context: ExecutionContext, call_id: str, tool: Tool[Any], arguments: dict[str, Any]
    ) -> Outcome:
        started = time.perf_counter()
        try:
            result = self.executor.execute(context, tool.name, arguments)
        except LumaError as error:
            outcome: Outcome = Failed(call_id, tool, arguments, error)
            reason: str | None = error.message
        except Exception as error:  # a bug or an outage must not kill the conversation
            log.exception("tool %s crashed", tool.name)
            wrapped = ServiceError(
                f"Something went wrong while running {tool.name}; nothing was changed."
            )
            outcome = Failed(call_id, tool, arguments, wrapped)
            reason = f"{type(error).__name__}: {error}"
        else:
            outcome = Executed(call_id, tool, arguments, result)
            reason = None
        self.audit.record(
            context,
            tool=tool.name,
            outcome=AuditOutcome.EXECUTED if isinstance(outcome, Executed) else AuditOutcome.FAILED,
            arguments=arguments,
            result=result.summary if isinstance(outcome, Executed) else None,
            reason=reason,
            duration_ms=round((time.perf_counter() - started) * 1000),
        )
        return outcome

    def _remember(self, key: tuple[int, int | None, str], outcome: Outcome) -> None:
        self._seen[key] = outcome
        while len(self._seen) > 2000:
            self._seen.popitem(last=False)


class _Blank(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return "—"


_WHEN_FIELDS = frozenset({"when", "to", "starts", "ends", "start", "end", "at", "new_time"})
_DAY_FIELDS = frozenset({"due", "on", "day", "date", "until"})


def _moment(name: str, value: Any, context: ExecutionContext) -> str | None:
    """A date-time argument in words ("tomorrow at 2pm") as the moment it means."""
    if not isinstance(value, str) or name not in _WHEN_FIELDS | _DAY_FIELDS:
        return None
    tz = zone(context.timezone)
    now = context.clock.now().astimezone(tz)
    if name in _DAY_FIELDS:
        day = parse_day(value, now.date())
        return f"{day:%a %-d %b %Y}" if day else None
    moment = parse_when(value, now)
    return f"{moment.astimezone(tz):%a %-d %b at %H:%M}" if moment else None


def confirmation_prompt(
    tool: Tool[Any],
    arguments: Mapping[str, Any],
    context: ExecutionContext,
    labels: Mapping[str, str] | None = None,
) -> str:
    """The question for the human, from the tool's template and the arguments (records by
    their names, dates in words as the moment they mean in the business's timezone)."""
    shown = _Blank({k: _moment(k, v, context) or _shown(v) for k, v in arguments.items()})
    shown.update(labels or {})
    if tool.confirmation:
        return tool.confirmation.format_map(shown)
    listed = ", ".join(f"{k.replace('_', ' ')}: {shown[k]}" for k in arguments)
    action = tool.summary_line.rstrip(".")
    return f"{action} ({listed})?" if listed else f"{action}?"


def _shown(value: Any) -> str:
    if value is None:
        return "not set"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list | tuple):
        return ", ".join(_shown(v) for v in value)
    return str(value)
