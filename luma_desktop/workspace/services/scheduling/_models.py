"""Typed, frozen results of the scheduling service (all datetimes in the business timezone)."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from ...models import AppointmentStatus, Channel, ResourceKind, WaitlistStatus

__all__ = [
    "AppointmentChange",
    "AppointmentInfo",
    "AppointmentState",
    "Availability",
    "BlockChange",
    "BlockInfo",
    "Booking",
    "BookingLinkInfo",
    "DaySummary",
    "Gap",
    "QueuedMessage",
    "Recurrence",
    "ReminderSent",
    "ResourceChange",
    "ResourceDeleted",
    "ResourceInfo",
    "ResourceList",
    "Slot",
    "StaffInfo",
    "Undo",
    "Undone",
    "WaitlistEntryInfo",
    "WorkingHoursInfo",
]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, from_attributes=True)


class Undo(_Frozen):
    """How to revert a write: call ``SchedulingService.<operation>(**arguments)``.

    ``arguments`` are JSON-ready (datetimes as ISO strings) so the undo record can be stored
    as-is; :meth:`SchedulingService.apply_undo` runs it.
    """

    operation: str
    arguments: dict[str, Any]
    summary: str
    """What the undo does, for people ("Move Sarah Miller's Haircut back to ...")."""


class Undone(_Frozen):
    """The result of :meth:`SchedulingService.apply_undo`."""

    operation: str
    summary: str


class Recurrence(_Frozen):
    """Repeat a booking every ``every_weeks`` weeks, ``count`` times in all (max 52)."""

    every_weeks: int = Field(default=1, ge=1, le=52)
    count: int = Field(ge=1, le=52)


class Slot(_Frozen):
    """A free period that a service fits in."""

    starts_at: datetime
    ends_at: datetime
    staff_id: int | None
    staff_name: str | None
    resource_id: int | None = None
    resource_name: str | None = None

    def __str__(self) -> str:
        who = f" with {self.staff_name}" if self.staff_name else ""
        day = self.starts_at
        return f"{day:%a} {day.day} {day:%b} {day:%H:%M}{who}"


class Availability(_Frozen):
    """Free slots for a service between two local days (inclusive)."""

    service_id: int
    service_name: str
    duration_minutes: int
    buffer_minutes: int
    first_day: date
    last_day: date
    slots: tuple[Slot, ...]


class AppointmentInfo(_Frozen):
    """One appointment, with the names a person needs to recognise it."""

    id: int
    confirmation_code: str
    status: AppointmentStatus
    starts_at: datetime
    ends_at: datetime
    duration_minutes: int
    client_id: int
    client_name: str
    service_id: int
    service_name: str
    staff_id: int | None
    staff_name: str | None
    resource_id: int | None
    resource_name: str | None
    price_minor: int
    currency: str
    price: str
    notes: str | None
    cancel_reason: str | None
    recurrence_group: str | None
    reminder_sent_at: datetime | None
    created_at: datetime
    summary: str
    """"Haircut for Sarah Miller with Anna, Thu 19 Nov 10:00-11:00 (confirmed)"."""


class Booking(_Frozen):
    """The result of a booking: one appointment, or every one of a recurring series."""

    appointments: tuple[AppointmentInfo, ...]
    recurrence_group: str | None
    undo: Undo

    @property
    def first(self) -> AppointmentInfo:
        return self.appointments[0]


class AppointmentState(_Frozen):
    """The fields a status change or move alters (what an undo puts back)."""

    status: AppointmentStatus
    starts_at: datetime
    ends_at: datetime
    staff_id: int | None
    resource_id: int | None
    cancel_reason: str | None


class QueuedMessage(_Frozen):
    """A message put in the outbox."""

    outbox_id: int
    channel: Channel
    recipient: str
    subject: str | None
    body: str


class AppointmentChange(_Frozen):
    """An appointment after a move or status change, what it was before, and its undo."""

    appointment: AppointmentInfo
    previous: AppointmentState
    message: QueuedMessage | None = None
    undo: Undo | None = None


class Gap(_Frozen):
    """Free time of one staff member (or the business) within the day's hours."""

    starts_at: datetime
    ends_at: datetime
    minutes: int
    staff_id: int | None
    staff_name: str | None


class DaySummary(_Frozen):
    """The agenda of one local day."""

    day: date
    open: bool
    closed_reason: str | None
    opening: tuple[tuple[time, time], ...]
    staff_id: int | None
    staff_name: str | None
    appointments: tuple[AppointmentInfo, ...]
    gaps: tuple[Gap, ...]
    first_starts_at: datetime | None
    last_ends_at: datetime | None
    booked_minutes: int
    open_minutes: int
    """Bookable minutes: opening/working hours minus blocked time, summed over staff."""
    utilisation: float
    """``booked_minutes / open_minutes`` (0 when closed), rounded to 3 places."""


class StaffInfo(_Frozen):
    id: int
    name: str
    title: str | None
    active: bool
    has_working_hours: bool


class ResourceInfo(_Frozen):
    id: int
    name: str
    kind: ResourceKind
    capacity: int
    active: bool


class ResourceList(_Frozen):
    """Everything that can be booked: team members and rooms, chairs, equipment."""

    staff: tuple[StaffInfo, ...]
    resources: tuple[ResourceInfo, ...]


class ResourceChange(_Frozen):
    resource: ResourceInfo
    previous: ResourceInfo | None
    undo: Undo | None


class ResourceDeleted(_Frozen):
    resource: ResourceInfo
    detached_appointments: int
    """Past or cancelled appointments that no longer name the resource."""


class BlockInfo(_Frozen):
    id: int
    starts_at: datetime
    ends_at: datetime
    scope: str
    """"business", "staff" or "resource"."""
    staff_id: int | None
    staff_name: str | None
    resource_id: int | None
    resource_name: str | None
    reason: str | None


class BlockChange(_Frozen):
    """A block just added or removed, and how to revert that."""

    block: BlockInfo
    undo: Undo


class ReminderSent(_Frozen):
    """A reminder queued in the outbox (a sent message cannot be undone)."""

    appointment: AppointmentInfo
    message: QueuedMessage


class WorkingHoursInfo(_Frozen):
    """A staff member's weekly template (weekday 0 = Monday); empty = business hours."""

    staff_id: int
    staff_name: str
    template: dict[int, tuple[tuple[time, time], ...]]
    previous: dict[int, tuple[tuple[time, time], ...]] | None = None
    undo: Undo | None = None


class WaitlistEntryInfo(_Frozen):
    id: int
    client_id: int
    client_name: str
    service_id: int
    service_name: str
    staff_id: int | None
    staff_name: str | None
    preferred_day: date | None
    notes: str | None
    status: WaitlistStatus
    created_at: datetime
    undo: Undo | None = None


class BookingLinkInfo(_Frozen):
    id: int
    code: str
    url: str
    service_id: int | None
    service_name: str | None
    staff_id: int | None
    staff_name: str | None
    created: bool = False
    undo: Undo | None = None
