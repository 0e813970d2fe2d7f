"""Memory quality figures (issue 6): retrieval on the labelled recall set, capture selection.

    python -m tests.benchmarks.memory_recall [--quick] [--misses]

Retrieval: every memory of ``tests/memory/data/recall_set.yaml`` is stored through
``Memory.remember`` in a fresh Chroma store with the shipped all-MiniLM-L6-v2 embedder, then every
labelled question goes through ``Memory.search``. Prints recall@1 and recall@5 (with the default
threshold and without), MRR, the no-memory precision (share of unanswerable questions with
nothing above the threshold), a histogram of the similarity of the right memory against the best
wrong one, and search latency. Target: recall@5 ≥ 0.9 at the default threshold.

Capture: the selection accuracy of :func:`luma_desktop.memory.capture.select` over the labelled
exchanges of ``tests/memory/data/capture_cases.yaml`` (the table ``tests/memory/test_capture.py``
checks; known misses count as errors here).

``--quick`` uses a quarter of the set (a smoke test). The set's texts are embedded up front in
batches (:class:`PrefilledEmbedder`); the latency line uses the plain model.
"""

from __future__ import annotations

import argparse
import itertools
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import yaml

from luma_desktop.memory.capture import Candidate, Exchange, UsedTool, select
from luma_desktop.memory.embedders.base import Embedder, Vectors
from luma_desktop.memory.records import Kind, Scope
from luma_desktop.memory.rules import Reader
from luma_desktop.workspace.models import Role

from ._stats import print_row, time_calls

if TYPE_CHECKING:
    from luma_desktop.memory.service import Memory

__all__ = [
    "CAPTURE_FILE",
    "RECALL_FILE",
    "CaptureCase",
    "Expected",
    "PrefilledEmbedder",
    "Query",
    "RecallOutcome",
    "RecallSet",
    "SetMemory",
    "capture_problems",
    "evaluate_recall",
    "fill_memory",
    "load_capture_cases",
    "load_recall_set",
    "main",
    "quarter",
    "recall_at",
    "set_texts",
]

DATA = Path(__file__).resolve().parents[1] / "memory" / "data"
CAPTURE_FILE = DATA / "capture_cases.yaml"
RECALL_FILE = DATA / "recall_set.yaml"
DEFAULT_THRESHOLD = 0.62


# -- capture ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Expected:
    """A memory a capture case must produce."""

    kind: Kind
    scope: Scope
    words: tuple[str, ...]
    """Each must appear in the text (case-insensitive)."""
    entities: tuple[str, ...] = ()
    """Each must be among the candidate's entities."""


@dataclass(frozen=True, slots=True)
class CaptureCase:
    id: str
    exchange: Exchange
    expect: tuple[Expected, ...]
    known: str | None = None
    """A documented limitation ("miss", "false-positive"): expected to fail."""


def load_capture_cases(path: Path = CAPTURE_FILE) -> list[CaptureCase]:
    entries = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [_capture_case(entry) for entry in entries]


def _capture_case(entry: dict[str, Any]) -> CaptureCase:
    tools = tuple(
        UsedTool(
            name=tool["name"],
            domain=tool["domain"],
            operation=tool["operation"],
            arguments=tool.get("arguments", {}),
            summary=tool.get("summary", ""),
            ok=tool.get("ok", True),
            error=tool.get("error"),
        )
        for tool in entry.get("tools", ())
    )
    exchange = Exchange(
        request=str(entry["request"]),
        reply=entry.get("reply", "Done."),
        tools=tools,
        role=Role(entry.get("role", "owner")),
        user_id=1,
        business_id=1,
        conversation_id=10,
    )
    expect = tuple(
        Expected(
            Kind(item["kind"]),
            Scope(item["scope"]),
            tuple(str(w) for w in item.get("words", ())),
            tuple(str(e) for e in item.get("entities", ())),
        )
        for item in entry["expect"]
    )
    return CaptureCase(entry["id"], exchange, expect, entry.get("known"))


def capture_problems(case: CaptureCase, found: Sequence[Candidate]) -> list[str]:
    """What differs between the memories ``found`` and the case's expectation ([] when none)."""
    problems = []
    left = list(found)
    for expected in case.expect:
        match = next((c for c in left if _matches(expected, c)), None)
        if match is None:
            problems.append(
                f"missing {expected.kind.value}/{expected.scope.value} {expected.words}"
            )
        else:
            left.remove(match)
    problems += [f"unexpected {c.kind.value}/{c.scope.value}: {c.text!r}" for c in left]
    return problems


def _matches(expected: Expected, candidate: Candidate) -> bool:
    text = candidate.text.lower()
    return (
        candidate.kind is expected.kind
        and candidate.scope is expected.scope
        and all(word.lower() in text for word in expected.words)
        and set(expected.entities) <= set(candidate.entities)
    )


def _print_capture() -> None:
    cases = load_capture_cases()
    right = kept_right = 0
    true_keep = false_keep = missed = 0
    for case in cases:
        found = select(case.exchange)
        right += not capture_problems(case, found)
        kept_right += bool(found) == bool(case.expect)
        true_keep += bool(found) and bool(case.expect)
        false_keep += bool(found) and not case.expect
        missed += not found and bool(case.expect)
    count = len(cases)
    print(f"capture: {count} labelled exchanges ({sum(bool(c.expect) for c in cases)} to keep)")
    print(f"  kept / not kept right: {kept_right / count:.1%} ({kept_right}/{count})")
    print(f"  exactly right (kind, scope, words): {right / count:.1%} ({right}/{count})")
    precision = true_keep / max(1, true_keep + false_keep)
    recall = true_keep / max(1, true_keep + missed)
    print(f"  keep precision {precision:.1%}, keep recall {recall:.1%}")


# -- the recall set --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SetMemory:
    id: str
    text: str
    scope: Scope
    kind: Kind


@dataclass(frozen=True, slots=True)
class Query:
    text: str
    memory: str | None
    """The id of the memory that answers it; ``None`` for a no-memory question."""


@dataclass(frozen=True, slots=True)
class RecallSet:
    memories: tuple[SetMemory, ...]
    queries: tuple[Query, ...]
    """Labelled questions, each with the memory that answers it."""
    no_memory: tuple[Query, ...]


def load_recall_set(path: Path = RECALL_FILE) -> RecallSet:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    memories, queries = [], []
    for entry in data["memories"]:
        memory = SetMemory(entry["id"], entry["text"], Scope(entry["scope"]), Kind(entry["kind"]))
        memories.append(memory)
        queries += [Query(text, memory.id) for text in entry.get("queries", ())]
    no_memory = tuple(Query(text, None) for text in data["no_memory"])
    return RecallSet(tuple(memories), tuple(queries), no_memory)


@dataclass(slots=True)
class RecallOutcome:
    """How one labelled question fared."""

    query: Query
    returned: list[str] = field(default_factory=list)
    """Set ids of ``search(k=5)`` at the threshold, best first."""
    ranking: list[tuple[str, float]] = field(default_factory=list)
    """Every memory with its similarity, best first (no threshold)."""

    @property
    def hit(self) -> bool:
        return self.query.memory in self.returned

    def rank(self, depth: int) -> int | None:
        """1-based rank of the right memory in the unthresholded ranking, within ``depth``."""
        ids = [memory_id for memory_id, _ in self.ranking[:depth]]
        return ids.index(self.query.memory) + 1 if self.query.memory in ids else None

    @property
    def right_similarity(self) -> float:
        return next((s for m, s in self.ranking if m == self.query.memory), 0.0)

    @property
    def best_wrong_similarity(self) -> float:
        return next((s for m, s in self.ranking if m != self.query.memory), 0.0)


class PrefilledEmbedder(Embedder):
    """The real embedder with a memo: texts embedded ahead in batches are not embedded again.

    Batches are several times faster than one text at a time, so the labelled set is embedded
    once up front (:meth:`prefill`); ``Memory`` then finds every vector here. Vectors are the
    inner embedder's own (same id), so figures are those of the real model.
    """

    def __init__(self, inner: Embedder) -> None:
        super().__init__()
        self.inner = inner
        self.id = inner.id
        self.dimension = inner.dimension
        self._memo: dict[str, Vectors] = {}

    def prefill(self, texts: Sequence[str]) -> None:
        fresh = sorted(dict.fromkeys(t for t in texts if t not in self._memo), key=len)
        for text, vector in zip(fresh, self.inner.embed(fresh), strict=True):
            self._memo[text] = vector

    def _load(self) -> None:
        self.inner.load()

    def _embed(self, texts: list[str]) -> Vectors:
        self.prefill(texts)
        return np.stack([self._memo[text] for text in texts])


def set_texts(recall_set: RecallSet) -> list[str]:
    """Every text the set embeds (memories and questions, as ``Memory`` cleans them)."""
    texts = [m.text for m in recall_set.memories]
    return [t.strip() for t in texts + [q.text for q in recall_set.queries + recall_set.no_memory]]


def quarter(recall_set: RecallSet) -> RecallSet:
    """Every fourth memory with its questions, and every fourth no-memory question."""
    memories = recall_set.memories[::4]
    kept = {m.id for m in memories}
    queries = tuple(q for q in recall_set.queries if q.memory in kept)
    return RecallSet(memories, queries, recall_set.no_memory[::4])


def fill_memory(memory: Memory, reader: Reader, recall_set: RecallSet) -> dict[str, str]:
    """Remember every memory of the set for ``reader``; record id -> set id."""
    return {
        memory.remember(reader, item.text, scope=item.scope, kind=item.kind).id: item.id
        for item in recall_set.memories
    }


def evaluate_recall(
    memory: Memory,
    reader: Reader,
    ids: dict[str, str],
    queries: Sequence[Query],
    *,
    k: int = 5,
    threshold: float | None = None,
    full: bool = False,
) -> list[RecallOutcome]:
    """``search(k, threshold)`` for every query (``None``: the memory's own threshold); with
    ``full``, also the unthresholded ranking of every memory (a second search, k=50)."""
    outcomes = []
    for query in queries:
        hits = memory.search(reader, query.text, k=k, threshold=threshold)
        outcome = RecallOutcome(query, [ids[hit.record.id] for hit in hits])
        if full:
            every = memory.search(reader, query.text, k=50, threshold=0.0)
            outcome.ranking = [(ids[hit.record.id], hit.similarity) for hit in every]
        outcomes.append(outcome)
    return outcomes


def recall_at(outcomes: Sequence[RecallOutcome]) -> float:
    """Share of labelled questions whose memory was returned."""
    return sum(o.hit for o in outcomes) / max(1, len(outcomes))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="every fourth question only")
    parser.add_argument("--misses", action="store_true", help="list the questions missed")
    args = parser.parse_args(argv)
    _print_capture()
    with tempfile.TemporaryDirectory() as folder:
        _print_recall(Path(folder), quick=args.quick, misses=args.misses)


def _print_recall(folder: Path, *, quick: bool, misses: bool) -> None:
    from luma_desktop.clock import FixedClock
    from luma_desktop.memory.embedders import MiniLMEmbedder
    from luma_desktop.memory.service import Memory
    from luma_desktop.memory.store import MemoryStore

    recall_set = quarter(load_recall_set()) if quick else load_recall_set()
    model = MiniLMEmbedder()
    model.load()
    embedder = PrefilledEmbedder(model)
    started = time.perf_counter()
    texts = set_texts(recall_set)
    embedder.prefill(texts)
    per_text = (time.perf_counter() - started) * 1000 / len(texts)
    print(
        f"recall set{' (quick: a quarter)' if quick else ''}: {len(recall_set.memories)} "
        f"memories, {len(recall_set.queries)} labelled questions, {len(recall_set.no_memory)} "
        f"with no answer; {model.id} loaded in {model.load_seconds or 0:.2f} s, "
        f"{per_text:.1f} ms a text in batches"
    )
    clock = FixedClock(datetime(2026, 11, 18, 14, 30, tzinfo=UTC))
    reader = Reader(business_id=1, user_id=1, role=Role.OWNER)
    with Memory(MemoryStore.local(folder / "memory"), embedder, clock=clock) as memory:
        ids = fill_memory(memory, reader, recall_set)
        print(f"stored {memory.store.count(1)} memories through Memory.remember")
        outcomes = evaluate_recall(memory, reader, ids, recall_set.queries, full=True)
        empty = evaluate_recall(memory, reader, ids, recall_set.no_memory, full=True)
    _print_figures(outcomes, empty)
    _print_sweep(outcomes, empty)
    _print_histogram(outcomes, empty)
    if misses:
        _print_misses(outcomes, empty)
    with Memory(MemoryStore.local(folder / "memory"), model, clock=clock) as memory:
        samples = time_calls(
            lambda: memory.search(reader, "who do I talk to at Alpine?"), 5 if quick else 50
        )
    print_row("search latency (k=5, with the query's embedding)", samples)


def _print_figures(outcomes: list[RecallOutcome], empty: list[RecallOutcome]) -> None:
    count = len(outcomes)
    r1 = sum(o.rank(1) is not None for o in outcomes) / count
    r5 = sum(o.rank(5) is not None for o in outcomes) / count
    mrr = sum(1 / rank for o in outcomes if (rank := o.rank(50))) / count
    r5t = recall_at(outcomes)
    top1t = sum(bool(o.returned) and o.returned[0] == o.query.memory for o in outcomes) / count
    quiet = sum(not o.returned for o in empty) / max(1, len(empty))
    print(f"threshold {DEFAULT_THRESHOLD} (similarity = 1 - cosine distance / 2), k = 5:")
    print(f"  recall@5 with threshold     {r5t:6.1%}  (target ≥ 90%)")
    print(f"  recall@1 with threshold     {top1t:6.1%}")
    print(f"  no-memory precision         {quiet:6.1%}  (questions with no answer that get none)")
    print("without threshold (ranking only):")
    print(f"  recall@1 {r1:6.1%}  recall@5 {r5:6.1%}  MRR {mrr:.3f}")


def _print_sweep(outcomes: list[RecallOutcome], empty: list[RecallOutcome]) -> None:
    print("threshold sweep (recall@5 / no-memory precision):")
    line = []
    for step in range(56, 78, 2):
        limit = step / 100
        found = sum(_found_at(o, limit) for o in outcomes) / len(outcomes)
        quiet = sum(_best(o) < limit for o in empty) / max(1, len(empty))
        line.append(f"{limit:.2f}: {found:5.1%} / {quiet:5.1%}")
    for start in range(0, len(line), 4):
        print("  " + "   ".join(line[start : start + 4]))


def _found_at(outcome: RecallOutcome, limit: float) -> bool:
    above = [memory_id for memory_id, alike in outcome.ranking if alike >= limit]
    return outcome.query.memory in above[:5]


def _best(outcome: RecallOutcome) -> float:
    return max((alike for _, alike in outcome.ranking), default=0.0)


def _print_histogram(outcomes: list[RecallOutcome], empty: list[RecallOutcome]) -> None:
    print("similarity histogram: right memory | best wrong one | best for no-memory questions")
    edges = [0.5, 0.55, 0.6, 0.65, 0.7, 0.72, 0.75, 0.8, 0.85, 0.9, 1.01]
    right = [o.right_similarity for o in outcomes]
    wrong = [o.best_wrong_similarity for o in outcomes]
    none = [_best(o) for o in empty]
    for low, high in itertools.pairwise([0.0, *edges]):
        counts = [sum(low <= v < high for v in values) for values in (right, wrong, none)]
        bar = "#" * counts[0]
        print(
            f"  {low:4.2f}-{min(high, 1.0):4.2f}  {counts[0]:4} {counts[1]:4} {counts[2]:4}  {bar}"
        )
    beaten = sum(w > r for r, w in zip(right, wrong, strict=True))
    print(f"  a wrong memory scored above the right one for {beaten}/{len(outcomes)} questions")


def _print_misses(outcomes: list[RecallOutcome], empty: list[RecallOutcome]) -> None:
    for o in outcomes:
        if not o.hit:
            top = o.ranking[0] if o.ranking else ("-", 0.0)
            print(
                f"  MISS {o.query.text!r} -> {o.query.memory} (rank {o.rank(50)}, "
                f"similarity {o.right_similarity:.3f}); best {top[0]} {top[1]:.3f}"
            )
    for o in empty:
        if o.returned:
            print(f"  ANSWERED {o.query.text!r} with {o.returned[0]} ({_best(o):.3f})")


if __name__ == "__main__":
    main()
