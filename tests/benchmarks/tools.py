"""Tool figures (issue 3): registry filtering per role, definition sizes, handler latency.

    python -m tests.benchmarks.tools [--quick]

Targets: filtering < 1 ms per role; handlers p95 < 20 ms on the demo data.
Tokens are estimated as bytes / 4 (the usual ratio for English and JSON).
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path
from typing import Any

from luma_desktop.assistant.context import execution_context_for
from luma_desktop.assistant.executor import Executor
from luma_desktop.clock import SystemClock
from luma_desktop.tools import build_registry
from luma_desktop.workspace.database import Workspace, sqlite_url
from luma_desktop.workspace.demo import seed_demo
from luma_desktop.workspace.models import Role

from ._stats import print_row, time_calls

# Representative calls: what people ask most, reads and writes, on the demo data.
CALLS: list[tuple[str, dict[str, Any]]] = [
    ("scheduling_list_appointments", {}),
    ("scheduling_day_summary", {}),
    ("scheduling_check_availability", {"service": "Cut & blow-dry", "day": "tomorrow"}),
    ("clients_search", {"query": "sarah"}),
    ("clients_get", {"client": "Sarah Miller"}),
    ("clients_history", {"client": "Sarah Miller"}),
    ("clients_engagement", {"client": "Sarah Miller"}),
    ("clients_search", {"query": "", "engagement": "vip"}),
    ("invoices_list", {"status": "overdue"}),
    ("invoices_get", {"invoice": "INV-0042"}),
    ("invoices_overdue_summary", {}),
    ("banking_get_balance", {}),
    ("banking_list_transactions", {"limit": 20}),
    ("tasks_list", {}),
    ("tasks_create", {"title": "Benchmark task", "due": "friday at 3"}),
    ("reminders_list", {}),
    ("search_global", {"query": "miller"}),
    ("search_lookup_reference", {"reference": "INV-0042"}),
]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="few repetitions (smoke test)")
    args = parser.parse_args(argv)
    repeat = 5 if args.quick else 200

    registry = build_registry()
    print(f"registry: {len(registry)} tools")
    print("per role: filtering time, tools sent, definition size (target filtering < 1 ms):")
    owner_bytes = 0
    with tempfile.TemporaryDirectory() as folder:
        workspace = Workspace(sqlite_url(Path(folder)))
        workspace.upgrade()
        seed_demo(workspace, clock=SystemClock())
        executor = Executor(workspace, registry, {"files_dir": Path(folder) / "files"})
        for role in Role:
            context = execution_context_for(workspace, role=role)
            samples = time_calls(lambda c=context: executor.accessible_tools(c), repeat * 5)
            tools = executor.accessible_tools(context)
            size = len(registry.definitions_json(tools).encode())
            owner_bytes = owner_bytes or size
            print_row(f"  {role.value:8} filter", samples, target="< 1 ms")
            print(f"  {role.value:8} {len(tools):3} tools, {size:7,} bytes ≈ {size // 4:6,} tokens")
        context = execution_context_for(workspace, role=Role.OWNER)
        print(f"handler latency on the demo data, {repeat} runs each (target p95 < 20 ms):")
        everything: list[float] = []
        for name, arguments in CALLS:
            if name not in registry:
                print(f"  {name:40} not implemented yet")
                continue
            samples = time_calls(
                lambda n=name, a=arguments: executor.execute(context, n, a), repeat
            )
            everything += samples
            print_row(f"  {name}", samples)
        print_row("  all handlers", everything, target="p95 < 20 ms")
        workspace.dispose()


if __name__ == "__main__":
    main()
