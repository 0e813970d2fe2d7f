"""Thumbs up / down on Luma's answers, stored on the conversation message (``feedback``).

Only the signed-in user's own assistant messages can be rated; ``+1`` is good, ``-1`` bad,
``None`` clears it. Synchronous (database work): async callers use ``asyncio.to_thread``.
"""

from __future__ import annotations

import sqlalchemy as sa

from ..errors import Invalid, NotFound, PermissionDenied
from ..workspace.database import Workspace
from ..workspace.models import Conversation, ConversationMessage
from .context import ExecutionContext

__all__ = ["feedback_in", "last_answer_id", "set_feedback"]

_VALUES = (1, -1, None)


def _require_user(context: ExecutionContext) -> None:
    if context.user_id <= 0:
        raise PermissionDenied("Feedback belongs to a signed-in user; sign in first.")


def set_feedback(
    workspace: Workspace, context: ExecutionContext, message_id: int, value: int | None
) -> int | None:
    """Rate one of Luma's answers (``1``, ``-1``, or ``None`` to clear); returns the value."""
    _require_user(context)
    if value not in _VALUES or isinstance(value, bool):
        raise Invalid("Rate an answer with thumbs up (1) or thumbs down (-1).", field="value")
    with workspace.transaction(context.business_id) as session:
        message = session.scalars(
            sa.select(ConversationMessage)
            .join(Conversation, Conversation.id == ConversationMessage.conversation_id)
            .where(ConversationMessage.id == message_id, Conversation.user_id == context.user_id)
        ).first()
        if message is None:
            raise NotFound("message", f"#{message_id}")
        if message.role != "assistant":
            raise Invalid("Only Luma's answers can be rated.", field="message_id")
        message.feedback = value
        return value


def feedback_in(
    workspace: Workspace, context: ExecutionContext, conversation_id: int
) -> dict[int, int]:
    """The ratings given in one conversation, by message id (unrated messages are left out)."""
    _require_user(context)
    with workspace.transaction(context.business_id) as session:
        rows = session.execute(
            sa.select(ConversationMessage.id, ConversationMessage.feedback)
            .join(Conversation, Conversation.id == ConversationMessage.conversation_id)
            .where(
                Conversation.id == conversation_id,
                Conversation.user_id == context.user_id,
                ConversationMessage.feedback.is_not(None),
            )
        ).all()
        return {int(row_id): int(value) for row_id, value in rows if value is not None}


def last_answer_id(
    workspace: Workspace, context: ExecutionContext, conversation_id: int
) -> int | None:
    """The id of the latest assistant message with text in the conversation (what the
    window rates after a turn), or ``None``."""
    _require_user(context)
    with workspace.transaction(context.business_id) as session:
        found = session.scalar(
            sa.select(sa.func.max(ConversationMessage.id))
            .join(Conversation, Conversation.id == ConversationMessage.conversation_id)
            .where(
                Conversation.id == conversation_id,
                Conversation.user_id == context.user_id,
                ConversationMessage.role == "assistant",
                ConversationMessage.content != "",
            )
        )
        return int(found) if found is not None else None
