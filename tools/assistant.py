"""The assistant's own tools (spec section 14): long-term memory and undo.

The memory tools reach :class:`~luma_desktop.memory.Memory` through
``Services.long_term_memory``, which raises :class:`~luma_desktop.errors.MemoryUnavailable`
(a human sentence) when memory is off or still loading. Who reads and what scope a memory gets
come from the execution context, never from the arguments.
"""

from __future__ import annotations

from textwrap import shorten
from typing import Any

from pydantic import Field

from ..assistant.catalog import (
    Card,
    DataScope,
    InverseRunner,
    Operation,
    Risk,
    Tool,
    ToolRegistry,
    ToolResult,
    UndoPlan,
)
from ..assistant.context import ExecutionContext
from ..assistant.undo import undo_last
from ..errors import NotFound
from ..memory.records import STAFF_ROLES, Kind, MemoryRecord, Scope
from ..memory.rules import Reader
from ..workspace.services import ServiceContext, Services
from ._common import ToolInput

__all__ = ["INVERSES", "RECALL_LIMIT", "tools_for"]

DOMAIN = "assistant"
RECALL_LIMIT = 10
"""At most this many memories in a recall (newest first), so the answer can be spoken."""
_SPOKEN = 5
"""Memories read out in a summary; the card shows the rest."""


def _quote(text: str, width: int = 90) -> str:
    return f"“{shorten(text, width, placeholder='…')}”"


def _row(record: MemoryRecord, similarity: float | None = None) -> dict[str, Any]:
    """A memory as card data (one table row; ids stay for the window, the CLI hides them)."""
    row: dict[str, Any] = {
        "id": record.id,
        "text": record.text,
        "scope": "business" if record.scope is Scope.COMPANY else "personal",
        "kind": record.kind.value,
        "topic": record.topic,
        "created_at": record.created_at.isoformat(),
    }
    if similarity is not None:
        row["similarity"] = round(similarity, 3)
    return row


def _listing(records: list[MemoryRecord]) -> str:
    """Memories as a sentence to read out: quoted, business ones marked, the rest counted."""
    said = [
        _quote(r.text) + (" (for the business)" if r.scope is Scope.COMPANY else "")
        for r in records[:_SPOKEN]
    ]
    more = len(records) - len(said)
    tail = f"; and {more} more" if more > 0 else ""
    return "; ".join(said) + tail + "."


# -- assistant_remember ------------------------------------------------------------------------


class Remember(ToolInput):
    text: str = Field(
        min_length=2,
        max_length=1000,
        description="What to remember, one or two sentences in the user's words "
        "('I prefer invoice reminders on Mondays', 'Alpine Tech's contact is Hans Mueller').",
    )
    about_business: bool = Field(
        default=False,
        description="True for something the whole team should know (a client's contact, a "
        "business rule); false (default) for the user's own preference or note.",
    )


def _forget_plan(record: MemoryRecord) -> UndoPlan:
    return UndoPlan(DOMAIN, "forget_memory", {"id": record.id}, f"forget {_quote(record.text)}")


def remember(services: Services, args: Remember, context: ExecutionContext) -> ToolResult:
    memory = services.long_term_memory
    company = args.about_business and context.role in STAFF_ROLES
    record = memory.remember(
        Reader.of(context),
        args.text,
        scope=Scope.COMPANY if company else Scope.PERSONAL,
        kind=Kind.NOTE,
        source_conversation=context.conversation_id,
        visible_to=STAFF_ROLES if company else None,
        author_role=context.role,
    )
    whose = " for everyone in the business" if company else ""
    summary = f"I'll remember that{whose}: {shorten(record.text, 200, placeholder='…')}"
    return ToolResult(summary, _row(record), Card.TEXT, _forget_plan(record))


def _undo_remember(services: Services, arguments: dict[str, Any]) -> object:
    """Forget the memory just made; one already gone (forgotten, merged) needs nothing."""
    try:
        return services.long_term_memory.forget_ids(
            _reader_of(services.context), [str(arguments["id"])]
        )
    except NotFound:
        return []


def _reader_of(context: ServiceContext) -> Reader:
    return Reader(context.business_id, context.user_id or 0, context.role)


# -- assistant_forget --------------------------------------------------------------------------


class Forget(ToolInput):
    description: str = Field(
        min_length=2,
        max_length=300,
        description="What the memories to forget are about, in the user's words "
        "('my reminder day', 'Alpine Tech's contact'). Only memories the user may delete go.",
    )


def forget(services: Services, args: Forget, context: ExecutionContext) -> ToolResult:
    forgotten = services.long_term_memory.forget(Reader.of(context), args.description)
    if not forgotten:
        return ToolResult(
            f"I don't remember anything about {_quote(args.description)}, "
            "so there was nothing to forget.",
            [],
            Card.TABLE,
        )
    count = "1 memory" if len(forgotten) == 1 else f"{len(forgotten)} memories"
    summary = f"I've forgotten {count}: {_listing(forgotten)}"
    return ToolResult(summary, [_row(r) for r in forgotten], Card.TABLE)


# -- assistant_recall --------------------------------------------------------------------------


class Recall(ToolInput):
    query: str | None = Field(
        default=None,
        min_length=1,
        max_length=300,
        description="What to recall ('my reminder preferences', 'Alpine Tech'); leave it out "
        "for everything Luma remembers about the user.",
    )


def recall(services: Services, args: Recall, context: ExecutionContext) -> ToolResult:
    memory = services.long_term_memory
    reader = Reader.of(context)
    if args.query:
        hits = memory.search(reader, args.query, k=RECALL_LIMIT)
        if not hits:
            return ToolResult(
                f"I don't remember anything about {_quote(args.query)}.", [], Card.TABLE
            )
        records = [hit.record for hit in hits]
        rows = [_row(hit.record, hit.similarity) for hit in hits]
        return ToolResult(
            f"About {_quote(args.query)}, I remember: {_listing(records)}", rows, Card.TABLE
        )
    records = memory.list(reader, limit=RECALL_LIMIT)
    if not records:
        return ToolResult(
            "I don't remember anything about you yet. Say “remember that …” and I will.",
            [],
            Card.TABLE,
        )
    count = "one thing" if len(records) == 1 else f"{len(records)} things"
    return ToolResult(
        f"I remember {count}: {_listing(records)}", [_row(r) for r in records], Card.TABLE
    )


# -- assistant_undo_last -----------------------------------------------------------------------


class UndoLast(ToolInput):
    """No arguments: it always undoes the user's own latest action."""


INVERSES: dict[tuple[str, str], InverseRunner] = {
    (DOMAIN, "forget_memory"): _undo_remember,
}


def tools_for(registry: ToolRegistry) -> list[Tool[Any]]:
    """The assistant tools; undo runs the inverses registered in ``registry``.

    The memory tools' inverse is registered here too (``tools/__init__.py`` registers this
    domain's tools without inverses), unless the registry already has it.
    """
    if registry.inverse(DOMAIN, "forget_memory") is None:
        registry.register([], INVERSES)

    def undo(services: Services, _args: UndoLast, _context: ExecutionContext) -> ToolResult:
        return ToolResult(undo_last(services, registry), None, Card.TEXT)

    return [*_memory_tools(), _undo_tool(undo)]


def _memory_tools() -> list[Tool[Any]]:
    return [
        Tool(
            "assistant_remember",
            DOMAIN,
            "Remember a preference, decision or fact for later conversations (long-term "
            "memory), e.g. 'remember I prefer Monday reminders'. Personal by default; set "
            "about_business for something the whole team should know.",
            Remember,
            remember,
            Operation.WRITE,
            Risk.LOW,
            DataScope.OWN,
            Card.TEXT,
            reversible=True,
            examples=(
                "remember that I prefer it this way",
                "keep in mind that this is how we do it",
                "remember this fact for next time",
            ),
        ),
        Tool(
            "assistant_forget",
            DOMAIN,
            "Forget (delete from long-term memory) the memories matching a description, e.g. "
            "'forget what you know about my reminders'. Says what was forgotten.",
            Forget,
            forget,
            Operation.WRITE,
            Risk.MEDIUM,
            DataScope.OWN,
            Card.TABLE,
            confirmation="Forget memories about “{description}”?",
            examples=(
                "forget what you know about that",
                "delete your memories about this",
                "stop remembering that",
            ),
        ),
        Tool(
            "assistant_recall",
            DOMAIN,
            "What Luma remembers (long-term memory): with a query, the memories about it; "
            "without, the user's own memories and the business's, newest first.",
            Recall,
            recall,
            Operation.READ,
            Risk.NONE,
            DataScope.OWN,
            Card.TABLE,
            examples=(
                "what do you remember about me",
                "what did I tell you about that",
                "what's in your memory",
            ),
        ),
    ]


def _undo_tool(undo: Any) -> Tool[Any]:
    return Tool(
        "assistant_undo_last",
        DOMAIN,
        "Undo the user's last reversible action from the last 10 minutes and say what was "
        "undone. Sent messages and payments cannot be undone.",
        UndoLast,
        undo,
        Operation.WRITE,
        Risk.MEDIUM,
        DataScope.OWN,
        Card.TEXT,
        confirmation="Undo your last action?",
        examples=(
            "undo the last change",
            "put it back the way it was",
        ),
    )
