"""Who may see which client, how references resolve, and the shared list filter."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ....errors import Invalid, NotFound, PermissionDenied
from ...database import Workspace
from ...models import Client, ClientTag, Role
from .._base import DomainService, ServiceContext
from .._references import Ref, last_visit_subquery, resolve_client, resolve_staff
from ._fields import clean_lead_status, clean_tags
from ._queries import own_clients_clause

__all__ = ["ClientsAccess", "ListFilters"]

_MANAGERS = frozenset({Role.OWNER, Role.ADMIN, Role.MANAGER})


@dataclass(frozen=True, slots=True, kw_only=True)
class ListFilters:
    """The filters shared by listing, searching and exporting clients."""

    tag: str | None = None
    lead_status: str | None = None
    owner_staff: Ref | None = None
    own_only: bool = False
    not_visited_days: int | None = None
    include_deleted: bool = False


class ClientsAccess(DomainService):
    """Base of the clients service: role checks and reference resolution."""

    def __init__(
        self, workspace: Workspace, context: ServiceContext, *, export_dir: Path | None = None
    ) -> None:
        super().__init__(workspace, context)
        self.export_dir = export_dir
        """Where :meth:`delete` writes the record export when no folder is passed."""

    @property
    def _sees_money(self) -> bool:
        """Staff see no financial data (balances, invoices, payments)."""
        return self.context.role is not Role.STAFF

    def _require_team(self, action: str) -> None:
        if self.context.role is Role.CLIENT:
            raise PermissionDenied(f"A client account cannot {action}.")

    def _require_manager(self, action: str) -> None:
        if self.context.role not in _MANAGERS:
            raise PermissionDenied(
                f"Your role ({self.context.role.value}) cannot {action}; "
                "ask an owner, admin or manager."
            )

    def _own_ids(self, session: Session, ids: Iterable[int]) -> set[int]:
        return set(
            session.scalars(
                sa.select(Client.id).where(
                    Client.id.in_(list(ids)), own_clients_clause(self.context.staff_id)
                )
            ).all()
        )

    def _resolve(
        self, session: Session, ref: Ref | None, *, include_deleted: bool = False
    ) -> Client:
        """The client ``ref`` means, as far as this user may see it."""
        if self.context.role is Role.CLIENT:
            return self._portal_self(session, ref)
        if ref is None or (isinstance(ref, str) and not ref.strip()):
            raise Invalid("Which client? Give a name, e-mail, phone number or id.", field="client")
        staff = self.context.role is Role.STAFF
        client = resolve_client(
            session,
            ref,
            include_deleted=include_deleted,
            among=own_clients_clause(self.context.staff_id) if staff else None,
            now=self.context.now(),
        )
        if staff and not self._own_ids(session, [client.id]):
            raise PermissionDenied(f"{client.full_name} is not one of your clients.")
        return client

    def _portal_self(self, session: Session, ref: Ref | None) -> Client:
        own = session.get(Client, self.context.client_id) if self.context.client_id else None
        if own is None or own.deleted_at is not None:
            raise PermissionDenied(
                "Your account is not linked to a client record; please contact the business."
            )
        names = {own.full_name.lower(), (own.email or "").lower(), str(own.id), f"#{own.id}"}
        if ref is None or ref == own.id or (isinstance(ref, str) and ref.strip().lower() in names):
            return own
        raise PermissionDenied("You can only see and change your own details.")

    def _resolve_many(self, session: Session, refs: Ref | Iterable[Ref]) -> list[Client]:
        """Several clients (ids in one query, names one by one), without repeats."""
        items = [refs] if isinstance(refs, int | str) else list(refs)
        if not items:
            raise Invalid("Name at least one client.", field="clients")
        ids = [r for r in items if isinstance(r, int)]
        found = {
            c.id: c
            for c in session.scalars(
                sa.select(Client).where(Client.id.in_(ids), Client.deleted_at.is_(None))
            ).all()
        }
        clients: dict[int, Client] = {}
        for ref in items:
            client = found.get(ref) if isinstance(ref, int) else self._resolve(session, ref)
            if client is None:
                raise NotFound("client", f"#{ref}")
            clients[client.id] = client
        return list(clients.values())

    def _filtered(
        self, session: Session, filters: ListFilters
    ) -> tuple[sa.Select[Client, datetime | None], sa.Subquery]:
        """Clients matching ``filters`` with their last visit (not yet ordered)."""
        now = self.context.now()
        visits = last_visit_subquery(now)
        query = sa.select(Client, visits.c.last_visit).outerjoin(
            visits, visits.c.client_id == Client.id
        )
        if not filters.include_deleted:
            query = query.where(Client.deleted_at.is_(None))
        if filters.tag:
            query = query.where(
                Client.id.in_(
                    sa.select(ClientTag.client_id).where(
                        ClientTag.tag == clean_tags([filters.tag])[0]
                    )
                )
            )
        if filters.lead_status:
            query = query.where(Client.lead_status == clean_lead_status(filters.lead_status))
        if filters.owner_staff is not None:
            query = query.where(
                Client.owner_staff_id == resolve_staff(session, filters.owner_staff).id
            )
        if filters.own_only or self.context.role is Role.STAFF:
            if self.context.staff_id is None:
                raise Invalid(
                    "You have no staff record, so no clients are your own.", field="own_only"
                )
            query = query.where(own_clients_clause(self.context.staff_id))
        if filters.not_visited_days is not None:
            if filters.not_visited_days < 0:
                raise Invalid("The number of days cannot be negative.", field="not_visited_days")
            cutoff = now - timedelta(days=filters.not_visited_days)
            query = query.where(
                sa.or_(
                    visits.c.last_visit < cutoff,
                    sa.and_(visits.c.last_visit.is_(None), Client.created_at < cutoff),
                )
            )
        return query, visits
