"""Invoicing & quotes (spec section 3): invoices, payments, reminders, VAT, revenue, quotes.

Invoices and quotes are named by number ('INV-0042', '#42', '42'); a bare number is always the
document number people say, never a database id. Lines are given once in a shared shape
(:class:`DocumentLine`: a catalog service/product or free text, price in major units, VAT in
percent). PDFs are written to the business's ``documents`` folder and attached to outbox
e-mails.

Role scope: owners, admins and managers use every tool but the revenue report (owners and
admins only, through ``DataScope.ADMIN_ONLY``); staff have none; client-portal users list and
get only their own issued invoices (the service enforces it: others are "not found").

Undo: create → delete the draft; update → the previous values; payment → remove it; void →
unvoid; quote create → delete the draft quote; conversion → delete the draft invoice and put
the quote back as it was. Sending invoices, quotes and reminders cannot be undone.
"""

from __future__ import annotations

from typing import Any

from ...assistant.catalog import InverseRunner, Tool
from . import _invoices, _quotes, _reading
from ._shared import DocumentLine

__all__ = ["INVERSES", "TOOLS", "DocumentLine"]

TOOLS: list[Tool[Any]] = [*_reading.TOOLS, *_invoices.TOOLS, *_quotes.TOOLS]

INVERSES: dict[tuple[str, str], InverseRunner] = {**_invoices.INVERSES, **_quotes.INVERSES}
