"""Compliance: identity verifications, their documents and the compliance trail."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ._base import Base, IdMixin, StrEnumType, TenantMixin, TimestampMixin

__all__ = ["KycDocument", "KycEvent", "KycStatus", "KycSubject", "KycVerification"]


class KycSubject(enum.StrEnum):
    BUSINESS = "business"
    USER = "user"
    CLIENT = "client"


class KycStatus(enum.StrEnum):
    NOT_STARTED = "not_started"
    PENDING = "pending"
    VERIFIED = "verified"
    REJECTED = "rejected"


class KycVerification(IdMixin, TenantMixin, TimestampMixin, Base):
    """The verification state of the business, a member or a client."""

    __tablename__ = "kyc_verifications"
    __table_args__ = (sa.UniqueConstraint("business_id", "subject_type", "subject_id"),)

    subject_type: Mapped[KycSubject] = mapped_column(StrEnumType(KycSubject))
    subject_id: Mapped[int]
    status: Mapped[KycStatus] = mapped_column(StrEnumType(KycStatus), default=KycStatus.NOT_STARTED)
    submitted_at: Mapped[datetime | None]
    decided_at: Mapped[datetime | None]
    notes: Mapped[str | None] = mapped_column(sa.Text)


class KycDocument(IdMixin, TenantMixin, TimestampMixin, Base):
    """An identity or registration document attached to a verification."""

    __tablename__ = "kyc_documents"

    verification_id: Mapped[int] = mapped_column(
        sa.ForeignKey("kyc_verifications.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(sa.String(40))
    file_path: Mapped[str] = mapped_column(sa.String(500))


class KycEvent(IdMixin, TenantMixin, TimestampMixin, Base):
    """One entry of the compliance trail."""

    __tablename__ = "kyc_events"

    actor_user_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    event: Mapped[str] = mapped_column(sa.String(60))
    details: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
