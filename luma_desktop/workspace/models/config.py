"""Business configuration: staff, services, opening hours, tax settings."""

from __future__ import annotations

from datetime import date, time

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ._base import Base, IdMixin, TenantMixin, TimestampMixin

__all__ = ["HoursException", "OpeningHours", "Service", "ServiceStaff", "Staff", "TaxSettings"]


class Staff(IdMixin, TenantMixin, TimestampMixin, Base):
    """A team member who can be booked (linked to a user when they sign in)."""

    __tablename__ = "staff"

    name: Mapped[str] = mapped_column(sa.String(200))
    email: Mapped[str | None] = mapped_column(sa.String(200))
    phone: Mapped[str | None] = mapped_column(sa.String(20))
    title: Mapped[str | None] = mapped_column(sa.String(100))
    department_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("departments.id", ondelete="SET NULL"), index=True
    )
    color: Mapped[str | None] = mapped_column(sa.String(9))
    active: Mapped[bool] = mapped_column(default=True)


class Service(IdMixin, TenantMixin, TimestampMixin, Base):
    """Something clients book and pay for."""

    __tablename__ = "services"
    __table_args__ = (sa.UniqueConstraint("business_id", "name"),)

    name: Mapped[str] = mapped_column(sa.String(200))
    description: Mapped[str | None] = mapped_column(sa.Text)
    category: Mapped[str | None] = mapped_column(sa.String(100))
    duration_minutes: Mapped[int]
    buffer_minutes: Mapped[int] = mapped_column(default=0)
    price_minor: Mapped[int] = mapped_column(sa.BigInteger)
    currency: Mapped[str] = mapped_column(sa.String(3))
    vat_rate_bp: Mapped[int] = mapped_column(default=0)
    """VAT rate in basis points (2000 = 20%)."""
    active: Mapped[bool] = mapped_column(default=True)


class ServiceStaff(TenantMixin, Base):
    """Which staff members perform a service (none listed = anyone)."""

    __tablename__ = "service_staff"

    service_id: Mapped[int] = mapped_column(
        sa.ForeignKey("services.id", ondelete="CASCADE"), primary_key=True
    )
    staff_id: Mapped[int] = mapped_column(
        sa.ForeignKey("staff.id", ondelete="CASCADE"), primary_key=True
    )


class OpeningHours(IdMixin, TenantMixin, Base):
    """One opening period on a weekday (0 = Monday); several rows allow split days."""

    __tablename__ = "opening_hours"

    weekday: Mapped[int]
    opens: Mapped[time]
    closes: Mapped[time]


class HoursException(IdMixin, TenantMixin, Base):
    """A day with other hours than usual: a holiday (closed) or special opening."""

    __tablename__ = "hours_exceptions"
    __table_args__ = (sa.UniqueConstraint("business_id", "day"),)

    day: Mapped[date]
    closed: Mapped[bool] = mapped_column(default=True)
    opens: Mapped[time | None]
    closes: Mapped[time | None]
    reason: Mapped[str | None] = mapped_column(sa.String(200))


class TaxSettings(IdMixin, TenantMixin, Base):
    """VAT registration, rates and document numbering."""

    __tablename__ = "tax_settings"
    __table_args__ = (sa.UniqueConstraint("business_id"),)

    vat_registered: Mapped[bool] = mapped_column(default=False)
    vat_number: Mapped[str | None] = mapped_column(sa.String(40))
    default_vat_rate_bp: Mapped[int] = mapped_column(default=0)
    invoice_prefix: Mapped[str] = mapped_column(sa.String(12), default="INV-")
    next_invoice_number: Mapped[int] = mapped_column(default=1)
    quote_prefix: Mapped[str] = mapped_column(sa.String(12), default="Q-")
    next_quote_number: Mapped[int] = mapped_column(default=1)
    order_prefix: Mapped[str] = mapped_column(sa.String(12), default="ORD-")
    next_order_number: Mapped[int] = mapped_column(default=1)
    payment_terms_days: Mapped[int] = mapped_column(default=14)
