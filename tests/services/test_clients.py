"""ClientsService: search, profile, history, lists, engagement, single-client writes, roles."""

from __future__ import annotations

import dataclasses
import itertools
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from luma_desktop.errors import Conflict, Invalid, NotFound, PermissionDenied
from luma_desktop.workspace.database import Workspace
from luma_desktop.workspace.models import (
    Appointment,
    AppointmentStatus,
    Channel,
    Client,
    ClientNote,
    ClientTag,
    Direction,
    Invoice,
    InvoiceStatus,
    LeadStatus,
    Message,
    Payment,
    PaymentMethod,
    Role,
)
from luma_desktop.workspace.services import ServiceContext
from luma_desktop.workspace.services.clients import (
    WEIGHTS,
    ClientsService,
    EngagementLevel,
    EngagementStats,
    score_engagement,
)

from ..conftest import NOW
from ..factories import add, make_business, make_client, make_service, make_staff

_codes = itertools.count(1)


def book(
    workspace: Workspace,
    ctx: ServiceContext,
    client_id: int,
    service_id: int,
    *,
    days: float,
    status: AppointmentStatus = AppointmentStatus.COMPLETED,
    staff_id: int | None = None,
    code: str | None = None,
) -> Appointment:
    """An appointment ``days`` from NOW (negative = past)."""
    starts = NOW + timedelta(days=days)
    row = Appointment(
        client_id=client_id,
        service_id=service_id,
        staff_id=staff_id,
        starts_at=starts,
        ends_at=starts + timedelta(hours=1),
        status=status,
        confirmation_code=code or f"C{next(_codes):05d}",
        price_minor=5000,
        currency="GBP",
    )
    return add(workspace, ctx, row)[0]  # type: ignore[no-any-return]


def bill(
    workspace: Workspace,
    ctx: ServiceContext,
    client_id: int,
    number: str,
    total: int,
    *,
    paid: int = 0,
    status: InvoiceStatus = InvoiceStatus.SENT,
) -> Invoice:
    row = Invoice(
        number=number,
        client_id=client_id,
        status=status,
        currency="GBP",
        subtotal_minor=total,
        total_minor=total,
        paid_minor=paid,
        created_at=NOW - timedelta(days=5),
    )
    return add(workspace, ctx, row)[0]  # type: ignore[no-any-return]


def count_clients(workspace: Workspace, ctx: ServiceContext) -> int:
    with workspace.transaction(ctx.business_id) as session:
        return session.scalar(sa.select(sa.func.count()).select_from(Client)) or 0


@pytest.fixture
def ctx(workspace: Workspace) -> ServiceContext:
    return make_business(workspace)


@pytest.fixture
def svc(workspace: Workspace, ctx: ServiceContext, tmp_path: Path) -> ClientsService:
    return ClientsService(workspace, ctx, export_dir=tmp_path / "exports")


def as_role(workspace: Workspace, ctx: ServiceContext, role: Role, **ids: Any) -> ClientsService:
    return ClientsService(workspace, dataclasses.replace(ctx, role=role, **ids))


# ---------------------------------------------------------------- create


def test_create_normalises_phone_email_and_tags(svc: ClientsService) -> None:
    client = svc.create(
        "  Sarah ",
        "Miller",
        email="Sarah.Miller@Example.COM",
        phone="07911 123456",
        company="Miller & Co",
        source="instagram",
        lead_status="Prospect",
        birthday="23/04/1990",
        tags=[" VIP ", "vip", "Colour  Allergy"],
    )
    assert client.name == "Sarah Miller"
    assert client.email == "sarah.miller@example.com"
    assert client.phone == "+447911123456"
    assert client.lead_status is LeadStatus.PROSPECT
    assert client.birthday == date(1990, 4, 23)
    assert client.tags == ("colour allergy", "vip")
    assert client.created_at == NOW
    assert client.balance_minor == 0
    assert client.balance == "£0.00"


BAD_CREATE_INPUT: dict[str, tuple[dict[str, Any], str]] = {
    "bad-email": ({"email": "sarah@@example"}, "email"),
    "email-without-tld": ({"email": "sarah@example"}, "email"),
    "bad-phone": ({"phone": "12345"}, "phone"),
    "bad-lead-status": ({"lead_status": "hot"}, "lead_status"),
    "future-birthday": ({"birthday": "2030-01-01"}, "birthday"),
    "impossible-date": ({"birthday": "31/02/1990"}, "birthday"),
    "empty-tag": ({"tags": [" "]}, "tags"),
    "empty-first-name": ({"first_name": "   "}, "first_name"),
    "long-company": ({"company": "x" * 201}, "company"),
}


def test_create_rejects_bad_input_and_writes_nothing(
    svc: ClientsService, workspace: Workspace, ctx: ServiceContext
) -> None:
    for case, (fields, field) in BAD_CREATE_INPUT.items():
        with pytest.raises(Invalid) as error:
            svc.create(**{"first_name": "Sarah", "last_name": "Miller", **fields})
        assert error.value.field == field, case
    assert count_clients(workspace, ctx) == 0


@pytest.mark.parametrize(
    ("fields", "what"),
    [
        pytest.param({"first_name": "Tom", "email": "SARAH@example.com"}, "e-mail", id="email"),
        pytest.param({"first_name": "Tom", "phone": "+44 7911 123456"}, "phone", id="phone"),
        pytest.param({"first_name": "Sara", "last_name": "Miller"}, "name", id="similar-name"),
    ],
)
def test_create_duplicate_is_a_conflict_naming_the_existing_client(
    svc: ClientsService,
    workspace: Workspace,
    ctx: ServiceContext,
    fields: dict[str, Any],
    what: str,
) -> None:
    existing = svc.create("Sarah", "Miller", email="sarah@example.com", phone="07911123456")
    with pytest.raises(Conflict) as error:
        svc.create(**{"last_name": "Jones", **fields})
    assert "Sarah Miller" in error.value.message
    assert what in error.value.message
    assert error.value.suggestions == [f"Sarah Miller (#{existing.id}, sarah@example.com)"]
    assert count_clients(workspace, ctx) == 1
    created = svc.create(**{"last_name": "Jones", **fields}, allow_duplicate=True)
    assert created.id != existing.id


def test_create_different_people_with_the_same_first_name_are_not_duplicates(
    svc: ClientsService,
) -> None:
    svc.create("Sarah", "Miller")
    assert svc.create("Sarah", "Thompson").name == "Sarah Thompson"


def test_remove_created_erases_a_fresh_client_and_soft_deletes_one_with_history(
    svc: ClientsService,
    workspace: Workspace,
    ctx: ServiceContext,
) -> None:
    fresh = svc.create("Amy", "Pond", tags=["new"])
    used = svc.create("Rory", "Williams")
    book(workspace, ctx, used.id, make_service(workspace, ctx, "Cut").id, days=-3)
    assert svc.remove_created(fresh.id).hard_deleted is True
    assert svc.remove_created(used.id).hard_deleted is False
    with workspace.transaction(ctx.business_id) as session:
        rows = session.execute(sa.select(Client.id, Client.deleted_at)).all()
        assert [(cid, deleted is not None) for cid, deleted in rows] == [(used.id, True)]
        assert session.scalar(sa.select(sa.func.count()).select_from(ClientTag)) == 0


# ---------------------------------------------------------------- search / get / history


def test_search_is_fuzzy_over_name_email_phone_and_company(
    svc: ClientsService,
    workspace: Workspace,
    ctx: ServiceContext,
) -> None:
    sarah = svc.create(
        "Sarah", "Miller", email="sarah@example.com", phone="07911123456", tags=["vip"]
    )
    thompson = svc.create("Sarah", "Thompson", company="Thompson Florists", lead_status="lead")
    tom = svc.create("Tom", "Jones", phone="07400123456")
    gone = svc.create("Sarah", "Millerson", email="old@example.com", allow_duplicate=True)
    with workspace.transaction(ctx.business_id) as session:
        session.get(Client, gone.id).deleted_at = NOW  # type: ignore[union-attr]

    assert [c.id for c in svc.search("sara miler")][:1] == [sarah.id]
    assert [c.id for c in svc.search("sarah")] == [sarah.id, thompson.id]
    assert [c.id for c in svc.search("florists")] == [thompson.id]
    assert [c.id for c in svc.search("sarah@exa")] == [sarah.id]
    assert [c.id for c in svc.search("07400 123456")] == [tom.id]
    assert [c.id for c in svc.search("", tag="VIP")] == [sarah.id]
    assert [c.id for c in svc.search("sarah", lead_status="lead")] == [thompson.id]
    assert svc.search("zebra") == []
    exact = svc.search("Sarah Miller")[0]
    assert exact.id == sarah.id
    assert exact.score == 100.0
    assert exact.tags == ("vip",)
    with pytest.raises(Invalid):
        svc.search("x", limit=0)


def test_search_by_engagement_level(
    svc: ClientsService, workspace: Workspace, ctx: ServiceContext
) -> None:
    regular = make_client(workspace, ctx, "Rita", "Regular", created_at=NOW - timedelta(days=800))
    make_client(workspace, ctx, "Nina", "New", created_at=NOW)
    cut = make_service(workspace, ctx, "Cut")
    for month in range(12):
        book(workspace, ctx, regular.id, cut.id, days=-5 - 30 * month)
    invoice = bill(
        workspace, ctx, regular.id, "INV-0001", 120_000, paid=120_000, status=InvoiceStatus.PAID
    )
    add(
        workspace,
        ctx,
        Payment(
            invoice_id=invoice.id,
            amount_minor=120_000,
            currency="GBP",
            method=PaymentMethod.CARD,
            paid_on=NOW.date(),
        ),
    )
    vip = svc.search(engagement="vip")
    assert [(c.name, c.engagement) for c in vip] == [("Rita Regular", EngagementLevel.VIP)]
    assert [c.name for c in svc.search(engagement="COLD")] == ["Nina New"]
    with pytest.raises(Invalid, match="not an engagement level"):
        svc.search(engagement="lukewarm")


def test_get_profile_has_balance_last_and_next_appointment_and_notes(
    svc: ClientsService,
    workspace: Workspace,
    ctx: ServiceContext,
) -> None:
    anna = make_staff(workspace, ctx, "Anna")
    cut = make_service(workspace, ctx, "Haircut")
    client = svc.create("Sarah", "Miller", email="sarah@example.com", owner_staff="anna")
    book(workspace, ctx, client.id, cut.id, days=-30, staff_id=anna.id)
    last = book(workspace, ctx, client.id, cut.id, days=-2, staff_id=anna.id)
    book(workspace, ctx, client.id, cut.id, days=-1, status=AppointmentStatus.CANCELLED)
    upcoming = book(workspace, ctx, client.id, cut.id, days=3, status=AppointmentStatus.CONFIRMED)
    book(workspace, ctx, client.id, cut.id, days=1, status=AppointmentStatus.CANCELLED)
    bill(workspace, ctx, client.id, "INV-0001", 10_000)
    bill(
        workspace,
        ctx,
        client.id,
        "INV-0002",
        8_000,
        paid=3_000,
        status=InvoiceStatus.PARTIALLY_PAID,
    )
    bill(workspace, ctx, client.id, "INV-0003", 9_999, status=InvoiceStatus.DRAFT)
    bill(workspace, ctx, client.id, "INV-0004", 5_000, paid=5_000, status=InvoiceStatus.PAID)
    svc.add_note(client.id, "Prefers mornings", "preference")

    profile = svc.get("sarah miller")
    assert profile.owner_staff == "Anna"
    assert profile.last_appointment is not None
    assert profile.last_appointment.id == last.id
    assert profile.last_appointment.service == "Haircut"
    assert profile.last_appointment.staff == "Anna"
    assert profile.next_appointment is not None
    assert profile.next_appointment.id == upcoming.id
    assert profile.balance_minor == 15_000
    assert profile.balance == "£150.00"
    assert profile.notes_count == 1
    assert profile.last_appointment.starts_at.utcoffset() == timedelta(0)  # London in winter
    with pytest.raises(NotFound):
        svc.get("Zebedee")
    with pytest.raises(Invalid):
        svc.get(None)


def test_history_is_a_typed_timeline_newest_first(
    svc: ClientsService,
    workspace: Workspace,
    ctx: ServiceContext,
) -> None:
    cut = make_service(workspace, ctx, "Haircut")
    client = make_client(workspace, ctx, "Sarah", "Miller")
    book(workspace, ctx, client.id, cut.id, days=-20)
    invoice = bill(workspace, ctx, client.id, "INV-0007", 5_000)
    add(
        workspace,
        ctx,
        Payment(
            invoice_id=invoice.id,
            amount_minor=2_000,
            currency="GBP",
            method=PaymentMethod.BANK_TRANSFER,
            paid_on=(NOW - timedelta(days=3)).date(),
        ),
        Message(
            client_id=client.id,
            channel=Channel.SMS,
            direction=Direction.INBOUND,
            body="See you soon!",
            created_at=NOW - timedelta(days=1),
        ),
        ClientNote(
            client_id=client.id, body="Allergic to latex", created_at=NOW - timedelta(hours=2)
        ),
    )
    history = svc.history(client.id)
    assert [e.kind for e in history] == ["note", "message", "payment", "invoice", "appointment"]
    assert history[1].title == "SMS received"
    assert history[2].title == "Payment for INV-0007"
    assert history[2].detail == "£20.00 by bank transfer"
    assert [e.kind for e in svc.history(client.id, limit=2)] == ["note", "message"]
    assert [e.kind for e in svc.history(client.id, kinds=["invoice", "payment"])] == [
        "payment",
        "invoice",
    ]
    with pytest.raises(Invalid, match="not a kind"):
        svc.history(client.id, kinds=["letters"])  # type: ignore[list-item]


# ---------------------------------------------------------------- list


def test_list_filters_not_visited_and_sorts(
    svc: ClientsService,
    workspace: Workspace,
    ctx: ServiceContext,
) -> None:
    cut = make_service(workspace, ctx, "Cut")
    old = NOW - timedelta(days=400)
    recent = make_client(workspace, ctx, "Amy", "Adams", created_at=old)
    lapsed = make_client(workspace, ctx, "Bea", "Brown", created_at=old - timedelta(days=1))
    never = make_client(workspace, ctx, "Cat", "Clark", created_at=old + timedelta(days=1))
    fresh = make_client(
        workspace,
        ctx,
        "Dan",
        "Dunn",
        created_at=NOW - timedelta(days=5),
        lead_status=LeadStatus.LEAD,
    )
    book(workspace, ctx, recent.id, cut.id, days=-10)
    book(workspace, ctx, lapsed.id, cut.id, days=-120)
    book(workspace, ctx, lapsed.id, cut.id, days=-5, status=AppointmentStatus.NO_SHOW)

    page = svc.list_clients(not_visited_days=90)
    assert [c.id for c in page.items] == [lapsed.id, never.id]
    assert page.total == 2
    by_visit = svc.list(sort="last_visit", descending=True)
    assert [c.id for c in by_visit.items] == [recent.id, lapsed.id, never.id, fresh.id]
    assert by_visit.items[0].last_visit == NOW - timedelta(days=10)
    created = svc.list_clients(sort="created", descending=True, limit=2)
    assert [c.id for c in created.items] == [fresh.id, never.id]
    assert created.total == 4
    second = svc.list_clients(sort="name", limit=2, offset=2)
    assert [c.name for c in second.items] == ["Cat Clark", "Dan Dunn"]
    assert [c.id for c in svc.list_clients(lead_status="lead").items] == [fresh.id]
    with pytest.raises(Invalid):
        svc.list_clients(sort="shoe size")  # type: ignore[arg-type]
    with pytest.raises(Invalid):
        svc.list_clients(not_visited_days=-1)


def test_staff_see_only_their_own_clients_and_no_money(
    workspace: Workspace,
    ctx: ServiceContext,
) -> None:
    anna = make_staff(workspace, ctx, "Anna")
    ben = make_staff(workspace, ctx, "Ben")
    cut = make_service(workspace, ctx, "Cut")
    assigned = make_client(workspace, ctx, "Amy", "Adams", owner_staff_id=anna.id)
    booked = make_client(workspace, ctx, "Bea", "Brown")
    other = make_client(workspace, ctx, "Cat", "Clark", owner_staff_id=ben.id)
    book(workspace, ctx, booked.id, cut.id, days=-3, staff_id=anna.id)
    bill(workspace, ctx, assigned.id, "INV-0001", 5_000)
    staff = as_role(workspace, ctx, Role.STAFF, staff_id=anna.id)
    owner = ClientsService(workspace, ctx)

    assert {c.id for c in staff.list_clients().items} == {assigned.id, booked.id}
    assert {c.id for c in owner.list_clients(own_only=False).items} == {
        assigned.id,
        booked.id,
        other.id,
    }
    assert [c.id for c in owner.list_clients(owner_staff="Ben").items] == [other.id]
    assert [c.id for c in staff.search("c")] == []
    profile = staff.get("Amy Adams")
    assert profile.balance_minor is None
    assert profile.balance is None
    assert all(e.kind not in ("invoice", "payment") for e in staff.history(assigned.id))
    with pytest.raises(PermissionDenied, match="not one of your clients"):
        staff.get(other.id)
    with pytest.raises(NotFound):
        staff.get("Cat Clark")
    assert staff.add_note(booked.id, "Booked again").body == "Booked again"
    with pytest.raises(PermissionDenied):
        staff.create("New", "Person")
    with pytest.raises(PermissionDenied):
        staff.tag(assigned.id, add=["x"])
    with pytest.raises(Invalid, match="no staff record"):
        owner.list_clients(own_only=True)


# ---------------------------------------------------------------- engagement


@pytest.mark.parametrize(
    ("stats", "level", "score"),
    [
        pytest.param(
            EngagementStats(None, 0, 0, 0, 0, 0, 0, 0, 0), EngagementLevel.COLD, 13, id="brand-new"
        ),
        pytest.param(
            EngagementStats(200, 2, 10_000, 2, 1, 1, 1, 4, 400),
            EngagementLevel.WARM,
            35,
            id="occasional",
        ),
        pytest.param(
            EngagementStats(20, 6, 40_000, 10, 0, 2, 3, 4, 500),
            EngagementLevel.HOT,
            71,
            id="regular",
        ),
        pytest.param(
            EngagementStats(7, 14, 150_000, 30, 0, 0, 9, 8, 1000),
            EngagementLevel.VIP,
            100,
            id="vip",
        ),
    ],
)
def test_engagement_score_levels(
    stats: EngagementStats, level: EngagementLevel, score: int
) -> None:
    got_score, got_level, factors = score_engagement(stats)
    assert (got_score, got_level) == (score, level)
    assert [f.name for f in factors] == list(WEIGHTS)
    assert sum(WEIGHTS.values()) == 100
    assert all(0 <= f.value <= 1 and abs(f.points - f.weight * f.value) < 0.06 for f in factors)


def test_engagement_factors_follow_the_documented_formulas() -> None:
    stats = EngagementStats(
        days_since_last_visit=197,
        visits_last_year=3,
        spend_last_year_minor=25_000,
        completed=6,
        no_shows=1,
        cancellations=2,
        inbound_messages=2,
        outbound_messages=8,
        tenure_days=365,
    )
    _, _, factors = score_engagement(stats)
    values = {f.name: f.value for f in factors}
    assert values == {
        "recency": 0.501,
        "frequency": 0.25,
        "spend": 0.25,
        "punctuality": round(1 - 2 / 9, 3),
        "responsiveness": 0.25,
        "tenure": 0.5,
    }


def test_engagement_of_a_client_from_real_data(
    svc: ClientsService,
    workspace: Workspace,
    ctx: ServiceContext,
) -> None:
    cut = make_service(workspace, ctx, "Cut")
    client = make_client(workspace, ctx, "Sarah", "Miller", created_at=NOW - timedelta(days=365))
    book(workspace, ctx, client.id, cut.id, days=-10)
    book(workspace, ctx, client.id, cut.id, days=-40, status=AppointmentStatus.NO_SHOW)
    book(workspace, ctx, client.id, cut.id, days=5, status=AppointmentStatus.CONFIRMED)
    add(
        workspace,
        ctx,
        *[
            Message(
                client_id=client.id, channel=Channel.EMAIL, direction=Direction.OUTBOUND, body="Hi"
            )
            for _ in range(2)
        ],
        Message(
            client_id=client.id, channel=Channel.SMS, direction=Direction.INBOUND, body="Thanks"
        ),
    )
    result = svc.engagement("Sarah")
    factors = {f.name: f for f in result.factors}
    assert factors["recency"].value == 1.0
    assert factors["recency"].detail == "last visit 10 days ago"
    assert factors["frequency"].detail == "1 visit in a year"
    assert factors["punctuality"].value == 0.5
    assert factors["responsiveness"].value == 0.5
    assert factors["tenure"].value == 0.5
    assert result.score == 44
    assert result.level is EngagementLevel.WARM


# ---------------------------------------------------------------- update / notes / tags


def test_update_changes_fields_and_returns_previous_values_for_undo(
    svc: ClientsService,
) -> None:
    client = svc.create("Sarah", "Miller", email="sarah@example.com", phone="07911123456")
    result = svc.update(
        client.id,
        {
            "lead_status": "lost",
            "phone": "07400 123456",
            "email": "sarah@example.com",
            "birthday": "1990-04-23",
        },
    )
    assert result.changed == ("lead_status", "phone", "birthday")
    assert result.previous == {
        "lead_status": "customer",
        "phone": "+447911123456",
        "birthday": None,
    }
    assert result.client.phone == "+447400123456"
    undone = svc.update(client.id, result.previous)
    assert undone.client.lead_status is LeadStatus.CUSTOMER
    assert undone.client.phone == "+447911123456"
    assert undone.client.birthday is None


def test_update_rejects_bad_fields_and_duplicates_writing_nothing(svc: ClientsService) -> None:
    svc.create("Tom", "Jones", email="tom@example.com")
    client = svc.create("Sarah", "Miller", email="sarah@example.com")
    with pytest.raises(Invalid, match="can't change “shoe_size”"):
        svc.update(client.id, {"shoe_size": 38})
    with pytest.raises(Invalid) as error:
        svc.update(client.id, {"lead_status": "lost", "email": "nope"})
    assert error.value.field == "email"
    with pytest.raises(Conflict, match="Tom Jones"):
        svc.update(client.id, {"email": "TOM@example.com"})
    with pytest.raises(Invalid):
        svc.update(client.id, {})
    after = svc.get(client.id)
    assert (after.email, after.lead_status) == ("sarah@example.com", LeadStatus.CUSTOMER)


def test_add_note_and_delete_note(
    svc: ClientsService, workspace: Workspace, ctx: ServiceContext
) -> None:
    client = svc.create("Sarah", "Miller")
    note = svc.add_note("Sarah Miller", "  Called about colour  ", kind="CALL")
    assert (note.kind.value, note.body, note.client_id) == (
        "call",
        "Called about colour",
        client.id,
    )
    assert note.author_user_id == ctx.user_id
    with pytest.raises(Invalid, match="empty"):
        svc.add_note(client.id, "   ")
    with pytest.raises(Invalid, match="not a kind of note"):
        svc.add_note(client.id, "Hello", kind="gossip")
    assert svc.delete_note(note.id).id == note.id
    assert svc.get(client.id).notes_count == 0
    with pytest.raises(NotFound):
        svc.delete_note(note.id)


def test_tag_many_clients_and_undo_with_set_tags(svc: ClientsService) -> None:
    sarah = svc.create("Sarah", "Miller", tags=["colour"])
    tom = svc.create("Tom", "Jones")
    result = svc.tag([sarah.id, "Tom Jones"], add=[" Newsletter ", "VIP"], remove=["colour"])
    assert [(c.client_id, c.before, c.after) for c in result.changes] == [
        (sarah.id, ("colour",), ("newsletter", "vip")),
        (tom.id, (), ("newsletter", "vip")),
    ]
    svc.set_tags(result.previous)
    assert svc.get(sarah.id).tags == ("colour",)
    assert svc.get(tom.id).tags == ()
    with pytest.raises(Invalid, match="both added and removed"):
        svc.tag(sarah.id, add=["x"], remove=["X "])
    with pytest.raises(Invalid):
        svc.tag(sarah.id)
    with pytest.raises(NotFound):
        svc.tag([sarah.id, 999], add=["y"])
    assert svc.get(sarah.id).tags == ("colour",)


# ---------------------------------------------------------------- portal and tenancy


def test_portal_client_gets_and_updates_only_their_own_contact_fields(
    workspace: Workspace,
    ctx: ServiceContext,
) -> None:
    me = make_client(workspace, ctx, "Sarah", "Miller", email="sarah@example.com")
    other = make_client(workspace, ctx, "Tom", "Jones", email="tom@example.com")
    portal = as_role(workspace, ctx, Role.CLIENT, client_id=me.id)
    assert portal.get().id == me.id
    assert portal.get("sarah@example.com").id == me.id
    with pytest.raises(PermissionDenied):
        portal.get(other.id)
    with pytest.raises(PermissionDenied):
        portal.get("Tom Jones")
    updated = portal.update(None, {"phone": "07911 123456", "address": "1 High St"})
    assert updated.client.phone == "+447911123456"
    with pytest.raises(PermissionDenied, match="lead status"):
        portal.update(None, {"lead_status": "vip"})
    with pytest.raises(PermissionDenied):
        portal.update(other.id, {"phone": "07911 123456"})
    with pytest.raises(Conflict) as clash:
        portal.update(None, {"email": "tom@example.com"}, allow_duplicate=True)
    assert "Tom" not in clash.value.message
    for call in (
        lambda: portal.search("tom"),
        lambda: portal.history(me.id),
        portal.list_clients,
        lambda: portal.engagement(me.id),
        lambda: portal.add_note(me.id, "hi"),
    ):
        with pytest.raises(PermissionDenied):
            call()
    assert ClientsService(workspace, ctx).get(other.id).phone is None


def test_clients_of_another_business_are_invisible(
    workspace: Workspace, ctx: ServiceContext
) -> None:
    other_ctx = make_business(workspace, slug="other")
    theirs = make_client(workspace, other_ctx, "Sarah", "Miller", email="sarah@example.com")
    svc = ClientsService(workspace, ctx)
    assert svc.search("Sarah") == []
    assert svc.list_clients().total == 0
    with pytest.raises(NotFound):
        svc.get(theirs.id)
    with pytest.raises(NotFound):
        svc.update(theirs.id, {"lead_status": "lost"})
    created = svc.create("Sarah", "Miller", email="sarah@example.com")
    assert created.id != theirs.id
    assert ClientsService(workspace, other_ctx).get(theirs.id).lead_status is LeadStatus.CUSTOMER
