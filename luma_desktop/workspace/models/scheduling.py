"""Appointments, bookable resources, working hours, blocked times, waitlist, booking links."""

from __future__ import annotations

import enum
from datetime import date, datetime, time

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ._base import Base, IdMixin, StrEnumType, TenantMixin, TimestampMixin

__all__ = [
    "Appointment",
    "AppointmentStatus",
    "BlockedTime",
    "BookingLink",
    "Resource",
    "ResourceKind",
    "WaitlistEntry",
    "WaitlistStatus",
    "WorkingHours",
]


class AppointmentStatus(enum.StrEnum):
    REQUESTED = "requested"
    CONFIRMED = "confirmed"
    COMPLETED = "completed"
    CANCELLED = "cancelled"
    NO_SHOW = "no_show"


class ResourceKind(enum.StrEnum):
    ROOM = "room"
    CHAIR = "chair"
    EQUIPMENT = "equipment"


class WaitlistStatus(enum.StrEnum):
    WAITING = "waiting"
    OFFERED = "offered"
    BOOKED = "booked"
    REMOVED = "removed"


class Resource(IdMixin, TenantMixin, TimestampMixin, Base):
    """A room, chair or piece of equipment that can be booked alongside staff."""

    __tablename__ = "resources"
    __table_args__ = (sa.UniqueConstraint("business_id", "name"),)

    name: Mapped[str] = mapped_column(sa.String(200))
    kind: Mapped[ResourceKind] = mapped_column(StrEnumType(ResourceKind))
    capacity: Mapped[int] = mapped_column(default=1)
    active: Mapped[bool] = mapped_column(default=True)


class WorkingHours(IdMixin, TenantMixin, Base):
    """One working period of a staff member on a weekday (0 = Monday)."""

    __tablename__ = "working_hours"

    staff_id: Mapped[int] = mapped_column(sa.ForeignKey("staff.id", ondelete="CASCADE"), index=True)
    weekday: Mapped[int]
    starts: Mapped[time]
    ends: Mapped[time]


class Appointment(IdMixin, TenantMixin, TimestampMixin, Base):
    """A client booked for a service at a time, with a staff member and/or resource."""

    __tablename__ = "appointments"
    __table_args__ = (
        sa.UniqueConstraint("business_id", "confirmation_code"),
        sa.Index("ix_appointments_business_starts", "business_id", "starts_at"),
    )

    client_id: Mapped[int] = mapped_column(sa.ForeignKey("clients.id"), index=True)
    service_id: Mapped[int] = mapped_column(sa.ForeignKey("services.id"), index=True)
    staff_id: Mapped[int | None] = mapped_column(sa.ForeignKey("staff.id"), index=True)
    resource_id: Mapped[int | None] = mapped_column(sa.ForeignKey("resources.id"), index=True)
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    status: Mapped[AppointmentStatus] = mapped_column(
        StrEnumType(AppointmentStatus), default=AppointmentStatus.CONFIRMED
    )
    confirmation_code: Mapped[str] = mapped_column(sa.String(12))
    price_minor: Mapped[int] = mapped_column(sa.BigInteger, default=0)
    currency: Mapped[str] = mapped_column(sa.String(3))
    notes: Mapped[str | None] = mapped_column(sa.Text)
    cancel_reason: Mapped[str | None] = mapped_column(sa.String(500))
    recurrence_group: Mapped[str | None] = mapped_column(sa.String(36), index=True)
    reminder_sent_at: Mapped[datetime | None]
    created_by_user_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )


class BlockedTime(IdMixin, TenantMixin, TimestampMixin, Base):
    """A period nobody (or one staff member / resource) can be booked: holiday, admin time."""

    __tablename__ = "blocked_times"

    staff_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("staff.id", ondelete="CASCADE"), index=True
    )
    resource_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("resources.id", ondelete="CASCADE"), index=True
    )
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    reason: Mapped[str | None] = mapped_column(sa.String(200))


class WaitlistEntry(IdMixin, TenantMixin, TimestampMixin, Base):
    """A client waiting for a slot for a service, optionally on a day / with a staff member."""

    __tablename__ = "waitlist_entries"

    client_id: Mapped[int] = mapped_column(sa.ForeignKey("clients.id", ondelete="CASCADE"))
    service_id: Mapped[int] = mapped_column(sa.ForeignKey("services.id", ondelete="CASCADE"))
    staff_id: Mapped[int | None] = mapped_column(sa.ForeignKey("staff.id", ondelete="SET NULL"))
    preferred_day: Mapped[date | None]
    notes: Mapped[str | None] = mapped_column(sa.String(500))
    status: Mapped[WaitlistStatus] = mapped_column(
        StrEnumType(WaitlistStatus), default=WaitlistStatus.WAITING
    )


class BookingLink(IdMixin, TenantMixin, Base):
    """A public booking code for the business, a service or a staff member."""

    __tablename__ = "booking_links"
    __table_args__ = (sa.UniqueConstraint("business_id", "code"),)

    code: Mapped[str] = mapped_column(sa.String(24))
    service_id: Mapped[int | None] = mapped_column(sa.ForeignKey("services.id", ondelete="CASCADE"))
    staff_id: Mapped[int | None] = mapped_column(sa.ForeignKey("staff.id", ondelete="CASCADE"))
    url: Mapped[str] = mapped_column(sa.String(300))
