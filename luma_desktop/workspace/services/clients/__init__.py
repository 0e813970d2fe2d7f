"""Client management: search, profiles, timelines, engagement, and every change to clients.

Who may do what: owners, admins and managers everything; staff read their own clients
(assigned to them or booked with them), without balances, invoices or payments, and add
notes; client-portal users only :meth:`~ClientsService.get` and
:meth:`~ClientsService.update` themselves, changing only e-mail, phone and address.

Reversibility (for undo):

============================  =============================================================
write                         inverse
============================  =============================================================
``create``                    ``remove_created(id)``: erased if nothing refers to it yet,
                              otherwise soft-deleted
``update``                    ``update(id, result.previous)``
``add_note``                  ``delete_note(note.id)``
``tag``                       ``set_tags(result.previous)``
``delete`` (soft + export)    ``restore(id)``
``merge``                     not reversible (history is re-pointed); the duplicate keeps
                              ``merged_into_id``
``import_clients``            ``remove_created`` for each of ``report.created_ids``
``export_clients``            nothing to undo in the workspace (writes a file)
============================  =============================================================
"""

from __future__ import annotations

from ._bulk import ClientBulk, ExportFormat
from ._engagement import LEVEL_THRESHOLDS, WEIGHTS, EngagementStats, level_for, score_engagement
from ._import import ImportRejected
from ._reads import ClientReads, SortKey
from ._schemas import (
    AppointmentBrief,
    ClientNoteOut,
    ClientPage,
    ClientProfile,
    ClientSummary,
    ClientUpdate,
    DeletedClient,
    Engagement,
    EngagementFactor,
    EngagementLevel,
    ExportResult,
    HistoryEntry,
    HistoryKind,
    ImportDuplicate,
    ImportReport,
    ImportRowError,
    ImportRowPreview,
    MergeResult,
    RemovedClient,
    TagChange,
    TagResult,
)

__all__ = [
    "LEVEL_THRESHOLDS",
    "WEIGHTS",
    "AppointmentBrief",
    "ClientNoteOut",
    "ClientPage",
    "ClientProfile",
    "ClientSummary",
    "ClientUpdate",
    "ClientsService",
    "DeletedClient",
    "Engagement",
    "EngagementFactor",
    "EngagementLevel",
    "EngagementStats",
    "ExportFormat",
    "ExportResult",
    "HistoryEntry",
    "HistoryKind",
    "ImportDuplicate",
    "ImportRejected",
    "ImportReport",
    "ImportRowError",
    "ImportRowPreview",
    "MergeResult",
    "RemovedClient",
    "SortKey",
    "TagChange",
    "TagResult",
    "level_for",
    "score_engagement",
]


class ClientsService(ClientBulk, ClientReads):
    """Every client operation of the catalog (section 2); each public method is one
    transaction. ``export_dir`` is where :meth:`delete` writes record exports."""

    list = ClientReads.list_clients
    """Alias of :meth:`list_clients` (the catalog's ``clients_list``)."""
