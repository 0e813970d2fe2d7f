"""Reading client lists from CSV or JSON and checking every row before anything is written.

Row numbers are what a person sees: in a CSV the header is row 1 (as in a spreadsheet), so
the first client is row 2; in JSON the first object of the list is row 1.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

from ....errors import Invalid
from ._fields import (
    DuplicateIndex,
    clean_birthday,
    clean_email,
    clean_lead_status,
    clean_name,
    clean_phone,
    clean_tags,
    clean_text,
)
from ._schemas import ImportDuplicate, ImportReport, ImportRowError, ImportRowPreview

__all__ = ["MAX_ROWS", "CheckedRow", "ImportRejected", "check_rows", "parse_rows"]

MAX_ROWS = 10_000
_HEADER_ALIASES = {
    "first_name": ("firstname", "first", "givenname", "forename", "christianname"),
    "last_name": ("lastname", "last", "surname", "familyname"),
    "full_name": ("name", "fullname", "clientname", "customername", "contactname", "client"),
    "email": ("email", "emailaddress", "mail"),
    "phone": (
        "phone",
        "phonenumber",
        "mobile",
        "mobilephone",
        "mobilenumber",
        "tel",
        "telephone",
        "cell",
        "cellphone",
    ),
    "company": ("company", "companyname", "organisation", "organization", "business"),
    "address": ("address", "streetaddress", "postaladdress"),
    "birthday": ("birthday", "dob", "dateofbirth", "birthdate"),
    "lead_status": ("leadstatus", "status", "stage"),
    "source": ("source", "leadsource", "referral", "channel"),
    "tags": ("tags", "tag", "labels", "groups"),
    "note": ("note", "notes", "comment", "comments"),
}
_ALIASES = {alias: name for name, aliases in _HEADER_ALIASES.items() for alias in aliases}
_TAG_SPLIT = re.compile(r"[;,|]")


class ImportRejected(Invalid):
    """An import stopped because rows have problems; ``report`` lists every one of them."""

    def __init__(self, report: ImportReport) -> None:
        problems = [f"row {e.row} {e.field}: {e.message}" for e in report.errors]
        problems += [f"row {d.row}: {d.message}" for d in report.duplicates]
        shown = "; ".join(problems[:5]) + ("; …" if len(problems) > 5 else "")
        bad = len(report.skipped_rows)
        super().__init__(
            f"{bad} of {report.total_rows} rows have problems, so nothing was imported: {shown}. "
            "Fix them, or import again leaving those rows out.",
            field="data",
        )
        self.report = report

    def to_dict(self) -> dict[str, Any]:
        return {**super().to_dict(), "report": self.report.model_dump(mode="json")}


def _canonical(header: str) -> str | None:
    return _ALIASES.get(re.sub(r"[^a-z0-9]", "", header.lower()))


@dataclass
class RawRow:
    number: int
    values: dict[str, Any]


def _decode(data: str | bytes) -> str:
    if isinstance(data, str):
        return data.removeprefix("\ufeff")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            return data.decode("cp1252")  # what spreadsheets on Windows often save
        except UnicodeDecodeError:
            raise Invalid(
                "The file is not text I can read; save it as UTF-8 CSV or JSON.", field="data"
            ) from None


def _mapped(record: dict[str, Any], ignored: list[str]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for header, value in record.items():
        name = _canonical(str(header))
        if name is None:
            if str(header).strip() and header not in ignored:
                ignored.append(str(header))
        elif values.get(name) in (None, ""):
            values[name] = value
    return values


def _csv_rows(text: str, ignored: list[str]) -> list[RawRow]:
    try:
        dialect: Any = csv.Sniffer().sniff(text[:4096], delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    try:
        header = next(reader)
    except StopIteration:
        raise Invalid("The file is empty.", field="data") from None
    except csv.Error as error:
        raise Invalid(f"The CSV file cannot be read: {error}.", field="data") from None
    rows: list[RawRow] = []
    try:
        for number, cells in enumerate(reader, start=2):
            if any(cell.strip() for cell in cells):
                record = dict(zip(header, cells, strict=False))
                rows.append(RawRow(number, _mapped(record, ignored)))
    except csv.Error as error:
        raise Invalid(
            f"The CSV file cannot be read near row {reader.line_num}: {error}.", field="data"
        ) from None
    return rows


def _json_rows(text: str, ignored: list[str]) -> list[RawRow]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise Invalid(
            f"The JSON is not valid (line {error.lineno}, column {error.colno}: {error.msg}).",
            field="data",
        ) from None
    if isinstance(data, dict) and isinstance(data.get("clients"), list):
        data = data["clients"]
    if not isinstance(data, list):
        raise Invalid('The JSON must be a list of clients (or {"clients": [...]}).', field="data")
    return [
        RawRow(n, _mapped(item, ignored) if isinstance(item, dict) else {"_invalid": item})
        for n, item in enumerate(data, start=1)
    ]


def parse_rows(data: str | bytes, fmt: Literal["csv", "json"]) -> tuple[list[RawRow], list[str]]:
    """The rows of ``data`` with canonical field names, and the columns that were ignored."""
    text = _decode(data)
    if not text.strip():
        raise Invalid("The file is empty.", field="data")
    ignored: list[str] = []
    rows = _csv_rows(text, ignored) if fmt == "csv" else _json_rows(text, ignored)
    if len(rows) > MAX_ROWS:
        raise Invalid(
            f"The file has {len(rows):,} clients; import at most {MAX_ROWS:,} at a time.",
            field="data",
        )
    named = any(k in row.values for row in rows for k in ("first_name", "full_name"))
    if rows and not named:
        raise Invalid(
            "I can't find a name column; add one called “First name” or “Name”.", field="data"
        )
    return rows, ignored


@dataclass
class CheckedRow:
    """One row after validation: clean fields, or errors, or a duplicate warning."""

    number: int
    fields: dict[str, Any] = field(default_factory=dict)
    tags: list[str] = field(default_factory=list)
    note: str | None = None
    errors: list[ImportRowError] = field(default_factory=list)
    duplicate: ImportDuplicate | None = None

    def preview(self) -> ImportRowPreview:
        f = self.fields
        return ImportRowPreview(
            row=self.number,
            first_name=f.get("first_name", ""),
            last_name=f.get("last_name", ""),
            email=f.get("email"),
            phone=f.get("phone"),
            company=f.get("company"),
            tags=tuple(self.tags),
            ok=not self.errors and self.duplicate is None,
        )


def _split_name(values: dict[str, Any]) -> tuple[Any, Any]:
    first, last = values.get("first_name"), values.get("last_name")
    full = " ".join(str(values.get("full_name") or "").split())
    if not str(first or "").strip() and full:
        if "," in full:
            last, _, first = (part.strip() for part in full.partition(","))
        else:
            first, _, rest = full.partition(" ")
            last = last if str(last or "").strip() else rest
    return first, last


def _clean_row(raw: RawRow, country: str, today: date) -> CheckedRow:
    row = CheckedRow(raw.number)
    if "_invalid" in raw.values:
        row.errors.append(
            ImportRowError(
                row=raw.number, field="row", message="This entry is not an object with fields."
            )
        )
        return row
    values = raw.values
    first, last = _split_name(values)
    cleaners: dict[str, Callable[[], Any]] = {
        "first_name": lambda: clean_name(first, "first_name", required=True),
        "last_name": lambda: clean_name(last, "last_name", required=False),
        "email": lambda: clean_email(values.get("email")),
        "phone": lambda: clean_phone(values.get("phone"), country),
        "company": lambda: clean_text(values.get("company"), "company"),
        "address": lambda: clean_text(values.get("address"), "address"),
        "source": lambda: clean_text(values.get("source"), "source"),
        "birthday": lambda: clean_birthday(values.get("birthday"), today),
    }
    if str(values.get("lead_status") or "").strip():
        cleaners["lead_status"] = lambda: clean_lead_status(values["lead_status"])
    for name, clean in cleaners.items():
        try:
            row.fields[name] = clean()
        except Invalid as error:
            row.errors.append(
                ImportRowError(row=raw.number, field=error.field or name, message=error.message)
            )
    tags = values.get("tags") or []
    try:
        row.tags = clean_tags(
            tags
            if isinstance(tags, list)
            else [t for t in _TAG_SPLIT.split(str(tags)) if t.strip()]
        )
    except Invalid as error:
        row.errors.append(ImportRowError(row=raw.number, field="tags", message=error.message))
    row.note = str(values.get("note") or "").strip() or None
    return row


def check_rows(
    rows: list[RawRow], index: DuplicateIndex, *, country: str, today: date
) -> list[CheckedRow]:
    """Validate every row and flag duplicates of existing clients and of earlier rows."""
    checked = []
    for raw in rows:
        row = _clean_row(raw, country, today)
        if not row.errors:
            f = row.fields
            name = f"{f['first_name']} {f['last_name']}".strip()
            match = index.find(name, f["email"], f["phone"])
            if match is None:
                index.add(
                    name, f["email"], f["phone"], row=row.number, label=f"{name} (row {row.number})"
                )
            else:
                row.duplicate = ImportDuplicate(
                    row=row.number,
                    field=match.field,
                    existing_id=match.client_id,
                    other_row=match.row,
                    label=match.label,
                    message=match.message,
                )
        checked.append(row)
    return checked
