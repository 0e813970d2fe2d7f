"""``luma audit verify|list`` and ``luma usage``: the audit trail and this month's tokens."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Annotated

import typer

from ._output import console

if TYPE_CHECKING:
    from ..workspace.database import Workspace
    from ..workspace.services import ServiceContext

__all__ = ["audit_app", "register", "run_audit_list", "run_audit_verify", "run_usage"]

audit_app = typer.Typer(help="The audit trail of every action Luma took.", no_args_is_help=True)


@audit_app.command("verify")
def audit_verify(
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
) -> None:
    """Check that no audit entry was changed, deleted or moved (exit code 1 if one was)."""
    raise typer.Exit(run_audit_verify(as_json=as_json))


@audit_app.command("list")
def audit_list(
    limit: Annotated[int, typer.Option("--limit", help="How many entries, newest first.")] = 20,
    as_json: Annotated[bool, typer.Option("--json", help="Print the entries as JSON.")] = False,
) -> None:
    """Show the latest audit entries: time, user, role, tool, outcome and reason."""
    run_audit_list(limit=limit, as_json=as_json)


def usage(
    as_json: Annotated[bool, typer.Option("--json", help="Print the figures as JSON.")] = False,
) -> None:
    """Model tokens used this month, per model and per user."""
    run_usage(as_json=as_json)


def register(app: typer.Typer) -> None:
    """Add ``audit`` and ``usage`` to the ``luma`` application (once)."""
    if any(group.name == "audit" for group in app.registered_groups):
        return
    app.add_typer(audit_app, name="audit")
    app.command("usage")(usage)


def _open() -> tuple[Workspace, ServiceContext]:
    from ..bootstrap import open_workspace, start
    from ..workspace.services import context_for

    runtime = start()
    workspace = open_workspace(runtime)
    try:
        context = context_for(
            workspace,
            business=runtime.settings.business,
            user=runtime.settings.user,
            clock=runtime.clock,
        )
    except BaseException:
        workspace.dispose()
        raise
    return workspace, context


def _require_overseer(context: ServiceContext) -> None:
    from ..errors import PermissionDenied
    from ..workspace.models import Role

    if context.role not in (Role.OWNER, Role.ADMIN):
        raise PermissionDenied(
            f"The audit trail is for owners and admins; you are signed in as a "
            f"{context.role.value}."
        )


def run_audit_verify(*, as_json: bool) -> int:
    """Print whether the chain is intact; 0 when it is, 1 when it is broken."""
    from ..assistant.audit import AuditLog

    workspace, context = _open()
    with workspace:
        _require_overseer(context)
        report = AuditLog(workspace).verify(context.business_id)
    if as_json:
        print(
            json.dumps(
                {
                    "ok": report.ok,
                    "checked": report.checked,
                    "broken_at": report.broken_at,
                    "problem": report.problem,
                    "head_hash": report.head_hash,
                },
                indent=2,
            )
        )
    elif report.ok:
        console().print(f"Audit trail intact: {report.checked} entries checked.")
    else:
        console().print(
            f"[bold red]Audit trail broken at entry {report.broken_at}[/] "
            f"({report.checked} entries before it are intact). {report.problem}"
        )
    return 0 if report.ok else 1


def run_audit_list(*, limit: int, as_json: bool) -> None:
    from rich.markup import escape
    from rich.table import Table

    from ..assistant.audit import AuditLog
    from ..workspace.values import zone

    workspace, context = _open()
    with workspace:
        _require_overseer(context)
        records = AuditLog(workspace).entries(context.business_id, limit=limit)
    if as_json:
        print(json.dumps([r.model_dump(mode="json") for r in records], indent=2))
        return
    if not records:
        console().print("The audit trail is empty: Luma has not acted on anything yet.")
        return
    tz = zone(context.timezone)
    table = Table(title=f"Audit trail: latest {len(records)} entries")
    for column in ("time", "user", "role", "tool", "outcome", "reason"):
        table.add_column(column, overflow="fold", no_wrap=column in ("time", "tool"))
    for record in records:
        table.add_row(
            f"{record.at.astimezone(tz):%Y-%m-%d %H:%M}",
            escape(record.user_name or "—"),
            record.role,
            record.tool,
            record.outcome,
            escape(record.reason or ""),
        )
    console().print(table)


def run_usage(*, as_json: bool) -> None:
    from rich.markup import escape
    from rich.table import Table

    from ..assistant.usage import usage_summary
    from ..workspace.models import Role
    from ..workspace.values import zone

    workspace, context = _open()
    tz = zone(context.timezone)
    since = context.clock.now().astimezone(tz)
    since = since.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    everyone = context.role in (Role.OWNER, Role.ADMIN)
    with workspace:
        summary = usage_summary(
            workspace,
            context.business_id,
            user_id=None if everyone else context.user_id,
            since=since,
        )
    if as_json:
        print(json.dumps(summary.to_dict(), indent=2))
        return
    table = Table(title=f"Model tokens since {since:%-d %B %Y}")
    table.add_column("", no_wrap=True)
    for column in ("input", "output", "cache read", "cache write", "total", "messages"):
        table.add_column(column, justify="right")
    rows = [
        *((f"model {escape(name)}", t) for name, t in summary.by_model.items()),
        *((f"user {escape(name)}", t) for name, t in summary.by_user.items()),
        ("all", summary),
    ]
    for label, t in rows:
        table.add_row(
            label,
            *(
                f"{n:,}"
                for n in (
                    t.input_tokens,
                    t.output_tokens,
                    t.cache_read_tokens,
                    t.cache_write_tokens,
                    t.total,
                    t.messages,
                )
            ),
        )
    console().print(table)
