"""Clients in bulk: import from CSV or JSON (previewed first) and export to a file."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from pydantic import Field, model_validator

from ...assistant.catalog import Card, DataScope, Operation, Risk, Tool, ToolResult
from ...assistant.context import ExecutionContext
from ...errors import Invalid
from ...workspace.models import LeadStatus
from ...workspace.services import Services
from ...workspace.services.clients import ImportReport
from .._common import ToolInput
from ._shared import DOMAIN, StaffRef, TagName, counted

__all__ = ["MAX_IMPORT_CHARS", "MAX_IMPORT_FILE_BYTES", "TOOLS"]

MAX_IMPORT_CHARS = 1_000_000
"""Largest inline import (characters); bigger lists go through a file ``path``."""
MAX_IMPORT_FILE_BYTES = 5_000_000
"""Largest import file read from disk."""

ExportFormat = Literal["csv", "json"]


# -- clients_import --------------------------------------------------------------------------


class ImportClients(ToolInput):
    content: str | None = Field(
        default=None,
        max_length=MAX_IMPORT_CHARS,
        description="The CSV or JSON text itself (up to about 1 MB). Give this or path.",
    )
    path: str | None = Field(
        default=None,
        min_length=1,
        max_length=1000,
        description="A CSV or JSON file on this computer to read. Give this or content.",
    )
    format: ExportFormat | None = Field(
        default=None,
        description="csv or json (default: from the file's extension, or from the content).",
    )
    dry_run: bool = Field(
        default=True,
        description="true (default): only preview what would be imported. false: import, "
        "after the user has seen the preview.",
    )
    skip_invalid: bool = Field(
        default=False,
        description="Import the good rows and leave out rows with errors or duplicates.",
    )
    allow_duplicates: bool = Field(
        default=False,
        description="Import rows that look like existing clients anyway.",
    )

    @model_validator(mode="after")
    def _one_source(self) -> ImportClients:
        if (self.content is None) == (self.path is None):
            raise ValueError("give the list either as content or as a path (exactly one)")
        return self


def _read_import_file(text: str) -> bytes:
    path = Path(text).expanduser()
    if not path.is_file():
        raise Invalid(f"There is no file at {path}; check the path.", field="path")
    size = path.stat().st_size
    if size > MAX_IMPORT_FILE_BYTES:
        raise Invalid(
            f"{path.name} is {size / 1_000_000:.1f} MB; import at most "
            f"{MAX_IMPORT_FILE_BYTES // 1_000_000} MB at a time.",
            field="path",
        )
    try:
        return path.read_bytes()
    except OSError as error:
        raise Invalid(f"I can't read {path}: {error.strerror}.", field="path") from None


def _import_format(args: ImportClients) -> ExportFormat:
    if args.format is not None:
        return args.format
    if args.path is not None:
        return "json" if Path(args.path).suffix.lower() == ".json" else "csv"
    return "json" if (args.content or "").lstrip()[:1] in ("[", "{") else "csv"


def _import_summary(report: ImportReport) -> str:
    problems = [
        f"row {e.row} {e.field.replace('_', ' ')}: {e.message.rstrip('.')}" for e in report.errors
    ]
    problems += [f"row {d.row}: {d.message.rstrip('.')}" for d in report.duplicates]
    more = f" and {len(problems) - 3} more" if len(problems) > 3 else ""
    issues = f" Problems: {'; '.join(problems[:3])}{more}." if problems else ""
    if report.dry_run:
        return (
            f"Preview of {counted(report.total_rows, 'row')}: {report.valid_rows} can be imported, "
            f"{counted(len(report.errors), 'error')}, "
            f"{counted(len(report.duplicates), 'duplicate')}. Nothing imported yet.{issues}"
        )
    skipped = f", skipped {counted(len(report.skipped_rows), 'row')}" if report.skipped_rows else ""
    return f"Imported {counted(report.created_count, 'client')}{skipped}.{issues}"


def import_clients(
    services: Services, args: ImportClients, context: ExecutionContext
) -> ToolResult:
    data: str | bytes = args.content if args.content is not None else b""
    if args.path is not None:
        data = _read_import_file(args.path)
    report = services.clients.import_clients(
        data,
        _import_format(args),
        dry_run=args.dry_run,
        skip_invalid=args.skip_invalid,
        allow_duplicates=args.allow_duplicates,
    )
    return ToolResult(_import_summary(report), report, Card.TABLE)


# -- clients_export --------------------------------------------------------------------------


class ExportClients(ToolInput):
    format: ExportFormat | None = Field(
        default=None, description="csv or json (default: from file_name, else csv)."
    )
    file_name: str | None = Field(
        default=None,
        max_length=80,
        pattern=r"^[A-Za-z0-9][A-Za-z0-9 _-]*(\.(csv|json))?$",
        description="A name for the file, e.g. 'vip-clients' (default: clients-<date-time>). "
        "It is saved in Luma's exports folder.",
    )
    tag: TagName | None = Field(default=None, description="Only clients with this tag.")
    lead_status: LeadStatus | None = Field(
        default=None, description="Only clients with this lead status."
    )
    owner_staff: StaffRef | None = Field(
        default=None, description="Only clients this staff member looks after."
    )
    not_visited_days: int | None = Field(
        default=None,
        ge=1,
        le=3650,
        description="Only clients not seen for more than this many days.",
    )
    include_deleted: bool = Field(default=False, description="Include deleted clients too.")


def export_clients(
    services: Services, args: ExportClients, context: ExecutionContext
) -> ToolResult:
    folder = services.folder("exports")
    target: Path = folder
    fmt = args.format
    if args.file_name:
        name = Path(args.file_name)
        suffix = name.suffix.lstrip(".")
        if suffix and fmt and suffix != fmt:
            raise Invalid(
                f"The file name ends in .{suffix} but the format is {fmt}; choose one.",
                field="file_name",
            )
        fmt = fmt or ("json" if suffix == "json" else "csv")
        target = folder / (args.file_name if suffix else f"{args.file_name}.{fmt}")
    result = services.clients.export_clients(
        target,
        fmt,
        tag=args.tag,
        lead_status=args.lead_status,
        owner_staff=args.owner_staff,
        not_visited_days=args.not_visited_days,
        include_deleted=args.include_deleted,
    )
    return ToolResult(
        f"Exported {counted(result.count, 'client')} to {result.path.name} "
        f"({result.format.upper()}) in the exports folder.",
        result,
        Card.TEXT,
    )


# -- the tools -------------------------------------------------------------------------------

_W = Operation.WRITE

TOOLS: list[Tool[Any]] = [
    Tool(
        "clients_import",
        DOMAIN,
        "Import clients from CSV or JSON (inline content or a file path), with duplicate "
        "detection and per-row errors; nothing is ever half-imported.\nFirst run it as a "
        "preview (dry_run true, the default), show the counts and problems, then import with "
        "dry_run false. An import cannot be undone.",
        ImportClients,
        import_clients,
        _W,
        Risk.HIGH,
        DataScope.ALL,
        Card.TABLE,
        confirmation="Import clients from the given CSV/JSON list (dry run: {dry_run})?",
        examples=("import clients from ~/Downloads/clients.csv",),
    ),
    Tool(
        "clients_export",
        DOMAIN,
        "Export clients (all, or filtered by tag, lead status, staff member or last visit) to a "
        "CSV or JSON file in Luma's exports folder.\nReturns the file path and count. Writes a "
        "file, so there is nothing to undo.",
        ExportClients,
        export_clients,
        _W,
        Risk.LOW,
        DataScope.ALL,
        Card.TEXT,
        examples=("export all clients to csv", "export the vip clients"),
    ),
]
