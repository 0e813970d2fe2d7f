"""The labelled requests: intent and exact-argument accuracy of the offline parser, per domain.

Every ``labelled/*.yaml`` file is read (add a file for a new domain; nothing else to change).
Targets over the whole run: intent ≥ 95%, arguments ≥ 90%. Figures per domain are printed
(``pytest -s`` shows them).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from importlib.resources.abc import Traversable

import yaml
from pydantic import ValidationError

from luma_desktop.assistant.brains.offline import OfflineBrain, Understanding, template_files
from luma_desktop.assistant.catalog import ToolRegistry

from .conftest import StaticWorking
from .labelled import Case, load_cases, normalised

INTENT_TARGET = 0.95
ARGUMENT_TARGET = 0.90
CASES = load_cases()


@dataclass
class Tally:
    total: int = 0
    intent: int = 0
    arguments: int = 0


def intent_ok(case: Case, understood: Understanding) -> bool:
    return understood.tool == case.tool


def arguments_ok(case: Case, understood: Understanding) -> bool:
    if not intent_ok(case, understood):
        return False
    if case.missing is not None and understood.missing != case.missing:
        return False
    return bool(normalised(understood.arguments) == normalised(case.arguments))


def covered(cases: list[Case]) -> tuple[list[Case], list[Case]]:
    """Cases whose tool has templates (or no tool), and cases of tools still without them."""
    templated = {name for _, file in template_files() for name in _intents(file)}
    done = [c for c in cases if c.tool is None or c.tool in templated]
    return done, [c for c in cases if c not in done]


def _intents(file: Traversable) -> list[str]:
    return list(yaml.safe_load(file.read_text(encoding="utf-8")).get("intents") or {})


def understand(brain: OfflineBrain, case: Case) -> Understanding:
    brain.working = StaticWorking(case.context)
    return brain.understand(case.text)


def test_the_labelled_set_is_large_enough_and_names_real_tools(registry):
    assert len(CASES) >= 60
    unknown = {c.tool for c in CASES if c.tool is not None and c.tool not in registry}
    assert not unknown
    expected: dict[str, tuple[str | None, object]] = {}
    for case in CASES:
        wanted = (case.tool, normalised(case.arguments))
        said = expected.setdefault(case.text.casefold(), wanted)
        assert said == wanted, f"{case.id!r} is labelled twice, differently"


def refusal(registry: ToolRegistry, understood: Understanding) -> str | None:
    """Why the tool's input model refuses a complete proposal, if it does."""
    tool = registry.get(understood.tool) if understood.tool else None
    if tool is None or understood.missing:
        return None
    try:
        tool.input_model.model_validate(understood.arguments)
    except ValidationError as error:
        return str(error)
    return None


def test_accuracy_meets_the_targets(brain, registry):
    """Over the requests whose tool has templates (the others wait for their domain's file).

    Every complete proposal must also be valid input for its tool.
    """
    tallies: defaultdict[str, Tally] = defaultdict(Tally)
    failures: list[str] = []
    refused: list[str] = []
    cases, waiting = covered(CASES)
    if waiting:
        domains = ", ".join(sorted({c.domain for c in waiting}))
        print(f"{len(waiting)} requests wait for their tools' templates ({domains})")
    for case in cases:
        understood = understand(brain, case)
        tally = tallies[case.domain]
        tally.total += 1
        tally.intent += intent_ok(case, understood)
        tally.arguments += arguments_ok(case, understood)
        problem = refusal(registry, understood)
        if problem:
            refused.append(f"{case.id!r}: {problem}")
        if not arguments_ok(case, understood):
            failures.append(
                f"{case.id!r}: got {understood.tool} {understood.arguments} "
                f"missing {list(understood.missing)}; expected {case.tool} {case.arguments}"
            )
    total = Tally(
        sum(t.total for t in tallies.values()),
        sum(t.intent for t in tallies.values()),
        sum(t.arguments for t in tallies.values()),
    )
    for domain, tally in [*sorted(tallies.items()), ("all", total)]:
        print(
            f"{domain:12} {tally.total:4} requests  intent {tally.intent / tally.total:6.1%}  "
            f"arguments {tally.arguments / tally.total:6.1%}"
        )
    report = "\n".join(failures)
    assert total.intent / total.total >= INTENT_TARGET, report
    assert total.arguments / total.total >= ARGUMENT_TARGET, report
    assert not refused, "\n".join(refused)
