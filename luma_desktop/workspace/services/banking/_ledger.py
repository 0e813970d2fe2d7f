"""Ledger arithmetic and input rules shared by the banking operations (all inside one session)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ....errors import Conflict, Invalid, NotFound
from ...models import BankAccount, BankTransaction, Payee, TransactionStatus
from ...values import format_money
from .._matching import Option, match_one
from .._references import Ref, resolve_account

__all__ = [
    "Figures",
    "account_figures",
    "check_amount",
    "check_period",
    "clean_text",
    "live_payee",
    "lock_account",
    "removed_payee",
    "require_funds",
    "spending_account",
]


@dataclass(frozen=True, slots=True)
class Figures:
    """An account's sums in minor units."""

    booked: int = 0
    pending_in: int = 0
    pending_out: int = 0

    @property
    def available(self) -> int:
        return self.booked + self.pending_out


def account_figures(session: Session, accounts: list[BankAccount]) -> dict[int, Figures]:
    """Booked (with opening balance), pending in and pending out of each account, one query."""
    amount = BankTransaction.amount_minor
    booked = BankTransaction.status == TransactionStatus.BOOKED
    pending = BankTransaction.status == TransactionStatus.PENDING
    rows = session.execute(
        sa.select(
            BankTransaction.account_id,
            sa.func.coalesce(sa.func.sum(sa.case((booked, amount), else_=0)), 0),
            sa.func.coalesce(sa.func.sum(sa.case((pending & (amount > 0), amount), else_=0)), 0),
            sa.func.coalesce(sa.func.sum(sa.case((pending & (amount < 0), amount), else_=0)), 0),
        )
        .where(BankTransaction.account_id.in_([a.id for a in accounts]))
        .group_by(BankTransaction.account_id)
    ).all()
    sums = {account_id: (int(b), int(i), int(o)) for account_id, b, i, o in rows}
    result: dict[int, Figures] = {}
    for account in accounts:
        booked_sum, pending_in, pending_out = sums.get(account.id, (0, 0, 0))
        result[account.id] = Figures(
            account.opening_balance_minor + booked_sum, pending_in, pending_out
        )
    return result


def lock_account(session: Session, account_id: int) -> BankAccount:
    """The account row, locked against concurrent spending until the transaction ends."""
    account = session.scalars(
        sa.select(BankAccount).where(BankAccount.id == account_id).with_for_update()
    ).one_or_none()
    if account is None:
        raise NotFound("bank account", f"#{account_id}")
    return account


def spending_account(session: Session, reference: Ref | None) -> BankAccount:
    """The (locked, active) account to pay from; ``None`` means the first current account."""
    if reference is None:
        account = session.scalars(
            sa.select(BankAccount)
            .where(BankAccount.active.is_(True))
            .order_by((BankAccount.kind != "current"), BankAccount.id)
        ).first()
        if account is None:
            raise NotFound("bank account", "(no active account yet)")
    else:
        account = resolve_account(session, reference)
    if not account.active:
        raise Invalid(f"The account “{account.name}” is closed; choose another.", field="account")
    return lock_account(session, account.id)


def require_funds(session: Session, account: BankAccount, amount_minor: int) -> None:
    """:class:`Conflict` naming the available amount when ``amount_minor`` cannot be spent."""
    available = account_figures(session, [account])[account.id].available
    if amount_minor > available:
        raise Conflict(
            f"There isn't enough money in “{account.name}”: "
            f"{format_money(amount_minor, account.currency)} is needed but only "
            f"{format_money(available, account.currency)} is available.",
            suggestions=[format_money(available, account.currency)],
        )


def check_amount(amount_minor: int, field: str = "amount") -> int:
    """A positive whole number of minor units, or :class:`Invalid`."""
    if isinstance(amount_minor, bool) or not isinstance(amount_minor, int):
        raise Invalid(
            "Give the amount in minor units (pence/cents) as a whole number.", field=field
        )
    if amount_minor <= 0:
        raise Invalid("The amount must be more than zero.", field=field)
    return amount_minor


def check_period(start: date | None, end: date | None) -> None:
    if start is not None and end is not None and start > end:
        raise Invalid(
            f"The period starts ({start:%-d %b %Y}) after it ends ({end:%-d %b %Y}).",
            field="period",
        )


def clean_text(
    value: str | None, field: str, max_length: int, *, required: bool = False
) -> str | None:
    """``value`` stripped; ``None`` when blank (or :class:`Invalid` when ``required``)."""
    text = " ".join((value or "").split())
    if not text:
        if required:
            raise Invalid(f"The {field} is missing.", field=field)
        return None
    if len(text) > max_length:
        raise Invalid(f"The {field} is too long (at most {max_length} characters).", field=field)
    return text


def _payee_options(payees: list[Payee]) -> list[Option]:
    return [Option(p.id, p.name, p.iban, (p.iban,)) for p in payees]


def _find_payee(session: Session, reference: Ref, removed: bool) -> Payee:
    query = sa.select(Payee).where(
        Payee.removed_at.is_not(None) if removed else Payee.removed_at.is_(None)
    )
    kind = "removed payee" if removed else "payee"
    if isinstance(reference, int):
        row = session.scalars(query.where(Payee.id == reference)).one_or_none()
        if row is None:
            raise NotFound(kind, f"#{reference}")
        return row
    payees = list(session.scalars(query.order_by(Payee.id)).all())
    compact = "".join(reference.split()).upper()
    by_iban = [p for p in payees if p.iban == compact]
    if len(by_iban) == 1:
        return by_iban[0]
    payee_id = match_one(reference, _payee_options(payees), kind)
    return next(p for p in payees if p.id == payee_id)


def live_payee(session: Session, reference: Ref) -> Payee:
    """A saved (not removed) payee by id, IBAN or (fuzzy) name."""
    return _find_payee(session, reference, removed=False)


def removed_payee(session: Session, reference: Ref) -> Payee:
    """A removed payee by id, IBAN or (fuzzy) name."""
    return _find_payee(session, reference, removed=True)
