"""Streamed text → sentences as soon as they end, markdown taken out for speech."""

from __future__ import annotations

import pytest

from luma_desktop.voice.sentences import SentenceSplitter, plain_text, split_sentences

CASES = [
    pytest.param(
        "Invoice 42 costs £12.50. Shall I send it? Yes!",
        ["Invoice 42 costs £12.50.", "Shall I send it?", "Yes!"],
        id="money-and-questions",
    ),
    pytest.param(
        "Call Dr. Smith at 10.30am tomorrow. Then rest.",
        ["Call Dr. Smith at 10.30am tomorrow.", "Then rest."],
        id="title-and-time",
    ),
    pytest.param(
        "Bring e.g. towels, combs etc. and gel. Thanks",
        ["Bring e.g. towels, combs etc. and gel.", "Thanks"],
        id="eg-and-etc-midsentence",
    ),
    pytest.param(
        "It was 3 p.m. Then we left.", ["It was 3 p.m.", "Then we left."], id="pm-ends-sentence"
    ),
    pytest.param(
        "J. Smith paid. Alpine Tech Ltd. Shall I send it?",
        ["J. Smith paid.", "Alpine Tech Ltd.", "Shall I send it?"],
        id="initial-and-ltd",
    ),
    pytest.param(
        "See luma.app or v2.5 now. Done… Really?! “Yes.” Fine.",
        ["See luma.app or v2.5 now.", "Done…", "Really?!", "“Yes.”", "Fine."],
        id="dots-inside-words-and-closing-quotes",
    ),
    pytest.param(
        "## Today\n- **Call** the dentist\n* Buy _milk_\n1. First item\n2) Second item.",
        ["Today", "Call the dentist", "Buy milk", "First item", "Second item."],
        id="markdown-headings-bullets-numbers",
    ),
    pytest.param(
        "Here:\n```python\nprint('x. y')\n```\nDone.", ["Here:", "Done."], id="code-block-dropped"
    ),
    pytest.param(
        "| Client | Due |\n|---|---|\n| Sarah | £5 |\nAfter the table.",
        ["After the table."],
        id="table-dropped",
    ),
    pytest.param(
        "Visit [our site](https://luma.app). It's `great` 🎉!\n\n---\n> Quoted line",
        ["Visit our site.", "It's great!", "Quoted line"],
        id="links-code-emoji-rule-quote",
    ),
    pytest.param(
        "Costs -5 degrees and 3 * 4 = 12; done_now here",
        ["Costs -5 degrees and 3 * 4 = 12; done_now here"],
        id="no-false-markup",
    ),
    pytest.param("   \n\n  ", [], id="blank"),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_whole_text_splits_into_spoken_sentences(text, expected):
    assert split_sentences(text) == expected


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_streaming_one_character_at_a_time_gives_the_same_sentences(text, expected):
    splitter = SentenceSplitter()
    got = [sentence for char in text for sentence in splitter.feed(char)]
    assert [*got, *splitter.flush()] == expected


def test_speech_can_start_at_the_first_sentence():
    splitter = SentenceSplitter()
    assert splitter.feed("Hel") == []
    assert splitter.feed("lo there") == []
    assert splitter.feed(". How") == ["Hello there."]
    assert splitter.feed(" are you? I'm") == ["How are you?"]
    assert splitter.flush() == ["I'm"]


@pytest.mark.parametrize(
    ("deltas", "expected"),
    [
        pytest.param(
            ["It costs £12", ".", "50 today. "],
            [[], [], ["It costs £12.50 today."]],
            id="decimal-point-split-across-deltas",
        ),
        pytest.param(
            ["Sent to Dr", ". ", "Smith today. ", "Next"],
            [[], [], ["Sent to Dr. Smith today."], []],
            id="title-split",
        ),
        pytest.param(
            ["Bring combs etc. ", "and gel. ", "Next"],
            [[], ["Bring combs etc. and gel."], []],
            id="etc-waits-for-the-next-word",
        ),
        pytest.param(["All done!", " "], [[], ["All done!"]], id="end-mark-waits-for-a-space"),
        pytest.param(["Item", "\n"], [[], ["Item"]], id="newline-ends"),
        pytest.param(["- ", "Buy milk\n"], [[], ["Buy milk"]], id="bullet-waits-for-its-text"),
    ],
)
def test_a_sentence_is_handed_out_as_soon_as_it_surely_ended(deltas, expected):
    splitter = SentenceSplitter()
    assert [splitter.feed(delta) for delta in deltas] == expected


def test_the_ambiguous_abbreviation_is_decided_by_the_next_word():
    splitter = SentenceSplitter()
    assert splitter.feed("We close at 5 p.m. ") == []
    assert splitter.feed("Tomorrow too.") == ["We close at 5 p.m."]


def test_a_long_run_on_sentence_is_cut_after_a_comma():
    text = "We have " + ", ".join(f"client number {n} waiting" for n in range(30)) + " today"
    sentences = split_sentences(text, max_chars=120)
    assert len(sentences) > 3
    assert all(len(s) <= 120 for s in sentences)
    assert " ".join(sentences).replace(", ", " ").split() == text.replace(",", "").split()


def test_flush_starts_afresh_even_inside_an_unclosed_code_block():
    splitter = SentenceSplitter()
    assert splitter.feed("Code:\n```\nx = 1. y\n") == ["Code:"]
    assert splitter.flush() == []
    assert splitter.feed("Back to talk. ") == ["Back to talk."]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "**Bold** and __strong__ and *it* and _em_",
            "Bold and strong and it and em",
            id="emphasis",
        ),
        pytest.param(
            "Open ![logo](x.png) [docs](https://x.y/z)", "Open logo docs", id="image-link"
        ),
        pytest.param("Use `luma say` <br> now", "Use luma say now", id="code-and-html"),
        pytest.param("a | b | c", "a, b, c", id="pipes"),
        pytest.param("🎉✨", "", id="only-emoji"),
        pytest.param("snake_case_name stays", "snake_case_name stays", id="snake-case"),
    ],
)
def test_plain_text_removes_inline_markdown(text, expected):
    assert plain_text(text) == expected
