"""The audit trail: sanitised argument hashes, one hash chain per business, tamper detection."""

from __future__ import annotations

import itertools
import threading
from datetime import timedelta
from typing import Any

import pytest
import sqlalchemy as sa

from luma_desktop.assistant import audit
from luma_desktop.assistant.audit import (
    GENESIS_HASH,
    AuditLog,
    AuditOutcome,
    arguments_hash,
    is_secret_key,
    sanitise_arguments,
)
from luma_desktop.assistant.context import ExecutionContext, execution_context_for
from luma_desktop.clock import FixedClock
from luma_desktop.errors import Invalid
from luma_desktop.workspace.database import Workspace
from luma_desktop.workspace.models import AuditEntry, Role

from ..conftest import NOW
from ..factories import make_business

OUTCOMES = list(AuditOutcome)


def context_of(
    workspace: Workspace, slug: str = "acme", clock: FixedClock | None = None
) -> ExecutionContext:
    base = make_business(workspace, slug=slug, role=Role.STAFF)
    return execution_context_for(workspace, business=base.business_id, clock=clock)


def fill(log: AuditLog, context: ExecutionContext, count: int) -> None:
    for n in range(count):
        if isinstance(context.clock, FixedClock):
            context.clock.advance(timedelta(seconds=7))
        log.record(
            context,
            tool=f"tool_{n % 4}",
            outcome=OUTCOMES[n % len(OUTCOMES)],
            arguments={"n": n, "client": "Sarah Miller"},
            result=f"result {n}",
            reason=None if n % 3 else f"reason {n}",
            duration_ms=n,
        )


def rows(workspace: Workspace, business_id: int) -> list[AuditEntry]:
    with workspace.transaction(business_id) as session:
        return list(session.scalars(sa.select(AuditEntry).order_by(AuditEntry.id)))


def tamper(workspace: Workspace, business_id: int, entry_id: int, **values: Any) -> None:
    with workspace.transaction(business_id) as session:
        session.execute(sa.update(AuditEntry).where(AuditEntry.id == entry_id).values(**values))


@pytest.fixture
def setup(workspace: Workspace) -> tuple[Workspace, AuditLog, ExecutionContext]:
    context = context_of(workspace, clock=FixedClock(NOW))
    return workspace, AuditLog(workspace), context


def test_a_long_chain_verifies_and_links_every_entry(setup):
    workspace, log, context = setup
    fill(log, context, 40)
    entries = rows(workspace, context.business_id)
    report = log.verify(context.business_id)
    assert (report.ok, report.checked, report.broken_at, report.problem) == (True, 40, None, "")
    assert report.head_hash == entries[-1].entry_hash
    assert entries[0].previous_hash == GENESIS_HASH
    assert all(b.previous_hash == a.entry_hash for a, b in itertools.pairwise(entries))
    assert entries[0].at == NOW + timedelta(seconds=7)
    assert entries[0].user_id == context.user_id
    assert entries[0].role == "owner"


def test_verification_reads_the_chain_in_batches(setup, monkeypatch):
    workspace, log, context = setup
    monkeypatch.setattr(audit, "VERIFY_BATCH", 4)
    fill(log, context, 13)
    assert (log.verify(context.business_id).ok, log.verify(context.business_id).checked) == (
        True,
        13,
    )
    ninth = rows(workspace, context.business_id)[9]
    tamper(workspace, context.business_id, ninth.id, tool_name="edited")
    assert log.verify(context.business_id).broken_at == ninth.id


def test_entries_are_newest_first_with_the_user_s_name_and_filter_by_user(setup):
    workspace, log, owner = setup
    staff = execution_context_for(
        workspace, business=owner.business_id, role=Role.STAFF, clock=owner.clock
    )
    fill(log, owner, 3)
    log.record(staff, tool="tasks_list", outcome=AuditOutcome.DENIED, arguments={}, reason="no")
    latest = log.entries(owner.business_id, limit=2)
    assert [(e.tool, e.outcome, e.user_name, e.role) for e in latest] == [
        ("tasks_list", "denied", "staff user", "staff"),
        ("tool_2", "confirmed", "Olivia Owner", "owner"),
    ]
    assert [e.reason for e in latest] == ["no", None]
    assert len(log.entries(owner.business_id, user_id=owner.user_id)) == 3
    assert log.entries(owner.business_id, user_id=staff.user_id)[0].tool == "tasks_list"


def test_empty_trail_is_intact(setup):
    _, log, context = setup
    report = log.verify(context.business_id)
    assert (report.ok, report.checked, report.head_hash) == (True, 0, GENESIS_HASH)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("outcome", "executed"),
        ("arguments_hash", "f" * 64),
        ("reason", "nothing to see here"),
        ("result", "Paid £5.00"),
        ("at", NOW - timedelta(days=3)),
        ("tool_name", "banking_list_transactions"),
        ("user_id", "other"),
        ("user_id", None),
        ("role", "admin"),
        ("duration_ms", 99_999),
        ("entry_hash", "e" * 64),
    ],
    ids=[
        "outcome",
        "arguments-hash",
        "reason",
        "result",
        "at",
        "tool",
        "user",
        "user-removed",
        "role",
        "duration",
        "entry-hash",
    ],
)
def test_editing_a_field_is_caught_at_that_entry(setup, field, value):
    workspace, log, context = setup
    fill(log, context, 10)
    target = rows(workspace, context.business_id)[4]
    if value == "other":
        staff = execution_context_for(workspace, business=context.business_id, role=Role.STAFF)
        value = staff.user_id
    if field == "outcome":
        value = "cancelled" if target.outcome == value else value
    tamper(workspace, context.business_id, target.id, **{field: value})
    report = log.verify(context.business_id)
    assert (report.ok, report.broken_at, report.checked) == (False, target.id, 4)
    assert f"Entry {target.id} was changed" in report.problem


def test_a_deleted_middle_entry_is_caught_at_the_next_one(setup):
    workspace, log, context = setup
    fill(log, context, 10)
    entries = rows(workspace, context.business_id)
    with workspace.transaction(context.business_id) as session:
        session.execute(sa.delete(AuditEntry).where(AuditEntry.id == entries[5].id))
    report = log.verify(context.business_id)
    assert (report.ok, report.broken_at, report.checked) == (False, entries[6].id, 5)
    assert "deleted" in report.problem


def test_deleting_the_first_entries_is_caught(setup):
    workspace, log, context = setup
    fill(log, context, 5)
    entries = rows(workspace, context.business_id)
    with workspace.transaction(context.business_id) as session:
        session.execute(sa.delete(AuditEntry).where(AuditEntry.id <= entries[1].id))
    report = log.verify(context.business_id)
    assert (report.ok, report.broken_at) == (False, entries[2].id)
    assert "first entries" in report.problem


def test_removing_the_newest_entry_changes_the_head_hash(setup):
    """A chain without a key cannot show a cut tail; a head hash kept elsewhere does."""
    workspace, log, context = setup
    fill(log, context, 5)
    head = log.verify(context.business_id).head_hash
    with workspace.transaction(context.business_id) as session:
        newest = session.scalar(sa.select(sa.func.max(AuditEntry.id)))
        session.execute(sa.delete(AuditEntry).where(AuditEntry.id == newest))
    report = log.verify(context.business_id)
    assert (report.ok, report.checked) == (True, 4)
    assert report.head_hash != head


def test_reordered_entries_are_caught(setup):
    workspace, log, context = setup
    fill(log, context, 6)
    first, second = rows(workspace, context.business_id)[2:4]
    columns = [c.key for c in AuditEntry.__table__.columns if c.key not in ("id", "business_id")]
    tamper(workspace, context.business_id, second.id, entry_hash="x" * 64)
    tamper(workspace, context.business_id, first.id, **{c: getattr(second, c) for c in columns})
    tamper(workspace, context.business_id, second.id, **{c: getattr(first, c) for c in columns})
    report = log.verify(context.business_id)
    assert (report.ok, report.broken_at) == (False, first.id)
    assert "does not follow" in report.problem


def test_a_forged_replacement_entry_is_caught(setup):
    workspace, log, context = setup
    fill(log, context, 4)
    victim = rows(workspace, context.business_id)[1]
    with workspace.transaction(context.business_id) as session:
        session.execute(sa.delete(AuditEntry).where(AuditEntry.id == victim.id))
        forged = AuditEntry(
            id=victim.id,
            business_id=context.business_id,
            at=victim.at,
            user_id=victim.user_id,
            role="owner",
            tool_name="banking_pay",
            outcome="cancelled",
            arguments_hash=victim.arguments_hash,
            previous_hash=victim.previous_hash,
            entry_hash=victim.entry_hash,
        )
        session.add(forged)
    report = log.verify(context.business_id)
    assert (report.ok, report.broken_at) == (False, victim.id)


def test_each_business_has_its_own_chain(workspace):
    log = AuditLog(workspace)
    one = context_of(workspace, "one", FixedClock(NOW))
    two = context_of(workspace, "two", FixedClock(NOW))
    for _ in range(3):
        fill(log, one, 2)
        fill(log, two, 1)
    assert rows(workspace, two.business_id)[0].previous_hash == GENESIS_HASH
    tamper(workspace, one.business_id, rows(workspace, one.business_id)[0].id, reason="edited")
    assert log.verify(one.business_id).ok is False
    report = log.verify(two.business_id)
    assert (report.ok, report.checked) == (True, 3)


def test_concurrent_writers_build_one_valid_chain(workspace):
    log = AuditLog(workspace)
    context = context_of(workspace)
    errors: list[BaseException] = []

    def write(worker: int) -> None:
        try:
            for n in range(10):
                log.record(
                    context,
                    tool="tasks_create",
                    outcome=AuditOutcome.EXECUTED,
                    arguments={"worker": worker, "n": n},
                )
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=write, args=(w,)) for w in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    report = log.verify(context.business_id)
    assert (report.ok, report.checked) == (True, 60)
    previous = [e.previous_hash for e in rows(workspace, context.business_id)]
    assert len(set(previous)) == 60


SECRETS = {
    "password": "hunter2-password",
    "api_key": "sk-secret-api-key-1",
    "cardNumber": "4111111111111111",
    "iban": "GB82WEST12345698765432",
    "pin": "4821",
    "cvv": "737",
    "access_token": "tok-abcdef-123456",
}


def test_secret_values_never_reach_the_trail(setup):
    workspace, log, context = setup
    arguments = {"payee": "Acme Ltd", "details": dict(SECRETS), "rows": [dict(SECRETS)]}
    log.record(
        context,
        tool="banking_pay",
        outcome=AuditOutcome.FAILED,
        arguments={**arguments, **SECRETS},
        result="Sent with password=hunter2-password",
        reason="bearer tok-abcdef-123456 refused",
    )
    (entry,) = rows(workspace, context.business_id)
    stored = repr({c.key: getattr(entry, c.key) for c in AuditEntry.__table__.columns})
    clean = repr(sanitise_arguments({**arguments, **SECRETS}))
    for secret in SECRETS.values():
        assert secret not in stored
        assert secret not in clean
    assert "Acme Ltd" in clean
    assert entry.result == "Sent with password=[redacted]"


def test_arguments_differing_only_in_a_secret_hash_the_same():
    """Documented choice: the hash is of the sanitised arguments, so a PIN cannot be guessed
    from it; the non-secret arguments still decide the hash."""
    base = {"account": "Main", "amount_minor": 5000, "pin": "1234"}
    assert arguments_hash(base) == arguments_hash({**base, "pin": "9876"})
    assert arguments_hash(base) != arguments_hash({**base, "amount_minor": 5001})
    assert arguments_hash(base) == arguments_hash(dict(reversed(base.items())))


def test_long_text_is_summarised_consistently():
    long_a, long_b = "a" * 5000, "a" * 4999 + "b"
    clean = sanitise_arguments({"body": long_a})["body"]
    assert len(clean) < 600
    assert "5000 chars" in clean
    assert clean == sanitise_arguments({"body": long_a})["body"]
    assert arguments_hash({"body": long_a}) != arguments_hash({"body": long_b})


@pytest.mark.parametrize(
    ("name", "secret"),
    [
        ("password", True),
        ("newPassword", True),
        ("api_key", True),
        ("apikey", True),
        ("card_number", True),
        ("cardNumber", True),
        ("IBAN", True),
        ("payee_iban", True),
        ("pin", True),
        ("cvv", True),
        ("refresh_token", True),
        ("client_name", False),
        ("keyword", False),
        ("spinning", False),
        ("amount_minor", False),
        ("opening", False),
    ],
    ids=str,
)
def test_secret_key_names(name, secret):
    assert is_secret_key(name) is secret


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"outcome": "approved"}, "not an audit outcome"),
        ({"duration_ms": -5}, "negative"),
        ({"arguments": ["not", "a", "mapping"]}, "mapping"),
    ],
    ids=["unknown-outcome", "negative-duration", "arguments-not-a-mapping"],
)
def test_bad_input_is_refused_and_writes_nothing(setup, change, message):
    workspace, log, context = setup
    call: dict[str, Any] = {"tool": "tasks_create", "outcome": "executed", "arguments": {}}
    with pytest.raises(Invalid, match=message):
        log.record(context, **{**call, **change})
    assert rows(workspace, context.business_id) == []


@pytest.mark.parametrize("limit", [0, -1, 10_001], ids=["zero", "negative", "too-many"])
def test_entries_refuses_a_silly_limit(setup, limit):
    _, log, context = setup
    with pytest.raises(Invalid, match="between 1 and 10,000"):
        log.entries(context.business_id, limit=limit)
