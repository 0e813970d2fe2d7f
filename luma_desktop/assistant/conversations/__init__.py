"""Persisted conversations: messages in and out of the workspace, titles, summaries, search.

:class:`ConversationStore` keeps each user's conversations in their business's workspace;
:func:`message_to_payload` and :func:`message_from_payload` turn provider-neutral messages into
JSON-safe dicts and back, exactly.
"""

from ._payloads import message_from_payload, message_to_payload
from ._store import (
    ConversationInfo,
    ConversationMatch,
    ConversationStore,
    StoredMessage,
    Transcript,
)
from ._summary import SUMMARY_LIMIT, fold
from ._titles import DEFAULT_TITLE, title_from

__all__ = [
    "DEFAULT_TITLE",
    "SUMMARY_LIMIT",
    "ConversationInfo",
    "ConversationMatch",
    "ConversationStore",
    "StoredMessage",
    "Transcript",
    "fold",
    "message_from_payload",
    "message_to_payload",
    "title_from",
]
