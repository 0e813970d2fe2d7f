"""Shared fixtures: an isolated Luma home, workspaces on SQLite and a real PostgreSQL server."""

from __future__ import annotations

import itertools
import shutil
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pydantic
import pytest
import sqlalchemy as sa

from luma_desktop.clock import FixedClock
from luma_desktop.credentials import SECRET_NAMES
from luma_desktop.memory.embedders.base import Embedder
from luma_desktop.workspace.database import Workspace, sqlite_url

from ._postgres import PostgresServer, find_postgres_bin

# pytest-qt imports PySide6 when pytest configures; from then on shiboken inspects every module
# as it is imported, which breaks pydantic's lazily imported submodules (a circular import).
# Importing them here, before that, keeps `pytest tests/tools` working on its own.
pydantic.BaseModel, pydantic.Field, pydantic.ConfigDict, pydantic.ValidationError  # noqa: B018

# A fixed "now" for tests that need one: a Wednesday afternoon in London.
NOW = datetime(2026, 11, 18, 14, 30, tzinfo=UTC)

_database_numbers = itertools.count(1)


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own config/data/cache/log dirs, no keys and no keyring, and long-term
    memory off (its model loads in seconds; the memory tests turn it on)."""
    home = tmp_path / "luma-home"
    monkeypatch.setenv("LUMA_HOME", str(home))
    for name in (
        "LUMA_CONFIG_DIR",
        "LUMA_DATA_DIR",
        "LUMA_CACHE_DIR",
        "LUMA_LOG_DIR",
        "LUMA_DATABASE_URL",
        *SECRET_NAMES,
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LUMA_KEYRING", "off")
    monkeypatch.setenv("LUMA_MEMORY_ENABLED", "false")
    return home


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW)


@pytest.fixture(scope="session")
def minilm() -> Embedder:
    """The default embedder (all-MiniLM-L6-v2 with numpy), loaded once per test session."""
    from luma_desktop.memory.embedders.minilm import MiniLMEmbedder

    embedder = MiniLMEmbedder()
    embedder.load()
    return embedder


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer | None]:
    """A real PostgreSQL server for the session, or ``None`` when it cannot run here."""
    bin_dir = find_postgres_bin()
    if bin_dir is None:
        yield None
        return
    server = PostgresServer(bin_dir)
    try:
        server.start()
    except Exception:
        server.stop()
        yield None
        return
    yield server
    server.stop()


@pytest.fixture(scope="session")
def postgres_template(postgres_server: PostgresServer | None) -> str | None:
    """Name of a database migrated to head that tests copy (CREATE DATABASE ... TEMPLATE)."""
    if postgres_server is None:
        return None
    admin = sa.create_engine(postgres_server.url("postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text("CREATE DATABASE luma_template"))
    admin.dispose()
    template = Workspace(postgres_server.url("luma_template"))
    template.upgrade()
    template.dispose()
    return "luma_template"


def _new_postgres_database(server: PostgresServer, template: str | None) -> str:
    name = f"luma_test_{next(_database_numbers)}"
    admin = sa.create_engine(server.url("postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        suffix = f" TEMPLATE {template}" if template else ""
        connection.execute(sa.text(f"CREATE DATABASE {name}{suffix}"))
    admin.dispose()
    return server.url(name)


_NO_POSTGRES = (
    "PostgreSQL server binaries were not found or could not start "
    "(install Debian's postgresql package; `.ci/check` does)"
)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(
    request: pytest.FixtureRequest,
    tmp_path: Path,
    postgres_server: PostgresServer | None,
) -> str:
    """An empty database URL, once per backend."""
    if request.param == "sqlite":
        return sqlite_url(tmp_path / "db")
    if postgres_server is None:
        pytest.skip(_NO_POSTGRES)
    return _new_postgres_database(postgres_server, None)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def workspace(
    request: pytest.FixtureRequest,
    tmp_path: Path,
    postgres_server: PostgresServer | None,
    postgres_template: str | None,
) -> Iterator[Workspace]:
    """A migrated, empty workspace, once on SQLite and once on PostgreSQL."""
    if request.param == "sqlite":
        ws = Workspace(sqlite_url(tmp_path / "db"))
        ws.upgrade()
    else:
        if postgres_server is None:
            pytest.skip(_NO_POSTGRES)
        ws = Workspace(_new_postgres_database(postgres_server, postgres_template))
    yield ws
    ws.dispose()


@pytest.fixture
def sqlite_workspace(tmp_path: Path) -> Iterator[Workspace]:
    """A migrated, empty SQLite workspace (for tests that are about SQLite itself)."""
    ws = Workspace(sqlite_url(tmp_path / "db"))
    ws.upgrade()
    yield ws
    ws.dispose()


@pytest.fixture(scope="session")
def _demo_sqlite_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from luma_desktop.workspace.demo import seed_demo

    folder = tmp_path_factory.mktemp("demo")
    ws = Workspace(sqlite_url(folder))
    ws.upgrade()
    seed_demo(ws, clock=FixedClock(NOW))
    ws.dispose()
    return folder / "workspace.sqlite3"


@pytest.fixture
def demo_workspace(_demo_sqlite_file: Path, tmp_path: Path) -> Iterator[Workspace]:
    """A SQLite workspace holding the demo business seeded at ``NOW`` (a fresh copy per test)."""
    folder = tmp_path / "demo"
    folder.mkdir()
    shutil.copy(_demo_sqlite_file, folder / "workspace.sqlite3")
    ws = Workspace(sqlite_url(folder))
    yield ws
    ws.dispose()
