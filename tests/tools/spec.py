"""The capability spec (docs/spec/capabilities.md, a copy of the product's spec) as data."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

SPEC = Path(__file__).resolve().parents[2] / "docs" / "spec" / "capabilities.md"

SECTION_DOMAINS = {
    1: "scheduling",
    2: "clients",
    3: "invoicing",
    4: "banking",
    5: "website",
    6: "comms",
    7: "tasks",
    8: "config",
    9: "documents",
    10: "search",
    11: "kyc",
    12: "shop",
    13: "analytics",
    14: "assistant",
}


@dataclass(frozen=True)
class SpecTool:
    name: str
    section: int
    operation: str
    risk: str

    @property
    def domain(self) -> str:
        return SECTION_DOMAINS[self.section]


@cache
def spec_tools() -> dict[str, SpecTool]:
    """Every tool row of the spec, by name."""
    tools: dict[str, SpecTool] = {}
    section = 0
    for line in SPEC.read_text(encoding="utf-8").splitlines():
        heading = re.match(r"^## (\d+)\. ", line)
        if heading:
            section = int(heading.group(1))
            continue
        row = re.match(r"^\| ([a-z_]+)(?: `\+`)? \| (read|write) \| ([a-z]+)", line)
        if row and section:
            tools[row.group(1)] = SpecTool(row.group(1), section, row.group(2), row.group(3))
    return tools
