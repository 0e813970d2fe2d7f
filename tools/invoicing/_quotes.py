"""Quote writes: draft a quote, send it, turn it into a draft invoice."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from ...assistant.catalog import Card, Risk, Tool, ToolResult
from ...assistant.context import ExecutionContext
from ...workspace.models import QuoteStatus
from ...workspace.services import Services
from .._common import ClientRef, DayText, ToolInput, money
from ._shared import (
    DOMAIN,
    CurrencyCode,
    DocumentLine,
    EmailMessage,
    QuoteRef,
    day,
    optional_day,
    send_document,
    undo,
    write_tool,
)

__all__ = ["INVERSES", "TOOLS"]


# -- quotes_create ---------------------------------------------------------------------------


class CreateQuote(ToolInput):
    client: ClientRef
    lines: list[DocumentLine] = Field(
        min_length=1,
        max_length=200,
        description="What is quoted, one object per line: a service/product from the catalog "
        "(price and VAT from it) or a description with a unit_price.",
    )
    currency: CurrencyCode | None = Field(
        default=None, description="ISO currency code (default: the business's currency)."
    )
    valid_until: DayText | None = Field(
        default=None, description="Last day the offer stands (default: 30 days from today)."
    )
    notes: str | None = Field(
        default=None, max_length=2000, description="Notes printed on the quote."
    )


def create_quote(services: Services, args: CreateQuote, context: ExecutionContext) -> ToolResult:
    quote = services.invoicing.create_quote(
        args.client,
        [line.to_service() for line in args.lines],
        currency=args.currency,
        valid_until=optional_day(args.valid_until, context, "valid_until"),
        notes=args.notes,
    )
    cur = quote.currency
    return ToolResult(
        f"Drafted quote {quote.number} for {quote.client_name}: "
        f"{money(quote.total_minor, cur)} including {money(quote.tax_minor, cur)} VAT, "
        f"valid until {day(quote.valid_until)}. It is not sent yet.",
        quote,
        Card.QUOTE,
        undo("delete_draft_quote", f"delete the draft quote {quote.number}", quote=quote.id),
    )


# -- quotes_send -----------------------------------------------------------------------------


class SendQuote(ToolInput):
    quote: QuoteRef
    message: EmailMessage = None


def send_quote(services: Services, args: SendQuote, context: ExecutionContext) -> ToolResult:
    return send_document(services, "quote", args.quote, args.message)


# -- quotes_convert_to_invoice ---------------------------------------------------------------


class ConvertQuote(ToolInput):
    quote: QuoteRef
    due: DayText | None = Field(
        default=None, description="The invoice's due date (default: the payment terms)."
    )


def convert_quote(services: Services, args: ConvertQuote, context: ExecutionContext) -> ToolResult:
    before = services.invoicing.get_quote(args.quote).status
    result = services.invoicing.convert_quote_to_invoice(
        args.quote, due_on=optional_day(args.due, context, "due")
    )
    quote, invoice = result.quote, result.invoice
    back = "sent" if before is QuoteStatus.SENT else "accepted"
    return ToolResult(
        f"Turned {quote.number} into draft invoice {invoice.number} for {invoice.client_name}: "
        f"{money(invoice.total_minor, invoice.currency)}, due {day(invoice.due_on)}. "
        "It is not sent yet.",
        result,
        Card.INVOICE,
        undo(
            "unconvert_quote",
            f"delete the draft invoice {invoice.number} and put {quote.number} back to {back}",
            invoice=invoice.id,
            quote=quote.id,
            reopen=before is QuoteStatus.SENT,
        ),
    )


def _unconvert(services: Services, arguments: dict[str, Any]) -> None:
    """Delete the draft (the quote goes back to accepted), then to sent if it was sent."""
    services.invoicing.delete_draft(arguments["invoice"])
    if arguments.get("reopen"):
        services.invoicing.reopen_quote(arguments["quote"])


# -- the quote write tools -------------------------------------------------------------------

TOOLS: list[Tool[Any]] = [
    write_tool(
        "quotes_create",
        "Draft a quote for a client with lines from the services/products catalog or free "
        "text, optional currency, validity (default 30 days) and notes. It is numbered but "
        "not sent (use quotes_send). Returns the draft with totals.",
        CreateQuote,
        create_quote,
        risk=Risk.MEDIUM,
        card=Card.QUOTE,
        confirmation="Draft a quote for {client}?",
        reversible=True,
        examples=("quote Hans Mueller for a full head colour and a balayage",),
    ),
    write_tool(
        "quotes_send",
        "Issue a draft or sent quote and e-mail it to the client with the PDF attached, "
        "through the outbox. Cannot be undone.",
        SendQuote,
        send_quote,
        risk=Risk.HIGH,
        card=Card.QUOTE,
        confirmation="E-mail quote {quote} to the client with its PDF attached?",
        examples=("send quote 3 to Olivia",),
    ),
    write_tool(
        "quotes_convert_to_invoice",
        "Turn an accepted (or sent) quote into a draft invoice with the same lines; the quote "
        "becomes 'converted'. Returns the quote and the new draft invoice.",
        ConvertQuote,
        convert_quote,
        risk=Risk.MEDIUM,
        card=Card.INVOICE,
        confirmation="Turn quote {quote} into a draft invoice?",
        reversible=True,
        examples=("Hans accepted, invoice quote 1",),
    ),
]

INVERSES = {
    (DOMAIN, "delete_draft_quote"): lambda s, a: s.invoicing.delete_draft_quote(a["quote"]),
    (DOMAIN, "unconvert_quote"): _unconvert,
}
