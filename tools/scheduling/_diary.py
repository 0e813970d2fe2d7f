"""Diary tools: free slots, the day's agenda, blocked time and working hours."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from typing import Annotated, Any

from pydantic import Field

from ...assistant.catalog import Card, DataScope, Operation, Risk, Tool, ToolResult
from ...assistant.context import ExecutionContext
from ...errors import Ambiguous, Candidate, Invalid, NotFound, PermissionDenied
from ...workspace.models import AppointmentStatus
from ...workspace.services import Services
from ...workspace.services.scheduling import BlockInfo, DaySummary, WorkingHoursInfo
from .._common import DayText, Limit, ToolInput, local_label, resolve_day
from ._shared import (
    DOMAIN,
    ResourceRef,
    ServiceRef,
    StaffRef,
    WhenOrDay,
    day_label,
    is_staff_user,
    listing,
    own_staff,
    resolve_time_near,
    resolve_when_or_day,
    staff_or_me,
    undo_plan,
)

__all__ = ["TOOLS"]

_ACTIVE = (AppointmentStatus.REQUESTED, AppointmentStatus.CONFIRMED)


# -- scheduling_check_availability ----------------------------------------------------------


class CheckAvailability(ToolInput):
    service: ServiceRef
    day: DayText | None = Field(default=None, description="The (first) day (default: today).")
    last_day: DayText | None = Field(
        default=None, description="Search up to this day, inclusive (at most 31 days)."
    )
    staff: StaffRef | None = Field(default=None, description="Only with this team member.")
    resource: ResourceRef | None = Field(default=None, description="Needing this room/chair.")
    limit: Limit = 20


def check_availability(
    services: Services, args: CheckAvailability, context: ExecutionContext
) -> ToolResult:
    first = resolve_day(args.day, context)
    last = resolve_day(args.last_day, context, "last_day") if args.last_day else None
    found = services.scheduling.check_availability(
        args.service,
        first,
        last_day=last,
        staff=staff_or_me(args.staff, context),
        resource=args.resource,
        limit=args.limit,
    )
    days = day_label(found.first_day)
    if found.last_day != found.first_day:
        days = f"between {days} and {day_label(found.last_day)}"
    else:
        days = f"on {days}"
    if not found.slots:
        return ToolResult(
            f"No free slots for {found.service_name} {days}.", found, Card.AVAILABILITY
        )
    one_day = found.first_day == found.last_day

    def label(start: datetime, who: str | None) -> str:
        at = f"{start:%H:%M}" if one_day else local_label(start, context)
        return at + (f" with {who}" if who else "")

    count = len(found.slots)
    head = f"{count} free slot(s)" if count < args.limit else f"The first {count} free slots"
    lines = listing([label(s.starts_at, s.staff_name) for s in found.slots], 6)
    return ToolResult(
        f"{head} for {found.service_name} ({found.duration_minutes} min) {days}: {lines}.",
        found,
        Card.AVAILABILITY,
    )


# -- scheduling_day_summary -----------------------------------------------------------------


class DaySummaryInput(ToolInput):
    day: DayText | None = Field(default=None, description="The day (default: today).")
    staff: StaffRef | None = Field(
        default=None,
        description="Only this team member's diary ('me' for yours; default: everyone). "
        "Staff users always get their own.",
    )


def _agenda_text(summary: DaySummary, context: ExecutionContext) -> str:
    whose = f" for {summary.staff_name}" if summary.staff_name else ""
    day = day_label(summary.day)
    if not summary.open:
        return summary.closed_reason or f"The business is closed on {day}."
    booked = list(summary.appointments)
    if not booked or summary.first_starts_at is None or summary.last_ends_at is None:
        return f"Nothing booked{whose} on {day}."
    text = (
        f"{day}{whose}: {len(booked)} appointment(s) from {summary.first_starts_at:%H:%M} to "
        f"{summary.last_ends_at:%H:%M}, {round(summary.utilisation * 100)}% of the bookable "
        "time taken."
    )
    now = context.clock.now()
    upcoming = [a for a in booked if a.starts_at >= now and a.status in _ACTIVE]
    if summary.day == context.service_context().today() and upcoming:
        text += f" Next: {upcoming[0].summary}."
    elif summary.gaps:
        gap = max(summary.gaps, key=lambda g: g.minutes)
        who = f" ({gap.staff_name})" if gap.staff_name else ""
        text += f" Longest gap: {gap.starts_at:%H:%M}-{gap.ends_at:%H:%M}{who}."
    return text


def day_summary(services: Services, args: DaySummaryInput, context: ExecutionContext) -> ToolResult:
    staff = own_staff(services, args.staff, context, "see the agenda")
    summary = services.scheduling.day_summary(resolve_day(args.day, context), staff=staff)
    return ToolResult(_agenda_text(summary, context), summary, Card.APPOINTMENTS)


# -- blocked time ---------------------------------------------------------------------------


def _span(start: datetime, end: datetime, context: ExecutionContext) -> str:
    """ "Fri 20 Nov, 14:00-16:00", "Fri 20 Nov (all day)" or "Fri 20 Nov to Sun 22 Nov"."""
    if start.time() == time(0) and end.time() == time(0):
        last = end.date() - timedelta(days=1)
        days = day_label(start.date())
        return f"{days} (all day)" if last == start.date() else f"{days} to {day_label(last)}"
    if start.date() == end.date():
        return f"{local_label(start, context)}-{end:%H:%M}"
    return f"{local_label(start, context)} to {local_label(end, context)}"


def _block_line(block: BlockInfo, context: ExecutionContext) -> str:
    who = block.staff_name or block.resource_name or "the whole business"
    why = f" ({block.reason})" if block.reason else ""
    return f"#{block.id} {who}, {_span(block.starts_at, block.ends_at, context)}{why}"


class ListBlockedTimes(ToolInput):
    start: DayText | None = Field(default=None, description="First day (default: today).")
    end: DayText | None = Field(
        default=None, description="Last day, inclusive (default: 30 days from the start)."
    )
    staff: StaffRef | None = Field(
        default=None, description="Only this member's blocks and the business-wide ones."
    )


def list_blocked_times(
    services: Services, args: ListBlockedTimes, context: ExecutionContext
) -> ToolResult:
    first = resolve_day(args.start, context, "start")
    last = resolve_day(args.end, context, "end") if args.end else first + timedelta(days=29)
    staff = own_staff(services, args.staff, context, "see blocked time")
    blocks = services.scheduling.list_blocked_times(first, last, staff=staff)
    if not blocks:
        return ToolResult("No blocked time in that period.", [], Card.TABLE)
    lines = listing([_block_line(b, context) for b in blocks])
    return ToolResult(f"{len(blocks)} blocked period(s): {lines}.", blocks, Card.TABLE)


class BlockTime(ToolInput):
    starts: WhenOrDay = Field(description="Start: a time ('friday at 2pm') or a whole day.")
    ends: WhenOrDay | None = Field(
        default=None,
        description="End: a time ('4pm' is on the start's day) or a last day, inclusive. "
        "Leave out for one whole day.",
    )
    minutes: int | None = Field(
        default=None, ge=15, le=24 * 60, description="Or: how long, from a start time."
    )
    staff: StaffRef | None = Field(
        default=None,
        description="Block only this member ('me'); default the whole business (staff "
        "users: themselves).",
    )
    resource: ResourceRef | None = Field(default=None, description="Block only this resource.")
    reason: str | None = Field(default=None, max_length=200, description="E.g. 'holiday'.")
    force: bool = Field(
        default=False, description="Block even though appointments fall in it (they stay)."
    )


def _block_end(
    args: BlockTime, start: date | datetime, context: ExecutionContext
) -> date | datetime | None:
    if args.minutes is not None:
        if args.ends is not None:
            raise Invalid("Give an end or a length in minutes, not both.", field="minutes")
        if not isinstance(start, datetime):
            raise Invalid("Give a start time to block a number of minutes.", field="starts")
        return (start.astimezone(UTC) + timedelta(minutes=args.minutes)).astimezone(start.tzinfo)
    if args.ends is None:
        return None
    if isinstance(start, datetime):
        return resolve_time_near(args.ends, start.date(), context, "ends")
    return resolve_when_or_day(args.ends, context, "ends")


def block_time(services: Services, args: BlockTime, context: ExecutionContext) -> ToolResult:
    start = resolve_when_or_day(args.starts, context, "starts")
    end = _block_end(args, start, context)
    if is_staff_user(context) and args.resource is not None:
        raise PermissionDenied("As a team member you can only block your own time.")
    staff = own_staff(services, args.staff, context, "block time")
    change = services.scheduling.block_time(
        start, end, staff=staff, resource=args.resource, reason=args.reason, force=args.force
    )
    return ToolResult(
        f"Blocked {_block_line(change.block, context).split(' ', 1)[1]}.",
        change,
        Card.TABLE,
        undo_plan(change.undo),
    )


class UnblockTime(ToolInput):
    block: int | str = Field(
        description="The block: its number from scheduling_list_blocked_times ('#3'), or "
        "words from it ('Daniel dentist')."
    )


_NUMBER = re.compile(r"^\s*#?\s*(\d+)\s*$")
_NOISE = frozenset({"the", "block", "blocked", "time", "s", "for", "on", "off", "of"})


def _find_block(services: Services, reference: int | str, context: ExecutionContext) -> int:
    """The id of the block ``reference`` means (staff users: only their own blocks)."""
    match = _NUMBER.match(reference) if isinstance(reference, str) else None
    number = reference if isinstance(reference, int) else int(match[1]) if match else None
    if number is not None and not is_staff_user(context):
        return number
    today = context.service_context().today()
    staff = own_staff(services, None, context, "unblock time")
    blocks = services.scheduling.list_blocked_times(
        today - timedelta(days=1), today + timedelta(days=363), staff=staff
    )
    if is_staff_user(context):
        blocks = [b for b in blocks if b.staff_id == context.staff_id]
    if number is not None:
        if any(b.id == number for b in blocks):
            return number
        raise PermissionDenied("You can only remove blocks in your own diary.")
    words = [w for w in re.findall(r"[a-z0-9]+", str(reference).lower()) if w not in _NOISE]
    found = [
        b for b in blocks if words and all(w in _block_line(b, context).lower() for w in words)
    ]
    if len(found) == 1:
        return found[0].id
    if not found:
        raise NotFound("blocked time", reference)
    candidates = [Candidate(b.id, _block_line(b, context), b.reason or "") for b in found]
    raise Ambiguous("blocked time", reference, candidates)


def unblock_time(services: Services, args: UnblockTime, context: ExecutionContext) -> ToolResult:
    change = services.scheduling.unblock_time(_find_block(services, args.block, context))
    line = _block_line(change.block, context).split(" ", 1)[1]
    return ToolResult(f"Removed the block: {line}.", change, Card.TABLE, undo_plan(change.undo))


# -- scheduling_set_working_hours -----------------------------------------------------------

_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_PERIOD = r"^\s*\d{1,2}[:.]\d{2}\s*[-–]\s*\d{1,2}[:.]\d{2}\s*$"
Period = Annotated[str, Field(pattern=_PERIOD, description="From-to, e.g. '09:00-17:30'.")]


def _day(name: str) -> Any:
    return Field(
        default=None,
        max_length=6,
        description=f"Periods worked on {name.title()}s, e.g. ['09:00-13:00', '14:00-18:00']; "
        "[] = day off; leave out to keep as is.",
    )


class SetWorkingHours(ToolInput):
    staff: StaffRef | None = Field(default=None, description="Whose hours (default: yours).")
    monday: list[Period] | None = _day("monday")
    tuesday: list[Period] | None = _day("tuesday")
    wednesday: list[Period] | None = _day("wednesday")
    thursday: list[Period] | None = _day("thursday")
    friday: list[Period] | None = _day("friday")
    saturday: list[Period] | None = _day("saturday")
    sunday: list[Period] | None = _day("sunday")
    use_business_hours: bool = Field(
        default=False, description="Clear the template: they work the business's opening hours."
    )


def _split(period: str) -> list[str]:
    return [part.strip().replace(".", ":") for part in re.split(r"[-–]", period)]


def _template(
    services: Services, args: SetWorkingHours, staff: int | str
) -> dict[int | str, list[list[str]]]:
    given = {i: getattr(args, day) for i, day in enumerate(_WEEKDAYS)}
    given = {i: periods for i, periods in given.items() if periods is not None}
    if args.use_business_hours:
        if given:
            raise Invalid("Give hours per day or use the business hours, not both.", field="staff")
        return {}
    if not given:
        raise Invalid("Give the hours of at least one day, e.g. monday ['09:00-17:00'].")
    current = services.scheduling.get_working_hours(staff).template
    merged = {d: [[f"{a:%H:%M}", f"{b:%H:%M}"] for a, b in spans] for d, spans in current.items()}
    merged |= {day: [_split(p) for p in periods] for day, periods in given.items()}
    template: dict[int | str, list[list[str]]] = {
        day: spans for day, spans in sorted(merged.items()) if spans
    }
    if not template:
        raise Invalid(
            "That leaves no working time at all; use the business hours instead, or "
            "deactivate the team member.",
            field="staff",
        )
    return template


def _hours_text(info: WorkingHoursInfo) -> str:
    if not info.template:
        return f"{info.staff_name} now works the business's opening hours."
    days = [
        f"{_WEEKDAYS[day][:3].title()} " + ", ".join(f"{a:%H:%M}-{b:%H:%M}" for a, b in spans)
        for day, spans in sorted(info.template.items())
    ]
    return f"{info.staff_name} now works " + "; ".join(days) + "."


def set_working_hours(
    services: Services, args: SetWorkingHours, context: ExecutionContext
) -> ToolResult:
    staff = own_staff(services, args.staff, context, "set working hours") or context.staff_id
    if staff is None:
        raise Invalid("Whose working hours? Name the team member.", field="staff")
    info = services.scheduling.set_working_hours(staff, _template(services, args, staff))
    return ToolResult(_hours_text(info), info, Card.TABLE, undo_plan(info.undo))


# -- the tools ------------------------------------------------------------------------------

_W, _R, _RB = Operation.WRITE, Operation.READ, DataScope.ROLE_BASED

TOOLS: list[Tool[Any]] = [
    Tool(
        "scheduling_check_availability",
        DOMAIN,
        "Free slots for a service on a day or range of days, per staff member, honouring "
        'opening and working hours, blocks, buffers and existing bookings ("any free '
        'slots friday for a colour"). Returns start times with who is free.',
        CheckAvailability,
        check_availability,
        _R,
        Risk.NONE,
        DataScope.ALL,
        Card.AVAILABILITY,
        examples=("any free slots friday for a colour", "when can Emma fit in a cut tomorrow"),
    ),
    Tool(
        "scheduling_day_summary",
        DOMAIN,
        "The agenda of a day: appointments, free gaps, first and last, how full it is "
        '("what have I got on today"). Whole team by default, or one member\'s diary; staff '
        "users get their own.",
        DaySummaryInput,
        day_summary,
        _R,
        Risk.NONE,
        _RB,
        Card.APPOINTMENTS,
        examples=("what have I got on today", "how busy is Daniel on friday"),
    ),
    Tool(
        "scheduling_list_blocked_times",
        DOMAIN,
        "Blocked periods (holidays, training, admin time) in a date range, with their numbers "
        "(for unblocking), who they block and why.",
        ListBlockedTimes,
        list_blocked_times,
        _R,
        Risk.NONE,
        _RB,
        Card.TABLE,
        examples=("what time is blocked off this month",),
    ),
    Tool(
        "scheduling_block_time",
        DOMAIN,
        "Block a period for a staff member, a resource or the whole business (holiday, "
        "training, admin time): whole days or from a time to a time. Refuses when "
        "appointments fall inside unless forced. Returns the block.",
        BlockTime,
        block_time,
        _W,
        Risk.MEDIUM,
        _RB,
        Card.TABLE,
        confirmation="Block time from {starts}?",
        reversible=True,
        examples=("block friday afternoon for admin", "Daniel is off on the 24th"),
    ),
    Tool(
        "scheduling_unblock_time",
        DOMAIN,
        "Remove a blocked period, by its number or by words from it ('Daniel dentist').",
        UnblockTime,
        unblock_time,
        _W,
        Risk.MEDIUM,
        _RB,
        Card.TABLE,
        confirmation="Remove the blocked time {block}?",
        reversible=True,
        examples=("remove Daniel's dentist block",),
    ),
    Tool(
        "scheduling_set_working_hours",
        DOMAIN,
        "Set a staff member's weekly working hours, day by day (days not mentioned stay as "
        "they are; [] makes a day off), or reset them to the business's opening hours.",
        SetWorkingHours,
        set_working_hours,
        _W,
        Risk.MEDIUM,
        _RB,
        Card.TABLE,
        confirmation="Change these weekly working hours?",
        reversible=True,
        examples=("Chloe works 10 to 4 on fridays now",),
    ),
]
