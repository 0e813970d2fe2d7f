"""Clients, their tags and typed notes."""

from __future__ import annotations

import enum
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ._base import Base, IdMixin, StrEnumType, TenantMixin, TimestampMixin

__all__ = ["Client", "ClientNote", "ClientTag", "LeadStatus", "NoteKind"]


class LeadStatus(enum.StrEnum):
    LEAD = "lead"
    PROSPECT = "prospect"
    CUSTOMER = "customer"
    INACTIVE = "inactive"
    LOST = "lost"


class NoteKind(enum.StrEnum):
    CALL = "call"
    VISIT = "visit"
    PREFERENCE = "preference"
    INTERNAL = "internal"


class Client(IdMixin, TenantMixin, TimestampMixin, Base):
    """A person or company the business serves."""

    __tablename__ = "clients"
    __table_args__ = (sa.Index("ix_clients_business_last_name", "business_id", "last_name"),)

    first_name: Mapped[str] = mapped_column(sa.String(100))
    last_name: Mapped[str] = mapped_column(sa.String(100), default="")
    company: Mapped[str | None] = mapped_column(sa.String(200))
    email: Mapped[str | None] = mapped_column(sa.String(200), index=True)
    phone: Mapped[str | None] = mapped_column(sa.String(20), index=True)
    """E.164, e.g. +447700900123."""
    address: Mapped[str | None] = mapped_column(sa.Text)
    birthday: Mapped[date | None]
    lead_status: Mapped[LeadStatus] = mapped_column(
        StrEnumType(LeadStatus), default=LeadStatus.CUSTOMER
    )
    source: Mapped[str | None] = mapped_column(sa.String(60))
    """Where the client came from (referral, website, walk-in, instagram...)."""
    owner_staff_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("staff.id", ondelete="SET NULL"), index=True
    )
    """The staff member who looks after the client (staff see their own clients)."""
    merged_into_id: Mapped[int | None] = mapped_column(sa.ForeignKey("clients.id"))
    deleted_at: Mapped[datetime | None]

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


class ClientTag(TenantMixin, Base):
    """A free-form tag on a client ("vip", "colour-allergy")."""

    __tablename__ = "client_tags"

    client_id: Mapped[int] = mapped_column(
        sa.ForeignKey("clients.id", ondelete="CASCADE"), primary_key=True
    )
    tag: Mapped[str] = mapped_column(sa.String(60), primary_key=True)


class ClientNote(IdMixin, TenantMixin, TimestampMixin, Base):
    """A typed note about a client: call, visit, preference or internal."""

    __tablename__ = "client_notes"

    client_id: Mapped[int] = mapped_column(
        sa.ForeignKey("clients.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[NoteKind] = mapped_column(StrEnumType(NoteKind), default=NoteKind.INTERNAL)
    body: Mapped[str] = mapped_column(sa.Text)
    author_user_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
