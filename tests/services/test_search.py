"""SearchService: global search across kinds and reference lookup; clients query counts."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
import sqlalchemy as sa

from luma_desktop.errors import Ambiguous, Invalid, NotFound, PermissionDenied
from luma_desktop.workspace.database import Workspace
from luma_desktop.workspace.models import (
    Appointment,
    AppointmentStatus,
    Client,
    Document,
    Note,
    Order,
    Product,
    Quote,
    Role,
    Task,
)
from luma_desktop.workspace.services import ServiceContext
from luma_desktop.workspace.services.clients import ClientsService
from luma_desktop.workspace.services.search import SearchService

from ..conftest import NOW
from ..factories import add, make_business, make_client, make_service, make_staff
from .test_clients import bill, book


@dataclass
class Shop:
    workspace: Workspace
    ctx: ServiceContext
    ids: dict[str, int]

    def search(self, **changes: Any) -> SearchService:
        return SearchService(self.workspace, dataclasses.replace(self.ctx, **changes))


@pytest.fixture
def shop(workspace: Workspace) -> Shop:
    ctx = make_business(workspace)
    anna = make_staff(workspace, ctx, "Anna")
    ben = make_staff(workspace, ctx, "Ben")
    sarah = make_client(workspace, ctx, "Sarah", "Miller", email="sarah@example.com")
    thompson = make_client(workspace, ctx, "Sarah", "Thompson")
    tom = make_client(workspace, ctx, "Tom", "Jones", company="Jones Builders")
    haircut = make_service(workspace, ctx, "Haircut")
    colour = make_service(workspace, ctx, "Colour")
    cut = book(
        workspace,
        ctx,
        sarah.id,
        haircut.id,
        days=2,
        staff_id=anna.id,
        code="ABC234",
        status=AppointmentStatus.CONFIRMED,
    )
    tint = book(workspace, ctx, tom.id, colour.id, days=-3, staff_id=ben.id, code="XYZ789")
    ours = add(
        workspace,
        ctx,
        Appointment(
            id=42,
            client_id=thompson.id,
            service_id=colour.id,
            staff_id=ben.id,
            starts_at=NOW + timedelta(days=9),
            ends_at=NOW + timedelta(days=9, hours=1),
            confirmation_code="QRS456",
            currency="GBP",
        ),
    )[0]
    inv42 = bill(workspace, ctx, sarah.id, "INV-0042", 12_000)
    inv1 = bill(workspace, ctx, tom.id, "INV-0001", 3_000)
    task = Task(title="Order more shampoo", assignee_user_id=ctx.user_id)
    rows = add(
        workspace,
        ctx,
        Quote(number="Q-0007", client_id=tom.id, currency="GBP", total_minor=90_000),
        Order(number="ORD-0003", client_id=sarah.id, currency="GBP", total_minor=2_500),
        Document(
            title="Consent form",
            client_id=sarah.id,
            text_content="A patch test is required 48 hours before colouring.",
        ),
        Document(title="Price list", text_content="Haircut 45"),
        Product(
            sku="SH-001", name="Argan Oil Shampoo", price_minor=1_800, currency="GBP", stock=12
        ),
        task,
        Task(title="Renew insurance"),
        Note(title="Supplier call", body="Discussed argan oil prices with the wholesaler."),
    )
    ids = {
        "sarah": sarah.id,
        "thompson": thompson.id,
        "tom": tom.id,
        "cut": cut.id,
        "tint": tint.id,
        "a42": ours.id,
        "inv42": inv42.id,
        "inv1": inv1.id,
        "quote": rows[0].id,
        "order": rows[1].id,
        "consent": rows[2].id,
        "prices": rows[3].id,
        "shampoo": rows[4].id,
        "task": task.id,
        "insurance": rows[6].id,
        "note": rows[7].id,
        "anna": anna.id,
    }
    return Shop(workspace, ctx, ids)


def kinds_and_ids(results: object) -> list[tuple[str, int]]:
    return [(h.kind, h.id) for h in results.hits]  # type: ignore[attr-defined]


# ---------------------------------------------------------------- search_global


def test_search_global_finds_every_kind(shop: Shop) -> None:
    svc, ids = shop.search(), shop.ids
    assert kinds_and_ids(svc.search_global("shampoo")) == [
        ("product", ids["shampoo"]),
        ("task", ids["task"]),
    ]
    assert kinds_and_ids(svc.search_global("argan")) == [
        ("product", ids["shampoo"]),
        ("note", ids["note"]),
    ]
    assert kinds_and_ids(svc.search_global("patch test")) == [("document", ids["consent"])]
    assert kinds_and_ids(svc.search_global("consent")) == [("document", ids["consent"])]
    assert kinds_and_ids(svc.search_global("INV-0042")) == [("invoice", ids["inv42"])]
    assert kinds_and_ids(svc.search_global("abc234")) == [("appointment", ids["cut"])]
    assert kinds_and_ids(svc.search_global("sh-001")) == [("product", ids["shampoo"])]
    assert kinds_and_ids(svc.search_global("Q-0007")) == [("quote", ids["quote"])]
    haircut = svc.search_global("haircut")
    assert kinds_and_ids(haircut) == [("appointment", ids["cut"]), ("document", ids["prices"])]
    assert haircut.hits[0].label == "Haircut for Sarah Miller"
    assert haircut.hits[0].detail == "Fri 20 Nov 2026 14:30, confirmed, code ABC234"
    jones = svc.search_global("jones builders")
    assert kinds_and_ids(jones)[0] == ("client", ids["tom"])
    assert {k for k, _ in kinds_and_ids(jones)} == {"client", "appointment", "invoice", "quote"}
    assert jones.counts["quote"] == 1


def test_search_global_ranks_exact_matches_first(shop: Shop) -> None:
    svc, ids = shop.search(), shop.ids
    exact = svc.search_global("Sarah Miller", kinds=["client"])
    assert next((h.id, h.score) for h in exact.hits) == (ids["sarah"], 100.0)
    assert all(h.score < 100 for h in exact.hits[1:])
    typo = svc.search_global("sarah milller", kinds=["client"])
    assert typo.hits[0].id == ids["sarah"]
    everything = svc.search_global("sarah")
    assert everything.hits[0].kind == "client"
    assert [h.score for h in everything.hits] == sorted(
        (h.score for h in everything.hits), reverse=True
    )
    limited = svc.search_global("sarah", limit_per_kind=1)
    assert [h.kind for h in limited.hits].count("client") == 1
    assert limited.counts["client"] == 2


BAD_SEARCHES: list[tuple[str, dict[str, Any], str]] = [
    ("  ", {}, "query"),
    ("x", {"limit_per_kind": 0}, "limit_per_kind"),
    ("x", {"kinds": ["invoices", "spaceships"]}, "kinds"),
]


def test_search_global_bad_input(shop: Shop) -> None:
    for query, options, field in BAD_SEARCHES:
        with pytest.raises(Invalid) as error:
            shop.search().search_global(query, **options)
        assert error.value.field == field


def test_search_respects_staff_scope_and_refuses_portal_clients(shop: Shop) -> None:
    ids = shop.ids
    staff = shop.search(role=Role.STAFF, staff_id=ids["anna"], user_id=None)
    found = kinds_and_ids(staff.search_global("sarah"))
    assert found == [("client", ids["sarah"]), ("appointment", ids["cut"])]
    assert staff.search_global("INV-0042").hits == ()
    assert staff.search_global("tom jones").hits == ()
    assert staff.search_global("insurance").hits == ()
    with pytest.raises(NotFound):
        staff.lookup_reference("INV-0042")
    with pytest.raises(NotFound):
        staff.lookup_reference("XYZ789")
    assert staff.lookup_reference("ABC234").id == ids["cut"]
    portal = shop.search(role=Role.CLIENT, client_id=ids["sarah"])
    with pytest.raises(PermissionDenied):
        portal.search_global("sarah")
    with pytest.raises(PermissionDenied):
        portal.lookup_reference("INV-0042")


def test_search_never_shows_another_business(shop: Shop) -> None:
    other = make_business(shop.workspace, slug="other")
    make_client(shop.workspace, other, "Sarah", "Millerson")
    bill(
        shop.workspace, other, make_client(shop.workspace, other, "Zed", "Zee").id, "INV-0077", 100
    )
    svc = shop.search()
    assert {h.id for h in svc.search_global("sarah", kinds=["client"]).hits} == {
        shop.ids["sarah"],
        shop.ids["thompson"],
    }
    assert svc.search_global("zed").hits == ()
    with pytest.raises(NotFound):
        svc.lookup_reference("INV-0077")
    theirs = SearchService(shop.workspace, other)
    assert kinds_and_ids(theirs.search_global("INV-0077"))[0][0] == "invoice"


# ---------------------------------------------------------------- lookup_reference


LOOKUPS = {
    "INV-0042": ("invoice", "inv42"),
    "inv 42": ("invoice", "inv42"),
    "invoice 42": ("invoice", "inv42"),
    "Q-7": ("quote", "quote"),
    "ORD-0003": ("order", "order"),
    "abc234": ("appointment", "cut"),
    "#3": ("order", "order"),
}


def test_lookup_reference_finds_the_record(shop: Shop) -> None:
    svc = shop.search()
    found = {text: (m.kind, m.id) for text in LOOKUPS for m in [svc.lookup_reference(text)]}
    assert found == {text: (kind, shop.ids[key]) for text, (kind, key) in LOOKUPS.items()}


def test_lookup_reference_labels_and_ambiguity(shop: Shop) -> None:
    svc = shop.search()
    invoice = svc.lookup_reference("INV-0042")
    assert (invoice.label, invoice.detail) == ("Invoice INV-0042", "Sarah Miller, sent, £120.00")
    with pytest.raises(Ambiguous) as error:
        svc.lookup_reference("#42")
    candidates = error.value.candidates
    assert [(c.extra["kind"], c.id) for c in candidates] == [
        ("invoice", shop.ids["inv42"]),
        ("appointment", shop.ids["a42"]),
    ]
    assert candidates[1].label == "Appointment #42: Colour for Sarah Thompson"
    assert "INV-0042" in error.value.message


def test_lookup_reference_refuses_unknown_references(shop: Shop) -> None:
    svc = shop.search()
    for text in ("INV-9999", "ZZZ999", "hello there", "#777"):
        with pytest.raises(NotFound):
            svc.lookup_reference(text)
    with pytest.raises(Invalid):
        svc.lookup_reference(" ")


# ---------------------------------------------------------------- no N+1


@contextmanager
def counted(workspace: Workspace) -> Iterator[list[str]]:
    statements: list[str] = []

    def record(*args: object) -> None:
        statements.append(str(args[2]))

    sa.event.listen(workspace.engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        sa.event.remove(workspace.engine, "before_cursor_execute", record)


def test_query_counts_do_not_grow_with_the_data(shop: Shop) -> None:
    ws, ctx = shop.workspace, shop.ctx
    clients = ClientsService(ws, ctx)
    search = shop.search()

    def run() -> list[int]:
        counts = []
        for call in (
            lambda: search.search_global("sarah"),
            lambda: clients.search("sarah", engagement="cold"),
            lambda: clients.list_clients(sort="last_visit", limit=200),
            lambda: clients.history(shop.ids["sarah"]),
        ):
            with counted(ws) as statements:
                call()
            counts.append(len(statements))
        return counts

    before = run()
    service = make_service(ws, ctx, "Blow dry")
    many = add(
        ws,
        ctx,
        *[
            Client(
                first_name=f"Sarah{i}", last_name=f"Person{i}", created_at=NOW - timedelta(days=i)
            )
            for i in range(300)
        ],
    )
    add(
        ws,
        ctx,
        *[
            Appointment(
                id=1000 + i,
                client_id=c.id,
                service_id=service.id,
                starts_at=NOW - timedelta(days=i, hours=1),
                ends_at=NOW - timedelta(days=i),
                confirmation_code=f"N{i:05d}",
                currency="GBP",
            )
            for i, c in enumerate(many * 2)
        ],
    )
    assert run() == before
    assert len(clients.list_clients(limit=500).items) == 303
