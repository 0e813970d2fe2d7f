"""The execution context: who acts, in which business and conversation, and when.

The executor builds it from the signed-in user; a model never supplies any of it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa

from ..clock import Clock, SystemClock
from ..workspace.database import Workspace
from ..workspace.models import Business, Role, Subscription, User
from ..workspace.services import ServiceContext, context_for

__all__ = ["ExecutionContext", "execution_context_for"]


@dataclass(frozen=True, slots=True)
class ExecutionContext:
    """Everything a tool may know about the caller; scope comes from here, never from input."""

    business_id: int
    """The tenant every call is confined to."""
    user_id: int
    """The signed-in user."""
    role: Role
    """The user's role; decides which tools exist for them."""
    user_name: str = ""
    """How to address the user."""
    staff_id: int | None = None
    """The staff record linked to the user (own-scoped data for the staff role)."""
    client_id: int | None = None
    """The client record of a client-portal user (their own records only)."""
    department_ids: frozenset[int] = frozenset()
    """The user's departments (department-scoped data for managers)."""
    conversation_id: int | None = None
    """The conversation the call belongs to (binds confirmations and undo)."""
    timezone: str = "UTC"
    """The business's IANA timezone."""
    currency: str = "GBP"
    """The business's default currency."""
    country: str = "GB"
    """The business's country (default region of phone numbers)."""
    locale: str = "en_GB"
    """Language and formats for replies."""
    features: frozenset[str] | None = None
    """Features of the business's subscription (``None``: no subscription limits)."""
    clock: Clock = field(default_factory=SystemClock)
    """Where "now" comes from."""

    @property
    def own_only(self) -> bool:
        """Whether role-based tools must be limited to the user's own records."""
        return self.role in (Role.STAFF, Role.CLIENT)

    def service_context(self) -> ServiceContext:
        """The same caller, as the workspace services see it."""
        return ServiceContext(
            business_id=self.business_id,
            user_id=self.user_id,
            role=self.role,
            staff_id=self.staff_id,
            client_id=self.client_id,
            department_ids=self.department_ids,
            timezone=self.timezone,
            currency=self.currency,
            country=self.country,
            clock=self.clock,
        )


def execution_context_for(
    workspace: Workspace,
    *,
    business: str | int | None = None,
    user: str | None = None,
    role: Role | None = None,
    clock: Clock | None = None,
    conversation_id: int | None = None,
) -> ExecutionContext:
    """The execution context of a signed-in user (see :func:`context_for` for the keywords)."""
    base = context_for(workspace, business=business, user=user, role=role, clock=clock)
    with workspace.transaction(base.business_id) as session:
        name = session.scalar(sa.select(User.name).where(User.id == base.user_id)) or ""
        locale = session.scalar(sa.select(Business.locale)) or "en_GB"
        subscription = session.scalars(sa.select(Subscription)).first()
    features = frozenset(subscription.features) if subscription and subscription.features else None
    return ExecutionContext(
        business_id=base.business_id,
        user_id=base.user_id or 0,
        role=base.role,
        user_name=name,
        staff_id=base.staff_id,
        client_id=base.client_id,
        department_ids=base.department_ids,
        conversation_id=conversation_id,
        timezone=base.timezone,
        currency=base.currency,
        country=base.country,
        locale=locale,
        features=features,
        clock=base.clock,
    )
