"""Read operations: balances, transaction lists, unreconciled items and statements."""

from __future__ import annotations

import csv
import os
import tempfile
from datetime import date
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ....errors import Invalid, WorkspaceError
from ...models import BankAccount, BankTransaction, TransactionStatus
from .._base import DomainService
from .._matching import Option, rank
from .._references import Ref, resolve_account
from ._ledger import account_figures, check_period, clean_text
from ._schemas import (
    AccountBalance,
    Balances,
    CurrencyTotal,
    Direction,
    Statement,
    StatementLine,
    TransactionInfo,
    TransactionPage,
)

__all__ = ["ReadingMixin"]

MAX_PAGE = 500


def _counterparty_matches(wanted: str, row: BankTransaction) -> bool:
    """Substring of the counterparty/description, or a fuzzy match of the counterparty."""
    needle = wanted.casefold()
    texts = [t for t in (row.counterparty, row.description) if t]
    if any(needle in t.casefold() for t in texts):
        return True
    return bool(row.counterparty and rank(wanted, [Option(row.id, row.counterparty)]))


def _signed(amount_minor: int, direction: Direction | None) -> bool:
    return direction is None or (amount_minor > 0) == (direction == "in")


def _money_csv(amount_minor: int) -> str:
    sign = "-" if amount_minor < 0 else ""
    major, minor = divmod(abs(amount_minor), 100)
    return f"{sign}{major}.{minor:02d}"


def write_statement_csv(statement: Statement, target: Path) -> None:
    """Write ``statement`` to ``target`` atomically (a temporary file renamed into place)."""
    handle, temporary = tempfile.mkstemp(prefix=".statement-", suffix=".csv", dir=target.parent)
    try:
        with os.fdopen(handle, "w", newline="", encoding="utf-8") as stream:
            out = csv.writer(stream)
            out.writerow(
                ["date", "description", "counterparty", "category", "amount", "balance", "currency"]
            )
            cur = statement.currency
            out.writerow(
                [
                    statement.start.isoformat(),
                    "Opening balance",
                    "",
                    "",
                    "",
                    _money_csv(statement.opening_balance_minor),
                    cur,
                ]
            )
            for line in statement.lines:
                t = line.transaction
                out.writerow(
                    [
                        t.booked_on.isoformat(),
                        t.description or "",
                        t.counterparty or "",
                        t.category or "",
                        _money_csv(t.amount_minor),
                        _money_csv(line.balance_minor),
                        cur,
                    ]
                )
            out.writerow(
                [
                    statement.end.isoformat(),
                    "Closing balance",
                    "",
                    "",
                    "",
                    _money_csv(statement.closing_balance_minor),
                    cur,
                ]
            )
            stream.flush()
            os.fsync(stream.fileno())
        Path(temporary).replace(target)
    except OSError as exc:
        Path(temporary).unlink(missing_ok=True)
        raise WorkspaceError(
            f"I couldn't write the statement to {target}: {exc.strerror}."
        ) from exc


def _export_target(export_path: str | Path, account: str, start: date, end: date) -> Path:
    target = Path(export_path).expanduser()
    if target.is_dir():
        slug = "-".join(account.lower().split())
        return target / f"statement-{slug}-{start.isoformat()}-{end.isoformat()}.csv"
    if not target.parent.is_dir():
        raise Invalid(
            f"The folder {target.parent} does not exist; choose where to save the statement.",
            field="export_path",
        )
    return target


class ReadingMixin(DomainService):
    """Balances, transaction lists and statements."""

    def get_balance(self, account: Ref | None = None) -> Balances:
        """Booked, pending and available money per active account, with totals per currency."""
        with self._unit() as session:
            if account is None:
                accounts = list(
                    session.scalars(
                        sa.select(BankAccount)
                        .where(BankAccount.active.is_(True))
                        .order_by(BankAccount.id)
                    ).all()
                )
            else:
                accounts = [resolve_account(session, account)]
            figures = account_figures(session, accounts) if accounts else {}
            rows = [
                AccountBalance(
                    account_id=a.id,
                    name=a.name,
                    kind=a.kind,
                    iban=a.iban,
                    currency=a.currency,
                    booked_minor=figures[a.id].booked,
                    pending_in_minor=figures[a.id].pending_in,
                    pending_out_minor=figures[a.id].pending_out,
                    available_minor=figures[a.id].available,
                )
                for a in accounts
            ]
        totals = [
            CurrencyTotal(
                currency=cur,
                booked_minor=sum(r.booked_minor for r in rows if r.currency == cur),
                pending_in_minor=sum(r.pending_in_minor for r in rows if r.currency == cur),
                pending_out_minor=sum(r.pending_out_minor for r in rows if r.currency == cur),
                available_minor=sum(r.available_minor for r in rows if r.currency == cur),
            )
            for cur in sorted({r.currency for r in rows})
        ]
        return Balances(accounts=tuple(rows), totals=tuple(totals))

    def list_transactions(
        self,
        *,
        start: date | None = None,
        end: date | None = None,
        account: Ref | None = None,
        min_amount_minor: int | None = None,
        max_amount_minor: int | None = None,
        counterparty: str | None = None,
        category: str | None = None,
        direction: Direction | None = None,
        status: TransactionStatus | None = None,
        limit: int = 50,
        offset: int = 0,
    ) -> TransactionPage:
        """Transactions newest first. Amount bounds apply to the size (absolute value) of the
        amount; ``direction`` picks money in or out; ``counterparty`` matches a substring of the
        counterparty or description, or the counterparty fuzzily ("tesco" finds "TESCO STORES").
        """
        check_period(start, end)
        for bound in (min_amount_minor, max_amount_minor):
            if bound is not None and bound < 0:
                raise Invalid(
                    "Amount limits are sizes: give them without a minus sign.", field="amount"
                )
        if (
            min_amount_minor is not None
            and max_amount_minor is not None
            and min_amount_minor > max_amount_minor
        ):
            raise Invalid("The minimum amount is above the maximum.", field="amount")
        if direction not in (None, "in", "out"):
            raise Invalid("Direction is “in” or “out”.", field="direction")
        if not 1 <= limit <= MAX_PAGE or offset < 0:
            raise Invalid(
                f"Ask for 1 to {MAX_PAGE} transactions from offset 0 or more.", field="limit"
            )
        wanted = clean_text(counterparty, "counterparty", 200)
        wanted_category = clean_text(category, "category", 60)
        with self._unit() as session:
            query = self._filtered(session, start, end, account)
            if wanted_category is not None:
                query = query.where(
                    sa.func.lower(BankTransaction.category) == wanted_category.lower()
                )
            if status is not None:
                query = query.where(BankTransaction.status == TransactionStatus(status))
            magnitude = sa.func.abs(BankTransaction.amount_minor)
            if min_amount_minor is not None:
                query = query.where(magnitude >= min_amount_minor)
            if max_amount_minor is not None:
                query = query.where(magnitude <= max_amount_minor)
            if direction is not None:
                query = query.where(
                    BankTransaction.amount_minor > 0
                    if direction == "in"
                    else BankTransaction.amount_minor <= 0
                )
            if wanted is None:  # everything is in SQL: count and fetch one page only
                counted = sa.select(sa.func.count()).select_from(query.order_by(None).subquery())
                total = session.scalar(counted) or 0
                page = session.scalars(query.limit(limit).offset(offset)).all()
            else:  # the fuzzy counterparty match runs in Python over the filtered rows
                matching = [r for r in session.scalars(query) if _counterparty_matches(wanted, r)]
                total, page = len(matching), matching[offset : offset + limit]
            items = tuple(TransactionInfo.model_validate(r) for r in page)
        return TransactionPage(items=items, total=total, offset=offset, limit=limit)

    def list_unreconciled(
        self,
        *,
        account: Ref | None = None,
        start: date | None = None,
        end: date | None = None,
        direction: Direction | None = None,
        limit: int = 100,
    ) -> TransactionPage:
        """Booked transactions, not transfers, matched to neither an invoice nor an expense."""
        check_period(start, end)
        if not 1 <= limit <= MAX_PAGE:
            raise Invalid(f"Ask for 1 to {MAX_PAGE} transactions.", field="limit")
        with self._unit() as session:
            query = self._filtered(session, start, end, account).where(
                BankTransaction.status == TransactionStatus.BOOKED,
                BankTransaction.transfer_group.is_(None),
                BankTransaction.reconciled_invoice_id.is_(None),
                BankTransaction.reconciled_expense_id.is_(None),
            )
            rows = [r for r in session.scalars(query).all() if _signed(r.amount_minor, direction)]
            items = tuple(TransactionInfo.model_validate(r) for r in rows[:limit])
        return TransactionPage(items=items, total=len(rows), offset=0, limit=limit)

    def get_statement(
        self,
        account: Ref,
        *,
        start: date | None = None,
        end: date | None = None,
        export_path: str | Path | None = None,
    ) -> Statement:
        """Booked transactions of ``account`` from ``start`` (default: first of this month) to
        ``end`` (default: today) with running balances; ``export_path`` (a file or a folder)
        also writes them as CSV, atomically."""
        today = self.context.today()
        start = start or today.replace(day=1)
        end = end or today
        check_period(start, end)
        with self._unit() as session:
            bank_account = resolve_account(session, account)
            booked = BankTransaction.status == TransactionStatus.BOOKED
            mine = BankTransaction.account_id == bank_account.id
            before = (
                session.scalar(
                    sa.select(sa.func.coalesce(sa.func.sum(BankTransaction.amount_minor), 0)).where(
                        mine, booked, BankTransaction.booked_on < start
                    )
                )
                or 0
            )
            rows = session.scalars(
                sa.select(BankTransaction)
                .where(mine, booked, BankTransaction.booked_on.between(start, end))
                .order_by(BankTransaction.booked_on, BankTransaction.id)
            ).all()
            opening = bank_account.opening_balance_minor + int(before)
            balance, lines = opening, []
            for row in rows:
                balance += row.amount_minor
                lines.append(
                    StatementLine(
                        transaction=TransactionInfo.model_validate(row), balance_minor=balance
                    )
                )
            statement = Statement(
                account_id=bank_account.id,
                account_name=bank_account.name,
                currency=bank_account.currency,
                start=start,
                end=end,
                opening_balance_minor=opening,
                lines=tuple(lines),
                closing_balance_minor=balance,
                money_in_minor=sum(r.amount_minor for r in rows if r.amount_minor > 0),
                money_out_minor=sum(r.amount_minor for r in rows if r.amount_minor < 0),
            )
        if export_path is None:
            return statement
        target = _export_target(export_path, statement.account_name, start, end)
        write_statement_csv(statement, target)
        return statement.model_copy(update={"export_path": str(target)})

    @staticmethod
    def _filtered(
        session: Session, start: date | None, end: date | None, account: Ref | None
    ) -> sa.Select[BankTransaction]:
        query = sa.select(BankTransaction).order_by(
            BankTransaction.booked_on.desc(), BankTransaction.id.desc()
        )
        if account is not None:
            query = query.where(BankTransaction.account_id == resolve_account(session, account).id)
        if start is not None:
            query = query.where(BankTransaction.booked_on >= start)
        if end is not None:
            query = query.where(BankTransaction.booked_on <= end)
        return query
