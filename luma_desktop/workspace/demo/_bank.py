"""The embedded bank: two accounts, payees, cards, ~400 transactions, payments and expenses.

Transactions are planned first (takings, invoice payments, bills, supplies, salaries, a monthly
transfer to savings...), then the current account's opening balance is chosen so the balance
never dips below a comfortable floor, and finally everything is written.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from ..models import (
    AppointmentStatus,
    BankAccount,
    BankTransaction,
    Card,
    Expense,
    Frequency,
    Payee,
    Payment,
    PaymentMethod,
    ScheduledPayment,
    TransactionStatus,
)
from ..values import to_minor
from ._builder import Seeder, gb_iban, load
from ._money import Receipt

__all__ = ["LEDGER_DAYS", "seed_bank"]

LEDGER_DAYS = 91
_CURRENT = "Business Current"
_SAVINGS = "Savings"
_FLOOR_MINOR = 300_000
_SAVINGS_OPENING_MINOR = 1_500_000
_TRANSFER_MINOR = 100_000
_EXPENSE_SHARE = 0.2
_SMALL_PER_DAY = ((0, 1, 2, 3, 4), (10, 25, 35, 20, 10))


@dataclass
class _Tx:
    day: date
    amount_minor: int
    counterparty: str
    description: str
    category: str
    account: str = _CURRENT
    pending: bool = False
    payee: str | None = None
    receipt: Receipt | None = None
    transfer_group: str | None = None
    expense: Expense | None = None


def seed_bank(s: Seeder, receipts: list[Receipt]) -> None:
    """Accounts, payees, cards, transactions, the invoices' payments, expenses, schedules."""
    ledger = load("ledger")
    plan = _plan(s, ledger, receipts)
    plan.sort(key=lambda t: (t.day, t.account, -t.amount_minor, t.description))
    accounts = _accounts(s, ledger, plan)
    payees = {
        spec["key"]: Payee(
            name=spec["name"],
            iban=gb_iban(spec["bank"], spec["sort_code"], s.account_number()),
            bic=spec["bic"],
            default_reference=spec["reference"],
        )
        for spec in ledger["payees"]
    }
    s.add(*accounts.values(), *payees.values(), created=s.now - timedelta(days=LEDGER_DAYS + 200))
    expenses = [t.expense for t in plan if t.expense is not None]
    s.add(*expenses, *_unmatched_expenses(s))
    s.flush()
    s.accounts = accounts
    rows = [_row(s, t, accounts, payees) for t in plan]
    s.add(*rows)
    s.flush()
    s.add(
        *(
            Payment(
                invoice_id=t.receipt.invoice.id,
                amount_minor=t.receipt.amount_minor,
                currency=s.currency,
                method=t.receipt.method,
                paid_on=t.receipt.paid_on,
                reference=t.receipt.invoice.number,
                bank_transaction_id=row.id,
                created_at=row.created_at,
            )
            for t, row in zip(plan, rows, strict=True)
            if t.receipt is not None
        )
    )
    _cards_and_schedules(s, ledger, accounts[_CURRENT], payees)


def _row(
    s: Seeder, t: _Tx, accounts: dict[str, BankAccount], payees: dict[str, Payee]
) -> BankTransaction:
    return BankTransaction(
        account_id=accounts[t.account].id,
        booked_on=t.day,
        amount_minor=t.amount_minor,
        currency=s.currency,
        counterparty=t.counterparty,
        description=t.description,
        category=t.category,
        status=TransactionStatus.PENDING if t.pending else TransactionStatus.BOOKED,
        reconciled_invoice_id=t.receipt.invoice.id if t.receipt else None,
        reconciled_expense_id=t.expense.id if t.expense else None,
        transfer_group=t.transfer_group,
        payee_id=payees[t.payee].id if t.payee else None,
        created_at=t.receipt.moment if t.receipt else min(s.at(t.day, "07:00"), s.now),
    )


def _accounts(s: Seeder, ledger: dict[str, Any], plan: list[_Tx]) -> dict[str, BankAccount]:
    balance = lowest = 0
    for t in plan:
        if t.account == _CURRENT:
            balance += t.amount_minor
            lowest = min(lowest, balance)
    opening = max(800_000, _FLOOR_MINOR - lowest)
    opening = -(-opening // 10_000) * 10_000
    openings = {_CURRENT: opening, _SAVINGS: _SAVINGS_OPENING_MINOR}
    return {
        spec["name"]: BankAccount(
            name=spec["name"],
            iban=gb_iban(spec["bank"], spec["sort_code"], s.account_number()),
            currency=s.currency,
            kind=spec["kind"],
            opening_balance_minor=openings[spec["name"]],
            active=True,
        )
        for spec in ledger["accounts"]
    }


def _plan(s: Seeder, ledger: dict[str, Any], receipts: list[Receipt]) -> list[_Tx]:
    plan: list[_Tx] = []
    takings = _till_takings(s)
    cards = [card["last4"] for card in ledger["cards"]]
    for offset in range(-LEDGER_DAYS, 1):
        day = s.days(offset)
        plan += _daily(s, ledger, day, takings.get(day, 0), cards)
        if day.weekday() == 0:
            plan += _weekly(s, ledger, day, plan)
        plan += [_fixed(entry, day) for entry in ledger["monthly"] if entry["day"] == day.day]
        if day.day == 1:
            interest = s.rng.randint(1150, 1550)
            plan.append(_Tx(day, interest, "Interest", "Savings interest", "interest", _SAVINGS))
        if day.day == 2:
            group = s.uuid()
            plan += [
                _Tx(
                    day,
                    -_TRANSFER_MINOR,
                    _SAVINGS,
                    "Transfer to Savings",
                    "transfer",
                    transfer_group=group,
                ),
                _Tx(
                    day,
                    _TRANSFER_MINOR,
                    _CURRENT,
                    "Transfer from Business Current",
                    "transfer",
                    account=_SAVINGS,
                    transfer_group=group,
                ),
            ]
        if day.weekday() == 2 and day < s.today:
            plan.append(
                _Tx(
                    day,
                    s.money("18.00", "95.00"),
                    "Luma Shop payouts",
                    "Online shop payout",
                    "sales",
                )
            )
    for receipt in receipts:
        kind = "Card" if receipt.method is PaymentMethod.CARD else "Bank transfer"
        plan.append(
            _Tx(
                receipt.paid_on,
                receipt.amount_minor,
                receipt.payer,
                f"{kind} payment {receipt.invoice.number}",
                "invoice payment",
                receipt=receipt,
            )
        )
    regulars = [c for c in s.client_list if c not in s.clients.values()]
    for offset in (-23, -8):
        client = s.rng.choice(regulars)
        plan.append(
            _Tx(
                s.days(offset),
                s.money("25.00", "70.00"),
                client.full_name,
                "Bank transfer - thank you",
                "sales",
            )
        )
    refunded = s.rng.choice(regulars)
    plan.append(
        _Tx(
            s.days(-17),
            -to_minor("24.00"),
            refunded.full_name,
            "Refund: brow tint rebooked",
            "refunds",
        )
    )
    return plan


def _till_takings(s: Seeder) -> dict[date, int]:
    """Gross card takings per day for completed appointments not billed by invoice."""
    invoiced = {invoice.appointment_id for invoice in s.invoices}
    totals: dict[date, int] = {}
    for appointment in s.appointments:
        if appointment.status is not AppointmentStatus.COMPLETED or appointment.id in invoiced:
            continue
        day = s.local_day(appointment.starts_at)
        totals[day] = totals.get(day, 0) + appointment.price_minor * 6 // 5
    return totals


def _daily(
    s: Seeder, ledger: dict[str, Any], day: date, booked: int, cards: list[str]
) -> list[_Tx]:
    """Takings, card purchases and supplies of one day; today's card activity is pending."""
    today = day == s.today
    if not (today or s.is_open(day)):
        return []
    items: list[_Tx] = []
    walk_ins = s.money("380.00", "760.00") if s.is_open(day) and not today else 0
    if booked + walk_ins:
        items.append(
            _Tx(
                day,
                booked + walk_ins,
                ledger["takings_counterparty"],
                "Card takings settlement",
                "sales",
                pending=today,
            )
        )
    small = 2 if today else s.rng.choices(*_SMALL_PER_DAY)[0]
    for _ in range(small):
        spec = s.rng.choice(ledger["small"])
        items.append(
            _Tx(
                day,
                -s.money(spec["min"], spec["max"]),
                spec["counterparty"],
                f"Card {s.rng.choice(cards)} · {spec['description']}",
                spec["category"],
                pending=today,
            )
        )
    if not today and s.rng.random() < 0.6:
        spec = s.rng.choice(ledger["supplies"])
        tx = _Tx(
            day,
            -s.money(spec["min"], spec["max"]),
            spec["counterparty"],
            spec["description"],
            spec["category"],
            payee=spec["payee"],
        )
        if s.rng.random() < _EXPENSE_SHARE:
            tx.expense = Expense(
                spent_on=day,
                amount_minor=-tx.amount_minor,
                currency=s.currency,
                supplier=tx.counterparty,
                category=tx.category,
                description=tx.description,
                created_at=s.at(day, "18:00"),
            )
        items.append(tx)
    if day.weekday() == 5 and not today:
        items.append(
            _Tx(
                day,
                s.money("60.00", "240.00"),
                ledger["cash_counterparty"],
                "Cash takings paid in",
                "sales",
            )
        )
    return items


def _weekly(s: Seeder, ledger: dict[str, Any], day: date, plan: list[_Tx]) -> list[_Tx]:
    items = []
    week = day - timedelta(days=7)
    for spec in ledger["weekly"]:
        if "fee_rate_bp" in spec:
            card_in = sum(
                t.amount_minor
                for t in plan
                if week <= t.day < day and t.category == "sales" and t.amount_minor > 0
            )
            amount = -int(Decimal(card_in * spec["fee_rate_bp"]) / 10_000)
        else:
            amount = to_minor(spec["amount"])
        if amount:
            items.append(
                _Tx(
                    day,
                    amount,
                    spec["counterparty"],
                    spec["description"],
                    spec["category"],
                    payee=spec.get("payee"),
                )
            )
    return items


def _fixed(entry: dict[str, Any], day: date) -> _Tx:
    return _Tx(
        day,
        to_minor(entry["amount"]),
        entry["counterparty"],
        entry["description"],
        entry["category"],
        payee=entry.get("payee"),
    )


def _unmatched_expenses(s: Seeder) -> list[Expense]:
    """Expenses recorded by hand that no bank transaction matches yet."""
    return [
        Expense(
            spent_on=s.days(-4),
            amount_minor=to_minor("35.00"),
            currency=s.currency,
            supplier="Sparkle Window Cleaning",
            category="cleaning",
            description="Window cleaning (paid in cash)",
            created_at=s.at(s.days(-4), "17:30"),
        ),
        Expense(
            spent_on=s.days(-11),
            amount_minor=to_minor("129.99"),
            currency=s.currency,
            supplier="Argos",
            category="equipment",
            description="Replacement hairdryer",
            created_at=s.at(s.days(-11), "12:10"),
        ),
    ]


def _cards_and_schedules(
    s: Seeder, ledger: dict[str, Any], current: BankAccount, payees: dict[str, Payee]
) -> None:
    s.add(
        *(
            Card(account_id=current.id, holder=c["holder"], last4=c["last4"], frozen=False)
            for c in ledger["cards"]
        ),
        created=s.now - timedelta(days=500),
    )
    first_of_next_month = (s.today.replace(day=1) + timedelta(days=32)).replace(day=1)
    rent = next(e for e in ledger["monthly"] if e.get("payee") == "landlord")
    s.add(
        ScheduledPayment(
            account_id=current.id,
            payee_id=payees["landlord"].id,
            amount_minor=-to_minor(rent["amount"]),
            currency=s.currency,
            next_on=first_of_next_month,
            frequency=Frequency.MONTHLY,
            reference=payees["landlord"].default_reference,
            active=True,
        ),
        ScheduledPayment(
            account_id=current.id,
            payee_id=payees["hairco"].id,
            amount_minor=to_minor("286.40"),
            currency=s.currency,
            next_on=s.days(5),
            frequency=Frequency.ONCE,
            reference="Invoice HC-20931",
            active=True,
        ),
        created=s.now - timedelta(days=40),
    )
