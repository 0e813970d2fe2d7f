"""The working context: what "her", "that invoice" and "move it" refer to.

After each successful tool call the records the result is about — a client, an invoice, an
appointment, a task, a payee... — become the current one of their kind, and the tool's domain
becomes the topic. A result names a record of a kind only when everything in it agrees on
which one: a one-item list names its item; three invoices of one client name that client but
no invoice; two clients name no client. Everything decays after ten minutes of
disuse; :meth:`WorkingContext.current` counts as use, :meth:`WorkingContext.describe` does not.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any, TypeGuard

from pydantic import BaseModel

from ..clock import Clock
from ..workspace.services.banking import (
    AccountBalance,
    CardInfo,
    CategoryChange,
    PayeeInfo,
    TransactionInfo,
)
from ..workspace.services.clients import (
    ClientNoteOut,
    ClientProfile,
    ClientSummary,
    DeletedClient,
    Engagement,
    HistoryEntry,
    RemovedClient,
    TagChange,
)
from ..workspace.services.invoicing import InvoiceSummary, QuoteSummary, SentDocument, StatusChange
from ..workspace.services.scheduling import AppointmentInfo, ResourceInfo, StaffInfo
from ..workspace.services.search import ReferenceMatch, SearchHit
from ..workspace.services.tasks import NoteOut, ReminderOut, TaskOut
from .catalog import Tool, ToolResult

__all__ = ["KINDS", "Referent", "WorkingContext"]

log = logging.getLogger(__name__)

KINDS = frozenset(
    {
        "account",
        "appointment",
        "card",
        "client",
        "document",
        "invoice",
        "note",
        "payee",
        "product",
        "quote",
        "reminder",
        "resource",
        "service",
        "staff",
        "task",
        "transaction",
    }
)
"""The kinds of record the working context remembers."""

_INTRO = "Working context (for 'her', 'that invoice', 'it'): "
_LABEL_LIMIT = 120
_MAX_DEPTH = 5
_SKIPPED_FIELDS = frozenset({"previous", "undo", "skipped", "message", "oldest", "slots", "gaps"})
"""Fields naming records the call did not act on: old state, skipped items, the oldest of
many, free slots and gaps (options, not choices)."""
_ONLY_IF_SINGLE = frozenset({"hits"})
"""Fields of loose matches (global search): they name a record only when there is one."""
_LABEL_FIELDS = ("label", "name", "number", "title", "text", "summary")


@dataclass(frozen=True, slots=True)
class Referent:
    """One record the conversation is about."""

    kind: str
    """``client``, ``invoice``, ``appointment``, ``quote``, ``task``, ``payee``, ``staff``..."""
    id: int
    label: str
    """How people call it ("Sarah Miller", "INV-0042")."""
    last_used: datetime


# -- finding records in tool results ---------------------------------------------------------

_Ref = tuple[int, "str | None"]
_Found = dict[str, "_Ref | None"]
"""Records by kind; ``None`` when the value names several different records of that kind."""
_Primary = tuple[str, int, "str | None"]

_PRIMARIES: tuple[tuple[type[BaseModel], Callable[[Any, str | None], _Primary | None]], ...] = (
    (ClientSummary, lambda m, _: ("client", m.id, m.name)),
    (ClientProfile, lambda m, _: ("client", m.id, m.name)),
    (Engagement, lambda m, _: ("client", m.client_id, m.name)),
    (TagChange, lambda m, _: ("client", m.client_id, m.name)),
    (DeletedClient, lambda m, _: ("client", m.client_id, m.name)),
    (RemovedClient, lambda m, _: ("client", m.client_id, m.name)),
    (ClientNoteOut, lambda m, _: ("client", m.client_id, None)),
    (AppointmentInfo, lambda m, _: ("appointment", m.id, m.summary)),
    (StaffInfo, lambda m, _: ("staff", m.id, m.name)),
    (ResourceInfo, lambda m, _: ("resource", m.id, m.name)),
    (InvoiceSummary, lambda m, _: ("invoice", m.id, m.number)),
    (QuoteSummary, lambda m, _: ("quote", m.id, m.number)),
    (SentDocument, lambda m, _: (m.kind, m.id, m.number)),
    (StatusChange, lambda m, noun: (noun, m.id, m.number) if noun else None),
    (TaskOut, lambda m, _: ("task", m.id, m.title)),
    (NoteOut, lambda m, _: ("note", m.id, m.title or m.body)),
    (ReminderOut, lambda m, _: ("reminder", m.id, m.text)),
    (PayeeInfo, lambda m, _: ("payee", m.id, m.name)),
    (AccountBalance, lambda m, _: ("account", m.account_id, m.name)),
    (CardInfo, lambda m, _: ("card", m.id, f"card ending {m.last4}")),
    (TransactionInfo, lambda m, _: ("transaction", m.id, m.counterparty or m.description)),
    (CategoryChange, lambda m, _: ("transaction", m.transaction_id, None)),
    (SearchHit, lambda m, _: (m.kind, m.id, m.label)),
    (ReferenceMatch, lambda m, _: (m.kind, m.id, m.label)),
    (HistoryEntry, lambda m, _: (m.kind, m.id, m.title)),
)


def _is_id(value: object) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def _merge(into: _Found, more: _Found) -> None:
    for kind, ref in more.items():
        old = into.get(kind, ref)
        if old is None or ref is None or old[0] != ref[0]:
            into[kind] = None
        else:
            into[kind] = old if old[1] else ref


def _fields(value: object) -> dict[str, Any] | None:
    if isinstance(value, BaseModel):
        return {name: getattr(value, name) for name in type(value).model_fields}
    if isinstance(value, Mapping):
        return {str(key): item for key, item in value.items()}
    return None


def _primary(value: object, fields: Mapping[str, Any], noun: str | None) -> _Primary | None:
    if isinstance(value, BaseModel):
        for model, read in _PRIMARIES:
            if isinstance(value, model):
                return read(value, noun)
        return None
    kind = fields.get("kind", noun)
    record_id = fields.get("id")
    if not isinstance(kind, str) or not _is_id(record_id):
        return None
    labels = (fields.get(name) for name in _LABEL_FIELDS)
    return kind, record_id, next((label for label in labels if isinstance(label, str)), None)


def _pairs(fields: Mapping[str, Any]) -> _Found:
    """Records named by ``<kind>_id`` beside ``<kind>_name`` (or number, label, title)."""
    found: _Found = {}
    for name, value in fields.items():
        kind = name.removesuffix("_id")
        if kind == name or kind not in KINDS or not _is_id(value):
            continue
        labels = (fields.get(f"{kind}_{suffix}") for suffix in ("name", "number", "label", "title"))
        label = next((item for item in labels if isinstance(item, str) and item), None)
        if label:
            _merge(found, {kind: (value, label)})
    linked, linked_id = fields.get("linked_type"), fields.get("linked_id")
    if isinstance(linked, str) and linked in KINDS and _is_id(linked_id):
        label = fields.get("linked_label")
        _merge(found, {linked: (linked_id, label if isinstance(label, str) and label else None)})
    return found


def _found_in(value: object, noun: str | None, depth: int = 0) -> _Found:
    if depth > _MAX_DEPTH:
        return {}
    found: _Found = {}
    if isinstance(value, list | tuple):
        for item in value:
            _merge(found, _found_in(item, noun, depth + 1))
        return found
    fields = _fields(value)
    if fields is None:
        return {}
    primary = _primary(value, fields, noun)
    if primary is not None and primary[0] in KINDS:
        found[primary[0]] = (primary[1], primary[2])
    _merge(found, _pairs(fields))
    for name, item in fields.items():
        if name in _SKIPPED_FIELDS or not isinstance(item, BaseModel | Mapping | list | tuple):
            continue
        if name in _ONLY_IF_SINGLE and isinstance(item, list | tuple) and len(item) != 1:
            continue
        _merge(found, _found_in(item, _noun_of_field(name), depth + 1))
    return found


def _singular(word: str) -> str:
    return word[:-1] if word.endswith("s") and word[:-1] in KINDS else word


def _noun_of_field(name: str) -> str | None:
    """The kind a field holds, for plain dicts: ``appointments`` → ``appointment``."""
    word = _singular(name)
    return word if word in KINDS else None


def _noun(tool: Tool[Any]) -> str | None:
    """The kind a tool is about, from its card or name: ``invoices_void`` → ``invoice``."""
    parts = tool.name.split("_")
    for word in (tool.card.value, parts[0], parts[-1]):
        if _singular(word) in KINDS:
            return _singular(word)
    return None


def _deleted(tool_name: str) -> str | None:
    """The kind a deleting tool removes: ``clients_delete`` → ``client``."""
    parts = tool_name.split("_")
    for index, part in enumerate(parts):
        if part in ("delete", "remove"):
            word = _singular(parts[index + 1] if index + 1 < len(parts) else parts[0])
            return word if word in KINDS else None
    return None


def _clean_label(label: str, kind: str) -> str:
    """One short line ("Invoice INV-0042" → "INV-0042"): labels come from business data and
    end up in a prompt."""
    flat = " ".join("".join(ch if ch.isprintable() else " " for ch in label).split())
    if flat.lower().startswith(kind + " ") and len(flat) > len(kind) + 1:
        flat = flat[len(kind) + 1 :]
    return flat if len(flat) <= _LABEL_LIMIT else flat[: _LABEL_LIMIT - 1].rstrip() + "…"


# -- the working context ---------------------------------------------------------------------


class WorkingContext:
    """The records and topic of the last few minutes of one conversation."""

    def __init__(self, clock: Clock, ttl: timedelta = timedelta(minutes=10)) -> None:
        if ttl <= timedelta(0):
            raise ValueError("the working context needs a positive time to live")
        self._clock = clock
        self._ttl = ttl
        self._referents: dict[str, Referent] = {}
        self._topic: tuple[str, datetime] | None = None

    @property
    def ttl(self) -> timedelta:
        return self._ttl

    def note(self, tool: Tool[Any], arguments: Mapping[str, Any], result: ToolResult) -> None:
        """Learn from a successful call: the records its result is about, and the topic."""
        now = self._clock.now()
        deleted = _deleted(tool.name)
        for kind, ref in _found_in(result.data, _noun(tool)).items():
            if ref is None:
                continue
            record_id, label = ref
            current = self._referents.get(kind)
            if kind == deleted:
                if current is not None and current.id == record_id:
                    del self._referents[kind]
                continue
            if not label:
                named = arguments.get(kind)
                same = current.label if current is not None and current.id == record_id else None
                label = same or (named if isinstance(named, str) and named else f"#{record_id}")
            self._referents[kind] = Referent(kind, record_id, _clean_label(label, kind), now)
        self._topic = (tool.domain, now)

    def _alive(self, used: datetime) -> bool:
        return self._clock.now() - used < self._ttl

    def current(self, kind: str) -> Referent | None:
        """The current record of ``kind``, or ``None``; asking counts as using it."""
        referent = self._referents.get(kind)
        if referent is None:
            return None
        if not self._alive(referent.last_used):
            del self._referents[kind]
            return None
        refreshed = replace(referent, last_used=self._clock.now())
        self._referents[kind] = refreshed
        return refreshed

    @property
    def topic(self) -> str | None:
        """The domain of the last tool used (``invoicing``...), until it decays."""
        if self._topic is None or not self._alive(self._topic[1]):
            self._topic = None
            return None
        return self._topic[0]

    @property
    def referents(self) -> tuple[Referent, ...]:
        """Every live record, most recently used first (reading them is not using them)."""
        live = [r for r in self._referents.values() if self._alive(r.last_used)]
        return tuple(sorted(live, key=lambda r: (-r.last_used.timestamp(), r.kind)))

    def describe(self) -> str:
        """A compact line for the system prompt, or "" when nothing is current."""
        parts = [f"{r.kind} {r.label} (id {r.id})" for r in self.referents]
        if self.topic:
            parts.append(f"topic: {self.topic}")
        return _INTRO + "; ".join(parts) + "." if parts else ""

    def forget(self, kind: str | None = None) -> None:
        """Forget one kind of record, or everything (and the topic) when ``kind`` is None."""
        if kind is not None:
            self._referents.pop(kind, None)
            return
        self._referents.clear()
        self._topic = None

    # -- persistence ---------------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """A JSON-safe snapshot (kept in the conversation to survive a restart)."""
        topic = self._topic
        return {
            "ttl_seconds": self._ttl.total_seconds(),
            "topic": {"name": topic[0], "last_used": topic[1].isoformat()} if topic else None,
            "referents": [
                {"kind": r.kind, "id": r.id, "label": r.label, "last_used": r.last_used.isoformat()}
                for r in self._referents.values()
            ],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], clock: Clock) -> WorkingContext:
        """The context :meth:`to_dict` saved; entries that cannot be read are skipped."""
        ttl = data.get("ttl_seconds") if isinstance(data, Mapping) else None
        if not isinstance(ttl, int | float) or isinstance(ttl, bool) or not 0 < ttl <= 366 * 86_400:
            ttl = 600
        context = cls(clock, timedelta(seconds=ttl))
        context.load(data)
        return context

    def load(self, data: Mapping[str, Any]) -> None:
        """Replace the entries with those :meth:`to_dict` saved (in place, so everyone holding
        this context sees them); entries that cannot be read are skipped."""
        self.forget()
        if not isinstance(data, Mapping):
            log.warning("ignored a working context that is not an object")
            return
        items = data.get("referents")
        for item in items if isinstance(items, list | tuple) else ():
            referent = _read_referent(item)
            if referent is None:
                log.warning("ignored an unreadable working-context entry: %r", item)
            else:
                self._referents[referent.kind] = referent
        topic = data.get("topic")
        if isinstance(topic, Mapping) and isinstance(topic.get("name"), str):
            used = _read_time(topic.get("last_used"))
            self._topic = (topic["name"], used) if used else None


def _read_time(value: object) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None


def _read_referent(item: object) -> Referent | None:
    if not isinstance(item, Mapping):
        return None
    kind, record_id, label = item.get("kind"), item.get("id"), item.get("label")
    used = _read_time(item.get("last_used"))
    if not isinstance(kind, str) or kind not in KINDS or not _is_id(record_id):
        return None
    if not isinstance(label, str) or not label.strip() or used is None:
        return None
    return Referent(kind, record_id, _clean_label(label, kind), used)
