"""``luma conversations``: list, search, show, rename, archive and delete your conversations.

Conversations belong to the signed-in user (``--user``/``LUMA_USER``, default the owner);
nobody sees anyone else's. ``luma chat --conversation ID`` continues one.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Annotated

import typer

from ._output import console

if TYPE_CHECKING:
    from ..assistant.context import ExecutionContext
    from ..assistant.conversations import ConversationInfo, ConversationStore

__all__ = ["register"]

conversations_app = typer.Typer(help="Your conversations with Luma.", no_args_is_help=True)

UserOption = Annotated[str | None, typer.Option("--user", help="Whose conversations (e-mail).")]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON.")]


@contextmanager
def _store(user: str | None) -> Iterator[tuple[ConversationStore, ExecutionContext]]:
    from ..assistant.context import execution_context_for
    from ..assistant.conversations import ConversationStore
    from ..bootstrap import open_workspace, start

    runtime = start(log_to_stderr=False)
    workspace = open_workspace(runtime)
    try:
        context = execution_context_for(
            workspace,
            business=runtime.settings.business,
            user=user or runtime.settings.user,
            clock=runtime.clock,
        )
        yield ConversationStore(workspace), context
    finally:
        workspace.dispose()


def _row(info: ConversationInfo) -> dict[str, object]:
    return {
        "id": info.id,
        "title": info.title,
        "messages": info.message_count,
        "archived": info.archived,
        "updated_at": (info.updated_at or info.created_at).isoformat(),
    }


def _print_table(rows: list[dict[str, object]], title: str, as_json: bool) -> None:
    from rich.markup import escape
    from rich.table import Table

    if as_json:
        print(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    if not rows:
        console().print("No conversations.")
        return
    table = Table(title=title, title_justify="left")
    for column in rows[0]:
        table.add_column(column.replace("_", " "))
    for row in rows:
        table.add_row(*(escape(str(value)) for value in row.values()))
    console().print(table)


@conversations_app.command("list")
def list_conversations(
    archived: Annotated[bool, typer.Option("--archived", help="Include archived ones.")] = False,
    user: UserOption = None,
    as_json: JsonOption = False,
) -> None:
    """Your conversations, newest first."""
    with _store(user) as (store, context):
        infos = store.list(context, include_archived=archived)
    _print_table([_row(i) for i in infos], "Conversations", as_json)


@conversations_app.command("search")
def search_conversations(
    text: Annotated[str, typer.Argument(help="Words to find in titles and messages.")],
    user: UserOption = None,
    as_json: JsonOption = False,
) -> None:
    """Find conversations by what was said in them."""
    with _store(user) as (store, context):
        matches = store.search(context, text)
    rows = [{**_row(m.conversation), "snippet": m.snippet} for m in matches]
    _print_table(rows, f"Conversations mentioning “{text}”", as_json)


@conversations_app.command("show")
def show_conversation(
    conversation_id: Annotated[int, typer.Argument(help="The conversation's id.")],
    user: UserOption = None,
    as_json: JsonOption = False,
) -> None:
    """The messages of one conversation."""
    from rich.markup import escape

    with _store(user) as (store, context):
        info = store.get(context, conversation_id)
        messages = store.messages(context, conversation_id)
    if as_json:
        rows = [{"role": m.role, "text": m.text, "at": m.created_at.isoformat()} for m in messages]
        print(json.dumps({**_row(info), "messages": rows}, indent=2, ensure_ascii=False))
        return
    console().print(f"[bold]{escape(info.title)}[/] (#{info.id})")
    for message in messages:
        who = {"user": "you", "assistant": "luma"}.get(message.role, message.role)
        console().print(f"[dim]{who} ›[/] {escape(message.text)}")


@conversations_app.command("rename")
def rename_conversation(
    conversation_id: Annotated[int, typer.Argument(help="The conversation's id.")],
    title: Annotated[str, typer.Argument(help="The new title.")],
    user: UserOption = None,
) -> None:
    """Give a conversation another title."""
    with _store(user) as (store, context):
        info = store.rename(context, conversation_id, title)
    console().print(f"Renamed #{info.id} to “{info.title}”.")


@conversations_app.command("archive")
def archive_conversation(
    conversation_id: Annotated[int, typer.Argument(help="The conversation's id.")],
    undo: Annotated[bool, typer.Option("--undo", help="Bring it back from the archive.")] = False,
    user: UserOption = None,
) -> None:
    """Archive a conversation (it stays searchable)."""
    with _store(user) as (store, context):
        info = store.archive(context, conversation_id, archived=not undo)
    console().print(f"#{info.id} {'archived' if info.archived else 'back from the archive'}.")


@conversations_app.command("delete")
def delete_conversation(
    conversation_id: Annotated[int, typer.Argument(help="The conversation's id.")],
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask first.")] = False,
    user: UserOption = None,
) -> None:
    """Delete a conversation and its messages for good."""
    if not yes and not typer.confirm(f"Delete conversation #{conversation_id} for good?"):
        raise typer.Exit(1)
    with _store(user) as (store, context):
        store.delete(context, conversation_id)
    console().print(f"Deleted conversation #{conversation_id}.")


def register(app: typer.Typer) -> None:
    """Add ``conversations`` to the ``luma`` application (once)."""
    if not any(group.name == "conversations" for group in app.registered_groups):
        app.add_typer(conversations_app, name="conversations")
