"""What the balance and client cards show (money accounts and client accounts), built from a
tool's result; ``None`` when the result has another shape (see ``_card_views``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ._card_format import CardFormat, humanise, initials, money_text
from ._card_tables import MAX_ROWS, is_records
from ._card_views import View, find, status_of

__all__ = ["balance_view", "client_view"]

_TREND_POINTS = 40
_TRANSACTIONS = 6


# -- money -------------------------------------------------------------------------------------


def _iban_tail(iban: Any) -> str:
    text = str(iban or "")
    return f"•••• {text[-4:]}" if len(text) >= 4 else ""


def _transaction(row: Mapping[str, Any], fmt: CardFormat) -> dict[str, Any]:
    amount = row.get("amount_minor")
    money = money_text(amount, row.get("currency"))
    incoming = isinstance(amount, int) and amount > 0
    return {
        "id": row.get("id"),
        "day": fmt.relative_day(row.get("booked_on")),
        "counterparty": str(row.get("counterparty") or row.get("description") or ""),
        "description": str(row.get("description") or row.get("category") or ""),
        "amount": f"+{money}" if incoming else money,
        "incoming": incoming,
        "pending": row.get("status") == "pending",
    }


def _trend(lines: list[Any], fmt: CardFormat) -> list[float]:
    """Closing balance of each day of a statement, oldest first (at most 40 points)."""
    closing: dict[str, float] = {}
    for line in lines:
        if isinstance(line, Mapping) and isinstance(line.get("balance_minor"), int):
            day = str((line.get("transaction") or {}).get("booked_on") or len(closing))
            closing[day] = line["balance_minor"] / 100
    points = list(closing.values())
    return points[-_TREND_POINTS:] if len(points) >= 2 else []


def _balances(data: Mapping[str, Any]) -> dict[str, Any]:
    accounts = [a for a in data.get("accounts") or [] if isinstance(a, Mapping)]
    totals = [t for t in data.get("totals") or [] if isinstance(t, Mapping)]
    total = totals[0] if len(totals) == 1 else None
    pending = []
    if total:
        currency = total.get("currency")
        if total.get("pending_in_minor"):
            pending.append(f"{money_text(total['pending_in_minor'], currency)} pending in")
        if total.get("pending_out_minor"):
            out = money_text(abs(int(total["pending_out_minor"])), currency)
            pending.append(f"{out} pending out")
    return {
        "layout": "balance",
        "title": "Balance",
        "headline": money_text(total.get("available_minor"), total.get("currency"))
        if total
        else "",
        "headline_label": "Available across all accounts" if len(accounts) > 1 else "Available",
        "subtitle": " · ".join(pending),
        "accounts": [
            {
                "name": str(a.get("name") or ""),
                "detail": " · ".join(
                    p for p in (humanise(str(a.get("kind") or "")), _iban_tail(a.get("iban"))) if p
                ),
                "amount": money_text(a.get("available_minor"), a.get("currency")),
            }
            for a in accounts
        ],
        "transactions": [],
        "trend": [],
    }


def _transactions(rows: list[Mapping[str, Any]], fmt: CardFormat, **header: Any) -> dict[str, Any]:
    return {
        "layout": "transactions",
        "title": "Transactions",
        "subtitle": f"{len(rows)} in all",
        "headline": "",
        "headline_label": "",
        "trend": [],
        **header,
        "accounts": [],
        "transactions": [_transaction(row, fmt) for row in rows[:_TRANSACTIONS]],
        "more": max(0, len(rows) - _TRANSACTIONS),
        "empty": not rows,
    }


def _statement(data: Mapping[str, Any], lines: list[Any], fmt: CardFormat) -> dict[str, Any]:
    """A statement: newest transactions first, the closing balance and its daily trend."""
    found = [line.get("transaction") for line in lines if isinstance(line, Mapping)]
    rows = [row for row in found if isinstance(row, Mapping)][::-1]
    closing = next((ln.get("balance_minor") for ln in lines[::-1] if isinstance(ln, Mapping)), None)
    return _transactions(
        rows,
        fmt,
        title=str(data.get("account_name") or "Statement"),
        subtitle=f"{fmt.day(data.get('start'))} – {fmt.day(data.get('end'))}",
        headline=money_text(closing, data.get("currency")),
        headline_label="Closing balance",
        trend=_trend(lines, fmt),
    )


def balance_view(kind: str, data: Any, fmt: CardFormat) -> View:
    """Accounts and their balances, or transactions (with a balance trend for statements)."""
    if isinstance(data, Mapping) and "accounts" in data:
        return _balances(data)
    if isinstance(data, Mapping) and isinstance(data.get("lines"), list):
        return _statement(data, data["lines"], fmt)
    if isinstance(data, Mapping) and "amount_minor" in data:
        return _transactions([data], fmt)
    rows = find(data, is_records, ("items", "transactions"))
    return _transactions(rows, fmt) if isinstance(rows, list) else None


# -- clients -----------------------------------------------------------------------------------


def _is_client(value: Any) -> bool:
    return isinstance(value, Mapping) and "name" in value and ("email" in value or "phone" in value)


def _visit(visit: Any, fmt: CardFormat) -> str:
    if not isinstance(visit, Mapping):
        return ""
    what = visit.get("service") or visit.get("service_name") or ""
    return " · ".join(p for p in (fmt.when(visit.get("starts_at")), str(what)) if p)


def _client(row: Mapping[str, Any], fmt: CardFormat) -> dict[str, Any]:
    name = str(row.get("name") or "")
    since = fmt.moment(row.get("created_at"))
    contact = [
        {"label": label, "value": str(row[key])}
        for key, label in (
            ("email", "Email"),
            ("phone", "Phone"),
            ("address", "Address"),
            ("owner_staff", "Team member"),
        )
        if row.get(key)
    ]
    if row.get("birthday"):
        contact.append({"label": "Birthday", "value": fmt.day(row["birthday"])})
    balance = money_text(row.get("balance_minor"), row.get("currency"))
    return {
        "id": row.get("id"),
        "name": name,
        "initials": initials(name),
        "company": str(row.get("company") or ""),
        "since": f"Client since {fmt.local(since):%b %Y}" if since else "",
        "tags": [str(tag) for tag in row.get("tags") or []],
        "contact": contact,
        "last_visit": _visit(row.get("last_appointment"), fmt) or fmt.when(row.get("last_visit")),
        "next_visit": _visit(row.get("next_appointment"), fmt),
        "balance": balance,
        "owes": isinstance(row.get("balance_minor"), int) and row["balance_minor"] > 0,
        "notes": row.get("notes_count") or 0,
        "detail": " · ".join(str(row[k]) for k in ("email", "phone") if row.get(k)),
        **status_of(row.get("lead_status")),
    }


def client_view(kind: str, data: Any, fmt: CardFormat) -> View:
    """One client's profile, or a list of clients."""
    single = find(data, _is_client, ("client", "kept"))
    if single is not None:
        return {"layout": "single", "client": _client(single, fmt)}
    rows = find(data, lambda v: isinstance(v, list) and all(map(_is_client, v)), ("items",))
    if not isinstance(rows, list):
        return None
    total = data.get("total") if isinstance(data, Mapping) else None
    count = total if isinstance(total, int) else len(rows)
    return {
        "layout": "list",
        "title": "Clients",
        "subtitle": f"{count} client{'s' if count != 1 else ''}",
        "clients": [_client(row, fmt) for row in rows[:MAX_ROWS]],
        "more": max(0, count - min(len(rows), MAX_ROWS)),
        "empty": not rows,
    }
