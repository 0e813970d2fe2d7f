"""Create, and re-create, the demo business: "Luma Hair & Beauty", a salon in London.

The data is deterministic (one ``random.Random(seed)``, no global randomness, no uuid4) and
relative to the clock's "now" in the business timezone, so the demo always looks current.
Everything happens in one transaction: the demo appears whole or not at all.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

import sqlalchemy as sa
from pydantic import BaseModel, ConfigDict
from sqlalchemy.orm import Session

from ...clock import Clock
from ...errors import Conflict
from ..database import Workspace
from ..models import Base, Business
from ..values import zone
from ._bank import seed_bank
from ._builder import Seeder, load
from ._calendar import seed_calendar
from ._content import seed_content
from ._money import seed_invoices, seed_quotes
from ._office import seed_office
from ._people import seed_clients
from ._setup import seed_configuration, seed_team
from ._shop import seed_orders, seed_products

__all__ = ["DEMO_SLUG", "DemoSummary", "reset_demo", "seed_demo"]

DEMO_SLUG = "demo-salon"
DEFAULT_SEED = 7


class DemoSummary(BaseModel):
    """What the demo seed created."""

    model_config = ConfigDict(frozen=True)

    business_id: int
    slug: str
    name: str
    seed: int
    today: date
    """"Today" in the business timezone when the demo was seeded."""
    featured_day: date
    """The day with bookings to show off: today, or the next open day when today is closed."""
    featured_appointments: int
    """Appointments on ``featured_day``."""
    holiday: date
    """The upcoming day the salon is closed for staff training."""
    counts: dict[str, int]
    """Rows created per table ("clients": 60, "appointments": 301, ...)."""

    @property
    def featured_is_today(self) -> bool:
        return self.featured_day == self.today

    def describe(self) -> str:
        """One line for people: the business and the main counts."""
        c = self.counts
        when = self.featured_day
        day = "today" if self.featured_is_today else f"on {when:%A} {when.isoformat()}"
        return (
            f"{self.name} ({self.slug}): {c.get('clients', 0)} clients, "
            f"{c.get('appointments', 0)} appointments ({self.featured_appointments} {day}), "
            f"{c.get('invoices', 0)} invoices, {c.get('bank_transactions', 0)} bank transactions"
        )

    def __str__(self) -> str:
        return self.describe()


def seed_demo(workspace: Workspace, *, clock: Clock, seed: int = DEFAULT_SEED) -> DemoSummary:
    """Create the demo business; :class:`Conflict` when the workspace already has one."""
    with workspace.transaction(None) as session:
        existing = _demo_businesses(session)
        if existing:
            raise Conflict(
                f"The demo business “{existing[0].name}” already exists in this workspace. "
                "Reset it (luma demo --reset) to create it afresh."
            )
        return _seed(session, clock, seed)


def reset_demo(workspace: Workspace, *, clock: Clock, seed: int = DEFAULT_SEED) -> DemoSummary:
    """Delete the demo business with every row it owns, then seed it again (one transaction)."""
    with workspace.transaction(None) as session:
        for business in _demo_businesses(session):
            _delete_business(session, business.id)
        session.expunge_all()
        return _seed(session, clock, seed)


def _demo_businesses(session: Session) -> list[Business]:
    query = sa.select(Business).where(Business.is_demo.is_(True)).order_by(Business.id)
    return list(session.scalars(query).all())


def _delete_business(session: Session, business_id: int) -> None:
    """Delete a business table by table, children first, without relying on cascades."""
    for table in reversed(Base.metadata.sorted_tables):
        column = table.c.get("business_id")
        if column is not None:
            session.execute(sa.delete(table).where(column == business_id))
    businesses = Base.metadata.tables["businesses"]
    session.execute(sa.delete(businesses).where(businesses.c.id == business_id))


def _seed(session: Session, clock: Clock, seed: int) -> DemoSummary:
    profile = load("salon")["business"]
    taken = session.scalar(sa.select(Business.name).where(Business.slug == profile["slug"]))
    if taken is not None:
        raise Conflict(
            f"The business “{taken}” already uses the address “{profile['slug']}”, so the demo "
            "business cannot be created in this workspace."
        )
    now = clock.now().astimezone(zone(profile["timezone"]))
    business = Business(**profile, is_demo=True, created_at=now - timedelta(days=720))
    session.add(business)
    session.flush()
    s = Seeder(session=session, rng=random.Random(seed), now=now, business=business)
    tax = seed_configuration(s)
    seed_team(s)
    seed_clients(s)
    seed_products(s)
    seed_calendar(s)
    seed_quotes(s, tax)
    seed_bank(s, seed_invoices(s, tax))
    seed_orders(s, tax)
    seed_office(s)
    seed_content(s)
    session.flush()
    assert s.featured_day is not None
    assert s.holiday is not None
    featured = sum(1 for a in s.appointments if s.local_day(a.starts_at) == s.featured_day)
    return DemoSummary(
        business_id=business.id,
        slug=business.slug,
        name=business.name,
        seed=seed,
        today=s.today,
        featured_day=s.featured_day,
        featured_appointments=featured,
        holiday=s.holiday,
        counts=dict(sorted(s.counts.items())),
    )
