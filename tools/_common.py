"""Argument types and result helpers every domain's tools share (defined once, used everywhere)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from ..assistant.catalog import Refers
from ..assistant.context import ExecutionContext
from ..errors import Invalid
from ..workspace.values import format_money, to_minor
from ..workspace.when import ACCEPTED_FORMS, parse_day, parse_when

__all__ = [
    "Amount",
    "ClientRef",
    "DayText",
    "Limit",
    "Reference",
    "ToolInput",
    "WhenText",
    "local_label",
    "minor",
    "money",
    "resolve_day",
    "resolve_when",
]


class ToolInput(BaseModel):
    """Base of every tool input: unknown fields are refused, strings are trimmed."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


Reference = Annotated[
    int | str,
    Field(description="An id, or what people call it: a name, title, number or code."),
]
ClientRef = Annotated[
    int | str,
    Field(
        description="The client: id, full or partial name, e-mail or phone "
        "(e.g. 'Sarah Miller'). Ambiguous names get a list to choose from."
    ),
    Refers("client"),
]
Amount = Annotated[
    Decimal,
    Field(
        gt=0,
        max_digits=14,
        decimal_places=2,
        description="An amount in the currency's main unit, e.g. 49.99 for £49.99.",
    ),
]
WhenText = Annotated[
    str,
    Field(
        min_length=1,
        max_length=100,
        description="A date-time: ISO 8601 ('2026-11-19T14:00') or words in the business's "
        "timezone ('tomorrow at 2pm', 'friday at 3', 'in two hours').",
    ),
]
DayText = Annotated[
    str,
    Field(
        min_length=1,
        max_length=60,
        description="A day: ISO date ('2026-11-19') or words ('today', 'next monday').",
    ),
]
Limit = Annotated[int, Field(ge=1, le=200, description="At most this many results.")]


def resolve_when(text: str, context: ExecutionContext, field: str = "when") -> datetime:
    """An aware datetime from ISO 8601 or words, in the business timezone."""
    tz = context.service_context().tz
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        parsed = parse_when(text, context.clock.now().astimezone(tz))
        if parsed is None:
            raise Invalid(
                f"I don't understand “{text}” as a time. {ACCEPTED_FORMS}", field=field
            ) from None
        return parsed
    return value if value.tzinfo else value.replace(tzinfo=tz)


def resolve_day(text: str | None, context: ExecutionContext, field: str = "day") -> date:
    """A date from ISO or words; ``None`` means today (in the business timezone)."""
    today = context.service_context().today()
    if text is None:
        return today
    try:
        return date.fromisoformat(text)
    except ValueError:
        parsed = parse_day(text, today)
        if parsed is None:
            raise Invalid(
                f"I don't understand “{text}” as a day. {ACCEPTED_FORMS}", field=field
            ) from None
        return parsed


def minor(amount: Decimal) -> int:
    """Major units (49.99) to minor units (4999)."""
    return to_minor(amount)


def money(amount_minor: int, currency: str) -> str:
    """£1,250.50."""
    return format_money(amount_minor, currency)


def local_label(moment: datetime, context: ExecutionContext) -> str:
    """A short local date-time for people: "Thu 19 Nov, 14:00"."""
    local = moment.astimezone(context.service_context().tz)
    return f"{local:%a} {local.day} {local:%b}, {local:%H:%M}"
