"""Payments against invoices, applied inside the caller's transaction.

Banking reconciliation calls :func:`apply_payment` with a bank transaction id; the invoicing
service's ``record_payment`` uses the same function, so both follow the same rules.
"""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ....errors import Conflict, Invalid
from ...models import BankTransaction, Invoice, InvoiceStatus, Payment, PaymentMethod
from ...values import format_money

__all__ = ["apply_payment", "refresh_payment_status", "revert_payment"]

_PAYABLE = (InvoiceStatus.SENT, InvoiceStatus.PARTIALLY_PAID)


def apply_payment(
    session: Session,
    invoice: Invoice,
    *,
    amount_minor: int,
    method: PaymentMethod,
    paid_on: date,
    reference: str | None = None,
    bank_transaction_id: int | None = None,
    now: datetime,
) -> Payment:
    """Record ``amount_minor`` paid on ``invoice`` and update its status; returns the payment.

    Refuses (writing nothing) payments on drafts and void invoices, amounts of zero or less,
    more than the balance, and payment dates after ``now``'s date (pass ``context.now()``).
    """
    money = format_money(amount_minor, invoice.currency)
    if invoice.status is InvoiceStatus.DRAFT:
        raise Conflict(f"{invoice.number} is still a draft; send it before recording payments.")
    if invoice.status is InvoiceStatus.VOID:
        raise Conflict(f"{invoice.number} is void, so it cannot take payments.")
    if amount_minor <= 0:
        raise Invalid(f"A payment must be more than zero (got {money}).", field="amount")
    balance = invoice.total_minor - invoice.paid_minor
    if amount_minor > balance:
        owed = format_money(balance, invoice.currency)
        detail = "it is already paid in full" if balance <= 0 else f"its balance is {owed}"
        raise Invalid(f"{money} is more than {invoice.number} owes: {detail}.", field="amount")
    if paid_on > now.date():
        raise Invalid(f"The payment date {paid_on:%d %b %Y} is in the future.", field="paid_on")
    if reference is not None and len(reference) > 200:
        raise Invalid("A payment reference can be at most 200 characters.", field="reference")
    payment = Payment(
        invoice_id=invoice.id,
        amount_minor=amount_minor,
        currency=invoice.currency,
        method=PaymentMethod(method),
        paid_on=paid_on,
        reference=reference or None,
        bank_transaction_id=bank_transaction_id,
    )
    session.add(payment)
    invoice.paid_minor += amount_minor
    refresh_payment_status(invoice, now)
    session.flush()
    return payment


def revert_payment(session: Session, payment: Payment, *, now: datetime) -> Invoice:
    """Delete ``payment`` and recompute its invoice's paid amount and status (the inverse).

    A bank transaction that reconciled the invoice through this payment is un-reconciled.
    """
    invoice = session.get_one(Invoice, payment.invoice_id)
    if payment.bank_transaction_id is not None:
        transaction = session.get(BankTransaction, payment.bank_transaction_id)
        if transaction is not None and transaction.reconciled_invoice_id == invoice.id:
            transaction.reconciled_invoice_id = None
    session.delete(payment)
    session.flush()
    invoice.paid_minor = (
        session.scalar(
            sa.select(sa.func.coalesce(sa.func.sum(Payment.amount_minor), 0)).where(
                Payment.invoice_id == invoice.id
            )
        )
        or 0
    )
    refresh_payment_status(invoice, now)
    session.flush()
    return invoice


def refresh_payment_status(invoice: Invoice, now: datetime) -> None:
    """Status and ``paid_at`` of an issued invoice from its paid amount."""
    if invoice.status not in (*_PAYABLE, InvoiceStatus.PAID):
        return
    if invoice.paid_minor >= invoice.total_minor:
        if invoice.status is not InvoiceStatus.PAID:
            invoice.paid_at = now
        invoice.status = InvoiceStatus.PAID
        return
    invoice.paid_at = None
    invoice.status = InvoiceStatus.PARTIALLY_PAID if invoice.paid_minor else InvoiceStatus.SENT
