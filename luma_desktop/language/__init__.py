"""Understanding words: dates and times, durations, money, numbers and references.

Pure functions over speech-style text (lowercase, no punctuation, fillers) that answer ``None``
when they do not fully understand, never a guess. Dates and times are read in the business
timezone against a given ``now``/``today``, so they are testable. Each module states its
ambiguity rules in its docstring: :mod:`.numbers`, :mod:`.times`, :mod:`.days`, :mod:`.when`,
:mod:`.ranges`, :mod:`.durations`, :mod:`.money`, :mod:`.references`.
"""

from .durations import parse_duration
from .money import Money, parse_money
from .numbers import parse_decimal, parse_number, parse_ordinal
from .ranges import DateRange, parse_range
from .references import Reference, parse_reference
from .times import parse_time
from .when import ACCEPTED_FORMS, parse_day, parse_when

__all__ = [
    "ACCEPTED_FORMS",
    "DateRange",
    "Money",
    "Reference",
    "parse_day",
    "parse_decimal",
    "parse_duration",
    "parse_money",
    "parse_number",
    "parse_ordinal",
    "parse_range",
    "parse_reference",
    "parse_time",
    "parse_when",
]
