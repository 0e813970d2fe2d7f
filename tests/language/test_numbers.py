"""Spoken and written numbers, as speech-to-text and typing produce them."""

from __future__ import annotations

import importlib
from decimal import Decimal

import pytest

from luma_desktop import language
from luma_desktop.language.numbers import (
    NumberWord,
    ordinal_suffix,
    parse_decimal,
    parse_number,
    parse_ordinal,
    read_numbers,
)

NUMBERS = [
    ("forty two", 42, "forty-two"),
    ("forty-two", 42, "hyphenated"),
    ("42", 42, "digits"),
    ("zero", 0, "zero"),
    ("seven", 7, "unit"),
    ("thirteen", 13, "teen"),
    ("ninety", 90, "tens"),
    ("one hundred and five", 105, "hundred-and"),
    ("one hundred five", 105, "hundred-without-and"),
    ("a hundred", 100, "a-hundred"),
    ("five hundred", 500, "five-hundred"),
    ("5 hundred", 500, "digits-hundred"),
    ("twenty five hundred", 2500, "twenty-five-hundred"),
    ("fifteen hundred", 1500, "fifteen-hundred"),
    ("two thousand and twenty six", 2026, "year-said-as-number"),
    ("a thousand", 1000, "a-thousand"),
    ("one million two hundred thousand", 1_200_000, "millions"),
    ("ninety nine thousand nine hundred and ninety nine", 99_999, "long"),
    ("a dozen", 12, "a-dozen"),
    ("two dozen", 24, "two-dozen"),
    ("half a dozen", 6, "half-a-dozen"),
    ("a couple", 2, "a-couple"),
    ("1,250", 1250, "grouped-digits"),
    ("1.2k", 1200, "k-suffix"),
    ("2m", 2_000_000, "m-suffix"),
    ("um forty two please", 42, "fillers"),
    ("Forty Two.", 42, "capitals-and-full-stop"),
    ("fourty two", 42, "common-misspelling"),
]


@pytest.mark.parametrize(
    ("text", "expected"), [c[:2] for c in NUMBERS], ids=[c[2] for c in NUMBERS]
)
def test_parse_number(text: str, expected: int) -> None:
    assert parse_number(text) == expected


NOT_NUMBERS = [
    ("", "empty"),
    ("banana", "word"),
    ("hundred", "scale-alone"),
    ("three thirty", "two-numbers"),
    ("nineteen ninety nine", "pair-of-numbers"),
    ("twelve point five", "fraction-is-not-whole"),
    ("1,25", "decimal-comma"),
    ("1 250", "spaced-digits"),
    ("-5", "negative"),
    ("minus five", "negative-words"),
    ("about forty", "approximation"),
    ("third", "ordinal"),
    ("and", "and-alone"),
    ("one and", "dangling-and"),
    ("a", "a-alone"),
]


@pytest.mark.parametrize("text", [c[0] for c in NOT_NUMBERS], ids=[c[1] for c in NOT_NUMBERS])
def test_parse_number_refuses(text: str) -> None:
    assert parse_number(text) is None


DECIMALS = [
    ("12.50", Decimal("12.50"), "digits"),
    ("1,250.00", Decimal("1250.00"), "grouped-with-decimals"),
    ("twelve point five", Decimal("12.5"), "point"),
    ("two point oh five", Decimal("2.05"), "point-oh"),
    ("one and a half", Decimal("1.5"), "and-a-half"),
    ("two and a quarter", Decimal("2.25"), "and-a-quarter"),
    ("12 and a half", Decimal("12.5"), "digits-and-a-half"),
    ("half", Decimal("0.5"), "half"),
    ("a half", Decimal("0.5"), "a-half"),
    (".5", Decimal("0.5"), "leading-point"),
    ("forty two", Decimal(42), "whole"),
]


@pytest.mark.parametrize(
    ("text", "expected"), [c[:2] for c in DECIMALS], ids=[c[2] for c in DECIMALS]
)
def test_parse_decimal(text: str, expected: Decimal) -> None:
    assert parse_decimal(text) == expected


@pytest.mark.parametrize(
    "text",
    ["twelve point", "point five five five x", "1.2.3", "12,5", "-1.5", "one and a half dozen"],
    ids=[
        "point-without-digits",
        "junk-after-point",
        "two-points",
        "decimal-comma",
        "negative",
        "mixed-fraction-and-scale",
    ],
)
def test_parse_decimal_refuses(text: str) -> None:
    assert parse_decimal(text) is None


ORDINALS = [
    ("third", 3, "third"),
    ("the third", 3, "the-third"),
    ("21st", 21, "digit-ordinal"),
    ("twenty first", 21, "compound"),
    ("twenty-first", 21, "hyphenated"),
    ("twentieth", 20, "tens-ordinal"),
    ("thirty first", 31, "thirty-first"),
    ("twelfth", 12, "twelfth"),
    ("second", 2, "second-alone-is-ordinal"),
    ("twenty second", 22, "twenty-second"),
    ("one hundred and first", 101, "hundred-and-first"),
    ("22th", 22, "wrong-suffix-reads-digits"),
]


@pytest.mark.parametrize(
    ("text", "expected"), [c[:2] for c in ORDINALS], ids=[c[2] for c in ORDINALS]
)
def test_parse_ordinal(text: str, expected: int) -> None:
    assert parse_ordinal(text) == expected


@pytest.mark.parametrize(
    "text",
    ["three", "21", "first second", "", "0th"],
    ids=["cardinal", "digits", "two-ordinals", "empty", "zeroth"],
)
def test_parse_ordinal_refuses(text: str) -> None:
    assert parse_ordinal(text) is None


def test_read_numbers_keeps_words_and_marks_spoken_numbers() -> None:
    phrase = "in a second the second twenty second three thirty 45"
    words = read_numbers(phrase.split(" "))
    assert words == [
        NumberWord("in", None),
        NumberWord("a", None),
        NumberWord("second", None),  # "a second" is time, not an ordinal
        NumberWord("the", None),
        NumberWord("2nd", 2, spoken=True, ordinal=True),
        NumberWord("22nd", 22, spoken=True, ordinal=True),
        NumberWord("3", 3, spoken=True),
        NumberWord("30", 30, spoken=True),
        NumberWord("45", 45),
    ]


@pytest.mark.parametrize(
    ("n", "expected"),
    [
        (1, "1st"),
        (2, "2nd"),
        (3, "3rd"),
        (4, "4th"),
        (11, "11th"),
        (12, "12th"),
        (13, "13th"),
        (21, "21st"),
        (101, "101st"),
        (111, "111th"),
    ],
    ids=str,
)
def test_ordinal_suffix(n: int, expected: str) -> None:
    assert ordinal_suffix(n) == expected


MODULES = ["numbers", "times", "days", "when", "ranges", "durations", "money", "references"]


@pytest.mark.parametrize("name", MODULES)
def test_every_parser_states_its_ambiguity_rules(name: str) -> None:
    module = importlib.import_module(f"luma_desktop.language.{name}")
    assert module.__doc__ is not None
    assert "Ambiguity rules" in module.__doc__


def test_package_exports_the_parsers() -> None:
    for name in language.__all__:
        assert getattr(language, name) is not None
    assert set(language.__all__) >= {"parse_when", "parse_money", "parse_reference"}
