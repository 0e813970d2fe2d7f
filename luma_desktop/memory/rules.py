"""Who may recall which memory: the only place isolation is decided, enforced in code.

- Another business's memories are unreachable (separate collection *and* checked here).
- Personal memories: only their owner.
- Company memories: staff roles listed in the memory's ``visible_to`` (derived from the tools the
  memory came from: a banking fact is not shown to a role that cannot see banking).
- Client-portal users: only personal memories from their own conversations — never company
  memories, never staff notes about them.

The store filters with :func:`chroma_where` and every result is checked again with
:func:`may_read` before it leaves the store.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from ..workspace.models import Role
from .records import STAFF_ROLES, MemoryRecord, Scope

__all__ = ["MEMORY_MANAGERS", "Reader", "chroma_where", "may_delete", "may_read", "roles_that_see"]


@dataclass(frozen=True, slots=True)
class Reader:
    """Who is asking (built from the execution context; a model never supplies it)."""

    business_id: int
    user_id: int
    role: Role

    @classmethod
    def of(cls, context: Any) -> Reader:
        """From an :class:`~luma_desktop.assistant.context.ExecutionContext` (or alike)."""
        return cls(context.business_id, context.user_id, Role(context.role))


def may_read(reader: Reader, record: MemoryRecord) -> bool:
    """Whether ``reader`` may recall ``record``."""
    if record.business_id != reader.business_id:
        return False
    if record.scope is Scope.PERSONAL:
        return record.user_id == reader.user_id
    return reader.role in STAFF_ROLES and reader.role in record.visible_to


MEMORY_MANAGERS = frozenset({Role.OWNER, Role.ADMIN})
"""Roles that may delete company memories and handle other users' privacy requests."""


def may_delete(reader: Reader, record: MemoryRecord) -> bool:
    """Whether ``reader`` may delete ``record``: their own personal memories, and in their
    business anything when they are an owner or admin."""
    if record.business_id != reader.business_id:
        return False
    if record.scope is Scope.PERSONAL and record.user_id == reader.user_id:
        return True
    return reader.role in MEMORY_MANAGERS


def chroma_where(reader: Reader) -> dict[str, Any]:
    """The same rule as a Chroma ``where`` filter (metadata written by the store)."""
    own = {"$and": [{"scope": Scope.PERSONAL.value}, {"user_id": reader.user_id}]}
    if reader.role not in STAFF_ROLES:
        return {"$and": [{"business_id": reader.business_id}, own]}
    company = {"$and": [{"scope": Scope.COMPANY.value}, {f"role_{reader.role.value}": True}]}
    return {"$and": [{"business_id": reader.business_id}, {"$or": [own, company]}]}


def roles_that_see(tool_names: Iterable[str], visible: Any) -> frozenset[Role]:
    """Staff roles that may see every one of ``tool_names`` (``visible(name, role) -> bool``).

    A company memory made from those tools' results is recalled only by these roles.
    """
    names = list(tool_names)
    return frozenset(role for role in STAFF_ROLES if all(visible(name, role) for name in names))
