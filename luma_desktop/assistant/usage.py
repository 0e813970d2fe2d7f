"""Model tokens per message and per user, and the per-user message rate limit."""

from __future__ import annotations

import math
import threading
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa

from ..clock import Clock, SystemClock
from ..errors import ConfigurationError, Invalid, RateLimited
from ..workspace.database import Workspace
from ..workspace.models import TokenUsage, User
from .context import ExecutionContext
from .events import Usage

__all__ = ["RateLimiter", "UsageSummary", "UsageTotals", "record_usage", "usage_summary"]

WINDOW = timedelta(seconds=60)


@dataclass(frozen=True, slots=True)
class UsageTotals:
    """Tokens of each kind and the number of model messages they came from."""

    input_tokens: int = 0
    output_tokens: int = 0
    cache_read_tokens: int = 0
    cache_write_tokens: int = 0
    messages: int = 0

    @property
    def total(self) -> int:
        """Every token, whatever its kind."""
        return (
            self.input_tokens
            + self.output_tokens
            + self.cache_read_tokens
            + self.cache_write_tokens
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "input_tokens": self.input_tokens,
            "output_tokens": self.output_tokens,
            "cache_read_tokens": self.cache_read_tokens,
            "cache_write_tokens": self.cache_write_tokens,
            "total_tokens": self.total,
            "messages": self.messages,
        }


@dataclass(frozen=True, slots=True)
class UsageSummary(UsageTotals):
    """Totals over a period, with a breakdown per model and per user (by name)."""

    by_model: Mapping[str, UsageTotals] = field(default_factory=dict)
    by_user: Mapping[str, UsageTotals] = field(default_factory=dict)
    since: datetime | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            **UsageTotals.to_dict(self),
            "since": self.since.isoformat() if self.since else None,
            "by_model": {name: t.to_dict() for name, t in self.by_model.items()},
            "by_user": {name: t.to_dict() for name, t in self.by_user.items()},
        }


def record_usage(
    workspace: Workspace, context: ExecutionContext, *, model: str, usage: Usage
) -> None:
    """Store the tokens of one model message (nothing when it used none)."""
    if usage.total == 0:
        return
    counts = (
        usage.input_tokens,
        usage.output_tokens,
        usage.cache_read_tokens,
        usage.cache_write_tokens,
    )
    if min(counts) < 0:
        raise Invalid("Token counts cannot be negative.", field="usage")
    with workspace.transaction(context.business_id) as session:
        session.add(
            TokenUsage(
                business_id=context.business_id,
                at=context.clock.now(),
                user_id=context.user_id or None,
                conversation_id=context.conversation_id,
                model=model[:100] or "unknown",
                input_tokens=usage.input_tokens,
                output_tokens=usage.output_tokens,
                cache_read_tokens=usage.cache_read_tokens,
                cache_write_tokens=usage.cache_write_tokens,
            )
        )


_SUMS = (
    sa.func.coalesce(sa.func.sum(TokenUsage.input_tokens), 0),
    sa.func.coalesce(sa.func.sum(TokenUsage.output_tokens), 0),
    sa.func.coalesce(sa.func.sum(TokenUsage.cache_read_tokens), 0),
    sa.func.coalesce(sa.func.sum(TokenUsage.cache_write_tokens), 0),
    sa.func.count(TokenUsage.id),
)


def _totals(row: Any) -> UsageTotals:
    return UsageTotals(*(int(value) for value in row[-5:]))


def usage_summary(
    workspace: Workspace,
    business_id: int,
    *,
    user_id: int | None = None,
    since: datetime | None = None,
) -> UsageSummary:
    """Tokens used in the business (by one user, since a moment), per model and per user."""
    if since is not None and since.tzinfo is None:
        raise Invalid("“since” needs a timezone (for example UTC).", field="since")
    conditions: list[sa.ColumnElement[bool]] = []
    if user_id is not None:
        conditions.append(TokenUsage.user_id == user_id)
    if since is not None:
        conditions.append(TokenUsage.at >= since.astimezone(UTC))
    with workspace.transaction(business_id) as session:
        overall = session.execute(sa.select(*_SUMS).where(*conditions)).one()
        per_model = session.execute(
            sa.select(TokenUsage.model, *_SUMS)
            .where(*conditions)
            .group_by(TokenUsage.model)
            .order_by(TokenUsage.model)
        ).all()
        per_user = session.execute(
            sa.select(TokenUsage.user_id, User.name, *_SUMS)
            .outerjoin(User, User.id == TokenUsage.user_id)
            .where(*conditions)
            .group_by(TokenUsage.user_id, User.name)
            .order_by(User.name)
        ).all()
    by_user: dict[str, UsageTotals] = {}
    for row in per_user:
        label = row[1] or ("a removed user" if row[0] is None else f"user {row[0]}")
        if label in by_user:
            label = f"{label} (user {row[0]})"
        by_user[label] = _totals(row)
    totals = _totals(overall)
    return UsageSummary(
        input_tokens=totals.input_tokens,
        output_tokens=totals.output_tokens,
        cache_read_tokens=totals.cache_read_tokens,
        cache_write_tokens=totals.cache_write_tokens,
        messages=totals.messages,
        by_model={row[0]: _totals(row) for row in per_model},
        by_user=by_user,
        since=since,
    )


def _wait_phrase(seconds: float) -> str:
    whole = max(1, math.ceil(seconds))
    return f"{whole} second{'s' if whole != 1 else ''}"


class RateLimiter:
    """At most ``per_minute`` messages per user in any 60 seconds (in memory, thread-safe).

    A refused message does not count, so waiting the advised time always works.
    """

    def __init__(self, per_minute: int = 30, clock: Clock | None = None) -> None:
        if per_minute < 1:
            raise ConfigurationError(
                "The message limit must allow at least 1 message a minute.",
                setting="messages_per_minute",
            )
        self.per_minute = per_minute
        self.clock = clock or SystemClock()
        self._sent: dict[int, deque[datetime]] = {}
        self._lock = threading.Lock()

    def check(self, user_id: int) -> None:
        """Count one message of ``user_id``; raise :class:`RateLimited` when over the limit."""
        now = self.clock.now()
        with self._lock:
            sent = self._sent.setdefault(user_id, deque())
            while sent and sent[0] <= now - WINDOW:
                sent.popleft()
            if len(sent) >= self.per_minute:
                retry_after = (sent[0] + WINDOW - now).total_seconds()
                raise RateLimited(
                    f"You've sent {len(sent)} messages in the last minute; "
                    f"please wait {_wait_phrase(retry_after)}.",
                    retry_after=retry_after,
                )
            sent.append(now)
