"""Search and lookup (spec section 10): one query across the business, and reference lookup.

The service scopes both to the user: staff search their own clients, appointments, tasks and
notes and never see invoices, quotes or orders; client-portal users cannot search.
"""

from __future__ import annotations

from typing import Any

from pydantic import Field

from ..assistant.catalog import Card, DataScope, InverseRunner, Operation, Risk, Tool, ToolResult
from ..assistant.context import ExecutionContext
from ..workspace.services import Services
from ..workspace.services.search import HitKind
from ._common import ToolInput

__all__ = ["INVERSES", "TOOLS"]

DOMAIN = "search"
_SHOWN = 5


class SearchGlobal(ToolInput):
    query: str = Field(
        min_length=1,
        max_length=200,
        description="What to look for: a name, title, number, code or words from a note or "
        "document (e.g. 'sarah', 'INV-0042', 'bridal').",
    )
    kinds: list[HitKind] | None = Field(
        default=None,
        min_length=1,
        max_length=8,
        description="Only these kinds of records (default: all of them).",
    )
    limit_per_kind: int = Field(
        default=5, ge=1, le=50, description="At most this many results of each kind."
    )


def search_global(services: Services, args: SearchGlobal, context: ExecutionContext) -> ToolResult:
    results = services.search.search_global(
        args.query, limit_per_kind=args.limit_per_kind, kinds=args.kinds
    )
    if not results.hits:
        return ToolResult(f"Nothing matches “{results.query}”.", results, Card.SEARCH)
    shown = [f"{hit.label} ({hit.kind})" for hit in results.hits[:_SHOWN]]
    more = len(results.hits) - len(shown)
    tail = f" and {more} more" if more > 0 else ""
    count = len(results.hits)
    return ToolResult(
        f"{count} result{'' if count == 1 else 's'} for “{results.query}”: "
        f"{'; '.join(shown)}{tail}.",
        results,
        Card.SEARCH,
    )


class LookupReference(ToolInput):
    reference: str = Field(
        min_length=1,
        max_length=60,
        description="A reference as people say or write it: '#42', 'INV-0042', 'Q-7', "
        "'ORD-0003' or an appointment confirmation code such as 'PS4MN6'.",
    )


def lookup_reference(
    services: Services, args: LookupReference, context: ExecutionContext
) -> ToolResult:
    match = services.search.lookup_reference(args.reference)
    return ToolResult(f"“{args.reference}” is {match.label}: {match.detail}.", match, Card.SEARCH)


_R = Operation.READ

TOOLS: list[Tool[Any]] = [
    Tool(
        "search_global",
        DOMAIN,
        "Search everything at once: clients, appointments, invoices, quotes, documents, "
        "products, tasks and notes.\nUse it when the user names something without saying what "
        "it is ('find anything about the bridal party'). Returns hits of every kind, best first, "
        "with how many of each kind matched.",
        SearchGlobal,
        search_global,
        _R,
        Risk.NONE,
        DataScope.ROLE_BASED,
        Card.SEARCH,
        examples=("search for bridal", "find anything about Alpine Tech"),
    ),
    Tool(
        "search_lookup_reference",
        DOMAIN,
        "Say what a reference names: '#42', 'INV-0042', 'Q-7', 'ORD-0003' or a booking "
        "confirmation code.\nReturns the one invoice, quote, order or appointment; when '#42' "
        "could be several, the candidates of each kind come back to choose from.",
        LookupReference,
        lookup_reference,
        _R,
        Risk.NONE,
        DataScope.ROLE_BASED,
        Card.SEARCH,
        examples=("what is INV-0042", "look up booking PS4MN6"),
    ),
]

INVERSES: dict[tuple[str, str], InverseRunner] = {}
