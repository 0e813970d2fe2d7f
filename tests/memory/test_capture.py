"""Capture keeps what matters from an exchange, as short third-person memories.

The labelled table is ``data/capture_cases.yaml`` (shared with ``tests.benchmarks.memory_recall``,
which prints the selection accuracy over it).
"""

from __future__ import annotations

import random

import pytest

from luma_desktop.memory.capture import (
    MAX_CHARS,
    SUMMARY_MAX_CHARS,
    Candidate,
    Exchange,
    UsedTool,
    select,
    summary_candidate,
)
from luma_desktop.memory.records import Kind, Scope
from luma_desktop.workspace.models import Role

from ..benchmarks.memory_recall import CaptureCase, capture_problems, load_capture_cases

CASES = load_capture_cases()


def _param(case: CaptureCase) -> object:
    marks = [pytest.mark.xfail(strict=True, reason=f"known {case.known}")] if case.known else []
    return pytest.param(case, id=case.id, marks=marks)


def test_the_table_is_large_and_balanced():
    kept = [case for case in CASES if case.expect]
    dropped = [case for case in CASES if not case.expect]
    assert len(CASES) >= 40
    assert len(kept) >= 20
    assert len(dropped) >= 15
    assert len({case.id for case in CASES}) == len(CASES)
    assert {e.kind for case in kept for e in case.expect} >= {
        Kind.PREFERENCE,
        Kind.DECISION,
        Kind.FACT,
        Kind.RESOLUTION,
    }


@pytest.mark.parametrize("case", [_param(case) for case in CASES])
def test_capture_table(case: CaptureCase):
    candidates = select(case.exchange)
    assert capture_problems(case, candidates) == []
    for candidate in candidates:
        assert 0 < len(candidate.text) <= MAX_CHARS
        assert candidate.text[0].isupper()
        assert candidate.source_conversation == case.exchange.conversation_id
        assert candidate.author_role is case.exchange.role


def _exchange(request: str, *tools: UsedTool, role: Role = Role.OWNER) -> Exchange:
    return Exchange(request, "Done.", tools, role, user_id=3, business_id=1, conversation_id=9)


def test_resolved_error_names_the_failure_and_the_fix():
    failed = UsedTool(
        "invoices_send",
        "invoicing",
        "write",
        {"invoice": 42},
        ok=False,
        error="Alpine Tech has no e-mail address; add one first.",
    )
    fix = UsedTool(
        "clients_update",
        "clients",
        "write",
        {"client": 12, "email": "billing@alpine.example"},
        "Updated Alpine Tech: email now billing@alpine.example.",
    )
    retry = UsedTool(
        "invoices_send",
        "invoicing",
        "write",
        {"invoice": 42},
        "Sent invoice INV-0042 to billing@alpine.example.",
        records=("invoice:42",),
    )
    [memory] = select(_exchange("send invoice 42", failed, fix, retry))
    assert memory == Candidate(
        "Sending invoice 42 failed (Alpine Tech has no e-mail address; add one first); fixed "
        "by: updated Alpine Tech: email now billing@alpine.example; the retry succeeded.",
        Kind.RESOLUTION,
        Scope.COMPANY,
        "invoicing",
        ("invoice:42", "client:12"),
        ("invoices_send", "clients_update"),
        source_conversation=9,
        author_role=Role.OWNER,
    )


def test_a_retry_alone_resolves_with_its_result():
    failed = UsedTool(
        "scheduling_create_appointment",
        "scheduling",
        "write",
        {"client": "Sarah Miller", "when": "saturday 9:00"},
        ok=False,
        error="The salon opens at 10:00 on Saturdays.",
    )
    retry = UsedTool(
        "scheduling_create_appointment",
        "scheduling",
        "write",
        {"client": "Sarah Miller", "when": "saturday 10:00"},
        "Booked Cut for Sarah Miller on Sat 21 Nov 10:00.",
    )
    [memory] = select(_exchange("book Sarah saturday at 9", failed, retry))
    assert memory.kind is Kind.RESOLUTION
    assert memory.text == (
        "Creating appointment for Sarah Miller failed (The salon opens at 10:00 on "
        "Saturdays); fixed by: booked Cut for Sarah Miller on Sat 21 Nov 10:00."
    )


@pytest.mark.parametrize(
    "role", [pytest.param(role, id=role.value) for role in Role if role is not Role.CLIENT]
)
def test_staff_facts_are_company_memories(role: Role):
    [memory] = select(_exchange("Alpine Tech pays in 30 days.", role=role))
    assert memory.scope is Scope.COMPANY
    assert memory.author_role is role


def test_client_portal_memories_are_always_personal():
    update = UsedTool(
        "clients_update",
        "clients",
        "write",
        {"client": 31, "phone": "07700 900456"},
        "Updated Lisa Wong: phone now +447700900456.",
    )
    request = "We never come before 10. Emma Clarke is the best stylist. Change my phone number."
    found = select(_exchange(request, update, role=Role.CLIENT))
    assert [m.kind for m in found] == [Kind.FACT, Kind.PREFERENCE, Kind.FACT]
    assert {m.scope for m in found} == {Scope.PERSONAL}
    assert {m.author_role for m in found} == {Role.CLIENT}


def test_long_sentences_are_cut_at_a_word():
    request = "I prefer " + "very " * 100 + "short answers."
    [memory] = select(_exchange(request))
    assert len(memory.text) <= MAX_CHARS
    assert memory.text.endswith("very…")


def test_the_same_memory_twice_is_kept_once():
    [memory] = select(_exchange("I prefer texts. I prefer texts!"))
    assert memory.text == "Prefers texts."


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("", id="empty"),
        pytest.param("   ", id="blank"),
        pytest.param("The user said hello and thanked Luma.", id="greeting"),
        pytest.param("Small talk only; nothing was done.", id="small-talk"),
        pytest.param("Checked the balance.", id="too-short"),
    ],
)
def test_trivial_summaries_are_not_kept(text: str):
    assert summary_candidate(text, 4, Role.OWNER) is None


def test_a_summary_is_a_personal_memory_of_its_conversation():
    text = (
        "  The user moved Sarah Miller's Friday colour to next Tuesday,\nasked for invoice "
        "reminders on Mondays and corrected Alpine Tech's billing e-mail.  "
    )
    memory = summary_candidate(text, 4, Role.STAFF)
    assert memory is not None
    assert memory.text == (
        "The user moved Sarah Miller's Friday colour to next Tuesday, asked for invoice "
        "reminders on Mondays and corrected Alpine Tech's billing e-mail."
    )
    assert (memory.kind, memory.scope) == (Kind.SUMMARY, Scope.PERSONAL)
    assert (memory.source_conversation, memory.author_role) == (4, Role.STAFF)
    assert memory.topic == "scheduling"


def test_long_summaries_are_cut():
    memory = summary_candidate("The user reviewed invoices " * 60, None, Role.OWNER)
    assert memory is not None
    assert len(memory.text) <= SUMMARY_MAX_CHARS
    assert memory.text.endswith("…")


def test_entities_are_references_the_store_accepts():
    update = UsedTool(
        "clients_update",
        "clients",
        "write",
        {"client": "Miller, Sarah", "email": "sarah@example.com"},
        "Updated Sarah Miller: email now sarah@example.com.",
    )
    [memory] = select(_exchange("change Sarah's email", update))
    assert memory.entities == ("Miller Sarah",)


_WORDS = (
    "I prefer", "we never", "my", "Sarah", "Alpine Tech's", "always", "every Monday", "is",
    "from now on", "don't", "before 10", "pays in 30 days", "contact at", "remember that", "?",
    "thanks", "yes", ".", ",", ";", "(", ")", "07700 900123", "tomorrow", "invoice", "@",
    "hans@alpine.example", "Book", "the", "'s",
)  # fmt: skip


def test_any_text_and_tools_give_well_formed_memories():
    """Random word soup never breaks capture, and what it keeps is well formed."""
    rng = random.Random(6)
    for _ in range(500):
        request = " ".join(rng.choice(_WORDS) for _ in range(rng.randint(0, 40)))
        tools = tuple(
            UsedTool(
                rng.choice(
                    ["clients_update", "invoices_send", "x", "scheduling_set_working_hours"]
                ),
                "clients",
                rng.choice(["read", "write"]),
                {"client": rng.choice([12, "Sarah, Miller", "", None, ["a", 3]])},
                rng.choice(["", "Updated Sarah.", "Ola now works Mon 09:00-17:00."]),
                ok=rng.random() < 0.6,
                error=rng.choice([None, "No e-mail."]),
            )
            for _ in range(rng.randint(0, 3))
        )
        for memory in select(_exchange(request, *tools)):
            assert 0 < len(memory.text) <= MAX_CHARS
            assert all(entity and "," not in entity for entity in memory.entities)


def test_capture_of_a_very_long_request_is_bounded():
    request = "Alpine Tech pays in 30 days and " * 400
    [memory] = select(_exchange(request))
    assert MAX_CHARS - 20 < len(memory.text) <= MAX_CHARS
    assert memory.text.endswith("…")
