"""Invoices, quotes, their lines, and payments received."""

from __future__ import annotations

import enum
from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ._base import Base, IdMixin, StrEnumType, TenantMixin, TimestampMixin

__all__ = [
    "Invoice",
    "InvoiceLine",
    "InvoiceStatus",
    "Payment",
    "PaymentMethod",
    "Quote",
    "QuoteLine",
    "QuoteStatus",
]


class InvoiceStatus(enum.StrEnum):
    """Stored status; "overdue" is derived from ``due_on`` for sent invoices."""

    DRAFT = "draft"
    SENT = "sent"
    PARTIALLY_PAID = "partially_paid"
    PAID = "paid"
    VOID = "void"


class QuoteStatus(enum.StrEnum):
    DRAFT = "draft"
    SENT = "sent"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    EXPIRED = "expired"
    CONVERTED = "converted"


class PaymentMethod(enum.StrEnum):
    CARD = "card"
    CASH = "cash"
    BANK_TRANSFER = "bank_transfer"
    OTHER = "other"


class _DocumentTotals:
    """Totals kept in sync with the lines by the invoicing service (minor units)."""

    currency: Mapped[str] = mapped_column(sa.String(3))
    subtotal_minor: Mapped[int] = mapped_column(sa.BigInteger, default=0)
    tax_minor: Mapped[int] = mapped_column(sa.BigInteger, default=0)
    total_minor: Mapped[int] = mapped_column(sa.BigInteger, default=0)
    notes: Mapped[str | None] = mapped_column(sa.Text)


class _Line:
    """A line of an invoice or quote."""

    position: Mapped[int] = mapped_column(default=0)
    description: Mapped[str] = mapped_column(sa.String(500))
    quantity: Mapped[Decimal] = mapped_column(sa.Numeric(12, 3), default=Decimal(1))
    unit_price_minor: Mapped[int] = mapped_column(sa.BigInteger)
    vat_rate_bp: Mapped[int] = mapped_column(default=0)
    net_minor: Mapped[int] = mapped_column(sa.BigInteger, default=0)
    vat_minor: Mapped[int] = mapped_column(sa.BigInteger, default=0)
    service_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("services.id", ondelete="SET NULL")
    )
    product_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("products.id", ondelete="SET NULL")
    )


class Invoice(_DocumentTotals, IdMixin, TenantMixin, TimestampMixin, Base):
    """A bill to a client, numbered per business (INV-0042)."""

    __tablename__ = "invoices"
    __table_args__ = (sa.UniqueConstraint("business_id", "number"),)

    number: Mapped[str] = mapped_column(sa.String(30))
    client_id: Mapped[int] = mapped_column(sa.ForeignKey("clients.id"), index=True)
    status: Mapped[InvoiceStatus] = mapped_column(
        StrEnumType(InvoiceStatus), default=InvoiceStatus.DRAFT
    )
    issued_on: Mapped[date | None]
    due_on: Mapped[date | None]
    paid_minor: Mapped[int] = mapped_column(sa.BigInteger, default=0)
    sent_at: Mapped[datetime | None]
    paid_at: Mapped[datetime | None]
    voided_at: Mapped[datetime | None]
    void_reason: Mapped[str | None] = mapped_column(sa.String(500))
    last_reminder_at: Mapped[datetime | None]
    appointment_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("appointments.id", ondelete="SET NULL")
    )
    quote_id: Mapped[int | None] = mapped_column(sa.ForeignKey("quotes.id", ondelete="SET NULL"))

    @property
    def balance_minor(self) -> int:
        return self.total_minor - self.paid_minor


class InvoiceLine(_Line, IdMixin, TenantMixin, Base):
    __tablename__ = "invoice_lines"

    invoice_id: Mapped[int] = mapped_column(
        sa.ForeignKey("invoices.id", ondelete="CASCADE"), index=True
    )


class Quote(_DocumentTotals, IdMixin, TenantMixin, TimestampMixin, Base):
    """An offer to a client, numbered per business (Q-0007)."""

    __tablename__ = "quotes"
    __table_args__ = (sa.UniqueConstraint("business_id", "number"),)

    number: Mapped[str] = mapped_column(sa.String(30))
    client_id: Mapped[int] = mapped_column(sa.ForeignKey("clients.id"), index=True)
    status: Mapped[QuoteStatus] = mapped_column(StrEnumType(QuoteStatus), default=QuoteStatus.DRAFT)
    issued_on: Mapped[date | None]
    valid_until: Mapped[date | None]
    sent_at: Mapped[datetime | None]


class QuoteLine(_Line, IdMixin, TenantMixin, Base):
    __tablename__ = "quote_lines"

    quote_id: Mapped[int] = mapped_column(
        sa.ForeignKey("quotes.id", ondelete="CASCADE"), index=True
    )


class Payment(IdMixin, TenantMixin, TimestampMixin, Base):
    """Money received against an invoice (possibly partial)."""

    __tablename__ = "payments"

    invoice_id: Mapped[int] = mapped_column(
        sa.ForeignKey("invoices.id", ondelete="CASCADE"), index=True
    )
    amount_minor: Mapped[int] = mapped_column(sa.BigInteger)
    currency: Mapped[str] = mapped_column(sa.String(3))
    method: Mapped[PaymentMethod] = mapped_column(StrEnumType(PaymentMethod))
    paid_on: Mapped[date]
    reference: Mapped[str | None] = mapped_column(sa.String(200))
    bank_transaction_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("bank_transactions.id", ondelete="SET NULL")
    )
