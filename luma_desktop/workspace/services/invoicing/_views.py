"""Inputs and frozen outputs of the invoicing service, and their builders from ORM rows."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal, TypeVar

import sqlalchemy as sa
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from sqlalchemy.orm import Session

from ....errors import Invalid
from ...models import (
    Client,
    Invoice,
    InvoiceLine,
    InvoiceStatus,
    Payment,
    PaymentMethod,
    Quote,
    QuoteLine,
    QuoteStatus,
)
from .._references import Ref

__all__ = [
    "ConversionResult",
    "InvoiceChanges",
    "InvoiceDetail",
    "InvoiceSummary",
    "InvoiceUpdate",
    "LineInput",
    "LineView",
    "OverdueClient",
    "OverdueSummary",
    "PaymentResult",
    "PaymentView",
    "QuoteDetail",
    "QuoteSummary",
    "ReminderBatch",
    "ReminderSent",
    "ReminderSkipped",
    "RevenueBucket",
    "RevenueReport",
    "SentDocument",
    "StatusChange",
    "TaxEstimate",
    "VatRateTotal",
]

_FROZEN = ConfigDict(frozen=True, from_attributes=True)
InputT = TypeVar("InputT", bound=BaseModel)


def parse_input(model: type[InputT], value: InputT | Mapping[str, Any], what: str) -> InputT:
    """``value`` as ``model``; pydantic's complaint becomes a human :class:`Invalid`."""
    if isinstance(value, model):
        return value
    try:
        return model.model_validate(value)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or what
        raise Invalid(f"The {what} is not right: {where} — {first['msg']}.", field=where) from exc


# ---- inputs -------------------------------------------------------------------------------


class LineInput(BaseModel):
    """One line to put on an invoice or quote: free text, or a service/product by name or id."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    description: str | None = Field(default=None, max_length=500)
    """Free text; defaults to the service's or product's name."""
    service: Ref | None = None
    product: Ref | None = None
    quantity: Decimal = Field(default=Decimal(1), gt=0, max_digits=12, decimal_places=3)
    unit_price_minor: int | None = None
    """Net unit price in minor units; defaults to the service's or product's price."""
    vat_rate_bp: int | None = Field(default=None, ge=0, le=10_000)
    """VAT in basis points (2000 = 20%); defaults per the business's tax settings."""


class InvoiceChanges(BaseModel):
    """Changes to a draft invoice; only the fields given are changed."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    lines: list[LineInput] | None = None
    """Replaces every line."""
    due_on: date | None = None
    notes: str | None = None


# ---- outputs ------------------------------------------------------------------------------


class LineView(BaseModel):
    model_config = _FROZEN

    id: int
    position: int
    description: str
    quantity: Decimal
    unit_price_minor: int
    vat_rate_bp: int
    net_minor: int
    vat_minor: int
    service_id: int | None
    product_id: int | None


class VatRateTotal(BaseModel):
    """Net and VAT at one rate (and, in reports, how many invoices carry it)."""

    model_config = _FROZEN

    vat_rate_bp: int
    net_minor: int
    vat_minor: int
    invoice_count: int = 0


class PaymentView(BaseModel):
    model_config = _FROZEN

    id: int
    invoice_id: int
    amount_minor: int
    currency: str
    method: PaymentMethod
    paid_on: date
    reference: str | None
    bank_transaction_id: int | None


class InvoiceSummary(BaseModel):
    """An invoice in a list; ``status`` is stored, ``is_overdue`` derived at today's date."""

    model_config = _FROZEN

    id: int
    number: str
    client_id: int
    client_name: str
    status: InvoiceStatus
    is_overdue: bool
    days_overdue: int
    issued_on: date | None
    due_on: date | None
    currency: str
    subtotal_minor: int
    tax_minor: int
    total_minor: int
    paid_minor: int
    balance_minor: int


class InvoiceDetail(InvoiceSummary):
    """One invoice with its lines, VAT per rate and payments."""

    client_email: str | None
    notes: str | None
    sent_at: datetime | None
    paid_at: datetime | None
    voided_at: datetime | None
    void_reason: str | None
    last_reminder_at: datetime | None
    quote_id: int | None
    lines: tuple[LineView, ...]
    vat_by_rate: tuple[VatRateTotal, ...]
    payments: tuple[PaymentView, ...]


class QuoteSummary(BaseModel):
    model_config = _FROZEN

    id: int
    number: str
    client_id: int
    client_name: str
    status: QuoteStatus
    is_expired: bool
    issued_on: date | None
    valid_until: date | None
    currency: str
    subtotal_minor: int
    tax_minor: int
    total_minor: int


class QuoteDetail(QuoteSummary):
    client_email: str | None
    notes: str | None
    sent_at: datetime | None
    lines: tuple[LineView, ...]
    vat_by_rate: tuple[VatRateTotal, ...]
    invoice_id: int | None
    """The invoice the quote was converted into."""
    invoice_number: str | None


class InvoiceUpdate(BaseModel):
    """The updated draft and the values it had (pass ``previous`` back to undo)."""

    model_config = _FROZEN

    invoice: InvoiceDetail
    previous: InvoiceChanges


class PaymentResult(BaseModel):
    """A recorded payment; ``remove_payment(payment_id)`` undoes it."""

    model_config = _FROZEN

    payment_id: int
    invoice: InvoiceDetail


class StatusChange(BaseModel):
    """A document whose status changed, with the status it had before (for undo)."""

    model_config = _FROZEN

    id: int
    number: str
    previous_status: str
    status: str


class SentDocument(BaseModel):
    """An invoice or quote that was issued, rendered and queued for e-mail."""

    model_config = _FROZEN

    id: int
    number: str
    kind: Literal["invoice", "quote"]
    recipient: str
    pdf_path: str
    outbox_item_id: int
    total_minor: int
    currency: str


class ConversionResult(BaseModel):
    model_config = _FROZEN

    quote: QuoteDetail
    invoice: InvoiceDetail


class ReminderSent(BaseModel):
    model_config = _FROZEN

    invoice_id: int
    number: str
    client_name: str
    recipient: str
    balance_minor: int
    currency: str
    days_overdue: int
    outbox_item_id: int


class ReminderSkipped(BaseModel):
    model_config = _FROZEN

    invoice_id: int
    number: str
    client_name: str
    reason: str


class ReminderBatch(BaseModel):
    model_config = _FROZEN

    sent: tuple[ReminderSent, ...]
    skipped: tuple[ReminderSkipped, ...]


class OverdueClient(BaseModel):
    model_config = _FROZEN

    client_id: int
    client_name: str
    count: int
    outstanding_minor: int
    currency: str
    oldest_due_on: date
    max_days_overdue: int


class OverdueSummary(BaseModel):
    """Overdue invoices at today's date; money in the business currency unless per currency."""

    model_config = _FROZEN

    count: int
    currency: str
    total_outstanding_minor: int
    outstanding_by_currency: dict[str, int]
    oldest: InvoiceSummary | None
    clients: tuple[OverdueClient, ...]


class TaxEstimate(BaseModel):
    """VAT charged on invoices issued in the period (accrual basis, void and drafts left out)."""

    model_config = _FROZEN

    start: date
    end: date
    currency: str
    vat_registered: bool
    invoice_count: int
    net_minor: int
    vat_minor: int
    rates: tuple[VatRateTotal, ...]


class RevenueBucket(BaseModel):
    model_config = _FROZEN

    start: date
    end: date
    invoiced_minor: int
    invoice_count: int
    paid_minor: int
    payment_count: int


class RevenueReport(BaseModel):
    model_config = _FROZEN

    start: date
    end: date
    granularity: Literal["month", "week"]
    currency: str
    invoiced_minor: int
    paid_minor: int
    buckets: tuple[RevenueBucket, ...]


# ---- builders -----------------------------------------------------------------------------


def days_overdue(invoice: Invoice, today: date) -> int:
    """Days past the due date of an unpaid issued invoice (0 when not overdue)."""
    unpaid = invoice.status in (InvoiceStatus.SENT, InvoiceStatus.PARTIALLY_PAID)
    if not unpaid or invoice.due_on is None or invoice.due_on >= today:
        return 0
    return (today - invoice.due_on).days


def invoice_summary(invoice: Invoice, client: Client, today: date) -> InvoiceSummary:
    late = days_overdue(invoice, today)
    return InvoiceSummary(
        id=invoice.id,
        number=invoice.number,
        client_id=invoice.client_id,
        client_name=client.full_name,
        status=invoice.status,
        is_overdue=late > 0,
        days_overdue=late,
        issued_on=invoice.issued_on,
        due_on=invoice.due_on,
        currency=invoice.currency,
        subtotal_minor=invoice.subtotal_minor,
        tax_minor=invoice.tax_minor,
        total_minor=invoice.total_minor,
        paid_minor=invoice.paid_minor,
        balance_minor=invoice.balance_minor,
    )


def _lines(
    rows: Iterable[InvoiceLine | QuoteLine],
) -> tuple[tuple[LineView, ...], tuple[VatRateTotal, ...]]:
    views = tuple(LineView.model_validate(row) for row in rows)
    rates: dict[int, tuple[int, int]] = {}
    for line in views:
        net, vat = rates.get(line.vat_rate_bp, (0, 0))
        rates[line.vat_rate_bp] = (net + line.net_minor, vat + line.vat_minor)
    totals = tuple(
        VatRateTotal(vat_rate_bp=rate, net_minor=net, vat_minor=vat)
        for rate, (net, vat) in sorted(rates.items())
    )
    return views, totals


def invoice_detail(session: Session, invoice: Invoice, today: date) -> InvoiceDetail:
    client = session.get_one(Client, invoice.client_id)
    lines, rates = _lines(
        session.scalars(
            sa.select(InvoiceLine)
            .where(InvoiceLine.invoice_id == invoice.id)
            .order_by(InvoiceLine.position, InvoiceLine.id)
        )
    )
    payments = tuple(
        PaymentView.model_validate(p)
        for p in session.scalars(
            sa.select(Payment)
            .where(Payment.invoice_id == invoice.id)
            .order_by(Payment.paid_on, Payment.id)
        )
    )
    return InvoiceDetail(
        **invoice_summary(invoice, client, today).model_dump(),
        client_email=client.email,
        notes=invoice.notes,
        sent_at=invoice.sent_at,
        paid_at=invoice.paid_at,
        voided_at=invoice.voided_at,
        void_reason=invoice.void_reason,
        last_reminder_at=invoice.last_reminder_at,
        quote_id=invoice.quote_id,
        lines=lines,
        vat_by_rate=rates,
        payments=payments,
    )


def quote_is_expired(quote: Quote, today: date) -> bool:
    if quote.status is QuoteStatus.EXPIRED:
        return True
    open_states = (QuoteStatus.DRAFT, QuoteStatus.SENT)
    return (
        quote.status in open_states and quote.valid_until is not None and quote.valid_until < today
    )


def quote_summary(quote: Quote, client: Client, today: date) -> QuoteSummary:
    return QuoteSummary(
        id=quote.id,
        number=quote.number,
        client_id=quote.client_id,
        client_name=client.full_name,
        status=quote.status,
        is_expired=quote_is_expired(quote, today),
        issued_on=quote.issued_on,
        valid_until=quote.valid_until,
        currency=quote.currency,
        subtotal_minor=quote.subtotal_minor,
        tax_minor=quote.tax_minor,
        total_minor=quote.total_minor,
    )


def quote_detail(session: Session, quote: Quote, today: date) -> QuoteDetail:
    client = session.get_one(Client, quote.client_id)
    lines, rates = _lines(
        session.scalars(
            sa.select(QuoteLine)
            .where(QuoteLine.quote_id == quote.id)
            .order_by(QuoteLine.position, QuoteLine.id)
        )
    )
    invoice = session.scalars(
        sa.select(Invoice).where(Invoice.quote_id == quote.id).order_by(Invoice.id.desc())
    ).first()
    return QuoteDetail(
        **quote_summary(quote, client, today).model_dump(),
        client_email=client.email,
        notes=quote.notes,
        sent_at=quote.sent_at,
        lines=lines,
        vat_by_rate=rates,
        invoice_id=invoice.id if invoice else None,
        invoice_number=invoice.number if invoice else None,
    )
