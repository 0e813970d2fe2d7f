"""The waitlist and public booking links."""

from __future__ import annotations

import re
import unicodedata
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ....errors import Conflict, Invalid, NotFound
from ...models import BookingLink, Business, WaitlistEntry, WaitlistStatus
from .._base import DomainService
from .._references import Ref, resolve_client, resolve_service, resolve_staff
from . import _time as t
from ._common import record_id, require_team
from ._describe import describe_link, describe_waitlist
from ._models import BookingLinkInfo, Undo, WaitlistEntryInfo

__all__ = ["BOOKING_HOST", "WaitlistOps"]

BOOKING_HOST = "https://book.luma.local"
"""Public booking links are ``<BOOKING_HOST>/<business slug>/<code>``."""


def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


class WaitlistOps(DomainService):
    """Team-only: clients waiting for a slot, and the links clients book through."""

    # -- waitlist -----------------------------------------------------------------------

    def add_to_waitlist(
        self,
        client: Ref,
        service: Ref,
        *,
        day: date | None = None,
        staff: Ref | None = None,
        notes: str | None = None,
    ) -> WaitlistEntryInfo:
        """Put a client on the waitlist for a service (optionally a day / staff member)."""
        require_team(self.context, "manage the waitlist")
        if day is not None and day < self.context.today():
            raise Invalid(f"{t.short_day(day)} has already passed.", field="day")
        notes = (notes or "").strip() or None
        if notes is not None and len(notes) > 500:
            raise Invalid("The notes are too long (at most 500 characters).", field="notes")
        with self._unit() as session:
            who = resolve_client(session, client)
            what = resolve_service(session, service)
            staff_id = resolve_staff(session, staff).id if staff is not None else None
            duplicate = session.scalars(
                sa.select(WaitlistEntry).where(
                    WaitlistEntry.client_id == who.id,
                    WaitlistEntry.service_id == what.id,
                    WaitlistEntry.status == WaitlistStatus.WAITING,
                    WaitlistEntry.preferred_day.is_(None)
                    if day is None
                    else WaitlistEntry.preferred_day == day,
                )
            ).first()
            if duplicate is not None:
                raise Conflict(
                    f"{who.full_name} is already waiting for {what.name}"
                    + (f" on {t.short_day(day)}." if day else ".")
                )
            row = WaitlistEntry(
                client_id=who.id,
                service_id=what.id,
                staff_id=staff_id,
                preferred_day=day,
                notes=notes,
            )
            session.add(row)
            session.flush()
            info = describe_waitlist(session, self.context.tz, [row])[0]
            return info.model_copy(
                update={
                    "undo": Undo(
                        operation="remove_from_waitlist",
                        arguments={"reference": row.id},
                        summary=f"Take {who.full_name} off the waitlist for {what.name}.",
                    )
                }
            )

    def remove_from_waitlist(self, reference: Ref) -> WaitlistEntryInfo:
        """Take a waiting entry off the list (it is kept as "removed")."""
        require_team(self.context, "manage the waitlist")
        with self._unit() as session:
            row = self._get(
                session, WaitlistEntry, record_id(reference, "waitlist entry"), "waitlist entry"
            )
            if row.status in (WaitlistStatus.REMOVED, WaitlistStatus.BOOKED):
                raise Invalid(
                    f"That waitlist entry is already {row.status.value}.", field="reference"
                )
            row.status = WaitlistStatus.REMOVED
            session.flush()
            return describe_waitlist(session, self.context.tz, [row])[0]

    # -- booking links ------------------------------------------------------------------

    def create_booking_link(
        self, *, service: Ref | None = None, staff: Ref | None = None
    ) -> BookingLinkInfo:
        """The public booking link for a service/staff member/the business, made if missing.

        The code is derived from the names ("haircut-anna"; "all" for the whole business).
        """
        require_team(self.context, "create booking links")
        with self._unit() as session:
            what = resolve_service(session, service) if service is not None else None
            who = resolve_staff(session, staff) if staff is not None else None
            existing = session.scalars(
                sa.select(BookingLink).where(
                    BookingLink.service_id.is_(None)
                    if what is None
                    else BookingLink.service_id == what.id,
                    BookingLink.staff_id.is_(None)
                    if who is None
                    else BookingLink.staff_id == who.id,
                )
            ).first()
            if existing is not None:
                return describe_link(session, existing)
            base = "-".join(
                filter(None, [_slug(what.name) if what else "", _slug(who.name) if who else ""])
            )[:20].strip("-")
            code = self._free_code(session, base or "all")
            business = self._get(session, Business, self.context.business_id, "business")
            row = BookingLink(
                code=code,
                service_id=what.id if what else None,
                staff_id=who.id if who else None,
                url=f"{BOOKING_HOST}/{business.slug}/{code}",
            )
            session.add(row)
            session.flush()
            return describe_link(session, row).model_copy(
                update={
                    "created": True,
                    "undo": Undo(
                        operation="delete_booking_link",
                        arguments={"reference": row.id},
                        summary=f"Remove the booking link {row.url}.",
                    ),
                }
            )

    @staticmethod
    def _free_code(session: Session, base: str) -> str:
        taken = set(session.scalars(sa.select(BookingLink.code)).all())
        code, n = base, 2
        while code in taken:
            code, n = f"{base}-{n}", n + 1
        return code

    def delete_booking_link(self, reference: Ref) -> BookingLinkInfo:
        """Remove a booking link by id or code (its URL stops working)."""
        require_team(self.context, "remove booking links")
        with self._unit() as session:
            row: BookingLink | None
            if isinstance(reference, int):
                row = session.get(BookingLink, reference)
            else:
                row = session.scalars(
                    sa.select(BookingLink).where(BookingLink.code == reference.strip().lower())
                ).first()
            if row is None:
                raise NotFound("booking link", reference)
            info = describe_link(session, row)
            session.delete(row)
            session.flush()
            return info
