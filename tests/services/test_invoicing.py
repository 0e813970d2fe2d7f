"""Invoices: numbering, lines and VAT, drafts, sending with a PDF, reads, roles and tenancy."""

from __future__ import annotations

import dataclasses
import re
import threading
import zlib
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
import sqlalchemy as sa

from luma_desktop.clock import FixedClock
from luma_desktop.errors import Conflict, Invalid, NotFound, PermissionDenied
from luma_desktop.workspace.database import Workspace
from luma_desktop.workspace.models import (
    Client,
    Invoice,
    InvoiceLine,
    InvoiceStatus,
    Message,
    OutboxItem,
    Product,
    Role,
    TaxSettings,
)
from luma_desktop.workspace.services import ServiceContext, Services
from luma_desktop.workspace.services.invoicing import InvoiceChanges, InvoicingService

from ..factories import add, make_business, make_client, make_service

TODAY = date(2026, 11, 18)  # the fixed NOW in Europe/London


@dataclass
class Shop:
    workspace: Workspace
    context: ServiceContext
    service: InvoicingService
    sarah: Client
    tom: Client
    docs: Path

    def as_role(self, role: Role, client_id: int | None = None) -> InvoicingService:
        context = dataclasses.replace(self.context, role=role, client_id=client_id)
        return InvoicingService(self.workspace, context, documents_dir=self.docs)

    def count(self, model: type[object]) -> int:
        with self.workspace.transaction(self.context.business_id) as session:
            return session.scalar(sa.select(sa.func.count()).select_from(model)) or 0

    def advance(self, days: int) -> None:
        clock = self.context.clock
        assert isinstance(clock, FixedClock)
        clock.advance(timedelta(days=days))


def build_shop(workspace: Workspace, tmp_path: Path) -> Shop:
    """A VAT-registered salon with two clients (Tom has no e-mail) and two services."""
    context = make_business(workspace)
    sarah = make_client(workspace, context, "Sarah", "Miller", email="sarah@example.com")
    tom = make_client(workspace, context, "Tom", "Jones")
    make_service(workspace, context, "Haircut", price_minor=4500, vat_rate_bp=2000)
    make_service(workspace, context, "Children's cut", price_minor=2000, vat_rate_bp=0)
    docs = tmp_path / "documents"
    return Shop(
        workspace,
        context,
        InvoicingService(workspace, context, documents_dir=docs),
        sarah,
        tom,
        docs,
    )


@pytest.fixture
def shop(workspace: Workspace, tmp_path: Path) -> Shop:
    return build_shop(workspace, tmp_path)


def issued(shop: Shop, client: str = "Sarah Miller", amount: int = 10_000, due_in: int = 14) -> str:
    """Create and send an invoice of ``amount`` net (no VAT) due in ``due_in`` days."""
    invoice = shop.service.create_invoice(
        client,
        [{"description": "Work", "unit_price_minor": amount, "vat_rate_bp": 0}],
        due_on=TODAY + timedelta(days=due_in) if due_in >= 0 else None,
    )
    if client == "Sarah Miller":
        shop.service.send_invoice(invoice.number)
    else:
        with shop.workspace.transaction(shop.context.business_id) as session:
            row = session.get_one(Invoice, invoice.id)
            row.status, row.issued_on = InvoiceStatus.SENT, shop.context.today()
    return invoice.number


def pdf_text(data: bytes) -> bytes:
    """The PDF's content streams, inflated (enough to find the text it draws)."""
    chunks = []
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", data, re.DOTALL):
        try:
            chunks.append(zlib.decompress(match.group(1)))
        except zlib.error:
            chunks.append(match.group(1))
    return b"\n".join(chunks)


# ---- numbering -----------------------------------------------------------------------------


def test_numbers_are_per_business_and_advance_the_tax_settings(shop: Shop) -> None:
    other = make_business(shop.workspace, slug="other")
    make_client(shop.workspace, other, "Ann", "Other")
    theirs = InvoicingService(shop.workspace, other)
    line = [{"description": "Consultation", "unit_price_minor": 5000}]

    first = shop.service.create_invoice("Sarah", line)
    second = shop.service.create_invoice("Tom Jones", line)
    elsewhere = theirs.create_invoice("Ann", line)

    assert (first.number, second.number, elsewhere.number) == ("INV-0001", "INV-0002", "INV-0001")
    with shop.workspace.transaction(shop.context.business_id) as session:
        assert session.scalars(sa.select(TaxSettings)).one().next_invoice_number == 3


def test_numbering_uses_the_prefix_and_skips_numbers_already_taken(shop: Shop) -> None:
    with shop.workspace.transaction(shop.context.business_id) as session:
        settings = session.scalars(sa.select(TaxSettings)).one()
        settings.invoice_prefix, settings.next_invoice_number = "ACME/", 7
        session.add(Invoice(number="ACME/0007", client_id=shop.tom.id, currency="GBP"))
    created = shop.service.create_invoice(
        shop.sarah.id, [{"description": "x", "unit_price_minor": 100}]
    )
    assert created.number == "ACME/0008"


def test_concurrent_creates_never_share_a_number(shop: Shop) -> None:
    numbers: list[str] = []
    errors: list[BaseException] = []

    def worker() -> None:
        service = InvoicingService(shop.workspace, shop.context)
        try:
            for _ in range(3):
                numbers.append(
                    service.create_invoice(
                        "Sarah", [{"description": "x", "unit_price_minor": 100}]
                    ).number
                )
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(numbers) == [f"INV-{n:04d}" for n in range(1, 13)]


def test_a_number_taken_between_check_and_insert_is_retried(shop: Shop) -> None:
    if shop.workspace.dialect != "postgresql":
        pytest.skip("needs a second writer while the first holds its transaction open")
    engine, taken = shop.workspace.engine, []
    invoices = Invoice.__table__

    def clash(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        if statement.startswith("INSERT INTO invoices") and not taken:
            taken.append(True)
            with engine.begin() as other:  # another desktop takes INV-0001 first
                other.execute(
                    invoices.insert().values(
                        business_id=shop.context.business_id,
                        number="INV-0001",
                        client_id=shop.tom.id,
                        currency="GBP",
                        status="draft",
                    )
                )

    sa.event.listen(engine, "before_cursor_execute", clash)
    try:
        created = shop.service.create_invoice("Sarah", [{"service": "Haircut"}])
    finally:
        sa.event.remove(engine, "before_cursor_execute", clash)
    assert taken
    assert created.number == "INV-0002"
    assert created.client_name == "Sarah Miller"
    with shop.workspace.transaction(shop.context.business_id) as session:
        assert session.scalars(sa.select(TaxSettings)).one().next_invoice_number == 3


# ---- lines, VAT, defaults -----------------------------------------------------------------


def test_vat_is_rounded_once_per_line(shop: Shop) -> None:
    one_line = shop.service.create_invoice(
        "Sarah",
        [
            {"description": "Shampoo", "quantity": 3, "unit_price_minor": 333, "vat_rate_bp": 2000},
        ],
    )
    three_lines = shop.service.create_invoice(
        "Sarah", [{"description": "Shampoo", "unit_price_minor": 333, "vat_rate_bp": 2000}] * 3
    )

    assert (one_line.subtotal_minor, one_line.tax_minor, one_line.total_minor) == (999, 200, 1199)
    assert [(ln.net_minor, ln.vat_minor) for ln in three_lines.lines] == [(333, 67)] * 3
    assert (three_lines.tax_minor, three_lines.total_minor) == (201, 1200)
    assert one_line.vat_by_rate[0].model_dump() == {
        "vat_rate_bp": 2000,
        "net_minor": 999,
        "vat_minor": 200,
        "invoice_count": 0,
    }


def test_lines_default_from_services_products_and_tax_settings(shop: Shop) -> None:
    add(
        shop.workspace,
        shop.context,
        Product(
            sku="SH-01", name="Argan shampoo", price_minor=1250, currency="GBP", vat_rate_bp=500
        ),
    )
    invoice = shop.service.create_invoice(
        "Sarah",
        [
            {"service": "haircut"},
            {"service": "Children's cut", "quantity": "2"},
            {"product": "sh-01", "quantity": Decimal("1.5")},
            {"description": "Travel", "unit_price_minor": 1000},
        ],
        notes="Thanks!",
    )
    rows = [
        (
            ln.description,
            ln.quantity,
            ln.unit_price_minor,
            ln.vat_rate_bp,
            ln.net_minor,
            ln.vat_minor,
        )
        for ln in invoice.lines
    ]
    assert rows == [
        ("Haircut", Decimal(1), 4500, 2000, 4500, 900),
        ("Children's cut", Decimal(2), 2000, 0, 4000, 0),
        ("Argan shampoo", Decimal("1.5"), 1250, 500, 1875, 94),
        ("Travel", Decimal(1), 1000, 2000, 1000, 200),
    ]
    assert invoice.total_minor == 4500 + 900 + 4000 + 1875 + 94 + 1000 + 200
    assert invoice.lines[0].service_id is not None
    assert invoice.lines[2].product_id is not None
    assert (invoice.status, invoice.currency, invoice.notes) == (
        InvoiceStatus.DRAFT,
        "GBP",
        "Thanks!",
    )
    assert invoice.due_on == TODAY + timedelta(days=14)
    assert invoice.issued_on is None


def test_a_business_not_registered_for_vat_charges_none(shop: Shop) -> None:
    with shop.workspace.transaction(shop.context.business_id) as session:
        session.scalars(sa.select(TaxSettings)).one().vat_registered = False
    invoice = shop.service.create_invoice("Sarah", [{"service": "Haircut"}])
    assert (invoice.tax_minor, invoice.total_minor) == (0, 4500)
    with pytest.raises(Invalid, match="not VAT-registered"):
        shop.service.create_invoice("Sarah", [{"service": "Haircut", "vat_rate_bp": 2000}])


BAD_INVOICES = [  # client, lines, keyword arguments, error, message
    ("Sarah", [], {}, Invalid, "at least one line"),
    (
        "Sarah",
        [{"description": "x", "unit_price_minor": 100, "quantity": 0}],
        {},
        Invalid,
        "quantity",
    ),
    ("Sarah", [{"description": "Mystery"}], {}, Invalid, "needs a unit price"),
    ("Sarah", [{"unit_price_minor": 100}], {}, Invalid, "needs a description"),
    (
        "Sarah",
        [{"description": "x", "unit_price_minor": 100, "vat_rate_bp": 20_000}],
        {},
        Invalid,
        "vat_rate_bp",
    ),
    ("Sarah", [{"description": "Refund", "unit_price_minor": -500}], {}, Invalid, "less than zero"),
    ("Sarah", [{"service": "Haircut", "product": 1}], {}, Invalid, "pick one"),
    ("Sarah", [{"service": "Haircut"}], {"currency": "EUR"}, Invalid, "priced in GBP"),
    ("Sarah", [{"service": "Massage"}], {}, NotFound, "Massage"),
    ("Nobody Atall", [{"service": "Haircut"}], {}, NotFound, "Nobody"),
    ("Sarah", [{"service": "Haircut"}], {"currency": "pounds"}, Invalid, "currency code"),
    ("Sarah", [{"service": "Haircut"}], {"due_on": date(2026, 11, 1)}, Invalid, "passed"),
    ("Sarah", [{"service": "Haircut", "colour": "red"}], {}, Invalid, "colour"),
]


def test_bad_invoices_are_refused_and_write_nothing(shop: Shop) -> None:
    for client, lines, extra, error, text in BAD_INVOICES:
        with pytest.raises(error, match=text):
            shop.service.create_invoice(client, lines, **extra)  # type: ignore[arg-type]
    assert shop.count(Invoice) == 0
    assert shop.count(InvoiceLine) == 0
    with shop.workspace.transaction(shop.context.business_id) as session:
        assert session.scalars(sa.select(TaxSettings)).one().next_invoice_number == 1


# ---- drafts -------------------------------------------------------------------------------


def test_update_replaces_lines_and_previous_undoes_it(shop: Shop) -> None:
    draft = shop.service.create_invoice("Sarah", [{"service": "Haircut"}], notes="Old")
    changed = shop.service.update_invoice(
        draft.number,
        {
            "lines": [{"description": "Colour", "unit_price_minor": 8000}],
            "due_on": date(2026, 12, 31),
            "notes": None,
        },
    )
    assert [ln.description for ln in changed.invoice.lines] == ["Colour"]
    assert (changed.invoice.total_minor, changed.invoice.due_on, changed.invoice.notes) == (
        9600,
        date(2026, 12, 31),
        None,
    )
    assert changed.previous.model_fields_set == {"lines", "due_on", "notes"}

    restored = shop.service.update_invoice(draft.id, changed.previous).invoice
    assert restored.lines[0].description == "Haircut"
    assert restored.lines[0].service_id
    assert (restored.total_minor, restored.due_on, restored.notes) == (5400, draft.due_on, "Old")


def test_only_drafts_can_be_edited_or_deleted(shop: Shop) -> None:
    number = issued(shop)
    with pytest.raises(Conflict, match="only drafts can be edited"):
        shop.service.update_invoice(number, InvoiceChanges(notes="late"))
    with pytest.raises(Conflict, match="can only be voided"):
        shop.service.delete_draft(number)
    draft = shop.service.create_invoice("Tom", [{"service": "Haircut"}])
    with pytest.raises(Invalid, match="what to change"):
        shop.service.update_invoice(draft.id, {})
    with pytest.raises(Invalid, match="passed"):
        shop.service.update_invoice(draft.id, {"due_on": date(2020, 1, 1)})
    assert shop.service.get_invoice(draft.id).due_on == draft.due_on
    assert shop.service.delete_draft(draft.number).status == "deleted"
    with pytest.raises(NotFound):
        shop.service.get_invoice(draft.id)
    assert shop.count(InvoiceLine) == 1  # only the issued invoice's line is left


# ---- sending ------------------------------------------------------------------------------


def test_send_issues_renders_a_pdf_and_queues_the_email(shop: Shop) -> None:
    with shop.workspace.transaction(shop.context.business_id) as session:
        session.scalars(sa.select(TaxSettings)).one().vat_number = "GB123456789"
    draft = shop.service.create_invoice("Sarah", [{"service": "Haircut"}])
    sent = shop.service.send_invoice("#1", message="See you next month!")

    invoice = shop.service.get_invoice(draft.id)
    assert (invoice.status, invoice.issued_on) == (InvoiceStatus.SENT, TODAY)
    assert invoice.sent_at == shop.context.now()
    pdf = Path(sent.pdf_path)
    assert pdf.parent.parent.parent == shop.docs
    assert pdf.name == "INV-0001.pdf"
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF-")
    assert data.rstrip().endswith(b"%%EOF")
    text = pdf_text(data)
    for expected in (
        "(INV-0001)",
        "(Acme Studio)",
        "(Sarah Miller)",
        "(Haircut)",
        "(Issued: 18 Nov 2026)",
        "(Due: 2 Dec 2026)",
        "(VAT 20%)",
        "(£54.00)",
        "(£9.00)",
        "VAT number GB123456789",
    ):
        assert expected.encode("cp1252") in text, expected
    with shop.workspace.transaction(shop.context.business_id) as session:
        item = session.get_one(OutboxItem, sent.outbox_item_id)
        message = session.get_one(Message, item.message_id)
    assert (item.recipient, item.attachments) == ("sarah@example.com", [str(pdf)])
    assert (item.related_type, item.related_id) == ("invoice", draft.id)
    assert item.subject == "Invoice INV-0001 from Acme Studio"
    assert "£54.00" in item.body
    assert "2 Dec 2026" in item.body
    assert "See you next month!" in item.body
    assert message.client_id == shop.sarah.id


def test_send_refuses_missing_emails_and_stale_due_dates_writing_nothing(shop: Shop) -> None:
    draft = shop.service.create_invoice("Tom", [{"service": "Haircut"}])
    with pytest.raises(Invalid, match="Tom Jones has no e-mail"):
        shop.service.send_invoice(draft.id)
    assert shop.service.get_invoice(draft.id).status is InvoiceStatus.DRAFT
    stale = shop.service.create_invoice("Sarah", [{"service": "Haircut"}], due_on=TODAY)
    shop.advance(1)
    with pytest.raises(Invalid, match="change the due date before sending"):
        shop.service.send_invoice(stale.id)
    assert shop.service.get_invoice(stale.id).issued_on is None
    assert shop.count(OutboxItem) == 0
    assert not shop.docs.exists()


def test_resend_is_a_new_email_but_paid_and_void_cannot_be_sent(shop: Shop) -> None:
    number = issued(shop, amount=3000)
    again = shop.service.send_invoice(number)
    assert shop.count(OutboxItem) == 2
    assert shop.service.get_invoice(number).issued_on == TODAY
    assert Path(again.pdf_path).exists()
    shop.service.record_payment(number, 3000, method="cash")
    with pytest.raises(Conflict, match="is paid"):
        shop.service.send_invoice(number)
    other = issued(shop)
    shop.service.void_invoice(other, "Duplicate")
    with pytest.raises(Conflict, match="is void"):
        shop.service.send_invoice(other)
    assert shop.count(OutboxItem) == 3


# ---- reads --------------------------------------------------------------------------------


def test_get_invoice_by_id_number_and_spoken_number(shop: Shop) -> None:
    invoicing = Services(shop.workspace, shop.context).invoicing  # as the app builds it
    created = invoicing.create_invoice("Sarah", [{"service": "Haircut"}])
    for reference in (created.id, "INV-0001", "inv-0001", "#1", "1", "no. 1"):
        assert invoicing.get_invoice(reference).id == created.id
    for missing in (999, "INV-0099", "#5"):
        with pytest.raises(NotFound, match="couldn't find invoice"):
            shop.service.get_invoice(missing)


def test_overdue_is_derived_from_the_due_date_at_today(shop: Shop) -> None:
    due_today = issued(shop, due_in=0)
    due_tomorrow = issued(shop, due_in=1)
    shop.advance(3)
    late_today = shop.service.get_invoice(due_today)
    assert (late_today.is_overdue, late_today.days_overdue) == (True, 3)
    assert shop.service.get_invoice(due_tomorrow).days_overdue == 2
    shop.advance(-3)
    now = shop.service.get_invoice(due_today)
    assert (now.is_overdue, now.days_overdue, now.status) == (False, 0, InvoiceStatus.SENT)
    assert shop.service.list_invoices(status="overdue") == []


def test_list_filters_by_status_client_and_period(shop: Shop) -> None:
    first = issued(shop, due_in=2)
    shop.advance(5)  # first is now 3 days overdue
    second = issued(shop, "Tom Jones")
    draft = shop.service.create_invoice("Sarah", [{"service": "Haircut"}]).number
    shop.service.record_payment(second, 2000, method="card")

    def numbers(**filters: object) -> list[str]:
        return [i.number for i in shop.service.list_invoices(**filters)]  # type: ignore[arg-type]

    assert numbers() == [draft, second, first]
    assert numbers(status="overdue") == [first]
    assert numbers(status="Partially paid") == [second]
    assert numbers(status="unpaid") == [second, first]
    assert numbers(status="draft") == [draft]
    assert numbers(client="Sarah Miller") == [draft, first]
    assert numbers(start=TODAY + timedelta(days=1)) == [draft, second]
    assert numbers(end=TODAY) == [first]
    summary = shop.service.list_invoices(status="overdue")[0]
    assert (summary.client_name, summary.balance_minor, summary.days_overdue) == (
        "Sarah Miller",
        10_000,
        3,
    )
    with pytest.raises(Invalid, match="not an invoice status"):
        shop.service.list_invoices(status="lost")
    with pytest.raises(Invalid, match="ends"):
        shop.service.list_invoices(start=TODAY, end=TODAY - timedelta(days=1))


# ---- roles and tenancy --------------------------------------------------------------------


def test_portal_clients_see_only_their_own_issued_invoices(shop: Shop) -> None:
    mine = issued(shop)
    my_draft = shop.service.create_invoice("Sarah", [{"service": "Haircut"}])
    toms = issued(shop, "Tom Jones")
    portal = shop.as_role(Role.CLIENT, client_id=shop.sarah.id)

    assert [i.number for i in portal.list_invoices()] == [mine]
    assert [i.number for i in portal.list_invoices(client="Tom Jones")] == [mine]
    assert portal.get_invoice(mine).number == mine
    toms_id = shop.service.get_invoice(toms).id
    for reference in (toms, toms_id, my_draft.id, my_draft.number):
        label = f"#{reference}" if isinstance(reference, int) else reference
        with pytest.raises(NotFound) as caught:
            portal.get_invoice(reference)
        assert str(caught.value) == f"I couldn't find invoice “{label}”."
    for write in (
        lambda: portal.send_invoice(mine),
        portal.overdue_summary,
        lambda: portal.record_payment(mine, 100, method="card"),
        portal.list_quotes,
    ):
        with pytest.raises(PermissionDenied):
            write()
    with pytest.raises(PermissionDenied, match="not linked"):
        shop.as_role(Role.CLIENT).list_invoices()


def test_staff_have_no_invoicing_and_managers_no_revenue_report(shop: Shop) -> None:
    staff = shop.as_role(Role.STAFF)
    with pytest.raises(PermissionDenied, match="Staff accounts"):
        staff.list_invoices()
    with pytest.raises(PermissionDenied):
        staff.create_invoice("Sarah", [{"service": "Haircut"}])
    manager = shop.as_role(Role.MANAGER)
    assert manager.create_invoice("Sarah", [{"service": "Haircut"}]).number == "INV-0001"
    with pytest.raises(PermissionDenied, match="owner or an admin"):
        manager.revenue_report(TODAY, TODAY)
    assert shop.as_role(Role.ADMIN).revenue_report(TODAY, TODAY).invoiced_minor == 0


def test_another_business_never_sees_or_touches_these_invoices(shop: Shop) -> None:
    number = issued(shop)
    invoice_id = shop.service.get_invoice(number).id
    other = make_business(shop.workspace, slug="other")
    theirs = InvoicingService(shop.workspace, other, documents_dir=shop.docs)
    assert theirs.list_invoices() == []
    assert theirs.overdue_summary().count == 0
    for reference in (invoice_id, number, "#1"):
        with pytest.raises(NotFound):
            theirs.get_invoice(reference)
    with pytest.raises(NotFound):
        theirs.record_payment(invoice_id, 100, method="cash")
    with pytest.raises(NotFound):
        theirs.void_invoice(number, "not mine")
    with pytest.raises(NotFound):
        theirs.create_invoice(shop.sarah.id, [{"description": "x", "unit_price_minor": 1}])
    assert shop.service.get_invoice(number).status is InvoiceStatus.SENT
