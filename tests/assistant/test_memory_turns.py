"""Long-term memory inside conversations: recalled into each turn, captured after the answer,
isolated per person, and used by the offline brain for defaults."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from luma_desktop.assistant.brains.offline import OfflineBrain
from luma_desktop.assistant.events import ConfirmationRequired, TurnComplete
from luma_desktop.assistant.recollection import Recollection
from luma_desktop.memory import Kind, Memory, MemoryOptions, MemoryStore, Reader, Scope
from luma_desktop.memory.embedders.base import Embedder
from luma_desktop.workspace.models import Reminder, Role

from .conftest import collect, scripted


@pytest.fixture
def memory(tmp_path: Path, minilm: Embedder, clock) -> Iterator[Memory]:
    with Memory(
        MemoryStore.local(tmp_path / "memory"), minilm, clock=clock, options=MemoryOptions()
    ) as opened:
        opened.start()
        yield opened


@pytest.fixture
def with_memory(make_assistant, memory, registry):
    def make(brain, role=Role.OWNER, **options):
        assistant = make_assistant(brain, role, **options)
        assistant.memory = Recollection(memory, registry)
        assistant._executor.services_options["memory"] = memory
        return assistant

    return make


async def test_a_turn_carries_the_relevant_history(with_memory, memory):
    brain = scripted(["Mondays it is."])
    assistant = with_memory(brain)
    assert await memory.wait_ready(30)
    reader = Reader.of(assistant.context)
    memory.remember(reader, "Prefers invoice reminders on Mondays.", scope="personal", kind="note")
    await collect(assistant.send("when do I want my invoice reminders?"))
    request = brain.requests[0]
    assert "Relevant history" in request.context
    assert "Prefers invoice reminders on Mondays." in request.context
    assert request.recalled[0] == "Prefers invoice reminders on Mondays."


async def test_nothing_relevant_adds_nothing(with_memory, memory):
    brain = scripted(["Hello."])
    assistant = with_memory(brain)
    assert await memory.wait_ready(30)
    await collect(assistant.send("hello there"))
    assert "Relevant history" not in brain.requests[0].context
    assert brain.requests[0].recalled == ()


async def test_before_the_model_is_ready_the_turn_runs_without_memory(
    make_assistant, tmp_path, registry, clock
):
    class Slow(Embedder):
        id, dimension = "slow", 4

        def _load(self) -> None:
            raise AssertionError("a turn must not wait for the model")

        def _embed(self, texts):
            raise AssertionError("never called")

    with Memory(MemoryStore.local(tmp_path / "m"), Slow(), clock=clock) as memory:
        brain = scripted(["Sure."])
        assistant = make_assistant(brain)
        assistant.memory = Recollection(memory, registry)
        events = await collect(assistant.send("what's my balance"))
    assert isinstance(events[-1], TurnComplete)
    assert brain.requests[0].recalled == ()


async def test_a_stated_preference_is_captured_after_the_answer(with_memory, memory):
    assistant = with_memory(scripted(["Noted — Monday mornings."]))
    assert await memory.wait_ready(30)
    await collect(assistant.send("From now on I prefer invoice reminders on Monday mornings"))
    await assistant.memory.drain()
    kept = memory.list(Reader.of(assistant.context))
    assert [(r.kind, r.scope) for r in kept] == [(Kind.PREFERENCE, Scope.PERSONAL)]
    assert "monday" in kept[0].text.lower()
    assert kept[0].source_conversation == assistant.conversation_id


async def test_small_talk_is_not_captured(with_memory, memory):
    assistant = with_memory(scripted(["You're welcome!"]))
    assert await memory.wait_ready(30)
    await collect(assistant.send("thanks a lot"))
    await assistant.memory.drain()
    assert memory.list(Reader.of(assistant.context)) == []


async def test_a_conversation_summary_is_kept_when_it_ends(with_memory, memory):
    assistant = with_memory(scripted(["Booked."], ["Done."]))
    assert await memory.wait_ready(30)
    await collect(assistant.send("We agreed to review salon prices in January with Ola"))
    await assistant.start_conversation()
    await assistant.memory.drain()
    kinds = [r.kind for r in memory.list(Reader.of(assistant.context))]
    assert Kind.SUMMARY in kinds


async def test_one_persons_memories_never_reach_another(with_memory, memory):
    owner_brain, staff_brain = scripted(["ok"]), scripted(["ok"])
    owner = with_memory(owner_brain)
    staff = with_memory(staff_brain, Role.STAFF)
    assert await memory.wait_ready(30)
    memory.remember(
        Reader.of(owner.context),
        "Prefers invoice reminders on Mondays.",
        scope="personal",
        kind="note",
    )
    await collect(staff.send("when do I want my invoice reminders?"))
    assert staff_brain.requests[0].recalled == ()
    assert "Mondays" not in staff_brain.requests[0].context


async def test_the_offline_brain_takes_the_usual_reminder_day_from_memory(
    with_memory, memory, demo_workspace, registry
):
    probe = with_memory(scripted([]))
    offline = OfflineBrain(demo_workspace, registry, probe.context)
    assistant = with_memory(offline)
    offline.working = assistant.working
    assert await memory.wait_ready(30)
    memory.remember(
        Reader.of(assistant.context),
        "Prefers invoice reminders on Mondays at 9am.",
        scope="personal",
        kind="preference",
    )
    events = await collect(assistant.send("remind me to chase unpaid invoices"))
    assert not any(isinstance(e, ConfirmationRequired) for e in events)
    with demo_workspace.transaction(None) as session:
        reminder = session.scalars(
            sa.select(Reminder).where(Reminder.text == "chase unpaid invoices")
        ).one()
    local = reminder.due_at.astimezone(ZoneInfo("Europe/London"))
    assert (local.strftime("%A"), local.hour) == ("Monday", 9)
