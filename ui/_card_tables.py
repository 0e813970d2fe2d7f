"""The generic card: any tool result as titled sections of list rows and label/value fields.

Tasks, reminders, search hits and every ``table`` result use it, and so does any result whose
shape a specialised card does not recognise. Rows are made for a narrow window: a title, one
line of detail, an amount on the right and a status badge, never six columns.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ._card_format import CardFormat, humanise, money_text, tone_for

__all__ = ["MAX_ROWS", "field_rows", "is_records", "row_item", "table_view"]

MAX_ROWS = 8
"""Rows a list card shows before "and N more"."""

_TITLE_KEYS = (
    "name",
    "title",
    "text",
    "label",
    "number",
    "client_name",
    "service_name",
    "counterparty",
    "description",
    "subject",
)
_BADGE_KEYS = ("status", "priority", "importance", "lead_status", "kind")
_MONEY_KEYS = (
    "total_minor",
    "amount_minor",
    "balance_minor",
    "outstanding_minor",
    "price_minor",
    "invoiced_minor",
    "paid_minor",
)
_MOMENT_KEYS = ("due_at", "at", "starts_at", "booked_on", "due_on", "valid_until", "start", "day")
_DETAIL_KEYS = (
    "detail",
    "title",
    "assignee_name",
    "client_name",
    "staff_name",
    "email",
    "phone",
    "recipient",
)
_HIDDEN = frozenset(
    {"id", "currency", "created_at", "updated_at", "snooze_count", "undo", "summary", "score"}
)
_QUIET_BADGES = frozenset({"open", "pending", "normal", "low", "medium", "booked", "active"})


def is_records(value: Any) -> bool:
    """A non-empty list of objects (a table's rows)."""
    return isinstance(value, list) and bool(value) and all(isinstance(v, Mapping) for v in value)


def _scalar(value: Any) -> bool:
    return isinstance(value, str | int | float | bool) and value != ""


def _shown(key: str) -> bool:
    return key not in _HIDDEN and not key.endswith("_id") and not key.endswith("_ids")


def value_text(key: str, value: Any, currency: Any, fmt: CardFormat) -> str:
    """One field's value as people read it (money, days, times, yes/no, lists)."""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if key.endswith("_minor") and isinstance(value, int):
        return money_text(value, currency) or f"{value / 100:,.2f}"
    if key.endswith("_bp") and isinstance(value, int):
        return f"{value / 100:g}%"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value if _scalar(v))
    text = str(value)
    if key.endswith(("_at", "_on")) or key in _MOMENT_KEYS or key in ("until", "end"):
        return fmt.when(value) or text
    return text


def field_rows(record: Mapping[str, Any], fmt: CardFormat, limit: int = 12) -> list[dict[str, str]]:
    """Label/value rows for a record's plain fields (ids and bookkeeping left out)."""
    currency = record.get("currency")
    rows = []
    for key, value in record.items():
        plain = _scalar(value) or (isinstance(value, list) and value and all(map(_scalar, value)))
        if plain and _shown(key):
            rows.append({"label": humanise(key), "value": value_text(key, value, currency, fmt)})
    return rows[:limit]


def _title(row: Mapping[str, Any], fmt: CardFormat) -> tuple[str, str]:
    for key in _TITLE_KEYS:
        if _scalar(row.get(key)):
            return key, str(row[key])
    for key, value in row.items():
        if _scalar(value) and not isinstance(value, bool) and _shown(key):
            return key, value_text(key, value, row.get("currency"), fmt)
    return "", ""


def _badge(row: Mapping[str, Any]) -> tuple[str, str]:
    if row.get("overdue") is True or row.get("is_overdue") is True:
        return "Overdue", "danger"
    for key in _BADGE_KEYS:
        value = row.get(key)
        if isinstance(value, str) and value and value.lower() not in _QUIET_BADGES:
            tone = "accent" if key == "kind" else tone_for(value)
            return humanise(value), tone
    return "", "muted"


def _detail(row: Mapping[str, Any], title_key: str, fmt: CardFormat) -> str:
    parts: list[str] = []
    for key in _MOMENT_KEYS:
        if key != title_key and _scalar(row.get(key)):
            moment = fmt.relative_day(row[key])
            time = fmt.time(row[key])
            parts.append(f"{moment}, {time}" if moment and time else moment or str(row[key]))
            break
    for key in _DETAIL_KEYS:
        value = row.get(key)
        if key != title_key and _scalar(value) and str(value) not in parts:
            parts.append(str(value))
        if len(parts) >= 2:
            break
    return " · ".join(parts)


def row_item(row: Mapping[str, Any], fmt: CardFormat, currency: Any = None) -> dict[str, Any]:
    """One list row: title, detail, amount and status badge."""
    title_key, title = _title(row, fmt)
    badge, tone = _badge(row)
    money = next((k for k in _MONEY_KEYS if isinstance(row.get(k), int) and k != title_key), "")
    value = value_text(money, row[money], row.get("currency") or currency, fmt) if money else ""
    item: dict[str, Any] = {
        "title": title,
        "detail": _detail(row, title_key, fmt),
        "value": value,
        "badge": badge,
        "tone": tone,
    }
    if isinstance(row.get("id"), int | str):
        item["id"] = row["id"]
    return item


def _section(title: str, rows: list[Any], fmt: CardFormat, currency: Any) -> dict[str, Any]:
    items = [row_item(row, fmt, currency) for row in rows[:MAX_ROWS]]
    return {"title": title, "items": items, "more": max(0, len(rows) - MAX_ROWS)}


def table_view(kind: str, data: Any, fmt: CardFormat) -> dict[str, Any]:
    """Any result as ``{"sections": [...], "fields": [...]}`` (both may be empty)."""
    sections: list[dict[str, Any]] = []
    fields: list[dict[str, str]] = []
    if is_records(data):
        sections.append(_section("", data, fmt, None))
    elif isinstance(data, Mapping):
        currency = data.get("currency")
        lists = {k: v for k, v in data.items() if is_records(v) and _shown(k)}
        for key, rows in lists.items():
            title = "" if len(lists) == 1 and key in ("items", "hits", "rows") else humanise(key)
            sections.append(_section(title, rows, fmt, currency))
        if lists:
            fields = field_rows(data, fmt, limit=4)
        elif any(_scalar(data.get(key)) for key in _TITLE_KEYS):
            sections.append(_section("", [data], fmt, currency))
        else:
            fields = field_rows(data, fmt)
    empty = not sections and not fields
    view = {"layout": "table", "sections": sections, "fields": fields, "empty": empty}
    if kind == "search" and isinstance(data, Mapping) and "hits" in data:
        hits = len(data.get("hits") or [])
        view["fields"] = []
        view["subtitle"] = f"{hits} result{'s' if hits != 1 else ''} for “{data.get('query', '')}”"
    return view
