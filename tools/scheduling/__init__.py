"""Scheduling & availability (spec section 1): appointments, free slots, the day's agenda,
blocked time, working hours, resources, booking links and the waitlist.

Role scope: owners, admins and managers see the whole diary; staff users see and change only
their own appointments, blocks and hours (lists are filtered, single appointments are checked);
client-portal users reach only their own appointments (the service enforces it) and their
bookings and moves become requests.

Undo: every reversible write returns the service's ``Undo``; its operation is registered here
and runs back through ``SchedulingService.apply_undo``. Sending a reminder and deleting a
resource cannot be undone.
"""

from __future__ import annotations

from typing import Any

from ...assistant.catalog import InverseRunner, Tool
from ...workspace.services.scheduling import UNDO_OPERATIONS
from . import _appointments, _diary, _setup
from ._shared import DOMAIN, run_undo

__all__ = ["INVERSES", "TOOLS"]

TOOLS: list[Tool[Any]] = [*_appointments.TOOLS, *_diary.TOOLS, *_setup.TOOLS]

INVERSES: dict[tuple[str, str], InverseRunner] = {
    (DOMAIN, operation): run_undo(operation) for operation in sorted(UNDO_OPERATIONS)
}
