"""Start-up shared by the CLI and the desktop app: settings, logging, the workspace."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from .clock import Clock, SystemClock
from .logs import setup_logging
from .paths import AppPaths, resolve_paths
from .settings import LumaSettings, load_settings
from .workspace.database import Workspace, sqlite_url

__all__ = ["Runtime", "open_workspace", "start"]

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
