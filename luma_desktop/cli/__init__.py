"""The ``luma`` command line. Heavy modules are imported inside commands, so it starts fast."""

from __future__ import annotations

import sys

__all__ = ["main"]


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; returns the process exit code."""
    from ._app import run

    return run(sys.argv[1:] if argv is None else argv)
