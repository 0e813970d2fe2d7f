"""Memory fixtures: a real Chroma store in a temporary folder and the fast hashing embedder."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from luma_desktop.clock import FixedClock
from luma_desktop.memory import Memory, MemoryOptions, MemoryRecord, MemoryStore, Reader
from luma_desktop.memory.embedders.hashing import HashingEmbedder
from luma_desktop.memory.records import STAFF_ROLES, Kind, Scope
from luma_desktop.workspace.models import Role

from ..conftest import NOW

_numbers = itertools.count(1)


@pytest.fixture(scope="session")
def hashing() -> HashingEmbedder:
    """The deterministic fake embedder (no model; thousands of vectors a second)."""
    embedder = HashingEmbedder()
    embedder.load()
    return embedder


@pytest.fixture
def store(tmp_path: Path) -> Iterator[MemoryStore]:
    """A local Chroma store in this test's folder."""
    with MemoryStore.local(tmp_path / "memory store") as opened:
        yield opened


@pytest.fixture
def memory(store: MemoryStore, hashing: HashingEmbedder, clock: FixedClock) -> Iterator[Memory]:
    """Memory over ``store`` with the hashing embedder at the fixed NOW (not started)."""
    with Memory(store, hashing, clock=clock, options=MemoryOptions()) as opened:
        yield opened


OWNER = Reader(1, 10, Role.OWNER)
ADMIN = Reader(1, 11, Role.ADMIN)
MANAGER = Reader(1, 12, Role.MANAGER)
STAFF = Reader(1, 13, Role.STAFF)
CLIENT = Reader(1, 14, Role.CLIENT)
OTHER_OWNER = Reader(2, 20, Role.OWNER)
"""The owner of another business."""


def make_record(
    text: str,
    *,
    business_id: int = 1,
    scope: Scope = Scope.PERSONAL,
    user_id: int | None = 10,
    visible_to: frozenset[Role] = STAFF_ROLES,
    created_at: datetime = NOW,
    expires_at: datetime | None = None,
    entities: tuple[str, ...] = (),
    embedder_id: str = "hashing-384",
    kind: Kind = Kind.FACT,
    memory_id: str | None = None,
) -> MemoryRecord:
    """A record as the store keeps it (company records get ``user_id=None``)."""
    return MemoryRecord(
        id=memory_id or f"mem_test{next(_numbers):06d}",
        text=text,
        business_id=business_id,
        scope=scope,
        user_id=user_id if scope is Scope.PERSONAL else None,
        kind=kind,
        created_at=created_at,
        expires_at=expires_at if expires_at is not None else created_at + timedelta(days=180),
        embedder_id=embedder_id,
        entities=entities,
        visible_to=visible_to if scope is Scope.COMPANY else frozenset(),
    )


def put(store: MemoryStore, embedder: HashingEmbedder, *records: MemoryRecord) -> None:
    """Store ``records`` with their hashing vectors (bypassing the facade's checks)."""
    store.add(list(records), embedder.embed([record.text for record in records]))
