"""Whole-record and many-client work: delete/restore, merge, import and export."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any, Literal

import sqlalchemy as sa

from ....errors import Conflict, Invalid
from ....paths import resolve_paths
from ...models import Appointment, AppointmentStatus, Client, ClientNote, ClientTag, LeadStatus
from .._references import Ref
from ._access import ListFilters
from ._fields import DuplicateIndex
from ._import import ImportRejected, check_rows, parse_rows
from ._queries import tags_by_client
from ._records import atomic_write, client_record, dump_json, jsonable, move_history, slug
from ._schemas import ClientProfile, DeletedClient, ExportResult, ImportReport, MergeResult
from ._writes import ClientWrites

__all__ = ["ClientBulk", "ExportFormat"]

ExportFormat = Literal["csv", "json"]
_FILLABLE = (
    "last_name",
    "company",
    "email",
    "phone",
    "address",
    "birthday",
    "source",
    "owner_staff_id",
)
_EXPORT_COLUMNS = (
    "id",
    "first_name",
    "last_name",
    "email",
    "phone",
    "company",
    "address",
    "birthday",
    "lead_status",
    "source",
    "tags",
    "created_at",
    "last_visit",
)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _format(value: str | None, field: str) -> ExportFormat:
    if value == "csv":
        return "csv"
    if value == "json":
        return "json"
    raise Invalid(f"“{value}” is not a format I can use; choose csv or json.", field=field)


def _csv_safe(key: str, value: Any) -> Any:
    """Neutralise spreadsheet formulas in text cells (phone numbers keep their +)."""
    if isinstance(value, str) and key != "phone" and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _export_record(client: Client, last_visit: Any, tags: list[str]) -> dict[str, Any]:
    extra = {"tags": tags, "last_visit": jsonable(last_visit)}
    return {
        col: extra[col] if col in extra else jsonable(getattr(client, col))
        for col in _EXPORT_COLUMNS
    }


class ClientBulk(ClientWrites):
    """Record-level and bulk operations of :class:`ClientsService`."""

    def delete(self, ref: Ref, *, export_dir: Path | None = None) -> DeletedClient:
        """Soft-delete a client after writing the full record as JSON into ``export_dir``
        (or the service's, or ``<data dir>/exports``); :meth:`restore` undoes it."""
        self._require_manager("delete clients")
        folder = export_dir or self.export_dir or resolve_paths().data / "exports"
        with self._unit() as session:
            client = self._resolve(session, ref)
            now = self.context.now()
            upcoming = session.scalars(
                sa.select(Appointment.starts_at)
                .where(
                    Appointment.client_id == client.id,
                    Appointment.starts_at >= now,
                    Appointment.status.in_(
                        (AppointmentStatus.REQUESTED, AppointmentStatus.CONFIRMED)
                    ),
                )
                .order_by(Appointment.starts_at)
            ).all()
            if upcoming:
                first = upcoming[0].astimezone(self.context.tz)
                raise Conflict(
                    f"{client.full_name} still has {len(upcoming)} upcoming "
                    f"appointment{'s' if len(upcoming) > 1 else ''}, the next on "
                    f"{first:%a %-d %b at %H:%M}. Cancel or move "
                    f"{'them' if len(upcoming) > 1 else 'it'} first."
                )
            record = {"exported_at": now.isoformat(), **client_record(session, client)}
            path = (
                Path(folder) / f"client-{client.id}-{slug(client.full_name)}-"
                f"{now:%Y%m%d-%H%M%S}.json"
            )
            atomic_write(path, dump_json(record))
            client.deleted_at = now
            session.flush()
            return DeletedClient(
                client_id=client.id, name=client.full_name, export_path=path, deleted_at=now
            )

    def restore(self, ref: Ref) -> ClientProfile:
        """Bring back a soft-deleted client (the undo of :meth:`delete`)."""
        self._require_manager("restore clients")
        with self._unit() as session:
            client = self._resolve(session, ref, include_deleted=True)
            if client.deleted_at is None:
                raise Invalid(f"{client.full_name} is not deleted.", field="client")
            if client.merged_into_id is not None:
                kept = self._get(session, Client, client.merged_into_id, "client")
                raise Conflict(
                    f"{client.full_name} was merged into {kept.full_name} "
                    f"(#{kept.id}), whose record now holds the history; it cannot "
                    "be restored."
                )
            client.deleted_at = None
            session.flush()
            return self._profile(session, client)

    def merge(self, keep: Ref, duplicate: Ref) -> MergeResult:
        """Merge ``duplicate`` into ``keep`` in one transaction (not undoable).

        Appointments, invoices (payments stay with them), quotes, messages, client notes,
        tags, documents, waitlist entries, orders, linked tasks and notes, portal users and a
        KYC verification move over; empty fields of the kept client are filled from the
        duplicate (and the earlier "client since" date kept); the duplicate is marked
        ``merged_into_id`` and deleted.
        """
        self._require_manager("merge clients")
        with self._unit() as session:
            kept = self._resolve(session, keep)
            dup = self._resolve(session, duplicate)
            if kept.id == dup.id:
                raise Invalid(
                    f"Both references are {kept.full_name}; name two different clients to merge.",
                    field="duplicate",
                )
            filled = [
                f
                for f in _FILLABLE
                if getattr(kept, f) in (None, "") and getattr(dup, f) not in (None, "")
            ]
            for name in filled:
                setattr(kept, name, getattr(dup, name))
            if dup.lead_status is LeadStatus.CUSTOMER and kept.lead_status is not dup.lead_status:
                kept.lead_status = LeadStatus.CUSTOMER
                filled.append("lead_status")
            if dup.created_at < kept.created_at:
                kept.created_at = dup.created_at
                filled.append("created_at")
            moved = move_history(session, kept.id, dup.id)
            dup.merged_into_id = kept.id
            dup.deleted_at = self.context.now()
            session.flush()
            return MergeResult(
                kept=self._profile(session, kept),
                merged_id=dup.id,
                merged_name=dup.full_name,
                moved=moved,
                filled=tuple(filled),
            )

    def import_clients(
        self,
        data: str | bytes,
        format: ExportFormat = "csv",
        *,
        dry_run: bool = True,
        skip_invalid: bool = False,
        allow_duplicates: bool = False,
    ) -> ImportReport:
        """Import clients from CSV or JSON; by default only a preview (``dry_run``).

        Headers may use common names ("First Name", "firstname", "Surname", "Mobile"...).
        Every row is checked first; rows with errors or duplicates (of existing clients or of
        earlier rows) block the whole import (:class:`ImportRejected`, an ``Invalid`` carrying
        the report) unless ``skip_invalid`` leaves them out or ``allow_duplicates`` imports
        the duplicates anyway. Nothing is ever half-imported.
        """
        self._require_manager("import clients")
        fmt = _format(format, "format")
        rows, ignored = parse_rows(data, fmt)
        if not rows:
            raise Invalid("The file has no clients in it.", field="data")
        with self._unit() as session:
            checked = check_rows(
                rows,
                DuplicateIndex.load(session),
                country=self.context.country,
                today=self.context.today(),
            )
            good = [
                r for r in checked if not r.errors and (r.duplicate is None or allow_duplicates)
            ]
            bad = [r.number for r in checked if r not in good]
            created: list[int] = []
            if not dry_run and (skip_invalid or not bad):
                clients = [Client(**r.fields, created_at=self.context.now()) for r in good]
                session.add_all(clients)
                session.flush()
                for row, client in zip(good, clients, strict=True):
                    session.add_all(ClientTag(client_id=client.id, tag=t) for t in row.tags)
                    if row.note:
                        session.add(
                            ClientNote(
                                client_id=client.id,
                                body=row.note,
                                author_user_id=self.context.user_id,
                            )
                        )
                session.flush()
                created = [c.id for c in clients]
            report = ImportReport(
                format=fmt,
                dry_run=dry_run,
                total_rows=len(checked),
                valid_rows=len(good),
                created_count=len(created),
                created_ids=tuple(created),
                skipped_rows=tuple(bad),
                errors=tuple(e for r in checked for e in r.errors),
                duplicates=tuple(r.duplicate for r in checked if r.duplicate),
                preview=tuple(r.preview() for r in checked),
                ignored_columns=tuple(ignored),
            )
            if not dry_run and bad and not skip_invalid:
                raise ImportRejected(report)
            return report

    def export_clients(
        self,
        path: Path | str,
        format: ExportFormat | None = None,
        *,
        tag: str | None = None,
        lead_status: str | None = None,
        owner_staff: Ref | None = None,
        not_visited_days: int | None = None,
        include_deleted: bool = False,
    ) -> ExportResult:
        """Write the matching clients to a CSV or JSON file (atomically); a folder gets a
        dated file name. The format comes from ``format`` or the file's extension."""
        self._require_manager("export clients")
        target = Path(path).expanduser()
        suffix = target.suffix.lower().lstrip(".")
        fmt = _format(format or (suffix if suffix in ("csv", "json") else "csv"), "format")
        filters = ListFilters(
            tag=tag,
            lead_status=lead_status,
            owner_staff=owner_staff,
            not_visited_days=not_visited_days,
            include_deleted=include_deleted,
        )
        with self._unit() as session:
            if target.is_dir() or not suffix:
                target = target / f"clients-{self.context.now():%Y%m%d-%H%M%S}.{fmt}"
            query, _ = self._filtered(session, filters)
            rows = session.execute(
                query.order_by(
                    sa.func.lower(Client.last_name), sa.func.lower(Client.first_name), Client.id
                )
            ).all()
            tags = tags_by_client(session, [c.id for c, _ in rows])
            records = [_export_record(c, last, tags.get(c.id, [])) for c, last in rows]
        if fmt == "json":
            text = dump_json(records)
        else:
            buffer = io.StringIO()
            writer = csv.DictWriter(buffer, fieldnames=_EXPORT_COLUMNS, lineterminator="\r\n")
            writer.writeheader()
            for record in records:
                writer.writerow(
                    {k: _csv_safe(k, ";".join(v) if k == "tags" else v) for k, v in record.items()}
                )
            text = buffer.getvalue()
        atomic_write(target, text)
        return ExportResult(path=target, count=len(records), format=fmt)
