"""Setup tools: bookable resources, public booking links and the waitlist."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from ...assistant.catalog import Card, DataScope, Operation, Risk, Tool, ToolResult
from ...assistant.context import ExecutionContext
from ...workspace.models import ResourceKind
from ...workspace.services import Services
from ...workspace.services.scheduling import ResourceInfo, WaitlistEntryInfo
from .._common import ClientRef, DayText, ToolInput, resolve_day
from ._shared import (
    DOMAIN,
    ResourceRef,
    ServiceRef,
    StaffRef,
    day_label,
    is_staff_user,
    listing,
    own_staff,
    staff_or_me,
    undo_plan,
)

__all__ = ["TOOLS"]


def _resource_line(resource: ResourceInfo) -> str:
    off = ", inactive" if not resource.active else ""
    room = f", capacity {resource.capacity}" if resource.capacity > 1 else ""
    return f"{resource.name} ({resource.kind.value}{room}{off})"


# -- scheduling_list_resources --------------------------------------------------------------


class ListResources(ToolInput):
    kind: Literal["staff", "room", "chair", "equipment"] | None = Field(
        default=None, description="Only team members ('staff') or one kind of resource."
    )
    include_inactive: bool = Field(default=False, description="Also list switched-off ones.")


def list_resources(
    services: Services, args: ListResources, context: ExecutionContext
) -> ToolResult:
    found = services.scheduling.list_resources(args.kind, include_inactive=args.include_inactive)
    parts = []
    if found.staff:
        parts.append("Team: " + ", ".join(s.name for s in found.staff) + ".")
    if found.resources:
        parts.append("Resources: " + ", ".join(_resource_line(r) for r in found.resources) + ".")
    return ToolResult(" ".join(parts) or "Nothing bookable of that kind.", found, Card.TABLE)


# -- resources: create / update / delete ----------------------------------------------------


class CreateResource(ToolInput):
    name: str = Field(min_length=1, max_length=200, description="E.g. 'Chair 4'.")
    kind: ResourceKind = Field(description="Room, chair or equipment.")
    capacity: int = Field(default=1, ge=1, le=100, description="How many bookings at once.")


def create_resource(
    services: Services, args: CreateResource, context: ExecutionContext
) -> ToolResult:
    change = services.scheduling.create_resource(args.name, args.kind, capacity=args.capacity)
    return ToolResult(
        f"Added {_resource_line(change.resource)}.", change, Card.TABLE, undo_plan(change.undo)
    )


class UpdateResource(ToolInput):
    resource: ResourceRef
    name: str | None = Field(default=None, min_length=1, max_length=200, description="New name.")
    capacity: int | None = Field(default=None, ge=1, le=100, description="New capacity.")
    active: bool | None = Field(
        default=None, description="false switches it off (no new bookings), true back on."
    )


def update_resource(
    services: Services, args: UpdateResource, context: ExecutionContext
) -> ToolResult:
    change = services.scheduling.update_resource(
        args.resource, name=args.name, capacity=args.capacity, active=args.active
    )
    was = f" (was {_resource_line(change.previous)})" if change.previous else ""
    return ToolResult(
        f"Updated: {_resource_line(change.resource)}{was}.",
        change,
        Card.TABLE,
        undo_plan(change.undo),
    )


class DeleteResource(ToolInput):
    resource: ResourceRef


def delete_resource(
    services: Services, args: DeleteResource, context: ExecutionContext
) -> ToolResult:
    gone = services.scheduling.delete_resource(args.resource)
    history = (
        f" {gone.detached_appointments} past or cancelled appointment(s) no longer name it."
        if gone.detached_appointments
        else ""
    )
    return ToolResult(f"Deleted {gone.resource.name}.{history}", gone, Card.TABLE)


# -- scheduling_get_booking_link ------------------------------------------------------------


def _named(value: int | str, kind: str) -> str:
    if isinstance(value, int):
        return f"{kind} #{value}"
    return "you" if value.strip().lower() in ("me", "myself", "mine") else f"“{value}”"


class GetBookingLink(ToolInput):
    service: ServiceRef | None = Field(default=None, description="The link for this service.")
    staff: StaffRef | None = Field(
        default=None, description="The link for this team member ('me' for yours)."
    )


def get_booking_link(
    services: Services, args: GetBookingLink, context: ExecutionContext
) -> ToolResult:
    staff = staff_or_me(args.staff, context)
    link = services.scheduling.get_booking_link(service=args.service, staff=staff)
    if link is not None:
        what = " with ".join(filter(None, [link.service_name, link.staff_name])) or "the business"
        return ToolResult(f"The booking link for {what} is {link.url} (code {link.code}).", link)
    what = " with ".join(
        _named(value, kind)
        for value, kind in ((args.service, "service"), (args.staff, "team member"))
        if value is not None
    )
    general = services.scheduling.get_booking_link() if what else None
    other = f" The general booking link is {general.url}." if general else ""
    return ToolResult(f"There is no booking link for {what or 'the business'} yet.{other}", None)


# -- the waitlist ---------------------------------------------------------------------------


def _waitlist_line(entry: WaitlistEntryInfo) -> str:
    who = f" with {entry.staff_name}" if entry.staff_name else ""
    day = f" on {day_label(entry.preferred_day)}" if entry.preferred_day else " (any day)"
    notes = f", {entry.notes}" if entry.notes else ""
    status = f" [{entry.status.value}]" if entry.status.value != "waiting" else ""
    return f"{entry.client_name} for {entry.service_name}{who}{day}{notes}{status}"


class ListWaitlist(ToolInput):
    service: ServiceRef | None = Field(default=None, description="Only for this service.")
    day: DayText | None = Field(
        default=None, description="Only those wanting this day (or any day)."
    )
    include_closed: bool = Field(
        default=False, description="Also entries already booked or removed."
    )


def list_waitlist(services: Services, args: ListWaitlist, context: ExecutionContext) -> ToolResult:
    day = resolve_day(args.day, context) if args.day else None
    entries = services.scheduling.list_waitlist(
        service=args.service, day=day, include_closed=args.include_closed
    )
    if is_staff_user(context):
        entries = [e for e in entries if e.staff_id in (None, context.staff_id)]
    if not entries:
        return ToolResult("Nobody is on the waitlist.", [], Card.TABLE)
    lines = listing([_waitlist_line(e) for e in entries])
    return ToolResult(f"{len(entries)} on the waitlist: {lines}.", entries, Card.TABLE)


class AddToWaitlist(ToolInput):
    client: ClientRef
    service: ServiceRef
    day: DayText | None = Field(default=None, description="The day they want (default: any).")
    staff: StaffRef | None = Field(default=None, description="The team member they want.")
    notes: str | None = Field(default=None, max_length=500, description="E.g. 'after 5pm'.")


def add_to_waitlist(
    services: Services, args: AddToWaitlist, context: ExecutionContext
) -> ToolResult:
    staff = (
        own_staff(services, args.staff, context, "take waitlist clients")
        if args.staff is not None
        else None
    )
    entry = services.scheduling.add_to_waitlist(
        args.client,
        args.service,
        day=resolve_day(args.day, context) if args.day else None,
        staff=staff,
        notes=args.notes,
    )
    return ToolResult(
        f"Added {_waitlist_line(entry)} to the waitlist.", entry, Card.TABLE, undo_plan(entry.undo)
    )


# -- the tools ------------------------------------------------------------------------------

_W, _R = Operation.WRITE, Operation.READ

TOOLS: list[Tool[Any]] = [
    Tool(
        "scheduling_list_resources",
        DOMAIN,
        "What can be booked: team members, rooms, chairs and equipment (with kind, capacity "
        "and whether active).",
        ListResources,
        list_resources,
        _R,
        Risk.NONE,
        DataScope.ALL,
        Card.TABLE,
        examples=("which rooms do we have",),
    ),
    Tool(
        "scheduling_create_resource",
        DOMAIN,
        "Add a bookable resource: a room, chair or piece of equipment, with a capacity.",
        CreateResource,
        create_resource,
        _W,
        Risk.MEDIUM,
        DataScope.ALL,
        Card.TABLE,
        confirmation="Add the {kind} “{name}”?",
        reversible=True,
        examples=("add a new chair called Chair 4",),
    ),
    Tool(
        "scheduling_update_resource",
        DOMAIN,
        "Rename a resource, change its capacity, or switch it off/on (inactive resources "
        "take no new bookings).",
        UpdateResource,
        update_resource,
        _W,
        Risk.MEDIUM,
        DataScope.ALL,
        Card.TABLE,
        confirmation="Change the resource {resource}?",
        reversible=True,
        examples=("the treatment room is out of use",),
    ),
    Tool(
        "scheduling_delete_resource",
        DOMAIN,
        "Delete a bookable room, chair or piece of equipment for good. Refused while "
        "upcoming bookings use it (move them, or switch it off instead). Cannot be undone.",
        DeleteResource,
        delete_resource,
        _W,
        Risk.CRITICAL,
        DataScope.ALL,
        Card.TABLE,
        confirmation="Delete the resource {resource} for good?",
        examples=("get rid of Chair 3",),
    ),
    Tool(
        "scheduling_get_booking_link",
        DOMAIN,
        "The public booking link and code for a service, a team member, or the whole "
        "business. Only looks it up: says so when there is none yet.",
        GetBookingLink,
        get_booking_link,
        _R,
        Risk.NONE,
        DataScope.ALL,
        Card.TEXT,
        examples=("what's my booking link", "send me the link for facials"),
    ),
    Tool(
        "scheduling_list_waitlist",
        DOMAIN,
        "Clients waiting for a slot, first come first served, with service, wanted day, "
        "staff and notes.",
        ListWaitlist,
        list_waitlist,
        _R,
        Risk.NONE,
        DataScope.ROLE_BASED,
        Card.TABLE,
        examples=("who's on the waitlist",),
    ),
    Tool(
        "scheduling_add_to_waitlist",
        DOMAIN,
        "Put a client on the waitlist for a service, optionally for a day or a team member.",
        AddToWaitlist,
        add_to_waitlist,
        _W,
        Risk.LOW,
        DataScope.ROLE_BASED,
        Card.TABLE,
        reversible=True,
        examples=("put Sarah Miller on the waitlist for a balayage on saturday",),
    ),
]
