"""Matching what people say to records: exact, fuzzy, compound words, and ties asked about."""

import pytest

from luma_desktop.errors import Ambiguous, NotFound
from luma_desktop.workspace.services._matching import Option, match_one

SERVICES = [
    Option(1, "Cut & blow-dry"),
    Option(2, "Men's cut"),
    Option(3, "Full head colour"),
    Option(4, "Brow shape & tint"),
]


@pytest.mark.parametrize(
    ("said", "expected"),
    [
        pytest.param("full head colour", 3, id="exact"),
        pytest.param("ful head color", 3, id="fuzzy"),
        pytest.param("brow tint", 4, id="words"),
    ],
)
def test_one_match(said, expected):
    assert match_one(said, SERVICES, "service") == expected


def test_a_compound_word_finds_both_cuts_and_asks():
    with pytest.raises(Ambiguous) as caught:
        match_one("haircut", SERVICES, "service")
    assert {c.label for c in caught.value.candidates} == {"Cut & blow-dry", "Men's cut"}


@pytest.mark.parametrize("said", ["tattoo", "recolour", "cu"], ids=["unknown", "near", "short"])
def test_nothing_close_is_not_found(said):
    with pytest.raises(NotFound):
        match_one(said, SERVICES, "service")
