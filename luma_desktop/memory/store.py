"""The memory store: memories and their vectors in Chroma, one collection per business.

``MemoryStore.local(path)`` keeps them on disk (``PersistentClient``); ``MemoryStore.server(url)``
talks to a Chroma server a team shares (``HttpClient``). Callers always pass vectors (the
collections have no embedding function). Every Chroma failure leaves this module as
:class:`~luma_desktop.errors.MemoryUnavailable`; a failed write loses nothing stored before it.

Isolation: a reader only ever queries its own business's collection, and every record leaves
:meth:`MemoryStore.query`, :meth:`MemoryStore.query_filtered` and :meth:`MemoryStore.records`
only after :func:`~luma_desktop.memory.rules.may_read` allowed it. Rows whose metadata is
malformed or names another business are dropped wherever they are read.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import numpy as np

from ..errors import ConfigurationError, LumaError, MemoryUnavailable
from ..workspace.models import Role
from .embedders.base import Vectors
from .records import STAFF_ROLES, Kind, MemoryRecord, Scope
from .rules import Reader, chroma_where, may_read

__all__ = ["MemoryStore", "collection_name", "from_chroma", "to_chroma"]

log = logging.getLogger(__name__)

_PREFIX = "luma-memories-b"
_NAME = re.compile(r"^luma-memories-b(\d+)$")
_REBUILD_SUFFIX = "-rebuild"
_NONE = -1
_BATCH = 1000
_CONFIGURATION: Any = {"hnsw": {"space": "cosine", "max_neighbors": 32}}
"""Cosine distance; 32 links per node (Chroma's 16 left near-duplicate memories unreachable)."""
_INCLUDE_ROWS: Any = ["documents", "metadatas"]


def collection_name(business_id: int) -> str:
    """The Chroma collection that holds one business's memories."""
    return f"{_PREFIX}{business_id}"


def to_chroma(record: MemoryRecord) -> tuple[str, dict[str, str | int | float | bool]]:
    """The Chroma document and metadata of ``record`` (what :func:`chroma_where` filters on)."""
    metadata: dict[str, str | int | float | bool] = {
        "business_id": record.business_id,
        "user_id": _NONE if record.user_id is None else record.user_id,
        "scope": record.scope.value,
        "kind": record.kind.value,
        "topic": record.topic,
        "entities": ",".join(record.entities),
        "source_conversation": _or_none(record.source_conversation),
        "created_at": record.created_at.timestamp(),
        "expires_at": _NONE if record.expires_at is None else record.expires_at.timestamp(),
        "embedder_id": record.embedder_id,
        "author_role": record.author_role.value,
    }
    for role in sorted(STAFF_ROLES):
        metadata[f"role_{role.value}"] = role in record.visible_to
    return record.text, metadata


def from_chroma(
    memory_id: str, document: str | None, metadata: Mapping[str, Any] | None
) -> MemoryRecord | None:
    """The record of one Chroma row, or ``None`` when its metadata is malformed."""
    try:
        if not isinstance(document, str) or metadata is None:
            raise ValueError("no document or metadata")
        user_id = _integer(metadata, "user_id")
        expires = _number(metadata, "expires_at")
        entities = _text(metadata, "entities")
        return MemoryRecord(
            id=memory_id,
            text=document,
            business_id=_integer(metadata, "business_id"),
            scope=Scope(_text(metadata, "scope")),
            user_id=None if user_id == _NONE else user_id,
            kind=Kind(_text(metadata, "kind")),
            created_at=datetime.fromtimestamp(_number(metadata, "created_at"), UTC),
            expires_at=None if expires == _NONE else datetime.fromtimestamp(expires, UTC),
            embedder_id=_text(metadata, "embedder_id"),
            topic=_text(metadata, "topic"),
            entities=tuple(entities.split(",")) if entities else (),
            source_conversation=_none_if_unset(_integer(metadata, "source_conversation")),
            author_role=Role(_text(metadata, "author_role")),
            visible_to=frozenset(
                role for role in STAFF_ROLES if metadata.get(f"role_{role.value}") is True
            ),
        )
    except (KeyError, TypeError, ValueError, OverflowError, OSError) as error:
        log.warning("memory %s has malformed metadata (%s); it is ignored", memory_id, error)
        return None


def _or_none(value: int | None) -> int:
    return _NONE if value is None else value


def _none_if_unset(value: int) -> int | None:
    return None if value == _NONE else value


def _integer(metadata: Mapping[str, Any], key: str) -> int:
    value = metadata[key]
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{key} is not an integer")
    return value


def _number(metadata: Mapping[str, Any], key: str) -> float:
    value = metadata[key]
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError(f"{key} is not a number")
    return float(value)


def _text(metadata: Mapping[str, Any], key: str) -> str:
    value = metadata[key]
    if not isinstance(value, str):
        raise TypeError(f"{key} is not text")
    return value


class MemoryStore:
    """Memories of every business in one Chroma client (thread-safe, synchronous).

    Build one with :meth:`local` or :meth:`server`; close it with :meth:`close`.
    """

    def __init__(self, client: Any, *, location: str, remote: bool) -> None:
        self._client = client
        self.location = location
        """The folder or server URL (for messages)."""
        self.remote = remote
        self._lock = threading.Lock()
        self._collections: dict[int, Any] = {}
        self._closed = False
        self.fallbacks = 0
        """How many queries needed the filtered second pass (for the benchmarks)."""
        self._recover_rebuilds()

    @classmethod
    def local(cls, path: Path) -> MemoryStore:
        """The store in folder ``path`` (created when missing)."""
        import chromadb
        from chromadb.config import Settings

        with _guard(str(path), remote=False, action="open its folder"):
            path.mkdir(parents=True, exist_ok=True)
            client = chromadb.PersistentClient(
                path=str(path), settings=Settings(anonymized_telemetry=False)
            )
        return cls(client, location=str(path), remote=False)

    @classmethod
    def server(cls, url: str) -> MemoryStore:
        """The store on the Chroma server at ``url`` (``http://host:port``)."""
        import chromadb
        from chromadb.config import Settings

        host, port, ssl = _parse_url(url)
        with _guard(url, remote=True, action="reach the memory server"):
            client = chromadb.HttpClient(  # connects: an unreachable server fails here
                host=host, port=port, ssl=ssl, settings=Settings(anonymized_telemetry=False)
            )
        return cls(client, location=url, remote=True)

    # -- writing ---------------------------------------------------------------------------

    def add(self, records: Sequence[MemoryRecord], vectors: Vectors) -> None:
        """Store ``records`` (of one business or several) with their vectors."""
        if len(records) != len(vectors):
            raise ValueError("one vector per record")
        by_business: dict[int, list[int]] = {}
        for index, record in enumerate(records):
            by_business.setdefault(record.business_id, []).append(index)
        for business_id, indexes in by_business.items():
            collection = self._collection(business_id, create=True)
            for start in range(0, len(indexes), _BATCH):
                part = indexes[start : start + _BATCH]
                with self._failing("save the memory"):
                    collection.upsert(
                        embeddings=_floats(vectors[part]), **_columns([records[i] for i in part])
                    )

    def update(self, records: Sequence[MemoryRecord]) -> None:
        """Rewrite the text and metadata of stored ``records`` (their vectors stay; records
        deleted meanwhile are skipped)."""
        for business_id, group in _by_business(records).items():
            collection = self._collection(business_id, create=True)
            with self._failing("update memories"):
                rows = collection.get(ids=[r.id for r in group], include=["embeddings"])
                stored = dict(zip(rows["ids"], rows["embeddings"], strict=True))
                present = [record for record in group if record.id in stored]
                if present:
                    collection.update(
                        embeddings=_floats([stored[record.id] for record in present]),
                        **_columns(present),
                    )

    def update_vectors(
        self, business_id: int, ids: Sequence[str], vectors: Vectors, embedder_id: str
    ) -> None:
        """Replace the vectors of ``ids`` (same dimension) and record ``embedder_id``."""
        if not ids:
            return
        collection = self._collection(business_id, create=True)
        with self._failing("re-embed memories"):
            collection.update(
                ids=list(ids),
                embeddings=_floats(vectors),
                metadatas=[{"embedder_id": embedder_id} for _ in ids],
            )

    def rebuild(self, business_id: int, records: Sequence[MemoryRecord], vectors: Vectors) -> None:
        """Replace a business's whole collection (for vectors of a new dimension).

        The new collection is filled under a temporary name first, so a crash leaves either
        the old or the new memories, never neither (see :meth:`_recover_rebuilds`).
        """
        name = collection_name(business_id)
        temporary = name + _REBUILD_SUFFIX
        with self._lock, self._failing("rebuild the memory index"):
            if self._closed:
                raise MemoryUnavailable("Long-term memory has been closed; restart Luma.")
            self._delete_collection(temporary)
            fresh = self._create(temporary)
            for start in range(0, len(records), _BATCH):
                part = records[start : start + _BATCH]
                fresh.add(embeddings=_floats(vectors[start : start + _BATCH]), **_columns(part))
            self._delete_collection(name)
            fresh.modify(name=name)
            self._collections[business_id] = fresh

    def delete(self, business_id: int, ids: Sequence[str]) -> None:
        """Delete memories by id (unknown ids are ignored)."""
        collection = self._collection(business_id, create=False)
        if collection is None or not ids:
            return
        with self._failing("delete memories"):
            for start in range(0, len(ids), _BATCH):
                collection.delete(ids=list(ids[start : start + _BATCH]))

    # -- reading for a reader --------------------------------------------------------------

    def query(
        self, reader: Reader, vector: Vectors, n: int, *, max_distance: float | None = None
    ) -> list[tuple[MemoryRecord, float]]:
        """The ``n`` nearest memories ``reader`` may read (within ``max_distance``), nearest
        first, with their cosine distances.

        First an unfiltered nearest-neighbour query (fast) with over-fetch; rows are read
        (documents and metadata: the costly part) nearest first, only until ``n`` readable
        ones are found. Only when that yields fewer than ``n`` while closer memories could
        still be missing, the filtered query runs (slower: Chroma filters metadata first).
        """
        collection = self._collection(reader.business_id, create=False)
        if collection is None:
            return []
        fetch = max(n * 8, 40)
        neighbours = self._neighbours(collection, vector, fetch, where=None)
        near = _within(neighbours, max_distance)
        readable = self._readable(collection, reader, near, n)
        if len(readable) >= n or len(near) < len(neighbours):
            return readable  # whatever was not fetched lies beyond max_distance
        if len(neighbours) < fetch and len(neighbours) >= self.count(reader.business_id):
            return readable  # the whole collection was fetched
        self.fallbacks += 1
        return self.query_filtered(reader, vector, n, max_distance=max_distance)

    def query_filtered(
        self, reader: Reader, vector: Vectors, n: int, *, max_distance: float | None = None
    ) -> list[tuple[MemoryRecord, float]]:
        """Like :meth:`query`, through Chroma's ``where`` filter alone (one call: the rows
        that come back are the reader's, so they are read with the query)."""
        collection = self._collection(reader.business_id, create=False)
        if collection is None:
            return []
        with self._failing("search memories"):
            rows = collection.query(
                query_embeddings=_floats(vector).reshape(1, -1),
                n_results=n,
                where=chroma_where(reader),
                include=["documents", "metadatas", "distances"],
            )
        found = []
        columns = (rows["ids"][0], rows["documents"][0], rows["metadatas"][0])
        for memory_id, document, metadata, distance in zip(
            *columns, rows["distances"][0], strict=True
        ):
            record = from_chroma(memory_id, document, metadata)
            if (
                record is not None
                and record.business_id == reader.business_id
                and may_read(reader, record)
                and (max_distance is None or distance <= max_distance)
            ):
                found.append((record, float(distance)))
        return found

    def records(self, reader: Reader, *, limit: int | None = None) -> list[MemoryRecord]:
        """The memories ``reader`` may read, newest first."""
        collection = self._collection(reader.business_id, create=False)
        if collection is None:
            return []
        with self._failing("list memories"):
            rows = collection.get(where=chroma_where(reader), include=_INCLUDE_ROWS)
        found = [r for r in self._parse(reader.business_id, rows) if may_read(reader, r)]
        found.sort(key=lambda record: record.created_at, reverse=True)
        return found if limit is None else found[:limit]

    # -- reading for maintenance and privacy (no reader: callers decide) -------------------

    def get(self, business_id: int, ids: Sequence[str]) -> list[MemoryRecord]:
        """The stored memories among ``ids``, in that order (unknown ids are left out)."""
        collection = self._collection(business_id, create=False)
        if collection is None or not ids:
            return []
        with self._failing("read memories"):
            rows = collection.get(ids=list(ids), include=_INCLUDE_ROWS)
        found = {record.id: record for record in self._parse(business_id, rows)}
        return [found[memory_id] for memory_id in ids if memory_id in found]

    def personal_records(self, business_id: int, user_id: int) -> list[MemoryRecord]:
        """Every personal memory of one user, newest first."""
        collection = self._collection(business_id, create=False)
        if collection is None:
            return []
        where = {"$and": [{"scope": Scope.PERSONAL.value}, {"user_id": user_id}]}
        with self._failing("list memories"):
            rows = collection.get(where=where, include=_INCLUDE_ROWS)
        found = [
            record
            for record in self._parse(business_id, rows)
            if record.scope is Scope.PERSONAL and record.user_id == user_id
        ]
        found.sort(key=lambda record: record.created_at, reverse=True)
        return found

    def all_records(self, business_id: int) -> list[MemoryRecord]:
        """Every well-formed memory of one business (for maintenance)."""
        collection = self._collection(business_id, create=False)
        if collection is None:
            return []
        with self._failing("read memories"):
            rows = collection.get(include=_INCLUDE_ROWS)
        return self._parse(business_id, rows)

    def vectors(self, business_id: int, ids: Sequence[str]) -> Vectors:
        """The stored vectors of ``ids``, row by row in that order (all must exist)."""
        collection = self._collection(business_id, create=False)
        if collection is None or not ids:
            return np.zeros((0, 0), dtype=np.float32)
        with self._failing("read memory vectors"):
            rows = collection.get(ids=list(ids), include=["embeddings"])
        position = {memory_id: index for index, memory_id in enumerate(rows["ids"])}
        missing = [memory_id for memory_id in ids if memory_id not in position]
        if missing:
            raise MemoryUnavailable(f"Memories {', '.join(missing[:3])} are no longer stored.")
        stored = np.asarray(rows["embeddings"], dtype=np.float32)
        return stored[[position[memory_id] for memory_id in ids]]

    def dimension(self, business_id: int) -> int | None:
        """The vector dimension of a business's collection (``None`` when it is empty)."""
        collection = self._collection(business_id, create=False)
        if collection is None:
            return None
        with self._failing("read memory vectors"):
            rows = collection.peek(limit=1)
        embeddings = rows["embeddings"]
        return None if embeddings is None or len(embeddings) == 0 else len(embeddings[0])

    def count(self, business_id: int) -> int:
        """How many memories one business has."""
        collection = self._collection(business_id, create=False)
        if collection is None:
            return 0
        with self._failing("count memories"):
            return int(collection.count())

    def business_ids(self) -> list[int]:
        """Every business that has a memory collection."""
        with self._failing("list memory collections"):
            names = [collection.name for collection in self._client.list_collections()]
        return sorted(int(match[1]) for name in names if (match := _NAME.match(name)))

    def close(self) -> None:
        """Release the client (further calls raise :class:`MemoryUnavailable`)."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
            self._collections.clear()
        try:
            _close_client(self._client)
        except Exception as error:  # closing is best effort; nothing is lost
            log.debug("closing the memory store failed: %s", error)

    def __enter__(self) -> MemoryStore:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    # -- internals -------------------------------------------------------------------------

    def _neighbours(
        self, collection: Any, vector: Vectors, n: int, where: Any
    ) -> list[tuple[str, float]]:
        """Ids and distances of the ``n`` nearest rows (cheap: no documents or metadata)."""
        with self._failing("search memories"):
            rows = collection.query(
                query_embeddings=_floats(vector).reshape(1, -1),
                n_results=n,
                where=where,
                include=["distances"],
            )
        return list(zip(rows["ids"][0], map(float, rows["distances"][0]), strict=True))

    def _readable(
        self, collection: Any, reader: Reader, neighbours: list[tuple[str, float]], n: int
    ) -> list[tuple[MemoryRecord, float]]:
        """The first ``n`` of ``neighbours`` that ``reader`` may read, reading rows in
        growing chunks (nearest first) so that rows past the ``n``-th are rarely read."""
        found: list[tuple[MemoryRecord, float]] = []
        start, step = 0, max(2 * n, 16)
        while start < len(neighbours) and len(found) < n:
            chunk = neighbours[start : start + step]
            with self._failing("search memories"):
                rows = collection.get(ids=[i for i, _ in chunk], include=_INCLUDE_ROWS)
            records = {r.id: r for r in self._parse(reader.business_id, rows)}
            for memory_id, distance in chunk:
                record = records.get(memory_id)
                if record is not None and may_read(reader, record):
                    found.append((record, distance))
            start, step = start + len(chunk), step * 2
        return found[:n]

    def _parse(self, business_id: int, rows: Mapping[str, Any]) -> list[MemoryRecord]:
        metadatas = rows["metadatas"] or [None] * len(rows["ids"])
        parsed = (
            from_chroma(memory_id, document, metadata)
            for memory_id, document, metadata in zip(
                rows["ids"], rows["documents"], metadatas, strict=True
            )
        )
        return [r for r in parsed if r is not None and r.business_id == business_id]

    def _collection(self, business_id: int, *, create: bool) -> Any:
        with self._lock:
            if self._closed:
                raise MemoryUnavailable("Long-term memory has been closed; restart Luma.")
            cached = self._collections.get(business_id)
            if cached is not None:
                return cached
            with self._failing("open the memories of this business"):
                collection = self._open(collection_name(business_id), create=create)
            if collection is not None:
                self._collections[business_id] = collection
            return collection

    def _open(self, name: str, *, create: bool) -> Any:
        if create:
            return self._create(name)
        from chromadb.errors import NotFoundError

        try:
            return self._client.get_collection(name, embedding_function=None)
        except NotFoundError:
            return None

    def _create(self, name: str) -> Any:
        return self._client.get_or_create_collection(
            name, configuration=_CONFIGURATION, embedding_function=None
        )

    def _delete_collection(self, name: str) -> None:
        from chromadb.errors import NotFoundError

        try:
            self._client.delete_collection(name)
        except NotFoundError:
            return

    def _recover_rebuilds(self) -> None:
        """Finish or drop a :meth:`rebuild` that a crash interrupted."""
        with self._failing("open the memory store"):
            names = {collection.name for collection in self._client.list_collections()}
            for name in names:
                if not name.endswith(_REBUILD_SUFFIX):
                    continue
                original = name.removesuffix(_REBUILD_SUFFIX)
                if original in names:
                    self._delete_collection(name)  # old memories intact; re-embed runs again
                else:
                    self._client.get_collection(name, embedding_function=None).modify(name=original)
                log.info("memory store: recovered an interrupted rebuild of %s", original)

    def _failing(self, action: str) -> AbstractContextManager[None]:
        return _guard(self.location, remote=self.remote, action=action)


@contextmanager
def _guard(location: str, *, remote: bool, action: str) -> Iterator[None]:
    """Turn any failure inside into :class:`MemoryUnavailable` with a human message."""
    try:
        yield
    except LumaError:
        raise
    except Exception as error:
        log.warning("memory store %s: could not %s: %r", location, action, error)
        raise MemoryUnavailable(_message(location, remote, action, error)) from error


def _message(location: str, remote: bool, action: str, error: Exception) -> str:
    if remote:
        return (
            f"Long-term memory could not {action}: the memory server at {location} "
            "did not answer properly. Check that it is running, or clear "
            "memory_server_url in Settings to use the memory on this computer."
        )
    text = str(error).lower()
    if isinstance(error, OSError) or any(w in text for w in ("disk", "full", "i/o", "space")):
        cause = "the disk is full or the folder cannot be written"
    else:
        cause = "the memory database reported an error"
    return (
        f"Long-term memory could not {action}: {cause} ({location}). "
        "Free some disk space or check the folder, then try again; "
        "memories saved before are kept."
    )


def _columns(records: Sequence[MemoryRecord]) -> dict[str, Any]:
    """Ids, documents and metadatas of ``records`` as Chroma's keyword arguments."""
    rows = [to_chroma(record) for record in records]
    return {
        "ids": [record.id for record in records],
        "documents": [document for document, _ in rows],
        "metadatas": [metadata for _, metadata in rows],
    }


def _floats(vectors: Any) -> Vectors:
    return np.asarray(vectors, dtype=np.float32)


def _close_client(client: Any) -> None:
    """Close a Chroma client and its HTTP connections.

    chromadb 1.5 leaves an ``HttpClient``'s connection pools (its own and its admin
    client's) open after ``close()``; each HTTP client has a system of its own, so closing
    them affects no other client. A ``PersistentClient`` has no such pools.
    """
    servers = [getattr(client, "_server", None)]
    servers.append(getattr(getattr(client, "_admin_client", None), "_server", None))
    client.close()
    for server in servers:
        session = getattr(server, "_session", None)
        if session is not None:
            session.close()


def _within(
    neighbours: list[tuple[str, float]], max_distance: float | None
) -> list[tuple[str, float]]:
    if max_distance is None:
        return neighbours
    return [(memory_id, distance) for memory_id, distance in neighbours if distance <= max_distance]


def _by_business(records: Sequence[MemoryRecord]) -> dict[int, list[MemoryRecord]]:
    groups: dict[int, list[MemoryRecord]] = {}
    for record in records:
        groups.setdefault(record.business_id, []).append(record)
    return groups


def _parse_url(url: str) -> tuple[str, int, bool]:
    """Host, port and TLS flag of a Chroma server URL."""
    parts = urlsplit(url.strip())
    try:
        port = parts.port
    except ValueError:
        port = -1
    if parts.scheme not in ("http", "https") or not parts.hostname or port == -1:
        raise ConfigurationError(
            f"The memory server address “{url}” is not a URL like http://10.0.0.5:8000. "
            "Fix memory_server_url in Settings, or clear it to keep memories on this computer.",
            setting="memory_server_url",
        )
    default = 443 if parts.scheme == "https" else 8000
    return parts.hostname, port or default, parts.scheme == "https"
