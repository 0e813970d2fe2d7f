"""Businesses, their users with roles, departments and subscriptions."""

from __future__ import annotations

import enum
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ._base import Base, IdMixin, StrEnumType, TenantMixin, TimestampMixin

__all__ = ["Business", "Department", "Role", "Subscription", "User", "UserDepartment"]


class Role(enum.StrEnum):
    """What a user may see and do (see the spec's role table)."""

    OWNER = "owner"
    ADMIN = "admin"
    MANAGER = "manager"
    STAFF = "staff"
    CLIENT = "client"


class Business(IdMixin, TimestampMixin, Base):
    """A tenant: every other row belongs to exactly one business."""

    __tablename__ = "businesses"

    slug: Mapped[str] = mapped_column(sa.String(60), unique=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    timezone: Mapped[str] = mapped_column(sa.String(64), default="UTC")
    currency: Mapped[str] = mapped_column(sa.String(3), default="GBP")
    country: Mapped[str] = mapped_column(sa.String(2), default="GB")
    locale: Mapped[str] = mapped_column(sa.String(16), default="en_GB")
    email: Mapped[str | None] = mapped_column(sa.String(200))
    phone: Mapped[str | None] = mapped_column(sa.String(20))
    address: Mapped[str | None] = mapped_column(sa.Text)
    website_url: Mapped[str | None] = mapped_column(sa.String(200))
    logo_path: Mapped[str | None] = mapped_column(sa.String(500))
    is_demo: Mapped[bool] = mapped_column(default=False)


class Department(IdMixin, TenantMixin, Base):
    """A part of the business (hair, beauty, front desk); managers see their departments."""

    __tablename__ = "departments"
    __table_args__ = (sa.UniqueConstraint("business_id", "name"),)

    name: Mapped[str] = mapped_column(sa.String(100))


class User(IdMixin, TenantMixin, TimestampMixin, Base):
    """Someone who signs in to Luma: a team member (linked to a staff record) or a client."""

    __tablename__ = "users"
    __table_args__ = (sa.UniqueConstraint("business_id", "email"),)

    name: Mapped[str] = mapped_column(sa.String(200))
    email: Mapped[str] = mapped_column(sa.String(200))
    role: Mapped[Role] = mapped_column(StrEnumType(Role))
    staff_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("staff.id", ondelete="SET NULL"), index=True
    )
    client_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("clients.id", ondelete="SET NULL"), index=True
    )
    active: Mapped[bool] = mapped_column(default=True)


class UserDepartment(TenantMixin, Base):
    """Which departments a user belongs to."""

    __tablename__ = "user_departments"

    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    department_id: Mapped[int] = mapped_column(
        sa.ForeignKey("departments.id", ondelete="CASCADE"), primary_key=True
    )


class Subscription(IdMixin, TenantMixin, Base):
    """The plan the business pays for and the features it unlocks."""

    __tablename__ = "subscriptions"
    __table_args__ = (sa.UniqueConstraint("business_id"),)

    plan: Mapped[str] = mapped_column(sa.String(40), default="starter")
    status: Mapped[str] = mapped_column(sa.String(20), default="active")
    features: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    renews_on: Mapped[date | None]
    price_minor: Mapped[int] = mapped_column(sa.BigInteger, default=0)
    currency: Mapped[str] = mapped_column(sa.String(3), default="GBP")
