"""Retrieval quality on the labelled recall set, through the real store and the shipped model.

Every memory of ``data/recall_set.yaml`` is kept with ``Memory.remember`` in a Chroma store in a
temporary folder, with the all-MiniLM-L6-v2 embedder; every labelled question goes through
``Memory.search``. ``python -m tests.benchmarks.memory_recall`` prints the full figures.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from luma_desktop.clock import FixedClock
from luma_desktop.memory.embedders import MiniLMEmbedder
from luma_desktop.memory.records import Kind, Scope
from luma_desktop.memory.rules import Reader
from luma_desktop.memory.service import Memory, MemoryOptions
from luma_desktop.memory.store import MemoryStore
from luma_desktop.settings import LumaSettings
from luma_desktop.workspace.models import Role

from ..benchmarks.memory_recall import (
    DEFAULT_THRESHOLD,
    PrefilledEmbedder,
    evaluate_recall,
    fill_memory,
    load_recall_set,
    recall_at,
    set_texts,
)
from ..conftest import NOW

RECALL_SET = load_recall_set()
READER = Reader(business_id=1, user_id=1, role=Role.OWNER)
TARGET = 0.9
"""The issue's acceptance: recall@5 ≥ 0.9 on the labelled set."""


@pytest.fixture(scope="session")
def minilm() -> PrefilledEmbedder:
    """The shipped model, loaded once, with the set's texts embedded up front in batches."""
    embedder = PrefilledEmbedder(MiniLMEmbedder())
    embedder.prefill(set_texts(RECALL_SET))
    return embedder


@pytest.fixture(scope="module")
def filled(
    minilm: PrefilledEmbedder, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Memory, dict[str, str]]]:
    folder: Path = tmp_path_factory.mktemp("recall") / "memory"
    clock = FixedClock(NOW)
    with Memory(MemoryStore.local(folder), minilm, clock=clock) as memory:
        yield memory, fill_memory(memory, READER, RECALL_SET)


def test_the_set_is_large_varied_and_consistent():
    memories = RECALL_SET.memories
    ids = [m.id for m in memories]
    assert len(ids) == len(set(ids)) >= 60
    assert len(RECALL_SET.queries) >= 120
    assert len(RECALL_SET.no_memory) >= 20
    assert {q.memory for q in RECALL_SET.queries} == set(ids)
    assert {m.scope for m in memories} == set(Scope)
    assert {m.kind for m in memories} == set(Kind)
    texts = [q.text.lower() for q in RECALL_SET.queries + RECALL_SET.no_memory]
    assert len(texts) == len(set(texts))


def test_every_memory_is_kept_apart(filled: tuple[Memory, dict[str, str]]):
    memory, ids = filled
    assert memory.store.count(READER.business_id) == len(RECALL_SET.memories) == len(ids)
    assert memory.embedder.id == MiniLMEmbedder.id


def test_the_default_threshold_is_the_settings_one():
    assert MemoryOptions().threshold == LumaSettings().memory_threshold == DEFAULT_THRESHOLD


def test_search_keeps_to_k_and_the_threshold(filled: tuple[Memory, dict[str, str]]):
    memory, _ = filled
    for query in RECALL_SET.queries[::10]:
        hits = memory.search(READER, query.text, k=5)
        assert len(hits) <= 5
        assert all(hit.similarity >= DEFAULT_THRESHOLD for hit in hits)
        assert [hit.score for hit in hits] == sorted((hit.score for hit in hits), reverse=True)


def test_ranking_recall_at_5(filled: tuple[Memory, dict[str, str]]):
    """With no threshold, the right memory is among the first five for ≥ 90% of questions."""
    memory, ids = filled
    outcomes = evaluate_recall(memory, READER, ids, RECALL_SET.queries, k=5, threshold=0.0)
    assert recall_at(outcomes) >= TARGET


def test_recall_at_5_at_the_default_threshold(filled: tuple[Memory, dict[str, str]]):
    """The issue's acceptance: recall@5 ≥ 0.9 with the default threshold."""
    memory, ids = filled
    assert memory.options.threshold == DEFAULT_THRESHOLD
    outcomes = evaluate_recall(memory, READER, ids, RECALL_SET.queries, k=5)
    assert recall_at(outcomes) >= TARGET
