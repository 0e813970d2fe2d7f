"""A small salon diary that the scheduling tests share (and a check of the builder itself).

Acme Studio (Europe/London) opens Mon-Sat 09:00-18:00; "now" is Wed 18 Nov 2026 14:30.
Anna and Ben cut hair (60 min + 15 min buffer, £45); only Ben does colour (90 min, £80).
Sarah Miller has an e-mail address, Tom Jones only a mobile number.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from luma_desktop.workspace.database import Workspace
from luma_desktop.workspace.models import (
    Appointment,
    Client,
    Role,
    Service,
    ServiceStaff,
    Staff,
)
from luma_desktop.workspace.services import ServiceContext
from luma_desktop.workspace.services.scheduling import SchedulingService

from ..factories import add, make_business, make_client, make_service, make_staff

LONDON = ZoneInfo("Europe/London")
WED = date(2026, 11, 18)
THU = date(2026, 11, 19)
FRI = date(2026, 11, 20)
SUN = date(2026, 11, 22)


def at(day: date, clock: str, tz: ZoneInfo = LONDON) -> datetime:
    """A local aware datetime: ``at(THU, "10:30")``."""
    return datetime.combine(day, time.fromisoformat(clock), tzinfo=tz)


def hhmm(moment: datetime) -> str:
    return f"{moment:%H:%M}"


@dataclass
class Diary:
    workspace: Workspace
    context: ServiceContext
    anna: Staff
    ben: Staff
    cut: Service
    colour: Service
    sarah: Client
    tom: Client

    @property
    def service(self) -> SchedulingService:
        return SchedulingService(self.workspace, self.context)

    def acting_as(
        self, role: Role, *, client_id: int | None = None, staff_id: int | None = None
    ) -> SchedulingService:
        context = dataclasses.replace(
            self.context, role=role, client_id=client_id, staff_id=staff_id
        )
        return SchedulingService(self.workspace, context)

    def appointments(self) -> list[Appointment]:
        with self.workspace.transaction(self.context.business_id) as session:
            return list(session.scalars(sa.select(Appointment).order_by(Appointment.id)))

    def book(
        self,
        day: date,
        clock: str,
        *,
        staff: Staff | None = None,
        client: Client | None = None,
        service: Service | None = None,
    ) -> int:
        booking = self.service.create_appointment(
            (client or self.sarah).id,
            (service or self.cut).id,
            at(day, clock),
            staff=(staff or self.anna).id,
        )
        return booking.first.id


def make_diary(workspace: Workspace, *, slug: str = "acme", **business: object) -> Diary:
    context = make_business(workspace, slug=slug, **business)  # type: ignore[arg-type]
    anna = make_staff(workspace, context, "Anna")
    ben = make_staff(workspace, context, "Ben")
    cut = make_service(workspace, context, "Haircut", price_minor=4500, buffer_minutes=15)
    colour = make_service(workspace, context, "Colour", minutes=90, price_minor=8000)
    add(workspace, context, ServiceStaff(service_id=colour.id, staff_id=ben.id))
    sarah = make_client(workspace, context, "Sarah", "Miller", email="sarah@example.com")
    tom = make_client(workspace, context, "Tom", "Jones", phone="+447700900123")
    return Diary(workspace, context, anna, ben, cut, colour, sarah, tom)
