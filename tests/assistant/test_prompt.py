"""The system prompt: a stable, cacheable part per user and a volatile part per turn."""

from __future__ import annotations

from datetime import timedelta

import pytest

from luma_desktop.assistant.context import ExecutionContext
from luma_desktop.assistant.prompt import build_prompt
from luma_desktop.clock import FixedClock
from luma_desktop.workspace.models import Role

from ..conftest import NOW


def _context(role: Role, clock: FixedClock) -> ExecutionContext:
    return ExecutionContext(
        business_id=1,
        user_id=2,
        role=role,
        user_name="Chloe",
        timezone="Europe/London",
        clock=clock,
    )


@pytest.mark.parametrize(
    ("role", "words"),
    [
        pytest.param(Role.OWNER, "the owner can do anything", id="owner"),
        pytest.param(Role.MANAGER, "without bank payments", id="manager"),
        pytest.param(Role.STAFF, "their own diary", id="staff"),
        pytest.param(Role.CLIENT, "through the client portal", id="client"),
    ],
)
def test_each_role_gets_its_boundaries(role, words):
    parts = build_prompt(_context(role, FixedClock(NOW)), business="Luma Hair")
    assert words in parts.system
    assert "Chloe" in parts.system
    assert "Luma Hair" in parts.system
    assert "As an AI" in parts.system  # named as something never to say


def test_the_cached_part_does_not_change_with_time_or_context():
    clock = FixedClock(NOW)
    first = build_prompt(_context(Role.OWNER, clock), business="Luma Hair")
    clock.advance(timedelta(hours=3, minutes=7))
    later = build_prompt(
        _context(Role.OWNER, clock),
        business="Luma Hair",
        working="Working context: client Sarah Miller (id 12).",
        summary="The user asked about invoices.",
    )
    assert first.system == later.system
    assert "Wednesday 18 November 2026, 14:30" in first.context
    assert "17:37" in later.context
    assert "Sarah Miller" in later.context
    assert "The user asked about invoices." in later.context
    assert "2026" not in first.system
