"""Reading the bank: balances, transactions, unreconciled entries, statements, payees."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from ...assistant.catalog import Card, DataScope, Operation, Risk, Tool, ToolResult
from ...assistant.context import ExecutionContext
from ...errors import NotFound
from ...workspace.models import TransactionStatus
from ...workspace.services import Services
from ...workspace.services.banking import TransactionInfo
from .._common import Amount, DayText, Limit, Reference, ToolInput, minor, money
from ._shared import DOMAIN, day_label, optional_day

__all__ = ["TOOLS"]

Direction = Literal["in", "out"]


def _line(t: TransactionInfo) -> str:
    who = t.counterparty or t.description or "unknown"
    pending = " (pending)" if t.status is TransactionStatus.PENDING else ""
    return f"{day_label(t.booked_on)} {money(t.amount_minor, t.currency)} {who}{pending}"


def _lines(items: tuple[TransactionInfo, ...], total: int) -> str:
    shown = "; ".join(_line(t) for t in items[:5])
    more = f" and {total - min(len(items), 5)} more" if total > min(len(items), 5) else ""
    return f"{shown}{more}"


# -- banking_get_balance ---------------------------------------------------------------------


class GetBalance(ToolInput):
    account: Reference | None = Field(
        default=None, description="One account by name ('Savings') or id; default: all accounts."
    )


def get_balance(services: Services, args: GetBalance, context: ExecutionContext) -> ToolResult:
    balances = services.banking.get_balance(args.account)
    if not balances.accounts:
        return ToolResult("There are no open bank accounts.", balances, Card.BALANCE)
    parts = [f"{a.name} {money(a.available_minor, a.currency)}" for a in balances.accounts]
    totals = []
    for total in balances.totals:
        pending = ""
        if total.pending_in_minor or total.pending_out_minor:
            pending = (
                f" ({money(total.pending_in_minor, total.currency)} pending in, "
                f"{money(-total.pending_out_minor, total.currency)} pending out)"
            )
        totals.append(f"{money(total.available_minor, total.currency)}{pending}")
    return ToolResult(
        f"Available: {', '.join(totals)} — {'; '.join(parts)}.", balances, Card.BALANCE
    )


# -- banking_list_transactions ---------------------------------------------------------------


class ListTransactions(ToolInput):
    start: DayText | None = Field(default=None, description="First day (default: no limit).")
    end: DayText | None = Field(default=None, description="Last day, inclusive.")
    account: Reference | None = Field(
        default=None, description="Only this account (name or id); default: all accounts."
    )
    min_amount: Amount | None = Field(
        default=None, description="Only amounts of at least this size (in or out), e.g. 100."
    )
    max_amount: Amount | None = Field(
        default=None, description="Only amounts of at most this size (in or out)."
    )
    counterparty: str | None = Field(
        default=None,
        min_length=1,
        max_length=200,
        description="Who paid or was paid, or words of the description ('tesco', 'HMRC').",
    )
    category: str | None = Field(
        default=None, min_length=1, max_length=60, description="Exact category ('supplies')."
    )
    direction: Direction | None = Field(
        default=None, description="'in' for money received, 'out' for money spent."
    )
    status: TransactionStatus | None = Field(
        default=None, description="'pending' (not cleared yet) or 'booked'."
    )
    limit: Limit = 50
    offset: int = Field(default=0, ge=0, le=100_000, description="Skip this many (paging).")


def list_transactions(
    services: Services, args: ListTransactions, context: ExecutionContext
) -> ToolResult:
    page = services.banking.list_transactions(
        start=optional_day(args.start, context, "start"),
        end=optional_day(args.end, context, "end"),
        account=args.account,
        min_amount_minor=minor(args.min_amount) if args.min_amount is not None else None,
        max_amount_minor=minor(args.max_amount) if args.max_amount is not None else None,
        counterparty=args.counterparty,
        category=args.category,
        direction=args.direction,
        status=args.status,
        limit=args.limit,
        offset=args.offset,
    )
    if not page.total:
        return ToolResult("No transactions match.", page, Card.TRANSACTIONS)
    return ToolResult(
        f"{page.total} transaction(s): {_lines(page.items, page.total - page.offset)}.",
        page,
        Card.TRANSACTIONS,
    )


# -- banking_list_unreconciled ---------------------------------------------------------------


class ListUnreconciled(ToolInput):
    account: Reference | None = Field(
        default=None, description="Only this account (name or id); default: all accounts."
    )
    start: DayText | None = Field(default=None, description="First day (default: no limit).")
    end: DayText | None = Field(default=None, description="Last day, inclusive.")
    direction: Direction | None = Field(
        default=None, description="'in' (could pay an invoice) or 'out' (could be an expense)."
    )
    limit: Limit = 50


def list_unreconciled(
    services: Services, args: ListUnreconciled, context: ExecutionContext
) -> ToolResult:
    page = services.banking.list_unreconciled(
        account=args.account,
        start=optional_day(args.start, context, "start"),
        end=optional_day(args.end, context, "end"),
        direction=args.direction,
        limit=args.limit,
    )
    if not page.total:
        return ToolResult(
            "Every booked transaction is matched to an invoice or expense.", page, Card.TRANSACTIONS
        )
    return ToolResult(
        f"{page.total} transaction(s) not matched to an invoice or expense: "
        f"{_lines(page.items, page.total)}.",
        page,
        Card.TRANSACTIONS,
    )


# -- banking_get_statement -------------------------------------------------------------------


class GetStatement(ToolInput):
    account: Reference | None = Field(
        default=None, description="The account (name or id); default: the main current account."
    )
    start: DayText | None = Field(
        default=None, description="First day (default: the first of this month)."
    )
    end: DayText | None = Field(default=None, description="Last day, inclusive (default: today).")
    export: bool = Field(default=False, description="Also save the statement as a CSV file.")


def _main_account(services: Services) -> int:
    accounts = services.banking.get_balance().accounts
    if not accounts:
        raise NotFound("bank account", "(no open account yet)")
    current = [a for a in accounts if a.kind == "current"]
    return (current or list(accounts))[0].account_id


def get_statement(services: Services, args: GetStatement, context: ExecutionContext) -> ToolResult:
    account = args.account if args.account is not None else _main_account(services)
    statement = services.banking.get_statement(
        account,
        start=optional_day(args.start, context, "start"),
        end=optional_day(args.end, context, "end"),
        export_path=services.folder("statements") if args.export else None,
    )
    cur = statement.currency
    summary = (
        f"{statement.account_name}, {day_label(statement.start)} to {day_label(statement.end)} "
        f"{statement.end.year}: opening {money(statement.opening_balance_minor, cur)}, "
        f"in {money(statement.money_in_minor, cur)}, "
        f"out {money(-statement.money_out_minor, cur)}, "
        f"closing {money(statement.closing_balance_minor, cur)} "
        f"({len(statement.lines)} transaction(s))."
    )
    if statement.export_path:
        summary += f" Saved to {statement.export_path}."
    return ToolResult(summary, statement, Card.TRANSACTIONS)


# -- banking_list_payees ---------------------------------------------------------------------


class ListPayees(ToolInput):
    """No arguments: every saved payee."""


def list_payees(services: Services, args: ListPayees, context: ExecutionContext) -> ToolResult:
    payees = services.banking.list_payees()
    if not payees:
        return ToolResult("There are no saved payees.", [], Card.TABLE)
    names = ", ".join(p.name for p in payees)
    return ToolResult(f"{len(payees)} saved payee(s): {names}.", payees, Card.TABLE)


# -- the tools -------------------------------------------------------------------------------

_R = Operation.READ

TOOLS: list[Tool[Any]] = [
    Tool(
        "banking_get_balance",
        DOMAIN,
        "Balances of the business's bank accounts: booked, pending in/out and available.\n"
        "Use for 'what's my balance', 'how much is in savings'. Returns each account and the "
        "totals per currency (amounts in minor units).",
        GetBalance,
        get_balance,
        _R,
        Risk.NONE,
        DataScope.ALL,
        Card.BALANCE,
        examples=("what's my balance", "how much money is in savings"),
    ),
    Tool(
        "banking_list_transactions",
        DOMAIN,
        "Bank transactions, newest first, filtered by period, account, amount, counterparty, "
        "category, direction or status.\n"
        "Use for 'what did we pay Tesco', 'payments over £500 last month'. Amounts are signed "
        "minor units (negative = money out); returns a page with the total count.",
        ListTransactions,
        list_transactions,
        _R,
        Risk.NONE,
        DataScope.ALL,
        Card.TRANSACTIONS,
        examples=("show this week's transactions", "what did we spend at Tesco"),
    ),
    Tool(
        "banking_list_unreconciled",
        DOMAIN,
        "Booked transactions not yet matched to an invoice or an expense (transfers excluded).\n"
        "Use before reconciling; then match one with banking_reconcile.",
        ListUnreconciled,
        list_unreconciled,
        _R,
        Risk.NONE,
        DataScope.ALL,
        Card.TRANSACTIONS,
        examples=("what hasn't been reconciled",),
    ),
    Tool(
        "banking_get_statement",
        DOMAIN,
        "A statement of one account for a period: opening and closing balance, money in and "
        "out, each booked transaction with the running balance.\n"
        "Set export to save it as a CSV file (its path is returned). Default period: this "
        "month so far.",
        GetStatement,
        get_statement,
        _R,
        Risk.NONE,
        DataScope.ALL,
        Card.TRANSACTIONS,
        examples=("get me the statement for October", "export this month's statement"),
    ),
    Tool(
        "banking_list_payees",
        DOMAIN,
        "The saved payees (name, IBAN, BIC, default reference), by name.\n"
        "Payments (banking_pay_payee, banking_schedule_payment) go only to saved payees.",
        ListPayees,
        list_payees,
        _R,
        Risk.NONE,
        DataScope.ALL,
        Card.TABLE,
        examples=("who can I pay", "list my payees"),
    ),
]
