"""The assistant's own records: conversations, pending actions, audit, token usage, undo."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ._base import Base, IdMixin, StrEnumType, TenantMixin, TimestampMixin

__all__ = [
    "AuditEntry",
    "Conversation",
    "ConversationMessage",
    "PendingAction",
    "PendingStatus",
    "TokenUsage",
    "UndoRecord",
]


class PendingStatus(enum.StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    EXECUTED = "executed"
    CANCELLED = "cancelled"
    EXPIRED = "expired"


class Conversation(IdMixin, TenantMixin, TimestampMixin, Base):
    """A chat between one user and Luma."""

    __tablename__ = "conversations"

    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(sa.String(200), default="New conversation")
    summary: Mapped[str | None] = mapped_column(sa.Text)
    summarised_through_id: Mapped[int | None]
    """Id of the last message the summary covers."""
    archived: Mapped[bool] = mapped_column(default=False)
    updated_at: Mapped[datetime | None]


class ConversationMessage(IdMixin, TenantMixin, TimestampMixin, Base):
    """One message of a conversation; ``payload`` keeps tool calls, results and cards."""

    __tablename__ = "conversation_messages"

    conversation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("conversations.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[str] = mapped_column(sa.String(20))
    """user, assistant or tool."""
    content: Mapped[str] = mapped_column(sa.Text, default="")
    payload: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    feedback: Mapped[int | None]
    """+1 thumbs up, -1 thumbs down."""


class PendingAction(IdMixin, TenantMixin, TimestampMixin, Base):
    """A tool call waiting for the human: bound to tool + arguments + user + conversation."""

    __tablename__ = "pending_actions"

    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    conversation_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("conversations.id", ondelete="CASCADE")
    )
    tool_name: Mapped[str] = mapped_column(sa.String(80))
    call_id: Mapped[str] = mapped_column(sa.String(120), default="")
    """The brain's id of the proposed call (its result goes back under this id)."""
    prompt: Mapped[str] = mapped_column(sa.Text, default="")
    """The question shown or spoken to the human."""
    raised_because: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    """Arguments whose values came from tool results (they raised the risk one level)."""
    arguments: Mapped[dict[str, Any]] = mapped_column(sa.JSON)
    binding_hash: Mapped[str] = mapped_column(sa.String(64))
    risk: Mapped[str] = mapped_column(sa.String(10))
    confirmation_phrase: Mapped[str | None] = mapped_column(sa.String(100))
    status: Mapped[PendingStatus] = mapped_column(
        StrEnumType(PendingStatus), default=PendingStatus.PENDING
    )
    expires_at: Mapped[datetime]
    decided_at: Mapped[datetime | None]


class AuditEntry(IdMixin, TenantMixin, Base):
    """One action attempt (executed, denied, confirmed, cancelled, expired); hash-chained."""

    __tablename__ = "audit_log"

    at: Mapped[datetime]
    user_id: Mapped[int | None]
    """Who acted; a plain id (no foreign key) so removing a user never rewrites the trail."""
    role: Mapped[str] = mapped_column(sa.String(20))
    tool_name: Mapped[str] = mapped_column(sa.String(80))
    outcome: Mapped[str] = mapped_column(sa.String(20))
    arguments_hash: Mapped[str] = mapped_column(sa.String(64))
    result: Mapped[str | None] = mapped_column(sa.Text)
    reason: Mapped[str | None] = mapped_column(sa.Text)
    duration_ms: Mapped[int | None]
    previous_hash: Mapped[str] = mapped_column(sa.String(64))
    entry_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)


class TokenUsage(IdMixin, TenantMixin, Base):
    """Model tokens used by one assistant message."""

    __tablename__ = "token_usage"

    at: Mapped[datetime]
    user_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    conversation_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("conversations.id", ondelete="SET NULL")
    )
    model: Mapped[str] = mapped_column(sa.String(100))
    input_tokens: Mapped[int] = mapped_column(default=0)
    output_tokens: Mapped[int] = mapped_column(default=0)
    cache_read_tokens: Mapped[int] = mapped_column(default=0)
    cache_write_tokens: Mapped[int] = mapped_column(default=0)


class UndoRecord(IdMixin, TenantMixin, TimestampMixin, Base):
    """How to revert one reversible write, for ``assistant_undo_last``."""

    __tablename__ = "undo_records"

    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    tool_name: Mapped[str] = mapped_column(sa.String(80))
    summary: Mapped[str] = mapped_column(sa.String(500))
    inverse: Mapped[dict[str, Any]] = mapped_column(sa.JSON)
    """What the undo needs: an operation name and its arguments."""
    undone_at: Mapped[datetime | None]
