"""The Chroma store: round trips, isolation at the boundary, the two query paths, failures."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import chromadb
import numpy as np
import pytest
from chromadb.config import Settings

from luma_desktop.errors import ConfigurationError, MemoryUnavailable
from luma_desktop.memory import MemoryStore, Reader
from luma_desktop.memory.embedders.hashing import HashingEmbedder
from luma_desktop.memory.records import STAFF_ROLES, Kind, Scope
from luma_desktop.memory.store import collection_name, from_chroma, to_chroma
from luma_desktop.workspace.models import Role

from ..conftest import NOW
from .conftest import ADMIN, CLIENT, MANAGER, OTHER_OWNER, OWNER, STAFF, make_record, put

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def raw(store: MemoryStore) -> Iterator[Any]:
    """A second, plain Chroma client on the same folder: rows written behind the store's back."""
    client = chromadb.PersistentClient(
        path=store.location, settings=Settings(anonymized_telemetry=False)
    )
    yield client
    client.close()


# -- conversions -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "record",
    [
        pytest.param(make_record("Prefers invoice reminders on Mondays"), id="personal"),
        pytest.param(
            make_record(
                "Alpine Tech's contact is Hans Mueller",
                scope=Scope.COMPANY,
                visible_to=frozenset({Role.OWNER, Role.MANAGER}),
                entities=("client:12", "invoice:42"),
            ),
            id="company-some-roles",
        ),
        pytest.param(
            make_record(
                "Sarah likes two-hour Wednesday slots",
                scope=Scope.COMPANY,
                created_at=NOW - timedelta(days=3, microseconds=123_457),
            ),
            id="company-all-staff-odd-microseconds",
        ),
    ],
)
def test_records_survive_the_trip_through_chroma_metadata(record):
    document, metadata = to_chroma(record)
    assert from_chroma(record.id, document, metadata) == record
    assert all(isinstance(value, str | int | float | bool) for value in metadata.values())


def test_metadata_carries_what_the_where_filter_needs():
    record = make_record("x", scope=Scope.COMPANY, visible_to=frozenset({Role.STAFF}))
    _, metadata = to_chroma(record)
    assert metadata["user_id"] == -1
    assert metadata["source_conversation"] == -1
    assert (metadata["role_staff"], metadata["role_owner"]) == (True, False)
    assert metadata["business_id"] == 1
    assert metadata["scope"] == "company"


def _metadata(**changes: Any) -> dict[str, Any]:
    _, metadata = to_chroma(make_record("x"))
    metadata.update(changes)
    return {key: value for key, value in metadata.items() if value is not None}


@pytest.mark.parametrize(
    ("document", "metadata"),
    [
        pytest.param("x", _metadata(business_id=None), id="no-business"),
        pytest.param("x", _metadata(business_id="1"), id="business-as-text"),
        pytest.param("x", _metadata(business_id=True), id="business-as-bool"),
        pytest.param("x", _metadata(scope="public"), id="unknown-scope"),
        pytest.param("x", _metadata(author_role="root"), id="unknown-role"),
        pytest.param("x", _metadata(created_at="yesterday"), id="date-as-text"),
        pytest.param("x", None, id="no-metadata"),
        pytest.param(None, _metadata(), id="no-document"),
    ],
)
def test_malformed_rows_are_not_records(document, metadata):
    assert from_chroma("mem_bad", document, metadata) is None


# -- isolation at the boundary ---------------------------------------------------------------


def test_a_business_never_sees_another_business(store, hashing):
    put(store, hashing, make_record("Prefers invoice reminders on Mondays"))
    put(store, hashing, make_record("Prefers reminders on Fridays", business_id=2, user_id=20))
    vector = hashing.embed_one("invoice reminders")
    assert [r.text for r, _ in store.query(OWNER, vector, 5)] == [
        "Prefers invoice reminders on Mondays"
    ]
    assert [r.business_id for r, _ in store.query(OTHER_OWNER, vector, 5)] == [2]
    assert store.query(Reader(3, 10, Role.OWNER), vector, 5) == []
    assert store.business_ids() == [1, 2]


ALL_FLAGS = {f"role_{role.value}": True for role in STAFF_ROLES}
FORGED = [
    pytest.param(lambda reader: {"business_id": 2}, id="claims-another-business"),
    pytest.param(lambda reader: {"user_id": 99, **ALL_FLAGS}, id="someone-elses-personal"),
    pytest.param(lambda reader: {"scope": "company", "user_id": -1}, id="company-for-no-role"),
    pytest.param(
        lambda reader: {"scope": "company", "user_id": -1, "role_client": True},
        id="company-for-clients",
    ),
    pytest.param(lambda reader: {"scope": "everyone", **ALL_FLAGS}, id="unknown-scope"),
    pytest.param(lambda reader: {"business_id": "1"}, id="business-as-text"),
    pytest.param(lambda reader: {"user_id": float(reader.user_id)}, id="user-as-float"),
]


@pytest.mark.parametrize("forge", FORGED)
@pytest.mark.parametrize(
    "reader", [OWNER, STAFF, CLIENT], ids=lambda reader: f"as-{reader.role.value}"
)
def test_forged_rows_never_leave_the_store(store, hashing, raw, forge, reader):
    """A row written behind the store's back, exactly on the query, is still refused."""
    text = "The safe code is 4321"
    put(store, hashing, make_record(text, user_id=reader.user_id))
    document, metadata = to_chroma(make_record(text, user_id=reader.user_id))
    raw.get_collection(collection_name(1), embedding_function=None).add(
        ids=["mem_forged"],
        embeddings=hashing.embed([text]),
        documents=[document],
        metadatas=[{**metadata, **forge(reader)}],
    )
    vector = hashing.embed_one(text)
    paths = {
        "query": [r.id for r, _ in store.query(reader, vector, 10)],
        "filtered": [r.id for r, _ in store.query_filtered(reader, vector, 10)],
        "records": [r.id for r in store.records(reader)],
    }
    for path, ids in paths.items():
        assert "mem_forged" not in ids, path
        assert len(ids) == 1, path  # the honest twin still comes back


# -- the two query paths ---------------------------------------------------------------------


def test_rare_readable_memories_are_found_by_the_filtered_second_pass(store, hashing):
    """The owner-only notes crowd out a staff member's one memory in the unfiltered pass."""
    notes = [
        make_record(
            f"Owner note {i} about invoice reminders and cash",
            scope=Scope.COMPANY,
            visible_to=frozenset({Role.OWNER}),
        )
        for i in range(60)
    ]
    put(store, hashing, *notes, make_record("I like reminders by text", user_id=STAFF.user_id))
    vector = hashing.embed_one("Owner note about invoice reminders and cash")
    found = store.query(STAFF, vector, 3)
    assert [r.text for r, _ in found] == ["I like reminders by text"]
    assert store.fallbacks == 1
    assert len(store.query(OWNER, vector, 3)) == 3
    assert store.fallbacks == 1  # the owner's pass found enough without the filter
    # Nothing the staff member may read can be that close: the second pass is skipped.
    assert store.query(STAFF, vector, 3, max_distance=0.1) == []
    assert store.fallbacks == 1


def test_query_returns_nearest_first_and_no_more_than_asked(store, hashing):
    texts = ["invoice reminders on Mondays", "invoice reminders", "holiday plans in May"]
    put(store, hashing, *(make_record(text) for text in texts))
    found = store.query(OWNER, hashing.embed_one("invoice reminders"), 2)
    assert [r.text for r, _ in found] == ["invoice reminders", "invoice reminders on Mondays"]
    assert found[0][1] == pytest.approx(0.0, abs=1e-5)
    assert found[0][1] < found[1][1]


@pytest.mark.parametrize(
    ("reader", "expected"),
    [
        pytest.param(OWNER, {"mine", "everyone", "owners"}, id="owner"),
        pytest.param(ADMIN, {"everyone"}, id="admin"),
        pytest.param(MANAGER, {"everyone", "managers"}, id="manager"),
        pytest.param(CLIENT, {"client's"}, id="client"),
    ],
)
def test_listing_shows_what_the_reader_may_read(store, hashing, reader, expected):
    put(
        store,
        hashing,
        make_record("mine", user_id=OWNER.user_id, created_at=NOW - timedelta(days=1)),
        make_record("client's", user_id=CLIENT.user_id),
        make_record("everyone", scope=Scope.COMPANY),
        make_record("owners", scope=Scope.COMPANY, visible_to=frozenset({Role.OWNER})),
        make_record("managers", scope=Scope.COMPANY, visible_to=frozenset({Role.MANAGER})),
    )
    listed = store.records(reader)
    assert {r.text for r in listed} == expected
    assert [r.created_at for r in listed] == sorted((r.created_at for r in listed), reverse=True)


# -- writes ----------------------------------------------------------------------------------


def test_get_delete_count_and_personal_records(store, hashing):
    a, b = make_record("first", user_id=10), make_record("second", user_id=11)
    c = make_record("third", scope=Scope.COMPANY)
    put(store, hashing, a, b, c)
    assert store.count(1) == 3
    assert store.count(5) == 0
    assert [r.id for r in store.get(1, [c.id, "mem_unknown", a.id])] == [c.id, a.id]
    assert store.get(2, [a.id]) == []
    assert store.personal_records(1, 11) == [b]
    store.delete(1, [a.id, "mem_unknown"])
    assert store.count(1) == 2
    assert store.get(1, [a.id]) == []


def test_update_rewrites_metadata_and_keeps_the_vector(store, hashing):
    record = make_record("Hans is the contact", entities=("client:1",))
    put(store, hashing, record)
    changed = make_record(
        "Hans is the contact", entities=("client:1", "client:2"), memory_id=record.id
    )
    store.update([changed])
    assert store.get(1, [record.id]) == [changed]
    assert np.allclose(store.vectors(1, [record.id])[0], hashing.embed_one(record.text))


def test_update_vectors_records_the_new_embedder(store, hashing):
    record = make_record("Hans is the contact", embedder_id="old")
    store.add([record], np.eye(1, 384, dtype=np.float32))
    store.update_vectors(1, [record.id], hashing.embed([record.text]), hashing.id)
    assert store.get(1, [record.id])[0].embedder_id == hashing.id
    assert np.allclose(store.vectors(1, [record.id])[0], hashing.embed_one(record.text))


def test_rebuild_changes_the_dimension_and_keeps_every_memory(store, hashing):
    small = HashingEmbedder(64)
    records = [make_record(f"memory number {i}", embedder_id=small.id) for i in range(5)]
    store.add(records, small.embed([r.text for r in records]))
    assert store.dimension(1) == 64
    store.rebuild(1, records, hashing.embed([r.text for r in records]))
    assert store.dimension(1) == 384
    assert {r.id for r in store.all_records(1)} == {r.id for r in records}
    assert store.business_ids() == [1]


@pytest.mark.parametrize("original_exists", [True, False], ids=["old-kept", "new-finished"])
def test_an_interrupted_rebuild_is_recovered_on_open(tmp_path, hashing, original_exists):
    path = tmp_path / "memory"
    record = make_record("kept through a crash")
    with MemoryStore.local(path) as store:
        if original_exists:
            put(store, hashing, record)
    client = chromadb.PersistentClient(
        path=str(path), settings=Settings(anonymized_telemetry=False)
    )
    half = client.create_collection(
        collection_name(1) + "-rebuild",
        configuration={"hnsw": {"space": "cosine"}},
        embedding_function=None,
    )
    document, metadata = to_chroma(record)
    half.add(
        ids=[record.id],
        embeddings=hashing.embed([document]),
        documents=[document],
        metadatas=[metadata],
    )
    client.close()
    with MemoryStore.local(path) as store:
        assert store.business_ids() == [1]
        assert store.get(1, [record.id]) == [record]


# -- failures --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    ["10.0.0.5:8000", "ftp://10.0.0.5", "http://", "http://host:notaport"],
    ids=["no-scheme", "wrong-scheme", "no-host", "bad-port"],
)
def test_a_malformed_server_url_names_the_setting(url):
    with pytest.raises(ConfigurationError) as caught:
        MemoryStore.server(url)
    assert caught.value.setting == "memory_server_url"


def test_a_folder_that_cannot_be_made_is_memory_unavailable(tmp_path):
    blocker = tmp_path / "a file"
    blocker.write_text("not a folder")
    with pytest.raises(MemoryUnavailable, match="could not open its folder"):
        MemoryStore.local(blocker / "memory")


def test_a_closed_store_refuses_clearly(tmp_path, hashing):
    store = MemoryStore.local(tmp_path / "memory")
    put(store, hashing, make_record("x"))
    store.close()
    with pytest.raises(MemoryUnavailable, match="closed"):
        store.query(OWNER, hashing.embed_one("x"), 3)


def test_vectors_must_match_their_records(store, hashing):
    with pytest.raises(ValueError, match="one vector per record"):
        store.add([make_record("x")], hashing.embed(["x", "y"]))


FULL_DISK_WRITER = textwrap.dedent(
    """
    import os, resource, signal, sys
    from datetime import UTC, datetime
    from pathlib import Path
    from luma_desktop.errors import MemoryUnavailable
    from luma_desktop.memory import MemoryRecord, MemoryStore, Kind, Scope
    from luma_desktop.memory.embedders.hashing import HashingEmbedder

    path = Path(sys.argv[1])
    embedder = HashingEmbedder()
    store = MemoryStore.local(path)
    largest = max(p.stat().st_size for p in path.rglob("*") if p.is_file())
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (largest + 1, resource.RLIM_INFINITY))
    now = datetime.now(UTC)
    for batch in range(20):
        records = [
            MemoryRecord(f"mem_new{batch}_{i}", "x" * 900 + str(i), 1, Scope.PERSONAL, 10,
                         Kind.NOTE, now, None, embedder.id)
            for i in range(500)
        ]
        try:
            store.add(records, embedder.embed([r.text for r in records]))
        except MemoryUnavailable as error:
            print("REFUSED:", error)
            sys.exit(0)
    print("NEVER FULL")
    """
)


@pytest.mark.skipif(sys.platform == "win32", reason="resource limits are POSIX")
def test_a_full_disk_is_memory_unavailable_and_loses_nothing(tmp_path, hashing):
    path = tmp_path / "memory"
    kept = [make_record(f"kept memory {i}") for i in range(99)]
    kept.append(make_record("Hans Mueller is the contact at Alpine Tech"))
    with MemoryStore.local(path) as store:
        put(store, hashing, *kept)
    writer = subprocess.run(
        [sys.executable, "-c", FULL_DISK_WRITER, str(path)],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert "REFUSED: Long-term memory could not save the memory" in writer.stdout, writer.stderr
    assert "memories saved before are kept" in writer.stdout
    with MemoryStore.local(path) as store:
        assert {r.id for r in store.get(1, [r.id for r in kept])} == {r.id for r in kept}
        found = store.query(OWNER, hashing.embed_one("the contact at Alpine Tech"), 1)
        assert found[0][0].text == "Hans Mueller is the contact at Alpine Tech"


def test_staff_roles_are_the_only_role_flags():
    _, metadata = to_chroma(make_record("x", scope=Scope.COMPANY))
    flags = {key for key in metadata if key.startswith("role_")}
    assert flags == {f"role_{role.value}" for role in STAFF_ROLES}
    assert Kind.FACT.value == metadata["kind"]
