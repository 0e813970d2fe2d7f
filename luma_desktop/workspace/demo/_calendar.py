"""The appointment book: blocked times, ~300 appointments around today, waitlist, booking links.

Appointments are laid out per staff member and day, one after another with the service's
buffer and a random gap, inside both the opening and the working hours, so nobody is ever
double-booked; a shared resource (the colour station) and the client are checked too.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from ..models import (
    Appointment,
    AppointmentStatus,
    BlockedTime,
    BookingLink,
    Client,
    LeadStatus,
    Service,
    WaitlistEntry,
    WaitlistStatus,
)
from ._builder import Seeder, load

__all__ = ["FUTURE_DAYS", "PAST_DAYS", "seed_calendar"]

PAST_DAYS = 56
FUTURE_DAYS = 21
_FEATURED_PER_STAFF = 4
_GAPS = (0, 0, 0, 15, 15, 30, 45, 60, 90)
_FEATURED_GAPS = (30, 60, 90, 120)
"""Wider gaps on the featured day, so its bookings spread over the whole day."""
_GRID_MINUTES = 15
_CANCEL_REASONS = (
    "Client unwell",
    "Clash with work",
    "Childcare fell through",
    "Rebooked for a later date",
    "Train strike",
)
_NOTES = ("First visit", "Patch test done", "Bringing reference photos", "Wants to go shorter")
# The clients who always have an upcoming appointment with a given staff member.
_PINNED = {"emma": ["sarah_miller", "portal_olivia"], "daniel": ["portal_marcus", "alpine"]}

Interval = tuple[datetime, datetime]


@dataclass
class _Book:
    """Who is busy when, while the appointments are laid out."""

    s: Seeder
    blocks: dict[str, list[Interval]]
    resource_busy: dict[int, list[Interval]] = field(default_factory=dict)
    client_busy: dict[int, list[Interval]] = field(default_factory=dict)
    pins: dict[str, list[str]] = field(
        default_factory=lambda: {key: list(clients) for key, clients in _PINNED.items()}
    )
    rows: list[Appointment] = field(default_factory=list)
    weights: dict[str, int] = field(default_factory=dict)
    home: dict[str, str] = field(default_factory=dict)
    """Staff key → the resource they normally work at."""
    station: dict[int, str] = field(default_factory=dict)
    """Service id → the resource it needs when free (the colour station)."""
    regulars: list[Client] = field(default_factory=list)

    def __post_init__(self) -> None:
        data = load("salon")
        self.weights = {spec["key"]: spec["weight"] for spec in data["services"]}
        self.home = {spec["key"]: spec["resource"] for spec in data["staff"]}
        self.station = {
            self.s.services[spec["key"]].id: spec["resource"]
            for spec in data["services"]
            if spec.get("resource")
        }
        self.regulars = _regulars(self.s)

    def fill(self, day: date, staff_key: str, hours: tuple[time, time], wanted: int) -> None:
        s = self.s
        cursor = _grid(s.at(day, hours[0]) + timedelta(minutes=s.rng.choice((0, 0, 15, 30, 60))))
        closing = s.at(day, hours[1])
        made = attempts = 0
        while made < wanted and attempts < 20:
            attempts += 1
            service = self._service_for(staff_key, cursor, closing)
            if service is None:
                return
            starts = cursor
            ends = starts + timedelta(minutes=service.duration_minutes)
            after = ends + timedelta(minutes=service.buffer_minutes)
            blocked = _overlap(self.blocks.get(staff_key, []), starts, after)
            if blocked is not None:
                cursor = _grid(blocked[1])
                continue
            resource_id = self._resource(staff_key, service, starts, after)
            client = None if resource_id is None else self._client(staff_key, starts, after)
            if resource_id is None or client is None:
                cursor += timedelta(minutes=_GRID_MINUTES)
                continue
            self._book(staff_key, service, client, resource_id, (starts, ends))
            self.resource_busy.setdefault(resource_id, []).append((starts, after))
            self.client_busy.setdefault(client.id, []).append((starts, after))
            made += 1
            gaps = _FEATURED_GAPS if day == s.featured_day else _GAPS
            cursor = _grid(after + timedelta(minutes=s.rng.choice(gaps)))

    def _service_for(self, staff_key: str, starts: datetime, closing: datetime) -> Service | None:
        s = self.s
        keys = [k for k, who in s.service_staff.items() if staff_key in who]
        fitting = [
            k for k in keys if starts + timedelta(minutes=s.services[k].duration_minutes) <= closing
        ]
        if not fitting:
            return None
        key = s.rng.choices(fitting, weights=[self.weights[k] for k in fitting])[0]
        return s.services[key]

    def _resource(
        self, staff_key: str, service: Service, starts: datetime, after: datetime
    ) -> int | None:
        s = self.s
        for name in (self.station.get(service.id), self.home[staff_key]):
            if name is None:
                continue
            resource = s.resources[name]
            if _overlap(self.resource_busy.get(resource.id, []), starts, after) is None:
                return resource.id
        return None

    def _client(self, staff_key: str, starts: datetime, after: datetime) -> Client | None:
        s = self.s
        pinned = self.pins.get(staff_key)
        if pinned and starts > s.now:
            client = s.clients[pinned[0]]
            if _overlap(self.client_busy.get(client.id, []), starts, after) is None:
                pinned.pop(0)
                return client
        regulars = self.regulars
        own = [c for c in regulars if c.owner_staff_id == s.staff[staff_key].id]
        for _ in range(6):
            pool = own if own and s.rng.random() < 0.55 else regulars
            client = s.rng.choice(pool)
            if _overlap(self.client_busy.get(client.id, []), starts, after) is None:
                return client
        return None

    def _book(
        self, staff_key: str, service: Service, client: Client, resource_id: int, slot: Interval
    ) -> None:
        s = self.s
        starts, ends = slot
        status = _status(s, starts, ends)
        created = starts - timedelta(days=s.rng.randint(1, 28), hours=s.rng.randint(0, 9))
        if created >= s.now:
            created = s.now - timedelta(hours=s.rng.randint(1, 72))
        creator = s.rng.choice(["priya", "priya", "priya", staff_key, None])
        if status is AppointmentStatus.REQUESTED:
            creator = None
        reminded = starts - timedelta(days=1)
        self.rows.append(
            Appointment(
                client_id=client.id,
                service_id=service.id,
                staff_id=s.staff[staff_key].id,
                resource_id=resource_id,
                starts_at=starts,
                ends_at=ends,
                status=status,
                confirmation_code=s.code(6),
                price_minor=service.price_minor,
                currency=service.currency,
                notes=s.rng.choice(_NOTES) if s.rng.random() < 0.1 else None,
                cancel_reason=(
                    s.rng.choice(_CANCEL_REASONS) if status is AppointmentStatus.CANCELLED else None
                ),
                reminder_sent_at=(
                    reminded
                    if reminded <= s.now and status is not AppointmentStatus.CANCELLED
                    else None
                ),
                created_by_user_id=s.users[creator].id if creator else None,
                created_at=created,
            )
        )


def seed_calendar(s: Seeder) -> None:
    """Blocked times, the appointments, a waitlist and booking links."""
    s.featured_day = next(s.days(k) for k in range(14) if s.is_open(s.days(k)))
    book = _Book(s, _blocked_times(s))
    for offset in range(-PAST_DAYS, FUTURE_DAYS + 1):
        day = s.days(offset)
        if not s.is_open(day):
            continue
        for staff_key, hours in s.working.items():
            if day.weekday() in hours:
                book.fill(day, staff_key, hours[day.weekday()], _how_many(s, day))
    book.rows.sort(key=lambda a: (a.starts_at, a.staff_id or 0))
    s.add(*book.rows)
    s.appointments = book.rows
    _waitlist(s)
    _booking_links(s)
    s.flush()


def _how_many(s: Seeder, day: date) -> int:
    """How many appointments a staff member gets on ``day`` (busier in the past)."""
    if day == s.featured_day:
        return _FEATURED_PER_STAFF
    offset = (day - s.today).days
    if offset < 0:
        return s.rng.choices((1, 2, 3), weights=(50, 37, 13))[0]
    if offset <= 7:
        return s.rng.choices((1, 2, 3), weights=(45, 40, 15))[0]
    if offset <= 14:
        return s.rng.choices((0, 1, 2), weights=(20, 50, 30))[0]
    return s.rng.choices((0, 1, 2), weights=(40, 45, 15))[0]


def _status(s: Seeder, starts: datetime, ends: datetime) -> AppointmentStatus:
    if ends <= s.now:
        if s.local_day(starts) == s.today:
            return AppointmentStatus.COMPLETED
        roll = s.rng.random()
        if roll < 0.05:
            return AppointmentStatus.NO_SHOW
        return AppointmentStatus.CANCELLED if roll < 0.15 else AppointmentStatus.COMPLETED
    if starts >= s.now and s.rng.random() < 0.18:
        return AppointmentStatus.REQUESTED
    return AppointmentStatus.CONFIRMED


def _regulars(s: Seeder) -> list[Client]:
    return [c for c in s.client_list if c.lead_status is LeadStatus.CUSTOMER]


def _grid(moment: datetime) -> datetime:
    """``moment`` rounded up to the quarter hour."""
    extra = (-moment.minute) % _GRID_MINUTES
    return moment.replace(second=0, microsecond=0) + timedelta(minutes=extra)


def _overlap(busy: list[Interval], starts: datetime, ends: datetime) -> Interval | None:
    return next((b for b in busy if b[0] < ends and starts < b[1]), None)


def _working_day(s: Seeder, staff_key: str, first: int, step: int) -> date:
    offset = first
    while not (s.is_open(s.days(offset)) and s.days(offset).weekday() in s.working[staff_key]):
        offset += step
    return s.days(offset)


def _blocked_times(s: Seeder) -> dict[str, list[Interval]]:
    """A dentist visit next week for Daniel and a past training morning for Chloe."""
    plans = [
        ("daniel", _working_day(s, "daniel", 3, 1), "14:00", "16:00", "Dentist appointment"),
        ("chloe", _working_day(s, "chloe", -10, -1), "09:00", "13:00", "Skincare training"),
    ]
    blocks: dict[str, list[Interval]] = {}
    for staff_key, day, starts, ends, reason in plans:
        interval = (s.at(day, starts), s.at(day, ends))
        blocks.setdefault(staff_key, []).append(interval)
        s.add(
            BlockedTime(
                staff_id=s.staff[staff_key].id,
                starts_at=interval[0],
                ends_at=interval[1],
                reason=reason,
            ),
            created=min(s.now, interval[0]) - timedelta(days=5),
        )
    return blocks


def _waitlist(s: Seeder) -> None:
    regulars = _regulars(s)
    saturday = s.today + timedelta(days=(5 - s.today.weekday()) % 7 or 7)
    entries = [
        ("balayage", "daniel", saturday, "Any time after 11am", WaitlistStatus.WAITING),
        ("facial", None, None, "Evenings only", WaitlistStatus.WAITING),
        ("colour", "emma", s.featured_day, None, WaitlistStatus.OFFERED),
    ]
    for service_key, staff_key, day, notes, status in entries:
        s.add(
            WaitlistEntry(
                client_id=s.rng.choice(regulars).id,
                service_id=s.services[service_key].id,
                staff_id=s.staff[staff_key].id if staff_key else None,
                preferred_day=day,
                notes=notes,
                status=status,
            ),
            created=s.now - timedelta(days=s.rng.randint(1, 6)),
        )


def _booking_links(s: Seeder) -> None:
    site = load("salon")["business"]["website_url"]
    links = [BookingLink(code=s.code(8), url="")]
    links += [BookingLink(code=s.code(8), staff_id=st.id, url="") for st in s.staff.values()]
    links.append(BookingLink(code=s.code(8), service_id=s.services["facial"].id, url=""))
    for link in links:
        link.url = f"{site}/book/{link.code}"
    s.add(*links)
