"""The salon's configuration: profile settings, hours, departments, resources, services, team."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from ..models import (
    Department,
    HoursException,
    OpeningHours,
    Resource,
    ResourceKind,
    Role,
    Service,
    ServiceStaff,
    Staff,
    Subscription,
    TaxSettings,
    User,
    UserDepartment,
    WorkingHours,
)
from ..values import to_minor
from ._builder import Seeder, hhmm, load

__all__ = ["seed_configuration", "seed_team"]

_HOLIDAY_AFTER_DAYS = 9


def seed_configuration(s: Seeder) -> TaxSettings:
    """Tax settings (returned: later steps advance its numbering), subscription, opening hours
    with a holiday, departments and resources."""
    data = load("salon")
    spec = data["tax"]
    tax = TaxSettings(
        vat_registered=True,
        vat_number=spec["vat_number"],
        default_vat_rate_bp=spec["default_vat_rate_bp"],
        invoice_prefix=spec["invoice_prefix"],
        quote_prefix=spec["quote_prefix"],
        order_prefix=spec["order_prefix"],
        payment_terms_days=spec["payment_terms_days"],
    )
    s.add(tax)
    plan = data["subscription"]
    renews = s.today.replace(day=1) + timedelta(days=32)
    s.add(
        Subscription(
            plan=plan["plan"],
            status=plan["status"],
            features=list(plan["features"]),
            renews_on=renews.replace(day=1),
            price_minor=to_minor(plan["price"]),
            currency=s.currency,
        )
    )
    for weekday, (opens, closes) in sorted(data["opening_hours"].items()):
        s.opening[int(weekday)] = (hhmm(opens), hhmm(closes))
        s.add(OpeningHours(weekday=int(weekday), opens=hhmm(opens), closes=hhmm(closes)))
    holiday = s.days(_HOLIDAY_AFTER_DAYS)
    while holiday.weekday() not in s.opening:
        holiday += timedelta(days=1)
    s.holiday = holiday
    s.add(HoursException(day=holiday, closed=True, reason=data["holiday_reason"]))
    departments = [Department(name=name) for name in data["departments"]]
    resources = [
        Resource(name=r["name"], kind=ResourceKind(r["kind"]), capacity=1, active=True)
        for r in data["resources"]
    ]
    s.add(*departments, *resources, created=s.now - timedelta(days=700))
    s.flush()
    s.departments = {d.name: d.id for d in departments}
    s.resources = {r.name: r for r in resources}
    return tax


def seed_team(s: Seeder) -> None:
    """Staff with working hours and users, services and who performs them."""
    data = load("salon")
    hired = s.now - timedelta(days=690)
    for spec in data["staff"]:
        s.staff[spec["key"]] = Staff(
            name=spec["name"],
            email=spec["email"],
            phone=spec["phone"],
            title=spec["title"],
            department_id=s.departments[spec["department"]],
            color=spec["color"],
            active=True,
        )
    for spec in data["services"]:
        s.services[spec["key"]] = _service(s, spec)
        s.service_staff[spec["key"]] = list(spec["staff"])
    s.add(*s.staff.values(), *s.services.values(), created=hired)
    s.flush()
    for spec in data["staff"]:
        _team_member(s, spec)
    for key, staff_keys in s.service_staff.items():
        s.add(
            *(
                ServiceStaff(service_id=s.services[key].id, staff_id=s.staff[k].id)
                for k in staff_keys
            )
        )
    s.flush()
    for spec in data["staff"]:
        user = s.users[spec["key"]]
        s.add(
            *(
                UserDepartment(user_id=user.id, department_id=s.departments[name])
                for name in spec["departments"]
            )
        )


def _service(s: Seeder, spec: dict[str, Any]) -> Service:
    return Service(
        name=spec["name"],
        description=spec["description"],
        category=spec["category"],
        duration_minutes=spec["minutes"],
        buffer_minutes=spec["buffer"],
        price_minor=to_minor(spec["price"]),
        currency=s.currency,
        vat_rate_bp=load("salon")["tax"]["default_vat_rate_bp"],
        active=True,
    )


def _team_member(s: Seeder, spec: dict[str, Any]) -> None:
    staff = s.staff[spec["key"]]
    hours = {int(day): (hhmm(a), hhmm(b)) for day, (a, b) in spec["hours"].items()}
    for weekday, (starts, ends) in hours.items():
        opens, closes = s.opening[weekday]
        if starts < opens or ends > closes:
            raise ValueError(f"{staff.name} works outside opening hours on weekday {weekday}")
    s.working[spec["key"]] = hours
    s.add(
        *(
            WorkingHours(staff_id=staff.id, weekday=day, starts=starts, ends=ends)
            for day, (starts, ends) in sorted(hours.items())
        )
    )
    user = User(
        name=staff.name,
        email=spec["email"],
        role=Role(spec["role"]),
        staff_id=staff.id,
        active=True,
    )
    s.users[spec["key"]] = user
    s.add(user, created=s.now - timedelta(days=300))
