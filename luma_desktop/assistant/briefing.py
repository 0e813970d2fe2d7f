"""The proactive greeting's facts: overdue invoices, today's appointments and free time, due
reminders — read from the workspace services, so the numbers are the business's real ones.

``build_briefing`` is synchronous (database work): the desktop app runs it in a thread.
Parts the user's role may not see are left out rather than failing the whole briefing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar

from ..errors import PermissionDenied
from ..workspace.models import ReminderStatus
from ..workspace.services import Services
from ..workspace.values import format_money

__all__ = ["Briefing", "FreeGap", "build_briefing", "time_span"]

MIN_GAP_MINUTES = 30
"""Free time shorter than this is not worth mentioning."""

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class FreeGap:
    """Free time left today (local times), for one staff member or the business."""

    starts_at: datetime
    ends_at: datetime
    staff_name: str | None = None

    @property
    def minutes(self) -> int:
        return int((self.ends_at - self.starts_at).total_seconds() // 60)


@dataclass(frozen=True, slots=True)
class Briefing:
    """What deserves the user's attention as the window opens. ``None``: not available."""

    now: datetime
    """The local time the briefing was made."""
    user_name: str = ""
    currency: str = "GBP"
    overdue_count: int | None = None
    overdue_total_minor: int = 0
    appointments_today: int | None = None
    appointments_to_come: int = 0
    biggest_gap: FreeGap | None = None
    """The longest free time still ahead today."""
    closed_reason: str | None = None
    """Why the business is closed today, when it is."""
    due_reminders: tuple[str, ...] = ()
    """Texts of the user's reminders that are due and not done."""

    def salutation(self) -> str:
        """ "Good afternoon, Alex." (by the local hour)."""
        hour = self.now.hour
        part = "morning" if hour < 12 else "afternoon" if hour < 18 else "evening"
        first = self.user_name.split()[0] if self.user_name.strip() else ""
        return f"Good {part}, {first}." if first else f"Good {part}."

    def highlights(self) -> list[str]:
        """Short phrases, most pressing first (empty when nothing needs attention)."""
        parts: list[str] = []
        if self.overdue_count:
            total = format_money(self.overdue_total_minor, self.currency)
            noun = "invoice" if self.overdue_count == 1 else "invoices"
            parts.append(f"{self.overdue_count} overdue {noun} totalling {total}")
        parts.extend(self._day_parts())
        if len(self.due_reminders) == 1:
            parts.append(f"reminder due: {self.due_reminders[0]}")
        elif self.due_reminders:
            parts.append(f"{len(self.due_reminders)} reminders due")
        return parts

    def _day_parts(self) -> list[str]:
        if self.closed_reason:
            return [f"closed today ({self.closed_reason})"]
        if self.appointments_today is None:
            return []
        count = self.appointments_today
        text = f"{count} appointment{'' if count == 1 else 's'} today" if count else ""
        if count and self.appointments_to_come != count:
            text += f" ({self.appointments_to_come} to come)"
        gap = self.biggest_gap
        if gap is not None:
            who = f" ({gap.staff_name})" if gap.staff_name else ""
            free = f"a gap {time_span(gap.starts_at, gap.ends_at)}{who}"
            text = f"{text}, {free}" if text else free[0].upper() + free[1:]
        return [text] if text else ["no appointments today"]

    def text(self) -> str:
        """One line for the window ("Good afternoon, Alex. 3 overdue invoices totalling …")."""
        parts = self.highlights()
        if not parts:
            return f"{self.salutation()} Nothing needs your attention right now."
        first = parts[0][0].upper() + parts[0][1:]
        return f"{self.salutation()} " + " · ".join([first, *parts[1:]]) + "."


def _clock(moment: datetime, *, suffix: bool = True) -> str:
    hour = moment.hour % 12 or 12
    text = f"{hour}:{moment.minute:02d}" if moment.minute else str(hour)
    return text + (("am" if moment.hour < 12 else "pm") if suffix else "")


def time_span(start: datetime, end: datetime) -> str:
    """ "1–3pm", "11am–1:30pm" (the first suffix dropped when both share it)."""
    same_half = (start.hour < 12) == (end.hour < 12)
    return f"{_clock(start, suffix=not same_half)}–{_clock(end)}"


def _optional(read: Callable[[], T]) -> T | None:
    """``read()``, or ``None`` when the user's role may not see that part."""
    try:
        return read()
    except PermissionDenied:
        return None


def build_briefing(services: Services, user_name: str = "") -> Briefing:
    """Today's briefing for the services' user (one short read per part)."""
    context = services.context
    now = context.now()
    overdue = _optional(services.invoicing.overdue_summary)
    own = context.staff_id if context.role.value == "staff" else None
    day = _optional(lambda: services.scheduling.day_summary(staff=own))
    reminders = _optional(lambda: services.tasks.list_reminders("past", limit=50)) or []
    due = tuple(r.text for r in reminders if r.status != ReminderStatus.DONE and r.due_at <= now)
    gaps = [
        FreeGap(max(g.starts_at, now), g.ends_at, g.staff_name)
        for g in (day.gaps if day is not None else ())
        if g.ends_at > now
    ]
    gaps = [g for g in gaps if g.minutes >= MIN_GAP_MINUTES]
    return Briefing(
        now=now,
        user_name=user_name,
        currency=overdue.currency if overdue is not None else context.currency,
        overdue_count=overdue.count if overdue is not None else None,
        overdue_total_minor=overdue.total_outstanding_minor if overdue is not None else 0,
        appointments_today=len(day.appointments) if day is not None else None,
        appointments_to_come=sum(1 for a in day.appointments if a.starts_at > now) if day else 0,
        biggest_gap=max(gaps, key=lambda g: (g.minutes, -g.starts_at.timestamp()), default=None),
        closed_reason=day.closed_reason if day is not None and not day.open else None,
        due_reminders=due,
    )
