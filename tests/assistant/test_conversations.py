"""Persisted conversations: payloads, titles, history and summaries, list/search, ownership."""

from __future__ import annotations

import itertools
from collections import Counter
from datetime import timedelta

import pytest
import sqlalchemy as sa

from luma_desktop.assistant.brains.base import Message, TextBlock, ToolCall, ToolOutcome
from luma_desktop.assistant.context import ExecutionContext, execution_context_for
from luma_desktop.assistant.conversations import (
    DEFAULT_TITLE,
    SUMMARY_LIMIT,
    ConversationStore,
    message_from_payload,
    message_to_payload,
    title_from,
)
from luma_desktop.clock import FixedClock
from luma_desktop.errors import Invalid, NotFound, PermissionDenied
from luma_desktop.workspace.models import (
    ConversationMessage,
    PendingAction,
    Role,
    TokenUsage,
)

from ..conftest import NOW
from ..factories import make_business

# -- helpers ---------------------------------------------------------------------------------


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW)


@pytest.fixture
def store(workspace) -> ConversationStore:
    return ConversationStore(workspace)


@pytest.fixture
def people(workspace, clock) -> dict[str, ExecutionContext]:
    """The owner and a staff user of Acme, and the owner of another business."""
    make_business(workspace, slug="acme", clock=clock, role=Role.STAFF)
    make_business(workspace, slug="other", name="Other Salon", clock=clock)

    def of(business: str, user: str) -> ExecutionContext:
        return execution_context_for(workspace, business=business, user=user, clock=clock)

    return {
        "owner": of("acme", "owner@acme.test"),
        "staff": of("acme", "staff@acme.test"),
        "stranger": of("other", "owner@other.test"),
    }


@pytest.fixture
def owner(people) -> ExecutionContext:
    return people["owner"]


def assistant(text: str) -> Message:
    return Message("assistant", (TextBlock(text),))


def tool_round(number: int, name: str = "clients_get", *, error: bool = False) -> list[Message]:
    """An assistant message calling a tool, then the user message carrying its outcome."""
    call = ToolCall(f"call-{number}", name, {"client": "Sarah Miller"})
    outcome = ToolOutcome(call.id, f"Result {number} of {name}. More detail here.", error)
    return [
        Message("assistant", (TextBlock("Let me check."), call)),
        Message("user", (outcome,)),
    ]


def exchange(number: int, *, tools: int = 0) -> list[Message]:
    """A user request, ``tools`` tool rounds, and the reply."""
    messages = [Message.user(f"Request number {number}")]
    for index in range(tools):
        messages += tool_round(number * 10 + index)
    messages.append(assistant(f"Answer {number}. Second sentence of answer {number}."))
    return messages


def append_all(store, context, conversation_id, messages, clock) -> list[int]:
    ids = []
    for message in messages:
        clock.advance(timedelta(seconds=1))
        ids.append(store.append(context, conversation_id, message))
    return ids


# -- payloads --------------------------------------------------------------------------------

MESSAGES = {
    "user-text": Message.user("Book Sarah in for a cut tomorrow at 2"),
    "assistant-text": assistant("Booked. Anything else?"),
    "tool-call": Message(
        "assistant",
        (ToolCall("toolu_1", "clients_get", {"client": "Sarah", "limit": 3, "tags": ["vip"]}),),
    ),
    "text-and-calls": Message(
        "assistant",
        (
            TextBlock("Checking both."),
            ToolCall("a", "clients_get", {}),
            ToolCall("b", "invoices_get", {"invoice": "INV-0042", "nested": {"x": [1, None]}}),
        ),
    ),
    "outcomes": Message(
        "user",
        (ToolOutcome("a", "Sarah Miller, 2 notes."), ToolOutcome("b", "Not found", True)),
    ),
    "outcome-and-text": Message("user", (ToolOutcome("a", "ok"), TextBlock("and also this"))),
    "meta": Message(
        "assistant",
        (TextBlock("Which Sarah?"),),
        {"slots": {"client": None, "when": "2pm"}, "working": {"referents": []}, "n": 1.5},
    ),
    "unicode": Message.user("Émile’s 💇 appointment — “tomorrow”"),
    "empty-text": Message("assistant", (TextBlock(""),)),
}


@pytest.mark.parametrize("message", MESSAGES.values(), ids=MESSAGES.keys())
def test_payload_round_trip_is_exact(message):
    payload = message_to_payload(message)
    role = "tool" if message.role == "user" and not message.text else message.role
    assert message_from_payload(role, payload) == message
    assert message_from_payload(message.role, payload) == message


def test_stored_messages_come_back_exactly(store, owner, clock):
    conversation = store.start(owner)
    append_all(store, owner, conversation.id, list(MESSAGES.values()), clock)
    assert store.history(owner, conversation.id).messages == tuple(MESSAGES.values())


BAD_PAYLOADS = {
    "old-version": ("user", {"v": 0, "blocks": [], "meta": {}}),
    "no-blocks": ("user", {"v": 1, "meta": {}}),
    "unknown-block": ("user", {"v": 1, "blocks": [{"type": "image"}], "meta": {}}),
    "text-not-string": ("user", {"v": 1, "blocks": [{"type": "text", "text": 3}], "meta": {}}),
    "call-without-arguments": (
        "assistant",
        {"v": 1, "blocks": [{"type": "tool_call", "id": "a", "name": "x"}], "meta": {}},
    ),
    "unknown-role": ("system", {"v": 1, "blocks": [], "meta": {}}),
}


@pytest.mark.parametrize(("role", "payload"), BAD_PAYLOADS.values(), ids=BAD_PAYLOADS.keys())
def test_unreadable_payloads_are_refused_clearly(role, payload):
    with pytest.raises(Invalid):
        message_from_payload(role, payload)


def test_values_json_cannot_keep_are_refused_and_nothing_is_stored(store, owner):
    conversation = store.start(owner)
    strange = Message("assistant", (TextBlock("hi"),), {"when": object()})
    with pytest.raises(Invalid, match="cannot be saved"):
        store.append(owner, conversation.id, strange)
    with pytest.raises(Invalid, match="empty"):
        store.append(owner, conversation.id, Message("assistant", ()))
    assert store.get(owner, conversation.id).message_count == 0


# -- titles ----------------------------------------------------------------------------------

TITLES = {
    "plain": ("Book Sarah in for a cut tomorrow at 2pm", "Book Sarah in for a cut tomorrow at 2pm"),
    "hey-luma-can-you": ("Hey Luma, can you book Sarah in tomorrow?", "Book Sarah in tomorrow"),
    "question-kept": ("what's my balance?", "What's my balance?"),
    "please-anywhere": ("send invoice 42 please", "Send invoice 42"),
    "speech-fillers": (
        "um luma could you please uh chase the overdue ones",
        "Chase the overdue ones",
    ),
    "i-need-you-to": (
        "Hi, I need you to remind me to call the dentist.",
        "Remind me to call the dentist",
    ),
    "long": (
        "Find every client who has not visited in the last six months and tag them as lapsed",
        "Find every client who has not visited in the last six…",
    ),
    "one-long-word": ("x" * 80, "X" * 1 + "x" * 58 + "…"),
    "unicode": ("émile wants a balayage next friday", "Émile wants a balayage next friday"),
    "only-small-talk": ("hey luma", ""),
    "empty": ("   ", ""),
    "control-characters": ("book\tSarah\nin", "Book Sarah in"),
}


@pytest.mark.parametrize(("text", "expected"), TITLES.values(), ids=TITLES.keys())
def test_titles_are_short_natural_and_polite_words_free(text, expected):
    title = title_from(text)
    assert title == expected
    assert len(title) <= 60


def test_the_first_request_names_the_conversation(store, owner, clock):
    conversation = store.start(owner)
    assert conversation.title == DEFAULT_TITLE
    append_all(
        store,
        owner,
        conversation.id,
        [
            Message.user("hey luma"),
            assistant("Hi! What can I do?"),
            Message.user("Can you show Sarah Miller's invoices?"),
            Message.user("And her appointments"),
        ],
        clock,
    )
    info = store.get(owner, conversation.id)
    assert info.title == "Show Sarah Miller's invoices"
    assert info.message_count == 4
    assert info.updated_at == NOW + timedelta(seconds=4)


def test_a_given_title_is_kept(store, owner):
    conversation = store.start(owner, "  Week   planning ")
    store.append(owner, conversation.id, Message.user("what have I got on today"))
    assert store.get(owner, conversation.id).title == "Week planning"


# -- history and summaries -------------------------------------------------------------------


def test_history_after_a_summary_is_the_summary_and_the_recent_turns(store, owner, clock):
    conversation = store.start(owner)
    messages = [m for n in range(1, 8) for m in exchange(n)]  # 14 messages
    messages += exchange(8, tools=2) + exchange(9)  # 6 + 2 = 22 messages
    append_all(store, owner, conversation.id, messages, clock)

    assert store.summarise_if_long(owner, conversation.id) is True
    transcript = store.history(owner, conversation.id)
    assert transcript.messages == tuple(messages[-8:])
    assert transcript.messages[0] == Message.user("Request number 8")
    summary = transcript.summary
    assert summary is not None
    assert summary.splitlines()[:2] == ["The user asked: Request number 1", "Luma: Answer 1."]
    assert "Second sentence" not in summary
    assert store.get(owner, conversation.id).summary == summary
    # Nothing more to fold until the conversation grows again.
    assert store.summarise_if_long(owner, conversation.id) is False
    assert store.history(owner, conversation.id) == transcript
    # Display still shows every message, summarised or not.
    shown = store.messages(owner, conversation.id)
    assert [m.text for m in shown][:2] == [
        "Request number 1",
        "Answer 1. Second sentence of answer 1.",
    ]
    assert {m.role for m in shown} == {"user", "assistant", "tool"}


def test_summary_says_what_tools_did(store, owner, clock):
    conversation = store.start(owner)
    messages = (
        [Message.user("Who is Sarah?")]
        + tool_round(1, "clients_get")
        + tool_round(2, "invoices_void", error=True)
        + [assistant("Sarah Miller is a regular. She has two notes.")]
        + [m for n in range(2, 12) for m in exchange(n)]
    )
    append_all(store, owner, conversation.id, messages, clock)
    assert store.summarise_if_long(owner, conversation.id)
    lines = (store.history(owner, conversation.id).summary or "").splitlines()
    assert lines[:6] == [
        "The user asked: Who is Sarah?",
        "Luma: Let me check.",
        "Done: clients_get — Result 1 of clients_get.",
        "Luma: Let me check.",
        "Not done: invoices_void — Result 2 of invoices_void.",
        "Luma: Sarah Miller is a regular.",
    ]


def test_a_summary_never_separates_a_tool_call_from_its_outcome(store, owner, clock):
    for tools, keep in itertools.product([0, 1, 3], [2, 5, 9]):
        case = f"{tools} tool rounds per exchange, keep {keep}"
        conversation = store.start(owner)
        messages = [m for n in range(1, 7) for m in exchange(n, tools=tools)]
        append_all(store, owner, conversation.id, messages, clock)

        assert store.summarise_if_long(owner, conversation.id, threshold=keep + 2, keep=keep)
        kept = store.history(owner, conversation.id).messages
        assert kept[0].text.startswith("Request number"), case
        assert not kept[0].outcomes, case
        called = {call.id for message in kept for call in message.tool_calls}
        answered = {outcome.call_id for message in kept for outcome in message.outcomes}
        assert answered == called, case
        assert kept == tuple(messages[-len(kept) :]), case
        assert len(kept) >= min(keep, 2 + 2 * tools), case


def test_nothing_is_folded_without_a_place_to_cut(store, owner, clock):
    conversation = store.start(owner)
    long_chain = [Message.user("Onboard the new client")]
    for number in range(12):
        long_chain += tool_round(number)
    append_all(store, owner, conversation.id, long_chain, clock)
    assert store.summarise_if_long(owner, conversation.id) is False
    assert store.history(owner, conversation.id).summary is None
    assert store.summarise_if_long(owner, conversation.id, threshold=100) is False


def test_the_summary_stays_bounded_and_keeps_the_latest_lines(store, owner, clock):
    conversation = store.start(owner)
    wordy = " ".join(["word"] * 80)
    for round_number in range(12):
        batch = []
        for n in range(6):
            number = round_number * 6 + n
            batch += [Message.user(f"Question {number}: {wordy}"), assistant(f"Reply {number}.")]
        append_all(store, owner, conversation.id, batch, clock)
        store.summarise_if_long(owner, conversation.id, threshold=8, keep=2)
    summary = store.history(owner, conversation.id).summary or ""
    assert 0 < len(summary) <= SUMMARY_LIMIT
    assert all(len(line) <= 200 for line in summary.splitlines())
    assert summary.splitlines()[-1] == "Luma: Reply 70."
    assert "Question 0:" not in summary


@pytest.mark.parametrize(("threshold", "keep"), [(20, 0), (5, 6)], ids=["keep-none", "keep-more"])
def test_summary_settings_are_checked(store, owner, threshold, keep):
    conversation = store.start(owner)
    with pytest.raises(Invalid):
        store.summarise_if_long(owner, conversation.id, threshold=threshold, keep=keep)


# -- list, archive, rename, delete -----------------------------------------------------------


def test_list_is_newest_first_and_hides_archived(store, owner, clock):
    first = store.start(owner, "First")
    clock.advance(timedelta(minutes=1))
    second = store.start(owner, "Second")
    clock.advance(timedelta(minutes=1))
    third = store.start(owner, "Third")
    clock.advance(timedelta(minutes=1))
    store.append(owner, first.id, Message.user("bump"))

    assert [c.title for c in store.list(owner)] == ["First", "Third", "Second"]
    assert [c.title for c in store.list(owner, limit=1)] == ["First"]

    archived = store.archive(owner, third.id)
    assert archived.archived is True
    assert [c.id for c in store.list(owner)] == [first.id, second.id]
    assert [c.id for c in store.list(owner, include_archived=True)] == [
        first.id,
        third.id,
        second.id,
    ]
    store.archive(owner, third.id, archived=False)
    assert len(store.list(owner)) == 3
    with pytest.raises(Invalid):
        store.list(owner, limit=0)


def test_rename_checks_the_title(store, owner):
    conversation = store.start(owner)
    assert store.rename(owner, conversation.id, "  Sarah's   wedding ").title == "Sarah's wedding"
    for bad in ("", "   ", "x" * 201):
        with pytest.raises(Invalid):
            store.rename(owner, conversation.id, bad)
    assert store.get(owner, conversation.id).title == "Sarah's wedding"


def test_delete_removes_messages_and_pending_actions(workspace, store, owner, clock):
    kept = store.start(owner, "Kept")
    doomed = store.start(owner, "Doomed")
    for conversation in (kept, doomed):
        append_all(store, owner, conversation.id, exchange(1, tools=1), clock)
    with workspace.transaction(owner.business_id) as session:
        for conversation in (kept, doomed):
            session.add(
                PendingAction(
                    user_id=owner.user_id,
                    conversation_id=conversation.id,
                    tool_name="invoices_void",
                    arguments={"invoice": "INV-0001"},
                    binding_hash="0" * 64,
                    risk="critical",
                    expires_at=NOW + timedelta(minutes=5),
                )
            )
            session.add(
                TokenUsage(
                    at=NOW, user_id=owner.user_id, conversation_id=conversation.id, model="m"
                )
            )

    store.delete(owner, doomed.id)

    with pytest.raises(NotFound):
        store.get(owner, doomed.id)
    assert [c.id for c in store.list(owner, include_archived=True)] == [kept.id]
    with workspace.transaction(owner.business_id) as session:

        def conversations_of(model):
            return Counter(session.scalars(sa.select(model.conversation_id)).all())

        assert conversations_of(ConversationMessage) == {kept.id: 4}
        assert conversations_of(PendingAction) == {kept.id: 1}
        assert conversations_of(TokenUsage) == {kept.id: 1, None: 1}
    assert store.history(owner, kept.id).messages == tuple(exchange(1, tools=1))


# -- search ----------------------------------------------------------------------------------


@pytest.fixture
def searchable(store, people, clock):
    """Conversations of the owner, the staff user and another business's owner."""
    owner, staff, stranger = people["owner"], people["staff"], people["stranger"]
    made = {}
    for context, key, title, texts in [
        (owner, "balayage", "Émile's balayage", ["When is Émile's BALAYAGE?", "Friday at 3."]),
        (owner, "invoices", "Overdue invoices", ["chase the overdue ones", "Sent 3 reminders."]),
        (owner, "discount", "Prices", ["Give Sarah 100% off_today?", "That needs your approval."]),
        (staff, "staff", "Staff balayage", ["balayage for Émile", "Booked."]),
        (stranger, "stranger", "Stranger balayage", ["balayage for Émile", "Booked."]),
    ]:
        conversation = store.start(context, title)
        append_all(
            store, context, conversation.id, [Message.user(texts[0]), assistant(texts[1])], clock
        )
        made[key] = conversation.id
    return made


SEARCHES = {
    "title-ascii-any-case": ("OVERDUE INVOICES", ["invoices"]),
    "content-ascii-any-case": ("reminders", ["invoices"]),
    "content-unicode-any-case": ("émile's balayage", ["balayage"]),
    "title-unicode-upper": ("ÉMILE", ["balayage"]),
    "spaces-collapsed": ("  the   overdue ", ["invoices"]),
    "percent-is-literal": ("100%", ["discount"]),
    "underscore-is-literal": ("off_today", ["discount"]),
    "underscore-is-no-wildcard": ("h 1_0", []),
    "percent-is-no-wildcard": ("%off", []),
    "nothing": ("pedicure", []),
}


def test_search_finds_own_conversations_by_title_or_content(store, owner, searchable):
    for case, (text, expected) in SEARCHES.items():
        found = store.search(owner, text)
        assert [m.conversation.id for m in found] == [searchable[k] for k in expected], case
        needle = " ".join(text.split()).lower()
        for match in found:
            assert needle in match.snippet.lower(), case
            assert len(match.snippet) <= 2 * 40 + len(needle) + 2, case


def test_search_never_shows_other_peoples_conversations(store, people, searchable):
    def ids(context):
        return {match.conversation.id for match in store.search(context, "balayage")}

    assert ids(people["owner"]) == {searchable["balayage"]}
    assert ids(people["staff"]) == {searchable["staff"]}
    assert ids(people["stranger"]) == {searchable["stranger"]}


def test_a_search_hit_points_at_the_latest_matching_message(store, owner, clock):
    conversation = store.start(owner, "Misc")
    ids = append_all(
        store,
        owner,
        conversation.id,
        [Message.user("call the dentist"), assistant("Noted: dentist on Friday at nine.")],
        clock,
    )
    [match] = store.search(owner, "dentist")
    assert match.message_id == ids[1]
    assert match.snippet == "Noted: dentist on Friday at nine."
    assert match.conversation.message_count == 2


def test_a_title_only_hit_shows_the_title(store, owner):
    conversation = store.start(owner, "Quarterly VAT")
    [match] = store.search(owner, "vat")
    assert (match.conversation.id, match.message_id, match.snippet) == (
        conversation.id,
        None,
        "Quarterly VAT",
    )


def test_long_text_gets_a_short_snippet_around_the_hit(store, owner):
    conversation = store.start(owner)
    text = " ".join(f"word{n}" for n in range(60)) + " the needle " + " ".join(["tail"] * 60)
    store.append(owner, conversation.id, Message.user(text))
    [match] = store.search(owner, "NEEDLE")
    assert match.snippet.startswith("…")
    assert match.snippet.endswith("…")
    assert "the needle" in match.snippet
    assert len(match.snippet) < 100


@pytest.mark.parametrize("text", ["", "   ", "x" * 201], ids=["empty", "blank", "too-long"])
def test_search_needs_some_text(store, owner, text):
    with pytest.raises(Invalid):
        store.search(owner, text)


# -- ownership -------------------------------------------------------------------------------

CALLS = {
    "get": lambda store, context, cid: store.get(context, cid),
    "append": lambda store, context, cid: store.append(context, cid, Message.user("hi")),
    "history": lambda store, context, cid: store.history(context, cid),
    "summarise": lambda store, context, cid: store.summarise_if_long(context, cid),
    "messages": lambda store, context, cid: store.messages(context, cid),
    "archive": lambda store, context, cid: store.archive(context, cid),
    "rename": lambda store, context, cid: store.rename(context, cid, "Mine now"),
    "delete": lambda store, context, cid: store.delete(context, cid),
}


@pytest.mark.parametrize("who", ["staff", "stranger"], ids=["same-business", "other-business"])
def test_another_users_conversation_is_not_found(store, people, clock, who):
    owner = people["owner"]
    conversation = store.start(owner, "Private")
    append_all(store, owner, conversation.id, exchange(1), clock)
    for name, call in CALLS.items():
        with pytest.raises(NotFound, match="conversation"):
            call(store, people[who], conversation.id)
        info = store.get(owner, conversation.id)
        assert (info.title, info.archived, info.message_count) == ("Private", False, 2), name


@pytest.mark.parametrize("missing", [999_999, "7", True], ids=["unknown", "text", "bool"])
def test_unknown_or_malformed_ids_are_refused(store, owner, missing):
    with pytest.raises((NotFound, Invalid)):
        store.get(owner, missing)


def test_a_context_without_a_user_cannot_keep_conversations(store, owner):
    nobody = ExecutionContext(business_id=owner.business_id, user_id=0, role=Role.OWNER)
    with pytest.raises(PermissionDenied):
        store.start(nobody)
