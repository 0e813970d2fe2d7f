"""Entity slot lists from the workspace: the names templates' ``{client}``, ``{task}``... match.

:class:`EntityLists` reads the names of one business's clients (full, first and last name,
company), staff, services, resources, products, payees, tasks and the user's reminders, and
keeps them current: a cheap version check (row count and highest id per table, at most every
:data:`CHECK_EVERY` seconds) notices records added or removed by anyone, and
:meth:`EntityLists.invalidate` (called after every write tool) catches renames at once.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ....workspace.database import Workspace
from ....workspace.models import (
    Client,
    Payee,
    Product,
    Reminder,
    ReminderStatus,
    Resource,
    Service,
    Staff,
    Task,
    TaxSettings,
)
from ._matching import EntityMatch, NameIndex, Record, TitleIndex

__all__ = ["CHECK_EVERY", "ENTITY_KINDS", "EntityLists"]

CHECK_EVERY = 2.0
"""Seconds between two version checks of the workspace."""
_CACHE_SIZE = 4096

Loader = Callable[[Session, int], Iterable[Record]]


def _clients(session: Session, user_id: int) -> Iterable[Record]:
    rows = session.execute(
        sa.select(Client.id, Client.first_name, Client.last_name, Client.company).where(
            Client.deleted_at.is_(None), Client.merged_into_id.is_(None)
        )
    )
    for id_, first, last, company in rows:
        full = f"{first} {last}".strip()
        parts = tuple(n for n in (first, last) if n and n != full)
        yield Record(id_, full, parts, (company,) if company else ())


def _people(model: Any, *where: Any) -> Loader:
    def load(session: Session, user_id: int) -> Iterable[Record]:
        for id_, name in session.execute(sa.select(model.id, model.name).where(*where)):
            parts = name.split()
            yield Record(id_, name, (parts[0], parts[-1]) if len(parts) > 1 else ())

    return load


def _titles(column: Any, *where: Any) -> Loader:
    def load(session: Session, user_id: int) -> Iterable[Record]:
        model = column.class_
        for id_, title in session.execute(sa.select(model.id, column).where(*where)):
            yield Record(id_, title)

    return load


def _reminders(session: Session, user_id: int) -> Iterable[Record]:
    rows = session.execute(
        sa.select(Reminder.id, Reminder.text).where(
            Reminder.user_id == user_id, Reminder.status != ReminderStatus.DONE
        )
    )
    return (Record(id_, text) for id_, text in rows)


@dataclass(frozen=True, slots=True)
class _Kind:
    model: Any
    by_name: bool
    """People and companies (whole-name matching) rather than titles (word matching)."""
    load: Loader
    names: Any
    """The name columns, whose total length joins the version (renames change it)."""


_KINDS: dict[str, _Kind] = {
    "client": _Kind(Client, True, _clients, (Client.first_name, Client.last_name)),
    "staff": _Kind(Staff, True, _people(Staff, Staff.active.is_(True)), (Staff.name,)),
    "payee": _Kind(Payee, True, _people(Payee, Payee.removed_at.is_(None)), (Payee.name,)),
    "service": _Kind(
        Service, False, _titles(Service.name, Service.active.is_(True)), (Service.name,)
    ),
    "resource": _Kind(
        Resource, False, _titles(Resource.name, Resource.active.is_(True)), (Resource.name,)
    ),
    "product": _Kind(
        Product, False, _titles(Product.name, Product.active.is_(True)), (Product.name,)
    ),
    "task": _Kind(Task, False, _titles(Task.title), (Task.title,)),
    "reminder": _Kind(Reminder, False, _reminders, (Reminder.text,)),
}
ENTITY_KINDS = frozenset(_KINDS)
LINE_KINDS = ("service", "product")
"""What a ``line`` slot (an invoice or quote line) may name, in the order they are tried."""


def _version_of(kind: _Kind) -> list[Any]:
    length = sum((sa.func.coalesce(sa.func.length(c), 0) for c in kind.names), sa.literal(0))
    figures = (
        sa.func.count(kind.model.id),
        sa.func.coalesce(sa.func.max(kind.model.id), 0),
        sa.func.coalesce(sa.func.sum(length), 0),
    )
    return [sa.select(figure).scalar_subquery() for figure in figures]


_VERSION = sa.select(*(column for kind in _KINDS.values() for column in _version_of(kind)))
"""Rows, highest id and total name length of every table the lists come from: it changes when
records come, go or are renamed (to another length; :meth:`EntityLists.invalidate` covers the
rest)."""
"""The entity slot types: wildcards matched against these workspace lists."""


class EntityLists:
    """The business's names by kind, loaded on first use and refreshed when they change."""

    def __init__(self, workspace: Workspace, business_id: int, user_id: int) -> None:
        self._workspace = workspace
        self._business_id = business_id
        self._user_id = user_id
        self._lock = threading.Lock()
        self._indexes: dict[str, NameIndex | TitleIndex] = {}
        self._version: tuple[int, ...] | None = None
        self._checked = float("-inf")
        self._cache: dict[tuple[str, str], EntityMatch] = {}
        self._prefixes: dict[str, str] = {}

    def invalidate(self) -> None:
        """Forget every list: the next match reloads them (call after a write)."""
        with self._lock:
            self._version = None

    def match(self, kind: str, phrase: str) -> EntityMatch:
        """How ``phrase`` matches the names of ``kind`` (one of :data:`ENTITY_KINDS`)."""
        self._ensure_current()
        key = (kind, phrase)
        found = self._cache.get(key)
        if found is None:
            found = self._indexes[kind].match(phrase)
            if len(self._cache) >= _CACHE_SIZE:
                self._cache.clear()
            self._cache[key] = found
        return found

    def prefixes(self) -> dict[str, str]:
        """The business's document prefixes by kind ({"invoice": "INV-", ...}; none when unset)."""
        self._ensure_current()
        return self._prefixes

    def size(self, kind: str) -> int:
        """How many records of ``kind`` the list holds."""
        self._ensure_current()
        return len(self._indexes[kind])

    def _ensure_current(self) -> None:
        with self._lock:
            now = time.monotonic()
            if self._version is not None and now - self._checked < CHECK_EVERY:
                return
            with self._workspace.transaction(self._business_id) as session:
                version = self._read_version(session)
                if version != self._version:
                    self._load(session)
                    self._version = version
            self._checked = now

    def _read_version(self, session: Session) -> tuple[int, ...]:
        return tuple(int(value) for value in session.execute(_VERSION).one())

    def _load(self, session: Session) -> None:
        indexes: dict[str, NameIndex | TitleIndex] = {}
        for name, kind in _KINDS.items():
            records = list(kind.load(session, self._user_id))
            indexes[name] = NameIndex(records) if kind.by_name else TitleIndex(records)
        self._indexes = indexes
        self._cache = {}
        tax = session.scalars(sa.select(TaxSettings)).first()
        self._prefixes = (
            {"invoice": tax.invoice_prefix, "quote": tax.quote_prefix, "order": tax.order_prefix}
            if tax is not None
            else {}
        )
