"""Team mode: memory on a real Chroma server (``chroma run``) started on 127.0.0.1."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from luma_desktop.errors import MemoryUnavailable
from luma_desktop.memory import Memory, MemoryStore
from luma_desktop.memory.records import Kind, Scope
from luma_desktop.workspace.models import Role

from .conftest import ADMIN, CLIENT, MANAGER, OTHER_OWNER, OWNER, STAFF

HEARTBEAT = "/api/v2/heartbeat"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _chroma_command() -> list[str]:
    """The ``chroma`` console script beside this Python, or the same CLI through ``-c``."""
    folder = Path(sys.executable).parent
    for name in ("chroma", "chroma.exe"):
        if (folder / name).is_file():
            return [str(folder / name)]
    found = shutil.which("chroma")
    if found:
        return [found]
    return [sys.executable, "-c", "from chromadb.cli.cli import app; app()"]


@pytest.fixture(scope="module")
def server_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A Chroma server for this module, stopped afterwards."""
    port = _free_port()
    folder = tmp_path_factory.mktemp("chroma-server")
    log = (folder / "server.log").open("w")
    command = [*_chroma_command(), "run", "--path", str(folder / "data")]
    process = subprocess.Popen(
        [*command, "--host", "127.0.0.1", "--port", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
        env={**os.environ, "ANONYMIZED_TELEMETRY": "False"},
    )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_for_heartbeat(url, process, folder / "server.log")
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=20)
        log.close()


def _wait_for_heartbeat(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 60
    with httpx.Client(timeout=2) as client:
        while time.monotonic() < deadline:
            if process.poll() is not None:
                pytest.fail(f"chroma run exited: {log.read_text()[-2000:]}")
            try:
                if client.get(url + HEARTBEAT).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.2)
    pytest.fail(f"chroma run did not answer within 60 s: {log.read_text()[-2000:]}")


@pytest.fixture
def team_memory(server_url: str, hashing, clock) -> Iterator[Memory]:
    """Memory on the server; each test starts from empty collections."""
    store = MemoryStore.server(server_url)
    for business_id in store.business_ids():
        store.delete(business_id, [r.id for r in store.all_records(business_id)])
    with Memory(store, hashing, clock=clock) as memory:
        yield memory


def test_remember_search_and_forget_on_the_server(team_memory):
    record = team_memory.remember(
        OWNER, "Prefers invoice reminders on Mondays", scope=Scope.PERSONAL, kind=Kind.NOTE
    )
    assert team_memory.store.remote
    assert [h.record for h in team_memory.search(OWNER, "invoice reminders")] == [record]
    assert team_memory.forget(OWNER, "invoice reminders") == [record]
    assert team_memory.search(OWNER, "invoice reminders") == []


def test_two_desktops_share_one_server(team_memory, server_url, hashing, clock):
    company = team_memory.remember(
        MANAGER, "Alpine Tech's contact is Hans Mueller", scope=Scope.COMPANY, kind=Kind.FACT
    )
    with Memory(MemoryStore.server(server_url), hashing, clock=clock) as other_desktop:
        hits = other_desktop.search(STAFF, "Alpine Tech contact")
        assert [h.record for h in hits] == [company]


def test_isolation_holds_on_the_server(team_memory):
    texts = {
        OWNER: "Owner keeps the safe code in the office",
        CLIENT: "Client prefers appointments after work in the office",
        OTHER_OWNER: "Other business keeps the office keys",
    }
    for reader, text in texts.items():
        team_memory.remember(reader, text, scope=Scope.PERSONAL, kind=Kind.NOTE)
    team_memory.remember(
        ADMIN,
        "Owners only: the office alarm code",
        scope=Scope.COMPANY,
        kind=Kind.FACT,
        visible_to=[Role.OWNER],
    )
    seen = {
        reader: {h.record.text for h in team_memory.search(reader, "office", threshold=0.5)}
        for reader in (OWNER, ADMIN, STAFF, CLIENT, OTHER_OWNER)
    }
    assert seen[OWNER] == {texts[OWNER], "Owners only: the office alarm code"}
    assert seen[ADMIN] == set()
    assert seen[STAFF] == set()
    assert seen[CLIENT] == {texts[CLIENT]}
    assert seen[OTHER_OWNER] == {texts[OTHER_OWNER]}
    vector = team_memory.embedder.embed_one("office")
    assert {r.text for r, _ in team_memory.store.query_filtered(CLIENT, vector, 10)} == {
        texts[CLIENT]
    }


def test_an_unreachable_server_is_memory_unavailable():
    port = _free_port()
    with pytest.raises(MemoryUnavailable, match="memory_server_url") as caught:
        MemoryStore.server(f"http://127.0.0.1:{port}")
    assert f"127.0.0.1:{port}" in str(caught.value)
