"""``luma parse``: what the offline brain would propose for a request, without running it.

For template authors and scripted evaluation: ``luma parse "remind me to call mum at 3"``,
``luma parse - < requests.txt`` (one request per line), ``--json`` for one JSON object per
request (``text``, ``tool``, ``arguments``, ``confidence``, ``missing``, ``question``,
``suggestions``).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Annotated, Any

import typer

from ._output import console

if TYPE_CHECKING:
    from ..assistant.brains.offline import Understanding

__all__ = ["register", "run_parse"]


def parse(
    text: Annotated[str, typer.Argument(help="The request, or - to read one per line from stdin.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object a line.")] = False,
) -> None:
    """Show the tool and arguments the offline brain would propose (nothing is run)."""
    lines = sys.stdin if text == "-" else [text]
    run_parse(lines, as_json=as_json)


def register(app: typer.Typer) -> None:
    """Add ``parse`` to the ``luma`` application (once)."""
    if any(command.name == "parse" for command in app.registered_commands):
        return
    app.command("parse")(parse)


def _requests(lines: Iterable[str]) -> Iterator[str]:
    for line in lines:
        request = line.strip()
        if request:
            yield request


def run_parse(lines: Iterable[str], *, as_json: bool) -> None:
    from ..assistant.brains.offline import OfflineBrain
    from ..assistant.context import execution_context_for
    from ..bootstrap import open_workspace, start
    from ..tools import default_registry

    runtime = start()
    with open_workspace(runtime) as workspace:
        context = execution_context_for(
            workspace,
            business=runtime.settings.business,
            user=runtime.settings.user,
            clock=runtime.clock,
        )
        brain = OfflineBrain(workspace, default_registry(), context)
        for request in _requests(lines):
            understood = brain.understand(request)
            if as_json:
                print(json.dumps({"text": request, **understood.to_dict()}, ensure_ascii=False))
            else:
                _show(request, understood)
            sys.stdout.flush()


def _value(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else value


def _show(request: str, understood: Understanding) -> None:
    from rich.markup import escape

    out = console()
    out.print(f"“{escape(request)}”")
    if understood.tool is None:
        tries = ", ".join(f"“{escape(s)}”" for s in understood.suggestions)
        out.print(f"  → no match{'. You could say: ' + tries if tries else ''}")
        return
    out.print(f"  → {understood.tool} (confidence {understood.confidence:.2f})")
    for name, value in understood.arguments.items():
        out.print(f"      {name}: {escape(_value(value))}")
    if understood.missing:
        out.print(f"    missing: {', '.join(understood.missing)}")
        out.print(f"    asks: “{escape(understood.question or '')}”")
