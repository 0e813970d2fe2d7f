"""Invoice writes: create, edit and delete drafts, send, payments, reminders, void."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ....errors import Conflict, Invalid
from ...models import (
    Client,
    Invoice,
    InvoiceLine,
    InvoiceStatus,
    Payment,
    PaymentMethod,
    Quote,
    QuoteStatus,
)
from .._references import Ref, resolve_client
from ._delivery import DocumentMailer
from ._documents import (
    build_lines,
    check_currency,
    claim_number,
    default_due,
    insert_numbered,
    replace_lines,
)
from ._payments import apply_payment, refresh_payment_status, revert_payment
from ._quotes import QuoteOperations, parse_lines
from ._reading import InvoiceReading
from ._views import (
    InvoiceChanges,
    InvoiceDetail,
    InvoiceUpdate,
    LineInput,
    PaymentResult,
    ReminderBatch,
    ReminderSent,
    ReminderSkipped,
    SentDocument,
    StatusChange,
    days_overdue,
    invoice_detail,
    parse_input,
)

__all__ = ["InvoicingService"]

_UNPAID = (InvoiceStatus.SENT, InvoiceStatus.PARTIALLY_PAID)


def _check_due(due_on: date, today: date) -> None:
    if due_on < today:
        raise Invalid(f"The due date {due_on:%d %b %Y} has already passed.", field="due_on")


class InvoicingService(InvoiceReading, QuoteOperations):
    """Invoices, quotes and payments of one business (see the package docstring for undo)."""

    def create_invoice(
        self,
        client: Ref,
        lines: Sequence[LineInput | Mapping[str, Any]],
        *,
        currency: str | None = None,
        due_on: date | None = None,
        notes: str | None = None,
    ) -> InvoiceDetail:
        """A draft invoice numbered from the tax settings (``delete_draft`` undoes it)."""
        self._require_team()
        items = parse_lines(lines)
        code = check_currency(currency or self.context.currency)
        today = self.context.today()
        if due_on is not None:
            _check_due(due_on, today)

        def work(session: Session) -> InvoiceDetail:
            who = resolve_client(session, client)
            priced = build_lines(session, items, code)
            invoice = Invoice(
                number=claim_number(session, "invoice"),
                client_id=who.id,
                currency=code,
                status=InvoiceStatus.DRAFT,
                notes=notes or None,
                due_on=due_on or default_due(session, today),
                created_at=self.context.now(),
            )
            insert_numbered(session, invoice)
            replace_lines(session, invoice, priced)
            return invoice_detail(session, invoice, today)

        return self._retrying(work)

    def update_invoice(
        self, reference: Ref, changes: InvoiceChanges | Mapping[str, Any]
    ) -> InvoiceUpdate:
        """Edit a draft; ``previous`` in the result, passed back here, undoes the edit."""
        self._require_team()
        wanted = parse_input(InvoiceChanges, changes, "change")
        given = wanted.model_fields_set
        if not given:
            raise Invalid("Tell me what to change: the lines, the due date or the notes.")
        today = self.context.today()
        if "due_on" in given:
            if wanted.due_on is None:
                raise Invalid("An invoice needs a due date.", field="due_on")
            _check_due(wanted.due_on, today)
        with self._unit() as session:
            invoice = self._invoice(session, reference)
            if invoice.status is not InvoiceStatus.DRAFT:
                raise Conflict(
                    f"{invoice.number} was already issued ({invoice.status.value}); "
                    "only drafts can be edited. Void it and issue a new one instead."
                )
            previous: dict[str, Any] = {}
            if "lines" in given:
                previous["lines"] = self._line_inputs(session, invoice)
                replace_lines(
                    session, invoice, build_lines(session, wanted.lines or [], invoice.currency)
                )
            if "due_on" in given:
                previous["due_on"], invoice.due_on = invoice.due_on, wanted.due_on
            if "notes" in given:
                previous["notes"], invoice.notes = invoice.notes, wanted.notes or None
            session.flush()
            return InvoiceUpdate(
                invoice=invoice_detail(session, invoice, today), previous=InvoiceChanges(**previous)
            )

    @staticmethod
    def _line_inputs(session: Session, invoice: Invoice) -> list[LineInput]:
        rows = session.scalars(
            sa.select(InvoiceLine)
            .where(InvoiceLine.invoice_id == invoice.id)
            .order_by(InvoiceLine.position, InvoiceLine.id)
        )
        return [
            LineInput(
                description=r.description,
                service=r.service_id,
                product=r.product_id,
                quantity=r.quantity,
                unit_price_minor=r.unit_price_minor,
                vat_rate_bp=r.vat_rate_bp,
            )
            for r in rows
        ]

    def delete_draft(self, reference: Ref) -> StatusChange:
        """Delete a draft invoice (issued ones are voided instead).

        A draft made from a quote puts that quote back to "accepted".
        """
        self._require_team()
        with self._unit() as session:
            invoice = self._invoice(session, reference)
            if invoice.status is not InvoiceStatus.DRAFT:
                raise Conflict(
                    f"{invoice.number} was already issued; issued invoices keep "
                    "their number and can only be voided."
                )
            if invoice.quote_id is not None:
                quote = session.get(Quote, invoice.quote_id)
                if quote is not None and quote.status is QuoteStatus.CONVERTED:
                    quote.status = QuoteStatus.ACCEPTED
            change = StatusChange(
                id=invoice.id, number=invoice.number, previous_status="draft", status="deleted"
            )
            session.delete(invoice)
            return change

    def send_invoice(
        self, reference: Ref, *, message: str | None = None, documents_dir: Path | None = None
    ) -> SentDocument:
        """Issue the invoice (if still a draft), render its PDF, queue it by e-mail."""
        self._require_team()
        with self._unit() as session:
            invoice = self._invoice(session, reference)
            if invoice.status in (InvoiceStatus.VOID, InvoiceStatus.PAID):
                raise Conflict(
                    f"{invoice.number} is {invoice.status.value}; there is nothing to send."
                )
            client = session.get_one(Client, invoice.client_id)
            mailer = DocumentMailer(self, session, self._folder(documents_dir))
            mailer.recipient(client, invoice.number)  # no address: say so before changing anything
            now, today = self.context.now(), self.context.today()
            if invoice.status is InvoiceStatus.DRAFT:
                if invoice.due_on is not None and invoice.due_on < today:
                    raise Invalid(
                        f"{invoice.number} is due on {invoice.due_on:%d %b %Y}, which has "
                        "passed; change the due date before sending it.",
                        field="due_on",
                    )
                invoice.status = InvoiceStatus.SENT
                invoice.issued_on = invoice.issued_on or today
                invoice.due_on = invoice.due_on or default_due(session, invoice.issued_on)
            invoice.sent_at = now
            refresh_payment_status(invoice, now)
            session.flush()
            return mailer.send(
                invoice,
                client,
                subject=f"Invoice {invoice.number} from {mailer.business.name}",
                body=mailer.invoice_body(invoice, client, message),
            )

    def record_payment(
        self,
        invoice: Ref,
        amount_minor: int,
        *,
        method: PaymentMethod | str,
        paid_on: date | None = None,
        reference: str | None = None,
    ) -> PaymentResult:
        """A (partial) payment on an issued invoice; ``remove_payment`` undoes it."""
        self._require_team()
        try:
            how = PaymentMethod(str(method).strip().lower().replace(" ", "_"))
        except ValueError as exc:
            options = ", ".join(m.value for m in PaymentMethod)
            raise Invalid(
                f"“{method}” is not a payment method; use one of {options}.", field="method"
            ) from exc
        with self._unit() as session:
            row = self._invoice(session, invoice)
            payment = apply_payment(
                session,
                row,
                amount_minor=amount_minor,
                method=how,
                paid_on=paid_on or self.context.today(),
                reference=(reference or "").strip() or None,
                now=self.context.now(),
            )
            return PaymentResult(
                payment_id=payment.id, invoice=invoice_detail(session, row, self.context.today())
            )

    def remove_payment(self, payment_id: int) -> InvoiceDetail:
        """Delete a recorded payment and recompute the invoice's status (undo of a payment)."""
        self._require_team()
        with self._unit() as session:
            payment = self._get(session, Payment, payment_id, "payment")
            invoice = revert_payment(session, payment, now=self.context.now())
            return invoice_detail(session, invoice, self.context.today())

    def send_reminder(
        self,
        reference: Ref | None = None,
        *,
        all_overdue: bool = False,
        documents_dir: Path | None = None,
    ) -> ReminderBatch:
        """Payment reminders by e-mail, for one unpaid invoice or every overdue one.

        With ``all_overdue`` invoices whose client has no e-mail, or that were already
        reminded today, are skipped and listed; for one invoice those are errors.
        """
        self._require_team()
        if (reference is None) == (not all_overdue):
            raise Invalid(
                "Name one invoice, or ask for all overdue invoices — not both.", field="reference"
            )
        today, now = self.context.today(), self.context.now()
        with self._unit() as session:
            if reference is not None:
                invoice = self._invoice(session, reference)
                if invoice.status not in _UNPAID:
                    raise Conflict(
                        f"{invoice.number} is {invoice.status.value}; reminders are "
                        "for issued invoices that are not fully paid."
                    )
                invoices = [invoice]
            else:
                invoices = list(
                    session.scalars(
                        sa.select(Invoice)
                        .where(Invoice.status.in_(_UNPAID), Invoice.due_on < today)
                        .order_by(Invoice.due_on, Invoice.id)
                    )
                )
            mailer = DocumentMailer(self, session, self._folder(documents_dir))
            sent: list[ReminderSent] = []
            skipped: list[ReminderSkipped] = []
            for invoice in invoices:
                client = session.get_one(Client, invoice.client_id)
                reason = self._skip_reason(invoice, client, today)
                if reason and reference is None:
                    skipped.append(
                        ReminderSkipped(
                            invoice_id=invoice.id,
                            number=invoice.number,
                            client_name=client.full_name,
                            reason=reason,
                        )
                    )
                    continue
                sent.append(self._remind(mailer, invoice, client, today, now))
            return ReminderBatch(sent=tuple(sent), skipped=tuple(skipped))

    def _skip_reason(self, invoice: Invoice, client: Client, today: date) -> str | None:
        if not client.email:
            return f"{client.full_name} has no e-mail address"
        last = invoice.last_reminder_at
        if last is not None and last.astimezone(self.context.tz).date() >= today:
            return "already reminded today"
        return None

    def _remind(
        self, mailer: DocumentMailer, invoice: Invoice, client: Client, today: date, now: datetime
    ) -> ReminderSent:
        late = days_overdue(invoice, today)
        state = f"{late} days overdue" if late else "payment reminder"
        sent = mailer.send(
            invoice,
            client,
            subject=f"Reminder: invoice {invoice.number} ({state})",
            body=mailer.reminder_body(invoice, client, late),
        )
        invoice.last_reminder_at = now
        return ReminderSent(
            invoice_id=invoice.id,
            number=invoice.number,
            client_name=client.full_name,
            recipient=sent.recipient,
            balance_minor=invoice.balance_minor,
            currency=invoice.currency,
            days_overdue=late,
            outbox_item_id=sent.outbox_item_id,
        )

    def void_invoice(self, reference: Ref, reason: str) -> StatusChange:
        """Void an issued invoice with no payments; it keeps its number (``unvoid_invoice``)."""
        self._require_team()
        why = (reason or "").strip()
        if not why:
            raise Invalid(
                "Say why the invoice is being voided; it stays on record.", field="reason"
            )
        if len(why) > 500:
            raise Invalid("Keep the reason under 500 characters.", field="reason")
        with self._unit() as session:
            invoice = self._invoice(session, reference)
            if invoice.status is InvoiceStatus.DRAFT:
                raise Conflict(f"{invoice.number} is a draft; delete it instead of voiding it.")
            if invoice.status is InvoiceStatus.VOID:
                raise Conflict(f"{invoice.number} is already void.")
            if invoice.paid_minor > 0:
                raise Conflict(
                    f"{invoice.number} has payments recorded; refund and remove "
                    "them first, then void it."
                )
            previous = invoice.status
            invoice.status = InvoiceStatus.VOID
            invoice.voided_at = self.context.now()
            invoice.void_reason = why
            return StatusChange(
                id=invoice.id, number=invoice.number, previous_status=previous.value, status="void"
            )

    def unvoid_invoice(self, reference: Ref) -> StatusChange:
        """Undo a void: the invoice is sent (unpaid) again, its reason cleared."""
        self._require_team()
        with self._unit() as session:
            invoice = self._invoice(session, reference)
            if invoice.status is not InvoiceStatus.VOID:
                raise Conflict(f"{invoice.number} is not void.")
            invoice.status = InvoiceStatus.SENT
            invoice.voided_at = None
            invoice.void_reason = None
            refresh_payment_status(invoice, self.context.now())
            return StatusChange(
                id=invoice.id,
                number=invoice.number,
                previous_status="void",
                status=invoice.status.value,
            )
