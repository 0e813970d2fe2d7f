"""What the scheduling tools share: argument types, role scoping, times, undo plans."""

from __future__ import annotations

import re
from datetime import date, datetime, time
from typing import Annotated, Any

from pydantic import Field

from ...assistant.catalog import InverseRunner, UndoPlan
from ...assistant.context import ExecutionContext
from ...errors import Invalid, PermissionDenied
from ...workspace.models import Role
from ...workspace.services import Services
from ...workspace.services.scheduling import AppointmentInfo, Undo
from ...workspace.when import ACCEPTED_FORMS, parse_day, parse_when
from .._common import resolve_when

__all__ = [
    "DOMAIN",
    "AppointmentRef",
    "ResourceRef",
    "ServiceRef",
    "StaffRef",
    "WhenOrDay",
    "day_label",
    "is_staff_user",
    "listing",
    "own_appointment",
    "own_staff",
    "resolve_time_near",
    "resolve_when_or_day",
    "run_undo",
    "staff_or_me",
    "undo_plan",
]

DOMAIN = "scheduling"

AppointmentRef = Annotated[
    int | str,
    Field(
        description="The appointment: its id, '#42', its confirmation code ('PS4MN6'), or the "
        "client's name (their next upcoming appointment)."
    ),
]
ServiceRef = Annotated[
    int | str,
    Field(description="The service: id or (part of) its name, e.g. 'colour', 'facial'."),
]
StaffRef = Annotated[
    int | str,
    Field(description="A team member: id, name (e.g. 'Emma'), or 'me' for the signed-in user."),
]
ResourceRef = Annotated[
    int | str,
    Field(description="A room, chair or piece of equipment: id or name (e.g. 'Chair 2')."),
]
WhenOrDay = Annotated[
    str,
    Field(
        min_length=1,
        max_length=100,
        description="A whole day ('friday', '2026-11-20') or a time ('friday at 2pm', "
        "'2026-11-20T14:00'), in the business's timezone.",
    ),
]

_ME = frozenset({"me", "myself", "mine"})


def is_staff_user(context: ExecutionContext) -> bool:
    """Staff see and change only their own diary (the portal is scoped by the service)."""
    return context.role is Role.STAFF


def staff_or_me(value: int | str | None, context: ExecutionContext) -> int | str | None:
    """``value`` with "me" read as the signed-in user's staff record."""
    if isinstance(value, str) and value.strip().lower() in _ME:
        if context.staff_id is None:
            raise Invalid("Your sign-in is not linked to a staff member; name one.", field="staff")
        return context.staff_id
    return value


def own_staff(
    services: Services, value: int | str | None, context: ExecutionContext, action: str
) -> int | str | None:
    """The staff argument to pass on: anything for team leads; for staff users, only
    themselves (the default when ``value`` is empty)."""
    value = staff_or_me(value, context)
    if not is_staff_user(context):
        return value
    own = context.staff_id
    if own is None:
        raise PermissionDenied("Your sign-in is not linked to a staff member.")
    if value is None or value == own:
        return own
    if isinstance(value, str) and _names(services, own, value):
        return own
    raise PermissionDenied(f"As a team member you can only {action} for yourself.")


def _names(services: Services, staff_id: int, text: str) -> bool:
    """Whether ``text`` is (part of) the name of staff member ``staff_id``."""
    team = services.scheduling.list_resources("staff", include_inactive=True).staff
    name = next((s.name for s in team if s.id == staff_id), "")
    words = set(name.lower().split())
    wanted = text.lower().split()
    return bool(wanted) and all(word in words for word in wanted)


def own_appointment(
    services: Services, reference: int | str, context: ExecutionContext, day: date | None = None
) -> AppointmentInfo:
    """The appointment ``reference`` names; staff users may only touch their own."""
    found = services.scheduling.get_appointment(reference, on=day)
    if is_staff_user(context) and found.staff_id != context.staff_id:
        raise PermissionDenied(
            "That appointment is not in your diary; as a team member you can only see and "
            "change your own appointments."
        )
    return found


# -- times ---------------------------------------------------------------------------------

_CLOCK_WORDS = frozenset(
    re.split(
        r"\s+",
        "at the in a p m am pm oclock o'clock clock half quarter past to noon midday oh "
        "morning afternoon evening one two three four five six seven eight nine ten eleven "
        "twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen twenty thirty "
        "forty fifty",
    )
)
_CLOCK_NUMBER = re.compile(r"^\d{1,2}(?:[:.]\d{2})?(?:am|pm)?$")


def _time_only(text: str) -> bool:
    """Whether ``text`` names only a time of day ("4pm", "half past two"), no day."""
    words = re.findall(r"[a-z0-9:.']+", text.lower().replace("a.m.", "am").replace("p.m.", "pm"))
    return bool(words) and all(w in _CLOCK_WORDS or _CLOCK_NUMBER.match(w) for w in words)


def resolve_time_near(
    text: str, anchor: date, context: ExecutionContext, field: str = "when"
) -> datetime:
    """A time; a bare time of day ("4pm") falls on local day ``anchor``, anything else is
    read as usual ("friday at 3" is that Friday)."""
    if not _time_only(text):
        return resolve_when(text, context, field)
    tz = context.service_context().tz
    parsed = parse_when(text, datetime.combine(anchor, time(0), tzinfo=tz))
    if parsed is None:
        raise Invalid(f"I don't understand “{text}” as a time. {ACCEPTED_FORMS}", field=field)
    return parsed


def resolve_when_or_day(text: str, context: ExecutionContext, field: str) -> date | datetime:
    """A date for a whole day ("friday", "2026-11-20"), else a date-time ("friday at 2pm")."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        pass
    day = parse_day(text, context.service_context().today())
    return day if day is not None else resolve_when(text, context, field)


# -- results -------------------------------------------------------------------------------


def day_label(day: date) -> str:
    """A short day for people: Fri 20 Nov."""
    return f"{day:%a} {day.day} {day:%b}"


def listing(lines: list[str], shown: int = 5) -> str:
    """The first ``shown`` lines joined, with "and N more"."""
    more = f" and {len(lines) - shown} more" if len(lines) > shown else ""
    return "; ".join(lines[:shown]) + more


def undo_plan(undo: Undo | None) -> UndoPlan | None:
    """The service's undo as the executor's plan (run back through ``apply_undo``)."""
    if undo is None:
        return None
    summary = undo.summary.rstrip(".")
    summary = summary[:1].lower() + summary[1:]
    return UndoPlan(DOMAIN, undo.operation, dict(undo.arguments), summary)


def run_undo(operation: str) -> InverseRunner:
    """The inverse runner of one service undo operation (rebuilds its :class:`Undo`)."""

    def runner(services: Services, arguments: dict[str, Any]) -> object:
        return services.scheduling.apply_undo(
            Undo(operation=operation, arguments=arguments, summary="")
        )

    return runner
