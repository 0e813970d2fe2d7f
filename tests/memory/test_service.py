"""The Memory facade: remember, search, list, forget, privacy, background start and recall."""

from __future__ import annotations

import asyncio
import json
import socket
from datetime import timedelta

import pytest

from luma_desktop.errors import (
    ConfigurationError,
    Invalid,
    MemoryUnavailable,
    NotFound,
    PermissionDenied,
)
from luma_desktop.memory import Memory, MemoryOptions, MemoryStore, Reader, open_memory
from luma_desktop.memory.embedders.base import Embedder, Vectors
from luma_desktop.memory.embedders.hashing import HashingEmbedder
from luma_desktop.memory.records import STAFF_ROLES, Hit, Kind, Scope
from luma_desktop.memory.retrieval import format_history, history_line, rank, within_budget
from luma_desktop.paths import resolve_paths
from luma_desktop.settings import LumaSettings
from luma_desktop.workspace.models import Role

from ..conftest import NOW
from .conftest import ADMIN, CLIENT, MANAGER, OTHER_OWNER, OWNER, STAFF, make_record, put

PREFERENCE = "Prefers invoice reminders on Mondays"


def keep(memory, reader, text, scope=Scope.PERSONAL, **kwargs):
    """Remember ``text`` as a preference of ``reader`` (or of the business)."""
    return memory.remember(reader, text, scope=scope, kind=Kind.PREFERENCE, **kwargs)


# -- remember --------------------------------------------------------------------------------


def test_remember_then_search_finds_it(memory, clock):
    record = keep(memory, OWNER, f"  {PREFERENCE} ", entities=["client:12"], topic="invoicing")
    assert record.text == PREFERENCE
    assert record.user_id == OWNER.user_id
    assert record.created_at == clock.now()
    assert record.expires_at == clock.now() + timedelta(days=180)
    assert record.embedder_id == memory.embedder.id
    hits = memory.search(OWNER, "invoice reminders")
    assert [hit.record for hit in hits] == [record]
    assert hits[0].similarity >= 0.62


def test_a_company_memory_reaches_only_the_roles_it_names(memory):
    keep(memory, MANAGER, "The safe code changes monthly", Scope.COMPANY, visible_to=["owner"])
    assert [h.record.text for h in memory.search(OWNER, "safe code")] == [
        "The safe code changes monthly"
    ]
    for reader in (ADMIN, MANAGER, STAFF, CLIENT, OTHER_OWNER):
        assert memory.search(reader, "safe code") == []


COMPANY = {"scope": Scope.COMPANY}


@pytest.mark.parametrize(
    "case",
    [
        pytest.param((OWNER, "   ", {}, Invalid, "text"), id="empty"),
        pytest.param((OWNER, "x" * 1001, {}, Invalid, "text"), id="too-long"),
        pytest.param((CLIENT, PREFERENCE, COMPANY, PermissionDenied, None), id="client-company"),
        pytest.param((Reader(1, 0, Role.OWNER), PREFERENCE, {}, Invalid, "scope"), id="no-user"),
        pytest.param(
            (OWNER, PREFERENCE, {**COMPANY, "visible_to": ["client"]}, Invalid, "visible_to"),
            id="visible-to-clients",
        ),
        pytest.param(
            (OWNER, PREFERENCE, {**COMPANY, "visible_to": []}, Invalid, "visible_to"),
            id="visible-to-nobody",
        ),
        pytest.param(
            (OWNER, PREFERENCE, {**COMPANY, "visible_to": ["boss"]}, Invalid, "visible_to"),
            id="unknown-role",
        ),
        pytest.param(
            (OWNER, PREFERENCE, {"entities": ["client:1,client:2"]}, Invalid, "entities"),
            id="comma-in-entity",
        ),
        pytest.param((OWNER, PREFERENCE, {"scope": "public"}, Invalid, "scope"), id="bad-scope"),
        pytest.param((OWNER, PREFERENCE, {"kind": "gossip"}, Invalid, "kind"), id="bad-kind"),
    ],
)
def test_bad_memories_are_refused_and_nothing_is_stored(memory, case):
    reader, text, kwargs, error, field = case
    kwargs = {"scope": Scope.PERSONAL, "kind": Kind.NOTE, **kwargs}
    with pytest.raises(error) as caught:
        memory.remember(reader, text, **kwargs)
    assert getattr(caught.value, "field", None) == field
    assert memory.store.count(1) == 0


def test_a_memory_of_exactly_the_limit_is_kept(memory):
    assert len(keep(memory, OWNER, "y" * 1000).text) == 1000


def test_remembering_the_same_thing_again_replaces_it(memory, clock):
    first = keep(memory, OWNER, PREFERENCE, entities=["client:1"])
    clock.advance(timedelta(days=2))
    second = keep(memory, OWNER, PREFERENCE, entities=["client:2"])
    assert [r.id for r in memory.list(OWNER)] == [second.id]
    assert second.entities == ("client:2", "client:1")
    assert first.id != second.id


def test_the_same_words_for_another_audience_are_separate_memories(memory):
    keep(memory, OWNER, PREFERENCE)
    keep(memory, STAFF, PREFERENCE)
    keep(memory, OWNER, PREFERENCE, Scope.COMPANY)
    assert memory.store.count(1) == 3


# -- search ----------------------------------------------------------------------------------


def test_personal_ranks_above_company_for_the_same_match(memory):
    company = keep(memory, OWNER, "Invoice reminders go out on Mondays", Scope.COMPANY)
    personal = keep(memory, OWNER, "Invoice reminders go out on Mondays")
    hits = memory.search(OWNER, "invoice reminders")
    assert [hit.record for hit in hits] == [personal, company]
    assert hits[0].similarity == pytest.approx(hits[1].similarity)
    assert hits[0].score == pytest.approx(hits[1].score * 1.05)


def test_threshold_and_k_limit_what_comes_back(memory):
    for day in ("Mondays", "Tuesdays", "Fridays"):
        keep(memory, OWNER, f"Invoice reminders on {day}", Scope.COMPANY)
    assert len(memory.search(OWNER, "invoice reminders", k=2)) == 2
    assert len(memory.search(OWNER, "invoice reminders")) == 3
    assert memory.search(OWNER, "holiday plans for May") == []
    assert len(memory.search(OWNER, "holiday plans for May", threshold=0.0)) == 3


@pytest.mark.parametrize(
    ("query", "k"),
    [
        pytest.param(" ", None, id="empty"),
        pytest.param("x", 0, id="k-0"),
        pytest.param("x", 51, id="k-51"),
    ],
)
def test_bad_searches_are_refused(memory, query, k):
    with pytest.raises(Invalid):
        memory.search(OWNER, query, k=k)


def test_expired_memories_are_not_recalled_before_maintenance(memory, clock):
    keep(memory, OWNER, PREFERENCE)
    clock.advance(timedelta(days=181))
    assert memory.search(OWNER, "invoice reminders") == []
    assert memory.list(OWNER) == []
    assert memory.store.count(1) == 1


def test_memories_of_another_embedder_are_not_compared(memory, hashing):
    put(memory.store, hashing, make_record(PREFERENCE, embedder_id="some-older-model"))
    assert memory.search(OWNER, "invoice reminders") == []


# -- list, forget, privacy -------------------------------------------------------------------


def test_list_is_newest_first_and_only_what_the_reader_may_read(memory, clock):
    older = keep(memory, STAFF, "Likes reminders by text")
    clock.advance(timedelta(hours=1))
    company = keep(memory, OWNER, "Closed on bank holidays", Scope.COMPANY)
    keep(memory, OWNER, PREFERENCE)
    assert memory.list(STAFF) == [company, older]
    assert memory.list(STAFF, limit=1) == [company]


def test_owners_and_admins_may_list_another_users_memories(memory):
    mine = keep(memory, STAFF, "Likes reminders by text")
    keep(memory, OWNER, "Closed on bank holidays", Scope.COMPANY)
    assert memory.list(ADMIN, user_id=STAFF.user_id) == [mine]
    with pytest.raises(PermissionDenied):
        memory.list(MANAGER, user_id=STAFF.user_id)


def test_forget_deletes_the_readers_own_matching_memories(memory):
    doomed = keep(memory, STAFF, "Likes reminders by text")
    other = keep(memory, MANAGER, "Likes reminders by text")
    assert memory.forget(STAFF, "reminders by text") == [doomed]
    assert memory.list(STAFF) == []
    assert memory.list(MANAGER) == [other]
    assert memory.forget(STAFF, "reminders by text") == []


def test_only_owners_and_admins_forget_company_memories(memory):
    company = keep(memory, MANAGER, "Closed on bank holidays", Scope.COMPANY)
    with pytest.raises(PermissionDenied, match="owner or admin"):
        memory.forget(MANAGER, "closed on bank holidays")
    assert memory.store.count(1) == 1
    assert memory.forget(ADMIN, "closed on bank holidays") == [company]
    assert memory.store.count(1) == 0


def test_forget_ids_is_all_or_nothing(memory):
    mine = keep(memory, STAFF, "Likes reminders by text")
    company = keep(memory, OWNER, "Closed on bank holidays", Scope.COMPANY)
    with pytest.raises(NotFound):
        memory.forget_ids(STAFF, [mine.id, "mem_unknown"])
    with pytest.raises(PermissionDenied):
        memory.forget_ids(STAFF, [mine.id, company.id])
    assert memory.store.count(1) == 2
    assert memory.forget_ids(STAFF, [mine.id]) == [mine]


def test_forget_ids_hides_other_peoples_memories_but_admins_may_erase(memory):
    theirs = keep(memory, CLIENT, "Prefers appointments after work")
    with pytest.raises(NotFound):
        memory.forget_ids(STAFF, [theirs.id])
    with pytest.raises(NotFound):
        memory.forget_ids(OTHER_OWNER, [theirs.id])
    assert memory.forget_ids(ADMIN, [theirs.id]) == [theirs]


def test_export_and_delete_all_of_a_user(memory):
    first = keep(memory, CLIENT, "Prefers appointments after work", entities=["client:3"])
    keep(memory, CLIENT, "Is allergic to lavender oil")
    keep(memory, OWNER, "Closed on bank holidays", Scope.COMPANY)
    exported = memory.export(CLIENT, CLIENT.user_id)
    assert json.loads(json.dumps(exported)) == exported
    assert {item["text"] for item in exported} == {first.text, "Is allergic to lavender oil"}
    assert next(i for i in exported if i["id"] == first.id)["entities"] == ["client:3"]
    assert memory.export(OWNER, CLIENT.user_id) == exported
    for reader in (STAFF, MANAGER):
        with pytest.raises(PermissionDenied):
            memory.export(reader, CLIENT.user_id)
        with pytest.raises(PermissionDenied):
            memory.delete_all(reader, CLIENT.user_id)
    assert memory.delete_all(CLIENT, CLIENT.user_id) == 2
    assert memory.export(CLIENT, CLIENT.user_id) == []
    assert memory.store.count(1) == 1


# -- ranking and the history block -----------------------------------------------------------


def test_rank_weights_scope_and_recency_only_near_ties():
    fresh = make_record("a", scope=Scope.COMPANY)
    old = make_record("b", created_at=NOW - timedelta(days=400))
    hits = rank([(fresh, 0.2), (old, 0.2)], now=NOW, threshold=0.5, k=5)
    assert [h.record for h in hits] == [fresh, old]  # 0.85 recency floor beats the 1.05 boost
    assert hits[0].score == pytest.approx(0.9)
    assert hits[1].similarity == pytest.approx(0.9)
    clearer = rank([(old, 0.02), (fresh, 0.3)], now=NOW, threshold=0.5, k=5)
    assert [h.record for h in clearer] == [old, fresh]
    assert rank([(fresh, 0.7)], now=NOW, threshold=0.72, k=5) == []


def test_history_lines_and_budget():
    personal = Hit(make_record(PREFERENCE, created_at=NOW - timedelta(days=15)), 0.9, 0.9)
    company = Hit(make_record("Closed  on\nbank holidays", scope=Scope.COMPANY), 0.8, 0.8)
    last_year = Hit(make_record("x", created_at=NOW - timedelta(days=365)), 0.8, 0.8)
    assert history_line(personal, NOW) == f"- (you, 3 Nov) {PREFERENCE}"
    assert history_line(company, NOW) == "- (team, 18 Nov) Closed on bank holidays"
    assert history_line(last_year, NOW) == "- (you, 18 Nov 2025) x"
    block = format_history([personal, company], NOW)
    assert block.splitlines()[0].startswith("Relevant history")
    assert block.splitlines()[1:] == [history_line(personal, NOW), history_line(company, NOW)]
    assert format_history([]) == ""
    assert within_budget([personal, company], 300) == [personal, company]
    assert within_budget([personal, company], 25) == [personal]
    assert within_budget([personal, company], 0) == []


# -- background start and the async API ------------------------------------------------------


async def test_recall_is_empty_until_ready_then_recalls(memory):
    await asyncio.to_thread(keep, memory, OWNER, PREFERENCE)
    fresh = Memory(memory.store, HashingEmbedder(), options=MemoryOptions())
    assert fresh.state == "loading"
    assert await fresh.recall(OWNER, "invoice reminders") == ()
    fresh.start()
    assert await fresh.wait_ready(10)
    assert fresh.state == "ready"
    hits = await fresh.recall(OWNER, "invoice reminders")
    assert [hit.record.text for hit in hits] == [PREFERENCE]
    history = await fresh.relevant_history(OWNER, "invoice reminders")
    assert history.endswith(PREFERENCE)
    assert await fresh.relevant_history(STAFF, "invoice reminders") == ""
    assert await fresh.recall(OWNER, "  ") == ()


class BrokenEmbedder(Embedder):
    """An embedder whose model is missing (what a broken install looks like)."""

    id = "broken"
    dimension = 384

    def _load(self) -> None:
        raise ConfigurationError("The memory model is missing.", setting="memory_embedder")

    def _embed(self, texts: list[str]) -> Vectors:
        raise AssertionError("never loaded")


async def test_a_model_that_cannot_load_leaves_memory_failed_and_quiet(store):
    with Memory(store, BrokenEmbedder()) as memory:
        memory.start()
        assert not await memory.wait_ready(10)
        assert memory.state == "failed: The memory model is missing."
        assert await memory.recall(OWNER, "anything") == ()
        with pytest.raises(ConfigurationError):
            memory.search(OWNER, "anything")


async def test_recall_never_raises_when_the_store_fails(memory):
    await asyncio.to_thread(keep, memory, OWNER, PREFERENCE)
    assert len(await memory.recall(OWNER, "invoice reminders")) == 1
    memory.store.close()  # what a vanished folder or server looks like from here
    with pytest.raises(MemoryUnavailable):
        await asyncio.to_thread(memory.search, OWNER, "invoice reminders")
    assert await memory.recall(OWNER, "invoice reminders") == ()
    assert await memory.relevant_history(OWNER, "invoice reminders") == ""


async def test_sync_use_without_start_loads_and_becomes_ready(memory):
    assert not memory.ready
    await asyncio.to_thread(keep, memory, OWNER, PREFERENCE)
    assert memory.ready
    assert len(await memory.recall(OWNER, "invoice reminders")) == 1


def test_close_turns_memory_off(store, hashing):
    memory = Memory(store, hashing)
    memory.start_maintenance(first_delay=3600)
    memory.close()
    assert memory.state == "off"
    assert not memory.ready
    with pytest.raises(MemoryUnavailable):
        memory.search(OWNER, "anything")
    memory.close()  # twice is fine


# -- opening from the settings ---------------------------------------------------------------


def test_open_memory_uses_the_data_folder():
    paths = resolve_paths()
    memory = open_memory(LumaSettings(memory_enabled=True), paths)
    with memory:
        assert memory.store.location == str(paths.data / "memory")
        assert not memory.store.remote
        assert memory.options == MemoryOptions()
        assert memory.embedder.id != "hashing-384"


def test_open_memory_takes_the_options_from_the_settings():
    settings = LumaSettings(
        memory_enabled=True, memory_top_k=3, memory_threshold=0.8, memory_ttl_days=30
    )
    with open_memory(settings, resolve_paths()) as memory:
        assert memory.options == MemoryOptions(top_k=3, threshold=0.8, ttl_days=30)


def test_open_memory_refuses_when_off():
    with pytest.raises(ConfigurationError) as caught:
        open_memory(LumaSettings(memory_enabled=False), resolve_paths())
    assert caught.value.setting == "memory_enabled"


def test_an_unreachable_server_is_memory_unavailable():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings = LumaSettings(memory_enabled=True, memory_server_url=f"http://127.0.0.1:{port}")
    with pytest.raises(MemoryUnavailable, match="memory_server_url"):
        open_memory(settings, resolve_paths())


def test_the_default_audience_of_a_company_memory_is_every_staff_role(memory):
    record = keep(memory, STAFF, "Closed on bank holidays", Scope.COMPANY)
    assert record.visible_to == STAFF_ROLES
    assert record.user_id is None
    assert record.author_role is Role.STAFF
    assert isinstance(memory.store, MemoryStore)
