"""``luma parse``: the offline brain's proposal for a request, printed, nothing run."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import sqlalchemy as sa
from typer.testing import CliRunner

from luma_desktop.bootstrap import open_workspace, start
from luma_desktop.cli._app import app
from luma_desktop.cli.parse import register
from luma_desktop.paths import resolve_paths
from luma_desktop.workspace.database import SQLITE_FILE_NAME
from luma_desktop.workspace.models import Task

register(app)
runner = CliRunner()


def parse(*args: str, stdin: str | None = None) -> str:
    result = runner.invoke(app, ["parse", *args], input=stdin)
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture(autouse=True)
def demo_home(_demo_sqlite_file: Path) -> None:
    """The isolated LUMA_HOME of every test, with the demo business in its workspace."""
    data = resolve_paths().data
    data.mkdir(parents=True, exist_ok=True)
    shutil.copy(_demo_sqlite_file, data / SQLITE_FILE_NAME)


def task_count() -> int:
    with open_workspace(start()) as workspace, workspace.transaction(None) as session:
        return session.scalar(sa.select(sa.func.count(Task.id))) or 0


def test_a_request_prints_the_tool_and_its_arguments():
    out = parse("I need to call the dentist friday")
    assert "→ tasks_create (confidence 1.00)" in out
    assert "title: call the dentist" in out
    assert "due: friday" in out


def test_json_gives_the_whole_understanding():
    (line,) = parse("tick off the milk", "--json").splitlines()
    assert json.loads(line) == {
        "text": "tick off the milk",
        "tool": "tasks_complete",
        "arguments": {"tasks": ["Buy milk for the staff room"]},
        "confidence": 1.0,
        "missing": [],
        "question": None,
        "suggestions": [],
    }


def test_a_missing_argument_shows_the_question():
    out = parse("create a reminder")
    assert "missing: text, when" in out
    assert "asks: “What should I remind you about?”" in out


def test_no_match_shows_suggestions():
    out = parse("sing me a song")
    assert "no match. You could say: “" in out


def test_dash_reads_one_request_per_line_from_stdin():
    out = parse("-", "--json", stdin="what's on my list\n\n  \nundo that\n")
    parsed = [json.loads(line) for line in out.splitlines()]
    assert [(p["text"], p["tool"]) for p in parsed] == [
        ("what's on my list", "tasks_list"),
        ("undo that", "assistant_undo_last"),
    ]


def test_parsing_runs_nothing():
    before = task_count()
    parse("add a task to order more towels")
    assert task_count() == before


def test_register_adds_the_command_once():
    register(app)
    assert [c.name for c in app.registered_commands].count("parse") == 1


def test_the_luma_command_knows_parse(capsys: pytest.CaptureFixture[str]):
    from luma_desktop.cli import main

    assert main(["parse", "undo that", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["tool"] == "assistant_undo_last"
