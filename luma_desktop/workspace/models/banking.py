"""The embedded bank ledger: accounts, transactions, payees, scheduled payments, cards, expenses."""

from __future__ import annotations

import enum
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ._base import Base, IdMixin, StrEnumType, TenantMixin, TimestampMixin

__all__ = [
    "BankAccount",
    "BankTransaction",
    "Card",
    "Expense",
    "Frequency",
    "Payee",
    "ScheduledPayment",
    "TransactionStatus",
]


class TransactionStatus(enum.StrEnum):
    PENDING = "pending"
    BOOKED = "booked"


class Frequency(enum.StrEnum):
    ONCE = "once"
    WEEKLY = "weekly"
    MONTHLY = "monthly"
    YEARLY = "yearly"


class BankAccount(IdMixin, TenantMixin, TimestampMixin, Base):
    """One of the business's own accounts."""

    __tablename__ = "bank_accounts"
    __table_args__ = (sa.UniqueConstraint("business_id", "name"),)

    name: Mapped[str] = mapped_column(sa.String(100))
    iban: Mapped[str | None] = mapped_column(sa.String(34))
    currency: Mapped[str] = mapped_column(sa.String(3))
    kind: Mapped[str] = mapped_column(sa.String(20), default="current")
    opening_balance_minor: Mapped[int] = mapped_column(sa.BigInteger, default=0)
    active: Mapped[bool] = mapped_column(default=True)


class BankTransaction(IdMixin, TenantMixin, TimestampMixin, Base):
    """Money in (positive) or out (negative) of an account."""

    __tablename__ = "bank_transactions"
    __table_args__ = (sa.Index("ix_bank_transactions_account_booked", "account_id", "booked_on"),)

    account_id: Mapped[int] = mapped_column(sa.ForeignKey("bank_accounts.id", ondelete="CASCADE"))
    booked_on: Mapped[date]
    amount_minor: Mapped[int] = mapped_column(sa.BigInteger)
    currency: Mapped[str] = mapped_column(sa.String(3))
    counterparty: Mapped[str | None] = mapped_column(sa.String(200))
    description: Mapped[str | None] = mapped_column(sa.String(500))
    category: Mapped[str | None] = mapped_column(sa.String(60))
    status: Mapped[TransactionStatus] = mapped_column(
        StrEnumType(TransactionStatus), default=TransactionStatus.BOOKED
    )
    reconciled_invoice_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("invoices.id", ondelete="SET NULL")
    )
    reconciled_expense_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("expenses.id", ondelete="SET NULL")
    )
    transfer_group: Mapped[str | None] = mapped_column(sa.String(36))
    payee_id: Mapped[int | None] = mapped_column(sa.ForeignKey("payees.id", ondelete="SET NULL"))


class Payee(IdMixin, TenantMixin, TimestampMixin, Base):
    """Someone the business pays (supplier, landlord)."""

    __tablename__ = "payees"
    __table_args__ = (sa.UniqueConstraint("business_id", "name"),)

    name: Mapped[str] = mapped_column(sa.String(200))
    iban: Mapped[str] = mapped_column(sa.String(34))
    bic: Mapped[str | None] = mapped_column(sa.String(11))
    default_reference: Mapped[str | None] = mapped_column(sa.String(140))
    removed_at: Mapped[datetime | None]


class ScheduledPayment(IdMixin, TenantMixin, TimestampMixin, Base):
    """A future or recurring payment to a payee."""

    __tablename__ = "scheduled_payments"

    account_id: Mapped[int] = mapped_column(sa.ForeignKey("bank_accounts.id", ondelete="CASCADE"))
    payee_id: Mapped[int] = mapped_column(sa.ForeignKey("payees.id", ondelete="CASCADE"))
    amount_minor: Mapped[int] = mapped_column(sa.BigInteger)
    currency: Mapped[str] = mapped_column(sa.String(3))
    next_on: Mapped[date]
    anchor_day: Mapped[int | None] = mapped_column(sa.SmallInteger)
    """Day of the month of the first payment: monthly and yearly dates return to it after
    a shorter month (31 Jan → 28 Feb → 31 Mar); ``None`` means the day of ``next_on``."""
    frequency: Mapped[Frequency] = mapped_column(StrEnumType(Frequency), default=Frequency.ONCE)
    reference: Mapped[str | None] = mapped_column(sa.String(140))
    active: Mapped[bool] = mapped_column(default=True)


class Card(IdMixin, TenantMixin, TimestampMixin, Base):
    """A payment card on an account."""

    __tablename__ = "cards"

    account_id: Mapped[int] = mapped_column(sa.ForeignKey("bank_accounts.id", ondelete="CASCADE"))
    holder: Mapped[str] = mapped_column(sa.String(200))
    last4: Mapped[str] = mapped_column(sa.String(4))
    frozen: Mapped[bool] = mapped_column(default=False)
    frozen_at: Mapped[datetime | None]


class Expense(IdMixin, TenantMixin, TimestampMixin, Base):
    """A business expense, matched to an outgoing transaction by reconciliation."""

    __tablename__ = "expenses"

    spent_on: Mapped[date]
    amount_minor: Mapped[int] = mapped_column(sa.BigInteger)
    currency: Mapped[str] = mapped_column(sa.String(3))
    supplier: Mapped[str | None] = mapped_column(sa.String(200))
    category: Mapped[str | None] = mapped_column(sa.String(60))
    description: Mapped[str | None] = mapped_column(sa.String(500))
