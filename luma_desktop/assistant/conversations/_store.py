"""Conversations of one user, persisted in the workspace: messages, titles, summaries, search."""

from __future__ import annotations

import builtins
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ...errors import Invalid, NotFound, PermissionDenied
from ...workspace.database import Workspace
from ...workspace.models import Conversation, ConversationMessage, PendingAction, TokenUsage
from ..brains.base import Message
from ..context import ExecutionContext
from ._clip import clip
from ._matching import contains, like_filter, snippet
from ._payloads import message_from_payload, message_to_payload, stored_role
from ._summary import cut_index, first_sentence, fold, is_user_text
from ._titles import DEFAULT_TITLE, title_from

__all__ = [
    "ConversationInfo",
    "ConversationMatch",
    "ConversationStore",
    "StoredMessage",
    "Transcript",
]

_TITLE_MAX = 200
_SEARCH_MAX = 200


@dataclass(frozen=True, slots=True)
class ConversationInfo:
    """What a list of conversations shows."""

    id: int
    title: str
    summary: str | None
    archived: bool
    created_at: datetime
    updated_at: datetime
    """When the last message arrived (the creation time before that)."""
    message_count: int


@dataclass(frozen=True, slots=True)
class ConversationMatch:
    """A conversation found by :meth:`ConversationStore.search`."""

    conversation: ConversationInfo
    snippet: str
    """A short piece of text around the hit."""
    message_id: int | None
    """The latest matching message (``None`` when only the title matched)."""


@dataclass(frozen=True, slots=True)
class StoredMessage:
    """A message as a chat window shows it."""

    id: int
    role: str
    """``user``, ``assistant`` or ``tool`` (a message of tool outcomes)."""
    text: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class Transcript:
    """What a brain gets: the summary of old turns and the messages after it."""

    summary: str | None
    messages: tuple[Message, ...]


def _stored_text(message: Message) -> str:
    """The text to search and display; a short account for a message of tool outcomes."""
    if message.text.strip():
        return message.text
    parts = [
        ("Failed: " if outcome.is_error else "") + first_sentence(outcome.content, 120)
        for outcome in message.outcomes
    ]
    return clip("; ".join(parts), 300)


def _conversation_id(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise Invalid(f"“{value}” is not a conversation number.", field="conversation_id")
    return value


class ConversationStore:
    """Every method works on the context user's own conversations in the context's business;
    any other id is :class:`NotFound`. Synchronous: async callers use ``asyncio.to_thread``."""

    def __init__(self, workspace: Workspace) -> None:
        self.workspace = workspace

    @contextmanager
    def _unit(self, context: ExecutionContext) -> Iterator[Session]:
        if context.user_id <= 0:
            raise PermissionDenied("Conversations belong to a signed-in user; sign in first.")
        with self.workspace.transaction(context.business_id) as session:
            yield session

    @staticmethod
    def _owned(session: Session, context: ExecutionContext, conversation_id: int) -> Conversation:
        found = session.scalars(
            sa.select(Conversation).where(
                Conversation.id == _conversation_id(conversation_id),
                Conversation.user_id == context.user_id,
            )
        ).first()
        if found is None:
            raise NotFound("conversation", f"#{conversation_id}")
        return found

    @staticmethod
    def _counts(session: Session, ids: Sequence[int]) -> dict[int, int]:
        if not ids:
            return {}
        rows = session.execute(
            sa.select(ConversationMessage.conversation_id, sa.func.count())
            .where(ConversationMessage.conversation_id.in_(ids))
            .group_by(ConversationMessage.conversation_id)
        ).all()
        return {conversation_id: int(count) for conversation_id, count in rows}

    @staticmethod
    def _info(conversation: Conversation, count: int) -> ConversationInfo:
        return ConversationInfo(
            id=conversation.id,
            title=conversation.title,
            summary=conversation.summary,
            archived=conversation.archived,
            created_at=conversation.created_at,
            updated_at=conversation.updated_at or conversation.created_at,
            message_count=count,
        )

    def _infos(
        self, session: Session, conversations: Sequence[Conversation]
    ) -> builtins.list[ConversationInfo]:
        counts = self._counts(session, [c.id for c in conversations])
        return [self._info(c, counts.get(c.id, 0)) for c in conversations]

    # -- one conversation ---------------------------------------------------------------------

    def start(self, context: ExecutionContext, title: str | None = None) -> ConversationInfo:
        """A new, empty conversation (titled by its first request unless ``title`` is given)."""
        chosen = DEFAULT_TITLE if title is None else _clean_title(title)
        now = context.clock.now()
        with self._unit(context) as session:
            conversation = Conversation(
                user_id=context.user_id, title=chosen, created_at=now, updated_at=now
            )
            session.add(conversation)
            session.flush()
            return self._info(conversation, 0)

    def get(self, context: ExecutionContext, conversation_id: int) -> ConversationInfo:
        with self._unit(context) as session:
            return self._infos(session, [self._owned(session, context, conversation_id)])[0]

    def append(self, context: ExecutionContext, conversation_id: int, message: Message) -> int:
        """Store ``message``; returns its id. The first request names an untitled conversation."""
        return self.append_all(context, conversation_id, [message])[0]

    def append_all(
        self, context: ExecutionContext, conversation_id: int, messages: Sequence[Message]
    ) -> builtins.list[int]:
        """Store ``messages`` in order, in one transaction; returns their ids."""
        if any(not message.content for message in messages):
            raise Invalid("An empty message cannot be saved.")
        now = context.clock.now()
        with self._unit(context) as session:
            conversation = self._owned(session, context, conversation_id)
            rows = [
                ConversationMessage(
                    conversation_id=conversation.id,
                    role=stored_role(message),
                    content=_stored_text(message),
                    payload=message_to_payload(message),
                    created_at=now,
                )
                for message in messages
            ]
            session.add_all(rows)
            first_request = next((m for m in messages if is_user_text(m)), None)
            if conversation.title == DEFAULT_TITLE and first_request is not None:
                conversation.title = title_from(first_request.text) or DEFAULT_TITLE
            conversation.updated_at = now
            session.flush()
            return [row.id for row in rows]

    def _rows_after_summary(
        self, session: Session, conversation: Conversation
    ) -> Sequence[ConversationMessage]:
        query = sa.select(ConversationMessage).where(
            ConversationMessage.conversation_id == conversation.id
        )
        if conversation.summarised_through_id is not None:
            query = query.where(ConversationMessage.id > conversation.summarised_through_id)
        return session.scalars(query.order_by(ConversationMessage.id)).all()

    def history(self, context: ExecutionContext, conversation_id: int) -> Transcript:
        """The summary and the messages it does not cover, oldest first."""
        with self._unit(context) as session:
            conversation = self._owned(session, context, conversation_id)
            rows = self._rows_after_summary(session, conversation)
            messages = tuple(message_from_payload(row.role, row.payload) for row in rows)
            return Transcript(conversation.summary, messages)

    def summarise_if_long(
        self,
        context: ExecutionContext,
        conversation_id: int,
        *,
        threshold: int = 20,
        keep: int = 6,
    ) -> bool:
        """Fold all but about the last ``keep`` messages into the summary once more than
        ``threshold`` are unsummarised; whether it did."""
        if keep < 1 or threshold < keep:
            raise Invalid("Keep at least one message, and no more than the threshold.")
        with self._unit(context) as session:
            conversation = self._owned(session, context, conversation_id)
            rows = self._rows_after_summary(session, conversation)
            if len(rows) <= threshold:
                return False
            messages = [message_from_payload(row.role, row.payload) for row in rows]
            cut = cut_index(messages, keep)
            if cut is None:
                return False
            conversation.summary = fold(conversation.summary, messages[:cut])
            conversation.summarised_through_id = rows[cut - 1].id
            return True

    def messages(
        self, context: ExecutionContext, conversation_id: int
    ) -> builtins.list[StoredMessage]:
        """Every message with text, oldest first, for display (summarised ones too)."""
        with self._unit(context) as session:
            conversation = self._owned(session, context, conversation_id)
            rows = session.execute(
                sa.select(
                    ConversationMessage.id,
                    ConversationMessage.role,
                    ConversationMessage.content,
                    ConversationMessage.created_at,
                )
                .where(
                    ConversationMessage.conversation_id == conversation.id,
                    ConversationMessage.content != "",
                )
                .order_by(ConversationMessage.id)
            ).all()
            return [StoredMessage(*row) for row in rows]

    def archive(
        self, context: ExecutionContext, conversation_id: int, archived: bool = True
    ) -> ConversationInfo:
        with self._unit(context) as session:
            conversation = self._owned(session, context, conversation_id)
            conversation.archived = archived
            return self._infos(session, [conversation])[0]

    def rename(
        self, context: ExecutionContext, conversation_id: int, title: str
    ) -> ConversationInfo:
        chosen = _clean_title(title)
        with self._unit(context) as session:
            conversation = self._owned(session, context, conversation_id)
            conversation.title = chosen
            return self._infos(session, [conversation])[0]

    def delete(self, context: ExecutionContext, conversation_id: int) -> None:
        """Remove the conversation, its messages and its pending actions."""
        with self._unit(context) as session:
            conversation = self._owned(session, context, conversation_id)
            session.execute(
                sa.delete(ConversationMessage).where(
                    ConversationMessage.conversation_id == conversation.id
                )
            )
            session.execute(
                sa.delete(PendingAction).where(PendingAction.conversation_id == conversation.id)
            )
            session.execute(
                sa.update(TokenUsage)
                .where(TokenUsage.conversation_id == conversation.id)
                .values(conversation_id=None)
            )
            session.delete(conversation)

    # -- many conversations -------------------------------------------------------------------

    def list(
        self, context: ExecutionContext, *, include_archived: bool = False, limit: int = 50
    ) -> builtins.list[ConversationInfo]:
        """The user's conversations, most recently active first."""
        if not 1 <= limit <= 500:
            raise Invalid("Ask for between 1 and 500 conversations.", field="limit")
        with self._unit(context) as session:
            query = sa.select(Conversation).where(Conversation.user_id == context.user_id)
            if not include_archived:
                query = query.where(Conversation.archived.is_(False))
            recent = sa.func.coalesce(Conversation.updated_at, Conversation.created_at)
            found = session.scalars(
                query.order_by(recent.desc(), Conversation.id.desc()).limit(limit)
            ).all()
            return self._infos(session, found)

    def search(
        self, context: ExecutionContext, text: str, *, limit: int = 20
    ) -> builtins.list[ConversationMatch]:
        """Conversations whose title or messages contain ``text`` (any case), newest first."""
        needle = " ".join((text or "").split())
        if not needle:
            raise Invalid("What should I look for in your conversations?", field="text")
        if len(needle) > _SEARCH_MAX:
            raise Invalid(f"Search for at most {_SEARCH_MAX} characters.", field="text")
        if not 1 <= limit <= 200:
            raise Invalid("Ask for between 1 and 200 results.", field="limit")
        with self._unit(context) as session:
            hits = self._message_hits(session, context, needle)
            titled = session.scalars(
                sa.select(Conversation).where(
                    Conversation.user_id == context.user_id,
                    like_filter(Conversation.title, needle),
                )
            ).all()
            ids = set(hits) | {c.id for c in titled if contains(c.title, needle)}
            recent = sa.func.coalesce(Conversation.updated_at, Conversation.created_at)
            found = session.scalars(
                sa.select(Conversation)
                .where(Conversation.id.in_(ids), Conversation.user_id == context.user_id)
                .order_by(recent.desc(), Conversation.id.desc())
                .limit(limit)
            ).all()
            matches = []
            for info, conversation in zip(self._infos(session, found), found, strict=True):
                message_id, content = hits.get(conversation.id, (None, conversation.title))
                matches.append(ConversationMatch(info, snippet(content, needle), message_id))
            return matches

    @staticmethod
    def _message_hits(
        session: Session, context: ExecutionContext, needle: str
    ) -> dict[int, tuple[int, str]]:
        """The latest message containing ``needle`` in each of the user's conversations."""
        candidates = session.execute(
            sa.select(
                ConversationMessage.conversation_id,
                ConversationMessage.id,
                ConversationMessage.content,
            )
            .join(Conversation, Conversation.id == ConversationMessage.conversation_id)
            .where(
                Conversation.user_id == context.user_id,
                like_filter(ConversationMessage.content, needle),
            )
            .order_by(ConversationMessage.id.desc())
            .execution_options(yield_per=500)
        )
        hits: dict[int, tuple[int, str]] = {}
        for conversation_id, message_id, content in candidates:
            if conversation_id not in hits and contains(content, needle):
                hits[conversation_id] = (message_id, content)
        return hits


def _clean_title(title: str) -> str:
    cleaned = " ".join((title or "").split())
    if not cleaned:
        raise Invalid("A conversation needs a title with some words in it.", field="title")
    if len(cleaned) > _TITLE_MAX:
        raise Invalid(
            f"That title is {len(cleaned)} characters; keep it to {_TITLE_MAX}.", field="title"
        )
    return cleaned
