"""The audit trail: every action attempt, hash-chained per business so tampering shows.

Each entry stores who acted (user, role), the tool, the outcome, a SHA-256 hash of the
*sanitised* arguments, the result or reason (redacted and truncated), and the duration.
``entry_hash`` is SHA-256 over the previous entry's hash and a canonical JSON of every stored
field except the database id, so editing a field, deleting an entry or reordering entries
breaks the chain at that point and :meth:`AuditLog.verify` names the entry.

Decisions worth knowing:

- Arguments are sanitised *before* hashing: values under secret-looking keys (password, token,
  key, iban, card number, pin, cvv, ...) become ``"[redacted]"``. So two calls that differ only
  in a secret hash the same — on purpose: a hash of a 4-digit PIN would reveal the PIN to
  anyone who tries the 10,000 candidates.
- Long strings inside the arguments keep their first characters plus their length and a digest
  of the whole, so different long texts still hash differently.
- The chain has no secret key. It shows edits, deletions inside the trail and reordering; it
  cannot show that the newest entries were removed, nor a trail rewritten with fresh hashes
  from the tampered point on. Note :attr:`ChainReport.head_hash` somewhere else to catch that.
- Users are deactivated, not deleted; deleting a user row empties ``user_id`` (SET NULL) and
  the entries of that user then fail verification, because the trail lost who acted.
"""

from __future__ import annotations

import enum
import hashlib
import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from pydantic import BaseModel, ConfigDict
from sqlalchemy.orm import Session

from ..errors import Invalid
from ..logs import redact
from ..workspace.database import Workspace
from ..workspace.models import AuditEntry, Business, User
from .context import ExecutionContext

__all__ = [
    "GENESIS_HASH",
    "AuditLog",
    "AuditOutcome",
    "AuditRecordOut",
    "ChainReport",
    "arguments_hash",
    "is_secret_key",
    "sanitise_arguments",
]

GENESIS_HASH = "0" * 64
"""The ``previous_hash`` of a business's first entry."""
REDACTED = "[redacted]"
MAX_ARGUMENT_TEXT = 500
"""Characters of a string argument kept before it is summarised."""
MAX_TEXT = 2000
"""Characters of a result or reason kept in the trail."""
VERIFY_BATCH = 500
"""Entries read at a time while verifying."""
_SECRET_WORDS = frozenset(
    {"password", "passwd", "passphrase", "secret", "token", "key", "apikey", "iban", "pin"}
    | {"cvv", "cvc", "cvv2", "otp", "pan", "credentials", "credential"}
)
_SECRET_PHRASES = ("password", "cardnumber", "cardno", "apikey", "secret", "token")
_WORDS = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+")


class AuditOutcome(enum.StrEnum):
    """What happened to an action attempt."""

    EXECUTED = "executed"
    DENIED = "denied"
    CONFIRMED = "confirmed"
    CANCELLED = "cancelled"
    EXPIRED = "expired"
    FAILED = "failed"


class AuditRecordOut(BaseModel):
    """One audit entry as people and the CLI see it."""

    model_config = ConfigDict(frozen=True, from_attributes=True)

    id: int
    at: datetime
    user_id: int | None
    user_name: str | None
    role: str
    tool: str
    outcome: str
    arguments_hash: str
    result: str | None
    reason: str | None
    duration_ms: int | None
    entry_hash: str


@dataclass(frozen=True, slots=True)
class ChainReport:
    """The result of checking a business's audit chain."""

    ok: bool
    """Whether every entry matches its hash and follows the one before it."""
    checked: int
    """Entries found intact (before the break, when there is one)."""
    broken_at: int | None = None
    """Id of the first entry that fails."""
    problem: str = ""
    """What is wrong, for a person; empty when ``ok``."""
    head_hash: str = GENESIS_HASH
    """Hash of the newest intact entry (keep it elsewhere to detect a rewritten tail)."""


def is_secret_key(name: str) -> bool:
    """Whether an argument called ``name`` holds a secret (``api_key``, ``cardNumber``, ...)."""
    words = [w.lower() for w in _WORDS.findall(name)]
    compact = "".join(words)
    return bool(_SECRET_WORDS.intersection(words)) or any(p in compact for p in _SECRET_PHRASES)


def _summarise_text(text: str) -> str:
    text = redact(text)
    if len(text) <= MAX_ARGUMENT_TEXT:
        return text
    digest = hashlib.sha256(text.encode()).hexdigest()[:16]
    return f"{text[:MAX_ARGUMENT_TEXT]}…[{len(text)} chars, sha256 {digest}]"


def _clean(value: Any) -> Any:
    """``value`` as plain, JSON-ready data with secrets masked and long text summarised."""
    if isinstance(value, BaseModel):
        value = value.model_dump(mode="json")
    if isinstance(value, Mapping):
        return {str(k): REDACTED if is_secret_key(str(k)) else _clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    if isinstance(value, set | frozenset):
        return sorted((_clean(v) for v in value), key=_canonical)
    if isinstance(value, enum.Enum):
        return _clean(value.value)
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, bytes):
        return f"<{len(value)} bytes>"
    if isinstance(value, Decimal):
        return str(value)
    return _summarise_text(str(value))


def sanitise_arguments(arguments: Mapping[str, Any]) -> dict[str, Any]:
    """The arguments as the trail keeps them: secrets masked, long text summarised."""
    if not isinstance(arguments, Mapping):
        raise Invalid("Audit arguments must be a mapping of names to values.", field="arguments")
    return {str(k): REDACTED if is_secret_key(str(k)) else _clean(v) for k, v in arguments.items()}


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def arguments_hash(arguments: Mapping[str, Any]) -> str:
    """SHA-256 of the canonical JSON of the sanitised arguments."""
    return hashlib.sha256(_canonical(sanitise_arguments(arguments)).encode()).hexdigest()


def _iso(at: datetime) -> str:
    return at.astimezone(UTC).isoformat(timespec="microseconds")


def _entry_hash(entry: AuditEntry) -> str:
    """SHA-256 over the previous hash and every stored field but the id."""
    fields = {
        "business_id": entry.business_id,
        "at": _iso(entry.at),
        "user_id": entry.user_id,
        "role": entry.role,
        "tool_name": entry.tool_name,
        "outcome": entry.outcome,
        "arguments_hash": entry.arguments_hash,
        "result": entry.result,
        "reason": entry.reason,
        "duration_ms": entry.duration_ms,
        "previous_hash": entry.previous_hash,
    }
    return hashlib.sha256((entry.previous_hash + _canonical(fields)).encode()).hexdigest()


def _short_text(text: str | None) -> str | None:
    if text is None:
        return None
    text = redact(text)
    return text if len(text) <= MAX_TEXT else text[: MAX_TEXT - 1] + "…"


def _lock_chain(session: Session, business_id: int) -> None:
    """Hold the business's write lock so no other writer chains onto the same entry."""
    if session.get_bind().dialect.name == "sqlite":
        # pysqlite defers BEGIN to the first write; take the write lock before reading
        # (unless a transaction was already begun, e.g. by a future Workspace hook).
        connection = session.connection()
        if not getattr(connection.connection.dbapi_connection, "in_transaction", False):
            connection.exec_driver_sql("BEGIN IMMEDIATE")
    else:
        session.execute(sa.select(Business.id).where(Business.id == business_id).with_for_update())


class AuditLog:
    """Writes, lists and verifies the audit trail of a workspace.

    Every method is blocking database work: async code calls it through ``asyncio.to_thread``.
    """

    def __init__(self, workspace: Workspace) -> None:
        self.workspace = workspace

    def record(
        self,
        context: ExecutionContext,
        *,
        tool: str,
        outcome: AuditOutcome,
        arguments: Mapping[str, Any],
        result: str | None = None,
        reason: str | None = None,
        duration_ms: int | None = None,
    ) -> None:
        """Append one entry to the business's chain (one transaction)."""
        try:
            outcome = AuditOutcome(outcome)
        except ValueError:
            choices = ", ".join(o.value for o in AuditOutcome)
            raise Invalid(f"“{outcome}” is not an audit outcome ({choices}).") from None
        if duration_ms is not None and duration_ms < 0:
            raise Invalid("An action cannot take a negative time.", field="duration_ms")
        digest = arguments_hash(arguments)
        with self.workspace.transaction(context.business_id) as session:
            _lock_chain(session, context.business_id)
            previous = session.scalar(
                sa.select(AuditEntry.entry_hash).order_by(AuditEntry.id.desc()).limit(1)
            )
            entry = AuditEntry(
                business_id=context.business_id,
                at=context.clock.now().astimezone(UTC),
                user_id=context.user_id or None,
                role=context.role.value,
                tool_name=tool[:80],
                outcome=outcome.value,
                arguments_hash=digest,
                result=_short_text(result),
                reason=_short_text(reason),
                duration_ms=duration_ms,
                previous_hash=previous or GENESIS_HASH,
            )
            entry.entry_hash = _entry_hash(entry)
            session.add(entry)

    def entries(
        self, business_id: int, *, limit: int = 50, user_id: int | None = None
    ) -> list[AuditRecordOut]:
        """The newest entries first, optionally of one user."""
        if not 1 <= limit <= 10_000:
            raise Invalid("Ask for between 1 and 10,000 audit entries.", field="limit")
        query = (
            sa.select(AuditEntry, User.name)
            .outerjoin(User, User.id == AuditEntry.user_id)
            .order_by(AuditEntry.id.desc())
            .limit(limit)
        )
        if user_id is not None:
            query = query.where(AuditEntry.user_id == user_id)
        with self.workspace.transaction(business_id) as session:
            rows = session.execute(query).all()
            return [_record_out(entry, name) for entry, name in rows]

    def verify(self, business_id: int) -> ChainReport:
        """Recompute every hash in id order; report the first entry that fails."""
        expected = GENESIS_HASH
        checked = 0
        with self.workspace.transaction(business_id) as session:
            for entry in _in_id_order(session):
                problem = _problem(entry, expected, first=checked == 0)
                if problem:
                    return ChainReport(False, checked, entry.id, problem, expected)
                expected = entry.entry_hash
                checked += 1
        return ChainReport(True, checked, None, "", expected)


def _in_id_order(session: Session) -> Iterator[AuditEntry]:
    """Every entry of the session's business by id, a batch at a time (bounded memory)."""
    last, batch = 0, VERIFY_BATCH
    while True:
        query = sa.select(AuditEntry).where(AuditEntry.id > last).order_by(AuditEntry.id)
        entries = session.scalars(query.limit(batch)).all()
        yield from entries
        if len(entries) < batch:
            return
        last = entries[-1].id
        session.expunge_all()


def _problem(entry: AuditEntry, expected_previous: str, *, first: bool) -> str:
    if entry.previous_hash != expected_previous:
        if first:
            return (
                f"Entry {entry.id} is the oldest left but points to an earlier entry: "
                "the first entries of the trail were deleted."
            )
        return (
            f"Entry {entry.id} does not follow the entry before it: an entry was deleted, "
            "inserted or moved there."
        )
    if _entry_hash(entry) != entry.entry_hash:
        return f"Entry {entry.id} was changed after it was written."
    return ""


def _record_out(entry: AuditEntry, user_name: str | None) -> AuditRecordOut:
    return AuditRecordOut(
        id=entry.id,
        at=entry.at,
        user_id=entry.user_id,
        user_name=user_name,
        role=entry.role,
        tool=entry.tool_name,
        outcome=entry.outcome,
        arguments_hash=entry.arguments_hash,
        result=entry.result,
        reason=entry.reason,
        duration_ms=entry.duration_ms,
        entry_hash=entry.entry_hash,
    )
