"""The outbox: every message Luma sends to a client is queued here first.

Domain services queue inside their own transaction (so a rolled-back invoice send leaves no
message behind); a transport (SMTP, an SMS provider) delivers queued items later. With no
transport configured the items stay queued and are visible in the workspace.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from ...errors import Invalid
from ..models import Channel, Direction, Message, OutboxItem

__all__ = ["queue_message"]


def queue_message(
    session: Session,
    *,
    channel: Channel,
    recipient: str | None,
    body: str,
    subject: str | None = None,
    client_id: int | None = None,
    attachments: list[str] | None = None,
    related: tuple[str, int] | None = None,
    user_id: int | None = None,
) -> OutboxItem:
    """Record an outbound message and queue it for delivery; returns the outbox item."""
    if not recipient:
        how = "e-mail address" if channel is Channel.EMAIL else "mobile number"
        raise Invalid(f"There is no {how} to send this to.", field="recipient")
    if not body.strip():
        raise Invalid("The message is empty.", field="body")
    message = Message(
        client_id=client_id,
        channel=channel,
        direction=Direction.OUTBOUND,
        subject=subject,
        body=body,
        read=True,
        sent_by_user_id=user_id,
    )
    session.add(message)
    session.flush()
    item = OutboxItem(
        channel=channel,
        recipient=recipient,
        subject=subject,
        body=body,
        attachments=list(attachments or []),
        message_id=message.id,
        related_type=related[0] if related else None,
        related_id=related[1] if related else None,
    )
    session.add(item)
    session.flush()
    return item
