"""What the banking service returns: frozen, typed snapshots (never ORM rows)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, computed_field

from ...models import Frequency, TransactionStatus

__all__ = [
    "AccountBalance",
    "Balances",
    "CardInfo",
    "CategoryChange",
    "CurrencyTotal",
    "DuePaymentsRun",
    "PayeeInfo",
    "Reconciliation",
    "ScheduledPaymentInfo",
    "SkippedPayment",
    "Statement",
    "StatementLine",
    "TransactionInfo",
    "TransactionPage",
    "Transfer",
]

Direction = Literal["in", "out"]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, from_attributes=True)


class AccountBalance(_Frozen):
    """One account's money: booked, pending and what can be spent now (minor units)."""

    account_id: int
    name: str
    kind: str
    iban: str | None
    currency: str
    booked_minor: int
    """Opening balance plus every booked transaction."""
    pending_in_minor: int
    """Incoming money not yet booked (≥ 0)."""
    pending_out_minor: int
    """Outgoing money not yet booked (≤ 0)."""
    available_minor: int
    """Booked plus pending out: what may still be spent."""


class CurrencyTotal(_Frozen):
    """The sum of the accounts held in one currency."""

    currency: str
    booked_minor: int
    pending_in_minor: int
    pending_out_minor: int
    available_minor: int


class Balances(_Frozen):
    accounts: tuple[AccountBalance, ...]
    totals: tuple[CurrencyTotal, ...]


class TransactionInfo(_Frozen):
    """A ledger entry: positive amounts came in, negative ones went out."""

    id: int
    account_id: int
    booked_on: date
    amount_minor: int
    currency: str
    counterparty: str | None
    description: str | None
    category: str | None
    status: TransactionStatus
    reconciled_invoice_id: int | None
    reconciled_expense_id: int | None
    transfer_group: str | None
    payee_id: int | None

    @computed_field  # type: ignore[prop-decorator]
    @property
    def direction(self) -> Direction:
        return "in" if self.amount_minor > 0 else "out"


class TransactionPage(_Frozen):
    """One page of a filtered transaction list; ``total`` counts every match."""

    items: tuple[TransactionInfo, ...]
    total: int
    offset: int
    limit: int


class StatementLine(_Frozen):
    transaction: TransactionInfo
    balance_minor: int
    """The booked balance right after this transaction."""


class Statement(_Frozen):
    """Booked transactions of one account in a period, with running balances."""

    account_id: int
    account_name: str
    currency: str
    start: date
    end: date
    opening_balance_minor: int
    lines: tuple[StatementLine, ...]
    closing_balance_minor: int
    money_in_minor: int
    money_out_minor: int
    export_path: str | None = None


class CategoryChange(_Frozen):
    """One re-categorised transaction; ``previous`` is what undo restores."""

    transaction_id: int
    previous: str | None
    category: str | None


class Transfer(_Frozen):
    """Both legs of a move between own accounts."""

    transfer_group: str
    amount_minor: int
    currency: str
    outgoing: TransactionInfo
    incoming: TransactionInfo


class Reconciliation(_Frozen):
    """A transaction matched to an invoice (payment recorded) or an expense."""

    transaction: TransactionInfo
    invoice_id: int | None = None
    invoice_number: str | None = None
    invoice_status: str | None = None
    invoice_balance_minor: int | None = None
    payment_id: int | None = None
    expense_id: int | None = None


class PayeeInfo(_Frozen):
    id: int
    name: str
    iban: str
    bic: str | None
    default_reference: str | None
    removed_at: datetime | None


class ScheduledPaymentInfo(_Frozen):
    id: int
    account_id: int
    payee_id: int
    payee_name: str
    amount_minor: int
    currency: str
    next_on: date
    frequency: Frequency
    reference: str | None
    active: bool


class SkippedPayment(_Frozen):
    """A due scheduled payment that could not be made (it is retried on the next run)."""

    scheduled_payment_id: int
    due_on: date
    reason: str


class DuePaymentsRun(_Frozen):
    """What :meth:`BankingService.run_due_payments` did."""

    created: tuple[TransactionInfo, ...]
    skipped: tuple[SkippedPayment, ...]
    settled: tuple[TransactionInfo, ...]


class CardInfo(_Frozen):
    id: int
    account_id: int
    account_name: str
    holder: str
    last4: str
    frozen: bool
    frozen_at: datetime | None
