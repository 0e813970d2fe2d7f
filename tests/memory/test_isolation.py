"""Isolation property test: random businesses, users, roles and memories; 10,000 random queries.

Every result of :meth:`Memory.search` and of the store's filtered path must be allowed by the
rules *and* by an independent oracle written here from the written policy (not from
``rules.may_read``); a violation is counted, and the count must be zero. Listing is checked for
completeness too: exactly what the oracle allows.

The world is built from a seeded generator (deterministic, no extra dependency). Readers are
drawn freely — any business (including one without memories), any user id, any role — so
forged combinations (a client claiming an owner's user id, an owner of another business
reusing a user id) are part of the test.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest

from luma_desktop.clock import FixedClock
from luma_desktop.memory import Memory, MemoryOptions, MemoryRecord, MemoryStore, Reader, may_read
from luma_desktop.memory.embedders.hashing import HashingEmbedder
from luma_desktop.memory.records import Kind, Scope
from luma_desktop.workspace.models import Role

from ..conftest import NOW

SEED = 6
BUSINESSES = (1, 2, 3)
MEMORIES_PER_BUSINESS = 240
QUERIES = 10_000
"""Random queries in all (half through each path, from two threads)."""
WORDS = [
    "invoice",
    "reminder",
    "monday",
    "friday",
    "client",
    "sarah",
    "hans",
    "alpine",
    "tech",
    "salon",
    "haircut",
    "colour",
    "booking",
    "payment",
    "overdue",
    "bank",
    "iban",
    "supplier",
    "stock",
    "shampoo",
    "dye",
    "wednesday",
    "slot",
    "refund",
    "discount",
    "vip",
    "allergy",
    "lavender",
    "email",
    "phone",
    "quote",
    "deposit",
    "tuesday",
    "thursday",
    "manicure",
    "pedicure",
    "towel",
    "mirror",
    "receipt",
    "voucher",
    "gift",
    "parking",
    "keys",
    "alarm",
    "holiday",
    "rota",
]
STAFF_NAMES = {"owner", "admin", "manager", "staff"}
"""The staff roles, spelled out here on purpose (the oracle does not use STAFF_ROLES)."""


@dataclass(frozen=True)
class Truth:
    """What the test generated for one memory (the oracle's view, not the store's)."""

    business: int
    personal: bool
    owner: int | None
    audience: frozenset[str]


def oracle(reader: Reader, truth: Truth) -> bool:
    """The written policy: own business only; personal for its owner; company for the staff
    roles it names; the client portal never sees company memories."""
    if truth.business != reader.business_id:
        return False
    if truth.personal:
        return truth.owner == reader.user_id
    role = reader.role.value
    return role in STAFF_NAMES and role in truth.audience


@dataclass
class World:
    memory: Memory
    store: MemoryStore
    embedder: HashingEmbedder
    truth: dict[str, Truth]
    records: dict[str, MemoryRecord]


def _sentence(rng: random.Random, low: int, high: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(low, high)))


def _build(path: Path) -> World:
    rng = random.Random(SEED)
    embedder = HashingEmbedder()
    store = MemoryStore.local(path)
    truth: dict[str, Truth] = {}
    records: dict[str, MemoryRecord] = {}
    for business in BUSINESSES:
        users = rng.sample(range(1, 13), 8)  # ids repeat across businesses on purpose
        roles = [Role.OWNER, Role.ADMIN, Role.MANAGER, Role.STAFF, Role.STAFF] + [Role.CLIENT] * 3
        batch = []
        for number in range(MEMORIES_PER_BUSINESS):
            personal = rng.random() < 0.5
            author = rng.randrange(len(users))
            audience = frozenset(
                r for r in ("owner", "admin", "manager", "staff") if rng.random() < 0.5
            )
            record = MemoryRecord(
                id=f"mem_b{business}_{number:04d}",
                text=_sentence(rng, 3, 8),
                business_id=business,
                scope=Scope.PERSONAL if personal else Scope.COMPANY,
                user_id=users[author] if personal else None,
                kind=rng.choice(list(Kind)),
                created_at=NOW - timedelta(days=rng.uniform(0, 170)),
                expires_at=NOW + timedelta(days=rng.uniform(1, 180)),
                embedder_id=embedder.id,
                author_role=roles[author],
                visible_to=frozenset() if personal else frozenset(Role(r) for r in audience),
            )
            truth[record.id] = Truth(
                business, personal, users[author] if personal else None, audience
            )
            records[record.id] = record
            batch.append(record)
        store.add(batch, embedder.embed([record.text for record in batch]))
    memory = Memory(store, embedder, clock=FixedClock(NOW), options=MemoryOptions())
    return World(memory, store, embedder, truth, records)


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    built = _build(tmp_path_factory.mktemp("isolation") / "memory")
    yield built
    built.memory.close()


def _random_reader(rng: random.Random) -> Reader:
    return Reader(rng.choice((*BUSINESSES, 4)), rng.randint(1, 12), rng.choice(list(Role)))


def _queries(world: World, seed: int, count: int) -> tuple[list[str], Counter[str]]:
    """Run ``count`` random queries; the violations found and what each path returned.

    Even queries go through ``Memory.search`` (the store's two-pass query and the ranking),
    odd ones through the store's filtered path alone.
    """
    rng = random.Random(seed)
    violations: list[str] = []
    returned: Counter[str] = Counter()
    for number in range(count):
        reader = _random_reader(rng)
        query = _sentence(rng, 1, 4)
        k = rng.randint(1, 20)
        threshold = rng.choice((0.55, 0.65, 0.72))
        if number % 2:
            path = "filtered"
            vector = world.embedder.embed_one(query)
            found = [r for r, _ in world.store.query_filtered(reader, vector, k)]
        else:
            path = "search"
            found = [h.record for h in world.memory.search(reader, query, k=k, threshold=threshold)]
        if len(found) > k:
            violations.append(f"{path}: {len(found)} results for k={k}")
        for record in found:
            returned[f"{path}:{reader.role.value}"] += 1
            allowed = may_read(reader, record) and oracle(reader, world.truth[record.id])
            if not allowed or record != world.records[record.id]:
                violations.append(f"{path}: {reader} got {record.id}")
    return violations, returned


def test_no_query_returns_a_memory_the_rules_forbid(world: World) -> None:
    """10,000 queries from two threads at once (tools call memory from worker threads)."""
    with ThreadPoolExecutor(max_workers=2) as pool:
        runs = list(pool.map(_queries, [world] * 2, [SEED + 1, SEED + 2], [QUERIES // 2] * 2))
    violations = [violation for found, _ in runs for violation in found]
    returned = sum((counts for _, counts in runs), Counter[str]())
    assert violations == []
    # The test is not vacuous: each path returned memories to every kind of reader.
    for path in ("search", "filtered"):
        for role in Role:
            assert returned[f"{path}:{role.value}"] > 100, (path, role, returned)


def test_listing_is_exactly_what_the_oracle_allows(world: World) -> None:
    rng = random.Random(SEED + 2)
    for _ in range(150):
        reader = _random_reader(rng)
        expected = {i for i, truth in world.truth.items() if oracle(reader, truth)}
        assert {r.id for r in world.store.records(reader)} == expected
        assert {r.id for r in world.memory.list(reader, limit=1000)} == expected


def test_no_business_reaches_another_even_with_shared_user_ids(world: World) -> None:
    for business in (*BUSINESSES, 4):
        for user_id in range(1, 13):
            for role in Role:
                reader = Reader(business, user_id, role)
                found = world.store.query(reader, world.embedder.embed_one("invoice"), 5)
                assert {r.business_id for r, _ in found} <= {business}
