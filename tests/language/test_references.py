"""Document references: numbers, prefixes and spoken forms."""

from __future__ import annotations

import pytest

from luma_desktop.language import Reference, parse_reference
from luma_desktop.language.references import DEFAULT_PREFIXES
from luma_desktop.workspace.values import numbered_reference

REFERENCES = [
    ("#42", Reference(None, 42, None), "hash"),
    ("# 42", Reference(None, 42, None), "hash-spaced"),
    ("42", Reference(None, 42, None), "bare-number"),
    ("number forty two", Reference(None, 42, None), "spoken-number"),
    ("no. 42", Reference(None, 42, None), "no-dot"),
    ("invoice 42", Reference("invoice", 42, "INV-0042"), "invoice-word"),
    ("the invoice number 42", Reference("invoice", 42, "INV-0042"), "invoice-number"),
    ("invoice #42", Reference("invoice", 42, "INV-0042"), "invoice-hash"),
    ("inv 42", Reference("invoice", 42, "INV-0042"), "inv"),
    ("INV-0042", Reference("invoice", 42, "INV-0042"), "code"),
    ("inv-0042", Reference("invoice", 42, "INV-0042"), "code-lowercase"),
    ("INV0042", Reference("invoice", 42, "INV-0042"), "code-without-dash"),
    ("invoice forty two", Reference("invoice", 42, "INV-0042"), "spoken"),
    ("invoice four two", Reference("invoice", 42, "INV-0042"), "digit-by-digit"),
    ("invoice oh oh four two", Reference("invoice", 42, "INV-0042"), "spoken-code"),
    ("invoice one hundred and five", Reference("invoice", 105, "INV-0105"), "hundred-and"),
    ("um invoice 42 please", Reference("invoice", 42, "INV-0042"), "fillers"),
    ("QUO-0007", Reference("quote", 7, "Q-0007"), "quo-prefix"),
    ("quote 7", Reference("quote", 7, "Q-0007"), "quote-word"),
    ("quotation seven", Reference("quote", 7, "Q-0007"), "quotation"),
    ("Q-7", Reference("quote", 7, "Q-0007"), "q-prefix"),
    ("order number 3", Reference("order", 3, "ORD-0003"), "order"),
    ("ORD-0003", Reference("order", 3, "ORD-0003"), "order-code"),
    ("appointment 12", Reference("appointment", 12, None), "appointment-has-no-code"),
    ("booking 12", Reference("appointment", 12, None), "booking"),
    ("INV-12345", Reference("invoice", 12345, "INV-12345"), "wide-number"),
]


@pytest.mark.parametrize(
    ("text", "expected"), [c[:2] for c in REFERENCES], ids=[c[2] for c in REFERENCES]
)
def test_parse_reference(text: str, expected: Reference) -> None:
    assert parse_reference(text) == expected


def test_code_uses_the_shared_numbering_format() -> None:
    found = parse_reference("invoice 42")
    assert found is not None
    assert found.code == numbered_reference(DEFAULT_PREFIXES["invoice"], 42)


def test_business_prefixes_name_the_kind_and_the_code() -> None:
    prefixes = {"invoice": "SAL-", "quote": "QUO-"}
    assert parse_reference("SAL-12", prefixes) == Reference("invoice", 12, "SAL-0012")
    assert parse_reference("QUO-0007", prefixes) == Reference("quote", 7, "QUO-0007")
    assert parse_reference("invoice 12", prefixes) == Reference("invoice", 12, "SAL-0012")
    # Kinds the business did not override keep the defaults.
    assert parse_reference("order 3", prefixes) == Reference("order", 3, "ORD-0003")


REFUSED = [
    ("", "empty"),
    ("#", "hash-alone"),
    ("invoice", "kind-without-number"),
    ("#0", "zero"),
    ("invoice zero", "spoken-zero"),
    ("invoice 42 43", "two-numbers"),
    ("invoice 4.2", "decimal"),
    ("invoice 42 for sarah", "extra-words"),
    ("XYZ-12", "unknown-prefix"),
    ("sarah", "a-name"),
    ("invoice third", "ordinal"),
    ("invoice 12345678901", "too-long"),
]


@pytest.mark.parametrize("text", [c[0] for c in REFUSED], ids=[c[1] for c in REFUSED])
def test_parse_reference_refuses(text: str) -> None:
    assert parse_reference(text) is None
