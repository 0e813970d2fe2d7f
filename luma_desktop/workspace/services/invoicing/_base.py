"""The shared base of the invoicing service: who may do what, where PDFs go, lookups."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from sqlalchemy.orm import Session

from ....errors import NotFound, PermissionDenied
from ....paths import resolve_paths
from ...database import Workspace
from ...models import Invoice, InvoiceStatus, Quote, Role
from .._base import DomainService, ServiceContext
from .._references import Ref, resolve_invoice, resolve_quote
from ._documents import NumberClash

__all__ = ["InvoicingBase"]

_TEAM = (Role.OWNER, Role.ADMIN, Role.MANAGER)
_RETRIES = 3
T = TypeVar("T")


class InvoicingBase(DomainService):
    """Role checks and lookups every invoicing operation uses."""

    def __init__(
        self, workspace: Workspace, context: ServiceContext, *, documents_dir: Path | None = None
    ) -> None:
        super().__init__(workspace, context)
        self.documents_dir = documents_dir
        """Where invoice and quote PDFs are written (default: ``<data dir>/documents``)."""

    def _folder(self, override: Path | None) -> Path:
        chosen = override or self.documents_dir
        return chosen if chosen is not None else resolve_paths().data / "documents"

    @property
    def _is_portal(self) -> bool:
        return self.context.role is Role.CLIENT

    def _require_team(self) -> None:
        """Owners, admins and managers handle invoices; staff and clients do not."""
        if self.context.role is Role.STAFF:
            raise PermissionDenied(
                "Staff accounts don't have access to invoices, quotes or "
                "payments. Ask the owner or a manager."
            )
        if self.context.role not in _TEAM:
            raise PermissionDenied("Only the business's team can do that.")

    def _require_reader(self) -> None:
        """The team, or a client-portal user linked to a client record."""
        if self._is_portal:
            if self.context.client_id is None:
                raise PermissionDenied("This portal account is not linked to a client record.")
            return
        self._require_team()

    def _require_admin(self) -> None:
        if self.context.role not in (Role.OWNER, Role.ADMIN):
            raise PermissionDenied("Only the owner or an admin can see revenue reports.")

    def _invoice(self, session: Session, reference: Ref) -> Invoice:
        """The invoice ``reference`` means; portal users only find their own, issued ones."""
        invoice = resolve_invoice(session, reference)
        if self._is_portal and (
            invoice.client_id != self.context.client_id or invoice.status is InvoiceStatus.DRAFT
        ):
            label = f"#{reference}" if isinstance(reference, int) else reference
            raise NotFound("invoice", label)
        return invoice

    @staticmethod
    def _quote(session: Session, reference: Ref) -> Quote:
        return resolve_quote(session, reference)

    def _retrying(self, work: Callable[[Session], T]) -> T:
        """``work`` in one transaction, run again when a document number clashed."""
        for attempt in range(1, _RETRIES + 1):
            try:
                with self._unit() as session:
                    return work(session)
            except NumberClash:
                if attempt == _RETRIES:
                    raise
        raise AssertionError("unreachable")  # pragma: no cover
