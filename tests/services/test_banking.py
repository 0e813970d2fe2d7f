"""Banking service: balances, lists, statements, categories, transfers, reconciliation, tenancy."""

from __future__ import annotations

import csv
from datetime import date, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from luma_desktop.errors import Conflict, Invalid, NotFound
from luma_desktop.workspace.database import Workspace
from luma_desktop.workspace.models import (
    BankAccount,
    BankTransaction,
    Card,
    Expense,
    Invoice,
    InvoiceStatus,
    Payee,
    Payment,
    TransactionStatus,
)
from luma_desktop.workspace.services import ServiceContext
from luma_desktop.workspace.services.banking import BankingService

from ..factories import add, make_business, make_client

TODAY = date(2026, 11, 18)  # conftest.NOW in Europe/London
GB_IBAN = "GB82WEST12345698765432"
DE_IBAN = "DE89370400440532013000"

Bank = tuple[ServiceContext, BankingService, BankAccount, BankAccount, BankAccount]


def bank(workspace: Workspace, slug: str = "acme", **business: object) -> Bank:
    """A business with a GBP current account (£1,000), GBP savings (£500) and a EUR account."""
    context = make_business(workspace, slug=slug, **business)  # type: ignore[arg-type]
    main, savings, euro = add(
        workspace,
        context,
        BankAccount(
            name="Main Current",
            iban=GB_IBAN,
            currency="GBP",
            kind="current",
            opening_balance_minor=100_000,
        ),
        BankAccount(name="Savings", currency="GBP", kind="savings", opening_balance_minor=50_000),
        BankAccount(
            name="Euro Account", currency="EUR", kind="current", opening_balance_minor=20_000
        ),
    )
    return context, BankingService(workspace, context), main, savings, euro


def txn(account: BankAccount, amount: int, on: date = TODAY, **fields: object) -> BankTransaction:
    return BankTransaction(
        account_id=account.id,
        booked_on=on,
        amount_minor=amount,
        currency=account.currency,
        **fields,
    )


def count(workspace: Workspace, context: ServiceContext, model: type) -> int:
    with workspace.transaction(context.business_id) as session:
        return int(session.scalar(sa.select(sa.func.count()).select_from(model)) or 0)


# --- balances -----------------------------------------------------------------------------------


def test_balance_counts_booked_and_pending_money(workspace):
    context, service, main, _savings, euro = bank(workspace)
    add(
        workspace,
        context,
        txn(main, 20_000),
        txn(main, -5_000),
        txn(main, 3_000, status=TransactionStatus.PENDING),
        txn(main, -7_000, status=TransactionStatus.PENDING),
        txn(euro, -1_000),
    )

    balances = service.get_balance()

    first = balances.accounts[0]
    assert (
        first.name,
        first.booked_minor,
        first.pending_in_minor,
        first.pending_out_minor,
        first.available_minor,
    ) == ("Main Current", 115_000, 3_000, -7_000, 108_000)
    assert [(a.name, a.booked_minor, a.available_minor) for a in balances.accounts[1:]] == [
        ("Savings", 50_000, 50_000),
        ("Euro Account", 19_000, 19_000),
    ]
    totals = {t.currency: t for t in balances.totals}
    assert (totals["GBP"].booked_minor, totals["GBP"].available_minor) == (165_000, 158_000)
    assert (totals["GBP"].pending_in_minor, totals["GBP"].pending_out_minor) == (3_000, -7_000)
    assert totals["EUR"].available_minor == 19_000


def test_balance_of_one_account_by_name_and_closed_accounts_left_out(workspace):
    context, service, _main, savings, _euro = bank(workspace)
    add(
        workspace,
        context,
        txn(savings, 2_500),
        BankAccount(name="Old Account", currency="GBP", opening_balance_minor=999, active=False),
    )

    one = service.get_balance("saving")
    assert [(a.name, a.booked_minor) for a in one.accounts] == [("Savings", 52_500)]
    assert [t.currency for t in one.totals] == ["GBP"]
    assert "Old Account" not in [a.name for a in service.get_balance().accounts]
    with pytest.raises(NotFound):
        service.get_balance("Bitcoin wallet")


# --- transaction lists --------------------------------------------------------------------------


@pytest.fixture
def ledger(workspace):
    context, service, main, savings, _euro = bank(workspace)
    rows = add(
        workspace,
        context,
        txn(
            main,
            -4_599,
            TODAY - timedelta(days=20),
            counterparty="TESCO STORES 3021",
            category="Supplies",
        ),
        txn(
            main,
            12_000,
            TODAY - timedelta(days=10),
            counterparty="Sarah Miller",
            description="INV-0001",
        ),
        txn(
            main,
            -150_000,
            TODAY - timedelta(days=5),
            counterparty="Landlord Ltd",
            description="Rent November",
            category="Rent",
        ),
        txn(main, 6_000, TODAY - timedelta(days=1), counterparty="Card takings"),
        txn(savings, 300, TODAY, counterparty="Interest"),
        txn(main, -2_000, TODAY, counterparty="Tesco", status=TransactionStatus.PENDING),
    )
    return context, service, main, rows


def test_list_transactions_filters_and_pages(ledger):
    _context, service, main, rows = ledger

    everything = service.list_transactions()
    assert everything.total == 6
    assert [t.id for t in everything.items][:2] == [rows[5].id, rows[4].id]  # newest first

    assert [t.id for t in service.list_transactions(counterparty="tesco").items] == [
        rows[5].id,
        rows[0].id,
    ]
    assert [t.id for t in service.list_transactions(counterparty="rent").items] == [rows[2].id]
    assert [t.id for t in service.list_transactions(counterparty="Sara Miler").items] == [
        rows[1].id
    ]
    assert [t.id for t in service.list_transactions(category="supplies").items] == [rows[0].id]
    out = service.list_transactions(direction="out", min_amount_minor=3_000)
    assert [t.amount_minor for t in out.items] == [-150_000, -4_599]
    assert [t.direction for t in out.items] == ["out", "out"]
    ranged = service.list_transactions(
        start=TODAY - timedelta(days=10), end=TODAY - timedelta(days=1), max_amount_minor=12_000
    )
    assert [t.amount_minor for t in ranged.items] == [6_000, 12_000]
    assert service.list_transactions(account="Savings").total == 1
    booked = service.list_transactions(status=TransactionStatus.PENDING)
    assert [t.amount_minor for t in booked.items] == [-2_000]

    page = service.list_transactions(account=main.id, limit=2, offset=2)
    assert (page.total, len(page.items), page.items[0].id) == (5, 2, rows[2].id)


BAD_FILTERS = [
    ("period", {"start": TODAY, "end": TODAY - timedelta(days=1)}, "period"),
    ("min>max", {"min_amount_minor": 500, "max_amount_minor": 100}, "amount"),
    ("negative", {"min_amount_minor": -5}, "amount"),
    ("limit", {"limit": 0}, "limit"),
    ("offset", {"offset": -1}, "limit"),
    ("direction", {"direction": "sideways"}, "direction"),
]


def test_list_transactions_refuses_bad_filters(ledger):
    _context, service, _main, _rows = ledger
    for case, arguments, field in BAD_FILTERS:
        with pytest.raises(Invalid) as caught:
            service.list_transactions(**arguments)
        assert caught.value.field == field, case


def test_list_unreconciled_leaves_out_pending_transfers_and_matched(workspace):
    context, service, main, savings, _euro = bank(workspace)
    expense = add(workspace, context, Expense(spent_on=TODAY, amount_minor=1_000, currency="GBP"))[
        0
    ]
    plain_in, plain_out, *_ = add(
        workspace,
        context,
        txn(main, 5_000),
        txn(main, -800),
        txn(main, -1_000, reconciled_expense_id=expense.id),
        txn(main, -300, status=TransactionStatus.PENDING),
        txn(main, -2_000, transfer_group="g-1"),
        txn(savings, 2_000, transfer_group="g-1"),
    )

    result = service.list_unreconciled()
    assert sorted(t.id for t in result.items) == sorted([plain_in.id, plain_out.id])
    assert [t.id for t in service.list_unreconciled(direction="in").items] == [plain_in.id]


# --- statements ---------------------------------------------------------------------------------


def test_statement_running_balance_and_csv(workspace, tmp_path):
    context, service, main, _savings, _euro = bank(workspace)
    exports = tmp_path / "exports"
    exports.mkdir()
    add(
        workspace,
        context,
        txn(main, -10_000, date(2026, 10, 28), description="Before the period"),
        txn(main, 25_050, date(2026, 11, 2), counterparty="Sarah Miller", description="INV-7"),
        txn(main, -4_599, date(2026, 11, 3), counterparty="Tesco", category="Supplies"),
        txn(main, -1_000, date(2026, 11, 3), description="Bank fee"),
        txn(main, -500, date(2026, 11, 4), status=TransactionStatus.PENDING),
        txn(main, 1, date(2026, 12, 1), description="After the period"),
    )
    target = exports / "november.csv"

    statement = service.get_statement(
        "main", start=date(2026, 11, 1), end=date(2026, 11, 30), export_path=target
    )

    assert statement.opening_balance_minor == 90_000
    assert [line.balance_minor for line in statement.lines] == [115_050, 110_451, 109_451]
    assert statement.closing_balance_minor == 109_451
    assert (statement.money_in_minor, statement.money_out_minor) == (25_050, -5_599)
    assert statement.export_path == str(target)
    with target.open(newline="", encoding="utf-8") as stream:
        rows = list(csv.reader(stream))
    assert rows[0] == [
        "date",
        "description",
        "counterparty",
        "category",
        "amount",
        "balance",
        "currency",
    ]
    assert rows[1] == ["2026-11-01", "Opening balance", "", "", "", "900.00", "GBP"]
    assert rows[2] == ["2026-11-02", "INV-7", "Sarah Miller", "", "250.50", "1150.50", "GBP"]
    assert rows[3] == ["2026-11-03", "", "Tesco", "Supplies", "-45.99", "1104.51", "GBP"]
    assert rows[-1] == ["2026-11-30", "Closing balance", "", "", "", "1094.51", "GBP"]
    assert len(rows) == 6
    assert [p.name for p in exports.iterdir()] == ["november.csv"]  # no temporary file left


def test_statement_defaults_folder_export_and_bad_paths(workspace, tmp_path):
    context, service, main, _savings, _euro = bank(workspace)
    exports = tmp_path / "exports"
    exports.mkdir()
    add(workspace, context, txn(main, 700, date(2026, 11, 5)))

    statement = service.get_statement(main.id, export_path=exports)
    assert (statement.start, statement.end) == (date(2026, 11, 1), TODAY)
    assert Path(statement.export_path or "").name == (
        "statement-main-current-2026-11-01-2026-11-18.csv"
    )
    assert service.get_statement(main.id).export_path is None

    with pytest.raises(Invalid) as caught:
        service.get_statement(main.id, export_path=exports / "missing" / "s.csv")
    assert caught.value.field == "export_path"
    with pytest.raises(Invalid):
        service.get_statement(main.id, start=TODAY, end=TODAY - timedelta(days=3))
    assert len(list(exports.iterdir())) == 1


# --- categories ---------------------------------------------------------------------------------


def test_categorize_one_or_many_and_restore(workspace):
    context, service, main, _savings, _euro = bank(workspace)
    a, b, c = add(
        workspace,
        context,
        txn(main, -100, category="Supplies"),
        txn(main, -200),
        txn(main, -300, category="Misc"),
    )

    changes = service.categorize_transaction([a.id, b.id], "  Stock  ")
    assert [(ch.transaction_id, ch.previous, ch.category) for ch in changes] == [
        (a.id, "Supplies", "Stock"),
        (b.id, None, "Stock"),
    ]
    assert service.categorize_transaction([c.id], "stock")[0].category == "Stock"  # one spelling

    service.restore_categories({ch.transaction_id: ch.previous for ch in changes})
    by_id = {t.id: t.category for t in service.list_transactions().items}
    assert by_id == {a.id: "Supplies", b.id: None, c.id: "Stock"}
    assert service.categorize_transaction(c.id, None)[0].category is None


def test_categorize_refuses_bad_input_and_writes_nothing(workspace):
    context, service, main, _savings, _euro = bank(workspace)
    row = add(workspace, context, txn(main, -100, category="Supplies"))[0]

    with pytest.raises(NotFound) as caught:
        service.categorize_transaction([row.id, 9_999], "Rent")
    assert "#9999" in str(caught.value)
    with pytest.raises(Invalid):
        service.categorize_transaction([], "Rent")
    with pytest.raises(Invalid):
        service.categorize_transaction([row.id], "   ")
    with pytest.raises(Invalid):
        service.categorize_transaction([row.id], "x" * 61)
    assert service.list_transactions().items[0].category == "Supplies"


# --- internal transfers -------------------------------------------------------------------------


def test_transfer_books_both_legs_in_one_group(workspace):
    _context, service, main, savings, _euro = bank(workspace)

    transfer = service.transfer_internal("main", "savings", 25_000, "Top up savings")

    assert transfer.outgoing.transfer_group == transfer.incoming.transfer_group
    assert transfer.transfer_group == transfer.outgoing.transfer_group
    assert len(transfer.transfer_group) == 36
    assert (transfer.outgoing.account_id, transfer.outgoing.amount_minor) == (main.id, -25_000)
    assert (transfer.incoming.account_id, transfer.incoming.amount_minor) == (savings.id, 25_000)
    assert transfer.outgoing.status is TransactionStatus.BOOKED
    assert transfer.outgoing.booked_on == TODAY
    assert transfer.outgoing.description == "Top up savings"
    balances = {a.name: a.booked_minor for a in service.get_balance().accounts}
    assert balances == {"Main Current": 75_000, "Savings": 75_000, "Euro Account": 20_000}
    assert service.list_unreconciled().total == 0  # transfers are never "unreconciled"

    back = service.transfer_internal(savings.id, main.id, 25_000)  # the undo
    assert back.incoming.description == "Transfer from Savings"
    assert service.get_balance("main").accounts[0].booked_minor == 100_000


BAD_TRANSFERS = [
    ("same-account", "Main Current", "main current", 100, "to_account"),
    ("zero", "Main Current", "Savings", 0, "amount"),
    ("negative", "Main Current", "Savings", -500, "amount"),
    ("currency", "Main Current", "Euro Account", 100, "to_account"),
]


def test_transfer_refuses_bad_input(workspace):
    context, service, *_ = bank(workspace)
    for case, source, target, amount, field in BAD_TRANSFERS:
        with pytest.raises(Invalid) as caught:
            service.transfer_internal(source, target, amount)
        assert caught.value.field == field, case
    with pytest.raises(NotFound):
        service.transfer_internal("Main Current", "Offshore", 100)
    assert count(workspace, context, BankTransaction) == 0


def test_transfer_needs_available_funds(workspace):
    context, service, main, _savings, _euro = bank(workspace)
    add(workspace, context, txn(main, -30_000, status=TransactionStatus.PENDING))

    with pytest.raises(Conflict) as caught:
        service.transfer_internal("main", "savings", 70_001)
    assert "£700.01 is needed but only £700.00 is available" in str(caught.value)
    assert count(workspace, context, BankTransaction) == 1
    assert service.transfer_internal("main", "savings", 70_000).amount_minor == 70_000


def test_transfer_rolls_back_both_legs_when_it_fails_midway(workspace, monkeypatch):
    context, service, *_ = bank(workspace)

    def explode(**_fields: object) -> None:
        raise RuntimeError("power cut after both legs were written")

    monkeypatch.setattr("luma_desktop.workspace.services.banking._payments.Transfer", explode)
    with pytest.raises(RuntimeError):
        service.transfer_internal("main", "savings", 1_000)
    assert count(workspace, context, BankTransaction) == 0


# --- reconciliation -----------------------------------------------------------------------------


def invoice(
    workspace: Workspace,
    context: ServiceContext,
    total: int = 12_000,
    number: str = "INV-0001",
    currency: str = "GBP",
) -> Invoice:
    client = make_client(workspace, context, "Sarah", "Miller")
    row = Invoice(
        number=number,
        client_id=client.id,
        status=InvoiceStatus.SENT,
        currency=currency,
        subtotal_minor=total,
        total_minor=total,
        issued_on=TODAY - timedelta(days=14),
        due_on=TODAY - timedelta(days=1),
    )
    return add(workspace, context, row)[0]  # type: ignore[no-any-return]


def invoice_state(
    workspace: Workspace, context: ServiceContext, invoice_id: int
) -> tuple[InvoiceStatus, int, list[tuple[int, int | None]]]:
    with workspace.transaction(context.business_id) as session:
        row = session.get_one(Invoice, invoice_id)
        payments = session.execute(
            sa.select(Payment.amount_minor, Payment.bank_transaction_id).where(
                Payment.invoice_id == invoice_id
            )
        ).all()
        return row.status, row.paid_minor, list(payments)


def test_reconcile_incoming_money_marks_invoice_paid(workspace):
    context, service, main, _savings, _euro = bank(workspace)
    bill = invoice(workspace, context)
    money = add(
        workspace, context, txn(main, 12_000, counterparty="S MILLER", description="INV-0001")
    )[0]

    result = service.reconcile(money.id, invoice="INV-0001")

    assert (result.invoice_id, result.invoice_number, result.invoice_status) == (
        bill.id,
        "INV-0001",
        "paid",
    )
    assert result.invoice_balance_minor == 0
    assert result.transaction.reconciled_invoice_id == bill.id
    assert invoice_state(workspace, context, bill.id) == (
        InvoiceStatus.PAID,
        12_000,
        [(12_000, money.id)],
    )
    assert service.list_unreconciled().total == 0


def test_partial_payment_then_unreconcile_restores_invoice(workspace):
    context, service, main, _savings, _euro = bank(workspace)
    bill = invoice(workspace, context)
    first, second = add(workspace, context, txn(main, 5_000), txn(main, 7_000))

    assert service.reconcile(first.id, invoice=bill.id).invoice_status == "partially_paid"
    assert service.reconcile(second.id, invoice="#1").invoice_status == "paid"

    undone = service.unreconcile(second.id)
    assert (undone.invoice_status, undone.invoice_balance_minor) == ("partially_paid", 7_000)
    assert undone.transaction.reconciled_invoice_id is None
    service.unreconcile(first.id)
    assert invoice_state(workspace, context, bill.id) == (InvoiceStatus.SENT, 0, [])
    assert service.list_unreconciled().total == 2
    with pytest.raises(Conflict):
        service.unreconcile(first.id)


def test_reconcile_to_invoice_refusals_write_nothing(workspace):
    context, service, main, savings, euro = bank(workspace)
    bill = invoice(workspace, context)
    outgoing, pending, euro_in, too_much, leg = add(
        workspace,
        context,
        txn(main, -12_000),
        txn(main, 12_000, status=TransactionStatus.PENDING),
        txn(euro, 12_000),
        txn(main, 12_001),
        txn(savings, 12_000, transfer_group="g"),
    )

    for transaction, error in [
        (outgoing, Invalid),
        (pending, Invalid),
        (euro_in, Invalid),
        (too_much, Invalid),
        (leg, Invalid),
    ]:
        with pytest.raises(error):
            service.reconcile(transaction.id, invoice=bill.id)
    with pytest.raises(Invalid):
        service.reconcile(outgoing.id)  # neither an invoice nor an expense
    with pytest.raises(NotFound):
        service.reconcile(too_much.id, invoice="INV-0999")
    assert invoice_state(workspace, context, bill.id) == (InvoiceStatus.SENT, 0, [])
    assert service.list_unreconciled().total == 3


def test_reconcile_outgoing_money_to_an_expense(workspace):
    context, service, main, _savings, euro = bank(workspace)
    expense, euro_expense = add(
        workspace,
        context,
        Expense(spent_on=TODAY, amount_minor=4_599, currency="GBP", supplier="Tesco"),
        Expense(spent_on=TODAY, amount_minor=4_599, currency="EUR"),
    )
    wrong, right, incoming, euro_out = add(
        workspace,
        context,
        txn(main, -4_598),
        txn(main, -4_599),
        txn(main, 4_599),
        txn(euro, -4_599),
    )

    with pytest.raises(Invalid) as caught:
        service.reconcile(wrong.id, expense_id=expense.id)
    assert "£45.98" in str(caught.value)
    assert "£45.99" in str(caught.value)
    with pytest.raises(Invalid):
        service.reconcile(incoming.id, expense_id=expense.id)
    with pytest.raises(Invalid):
        service.reconcile(right.id, expense_id=euro_expense.id)

    result = service.reconcile(right.id, expense_id=expense.id)
    assert (result.expense_id, result.transaction.reconciled_expense_id) == (expense.id, expense.id)
    with pytest.raises(Conflict) as already:
        service.reconcile(right.id, expense_id=expense.id)
    assert f"expense #{expense.id}" in str(already.value)
    assert service.reconcile(euro_out.id, expense_id=euro_expense.id).expense_id == euro_expense.id

    assert service.unreconcile(right.id).expense_id == expense.id
    assert right.id in [t.id for t in service.list_unreconciled().items]


# --- tenancy ------------------------------------------------------------------------------------


def test_another_business_sees_none_of_our_banking(workspace):
    context, service, main, _savings, _euro = bank(workspace, slug="acme")
    ours = add(
        workspace,
        context,
        txn(main, -500),
        Payee(name="Landlord", iban=GB_IBAN),
        Card(account_id=main.id, holder="Olivia Owner", last4="1234"),
    )[0]
    other_context = make_business(workspace, slug="other")
    other = BankingService(workspace, other_context)

    assert other.get_balance().accounts == ()
    assert other.list_transactions().total == 0
    assert other.list_payees() == ()
    assert other.list_cards() == ()
    with pytest.raises(NotFound):
        other.categorize_transaction([ours.id], "Stolen")
    with pytest.raises(NotFound):
        other.get_statement(main.id)
    with pytest.raises(NotFound):
        other.pay_payee("Landlord", 100)
    with pytest.raises(NotFound):
        other.freeze_card("1234")
    assert service.list_transactions().items[0].category is None
