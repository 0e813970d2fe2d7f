"""Scheduled and recurring payments, and the daily run that makes and settles payments."""

from __future__ import annotations

import calendar
from datetime import date, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ....errors import Conflict, Invalid, NotFound
from ...models import BankTransaction, Frequency, Payee, ScheduledPayment, TransactionStatus
from .._base import DomainService
from .._references import Ref
from ._ledger import (
    check_amount,
    clean_text,
    live_payee,
    lock_account,
    require_funds,
    spending_account,
)
from ._schemas import DuePaymentsRun, ScheduledPaymentInfo, SkippedPayment, TransactionInfo

__all__ = ["ScheduledMixin", "next_occurrence"]

MAX_CATCH_UP = 400
"""At most this many missed occurrences of one schedule are made in one run."""


def _on_day(year: int, month: int, day: int) -> date:
    return date(year, month, min(day, calendar.monthrange(year, month)[1]))


def next_occurrence(current: date, frequency: Frequency, anchor_day: int | None) -> date | None:
    """The date after ``current`` (``None`` for a one-off). Monthly and yearly dates keep
    ``anchor_day`` where the month has it and use the month's last day otherwise."""
    day = anchor_day or current.day
    if frequency is Frequency.WEEKLY:
        return current + timedelta(days=7)
    if frequency is Frequency.MONTHLY:
        year, month_index = divmod(current.year * 12 + current.month, 12)  # next month, 0-based
        return _on_day(year, month_index + 1, day)
    if frequency is Frequency.YEARLY:
        return _on_day(current.year + 1, current.month, day)
    return None


def _frequency(value: Frequency | str) -> Frequency:
    try:
        return Frequency(str(value).strip().lower())
    except ValueError:
        options = ", ".join(f.value for f in Frequency)
        raise Invalid(
            f"“{value}” is not a frequency I know; use one of {options}.", field="frequency"
        ) from None


def _info(session: Session, row: ScheduledPayment) -> ScheduledPaymentInfo:
    payee = session.get(Payee, row.payee_id)
    return ScheduledPaymentInfo(
        id=row.id,
        account_id=row.account_id,
        payee_id=row.payee_id,
        payee_name=payee.name if payee else "(removed)",
        amount_minor=row.amount_minor,
        currency=row.currency,
        next_on=row.next_on,
        frequency=row.frequency,
        reference=row.reference,
        active=row.active,
    )


class ScheduledMixin(DomainService):
    """Future and recurring payments."""

    def schedule_payment(
        self,
        payee: Ref,
        amount_minor: int,
        first_on: date,
        frequency: Frequency | str = Frequency.ONCE,
        *,
        account: Ref | None = None,
        reference: str | None = None,
    ) -> ScheduledPaymentInfo:
        """Pay ``payee`` on ``first_on`` (today or later) and then every week/month/year."""
        check_amount(amount_minor)
        how_often = _frequency(frequency)
        if first_on < self.context.today():
            raise Invalid(
                f"The first payment date ({first_on:%-d %b %Y}) has passed; choose today or later.",
                field="first_on",
            )
        text = clean_text(reference, "reference", 140)
        with self._unit() as session:
            recipient = live_payee(session, payee)
            source = spending_account(session, account)
            row = ScheduledPayment(
                account_id=source.id,
                payee_id=recipient.id,
                amount_minor=amount_minor,
                currency=source.currency,
                next_on=first_on,
                anchor_day=first_on.day,
                frequency=how_often,
                reference=text or recipient.default_reference,
                active=True,
            )
            session.add(row)
            session.flush()
            return _info(session, row)

    def list_scheduled_payments(
        self, *, include_cancelled: bool = False
    ) -> tuple[ScheduledPaymentInfo, ...]:
        """Scheduled payments, soonest first."""
        with self._unit() as session:
            query = sa.select(ScheduledPayment).order_by(
                ScheduledPayment.next_on, ScheduledPayment.id
            )
            if not include_cancelled:
                query = query.where(ScheduledPayment.active.is_(True))
            return tuple(_info(session, row) for row in session.scalars(query).all())

    def cancel_scheduled_payment(self, scheduled_payment_id: int) -> ScheduledPaymentInfo:
        """Stop a scheduled payment (the inverse of scheduling it)."""
        with self._unit() as session:
            row = self._get(session, ScheduledPayment, scheduled_payment_id, "scheduled payment")
            if not row.active:
                raise Conflict(f"Scheduled payment #{row.id} is already cancelled.")
            row.active = False
            return _info(session, row)

    def restore_scheduled_payment(self, scheduled_payment_id: int) -> ScheduledPaymentInfo:
        """Re-activate a cancelled schedule (the inverse of cancelling); dates missed while it
        was cancelled are skipped, not paid."""
        today = self.context.today()
        with self._unit() as session:
            row = self._get(session, ScheduledPayment, scheduled_payment_id, "scheduled payment")
            if row.active:
                raise Conflict(f"Scheduled payment #{row.id} is already active.")
            payee = session.get(Payee, row.payee_id)
            if payee is None or payee.removed_at is not None:
                raise Conflict("Its payee has been removed; restore the payee first.")
            while row.next_on < today:
                following = next_occurrence(row.next_on, row.frequency, row.anchor_day)
                if following is None:
                    raise Conflict(
                        f"The one-off payment #{row.id} was due on "
                        f"{row.next_on:%-d %b %Y}; schedule it again instead."
                    )
                row.next_on = following
            row.active = True
            return _info(session, row)

    def run_due_payments(self) -> DuePaymentsRun:
        """The daily hook (idempotent: a second run the same day changes nothing).

        1. Every active schedule due today or earlier becomes a pending payment dated its due
           day (one per missed date), and ``next_on`` moves on; a one-off is then deleted.
           A payment that cannot be made (funds, removed payee, closed account) is skipped and
           retried on the next run.
        2. Pending transactions dated before today settle: they become booked.
        """
        today = self.context.today()
        with self._unit() as session:
            created: list[BankTransaction] = []
            skipped: list[SkippedPayment] = []
            due = session.scalars(
                sa.select(ScheduledPayment)
                .where(
                    ScheduledPayment.active.is_(True),
                    ScheduledPayment.next_on <= today,
                )
                .order_by(ScheduledPayment.next_on, ScheduledPayment.id)
            ).all()
            for schedule in due:
                self._make_due(session, schedule, today, created, skipped)
            settling = session.scalars(
                sa.select(BankTransaction)
                .where(
                    BankTransaction.status == TransactionStatus.PENDING,
                    BankTransaction.booked_on < today,
                )
                .order_by(BankTransaction.id)
            ).all()
            for row in settling:
                row.status = TransactionStatus.BOOKED
            session.flush()
            return DuePaymentsRun(
                created=tuple(TransactionInfo.model_validate(r) for r in created),
                skipped=tuple(skipped),
                settled=tuple(TransactionInfo.model_validate(r) for r in settling),
            )

    @staticmethod
    def _make_due(
        session: Session,
        schedule: ScheduledPayment,
        today: date,
        created: list[BankTransaction],
        skipped: list[SkippedPayment],
    ) -> None:
        for _ in range(MAX_CATCH_UP):
            if schedule.next_on > today:
                return
            try:
                payee = session.get(Payee, schedule.payee_id)
                if payee is None or payee.removed_at is not None:
                    raise Invalid("The payee has been removed; restore it or cancel the payment.")
                account = lock_account(session, schedule.account_id)
                if not account.active or account.currency != schedule.currency:
                    raise Invalid(f"The account “{account.name}” cannot make this payment.")
                require_funds(session, account, schedule.amount_minor)
            except (Conflict, Invalid, NotFound) as error:
                skipped.append(
                    SkippedPayment(
                        scheduled_payment_id=schedule.id,
                        due_on=schedule.next_on,
                        reason=error.message,
                    )
                )
                return
            row = BankTransaction(
                account_id=account.id,
                booked_on=schedule.next_on,
                amount_minor=-schedule.amount_minor,
                currency=schedule.currency,
                counterparty=payee.name,
                description=schedule.reference or f"Payment to {payee.name}",
                status=TransactionStatus.PENDING,
                payee_id=payee.id,
            )
            session.add(row)
            session.flush()
            created.append(row)
            following = next_occurrence(schedule.next_on, schedule.frequency, schedule.anchor_day)
            if following is None:
                session.delete(schedule)
                return
            schedule.next_on = following
