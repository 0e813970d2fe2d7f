"""``luma doctor``: a readable report of the installation."""

from __future__ import annotations

import json

from ._output import console

__all__ = ["run_doctor"]

_MARKS = {"ok": "[green]✓[/]", "warn": "[yellow]![/]", "fail": "[red]✗[/]", "info": "[blue]·[/]"}


def run_doctor(*, as_json: bool) -> int:
    """Print the report; exit code 1 when a check failed."""
    from rich.markup import escape
    from rich.table import Table

    from ..bootstrap import start
    from ..diagnostics import run_checks

    checks = run_checks(start(log_to_stderr=False))
    if as_json:
        print(json.dumps([c.to_dict() for c in checks], indent=2))
    else:
        table = Table(title="Luma doctor", show_header=True, header_style="bold")
        for column in ("", "area", "check", "found", "what to do"):
            table.add_column(column, overflow="fold")
        for check in checks:
            table.add_row(
                _MARKS[check.status],
                check.area,
                check.name,
                escape(check.detail),
                escape(check.hint),
            )
        console().print(table)
    return 1 if any(c.status == "fail" for c in checks) else 0
