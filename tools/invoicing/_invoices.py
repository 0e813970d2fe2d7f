"""Invoice writes: draft, edit, send, record a payment, chase overdue, void."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from ...assistant.catalog import Card, Risk, Tool, ToolResult, UndoPlan
from ...assistant.context import ExecutionContext
from ...workspace.models import InvoiceStatus, PaymentMethod
from ...workspace.services import Services
from ...workspace.services.invoicing import InvoiceChanges, InvoiceDetail
from .._common import Amount, ClientRef, DayText, ToolInput, minor, money, resolve_day
from ._shared import (
    DOMAIN,
    CurrencyCode,
    DocumentLine,
    EmailMessage,
    InvoiceRef,
    day,
    detail_totals,
    listed,
    optional_day,
    send_document,
    undo,
    write_tool,
)

__all__ = ["INVERSES", "TOOLS"]

_Lines = list[DocumentLine]
_NOTES = Field(default=None, max_length=2000, description="Notes printed on the invoice.")


def _drafted(invoice: InvoiceDetail) -> str:
    return f"{detail_totals(invoice)}, due {day(invoice.due_on)}"


# -- invoices_create -------------------------------------------------------------------------


class CreateInvoice(ToolInput):
    client: ClientRef
    lines: _Lines = Field(
        min_length=1,
        max_length=200,
        description="What is billed, one object per line: a service/product from the catalog "
        "(price and VAT from it) or a description with a unit_price.",
    )
    currency: CurrencyCode | None = Field(
        default=None, description="ISO currency code (default: the business's currency)."
    )
    due: DayText | None = Field(
        default=None, description="Due date (default: the business's payment terms)."
    )
    notes: str | None = _NOTES


def create_invoice(
    services: Services, args: CreateInvoice, context: ExecutionContext
) -> ToolResult:
    invoice = services.invoicing.create_invoice(
        args.client,
        [line.to_service() for line in args.lines],
        currency=args.currency,
        due_on=optional_day(args.due, context, "due"),
        notes=args.notes,
    )
    return ToolResult(
        f"Drafted {invoice.number} for {invoice.client_name}: {_drafted(invoice)}. "
        "It is not sent yet.",
        invoice,
        Card.INVOICE,
        undo("delete_draft", f"delete the draft invoice {invoice.number}", invoice=invoice.id),
    )


# -- invoices_update -------------------------------------------------------------------------


class UpdateInvoice(ToolInput):
    invoice: InvoiceRef
    lines: _Lines | None = Field(
        default=None,
        min_length=1,
        max_length=200,
        description="New lines; they replace every current line.",
    )
    due: DayText | None = Field(default=None, description="New due date.")
    notes: str | None = Field(
        default=None, max_length=2000, description="New notes; an empty text removes them."
    )


def _undo_update(invoice: InvoiceDetail, previous: InvoiceChanges) -> tuple[UndoPlan | None, str]:
    """How to put the draft back; a draft that had no due date cannot get "none" back."""
    changes = previous.model_dump(mode="json", exclude_unset=True)
    kept = ""
    if "due_on" in changes and changes["due_on"] is None:
        del changes["due_on"]
        kept = f" (its due date {day(invoice.due_on)} stays: it had none before)"
    if not changes:
        return None, " The new due date cannot be undone: the draft had none before."
    plan = undo(
        "update_invoice",
        f"put draft {invoice.number} back as it was{kept}",
        invoice=invoice.id,
        changes=changes,
    )
    return plan, ""


def update_invoice(
    services: Services, args: UpdateInvoice, context: ExecutionContext
) -> ToolResult:
    changes: dict[str, Any] = {}
    if args.lines is not None:
        changes["lines"] = [line.to_service() for line in args.lines]
    if args.due is not None:
        changes["due_on"] = resolve_day(args.due, context, "due")
    if args.notes is not None:
        changes["notes"] = args.notes
    update = services.invoicing.update_invoice(args.invoice, changes)
    invoice = update.invoice
    plan, note = _undo_update(invoice, update.previous)
    return ToolResult(
        f"Updated draft {invoice.number} for {invoice.client_name}: {_drafted(invoice)}.{note}",
        invoice,
        Card.INVOICE,
        plan,
    )


# -- invoices_send ---------------------------------------------------------------------------


class SendInvoice(ToolInput):
    invoice: InvoiceRef
    message: EmailMessage = None


def send_invoice(services: Services, args: SendInvoice, context: ExecutionContext) -> ToolResult:
    return send_document(services, "invoice", args.invoice, args.message)


# -- invoices_record_payment -----------------------------------------------------------------


class RecordPayment(ToolInput):
    invoice: InvoiceRef
    amount: Amount = Field(
        description="How much was paid, in the currency's main unit (96.00 for £96); at most "
        "the invoice's balance."
    )
    method: PaymentMethod = Field(description="How it was paid.")
    paid_on: DayText | None = Field(default=None, description="When it was paid (default: today).")
    reference: str | None = Field(
        default=None, max_length=200, description="The payer's reference, receipt or cheque number."
    )


def record_payment(
    services: Services, args: RecordPayment, context: ExecutionContext
) -> ToolResult:
    result = services.invoicing.record_payment(
        args.invoice,
        minor(args.amount),
        method=args.method,
        paid_on=optional_day(args.paid_on, context, "paid_on"),
        reference=args.reference,
    )
    invoice = result.invoice
    cur = invoice.currency
    paid = money(minor(args.amount), cur)
    left = (
        "it is now paid in full"
        if invoice.status is InvoiceStatus.PAID
        else f"{money(invoice.balance_minor, cur)} is still outstanding"
    )
    how = args.method.value.replace("_", " ")
    return ToolResult(
        f"Recorded {paid} by {how} on {invoice.number} ({invoice.client_name}); {left}.",
        invoice,
        Card.INVOICE,
        undo(
            "remove_payment",
            f"remove the {paid} payment from {invoice.number}",
            payment=result.payment_id,
        ),
    )


# -- invoices_send_reminder ------------------------------------------------------------------


class SendReminder(ToolInput):
    invoice: InvoiceRef | None = Field(
        default=None,
        description="One unpaid invoice to chase ('INV-0042', '#42'); leave out with all_overdue.",
    )
    all_overdue: bool = Field(
        default=False,
        description="Chase every overdue invoice (clients without e-mail, or already reminded "
        "today, are skipped and listed).",
    )


def send_reminder(services: Services, args: SendReminder, context: ExecutionContext) -> ToolResult:
    batch = services.invoicing.send_reminder(
        args.invoice, all_overdue=args.all_overdue, documents_dir=services.folder("documents")
    )
    parts = []
    if batch.sent:
        lines = (
            f"{r.number} to {r.client_name} ({money(r.balance_minor, r.currency)}"
            + (f", {r.days_overdue} days overdue)" if r.days_overdue else ")")
            for r in batch.sent
        )
        parts.append(
            f"Sent {len(batch.sent)} payment reminder(s) with the invoice attached: "
            f"{listed(lines, len(batch.sent))}."
        )
    if batch.skipped:
        skipped = (f"{s.number} ({s.reason})" for s in batch.skipped)
        none = "" if batch.sent else "No reminders sent. "
        parts.append(f"{none}Skipped {listed(skipped, len(batch.skipped))}.")
    return ToolResult(
        " ".join(parts) or "No invoices are overdue, so there is nobody to chase.",
        batch,
        Card.INVOICES,
    )


# -- invoices_void ---------------------------------------------------------------------------


class VoidInvoice(ToolInput):
    invoice: InvoiceRef
    reason: str = Field(
        min_length=1, max_length=500, description="Why it is voided (kept on record)."
    )


def void_invoice(services: Services, args: VoidInvoice, context: ExecutionContext) -> ToolResult:
    change = services.invoicing.void_invoice(args.invoice, args.reason)
    return ToolResult(
        f"Voided {change.number} ({args.reason}); it keeps its number on record.",
        change,
        Card.INVOICE,
        undo(
            "unvoid_invoice",
            f"restore {change.number} as {change.previous_status.replace('_', ' ')}",
            invoice=change.id,
        ),
    )


# -- the invoice write tools -----------------------------------------------------------------

TOOLS: list[Tool[Any]] = [
    write_tool(
        "invoices_create",
        "Draft an invoice for a client with lines from the services/products catalog or free "
        "text (quantity, unit price, VAT rate), optional currency, due date and notes. It is "
        "numbered but not sent (use invoices_send). Returns the draft with totals.",
        CreateInvoice,
        create_invoice,
        risk=Risk.MEDIUM,
        card=Card.INVOICE,
        confirmation="Draft an invoice for {client}?",
        reversible=True,
        examples=("invoice Sarah Miller for a balayage", "bill Hans £120 for a consultation"),
    ),
    write_tool(
        "invoices_update",
        "Edit a draft invoice: replace its lines, change the due date or the notes. Issued "
        "invoices cannot be edited (void and re-issue instead). Returns the updated draft.",
        UpdateInvoice,
        update_invoice,
        risk=Risk.MEDIUM,
        card=Card.INVOICE,
        confirmation="Change draft invoice {invoice}?",
        reversible=True,
        examples=("make invoice 78 due on the 30th",),
    ),
    write_tool(
        "invoices_send",
        "Issue an invoice (a draft gets its issue date) and e-mail it to the client with the "
        "PDF attached, through the outbox; an issued one is sent again. Cannot be undone.",
        SendInvoice,
        send_invoice,
        risk=Risk.HIGH,
        card=Card.INVOICE,
        confirmation="E-mail invoice {invoice} to the client with its PDF attached?",
        examples=("send invoice 42 to the client", "send Callum his invoice"),
    ),
    write_tool(
        "invoices_record_payment",
        "Record a full or partial payment on an issued invoice: amount, method, date and "
        "reference. The status becomes partially paid or paid. Returns the invoice.",
        RecordPayment,
        record_payment,
        risk=Risk.HIGH,
        card=Card.INVOICE,
        confirmation="Record a payment of {amount} by {method} on invoice {invoice}?",
        reversible=True,
        examples=("Olivia paid invoice 42 by card", "record £50 cash against INV-0060"),
    ),
    write_tool(
        "invoices_send_reminder",
        "E-mail a payment reminder (invoice PDF attached) for one unpaid invoice, or for every "
        "overdue invoice with all_overdue. Returns who was reminded and who was skipped. "
        "Cannot be undone.",
        SendReminder,
        send_reminder,
        risk=Risk.HIGH,
        card=Card.INVOICES,
        confirmation="E-mail payment reminders (invoice: {invoice}; all overdue: {all_overdue})?",
        examples=("chase the overdue ones", "remind Sarah Thompson about invoice 31"),
    ),
    write_tool(
        "invoices_void",
        "Void an issued invoice that has no payments, with a reason; it keeps its number and "
        "stays on record. Drafts are not voided (edit them instead). Returns the change.",
        VoidInvoice,
        void_invoice,
        risk=Risk.CRITICAL,
        card=Card.INVOICE,
        confirmation="Void invoice {invoice} because “{reason}”? It stays on record as void.",
        reversible=True,
        examples=("void invoice 63, it was billed twice",),
    ),
]

INVERSES = {
    (DOMAIN, "delete_draft"): lambda s, a: s.invoicing.delete_draft(a["invoice"]),
    (DOMAIN, "update_invoice"): lambda s, a: s.invoicing.update_invoice(
        a["invoice"], InvoiceChanges.model_validate(a["changes"])
    ),
    (DOMAIN, "remove_payment"): lambda s, a: s.invoicing.remove_payment(a["payment"]),
    (DOMAIN, "unvoid_invoice"): lambda s, a: s.invoicing.unvoid_invoice(a["invoice"]),
}
