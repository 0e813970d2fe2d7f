"""What each event's card carries: mapped from events the real core produced on the demo
business, formatted in its timezone and currency; and the progress of multi-step turns."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from luma_desktop.assistant.brains import ScriptedBrain, ToolCall
from luma_desktop.assistant.events import (
    ActionExecuted,
    ConfirmationRequired,
    DisambiguationRequired,
    ErrorOccurred,
    Event,
    TextDelta,
    ToolFinished,
    TurnComplete,
)
from luma_desktop.assistant.orchestrator import Assistant
from luma_desktop.clock import FixedClock
from luma_desktop.errors import BrainError
from luma_desktop.ui import cards
from luma_desktop.ui._card_format import (
    CardFormat,
    humanise,
    initials,
    money_text,
    plain_number,
    tone_for,
)
from luma_desktop.ui._chat_events import card_mapping, plain
from luma_desktop.ui.cards import CardMapper, ProgressTracker, action_label

from .conftest import make_assistant

NOW = datetime(2026, 11, 18, 14, 30, tzinfo=UTC)
BOOKING = {"client": "Sarah Miller", "service": "Cut & blow-dry", "when": "tomorrow at 2pm"}
PAYMENT = {"payee": "Glow Beauty Supplies", "amount": "9000"}
BALANCE = ToolCall("s1", "banking_get_balance", {})


@pytest.fixture
def assistant_with(demo_workspace, registry, clock):
    def make(*replies: list[Any]) -> Assistant:
        return make_assistant(demo_workspace, registry, clock, ScriptedBrain(list(replies)))

    return make


async def _turn(assistant: Assistant, text: str = "go") -> list[Event]:
    return [event async for event in assistant.send(text)]


def _of(events: list[Event], kind: type) -> list[Any]:
    return [event for event in events if isinstance(event, kind)]


def _at(data: Any, path: str) -> Any:
    for part in path.split("."):
        data = data[int(part)] if isinstance(data, list) else data[part]
    return data


# -- results -------------------------------------------------------------------------------------

RESULTS = [
    pytest.param(
        "invoices_get",
        {"invoice": 42},
        "invoice",
        {
            "layout": "single",
            "number": "INV-0042",
            "status": "Overdue",
            "tone": "danger",
            "overdue": "13 days overdue",
            "lines.0.vat": "20% VAT",
            "totals.1": {"label": "VAT 20%", "value": "£16.00"},
            "total": "£96.00",
            "balance": "£96.00",
        },
        id="invoice",
    ),
    pytest.param(
        "quotes_get",
        {"quote": 1},
        "invoice",
        {"document": "Quote", "due_label": "Valid until", "due": "Fri 11 Dec", "balance": ""},
        id="quote",
    ),
    pytest.param(
        "invoices_list", {}, "invoice", {"layout": "list", "items.0.number": "INV-0073"}, id="list"
    ),
    pytest.param(
        "invoices_overdue_summary",
        {},
        "invoice",
        {
            "headline": "£220.80",
            "subtitle": "3 overdue invoices",
            "items.1.number": "Sarah Thompson",
        },
        id="overdue",
    ),
    pytest.param(
        "banking_get_balance",
        {},
        "balance",
        {
            "layout": "balance",
            "headline": "£28,691.98",
            "subtitle": "£351.60 pending in · £16.47 pending out",
            "accounts.0": {
                "name": "Business Current",
                "detail": "Current · •••• 7663",
                "amount": "£10,653.71",
            },
        },
        id="balance",
    ),
    pytest.param(
        "banking_get_statement",
        {},
        "balance",
        {
            "layout": "transactions",
            "headline": "£10,670.18",
            "subtitle": "Sun 1 Nov – Wed 18 Nov",
            "transactions.0.counterparty": "SoundSalon Music Licence",
            "transactions.0.amount": "-£18.99",
            "more": 68,
        },
        id="statement",
    ),
    pytest.param(
        "banking_list_transactions",
        {},
        "balance",
        {"layout": "transactions", "transactions.3.amount": "+£351.60", "trend": []},
        id="transactions",
    ),
    pytest.param(
        "scheduling_get_appointment",
        {"appointment": 231},
        "appointment",
        {
            "layout": "single",
            "appointment.day": "Today",
            "appointment.time": "15:15 – 17:15",
            "appointment.client": "Sarah Miller",
            "appointment.with": "Emma Clarke · Colour station",
            "appointment.price": "£80.00",
            "appointment.badge": "",
        },
        id="appointment",
    ),
    pytest.param(
        "scheduling_day_summary",
        {},
        "appointment",
        {
            "layout": "list",
            "title": "Today · Wed 18 Nov",
            "subtitle": "15 appointments · 4 still to come",
            "groups.0.items.0.start": "14:45",
            "groups.0.items.0.badge": "Requested",
            "more": 11,
        },
        id="day",
    ),
    pytest.param(
        "scheduling_check_availability",
        {"service": "Cut & blow-dry", "day": "tomorrow"},
        "appointment",
        {"layout": "availability", "groups.0.day": "Tomorrow", "groups.0.items.0.start": "10:45"},
        id="availability",
    ),
    pytest.param(
        "clients_get",
        {"client": "Sarah Miller"},
        "client",
        {
            "client.initials": "SM",
            "client.since": "Client since Nov 2025",
            "client.tags": ["prefers-mornings", "vip"],
            "client.next_visit": "Wed 18 Nov, 15:15 · Full head colour",
        },
        id="client",
    ),
    pytest.param(
        "clients_list",
        {},
        "client",
        {"layout": "list", "subtitle": "60 clients", "more": 52},
        id="clients",
    ),
    pytest.param(
        "tasks_list",
        {},
        "table",
        {
            "title": "Tasks",
            "sections.0.items.0": {
                "id": 8,
                "title": "Submit the VAT return",
                "detail": "Mon 23 Nov, 12:00 · Emma Clarke",
                "value": "",
                "badge": "Urgent",
                "tone": "danger",
            },
        },
        id="tasks",
    ),
    pytest.param(
        "search_global",
        {"query": "sarah"},
        "table",
        {"subtitle": "12 results for “sarah”", "fields": [], "sections.0.items.0.badge": "Client"},
        id="search",
    ),
    pytest.param(
        "scheduling_list_resources",
        {},
        "table",
        {"sections.0.title": "Staff", "sections.1.items.0.title": "Chair 1"},
        id="table",
    ),
]


@pytest.mark.parametrize(("tool", "arguments", "card", "expected"), RESULTS)
async def test_a_result_maps_to_its_card(assistant_with, tool, arguments, card, expected):
    assistant = assistant_with([ToolCall("r1", tool, arguments)], ["ok"])
    finished = _of(await _turn(assistant), ToolFinished)[0]
    mapped = CardMapper.for_context(assistant.context)(finished)

    assert mapped is not None
    card_type, data = mapped
    assert card_type == card
    assert (data["call_id"], data["tool"], data["summary"]) == ("r1", tool, finished.summary)
    for path, value in expected.items():
        assert _at(data, path) == value, path
    assert plain(data) == data  # plain JSON values: what QML receives


@pytest.mark.parametrize(
    ("card", "data", "expected"),
    [
        pytest.param(
            "appointment", {"odd": "shape"}, [{"label": "Odd", "value": "shape"}], id="dict"
        ),
        pytest.param("invoice", None, [], id="nothing"),
        pytest.param("balance", "text", [], id="text"),
    ],
)
def test_an_unknown_shape_falls_back_to_the_table_card(card, data, expected):
    mapped = cards.card_for(ToolFinished("x", "scheduling_list_waitlist", True, "Ok.", card, data))
    assert mapped is not None
    assert mapped[0] == "table"
    assert mapped[1]["fields"] == expected
    assert mapped[1]["title"] == "List waitlist"


@pytest.mark.parametrize(
    "event",
    [
        pytest.param(ToolFinished("x", "t", False, "No such invoice.", "invoice"), id="failed"),
        pytest.param(ToolFinished("x", "t", True, "Noted.", "text"), id="text"),
        pytest.param(ActionExecuted("x", "t", "Done."), id="action"),
        pytest.param(TextDelta("Hi"), id="text-delta"),
        pytest.param(TurnComplete(1, "Hi"), id="turn-complete"),
    ],
)
def test_events_without_a_card(event):
    assert cards.card_for(event) is None


def test_the_window_loads_this_mapping():
    assert card_mapping() is cards.card_for


# -- questions -----------------------------------------------------------------------------------


async def test_a_critical_confirmation_carries_its_preview_phrase_and_time(assistant_with):
    assistant = assistant_with([ToolCall("p1", "banking_pay_payee", PAYMENT)])
    asked = _of(await _turn(assistant), ConfirmationRequired)[0]
    mapper = CardMapper(CardFormat(ZoneInfo("Europe/London"), assistant.context.clock, "GBP"))
    mapper = CardMapper(mapper.format, wall_clock=lambda: 1_000.0)

    card_type, data = mapper(asked) or ("", {})

    assert card_type == "confirmation"
    assert (data["pending_id"], data["risk"], data["phrase"]) == (
        asked.pending_id,
        "critical",
        asked.phrase,
    )
    assert (data["title"], data["risk_label"]) == ("Make a payment", "Critical · cannot be undone")
    payee, amount = data["fields"]
    assert (payee["label"], payee["value"], payee["kind"], payee["strong"]) == (
        "Payee",
        "Glow Beauty Supplies",
        "name",
        True,
    )
    assert (amount["value"], amount["edit"], amount["kind"], amount["strong"]) == (
        "£9,000.00",
        "9000",
        "money",
        True,
    )
    assert data["expires_in_ms"] == 5 * 60 * 1000
    assert data["issued_at_ms"] == 1_000_000


async def test_a_booking_confirmation_names_what_it_can(assistant_with):
    assistant = assistant_with([ToolCall("b1", "scheduling_create_appointment", BOOKING)])
    asked = _of(await _turn(assistant), ConfirmationRequired)[0]
    fields = {
        f["name"]: f
        for f in CardMapper.for_context(assistant.context).confirmation(asked)["fields"]
    }

    assert asked.arguments["client"] == 1  # the gatekeeper resolved the name to an id
    assert (fields["client"]["value"], fields["client"]["edit"]) == ("#1", "")
    assert fields["client"]["placeholder"]
    assert (fields["when"]["value"], fields["when"]["kind"]) == ("tomorrow at 2pm", "date")
    assert fields["service"]["strong"]


@dataclass(frozen=True, slots=True)
class _Labelled(ConfirmationRequired):
    labels: dict[str, str] = field(default_factory=dict)


def test_record_labels_replace_ids_when_the_event_has_them():
    asked = _Labelled(
        1,
        "c",
        "clients_merge",
        "high",
        "Merge?",
        {"keep": 1, "duplicate": 2},
        NOW + timedelta(minutes=5),
        labels={"keep": "Sarah Miller", "duplicate": "S. Miller"},
    )
    data = CardMapper.for_business(UTC, FixedClock(NOW)).confirmation(asked)
    shown = [(f["label"], f["value"], f["edit"]) for f in data["fields"]]
    assert shown == [
        ("Keep", "Sarah Miller", "Sarah Miller"),
        ("Duplicate", "S. Miller", "S. Miller"),
    ]


async def test_a_disambiguation_keeps_its_candidates(assistant_with):
    assistant = assistant_with([ToolCall("g1", "clients_get", {"client": "Sarah"})])
    asked = _of(await _turn(assistant), DisambiguationRequired)[0]
    card_type, data = cards.card_for(asked) or ("", {})
    assert card_type == "disambiguation"
    assert data["call_id"] == "g1"
    assert [c["label"] for c in data["candidates"]] == ["Sarah Miller", "Sarah Thompson"]
    assert data["title"] == "Look up client"


async def test_an_error_says_what_failed_and_offers_recovery(assistant_with):
    overloaded = BrainError("The model is overloaded.", retryable=True, provider="scripted")
    assistant = assistant_with([overloaded])
    error = _of(await _turn(assistant), ErrorOccurred)[0]
    card_type, data = cards.card_for(error) or ("", {})
    assert card_type == "error"
    assert data["title"] == "The AI model didn't answer"
    assert data["message"] == "The model is overloaded."
    assert data["options"][0]["action"] == "retry"


# -- formatting ------------------------------------------------------------------------------------

LONDON = CardFormat(ZoneInfo("Europe/London"), FixedClock(NOW), "GBP")
NEW_YORK = CardFormat(ZoneInfo("America/New_York"), FixedClock(NOW))


@pytest.mark.parametrize(
    ("fmt", "method", "value", "expected"),
    [
        pytest.param(LONDON, "time", "2026-11-18T15:15:00Z", "15:15", id="time"),
        pytest.param(NEW_YORK, "time", "2026-11-18T15:15:00Z", "10:15", id="time-zone"),
        pytest.param(LONDON, "when", "2026-07-01T09:00:00Z", "Wed 1 Jul, 10:00", id="summer"),
        pytest.param(LONDON, "when", "2026-11-05", "Thu 5 Nov", id="date-only"),
        pytest.param(LONDON, "day", "2027-01-05", "Tue 5 Jan 2027", id="next-year"),
        pytest.param(LONDON, "relative_day", "2026-11-19T09:00:00Z", "Tomorrow", id="tomorrow"),
        pytest.param(LONDON, "relative_day", "2026-11-17", "Yesterday", id="yesterday"),
        pytest.param(NEW_YORK, "relative_day", "2026-11-19T03:00:00Z", "Today", id="zone-day"),
        pytest.param(LONDON, "relative_day", date(2026, 11, 25), "Wed 25 Nov", id="date"),
        pytest.param(LONDON, "when", "tomorrow at 2pm", "", id="words"),
        pytest.param(LONDON, "day", None, "", id="none"),
        pytest.param(LONDON, "major_money", "9000", "£9,000.00", id="money"),
        pytest.param(NEW_YORK, "major_money", "1250.5", "1,250.50", id="no-currency"),
        pytest.param(LONDON, "major_money", "lots", "lots", id="not-money"),
    ],
)
def test_card_format(fmt, method, value, expected):
    assert getattr(fmt, method)(value) == expected


def test_a_span_and_money_in_another_currency():
    assert LONDON.span("2026-11-18T15:15:00Z", "2026-11-18T17:15:00Z") == "15:15 – 17:15"
    assert LONDON.span("2026-11-18T15:15:00Z", None) == "15:15"
    assert LONDON.major_money("20", "EUR") == "€20.00"


@pytest.mark.parametrize(
    ("function", "value", "expected"),
    [
        pytest.param(lambda v: money_text(v, "GBP"), 9600, "£96.00", id="money"),
        pytest.param(lambda v: money_text(v, "GBP"), None, "", id="money-none"),
        pytest.param(lambda v: money_text(v, "GBP"), True, "", id="money-bool"),
        pytest.param(lambda v: money_text(v, ""), 100, "", id="money-no-currency"),
        pytest.param(plain_number, "1,250.50", Decimal("1250.50"), id="number"),
        pytest.param(plain_number, "nan", None, id="nan"),
        pytest.param(humanise, "due_on", "Due on", id="label"),
        pytest.param(humanise, "vat_rate_bp", "VAT rate bp", id="acronym"),
        pytest.param(humanise, "total_minor", "Total", id="minor"),
        pytest.param(initials, "Sarah Miller", "SM", id="initials"),
        pytest.param(initials, "Anne-Marie de la Cruz", "AC", id="initials-long"),
        pytest.param(initials, "  ", "?", id="initials-blank"),
        pytest.param(tone_for, "Paid", "success", id="paid"),
        pytest.param(tone_for, "no_show", "danger", id="no-show"),
        pytest.param(tone_for, "whatever", "muted", id="unknown"),
    ],
)
def test_text_helpers(function, value, expected):
    assert function(value) == expected


@pytest.mark.parametrize(
    ("tool", "label"),
    [
        ("scheduling_create_appointment", "Book an appointment"),
        ("clients_get", "Look up client"),
        ("clients_list", "List clients"),
        ("banking_get_balance", "Look up balance"),
        ("tasks_create", "Create task"),
        ("invoices_overdue_summary", "Overdue summary"),
        ("search_global", "Search everything"),
    ],
)
def test_action_labels(tool, label):
    assert action_label(tool) == label


# -- progress ------------------------------------------------------------------------------------


def _feed(tracker: ProgressTracker, events: list[Event]) -> list[dict[str, Any]]:
    return [data for event in events for _, data in tracker.feed(event)]


async def test_a_multi_step_turn_is_one_progress_card(assistant_with):
    calls = [
        ToolCall("s1", "banking_get_balance", {}),
        ToolCall("s2", "invoices_overdue_summary", {}),
        ToolCall("s3", "scheduling_create_appointment", BOOKING),
    ]
    assistant = assistant_with(calls, ["Done."])
    tracker = ProgressTracker()

    first = _feed(tracker, await _turn(assistant))
    assert {data["key"] for data in first} == {"progress-1"}
    assert [s["state"] for s in first[-1]["steps"]] == ["done", "done", "waiting"]
    assert (first[-1]["title"], first[-1]["finished"]) == ("Waiting for you", False)
    assert [s["label"] for s in first[-1]["steps"]] == [
        "Look up balance",
        "Overdue summary",
        "Book an appointment",
    ]


async def test_a_confirmed_step_finishes_the_workflow(assistant_with):
    calls = [
        ToolCall("s1", "banking_get_balance", {}),
        ToolCall("s2", "scheduling_create_appointment", BOOKING),
    ]
    assistant = assistant_with(calls, ["Booked."])
    tracker = ProgressTracker()
    events = await _turn(assistant)
    asked = _of(events, ConfirmationRequired)[0]
    _feed(tracker, events)

    answered = [event async for event in assistant.confirm(asked.pending_id)]
    last = _feed(tracker, answered)[-1]

    assert last["key"] == "progress-1"
    assert [s["state"] for s in last["steps"]] == ["done", "done"]
    assert last["steps"][1]["detail"].startswith("Booked Cut & blow-dry for Sarah Miller")
    assert (last["title"], last["finished"], last["done"], last["total"]) == (
        "All done",
        True,
        2,
        2,
    )


async def test_a_step_left_waiting_is_not_done_when_the_conversation_moves_on(assistant_with):
    calls = [
        ToolCall("s1", "banking_get_balance", {}),
        ToolCall("s2", "scheduling_create_appointment", BOOKING),
    ]
    assistant = assistant_with(calls, ["Anything else?"], ["Sure."])
    tracker = ProgressTracker()
    _feed(tracker, await _turn(assistant))

    moved_on = _feed(tracker, await _turn(assistant, "never mind, what's new?"))

    assert moved_on[-1]["key"] == "progress-1"
    assert moved_on[-1]["steps"][1]["state"] == "failed"
    assert moved_on[-1]["steps"][1]["detail"] == "Not done: the conversation moved on."
    assert moved_on[-1]["title"] == "Finished with problems"


async def test_one_call_is_no_workflow_and_a_failed_step_shows(assistant_with):
    single = assistant_with([ToolCall("s1", "banking_get_balance", {})], ["ok"])
    assert _feed(ProgressTracker(), await _turn(single)) == []

    calls = [
        ToolCall("s1", "banking_get_balance", {}),
        ToolCall("s2", "invoices_get", {"invoice": 9999}),
    ]
    failing = assistant_with(calls, ["Sorry."])
    last = _feed(ProgressTracker(), await _turn(failing))[-1]
    assert [s["state"] for s in last["steps"]] == ["done", "failed"]
    assert last["title"] == "Finished with problems"
    assert last["finished"]
