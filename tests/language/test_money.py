"""Amounts of money as people say and type them."""

from __future__ import annotations

from decimal import Decimal

import pytest

from luma_desktop.language import Money, parse_money

AMOUNTS = [
    ("£500", "500.00", "GBP", "pound-sign"),
    ("500 pounds", "500.00", "GBP", "pounds-word"),
    ("five hundred dollars", "500.00", "USD", "spoken-dollars"),
    ("€12.50", "12.50", "EUR", "euro-sign"),
    ("12.50 euros", "12.50", "EUR", "euros-word"),
    ("12 quid", "12.00", "GBP", "quid"),
    ("two fifty", "2.50", None, "spoken-price"),
    ("twelve ninety nine", "12.99", None, "spoken-price-pence"),
    ("nineteen ninety nine", "19.99", None, "price-not-a-year"),
    ("two oh five", "2.05", None, "price-with-oh"),
    ("two fifty three", "2.53", None, "price-with-compound-pence"),
    ("£ two fifty", "2.50", "GBP", "price-with-symbol"),
    ("1.2k", "1200.00", None, "k-suffix"),
    ("£1.5m", "1500000.00", "GBP", "m-suffix"),
    ("2 grand", "2000.00", None, "grand"),
    ("a grand", "1000.00", None, "a-grand"),
    ("2.5 grand", "2500.00", None, "decimal-grand"),
    ("£1,250.00", "1250.00", "GBP", "grouped-with-pence"),
    ("fifty p", "0.50", "GBP", "fifty-p"),
    ("50p", "0.50", "GBP", "50p"),
    ("fifty pence", "0.50", "GBP", "pence"),
    ("fifty cents", "0.50", None, "cents-in-business-currency"),
    ("50c", "0.50", None, "50c"),
    ("five pounds fifty", "5.50", "GBP", "pounds-then-pence"),
    ("five pounds and fifty pence", "5.50", "GBP", "pounds-and-pence"),
    ("a pound fifty", "1.50", "GBP", "a-pound-fifty"),
    ("one pound twenty", "1.20", "GBP", "one-pound-twenty"),
    ("ten dollars and twenty five cents", "10.25", "USD", "dollars-and-cents"),
    ("a hundred quid", "100.00", "GBP", "a-hundred-quid"),
    ("twenty five hundred dollars", "2500.00", "USD", "hundreds"),
    ("one hundred and five pounds", "105.00", "GBP", "hundred-and-five"),
    ("a fiver", "5.00", "GBP", "fiver"),
    ("a tenner", "10.00", "GBP", "tenner"),
    ("a pound", "1.00", "GBP", "a-pound"),
    ("$5.99", "5.99", "USD", "dollar-sign"),
    ("5 bucks", "5.00", "USD", "bucks"),
    ("eur 12", "12.00", "EUR", "code-first"),
    ("12 GBP", "12.00", "GBP", "code-after"),
    ("CHF 20", "20.00", "CHF", "swiss-francs"),
    ("500€", "500.00", "EUR", "symbol-after"),
    ("500", "500.00", None, "bare-number"),
    ("forty two", "42.00", None, "bare-spoken"),
    ("0", "0.00", None, "zero-is-an-amount"),
    ("um £500 please", "500.00", "GBP", "fillers"),
    ("£500.", "500.00", "GBP", "full-stop"),
]


@pytest.mark.parametrize(
    ("text", "amount", "currency"), [c[:3] for c in AMOUNTS], ids=[c[3] for c in AMOUNTS]
)
def test_parse_money(text: str, amount: str, currency: str | None) -> None:
    assert parse_money(text) == Money(Decimal(amount), currency)


def test_amounts_have_two_decimal_places() -> None:
    money = parse_money("£500")
    assert money is not None
    assert money.amount.as_tuple().exponent == -2
    amount, currency = money  # unpacks like a tuple
    assert (amount, currency) == (Decimal("500.00"), "GBP")


REFUSED = [
    ("", "empty"),
    ("banana", "word"),
    ("£", "symbol-alone"),
    ("-5", "negative"),
    ("£-5", "negative-with-symbol"),
    ("minus five pounds", "negative-words"),
    ("about £500", "approximation"),
    ("12.505", "too-many-decimals"),
    ("12,50", "decimal-comma"),
    ("two fifty pounds", "price-form-with-currency-word"),
    ("$5 pounds", "two-currencies"),
    ("five dollars fifty pence", "pence-with-dollars"),
    ("five pounds fifty cents", "cents-with-pounds"),
    ("£5.50 twenty", "minor-after-decimals"),
    ("five pounds a hundred and fifty", "minor-part-over-99"),
    ("500 yen", "unknown-currency"),
    ("third", "ordinal"),
    ("two fifty three forty", "three-numbers"),
]


@pytest.mark.parametrize("text", [c[0] for c in REFUSED], ids=[c[1] for c in REFUSED])
def test_parse_money_refuses(text: str) -> None:
    assert parse_money(text) is None
