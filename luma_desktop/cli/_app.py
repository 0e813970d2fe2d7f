"""The Typer application and its command groups."""

from __future__ import annotations

import os
import sys
from typing import Annotated

import typer

from .. import __version__
from ._output import fail

app = typer.Typer(
    name="luma",
    help="Luma: your business assistant. Run `luma` with no command to open the window "
    "(today's overview when there is no display).",
    no_args_is_help=False,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
db_app = typer.Typer(help="The workspace database.", no_args_is_help=True)
keys_app = typer.Typer(help="API keys and passwords in the OS keyring.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(keys_app, name="keys")


def _print_version(value: bool) -> None:
    if value:
        print(f"luma {__version__}")
        raise typer.Exit()


@app.callback(invoke_without_command=True)
def root(
    ctx: typer.Context,
    version: Annotated[
        bool,
        typer.Option(
            "--version", help="Print the version and exit.", is_eager=True, callback=_print_version
        ),
    ] = False,
) -> None:
    """Luma: your business assistant."""
    if ctx.invoked_subcommand is not None:
        return
    if has_display():
        from ..ui.app import run_app

        raise typer.Exit(run_app(sys.argv[:1]))
    from .overview import show_overview

    show_overview()


def has_display() -> bool:
    """Whether a window can open: always on Windows and macOS, with X11 or Wayland on Linux."""
    if sys.platform in ("win32", "darwin"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


@app.command()
def overview() -> None:
    """Today's overview of the business in the terminal (creates the workspace on first run)."""
    from .overview import show_overview

    show_overview()


@app.command()
def doctor(
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
) -> None:
    """Check the installation: database, folders, keys, models, audio, display."""
    from .doctor import run_doctor

    raise typer.Exit(run_doctor(as_json=as_json))


@app.command()
def demo(
    reset: Annotated[
        bool, typer.Option("--reset", help="Delete the demo business and create it afresh.")
    ] = False,
) -> None:
    """Create the demo business (a salon with clients, bookings, invoices and a bank)."""
    from .workspace_commands import run_demo

    run_demo(reset=reset)


@app.command()
def tools(
    role: Annotated[
        str, typer.Option("--role", help="owner, admin, manager, staff or client.")
    ] = "owner",
    as_json: Annotated[bool, typer.Option("--json", help="Print the list as JSON.")] = False,
) -> None:
    """List the tools a role can use: name, domain, operation, risk and what it does."""
    from .tools_command import run_tools

    run_tools(role=role, as_json=as_json)


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Bring the workspace schema up to date (safe to run any time)."""
    from .workspace_commands import run_db_upgrade

    run_db_upgrade()


@db_app.command("status")
def db_status() -> None:
    """Show which database is used and its schema revision."""
    from .workspace_commands import run_db_status

    run_db_status()


@keys_app.command("status")
def keys_status() -> None:
    """Show which keys are set and where (never their values)."""
    from .keys import run_keys_status

    run_keys_status()


@keys_app.command("set")
def keys_set(name: Annotated[str, typer.Argument(help="e.g. ANTHROPIC_API_KEY")]) -> None:
    """Store a key in the OS keyring (asks for the value without echoing it)."""
    from .keys import run_keys_set

    run_keys_set(name)


@keys_app.command("delete")
def keys_delete(name: Annotated[str, typer.Argument(help="e.g. ANTHROPIC_API_KEY")]) -> None:
    """Remove a key from the OS keyring."""
    from .keys import run_keys_delete

    run_keys_delete(name)


def run(argv: list[str]) -> int:
    """Run the app, turning Luma's errors into a clear message and exit code 2."""
    from ..errors import LumaError

    try:
        app(args=argv, prog_name="luma", standalone_mode=True)
    except SystemExit as done:
        return done.code if isinstance(done.code, int) else (0 if done.code is None else 1)
    except LumaError as error:
        fail(error)
        return 2
    return 0
