"""Requests as people type and say them, made matchable."""

from __future__ import annotations

import pytest

from luma_desktop.assistant.brains.offline import normalise_speech
from luma_desktop.assistant.brains.offline._speech import read_speech, strip_article


@pytest.mark.parametrize(
    ("said", "plain"),
    [
        pytest.param(
            "Um, can you please remind me to call Sarah?", "remind me to call sarah", id="typed"
        ),
        pytest.param("um can you uh remind me", "remind me", id="speech"),
        pytest.param("Hey Luma, what's on my list?", "what's on my list", id="wake-words"),
        pytest.param("What is INV-0042?", "what is inv-0042", id="reference-kept"),
        pytest.param("Pay £49.99 to Bob.", "pay £49.99 to bob", id="money-kept"),
        pytest.param("remind me at 9.30", "remind me at 9.30", id="clock-kept"),
        pytest.param("show my tasks thanks luma", "show my tasks", id="polite-ending"),
        pytest.param("“Call the dentist”", "call the dentist", id="quotes"),
        pytest.param("thanks", "thanks", id="only-an-opener-stays"),
        pytest.param("It’s done", "it's done", id="curly-apostrophe"),
        pytest.param("  ", "", id="blank"),
    ],
)
def test_requests_are_normalised(said, plain):
    assert normalise_speech(said) == plain


def test_answers_keep_their_openers():
    assert normalise_speech("OK, go ahead.", requests=False) == "ok go ahead"
    assert normalise_speech("please just do it", requests=False) == "just do it"


@pytest.mark.parametrize(
    ("phrase", "name"),
    [("the milk", "milk"), ("my reminder", "reminder"), ("an apple", "apple"), ("the", "the")],
)
def test_articles_are_stripped_before_names(phrase, name):
    assert strip_article(phrase) == name


def test_thousands_separators_stay_in_the_number():
    assert normalise_speech("Transfer £1,000 to savings") == "transfer £1000 to savings"


@pytest.mark.parametrize(
    ("typed", "matched", "restored"),
    [
        pytest.param(
            "Add a todo: Call Hans about the VAT return!",
            "call hans about the vat return",
            "Call Hans about the VAT return",
            id="capitals",
        ),
        pytest.param(
            "import clients from ~/Downloads/new-clients.csv",
            "/downloads/new-clients.csv",
            "~/Downloads/new-clients.csv",
            id="path",
        ),
        pytest.param(
            "add a task: buy milk, eggs and bread.",
            "buy milk eggs and bread",
            "buy milk, eggs and bread",
            id="inner-commas",
        ),
        pytest.param(
            "remind me to say please to Bob", "say to bob", "say please to Bob", id="filler-inside"
        ),
        pytest.param("call mum", "call dad", "call dad", id="not-found"),
    ],
)
def test_matched_words_are_given_back_as_typed(typed, matched, restored):
    assert read_speech(typed).restore(matched) == restored
