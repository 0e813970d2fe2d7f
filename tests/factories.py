"""Small builders for precise test data (the demo seed is for realistic data)."""

from __future__ import annotations

from datetime import time
from typing import Any

from luma_desktop.clock import Clock, FixedClock
from luma_desktop.workspace.database import Workspace
from luma_desktop.workspace.models import (
    Business,
    Client,
    OpeningHours,
    Role,
    Service,
    Staff,
    TaxSettings,
    User,
)
from luma_desktop.workspace.services import ServiceContext, Services

from .conftest import NOW


def make_business(
    workspace: Workspace,
    *,
    slug: str = "acme",
    name: str = "Acme Studio",
    timezone: str = "Europe/London",
    currency: str = "GBP",
    clock: Clock | None = None,
    role: Role = Role.OWNER,
) -> ServiceContext:
    """A business open Mon-Sat 9-18 with an owner user (and a user of ``role``); its context."""
    with workspace.transaction(None) as session:
        business = Business(slug=slug, name=name, timezone=timezone, currency=currency)
        session.add(business)
        session.flush()
        session.add(
            TaxSettings(business_id=business.id, vat_registered=True, default_vat_rate_bp=2000)
        )
        session.add_all(
            OpeningHours(business_id=business.id, weekday=d, opens=time(9), closes=time(18))
            for d in range(6)
        )
        owner = User(
            business_id=business.id,
            name="Olivia Owner",
            email=f"owner@{slug}.test",
            role=Role.OWNER,
        )
        session.add(owner)
        session.flush()
        user = owner
        if role is not Role.OWNER:
            user = User(
                business_id=business.id,
                name=f"{role.value} user",
                email=f"{role.value}@{slug}.test",
                role=role,
            )
            session.add(user)
            session.flush()
        return ServiceContext(
            business_id=business.id,
            user_id=user.id,
            role=role,
            timezone=timezone,
            currency=currency,
            clock=clock or FixedClock(NOW),
        )


def add(workspace: Workspace, context: ServiceContext, *rows: Any) -> list[Any]:
    """Insert ORM rows into the context's business; returns them with ids."""
    with workspace.transaction(context.business_id) as session:
        session.add_all(rows)
        session.flush()
        return list(rows)


def make_client(
    workspace: Workspace, context: ServiceContext, first: str, last: str, **fields: Any
) -> Client:
    return add(workspace, context, Client(first_name=first, last_name=last, **fields))[0]  # type: ignore[no-any-return]


def make_staff(workspace: Workspace, context: ServiceContext, name: str, **fields: Any) -> Staff:
    return add(workspace, context, Staff(name=name, **fields))[0]  # type: ignore[no-any-return]


def make_service(
    workspace: Workspace,
    context: ServiceContext,
    name: str,
    *,
    minutes: int = 60,
    price_minor: int = 5000,
    **fields: Any,
) -> Service:
    row = Service(
        name=name,
        duration_minutes=minutes,
        price_minor=price_minor,
        currency=context.currency,
        **fields,
    )
    return add(workspace, context, row)[0]  # type: ignore[no-any-return]


def services_for(workspace: Workspace, context: ServiceContext) -> Services:
    return Services(workspace, context)
