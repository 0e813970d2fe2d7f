"""The labelled requests of the offline parser: ``labelled/<domain>.yaml``, one list per domain.

Each item::

    - text: "I need to call the dentist friday"   # what the user says or types
      tool: tasks_create                            # the tool expected (null: nothing matches)
      arguments: {title: call the dentist, due: friday}   # exactly these arguments
      missing: [when]                               # optional: required arguments left out
      context: {task: 3}                            # optional: working-context records (kind: id)

Arguments are compared after :func:`normalised` (case and spacing of strings); every key must
match and no other key may appear.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

__all__ = ["LABELLED", "Case", "load_cases", "normalised"]

LABELLED = Path(__file__).parent / "labelled"


@dataclass(frozen=True)
class Case:
    domain: str
    text: str
    tool: str | None
    arguments: dict[str, Any] = field(default_factory=dict)
    missing: tuple[str, ...] | None = None
    context: dict[str, int] = field(default_factory=dict)

    @property
    def id(self) -> str:
        return f"{self.domain}: {self.text}"


def normalised(value: Any) -> Any:
    """Strings casefolded with single spaces; lists and mappings item by item."""
    if isinstance(value, str):
        return " ".join(value.split()).casefold()
    if isinstance(value, list | tuple):
        return [normalised(item) for item in value]
    if isinstance(value, Mapping):
        return {str(key): normalised(item) for key, item in value.items()}
    return value


def _case(domain: str, item: Mapping[str, Any]) -> Case:
    unknown = set(item) - {"text", "tool", "arguments", "missing", "context"}
    if unknown or not isinstance(item.get("text"), str) or "tool" not in item:
        raise ValueError(f"{domain}: bad labelled item {dict(item)}")
    missing = item.get("missing")
    return Case(
        domain=domain,
        text=item["text"],
        tool=item["tool"],
        arguments=dict(item.get("arguments") or {}),
        missing=tuple(missing) if missing is not None else None,
        context=dict(item.get("context") or {}),
    )


def load_cases(folder: Path = LABELLED) -> list[Case]:
    """Every labelled request of every ``*.yaml`` file in ``folder``."""
    cases: list[Case] = []
    for path in sorted(folder.glob("*.yaml")):
        items = yaml.safe_load(path.read_text(encoding="utf-8")) or []
        if not isinstance(items, list):
            raise ValueError(f"{path.name}: needs a list of labelled requests")
        cases += [_case(path.stem, item) for item in items]
    return cases
