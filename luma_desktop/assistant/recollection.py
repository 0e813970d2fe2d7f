"""Long-term memory inside a conversation: recall before the brain plans, capture after.

Recall is bounded and never blocks: before the memory model has loaded a turn simply runs
without it. Capture happens after the answer has reached the user, in the background (waiting
for the model if it is still loading); a failed capture is logged and loses nothing but that
memory. Exchanges that used the memory tools
themselves are not captured again.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ..memory import Memory, format_history
from ..memory.capture import Candidate, Exchange, UsedTool, select, summary_candidate
from ..memory.rules import Reader, roles_that_see
from .access import is_visible
from .catalog import ToolRegistry
from .context import ExecutionContext
from .gatekeeper import Executed, Failed, Outcome

__all__ = ["MEMORY_TOOLS", "Recalled", "Recollection", "used_tool"]

log = logging.getLogger(__name__)

MEMORY_TOOLS = frozenset({"assistant_remember", "assistant_forget", "assistant_recall"})

_ABOUT_MEMORY = re.compile(
    r"\b(?:assistant_(?:remember|forget|recall)|remember|forget|recall)\b", re.IGNORECASE
)
"""Summary lines about memory itself: kept out of summary memories, so "forget X" leaves no
copy of X behind in a summary."""


@dataclass(frozen=True, slots=True)
class Recalled:
    """What memory brings to one turn."""

    history: str = ""
    """The "Relevant history" block for a model's prompt (empty: nothing relevant)."""
    texts: tuple[str, ...] = ()
    """The recalled memories, most relevant first (the offline brain's defaults)."""


def used_tool(outcome: Outcome) -> UsedTool | None:
    """How capture sees one outcome (``None`` for calls that never ran)."""
    if isinstance(outcome, Executed):
        tool = outcome.tool
        return UsedTool(
            tool.name, tool.domain, tool.operation.value, outcome.arguments, outcome.result.summary
        )
    if isinstance(outcome, Failed):
        tool = outcome.tool
        return UsedTool(
            tool.name,
            tool.domain,
            tool.operation.value,
            outcome.arguments,
            ok=False,
            error=outcome.error.message,
        )
    return None


class Recollection:
    """One assistant's use of the shared :class:`Memory`."""

    def __init__(self, memory: Memory, registry: ToolRegistry) -> None:
        self.memory = memory
        self.registry = registry
        self._tasks: set[asyncio.Task[None]] = set()

    async def recall(self, context: ExecutionContext, text: str) -> Recalled:
        hits = await self.memory.recall(Reader.of(context), text)
        if not hits:
            return Recalled()
        history = format_history(hits, self.memory.clock.now())
        return Recalled(history, tuple(hit.record.text for hit in hits))

    def capture_exchange(
        self,
        context: ExecutionContext,
        request: str,
        reply: str,
        used: Sequence[UsedTool],
    ) -> None:
        """Keep what is worth keeping from one exchange (in the background)."""
        if not request.strip() or any(tool.name in MEMORY_TOOLS for tool in used):
            return
        exchange = Exchange(
            request,
            reply,
            tuple(used),
            context.role,
            context.user_id,
            context.business_id,
            context.conversation_id,
        )
        self._spawn(context, select(exchange))

    def capture_summary(self, context: ExecutionContext, summary: str) -> None:
        """Keep a conversation's summary (at 20 messages and when it ends)."""
        kept = [line for line in summary.splitlines() if not _ABOUT_MEMORY.search(line)]
        candidate = summary_candidate("\n".join(kept), context.conversation_id, context.role)
        if candidate is not None:
            self._spawn(context, [candidate])

    async def drain(self) -> None:
        """Wait for the captures still running (on close, and in tests)."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    def _spawn(self, context: ExecutionContext, candidates: list[Candidate]) -> None:
        if not candidates or self.memory.state.startswith("failed"):
            return
        task = asyncio.get_running_loop().create_task(self._store(context, candidates))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _store(self, context: ExecutionContext, candidates: list[Candidate]) -> None:
        for candidate in candidates:
            try:
                await asyncio.to_thread(self._remember, context, candidate)
            except Exception as error:  # a lost memory must never break the conversation
                log.warning("could not keep a memory: %s", error)

    def _remember(self, context: ExecutionContext, candidate: Candidate) -> None:
        self.memory.remember(
            Reader.of(context),
            candidate.text,
            scope=candidate.scope,
            kind=candidate.kind,
            topic=candidate.topic,
            entities=candidate.entities,
            source_conversation=candidate.source_conversation or context.conversation_id,
            visible_to=roles_that_see(candidate.tool_names, self._visible(context)),
            author_role=candidate.author_role,
        )

    def _visible(self, context: ExecutionContext) -> Any:
        def visible(name: str, role: Any) -> bool:
            tool = self.registry.get(name)
            return tool is not None and is_visible(tool, role, context.features)

        return visible
