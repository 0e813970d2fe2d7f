"""Documents and contracts, their templates and signature requests."""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ._base import Base, IdMixin, StrEnumType, TenantMixin, TimestampMixin

__all__ = [
    "Document",
    "DocumentStatus",
    "DocumentTemplate",
    "SignatureRequest",
    "SignatureStatus",
]


class DocumentStatus(enum.StrEnum):
    DRAFT = "draft"
    SENT = "sent"
    SIGNED = "signed"
    ARCHIVED = "archived"


class SignatureStatus(enum.StrEnum):
    PENDING = "pending"
    SIGNED = "signed"
    DECLINED = "declined"


class Document(IdMixin, TenantMixin, TimestampMixin, Base):
    """A file in the workspace: uploaded, or generated from a template."""

    __tablename__ = "documents"

    title: Mapped[str] = mapped_column(sa.String(300))
    kind: Mapped[str] = mapped_column(sa.String(40), default="other")
    """contract, identity, registration, invoice, other."""
    client_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("clients.id", ondelete="SET NULL"), index=True
    )
    status: Mapped[DocumentStatus] = mapped_column(
        StrEnumType(DocumentStatus), default=DocumentStatus.DRAFT
    )
    file_path: Mapped[str | None] = mapped_column(sa.String(500))
    mime_type: Mapped[str | None] = mapped_column(sa.String(100))
    size_bytes: Mapped[int | None] = mapped_column(sa.BigInteger)
    text_content: Mapped[str | None] = mapped_column(sa.Text)
    template_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("document_templates.id", ondelete="SET NULL")
    )
    shared_with_client: Mapped[bool] = mapped_column(default=False)
    owner_staff_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("staff.id", ondelete="SET NULL")
    )
    archived_at: Mapped[datetime | None]
    deleted_at: Mapped[datetime | None]


class DocumentTemplate(IdMixin, TenantMixin, Base):
    """A contract template with ``{placeholders}`` for client and service data."""

    __tablename__ = "document_templates"
    __table_args__ = (sa.UniqueConstraint("business_id", "name"),)

    name: Mapped[str] = mapped_column(sa.String(200))
    kind: Mapped[str] = mapped_column(sa.String(40), default="contract")
    body: Mapped[str] = mapped_column(sa.Text)


class SignatureRequest(IdMixin, TenantMixin, TimestampMixin, Base):
    """A request for someone to sign a document."""

    __tablename__ = "signature_requests"

    document_id: Mapped[int] = mapped_column(
        sa.ForeignKey("documents.id", ondelete="CASCADE"), index=True
    )
    signer_name: Mapped[str] = mapped_column(sa.String(200))
    signer_email: Mapped[str | None] = mapped_column(sa.String(200))
    status: Mapped[SignatureStatus] = mapped_column(
        StrEnumType(SignatureStatus), default=SignatureStatus.PENDING
    )
    sent_at: Mapped[datetime | None]
    signed_at: Mapped[datetime | None]
