"""Text for cards: money, days and times in the business's zone, labels, tones, initials.

Card data carries money as integer minor units plus an ISO currency and moments as ISO 8601
strings; cards show what people read ("£96.00", "Thu 19 Nov, 14:00", "Tomorrow").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, tzinfo
from decimal import Decimal, InvalidOperation
from typing import Any

from ..clock import Clock, SystemClock
from ..workspace.values import format_money

__all__ = [
    "CardFormat",
    "action_label",
    "humanise",
    "initials",
    "money_text",
    "plain_number",
    "tone_for",
]

_TONES = {
    "success": (
        "paid",
        "completed",
        "confirmed",
        "done",
        "booked",
        "accepted",
        "converted",
        "customer",
        "in",
        "verified",
        "signed",
    ),
    "warning": (
        "requested",
        "pending",
        "partially_paid",
        "high",
        "in_progress",
        "prospect",
        "waiting",
        "offered",
        "lead",
    ),
    "danger": ("overdue", "cancelled", "no_show", "void", "declined", "urgent", "failed", "lost"),
    "accent": ("sent", "open", "scheduled", "fired", "queued"),
}
_TONE_OF = {word: tone for tone, words in _TONES.items() for word in words}
_ACTION_LABELS = {
    "scheduling_create_appointment": "Book an appointment",
    "scheduling_cancel_appointment": "Cancel an appointment",
    "scheduling_reschedule_appointment": "Move an appointment",
    "banking_pay_payee": "Make a payment",
    "banking_transfer_internal": "Move money between accounts",
    "banking_schedule_payment": "Schedule a payment",
    "invoices_send": "Send an invoice",
    "invoices_void": "Void an invoice",
    "invoices_record_payment": "Record a payment",
    "invoices_send_reminder": "Send payment reminders",
    "clients_delete": "Delete a client",
    "clients_merge": "Merge two clients",
    "search_global": "Search everything",
    "assistant_undo_last": "Undo the last action",
}
_NOUNS = {
    "clients": ("client", "clients"),
    "invoices": ("invoice", "invoices"),
    "quotes": ("quote", "quotes"),
    "tasks": ("task", "tasks"),
    "reminders": ("reminder", "reminders"),
    "notes": ("note", "notes"),
    "scheduling": ("appointment", "appointments"),
}
_VERBS = {"get": "Look up", "list": "List"}


def action_label(tool: str) -> str:
    """What a tool does, for people: ``scheduling_create_appointment`` → "Book an appointment"."""
    if tool in _ACTION_LABELS:
        return _ACTION_LABELS[tool]
    domain, _, rest = tool.partition("_")
    words = rest.split("_") if rest else [domain]
    one, many = _NOUNS.get(domain, ("", ""))
    if len(words) == 1 and one:
        words.append(many if words[0] in ("list", "search") else one)
    verb = _VERBS.get(words[0], words[0].capitalize())
    return " ".join([verb, *words[1:]])


_ACRONYMS = {"vat": "VAT", "iban": "IBAN", "id": "ID", "sms": "SMS", "pdf": "PDF"}


def money_text(amount_minor: Any, currency: Any) -> str:
    """``format_money`` for card data; empty when either part is missing."""
    if isinstance(amount_minor, bool) or not isinstance(amount_minor, int) or not currency:
        return ""
    return format_money(amount_minor, str(currency))


def plain_number(value: Any) -> Decimal | None:
    """A number given as text or a number ("9000", 49.99), else ``None``."""
    if isinstance(value, bool) or value is None:
        return None
    try:
        number = Decimal(str(value).replace(",", "").strip())
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def humanise(key: str) -> str:
    """A field name as a label: ``due_on`` → "Due on", ``vat_rate`` → "VAT rate"."""
    words = key.removesuffix("_minor").removesuffix("_id").split("_")
    shown = [_ACRONYMS.get(word, word) for word in words if word]
    if not shown:
        return key
    first = shown[0]
    return " ".join([first[:1].upper() + first[1:], *shown[1:]])


def tone_for(status: Any) -> str:
    """The colour family of a status word: success, warning, danger, accent or muted."""
    return _TONE_OF.get(str(status or "").lower(), "muted")


def initials(name: str) -> str:
    """Up to two initials for an avatar ("Sarah Miller" → "SM")."""
    letters = [part[0] for part in re.split(r"[\s\-]+", name.strip()) if part[:1].isalpha()]
    if not letters:
        return "?"
    return (letters[0] + (letters[-1] if len(letters) > 1 else "")).upper()


@dataclass(frozen=True, slots=True)
class CardFormat:
    """Formats moments for one business: its timezone, and its clock for "today"."""

    zone: tzinfo | None = None
    """The business's timezone; ``None`` uses the computer's."""
    clock: Clock = field(default_factory=SystemClock)
    currency: str = ""
    """The business's currency, for amounts given in main units without one."""

    def now(self) -> datetime:
        return self.local(self.clock.now())

    def local(self, moment: datetime) -> datetime:
        aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
        return aware.astimezone(self.zone) if self.zone else aware.astimezone()

    def moment(self, value: Any) -> datetime | None:
        """An ISO date-time (string or datetime) in the business's zone, else ``None``."""
        if isinstance(value, datetime):
            return self.local(value)
        if not isinstance(value, str) or "T" not in value:
            return None
        try:
            return self.local(datetime.fromisoformat(value))
        except ValueError:
            return None

    def day_of(self, value: Any) -> date | None:
        """The (local) day of an ISO date or date-time."""
        moment = self.moment(value)
        if moment is not None:
            return moment.date()
        if isinstance(value, date):
            return value
        if isinstance(value, str):
            try:
                return date.fromisoformat(value[:10])
            except ValueError:
                return None
        return None

    def day(self, value: Any) -> str:
        """ "Thu 19 Nov" (with the year when it is not this year); "" when unreadable."""
        day = self.day_of(value)
        if day is None:
            return ""
        text = f"{day:%a} {day.day} {day:%b}"
        return text if day.year == self.now().year else f"{text} {day.year}"

    def relative_day(self, value: Any) -> str:
        """ "Today", "Tomorrow", "Yesterday", else like :meth:`day`."""
        day = self.day_of(value)
        if day is None:
            return ""
        offset = (day - self.now().date()).days
        return {0: "Today", 1: "Tomorrow", -1: "Yesterday"}.get(offset) or self.day(day)

    def time(self, value: Any) -> str:
        """ "14:00"; "" for a date without a time."""
        moment = self.moment(value)
        return f"{moment:%H:%M}" if moment else ""

    def when(self, value: Any) -> str:
        """ "Thu 19 Nov, 14:00" for a date-time, "Thu 19 Nov" for a date, else ""."""
        time = self.time(value)
        day = self.day(value)
        return f"{day}, {time}" if day and time else day

    def span(self, starts: Any, ends: Any) -> str:
        """ "14:00 – 15:00" (the end only when it is known)."""
        start, end = self.time(starts), self.time(ends)
        return f"{start} – {end}" if start and end else start

    def major_money(self, value: Any, currency: Any = None) -> str:
        """An amount given in main units ("9000") as money ("£9,000.00")."""
        number = plain_number(value)
        if number is None:
            return str(value)
        minor = int((number * 100).to_integral_value())
        code = str(currency or self.currency or "")
        if code:
            return format_money(minor, code)
        sign = "-" if minor < 0 else ""
        major, cents = divmod(abs(minor), 100)
        return f"{sign}{major:,}.{cents:02d}"
