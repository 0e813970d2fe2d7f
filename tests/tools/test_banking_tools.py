"""Banking tools through the executor, on the demo business (Business Current and Savings)."""

import csv
from datetime import date
from decimal import Decimal

import pytest
import sqlalchemy as sa

from luma_desktop.assistant.catalog import Risk
from luma_desktop.errors import Conflict, Invalid, NotFound, PermissionDenied
from luma_desktop.tools._common import minor, money
from luma_desktop.tools.banking import pay_payee_risk
from luma_desktop.workspace.models import Expense, Role

from ..factories import add

NOTHING_TO_UNDO = "There is nothing I can undo"


def _with_ids(executor, owner, arguments):
    """``arguments`` with "@music", "@interest" and "@argos" replaced by demo record ids."""
    if not any(isinstance(v, str) and v.startswith("@") for v in arguments.values()):
        return arguments
    bank = _bank(executor, owner)
    with executor.workspace.transaction(owner.business_id) as session:
        argos = session.scalars(sa.select(Expense.id).where(Expense.supplier == "Argos")).one()
    ids = {
        "@music": bank.list_transactions(counterparty="SoundSalon", status="booked").items[0].id,
        "@interest": bank.list_transactions(counterparty="Interest", direction="in").items[0].id,
        "@argos": argos,
    }
    return {k: ids.get(v, v) if isinstance(v, str) else v for k, v in arguments.items()}


def _bank(executor, context):
    return executor.services(context).banking


def _state(executor, owner):
    """Everything the banking tools can change, to prove a refused call wrote nothing."""
    services = executor.services(owner)
    bank = services.banking
    return (
        bank.get_balance(),
        bank.list_transactions(limit=500),
        bank.list_payees(),
        bank.list_cards(),
        bank.list_scheduled_payments(include_cancelled=True),
        services.invoicing.list_invoices(),
    )


def _undo(executor, owner):
    return executor.execute(owner, "assistant_undo_last", {}).summary


def _card(executor, owner, last4):
    (card,) = [c for c in _bank(executor, owner).list_cards() if c.last4 == last4]
    return card


def _balance(executor, owner, name):
    (account,) = [a for a in _bank(executor, owner).get_balance().accounts if a.name == name]
    return account


# -- reads -----------------------------------------------------------------------------------


def test_balance_per_account_and_in_total(executor, owner):
    result = executor.execute(owner, "banking_get_balance", {})
    current, savings = result.data.accounts
    assert (current.name, savings.name) == ("Business Current", "Savings")
    for account in result.data.accounts:
        assert account.available_minor == account.booked_minor + account.pending_out_minor
    (total,) = result.data.totals
    assert total.currency == "GBP"
    assert total.available_minor == current.available_minor + savings.available_minor
    assert total.pending_in_minor > 0  # today's card takings, not cleared yet
    assert result.summary.startswith(f"Available: {money(total.available_minor, 'GBP')} (")
    assert f"Savings {money(savings.available_minor, 'GBP')}" in result.summary

    only = executor.execute(owner, "banking_get_balance", {"account": "savings"})
    assert [a.name for a in only.data.accounts] == ["Savings"]
    assert only.summary == f"Available: {money(savings.available_minor, 'GBP')} — Savings " + (
        f"{money(savings.available_minor, 'GBP')}."
    )


def test_list_transactions_by_counterparty_amount_period_and_status(executor, owner):
    tesco = executor.execute(owner, "banking_list_transactions", {"counterparty": "tesco"})
    assert tesco.data.total == len(tesco.data.items) > 3
    assert {t.counterparty for t in tesco.data.items} == {"Tesco Express"}
    assert all(t.direction == "out" for t in tesco.data.items)
    assert tesco.summary.startswith(f"{tesco.data.total} transaction(s): Wed 18 Nov -£")

    big = executor.execute(
        owner,
        "banking_list_transactions",
        {"min_amount": 1000, "direction": "out", "start": "2026-11-01", "end": "today"},
    )
    assert big.data.items
    assert all(
        t.amount_minor <= -100_000 and date(2026, 11, 1) <= t.booked_on <= date(2026, 11, 18)
        for t in big.data.items
    )
    assert any(t.counterparty == "Rosemary Lane Properties Ltd" for t in big.data.items)
    assert "-£2,350.00 Rosemary Lane Properties Ltd" in big.summary

    pending = executor.execute(owner, "banking_list_transactions", {"status": "pending"})
    assert {t.status.value for t in pending.data.items} == {"pending"}
    assert pending.summary.count("(pending)") == min(pending.data.total, 5)

    paged = executor.execute(owner, "banking_list_transactions", {"limit": 2, "offset": 2})
    first_four = executor.execute(owner, "banking_list_transactions", {"limit": 4})
    assert paged.data.items == first_four.data.items[2:]


def test_list_unreconciled_leaves_out_matched_pending_and_transfers(executor, owner):
    result = executor.execute(owner, "banking_list_unreconciled", {"direction": "in"})
    assert result.data.total > 0
    for t in result.data.items:
        assert (t.status.value, t.direction) == ("booked", "in")
        assert (t.transfer_group, t.reconciled_invoice_id, t.reconciled_expense_id) == (
            None,
            None,
            None,
        )
    assert result.summary.startswith(
        f"{result.data.total} transaction(s) not matched to an invoice or expense: "
    )


def test_statement_of_this_month_with_csv_export(executor, owner, tmp_path):
    result = executor.execute(owner, "banking_get_statement", {"export": True})
    statement = result.data
    assert statement.account_name == "Business Current"
    assert (statement.start, statement.end) == (date(2026, 11, 1), date(2026, 11, 18))
    assert (
        statement.opening_balance_minor + statement.money_in_minor + statement.money_out_minor
        == statement.closing_balance_minor
        == statement.lines[-1].balance_minor
    )
    assert all(line.transaction.status.value == "booked" for line in statement.lines)
    assert statement.export_path is not None
    assert statement.export_path.startswith(str(tmp_path / "files"))
    assert result.summary.endswith(f"Saved to {statement.export_path}.")
    with open(statement.export_path, encoding="utf-8", newline="") as stream:
        rows = list(csv.reader(stream))
    assert rows[0][:2] == ["date", "description"]
    assert len(rows) == len(statement.lines) + 3  # header, opening and closing balance

    october = executor.execute(
        owner,
        "banking_get_statement",
        {"account": "savings", "start": "2026-10-01", "end": "2026-10-31"},
    )
    assert october.data.account_name == "Savings"
    assert october.data.export_path is None
    assert october.summary.startswith("Savings, Thu 1 Oct to Sat 31 Oct 2026: opening £")


def test_list_payees(executor, owner):
    result = executor.execute(owner, "banking_list_payees", {})
    names = [p.name for p in result.data]
    assert len(names) == 6
    assert names == sorted(names, key=str.casefold)
    assert "HairCo Wholesale Ltd" in names
    assert result.summary.startswith("6 saved payee(s): Brightwater Energy, FreshFold Laundry")


# -- writes and their undo -------------------------------------------------------------------


def test_categorize_many_then_undo_restores_each_category(executor, owner):
    tesco = executor.execute(owner, "banking_list_transactions", {"counterparty": "tesco"})
    ids = [t.id for t in tesco.data.items[:3]]
    before = {t.id: t.category for t in tesco.data.items[:3]}
    result = executor.execute(
        owner, "banking_categorize_transaction", {"transactions": ids, "category": "Groceries"}
    )
    assert result.summary == "Set the category of 3 transactions to “Groceries”."
    assert [c.previous for c in result.data] == [before[i] for i in ids]
    listed = executor.execute(owner, "banking_list_transactions", {"category": "groceries"})
    assert sorted(t.id for t in listed.data.items) == sorted(ids)

    assert _undo(executor, owner) == "Undone: put back the previous category of 3 transaction(s)."
    again = executor.execute(owner, "banking_list_transactions", {"counterparty": "tesco"})
    assert {t.id: t.category for t in again.data.items if t.id in ids} == before


def test_categorize_one_names_the_old_category(executor, owner):
    (rent, *_) = executor.execute(
        owner, "banking_list_transactions", {"counterparty": "Rosemary Lane"}
    ).data.items
    result = executor.execute(
        owner, "banking_categorize_transaction", {"transactions": [rent.id], "category": None}
    )
    assert result.summary == f"Cleared the category of transaction #{rent.id}."
    _undo(executor, owner)
    (back, *_) = executor.execute(
        owner, "banking_list_transactions", {"counterparty": "Rosemary Lane"}
    ).data.items
    assert back.category == rent.category == "rent"


def test_reconcile_to_invoice_records_a_payment_and_undo_removes_it(executor, owner):
    interest = executor.execute(
        owner, "banking_list_transactions", {"counterparty": "Interest", "direction": "in"}
    ).data.items[0]
    invoicing = executor.services(owner).invoicing
    assert invoicing.get_invoice("INV-0069").status.value == "sent"

    result = executor.execute(
        owner,
        "banking_reconcile",
        {"transaction": interest.id, "match_to": "invoice", "record": "INV-0069"},
    )
    invoice = invoicing.get_invoice("INV-0069")
    assert (invoice.status.value, invoice.paid_minor) == ("partially_paid", interest.amount_minor)
    assert result.data.invoice_balance_minor == invoice.total_minor - interest.amount_minor
    assert result.summary.startswith(
        f"Matched {money(interest.amount_minor, 'GBP')} from Interest on "
    )
    assert result.summary.endswith(
        f"with INV-0069: now partially paid, "
        f"{money(invoice.total_minor - interest.amount_minor, 'GBP')} still owed."
    )
    open_ids = {
        t.id
        for t in executor.execute(owner, "banking_list_unreconciled", {"limit": 200}).data.items
    }
    assert interest.id not in open_ids

    assert _undo(executor, owner) == f"Undone: unmatch transaction #{interest.id} from INV-0069."
    invoice = invoicing.get_invoice("INV-0069")
    assert (invoice.status.value, invoice.paid_minor, invoice.payments) == ("sent", 0, ())


def test_reconcile_to_expense_and_undo(executor, owner):
    music = executor.execute(
        owner, "banking_list_transactions", {"counterparty": "SoundSalon", "status": "booked"}
    ).data.items[0]
    (expense,) = add(
        executor.workspace,
        owner.service_context(),
        Expense(
            spent_on=music.booked_on,
            amount_minor=-music.amount_minor,
            currency="GBP",
            supplier="SoundSalon Music Licence",
            category="software",
        ),
    )
    result = executor.execute(
        owner,
        "banking_reconcile",
        {"transaction": music.id, "match_to": "expense", "record": f"#{expense.id}"},
    )
    assert result.data.transaction.reconciled_expense_id == expense.id
    assert result.summary == (
        f"Matched -£18.99 to SoundSalon Music Licence on {music.booked_on:%a} "
        f"{music.booked_on.day} {music.booked_on:%b} with expense #{expense.id}."
    )
    _undo(executor, owner)
    unmatched = executor.execute(owner, "banking_list_unreconciled", {"direction": "out"})
    assert music.id in {t.id for t in unmatched.data.items}


def test_transfer_between_own_accounts_and_undo_moves_it_back(executor, owner):
    current = _balance(executor, owner, "Business Current")
    savings = _balance(executor, owner, "Savings")
    result = executor.execute(
        owner,
        "banking_transfer_internal",
        {"from_account": "business current", "to_account": "Savings", "amount": "500"},
    )
    assert result.summary == "Moved £500.00 from Business Current to Savings."
    assert (result.data.outgoing.amount_minor, result.data.incoming.amount_minor) == (
        -50_000,
        50_000,
    )
    assert _balance(executor, owner, "Business Current").booked_minor == (
        current.booked_minor - 50_000
    )
    assert _balance(executor, owner, "Savings").booked_minor == savings.booked_minor + 50_000

    assert _undo(executor, owner) == ("Undone: move £500.00 back from Savings to Business Current.")
    assert _balance(executor, owner, "Business Current") == current
    assert _balance(executor, owner, "Savings") == savings


def test_pay_payee_reserves_the_money_and_cannot_be_undone(executor, owner, registry):
    before = _balance(executor, owner, "Business Current")
    result = executor.execute(owner, "banking_pay_payee", {"payee": "hairco", "amount": 250})
    payment = result.data
    assert (payment.amount_minor, payment.status.value) == (-25_000, "pending")
    assert payment.counterparty == "HairCo Wholesale Ltd"
    assert payment.description == "ACC 55120"  # the payee's saved reference
    assert result.summary == (
        "Paid £250.00 to HairCo Wholesale Ltd, reference “ACC 55120”. "
        "It is pending until it clears on the next banking day."
    )
    assert result.undo is None
    assert not registry.get("banking_pay_payee").reversible
    after = _balance(executor, owner, "Business Current")
    assert after.available_minor == before.available_minor - 25_000
    assert after.pending_out_minor == before.pending_out_minor - 25_000

    assert _undo(executor, owner).startswith(NOTHING_TO_UNDO)
    assert _balance(executor, owner, "Business Current") == after


def test_pay_payee_on_a_later_day(executor, owner):
    result = executor.execute(
        owner,
        "banking_pay_payee",
        {"payee": "Glow", "amount": "20.50", "on": "friday", "reference": "Order 77"},
    )
    assert result.data.booked_on == date(2026, 11, 20)
    assert result.summary == (
        "Paid £20.50 to Glow Beauty Supplies, reference “Order 77”. "
        "It is dated Fri 20 Nov; the money is reserved now."
    )


@pytest.mark.parametrize(
    ("amount_minor", "threshold_minor", "risk"),
    [
        pytest.param(25_000, 100_000, Risk.HIGH, id="small"),
        pytest.param(100_000, 100_000, Risk.HIGH, id="at-threshold"),
        pytest.param(100_001, 100_000, Risk.CRITICAL, id="above-threshold"),
        pytest.param(1, 0, Risk.CRITICAL, id="zero-threshold"),
    ],
)
def test_pay_payee_risk_is_critical_above_the_threshold(amount_minor, threshold_minor, risk):
    assert pay_payee_risk(amount_minor, threshold_minor) is risk


def test_pay_payee_risk_agrees_with_the_service_and_the_confirmation(executor, owner, registry):
    services = executor.services(owner)
    threshold = services.large_payment_threshold_minor
    assert threshold == 100_000
    for amount in (Decimal("1000.00"), Decimal("1000.01")):
        risk = pay_payee_risk(minor(amount), threshold)
        assert (risk is Risk.CRITICAL) == services.banking.is_large_payment(minor(amount))
    tool = registry.get("banking_pay_payee")
    assert tool.risk is Risk.HIGH
    assert "{amount} to {payee}" in tool.confirmation
    assert "large-payment threshold (1,000 by default)" in tool.confirmation


def test_schedule_payment_and_undo_cancels_it(executor, owner):
    result = executor.execute(
        owner,
        "banking_schedule_payment",
        {"payee": "freshfold", "amount": "46.80", "first_on": "monday", "frequency": "weekly"},
    )
    schedule = result.data
    assert (schedule.next_on, schedule.frequency.value, schedule.amount_minor) == (
        date(2026, 11, 23),
        "weekly",
        4680,
    )
    assert (
        result.summary == "Scheduled £46.80 to FreshFold Laundry every week from Mon 23 Nov 2026."
    )
    active = {s.id for s in _bank(executor, owner).list_scheduled_payments()}
    assert schedule.id in active

    assert _undo(executor, owner) == (
        "Undone: cancel the scheduled payment of £46.80 to FreshFold Laundry."
    )
    assert schedule.id not in {s.id for s in _bank(executor, owner).list_scheduled_payments()}


def test_add_payee_validates_the_iban_and_undo_removes_it(executor, owner):
    result = executor.execute(
        owner,
        "banking_add_payee",
        {"name": "Acme Towels", "iban": "gb82 west 1234 5698 7654 32", "bic": "westgb22"},
    )
    assert (result.data.iban, result.data.bic) == ("GB82WEST12345698765432", "WESTGB22")
    assert result.summary == "Saved the payee Acme Towels (IBAN GB82WEST12345698765432)."
    names = [p.name for p in executor.execute(owner, "banking_list_payees", {}).data]
    assert "Acme Towels" in names

    assert _undo(executor, owner) == "Undone: remove the payee Acme Towels."
    names = [p.name for p in executor.execute(owner, "banking_list_payees", {}).data]
    assert "Acme Towels" not in names


def test_remove_payee_and_undo_brings_it_back(executor, owner):
    result = executor.execute(owner, "banking_remove_payee", {"payee": "glow"})
    assert result.summary == "Removed the payee Glow Beauty Supplies."
    names = [p.name for p in executor.execute(owner, "banking_list_payees", {}).data]
    assert "Glow Beauty Supplies" not in names
    with pytest.raises(NotFound):
        executor.execute(owner, "banking_pay_payee", {"payee": "Glow Beauty Supplies", "amount": 5})

    assert _undo(executor, owner) == "Undone: bring back the payee Glow Beauty Supplies."
    names = [p.name for p in executor.execute(owner, "banking_list_payees", {}).data]
    assert "Glow Beauty Supplies" in names


def test_freeze_card_and_undo_unfreezes_it(executor, owner):
    result = executor.execute(owner, "banking_freeze_card", {"card": "ending 4821"})
    assert result.summary == (
        "Froze Emma Clarke's card ending 4821; it cannot be used until it is unfrozen."
    )
    assert _card(executor, owner, "4821").frozen
    assert _undo(executor, owner) == "Undone: unfreeze Emma Clarke's card ending 4821."
    assert not _card(executor, owner, "4821").frozen


def test_unfreeze_card_and_undo_freezes_it_again(executor, owner):
    executor.execute(owner, "banking_freeze_card", {"card": "Daniel Reid"})
    result = executor.execute(owner, "banking_unfreeze_card", {"card": "7305"})
    assert result.summary == "Unfroze Daniel Reid's card ending 7305; it works again."
    assert not _card(executor, owner, "7305").frozen
    assert _undo(executor, owner) == "Undone: freeze Daniel Reid's card ending 7305 again."
    assert _card(executor, owner, "7305").frozen


# -- bad input -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("tool", "arguments", "error", "message"),
    [
        pytest.param(
            "banking_get_balance",
            {"account": "Offshore"},
            NotFound,
            "Offshore",
            id="balance-unknown-account",
        ),
        pytest.param(
            "banking_get_balance",
            {"business_id": 2},
            Invalid,
            "not an argument",
            id="balance-forged-scope",
        ),
        pytest.param(
            "banking_list_transactions",
            {"start": "2026-11-10", "end": "2026-11-01"},
            Invalid,
            "starts",
            id="transactions-reversed-period",
        ),
        pytest.param(
            "banking_list_transactions",
            {"min_amount": -5},
            Invalid,
            "min_amount",
            id="transactions-negative-amount",
        ),
        pytest.param(
            "banking_list_transactions",
            {"min_amount": 50, "max_amount": 10},
            Invalid,
            "minimum amount is above",
            id="transactions-min-above-max",
        ),
        pytest.param(
            "banking_list_transactions",
            {"direction": "sideways"},
            Invalid,
            "direction",
            id="transactions-bad-direction",
        ),
        pytest.param(
            "banking_list_unreconciled",
            {"start": "when pigs fly"},
            Invalid,
            "don't understand",
            id="unreconciled-bad-day",
        ),
        pytest.param(
            "banking_get_statement",
            {"start": "2026-11-10", "end": "2026-11-01", "export": True},
            Invalid,
            "starts",
            id="statement-reversed-period",
        ),
        pytest.param(
            "banking_list_payees",
            {"payee": "x"},
            Invalid,
            "not an argument",
            id="payees-unknown-argument",
        ),
        pytest.param(
            "banking_categorize_transaction",
            {"transactions": [], "category": "x"},
            Invalid,
            "transactions",
            id="categorize-no-ids",
        ),
        pytest.param(
            "banking_categorize_transaction",
            {"transactions": [1, 99_999], "category": "x"},
            NotFound,
            "#99999",
            id="categorize-unknown-id",
        ),
        pytest.param(
            "banking_categorize_transaction",
            {"transactions": [1]},
            Invalid,
            "category",
            id="categorize-category-missing",
        ),
        pytest.param(
            "banking_reconcile",
            {"transaction": "@music", "match_to": "invoice", "record": "INV-0069"},
            Invalid,
            "money going out",
            id="reconcile-outgoing-to-invoice",
        ),
        pytest.param(
            "banking_reconcile",
            {"transaction": "@music", "match_to": "expense", "record": "the music one"},
            Invalid,
            "not an expense number",
            id="reconcile-expense-by-words",
        ),
        pytest.param(
            "banking_reconcile",
            {"transaction": "@music", "match_to": "expense", "record": "@argos"},
            Invalid,
            "amounts differ",
            id="reconcile-expense-amount-differs",
        ),
        pytest.param(
            "banking_reconcile",
            {"transaction": 1, "match_to": "quote", "record": "Q-1"},
            Invalid,
            "match_to",
            id="reconcile-bad-kind",
        ),
        pytest.param(
            "banking_transfer_internal",
            {"from_account": "savings", "to_account": "Savings", "amount": 10},
            Invalid,
            "both the source and the destination",
            id="transfer-same-account",
        ),
        pytest.param(
            "banking_transfer_internal",
            {"from_account": "savings", "to_account": "current", "amount": 1_000_000},
            Conflict,
            "isn't enough money",
            id="transfer-too-much",
        ),
        pytest.param(
            "banking_transfer_internal",
            {"from_account": "savings", "to_account": "current", "amount": 0},
            Invalid,
            "amount",
            id="transfer-zero",
        ),
        pytest.param(
            "banking_pay_payee",
            {"payee": "Nobody Ltd", "amount": 10},
            NotFound,
            "Nobody Ltd",
            id="pay-unknown-payee",
        ),
        pytest.param(
            "banking_pay_payee",
            {"payee": "HMRC", "amount": 900_000},
            Conflict,
            "isn't enough money",
            id="pay-too-much",
        ),
        pytest.param(
            "banking_pay_payee",
            {"payee": "HMRC", "amount": 10, "on": "yesterday"},
            Invalid,
            "past",
            id="pay-in-the-past",
        ),
        pytest.param(
            "banking_pay_payee",
            {"payee": "HMRC", "amount": "10.001"},
            Invalid,
            "amount",
            id="pay-fraction-of-a-penny",
        ),
        pytest.param(
            "banking_schedule_payment",
            {"payee": "HMRC", "amount": 10, "first_on": "yesterday"},
            Invalid,
            "has passed",
            id="schedule-in-the-past",
        ),
        pytest.param(
            "banking_schedule_payment",
            {"payee": "HMRC", "amount": 10, "first_on": "monday", "frequency": "daily"},
            Invalid,
            "frequency",
            id="schedule-bad-frequency",
        ),
        pytest.param(
            "banking_add_payee",
            {"name": "Acme", "iban": "GB00 WEST 1234 5698 7654 32"},
            Invalid,
            "IBAN",
            id="add-payee-bad-iban",
        ),
        pytest.param(
            "banking_add_payee",
            {"name": "HMRC", "iban": "GB82 WEST 1234 5698 7654 32"},
            Conflict,
            "already have a payee called",
            id="add-payee-duplicate-name",
        ),
        pytest.param(
            "banking_add_payee",
            {"name": "Acme", "iban": "GB82WEST12345698765432", "bic": "NOT A BIC!"},
            Invalid,
            "not a BIC",
            id="add-payee-bad-bic",
        ),
        pytest.param(
            "banking_remove_payee",
            {"payee": "Rosemary Lane"},
            Conflict,
            "scheduled payment",
            id="remove-payee-with-schedule",
        ),
        pytest.param(
            "banking_remove_payee",
            {"payee": "Nobody Ltd"},
            NotFound,
            "Nobody Ltd",
            id="remove-unknown-payee",
        ),
        pytest.param(
            "banking_freeze_card", {"card": "9999"}, NotFound, "9999", id="freeze-unknown-card"
        ),
        pytest.param(
            "banking_unfreeze_card",
            {"card": "4821"},
            Conflict,
            "not frozen",
            id="unfreeze-working-card",
        ),
    ],
)
def test_bad_input_is_refused_and_writes_nothing(
    executor, owner, tmp_path, *, tool, arguments, error, message
):
    arguments = _with_ids(executor, owner, arguments)
    before = _state(executor, owner)
    with pytest.raises(error, match=message):
        executor.execute(owner, tool, arguments)
    assert _state(executor, owner) == before
    statements = tmp_path / "files" / f"business-{owner.business_id}" / "statements"
    assert not statements.exists() or not any(statements.iterdir())


def test_freezing_a_frozen_card_is_refused(executor, owner):
    executor.execute(owner, "banking_freeze_card", {"card": "4821"})
    before = _state(executor, owner)
    with pytest.raises(Conflict, match="already frozen"):
        executor.execute(owner, "banking_freeze_card", {"card": "Emma"})
    assert _state(executor, owner) == before


def test_undo_of_a_transfer_whose_money_was_spent_is_refused(executor, owner):
    savings = _balance(executor, owner, "Savings").available_minor
    executor.execute(
        owner,
        "banking_transfer_internal",
        {"from_account": "savings", "to_account": "current", "amount": Decimal(savings) / 100},
    )
    executor.execute(owner, "banking_pay_payee", {"payee": "HMRC", "amount": 28_000})
    before = _state(executor, owner)
    with pytest.raises(Conflict, match="isn't enough money"):
        _undo(executor, owner)  # the transfer back: the payment is not undoable, so skipped
    assert _state(executor, owner) == before


# -- roles -----------------------------------------------------------------------------------

READS = {
    "banking_get_balance": {},
    "banking_list_transactions": {"limit": 3},
    "banking_list_unreconciled": {"limit": 3},
    "banking_get_statement": {},
    "banking_list_payees": {},
}
WRITES = {
    "banking_categorize_transaction": {"transactions": [1], "category": "sneaky"},
    "banking_reconcile": {"transaction": "@interest", "match_to": "invoice", "record": "INV-0069"},
    "banking_transfer_internal": {
        "from_account": "savings",
        "to_account": "current",
        "amount": 100,
    },
    "banking_pay_payee": {"payee": "HMRC", "amount": 100},
    "banking_schedule_payment": {"payee": "HMRC", "amount": 100, "first_on": "monday"},
    "banking_add_payee": {"name": "Acme", "iban": "GB82WEST12345698765432"},
    "banking_remove_payee": {"payee": "Glow"},
    "banking_freeze_card": {"card": "4821"},
    "banking_unfreeze_card": {"card": "4821"},
}
DENIED = [
    pytest.param(tool, arguments, role, id=f"{tool}-{role.value}")
    for tools, roles in (
        (READS, (Role.STAFF, Role.CLIENT)),
        (WRITES, (Role.MANAGER, Role.STAFF, Role.CLIENT)),
    )
    for tool, arguments in tools.items()
    for role in roles
]


@pytest.mark.parametrize(("tool", "arguments", "role"), DENIED)
def test_roles_that_must_not_see_banking_are_refused(
    executor, owner, as_role, *, tool, arguments, role
):
    context, arguments = as_role(role), _with_ids(executor, owner, arguments)
    assert tool not in {t.name for t in executor.accessible_tools(context)}
    before = _state(executor, owner)
    with pytest.raises(PermissionDenied):
        executor.execute(context, tool, arguments)
    assert _state(executor, owner) == before


def test_manager_reads_banking_but_changes_nothing(executor, as_role):
    manager = as_role(Role.MANAGER)
    visible = {t.name for t in executor.accessible_tools(manager) if t.domain == "banking"}
    assert visible == set(READS)
    for tool, arguments in READS.items():
        assert executor.execute(manager, tool, arguments).summary


def test_admin_can_run_every_banking_write(executor, as_role):
    admin = as_role(Role.ADMIN)
    for tool, arguments in WRITES.items():
        if tool != "banking_unfreeze_card":  # runs last: the card is frozen just before
            summary = executor.execute(admin, tool, _with_ids(executor, admin, arguments)).summary
            assert summary, tool
    assert executor.execute(admin, "banking_unfreeze_card", {"card": "4821"}).data.frozen is False
