"""Banking & payments (spec section 4): balances, transactions, statements, payees, payments.

The embedded bank is a local ledger (``services.banking``); amounts arrive in major units and
are converted with :func:`minor`. A payment to a payee is high risk, and critical above the
business's large-payment threshold: the gatekeeper asks :func:`pay_payee_risk` for the level of
each ``banking_pay_payee`` call (the catalog row says high). Payments cannot be undone.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any, Literal

from pydantic import Field

from ..assistant.catalog import Card, DataScope, Operation, Risk, Tool, ToolResult, UndoPlan
from ..assistant.context import ExecutionContext
from ..errors import Invalid, NotFound
from ..workspace.models import Frequency, TransactionStatus
from ..workspace.services import Services
from ..workspace.services.banking import (
    DEFAULT_LARGE_PAYMENT_MINOR,
    Reconciliation,
    TransactionInfo,
)
from ._common import Amount, DayText, Limit, Reference, ToolInput, minor, money, resolve_day

__all__ = ["INVERSES", "TOOLS", "pay_payee_risk"]

DOMAIN = "banking"

Direction = Literal["in", "out"]


def pay_payee_risk(amount_minor: int, threshold_minor: int) -> Risk:
    """The risk of paying ``amount_minor``: critical above ``threshold_minor``, else high.

    The same rule as ``BankingService.is_large_payment``; the gatekeeper calls it with
    ``minor(arguments.amount)`` and ``services.large_payment_threshold_minor``.
    """
    return Risk.CRITICAL if amount_minor > threshold_minor else Risk.HIGH


def _day(value: date) -> str:
    """Tue 17 Nov."""
    return f"{value:%a} {value.day} {value:%b}"


def _line(t: TransactionInfo) -> str:
    who = t.counterparty or t.description or "unknown"
    pending = " (pending)" if t.status is TransactionStatus.PENDING else ""
    return f"{_day(t.booked_on)} {money(t.amount_minor, t.currency)} {who}{pending}"


def _lines(items: tuple[TransactionInfo, ...], total: int) -> str:
    shown = "; ".join(_line(t) for t in items[:5])
    more = f" and {total - min(len(items), 5)} more" if total > min(len(items), 5) else ""
    return f"{shown}{more}"


def _undo(operation: str, summary: str, **arguments: Any) -> UndoPlan:
    return UndoPlan(DOMAIN, operation, arguments, summary)


def _optional_day(text: str | None, context: ExecutionContext, field: str) -> date | None:
    return resolve_day(text, context, field) if text else None


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
        start=_optional_day(args.start, context, "start"),
        end=_optional_day(args.end, context, "end"),
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
        start=_optional_day(args.start, context, "start"),
        end=_optional_day(args.end, context, "end"),
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
        start=_optional_day(args.start, context, "start"),
        end=_optional_day(args.end, context, "end"),
        export_path=services.folder("statements") if args.export else None,
    )
    cur = statement.currency
    summary = (
        f"{statement.account_name}, {_day(statement.start)} to {_day(statement.end)} "
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


# -- banking_categorize_transaction ----------------------------------------------------------


class CategorizeTransactions(ToolInput):
    transactions: list[int] = Field(
        min_length=1,
        max_length=200,
        description="Ids of the transactions (from banking_list_transactions).",
    )
    category: str | None = Field(
        min_length=1,
        max_length=60,
        description="The category to set ('supplies', 'rent'); null clears it.",
    )


def categorize(
    services: Services, args: CategorizeTransactions, context: ExecutionContext
) -> ToolResult:
    changes = services.banking.categorize_transaction(args.transactions, args.category)
    first, count = changes[0], len(changes)
    which = f"transaction #{first.transaction_id}" if count == 1 else f"{count} transactions"
    if first.category is None:
        summary = f"Cleared the category of {which}."
    else:
        was = f" (was “{first.previous}”)" if count == 1 and first.previous else ""
        summary = f"Set the category of {which} to “{first.category}”{was}."
    previous = {str(c.transaction_id): c.previous for c in changes}
    return ToolResult(
        summary,
        changes,
        Card.TRANSACTIONS,
        _undo(
            "restore_categories",
            f"put back the previous category of {len(changes)} transaction(s)",
            previous=previous,
        ),
    )


# -- banking_reconcile -----------------------------------------------------------------------

_NUMBER = re.compile(r"^#?\s*(\d+)$")


class Reconcile(ToolInput):
    transaction: int = Field(
        ge=1, description="Id of a booked transaction (from banking_list_unreconciled)."
    )
    match_to: Literal["invoice", "expense"] = Field(
        description="'invoice' for money received, 'expense' for money spent."
    )
    record: Reference = Field(
        description="The invoice ('INV-0042', '#42') or the expense's number (12 or '#12')."
    )


def _expense_id(record: int | str) -> int:
    if isinstance(record, int):
        return record
    found = _NUMBER.match(record)
    if found is None:
        raise Invalid(
            f"“{record}” is not an expense number; give it as a number, e.g. 12 or #12.",
            field="record",
        )
    return int(found.group(1))


def _reconciled(result: Reconciliation) -> str:
    t = result.transaction
    what = money(t.amount_minor, t.currency)
    if t.counterparty:
        what += f" from {t.counterparty}" if t.amount_minor > 0 else f" to {t.counterparty}"
    what += f" on {_day(t.booked_on)}"
    if result.invoice_number is None:
        return f"Matched {what} with expense #{result.expense_id}."
    status = (result.invoice_status or "").replace("_", " ")
    owed = ""
    if result.invoice_balance_minor:
        owed = f", {money(result.invoice_balance_minor, t.currency)} still owed"
    return f"Matched {what} with {result.invoice_number}: now {status}{owed}."


def reconcile(services: Services, args: Reconcile, context: ExecutionContext) -> ToolResult:
    if args.match_to == "invoice":
        result = services.banking.reconcile(args.transaction, invoice=args.record)
    else:
        result = services.banking.reconcile(args.transaction, expense_id=_expense_id(args.record))
    target = result.invoice_number or f"expense #{result.expense_id}"
    return ToolResult(
        _reconciled(result),
        result,
        Card.TRANSACTIONS,
        _undo(
            "unreconcile",
            f"unmatch transaction #{args.transaction} from {target}",
            transaction_id=args.transaction,
        ),
    )


# -- banking_transfer_internal ---------------------------------------------------------------


class TransferInternal(ToolInput):
    from_account: Reference = Field(description="The account the money leaves (name or id).")
    to_account: Reference = Field(description="The account the money goes to (name or id).")
    amount: Amount
    reference: str | None = Field(
        default=None, min_length=1, max_length=140, description="Text shown on both entries."
    )


def transfer_internal(
    services: Services, args: TransferInternal, context: ExecutionContext
) -> ToolResult:
    transfer = services.banking.transfer_internal(
        args.from_account, args.to_account, minor(args.amount), args.reference
    )
    amount = money(transfer.amount_minor, transfer.currency)
    source, target = transfer.incoming.counterparty, transfer.outgoing.counterparty
    return ToolResult(
        f"Moved {amount} from {source} to {target}.",
        transfer,
        Card.TRANSACTIONS,
        _undo(
            "transfer_back",
            f"move {amount} back from {target} to {source}",
            from_account=transfer.incoming.account_id,
            to_account=transfer.outgoing.account_id,
            amount_minor=transfer.amount_minor,
            reference=f"Reversal of transfer to {target}"[:140],
        ),
    )


# -- banking_pay_payee -----------------------------------------------------------------------


class PayPayee(ToolInput):
    payee: Reference = Field(description="A saved payee: name ('HairCo'), IBAN or id.")
    amount: Amount
    account: Reference | None = Field(
        default=None, description="Pay from this account (name or id); default: current account."
    )
    reference: str | None = Field(
        default=None,
        min_length=1,
        max_length=140,
        description="Payment reference the payee sees (default: the payee's saved reference).",
    )
    on: DayText | None = Field(
        default=None, description="Payment date, today or later (default: today)."
    )


def pay_payee(services: Services, args: PayPayee, context: ExecutionContext) -> ToolResult:
    payment = services.banking.pay_payee(
        args.payee,
        minor(args.amount),
        account=args.account,
        reference=args.reference,
        on=_optional_day(args.on, context, "on"),
    )
    amount = money(-payment.amount_minor, payment.currency)
    if payment.booked_on > context.service_context().today():
        when = f"It is dated {_day(payment.booked_on)}; the money is reserved now."
    else:
        when = "It is pending until it clears on the next banking day."
    return ToolResult(
        f"Paid {amount} to {payment.counterparty}, reference “{payment.description}”. {when}",
        payment,
        Card.TRANSACTIONS,
    )


# -- banking_schedule_payment ----------------------------------------------------------------


class SchedulePayment(ToolInput):
    payee: Reference = Field(description="A saved payee: name ('HairCo'), IBAN or id.")
    amount: Amount
    first_on: DayText = Field(description="Day of the first payment, today or later.")
    frequency: Frequency = Field(
        default=Frequency.ONCE, description="'once', or repeat 'weekly', 'monthly', 'yearly'."
    )
    account: Reference | None = Field(
        default=None, description="Pay from this account (name or id); default: current account."
    )
    reference: str | None = Field(
        default=None,
        min_length=1,
        max_length=140,
        description="Payment reference (default: the payee's saved reference).",
    )


_EVERY = {
    Frequency.ONCE: "on",
    Frequency.WEEKLY: "every week from",
    Frequency.MONTHLY: "every month from",
    Frequency.YEARLY: "every year from",
}


def schedule_payment(
    services: Services, args: SchedulePayment, context: ExecutionContext
) -> ToolResult:
    schedule = services.banking.schedule_payment(
        args.payee,
        minor(args.amount),
        resolve_day(args.first_on, context, "first_on"),
        args.frequency,
        account=args.account,
        reference=args.reference,
    )
    amount = money(schedule.amount_minor, schedule.currency)
    when = f"{_EVERY[schedule.frequency]} {_day(schedule.next_on)} {schedule.next_on.year}"
    return ToolResult(
        f"Scheduled {amount} to {schedule.payee_name} {when}.",
        schedule,
        Card.TRANSACTIONS,
        _undo(
            "cancel_scheduled_payment",
            f"cancel the scheduled payment of {amount} to {schedule.payee_name}",
            scheduled_payment_id=schedule.id,
        ),
    )


# -- payees ----------------------------------------------------------------------------------


class AddPayee(ToolInput):
    name: str = Field(min_length=1, max_length=200, description="Who is paid, e.g. 'HairCo Ltd'.")
    iban: str = Field(
        min_length=15, max_length=42, description="Their IBAN (spaces allowed); it is checked."
    )
    bic: str | None = Field(
        default=None, min_length=8, max_length=14, description="BIC/SWIFT code, if known."
    )
    reference: str | None = Field(
        default=None,
        min_length=1,
        max_length=140,
        description="Reference to use on payments by default (e.g. their account number).",
    )


def add_payee(services: Services, args: AddPayee, context: ExecutionContext) -> ToolResult:
    payee = services.banking.add_payee(args.name, args.iban, bic=args.bic, reference=args.reference)
    return ToolResult(
        f"Saved the payee {payee.name} (IBAN {payee.iban}).",
        payee,
        Card.TABLE,
        _undo("remove_payee", f"remove the payee {payee.name}", payee_id=payee.id),
    )


class RemovePayee(ToolInput):
    payee: Reference = Field(description="A saved payee: name, IBAN or id.")


def remove_payee(services: Services, args: RemovePayee, context: ExecutionContext) -> ToolResult:
    payee = services.banking.remove_payee(args.payee)
    return ToolResult(
        f"Removed the payee {payee.name}.",
        payee,
        Card.TABLE,
        _undo("restore_payee", f"bring back the payee {payee.name}", payee_id=payee.id),
    )


# -- cards -----------------------------------------------------------------------------------


class CardRef(ToolInput):
    card: str = Field(
        min_length=1,
        max_length=100,
        description="The card: last four digits ('4821'), the holder's name ('Emma Clarke') "
        "or '#' and its id.",
    )


def freeze_card(services: Services, args: CardRef, context: ExecutionContext) -> ToolResult:
    card = services.banking.freeze_card(args.card)
    label = f"{card.holder}'s card ending {card.last4}"
    return ToolResult(
        f"Froze {label}; it cannot be used until it is unfrozen.",
        card,
        Card.TEXT,
        _undo("unfreeze_card", f"unfreeze {label}", card_id=card.id),
    )


def unfreeze_card(services: Services, args: CardRef, context: ExecutionContext) -> ToolResult:
    card = services.banking.unfreeze_card(args.card)
    label = f"{card.holder}'s card ending {card.last4}"
    return ToolResult(
        f"Unfroze {label}; it works again.",
        card,
        Card.TEXT,
        _undo("freeze_card", f"freeze {label} again", card_id=card.id),
    )


# -- the catalog of this domain --------------------------------------------------------------

_W, _R = Operation.WRITE, Operation.READ
_MONEY = DataScope.ADMIN_ONLY
"""Banking writes are for owners and admins (managers only read, staff and clients never)."""
_THRESHOLD = f"{DEFAULT_LARGE_PAYMENT_MINOR // 100:,}"

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
    Tool(
        "banking_categorize_transaction",
        DOMAIN,
        "Set (or clear) the category of one or many transactions by id.\n"
        "Use for bookkeeping: 'mark those as supplies'. Returns each previous category; undo "
        "puts them back.",
        CategorizeTransactions,
        categorize,
        _W,
        Risk.LOW,
        _MONEY,
        Card.TRANSACTIONS,
        reversible=True,
    ),
    Tool(
        "banking_reconcile",
        DOMAIN,
        "Match a booked transaction to an invoice (records the payment: the invoice becomes "
        "paid or partially paid) or to an expense of the same amount.\n"
        "Find candidates with banking_list_unreconciled. Undo removes the match and the "
        "recorded payment.",
        Reconcile,
        reconcile,
        _W,
        Risk.MEDIUM,
        _MONEY,
        Card.TRANSACTIONS,
        confirmation="Match transaction #{transaction} to {match_to} {record}?",
        reversible=True,
    ),
    Tool(
        "banking_transfer_internal",
        DOMAIN,
        "Move money between two of the business's own accounts (same currency), booked at "
        "once.\n"
        "Refused when the source lacks available funds. Undo makes a transfer back (the ledger "
        "is never edited).",
        TransferInternal,
        transfer_internal,
        _W,
        Risk.HIGH,
        _MONEY,
        Card.TRANSACTIONS,
        confirmation="Move {amount} from {from_account} to {to_account}?",
        reversible=True,
        examples=("move 500 pounds to savings",),
    ),
    Tool(
        "banking_pay_payee",
        DOMAIN,
        "Pay a saved payee now (or on a later date) from a business account.\n"
        "The payment is pending until the next day's clearing and reserves the money at once. "
        "It is not reversible by undo: money sent is gone. A payment that is still pending can "
        "be cancelled in the bank ledger (cancel_pending_payment), which is deliberately not "
        "offered as undo. Payments above the large-payment threshold are critical: they need "
        "a typed confirmation phrase.",
        PayPayee,
        pay_payee,
        _W,
        Risk.HIGH,
        _MONEY,
        Card.TRANSACTIONS,
        confirmation=(
            "Pay {amount} to {payee}? This cannot be undone. Payments above the large-payment "
            f"threshold ({_THRESHOLD} by default) need a typed confirmation phrase."
        ),
        examples=("pay HairCo 250 pounds",),
    ),
    Tool(
        "banking_schedule_payment",
        DOMAIN,
        "Schedule a future payment to a saved payee, once or repeating weekly, monthly or "
        "yearly.\n"
        "The money leaves on each due day (the daily run makes the payments). Undo cancels the "
        "schedule.",
        SchedulePayment,
        schedule_payment,
        _W,
        Risk.HIGH,
        _MONEY,
        Card.TRANSACTIONS,
        confirmation="Pay {amount} to {payee} from {first_on} ({frequency})?",
        reversible=True,
        examples=("pay the laundry 46.80 every monday",),
    ),
    Tool(
        "banking_add_payee",
        DOMAIN,
        "Save a new payee with a checked IBAN (and optional BIC and default reference).\n"
        "Needed before paying someone new. Undo removes the payee.",
        AddPayee,
        add_payee,
        _W,
        Risk.HIGH,
        _MONEY,
        Card.TABLE,
        confirmation="Add the payee {name} with IBAN {iban}?",
        reversible=True,
    ),
    Tool(
        "banking_remove_payee",
        DOMAIN,
        "Remove a saved payee (kept for history; payments to it stop being possible).\n"
        "Refused while it has scheduled payments. Undo brings it back.",
        RemovePayee,
        remove_payee,
        _W,
        Risk.HIGH,
        _MONEY,
        Card.TABLE,
        confirmation="Remove the payee {payee}?",
        reversible=True,
    ),
    Tool(
        "banking_freeze_card",
        DOMAIN,
        "Freeze a business payment card (lost, stolen, or to stop spending).\n"
        "Find it by its last four digits or holder. Undo unfreezes it.",
        CardRef,
        freeze_card,
        _W,
        Risk.HIGH,
        _MONEY,
        Card.TEXT,
        confirmation="Freeze the card {card}?",
        reversible=True,
        examples=("freeze Daniel's card", "freeze the card ending 4821"),
    ),
    Tool(
        "banking_unfreeze_card",
        DOMAIN,
        "Unfreeze a frozen business payment card so it works again.\n"
        "Find it by its last four digits or holder. Undo freezes it again.",
        CardRef,
        unfreeze_card,
        _W,
        Risk.HIGH,
        _MONEY,
        Card.TEXT,
        confirmation="Unfreeze the card {card}?",
        reversible=True,
    ),
]

INVERSES = {
    (DOMAIN, "restore_categories"): lambda s, a: s.banking.restore_categories(
        {int(k): v for k, v in a["previous"].items()}
    ),
    (DOMAIN, "unreconcile"): lambda s, a: s.banking.unreconcile(a["transaction_id"]),
    (DOMAIN, "transfer_back"): lambda s, a: s.banking.transfer_internal(
        a["from_account"], a["to_account"], a["amount_minor"], a["reference"]
    ),
    (DOMAIN, "cancel_scheduled_payment"): lambda s, a: s.banking.cancel_scheduled_payment(
        a["scheduled_payment_id"]
    ),
    (DOMAIN, "remove_payee"): lambda s, a: s.banking.remove_payee(a["payee_id"]),
    (DOMAIN, "restore_payee"): lambda s, a: s.banking.restore_payee(a["payee_id"]),
    (DOMAIN, "unfreeze_card"): lambda s, a: s.banking.unfreeze_card(a["card_id"]),
    (DOMAIN, "freeze_card"): lambda s, a: s.banking.freeze_card(a["card_id"]),
}
