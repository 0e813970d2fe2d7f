"""Quotes: numbering, sending with a PDF, accept/decline/reopen, conversion into invoices."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from luma_desktop.errors import Conflict, Invalid, PermissionDenied
from luma_desktop.workspace.database import Workspace
from luma_desktop.workspace.models import (
    InvoiceStatus,
    OutboxItem,
    Quote,
    QuoteStatus,
    Role,
    TaxSettings,
)

from .test_invoicing import TODAY, Shop, build_shop, pdf_text


@pytest.fixture
def shop(workspace: Workspace, tmp_path: Path) -> Shop:
    return build_shop(workspace, tmp_path)


LINES = [
    {"service": "Haircut", "quantity": 2},
    {"description": "Styling", "unit_price_minor": 1999},
]


def test_quotes_are_numbered_with_their_own_prefix_and_valid_30_days(shop: Shop) -> None:
    with shop.workspace.transaction(shop.context.business_id) as session:
        session.scalars(sa.select(TaxSettings)).one().quote_prefix = "QU-"
    quote = shop.service.create_quote("Sarah", LINES, notes="Wedding party")
    second = shop.service.create_quote("Tom", LINES, valid_until=date(2026, 12, 1))
    invoice = shop.service.create_invoice("Sarah", LINES)

    assert (quote.number, second.number, invoice.number) == ("QU-0001", "QU-0002", "INV-0001")
    assert (quote.status, quote.valid_until, second.valid_until) == (
        QuoteStatus.DRAFT,
        TODAY + timedelta(days=30),
        date(2026, 12, 1),
    )
    assert (quote.subtotal_minor, quote.tax_minor, quote.total_minor) == (10_999, 2200, 13_199)
    assert [ln.description for ln in quote.lines] == ["Haircut", "Styling"]
    assert shop.service.get_quote("#1").notes == "Wedding party"


def test_bad_quotes_are_refused_and_write_nothing(shop: Shop) -> None:
    with pytest.raises(Invalid, match="has passed"):
        shop.service.create_quote("Sarah", LINES, valid_until=TODAY - timedelta(days=1))
    with pytest.raises(Invalid, match="at least one line"):
        shop.service.create_quote("Sarah", [])
    with pytest.raises(Invalid, match="line 1"):
        shop.service.create_quote("Sarah", [{"quantity": "lots"}])
    assert shop.count(Quote) == 0
    with pytest.raises(PermissionDenied):
        shop.as_role(Role.STAFF).create_quote("Sarah", LINES)


def test_send_quote_renders_a_pdf_and_queues_it(shop: Shop) -> None:
    quote = shop.service.create_quote("Sarah", LINES)
    sent = shop.service.send_quote(quote.number, message="Happy to adjust.")
    detail = shop.service.get_quote(quote.id)
    assert (detail.status, detail.issued_on, detail.sent_at) == (
        QuoteStatus.SENT,
        TODAY,
        shop.context.now(),
    )
    data = Path(sent.pdf_path).read_bytes()
    text = pdf_text(data)
    assert data.startswith(b"%PDF")
    assert b"(QUOTE)" in text
    assert b"(Q-0001)" in text
    assert "(£131.99)".encode("cp1252") in text
    assert b"(Valid until: 18 Dec 2026)" in text
    with shop.workspace.transaction(shop.context.business_id) as session:
        item = session.get_one(OutboxItem, sent.outbox_item_id)
    assert (item.recipient, item.attachments, item.related_type) == (
        "sarah@example.com",
        [sent.pdf_path],
        "quote",
    )
    assert "Happy to adjust." in item.body
    assert "18 Dec 2026" in item.body

    toms = shop.service.create_quote("Tom", LINES)
    with pytest.raises(Invalid, match="no e-mail"):
        shop.service.send_quote(toms.id)
    assert shop.service.get_quote(toms.id).status is QuoteStatus.DRAFT


def test_accept_decline_and_reopen(shop: Shop) -> None:
    quote = shop.service.create_quote("Sarah", LINES)
    shop.service.send_quote(quote.id)
    accepted = shop.service.accept_quote(quote.number)
    assert (accepted.previous_status, accepted.status) == ("sent", "accepted")
    with pytest.raises(Conflict, match="cannot be accepted"):
        shop.service.accept_quote(quote.number)
    assert shop.service.reopen_quote(quote.number).status == "sent"
    assert shop.service.decline_quote(quote.number).status == "declined"
    with pytest.raises(Conflict, match="only draft or sent"):
        shop.service.send_quote(quote.number)
    assert shop.service.reopen_quote(quote.number).status == "sent"
    draft = shop.service.create_quote("Tom", LINES)
    shop.service.decline_quote(draft.id)
    assert shop.service.reopen_quote(draft.id).status == "draft"


def test_expired_quotes_cannot_be_accepted_and_are_listed_as_expired(shop: Shop) -> None:
    quote = shop.service.create_quote("Sarah", LINES, valid_until=TODAY + timedelta(days=2))
    shop.service.send_quote(quote.id)
    fresh = shop.service.create_quote("Sarah", LINES)
    shop.advance(3)
    assert shop.service.get_quote(quote.id).is_expired
    assert [q.number for q in shop.service.list_quotes(status="expired")] == [quote.number]
    assert [q.number for q in shop.service.list_quotes(status="draft")] == [fresh.number]
    assert [q.number for q in shop.service.list_quotes()] == [fresh.number, quote.number]
    with pytest.raises(Conflict, match="expired on"):
        shop.service.accept_quote(quote.id)
    with pytest.raises(Conflict, match="create a new quote"):
        shop.service.send_quote(quote.id)
    with pytest.raises(Invalid, match="not a quote status"):
        shop.service.list_quotes(status="maybe")


def test_convert_quote_to_invoice_once(shop: Shop) -> None:
    quote = shop.service.create_quote("Sarah", LINES, notes="Bridal")
    shop.service.send_quote(quote.id)
    shop.service.accept_quote(quote.id)
    result = shop.service.convert_quote_to_invoice(quote.number)

    invoice = result.invoice
    assert (invoice.number, invoice.status, invoice.quote_id, invoice.notes) == (
        "INV-0001",
        InvoiceStatus.DRAFT,
        quote.id,
        "Bridal",
    )
    assert [(a.description, a.quantity, a.net_minor, a.vat_minor) for a in invoice.lines] == [
        (b.description, b.quantity, b.net_minor, b.vat_minor) for b in quote.lines
    ]
    assert (invoice.total_minor, invoice.due_on) == (13_199, TODAY + timedelta(days=14))
    assert (result.quote.status, result.quote.invoice_number) == (QuoteStatus.CONVERTED, "INV-0001")
    with pytest.raises(Conflict, match="already converted into INV-0001"):
        shop.service.convert_quote_to_invoice(quote.id)

    shop.service.delete_draft(invoice.id)  # the inverse: quote back to accepted
    assert shop.service.get_quote(quote.id).status is QuoteStatus.ACCEPTED
    assert shop.service.convert_quote_to_invoice(quote.id).invoice.number == "INV-0002"


def test_only_sent_or_accepted_quotes_convert_and_only_drafts_are_deleted(shop: Shop) -> None:
    draft = shop.service.create_quote("Sarah", LINES)
    with pytest.raises(Conflict, match="only sent or accepted"):
        shop.service.convert_quote_to_invoice(draft.id)
    sent = shop.service.create_quote("Sarah", LINES)
    shop.service.send_quote(sent.id)
    assert shop.service.convert_quote_to_invoice(sent.id).quote.status is QuoteStatus.CONVERTED
    with pytest.raises(Conflict, match="only drafts can be deleted"):
        shop.service.delete_draft_quote(sent.id)
    assert shop.service.delete_draft_quote(draft.number).status == "deleted"
    assert [q.number for q in shop.service.list_quotes()] == [sent.number]
