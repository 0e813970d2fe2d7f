"""Start-up shared by the CLI and the desktop app: settings, logging, the workspace."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .clock import Clock, SystemClock
from .logs import setup_logging
from .paths import AppPaths, resolve_paths
from .settings import LumaSettings, load_settings
from .workspace.database import Workspace, sqlite_url

if TYPE_CHECKING:
    from .memory import Memory

__all__ = ["Runtime", "open_workspace", "start", "start_memory"]

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Runtime:
    """What a running Luma has loaded: its settings, directories and clock."""

    settings: LumaSettings
    paths: AppPaths
    clock: Clock

    @property
    def database_url(self) -> str:
        return self.settings.database_url or sqlite_url(self.paths.data)


def start(*, log_to_stderr: bool | None = None) -> Runtime:
    """Load settings, create the directories and configure logging."""
    paths = resolve_paths()
    settings = load_settings(paths=paths)
    paths.ensure()
    setup_logging(
        paths.logs,
        level=settings.log_level,
        to_stderr=settings.log_to_stderr if log_to_stderr is None else log_to_stderr,
    )
    return Runtime(settings=settings, paths=paths, clock=SystemClock())


def open_workspace(
    runtime: Runtime, *, migrate: bool = True, seed: bool | None = None
) -> Workspace:
    """Open the workspace, upgrading its schema and creating the demo business when empty."""
    workspace = Workspace(runtime.database_url, echo=runtime.settings.database_echo)
    if migrate:
        workspace.upgrade()
    if seed if seed is not None else runtime.settings.demo_on_first_run:
        _seed_when_empty(workspace, runtime.clock)
    return workspace


def _seed_when_empty(workspace: Workspace, clock: Clock) -> None:
    import sqlalchemy as sa

    from .workspace.demo import seed_demo
    from .workspace.models import Business

    with workspace.transaction(None) as session:
        has_business = session.scalar(sa.select(sa.func.count(Business.id))) or 0
    if not has_business:
        summary = seed_demo(workspace, clock=clock)
        log.info("created the demo business (%s)", summary)


def start_memory(runtime: Runtime, *, strict: bool = False) -> Memory | None:
    """Long-term memory with its model loading and its maintenance (TTL, compaction, re-embed)
    scheduled in the background (``None`` when it is off).

    Memory that cannot open (its model package missing, the team's Chroma server down) is
    logged and left off, so Luma still works; ``strict`` raises instead (``luma memory``).
    """
    if not runtime.settings.memory_enabled:
        return None
    from .errors import LumaError
    from .memory import open_memory

    try:
        memory = open_memory(runtime.settings, runtime.paths, runtime.clock)
    except LumaError as error:
        if strict:
            raise
        log.warning("long-term memory is off: %s", error)
        return None
    memory.start()
    memory.start_maintenance()
    return memory
