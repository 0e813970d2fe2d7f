"""What the appointment and invoice cards show, built from a tool's result.

Each ``*_view(kind, data, fmt)`` returns the card's display data (plain JSON values, text already
formatted), or ``None`` when the result does not have the shape that card draws; the caller then
falls back to the generic table card.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ._card_format import CardFormat, humanise, money_text, tone_for
from ._card_tables import MAX_ROWS, is_records

__all__ = ["View", "appointment_view", "find", "invoice_view", "status_of"]

View = dict[str, Any] | None


def find(data: Any, test: Any, keys: tuple[str, ...]) -> Any:
    """``data`` when ``test(data)``, else the first value under ``keys`` that passes."""
    if test(data):
        return data
    if isinstance(data, Mapping):
        for key in keys:
            if test(data.get(key)):
                return data[key]
    return None


def status_of(value: Any) -> dict[str, str]:
    text = str(value or "")
    return {"status": humanise(text) if text else "", "tone": tone_for(text)}


def _more(rows: list[Any]) -> int:
    return max(0, len(rows) - MAX_ROWS)


# -- appointments ------------------------------------------------------------------------------


def _is_appointment(value: Any) -> bool:
    return isinstance(value, Mapping) and "starts_at" in value and "service_name" in value


def _are_appointments(value: Any) -> bool:
    return isinstance(value, list) and all(map(_is_appointment, value))


_QUIET_STATUSES = ("confirmed", "completed")


def _appointment(row: Mapping[str, Any], fmt: CardFormat) -> dict[str, Any]:
    ends = fmt.moment(row.get("ends_at"))
    status = str(row.get("status") or "")
    price = money_text(row.get("price_minor"), row.get("currency")) or str(row.get("price") or "")
    staff = row.get("staff_name") or ""
    resource = row.get("resource_name") or ""
    duration = row.get("duration_minutes")
    return {
        "id": row.get("id"),
        "service": str(row.get("service_name") or ""),
        "client": str(row.get("client_name") or ""),
        "with": " · ".join(str(part) for part in (staff, resource) if part),
        "staff": str(staff),
        "day": fmt.relative_day(row.get("starts_at")),
        "date": fmt.day(row.get("starts_at")),
        "time": fmt.span(row.get("starts_at"), row.get("ends_at")),
        "start": fmt.time(row.get("starts_at")),
        "duration": f"{duration} min" if isinstance(duration, int) else "",
        "price": price,
        "code": str(row.get("confirmation_code") or ""),
        "notes": str(row.get("notes") or row.get("cancel_reason") or ""),
        "past": ends is not None and ends <= fmt.now(),
        "badge": humanise(status) if status and status not in _QUIET_STATUSES else "",
        **status_of(status),
    }


def _by_day(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    groups: list[dict[str, Any]] = []
    for row in rows:
        if not groups or groups[-1]["day"] != row["day"]:
            groups.append({"day": row["day"], "date": row["date"], "items": []})
        groups[-1]["items"].append(row)
    return groups


def _availability(data: Mapping[str, Any], fmt: CardFormat) -> dict[str, Any]:
    slots = [s for s in data.get("slots") or [] if isinstance(s, Mapping)]
    shown = [
        {
            "day": fmt.relative_day(slot.get("starts_at")),
            "date": fmt.day(slot.get("starts_at")),
            "start": fmt.time(slot.get("starts_at")),
            "detail": str(slot.get("staff_name") or slot.get("resource_name") or ""),
        }
        for slot in slots[:12]
    ]
    duration = data.get("duration_minutes")
    return {
        "layout": "availability",
        "title": f"Free for {data.get('service_name') or 'booking'}",
        "subtitle": f"{duration} min" if isinstance(duration, int) else "",
        "groups": _by_day(shown),
        "count": len(slots),
        "more": max(0, len(slots) - len(shown)),
        "empty": not slots,
    }


def appointment_view(kind: str, data: Any, fmt: CardFormat) -> View:
    """One appointment, a day's agenda or a list, or free slots."""
    if isinstance(data, Mapping) and "slots" in data:
        return _availability(data, fmt)
    single = find(data, _is_appointment, ("appointment",))
    rows = find(data, _are_appointments, ("appointments", "items"))
    if single is None and isinstance(rows, list) and len(rows) == 1 and kind == "appointment":
        single = rows[0]
    if single is not None:
        return {"layout": "single", "appointment": _appointment(single, fmt)}
    if rows is None:
        return None
    every = [_appointment(row, fmt) for row in rows]
    coming = [row for row in every if not row["past"]]
    shown = (coming if len(every) > MAX_ROWS and coming else every)[:MAX_ROWS]
    day = data.get("day") if isinstance(data, Mapping) else None
    title = f"{fmt.relative_day(day)} · {fmt.day(day)}" if day else "Appointments"
    count = f"{len(rows)} appointment{'s' if len(rows) != 1 else ''}"
    if len(coming) < len(every) and coming:
        count += f" · {len(coming)} still to come"
    closed = isinstance(data, Mapping) and data.get("open") is False
    return {
        "layout": "list",
        "title": title,
        "subtitle": f"Closed: {data.get('closed_reason') or 'no opening hours'}"
        if closed and isinstance(data, Mapping)
        else count,
        "groups": _by_day(shown),
        "more": len(rows) - len(shown),
        "empty": not rows,
    }


# -- invoices and quotes -----------------------------------------------------------------------


def _is_document(value: Any) -> bool:
    return isinstance(value, Mapping) and "number" in value and "total_minor" in value


def _quantity(text: Any) -> str:
    try:
        number = float(str(text))
    except ValueError:
        return str(text)
    return f"{number:g}"


def _document(row: Mapping[str, Any], fmt: CardFormat) -> dict[str, Any]:
    currency = row.get("currency")
    quote = "valid_until" in row
    lines = [
        {
            "description": str(line.get("description") or ""),
            "quantity": _quantity(line.get("quantity", "1")),
            "unit": money_text(line.get("unit_price_minor"), currency),
            "amount": money_text(line.get("net_minor"), currency),
            "vat": f"{line.get('vat_rate_bp', 0) / 100:g}% VAT",
        }
        for line in row.get("lines") or []
        if isinstance(line, Mapping)
    ]
    totals = [{"label": "Subtotal", "value": money_text(row.get("subtotal_minor"), currency)}]
    for rate in row.get("vat_by_rate") or [
        {"vat_rate_bp": None, "vat_minor": row.get("tax_minor")}
    ]:
        bp = rate.get("vat_rate_bp")
        label = f"VAT {bp / 100:g}%" if isinstance(bp, int) else "VAT"
        totals.append({"label": label, "value": money_text(rate.get("vat_minor"), currency)})
    totals.append({"label": "Total", "value": money_text(row.get("total_minor"), currency)})
    paid = row.get("paid_minor")
    balance = money_text(row.get("balance_minor"), currency)
    status = "overdue" if row.get("is_overdue") else row.get("status")
    days = row.get("days_overdue")
    due = row.get("valid_until") if quote else row.get("due_on")
    return {
        "id": row.get("id"),
        "document": "Quote" if quote else "Invoice",
        "number": str(row.get("number") or ""),
        "client": str(row.get("client_name") or ""),
        "issued": fmt.day(row.get("issued_on")) or "Not issued yet",
        "due_label": "Valid until" if quote else "Due",
        "due": fmt.day(due),
        "overdue": f"{days} days overdue" if row.get("is_overdue") and days else "",
        "lines": lines,
        "totals": totals,
        "total": money_text(row.get("total_minor"), currency),
        "paid": money_text(paid, currency) if isinstance(paid, int) and paid else "",
        "balance": balance if not quote and row.get("balance_minor") else "",
        "notes": str(row.get("notes") or row.get("void_reason") or ""),
        **status_of(status),
    }


def _overdue_line(count: Any, days: Any) -> str:
    invoices = "1 invoice" if count == 1 else f"{count} invoices"
    return f"{invoices} · {days} days overdue" if days else invoices


def _overdue_summary(data: Mapping[str, Any]) -> dict[str, Any]:
    currency = data.get("currency")
    clients = [c for c in data.get("clients") or [] if isinstance(c, Mapping)]
    items = [
        {
            "number": str(c.get("client_name") or ""),
            "client": _overdue_line(c.get("count", 1), c.get("max_days_overdue", 0)),
            "total": money_text(c.get("outstanding_minor"), c.get("currency") or currency),
            "status": "",
            "tone": "danger",
        }
        for c in clients[:MAX_ROWS]
    ]
    count = data.get("count", len(clients))
    return {
        "layout": "list",
        "title": "Overdue invoices",
        "headline": money_text(data.get("total_outstanding_minor"), currency),
        "subtitle": f"{count} overdue invoice{'s' if count != 1 else ''}",
        "items": items,
        "more": _more(clients),
        "empty": not count,
    }


def invoice_view(kind: str, data: Any, fmt: CardFormat) -> View:
    """One invoice or quote with its lines and totals, or a list of them."""
    if isinstance(data, Mapping) and "total_outstanding_minor" in data:
        return _overdue_summary(data)
    single = find(data, _is_document, ("invoice", "quote"))
    if single is not None:
        return {"layout": "single", **_document(single, fmt)}
    rows = find(data, is_records, ("items", "invoices", "sent"))
    if not isinstance(rows, list) and data != []:
        return None
    rows = rows or []
    items = []
    for row in rows[:MAX_ROWS]:
        status = (
            "overdue" if row.get("is_overdue") or row.get("days_overdue") else row.get("status")
        )
        amount = row.get("balance_minor") if row.get("is_overdue") else row.get("total_minor")
        when = f"due {fmt.day(row['due_on'])}" if row.get("due_on") else ""
        days = row.get("days_overdue")
        items.append(
            {
                "number": str(row.get("number") or ""),
                "client": " · ".join(p for p in (str(row.get("client_name") or ""), when) if p),
                "total": money_text(
                    amount if isinstance(amount, int) else row.get("balance_minor"),
                    row.get("currency"),
                ),
                **status_of(status),
                "detail": f"{days} days overdue" if days else "",
            }
        )
    title = "Reminders sent" if isinstance(data, Mapping) and "sent" in data else "Invoices"
    return {
        "layout": "list",
        "title": "Quotes" if kind == "quote" else title,
        "headline": "",
        "subtitle": f"{len(rows)} in all" if rows else "",
        "items": items,
        "more": _more(rows),
        "empty": not rows,
    }
