"""Quotes: list, create, send (PDF + e-mail), accept/decline/reopen, convert into an invoice."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ....errors import Conflict, Invalid
from ...models import Client, Invoice, InvoiceStatus, Quote, QuoteLine, QuoteStatus
from .._references import Ref, resolve_client
from ._base import InvoicingBase
from ._delivery import DocumentMailer
from ._documents import (
    build_lines,
    check_currency,
    claim_number,
    default_due,
    insert_numbered,
    line_data,
    replace_lines,
)
from ._views import (
    ConversionResult,
    LineInput,
    QuoteDetail,
    QuoteSummary,
    SentDocument,
    StatusChange,
    invoice_detail,
    parse_input,
    quote_detail,
    quote_is_expired,
    quote_summary,
)

__all__ = ["QUOTE_FILTERS", "QuoteOperations"]

QUOTE_FILTERS = tuple(s.value for s in QuoteStatus)
"""``status`` values of ``list_quotes``; "expired" also finds sent quotes past their date."""
QUOTE_VALIDITY_DAYS = 30
_OPEN = (QuoteStatus.DRAFT, QuoteStatus.SENT)


def parse_lines(lines: Sequence[LineInput | Mapping[str, Any]]) -> list[LineInput]:
    return [parse_input(LineInput, line, f"line {i}") for i, line in enumerate(lines, 1)]


class QuoteOperations(InvoicingBase):
    """Quote reads and writes (team only; client-portal users have no quote tools)."""

    def list_quotes(self, *, status: str | None = None) -> list[QuoteSummary]:
        """Quotes newest first, optionally by status (see ``QUOTE_FILTERS``)."""
        self._require_team()
        wanted = (status or "").strip().lower() or None
        if wanted is not None and wanted not in QUOTE_FILTERS:
            raise Invalid(
                f"“{status}” is not a quote status; use one of {', '.join(QUOTE_FILTERS)}.",
                field="status",
            )
        today = self.context.today()
        with self._unit() as session:
            query = sa.select(Quote, Client).join(Client, Client.id == Quote.client_id)
            if wanted == "expired":
                query = query.where(
                    sa.or_(
                        Quote.status == QuoteStatus.EXPIRED,
                        sa.and_(Quote.status.in_(_OPEN), Quote.valid_until < today),
                    )
                )
            elif wanted is not None:
                query = query.where(Quote.status == QuoteStatus(wanted))
            rows = session.execute(query.order_by(Quote.id.desc()))
            return [quote_summary(quote, client, today) for quote, client in rows]

    def get_quote(self, reference: Ref) -> QuoteDetail:
        """One quote by id, number ("Q-0007") or spoken number."""
        self._require_team()
        with self._unit() as session:
            return quote_detail(session, self._quote(session, reference), self.context.today())

    def create_quote(
        self,
        client: Ref,
        lines: Sequence[LineInput | Mapping[str, Any]],
        *,
        currency: str | None = None,
        valid_until: date | None = None,
        notes: str | None = None,
    ) -> QuoteDetail:
        """A draft quote numbered from the tax settings; valid 30 days unless told otherwise."""
        self._require_team()
        items = parse_lines(lines)
        code = check_currency(currency or self.context.currency)
        today = self.context.today()
        until = valid_until or today + timedelta(days=QUOTE_VALIDITY_DAYS)
        if until < today:
            raise Invalid(
                f"A quote cannot be valid only until {until:%d %b %Y}, which has passed.",
                field="valid_until",
            )

        def work(session: Session) -> QuoteDetail:
            who = resolve_client(session, client)
            priced = build_lines(session, items, code)
            quote = Quote(
                number=claim_number(session, "quote"),
                client_id=who.id,
                currency=code,
                valid_until=until,
                notes=notes or None,
                created_at=self.context.now(),
            )
            insert_numbered(session, quote)
            replace_lines(session, quote, priced)
            return quote_detail(session, quote, today)

        return self._retrying(work)

    def delete_draft_quote(self, reference: Ref) -> StatusChange:
        """Delete a quote that was never sent (the inverse of ``create_quote``)."""
        self._require_team()
        with self._unit() as session:
            quote = self._quote(session, reference)
            if quote.status is not QuoteStatus.DRAFT:
                raise Conflict(
                    f"{quote.number} is {quote.status.value}; only drafts can be "
                    "deleted. Decline it instead."
                )
            change = StatusChange(
                id=quote.id, number=quote.number, previous_status="draft", status="deleted"
            )
            session.delete(quote)
            return change

    def send_quote(
        self, reference: Ref, *, message: str | None = None, documents_dir: Path | None = None
    ) -> SentDocument:
        """Issue the quote, render its PDF and queue it by e-mail to the client."""
        self._require_team()
        with self._unit() as session:
            quote = self._quote(session, reference)
            if quote.status not in _OPEN:
                raise Conflict(
                    f"{quote.number} is {quote.status.value}; only draft or sent "
                    "quotes can be sent."
                )
            if quote_is_expired(quote, self.context.today()):
                raise Conflict(
                    f"{quote.number} expired on {quote.valid_until:%d %b %Y}; "
                    "create a new quote instead."
                )
            client = session.get_one(Client, quote.client_id)
            mailer = DocumentMailer(self, session, self._folder(documents_dir))
            mailer.recipient(client, quote.number)  # no address: say so before changing anything
            quote.status = QuoteStatus.SENT
            quote.issued_on = quote.issued_on or self.context.today()
            quote.sent_at = self.context.now()
            session.flush()
            return mailer.send(
                quote,
                client,
                subject=f"Quote {quote.number} from {mailer.business.name}",
                body=mailer.quote_body(quote, client, message),
            )

    def accept_quote(self, reference: Ref) -> StatusChange:
        """The client said yes; ``reopen_quote`` undoes it."""
        return self._move_quote(reference, QuoteStatus.ACCEPTED, _OPEN)

    def decline_quote(self, reference: Ref) -> StatusChange:
        """The client said no; ``reopen_quote`` undoes it."""
        return self._move_quote(reference, QuoteStatus.DECLINED, (*_OPEN, QuoteStatus.ACCEPTED))

    def reopen_quote(self, reference: Ref) -> StatusChange:
        """Back to sent (or draft if never sent) after an accept, decline or expiry."""
        allowed = (QuoteStatus.ACCEPTED, QuoteStatus.DECLINED, QuoteStatus.EXPIRED)
        return self._move_quote(reference, None, allowed)

    def _move_quote(
        self, reference: Ref, target: QuoteStatus | None, allowed: tuple[QuoteStatus, ...]
    ) -> StatusChange:
        self._require_team()
        today = self.context.today()
        with self._unit() as session:
            quote = self._quote(session, reference)
            new = target or (QuoteStatus.SENT if quote.sent_at else QuoteStatus.DRAFT)
            if quote.status not in allowed:
                raise Conflict(
                    f"{quote.number} is {quote.status.value}, so it cannot be "
                    f"{'reopened' if target is None else new.value}."
                )
            if target is QuoteStatus.ACCEPTED and quote_is_expired(quote, today):
                raise Conflict(
                    f"{quote.number} expired on {quote.valid_until:%d %b %Y}; "
                    "send a new quote instead."
                )
            previous = quote.status
            quote.status = new
            return StatusChange(
                id=quote.id, number=quote.number, previous_status=previous.value, status=new.value
            )

    def convert_quote_to_invoice(
        self, reference: Ref, *, due_on: date | None = None
    ) -> ConversionResult:
        """A draft invoice with the quote's lines; the quote becomes "converted".

        Deleting that draft invoice (``delete_draft``) puts the quote back to "accepted".
        """
        self._require_team()
        today = self.context.today()
        if due_on is not None and due_on < today:
            raise Invalid(f"The due date {due_on:%d %b %Y} has already passed.", field="due_on")

        def work(session: Session) -> ConversionResult:
            quote = self._quote(session, reference)
            if quote.status is QuoteStatus.CONVERTED:
                done = session.scalars(
                    sa.select(Invoice.number).where(Invoice.quote_id == quote.id)
                ).first()
                raise Conflict(
                    f"{quote.number} was already converted{f' into {done}' if done else ''}."
                )
            if quote.status not in (QuoteStatus.ACCEPTED, QuoteStatus.SENT):
                raise Conflict(
                    f"{quote.number} is {quote.status.value}; only sent or accepted "
                    "quotes can become invoices."
                )
            invoice = Invoice(
                number=claim_number(session, "invoice"),
                client_id=quote.client_id,
                currency=quote.currency,
                quote_id=quote.id,
                notes=quote.notes,
                due_on=due_on or default_due(session, today),
                status=InvoiceStatus.DRAFT,
                created_at=self.context.now(),
            )
            insert_numbered(session, invoice)
            replace_lines(
                session,
                invoice,
                [
                    line_data(line)
                    for line in session.scalars(
                        sa.select(QuoteLine)
                        .where(QuoteLine.quote_id == quote.id)
                        .order_by(QuoteLine.position, QuoteLine.id)
                    )
                ],
            )
            quote.status = QuoteStatus.CONVERTED
            session.flush()
            return ConversionResult(
                quote=quote_detail(session, quote, today),
                invoice=invoice_detail(session, invoice, today),
            )

        return self._retrying(work)
