"""Rendering invoices and quotes to PDF files and queueing the e-mails that carry them."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ....errors import Invalid
from ...models import (
    BankAccount,
    Business,
    Channel,
    Client,
    Invoice,
    InvoiceLine,
    OutboxItem,
    Quote,
    QuoteLine,
    TaxSettings,
)
from ...pdf import PdfDocument, PdfLine, PdfParty, write_pdf
from ...values import format_money
from ..outbox import queue_message
from ._base import InvoicingBase
from ._views import SentDocument

__all__ = ["DocumentMailer"]

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def _day(value: date | None) -> str:
    return value.strftime("%d %b %Y").lstrip("0") if value else "no date"


class DocumentMailer:
    """Renders one business's documents into ``folder`` and queues them in the outbox."""

    def __init__(self, service: InvoicingBase, session: Session, folder: Path) -> None:
        self.service = service
        self.session = session
        self.folder = folder / f"business-{service.context.business_id}"
        self.business = session.get_one(Business, service.context.business_id)

    def recipient(self, client: Client, number: str) -> str:
        """The client's e-mail, or :class:`Invalid` saying whose address is missing."""
        if not client.email:
            raise Invalid(
                f"{client.full_name} has no e-mail address, so I can't send {number}. "
                "Add one to the client first.",
                field="email",
            )
        return client.email

    def _bank(self, currency: str) -> BankAccount | None:
        accounts = self.session.scalars(
            sa.select(BankAccount)
            .where(BankAccount.active.is_(True), BankAccount.iban.is_not(None))
            .order_by(BankAccount.id)
        ).all()
        same = [a for a in accounts if a.currency.upper() == currency]
        return next(iter(same or accounts), None)

    def payment_lines(self, document: Invoice | Quote) -> tuple[str, ...]:
        account = self._bank(document.currency)
        if account is None or not account.iban:
            return (f"Please quote {document.number} with your payment.",)
        iban = " ".join(account.iban[i : i + 4] for i in range(0, len(account.iban), 4))
        return (
            f"Bank transfer to {self.business.name}, IBAN {iban}.",
            f"Please quote {document.number} as the payment reference.",
        )

    def _seller(self) -> PdfParty:
        business = self.business
        settings = self.session.scalars(sa.select(TaxSettings)).first()
        details = [
            *(business.address or "").splitlines(),
            business.email or "",
            business.phone or "",
        ]
        if settings is not None and settings.vat_registered and settings.vat_number:
            details.append(f"VAT number {settings.vat_number}")
        return PdfParty(business.name, tuple(d.strip() for d in details if d.strip()))

    @staticmethod
    def _buyer(client: Client) -> PdfParty:
        details = [client.company or "", *(client.address or "").splitlines(), client.email or ""]
        return PdfParty(client.full_name, tuple(d.strip() for d in details if d.strip()))

    def render(self, document: Invoice | Quote, client: Client) -> Path:
        """Write the document's PDF and return its path."""
        if isinstance(document, Invoice):
            rows = self.session.scalars(
                sa.select(InvoiceLine)
                .where(InvoiceLine.invoice_id == document.id)
                .order_by(InvoiceLine.position)
            )
            title, paid = "INVOICE", document.paid_minor
            dates: tuple[tuple[str, date | None], ...] = (
                ("Issued", document.issued_on),
                ("Due", document.due_on),
            )
            payment = self.payment_lines(document)
        else:
            rows = self.session.scalars(
                sa.select(QuoteLine)
                .where(QuoteLine.quote_id == document.id)
                .order_by(QuoteLine.position)
            )
            title, paid, payment = "QUOTE", 0, ()
            dates = (("Date", document.issued_on), ("Valid until", document.valid_until))
        lines = tuple(
            PdfLine(
                r.description,
                r.quantity,
                r.unit_price_minor,
                r.vat_rate_bp,
                r.net_minor,
                r.vat_minor,
            )
            for r in rows
        )
        pdf = PdfDocument(
            title=title,
            number=document.number,
            currency=document.currency,
            seller=self._seller(),
            buyer=self._buyer(client),
            lines=lines,
            subtotal_minor=document.subtotal_minor,
            tax_minor=document.tax_minor,
            total_minor=document.total_minor,
            dates=dates,
            paid_minor=paid,
            notes=document.notes,
            payment_details=payment,
            created_at=self.service.context.now(),
        )
        kind = "invoices" if isinstance(document, Invoice) else "quotes"
        name = _UNSAFE.sub("_", document.number).strip("._") or str(document.id)
        return write_pdf(pdf, self.folder / kind / f"{name}.pdf")

    def queue(
        self, document: Invoice | Quote, client: Client, *, subject: str, body: str, pdf: Path
    ) -> OutboxItem:
        kind = "invoice" if isinstance(document, Invoice) else "quote"
        return queue_message(
            self.session,
            channel=Channel.EMAIL,
            recipient=self.recipient(client, document.number),
            subject=subject,
            body=body,
            client_id=client.id,
            attachments=[str(pdf)],
            related=(kind, document.id),
            user_id=self.service.context.user_id,
        )

    def send(
        self, document: Invoice | Quote, client: Client, *, subject: str, body: str
    ) -> SentDocument:
        """Render the document's PDF and queue it by e-mail to the client, attached."""
        pdf = self.render(document, client)
        item = self.queue(document, client, subject=subject, body=body, pdf=pdf)
        return SentDocument(
            id=document.id,
            number=document.number,
            kind="invoice" if isinstance(document, Invoice) else "quote",
            recipient=item.recipient,
            pdf_path=str(pdf),
            outbox_item_id=item.id,
            total_minor=document.total_minor,
            currency=document.currency,
        )

    def _letter(self, client: Client, paragraphs: list[str]) -> str:
        text = "\n\n".join(p.strip() for p in paragraphs if p and p.strip())
        return f"Hello {client.first_name},\n\n{text}\n\nThank you,\n{self.business.name}\n"

    def invoice_body(self, invoice: Invoice, client: Client, message: str | None) -> str:
        total = format_money(invoice.total_minor, invoice.currency)
        due = format_money(invoice.balance_minor, invoice.currency)
        return self._letter(
            client,
            [
                f"Please find attached invoice {invoice.number} for {total}. "
                f"{due} is due by {_day(invoice.due_on)}.",
                message or "",
                " ".join(self.payment_lines(invoice)),
            ],
        )

    def quote_body(self, quote: Quote, client: Client, message: str | None) -> str:
        total = format_money(quote.total_minor, quote.currency)
        return self._letter(
            client,
            [
                f"Please find attached quote {quote.number} for {total}, valid until "
                f"{_day(quote.valid_until)}. Just reply to accept it.",
                message or "",
            ],
        )

    def reminder_body(self, invoice: Invoice, client: Client, late: int) -> str:
        balance = format_money(invoice.balance_minor, invoice.currency)
        total = format_money(invoice.total_minor, invoice.currency)
        when = (
            f"was due on {_day(invoice.due_on)} and is now {late} "
            f"day{'s' if late != 1 else ''} overdue"
            if late
            else f"is due on {_day(invoice.due_on)}"
        )
        return self._letter(
            client,
            [
                f"This is a friendly reminder that invoice {invoice.number} for {total} {when}. "
                f"The balance outstanding is {balance}; a copy is attached.",
                " ".join(self.payment_lines(invoice)),
                "If you have already paid, please ignore this message.",
            ],
        )
