"""Money moving now: transfers between own accounts and payments to saved payees."""

from __future__ import annotations

import uuid
from datetime import date

from ....errors import Conflict, Invalid
from ...models import BankTransaction, TransactionStatus
from ...values import format_money
from .._base import DomainService
from .._references import Ref, resolve_account
from ._ledger import (
    check_amount,
    clean_text,
    live_payee,
    lock_account,
    require_funds,
    spending_account,
)
from ._schemas import TransactionInfo, Transfer

__all__ = ["DEFAULT_LARGE_PAYMENT_MINOR", "PaymentsMixin"]

DEFAULT_LARGE_PAYMENT_MINOR = 100_000
"""Default of ``settings.large_payment_threshold_minor`` (£1,000.00)."""


class PaymentsMixin(DomainService):
    """Transfers and payee payments."""

    large_payment_threshold_minor: int = DEFAULT_LARGE_PAYMENT_MINOR

    def is_large_payment(self, amount_minor: int) -> bool:
        """True above the large-payment threshold: the tool layer then asks for a typed phrase."""
        return amount_minor > self.large_payment_threshold_minor

    def transfer_internal(
        self, from_account: Ref, to_account: Ref, amount_minor: int, reference: str | None = None
    ) -> Transfer:
        """Move money between two own accounts: two booked transactions sharing a transfer
        group. Undo it with a transfer the other way (a ledger is never edited)."""
        check_amount(amount_minor)
        text = clean_text(reference, "reference", 140)
        with self._unit() as session:
            source = resolve_account(session, from_account)
            target = resolve_account(session, to_account)
            if source.id == target.id:
                raise Invalid(
                    f"“{source.name}” is both the source and the destination; "
                    "choose two different accounts.",
                    field="to_account",
                )
            for account in (source, target):
                if not account.active:
                    raise Invalid(f"The account “{account.name}” is closed.", field="account")
            if source.currency != target.currency:
                raise Invalid(
                    f"“{source.name}” holds {source.currency} but “{target.name}” holds "
                    f"{target.currency}; I can only move money within one currency.",
                    field="to_account",
                )
            for account_id in sorted((source.id, target.id)):  # one lock order: no deadlocks
                lock_account(session, account_id)
            require_funds(session, source, amount_minor)
            group, today = str(uuid.uuid4()), self.context.today()
            legs = [
                BankTransaction(
                    account_id=account.id,
                    booked_on=today,
                    amount_minor=sign * amount_minor,
                    currency=source.currency,
                    counterparty=other.name,
                    description=text or f"Transfer {'to' if sign < 0 else 'from'} {other.name}",
                    category="Transfer",
                    status=TransactionStatus.BOOKED,
                    transfer_group=group,
                )
                for account, other, sign in ((source, target, -1), (target, source, 1))
            ]
            session.add_all(legs)
            session.flush()
            return Transfer(
                transfer_group=group,
                amount_minor=amount_minor,
                currency=source.currency,
                outgoing=TransactionInfo.model_validate(legs[0]),
                incoming=TransactionInfo.model_validate(legs[1]),
            )

    def pay_payee(
        self,
        payee: Ref,
        amount_minor: int,
        *,
        account: Ref | None = None,
        reference: str | None = None,
        on: date | None = None,
    ) -> TransactionInfo:
        """Pay a saved payee from ``account`` (default: the first current account).

        The payment is *pending* (it reserves the money at once: available drops) dated ``on``
        (default today; a later date makes it a forward-dated payment). It settles — becomes
        booked — when :meth:`run_due_payments` runs on a day after that date; until then
        :meth:`cancel_pending_payment` takes it back.
        """
        check_amount(amount_minor)
        today = self.context.today()
        when = on or today
        if when < today:
            raise Invalid(f"A payment cannot be made in the past ({when:%-d %b %Y}).", field="on")
        text = clean_text(reference, "reference", 140)
        with self._unit() as session:
            recipient = live_payee(session, payee)
            source = spending_account(session, account)
            require_funds(session, source, amount_minor)
            row = BankTransaction(
                account_id=source.id,
                booked_on=when,
                amount_minor=-amount_minor,
                currency=source.currency,
                counterparty=recipient.name,
                description=text or recipient.default_reference or f"Payment to {recipient.name}",
                status=TransactionStatus.PENDING,
                payee_id=recipient.id,
            )
            session.add(row)
            session.flush()
            return TransactionInfo.model_validate(row)

    def cancel_pending_payment(self, transaction_id: int) -> TransactionInfo:
        """Take back a payment that has not settled yet (the inverse of :meth:`pay_payee`)."""
        with self._unit() as session:
            row = self._get(session, BankTransaction, transaction_id, "transaction")
            if row.amount_minor >= 0 or row.transfer_group is not None:
                raise Invalid(
                    f"Transaction #{row.id} is not a payment you made.", field="transaction"
                )
            if row.status is not TransactionStatus.PENDING:
                raise Conflict(
                    f"The payment of {format_money(-row.amount_minor, row.currency)} to "
                    f"{row.counterparty or 'the payee'} has already left the account "
                    f"(booked {row.booked_on:%-d %b %Y}); it can no longer be cancelled."
                )
            cancelled = TransactionInfo.model_validate(row)
            session.delete(row)
            return cancelled
