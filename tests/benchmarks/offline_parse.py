"""Offline parser figures (issue 5): parse latency with 500 extra clients, accuracy per domain.

    python -m tests.benchmarks.offline_parse [--quick]

A workspace with the demo business plus 500 clients (names drawn from the demo's name lists,
so many share first or last names) parses every labelled request of
tests/assistant/offline/labelled. Targets: parse p95 < 20 ms; intent ≥ 95%, arguments ≥ 90%.
"""

from __future__ import annotations

import argparse
import json
import random
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import sqlalchemy as sa

from luma_desktop.assistant.brains.offline import OfflineBrain
from luma_desktop.assistant.context import execution_context_for
from luma_desktop.clock import FixedClock
from luma_desktop.tools import build_registry
from luma_desktop.workspace.database import Workspace, sqlite_url
from luma_desktop.workspace.demo import seed_demo
from luma_desktop.workspace.models import Client
from luma_desktop.workspace.services import context_for

from ..assistant.offline.conftest import StaticWorking
from ..assistant.offline.labelled import load_cases, normalised
from ..conftest import NOW
from ..factories import make_client
from ._stats import print_row

EXTRA_CLIENTS = 500
_PEOPLE = Path(__file__).resolve().parents[2] / "resources" / "demo" / "people.json"


def add_clients(workspace: Workspace, count: int) -> None:
    """``count`` more clients in the demo business, with realistic, often shared names."""
    names = json.loads(_PEOPLE.read_text(encoding="utf-8"))
    rng = random.Random(5)
    context = context_for(workspace, clock=FixedClock(NOW))
    for _ in range(count):
        make_client(
            workspace, context, rng.choice(names["first_names"]), rng.choice(names["last_names"])
        )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="one timed pass (smoke test)")
    args = parser.parse_args(argv)
    repeat = 1 if args.quick else 20
    cases = load_cases()
    with tempfile.TemporaryDirectory() as folder:
        workspace = Workspace(sqlite_url(Path(folder)))
        workspace.upgrade()
        seed_demo(workspace, clock=FixedClock(NOW))
        add_clients(workspace, EXTRA_CLIENTS)
        context = execution_context_for(workspace, clock=FixedClock(NOW))
        brain = OfflineBrain(workspace, build_registry(), context)
        start = time.perf_counter()
        brain.understand("what's on my list")
        print(f"first parse (templates and name lists loaded): "
              f"{(time.perf_counter() - start) * 1000:.1f} ms")  # fmt: skip
        print(f"clients in the workspace: {client_count(workspace, context.business_id)}")
        samples: list[float] = []
        right: defaultdict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
        for round_ in range(repeat):
            for case in cases:
                brain.working = StaticWorking(case.context)
                began = time.perf_counter()
                understood = brain.understand(case.text)
                samples.append((time.perf_counter() - began) * 1000)
                if round_:
                    continue
                tally = right[case.domain]
                tally[0] += 1
                intent = understood.tool == case.tool
                tally[1] += intent
                tally[2] += intent and normalised(understood.arguments) == normalised(
                    case.arguments
                )
        print_row(f"parse latency, {len(cases)} requests", samples, target="p95 < 20 ms")
        totals = [sum(t[i] for t in right.values()) for i in range(3)]
        print("accuracy per domain (targets: intent >= 95%, arguments >= 90%):")
        for domain, (total, intent, exact) in [*sorted(right.items()), ("all", totals)]:
            print(
                f"  {domain:12} {total:4} requests  intent {intent / total:6.1%}  "
                f"arguments {exact / total:6.1%}"
            )
        workspace.dispose()


def client_count(workspace: Workspace, business_id: int) -> int:
    with workspace.transaction(business_id) as session:
        return session.scalar(sa.select(sa.func.count(Client.id))) or 0


if __name__ == "__main__":
    main()
