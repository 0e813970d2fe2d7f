"""``luma demo`` and ``luma db``."""

from __future__ import annotations

from ._output import console

__all__ = ["run_db_status", "run_db_upgrade", "run_demo"]


def run_demo(*, reset: bool) -> None:
    from ..bootstrap import open_workspace, start
    from ..workspace.demo import reset_demo, seed_demo

    runtime = start()
    with open_workspace(runtime, seed=False) as workspace:
        if reset:
            summary = reset_demo(workspace, clock=runtime.clock)
        else:
            summary = seed_demo(workspace, clock=runtime.clock)
    console().print(f"Demo business ready: {summary.describe()}")


def run_db_upgrade() -> None:
    from ..bootstrap import open_workspace, start
    from ..workspace.migrate import head_revision

    runtime = start()
    with open_workspace(runtime, seed=False) as workspace:
        revision = workspace.current_revision()
    state = "up to date" if revision == head_revision() else f"at {revision}"
    console().print(f"Workspace schema {state} (revision {revision}).")


def run_db_status() -> None:
    import sqlalchemy as sa

    from ..bootstrap import open_workspace, start
    from ..workspace.migrate import head_revision
    from ..workspace.models import Business

    runtime = start()
    with open_workspace(runtime, migrate=False, seed=False) as workspace:
        revision = workspace.current_revision()
        url = workspace.url.render_as_string(hide_password=True)
        businesses: list[str] = []
        if revision is not None:
            with workspace.transaction(None) as session:
                businesses = list(session.scalars(sa.select(Business.name)).all())
    head = head_revision()
    console().print(f"Database: {url}")
    if revision is None:
        console().print("Schema: empty (run `luma db upgrade`).")
    else:
        note = "up to date" if revision == head else f"needs upgrade to {head}"
        console().print(f"Schema: revision {revision} ({note}).")
        console().print(f"Businesses: {', '.join(businesses) or 'none'}")
