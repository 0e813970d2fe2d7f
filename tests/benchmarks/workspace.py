"""Workspace figures (issue 2): demo seed time, service query latency, database size.

    python -m tests.benchmarks.workspace [--quick] [--database-url URL]

Target: typical service queries p95 < 5 ms on SQLite (demo data, warm connection pool).
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from luma_desktop.clock import SystemClock
from luma_desktop.workspace.database import Workspace, sqlite_url
from luma_desktop.workspace.demo import seed_demo
from luma_desktop.workspace.services import Services, open_services

from ._stats import print_row, time_calls


def typical_queries(services: Services) -> dict[str, Callable[[], Any]]:
    """What the assistant asks most: today's diary, a client, money, tasks, search."""
    today = services.context.today()
    return {
        "appointments today": lambda: services.scheduling.list_appointments(today, today),
        "day summary": lambda: services.scheduling.day_summary(today),
        "get appointment by code": lambda: services.scheduling.get_appointment(code),
        "client search 'sarah'": lambda: services.clients.search("sarah"),
        "client profile": lambda: services.clients.get("Sarah Miller"),
        "overdue invoices": lambda: services.invoicing.list_invoices(status="overdue"),
        "invoice by number": lambda: services.invoicing.get_invoice("INV-0042"),
        "overdue summary": services.invoicing.overdue_summary,
        "bank balance": services.banking.get_balance,
        "recent transactions": lambda: services.banking.list_transactions(limit=20),
        "open tasks": services.tasks.list_tasks,
        "upcoming reminders": services.tasks.list_reminders,
        "global search 'miller'": lambda: services.search.search_global("miller"),
    }


code = ""


def main(argv: list[str] | None = None) -> None:
    global code  # noqa: PLW0603 - set once from the seeded data
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="few repetitions (smoke test)")
    parser.add_argument("--database-url", help="an empty database (default: a new SQLite file)")
    args = parser.parse_args(argv)
    repeat = 5 if args.quick else 200

    with tempfile.TemporaryDirectory() as folder:
        url = args.database_url or sqlite_url(Path(folder))
        workspace = Workspace(url)
        workspace.upgrade()
        started = time.perf_counter()
        summary = seed_demo(workspace, clock=SystemClock())
        seed_seconds = time.perf_counter() - started
        print(f"database: {workspace.dialect}")
        print(f"demo seed: {seed_seconds:.2f} s ({summary.describe()})")

        services = open_services(workspace)
        code = services.scheduling.list_appointments(limit=1)[0].confirmation_code
        print(f"service queries, {repeat} runs each (target p95 < 5 ms on SQLite):")
        all_samples: list[float] = []
        for name, call in typical_queries(services).items():
            samples = time_calls(call, repeat)
            all_samples += samples
            print_row(f"  {name}", samples)
        print_row("  all typical queries", all_samples, target="p95 < 5 ms")
        if workspace.dialect == "sqlite" and workspace.url.database:
            workspace.dispose()
            size = sum(os.path.getsize(p) for p in Path(folder).glob("workspace.sqlite3*"))
            print(f"database size: {size / 1_000_000:.2f} MB (with WAL)")
        workspace.dispose()


if __name__ == "__main__":
    main()
