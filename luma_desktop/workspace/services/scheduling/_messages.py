"""Messages to clients about their appointments, queued in the outbox."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from ....errors import Invalid
from ...models import Appointment, Business, Channel, Client, Service, Staff
from ..outbox import queue_message
from . import _time as t
from ._common import parse_enum
from ._models import QueuedMessage

__all__ = ["send_about"]


def _recipient(client: Client, channel: Channel | str | None) -> tuple[Channel, str]:
    """E-mail when the client has an address (unless told otherwise), else SMS."""
    if channel is None:
        if client.email:
            return Channel.EMAIL, client.email
        if client.phone:
            return Channel.SMS, client.phone
        raise Invalid(
            f"{client.full_name} has no e-mail address or mobile number on file, "
            "so I can't send them anything.",
            field="channel",
        )
    chosen = parse_enum(Channel, channel, "channel")
    address = client.email if chosen is Channel.EMAIL else client.phone
    if not address:
        other = "SMS" if chosen is Channel.EMAIL else "e-mail"
        what = "e-mail address" if chosen is Channel.EMAIL else "mobile number"
        raise Invalid(f"{client.full_name} has no {what} on file; try {other}.", field="channel")
    return chosen, address


def send_about(
    session: Session,
    tz: ZoneInfo,
    row: Appointment,
    kind: str,
    *,
    channel: Channel | str | None = None,
    reason: str | None = None,
    user_id: int | None = None,
) -> QueuedMessage:
    """Queue a ``"reminder"`` or ``"cancellation"`` message about ``row`` to its client."""
    client = session.get(Client, row.client_id)
    service = session.get(Service, row.service_id)
    business = session.get(Business, row.business_id)
    if client is None or service is None or business is None:
        raise Invalid("That appointment's client or service no longer exists.", field="appointment")
    chosen, address = _recipient(client, channel)
    staff = session.get(Staff, row.staff_id) if row.staff_id is not None else None
    with_staff = f" with {staff.name}" if staff else ""
    when = t.long_when(row.starts_at, tz)
    if kind == "reminder":
        subject = f"Reminder: {service.name} on {t.short_when(row.starts_at, tz)}"
        body = (
            f"Hi {client.first_name}, this is a reminder of your {service.name}{with_staff} "
            f"at {business.name} on {when}. Your confirmation code is "
            f"{row.confirmation_code}. Reply to this message if you need to change it."
        )
    else:
        subject = f"Cancelled: {service.name} on {t.short_when(row.starts_at, tz)}"
        because = f" Reason: {reason.rstrip('.!')}." if reason else ""
        body = (
            f"Hi {client.first_name}, your {service.name}{with_staff} at {business.name} "
            f"on {when} has been cancelled.{because} Reply to this message to book "
            "a new time."
        )
    item = queue_message(
        session,
        channel=chosen,
        recipient=address,
        body=body,
        subject=subject if chosen is Channel.EMAIL else None,
        client_id=client.id,
        related=("appointment", row.id),
        user_id=user_id,
    )
    return QueuedMessage(
        outbox_id=item.id, channel=chosen, recipient=address, subject=item.subject, body=body
    )
