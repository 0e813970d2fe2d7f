"""Alembic environment: always runs on a connection handed over by luma_desktop.workspace."""

from typing import Any, Literal

from alembic import context
from alembic.autogenerate.api import AutogenContext

from luma_desktop.workspace.models import Base, StrEnumType, UTCDateTime

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("Run migrations through `luma db upgrade` (luma_desktop.workspace.migrate).")


def render_item(kind: str, obj: Any, autogen_context: AutogenContext) -> str | Literal[False]:
    """Write Luma's column types as the plain SQL types they store, so migrations stand alone."""
    if kind == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    if kind == "type" and isinstance(obj, StrEnumType):
        return "sa.String(length=24)"
    return False


context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
    render_item=render_item,
)
with context.begin_transaction():
    context.run_migrations()
