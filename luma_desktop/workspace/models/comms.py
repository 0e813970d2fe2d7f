"""Messages with clients, templates, auto-reply, the learned voice profile and the outbox."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ._base import Base, IdMixin, StrEnumType, TenantMixin, TimestampMixin

__all__ = [
    "AutoReply",
    "Channel",
    "Direction",
    "Message",
    "MessageTemplate",
    "OutboxItem",
    "OutboxStatus",
    "VoiceProfile",
]


class Channel(enum.StrEnum):
    SMS = "sms"
    EMAIL = "email"


class Direction(enum.StrEnum):
    INBOUND = "inbound"
    OUTBOUND = "outbound"


class OutboxStatus(enum.StrEnum):
    QUEUED = "queued"
    SENT = "sent"
    FAILED = "failed"


class Message(IdMixin, TenantMixin, TimestampMixin, Base):
    """One SMS or e-mail to or from a client."""

    __tablename__ = "messages"

    client_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("clients.id", ondelete="SET NULL"), index=True
    )
    channel: Mapped[Channel] = mapped_column(StrEnumType(Channel))
    direction: Mapped[Direction] = mapped_column(StrEnumType(Direction))
    subject: Mapped[str | None] = mapped_column(sa.String(300))
    body: Mapped[str] = mapped_column(sa.Text)
    read: Mapped[bool] = mapped_column(default=False)
    sent_by_user_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )


class MessageTemplate(IdMixin, TenantMixin, Base):
    """A reusable message with ``{placeholders}``."""

    __tablename__ = "message_templates"
    __table_args__ = (sa.UniqueConstraint("business_id", "name"),)

    name: Mapped[str] = mapped_column(sa.String(100))
    channel: Mapped[Channel] = mapped_column(StrEnumType(Channel))
    subject: Mapped[str | None] = mapped_column(sa.String(300))
    body: Mapped[str] = mapped_column(sa.Text)


class AutoReply(IdMixin, TenantMixin, Base):
    """The automatic answer to inbound messages while it is on."""

    __tablename__ = "auto_replies"
    __table_args__ = (sa.UniqueConstraint("business_id"),)

    enabled: Mapped[bool] = mapped_column(default=False)
    text: Mapped[str] = mapped_column(sa.Text, default="")
    starts_at: Mapped[datetime | None]
    ends_at: Mapped[datetime | None]


class VoiceProfile(IdMixin, TenantMixin, Base):
    """How the business writes (tone, greetings, closings, vocabulary), learned from messages."""

    __tablename__ = "voice_profiles"
    __table_args__ = (sa.UniqueConstraint("business_id"),)

    profile: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    stage: Mapped[int] = mapped_column(default=0)
    """Learning stage 0-100."""
    updated_at: Mapped[datetime | None]


class OutboxItem(IdMixin, TenantMixin, TimestampMixin, Base):
    """A message waiting for (or done with) its transport: SMTP, an SMS provider, or none."""

    __tablename__ = "outbox"
    __table_args__ = (sa.Index("ix_outbox_business_status", "business_id", "status"),)

    channel: Mapped[Channel] = mapped_column(StrEnumType(Channel))
    recipient: Mapped[str] = mapped_column(sa.String(200))
    subject: Mapped[str | None] = mapped_column(sa.String(300))
    body: Mapped[str] = mapped_column(sa.Text)
    attachments: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    """Paths of files to attach (invoice PDFs...)."""
    status: Mapped[OutboxStatus] = mapped_column(
        StrEnumType(OutboxStatus), default=OutboxStatus.QUEUED
    )
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(sa.String(500))
    sent_at: Mapped[datetime | None]
    message_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("messages.id", ondelete="SET NULL")
    )
    related_type: Mapped[str | None] = mapped_column(sa.String(30))
    related_id: Mapped[int | None]
