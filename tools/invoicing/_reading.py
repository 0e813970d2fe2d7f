"""The read tools of invoicing: invoice lists and details, overdue, VAT, revenue, quotes."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any, Literal

from pydantic import Field

from ...assistant.catalog import Card, DataScope, Operation, Risk, Tool, ToolResult
from ...assistant.context import ExecutionContext
from ...workspace.models import InvoiceStatus, QuoteStatus, Role
from ...workspace.services import Services
from ...workspace.services.invoicing import (
    InvoiceDetail,
    InvoiceSummary,
    QuoteDetail,
    RevenueBucket,
)
from .._common import ClientRef, DayText, Limit, ToolInput, money
from ._shared import (
    DOMAIN,
    CurrencyCode,
    InvoiceRef,
    PeriodName,
    QuoteRef,
    day,
    detail_totals,
    invoice_line,
    listed,
    optional_day,
    period_days,
    quote_line,
    span,
    vat_percent,
)

__all__ = ["TOOLS", "InvoiceFilter"]

InvoiceFilter = Literal["draft", "sent", "partially_paid", "paid", "void", "overdue", "unpaid"]
"""The service's ``INVOICE_FILTERS``: a stored status, "overdue" (derived) or "unpaid"."""
QuoteFilter = Literal["draft", "sent", "accepted", "declined", "expired", "converted"]

_UNPAID = (InvoiceStatus.SENT, InvoiceStatus.PARTIALLY_PAID)


def _amounts(by_currency: dict[str, int]) -> str:
    return " + ".join(money(amount, cur) for cur, amount in sorted(by_currency.items()))


def _outstanding(invoices: Iterable[InvoiceSummary]) -> str:
    owed: dict[str, int] = defaultdict(int)
    for invoice in invoices:
        if invoice.status in _UNPAID:
            owed[invoice.currency] += invoice.balance_minor
    return f", {_amounts(owed)} outstanding" if owed else ""


# -- invoices_list ---------------------------------------------------------------------------


class ListInvoices(ToolInput):
    status: InvoiceFilter | None = Field(
        default=None,
        description="'overdue' = issued, unpaid and past the due date; 'unpaid' = issued and "
        "not fully paid (overdue or not); default: every status.",
    )
    client: ClientRef | None = Field(
        default=None, description="Only this client's invoices: name, company, e-mail or phone."
    )
    start: DayText | None = Field(default=None, description="Issued on or after this day.")
    end: DayText | None = Field(default=None, description="Issued on or before this day.")
    limit: Limit = 20


def list_invoices(services: Services, args: ListInvoices, context: ExecutionContext) -> ToolResult:
    invoices = services.invoicing.list_invoices(
        status=args.status,
        client=args.client,
        start=optional_day(args.start, context, "start"),
        end=optional_day(args.end, context, "end"),
    )
    what = f"{args.status.replace('_', ' ')} " if args.status else ""
    if not invoices:
        whose = ""
        if args.client is not None and context.role is not Role.CLIENT:
            whose = f" for {args.client}"
        return ToolResult(f"No {what}invoices{whose}.", [], Card.INVOICES)
    shown = invoices[: args.limit]
    return ToolResult(
        f"{len(invoices)} {what}invoice(s){_outstanding(invoices)}: "
        f"{listed(map(invoice_line, shown), len(invoices))}.",
        shown,
        Card.INVOICES,
    )


# -- invoices_get ----------------------------------------------------------------------------


class GetInvoice(ToolInput):
    invoice: InvoiceRef


def _standing(invoice: InvoiceDetail) -> str:
    cur = invoice.currency
    if invoice.status is InvoiceStatus.DRAFT:
        return "a draft, not sent yet"
    if invoice.status is InvoiceStatus.VOID:
        return f"void ({invoice.void_reason})" if invoice.void_reason else "void"
    if invoice.status is InvoiceStatus.PAID:
        last = f" on {day(invoice.payments[-1].paid_on)}" if invoice.payments else ""
        return f"paid in full{last}"
    when = (
        f"{invoice.days_overdue} days overdue"
        if invoice.is_overdue
        else f"due {day(invoice.due_on)}"
    )
    paid = f" ({money(invoice.paid_minor, cur)} paid so far)" if invoice.paid_minor else ""
    return f"{money(invoice.balance_minor, cur)} outstanding{paid}, {when}"


def get_invoice(services: Services, args: GetInvoice, context: ExecutionContext) -> ToolResult:
    invoice = services.invoicing.get_invoice(args.invoice)
    return ToolResult(
        f"{invoice.number} for {invoice.client_name}: {detail_totals(invoice)}, "
        f"{len(invoice.lines)} line(s); {_standing(invoice)}.",
        invoice,
        Card.INVOICE,
    )


# -- invoices_overdue_summary ----------------------------------------------------------------


class OverdueSummaryInput(ToolInput):
    """No arguments: every overdue invoice at today's date."""


def overdue_summary(
    services: Services, args: OverdueSummaryInput, context: ExecutionContext
) -> ToolResult:
    overdue = services.invoicing.overdue_summary()
    if not overdue.count or overdue.oldest is None:
        return ToolResult("Nothing is overdue.", overdue, Card.INVOICES)
    oldest = overdue.oldest
    clients = ", ".join(
        f"{c.client_name} {money(c.outstanding_minor, c.currency)}" for c in overdue.clients[:5]
    )
    more = f" and {len(overdue.clients) - 5} more" if len(overdue.clients) > 5 else ""
    return ToolResult(
        f"{overdue.count} overdue invoice(s), {_amounts(overdue.outstanding_by_currency)} "
        f"outstanding; the oldest is {oldest.number} ({oldest.client_name}, "
        f"{oldest.days_overdue} days). By client: {clients}{more}.",
        overdue,
        Card.INVOICES,
    )


# -- invoices_tax_estimate and invoices_revenue_report ---------------------------------------


class TaxEstimateInput(ToolInput):
    period: PeriodName | None = Field(
        default=None,
        description="A calendar period (default: this_quarter); or give start and end.",
    )
    start: DayText | None = Field(default=None, description="First day of a custom period.")
    end: DayText | None = Field(
        default=None, description="Last day of a custom period, inclusive (default: today)."
    )
    currency: CurrencyCode | None = Field(
        default=None, description="Only invoices in this currency (default: the business's)."
    )


def tax_estimate(
    services: Services, args: TaxEstimateInput, context: ExecutionContext
) -> ToolResult:
    start, end = period_days(args.period, args.start, args.end, context, default="this_quarter")
    tax = services.invoicing.tax_estimate(start, end, currency=args.currency)
    cur, when = tax.currency, span(tax.start, tax.end)
    if not tax.vat_registered:
        return ToolResult(
            f"The business is not VAT-registered, so no VAT is due. Invoiced {when}: "
            f"{money(tax.net_minor, cur)} net on {tax.invoice_count} invoice(s).",
            tax,
            Card.TABLE,
        )
    rates = ""
    if len(tax.rates) > 1:
        rates = (
            " ("
            + ", ".join(
                f"{vat_percent(r.vat_rate_bp)}: {money(r.vat_minor, cur)}" for r in tax.rates
            )
            + ")"
        )
    return ToolResult(
        f"VAT charged {when}: {money(tax.vat_minor, cur)}{rates} on "
        f"{money(tax.net_minor, cur)} net, from {tax.invoice_count} issued invoice(s).",
        tax,
        Card.TABLE,
    )


class RevenueReportInput(TaxEstimateInput):
    period: PeriodName | None = Field(
        default=None, description="A calendar period (default: this_year); or give start and end."
    )
    granularity: Literal["month", "week"] = Field(
        default="month", description="One row per calendar month or per week (Monday-Sunday)."
    )


def _bucket_label(bucket: RevenueBucket, granularity: str) -> str:
    return f"{bucket.start:%b}" if granularity == "month" else f"week of {day(bucket.start)}"


def revenue_report(
    services: Services, args: RevenueReportInput, context: ExecutionContext
) -> ToolResult:
    start, end = period_days(args.period, args.start, args.end, context, default="this_year")
    report = services.invoicing.revenue_report(
        start, end, granularity=args.granularity, currency=args.currency
    )
    cur = report.currency
    text = (
        f"{span(report.start, report.end)}: invoiced {money(report.invoiced_minor, cur)}, "
        f"received {money(report.paid_minor, cur)}."
    )
    active = [b for b in report.buckets if b.invoiced_minor or b.paid_minor]
    if 1 < len(active) <= 6:
        rows = "; ".join(
            f"{_bucket_label(b, report.granularity)}: {money(b.invoiced_minor, cur)} invoiced, "
            f"{money(b.paid_minor, cur)} received"
            for b in active
        )
        text += f" {rows}."
    return ToolResult(text, report, Card.TABLE)


# -- quotes_list and quotes_get --------------------------------------------------------------


class ListQuotes(ToolInput):
    status: QuoteFilter | None = Field(
        default=None,
        description="Only quotes in this state ('expired' includes sent quotes past their "
        "date); default: all.",
    )
    limit: Limit = 20


def list_quotes(services: Services, args: ListQuotes, context: ExecutionContext) -> ToolResult:
    quotes = services.invoicing.list_quotes(status=args.status)
    what = f"{args.status} " if args.status else ""
    if not quotes:
        return ToolResult(f"No {what}quotes.", [], Card.TABLE)
    shown = quotes[: args.limit]
    return ToolResult(
        f"{len(quotes)} {what}quote(s): {listed(map(quote_line, shown), len(quotes))}.",
        shown,
        Card.TABLE,
    )


class GetQuote(ToolInput):
    quote: QuoteRef


def _quote_standing(quote: QuoteDetail) -> str:
    until = day(quote.valid_until)
    if quote.status is QuoteStatus.CONVERTED:
        return f"converted into {quote.invoice_number or 'an invoice'}"
    if quote.is_expired:
        return f"expired on {until}"
    if quote.status is QuoteStatus.DRAFT:
        return f"a draft, not sent yet, valid until {until}"
    if quote.status is QuoteStatus.SENT:
        return f"sent {day(quote.issued_on)}, valid until {until}"
    return quote.status.value


def get_quote(services: Services, args: GetQuote, context: ExecutionContext) -> ToolResult:
    quote = services.invoicing.get_quote(args.quote)
    cur = quote.currency
    return ToolResult(
        f"{quote.number} for {quote.client_name}: {money(quote.total_minor, cur)} including "
        f"{money(quote.tax_minor, cur)} VAT, {len(quote.lines)} line(s); "
        f"{_quote_standing(quote)}.",
        quote,
        Card.QUOTE,
    )


# -- the read tools --------------------------------------------------------------------------

_R = Operation.READ

TOOLS: list[Tool[Any]] = [
    Tool(
        "invoices_list",
        DOMAIN,
        "List invoices, newest first, filtered by status (draft, sent, partially_paid, paid, "
        "void, overdue, unpaid), client and issue period. Use for 'has Alpine Tech paid yet' "
        "(client + unpaid) or 'which invoices are overdue'. Returns number, client, totals, "
        "balance and due date of each; client-portal users see only their own issued invoices.",
        ListInvoices,
        list_invoices,
        _R,
        Risk.NONE,
        DataScope.ROLE_BASED,
        Card.INVOICES,
        examples=("has Alpine Tech paid yet", "show me the unpaid invoices"),
    ),
    Tool(
        "invoices_get",
        DOMAIN,
        "One invoice by number ('INV-0042', '#42') with its lines, VAT per rate, totals, "
        "payments and status (overdue days, balance). Client-portal users reach only their own.",
        GetInvoice,
        get_invoice,
        _R,
        Risk.NONE,
        DataScope.ROLE_BASED,
        Card.INVOICE,
        examples=("show me invoice 42", "what's on INV-0031"),
    ),
    Tool(
        "invoices_overdue_summary",
        DOMAIN,
        "Overdue invoices at today's date: how many, the total outstanding, the oldest one "
        "and the amount per client. Use for 'who owes me money' or 'what's overdue'.",
        OverdueSummaryInput,
        overdue_summary,
        _R,
        Risk.NONE,
        DataScope.ALL,
        Card.INVOICES,
        examples=("who owes me money", "how much is overdue"),
    ),
    Tool(
        "invoices_tax_estimate",
        DOMAIN,
        "VAT charged on invoices issued in a period (accrual basis; drafts and void invoices "
        "left out), per VAT rate, with the net amount. Default period: this quarter.",
        TaxEstimateInput,
        tax_estimate,
        _R,
        Risk.NONE,
        DataScope.ALL,
        Card.TABLE,
        examples=("how much VAT do I owe this quarter", "VAT for last quarter"),
    ),
    Tool(
        "invoices_revenue_report",
        DOMAIN,
        "Invoiced (by issue date) against money received (by payment date) per month or week "
        "of a period, with totals. Default period: this year. Owners and admins only.",
        RevenueReportInput,
        revenue_report,
        _R,
        Risk.NONE,
        DataScope.ADMIN_ONLY,
        Card.TABLE,
        examples=("how much did we invoice this year", "revenue by week last month"),
    ),
    Tool(
        "quotes_list",
        DOMAIN,
        "List quotes, newest first, optionally by status (draft, sent, accepted, declined, "
        "expired, converted). Returns number, client, total and validity of each.",
        ListQuotes,
        list_quotes,
        _R,
        Risk.NONE,
        DataScope.ALL,
        Card.TABLE,
        examples=("which quotes are still open", "show accepted quotes"),
    ),
    Tool(
        "quotes_get",
        DOMAIN,
        "One quote by number ('Q-0002', '#2') with its lines, VAT, totals, validity, status "
        "and the invoice it became, if converted.",
        GetQuote,
        get_quote,
        _R,
        Risk.NONE,
        DataScope.ALL,
        Card.QUOTE,
        examples=("show me quote 2",),
    ),
]
