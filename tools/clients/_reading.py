"""Reading clients: search, profiles, history, lists and engagement scores."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import Field

from ...assistant.catalog import Card, DataScope, Operation, Risk, Tool, ToolResult
from ...assistant.context import ExecutionContext
from ...workspace.models import LeadStatus
from ...workspace.services import Services
from ...workspace.services.clients import ClientProfile, EngagementLevel, HistoryKind, SortKey
from .._common import ClientRef, Limit, ToolInput, local_label
from ._shared import DOMAIN, StaffRef, TagName, contact, counted, listed

__all__ = ["TOOLS"]


def _day(moment: datetime, context: ExecutionContext) -> str:
    local = moment.astimezone(context.service_context().tz)
    return f"{local.day} {local:%b %Y}"


# -- clients_search --------------------------------------------------------------------------


class SearchClients(ToolInput):
    query: str = Field(
        default="",
        max_length=200,
        description="Name, e-mail, phone or company, whole or in part (fuzzy, typos allowed). "
        "Leave empty to use only the filters.",
    )
    tag: TagName | None = Field(default=None, description="Only clients with this tag.")
    lead_status: LeadStatus | None = Field(
        default=None, description="Only clients with this lead status."
    )
    engagement: EngagementLevel | None = Field(
        default=None, description="Only clients at this engagement level."
    )
    limit: Limit = 20


def search_clients(
    services: Services, args: SearchClients, context: ExecutionContext
) -> ToolResult:
    found = services.clients.search(
        args.query,
        tag=args.tag,
        lead_status=args.lead_status,
        engagement=args.engagement,
        limit=args.limit,
    )
    if not found:
        what = f" “{args.query}”" if args.query else " those filters"
        return ToolResult(f"No clients match{what}.", [], Card.CLIENTS)
    names = [f"{c.name} ({contact(c)})" for c in found]
    return ToolResult(
        f"Found {counted(len(found), 'client')}: {listed(names)}.", found, Card.CLIENTS
    )


# -- clients_get -----------------------------------------------------------------------------


class GetClient(ToolInput):
    client: ClientRef | None = Field(
        default=None,
        description="The client: id, name, e-mail or phone. Client-portal users leave it "
        "empty: they always get their own record.",
    )


def _profile_summary(profile: ClientProfile, context: ExecutionContext) -> str:
    tags = f", tagged {listed(profile.tags)}" if profile.tags else ""
    first = f"{profile.name} ({contact(profile)}), {profile.lead_status.value}{tags}."
    visits = []
    if profile.last_appointment:
        last = profile.last_appointment
        visits.append(f"last visit {local_label(last.starts_at, context)} ({last.service})")
    if profile.next_appointment:
        upcoming = profile.next_appointment
        visits.append(f"next {local_label(upcoming.starts_at, context)} ({upcoming.service})")
    if profile.balance is not None:
        visits.append(f"balance {profile.balance}")
    visits.append(counted(profile.notes_count, "note"))
    second = "; ".join(visits)
    return f"{first} {second[0].upper()}{second[1:]}."


def get_client(services: Services, args: GetClient, context: ExecutionContext) -> ToolResult:
    profile = services.clients.get(args.client)
    return ToolResult(_profile_summary(profile, context), profile, Card.CLIENT)


# -- clients_history -------------------------------------------------------------------------


class ClientHistory(ToolInput):
    client: ClientRef
    kinds: list[HistoryKind] | None = Field(
        default=None,
        min_length=1,
        max_length=5,
        description="Only these kinds of events (default: all of them).",
    )
    limit: Limit = 20


def client_history(
    services: Services, args: ClientHistory, context: ExecutionContext
) -> ToolResult:
    profile = services.clients.get(args.client)
    entries = services.clients.history(profile.id, limit=args.limit, kinds=args.kinds)
    if not entries:
        return ToolResult(f"{profile.name} has no history yet.", [], Card.TABLE)
    lines = [
        f"{local_label(e.at, context)} {e.title}" + (f" ({e.status})" if e.status else "")
        for e in entries
    ]
    return ToolResult(
        f"{profile.name}'s latest {counted(len(entries), 'event')}: {listed(lines)}.",
        entries,
        Card.TABLE,
    )


# -- clients_list ----------------------------------------------------------------------------


class ListClients(ToolInput):
    tag: TagName | None = Field(default=None, description="Only clients with this tag.")
    lead_status: LeadStatus | None = Field(
        default=None, description="Only clients with this lead status."
    )
    owner_staff: StaffRef | None = Field(
        default=None, description="Only clients this staff member looks after."
    )
    mine: bool = Field(
        default=False,
        description="Only the user's own clients (looked after by them or booked with them); "
        "always on for staff.",
    )
    not_visited_days: int | None = Field(
        default=None,
        ge=1,
        le=3650,
        description="Only clients whose last visit is more than this many days ago, e.g. 90 "
        "(also those added that long ago who never came).",
    )
    include_deleted: bool = Field(default=False, description="Include deleted clients too.")
    sort: SortKey = Field(
        default="name", description="Sort by last name, date added or last visit."
    )
    descending: bool = Field(default=False, description="Newest/last first instead.")
    limit: Limit = 50
    offset: int = Field(
        default=0, ge=0, le=100_000, description="Skip this many (to get the next page)."
    )


def list_clients(services: Services, args: ListClients, context: ExecutionContext) -> ToolResult:
    page = services.clients.list_clients(
        tag=args.tag,
        lead_status=args.lead_status,
        owner_staff=args.owner_staff,
        own_only=args.mine or context.own_only,
        not_visited_days=args.not_visited_days,
        include_deleted=args.include_deleted,
        sort=args.sort,
        descending=args.descending,
        limit=args.limit,
        offset=args.offset,
    )
    if not page.items:
        return ToolResult(
            f"No clients to show ({counted(page.total, 'client')} match).", page, Card.CLIENTS
        )
    with_visits = args.not_visited_days is not None or args.sort == "last_visit"
    names = [
        f"{c.name} ({'last visit ' + _day(c.last_visit, context) if c.last_visit else 'no visits'})"
        if with_visits
        else c.name
        for c in page.items
    ]
    first, last = args.offset + 1, args.offset + len(page.items)
    return ToolResult(
        f"{counted(page.total, 'client')}; showing {first}-{last}: {listed(names)}.",
        page,
        Card.CLIENTS,
    )


# -- clients_engagement ----------------------------------------------------------------------


class ClientEngagement(ToolInput):
    client: ClientRef


def client_engagement(
    services: Services, args: ClientEngagement, context: ExecutionContext
) -> ToolResult:
    result = services.clients.engagement(args.client)
    ranked = sorted(result.factors, key=lambda f: f.value)
    weakest, strongest = ranked[0], ranked[-1]
    return ToolResult(
        f"{result.name}: engagement {result.score}/100 ({result.level.value}). "
        f"Strongest: {strongest.name} ({strongest.detail}); weakest: {weakest.name} "
        f"({weakest.detail}).",
        result,
        Card.TABLE,
    )


# -- the tools -------------------------------------------------------------------------------

_R, _ROLE = Operation.READ, DataScope.ROLE_BASED

TOOLS: list[Tool[Any]] = [
    Tool(
        "clients_search",
        DOMAIN,
        "Find clients by name, e-mail, phone or company (fuzzy), optionally by tag, lead "
        "status or engagement level.\nUse it to find who someone is ('the Sarah with the "
        "design studio'). Returns matching clients, best first, with contact details and tags.",
        SearchClients,
        search_clients,
        _R,
        Risk.NONE,
        _ROLE,
        Card.CLIENTS,
        examples=("find Sarah", "who are my vip clients", "search clients for Alpine"),
    ),
    Tool(
        "clients_get",
        DOMAIN,
        "A client's profile: contact details, tags, last and next appointment, balance owed "
        "and number of notes.\nUse it for 'tell me about Sarah Miller' or 'what's her phone "
        "number'. Client-portal users get their own record.",
        GetClient,
        get_client,
        _R,
        Risk.NONE,
        _ROLE,
        Card.CLIENT,
        examples=("show Sarah Miller", "what's Hans's email"),
    ),
    Tool(
        "clients_history",
        DOMAIN,
        "A client's activity timeline, newest first: appointments, invoices, payments, "
        "messages and notes.\nUse it for 'what has Sarah had done' or 'when did we last hear "
        "from her'. Returns dated events with their status.",
        ClientHistory,
        client_history,
        _R,
        Risk.NONE,
        _ROLE,
        Card.TABLE,
        examples=("Sarah Miller's history", "what did Olivia book before"),
    ),
    Tool(
        "clients_list",
        DOMAIN,
        "List clients with filters and sorting, a page at a time: tag, lead status, staff "
        "member, not visited in N days, the user's own clients.\nUse it for 'clients who "
        "haven't been in for 90 days' or 'all my leads'. Returns the page and the total count.",
        ListClients,
        list_clients,
        _R,
        Risk.NONE,
        _ROLE,
        Card.CLIENTS,
        examples=("clients not seen in 90 days", "list my clients", "all leads"),
    ),
    Tool(
        "clients_engagement",
        DOMAIN,
        "A client's engagement score (0-100) and level (cold, warm, hot, vip), with the six "
        "factors behind it: recency, frequency, spend, punctuality, responsiveness, tenure.\n"
        "Use it for 'how engaged is Sarah' or 'is she a VIP'.",
        ClientEngagement,
        client_engagement,
        _R,
        Risk.NONE,
        _ROLE,
        Card.TABLE,
        examples=("how engaged is Sarah Miller",),
    ),
]
