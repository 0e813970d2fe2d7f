"""The memory tools (remember, forget, recall) through the executor, on a real Chroma store with
the shipped all-MiniLM-L6-v2 model, and one whole offline turn through the gatekeeper."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from luma_desktop.assistant.brains.offline import OfflineBrain
from luma_desktop.assistant.context import ExecutionContext
from luma_desktop.assistant.events import ActionExecuted, ConfirmationRequired, TurnComplete
from luma_desktop.assistant.executor import Executor
from luma_desktop.assistant.orchestrator import Assistant, AssistantOptions
from luma_desktop.assistant.usage import RateLimiter
from luma_desktop.clock import FixedClock
from luma_desktop.errors import Invalid, MemoryUnavailable, PermissionDenied
from luma_desktop.memory import Memory, MemoryRecord, MemoryStore, Reader
from luma_desktop.memory.embedders import MiniLMEmbedder
from luma_desktop.memory.records import STAFF_ROLES, Kind, Scope
from luma_desktop.tools.assistant import RECALL_LIMIT
from luma_desktop.workspace.models import Role


@pytest.fixture(scope="session")
def minilm() -> MiniLMEmbedder:
    """The default embedder, loaded once for the session."""
    embedder = MiniLMEmbedder()
    embedder.load()
    return embedder


@pytest.fixture
def memory(tmp_path: Path, minilm: MiniLMEmbedder, clock: FixedClock) -> Iterator[Memory]:
    with Memory(MemoryStore.local(tmp_path / "memory"), minilm, clock=clock) as opened:
        yield opened


@pytest.fixture
def executor(demo_workspace, registry, tmp_path, memory) -> Executor:
    options = {"files_dir": tmp_path / "files", "memory": memory}
    return Executor(demo_workspace, registry, options)


def remember(executor: Executor, who: ExecutionContext, text: str, **more: object) -> str:
    return executor.execute(who, "assistant_remember", {"text": text, **more}).summary


def texts(memory: Memory, who: ExecutionContext) -> list[str]:
    return [record.text for record in memory.list(Reader.of(who))]


# -- remember --------------------------------------------------------------------------------


def test_remember_keeps_a_personal_note_and_undo_forgets_it(executor, memory, as_role):
    owner = as_role(Role.OWNER)
    said = remember(executor, owner, "I prefer invoice reminders on Mondays")
    assert said == "I'll remember that: I prefer invoice reminders on Mondays"
    (record,) = memory.list(Reader.of(owner))
    assert (record.scope, record.kind, record.user_id) == (Scope.PERSONAL, Kind.NOTE, owner.user_id)
    assert record.author_role is Role.OWNER
    assert texts(memory, as_role(Role.ADMIN)) == []

    undone = executor.execute(owner, "assistant_undo_last", {})
    assert undone.summary == "Undone: forget “I prefer invoice reminders on Mondays”."
    assert texts(memory, owner) == []


def test_undo_after_the_memory_is_gone_still_undoes(executor, memory, owner):
    remember(executor, owner, "I prefer invoice reminders on Mondays")
    executor.execute(owner, "assistant_forget", {"description": "invoice reminders"})
    undone = executor.execute(owner, "assistant_undo_last", {})
    assert undone.summary == "Undone: forget “I prefer invoice reminders on Mondays”."
    assert texts(memory, owner) == []


def test_remember_about_the_business_is_seen_by_the_team(executor, memory, as_role):
    manager = as_role(Role.MANAGER)
    said = remember(executor, manager, "Alpine Tech's contact is Hans Mueller", about_business=True)
    assert said == (
        "I'll remember that for everyone in the business: Alpine Tech's contact is Hans Mueller"
    )
    (record,) = memory.list(Reader.of(manager))
    assert (record.scope, record.user_id, record.visible_to) == (Scope.COMPANY, None, STAFF_ROLES)
    assert record.author_role is Role.MANAGER
    for role in (Role.OWNER, Role.ADMIN, Role.STAFF):
        assert texts(memory, as_role(role)) == ["Alpine Tech's contact is Hans Mueller"]


def test_the_conversation_is_the_memory_source(executor, memory, as_role):
    owner = as_role(Role.OWNER)
    in_conversation = ExecutionContext(**{**_fields(owner), "conversation_id": 77})
    remember(executor, in_conversation, "I like two hour slots on Wednesdays")
    (record,) = memory.list(Reader.of(owner))
    assert record.source_conversation == 77


def _fields(context: ExecutionContext) -> dict[str, object]:
    return {name: getattr(context, name) for name in ExecutionContext.__slots__}


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        pytest.param({"text": ""}, "“text”", id="empty"),
        pytest.param({"text": "x" * 1001}, "“text”", id="too-long"),
        pytest.param({"text": "hi", "user_id": 2}, "not an argument", id="forged-scope"),
        pytest.param({"text": "hi", "about_business": "maybe"}, "about_business", id="bad-bool"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_kept(executor, memory, owner, arguments, message):
    with pytest.raises(Invalid, match=message):
        executor.execute(owner, "assistant_remember", arguments)
    assert texts(memory, owner) == []


# -- forget ----------------------------------------------------------------------------------


def test_forget_deletes_what_matches_and_says_what(executor, memory, owner):
    remember(executor, owner, "I prefer invoice reminders on Mondays")
    remember(executor, owner, "Sarah Miller likes two hour slots on Wednesdays")
    result = executor.execute(owner, "assistant_forget", {"description": "my reminders"})
    assert result.summary == "I've forgotten 1 memory: “I prefer invoice reminders on Mondays”."
    assert [row["text"] for row in result.data] == ["I prefer invoice reminders on Mondays"]
    assert texts(memory, owner) == ["Sarah Miller likes two hour slots on Wednesdays"]


def test_forget_with_nothing_matching_is_not_an_error(executor, memory, owner):
    remember(executor, owner, "I prefer invoice reminders on Mondays")
    result = executor.execute(owner, "assistant_forget", {"description": "the boiler repair"})
    assert result.summary == (
        "I don't remember anything about “the boiler repair”, so there was nothing to forget."
    )
    assert result.data == []
    assert len(texts(memory, owner)) == 1


def test_staff_cannot_make_luma_forget_business_knowledge(executor, memory, as_role):
    remember(executor, as_role(Role.OWNER), "We close early on Fridays", about_business=True)
    staff = as_role(Role.STAFF)
    with pytest.raises(PermissionDenied, match="only an owner or admin"):
        executor.execute(staff, "assistant_forget", {"description": "closing early on Fridays"})
    assert texts(memory, staff) == ["We close early on Fridays"]


def test_forget_is_not_reversible(registry):
    tool = registry.get("assistant_forget")
    assert not tool.reversible
    assert tool.confirmation.format(description="reminders") == "Forget memories about “reminders”?"


# -- recall ----------------------------------------------------------------------------------


def test_recall_with_a_query_finds_paraphrases(executor, owner):
    remember(executor, owner, "I prefer invoice reminders on Mondays")
    remember(executor, owner, "Alpine Tech's contact is Hans Mueller", about_business=True)
    result = executor.execute(owner, "assistant_recall", {"query": "who is our contact at Alpine"})
    assert result.summary == (
        "About “who is our contact at Alpine”, I remember: "
        "“Alpine Tech's contact is Hans Mueller” (for the business)."
    )
    assert result.data[0]["scope"] == "business"
    assert 0.62 <= result.data[0]["similarity"] <= 1


def test_recall_without_a_query_lists_the_newest_first_capped(executor, memory, owner, clock):
    lines = [f"Fact number {hour} about the {thing}" for hour, thing in enumerate(_THINGS)]
    records = [
        MemoryRecord(
            id=f"mem_{hour}",
            text=text,
            business_id=owner.business_id,
            scope=Scope.PERSONAL,
            user_id=owner.user_id,
            kind=Kind.NOTE,
            created_at=clock.now() - timedelta(hours=len(lines) - hour),
            expires_at=None,
            embedder_id=memory.embedder.id,
        )
        for hour, text in enumerate(lines)
    ]
    memory.store.add(records, memory.embedder.embed(lines))
    result = executor.execute(owner, "assistant_recall", {})
    assert len(result.data) == RECALL_LIMIT
    assert result.data[0]["text"] == f"Fact number {RECALL_LIMIT + 1} about the {_THINGS[-1]}"
    assert result.summary.startswith(
        f"I remember {RECALL_LIMIT} things: “Fact number {RECALL_LIMIT + 1} about the"
    )
    assert result.summary.endswith(f"; and {RECALL_LIMIT - 5} more.")


_THINGS = [
    "boiler",
    "towels",
    "card machine",
    "alarm code",
    "window cleaner",
    "coffee order",
    "parking",
    "printer",
    "delivery day",
    "shop sign",
    "spare keys",
    "music licence",
]


def test_recall_shows_a_user_only_what_they_may_see(executor, as_role):
    owner, staff = as_role(Role.OWNER), as_role(Role.STAFF)
    remember(executor, owner, "I keep the spare keys in the red drawer")
    remember(executor, owner, "The salon opens at nine on Saturdays", about_business=True)
    remember(executor, staff, "I prefer afternoon shifts")
    seen = executor.execute(staff, "assistant_recall", {}).data
    assert sorted(row["text"] for row in seen) == [
        "I prefer afternoon shifts",
        "The salon opens at nine on Saturdays",
    ]


def test_recall_with_nothing_remembered_says_so(executor, owner):
    result = executor.execute(owner, "assistant_recall", {})
    assert result.summary == (
        "I don't remember anything about you yet. Say “remember that …” and I will."
    )
    found = executor.execute(owner, "assistant_recall", {"query": "the alarm code"})
    assert found.summary == "I don't remember anything about “the alarm code”."


# -- memory off, closed, or not for this role -------------------------------------------------


@pytest.fixture
def without_memory(demo_workspace, registry, tmp_path) -> Executor:
    """An executor of a Luma whose long-term memory is off."""
    return Executor(demo_workspace, registry, {"files_dir": tmp_path / "files"})


@pytest.mark.parametrize(
    ("tool", "arguments"),
    [
        pytest.param("assistant_remember", {"text": "I like mornings"}, id="remember"),
        pytest.param("assistant_forget", {"description": "mornings"}, id="forget"),
        pytest.param("assistant_recall", {}, id="recall"),
    ],
)
def test_memory_off_is_a_clear_error(without_memory, owner, tool, arguments):
    with pytest.raises(MemoryUnavailable, match="Turn it on in Settings \\(memory_enabled\\)"):
        without_memory.execute(owner, tool, arguments)


def test_closed_memory_is_a_clear_error(executor, memory, owner):
    memory.close()
    with pytest.raises(MemoryUnavailable, match="restart Luma"):
        executor.execute(owner, "assistant_remember", {"text": "I like mornings"})


@pytest.mark.parametrize("tool", ["assistant_remember", "assistant_forget", "assistant_recall"])
def test_the_client_portal_has_no_memory_tools(executor, as_role, tool):
    with pytest.raises(PermissionDenied, match="not available to a client"):
        executor.execute(as_role(Role.CLIENT), tool, {"text": "x"})


# -- a whole offline turn: forgetting waits for a yes ------------------------------------------


@pytest.fixture
def offline(executor, owner, clock) -> Assistant:
    """The owner's assistant with the offline brain and long-term memory."""
    brain = OfflineBrain(executor.workspace, executor.registry, owner)
    assistant = Assistant(
        workspace=executor.workspace,
        registry=executor.registry,
        context=owner,
        brain=brain,
        rate_limiter=RateLimiter(30, clock=clock),
        options=AssistantOptions(business_name="Luma Hair"),
        services_options=executor.services_options,
    )
    brain.working = assistant.working
    return assistant


async def test_offline_forget_asks_first_then_forgets(offline, memory, owner):
    reader = Reader.of(owner)
    memory.remember(reader, "I prefer invoice reminders on Mondays", scope="personal", kind="note")
    assistant = offline
    asked = [e async for e in assistant.send("forget what you know about my reminders")]
    (question,) = [e for e in asked if isinstance(e, ConfirmationRequired)]
    assert question.prompt == "Forget memories about “reminders”?"
    assert len(memory.list(reader)) == 1

    done = [e async for e in assistant.confirm(question.pending_id)]
    assert [e.tool for e in done if isinstance(e, ActionExecuted)] == ["assistant_forget"]
    complete = done[-1]
    assert isinstance(complete, TurnComplete)
    assert complete.message == ("I've forgotten 1 memory: “I prefer invoice reminders on Mondays”.")
    assert memory.list(reader) == []
