"""What every domain service shares: who is asking (the context) and how it touches the data."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TypeVar
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from ...clock import Clock, SystemClock
from ...errors import NotFound
from ..database import Workspace
from ..models import Base, Role
from ..values import zone

__all__ = ["DomainService", "ServiceContext"]

ModelT = TypeVar("ModelT", bound=Base)


@dataclass(frozen=True, slots=True)
class ServiceContext:
    """Who is asking, for which business, and what time it is for them."""

    business_id: int
    """The tenant; every statement of the service is scoped to it."""
    user_id: int | None = None
    """The signed-in user (``None`` for system work such as the demo seed)."""
    role: Role = Role.OWNER
    """The user's role."""
    staff_id: int | None = None
    """The staff record linked to the user, for own-scoped data."""
    client_id: int | None = None
    """The client record of a client-portal user."""
    department_ids: frozenset[int] = frozenset()
    """Departments of the user (managers see their departments)."""
    timezone: str = "UTC"
    """The business's IANA timezone: "today" and "2pm" mean local time there."""
    currency: str = "GBP"
    """The business's default ISO currency."""
    country: str = "GB"
    """The business's country (default region for phone numbers)."""
    clock: Clock = field(default_factory=SystemClock)
    """Where "now" comes from (fixed in tests)."""

    @property
    def tz(self) -> ZoneInfo:
        return zone(self.timezone)

    def now(self) -> datetime:
        """The current time in the business timezone."""
        return self.clock.now().astimezone(self.tz)

    def today(self) -> date:
        """Today's date in the business timezone."""
        return self.now().date()


class DomainService:
    """Base of the per-domain services: the only code that touches the workspace tables.

    Each public method is one transaction: :meth:`_unit` commits when the block ends and
    rolls back everything if it raises.
    """

    def __init__(self, workspace: Workspace, context: ServiceContext) -> None:
        self.workspace = workspace
        self.context = context

    @contextmanager
    def _unit(self) -> Iterator[Session]:
        """A transaction scoped to the context's business."""
        with self.workspace.transaction(self.context.business_id) as session:
            yield session

    @staticmethod
    def _get(session: Session, model: type[ModelT], record_id: int, kind: str) -> ModelT:
        """The row ``record_id`` of ``model`` in this business, or :class:`NotFound`."""
        row = session.get(model, record_id)
        if row is None:
            raise NotFound(kind, f"#{record_id}")
        return row
