"""The service layer: per-domain operations on the workspace, each one transaction.

Open one with :func:`open_services`, or build a :class:`Services` from a context::

    services = open_services(workspace, user="owner@example.com")
    services.scheduling.list_appointments(...)
"""

from __future__ import annotations

from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

import sqlalchemy as sa

from ...clock import Clock, SystemClock
from ...errors import NotFound, PermissionDenied
from ...paths import resolve_paths
from ..database import Workspace
from ..models import Business, Role, User, UserDepartment
from ._base import DomainService, ServiceContext

if TYPE_CHECKING:
    from ...memory import Memory
    from .banking import BankingService
    from .clients import ClientsService
    from .invoicing import InvoicingService
    from .scheduling import SchedulingService
    from .search import SearchService
    from .tasks import TasksService

__all__ = ["DomainService", "ServiceContext", "Services", "context_for", "open_services"]


class Services:
    """Every domain service for one context; each is created on first use.

    ``files_dir`` is where services write files people keep (exports, PDFs, statements;
    default: ``files`` in the data folder);
    ``large_payment_threshold_minor`` marks payments that need a typed confirmation;
    ``memory`` is long-term memory (``None`` when it is off; see :attr:`long_term_memory`).
    """

    def __init__(
        self,
        workspace: Workspace,
        context: ServiceContext,
        *,
        files_dir: Path | None = None,
        large_payment_threshold_minor: int = 100_000,
        memory: Memory | None = None,
    ) -> None:
        self.workspace = workspace
        self.context = context
        self.files_dir = files_dir or resolve_paths().data / "files"
        self.large_payment_threshold_minor = large_payment_threshold_minor
        self.memory = memory

    @property
    def long_term_memory(self) -> Memory:
        """The memory the assistant tools use; refuses clearly when memory is off."""
        if self.memory is None:
            from ...errors import MemoryUnavailable

            raise MemoryUnavailable(
                "Long-term memory is off, so I can't remember or recall that. "
                "Turn it on in Settings (memory_enabled) and try again."
            )
        return self.memory

    def folder(self, name: str) -> Path:
        """A sub-folder of ``files_dir`` for one business (created when missing)."""
        path = self.files_dir / f"business-{self.context.business_id}" / name
        path.mkdir(parents=True, exist_ok=True)
        return path

    @cached_property
    def scheduling(self) -> SchedulingService:
        from .scheduling import SchedulingService

        return SchedulingService(self.workspace, self.context)

    @cached_property
    def clients(self) -> ClientsService:
        from .clients import ClientsService

        return ClientsService(self.workspace, self.context)

    @cached_property
    def invoicing(self) -> InvoicingService:
        from .invoicing import InvoicingService

        return InvoicingService(self.workspace, self.context)

    @cached_property
    def banking(self) -> BankingService:
        from .banking import BankingService

        return BankingService(
            self.workspace,
            self.context,
            large_payment_threshold_minor=self.large_payment_threshold_minor,
        )

    @cached_property
    def tasks(self) -> TasksService:
        from .tasks import TasksService

        return TasksService(self.workspace, self.context)

    @cached_property
    def search(self) -> SearchService:
        from .search import SearchService

        return SearchService(self.workspace, self.context)


def context_for(
    workspace: Workspace,
    *,
    business: str | int | None = None,
    user: str | None = None,
    role: Role | None = None,
    clock: Clock | None = None,
) -> ServiceContext:
    """The context of ``user`` (e-mail; default the owner) in ``business`` (slug or id).

    ``business`` may be omitted when the workspace holds exactly one business. ``role`` picks
    the first active user with that role instead of naming one (for ``--role`` in the CLI).
    """
    with workspace.transaction(None) as session:
        businesses = session.scalars(sa.select(Business).order_by(Business.id)).all()
        if isinstance(business, int):
            found = [b for b in businesses if b.id == business]
        elif business:
            found = [b for b in businesses if b.slug == business]
        else:
            found = list(businesses)
        if not found:
            raise NotFound("business", business if business is not None else "(none yet)")
        if len(found) > 1:
            slugs = ", ".join(b.slug for b in found)
            raise NotFound("single business", f"choose one with LUMA_BUSINESS ({slugs})")
        chosen = found[0]
        users = sa.select(User).where(User.business_id == chosen.id, User.active.is_(True))
        if user:
            users = users.where(sa.func.lower(User.email) == user.strip().lower())
        else:
            users = users.where(User.role == (role or Role.OWNER))
        member = session.scalars(users.order_by(User.id)).first()
        if member is None:
            raise PermissionDenied(
                f"There is no active {'user ' + user if user else (role or Role.OWNER).value} "
                f"in {chosen.name}."
            )
        departments = frozenset(
            session.scalars(
                sa.select(UserDepartment.department_id).where(UserDepartment.user_id == member.id)
            ).all()
        )
        return ServiceContext(
            business_id=chosen.id,
            user_id=member.id,
            role=member.role,
            staff_id=member.staff_id,
            client_id=member.client_id,
            department_ids=departments,
            timezone=chosen.timezone,
            currency=chosen.currency,
            country=chosen.country,
            clock=clock or SystemClock(),
        )


def open_services(workspace: Workspace, **who: object) -> Services:
    """:class:`Services` for the context :func:`context_for` finds (same keywords)."""
    return Services(workspace, context_for(workspace, **who))  # type: ignore[arg-type]
