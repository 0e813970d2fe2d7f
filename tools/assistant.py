"""The assistant's own tools (spec section 14). Memory tools join with long-term memory."""

from __future__ import annotations

from typing import Any

from ..assistant.catalog import Card, DataScope, Operation, Risk, Tool, ToolRegistry, ToolResult
from ..assistant.context import ExecutionContext
from ..assistant.undo import undo_last
from ..workspace.services import Services
from ._common import ToolInput

__all__ = ["tools_for"]


class UndoLast(ToolInput):
    """No arguments: it always undoes the user's own latest action."""


def tools_for(registry: ToolRegistry) -> list[Tool[Any]]:
    """The assistant tools; undo runs the inverses registered in ``registry``."""

    def undo(services: Services, _args: UndoLast, _context: ExecutionContext) -> ToolResult:
        return ToolResult(undo_last(services, registry), None, Card.TEXT)

    return [
        Tool(
            "assistant_undo_last",
            "assistant",
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
        ),
    ]
