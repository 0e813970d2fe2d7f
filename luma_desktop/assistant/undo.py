"""Undo: reversible writes leave an inverse; the user's latest one can be run within 10 minutes."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from ..errors import Invalid
from ..workspace.database import Workspace
from ..workspace.models import UndoRecord
from ..workspace.services import ServiceContext, Services
from .catalog import ToolRegistry, UndoPlan

__all__ = ["UNDO_WINDOW", "record_undo", "undo_last"]

UNDO_WINDOW = timedelta(minutes=10)


def record_undo(
    workspace: Workspace, context: ServiceContext, tool_name: str, plan: UndoPlan
) -> None:
    """Remember how to revert what ``tool_name`` just did for this user."""
    if context.user_id is None:
        return
    with workspace.transaction(context.business_id) as session:
        session.add(
            UndoRecord(
                user_id=context.user_id,
                tool_name=tool_name,
                summary=plan.summary,
                inverse={
                    "domain": plan.domain,
                    "operation": plan.operation,
                    "arguments": plan.arguments,
                },
                created_at=context.clock.now(),
            )
        )


def undo_last(services: Services, registry: ToolRegistry) -> str:
    """Revert the user's most recent reversible action of the last 10 minutes; say what it was."""
    context = services.context
    since = context.clock.now() - UNDO_WINDOW
    with services.workspace.transaction(context.business_id) as session:
        record = session.scalars(
            sa.select(UndoRecord)
            .where(
                UndoRecord.user_id == context.user_id,
                UndoRecord.undone_at.is_(None),
                UndoRecord.created_at >= since,
            )
            .order_by(UndoRecord.created_at.desc(), UndoRecord.id.desc())
            .limit(1)
        ).first()
        if record is None:
            return (
                "There is nothing I can undo from the last 10 minutes. "
                "Sent messages and payments can't be undone."
            )
        inverse, record_id, summary = dict(record.inverse), record.id, record.summary
    runner = registry.inverse(str(inverse.get("domain")), str(inverse.get("operation")))
    if runner is None:
        raise Invalid("That action can't be undone automatically.")
    runner(services, dict(inverse.get("arguments") or {}))
    with services.workspace.transaction(context.business_id) as session:
        done = session.get(UndoRecord, record_id)
        if done is not None:
            done.undone_at = context.clock.now()
    return f"Undone: {summary}."
