"""Value-parsing figures (issue 5): latency of each parser in luma_desktop.language.

    python -m tests.benchmarks.value_parsing [--quick]

Each kind is timed over its phrases (the date/time corpus of the tests for dates and times);
a sample is one call. The offline brain parses a handful of values per request, within its
20 ms budget for the whole request, so each parse should take well under 1 ms.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from functools import partial
from typing import Any

from luma_desktop.language import (
    parse_day,
    parse_duration,
    parse_money,
    parse_number,
    parse_range,
    parse_reference,
    parse_time,
    parse_when,
)

from ..language.test_when_corpus import CORPUS, NOW, TODAY
from ._stats import print_row, time_calls

DURATIONS = [
    "45 minutes",
    "an hour and a half",
    "1h30",
    "90 min",
    "half an hour",
    "two hours",
    "a couple of hours",
    "2 hrs 15 mins",
    "three quarters of an hour",
    "an hour 15",
]
MONEY = [
    "£500",
    "500 pounds",
    "five hundred dollars",
    "€12.50",
    "12 quid",
    "two fifty",
    "1.2k",
    "£1,250.00",
    "fifty p",
    "five pounds and fifty pence",
    "twenty five hundred dollars",
]
REFERENCES = [
    "#42",
    "invoice 42",
    "INV-0042",
    "inv 42",
    "number forty two",
    "QUO-0007",
    "invoice oh oh four two",
    "order number 3",
]
NUMBERS = [
    "forty two",
    "one hundred and five",
    "a dozen",
    "twenty five hundred",
    "1,250",
    "two thousand and twenty six",
    "ninety nine thousand nine hundred and ninety nine",
]
RANGES = [
    "next week",
    "this month",
    "the rest of the week",
    "monday to friday",
    "december",
    "the next 7 days",
    "between the 1st and the 14th",
    "tomorrow",
]
TIMES = ["half past three", "quarter to five", "two p m", "noon", "tonight at 9", "4"]


def _kinds() -> list[tuple[str, list[str], Callable[[str], Any]]]:
    phrases = [case[0] for case in CORPUS]
    return [
        ("when (date/time corpus)", phrases, lambda text: parse_when(text, NOW)),
        ("day (date/time corpus)", phrases, lambda text: parse_day(text, TODAY)),
        ("range", RANGES, lambda text: parse_range(text, TODAY)),
        ("time of day", TIMES, parse_time),
        ("duration", DURATIONS, parse_duration),
        ("money", MONEY, parse_money),
        ("reference", REFERENCES, parse_reference),
        ("number", NUMBERS, parse_number),
    ]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="few repetitions (smoke test)")
    args = parser.parse_args(argv)
    repeat = 3 if args.quick else 50
    print(f"value parsing: per call, {repeat} calls per phrase (target p95 < 1 ms)")
    everything: list[float] = []
    for name, phrases, parse in _kinds():
        samples: list[float] = []
        for text in phrases:
            samples += time_calls(partial(parse, text), repeat, warmup=1)
        everything += samples
        print_row(f"{name} ({len(phrases)} phrases)", samples, target="< 1 ms")
    print_row("all kinds", everything, target="< 1 ms")


if __name__ == "__main__":
    main()
