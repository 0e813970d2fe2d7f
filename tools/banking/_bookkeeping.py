"""Bookkeeping: categorising transactions and matching them to invoices or expenses."""

from __future__ import annotations

import re
from typing import Any, Literal

from pydantic import Field

from ...assistant.catalog import Card, InverseRunner, Operation, Risk, Tool, ToolResult
from ...assistant.context import ExecutionContext
from ...errors import Invalid
from ...workspace.services import Services
from ...workspace.services.banking import Reconciliation
from .._common import Reference, ToolInput, money
from ._shared import DOMAIN, WRITE_SCOPE, day_label, undo_plan

__all__ = ["INVERSES", "TOOLS"]


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
        undo_plan(
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
    what += f" on {day_label(t.booked_on)}"
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
        undo_plan(
            "unreconcile",
            f"unmatch transaction #{args.transaction} from {target}",
            transaction_id=args.transaction,
        ),
    )


# -- the tools -------------------------------------------------------------------------------

_W = Operation.WRITE

TOOLS: list[Tool[Any]] = [
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
        WRITE_SCOPE,
        Card.TRANSACTIONS,
        reversible=True,
        examples=(
            "file the Screwfix payment under equipment",
            "those card payments were stock",
        ),
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
        WRITE_SCOPE,
        Card.TRANSACTIONS,
        confirmation="Match transaction #{transaction} to {match_to} {record}?",
        reversible=True,
        examples=(
            "that transfer from Hans is for INV-0031",
            "link yesterday's deposit to Olivia's invoice",
        ),
    ),
]

INVERSES: dict[tuple[str, str], InverseRunner] = {
    (DOMAIN, "restore_categories"): lambda s, a: s.banking.restore_categories(
        {int(k): v for k, v in a["previous"].items()}
    ),
    (DOMAIN, "unreconcile"): lambda s, a: s.banking.unreconcile(a["transaction_id"]),
}
