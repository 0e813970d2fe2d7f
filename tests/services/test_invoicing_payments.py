"""Payments, voiding, reminders, and the overdue/VAT/revenue reports."""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from luma_desktop.errors import Conflict, Invalid, NotFound
from luma_desktop.workspace.database import Workspace
from luma_desktop.workspace.models import (
    BankAccount,
    BankTransaction,
    Invoice,
    InvoiceStatus,
    OutboxItem,
    Payment,
    PaymentMethod,
)
from luma_desktop.workspace.services.invoicing import apply_payment

from ..factories import add, make_client
from .test_invoicing import TODAY, Shop, build_shop, issued, pdf_text


@pytest.fixture
def shop(workspace: Workspace, tmp_path: Path) -> Shop:
    return build_shop(workspace, tmp_path)


# ---- payments -----------------------------------------------------------------------------


def test_partial_payments_then_paid_in_full(shop: Shop) -> None:
    number = issued(shop, amount=10_000)
    first = shop.service.record_payment(number, 4000, method="card", reference="till 3")
    assert (first.invoice.status, first.invoice.paid_minor, first.invoice.balance_minor) == (
        InvoiceStatus.PARTIALLY_PAID,
        4000,
        6000,
    )
    assert first.invoice.paid_at is None
    payment = first.invoice.payments[0]
    assert (payment.method, payment.paid_on, payment.reference, payment.currency) == (
        PaymentMethod.CARD,
        TODAY,
        "till 3",
        "GBP",
    )

    last = shop.service.record_payment(
        number, 6000, method="Bank transfer", paid_on=TODAY - timedelta(days=1)
    )
    assert (last.invoice.status, last.invoice.balance_minor) == (InvoiceStatus.PAID, 0)
    assert last.invoice.paid_at == shop.context.now()
    assert [p.amount_minor for p in last.invoice.payments] == [6000, 4000]  # by date paid


def test_overpayment_is_refused_with_the_balance_and_writes_nothing(shop: Shop) -> None:
    number = issued(shop, amount=5000)
    shop.service.record_payment(number, 2000, method="cash")
    with pytest.raises(
        Invalid, match=re.escape("£40.00 is more than INV-0001 owes: its balance is £30.00")
    ):
        shop.service.record_payment(number, 4000, method="cash")
    shop.service.record_payment(number, 3000, method="cash")
    with pytest.raises(Invalid, match="already paid in full"):
        shop.service.record_payment(number, 1, method="cash")
    invoice = shop.service.get_invoice(number)
    assert (invoice.paid_minor, len(invoice.payments)) == (5000, 2)


BAD_PAYMENTS = [
    (0, {"method": "cash"}, "more than zero"),
    (-100, {"method": "cash"}, "more than zero"),
    (100, {"method": "cheque"}, "not a payment method"),
    (100, {"method": "cash", "paid_on": date(2026, 12, 1)}, "in the future"),
    (100, {"method": "cash", "reference": "x" * 201}, "200 characters"),
]


def test_bad_payments_are_refused_and_write_nothing(shop: Shop) -> None:
    number = issued(shop)
    for amount, options, text in BAD_PAYMENTS:
        with pytest.raises(Invalid, match=text):
            shop.service.record_payment(number, amount, **options)  # type: ignore[arg-type]
    assert shop.count(Payment) == 0
    assert shop.service.get_invoice(number).status is InvoiceStatus.SENT


def test_no_payments_on_drafts_or_void_invoices(shop: Shop) -> None:
    draft = shop.service.create_invoice("Sarah", [{"service": "Haircut"}])
    with pytest.raises(Conflict, match="still a draft"):
        shop.service.record_payment(draft.id, 100, method="cash")
    number = issued(shop)
    shop.service.void_invoice(number, "Wrong client")
    with pytest.raises(Conflict, match="is void"):
        shop.service.record_payment(number, 100, method="cash")
    assert shop.count(Payment) == 0


def test_remove_payment_undoes_it_and_recomputes_the_status(shop: Shop) -> None:
    number = issued(shop, amount=5000)
    part = shop.service.record_payment(number, 2000, method="cash")
    rest = shop.service.record_payment(number, 3000, method="cash")
    after = shop.service.remove_payment(rest.payment_id)
    assert (after.status, after.paid_minor, after.paid_at) == (
        InvoiceStatus.PARTIALLY_PAID,
        2000,
        None,
    )
    after = shop.service.remove_payment(part.payment_id)
    assert (after.status, after.paid_minor, after.payments) == (InvoiceStatus.SENT, 0, ())
    with pytest.raises(NotFound, match="payment"):
        shop.service.remove_payment(part.payment_id)


def test_apply_payment_works_inside_the_callers_transaction(shop: Shop) -> None:
    number = issued(shop, amount=5000)
    (account,) = add(shop.workspace, shop.context, BankAccount(name="Main", currency="GBP"))
    (txn,) = add(
        shop.workspace,
        shop.context,
        BankTransaction(account_id=account.id, booked_on=TODAY, amount_minor=5000, currency="GBP"),
    )
    with shop.workspace.transaction(shop.context.business_id) as session:
        invoice = session.scalars(sa.select(Invoice).where(Invoice.number == number)).one()
        payment = apply_payment(
            session,
            invoice,
            amount_minor=5000,
            method=PaymentMethod.BANK_TRANSFER,
            paid_on=TODAY,
            reference="FPS 123",
            bank_transaction_id=txn.id,
            now=shop.context.now(),
        )
        assert (invoice.status, payment.id is not None) == (InvoiceStatus.PAID, True)
        session.get_one(BankTransaction, txn.id).reconciled_invoice_id = invoice.id  # as banking
    detail = shop.service.get_invoice(number)
    assert detail.payments[0].bank_transaction_id == txn.id
    assert detail.balance_minor == 0
    assert shop.service.remove_payment(payment.id).status is InvoiceStatus.SENT
    with shop.workspace.transaction(shop.context.business_id) as session:
        assert session.get_one(BankTransaction, txn.id).reconciled_invoice_id is None
    shop.service.record_payment(number, 5000, method="bank_transfer")

    with shop.workspace.transaction(shop.context.business_id) as session:
        invoice = session.scalars(sa.select(Invoice).where(Invoice.number == number)).one()
        with pytest.raises(Invalid, match="already paid in full"):
            apply_payment(
                session,
                invoice,
                amount_minor=1,
                method=PaymentMethod.CASH,
                paid_on=TODAY,
                now=shop.context.now(),
            )


# ---- void ---------------------------------------------------------------------------------


def test_void_keeps_the_number_and_unvoid_restores_it(shop: Shop) -> None:
    number = issued(shop)
    change = shop.service.void_invoice(number, "  Sent to the wrong client ")
    assert (change.previous_status, change.status, change.number) == ("sent", "void", number)
    voided = shop.service.get_invoice(number)
    assert (voided.status, voided.void_reason, voided.voided_at) == (
        InvoiceStatus.VOID,
        "Sent to the wrong client",
        shop.context.now(),
    )
    assert shop.service.list_invoices(status="void")[0].number == "INV-0001"
    assert shop.service.create_invoice("Sarah", [{"service": "Haircut"}]).number == "INV-0002"
    with pytest.raises(Conflict, match="already void"):
        shop.service.void_invoice(number, "again")
    restored = shop.service.unvoid_invoice(number)
    assert restored.status == "sent"
    assert shop.service.get_invoice(number).void_reason is None


def test_void_refuses_drafts_payments_and_missing_reasons(shop: Shop) -> None:
    draft = shop.service.create_invoice("Sarah", [{"service": "Haircut"}])
    with pytest.raises(Conflict, match="delete it instead"):
        shop.service.void_invoice(draft.id, "not needed")
    number = issued(shop, amount=5000)
    with pytest.raises(Invalid, match="Say why"):
        shop.service.void_invoice(number, "  ")
    shop.service.record_payment(number, 1000, method="cash")
    with pytest.raises(Conflict, match="refund"):
        shop.service.void_invoice(number, "Client unhappy")
    shop.service.record_payment(number, 4000, method="cash")
    with pytest.raises(Conflict, match="refund"):
        shop.service.void_invoice(number, "Client unhappy")
    assert shop.service.get_invoice(number).status is InvoiceStatus.PAID
    with pytest.raises(Conflict, match="is not void"):
        shop.service.unvoid_invoice(number)


# ---- reminders ----------------------------------------------------------------------------


def test_reminders_for_all_overdue_skip_clients_without_email(shop: Shop) -> None:
    sarahs = issued(shop, amount=8000, due_in=0)
    toms = issued(shop, "Tom Jones", due_in=0)
    not_due = issued(shop, due_in=30)
    shop.service.record_payment(sarahs, 3000, method="cash")
    shop.advance(9)

    batch = shop.service.send_reminder(all_overdue=True)
    assert [(r.number, r.days_overdue, r.balance_minor, r.recipient) for r in batch.sent] == [
        (sarahs, 9, 5000, "sarah@example.com")
    ]
    assert [(s.number, s.reason) for s in batch.skipped] == [
        (toms, "Tom Jones has no e-mail address")
    ]
    with shop.workspace.transaction(shop.context.business_id) as session:
        item = session.get_one(OutboxItem, batch.sent[0].outbox_item_id)
        reminded = session.scalars(sa.select(Invoice).where(Invoice.number == sarahs)).one()
    assert item.subject == f"Reminder: invoice {sarahs} (9 days overdue)"
    assert "9 days overdue" in item.body
    assert "£50.00" in item.body
    assert "£80.00" in item.body
    assert len(item.attachments) == 1
    assert b"(Balance due)" in pdf_text(Path(item.attachments[0]).read_bytes())
    assert reminded.last_reminder_at == shop.context.now()
    assert shop.service.get_invoice(not_due).last_reminder_at is None

    again = shop.service.send_reminder(all_overdue=True)
    assert again.sent == ()
    assert {s.reason for s in again.skipped} == {
        "already reminded today",
        "Tom Jones has no e-mail address",
    }
    one = shop.service.send_reminder(sarahs)  # asked for by name: sent anyway
    assert [r.number for r in one.sent] == [sarahs]


def test_reminder_for_one_invoice_checks_its_state(shop: Shop) -> None:
    not_due = issued(shop, due_in=10)
    gentle = shop.service.send_reminder(not_due).sent[0]
    assert gentle.days_overdue == 0
    with pytest.raises(Invalid, match="Tom Jones has no e-mail"):
        shop.service.send_reminder(issued(shop, "Tom Jones"))
    draft = shop.service.create_invoice("Sarah", [{"service": "Haircut"}])
    with pytest.raises(Conflict, match="draft"):
        shop.service.send_reminder(draft.number)
    with pytest.raises(Invalid, match="not both"):
        shop.service.send_reminder(not_due, all_overdue=True)
    with pytest.raises(Invalid, match="not both"):
        shop.service.send_reminder()
    assert shop.count(OutboxItem) == 2  # the invoice sent + its reminder


# ---- reports ------------------------------------------------------------------------------


def test_overdue_summary_counts_totals_oldest_and_clients(shop: Shop) -> None:
    ann = make_client(shop.workspace, shop.context, "Ann", "Lee", email="ann@example.com")
    empty = shop.service.overdue_summary()
    assert (empty.count, empty.total_outstanding_minor, empty.oldest, empty.clients) == (
        0,
        0,
        None,
        (),
    )
    a = issued(shop, amount=10_000, due_in=0)
    issued(shop, amount=5000, due_in=3)
    issued(shop, "Ann Lee", amount=2500, due_in=1)
    issued(shop, amount=999, due_in=30)  # not overdue
    shop.service.record_payment(a, 4000, method="card")
    shop.advance(5)

    summary = shop.service.overdue_summary()
    assert (summary.count, summary.total_outstanding_minor, summary.currency) == (3, 13_500, "GBP")
    assert summary.outstanding_by_currency == {"GBP": 13_500}
    assert summary.oldest is not None
    assert (summary.oldest.number, summary.oldest.days_overdue) == (
        a,
        5,
    )
    assert [
        (c.client_name, c.count, c.outstanding_minor, c.max_days_overdue) for c in summary.clients
    ] == [("Sarah Miller", 2, 11_000, 5), ("Ann Lee", 1, 2500, 4)]
    assert summary.clients[1].client_id == ann.id


def test_tax_estimate_sums_vat_by_rate_for_invoices_issued_in_the_period(shop: Shop) -> None:
    def send(lines: list[dict[str, object]]) -> str:
        number = shop.service.create_invoice("Sarah", lines).number
        shop.service.send_invoice(number)
        return number

    send([{"service": "Haircut"}, {"service": "Children's cut"}])
    send([{"description": "Products", "quantity": 3, "unit_price_minor": 333}])
    void = send([{"service": "Haircut"}])
    shop.service.void_invoice(void, "duplicate")
    shop.service.create_invoice("Sarah", [{"service": "Haircut"}])  # draft: not counted
    shop.advance(20)
    send([{"service": "Haircut"}])  # next month

    estimate = shop.service.tax_estimate(date(2026, 11, 1), date(2026, 11, 30))
    assert [(r.vat_rate_bp, r.net_minor, r.vat_minor, r.invoice_count) for r in estimate.rates] == [
        (0, 2000, 0, 1),
        (2000, 4500 + 999, 900 + 200, 2),
    ]
    assert (estimate.invoice_count, estimate.net_minor, estimate.vat_minor) == (2, 7499, 1100)
    assert estimate.vat_registered
    assert estimate.currency == "GBP"
    december = shop.service.tax_estimate(date(2026, 12, 1), date(2026, 12, 31))
    assert (december.invoice_count, december.vat_minor) == (1, 900)
    with pytest.raises(Invalid, match="ends"):
        shop.service.tax_estimate(date(2026, 12, 1), date(2026, 11, 1))


def test_revenue_report_invoiced_against_paid_per_month_and_week(shop: Shop) -> None:
    first = issued(shop, amount=10_000)  # 18 Nov (a Wednesday)
    shop.service.record_payment(first, 2500, method="cash")
    shop.advance(14)  # 2 Dec
    issued(shop, amount=4000)
    shop.service.record_payment(first, 7500, method="card")

    months = shop.service.revenue_report(date(2026, 11, 1), date(2026, 12, 31))
    assert [(b.start, b.end, b.invoiced_minor, b.paid_minor) for b in months.buckets] == [
        (date(2026, 11, 1), date(2026, 11, 30), 10_000, 2500),
        (date(2026, 12, 1), date(2026, 12, 31), 4000, 7500),
    ]
    assert (months.invoiced_minor, months.paid_minor) == (14_000, 10_000)

    weeks = shop.service.revenue_report(date(2026, 11, 18), date(2026, 12, 3), granularity="week")
    assert [(b.start, b.end) for b in weeks.buckets] == [
        (date(2026, 11, 18), date(2026, 11, 22)),
        (date(2026, 11, 23), date(2026, 11, 29)),
        (date(2026, 11, 30), date(2026, 12, 3)),
    ]
    assert [(b.invoice_count, b.payment_count) for b in weeks.buckets] == [(1, 1), (0, 0), (1, 1)]
    with pytest.raises(Invalid, match="granularity"):
        shop.service.revenue_report(date(2026, 11, 1), date(2026, 11, 2), granularity="day")  # type: ignore[arg-type]
    with pytest.raises(Invalid, match="too long"):
        shop.service.revenue_report(date(2000, 1, 1), date(2026, 1, 1), granularity="week")
