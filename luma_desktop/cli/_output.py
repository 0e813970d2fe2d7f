"""Console output shared by the commands."""

from __future__ import annotations

import sys
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import Console

    from ..errors import LumaError

__all__ = ["console", "fail"]


@cache
def console() -> Console:
    from rich.console import Console

    return Console(highlight=False)


@cache
def error_console() -> Console:
    from rich.console import Console

    return Console(stderr=True, highlight=False)


def fail(error: LumaError) -> None:
    """Print a Luma error the way a person should read it."""
    from rich.markup import escape

    error_console().print(f"[bold red]Error:[/] {escape(error.message)}")
    setting = getattr(error, "setting", None)
    if setting:
        error_console().print(f"[dim](setting: {escape(str(setting))})[/]")
    sys.stderr.flush()
