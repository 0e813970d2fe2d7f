"""``luma chat`` end to end with no API key: the offline brain, the gatekeeper, the demo data.

Each test types lines into the interactive chat (stdin) and checks both what was printed and
what changed in the workspace.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import sqlalchemy as sa
from typer.testing import CliRunner

from luma_desktop.bootstrap import open_workspace, start
from luma_desktop.cli import main
from luma_desktop.cli._app import app
from luma_desktop.cli.chat import register
from luma_desktop.clock import FixedClock
from luma_desktop.paths import resolve_paths
from luma_desktop.workspace.database import SQLITE_FILE_NAME
from luma_desktop.workspace.models import Appointment, Reminder, Task

from .conftest import NOW

register(app)
runner = CliRunner()


@pytest.fixture(autouse=True)
def demo_home(_demo_sqlite_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The demo business in this test's LUMA_HOME, and Luma's clock at the demo's ``NOW``."""
    data = resolve_paths().data
    data.mkdir(parents=True, exist_ok=True)
    shutil.copy(_demo_sqlite_file, data / SQLITE_FILE_NAME)
    monkeypatch.setattr("luma_desktop.bootstrap.SystemClock", lambda: FixedClock(NOW))


def chat(*lines: str, args: tuple[str, ...] = ()) -> str:
    result = runner.invoke(app, ["chat", *args], input="".join(f"{line}\n" for line in lines))
    assert result.exit_code == 0, result.output
    return result.output


def count(model) -> int:
    with open_workspace(start()) as workspace, workspace.transaction(None) as session:
        return session.scalar(sa.select(sa.func.count()).select_from(model)) or 0


def test_balance():
    out = chat("what's my balance")
    assert "→ banking_get_balance" in out
    assert "£" in out


def test_booking_waits_for_yes():
    before = count(Appointment)
    out = chat("book sarah miller in for a cut and blow dry tomorrow at 2pm")
    assert "? Book Cut & blow-dry for Sarah Miller at Thu 19 Nov at 14:00?" in out
    assert count(Appointment) == before
    out = chat("book sarah miller in for a cut and blow dry tomorrow at 2pm", "yes")
    assert "✓ done" in out
    assert count(Appointment) == before + 1


def test_the_two_sarahs():
    before = count(Appointment)
    out = chat("book sarah for a cut and blow dry tomorrow at 3pm", "sarah thompson", "yes")
    assert "Which client did you mean?" in out
    assert "Sarah Miller" in out
    assert "Sarah Thompson" in out
    assert count(Appointment) == before + 1


def test_overdue_invoices():
    out = chat("which invoices are overdue")
    assert "→ invoices_list" in out or "→ invoices_overdue_summary" in out
    assert "overdue" in out.lower()


def test_todos_by_title():
    before = count(Task)
    out = chat(
        "add order more foils to my list", "tick off order more foils", "delete the foils task"
    )
    assert "→ tasks_create" in out
    assert "→ tasks_complete" in out
    assert "→ tasks_delete" in out
    if "Yes or no?" in out.split("→ tasks_delete")[1]:
        out = chat("delete the foils task", "yes")
    assert count(Task) == before


def test_a_reminder_by_slot_filling():
    before = count(Reminder)
    out = chat("create a reminder", "meeting with the team", "tomorrow at 3pm")
    assert "What should I remind you about?" in out
    assert "When?" in out
    assert count(Reminder) == before + 1


def test_undo_reverts_the_last_change():
    before = count(Task)
    out = chat("add call the wholesaler to my list", "undo that", "yes")
    assert "→ assistant_undo_last" in out
    assert "Undone" in out
    assert count(Task) == before


def test_json_lines_for_scripts():
    result = runner.invoke(app, ["chat", "--json", "what's my balance"])
    assert result.exit_code == 0, result.output
    events = [json.loads(line) for line in result.output.splitlines() if line.strip()]
    assert events[-1]["type"] == "turn_complete"
    assert {"thinking", "tool_started", "tool_finished"} <= {e["type"] for e in events}


def test_a_staff_member_cannot_see_the_bank():
    out = chat("what's my balance", args=("--role", "staff"))
    assert "not available to a staff" in out
    assert "£" not in out


def test_an_unknown_role_is_a_clear_error(capsys):
    assert main(["chat", "--role", "emperor", "hi"]) == 2
    assert "“emperor” is not a role" in capsys.readouterr().err
