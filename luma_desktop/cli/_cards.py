"""Cards in the terminal: a tool's result data as a rich table (the window draws QML cards)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.table import Table

__all__ = ["card_table"]

_MAX_ROWS = 15
_MAX_COLUMNS = 6
_PREFERRED = (
    "number",
    "name",
    "title",
    "client_name",
    "starts_at",
    "service_name",
    "staff_name",
    "status",
    "due",
    "due_on",
    "total_minor",
    "amount_minor",
    "balance_minor",
    "currency",
    "email",
    "phone",
)


_HIDDEN = frozenset({"id", "currency", "created_at", "updated_at", "snooze_count"})


def _scalar(value: Any) -> bool:
    return value is None or isinstance(value, str | int | float | bool)


def _shown_key(key: str, value: Any) -> bool:
    """Fields worth a column: plain values, not ids or bookkeeping."""
    return _scalar(value) and key not in _HIDDEN and not key.endswith("_id")


def _shown(key: str, value: Any, currency: str | None) -> str:
    if value is None:
        return ""
    if key.endswith("_minor") and isinstance(value, int) and currency:
        from ..workspace.values import format_money

        return format_money(value, currency)
    text = str(value)
    if key.endswith("_at") and "T" in text:
        text = text.replace("T", " ")[:16]
    return text if len(text) <= 40 else text[:39] + "…"


def _columns(rows: Sequence[Mapping[str, Any]]) -> list[str]:
    keys = [k for k, v in rows[0].items() if _scalar(v) and k not in {"id", "currency"}]
    ordered = [k for k in _PREFERRED if k in keys] + [k for k in keys if k not in _PREFERRED]
    return ordered[:_MAX_COLUMNS]


def _label(key: str) -> str:
    return key.removesuffix("_minor").removesuffix("_name").replace("_", " ").capitalize()


def card_table(card: str, data: Any) -> Table | None:
    """A table for a card's data, or ``None`` when the summary says it all."""
    from rich.table import Table

    rows = _rows(data)
    if not rows:
        return None
    table = Table(title=card.replace("_", " ").capitalize(), title_justify="left")
    if len(rows) == 1 and not isinstance(data, list):
        table.add_column("Field")
        table.add_column("Value")
        currency = rows[0].get("currency")
        for key, value in rows[0].items():
            if _shown_key(key, value) and value not in (None, ""):
                table.add_row(_label(key), _shown(key, value, currency))
        return table
    columns = _columns(rows)
    for key in columns:
        table.add_column(_label(key))
    for row in rows[:_MAX_ROWS]:
        table.add_row(*(_shown(k, row.get(k), row.get("currency")) for k in columns))
    if len(rows) > _MAX_ROWS:
        table.caption = f"… and {len(rows) - _MAX_ROWS} more"
    return table


def _rows(data: Any) -> list[Mapping[str, Any]]:
    if isinstance(data, Mapping):
        lists = [v for v in data.values() if isinstance(v, list) and v and isinstance(v[0], dict)]
        if len(lists) == 1 and len(data) <= 4:
            return lists[0]
        return [data]
    if isinstance(data, list):
        return [row for row in data if isinstance(row, Mapping)]
    return []
