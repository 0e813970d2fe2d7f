"""Invoices (paid, sent, overdue, draft, void) and quotes, numbered in issue order.

Invoices bill completed appointments: one line for the service, sometimes a product bought
at the desk, VAT per line through :func:`values.line_amounts`. The money received is returned
as :class:`Receipt` records; the bank step books them as transactions and payments.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import TypeVar

from ..models import (
    Appointment,
    AppointmentStatus,
    Invoice,
    InvoiceLine,
    InvoiceStatus,
    PaymentMethod,
    Quote,
    QuoteLine,
    QuoteStatus,
    TaxSettings,
)
from ..values import line_amounts, numbered_reference, to_minor
from ._builder import Seeder

__all__ = ["INVOICE_COUNT", "Receipt", "seed_invoices", "seed_quotes"]

INVOICE_COUNT = 78
_DRAFTS = 5
_SENT_OPEN = 6
_PAID_RECENT = 8
_OVERDUE = 3
_RECENT_DAYS = 12
_OLDER_DAYS = 16
_OVERDUE_MAX_DAYS = 45

LineT = TypeVar("LineT", InvoiceLine, QuoteLine)


@dataclass(frozen=True, slots=True)
class Receipt:
    """Money received against an invoice, to be booked on the current account."""

    invoice: Invoice
    amount_minor: int
    paid_on: date
    moment: datetime
    """When the money arrived (the transaction's and the payment's creation time)."""
    method: PaymentMethod
    payer: str


@dataclass
class _Draft:
    appointment: Appointment
    status: InvoiceStatus
    lines: list[InvoiceLine]


def seed_invoices(s: Seeder, tax: TaxSettings) -> list[Receipt]:
    """About 80 invoices for completed appointments; returns the payments received."""
    plan = _plan(s)
    issued = sorted(
        (d for d in plan if d.status is not InvoiceStatus.DRAFT),
        key=lambda d: d.appointment.starts_at,
    )
    drafts = sorted(
        (d for d in plan if d.status is InvoiceStatus.DRAFT), key=lambda d: d.appointment.starts_at
    )
    receipts: list[Receipt] = []
    rows: list[tuple[Invoice, list[InvoiceLine]]] = []
    split_done = False
    for number, draft in enumerate(issued + drafts, start=1):
        invoice = _invoice(s, draft, numbered_reference(tax.invoice_prefix, number), tax)
        split = not split_done and draft.status is InvoiceStatus.PAID
        split_done = split_done or split
        receipts += _receipts(s, invoice, draft, split=split)
        rows.append((invoice, draft.lines))
    tax.next_invoice_number = len(rows) + 1
    s.add(*(invoice for invoice, _ in rows))
    s.flush()
    for invoice, lines in rows:
        for line in lines:
            line.invoice_id = invoice.id
        s.add(*lines)
    s.invoices = [invoice for invoice, _ in rows]
    return receipts


def _plan(s: Seeder) -> list[_Draft]:
    """Which completed appointments are invoiced, and in which state."""
    done = [
        a for a in s.appointments if a.status is AppointmentStatus.COMPLETED and a.ends_at <= s.now
    ]

    def age(a: Appointment) -> int:
        return (s.today - s.local_day(a.starts_at)).days

    newest = [a for a in done if age(a) <= 4]
    drafts = s.rng.sample(newest, _DRAFTS)
    recent = [a for a in done if 1 <= age(a) <= _RECENT_DAYS and a not in drafts]
    picked = s.rng.sample(recent, _SENT_OPEN + 1 + _PAID_RECENT)
    older = [a for a in done if age(a) >= _OLDER_DAYS]
    overdue = s.rng.sample([a for a in older if age(a) <= _OVERDUE_MAX_DAYS], _OVERDUE)
    rest = [a for a in older if a not in overdue]
    void = s.rng.choice(rest)
    rest.remove(void)
    paid_old = s.rng.sample(rest, INVOICE_COUNT - _DRAFTS - len(picked) - _OVERDUE - 1)
    states = (
        [(a, InvoiceStatus.DRAFT) for a in drafts]
        + [(a, InvoiceStatus.SENT) for a in picked[:_SENT_OPEN] + overdue]
        + [(picked[_SENT_OPEN], InvoiceStatus.PARTIALLY_PAID), (void, InvoiceStatus.VOID)]
        + [(a, InvoiceStatus.PAID) for a in picked[_SENT_OPEN + 1 :] + paid_old]
    )
    return [_Draft(a, status, _lines(s, a)) for a, status in states]


def _lines(s: Seeder, appointment: Appointment) -> list[InvoiceLine]:
    service = next(v for v in s.services.values() if v.id == appointment.service_id)
    lines = [
        _line(
            InvoiceLine,
            0,
            service.name,
            1,
            appointment.price_minor,
            service.vat_rate_bp,
            service_id=service.id,
        )
    ]
    if s.rng.random() < 0.25:
        product = s.rng.choice([p for p in s.products.values() if p.cost_minor])
        quantity = s.rng.choice((1, 1, 2))
        lines.append(
            _line(
                InvoiceLine,
                1,
                product.name,
                quantity,
                product.price_minor,
                product.vat_rate_bp,
                product_id=product.id,
            )
        )
    return lines


def _line(  # noqa: PLR0917 - the columns of a line, in their natural order
    kind: type[LineT],
    position: int,
    description: str,
    quantity: int,
    unit_price_minor: int,
    vat_rate_bp: int,
    *,
    service_id: int | None = None,
    product_id: int | None = None,
) -> LineT:
    """A line with its net and VAT computed once, half-up (``values.line_amounts``)."""
    net, vat = line_amounts(Decimal(quantity), unit_price_minor, vat_rate_bp)
    return kind(
        position=position,
        description=description,
        quantity=Decimal(quantity),
        unit_price_minor=unit_price_minor,
        vat_rate_bp=vat_rate_bp,
        net_minor=net,
        vat_minor=vat,
        service_id=service_id,
        product_id=product_id,
    )


def _invoice(s: Seeder, draft: _Draft, number: str, tax: TaxSettings) -> Invoice:
    appointment = draft.appointment
    subtotal = sum(line.net_minor for line in draft.lines)
    vat = sum(line.vat_minor for line in draft.lines)
    issued = s.local_day(appointment.starts_at)
    sent = draft.status is not InvoiceStatus.DRAFT
    invoice = Invoice(
        number=number,
        client_id=appointment.client_id,
        status=draft.status,
        currency=s.currency,
        subtotal_minor=subtotal,
        tax_minor=vat,
        total_minor=subtotal + vat,
        paid_minor=0,
        issued_on=issued if sent else None,
        due_on=issued + timedelta(days=tax.payment_terms_days) if sent else None,
        sent_at=appointment.ends_at + timedelta(minutes=5) if sent else None,
        appointment_id=appointment.id,
        created_at=appointment.ends_at + timedelta(minutes=2),
    )
    if draft.status is InvoiceStatus.VOID:
        invoice.voided_at = appointment.ends_at + timedelta(days=1, hours=1)
        invoice.void_reason = "Issued to the wrong client by mistake; re-issued."
    return invoice


def _receipts(s: Seeder, invoice: Invoice, draft: _Draft, *, split: bool) -> list[Receipt]:
    """The payments of a paid or part-paid invoice; sets its paid amount and time."""
    if draft.status not in (InvoiceStatus.PAID, InvoiceStatus.PARTIALLY_PAID):
        return []
    client = next(c for c in s.client_list if c.id == invoice.client_id)
    payer = client.company or client.full_name
    issued = invoice.issued_on or s.today
    latest = (s.today - issued).days - 1
    offset = s.rng.randint(0, min(latest, 10)) if latest > 0 else 0
    if split:
        offset = max(offset, min(latest, 3))
    paid_on = issued + timedelta(days=offset)
    if draft.status is InvoiceStatus.PARTIALLY_PAID:
        amounts = [invoice.total_minor * 2 // 5]
    elif split:
        amounts = [invoice.total_minor // 2, invoice.total_minor - invoice.total_minor // 2]
    else:
        amounts = [invoice.total_minor]
    receipts = []
    for index, amount in enumerate(amounts):
        day = paid_on if index == len(amounts) - 1 else issued
        method = (
            PaymentMethod.CARD
            if day == issued and s.rng.random() < 0.7
            else PaymentMethod.BANK_TRANSFER
        )
        moment = _paid_at(s, day, draft.appointment.ends_at)
        receipts.append(Receipt(invoice, amount, day, moment, method, payer))
    invoice.paid_minor = sum(amounts)
    if invoice.paid_minor == invoice.total_minor:
        invoice.paid_at = receipts[-1].moment
    return receipts


def _paid_at(s: Seeder, day: date, appointment_end: datetime) -> datetime:
    if s.local_day(appointment_end) == day:
        return appointment_end + timedelta(minutes=10)
    return s.at(day, time(9 + s.rng.randint(0, 8), s.rng.choice((0, 15, 30, 45))))


def seed_quotes(s: Seeder, tax: TaxSettings) -> None:
    """Four quotes (accepted, sent, draft, declined), numbered Q-0001...; advances numbering."""
    specs: list[tuple[str | None, QuoteStatus, int, str | None, list[tuple[str, int, int]]]] = [
        (
            "alpine",
            QuoteStatus.ACCEPTED,
            9900,
            "PO 4471: team grooming day at Old Street",
            [
                ("mens", 5, 0),
                ("cut", 3, 0),
                ("brows", 4, 0),
                ("Travel and set-up at your office", 1, to_minor("60.00")),
            ],
        ),
        (
            "sarah_thompson",
            QuoteStatus.SENT,
            2700,
            "Bridal party: bride and three bridesmaids",
            [("Bridal trial", 1, to_minor("60.00")), ("cut", 4, 0), ("colour", 1, 0)],
        ),
        ("portal_olivia", QuoteStatus.DRAFT, 600, None, [("facial", 3, 0)]),
        (None, QuoteStatus.DECLINED, 50400, None, [("balayage", 1, 0)]),
    ]
    regulars = [c for c in s.client_list if c not in s.clients.values()]
    quotes: list[tuple[Quote, list[QuoteLine]]] = []
    for number, (client_key, status, minutes_ago, notes, items) in enumerate(specs, start=1):
        client = s.clients[client_key] if client_key else s.rng.choice(regulars)
        lines = []
        for position, (name, quantity, price) in enumerate(items):
            service = s.services.get(name)
            if service is None:
                line = _line(QuoteLine, position, name, quantity, price, tax.default_vat_rate_bp)
            else:
                line = _line(
                    QuoteLine,
                    position,
                    service.name,
                    quantity,
                    service.price_minor,
                    service.vat_rate_bp,
                    service_id=service.id,
                )
            lines.append(line)
        when = s.now - timedelta(minutes=minutes_ago)
        subtotal = sum(line.net_minor for line in lines)
        vat = sum(line.vat_minor for line in lines)
        quote = Quote(
            number=numbered_reference(tax.quote_prefix, number),
            client_id=client.id,
            status=status,
            currency=s.currency,
            subtotal_minor=subtotal,
            tax_minor=vat,
            total_minor=subtotal + vat,
            notes=notes,
            issued_on=None if status is QuoteStatus.DRAFT else s.local_day(when),
            valid_until=s.local_day(when) + timedelta(days=30),
            sent_at=None if status is QuoteStatus.DRAFT else when,
            created_at=when - timedelta(minutes=20),
        )
        quotes.append((quote, lines))
    s.add(*(quote for quote, _ in quotes))
    s.flush()
    for quote, lines in quotes:
        for line in lines:
            line.quote_id = quote.id
        s.add(*lines)
    tax.next_quote_number = len(specs) + 1
