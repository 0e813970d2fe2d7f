"""Fixtures for assistant tests: the registry, a fixed clock, and assistants on the demo data."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest

from luma_desktop.assistant.brains import Brain, ScriptedBrain
from luma_desktop.assistant.catalog import ToolRegistry
from luma_desktop.assistant.context import execution_context_for
from luma_desktop.assistant.events import Event
from luma_desktop.assistant.orchestrator import Assistant, AssistantOptions
from luma_desktop.assistant.usage import RateLimiter
from luma_desktop.clock import FixedClock
from luma_desktop.tools import build_registry
from luma_desktop.workspace.models import Role

from ..conftest import NOW


@pytest.fixture(scope="session")
def registry() -> ToolRegistry:
    return build_registry()


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW)


@pytest.fixture
def make_assistant(demo_workspace, registry, clock, tmp_path) -> Callable[..., Assistant]:
    """An assistant on the demo business for ``role``, planning with ``brain``."""

    def make(
        brain: Brain,
        role: Role = Role.OWNER,
        *,
        per_minute: int = 30,
        fast_path: Brain | None = None,
        fallback: Brain | None = None,
        **options: Any,
    ) -> Assistant:
        context = execution_context_for(
            demo_workspace, business="demo-salon", role=role, clock=clock
        )
        return Assistant(
            workspace=demo_workspace,
            registry=registry,
            context=context,
            brain=brain,
            rate_limiter=RateLimiter(per_minute, clock=clock),
            options=AssistantOptions(business_name="Luma Hair", **options),
            services_options={"files_dir": tmp_path / "files"},
            fast_path=fast_path,
            fallback=fallback,
        )

    return make


async def collect(events: AsyncIterator[Event]) -> list[Event]:
    return [event async for event in events]


def scripted(*replies: list[Any]) -> ScriptedBrain:
    return ScriptedBrain(list(replies))
