"""Appointment tools: list, look up, book, move, cancel, status changes, reminders."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from ...assistant.catalog import Card, DataScope, Operation, Risk, Tool, ToolResult
from ...assistant.context import ExecutionContext
from ...errors import Invalid
from ...workspace.models import AppointmentStatus, Role
from ...workspace.services import Services
from ...workspace.services.scheduling import AppointmentChange, Recurrence
from .._common import (
    ClientRef,
    DayText,
    Limit,
    ToolInput,
    WhenText,
    local_label,
    resolve_day,
    resolve_when,
)
from ._shared import (
    DOMAIN,
    AppointmentRef,
    ResourceRef,
    ServiceRef,
    StaffRef,
    is_staff_user,
    listing,
    own_appointment,
    own_staff,
    resolve_time_near,
    staff_or_me,
    undo_plan,
)

__all__ = ["TOOLS"]

Channel = Literal["email", "sms"]


def _portal(context: ExecutionContext) -> bool:
    return context.role is Role.CLIENT


# -- scheduling_list_appointments -----------------------------------------------------------


class ListAppointments(ToolInput):
    start: DayText | None = Field(
        default=None, description="First day (default: today; with no end, the next 7 days)."
    )
    end: DayText | None = Field(
        default=None, description="Last day, inclusive (default: the start day only)."
    )
    staff: StaffRef | None = Field(default=None, description="Only this team member's ('me').")
    client: ClientRef | None = Field(
        default=None, description="Only this client's (team only; portal users see their own)."
    )
    service: ServiceRef | None = Field(default=None, description="Only this service.")
    status: list[AppointmentStatus] | None = Field(
        default=None,
        min_length=1,
        description="Only these statuses (default: all but cancelled).",
    )
    limit: Limit = 50


def list_appointments(
    services: Services, args: ListAppointments, context: ExecutionContext
) -> ToolResult:
    first = resolve_day(args.start, context, "start") if args.start else None
    last = resolve_day(args.end, context, "end") if args.end else None
    found = services.scheduling.list_appointments(
        first,
        last,
        staff=staff_or_me(args.staff, context),
        client=args.client,
        service=args.service,
        status=list(args.status) if args.status else None,
        own_only=is_staff_user(context),
        limit=args.limit,
    )
    if not found:
        return ToolResult("No appointments match.", [], Card.APPOINTMENTS)
    lines = listing([a.summary for a in found])
    return ToolResult(f"{len(found)} appointment(s): {lines}.", found, Card.APPOINTMENTS)


# -- scheduling_get_appointment -------------------------------------------------------------


class GetAppointment(ToolInput):
    appointment: AppointmentRef
    day: DayText | None = Field(
        default=None, description="With a client's name: their appointment on this day."
    )


def get_appointment(
    services: Services, args: GetAppointment, context: ExecutionContext
) -> ToolResult:
    day = resolve_day(args.day, context) if args.day else None
    found = own_appointment(services, args.appointment, context, day)
    notes = f" Notes: {found.notes}" if found.notes else ""
    return ToolResult(
        f"{found.summary}, {found.price}, confirmation code {found.confirmation_code}.{notes}",
        found,
        Card.APPOINTMENT,
    )


# -- scheduling_create_appointment ----------------------------------------------------------


class CreateAppointment(ToolInput):
    client: ClientRef | None = Field(
        default=None,
        description="Who it is for (required for the team; portal users book themselves).",
    )
    service: ServiceRef
    when: WhenText = Field(description="Start, e.g. 'tomorrow at 2pm', '2026-11-20T10:00'.")
    staff: StaffRef | None = Field(
        default=None, description="With whom (default: the first free qualified member)."
    )
    resource: ResourceRef | None = Field(default=None, description="A room/chair to book too.")
    notes: str | None = Field(default=None, max_length=5000, description="Notes for the team.")
    repeat_every_weeks: int | None = Field(
        default=None, ge=1, le=52, description="Recurring: weeks between visits (default 1)."
    )
    repeat_times: int | None = Field(
        default=None, ge=2, le=52, description="Recurring: number of visits in all, incl. this."
    )


def _recurrence(args: CreateAppointment) -> Recurrence | None:
    if args.repeat_times is None:
        if args.repeat_every_weeks is not None:
            raise Invalid("How many visits in all? Give repeat_times too.", field="repeat_times")
        return None
    return Recurrence(every_weeks=args.repeat_every_weeks or 1, count=args.repeat_times)


def _booking_client(args: CreateAppointment, context: ExecutionContext) -> int | str | None:
    """Portal users book themselves: their own name or id means "me"."""
    client = args.client
    if _portal(context) and client is not None:
        mine = isinstance(client, str) and client.lower() == context.user_name.lower()
        if mine or client == context.client_id:
            return None
    return client


def create_appointment(
    services: Services, args: CreateAppointment, context: ExecutionContext
) -> ToolResult:
    booking = services.scheduling.create_appointment(
        _booking_client(args, context),
        args.service,
        resolve_when(args.when, context),
        staff=own_staff(services, args.staff, context, "book appointments"),
        resource=args.resource,
        notes=args.notes,
        recurrence=_recurrence(args),
    )
    first = booking.first
    who = f" with {first.staff_name}" if first.staff_name else ""
    extra = len(booking.appointments) - 1
    visits = f" and {extra} more visit(s)" if extra else ""
    if _portal(context):
        text = (
            f"Requested {first.service_name}{who} on {local_label(first.starts_at, context)}"
            f"{visits}; the business will confirm it. Reference {first.confirmation_code}."
        )
    else:
        text = (
            f"Booked {first.service_name} for {first.client_name}{who} on "
            f"{local_label(first.starts_at, context)}{visits}. Confirmation code "
            f"{first.confirmation_code}."
        )
    return ToolResult(text, booking, Card.APPOINTMENT, undo_plan(booking.undo))


# -- scheduling_reschedule_appointment ------------------------------------------------------


class RescheduleAppointment(ToolInput):
    appointment: AppointmentRef
    to: WhenText = Field(
        description="The new start. A bare time ('4pm') keeps the appointment's day; "
        "'friday at 3' moves it to Friday."
    )
    staff: StaffRef | None = Field(
        default=None, description="Move it to this team member too (default: the same one)."
    )


def reschedule_appointment(
    services: Services, args: RescheduleAppointment, context: ExecutionContext
) -> ToolResult:
    current = own_appointment(services, args.appointment, context)
    start = resolve_time_near(args.to, current.starts_at.date(), context, "to")
    staff = (
        own_staff(services, args.staff, context, "take appointments")
        if args.staff is not None
        else None
    )
    change = services.scheduling.reschedule_appointment(current.id, start, staff=staff)
    moved = change.appointment
    who = f" with {moved.staff_name}" if moved.staff_name else ""
    was = local_label(change.previous.starts_at, context)
    if _portal(context):
        text = (
            f"Asked to move your {moved.service_name} to {local_label(moved.starts_at, context)}"
            f"{who} (was {was}); the business will confirm it."
        )
    else:
        text = (
            f"Moved {moved.service_name} for {moved.client_name} to "
            f"{local_label(moved.starts_at, context)}{who} (was {was})."
        )
    return ToolResult(text, change, Card.APPOINTMENT, undo_plan(change.undo))


# -- scheduling_cancel_appointment ----------------------------------------------------------


class CancelAppointment(ToolInput):
    appointment: AppointmentRef
    reason: str | None = Field(default=None, max_length=500, description="Why (kept on record).")
    notify: bool = Field(default=False, description="Also send the client a cancellation note.")
    channel: Channel | None = Field(
        default=None, description="How to notify (default: e-mail if known, else SMS)."
    )


def cancel_appointment(
    services: Services, args: CancelAppointment, context: ExecutionContext
) -> ToolResult:
    current = own_appointment(services, args.appointment, context)
    change = services.scheduling.cancel_appointment(
        current.id, args.reason, notify=args.notify, channel=args.channel
    )
    done = change.appointment
    told = (
        f" {done.client_name} was told by {change.message.channel.value}." if change.message else ""
    )
    whose = "your" if _portal(context) else f"{done.client_name}'s"
    text = f"Cancelled {whose} {done.service_name} on {local_label(done.starts_at, context)}.{told}"
    return ToolResult(text, change, Card.APPOINTMENT, undo_plan(change.undo))


# -- confirm / complete / no-show -----------------------------------------------------------


class AppointmentStatusInput(ToolInput):
    appointment: AppointmentRef


def _status_result(change: AppointmentChange, verb: str, context: ExecutionContext) -> ToolResult:
    done = change.appointment
    was = change.previous.status.value.replace("_", " ")
    text = (
        f"{verb} {done.service_name} for {done.client_name} on "
        f"{local_label(done.starts_at, context)} (was {was})."
    )
    return ToolResult(text, change, Card.APPOINTMENT, undo_plan(change.undo))


def confirm_appointment(
    services: Services, args: AppointmentStatusInput, context: ExecutionContext
) -> ToolResult:
    current = own_appointment(services, args.appointment, context)
    change = services.scheduling.confirm_appointment(current.id)
    return _status_result(change, "Confirmed", context)


def complete_appointment(
    services: Services, args: AppointmentStatusInput, context: ExecutionContext
) -> ToolResult:
    current = own_appointment(services, args.appointment, context)
    change = services.scheduling.complete_appointment(current.id)
    return _status_result(change, "Marked done:", context)


def mark_no_show(
    services: Services, args: AppointmentStatusInput, context: ExecutionContext
) -> ToolResult:
    current = own_appointment(services, args.appointment, context)
    change = services.scheduling.mark_no_show(current.id)
    return _status_result(change, "Marked as a no-show:", context)


# -- scheduling_send_appointment_reminder ---------------------------------------------------


class SendReminder(ToolInput):
    appointment: AppointmentRef
    channel: Channel | None = Field(
        default=None, description="E-mail or SMS (default: e-mail if known, else SMS)."
    )


def send_reminder(services: Services, args: SendReminder, context: ExecutionContext) -> ToolResult:
    current = own_appointment(services, args.appointment, context)
    sent = services.scheduling.send_appointment_reminder(current.id, channel=args.channel)
    done, message = sent.appointment, sent.message
    text = (
        f"Sent {done.client_name} a reminder by {message.channel.value} to {message.recipient} "
        f"for {done.service_name} on {local_label(done.starts_at, context)}."
    )
    return ToolResult(text, sent, Card.APPOINTMENT)


# -- the tools ------------------------------------------------------------------------------

_W, _R, _RB = Operation.WRITE, Operation.READ, DataScope.ROLE_BASED

TOOLS: list[Tool[Any]] = [
    Tool(
        "scheduling_list_appointments",
        DOMAIN,
        "List appointments in a date range, filtered by staff, client, service or status. "
        "Use for 'what's booked this week', 'Sarah Miller's appointments', 'requested "
        "bookings'. Returns each appointment with client, service, staff, time, status and "
        "code; without dates it covers today and the next six days.",
        ListAppointments,
        list_appointments,
        _R,
        Risk.NONE,
        _RB,
        Card.APPOINTMENTS,
        examples=("what's booked this week", "show Emma's appointments tomorrow"),
    ),
    Tool(
        "scheduling_get_appointment",
        DOMAIN,
        "One appointment by id, confirmation code or client name (their next one, or the one "
        "on a given day). Returns client, service, staff, time, price, status, code and notes.",
        GetAppointment,
        get_appointment,
        _R,
        Risk.NONE,
        _RB,
        Card.APPOINTMENT,
        examples=("when is Sarah Miller coming in", "look up booking PS4MN6"),
    ),
    Tool(
        "scheduling_create_appointment",
        DOMAIN,
        'Book a client for a service at a time ("book Sarah in for a cut tomorrow at '
        'two"). Optional staff member, room/chair, notes and weekly repeats. Checks opening '
        "and working hours, blocks, buffers and existing bookings; a clash is refused with "
        "the nearest free slots. Returns the booking and its confirmation code. For portal "
        "clients it books themselves, as a request the business confirms.",
        CreateAppointment,
        create_appointment,
        _W,
        Risk.MEDIUM,
        _RB,
        Card.APPOINTMENT,
        confirmation="Book {service} for {client} at {when}?",
        reversible=True,
        examples=("book Sarah in for a cut tomorrow at two", "book me a facial friday at 10"),
    ),
    Tool(
        "scheduling_reschedule_appointment",
        DOMAIN,
        "Move an appointment to a new time (and optionally another staff member), checking "
        'conflicts ("move it to 4pm" keeps the day; "move Sarah to friday at 3"). A clash '
        "is refused with the nearest free slots. Returns the appointment and its old time.",
        RescheduleAppointment,
        reschedule_appointment,
        _W,
        Risk.MEDIUM,
        _RB,
        Card.APPOINTMENT,
        confirmation="Move appointment {appointment} to {to}?",
        reversible=True,
        examples=("move it to 4pm", "move Sarah Miller's appointment to friday at 3"),
    ),
    Tool(
        "scheduling_cancel_appointment",
        DOMAIN,
        "Cancel an appointment with an optional reason, optionally notifying the client by "
        "e-mail or SMS. Returns the cancelled appointment (undo reinstates it, but a sent "
        "notice cannot be recalled).",
        CancelAppointment,
        cancel_appointment,
        _W,
        Risk.HIGH,
        _RB,
        Card.APPOINTMENT,
        confirmation="Cancel appointment {appointment}?",
        reversible=True,
        examples=("cancel Sarah Miller's appointment", "cancel my booking on thursday"),
    ),
    Tool(
        "scheduling_confirm_appointment",
        DOMAIN,
        "Mark a requested appointment confirmed. Returns it with its previous status.",
        AppointmentStatusInput,
        confirm_appointment,
        _W,
        Risk.LOW,
        _RB,
        Card.APPOINTMENT,
        reversible=True,
        examples=("confirm Sarah Thompson's facial",),
    ),
    Tool(
        "scheduling_complete_appointment",
        DOMAIN,
        "Mark an appointment that has started as done (feeds analytics and invoicing); also "
        "corrects a no-show. Returns it with its previous status.",
        AppointmentStatusInput,
        complete_appointment,
        _W,
        Risk.LOW,
        _RB,
        Card.APPOINTMENT,
        reversible=True,
        examples=("mark Rohan's appointment as done",),
    ),
    Tool(
        "scheduling_mark_no_show",
        DOMAIN,
        "Mark that the client did not come to an appointment that has started (also corrects "
        "'completed'). Returns it with its previous status.",
        AppointmentStatusInput,
        mark_no_show,
        _W,
        Risk.LOW,
        _RB,
        Card.APPOINTMENT,
        reversible=True,
        examples=("Marcus didn't turn up",),
    ),
    Tool(
        "scheduling_send_appointment_reminder",
        DOMAIN,
        "Send the client a reminder of an upcoming appointment by e-mail or SMS (queued in "
        "the outbox). Cannot be undone. Returns the appointment and the message sent.",
        SendReminder,
        send_reminder,
        _W,
        Risk.HIGH,
        _RB,
        Card.APPOINTMENT,
        confirmation="Send a reminder for appointment {appointment} to the client?",
        examples=("remind Sarah Miller about her appointment",),
    ),
]
