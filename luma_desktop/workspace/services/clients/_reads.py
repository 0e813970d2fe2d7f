"""Reading clients: search, profile, timeline, lists and engagement."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import Any, Literal

import sqlalchemy as sa

from ....errors import Invalid
from ...models import Client
from .._matching import Option
from .._references import Ref
from ._access import ClientsAccess, ListFilters
from ._engagement import gather_stats, score_engagement
from ._queries import HISTORY_KINDS, build_profile, history_entries, summaries
from ._schemas import (
    ClientPage,
    ClientProfile,
    ClientSummary,
    Engagement,
    EngagementLevel,
    HistoryEntry,
    HistoryKind,
)
from ._scoring import fuzzy_scores

__all__ = ["ClientReads", "SortKey"]

SortKey = Literal["name", "created", "last_visit"]


def _check_limit(limit: int, most: int = 500) -> None:
    if not 1 <= limit <= most:
        raise Invalid(f"Ask for between 1 and {most} results.", field="limit")


class ClientReads(ClientsAccess):
    """The read side of :class:`ClientsService`."""

    def search(
        self,
        query: str = "",
        *,
        tag: str | None = None,
        lead_status: str | None = None,
        engagement: str | None = None,
        limit: int = 20,
    ) -> list[ClientSummary]:
        """Clients matching ``query`` (fuzzy over name, e-mail, phone, company), best first.

        ``tag``, ``lead_status`` and ``engagement`` (cold/warm/hot/vip) narrow the result;
        deleted clients never appear. Without a query the matches come in name order.
        """
        self._require_team("search clients")
        _check_limit(limit)
        level = None
        if engagement:
            try:
                level = EngagementLevel(engagement.strip().lower())
            except ValueError:
                raise Invalid(
                    f"“{engagement}” is not an engagement level; use cold, warm, hot or vip.",
                    field="engagement",
                ) from None
        with self._unit() as session:
            query_stmt, _ = self._filtered(session, ListFilters(tag=tag, lead_status=lead_status))
            rows = [(c, last) for c, last in session.execute(query_stmt).all()]
            scores = None
            if query.strip():
                options = [
                    Option(
                        c.id,
                        c.full_name,
                        c.email or c.phone or "",
                        tuple(filter(None, (c.email, c.phone, c.company))),
                    )
                    for c, _ in rows
                ]
                scores = fuzzy_scores(query, options)
                rows = [r for r in rows if r[0].id in scores]
            levels = None
            if level is not None:
                stats = gather_stats(
                    session, self.context.now(), self.context.currency, [c.id for c, _ in rows]
                )
                levels = {cid: score_engagement(s)[1] for cid, s in stats.items()}
                rows = [r for r in rows if levels.get(r[0].id) is level]
            found = scores or {}
            rows.sort(
                key=lambda r: (
                    -found.get(r[0].id, 0.0),
                    r[0].last_name.lower(),
                    r[0].first_name.lower(),
                    r[0].id,
                )
            )
            return summaries(session, rows[:limit], self.context.tz, scores=scores, levels=levels)

    def identify(self, ref: Ref) -> tuple[int, str]:
        """The id and full name of the client ``ref`` means, as far as this user may see it
        (:class:`Ambiguous` or :class:`NotFound` otherwise); reads nothing else."""
        with self._unit() as session:
            client = self._resolve(session, ref)
            return client.id, f"{client.first_name} {client.last_name or ''}".strip()

    def get(self, ref: Ref | None = None) -> ClientProfile:
        """A client's profile; client-portal users get their own (``ref`` may be omitted)."""
        with self._unit() as session:
            client = self._resolve(session, ref)
            return build_profile(
                session,
                client,
                now=self.context.now(),
                tz=self.context.tz,
                currency=self.context.currency,
                show_money=self._sees_money,
            )

    def history(
        self, ref: Ref, *, limit: int = 50, kinds: Collection[HistoryKind] | None = None
    ) -> list[HistoryEntry]:
        """The client's timeline (appointments, invoices, payments, messages, notes), newest
        first. Staff do not see invoices and payments."""
        self._require_team("see client histories")
        _check_limit(limit)
        wanted = tuple(kinds) if kinds else HISTORY_KINDS
        unknown = [k for k in wanted if k not in HISTORY_KINDS]
        if unknown:
            raise Invalid(
                f"“{unknown[0]}” is not a kind of history entry; use {', '.join(HISTORY_KINDS)}.",
                field="kinds",
            )
        with self._unit() as session:
            client = self._resolve(session, ref)
            return history_entries(
                session,
                client.id,
                tz=self.context.tz,
                limit=limit,
                kinds=wanted,
                show_money=self._sees_money,
            )

    def list_clients(
        self,
        *,
        tag: str | None = None,
        lead_status: str | None = None,
        owner_staff: Ref | None = None,
        own_only: bool = False,
        not_visited_days: int | None = None,
        include_deleted: bool = False,
        sort: SortKey = "name",
        descending: bool = False,
        limit: int = 50,
        offset: int = 0,
    ) -> ClientPage:
        """Clients with filters and sorting, a page at a time.

        ``not_visited_days=90`` keeps clients whose last visit is more than 90 days ago, and
        clients added more than 90 days ago who never came. ``own_only`` keeps the clients of
        the user's staff record (always on for the staff role). Sorting by last visit puts
        clients who never came last.
        """
        self._require_team("list clients")
        _check_limit(limit)
        if offset < 0:
            raise Invalid("The offset cannot be negative.", field="offset")
        filters = ListFilters(
            tag=tag,
            lead_status=lead_status,
            owner_staff=owner_staff,
            own_only=own_only,
            not_visited_days=not_visited_days,
            include_deleted=include_deleted,
        )
        with self._unit() as session:
            query, visits = self._filtered(session, filters)
            total = session.scalar(sa.select(sa.func.count()).select_from(query.subquery())) or 0
            order: list[Any]
            if sort == "name":
                order = [sa.func.lower(Client.last_name), sa.func.lower(Client.first_name)]
            elif sort == "created":
                order = [Client.created_at]
            elif sort == "last_visit":
                order = [visits.c.last_visit]
            else:
                raise Invalid(
                    f"“{sort}” is not a sort order; use name, created or last_visit.", field="sort"
                )
            order = [o.desc() if descending else o.asc() for o in order]
            if sort == "last_visit":
                order.insert(0, sa.case((visits.c.last_visit.is_(None), 1), else_=0))
            rows = session.execute(query.order_by(*order, Client.id).limit(limit).offset(offset))
            items = summaries(session, [(c, last) for c, last in rows.all()], self.context.tz)
            return ClientPage(items=tuple(items), total=total)

    def engagement(self, ref: Ref) -> Engagement:
        """The client's engagement score (0-100), level and factor breakdown.

        See :mod:`._engagement` for the six factors, their weights and the level thresholds.
        """
        self._require_team("see engagement scores")
        with self._unit() as session:
            client = self._resolve(session, ref)
            now: datetime = self.context.now()
            stats = gather_stats(session, now, self.context.currency, [client.id])[client.id]
            score, level, factors = score_engagement(stats)
            return Engagement(
                client_id=client.id,
                name=client.full_name,
                score=score,
                level=level,
                factors=factors,
            )
