"""What a memory is: one short text Luma may recall, with who it belongs to and why it exists."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime

from ..workspace.models import Role

__all__ = ["STAFF_ROLES", "Hit", "Kind", "MemoryRecord", "Scope"]

STAFF_ROLES = frozenset({Role.OWNER, Role.ADMIN, Role.MANAGER, Role.STAFF})
"""Roles that may see company memories at all (never the client portal)."""


class Scope(enum.StrEnum):
    """Whose memory it is."""

    PERSONAL = "personal"
    """Belongs to one user (``user_id``); only that user recalls it."""
    COMPANY = "company"
    """Belongs to the business; recalled by the roles in ``visible_to``."""


class Kind(enum.StrEnum):
    """Why it was kept (capture keeps only these; chit-chat is never stored)."""

    PREFERENCE = "preference"
    """How someone likes things done ("invoice reminders on Mondays")."""
    DECISION = "decision"
    """Something decided or done that matters later ("moved the team meeting to Fridays")."""
    FACT = "fact"
    """A fact about a client, supplier or the business ("Alpine Tech's contact is Hans")."""
    RESOLUTION = "resolution"
    """How an error was resolved ("the Stripe payout failed; the IBAN was corrected")."""
    SUMMARY = "summary"
    """The summary of a conversation (at 20 messages and at its end)."""
    NOTE = "note"
    """Explicitly remembered on request (``assistant_remember``)."""


@dataclass(frozen=True, slots=True)
class MemoryRecord:
    """One memory, as stored (Chroma document + metadata) and as recalled."""

    id: str
    """Stable id (``mem_<uuid hex>``)."""
    text: str
    """What is remembered, one or two sentences a person can read."""
    business_id: int
    """The tenant; another business never sees it."""
    scope: Scope
    user_id: int | None
    """The owner of a personal memory; ``None`` for company memories."""
    kind: Kind
    created_at: datetime
    """Timezone-aware UTC."""
    expires_at: datetime | None
    """When maintenance deletes it (``None``: never; default TTL 180 days)."""
    embedder_id: str
    """The embedder its vector came from (a change of embedder re-embeds it)."""
    topic: str = ""
    """The domain it is about ("invoicing", "scheduling", ...; "" when general)."""
    entities: tuple[str, ...] = ()
    """Records it refers to, as ``kind:id`` ("client:12", "invoice:42")."""
    source_conversation: int | None = None
    """The conversation it came from (client-portal users recall only their own)."""
    author_role: Role = Role.OWNER
    """The role of the user whose conversation produced it."""
    visible_to: frozenset[Role] = field(default_factory=lambda: STAFF_ROLES)
    """Roles that may recall a company memory (subset of :data:`STAFF_ROLES`)."""


@dataclass(frozen=True, slots=True)
class Hit:
    """A recalled memory and how well it matched."""

    record: MemoryRecord
    similarity: float
    """``1 - cosine_distance / 2``, in [0, 1] (1 = same direction; 0.5 = orthogonal)."""
    score: float
    """The ranking score: similarity weighted by scope and recency."""
