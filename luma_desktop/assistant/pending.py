"""Pending actions: tool calls that wait for the human, bound to what exactly was approved.

A pending action is bound by a hash of tool + arguments + user + conversation + business; it
expires after five minutes; critical ones carry a typed phrase. Deciding one that expired,
belongs to someone else, was already decided, or whose stored arguments no longer match the
binding raises :class:`ConfirmationError` ("ask again").
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa

from ..errors import ConfirmationError
from ..workspace.database import Workspace
from ..workspace.models import PendingAction, PendingStatus
from .catalog import Risk
from .context import ExecutionContext

__all__ = ["CONFIRMATION_TTL", "PendingInfo", "PendingStore", "binding_hash"]

CONFIRMATION_TTL = timedelta(minutes=5)
_PHRASE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def canonical_json(value: Any) -> str:
    """Byte-stable JSON (sorted keys, no spaces) of JSON-ready data."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def binding_hash(context: ExecutionContext, tool: str, arguments: Mapping[str, Any]) -> str:
    """What an approval is bound to: this tool, these arguments, this user and conversation."""
    bound = [
        context.business_id,
        context.user_id,
        context.conversation_id,
        tool,
        canonical_json(dict(arguments)),
    ]
    return hashlib.sha256(canonical_json(bound).encode()).hexdigest()


def _phrase_for(digest: str) -> str:
    """A short phrase to type, derived from the binding (so it names this very action)."""
    number = int(digest[:16], 16)
    code = ""
    for _ in range(4):
        number, index = divmod(number, len(_PHRASE_ALPHABET))
        code += _PHRASE_ALPHABET[index]
    return f"CONFIRM {code}"


@dataclass(frozen=True, slots=True)
class PendingInfo:
    """A pending action as the rest of the assistant sees it."""

    id: int
    call_id: str
    tool: str
    arguments: dict[str, Any]
    risk: Risk
    prompt: str
    expires_at: datetime
    phrase: str | None
    raised_because: tuple[str, ...]

    @classmethod
    def of(cls, row: PendingAction) -> PendingInfo:
        return cls(
            id=row.id,
            call_id=row.call_id,
            tool=row.tool_name,
            arguments=dict(row.arguments),
            risk=Risk(row.risk),
            prompt=row.prompt,
            expires_at=row.expires_at,
            phrase=row.confirmation_phrase,
            raised_because=tuple(row.raised_because or ()),
        )


class PendingStore:
    """Creates, finds and settles pending actions (one transaction per method)."""

    def __init__(self, workspace: Workspace, ttl: timedelta = CONFIRMATION_TTL) -> None:
        self.workspace = workspace
        self.ttl = ttl

    def create(
        self,
        context: ExecutionContext,
        *,
        call_id: str,
        tool: str,
        arguments: Mapping[str, Any],
        risk: Risk,
        prompt: str,
        raised_because: tuple[str, ...] = (),
    ) -> PendingInfo:
        digest = binding_hash(context, tool, arguments)
        with self.workspace.transaction(context.business_id) as session:
            row = PendingAction(
                user_id=context.user_id,
                conversation_id=context.conversation_id,
                tool_name=tool,
                call_id=call_id,
                prompt=prompt,
                raised_because=list(raised_because),
                arguments=dict(arguments),
                binding_hash=digest,
                risk=risk.value,
                confirmation_phrase=_phrase_for(digest) if risk is Risk.CRITICAL else None,
                expires_at=context.clock.now() + self.ttl,
            )
            session.add(row)
            session.flush()
            return PendingInfo.of(row)

    def open_for(self, context: ExecutionContext) -> list[PendingInfo]:
        """The user's undecided, unexpired actions in the context's conversation, oldest first."""
        with self.workspace.transaction(context.business_id) as session:
            rows = session.scalars(
                sa.select(PendingAction)
                .where(
                    PendingAction.user_id == context.user_id,
                    PendingAction.conversation_id == context.conversation_id,
                    PendingAction.status == PendingStatus.PENDING,
                    PendingAction.expires_at > context.clock.now(),
                )
                .order_by(PendingAction.id)
            ).all()
            return [PendingInfo.of(row) for row in rows]

    def take(self, context: ExecutionContext, pending_id: int) -> PendingInfo:
        """The pending action, if this user may decide it now; else :class:`ConfirmationError`.

        An expired or altered one is settled as such (committed) before the error is raised.
        """
        with self.workspace.transaction(context.business_id) as session:
            row = session.get(PendingAction, pending_id)
            problem, status = _problem(context, row)
            if row is not None and problem is None:
                return PendingInfo.of(row)
            if row is not None and status is not None:
                row.status = status
                row.decided_at = context.clock.now()
        raise ConfirmationError(
            problem or "I have no action waiting for that confirmation.",
            expired=status is PendingStatus.EXPIRED,
        )

    def settle(self, context: ExecutionContext, pending_id: int, status: PendingStatus) -> None:
        """Record the decision (approved, executed, cancelled, expired)."""
        with self.workspace.transaction(context.business_id) as session:
            row = session.get(PendingAction, pending_id)
            if row is not None:
                row.status = status
                row.decided_at = context.clock.now()

    def expire_open(self, context: ExecutionContext) -> list[PendingInfo]:
        """Cancel-by-expiry every open action of this conversation (a new request replaced
        them, or their time ran out); returns them."""
        with self.workspace.transaction(context.business_id) as session:
            rows = session.scalars(
                sa.select(PendingAction).where(
                    PendingAction.user_id == context.user_id,
                    PendingAction.conversation_id == context.conversation_id,
                    PendingAction.status == PendingStatus.PENDING,
                )
            ).all()
            now = context.clock.now()
            for row in rows:
                row.status = PendingStatus.EXPIRED
                row.decided_at = now
            return [PendingInfo.of(row) for row in rows]


def _problem(
    context: ExecutionContext, row: PendingAction | None
) -> tuple[str | None, PendingStatus | None]:
    """Why this pending action cannot be decided now, and the status that records it."""
    if row is None or row.user_id != context.user_id:
        return "I have no action waiting for that confirmation.", None
    if row.conversation_id != context.conversation_id:
        return "That confirmation belongs to another conversation.", None
    if row.status is not PendingStatus.PENDING:
        return (
            f"That action was already {row.status.value}; ask me again if you still want it.",
            None,
        )
    if row.expires_at <= context.clock.now():
        return (
            "That confirmation expired (they last 5 minutes), so nothing was done. "
            "Ask me again if you still want it.",
            PendingStatus.EXPIRED,
        )
    if row.binding_hash != binding_hash(context, row.tool_name, row.arguments):
        return (
            "That action changed after I asked, so I cancelled it and nothing was done. "
            "Ask me again if you still want it.",
            PendingStatus.CANCELLED,
        )
    return None, None
