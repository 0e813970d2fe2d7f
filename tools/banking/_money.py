"""Moving money: transfers between own accounts, payments to payees, scheduled payments.

A payment to a payee is high risk, and critical above the business's large-payment threshold
(:func:`pay_payee_risk`); it cannot be undone. Transfers and schedules can.
"""

from __future__ import annotations

from typing import Any

from pydantic import Field

from ...assistant.catalog import Card, InverseRunner, Operation, Risk, Tool, ToolResult
from ...assistant.context import ExecutionContext
from ...workspace.models import Frequency
from ...workspace.services import Services
from ...workspace.services.banking import DEFAULT_LARGE_PAYMENT_MINOR
from .._common import Amount, DayText, Reference, ToolInput, minor, money, resolve_day
from ._shared import DOMAIN, WRITE_SCOPE, day_label, optional_day, undo_plan

__all__ = ["INVERSES", "TOOLS", "pay_payee_risk"]


def pay_payee_risk(amount_minor: int, threshold_minor: int) -> Risk:
    """The risk of paying ``amount_minor``: critical above ``threshold_minor``, else high.

    The same rule as ``BankingService.is_large_payment``; it is the tool's ``risk_rule``, which
    the gatekeeper applies to every call.
    """
    return Risk.CRITICAL if amount_minor > threshold_minor else Risk.HIGH


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
        undo_plan(
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
        on=optional_day(args.on, context, "on"),
    )
    amount = money(-payment.amount_minor, payment.currency)
    if payment.booked_on > context.service_context().today():
        when = f"It is dated {day_label(payment.booked_on)}; the money is reserved now."
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
    when = f"{_EVERY[schedule.frequency]} {day_label(schedule.next_on)} {schedule.next_on.year}"
    return ToolResult(
        f"Scheduled {amount} to {schedule.payee_name} {when}.",
        schedule,
        Card.TRANSACTIONS,
        undo_plan(
            "cancel_scheduled_payment",
            f"cancel the scheduled payment of {amount} to {schedule.payee_name}",
            scheduled_payment_id=schedule.id,
        ),
    )


# -- the tools -------------------------------------------------------------------------------

_W = Operation.WRITE
_THRESHOLD = f"{DEFAULT_LARGE_PAYMENT_MINOR // 100:,}"

TOOLS: list[Tool[Any]] = [
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
        WRITE_SCOPE,
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
        WRITE_SCOPE,
        Card.TRANSACTIONS,
        confirmation=(
            "Pay {amount} to {payee}? This cannot be undone. Payments above the large-payment "
            f"threshold ({_THRESHOLD} by default) need a typed confirmation phrase."
        ),
        examples=("pay HairCo 250 pounds",),
        risk_rule=lambda args, services: pay_payee_risk(
            minor(args.amount), services.large_payment_threshold_minor
        ),
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
        WRITE_SCOPE,
        Card.TRANSACTIONS,
        confirmation="Pay {amount} to {payee} from {first_on} ({frequency})?",
        reversible=True,
        examples=("pay the laundry 46.80 every monday",),
    ),
]

INVERSES: dict[tuple[str, str], InverseRunner] = {
    (DOMAIN, "transfer_back"): lambda s, a: s.banking.transfer_internal(
        a["from_account"], a["to_account"], a["amount_minor"], a["reference"]
    ),
    (DOMAIN, "cancel_scheduled_payment"): lambda s, a: s.banking.cancel_scheduled_payment(
        a["scheduled_payment_id"]
    ),
}
