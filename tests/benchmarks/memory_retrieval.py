"""Memory retrieval latency (issue 6): the store query plus ranking at 1k and 50k memories.

    python -m tests.benchmarks.memory_retrieval [--quick] [--rebuild]

One business holds every memory (the worst case: one collection), written by 12 users of every
role, half personal and half company with random audiences. The query's embedding is excluded:
memories and queries are pre-computed unit vectors, not a model's. They are clustered (one
topic per 20 memories, each memory a noisy copy of its topic) so that a query, like a real
one, has a handful of memories above the 0.72 threshold rather than none.

Figures, over readers of every role:
- ``retrieval``: ``Memory.search_vector`` (store query + ranking, top 5, threshold 0.72), the
  path every turn takes; target p95 < 25 ms at 50k. The share of queries that needed the
  filtered second pass is printed beside it.
- ``filtered path``: the store's filtered query alone (Chroma's ``where`` before the vector
  search), the second pass's cost.

Built stores are kept in the temp folder (``luma-memory-bench/<size>``) for the next run;
``--rebuild`` builds them again. ``--quick`` uses 300 and 2,000 memories.
"""

from __future__ import annotations

import argparse
import random
import shutil
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np

from luma_desktop.clock import FixedClock
from luma_desktop.memory import Memory, MemoryOptions, MemoryRecord, MemoryStore, Reader
from luma_desktop.memory.embedders.hashing import HashingEmbedder
from luma_desktop.memory.records import STAFF_ROLES, Kind, Scope
from luma_desktop.workspace.models import Role

from ._stats import print_row, time_calls

DIMENSION = 384
PER_TOPIC = 20
NOW = datetime(2026, 11, 18, 14, 30, tzinfo=UTC)
USERS = {
    1: Role.OWNER,
    2: Role.ADMIN,
    3: Role.MANAGER,
    4: Role.MANAGER,
    5: Role.STAFF,
    6: Role.STAFF,
    7: Role.STAFF,
    8: Role.CLIENT,
    9: Role.CLIENT,
    10: Role.CLIENT,
    11: Role.CLIENT,
    12: Role.CLIENT,
}
EMBEDDER = HashingEmbedder(DIMENSION)
"""Only its id is used (stored with the memories); the vectors are made here."""


def _unit(rows: np.ndarray) -> np.ndarray:
    return (rows / np.linalg.norm(rows, axis=1, keepdims=True)).astype(np.float32)


def _noisy(centres: np.ndarray, rng: np.random.Generator, low: float, high: float) -> np.ndarray:
    """Copies of ``centres`` moved by noise of norm ``low``-``high`` (cosine 0.5-0.95)."""
    noise = _unit(rng.standard_normal((len(centres), DIMENSION)))
    scale = rng.uniform(low, high, size=(len(centres), 1))
    return _unit(centres + noise * scale)


def _records(size: int, rng: random.Random) -> list[MemoryRecord]:
    records = []
    roles = sorted(STAFF_ROLES)
    for number in range(size):
        user_id = rng.choice(list(USERS))
        personal = rng.random() < 0.5
        audience = frozenset(role for role in roles if rng.random() < 0.7) or STAFF_ROLES
        records.append(
            MemoryRecord(
                id=f"mem_{number:06d}",
                text=f"Benchmark memory number {number} about topic {number // PER_TOPIC}",
                business_id=1,
                scope=Scope.PERSONAL if personal else Scope.COMPANY,
                user_id=user_id if personal else None,
                kind=Kind.FACT,
                created_at=NOW - timedelta(days=rng.uniform(0, 170)),
                expires_at=NOW + timedelta(days=rng.uniform(10, 180)),
                embedder_id=EMBEDDER.id,
                author_role=USERS[user_id],
                visible_to=frozenset() if personal else audience,
            )
        )
    return records


def open_store(size: int, rebuild: bool) -> tuple[MemoryStore, np.ndarray]:
    """The store with ``size`` memories (built, or reused from an earlier run) and the
    topic centres queries are drawn around."""
    centres = _unit(np.random.default_rng(7).standard_normal((size // PER_TOPIC, DIMENSION)))
    folder = Path(tempfile.gettempdir()) / "luma-memory-bench" / f"{size}-v1"
    if rebuild and folder.exists():
        shutil.rmtree(folder)
    store = MemoryStore.local(folder)
    if store.count(1) == size:
        print(f"{size:>6} memories: reusing {folder}")
        return store, centres
    store.close()
    shutil.rmtree(folder, ignore_errors=True)
    store = MemoryStore.local(folder)
    rng = np.random.default_rng(8)
    records = _records(size, random.Random(9))
    vectors = _noisy(np.repeat(centres, PER_TOPIC, axis=0)[:size], rng, 0.3, 1.8)
    started = time.perf_counter()
    for start in range(0, size, 5000):
        store.add(records[start : start + 5000], vectors[start : start + 5000])
    print(f"{size:>6} memories: built in {time.perf_counter() - started:.1f} s ({folder})")
    return store, centres


def _queries(centres: np.ndarray, count: int) -> Iterator[tuple[Reader, np.ndarray]]:
    """Endless (reader, query vector) pairs: random readers of every role, queries near
    random topics."""
    rng = random.Random(10)
    topics = centres[np.random.default_rng(11).integers(0, len(centres), count)]
    vectors = _noisy(topics, np.random.default_rng(12), 0.3, 0.9)
    index = 0
    while True:
        user_id = rng.choice(list(USERS))
        yield Reader(1, user_id, USERS[user_id]), vectors[index % count]
        index += 1


def measure(size: int, repeat: int, rebuild: bool) -> None:
    store, centres = open_store(size, rebuild)
    memory = Memory(store, EMBEDDER, clock=FixedClock(NOW), options=MemoryOptions())
    pairs = _queries(centres, 997)
    hits: list[int] = []

    def retrieve() -> None:
        reader, vector = next(pairs)
        hits.append(len(memory.search_vector(reader, vector, k=5, threshold=0.72)))

    def filtered() -> None:
        reader, vector = next(pairs)
        store.query_filtered(reader, vector, 10, max_distance=2 * (1 - 0.72))

    store.fallbacks = 0
    samples = time_calls(retrieve, repeat)
    fallback = store.fallbacks / (repeat + 3)
    print_row(f"  retrieval at {size:,} (top 5)", samples, target="p95 < 25 ms at 50k")
    print(f"    {np.mean(hits):.1f} hits a query; {fallback:.0%} needed the filtered second pass")
    print_row(f"  filtered path at {size:,}", time_calls(filtered, max(repeat // 2, 5)))
    memory.close()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small stores (smoke test)")
    parser.add_argument("--rebuild", action="store_true", help="build the stores again")
    args = parser.parse_args(argv)
    sizes, repeat = ((300, 2_000), 20) if args.quick else ((1_000, 50_000), 300)
    print("memory retrieval (query embedding excluded; one business, every role):")
    for size in sizes:
        measure(size, repeat, args.rebuild)


if __name__ == "__main__":
    main()
