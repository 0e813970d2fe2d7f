"""A writer killed in the middle of multi-row transactions leaves a consistent workspace."""

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import sqlalchemy as sa

from luma_desktop.workspace.database import Workspace
from luma_desktop.workspace.models import Invoice, InvoiceLine, TaxSettings

from ._crash_writer import LINES_PER_INVOICE
from .factories import make_business, make_client

ROOT = Path(__file__).resolve().parents[1]
KILLS = 8


def run_and_kill(url: str, business_id: int, rng: random.Random) -> list[int]:
    """Start the writer, let it commit for a random while, SIGKILL it; the numbers it committed."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    writer = subprocess.Popen(
        [sys.executable, "-m", "tests._crash_writer", url, str(business_id)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert writer.stdout is not None
    first = writer.stdout.readline()  # wait until it is really writing
    assert first.strip().isdigit(), writer.stderr.read() if writer.stderr else first
    time.sleep(rng.uniform(0.05, 0.4))
    writer.send_signal(signal.SIGKILL)
    out, _ = writer.communicate(timeout=30)
    return [int(first)] + [int(line) for line in out.split() if line.isdigit()]


def test_killed_writer_never_leaves_half_an_invoice(db_url):
    workspace = Workspace(db_url)
    workspace.upgrade()
    context = make_business(workspace)
    make_client(workspace, context, "Sarah", "Miller")
    rng = random.Random(42)
    committed: list[int] = []
    for _ in range(KILLS):
        committed += run_and_kill(db_url, context.business_id, rng)

        with workspace.transaction(context.business_id) as session:
            lines_per_invoice = dict(
                session.execute(
                    sa.select(InvoiceLine.invoice_id, sa.func.count()).group_by(
                        InvoiceLine.invoice_id
                    )
                ).all()
            )
            invoices = session.scalars(sa.select(Invoice)).all()
            next_number = session.scalars(sa.select(TaxSettings.next_invoice_number)).one()
        numbers = sorted(int(inv.number.removeprefix("INV-")) for inv in invoices)
        assert all(lines_per_invoice.get(inv.id) == LINES_PER_INVOICE for inv in invoices)
        assert set(lines_per_invoice) == {inv.id for inv in invoices}
        assert numbers == list(range(1, len(numbers) + 1)), "numbering has a gap or duplicate"
        assert next_number == len(numbers) + 1
        assert set(committed) <= set(numbers), "a committed invoice was lost"

    if workspace.dialect == "sqlite":
        with workspace.engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
            assert connection.exec_driver_sql("PRAGMA foreign_key_check").all() == []
    assert len(committed) >= KILLS
    workspace.dispose()


def test_database_path_that_cannot_exist_is_a_clear_error(tmp_path):
    from luma_desktop.errors import WorkspaceError

    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the data folder should be")
    with pytest.raises(WorkspaceError, match="cannot be created"):
        Workspace(f"sqlite:///{blocker / 'workspace.sqlite3'}")
