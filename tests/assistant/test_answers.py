"""How people answer Luma's questions: confirmations, choices, and typed phrases."""

from __future__ import annotations

import pytest

from luma_desktop.assistant.answers import parse_confirmation, phrase_matches, pick_candidate
from luma_desktop.assistant.events import Candidate


@pytest.mark.parametrize(
    "said",
    [
        "yes",
        "Yes.",
        "yeah go ahead",
        "confirm",
        "do it",
        "sure",
        "ok",
        "OK!",
        "yep",
        "um yes please",
        "yes thanks luma",
        "go for it",
        "that's right",
        "sounds good",
        "yes book it",
        "ok send it",
        "alright then",
    ],
)
def test_yes(said):
    assert parse_confirmation(said) is True


@pytest.mark.parametrize(
    "said",
    [
        "no",
        "No.",
        "cancel",
        "don't",
        "do not",
        "stop",
        "never mind",
        "nope",
        "no thanks",
        "uh no don't do it",
        "forget it",
        "not now",
        "hold on",
    ],
)
def test_no(said):
    assert parse_confirmation(said) is False


@pytest.mark.parametrize(
    "said",
    [
        "",
        "um",
        "make it 3pm instead",
        "yes but at 4",
        "what's my balance",
        "yes no",
        "no go ahead",
        "ok cancel it",
        "maybe",
        "thanks",
    ],
)
def test_anything_else_is_not_an_answer(said):
    assert parse_confirmation(said) is None


CANDIDATES = (
    Candidate(11, "Sarah Miller", "sarah.miller@design.co, last visit 3 May"),
    Candidate(12, "Sarah Thompson", "sarah.t@example.com, bridal trial in June"),
    Candidate(13, "Hans Mueller", "Alpine Tech, last visit 12 Oct"),
)


@pytest.mark.parametrize(
    ("said", "chosen"),
    [
        pytest.param("the first one", 11, id="first-one"),
        pytest.param("first", 11, id="first"),
        pytest.param("the second", 12, id="second"),
        pytest.param("number 2", 12, id="number-2"),
        pytest.param("2", 12, id="digit"),
        pytest.param("two", 12, id="word"),
        pytest.param("the last one", 13, id="last"),
        pytest.param("the third one please", 13, id="third-please"),
        pytest.param("Sarah Miller", 11, id="full-name"),
        pytest.param("miller", 11, id="last-name"),
        pytest.param("sara thomson", 12, id="speech-error"),
        pytest.param("hans", 13, id="first-name"),
        pytest.param("the one with the design email", 11, id="detail"),
        pytest.param("the one with the bridal trial", 12, id="detail-words"),
        pytest.param("the alpine tech one", 13, id="detail-company"),
        pytest.param("the one from may", 11, id="detail-month"),
    ],
)
def test_a_choice_picks_one_candidate(said, chosen):
    found = pick_candidate(said, CANDIDATES)
    assert found is not None
    assert found.id == chosen


@pytest.mark.parametrize(
    "said",
    [
        pytest.param("sarah", id="fits-two"),
        pytest.param("the fourth one", id="out-of-range"),
        pytest.param("number 0", id="zero"),
        pytest.param("the one with the red hat", id="no-detail"),
        pytest.param("", id="empty"),
        pytest.param("whoever", id="unclear"),
    ],
)
def test_an_unclear_choice_picks_nothing(said):
    assert pick_candidate(said, CANDIDATES) is None


def test_no_candidates_means_no_choice():
    assert pick_candidate("the first one", ()) is None


@pytest.mark.parametrize(
    ("typed", "matches"),
    [
        pytest.param("PAY 5000", True, id="case"),
        pytest.param("  pay   5000 ", True, id="spacing"),
        pytest.param("pay 5000", True, id="exact"),
        pytest.param("pay 500", False, id="different-amount"),
        pytest.param("pay 5,000", False, id="punctuation-counts"),
        pytest.param("yes", False, id="a-yes-is-not-the-phrase"),
        pytest.param("", False, id="empty"),
    ],
)
def test_typed_phrases_must_match_exactly(typed, matches):
    assert phrase_matches(typed, "pay 5000") is matches
