"""Client management (spec section 2): find, read, change, merge, import and export clients.

Staff see and annotate only their own clients (the service enforces it); client-portal users
read and change only their own record (``clients_get``/``clients_update`` without a client).
Undo: create, update, delete, add_note and tag are reversible; merge, import and export are not.
"""

from __future__ import annotations

from typing import Any

from ...assistant.catalog import InverseRunner, Tool
from . import _bulk, _changes, _reading
from ._bulk import MAX_IMPORT_CHARS, MAX_IMPORT_FILE_BYTES

__all__ = ["INVERSES", "MAX_IMPORT_CHARS", "MAX_IMPORT_FILE_BYTES", "TOOLS"]

TOOLS: list[Tool[Any]] = [*_reading.TOOLS, *_changes.TOOLS, *_bulk.TOOLS]

INVERSES: dict[tuple[str, str], InverseRunner] = _changes.INVERSES
