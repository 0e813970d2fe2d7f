"""Long-term memory: what Luma remembers across conversations, per person and per business.

Open it with :func:`open_memory` (or build a :class:`Memory` over a :class:`MemoryStore` and an
embedder), call :meth:`Memory.start` to load the model in the background, then
:meth:`Memory.recall` on each turn and :meth:`Memory.remember` from tools. Who may recall what
is decided in one place, :mod:`luma_desktop.memory.rules`.
"""

from __future__ import annotations

from .maintenance import Maintenance, MaintenanceReport, record_to_dict
from .records import STAFF_ROLES, Hit, Kind, MemoryRecord, Scope
from .retrieval import format_history
from .rules import Reader, may_read
from .service import Memory, MemoryOptions, open_memory
from .store import MemoryStore

__all__ = [
    "STAFF_ROLES",
    "Hit",
    "Kind",
    "Maintenance",
    "MaintenanceReport",
    "Memory",
    "MemoryOptions",
    "MemoryRecord",
    "MemoryStore",
    "Reader",
    "Scope",
    "format_history",
    "may_read",
    "open_memory",
    "record_to_dict",
]
