"""What Luma says: short speech for events, speakable money/times/dates, whole turns."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest

from luma_desktop.assistant.brains.offline import OfflineBrain
from luma_desktop.assistant.context import execution_context_for
from luma_desktop.assistant.events import (
    ActionExecuted,
    Candidate,
    ConfirmationRequired,
    DisambiguationRequired,
    ErrorOccurred,
    Event,
    TextDelta,
    Thinking,
    ToolFinished,
    ToolStarted,
    TurnComplete,
)
from luma_desktop.assistant.orchestrator import Assistant, AssistantOptions
from luma_desktop.assistant.usage import RateLimiter
from luma_desktop.clock import FixedClock
from luma_desktop.tools import build_registry
from luma_desktop.voice.speakable import (
    EventSpeech,
    card_summary,
    speakable_for,
    speakable_text,
    speech_text,
    spoken_sentences,
)
from luma_desktop.workspace.database import Workspace, sqlite_url
from luma_desktop.workspace.models import Role

from ..conftest import NOW

EXPIRES = datetime(2026, 11, 18, 14, 35, tzinfo=UTC)
BALANCE = (
    "Available: £32,650.62 (£478.80 pending in, £54.14 pending out) — Business Current "
    "£14,608.66; Savings £18,041.96."
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("£1,240.50", "1,240 pounds 50", id="pounds-and-pence"),
        pytest.param("£500", "500 pounds", id="whole-pounds"),
        pytest.param("£500.00 and £1", "500 pounds and 1 pound", id="zero-pence-and-one"),
        pytest.param("£0.50", "50 pence", id="pence-only"),
        pytest.param("-£34.97", "Minus 34 pounds 97", id="negative"),
        pytest.param("€20 or $5.99", "20 euros or 5 dollars 99", id="euro-dollar"),
        pytest.param("12.50 GBP or CHF 3.00", "12 pounds 50 or 3 francs", id="codes"),
        pytest.param("at 14:00", "At 2 pm", id="afternoon"),
        pytest.param("09:05 or 00:00 or 12:00", "9 oh 5 am or midnight or 12 noon", id="clock"),
        pytest.param("10.30am", "10 30 am", id="twelve-hour"),
        pytest.param("14:30-17:00", "2 30 pm to 5 pm", id="time-range"),
        pytest.param("Thu 19 Nov", "Thursday 19 November", id="weekday-date"),
        pytest.param("3 Sept 2026, 1 May", "3 September 2026, 1 May", id="dates"),
        pytest.param("INV-0042, Q-7, ORD-0003", "Invoice 42, quote 7, order 3", id="records"),
        pytest.param("invoice #42", "Invoice number 42", id="number-sign"),
        pytest.param("14 appointment(s), 1 line(s)", "14 appointments, 1 line", id="plurals"),
        pytest.param("Tom & Jerry — done", "Tom and Jerry, done", id="symbols"),
        pytest.param("Version 2.5 costs 3", "Version 2.5 costs 3", id="plain-numbers-kept"),
    ],
)
def test_speakable_text_says_what_a_voice_would_misread(text, expected):
    assert speakable_text(text) == expected


@pytest.mark.parametrize(
    ("summary", "expected"),
    [
        pytest.param(BALANCE, "Available: £32,650.62.", id="balance-aside-dropped"),
        pytest.param(
            "3 overdue invoice(s), £180.00 outstanding: INV-0035 Tom Fletcher £96.00 (24 days "
            "overdue); INV-0034 Rosie Ward £55.20 (24 days overdue).",
            "3 overdue invoices, £180.00 outstanding.",
            id="list-becomes-its-count",
        ),
        pytest.param(
            "Found 1 client: Sarah Miller (sarah.miller@example.com, +442079460211).",
            "Found 1 client: Sarah Miller.",
            id="one-record-named",
        ),
        pytest.param(
            "Sat 21 Nov: 14 appointment(s) from 09:00 to 16:45. Longest gap: 14:30-17:00.",
            "Sat 21 Nov: 14 appointments from 09:00 to 16:45.",
            id="first-sentence-only",
        ),
        pytest.param("Cancelled", "Cancelled.", id="full-stop-added"),
        pytest.param("", "", id="empty"),
    ],
)
def test_a_card_summary_is_said_short(summary, expected):
    assert card_summary(summary) == expected


def confirmation(prompt: str, *, risk: str = "high", phrase: str | None = None) -> Event:
    return ConfirmationRequired(
        pending_id=1,
        call_id="c1",
        tool="invoices_send",
        risk=risk,
        prompt=prompt,
        arguments={"invoice": "#42"},
        expires_at=EXPIRES,
        phrase=phrase,
    )


def which(*labels: str, reference: str = "sarah", kind: str = "client") -> Event:
    candidates = tuple(Candidate(n, label) for n, label in enumerate(labels, 1))
    return DisambiguationRequired(
        "c1", "scheduling_create_appointment", kind, reference, "Which one?", candidates
    )


@pytest.mark.parametrize(
    ("event", "expected"),
    [
        pytest.param(
            confirmation("E-mail invoice #42 to the client with its PDF attached?"),
            "E-mail invoice number 42 to the client with its PDF attached?",
            id="confirmation",
        ),
        pytest.param(
            confirmation("Record a payment of £500.00 on invoice INV-0042?", risk="medium"),
            "Record a payment of 500 pounds on invoice 42?",
            id="confirmation-with-money",
        ),
        pytest.param(
            confirmation("Void invoice #42?", risk="critical", phrase="CONFIRM 6BDC"),
            "Void invoice number 42? This one needs the typed phrase shown on screen.",
            id="critical-needs-the-typed-phrase",
        ),
        pytest.param(
            which("Sarah Miller", "Sarah Thompson"),
            "Which Sarah: Sarah Miller or Sarah Thompson?",
            id="which-of-two",
        ),
        pytest.param(
            which("Sarah Miller", "Sarah Jones", "Sarah Thompson"),
            "Which Sarah: Sarah Miller, Sarah Jones or Sarah Thompson?",
            id="which-of-three",
        ),
        pytest.param(
            which("Sarah Miller", "Sarah Jones", "Sarah Thompson", "Sarah Lee"),
            "Which Sarah: Sarah Miller, Sarah Jones, Sarah Thompson, or one other?",
            id="which-of-four",
        ),
        pytest.param(
            which("Sarah Miller", "Sarah Jones", "Sarah Thompson", "Sarah Lee", "Sarah Kay"),
            "Which Sarah: Sarah Miller, Sarah Jones, Sarah Thompson, or one of 2 others?",
            id="which-of-five",
        ),
        pytest.param(
            which("Ladies cut", "Gents cut", reference="the 2pm", kind="appointment"),
            "Which appointment: Ladies cut or Gents cut?",
            id="which-by-kind",
        ),
        pytest.param(
            ErrorOccurred("workspace", "The database is not reachable; try again at 14:30."),
            "The database is not reachable; try again at 2 30 pm.",
            id="error",
        ),
        pytest.param(
            ToolFinished("c1", "banking_get_balance", True, BALANCE, "balance"),
            "Available: 32,650 pounds 62.",
            id="tool-card-summary",
        ),
        pytest.param(
            ToolFinished("c1", "invoices_send", False, "Invoice #99 does not exist."),
            "Invoice number 99 does not exist.",
            id="tool-failure",
        ),
        pytest.param(
            ActionExecuted("c1", "reminders_create", "I'll remind you at Fri 27 Nov, 09:00."),
            "I'll remind you at Friday 27 November, 9 am.",
            id="action",
        ),
        pytest.param(TextDelta("Hello"), None, id="text-goes-through-the-splitter"),
        pytest.param(Thinking("offline"), None, id="thinking-is-silent"),
        pytest.param(ToolStarted("c1", "tasks_list", {}), None, id="tool-start-is-silent"),
    ],
)
def test_speakable_for_an_event(event, expected):
    assert speakable_for(event) == expected


def test_markdown_reply_becomes_one_speakable_text():
    reply = "## Summary\n- **Total**: £1,240.50\n\n```\ncode\n```\n| a | b |\nAll done at 16:00."
    assert speech_text(reply) == "Summary. Total: 1,240 pounds 50. All done at 4 pm."


def feed_all(speech: EventSpeech, events: list[Event]) -> list[list[str]]:
    return [speech.feed(event) for event in events]


def test_a_streamed_reply_is_spoken_sentence_by_sentence():
    events = [
        Thinking("claude"),
        TextDelta("Your balance is £1"),
        TextDelta("2.50. Anything"),
        TextDelta(" else?"),
        TurnComplete(1, "…"),
    ]
    assert feed_all(EventSpeech(), events) == [
        [],
        [],
        ["Your balance is 12 pounds 50."],
        [],
        ["Anything else?"],
    ]


def test_a_reply_repeating_the_card_summary_is_said_short_once():
    """The offline brain's reply is the tool summary verbatim: say the short form instead."""
    events = [
        ToolStarted("c1", "banking_get_balance", {}),
        ToolFinished("c1", "banking_get_balance", True, BALANCE, "balance"),
        Thinking("offline"),
        TextDelta(BALANCE[:20]),
        TextDelta(BALANCE[20:]),
        TurnComplete(1, BALANCE),
    ]
    said = [s for out in feed_all(EventSpeech(), events) for s in out]
    assert said == ["Available: 32,650 pounds 62."]


def test_a_reply_of_its_own_is_spoken_and_the_tool_summary_is_not():
    events = [
        ToolFinished("c1", "banking_get_balance", True, BALANCE, "balance"),
        TextDelta("You have about thirty-two thousand pounds available."),
        TurnComplete(1, "…"),
    ]
    said = [s for out in feed_all(EventSpeech(), events) for s in out]
    assert said == ["You have about thirty-two thousand pounds available."]


def test_a_silent_turn_says_its_tool_summaries_at_the_end():
    events = [
        ToolFinished("c1", "tasks_create", True, "Added the task “Call mum” (due Fri 20 Nov)."),
        ActionExecuted("c1", "tasks_create", "Added the task “Call mum” (due Fri 20 Nov)."),
        TurnComplete(1, ""),
    ]
    assert feed_all(EventSpeech(), events) == [[], [], ["Added the task “Call mum”."]]


def test_a_question_comes_after_the_text_before_it_and_turns_start_afresh():
    speech = EventSpeech()
    first = [
        TextDelta("Sure, one moment"),
        confirmation("Send invoice #42?"),
        TurnComplete(1, "", waiting_for="confirmation"),
    ]
    assert feed_all(speech, first) == [[], ["Sure, one moment", "Send invoice number 42?"], []]
    second = [ToolFinished("c2", "tasks_list", True, "No tasks."), TurnComplete(1, "")]
    assert feed_all(speech, second) == [[], ["No tasks."]]


@pytest.fixture(scope="module")
def offline_brain(_demo_sqlite_file: Path, tmp_path_factory: pytest.TempPathFactory):
    """The offline brain on a copy of the demo business, shared by this module's turns
    (they only read and ask: nothing is written)."""
    folder = tmp_path_factory.mktemp("speakable-demo")
    shutil.copy(_demo_sqlite_file, folder / "workspace.sqlite3")
    workspace = Workspace(sqlite_url(folder))
    registry = build_registry()
    context = execution_context_for(
        workspace, business="demo-salon", role=Role.OWNER, clock=FixedClock(NOW)
    )
    yield workspace, registry, context, OfflineBrain(workspace, registry, context)
    workspace.dispose()


@pytest.fixture
def assistant(offline_brain, tmp_path: Path) -> Assistant:
    workspace, registry, context, brain = offline_brain
    return Assistant(
        workspace=workspace,
        registry=registry,
        context=context,
        brain=brain,
        rate_limiter=RateLimiter(30, clock=context.clock),
        options=AssistantOptions(business_name="Luma Hair"),
        services_options={"files_dir": tmp_path / "files"},
    )


@pytest.mark.parametrize(
    ("request_text", "expected"),
    [
        pytest.param(
            "send invoice 42",
            ["E-mail invoice number 42 to the client with its PDF attached?"],
            id="confirmation",
        ),
        pytest.param(
            "book a haircut for sarah at 2pm tomorrow",
            ["Which Sarah: Sarah Miller or Sarah Thompson?"],
            id="disambiguation",
        ),
        pytest.param(
            "show overdue invoices", ["3 overdue invoices, 220 pounds 80 outstanding."], id="list"
        ),
    ],
)
async def test_a_real_offline_turn_is_spoken_briefly(assistant, request_text, expected):
    async with assistant:
        said = [sentence async for sentence in spoken_sentences(assistant.send(request_text))]
    assert said == expected
