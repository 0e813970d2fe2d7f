"""``luma tools``: what Luma can do, for a role."""

from __future__ import annotations

import json

from ._output import console

__all__ = ["run_tools"]


def run_tools(*, role: str, as_json: bool) -> None:
    from rich.markup import escape
    from rich.table import Table

    from ..assistant.access import is_visible
    from ..errors import Invalid
    from ..tools import default_registry
    from ..workspace.models import Role

    try:
        chosen = Role(role.strip().lower())
    except ValueError:
        choices = ", ".join(r.value for r in Role)
        raise Invalid(f"“{role}” is not a role. Choose one of: {choices}.", field="role") from None
    tools = [t for t in default_registry() if is_visible(t, chosen, None)]
    if as_json:
        rows = [
            {
                "name": t.name,
                "domain": t.domain,
                "operation": t.operation.value,
                "risk": t.risk.value,
                "description": t.summary_line,
            }
            for t in tools
        ]
        print(json.dumps(rows, indent=2))
        return
    table = Table(title=f"What Luma can do for a {chosen.value} ({len(tools)} tools)")
    for column in ("tool", "domain", "op", "risk", "what it does"):
        table.add_column(column, overflow="fold")
    for tool in tools:
        table.add_row(
            tool.name, tool.domain, tool.operation.value, tool.risk.value, escape(tool.summary_line)
        )
    console().print(table)
