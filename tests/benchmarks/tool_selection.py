"""Tool-selection figures (issue 4): recall on the labelled set, payload sent, selection time.

    python -m tests.benchmarks.tool_selection [--quick]

Targets: recall ≥ 98% while sending ≤ 25% of the owner's full tool payload on average
(payload = bytes of ``ToolRegistry.definitions_json`` of the tools sent); selection < 1 ms.
Tokens are estimated as bytes / 4.
"""

from __future__ import annotations

import argparse
import statistics
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from luma_desktop.assistant.access import is_visible
from luma_desktop.assistant.catalog import Tool, ToolRegistry
from luma_desktop.assistant.selection import MAX_CHARS, ToolSelector
from luma_desktop.tools import build_registry
from luma_desktop.workspace.models import Role

from ._stats import percentile, print_row, time_calls

__all__ = [
    "CASES_FILE",
    "Case",
    "Outcome",
    "evaluate",
    "full_payload",
    "load_cases",
    "main",
    "visible_tools",
]

CASES_FILE = Path(__file__).resolve().parents[1] / "assistant" / "data" / "tool_selection.yaml"


@dataclass(frozen=True, slots=True)
class Case:
    """One labelled request."""

    text: str
    expect: tuple[str, ...]
    every: bool = False
    """Multi-step: every expected tool must be sent (otherwise any one counts)."""
    topic: str | None = None
    recent: tuple[str, ...] = ()
    role: Role = Role.OWNER


@dataclass(frozen=True, slots=True)
class Outcome:
    case: Case
    sent: tuple[str, ...]
    payload: int

    @property
    def hit(self) -> bool:
        found = [name in self.sent for name in self.case.expect]
        return all(found) if self.case.every else any(found)


def load_cases(path: Path = CASES_FILE) -> list[Case]:
    entries = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [
        Case(
            text=entry["text"],
            expect=tuple(entry["expect"]),
            every=bool(entry.get("all", False)),
            topic=entry.get("topic"),
            recent=tuple(entry.get("recent", ())),
            role=Role(entry.get("role", "owner")),
        )
        for entry in entries
    ]


def visible_tools(registry: ToolRegistry, role: Role) -> list[Tool[Any]]:
    return [tool for tool in registry if is_visible(tool, role, None)]


def full_payload(registry: ToolRegistry) -> int:
    """Bytes of every tool the owner may see: what a turn would send without selection."""
    return len(registry.definitions_json(visible_tools(registry, Role.OWNER)).encode())


def evaluate(selector: ToolSelector, registry: ToolRegistry, cases: list[Case]) -> list[Outcome]:
    by_role = {role: visible_tools(registry, role) for role in Role}
    outcomes = []
    for case in cases:
        sent = selector.select(case.text, by_role[case.role], topic=case.topic, recent=case.recent)
        payload = len(registry.definitions_json(sent).encode())
        outcomes.append(Outcome(case, tuple(t.name for t in sent), payload))
    return outcomes


def _print_recall(outcomes: list[Outcome], registry: ToolRegistry) -> None:
    hits = sum(o.hit for o in outcomes)
    print(f"recall: {hits / len(outcomes):.1%} ({hits}/{len(outcomes)}, target ≥ 98%)")
    per_domain: dict[str, list[bool]] = defaultdict(list)
    for outcome in outcomes:
        tool = registry.get(outcome.case.expect[0])
        per_domain[tool.domain if tool else "unknown"].append(outcome.hit)
    for domain, found in sorted(per_domain.items()):
        print(f"  {domain:12} {sum(found) / len(found):6.1%}  ({sum(found)}/{len(found)})")
    steps = [o.hit for o in outcomes if o.case.every]
    if steps:
        print(f"  multi-step (all tools sent) {sum(steps)}/{len(steps)}")


def _print_payload(outcomes: list[Outcome], full: int) -> None:
    sizes = [float(o.payload) for o in outcomes]
    mean, p95 = statistics.mean(sizes), percentile(sizes, 0.95)
    counts = [len(o.sent) for o in outcomes]
    print(f"owner's full payload: {full:,} bytes ≈ {full // 4:,} tokens")
    print(
        f"payload sent: average {mean:,.0f} bytes ({mean / full:.1%}, target ≤ 25%), "
        f"p95 {p95:,.0f} bytes ({p95 / full:.1%}); saved ≈ {(full - mean) / 4:,.0f} tokens/turn"
    )
    print(f"tools sent: average {statistics.mean(counts):.1f}, max {max(counts)}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="few timing repetitions")
    parser.add_argument("--misses", action="store_true", help="list the requests missed")
    args = parser.parse_args(argv)

    registry = build_registry()
    selector = ToolSelector.for_registry(registry)
    cases = load_cases()
    print(f"labelled set: {len(cases)} requests over {len(registry)} tools")
    outcomes = evaluate(selector, registry, cases)
    _print_recall(outcomes, registry)
    _print_payload(outcomes, full_payload(registry))
    if args.misses:
        for outcome in outcomes:
            if not outcome.hit:
                print(f"  MISS {outcome.case.text!r} expect {outcome.case.expect}")
                print(f"       sent {outcome.sent}")

    _print_timing(selector, registry, cases, quick=args.quick)


def _print_timing(
    selector: ToolSelector, registry: ToolRegistry, cases: list[Case], *, quick: bool
) -> None:
    by_role = {role: visible_tools(registry, role) for role in Role}
    sample = cases[:: 10 if quick else 1]
    samples: list[float] = []
    for case in sample:
        samples += time_calls(
            lambda c=case: selector.select(c.text, by_role[c.role], topic=c.topic, recent=c.recent),
            2 if quick else 20,
            warmup=1,
        )
    print_row("selection time per request", samples, target="< 1 ms")
    long_text = " ".join(case.text for case in cases)[:MAX_CHARS]
    owner = by_role[Role.OWNER]
    long = time_calls(lambda: selector.select(long_text, owner), 5 if quick else 100)
    print_row(f"selection of a {len(long_text):,}-character message", long)
    build = time_calls(lambda: ToolSelector(list(registry)), 2 if quick else 20, warmup=1)
    print_row("index build (once per registry)", build)


if __name__ == "__main__":
    main()
