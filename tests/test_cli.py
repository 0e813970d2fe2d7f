"""The ``luma`` command: version, doctor, demo, db and keys, run as real subprocesses."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from luma_desktop import __version__
from luma_desktop.assistant.access import CLIENT_PORTAL_TOOLS
from luma_desktop.cli import main
from luma_desktop.tools import default_registry

ROOT = Path(__file__).resolve().parents[1]


def luma(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "luma_desktop", *args],
        check=False,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, **(env or {})},
        cwd=ROOT,
    )


def test_version():
    result = luma("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"luma {__version__}"


def test_version_does_not_import_the_database_layer():
    code = (
        "import sys; from luma_desktop.cli import main; rc = main(['--version']); "
        "print('sqlalchemy' in sys.modules, 'luma_desktop.workspace' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert result.stdout.strip().endswith("False False")


def test_doctor_on_a_machine_without_audio_or_keys():
    luma("db", "upgrade")
    result = luma("doctor", "--json", env={"DISPLAY": "", "WAYLAND_DISPLAY": ""})
    assert result.returncode == 0, result.stderr
    checks = {(c["area"], c["name"]): c for c in json.loads(result.stdout)}
    assert checks[("database", "workspace")]["status"] == "ok"
    assert checks[("keys", "ANTHROPIC_API_KEY")]["detail"] == "not set"
    assert checks[("folders", "data")]["status"] == "ok"
    assert ("audio", "devices") in checks
    assert ("display", "desktop") in checks


def test_doctor_never_prints_key_values():
    secret = "sk-ant-doctor-test-value-123456"
    result = luma("doctor", env={"ANTHROPIC_API_KEY": secret, "COLUMNS": "200"})
    assert secret not in result.stdout + result.stderr
    assert "set (environment)" in result.stdout


def test_doctor_reports_an_unreachable_database():
    result = luma(
        "doctor",
        "--json",
        env={"LUMA_DATABASE_URL": "postgresql+psycopg://nobody:pw@127.0.0.1:1/none"},
    )
    assert result.returncode == 1
    (database,) = [c for c in json.loads(result.stdout) if c["area"] == "database"]
    assert database["status"] == "fail"
    assert "pw@" not in database["detail"]


def test_bad_settings_give_a_clear_error_and_exit_code():
    result = luma("db", "status", env={"LUMA_LOG_LEVEL": "LOUD"})
    assert result.returncode == 2
    assert "Error:" in result.stderr
    assert "log_level" in result.stderr
    assert "Traceback" not in result.stderr


def test_db_upgrade_then_status(tmp_path):
    upgraded = luma("db", "upgrade")
    assert upgraded.returncode == 0, upgraded.stderr
    assert "up to date" in upgraded.stdout
    status = luma("db", "status")
    assert "revision 0001 (up to date)" in status.stdout


def test_demo_then_reset():
    created = luma("demo")
    assert created.returncode == 0, created.stderr
    assert "Demo business ready" in created.stdout
    again = luma("demo")
    assert again.returncode == 2
    assert "--reset" in again.stderr
    reset = luma("demo", "--reset")
    assert reset.returncode == 0, reset.stderr


def test_keys_status_and_unknown_key(capsys):
    assert main(["keys", "status"]) == 0
    out = capsys.readouterr().out
    assert "ANTHROPIC_API_KEY" in out
    assert "not set" in out
    assert main(["keys", "delete", "NOT_A_KEY"]) == 2
    assert "not a key Luma uses" in capsys.readouterr().err


@pytest.mark.parametrize(
    "args", [["--help"], ["db", "--help"], ["no-such-command"]], ids=["help", "db-help", "unknown"]
)
def test_help_and_usage_errors(args):
    result = luma(*args)
    assert result.returncode in (0, 2)
    assert "Usage" in result.stdout + result.stderr


def test_overview_on_first_run_creates_the_demo_and_reports_real_figures():
    result = luma(env={"COLUMNS": "200"})
    assert result.returncode == 0, result.stderr
    assert "appointment(s) today" in result.stdout or "Closed today" in result.stdout
    assert "3 overdue invoice(s) totalling £" in result.stdout
    assert "Bank balance £" in result.stdout
    assert "open task(s)" in result.stdout


def test_tools_command_lists_a_role_s_tools():
    result = luma("tools", "--role", "client", "--json")
    assert result.returncode == 0, result.stderr
    names = {row["name"] for row in json.loads(result.stdout)}
    assert "tasks_create" not in names
    assert names == CLIENT_PORTAL_TOOLS & {tool.name for tool in default_registry()}
    bad = luma("tools", "--role", "nobody")
    assert bad.returncode == 2
    assert "not a role" in bad.stderr
