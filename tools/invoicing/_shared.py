"""What the invoicing tools share: references, the line input, periods, wording, undo plans."""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from datetime import date, timedelta
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field

from ...assistant.catalog import (
    Card,
    DataScope,
    Handler,
    InputT,
    Operation,
    Risk,
    Tool,
    ToolResult,
    UndoPlan,
)
from ...assistant.context import ExecutionContext
from ...errors import Invalid
from ...workspace.models import InvoiceStatus
from ...workspace.services import Services
from ...workspace.services.invoicing import (
    InvoiceDetail,
    InvoiceSummary,
    LineInput,
    QuoteSummary,
)
from .._common import Amount, Reference, ToolInput, minor, money, resolve_day

__all__ = [
    "DOMAIN",
    "CurrencyCode",
    "DocumentLine",
    "EmailMessage",
    "InvoiceRef",
    "PeriodName",
    "QuoteRef",
    "day",
    "detail_totals",
    "invoice_line",
    "invoice_state",
    "listed",
    "optional_day",
    "period_days",
    "quote_line",
    "send_document",
    "span",
    "undo",
    "vat_percent",
    "write_tool",
]

DOMAIN = "invoicing"


def _as_text(value: object) -> object:
    """A bare number is a spoken document number ("invoice 42"), never a database id."""
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


InvoiceRef = Annotated[
    str,
    BeforeValidator(_as_text),
    Field(
        min_length=1,
        max_length=40,
        description="The invoice's number as people say it: 'INV-0042', '#42' or '42'.",
    ),
]
QuoteRef = Annotated[
    str,
    BeforeValidator(_as_text),
    Field(
        min_length=1,
        max_length=40,
        description="The quote's number as people say it: 'Q-0002', '#2' or '2'.",
    ),
]
CurrencyCode = Annotated[
    str,
    Field(
        pattern=r"^[A-Za-z]{3}$",
        description="ISO currency code, e.g. 'GBP' or 'EUR' (default: the business's currency).",
    ),
]
EmailMessage = Annotated[
    str | None, Field(max_length=2000, description="A personal line added to the e-mail.")
]
PeriodName = Literal[
    "this_month", "last_month", "this_quarter", "last_quarter", "this_year", "last_year"
]


class DocumentLine(ToolInput):
    """One line of an invoice or quote: free text, or a service/product from the catalog."""

    description: str | None = Field(
        default=None,
        min_length=1,
        max_length=500,
        description="What is billed; defaults to the service's or product's name.",
    )
    service: Reference | None = Field(
        default=None,
        description="A service from the catalog by name or id ('balayage'); it gives the "
        "description, price and VAT rate unless they are given here.",
    )
    product: Reference | None = Field(
        default=None,
        description="A product by name, SKU or id ('argan shampoo'); like service.",
    )
    quantity: Decimal = Field(
        default=Decimal(1), gt=0, max_digits=12, decimal_places=3, description="How many."
    )
    unit_price: Amount | None = Field(
        default=None,
        description="Net price of one unit in the currency's main unit (45.00 for £45); "
        "required for free-text lines, else the service's or product's price.",
    )
    vat_rate: Decimal | None = Field(
        default=None,
        ge=0,
        le=100,
        max_digits=5,
        decimal_places=2,
        description="VAT in percent (20 for 20%); default: the service's or product's rate, "
        "or the business's standard rate.",
    )

    def to_service(self) -> LineInput:
        """The line as the invoicing service takes it (minor units, basis points)."""
        return LineInput(
            description=self.description,
            service=self.service,
            product=self.product,
            quantity=self.quantity,
            unit_price_minor=minor(self.unit_price) if self.unit_price is not None else None,
            vat_rate_bp=int(self.vat_rate * 100) if self.vat_rate is not None else None,
        )


def undo(operation: str, summary: str, **arguments: Any) -> UndoPlan:
    return UndoPlan(DOMAIN, operation, arguments, summary)


def write_tool(
    name: str,
    description: str,
    input_model: type[InputT],
    handler: Handler[InputT],
    *,
    risk: Risk,
    card: Card,
    confirmation: str,
    examples: tuple[str, ...],
    reversible: bool = False,
) -> Tool[InputT]:
    """An invoicing tool that writes; it reaches all of the business's documents."""
    return Tool(
        name,
        DOMAIN,
        description,
        input_model,
        handler,
        Operation.WRITE,
        risk,
        DataScope.ALL,
        card,
        confirmation=confirmation,
        reversible=reversible,
        examples=examples,
    )


def send_document(
    services: Services, kind: Literal["invoice", "quote"], reference: str, message: str | None
) -> ToolResult:
    """Issue an invoice or quote and queue it by e-mail with its PDF; say what was sent."""
    send = services.invoicing.send_invoice if kind == "invoice" else services.invoicing.send_quote
    sent = send(reference, message=message, documents_dir=services.folder("documents"))
    amount = money(sent.total_minor, sent.currency)
    if kind == "invoice":
        done, card = f"Issued {sent.number} ({amount}) and queued it", Card.INVOICE
    else:
        done, card = f"Sent quote {sent.number} ({amount}): queued", Card.QUOTE
    return ToolResult(
        f"{done} by e-mail to {sent.recipient} with the PDF attached. "
        "Sent messages can't be undone.",
        sent,
        card,
    )


def day(value: date | None) -> str:
    """Thu 5 Nov."""
    if value is None:
        return "no date"
    return f"{value:%a} {value.day} {value:%b}"


def span(start: date, end: date) -> str:
    """1 Oct – 31 Dec 2026."""
    first = f"{start.day} {start:%b}" + (f" {start.year}" if start.year != end.year else "")
    return f"{first} – {end.day} {end:%b} {end.year}"


def optional_day(text: str | None, context: ExecutionContext, field: str) -> date | None:
    return resolve_day(text, context, field) if text else None


def vat_percent(rate_bp: int) -> str:
    """2000 → 20%, 550 → 5.5%."""
    return f"{(Decimal(rate_bp) / 100).normalize():f}%"


def invoice_state(invoice: InvoiceSummary) -> str:
    """Where an invoice stands, in a few words."""
    if invoice.status is InvoiceStatus.DRAFT:
        return "draft"
    if invoice.status is InvoiceStatus.VOID:
        return "void"
    if invoice.status is InvoiceStatus.PAID:
        return "paid"
    left = (
        f"{money(invoice.balance_minor, invoice.currency)} left, "
        if invoice.status is InvoiceStatus.PARTIALLY_PAID
        else ""
    )
    if invoice.is_overdue:
        return f"{left}{invoice.days_overdue} days overdue"
    return f"{left}due {day(invoice.due_on)}"


def invoice_line(invoice: InvoiceSummary) -> str:
    """INV-0042 Olivia Bennett £96.00 (13 days overdue)."""
    total = money(invoice.total_minor, invoice.currency)
    return f"{invoice.number} {invoice.client_name} {total} ({invoice_state(invoice)})"


def quote_line(quote: QuoteSummary) -> str:
    """Q-0002 Sarah Thompson £384.00 (sent, valid until Wed 16 Dec)."""
    state = "expired" if quote.is_expired else quote.status.value
    until = (
        f", valid until {day(quote.valid_until)}"
        if quote.valid_until and state in ("draft", "sent")
        else ""
    )
    total = money(quote.total_minor, quote.currency)
    return f"{quote.number} {quote.client_name} {total} ({state}{until})"


def listed(lines: Iterable[str], total: int, shown: int = 5) -> str:
    """The first few lines joined, and how many more there are."""
    first = list(lines)[:shown]
    more = f" and {total - len(first)} more" if total > len(first) else ""
    return "; ".join(first) + more


def detail_totals(invoice: InvoiceDetail) -> str:
    """£96.00 including £16.00 VAT."""
    cur = invoice.currency
    return f"{money(invoice.total_minor, cur)} including {money(invoice.tax_minor, cur)} VAT"


def _quarter_start(today: date) -> date:
    return date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)


def _month_end(first: date) -> date:
    return first.replace(day=calendar.monthrange(first.year, first.month)[1])


def period_days(
    name: PeriodName | None,
    start: str | None,
    end: str | None,
    context: ExecutionContext,
    *,
    default: PeriodName,
) -> tuple[date, date]:
    """A named period (calendar month/quarter/year) or explicit days; the end is inclusive."""
    if name is not None and (start or end):
        raise Invalid("Give a named period or start and end days, not both.", field="period")
    today = context.service_context().today()
    if start or end:
        first = resolve_day(start, context, "start") if start else None
        last = resolve_day(end, context, "end") if end else today
        if first is None:
            raise Invalid("Say which day the period starts.", field="start")
        return first, last
    chosen = name or default
    if chosen.endswith("month"):
        this = today.replace(day=1)
        first = (this - timedelta(days=1)).replace(day=1) if chosen == "last_month" else this
        return first, _month_end(first)
    if chosen.endswith("quarter"):
        this = _quarter_start(today)
        first = _quarter_start(this - timedelta(days=1)) if chosen == "last_quarter" else this
        return first, _month_end(first.replace(month=first.month + 2))
    year = today.year - 1 if chosen == "last_year" else today.year
    return date(year, 1, 1), date(year, 12, 31)
