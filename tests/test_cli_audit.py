"""``luma audit verify|list`` and ``luma usage`` on the demo workspace."""

from __future__ import annotations

import json
import sqlite3

import pytest
import sqlalchemy as sa

from luma_desktop.assistant.audit import AuditLog, AuditOutcome
from luma_desktop.assistant.context import ExecutionContext, execution_context_for
from luma_desktop.assistant.events import Usage
from luma_desktop.assistant.usage import record_usage
from luma_desktop.cli import main
from luma_desktop.clock import FixedClock, SystemClock
from luma_desktop.workspace.database import Workspace
from luma_desktop.workspace.models import Role, User

from .conftest import NOW


@pytest.fixture
def demo(demo_workspace: Workspace, monkeypatch: pytest.MonkeyPatch) -> Workspace:
    """The demo workspace, used by the CLI through LUMA_DATABASE_URL."""
    monkeypatch.setenv("LUMA_DATABASE_URL", demo_workspace.url.render_as_string(False))
    return demo_workspace


@pytest.fixture
def owner(demo: Workspace) -> ExecutionContext:
    return execution_context_for(demo, clock=FixedClock(NOW))


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, " ".join(out.split()), " ".join(err.split())


def record_three(demo: Workspace, owner: ExecutionContext) -> None:
    log = AuditLog(demo)
    log.record(owner, tool="tasks_create", outcome=AuditOutcome.EXECUTED, arguments={"t": "x"})
    log.record(
        owner,
        tool="banking_pay",
        outcome=AuditOutcome.CANCELLED,
        arguments={"amount_minor": 5000, "pin": "1234"},
        reason="The owner said no",
    )
    log.record(owner, tool="invoices_send", outcome=AuditOutcome.DENIED, arguments={})


def test_verify_an_intact_trail(capsys, demo, owner):
    record_three(demo, owner)
    assert run(capsys, "audit", "verify") == (0, "Audit trail intact: 3 entries checked.", "")
    code, out, _ = run(capsys, "audit", "verify", "--json")
    report = json.loads(out)
    assert (code, report["ok"], report["checked"], report["broken_at"]) == (0, True, 3, None)


def test_verify_names_a_tampered_entry(capsys, demo, owner):
    record_three(demo, owner)
    with sqlite3.connect(demo.url.database or "") as connection:
        (second,) = connection.execute("SELECT id FROM audit_log ORDER BY id LIMIT 1 OFFSET 1")
        connection.execute("UPDATE audit_log SET outcome = 'executed' WHERE id = ?", second)
    connection.close()
    code, out, _ = run(capsys, "audit", "verify")
    assert code == 1
    assert f"Audit trail broken at entry {second[0]}" in out
    assert f"Entry {second[0]} was changed after it was written" in out
    code, out, _ = run(capsys, "audit", "verify", "--json")
    assert (code, json.loads(out)["broken_at"], json.loads(out)["checked"]) == (1, second[0], 1)


def test_list_shows_the_newest_entries(capsys, demo, owner):
    record_three(demo, owner)
    code, out, _ = run(capsys, "audit", "list", "--limit", "2", "--json")
    rows = json.loads(out)
    assert code == 0
    assert [(r["tool"], r["outcome"], r["reason"]) for r in rows] == [
        ("invoices_send", "denied", None),
        ("banking_pay", "cancelled", "The owner said no"),
    ]
    assert rows[0]["user_name"] == owner.user_name
    code, out, _ = run(capsys, "audit", "list")
    assert code == 0
    for text in ("time", "outcome", "banking_pay", "cancelled", "tasks_create", "owner"):
        assert text in out


def test_list_of_an_empty_trail(capsys, demo):
    assert run(capsys, "audit", "list")[:2] == (
        0,
        "The audit trail is empty: Luma has not acted on anything yet.",
    )


def test_list_refuses_a_bad_limit(capsys, demo):
    code, _, err = run(capsys, "audit", "list", "--limit", "0")
    assert code == 2
    assert "between 1 and 10,000" in err


def test_the_audit_trail_is_for_owners_and_admins(capsys, demo, monkeypatch):
    with demo.transaction(None) as session:
        email = session.scalar(sa.select(User.email).where(User.role == Role.STAFF).limit(1))
    monkeypatch.setenv("LUMA_USER", email or "")
    code, _, err = run(capsys, "audit", "verify")
    assert code == 2
    assert "for owners and admins; you are signed in as a staff" in err


def test_usage_this_month(capsys, demo, owner):
    clock = owner.clock
    assert isinstance(clock, FixedClock)
    clock.advance(SystemClock().now() - NOW)  # the CLI reports the real current month
    record_usage(demo, owner, model="claude-sonnet-4-5", usage=Usage(1000, 200, 500, 0))
    record_usage(demo, owner, model="llama3.1", usage=Usage(40, 2))
    code, out, _ = run(capsys, "usage", "--json")
    figures = json.loads(out)
    assert code == 0
    assert (figures["total_tokens"], figures["messages"]) == (1742, 2)
    assert figures["by_model"]["claude-sonnet-4-5"]["cache_read_tokens"] == 500
    assert figures["by_user"][owner.user_name]["total_tokens"] == 1742
    code, out, _ = run(capsys, "usage")
    assert code == 0
    assert "model claude-sonnet-4-5" in out
    assert "1,742" in out
