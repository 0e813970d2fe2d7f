"""Setting up the diary: blocked time and resources."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ....errors import Conflict, Invalid
from ...models import (
    Appointment,
    BlockedTime,
    Resource,
    ResourceKind,
)
from ...values import local_day_bounds
from .._base import DomainService
from .._references import Ref, resolve_resource, resolve_staff
from . import _time as t
from ._common import ACTIVE, iso, parse_enum, record_id, require_team
from ._describe import describe_blocks
from ._models import (
    BlockChange,
    ResourceChange,
    ResourceDeleted,
    ResourceInfo,
    Undo,
)

__all__ = ["SetupOps"]

MAX_CAPACITY = 100


class SetupOps(DomainService):
    """Team-only writes that shape the diary."""

    # -- blocked time -------------------------------------------------------------------

    def block_time(
        self,
        starts_at: datetime | date,
        ends_at: datetime | date | None = None,
        *,
        staff: Ref | None = None,
        resource: Ref | None = None,
        reason: str | None = None,
        force: bool = False,
    ) -> BlockChange:
        """Block a period for the whole business, one staff member or one resource.

        Dates mean whole local days (``ends_at`` inclusive; omitted = that one day).
        Appointments already in the period are named in a :class:`Conflict` unless
        ``force``; they stay booked either way.
        """
        require_team(self.context, "block time")
        start, end = self._block_span(starts_at, ends_at)
        reason = (reason or "").strip() or None
        if reason is not None and len(reason) > 200:
            raise Invalid("The reason is too long (at most 200 characters).", field="reason")
        if staff is not None and resource is not None:
            raise Invalid(
                "Block either a staff member or a resource, not both at once.", field="resource"
            )
        with self._unit() as session:
            staff_id = resolve_staff(session, staff).id if staff is not None else None
            resource_id = resolve_resource(session, resource).id if resource is not None else None
            clashes = session.scalars(
                sa.select(Appointment)
                .where(
                    Appointment.status.in_(ACTIVE),
                    Appointment.starts_at < end,
                    Appointment.ends_at > start,
                    *([Appointment.staff_id == staff_id] if staff_id is not None else []),
                    *([Appointment.resource_id == resource_id] if resource_id is not None else []),
                )
                .order_by(Appointment.starts_at)
            ).all()
            if clashes and not force:
                tz = self.context.tz
                listed = ", ".join(
                    f"{t.short_when(a.starts_at, tz)} ({a.confirmation_code})" for a in clashes[:5]
                )
                raise Conflict(
                    f"{len(clashes)} appointment(s) fall in that period: {listed}. "
                    "Move or cancel them first, or block the time anyway."
                )
            row = BlockedTime(
                staff_id=staff_id,
                resource_id=resource_id,
                starts_at=start,
                ends_at=end,
                reason=reason,
            )
            session.add(row)
            session.flush()
            info = describe_blocks(session, self.context.tz, [row])[0]
            return BlockChange(
                block=info,
                undo=Undo(
                    operation="unblock_time",
                    arguments={"reference": row.id},
                    summary=f"Remove the block from {t.short_when(start, self.context.tz)} to "
                    f"{t.short_when(end, self.context.tz)}.",
                ),
            )

    def _block_span(
        self, starts_at: datetime | date, ends_at: datetime | date | None
    ) -> tuple[datetime, datetime]:
        tz = self.context.tz
        if isinstance(starts_at, datetime):
            start = t.as_utc(starts_at, tz, "starts_at")
        elif isinstance(starts_at, date):
            start = local_day_bounds(starts_at, tz)[0]
        else:
            raise Invalid(f"“{starts_at}” is not a date or time.", field="starts_at")
        if ends_at is None:
            if isinstance(starts_at, datetime):
                raise Invalid("When should the block end?", field="ends_at")
            end = local_day_bounds(starts_at, tz)[1]
        elif isinstance(ends_at, datetime):
            end = t.as_utc(ends_at, tz, "ends_at")
        else:
            end = local_day_bounds(ends_at, tz)[1]
        if end <= start:
            raise Invalid("The block must end after it starts.", field="ends_at")
        if end <= self.context.now():
            raise Invalid("That period is already over.", field="ends_at")
        if end - start > timedelta(days=366):
            raise Invalid("Block at most a year at a time.", field="ends_at")
        return start, end

    def unblock_time(self, reference: Ref) -> BlockChange:
        """Remove a block by its number (see ``list_blocked_times``)."""
        require_team(self.context, "unblock time")
        with self._unit() as session:
            row = self._get(
                session, BlockedTime, record_id(reference, "blocked time"), "blocked time"
            )
            info = describe_blocks(session, self.context.tz, [row])[0]
            undo = Undo(
                operation="block_time",
                arguments={
                    "starts_at": iso(row.starts_at),
                    "ends_at": iso(row.ends_at),
                    "staff": row.staff_id,
                    "resource": row.resource_id,
                    "reason": row.reason,
                    "force": True,
                },
                summary=f"Block {t.short_when(row.starts_at, self.context.tz)} to "
                f"{t.short_when(row.ends_at, self.context.tz)} again.",
            )
            session.delete(row)
            session.flush()
            return BlockChange(block=info, undo=undo)

    # -- resources ----------------------------------------------------------------------

    def create_resource(
        self, name: str, kind: ResourceKind | str, *, capacity: int = 1
    ) -> ResourceChange:
        """Add a room, chair or piece of equipment."""
        require_team(self.context, "add resources")
        chosen = parse_enum(ResourceKind, kind, "kind")
        with self._unit() as session:
            clean = self._resource_name(session, name, None)
            row = Resource(name=clean, kind=chosen, capacity=self._capacity(capacity), active=True)
            session.add(row)
            session.flush()
            return ResourceChange(
                resource=ResourceInfo.model_validate(row),
                previous=None,
                undo=Undo(
                    operation="delete_resource",
                    arguments={"reference": row.id},
                    summary=f"Remove the new {chosen.value} {clean}.",
                ),
            )

    def update_resource(
        self,
        reference: Ref,
        *,
        name: str | None = None,
        capacity: int | None = None,
        active: bool | None = None,
    ) -> ResourceChange:
        """Rename, change capacity, or (de)activate a resource."""
        require_team(self.context, "change resources")
        if name is None and capacity is None and active is None:
            raise Invalid(
                "Tell me what to change: the name, the capacity or whether it is active.",
                field="name",
            )
        with self._unit() as session:
            row = resolve_resource(session, reference)
            previous = ResourceInfo.model_validate(row)
            if name is not None:
                row.name = self._resource_name(session, name, row.id)
            if capacity is not None:
                row.capacity = self._capacity(capacity)
            if active is not None:
                row.active = active
            session.flush()
            return ResourceChange(
                resource=ResourceInfo.model_validate(row),
                previous=previous,
                undo=Undo(
                    operation="update_resource",
                    arguments={
                        "reference": row.id,
                        "name": previous.name,
                        "capacity": previous.capacity,
                        "active": previous.active,
                    },
                    summary=f"Change {row.name} back as it was ({previous.name}, capacity "
                    f"{previous.capacity}, {'active' if previous.active else 'inactive'}).",
                ),
            )

    @staticmethod
    def _resource_name(session: Session, name: str, own_id: int | None) -> str:
        clean = " ".join((name or "").split())
        if not clean or len(clean) > 200:
            raise Invalid("A resource needs a name (up to 200 characters).", field="name")
        clash = session.scalars(
            sa.select(Resource).where(sa.func.lower(Resource.name) == clean.lower())
        ).first()
        if clash is not None and clash.id != own_id:
            raise Conflict(f"There is already a resource called {clash.name}.")
        return clean

    @staticmethod
    def _capacity(capacity: int) -> int:
        if (
            isinstance(capacity, bool)
            or not isinstance(capacity, int)
            or not (1 <= capacity <= MAX_CAPACITY)
        ):
            raise Invalid(
                f"Capacity must be a whole number from 1 to {MAX_CAPACITY}.", field="capacity"
            )
        return capacity

    def delete_resource(self, reference: Ref) -> ResourceDeleted:
        """Remove a resource; refused while upcoming bookings use it. Past and cancelled
        appointments keep their history but no longer name it. Not reversible."""
        require_team(self.context, "remove resources")
        with self._unit() as session:
            row = resolve_resource(session, reference)
            upcoming = session.scalars(
                sa.select(Appointment)
                .where(
                    Appointment.resource_id == row.id,
                    Appointment.status.in_(ACTIVE),
                    Appointment.ends_at > self.context.now(),
                )
                .order_by(Appointment.starts_at)
            ).all()
            if upcoming:
                raise Conflict(
                    f"{row.name} is booked for {len(upcoming)} upcoming appointment(s), the "
                    f"first on {t.short_when(upcoming[0].starts_at, self.context.tz)}. Move or "
                    "cancel them first, or deactivate it instead."
                )
            info = ResourceInfo.model_validate(row)
            detached = session.scalar(
                sa.select(sa.func.count(Appointment.id)).where(Appointment.resource_id == row.id)
            )
            session.execute(
                sa.update(Appointment)
                .where(Appointment.resource_id == row.id)
                .values(resource_id=None)
                .execution_options(synchronize_session=False)
            )
            session.execute(
                sa.delete(BlockedTime)
                .where(BlockedTime.resource_id == row.id)
                .execution_options(synchronize_session=False)
            )
            session.delete(row)
            session.flush()
            return ResourceDeleted(resource=info, detached_appointments=detached or 0)
