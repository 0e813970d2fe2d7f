"""The client engagement score: six weighted factors, 0-100, and a level.

=============== ====== =============================================================
factor          weight value 0-1
=============== ====== =============================================================
recency           25   1 when the last visit was at most 30 days ago, falling linearly
                       to 0 at 365 days; 0 with no visit yet
frequency         20   visits in the last 365 days / 12 (monthly or more = 1)
spend             20   paid in the last 365 days / 1,000.00 of the business currency
punctuality       15   1 - (no-shows + 0.5 x cancellations) / all finished bookings;
                       0.5 (neutral) with no bookings yet
responsiveness    10   inbound messages / outbound messages (capped at 1); 0.5
                       (neutral) when the business never wrote, 1 if the client wrote
tenure            10   days since the client was added / 730 (two years = 1)
=============== ====== =============================================================

Score = sum of weight x value, rounded half-up. Levels: **vip** ≥ 80, **hot** ≥ 55, **warm** ≥ 30,
otherwise **cold**. A visit is a confirmed or completed appointment that has started.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ...models import Appointment, AppointmentStatus, Client, Direction, Invoice, Message, Payment
from .._references import VISIT_STATUSES
from ._schemas import EngagementFactor, EngagementLevel

__all__ = [
    "LEVEL_THRESHOLDS",
    "WEIGHTS",
    "EngagementStats",
    "gather_stats",
    "level_for",
    "score_engagement",
]

WEIGHTS = {
    "recency": 25,
    "frequency": 20,
    "spend": 20,
    "punctuality": 15,
    "responsiveness": 10,
    "tenure": 10,
}
LEVEL_THRESHOLDS = (
    (80, EngagementLevel.VIP),
    (55, EngagementLevel.HOT),
    (30, EngagementLevel.WARM),
    (0, EngagementLevel.COLD),
)
SPEND_FULL_MINOR = 100_000
"""Yearly spend (minor units) that earns the full spend factor."""


@dataclass(frozen=True, slots=True)
class EngagementStats:
    """What the score is computed from (gathered by :func:`gather_stats`)."""

    days_since_last_visit: int | None
    visits_last_year: int
    spend_last_year_minor: int
    completed: int
    no_shows: int
    cancellations: int
    inbound_messages: int
    outbound_messages: int
    tenure_days: int


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def level_for(score: int) -> EngagementLevel:
    """The level of a 0-100 score."""
    return next(level for floor, level in LEVEL_THRESHOLDS if score >= floor)


def _factor_values(s: EngagementStats) -> dict[str, tuple[float, str]]:
    if s.days_since_last_visit is None:
        recency = (0.0, "no visit yet")
    else:
        days = max(s.days_since_last_visit, 0)
        recency = (min(1.0, max(0.0, (365 - days) / 335)), f"last visit {days} days ago")
    finished = s.completed + s.no_shows + s.cancellations
    if finished:
        punctual = 1 - (s.no_shows + 0.5 * s.cancellations) / finished
        punctuality = (
            punctual,
            f"{s.completed} completed, {s.no_shows} no-shows, {s.cancellations} cancelled",
        )
    else:
        punctuality = (0.5, "no bookings yet")
    tenure = max(0, s.tenure_days)
    if s.outbound_messages:
        ratio = min(1.0, s.inbound_messages / s.outbound_messages)
    else:
        ratio = 1.0 if s.inbound_messages else 0.5
    return {
        "recency": recency,
        "frequency": (
            min(1.0, s.visits_last_year / 12),
            _count(s.visits_last_year, "visit") + " in a year",
        ),
        "spend": (
            min(1.0, max(0, s.spend_last_year_minor) / SPEND_FULL_MINOR),
            f"{s.spend_last_year_minor / 100:,.2f} paid in a year",
        ),
        "punctuality": punctuality,
        "responsiveness": (
            ratio,
            f"{s.inbound_messages} replies to {s.outbound_messages} messages",
        ),
        "tenure": (min(1.0, tenure / 730), f"client for {tenure} days"),
    }


def score_engagement(
    stats: EngagementStats,
) -> tuple[int, EngagementLevel, tuple[EngagementFactor, ...]]:
    """Score, level and factor breakdown of ``stats`` (pure: no database, no clock)."""
    values = _factor_values(stats)
    factors = tuple(
        EngagementFactor(
            name=name,
            weight=WEIGHTS[name],
            value=round(value, 3),
            points=round(WEIGHTS[name] * value, 1),
            detail=detail,
        )
        for name, (value, detail) in values.items()
    )
    score = int(sum(WEIGHTS[name] * value for name, (value, _) in values.items()) + 0.5)
    return score, level_for(score), factors


def gather_stats(
    session: Session, now: datetime, currency: str, client_ids: Collection[int] | None = None
) -> dict[int, EngagementStats]:
    """Engagement stats of ``client_ids`` (all clients when ``None``) in four grouped queries."""
    year_ago = now - timedelta(days=365)

    def only(column: Any) -> list[sa.ColumnElement[bool]]:
        return [column.in_(client_ids)] if client_ids is not None else []

    created = dict(
        session.execute(sa.select(Client.id, Client.created_at).where(*only(Client.id))).all()
    )
    visit = sa.and_(Appointment.status.in_(VISIT_STATUSES), Appointment.starts_at <= now)

    def count(condition: sa.ColumnElement[bool]) -> sa.ColumnElement[int]:
        return sa.func.coalesce(sa.func.sum(sa.case((condition, 1), else_=0)), 0)

    booking = {
        row[0]: row[1:]
        for row in session.execute(
            sa.select(
                Appointment.client_id,
                sa.func.max(sa.case((visit, Appointment.starts_at))),
                count(sa.and_(visit, Appointment.starts_at >= year_ago)),
                count(Appointment.status == AppointmentStatus.COMPLETED),
                count(Appointment.status == AppointmentStatus.NO_SHOW),
                count(Appointment.status == AppointmentStatus.CANCELLED),
            )
            .where(*only(Appointment.client_id))
            .group_by(Appointment.client_id)
        ).all()
    }
    spend = dict(
        session.execute(
            sa.select(Invoice.client_id, sa.func.sum(Payment.amount_minor))
            .join(Invoice, Payment.invoice_id == Invoice.id)
            .where(
                Payment.paid_on >= year_ago.date(),
                Payment.currency == currency,
                *only(Invoice.client_id),
            )
            .group_by(Invoice.client_id)
        ).all()
    )
    messages: dict[tuple[int, Direction], int] = {
        (client_id, direction): total
        for client_id, direction, total in session.execute(
            sa.select(Message.client_id, Message.direction, sa.func.count())
            .where(Message.client_id.is_not(None), *only(Message.client_id))
            .group_by(Message.client_id, Message.direction)
        ).all()
        if client_id is not None
    }
    stats = {}
    for client_id, created_at in created.items():
        last, visits, completed, no_shows, cancelled = booking.get(client_id, (None, 0, 0, 0, 0))
        stats[client_id] = EngagementStats(
            days_since_last_visit=(now - last).days if last is not None else None,
            visits_last_year=int(visits),
            spend_last_year_minor=int(spend.get(client_id) or 0),
            completed=int(completed),
            no_shows=int(no_shows),
            cancellations=int(cancelled),
            inbound_messages=messages.get((client_id, Direction.INBOUND), 0),
            outbound_messages=messages.get((client_id, Direction.OUTBOUND), 0),
            tenure_days=(now - created_at).days,
        )
    return stats
