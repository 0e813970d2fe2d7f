"""The state of one seeding run: session, random source, local time and the rows made so far."""

from __future__ import annotations

import json
import random
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from functools import cache
from importlib.resources import files
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from ..models import (
    Appointment,
    BankAccount,
    Base,
    Business,
    Client,
    DiscountCode,
    Invoice,
    Product,
    Resource,
    Service,
    Staff,
    TenantMixin,
    TimestampMixin,
    User,
)
from ..values import _CODE_ALPHABET, to_minor, zone

__all__ = ["Seeder", "gb_iban", "hhmm", "load"]

_REFERENCE_BANK_DIGITS = 8


@cache
def load(name: str) -> Any:
    """The parsed JSON data file ``resources/demo/<name>.json``."""
    text = files("luma_desktop.resources").joinpath("demo", f"{name}.json").read_text("utf-8")
    return json.loads(text)


def hhmm(value: str) -> time:
    """``"09:30"`` → ``time(9, 30)``."""
    hours, minutes = value.split(":")
    return time(int(hours), int(minutes))


def gb_iban(bank: str, sort_code: str, account: str) -> str:
    """A UK IBAN (GBkk BANK SORTCD ACCOUNT) with correct ISO 13616 mod-97 check digits."""
    bban = f"{bank}{sort_code}{account}"
    digits = "".join(str(int(ch, 36)) for ch in f"{bban}GB00")
    return f"GB{98 - int(digits) % 97:02d}{bban}"


@dataclass
class Seeder:
    """Everything the seeding steps share; ``add`` stamps rows with the business and a time."""

    session: Session
    rng: random.Random
    now: datetime
    """The clock's "now" in the business timezone."""
    business: Business
    counts: Counter[str] = field(default_factory=Counter)
    staff: dict[str, Staff] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)
    departments: dict[str, int] = field(default_factory=dict)
    resources: dict[str, Resource] = field(default_factory=dict)
    services: dict[str, Service] = field(default_factory=dict)
    service_staff: dict[str, list[str]] = field(default_factory=dict)
    working: dict[str, dict[int, tuple[time, time]]] = field(default_factory=dict)
    opening: dict[int, tuple[time, time]] = field(default_factory=dict)
    holiday: date | None = None
    featured_day: date | None = None
    clients: dict[str, Client] = field(default_factory=dict)
    """The named clients of the data files, by key (``sarah_miller``, ``alpine``...)."""
    client_list: list[Client] = field(default_factory=list)
    products: dict[str, Product] = field(default_factory=dict)
    discounts: dict[str, DiscountCode] = field(default_factory=dict)
    appointments: list[Appointment] = field(default_factory=list)
    invoices: list[Invoice] = field(default_factory=list)
    accounts: dict[str, BankAccount] = field(default_factory=dict)
    _codes: set[str] = field(default_factory=set)

    @property
    def tz(self) -> ZoneInfo:
        return zone(self.business.timezone)

    @property
    def today(self) -> date:
        return self.now.date()

    @property
    def currency(self) -> str:
        return self.business.currency

    def add(self, *rows: Base, created: datetime | None = None) -> None:
        """Stage ``rows`` in the business; rows without ``created_at`` get ``created`` or now."""
        for row in rows:
            if isinstance(row, TenantMixin):
                row.business_id = self.business.id
            if isinstance(row, TimestampMixin) and row.created_at is None:
                row.created_at = created or self.now
            self.counts[row.__tablename__] += 1
        self.session.add_all(rows)

    def flush(self) -> None:
        self.session.flush()

    def at(self, day: date, clock_time: time | str) -> datetime:
        """A local wall-clock time on ``day`` as an aware datetime."""
        value = hhmm(clock_time) if isinstance(clock_time, str) else clock_time
        return datetime.combine(day, value, tzinfo=self.tz)

    def local_day(self, moment: datetime) -> date:
        return moment.astimezone(self.tz).date()

    def days(self, count: int) -> date:
        """Today plus ``count`` days (negative for the past)."""
        return self.today + timedelta(days=count)

    def is_open(self, day: date) -> bool:
        return day.weekday() in self.opening and day != self.holiday

    def code(self, length: int = 6) -> str:
        """A fresh, readable code (no 0/O or 1/I/L), unique within this run."""
        while True:
            value = "".join(self.rng.choice(_CODE_ALPHABET) for _ in range(length))
            if value not in self._codes:
                self._codes.add(value)
                return value

    def uuid(self) -> str:
        """A UUID drawn from the run's random source (deterministic, unlike ``uuid4``)."""
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def account_number(self) -> str:
        return "".join(str(self.rng.randrange(10)) for _ in range(_REFERENCE_BANK_DIGITS))

    def money(self, low: str, high: str) -> int:
        """A random amount in minor units between two major-unit amounts."""
        return self.rng.randint(to_minor(Decimal(low)), to_minor(Decimal(high)))
