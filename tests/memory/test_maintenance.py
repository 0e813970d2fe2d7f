"""Maintenance: TTL, near-duplicate compaction, re-embedding, export, erase, the schedule."""

from __future__ import annotations

import json
import threading
import time
from dataclasses import replace
from datetime import timedelta

import numpy as np
import pytest

from luma_desktop.memory import Maintenance, MaintenanceReport, Memory, MemoryOptions
from luma_desktop.memory.embedders.hashing import HashingEmbedder
from luma_desktop.memory.records import Scope
from luma_desktop.workspace.models import Role

from ..conftest import NOW
from .conftest import OWNER, make_record, put


@pytest.fixture
def maintenance(store, hashing, clock):
    return Maintenance(store, hashing, clock=clock)


def test_expired_memories_are_deleted(store, hashing, clock, maintenance):
    soon = make_record("expires tomorrow", expires_at=NOW + timedelta(days=1))
    later = make_record("expires next year", expires_at=NOW + timedelta(days=365))
    never = replace(make_record("never expires"), expires_at=None)
    put(store, hashing, soon, later, never)
    assert maintenance.expire(1) == 0
    clock.advance(timedelta(days=2))
    assert maintenance.expire(1) == 1
    assert {r.text for r in store.all_records(1)} == {"expires next year", "never expires"}
    clock.advance(timedelta(days=3650))
    assert maintenance.expire(1) == 1
    assert [r.expires_at for r in store.all_records(1)] == [None]


def test_near_duplicates_of_one_audience_fold_into_the_newest(store, hashing, maintenance):
    old = make_record(
        "Alpine Tech's contact is Hans Mueller",
        created_at=NOW - timedelta(days=5),
        entities=("client:1",),
    )
    new = make_record("Alpine Tech's contact is Hans Mueller", entities=("client:2",))
    other_user = make_record("Alpine Tech's contact is Hans Mueller", user_id=99)
    company = make_record("Alpine Tech's contact is Hans Mueller", scope=Scope.COMPANY)
    owners_only = make_record(
        "Alpine Tech's contact is Hans Mueller",
        scope=Scope.COMPANY,
        visible_to=frozenset({Role.OWNER}),
    )
    unrelated = make_record("Sarah likes two-hour Wednesday slots")
    put(store, hashing, old, new, other_user, company, owners_only, unrelated)
    assert maintenance.compact(1) == 1
    kept = {r.id: r for r in store.all_records(1)}
    assert set(kept) == {new.id, other_user.id, company.id, owners_only.id, unrelated.id}
    assert kept[new.id].entities == ("client:2", "client:1")
    assert maintenance.compact(1) == 0


def test_compaction_respects_the_similarity_line(store, maintenance):
    base = np.zeros(384, dtype=np.float32)
    base[0] = 1.0
    near = np.zeros(384, dtype=np.float32)
    near[[0, 1]] = [0.95, np.sqrt(1 - 0.95**2)]  # cosine 0.95: similarity 0.975
    far = np.zeros(384, dtype=np.float32)
    far[[0, 1]] = [0.8, 0.6]  # cosine 0.8: similarity 0.9
    records = [make_record(f"memory {i}", created_at=NOW - timedelta(days=i)) for i in range(3)]
    store.add(records, np.stack([base, near, far]))
    assert maintenance.compact(1) == 1
    assert {r.id for r in store.all_records(1)} == {records[0].id, records[2].id}


def test_compaction_of_many_memories_works_block_by_block(store, hashing, maintenance):
    texts = [f"memory about topic {i} and subject {i * 7}" for i in range(600)]
    records = [make_record(text) for text in texts]
    twins = [make_record(text, created_at=NOW - timedelta(days=1)) for text in texts[::100]]
    put(store, hashing, *records, *twins)
    assert maintenance.compact(1) == len(twins)
    assert store.count(1) == 600


def test_reembed_remakes_old_vectors_in_batches(store, hashing, clock):
    records = [make_record(f"memory {i}", embedder_id="old-model") for i in range(10)]
    records.append(make_record("already current"))
    rng = np.random.default_rng(3)
    store.add(records, rng.standard_normal((11, 384)).astype(np.float32))
    maintenance = Maintenance(store, hashing, clock=clock, batch_size=4)
    assert maintenance.reembed(1) == 10
    assert {r.embedder_id for r in store.all_records(1)} == {hashing.id}
    vectors = store.vectors(1, [r.id for r in records[:10]])
    assert np.allclose(vectors, hashing.embed([r.text for r in records[:10]]), atol=1e-6)
    assert maintenance.reembed(1) == 0


def test_reembed_with_another_dimension_rebuilds_the_collection(store, clock):
    small = HashingEmbedder(64)
    records = [make_record(f"memory {i}", embedder_id=small.id) for i in range(5)]
    store.add(records, small.embed([r.text for r in records]))
    big = HashingEmbedder(384)
    assert Maintenance(store, big, clock=clock).reembed(1) == 5
    assert store.dimension(1) == 384
    assert {r.embedder_id for r in store.all_records(1)} == {big.id}
    assert len(store.query(OWNER, big.embed_one("memory 3"), 5)) == 5


def test_run_reports_every_business(store, hashing, clock, maintenance):
    put(
        store,
        hashing,
        make_record("expires soon", expires_at=NOW + timedelta(hours=1)),
        make_record("stays"),
        make_record("stays"),
        make_record("another business", business_id=2, user_id=20),
    )
    clock.advance(timedelta(hours=2))
    report = maintenance.run()
    assert report == MaintenanceReport(businesses=2, expired=1, merged=1, remaining=2)
    assert maintenance.run([7]) == MaintenanceReport(businesses=1)


def test_export_is_json_ready_and_delete_removes_only_that_user(store, hashing, maintenance):
    mine = make_record("Prefers Mondays", entities=("client:4",))
    put(store, hashing, mine, make_record("Someone else", user_id=11))
    put(store, hashing, make_record("Company fact", scope=Scope.COMPANY))
    exported = maintenance.export_user(1, 10)
    assert json.loads(json.dumps(exported)) == exported
    assert exported == [
        {
            "id": mine.id,
            "text": "Prefers Mondays",
            "scope": "personal",
            "kind": "fact",
            "topic": "",
            "entities": ["client:4"],
            "user_id": 10,
            "business_id": 1,
            "source_conversation": None,
            "author_role": "owner",
            "created_at": NOW.isoformat(),
            "expires_at": (NOW + timedelta(days=180)).isoformat(),
        }
    ]
    assert maintenance.delete_user(1, 10) == 1
    assert maintenance.export_user(1, 10) == []
    assert store.count(1) == 2


async def test_start_reembeds_what_an_older_embedder_made(store, clock):
    records = [make_record(f"memory {i}", embedder_id="old-model") for i in range(3)]
    store.add(records, np.eye(3, 384, dtype=np.float32))
    memory = Memory(store, HashingEmbedder(), clock=clock)
    memory.start()
    assert await memory.wait_ready(30)
    assert {r.embedder_id for r in store.all_records(1)} == {"hashing-384"}
    assert [h.record.text for h in memory.search(OWNER, "memory 1", k=1)] == ["memory 1"]


def test_the_schedule_runs_maintenance_until_closed(store, hashing, clock):
    put(store, hashing, make_record("expired", expires_at=NOW - timedelta(seconds=1)))
    memory = Memory(store, hashing, clock=clock, options=MemoryOptions(maintenance_hours=1))
    memory.start_maintenance(first_delay=0)
    deadline = time.monotonic() + 30
    while store.count(1) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert store.count(1) == 0
    memory.close()
    assert memory.state == "off"
    assert "luma-memory-maint" not in {thread.name for thread in threading.enumerate()}
