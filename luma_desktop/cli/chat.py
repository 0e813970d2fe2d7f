"""``luma chat``: talk to Luma in the terminal (interactive, one-shot, or JSON lines).

Interactive: each line is a message; confirmations and choices are answered inline ("yes",
"the first one", the typed phrase). Slash commands: /retry, /task, /offline, /new, /help,
/quit. ``--json`` prints every event as one JSON object per line, for scripts.
"""

from __future__ import annotations

import asyncio
import json
import sys
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Annotated

import typer

from ._output import console

if TYPE_CHECKING:
    from ..assistant.events import Event
    from ..assistant.orchestrator import Assistant

__all__ = ["register"]

_HELP = (
    "Type a request, or answer Luma's question. Commands: /retry, /task (put the last request "
    "on your task list), /offline (answer it offline), /new (new conversation), /quit."
)


def chat(
    message: Annotated[
        str | None, typer.Argument(help="Send this one message and print the answer.")
    ] = None,
    user: Annotated[
        str | None, typer.Option("--user", help="Act as this user (e-mail) of the business.")
    ] = None,
    role: Annotated[
        str | None,
        typer.Option("--role", help="Act as the first user with this role (owner … client)."),
    ] = None,
    conversation: Annotated[
        int | None, typer.Option("--conversation", help="Continue this conversation (id).")
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the event stream as JSON lines.")
    ] = False,
) -> None:
    """Chat with Luma in the terminal."""
    raise typer.Exit(asyncio.run(_main(message, user, role, conversation, as_json)))


def register(app: typer.Typer) -> None:
    app.command("chat")(chat)


async def _main(
    message: str | None, user: str | None, role: str | None, conversation: int | None, as_json: bool
) -> int:
    from ..assistant.factory import build_assistant
    from ..bootstrap import open_workspace, start, start_memory
    from ..errors import Invalid
    from ..tools import default_registry
    from ..workspace.models import Role

    runtime = start(log_to_stderr=False)
    try:
        as_role = Role(role) if role else None
    except ValueError as error:
        raise Invalid(f"“{role}” is not a role; use one of {', '.join(Role)}.") from error
    workspace = await asyncio.to_thread(open_workspace, runtime)
    memory = await asyncio.to_thread(start_memory, runtime)
    try:
        assistant = await asyncio.to_thread(
            build_assistant,
            workspace,
            default_registry(),
            runtime.settings,
            clock=runtime.clock,
            user=user,
            role=as_role,
            memory=memory,
        )
        async with assistant:
            if conversation is not None:
                await assistant.resume(conversation)
            renderer = _Renderer(as_json)
            if message is not None:
                await renderer.show(assistant.send(message))
                if not (assistant.waiting_for and sys.stdin.isatty()):
                    return 0
            return await _interactive(assistant, renderer)
    finally:
        if memory is not None:
            memory.close()
        workspace.dispose()


async def _interactive(assistant: Assistant, renderer: _Renderer) -> int:
    if not renderer.as_json and sys.stdin.isatty():
        console().print(f"[dim]{_HELP}[/]")
    while True:
        line = await asyncio.to_thread(_read_line, renderer.as_json)
        if line is None:
            return 0
        line = line.strip()
        if not line:
            continue
        if line in ("/quit", "/exit"):
            return 0
        if line == "/help":
            console().print(_HELP)
        elif line == "/new":
            number = await assistant.start_conversation()
            renderer.note(f"New conversation #{number}.")
        elif line in ("/retry", "/task", "/offline"):
            action = {"/retry": "retry", "/task": "add_task", "/offline": "offline"}[line]
            await renderer.show(assistant.recover(action))
        else:
            await renderer.show(assistant.send(line))


def _read_line(quiet: bool) -> str | None:
    if sys.stdin.isatty() and not quiet:
        try:
            return input("you › ")
        except EOFError:
            return None
    line = sys.stdin.readline()
    return line if line else None


class _Renderer:
    """Prints events as they arrive: text streams, cards as tables, questions inline."""

    def __init__(self, as_json: bool) -> None:
        self.as_json = as_json
        self._mid_line = False

    async def show(self, events: AsyncIterator[Event]) -> None:
        async for event in events:
            if self.as_json:
                print(json.dumps(event.to_dict(), ensure_ascii=False, default=str), flush=True)
            else:
                self._print(event)

    def note(self, text: str) -> None:
        if self.as_json:
            print(json.dumps({"type": "note", "text": text}), flush=True)
        else:
            console().print(f"[dim]{text}[/]")

    def _print(self, event: Event) -> None:
        from rich.markup import escape

        from ..assistant import events as ev
        from ._cards import card_table

        out = console()
        if isinstance(event, ev.TextDelta):
            out.print(escape(event.text), end="")
            self._mid_line = True
            return
        if self._mid_line and not isinstance(event, ev.Thinking):
            out.print()
            self._mid_line = False
        if isinstance(event, ev.ToolStarted):
            out.print(f"[dim]→ {event.tool}[/]")
        elif isinstance(event, ev.ToolFinished):
            table = card_table(event.card, event.data) if event.ok else None
            if table is not None:
                out.print(table)
            elif not event.ok:
                out.print(f"[dim red]✗ {escape(event.summary)}[/]")
        elif isinstance(event, ev.ActionExecuted):
            undo = " [dim](say “undo” to revert)[/]" if event.undoable else ""
            out.print(f"[green]✓ done[/]{undo}")
        elif isinstance(event, ev.ConfirmationRequired):
            self._confirmation(event)
        elif isinstance(event, ev.DisambiguationRequired):
            out.print(f"[bold]{escape(event.question)}[/]")
            for number, candidate in enumerate(event.candidates, start=1):
                detail = f" — {escape(candidate.detail)}" if candidate.detail else ""
                out.print(f"  {number}. {escape(candidate.label)}{detail}")
        elif isinstance(event, ev.ErrorOccurred):
            out.print(f"[bold red]{escape(event.message)}[/]")
            if event.options:
                hints = {"retry": "/retry", "add_task": "/task", "offline": "/offline"}
                listed = ", ".join(
                    f"{o.label} ({hints.get(o.action, o.action)})" for o in event.options
                )
                out.print(f"[dim]{escape(listed)}[/]")

    def _confirmation(self, event: object) -> None:
        from rich.markup import escape

        from ..assistant.events import ConfirmationRequired

        assert isinstance(event, ConfirmationRequired)
        out = console()
        out.print(f"[bold yellow]? {escape(event.prompt)}[/]")
        if event.raised_because:
            fields = ", ".join(event.raised_because)
            out.print(f"[yellow]  Careful: {fields} came from stored data, not from you.[/]")
        if event.phrase:
            out.print(f"[yellow]  Type “{event.phrase}” to go ahead, or “cancel”.[/]")
        else:
            out.print("[yellow]  Yes or no?[/]")
