"""The memory facade: one :class:`Memory` per app, used by tools, the CLI and the orchestrator.

- :meth:`Memory.start` loads the embedder in a background thread (and re-embeds memories an
  older embedder made); turns before it is :attr:`~Memory.ready` run without memory.
- The synchronous API (:meth:`~Memory.remember`, :meth:`~Memory.search`, :meth:`~Memory.list`,
  :meth:`~Memory.forget`, ...) is for worker threads: it waits for the model when needed.
- The asynchronous API for the orchestrator (:meth:`~Memory.recall`,
  :meth:`~Memory.relevant_history`) never blocks the loop and never raises.
- Capture after each exchange lives in ``capture.py`` and writes through :meth:`~Memory.remember`.

Who may delete: a user their own personal memories; owners and admins also company memories
and, for privacy requests (export, erase, forget by id from the CLI), another user's personal
memories in their business. Listing another user's memories is for owners and admins only.
"""

from __future__ import annotations

import asyncio
import builtins
import logging
import threading
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import timedelta
from typing import TYPE_CHECKING, Any, TypeVar

from ..clock import Clock, SystemClock
from ..errors import ConfigurationError, Invalid, LumaError, NotFound, PermissionDenied
from ..workspace.models import Role
from .embedders.base import Embedder
from .maintenance import DUPLICATE_SIMILARITY, Maintenance, MaintenanceReport
from .records import STAFF_ROLES, Hit, Kind, MemoryRecord, Scope
from .retrieval import format_history, rank, similarity, within_budget
from .rules import MEMORY_MANAGERS, Reader, may_delete, may_read
from .store import MemoryStore

if TYPE_CHECKING:
    from ..paths import AppPaths
    from ..settings import LumaSettings

__all__ = ["MAX_TEXT", "Memory", "MemoryOptions", "open_memory"]

log = logging.getLogger(__name__)

MAX_TEXT = 1000
"""Longest memory text, in characters."""
_Choice = TypeVar("_Choice", Scope, Kind)


@dataclass(frozen=True, slots=True)
class MemoryOptions:
    """How recall and maintenance behave (from the ``memory_*`` settings)."""

    top_k: int = 5
    """Memories recalled per turn."""
    threshold: float = 0.62
    """Least similarity a memory needs to be recalled."""
    token_budget: int = 300
    """Tokens of history a turn may receive."""
    ttl_days: int = 180
    """Days after which a memory expires."""
    maintenance_hours: float = 24.0
    """Hours between scheduled maintenance runs."""

    @classmethod
    def from_settings(cls, settings: LumaSettings) -> MemoryOptions:
        return cls(
            top_k=settings.memory_top_k,
            threshold=settings.memory_threshold,
            token_budget=settings.memory_token_budget,
            ttl_days=settings.memory_ttl_days,
            maintenance_hours=settings.memory_maintenance_hours,
        )


class Memory:
    """Long-term memory over one store and one embedder (thread-safe; owns the store)."""

    def __init__(
        self,
        store: MemoryStore,
        embedder: Embedder,
        *,
        clock: Clock | None = None,
        options: MemoryOptions | None = None,
    ) -> None:
        self.store = store
        self.embedder = embedder
        self.clock: Clock = clock or SystemClock()
        self.options = options or MemoryOptions()
        self.maintenance = Maintenance(store, embedder, clock=self.clock)
        self._state = "loading"
        self._lock = threading.Lock()
        self._ready = threading.Event()
        self._settled = threading.Event()
        self._stop = threading.Event()
        self._maintaining = threading.Lock()
        self._loader: threading.Thread | None = None
        self._scheduler: threading.Thread | None = None
        self._said_not_ready = False

    # -- lifecycle -------------------------------------------------------------------------

    @property
    def ready(self) -> bool:
        """Whether recall works now (the model is loaded)."""
        return self._ready.is_set()

    @property
    def state(self) -> str:
        """``loading``, ``ready``, ``failed: <why>`` or ``off`` (after :meth:`close`)."""
        return self._state

    def start(self) -> None:
        """Load the embedder in a background thread; returns at once."""
        with self._lock:
            if self._loader is not None or self._state == "off":
                return
            self._loader = threading.Thread(
                target=self._start_up, name="luma-memory-load", daemon=True
            )
            self._loader.start()

    async def wait_ready(self, timeout: float | None = None) -> bool:  # noqa: ASYNC109
        """Wait (without blocking the loop) until loading ends; whether memory is ready.

        Returns at once when :meth:`start` was not called.
        """
        if self._loader is not None:
            await asyncio.to_thread(self._settled.wait, timeout)
        return self.ready

    def start_maintenance(self, *, first_delay: float = 60.0) -> None:
        """Run :meth:`maintain` after ``first_delay`` seconds, then every maintenance_hours."""
        with self._lock:
            if self._scheduler is not None or self._state == "off":
                return
            self._scheduler = threading.Thread(
                target=self._schedule, args=(first_delay,), name="luma-memory-maint", daemon=True
            )
            self._scheduler.start()

    def close(self) -> None:
        """Stop the schedule and release the store; memory is ``off`` afterwards."""
        with self._lock:
            if self._state == "off":
                return
            self._set_state("off")
            self._ready.clear()
            self._settled.set()
            self._stop.set()
            scheduler = self._scheduler
        if scheduler is not None:
            scheduler.join(timeout=30)
        self.store.close()

    def __enter__(self) -> Memory:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    # -- synchronous API (worker threads) --------------------------------------------------

    def remember(
        self,
        reader: Reader,
        text: str,
        *,
        scope: Scope | str,
        kind: Kind | str,
        topic: str = "",
        entities: Iterable[str] = (),
        source_conversation: int | None = None,
        visible_to: Iterable[Role | str] | None = None,
        author_role: Role | None = None,
    ) -> MemoryRecord:
        """Keep ``text`` for ``reader`` (personal) or for their business (company).

        A near-duplicate of the same audience is replaced by the new memory (entities merged).
        """
        record = self._new_record(
            reader,
            _clean_text(text),
            scope=_choice(Scope, scope, "scope"),
            kind=_choice(Kind, kind, "kind"),
            topic=topic.strip(),
            entities=_clean_entities(entities),
            source_conversation=source_conversation,
            visible_to=visible_to,
            author_role=author_role or reader.role,
        )
        vector = self._embed(record.text)
        older = [
            found
            for found, distance in self.store.query(
                reader, vector, 3, max_distance=2 * (1 - DUPLICATE_SIMILARITY)
            )
            if similarity(distance) >= DUPLICATE_SIMILARITY and _same_audience(found, record)
        ]
        for found in older:
            record = replace(record, entities=_union(record.entities, found.entities))
        self.store.add([record], vector.reshape(1, -1))
        self.store.delete(reader.business_id, [found.id for found in older])
        return record

    def search(
        self, reader: Reader, query: str, *, k: int | None = None, threshold: float | None = None
    ) -> builtins.list[Hit]:
        """The best memories ``reader`` may recall for ``query`` (top-k above the threshold)."""
        text = query.strip()
        if not text:
            raise Invalid("Tell me what to look for in memory.", field="query")
        k = self.options.top_k if k is None else k
        if not 1 <= k <= 50:
            raise Invalid(f"I can recall between 1 and 50 memories, not {k}.", field="k")
        limit = self.options.threshold if threshold is None else threshold
        return self.search_vector(reader, self._embed(text), k=k, threshold=limit)

    def search_vector(
        self, reader: Reader, vector: Any, *, k: int, threshold: float
    ) -> builtins.list[Hit]:
        """:meth:`search` for an embedded query (the retrieval path the benchmarks time)."""
        now = self.clock.now()
        nearest = self.store.query(reader, vector, 2 * k, max_distance=2 * (1 - threshold))
        alive = [
            (record, distance)
            for record, distance in nearest
            if record.embedder_id == self.embedder.id
            and (record.expires_at is None or record.expires_at > now)
        ]
        return rank(alive, now=now, threshold=threshold, k=k)

    def list(
        self, reader: Reader, *, user_id: int | None = None, limit: int = 200
    ) -> builtins.list[MemoryRecord]:
        """What ``reader`` may recall, newest first; with ``user_id`` of someone else, that
        user's personal memories (owners and admins only: for export and forget)."""
        if user_id is None or user_id == reader.user_id:
            now = self.clock.now()
            records = self.store.records(reader)
            alive = [r for r in records if r.expires_at is None or r.expires_at > now]
            return alive[:limit]
        self._require_manager(reader, "see another person's memories")
        return self.store.personal_records(reader.business_id, user_id)[:limit]

    def forget(self, reader: Reader, query: str) -> builtins.list[MemoryRecord]:
        """Delete the memories matching ``query`` that ``reader`` may delete; those deleted."""
        hits = self.search(reader, query)
        doomed = [hit.record for hit in hits if may_delete(reader, hit.record)]
        if hits and not doomed:
            raise PermissionDenied(
                "What matches is something Luma knows about the business; only an owner or "
                "admin can make it forget that."
            )
        self.store.delete(reader.business_id, [record.id for record in doomed])
        return doomed

    def forget_ids(self, reader: Reader, ids: Iterable[str]) -> builtins.list[MemoryRecord]:
        """Delete memories by id (all or none); those deleted."""
        wanted = list(dict.fromkeys(ids))
        found = {r.id: r for r in self.store.get(reader.business_id, wanted)}
        for memory_id in wanted:
            record = found.get(memory_id)
            if record is None or not (may_read(reader, record) or reader.role in MEMORY_MANAGERS):
                raise NotFound("memory", memory_id)
            if not may_delete(reader, record):
                raise PermissionDenied(
                    f"Memory {memory_id} belongs to the business; only an owner or admin can "
                    "delete it."
                )
        self.store.delete(reader.business_id, wanted)
        return [found[memory_id] for memory_id in wanted]

    def export(self, reader: Reader, user_id: int) -> builtins.list[dict[str, Any]]:
        """Every personal memory of ``user_id`` as JSON-ready dicts (theirs, or a manager's)."""
        if user_id != reader.user_id:
            self._require_manager(reader, "export another person's memories")
        return self.maintenance.export_user(reader.business_id, user_id)

    def delete_all(self, reader: Reader, user_id: int) -> int:
        """Delete every personal memory of ``user_id``; how many (theirs, or a manager's)."""
        if user_id != reader.user_id:
            self._require_manager(reader, "delete another person's memories")
        return self.maintenance.delete_user(reader.business_id, user_id)

    def maintain(self) -> MaintenanceReport:
        """Expire, re-embed and compact now (one run at a time)."""
        self.embedder.load()
        with self._maintaining:
            return self.maintenance.run()

    # -- asynchronous API (the orchestrator; never blocks, never raises) -------------------

    async def recall(self, reader: Reader, query: str) -> tuple[Hit, ...]:
        """The memories for a turn, within the token budget; ``()`` when not ready."""
        if not self.ready:
            if not self._said_not_ready:
                self._said_not_ready = True
                log.info("memory is %s; this turn runs without it", self.state)
            return ()
        if not query.strip():
            return ()
        try:
            hits = await asyncio.to_thread(self.search, reader, query)
        except Exception as error:
            log.warning("recall failed; the turn runs without memory: %s", error)
            return ()
        return tuple(within_budget(hits, self.options.token_budget, self.clock.now()))

    async def relevant_history(self, reader: Reader, query: str) -> str:
        """The "Relevant history" block for a turn (``""`` when nothing is recalled)."""
        return format_history(await self.recall(reader, query), self.clock.now())

    # -- internals -------------------------------------------------------------------------

    def _new_record(
        self,
        reader: Reader,
        text: str,
        *,
        scope: Scope,
        visible_to: Iterable[Role | str] | None,
        **fields: Any,
    ) -> MemoryRecord:
        if scope is Scope.PERSONAL and reader.user_id <= 0:
            raise Invalid("A personal memory needs a signed-in user.", field="scope")
        if scope is Scope.COMPANY and reader.role not in STAFF_ROLES:
            raise PermissionDenied("From the client portal I can only keep personal memories.")
        roles = frozenset() if scope is Scope.PERSONAL else _audience_roles(visible_to)
        now = self.clock.now()
        return MemoryRecord(
            id=f"mem_{uuid.uuid4().hex}",
            text=text,
            business_id=reader.business_id,
            scope=scope,
            user_id=reader.user_id if scope is Scope.PERSONAL else None,
            created_at=now,
            expires_at=now + timedelta(days=self.options.ttl_days),
            embedder_id=self.embedder.id,
            visible_to=roles,
            **fields,
        )

    def _embed(self, text: str) -> Any:
        vector = self.embedder.embed_one(text)
        if self._loader is None and not self.ready and self._state != "off":
            self._set_state("ready")
            self._ready.set()
            self._settled.set()
        return vector

    def _require_manager(self, reader: Reader, action: str) -> None:
        if reader.role not in MEMORY_MANAGERS:
            raise PermissionDenied(f"Only an owner or admin can {action}.")

    def _set_state(self, state: str) -> None:
        self._state = state
        log.info("memory: %s", state)

    def _start_up(self) -> None:
        try:
            self.embedder.load()
        except Exception as error:
            message = error.message if isinstance(error, LumaError) else str(error)
            self._set_state(f"failed: {message}")
            log.warning("memory could not load its embedder: %s", message)
            self._settled.set()
            return
        try:
            with self._maintaining:
                for business_id in self.store.business_ids():
                    self.maintenance.reembed(business_id)
        except Exception as error:  # memory still works; the next maintenance run retries
            log.warning("re-embedding memories failed (maintenance retries): %s", error)
        if self._state != "off":
            self._set_state("ready")
            self._ready.set()
        self._settled.set()

    def _schedule(self, first_delay: float) -> None:
        delay = first_delay
        while not self._stop.wait(delay):
            try:
                self.maintain()
            except Exception as error:
                log.warning("memory maintenance failed (it runs again later): %s", error)
            delay = self.options.maintenance_hours * 3600


def open_memory(settings: LumaSettings, paths: AppPaths, clock: Clock | None = None) -> Memory:
    """The app's memory as the settings describe it (not started; call :meth:`Memory.start`).

    The local store lives in ``paths.data / "memory"``; ``memory_server_url`` selects a
    Chroma server instead. Raises :class:`ConfigurationError` when memory is off or its
    embedder cannot load, :class:`MemoryUnavailable` when the store cannot be opened.
    """
    if not settings.memory_enabled:
        raise ConfigurationError(
            "Long-term memory is off. Turn on memory_enabled in Settings to use it.",
            setting="memory_enabled",
        )
    from .embedders import embedder_for

    embedder = embedder_for(settings.memory_embedder)
    if settings.memory_server_url:
        store = MemoryStore.server(settings.memory_server_url)
    else:
        store = MemoryStore.local(paths.data / "memory")
    return Memory(store, embedder, clock=clock, options=MemoryOptions.from_settings(settings))


def _choice(kind: type[_Choice], value: str, field: str) -> _Choice:
    try:
        return kind(value)
    except ValueError:
        choices = ", ".join(member.value for member in kind)
        raise Invalid(f"“{value}” is not a memory {field}; use {choices}.", field=field) from None


def _clean_text(text: str) -> str:
    cleaned = text.strip()
    if not cleaned:
        raise Invalid("There is nothing to remember: the text is empty.", field="text")
    if len(cleaned) > MAX_TEXT:
        raise Invalid(
            f"That is {len(cleaned)} characters; a memory holds at most {MAX_TEXT}. "
            "Say it more briefly.",
            field="text",
        )
    return cleaned


def _clean_entities(entities: Iterable[str]) -> tuple[str, ...]:
    cleaned = tuple(dict.fromkeys(entity.strip() for entity in entities))
    for entity in cleaned:
        if not entity or "," in entity:
            raise Invalid(f"“{entity}” is not a record reference like client:12.", field="entities")
    return cleaned


def _audience_roles(visible_to: Iterable[Role | str] | None) -> frozenset[Role]:
    if visible_to is None:
        return STAFF_ROLES
    try:
        roles = frozenset(Role(role) for role in visible_to)
    except ValueError as error:
        raise Invalid(f"{error}; use owner, admin, manager or staff.", field="visible_to") from None
    if not roles or not roles <= STAFF_ROLES:
        raise Invalid(
            "A business memory must be visible to at least one of owner, admin, manager or "
            "staff (never the client portal).",
            field="visible_to",
        )
    return roles


def _same_audience(a: MemoryRecord, b: MemoryRecord) -> bool:
    if a.scope is not b.scope or a.business_id != b.business_id:
        return False
    if a.scope is Scope.PERSONAL:
        return a.user_id == b.user_id
    return a.visible_to == b.visible_to


def _union(first: tuple[str, ...], second: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys((*first, *second)))
