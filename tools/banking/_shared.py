"""What the banking tools share: dates in summaries, optional days, undo plans, scope."""

from __future__ import annotations

from datetime import date
from typing import Any

from ...assistant.catalog import DataScope, UndoPlan
from ...assistant.context import ExecutionContext
from .._common import resolve_day

__all__ = ["DOMAIN", "WRITE_SCOPE", "day_label", "optional_day", "undo_plan"]

DOMAIN = "banking"
WRITE_SCOPE = DataScope.ADMIN_ONLY
"""Banking writes are for owners and admins (managers only read, staff and clients never)."""


def day_label(value: date) -> str:
    """Tue 17 Nov."""
    return f"{value:%a} {value.day} {value:%b}"


def undo_plan(operation: str, summary: str, **arguments: Any) -> UndoPlan:
    """The plan that runs ``operation`` of :data:`INVERSES` with ``arguments``."""
    return UndoPlan(DOMAIN, operation, arguments, summary)


def optional_day(text: str | None, context: ExecutionContext, field: str) -> date | None:
    """The day ``text`` names, or ``None`` when it is empty."""
    return resolve_day(text, context, field) if text else None
