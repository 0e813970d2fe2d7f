"""``luma memory``: what Luma remembers — list, search, forget, export, erase, maintain, status.

``list``, ``search`` and ``forget`` act as a signed-in user (``--user``/``--role``, else
``LUMA_USER``, else the owner) and see exactly what that user's recall sees. ``export`` and
``forget-all`` serve privacy requests: run as ``LUMA_USER`` (default the owner), ``--user``
names whose personal memories; only owners and admins may name someone else.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from ._output import console

if TYPE_CHECKING:
    from ..bootstrap import Runtime
    from ..memory import Hit, Memory, MemoryRecord, Reader
    from ..workspace.database import Workspace

__all__ = ["memory_app", "register", "write_json_atomically"]

memory_app = typer.Typer(
    help="What Luma remembers about you and the business.", no_args_is_help=True
)

UserOption = Annotated[
    str | None, typer.Option("--user", help="Act as this user (e-mail) of the business.")
]
RoleOption = Annotated[
    str | None,
    typer.Option("--role", help="Act as the first user with this role (owner … client)."),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON.")]
YesOption = Annotated[bool, typer.Option("--yes", "-y", help="Do not ask; go ahead.")]


def register(app: typer.Typer) -> None:
    """Add ``memory`` to the ``luma`` application (once)."""
    if any(group.name == "memory" for group in app.registered_groups):
        return
    app.add_typer(memory_app, name="memory")


# -- opening ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Session:
    runtime: Runtime
    workspace: Workspace
    memory: Memory
    reader: Reader
    timezone: str


@contextmanager
def _session(user: str | None = None, role: str | None = None) -> Iterator[_Session]:
    """The workspace, the memory and the signed-in reader; everything closed afterwards."""
    from ..assistant.context import execution_context_for
    from ..bootstrap import open_workspace, start
    from ..memory import Reader, open_memory

    runtime = start(log_to_stderr=False)
    as_role = _role(role)
    workspace = open_workspace(runtime)
    try:
        context = execution_context_for(
            workspace,
            business=runtime.settings.business,
            user=user or (None if as_role else runtime.settings.user),
            role=as_role,
            clock=runtime.clock,
        )
        with open_memory(runtime.settings, runtime.paths, runtime.clock) as memory:
            yield _Session(runtime, workspace, memory, Reader.of(context), context.timezone)
    finally:
        workspace.dispose()


def _role(role: str | None) -> Any:
    from ..errors import Invalid
    from ..workspace.models import Role

    if role is None:
        return None
    try:
        return Role(role.strip().lower())
    except ValueError:
        raise Invalid(f"“{role}” is not a role; use one of {', '.join(Role)}.") from None


def _subject(session: _Session, email: str | None) -> tuple[int, str]:
    """The user id and e-mail a privacy request is about (default: the signed-in user)."""
    import sqlalchemy as sa

    from ..errors import NotFound, PermissionDenied
    from ..memory.rules import MEMORY_MANAGERS
    from ..workspace.models import User

    reader = session.reader
    with session.workspace.transaction(reader.business_id) as db:
        who = sa.select(User.id, User.email)
        if email:
            who = who.where(sa.func.lower(User.email) == email.strip().lower())
        else:
            who = who.where(User.id == reader.user_id)
        found = db.execute(who).first()
    if found is None:
        raise NotFound("user", email)
    if found.id != reader.user_id and reader.role not in MEMORY_MANAGERS:
        raise PermissionDenied(
            f"Only an owner or admin can handle another person's memories; you are signed in "
            f"as a {reader.role.value}."
        )
    return found.id, found.email


# -- printing -----------------------------------------------------------------------------------


def _local(record: MemoryRecord, timezone: str) -> str:
    from ..workspace.values import zone

    return f"{record.created_at.astimezone(zone(timezone)):%Y-%m-%d %H:%M}"


def _print_records(
    records: Sequence[MemoryRecord],
    title: str,
    timezone: str,
    similarities: Sequence[float] | None = None,
) -> None:
    from rich.markup import escape
    from rich.table import Table

    table = Table(title=title, title_justify="left")
    for column in ("remembered", "scope", "kind", "memory"):
        table.add_column(column, overflow="fold", no_wrap=column != "memory")
    if similarities is not None:
        table.add_column("match", justify="right")
    for index, record in enumerate(records):
        cells = [_local(record, timezone), record.scope.value, record.kind.value]
        cells.append(escape(record.text))
        if similarities is not None:
            cells.append(f"{similarities[index]:.2f}")
        table.add_row(*cells)
    console().print(table)


def _dumps(value: object) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False)


def _plural(count: int) -> str:
    return "1 memory" if count == 1 else f"{count} memories"


def _confirm(question: str) -> bool:
    """Ask a yes/no question; no answer (end of input) is a no."""
    import click

    try:
        return typer.confirm(question, default=False)
    except click.exceptions.Abort:
        return False


# -- list and search ----------------------------------------------------------------------------


@memory_app.command("list")
def list_memories(
    user: UserOption = None,
    role: RoleOption = None,
    limit: Annotated[
        int, typer.Option("--limit", min=1, max=10_000, help="At most this many, newest first.")
    ] = 200,
    as_json: JsonOption = False,
) -> None:
    """The memories Luma may recall for you: yours and the business's, newest first."""
    from ..memory import record_to_dict

    with _session(user, role) as session:
        records = session.memory.list(session.reader, limit=limit)
    if as_json:
        print(_dumps([record_to_dict(record) for record in records]))
    elif not records:
        console().print("Luma doesn't remember anything for you yet.")
    else:
        _print_records(records, f"Memories: {len(records)}", session.timezone)


@memory_app.command("search")
def search_memories(
    query: Annotated[str, typer.Argument(help="What to look for, in your own words.")],
    user: UserOption = None,
    role: RoleOption = None,
    limit: Annotated[int, typer.Option("--limit", min=1, max=50, help="At most this many.")] = 10,
    as_json: JsonOption = False,
) -> None:
    """The memories that match QUERY best (by meaning, not just words)."""
    with _session(user, role) as session:
        hits = session.memory.search(session.reader, query, k=limit)
    if as_json:
        print(_dumps([_hit_dict(hit) for hit in hits]))
    elif not hits:
        console().print(f"Nothing in memory matches “{query}”.")
    else:
        records = [hit.record for hit in hits]
        similarities = [hit.similarity for hit in hits]
        _print_records(records, f"Memories matching “{query}”", session.timezone, similarities)


def _hit_dict(hit: Hit) -> dict[str, Any]:
    from ..memory import record_to_dict

    return {**record_to_dict(hit.record), "similarity": round(hit.similarity, 4)}


# -- forgetting -----------------------------------------------------------------------------------


@memory_app.command("forget")
def forget_memories(
    query: Annotated[str, typer.Argument(help="What the memories to forget are about.")],
    user: UserOption = None,
    role: RoleOption = None,
    yes: YesOption = False,
) -> None:
    """Forget the memories matching QUERY (shows them and asks first, unless --yes)."""
    with _session(user, role) as session:
        raise typer.Exit(_forget(session, query, yes=yes))


def _forget(session: _Session, query: str, *, yes: bool) -> int:
    from ..errors import PermissionDenied
    from ..memory.rules import may_delete

    reader = session.reader
    hits = session.memory.search(reader, query)
    if not hits:
        console().print(f"Nothing in memory matches “{query}”; nothing was forgotten.")
        return 0
    doomed = [hit.record for hit in hits if may_delete(reader, hit.record)]
    if not doomed:
        raise PermissionDenied(
            "What matches is something Luma knows about the business; only an owner or admin "
            "can make it forget that."
        )
    _print_records(doomed, f"To forget: {_plural(len(doomed))}", session.timezone)
    kept = len(hits) - len(doomed)
    if kept:
        console().print(f"{_plural(kept)} of the business also match; only an owner or admin")
        console().print("can remove those, so they stay.")
    if not yes and not _confirm(f"Forget {_plural(len(doomed))}?"):
        console().print("Kept them: nothing was forgotten.")
        return 1
    forgotten = session.memory.forget_ids(reader, [record.id for record in doomed])
    console().print(f"Forgot {_plural(len(forgotten))}.")
    return 0


@memory_app.command("forget-all")
def forget_all(
    user: Annotated[
        str, typer.Option("--user", help="Whose personal memories to delete (e-mail).")
    ],
    yes: YesOption = False,
) -> None:
    """Delete every personal memory of one person (a privacy request; cannot be undone)."""
    with _session() as session:
        user_id, email = _subject(session, user)
        count = len(session.memory.export(session.reader, user_id))
        if not count:
            console().print(f"Luma has no personal memories of {email}; nothing to delete.")
            raise typer.Exit(0)
        question = f"Delete all {_plural(count)} of {email}? This cannot be undone."
        if not yes and not _confirm(question):
            console().print("Kept them: nothing was deleted.")
            raise typer.Exit(1)
        deleted = session.memory.delete_all(session.reader, user_id)
    console().print(f"Deleted {_plural(deleted)} of {email}.")


# -- export -------------------------------------------------------------------------------------


@memory_app.command("export")
def export_memories(
    file: Annotated[Path, typer.Argument(help="The JSON file to write.", dir_okay=False)],
    user: Annotated[
        str | None,
        typer.Option("--user", help="Whose personal memories (e-mail); default yourself."),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace FILE if it exists.")] = False,
) -> None:
    """Write every personal memory of one person to FILE as JSON (a privacy request)."""
    from ..errors import Conflict

    target = file.expanduser()
    if target.exists() and not force:
        raise Conflict(f"{target} already exists; choose another file or add --force.")
    with _session() as session:
        user_id, email = _subject(session, user)
        memories = session.memory.export(session.reader, user_id)
        document = {
            "user": email,
            "user_id": user_id,
            "business_id": session.reader.business_id,
            "exported_at": session.runtime.clock.now().isoformat(),
            "count": len(memories),
            "memories": memories,
        }
    write_json_atomically(target, document)
    console().print(f"Exported {_plural(len(memories))} of {email} to {target}.")


def write_json_atomically(path: Path, document: object) -> None:
    """Write ``document`` to ``path`` through a private temporary file and one rename.

    A crash leaves either the old file or the new one, never half of it; the file is readable
    only by its owner (memories are personal).
    """
    from ..errors import Invalid

    folder = path.parent
    if not folder.is_dir():
        raise Invalid(f"The folder {folder} does not exist; create it first.", field="file")
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(_dumps(document) + "\n")
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


# -- maintenance and status ---------------------------------------------------------------------


@memory_app.command("maintain")
def maintain(as_json: JsonOption = False) -> None:
    """Run memory maintenance now: expire old memories, re-embed, merge near-duplicates."""
    from ..errors import PermissionDenied
    from ..memory.rules import MEMORY_MANAGERS

    with _session() as session:
        if session.reader.role not in MEMORY_MANAGERS:
            raise PermissionDenied(
                "Memory maintenance is for owners and admins; you are signed in as a "
                f"{session.reader.role.value}."
            )
        report = session.memory.maintain()
    figures = {
        "businesses": report.businesses,
        "expired": report.expired,
        "merged": report.merged,
        "reembedded": report.reembedded,
        "remaining": report.remaining,
    }
    if as_json:
        print(_dumps(figures))
        return
    console().print(
        f"Memory maintenance done: {report.expired} expired, {report.merged} merged, "
        f"{report.reembedded} re-embedded; {report.remaining} left "
        f"({report.businesses} business{'es' if report.businesses != 1 else ''})."
    )


@memory_app.command("status")
def status(as_json: JsonOption = False) -> None:
    """The embedder, where memories are kept, how many there are, and whether it works
    (loads the model; exit code 1 when it cannot)."""
    import asyncio

    with _session() as session:
        memory = session.memory
        memory.start()
        asyncio.run(memory.wait_ready())
        mine = memory.list(session.reader, limit=1_000_000)
        figures = {
            "state": memory.state,
            "embedder": memory.embedder.id,
            "setting": session.runtime.settings.memory_embedder,
            "load_seconds": _rounded(memory.embedder.load_seconds),
            "store": memory.store.location,
            "shared_server": memory.store.remote,
            "business_memories": memory.store.count(session.reader.business_id),
            "you_can_recall": len(mine),
            "yours": sum(1 for r in mine if r.user_id == session.reader.user_id),
        }
    if as_json:
        print(_dumps(figures))
    else:
        _print_status(figures)
    raise typer.Exit(0 if figures["state"] == "ready" else 1)


def _rounded(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds, 2)


def _print_status(figures: dict[str, Any]) -> None:
    from rich.markup import escape
    from rich.table import Table

    table = Table(title="Long-term memory", title_justify="left", show_header=False)
    table.add_column("", no_wrap=True)
    table.add_column("")
    for key, value in figures.items():
        table.add_row(key.replace("_", " "), escape("—" if value is None else str(value)))
    console().print(table)
