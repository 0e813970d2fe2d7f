"""``luma memory`` on the demo business in this test's LUMA_HOME: a real Chroma store and the
shipped all-MiniLM-L6-v2 model (loaded once for the session)."""

from __future__ import annotations

import json
import shutil
import sys
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from typer.testing import CliRunner

from luma_desktop.assistant.context import execution_context_for
from luma_desktop.cli import main
from luma_desktop.cli.memory import write_json_atomically
from luma_desktop.clock import FixedClock
from luma_desktop.memory import Memory, MemoryStore, Reader
from luma_desktop.memory.embedders import MiniLMEmbedder
from luma_desktop.paths import resolve_paths
from luma_desktop.workspace.database import SQLITE_FILE_NAME, Workspace, sqlite_url
from luma_desktop.workspace.models import Role, User

from .conftest import NOW

runner = CliRunner()

MONDAYS = "I prefer invoice reminders on Mondays"
ALPINE = "Alpine Tech's contact is Hans Mueller"
SHIFTS = "I prefer afternoon shifts"


@pytest.fixture(scope="session")
def minilm() -> MiniLMEmbedder:
    embedder = MiniLMEmbedder()
    embedder.load()
    return embedder


@pytest.fixture(autouse=True)
def demo_home(
    _demo_sqlite_file: Path, minilm: MiniLMEmbedder, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The demo business in LUMA_HOME, Luma's clock at ``NOW``, memory on with the session's
    loaded model."""
    data = resolve_paths().data
    data.mkdir(parents=True, exist_ok=True)
    shutil.copy(_demo_sqlite_file, data / SQLITE_FILE_NAME)
    monkeypatch.setattr("luma_desktop.bootstrap.SystemClock", lambda: FixedClock(NOW))
    monkeypatch.setattr("luma_desktop.memory.embedders.embedder_for", lambda _name: minilm)
    monkeypatch.setenv("LUMA_MEMORY_ENABLED", "true")


@pytest.fixture(scope="session")
def accounts(_demo_sqlite_file: Path) -> dict[Role, tuple[Reader, str]]:
    """The demo's owner and a staff member as memory readers, with their e-mails."""
    found = {}
    with Workspace(sqlite_url(_demo_sqlite_file.parent)) as workspace:
        for role in (Role.OWNER, Role.STAFF):
            context = execution_context_for(workspace, role=role)
            with workspace.transaction(None) as session:
                email = session.scalar(sa.select(User.email).where(User.id == context.user_id))
            found[role] = (Reader.of(context), email or "")
    return found


def memory_at(minilm: MiniLMEmbedder, clock: FixedClock) -> Memory:
    return Memory(MemoryStore.local(resolve_paths().data / "memory"), minilm, clock=clock)


@pytest.fixture
def people(minilm, accounts) -> dict[Role, tuple[Reader, str]]:
    """Three memories: the owner's preference, a business fact, a staff member's preference."""
    owner, staff = accounts[Role.OWNER][0], accounts[Role.STAFF][0]
    clock = FixedClock(NOW - timedelta(minutes=3))
    with memory_at(minilm, clock) as memory:
        memory.remember(owner, MONDAYS, scope="personal", kind="preference")
        clock.advance(timedelta(minutes=1))
        memory.remember(owner, ALPINE, scope="company", kind="fact")
        clock.advance(timedelta(minutes=1))
        memory.remember(staff, SHIFTS, scope="personal", kind="preference")
    return accounts


def run(*args: str, answer: str | None = None) -> tuple[int, str, str]:
    """``luma`` with ``args`` (stdin ``answer``): exit code, output and errors, spaces folded."""
    with runner.isolation(input=answer) as (out, err, _):
        code = main(list(args))
        sys.stdout.flush()
        printed, errors = out.getvalue().decode(), err.getvalue().decode()
    return code, " ".join(printed.split()), " ".join(errors.split())


def listed(*args: str) -> list[str]:
    code, out, err = run("memory", "list", "--json", *args)
    assert code == 0, err
    return [row["text"] for row in json.loads(out)]


# -- list and search ----------------------------------------------------------------------------


def test_list_shows_what_each_user_may_recall_newest_first(people):
    assert listed() == [ALPINE, MONDAYS]
    assert listed("--role", "staff") == [SHIFTS, ALPINE]
    assert listed("--user", people[Role.STAFF][1]) == [SHIFTS, ALPINE]
    assert listed("--role", "client") == []
    code, out, _ = run("memory", "list")
    assert code == 0
    for text in ("Memories: 2", "company", "fact", "Alpine Tech's", "Mondays"):
        assert text in out


def test_list_of_nothing_and_a_bad_role(people):
    code, out, _ = run("memory", "list", "--role", "client")
    assert (code, out) == (0, "Luma doesn't remember anything for you yet.")
    code, _, err = run("memory", "list", "--role", "boss")
    assert code == 2
    assert "“boss” is not a role" in err


def test_search_finds_a_paraphrase(people):
    code, out, _ = run("memory", "search", "who is our contact at Alpine", "--json")
    rows = json.loads(out)
    assert code == 0
    assert rows[0]["text"] == ALPINE
    assert rows[0]["similarity"] >= 0.62
    code, out, _ = run("memory", "search", "the boiler repair")
    assert (code, out) == (0, "Nothing in memory matches “the boiler repair”.")


# -- forget -------------------------------------------------------------------------------------


def test_forget_shows_asks_and_keeps_on_no(people):
    code, out, _ = run("memory", "forget", "my invoice reminder day", answer="n\n")
    assert code == 1
    assert "To forget: 1 memory" in out
    assert "Mondays" in out
    assert "Kept them: nothing was forgotten." in out
    assert listed() == [ALPINE, MONDAYS]


def test_forget_on_yes(people):
    code, out, _ = run("memory", "forget", "my invoice reminder day", answer="y\n")
    assert (code, out.endswith("Forgot 1 memory.")) == (0, True)
    assert listed() == [ALPINE]
    code, out, _ = run("memory", "forget", "who is the contact at Alpine", "--yes")
    assert (code, out.endswith("Forgot 1 memory.")) == (0, True)
    assert listed() == []


def test_staff_cannot_forget_business_knowledge(people):
    code, _, err = run("memory", "forget", "who is the contact at Alpine", "--role", "staff")
    assert code == 2
    assert "only an owner or admin can make it forget that" in err
    assert listed() == [ALPINE, MONDAYS]


def test_forget_with_nothing_matching(people):
    code, out, _ = run("memory", "forget", "the boiler repair", "--yes")
    assert (code, out) == (
        0,
        "Nothing in memory matches “the boiler repair”; nothing was forgotten.",
    )


# -- export and forget-all (privacy requests) ------------------------------------------------


def test_export_your_own_and_someone_elses(people, tmp_path):
    owner_email, staff_email = people[Role.OWNER][1], people[Role.STAFF][1]
    mine = tmp_path / "mine.json"
    code, out, _ = run("memory", "export", str(mine))
    assert (code, out) == (0, f"Exported 1 memory of {owner_email} to {mine}.")
    document = json.loads(mine.read_text(encoding="utf-8"))
    assert (document["user"], document["count"]) == (owner_email, 1)
    assert [m["text"] for m in document["memories"]] == [MONDAYS]
    assert document["exported_at"] == NOW.isoformat()
    assert mine.stat().st_mode & 0o077 == 0

    theirs = tmp_path / "theirs.json"
    code, _, _ = run("memory", "export", str(theirs), "--user", staff_email.upper())
    assert code == 0
    assert [m["text"] for m in json.loads(theirs.read_text())["memories"]] == [SHIFTS]


def test_export_never_overwrites_without_force(people, tmp_path):
    folder = tmp_path / "exports"
    folder.mkdir()
    target = folder / "export.json"
    target.write_text("keep me", encoding="utf-8")
    code, _, err = run("memory", "export", str(target))
    assert code == 2
    assert "already exists; choose another file or add --force." in err
    assert target.read_text(encoding="utf-8") == "keep me"
    assert run("memory", "export", str(target), "--force")[0] == 0
    assert json.loads(target.read_text(encoding="utf-8"))["count"] == 1
    assert [p.name for p in folder.iterdir()] == ["export.json"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        pytest.param(("--user", "nobody@example.com"), "couldn't find user", id="unknown-user"),
        pytest.param((), "does not exist; create it first", id="missing-folder"),
    ],
)
def test_export_errors(people, tmp_path, args, message):
    code, _, err = run("memory", "export", str(tmp_path / "no" / "such" / "x.json"), *args)
    assert code == 2
    assert message in err


def test_staff_may_export_only_their_own(people, tmp_path, monkeypatch):
    monkeypatch.setenv("LUMA_USER", people[Role.STAFF][1])
    owner_email = people[Role.OWNER][1]
    code, _, err = run("memory", "export", str(tmp_path / "x.json"), "--user", owner_email)
    assert code == 2
    assert "Only an owner or admin can handle another person's memories" in err
    assert not (tmp_path / "x.json").exists()
    assert run("memory", "export", str(tmp_path / "mine.json"))[0] == 0
    assert json.loads((tmp_path / "mine.json").read_text())["memories"][0]["text"] == SHIFTS


def test_forget_all_erases_one_persons_memories(people):
    staff_email = people[Role.STAFF][1]
    code, out, _ = run("memory", "forget-all", "--user", staff_email, answer="no\n")
    assert code == 1
    assert f"Delete all 1 memory of {staff_email}? This cannot be undone." in out
    assert listed("--role", "staff") == [SHIFTS, ALPINE]
    code, out, _ = run("memory", "forget-all", "--user", staff_email, "--yes")
    assert (code, out) == (0, f"Deleted 1 memory of {staff_email}.")
    assert listed("--role", "staff") == [ALPINE]
    code, out, _ = run("memory", "forget-all", "--user", staff_email)
    assert (code, out) == (0, f"Luma has no personal memories of {staff_email}; nothing to delete.")


def test_forget_all_of_someone_else_is_for_owners_and_admins(people, monkeypatch):
    monkeypatch.setenv("LUMA_USER", people[Role.STAFF][1])
    code, _, err = run("memory", "forget-all", "--user", people[Role.OWNER][1], "--yes")
    assert code == 2
    assert "Only an owner or admin" in err
    assert listed("--role", "owner") == [ALPINE, MONDAYS]


def test_json_is_written_whole_or_not_at_all(tmp_path):
    folder = tmp_path / "exports"
    folder.mkdir()
    target = folder / "out.json"
    target.write_text("old", encoding="utf-8")
    with pytest.raises(TypeError):
        write_json_atomically(target, {"not json": object()})
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in folder.iterdir()] == ["out.json"]


# -- maintain and status ------------------------------------------------------------------------


def test_maintain_expires_old_memories(people, minilm):
    owner = people[Role.OWNER][0]
    with memory_at(minilm, FixedClock(NOW - timedelta(days=181))) as old:
        old.remember(owner, "The old supplier was Brightwater", scope="company", kind="fact")
    code, out, _ = run("memory", "maintain", "--json")
    figures = json.loads(out)
    assert code == 0
    assert (figures["expired"], figures["remaining"], figures["businesses"]) == (1, 3, 1)
    code, out, _ = run("memory", "maintain")
    assert out == (
        "Memory maintenance done: 0 expired, 0 merged, 0 re-embedded; 3 left (1 business)."
    )


def test_maintain_is_for_owners_and_admins(people, monkeypatch):
    monkeypatch.setenv("LUMA_USER", people[Role.STAFF][1])
    code, _, err = run("memory", "maintain")
    assert code == 2
    assert "Memory maintenance is for owners and admins; you are signed in as a staff" in err


def test_status(people):
    code, out, _ = run("memory", "status", "--json")
    figures = json.loads(out)
    assert code == 0
    assert figures["state"] == "ready"
    assert figures["embedder"] == "all-MiniLM-L6-v2/numpy"
    assert figures["store"] == str(resolve_paths().data / "memory")
    assert (figures["business_memories"], figures["you_can_recall"], figures["yours"]) == (3, 2, 1)
    code, out, _ = run("memory", "status")
    assert code == 0
    assert "Long-term memory" in out
    assert "business memories │ 3" in out


def test_memory_off_is_a_clear_error(monkeypatch):
    monkeypatch.setenv("LUMA_MEMORY_ENABLED", "false")
    code, _, err = run("memory", "list")
    assert code == 2
    assert "Long-term memory is off. Turn on memory_enabled in Settings" in err
    assert "(setting: memory_enabled)" in err
