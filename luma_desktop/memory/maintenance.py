"""Keeping memory tidy and private: TTL, near-duplicate compaction, re-embedding, export, erase.

:meth:`Maintenance.run` does the scheduled work for every business (expire, re-embed what an
older embedder made, compact); :meth:`Maintenance.export_user` and
:meth:`Maintenance.delete_user` serve a person's privacy requests. Permission checks live in
the :class:`~luma_desktop.memory.service.Memory` facade, not here.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from ..clock import Clock
from .embedders.base import Embedder, Vectors
from .records import MemoryRecord, Scope
from .store import MemoryStore

__all__ = ["DUPLICATE_SIMILARITY", "Maintenance", "MaintenanceReport", "record_to_dict"]

log = logging.getLogger(__name__)

DUPLICATE_SIMILARITY = 0.95
"""Memories of one audience at least this similar (``1 - distance / 2``) are merged."""
_BLOCK = 512
"""Rows compared at once during compaction (bounds the similarity matrix in memory)."""


@dataclass(frozen=True, slots=True)
class MaintenanceReport:
    """What one maintenance run did."""

    businesses: int = 0
    """Businesses whose memories were looked at."""
    expired: int = 0
    """Memories deleted because their time ran out."""
    merged: int = 0
    """Near-duplicates folded into a newer memory (and deleted)."""
    reembedded: int = 0
    """Memories whose vector was remade with the current embedder."""
    remaining: int = 0
    """Memories left afterwards."""

    def __add__(self, other: MaintenanceReport) -> MaintenanceReport:
        return MaintenanceReport(
            businesses=self.businesses + other.businesses,
            expired=self.expired + other.expired,
            merged=self.merged + other.merged,
            reembedded=self.reembedded + other.reembedded,
            remaining=self.remaining + other.remaining,
        )


def record_to_dict(record: MemoryRecord) -> dict[str, Any]:
    """A JSON-ready description of one memory (what an export contains)."""
    return {
        "id": record.id,
        "text": record.text,
        "scope": record.scope.value,
        "kind": record.kind.value,
        "topic": record.topic,
        "entities": list(record.entities),
        "user_id": record.user_id,
        "business_id": record.business_id,
        "source_conversation": record.source_conversation,
        "author_role": record.author_role.value,
        "created_at": record.created_at.isoformat(),
        "expires_at": None if record.expires_at is None else record.expires_at.isoformat(),
    }


class Maintenance:
    """The maintenance jobs over one store, with the current embedder."""

    def __init__(
        self,
        store: MemoryStore,
        embedder: Embedder,
        *,
        clock: Clock,
        duplicate_similarity: float = DUPLICATE_SIMILARITY,
        batch_size: int = 64,
    ) -> None:
        self.store = store
        self.embedder = embedder
        self.clock = clock
        self.duplicate_similarity = duplicate_similarity
        self.batch_size = batch_size

    def run(self, business_ids: Sequence[int] | None = None) -> MaintenanceReport:
        """Expire, re-embed and compact every business (or ``business_ids``)."""
        report = MaintenanceReport()
        for business_id in self.store.business_ids() if business_ids is None else business_ids:
            report += MaintenanceReport(
                businesses=1,
                expired=self.expire(business_id),
                reembedded=self.reembed(business_id),
                merged=self.compact(business_id),
                remaining=self.store.count(business_id),
            )
        log.info("memory maintenance: %s", report)
        return report

    def expire(self, business_id: int) -> int:
        """Delete the memories whose ``expires_at`` has passed; how many."""
        now = self.clock.now()
        expired = [
            record.id
            for record in self.store.all_records(business_id)
            if record.expires_at is not None and record.expires_at <= now
        ]
        self.store.delete(business_id, expired)
        return len(expired)

    def reembed(self, business_id: int) -> int:
        """Remake the vectors an older embedder made, in batches; how many.

        When the new embedder's vectors have another dimension, the business's collection is
        rebuilt as a whole (:meth:`MemoryStore.rebuild`).
        """
        records = self.store.all_records(business_id)
        stale = [record for record in records if record.embedder_id != self.embedder.id]
        if not stale:
            return 0
        if self.store.dimension(business_id) not in (None, self.embedder.dimension):
            fresh = [replace(record, embedder_id=self.embedder.id) for record in records]
            self.store.rebuild(business_id, fresh, self._embed(fresh))
            return len(fresh)
        for start in range(0, len(stale), self.batch_size):
            part = stale[start : start + self.batch_size]
            self.store.update_vectors(
                business_id, [r.id for r in part], self._embed(part), self.embedder.id
            )
        return len(stale)

    def compact(self, business_id: int) -> int:
        """Fold near-duplicates of one audience into the newest; how many were removed.

        Same audience: same scope and owner (personal) or the same roles (company). The kept
        memory gains the entities of the ones folded into it.
        """
        groups: dict[tuple[Any, ...], list[MemoryRecord]] = {}
        for record in self.store.all_records(business_id):
            groups.setdefault(_audience(record), []).append(record)
        removed: list[str] = []
        changed: list[MemoryRecord] = []
        for group in groups.values():
            if len(group) < 2:
                continue
            group.sort(key=lambda record: (record.created_at, record.id), reverse=True)
            vectors = self.store.vectors(business_id, [record.id for record in group])
            for keep, folded in _duplicates(vectors, self.duplicate_similarity).items():
                removed += [group[index].id for index in folded]
                merged = _merge_entities(group[keep], [group[index] for index in folded])
                if merged is not group[keep]:
                    changed.append(merged)
        self.store.update(changed)
        self.store.delete(business_id, removed)
        return len(removed)

    def export_user(self, business_id: int, user_id: int) -> list[dict[str, Any]]:
        """Every personal memory of one user as JSON-ready dicts, newest first."""
        return [record_to_dict(r) for r in self.store.personal_records(business_id, user_id)]

    def delete_user(self, business_id: int, user_id: int) -> int:
        """Delete every personal memory of one user; how many."""
        records = self.store.personal_records(business_id, user_id)
        self.store.delete(business_id, [record.id for record in records])
        return len(records)

    def _embed(self, records: Sequence[MemoryRecord]) -> Vectors:
        return self.embedder.embed([record.text for record in records])


def _audience(record: MemoryRecord) -> tuple[Any, ...]:
    """Who can read ``record`` (and which embedder made its vector: only alike compare)."""
    if record.scope is Scope.PERSONAL:
        return (record.scope, record.user_id, record.embedder_id)
    return (record.scope, record.visible_to, record.embedder_id)


def _duplicates(vectors: Vectors, threshold: float) -> dict[int, list[int]]:
    """Rows (newest first) mapped to the later rows at least ``threshold`` similar to them."""
    gone = np.zeros(len(vectors), dtype=bool)
    folded: dict[int, list[int]] = {}
    for start in range(0, len(vectors), _BLOCK):
        block = 0.5 + 0.5 * (vectors[start : start + _BLOCK] @ vectors.T)
        for offset, row in enumerate(block):
            index = start + offset
            if gone[index]:
                continue
            later = np.nonzero(row[index + 1 :] >= threshold)[0] + index + 1
            later = later[~gone[later]]
            if len(later):
                gone[later] = True
                folded[index] = [int(i) for i in later]
    return folded


def _merge_entities(keep: MemoryRecord, folded: Sequence[MemoryRecord]) -> MemoryRecord:
    entities = list(keep.entities)
    for record in folded:
        entities += [entity for entity in record.entities if entity not in entities]
    if len(entities) == len(keep.entities):
        return keep
    return replace(keep, entities=tuple(entities))
