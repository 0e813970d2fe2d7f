"""Fixtures for tool tests: the demo workspace, the full registry, an executor, users by role."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from luma_desktop.assistant.catalog import ToolRegistry
from luma_desktop.assistant.context import ExecutionContext, execution_context_for
from luma_desktop.assistant.executor import Executor
from luma_desktop.clock import FixedClock
from luma_desktop.tools import build_registry
from luma_desktop.workspace.models import Role

from ..conftest import NOW


@pytest.fixture(scope="session")
def registry() -> ToolRegistry:
    return build_registry()


@pytest.fixture
def executor(demo_workspace, registry, tmp_path) -> Executor:
    return Executor(demo_workspace, registry, {"files_dir": tmp_path / "files"})


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW)


@pytest.fixture
def as_role(demo_workspace, clock) -> Callable[[Role], ExecutionContext]:
    """The demo user with ``role`` (owner, admin, manager, staff or a portal client)."""

    def make(role: Role = Role.OWNER) -> ExecutionContext:
        return execution_context_for(demo_workspace, role=role, clock=clock, conversation_id=None)

    return make


@pytest.fixture
def owner(as_role) -> ExecutionContext:
    return as_role(Role.OWNER)
