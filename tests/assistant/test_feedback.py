"""Thumbs up / down on Luma's answers: stored on the message, only by its owner."""

from __future__ import annotations

import pytest

from luma_desktop.assistant.brains.base import Message, TextBlock
from luma_desktop.assistant.context import ExecutionContext, execution_context_for
from luma_desktop.assistant.conversations import ConversationStore
from luma_desktop.assistant.feedback import feedback_in, last_answer_id, set_feedback
from luma_desktop.errors import Invalid, NotFound, PermissionDenied
from luma_desktop.workspace.models import Role

from ..factories import make_business


@pytest.fixture
def people(workspace, clock) -> dict[str, ExecutionContext]:
    make_business(workspace, slug="acme", clock=clock, role=Role.STAFF)

    def of(user: str) -> ExecutionContext:
        return execution_context_for(workspace, business="acme", user=user, clock=clock)

    return {"owner": of("owner@acme.test"), "staff": of("staff@acme.test")}


@pytest.fixture
def chat(workspace, people) -> tuple[int, list[int]]:
    """A conversation of the owner: request, answer, request, answer."""
    owner = people["owner"]
    store = ConversationStore(workspace)
    conversation = store.start(owner).id
    ids = store.append_all(
        owner,
        conversation,
        [
            Message.user("what's my balance"),
            Message("assistant", (TextBlock("Available: £1,200.00"),)),
            Message.user("and overdue?"),
            Message("assistant", (TextBlock("3 overdue invoices."),)),
        ],
    )
    return conversation, ids


def test_ratings_are_stored_changed_and_cleared(workspace, people, chat):
    owner = people["owner"]
    conversation, ids = chat
    first, second = ids[1], ids[3]
    assert set_feedback(workspace, owner, first, 1) == 1
    assert set_feedback(workspace, owner, second, -1) == -1
    assert feedback_in(workspace, owner, conversation) == {first: 1, second: -1}
    set_feedback(workspace, owner, first, None)
    assert feedback_in(workspace, owner, conversation) == {second: -1}


def test_the_latest_answer_is_the_one_the_window_rates(workspace, people, chat):
    conversation, ids = chat
    assert last_answer_id(workspace, people["owner"], conversation) == ids[3]


@pytest.mark.parametrize(
    "case",
    [
        pytest.param(("owner", 1, 2, Invalid), id="not-a-thumb"),
        pytest.param(("owner", 1, True, Invalid), id="bool-is-not-a-thumb"),
        pytest.param(("owner", 0, 1, Invalid), id="own-request"),
        pytest.param(("staff", 1, 1, NotFound), id="someone-elses-answer"),
        pytest.param(("owner", None, 1, NotFound), id="unknown-message"),
    ],
)
def test_bad_ratings_are_refused_and_nothing_changes(workspace, people, chat, case):
    who, which, value, error = case
    conversation, ids = chat
    message = ids[which] if which is not None else 999_999
    with pytest.raises(error):
        set_feedback(workspace, people[who], message, value)
    assert feedback_in(workspace, people["owner"], conversation) == {}


def test_feedback_needs_a_signed_in_user(workspace, people, chat):
    from dataclasses import replace

    nobody = replace(people["owner"], user_id=0)
    with pytest.raises(PermissionDenied):
        set_feedback(workspace, nobody, chat[1][1], 1)
