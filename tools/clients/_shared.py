"""What the client tools share: argument types and the wording of summaries."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated

from pydantic import Field

from ...workspace.services.clients import ClientProfile, ClientSummary

__all__ = ["DOMAIN", "StaffRef", "TagName", "contact", "counted", "listed"]

DOMAIN = "clients"
_SHOWN = 5
"""How many items a summary names before saying "and N more"."""

StaffRef = Annotated[
    int | str,
    Field(description="A staff member: id or name (e.g. 'Emma')."),
]
TagName = Annotated[str, Field(min_length=1, max_length=60, description="A tag, e.g. 'vip'.")]


def counted(number: int, noun: str) -> str:
    """'1 client', '3 clients'."""
    return f"{number} {noun}" + ("" if number == 1 else "s")


def listed(items: Sequence[str]) -> str:
    """'A, B and C' for up to five items, then 'and N more'."""
    shown = list(items[:_SHOWN])
    more = len(items) - len(shown)
    if more > 0:
        return ", ".join(shown) + f" and {more} more"
    if len(shown) > 1:
        return ", ".join(shown[:-1]) + f" and {shown[-1]}"
    return shown[0] if shown else ""


def contact(client: ClientSummary | ClientProfile) -> str:
    """The e-mail and phone, whichever are known."""
    return ", ".join(filter(None, (client.email, client.phone))) or "no contact details"
