"""Token usage records and summaries; the per-user message rate limit."""

from __future__ import annotations

import threading
from dataclasses import replace
from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa

from luma_desktop.assistant.context import ExecutionContext, execution_context_for
from luma_desktop.assistant.events import Usage
from luma_desktop.assistant.usage import RateLimiter, UsageTotals, record_usage, usage_summary
from luma_desktop.clock import FixedClock
from luma_desktop.errors import ConfigurationError, Invalid, RateLimited
from luma_desktop.workspace.database import Workspace
from luma_desktop.workspace.models import Conversation, Role, TokenUsage

from ..conftest import NOW
from ..factories import make_business


@pytest.fixture
def people(workspace: Workspace) -> tuple[ExecutionContext, ExecutionContext]:
    """The owner (in a conversation) and a staff member of one business."""
    clock = FixedClock(NOW)
    base = make_business(workspace, role=Role.STAFF)
    owner = execution_context_for(workspace, business=base.business_id, clock=clock)
    with workspace.transaction(base.business_id) as session:
        conversation = Conversation(user_id=owner.user_id, title="Balance")
        session.add(conversation)
        session.flush()
        conversation_id = conversation.id
    owner = replace(owner, conversation_id=conversation_id)
    staff = execution_context_for(
        workspace, business=base.business_id, role=Role.STAFF, clock=clock
    )
    return owner, staff


def test_usage_is_recorded_with_its_conversation(workspace, people):
    owner, _ = people
    record_usage(workspace, owner, model="claude-sonnet-4-5", usage=Usage(1200, 80, 900, 300))
    with workspace.transaction(owner.business_id) as session:
        (row,) = session.scalars(sa.select(TokenUsage)).all()
    assert (row.user_id, row.conversation_id, row.model, row.at) == (
        owner.user_id,
        owner.conversation_id,
        "claude-sonnet-4-5",
        NOW,
    )
    assert (row.input_tokens, row.output_tokens, row.cache_read_tokens, row.cache_write_tokens) == (
        1200,
        80,
        900,
        300,
    )


def test_a_message_without_tokens_is_not_recorded(workspace, people):
    owner, _ = people
    record_usage(workspace, owner, model="offline", usage=Usage())
    assert usage_summary(workspace, owner.business_id).messages == 0


def test_negative_token_counts_are_refused(workspace, people):
    owner, _ = people
    with pytest.raises(Invalid, match="negative"):
        record_usage(workspace, owner, model="m", usage=Usage(10, -1))
    assert usage_summary(workspace, owner.business_id).messages == 0


def test_summary_totals_per_kind_model_and_user(workspace, people):
    owner, staff = people
    record_usage(workspace, owner, model="claude", usage=Usage(100, 10, 50, 5))
    record_usage(workspace, owner, model="claude", usage=Usage(200, 20, 0, 0))
    record_usage(workspace, owner, model="llama3.1", usage=Usage(30, 3))
    record_usage(workspace, staff, model="claude", usage=Usage(7, 1))
    summary = usage_summary(workspace, owner.business_id)
    assert (
        summary.input_tokens,
        summary.output_tokens,
        summary.cache_read_tokens,
        summary.cache_write_tokens,
        summary.messages,
        summary.total,
    ) == (337, 34, 50, 5, 4, 426)
    assert summary.by_model == {
        "claude": UsageTotals(307, 31, 50, 5, 3),
        "llama3.1": UsageTotals(30, 3, 0, 0, 1),
    }
    assert summary.by_user == {
        "Olivia Owner": UsageTotals(330, 33, 50, 5, 3),
        "staff user": UsageTotals(7, 1, 0, 0, 1),
    }
    mine = usage_summary(workspace, owner.business_id, user_id=staff.user_id)
    assert (mine.total, mine.messages, list(mine.by_user)) == (8, 1, ["staff user"])
    assert mine.to_dict()["by_model"]["claude"]["total_tokens"] == 8


def test_summary_since_a_moment(workspace, people):
    owner, _ = people
    record_usage(workspace, owner, model="claude", usage=Usage(100, 10))
    assert isinstance(owner.clock, FixedClock)
    owner.clock.advance(timedelta(days=2))
    record_usage(workspace, owner, model="claude", usage=Usage(1, 1))
    recent = usage_summary(workspace, owner.business_id, since=NOW + timedelta(days=1))
    assert (recent.messages, recent.total, recent.since) == (1, 2, NOW + timedelta(days=1))
    with pytest.raises(Invalid, match="timezone"):
        usage_summary(workspace, owner.business_id, since=datetime(2026, 11, 1))


def test_summaries_stay_within_the_business(workspace, people):
    owner, _ = people
    other = make_business(workspace, slug="other")
    other_context = execution_context_for(workspace, business=other.business_id)
    record_usage(workspace, owner, model="claude", usage=Usage(5, 5))
    record_usage(workspace, other_context, model="claude", usage=Usage(1000, 1000))
    assert usage_summary(workspace, owner.business_id).total == 10


@pytest.fixture
def limiter() -> RateLimiter:
    return RateLimiter(per_minute=30, clock=FixedClock(NOW))


def advance(limiter: RateLimiter, seconds: float) -> None:
    assert isinstance(limiter.clock, FixedClock)
    limiter.clock.advance(timedelta(seconds=seconds))


def test_thirty_messages_then_a_clear_refusal(limiter):
    for _ in range(30):
        limiter.check(1)
        advance(limiter, 1)
    advance(limiter, 17)  # 47 s after the first message
    with pytest.raises(RateLimited) as refused:
        limiter.check(1)
    assert refused.value.retry_after == pytest.approx(13)
    assert str(refused.value) == (
        "You've sent 30 messages in the last minute; please wait 13 seconds."
    )
    assert refused.value.to_dict()["retry_after"] == 13.0


def test_the_window_slides(limiter):
    for _ in range(30):
        limiter.check(1)
    advance(limiter, 59.5)
    with pytest.raises(RateLimited, match="wait 1 second\\."):
        limiter.check(1)
    advance(limiter, 0.5)
    for _ in range(30):
        limiter.check(1)
    with pytest.raises(RateLimited, match="wait 60 seconds"):
        limiter.check(1)


def test_refused_attempts_do_not_count(limiter):
    for _ in range(30):
        limiter.check(1)
        advance(limiter, 1)
    for _ in range(20):
        with pytest.raises(RateLimited):
            limiter.check(1)
    advance(limiter, 34)  # now 64 s after the first: the first five are out of the window
    for _ in range(5):
        limiter.check(1)
    with pytest.raises(RateLimited):
        limiter.check(1)


def test_users_are_limited_independently(limiter):
    for _ in range(30):
        limiter.check(1)
    with pytest.raises(RateLimited):
        limiter.check(1)
    for _ in range(30):
        limiter.check(2)
    with pytest.raises(RateLimited):
        limiter.check(2)


def test_the_limit_holds_across_threads():
    limiter = RateLimiter(per_minute=50, clock=FixedClock(NOW))
    allowed: list[int] = []
    refused: list[int] = []

    def send() -> None:
        for _ in range(10):
            try:
                limiter.check(7)
                allowed.append(1)
            except RateLimited:
                refused.append(1)

    threads = [threading.Thread(target=send) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert (len(allowed), len(refused)) == (50, 30)


@pytest.mark.parametrize("per_minute", [0, -3], ids=["zero", "negative"])
def test_a_limit_below_one_is_a_configuration_error(per_minute):
    with pytest.raises(ConfigurationError, match="at least 1"):
        RateLimiter(per_minute=per_minute)
