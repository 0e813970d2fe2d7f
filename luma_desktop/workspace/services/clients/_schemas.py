"""Typed, frozen results of the clients service (never ORM rows)."""

from __future__ import annotations

import enum
from datetime import date, datetime
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from ...models import AppointmentStatus, LeadStatus, NoteKind

__all__ = [
    "AppointmentBrief",
    "ClientNoteOut",
    "ClientPage",
    "ClientProfile",
    "ClientSummary",
    "ClientUpdate",
    "DeletedClient",
    "Engagement",
    "EngagementFactor",
    "EngagementLevel",
    "ExportResult",
    "HistoryEntry",
    "HistoryKind",
    "ImportDuplicate",
    "ImportReport",
    "ImportRowError",
    "ImportRowPreview",
    "MergeResult",
    "RemovedClient",
    "TagChange",
    "TagResult",
]

_FROZEN = ConfigDict(frozen=True, from_attributes=True)

HistoryKind = Literal["appointment", "invoice", "payment", "message", "note"]


class EngagementLevel(enum.StrEnum):
    """How engaged a client is, from the 0-100 engagement score."""

    COLD = "cold"
    WARM = "warm"
    HOT = "hot"
    VIP = "vip"


class ClientSummary(BaseModel):
    """One client in a search result or list."""

    model_config = _FROZEN

    id: int
    name: str
    first_name: str
    last_name: str
    email: str | None
    phone: str | None
    company: str | None
    lead_status: LeadStatus
    tags: tuple[str, ...]
    created_at: datetime
    last_visit: datetime | None
    score: float | None = None
    """How well it matched the search query (0-100), when searched."""
    engagement: EngagementLevel | None = None
    """Filled when the search filtered on engagement."""
    deleted: bool = False


class ClientPage(BaseModel):
    """A page of clients and how many matched in total."""

    model_config = _FROZEN

    items: tuple[ClientSummary, ...]
    total: int


class AppointmentBrief(BaseModel):
    """An appointment as shown on a client profile."""

    model_config = _FROZEN

    id: int
    starts_at: datetime
    service: str
    staff: str | None
    status: AppointmentStatus
    confirmation_code: str


class ClientProfile(BaseModel):
    """A client's profile: contact data, tags, last/next appointment, balance, notes count."""

    model_config = _FROZEN

    id: int
    name: str
    first_name: str
    last_name: str
    company: str | None
    email: str | None
    phone: str | None
    address: str | None
    birthday: date | None
    lead_status: LeadStatus
    source: str | None
    owner_staff_id: int | None
    owner_staff: str | None
    created_at: datetime
    tags: tuple[str, ...]
    last_appointment: AppointmentBrief | None
    next_appointment: AppointmentBrief | None
    balance_minor: int | None
    """Still owed on sent and partly paid invoices (``None`` when the role sees no money)."""
    currency: str
    balance: str | None
    """The balance formatted for people ("£45.00")."""
    notes_count: int
    deleted_at: datetime | None
    merged_into_id: int | None


class HistoryEntry(BaseModel):
    """One event of a client's timeline."""

    model_config = _FROZEN

    kind: HistoryKind
    id: int
    at: datetime
    title: str
    detail: str = ""
    status: str | None = None
    amount_minor: int | None = None
    currency: str | None = None


class EngagementFactor(BaseModel):
    """One of the six factors of the engagement score."""

    model_config = _FROZEN

    name: str
    weight: int
    """Points this factor is worth at most."""
    value: float
    """How well the client does on it, 0-1."""
    points: float
    """``weight * value``, rounded to one decimal."""
    detail: str


class Engagement(BaseModel):
    """A client's engagement score (0-100), level and the factors behind it."""

    model_config = _FROZEN

    client_id: int
    name: str
    score: int
    level: EngagementLevel
    factors: tuple[EngagementFactor, ...]


class ClientUpdate(BaseModel):
    """The updated client and the values it had before (feed them back to undo)."""

    model_config = _FROZEN

    client: ClientProfile
    changed: tuple[str, ...]
    previous: dict[str, Any]


class ClientNoteOut(BaseModel):
    """A typed note about a client."""

    model_config = _FROZEN

    id: int
    client_id: int
    kind: NoteKind
    body: str
    created_at: datetime
    author_user_id: int | None


class TagChange(BaseModel):
    """A client's tags before and after a tagging."""

    model_config = _FROZEN

    client_id: int
    name: str
    before: tuple[str, ...]
    after: tuple[str, ...]


class TagResult(BaseModel):
    """What tagging changed; ``previous`` feeds :meth:`ClientsService.set_tags` to undo."""

    model_config = _FROZEN

    changes: tuple[TagChange, ...]

    @property
    def previous(self) -> dict[int, list[str]]:
        return {change.client_id: list(change.before) for change in self.changes}


class DeletedClient(BaseModel):
    """A soft-deleted client and where the export of its record was written."""

    model_config = _FROZEN

    client_id: int
    name: str
    export_path: Path
    deleted_at: datetime


class RemovedClient(BaseModel):
    """The result of undoing a create: erased when it had no history, else soft-deleted."""

    model_config = _FROZEN

    client_id: int
    name: str
    hard_deleted: bool


class MergeResult(BaseModel):
    """The kept client after a merge, what moved over and which empty fields were filled."""

    model_config = _FROZEN

    kept: ClientProfile
    merged_id: int
    merged_name: str
    moved: dict[str, int]
    filled: tuple[str, ...]


class ImportRowError(BaseModel):
    """A problem with one field of one imported row."""

    model_config = _FROZEN

    row: int
    field: str
    message: str


class ImportDuplicate(BaseModel):
    """An imported row that looks like an existing client or an earlier row of the file."""

    model_config = _FROZEN

    row: int
    field: str
    """What matched: email, phone or name."""
    existing_id: int | None
    """The existing client it matches, or ``None`` when it repeats an earlier row."""
    other_row: int | None
    label: str
    message: str


class ImportRowPreview(BaseModel):
    """One row as it would be imported."""

    model_config = _FROZEN

    row: int
    first_name: str
    last_name: str
    email: str | None
    phone: str | None
    company: str | None
    tags: tuple[str, ...]
    ok: bool


class ImportReport(BaseModel):
    """The preview or outcome of an import."""

    model_config = _FROZEN

    format: Literal["csv", "json"]
    dry_run: bool
    total_rows: int
    valid_rows: int
    created_count: int
    created_ids: tuple[int, ...]
    skipped_rows: tuple[int, ...]
    errors: tuple[ImportRowError, ...]
    duplicates: tuple[ImportDuplicate, ...]
    preview: tuple[ImportRowPreview, ...]
    ignored_columns: tuple[str, ...]


class ExportResult(BaseModel):
    """A written export file."""

    model_config = _FROZEN

    path: Path
    count: int
    format: Literal["csv", "json"]
