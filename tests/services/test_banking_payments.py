"""Banking service: payee payments, scheduled payments, payees (IBAN/BIC) and cards."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from luma_desktop.clock import FixedClock
from luma_desktop.errors import Ambiguous, Conflict, Invalid, NotFound
from luma_desktop.workspace.models import (
    BankAccount,
    BankTransaction,
    Card,
    Frequency,
    Payee,
    ScheduledPayment,
    TransactionStatus,
)
from luma_desktop.workspace.services.banking import BankingService, next_occurrence

from ..factories import add
from .test_banking import DE_IBAN, GB_IBAN, TODAY, bank, count

LANDLORD_IBAN = "GB33BUKB20201555555555"


@pytest.fixture
def payees(workspace):
    context, service, main, savings, _euro = bank(workspace)
    landlord, supplier = add(
        workspace,
        context,
        Payee(name="Landlord Ltd", iban=LANDLORD_IBAN, default_reference="Rent"),
        Payee(name="Paint Supplies GmbH", iban=DE_IBAN),
    )
    return context, service, main, savings, landlord, supplier


# --- paying payees ------------------------------------------------------------------------------


def test_pay_payee_creates_a_pending_payment_that_reserves_money(payees):
    _context, service, main, _savings, landlord, _supplier = payees

    payment = service.pay_payee("landlord", 60_000)

    assert (payment.account_id, payment.amount_minor, payment.status) == (
        main.id,
        -60_000,
        TransactionStatus.PENDING,
    )
    assert (payment.booked_on, payment.payee_id, payment.counterparty) == (
        TODAY,
        landlord.id,
        "Landlord Ltd",
    )
    assert payment.description == "Rent"
    balance = service.get_balance("main").accounts[0]
    assert (balance.booked_minor, balance.pending_out_minor, balance.available_minor) == (
        100_000,
        -60_000,
        40_000,
    )
    by_iban = service.pay_payee(DE_IBAN.lower(), 100, account="Savings", reference="Brushes")
    assert (by_iban.counterparty, by_iban.description) == ("Paint Supplies GmbH", "Brushes")


def test_pay_payee_without_enough_money_is_refused(payees):
    context, service, *_ = payees
    service.pay_payee("Landlord Ltd", 90_000)

    with pytest.raises(Conflict) as caught:
        service.pay_payee("Landlord Ltd", 10_001)
    assert "only £100.00 is available" in str(caught.value)
    assert caught.value.suggestions == ["£100.00"]
    assert count(service.workspace, context, BankTransaction) == 1


BAD_PAYMENTS = [
    ("zero", {"amount_minor": 0}, Invalid),
    ("negative", {"amount_minor": -100}, Invalid),
    ("float", {"amount_minor": 12.5}, Invalid),
    ("bool", {"amount_minor": True}, Invalid),
    ("past-date", {"on": TODAY - timedelta(days=1)}, Invalid),
    ("unknown-payee", {"payee": "Nobody At All"}, NotFound),
    ("closed-account", {"account": "Old Account"}, Invalid),
    ("long-reference", {"reference": "r" * 141}, Invalid),
]


def test_pay_payee_refuses_bad_input(payees):
    context, service, *_ = payees
    add(service.workspace, context, BankAccount(name="Old Account", currency="GBP", active=False))
    for case, arguments, error in BAD_PAYMENTS:
        call = {"payee": "Landlord Ltd", "amount_minor": 1_000, **arguments}
        with pytest.raises(error):
            service.pay_payee(call.pop("payee"), call.pop("amount_minor"), **call)
        assert count(service.workspace, context, BankTransaction) == 0, case


def test_large_payment_threshold(workspace):
    context, service, *_ = bank(workspace)
    assert not service.is_large_payment(100_000)
    assert service.is_large_payment(100_001)
    strict = BankingService(workspace, context, large_payment_threshold_minor=5_000)
    assert strict.is_large_payment(5_001)
    assert not strict.is_large_payment(5_000)


def test_pending_payment_can_be_cancelled_until_it_settles(workspace):
    clock = FixedClock(datetime(2026, 11, 18, 10, tzinfo=UTC))
    context, service, *_ = bank(workspace, clock=clock)
    add(workspace, context, Payee(name="Landlord Ltd", iban=LANDLORD_IBAN))
    first = service.pay_payee("Landlord Ltd", 1_000)
    second = service.pay_payee("Landlord Ltd", 2_000)

    assert service.cancel_pending_payment(first.id).amount_minor == -1_000
    assert service.get_balance("main").accounts[0].available_minor == 98_000
    with pytest.raises(NotFound):
        service.cancel_pending_payment(first.id)

    clock.advance(timedelta(days=1))
    run = service.run_due_payments()
    assert [(t.id, t.status) for t in run.settled] == [(second.id, TransactionStatus.BOOKED)]
    assert service.run_due_payments().settled == ()  # idempotent
    with pytest.raises(Conflict) as caught:
        service.cancel_pending_payment(second.id)
    assert "already left the account" in str(caught.value)
    assert service.get_balance("main").accounts[0].booked_minor == 98_000


def test_forward_dated_payment_settles_after_its_date(workspace):
    clock = FixedClock(datetime(2026, 11, 18, 10, tzinfo=UTC))
    context, service, *_ = bank(workspace, clock=clock)
    add(workspace, context, Payee(name="Landlord Ltd", iban=LANDLORD_IBAN))
    payment = service.pay_payee("Landlord Ltd", 1_000, on=TODAY + timedelta(days=2))

    clock.advance(timedelta(days=2))
    assert service.run_due_payments().settled == ()
    clock.advance(timedelta(days=1))
    assert [t.id for t in service.run_due_payments().settled] == [payment.id]


# --- scheduled payments -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("current", "frequency", "anchor", "expected"),
    [
        pytest.param(date(2027, 1, 31), Frequency.MONTHLY, 31, date(2027, 2, 28), id="jan31"),
        pytest.param(date(2027, 2, 28), Frequency.MONTHLY, 31, date(2027, 3, 31), id="back-31"),
        pytest.param(date(2028, 1, 31), Frequency.MONTHLY, 31, date(2028, 2, 29), id="leap"),
        pytest.param(date(2027, 12, 15), Frequency.MONTHLY, 15, date(2028, 1, 15), id="dec"),
        pytest.param(date(2028, 2, 29), Frequency.YEARLY, 29, date(2029, 2, 28), id="yearly"),
        pytest.param(date(2029, 2, 28), Frequency.YEARLY, 29, date(2030, 2, 28), id="y-no-29"),
        pytest.param(date(2027, 12, 30), Frequency.WEEKLY, 30, date(2028, 1, 6), id="weekly"),
        pytest.param(date(2027, 5, 1), Frequency.ONCE, 1, None, id="once"),
    ],
)
def test_next_occurrence(current, frequency, anchor, expected):
    assert next_occurrence(current, frequency, anchor) == expected


def test_monthly_payment_on_the_31st_rolls_over_month_ends(workspace):
    clock = FixedClock(datetime(2027, 1, 20, 12, tzinfo=UTC))
    context, service, *_ = bank(workspace, clock=clock)
    add(workspace, context, Payee(name="Landlord Ltd", iban=LANDLORD_IBAN))
    plan = service.schedule_payment(
        "Landlord Ltd", 1_000, date(2027, 1, 31), "monthly", reference="Rent"
    )
    assert (plan.next_on, plan.frequency, plan.payee_name) == (
        date(2027, 1, 31),
        Frequency.MONTHLY,
        "Landlord Ltd",
    )

    clock.advance(timedelta(days=100))  # 30 April 2027: four payments are due
    run = service.run_due_payments()

    assert [t.booked_on for t in run.created] == [
        date(2027, 1, 31),
        date(2027, 2, 28),
        date(2027, 3, 31),
        date(2027, 4, 30),
    ]
    assert all(t.amount_minor == -1_000 and t.description == "Rent" for t in run.created)
    assert len(run.settled) == 3  # the one dated today is still pending
    assert service.list_scheduled_payments()[0].next_on == date(2027, 5, 31)
    again = service.run_due_payments()
    assert (again.created, again.skipped) == ((), ())
    assert count(workspace, context, BankTransaction) == 4


def test_one_off_schedule_is_paid_once_and_skipped_when_money_is_short(workspace):
    clock = FixedClock(datetime(2026, 11, 18, 12, tzinfo=UTC))
    context, service, *_ = bank(workspace, clock=clock)
    add(workspace, context, Payee(name="Landlord Ltd", iban=LANDLORD_IBAN))
    big = service.schedule_payment("Landlord Ltd", 500_000, TODAY, "once")
    small = service.schedule_payment("Landlord Ltd", 2_500, TODAY + timedelta(days=1))

    first = service.run_due_payments()
    assert first.created == ()
    assert [(s.scheduled_payment_id, s.due_on) for s in first.skipped] == [(big.id, TODAY)]
    assert "only £1,000.00 is available" in first.skipped[0].reason

    clock.advance(timedelta(days=1))
    second = service.run_due_payments()
    assert [t.amount_minor for t in second.created] == [-2_500]
    assert [p.id for p in service.list_scheduled_payments()] == [big.id]  # one-off done
    assert service.run_due_payments().created == ()
    with pytest.raises(NotFound):
        service.cancel_scheduled_payment(small.id)


def test_schedule_cancel_and_restore(workspace):
    clock = FixedClock(datetime(2026, 11, 18, 12, tzinfo=UTC))
    context, service, *_ = bank(workspace, clock=clock)
    add(workspace, context, Payee(name="Landlord Ltd", iban=LANDLORD_IBAN))
    plan = service.schedule_payment(
        "Landlord Ltd", 1_000, TODAY, Frequency.WEEKLY, account="Savings"
    )

    assert service.cancel_scheduled_payment(plan.id).active is False
    assert service.list_scheduled_payments() == ()
    assert [p.id for p in service.list_scheduled_payments(include_cancelled=True)] == [plan.id]
    with pytest.raises(Conflict):
        service.cancel_scheduled_payment(plan.id)

    clock.advance(timedelta(days=15))
    restored = service.restore_scheduled_payment(plan.id)
    assert (restored.active, restored.next_on) == (True, TODAY + timedelta(days=21))
    assert service.run_due_payments().created == ()  # missed weeks are not paid
    with pytest.raises(Conflict):
        service.restore_scheduled_payment(plan.id)


BAD_SCHEDULES = [
    ("past", {"first_on": TODAY - timedelta(days=1)}, "first_on"),
    ("frequency", {"frequency": "fortnightly"}, "frequency"),
    ("zero", {"amount_minor": 0}, "amount"),
]


def test_schedule_payment_refuses_bad_input(payees):
    context, service, *_ = payees
    for case, arguments, field in BAD_SCHEDULES:
        call = {"amount_minor": 1_000, "first_on": TODAY, "frequency": "monthly", **arguments}
        with pytest.raises(Invalid) as caught:
            service.schedule_payment("Landlord Ltd", **call)
        assert caught.value.field == field, case
    assert count(service.workspace, context, ScheduledPayment) == 0


# --- payees -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "stored"),
    [
        pytest.param("gb82 west 1234 5698 7654 32", GB_IBAN, id="GB"),
        pytest.param("DE89 3704 0044 0532 0130 00", DE_IBAN, id="DE"),
    ],
)
def test_add_payee_normalises_a_valid_iban(workspace, raw, stored):
    _context, service, *_ = bank(workspace)
    payee = service.add_payee("  Window   Cleaner ", raw, bic="nwbk gb 2l", reference="Windows")
    assert (payee.name, payee.iban, payee.bic, payee.default_reference) == (
        "Window Cleaner",
        stored,
        "NWBKGB2L",
        "Windows",
    )
    assert [p.name for p in service.list_payees()] == ["Window Cleaner"]


@pytest.mark.parametrize(
    ("iban", "bic", "field"),
    [
        pytest.param("GB82WEST12345698765433", None, "iban", id="bad-checksum"),
        pytest.param("GB82WEST1234", None, "iban", id="too-short"),
        pytest.param(GB_IBAN, "NWBKGB2", "bic", id="bic-7"),
        pytest.param(GB_IBAN, "NWBKGB2LX", "bic", id="bic-9"),
        pytest.param(GB_IBAN, "1234GB2L", "bic", id="bic-digits"),
    ],
)
def test_add_payee_refuses_bad_bank_details(workspace, iban, bic, field):
    context, service, *_ = bank(workspace)
    with pytest.raises(Invalid) as caught:
        service.add_payee("Window Cleaner", iban, bic=bic)
    assert caught.value.field == field
    assert count(workspace, context, Payee) == 0


def test_add_payee_accepts_an_eleven_character_bic(workspace):
    _context, service, *_ = bank(workspace)
    assert service.add_payee("Bank Branch", DE_IBAN, bic="DEUTDEFF500").bic == "DEUTDEFF500"


def test_duplicate_payee_name_or_iban_is_a_conflict(payees):
    context, service, *_ = payees
    with pytest.raises(Conflict) as by_name:
        service.add_payee("landlord ltd", GB_IBAN)
    assert "Landlord Ltd" in str(by_name.value)
    with pytest.raises(Conflict) as by_iban:
        service.add_payee("New Landlord", LANDLORD_IBAN)
    assert LANDLORD_IBAN in str(by_iban.value)
    with pytest.raises(Invalid):
        service.add_payee("   ", GB_IBAN)
    assert count(service.workspace, context, Payee) == 2


def test_remove_and_restore_payee(payees):
    _context, service, _main, _savings, landlord, _supplier = payees

    removed = service.remove_payee("Landlord")
    assert removed.removed_at is not None
    assert [p.name for p in service.list_payees()] == ["Paint Supplies GmbH"]
    with pytest.raises(NotFound):
        service.pay_payee("Landlord Ltd", 100)
    with pytest.raises(Conflict):
        service.remove_payee(landlord.id)

    assert service.restore_payee("landlord").removed_at is None
    with pytest.raises(Conflict):
        service.restore_payee(landlord.id)
    assert service.pay_payee("Landlord Ltd", 100).payee_id == landlord.id

    service.remove_payee(landlord.id)
    again = service.add_payee("Landlord Ltd", GB_IBAN)  # the removed payee comes back
    assert (again.id, again.iban, again.removed_at) == (landlord.id, GB_IBAN, None)


def test_payee_with_scheduled_payments_cannot_be_removed(payees):
    _context, service, *_ = payees
    plan = service.schedule_payment("Landlord Ltd", 120_000, TODAY + timedelta(days=13), "monthly")
    with pytest.raises(Conflict) as caught:
        service.remove_payee("Landlord Ltd")
    assert "£1,200.00 on 1 Dec 2026" in str(caught.value)
    service.cancel_scheduled_payment(plan.id)
    assert service.remove_payee("Landlord Ltd").removed_at is not None


# --- cards --------------------------------------------------------------------------------------


@pytest.fixture
def cards(workspace):
    context, service, main, savings, _euro = bank(workspace)
    rows = add(
        workspace,
        context,
        Card(account_id=main.id, holder="Olivia Owner", last4="1234"),
        Card(account_id=main.id, holder="Sam Stylist", last4="9876"),
        Card(account_id=savings.id, holder="Sam Stylist", last4="5555"),
    )
    return service, rows


def test_freeze_and_unfreeze_a_card(cards):
    service, (olivia, _sam_main, _sam_savings) = cards

    frozen = service.freeze_card("1234")
    assert (frozen.id, frozen.frozen, frozen.account_name) == (olivia.id, True, "Main Current")
    assert frozen.frozen_at is not None
    with pytest.raises(Conflict) as twice:
        service.freeze_card("Olivia")
    assert str(twice.value) == (
        "Olivia Owner's card ending 1234 is already frozen since 18 Nov 2026; nothing changed."
    )

    thawed = service.unfreeze_card(olivia.id)
    assert (thawed.frozen, thawed.frozen_at) == (False, None)
    with pytest.raises(Conflict):
        service.unfreeze_card("ending 1234")
    assert [c.frozen for c in service.list_cards()] == [False, False, False]


def test_card_references(cards):
    service, (_olivia, sam_main, sam_savings) = cards

    with pytest.raises(Ambiguous) as caught:
        service.freeze_card("Sam Stylist")
    assert {c.id for c in caught.value.candidates} == {sam_main.id, sam_savings.id}
    assert service.freeze_card("**** 5555").id == sam_savings.id
    assert service.freeze_card(f"#{sam_main.id}").id == sam_main.id
    with pytest.raises(NotFound):
        service.freeze_card("0000")
    assert [c.last4 for c in service.list_cards("Savings")] == ["5555"]
    assert [c.holder for c in service.list_cards() if c.frozen] == ["Sam Stylist"] * 2
