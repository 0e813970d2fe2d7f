"""Bookkeeping on existing transactions: categories and reconciliation with invoices/expenses."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ....errors import Conflict, Invalid, NotFound
from ...models import (
    BankTransaction,
    Expense,
    Invoice,
    InvoiceStatus,
    Payment,
    PaymentMethod,
    TransactionStatus,
)
from ...values import format_money
from .._base import DomainService
from .._references import Ref, resolve_invoice
from ._ledger import clean_text
from ._schemas import CategoryChange, Reconciliation, TransactionInfo

__all__ = ["BookkeepingMixin"]

MAX_IDS = 500


def _transactions(session: Session, ids: int | Sequence[int]) -> list[BankTransaction]:
    if isinstance(ids, int):  # one id (a bool is refused below)
        ids = [ids]
    if not ids:
        raise Invalid("Say which transactions to change.", field="ids")
    if len(ids) > MAX_IDS or any(isinstance(i, bool) or not isinstance(i, int) for i in ids):
        raise Invalid(f"Give up to {MAX_IDS} transaction ids (whole numbers).", field="ids")
    rows = {
        r.id: r
        for r in session.scalars(
            sa.select(BankTransaction).where(BankTransaction.id.in_(set(ids)))
        ).all()
    }
    missing = [i for i in dict.fromkeys(ids) if i not in rows]
    if missing:
        raise NotFound("transaction", ", ".join(f"#{i}" for i in missing))
    return [rows[i] for i in dict.fromkeys(ids)]


def _known_spelling(session: Session, category: str | None) -> str | None:
    """An existing category spelled like ``category`` (any case), so lists stay tidy."""
    if category is None:
        return None
    existing = session.scalars(
        sa.select(BankTransaction.category)
        .where(sa.func.lower(BankTransaction.category) == category.lower())
        .limit(1)
    ).first()
    return existing or category


def _reconcilable(row: BankTransaction) -> None:
    if row.status is not TransactionStatus.BOOKED:
        raise Invalid(
            f"Transaction #{row.id} is still pending; match it once it is booked.",
            field="transaction",
        )
    if row.transfer_group is not None:
        raise Invalid(
            f"Transaction #{row.id} is a transfer between your own accounts; there is "
            "nothing to match it to.",
            field="transaction",
        )
    if row.reconciled_invoice_id is not None or row.reconciled_expense_id is not None:
        what = (
            f"invoice #{row.reconciled_invoice_id}"
            if row.reconciled_invoice_id is not None
            else f"expense #{row.reconciled_expense_id}"
        )
        raise Conflict(
            f"Transaction #{row.id} is already matched to {what}. "
            "Unreconcile it first if that was wrong."
        )


class BookkeepingMixin(DomainService):
    """Categories and reconciliation."""

    def categorize_transaction(
        self, ids: int | Sequence[int], category: str | None
    ) -> tuple[CategoryChange, ...]:
        """Set (or, with ``None``, clear) the category of one or many transactions.

        Returns each transaction's previous category, which :meth:`restore_categories` puts back.
        """
        wanted = clean_text(category, "category", 60) if category is not None else None
        if category is not None and wanted is None:
            raise Invalid("The category is empty; give a name or clear it.", field="category")
        with self._unit() as session:
            rows = _transactions(session, ids)
            wanted = _known_spelling(session, wanted)
            changes = []
            for row in rows:
                changes.append(
                    CategoryChange(transaction_id=row.id, previous=row.category, category=wanted)
                )
                row.category = wanted
        return tuple(changes)

    def restore_categories(self, previous: Mapping[int, str | None]) -> tuple[CategoryChange, ...]:
        """Give each transaction back the category it had (the inverse of categorising)."""
        with self._unit() as session:
            rows = _transactions(session, list(previous))
            changes = []
            for row in rows:
                category = clean_text(previous[row.id], "category", 60)
                changes.append(
                    CategoryChange(transaction_id=row.id, previous=row.category, category=category)
                )
                row.category = category
        return tuple(changes)

    def reconcile(
        self, transaction_id: int, *, invoice: Ref | None = None, expense_id: int | None = None
    ) -> Reconciliation:
        """Match a booked transaction to an invoice (money in: records a payment, so the invoice
        becomes partially paid or paid) or to an expense (money out, same amount)."""
        if (invoice is None) == (expense_id is None):
            raise Invalid(
                "Match the transaction to either an invoice or an expense.", field="invoice"
            )
        with self._unit() as session:
            row = self._get(session, BankTransaction, transaction_id, "transaction")
            _reconcilable(row)
            if invoice is not None:
                return self._to_invoice(session, row, resolve_invoice(session, invoice))
            assert expense_id is not None
            return self._to_expense(
                session, row, self._get(session, Expense, expense_id, "expense")
            )

    def unreconcile(self, transaction_id: int) -> Reconciliation:
        """Undo a match: the invoice payment it recorded is removed (the invoicing module's
        ``revert_payment`` recomputes the paid amount and status), or the expense link is
        cleared. Returns what the transaction was matched to."""
        with self._unit() as session:
            row = self._get(session, BankTransaction, transaction_id, "transaction")
            if row.reconciled_invoice_id is None and row.reconciled_expense_id is None:
                raise Conflict(f"Transaction #{row.id} is not matched to anything.")
            expense_id, invoice_id = row.reconciled_expense_id, row.reconciled_invoice_id
            row.reconciled_expense_id = row.reconciled_invoice_id = None
            if invoice_id is None:
                return Reconciliation(
                    transaction=TransactionInfo.model_validate(row), expense_id=expense_id
                )
            from ..invoicing import revert_payment

            bill = self._get(session, Invoice, invoice_id, "invoice")
            payments = session.scalars(
                sa.select(Payment).where(Payment.bank_transaction_id == row.id)
            ).all()
            payment_id = payments[0].id if payments else None
            for payment in payments:
                revert_payment(session, payment, now=self.context.now())
            return self._invoice_result(row, bill, payment_id)

    def _to_invoice(self, session: Session, row: BankTransaction, bill: Invoice) -> Reconciliation:
        from ..invoicing import apply_payment

        if row.amount_minor <= 0:
            raise Invalid(
                f"Transaction #{row.id} is money going out; only money coming in can "
                f"pay invoice {bill.number}.",
                field="transaction",
            )
        if row.currency != bill.currency:
            raise Invalid(
                f"Transaction #{row.id} is in {row.currency} but invoice {bill.number} "
                f"is in {bill.currency}.",
                field="invoice",
            )
        if bill.status is not InvoiceStatus.VOID and bill.total_minor - bill.paid_minor <= 0:
            raise Conflict(f"Invoice {bill.number} is already paid in full.")
        payment = apply_payment(
            session,
            bill,
            amount_minor=row.amount_minor,
            method=PaymentMethod.BANK_TRANSFER,
            paid_on=row.booked_on,
            reference=(row.description or row.counterparty or "")[:200] or None,
            bank_transaction_id=row.id,
            now=self.context.now(),
        )
        row.reconciled_invoice_id = bill.id
        session.flush()
        return self._invoice_result(row, bill, payment.id)

    @staticmethod
    def _invoice_result(
        row: BankTransaction, bill: Invoice, payment_id: int | None
    ) -> Reconciliation:
        return Reconciliation(
            transaction=TransactionInfo.model_validate(row),
            invoice_id=bill.id,
            invoice_number=bill.number,
            invoice_status=InvoiceStatus(bill.status).value,
            invoice_balance_minor=bill.total_minor - bill.paid_minor,
            payment_id=payment_id,
        )

    @staticmethod
    def _to_expense(session: Session, row: BankTransaction, expense: Expense) -> Reconciliation:
        if row.amount_minor >= 0:
            raise Invalid(
                f"Transaction #{row.id} is money coming in; only money going out can "
                "match an expense.",
                field="transaction",
            )
        if row.currency != expense.currency:
            raise Invalid(
                f"Transaction #{row.id} is in {row.currency} but the expense is in "
                f"{expense.currency}.",
                field="expense",
            )
        if -row.amount_minor != expense.amount_minor:
            raise Invalid(
                f"The amounts differ: transaction #{row.id} is "
                f"{format_money(-row.amount_minor, row.currency)}, the expense is "
                f"{format_money(expense.amount_minor, expense.currency)}.",
                field="expense",
            )
        other = session.scalars(
            sa.select(BankTransaction.id).where(BankTransaction.reconciled_expense_id == expense.id)
        ).first()
        if other is not None:
            raise Conflict(f"Expense #{expense.id} is already matched to transaction #{other}.")
        row.reconciled_expense_id = expense.id
        session.flush()
        return Reconciliation(
            transaction=TransactionInfo.model_validate(row), expense_id=expense.id
        )
