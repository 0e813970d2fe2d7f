"""Read side of invoicing: lists, one invoice, overdue summary, VAT estimate, revenue report."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from typing import Literal

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ....errors import Invalid
from ...models import Client, Invoice, InvoiceLine, InvoiceStatus, Payment, TaxSettings
from ...values import local_day_bounds
from .._references import Ref, resolve_client
from ._base import InvoicingBase
from ._documents import check_currency
from ._views import (
    InvoiceDetail,
    InvoiceSummary,
    OverdueClient,
    OverdueSummary,
    RevenueBucket,
    RevenueReport,
    TaxEstimate,
    VatRateTotal,
    invoice_detail,
    invoice_summary,
)

__all__ = ["INVOICE_FILTERS", "InvoiceReading"]

INVOICE_FILTERS = ("draft", "sent", "partially_paid", "paid", "void", "overdue", "unpaid")
"""``status`` values of ``list_invoices``: a stored status, "overdue" (derived) or "unpaid"."""
_UNPAID = (InvoiceStatus.SENT, InvoiceStatus.PARTIALLY_PAID)
_COUNTED = (InvoiceStatus.SENT, InvoiceStatus.PARTIALLY_PAID, InvoiceStatus.PAID)
_MAX_BUCKETS = 400


def check_period(start: date, end: date) -> None:
    if end < start:
        raise Invalid(
            f"The period ends ({end:%d %b %Y}) before it starts ({start:%d %b %Y}).", field="period"
        )


class InvoiceReading(InvoicingBase):
    """Invoice queries; every method is one read-only transaction."""

    def list_invoices(
        self,
        *,
        status: str | None = None,
        client: Ref | None = None,
        start: date | None = None,
        end: date | None = None,
    ) -> list[InvoiceSummary]:
        """Invoices newest first, by status (see ``INVOICE_FILTERS``), client and period.

        The period applies to the issue date (the creation day for drafts), both ends included.
        Portal users only ever see their own issued invoices.
        """
        self._require_reader()
        wanted = (status or "").strip().lower().replace(" ", "_") or None
        if wanted is not None and wanted not in INVOICE_FILTERS:
            raise Invalid(
                f"“{status}” is not an invoice status; use one of {', '.join(INVOICE_FILTERS)}.",
                field="status",
            )
        if start and end:
            check_period(start, end)
        today = self.context.today()
        with self._unit() as session:
            query = sa.select(Invoice, Client).join(Client, Client.id == Invoice.client_id)
            if self._is_portal:
                query = query.where(
                    Invoice.client_id == self.context.client_id,
                    Invoice.status != InvoiceStatus.DRAFT,
                )
            elif client is not None:
                query = query.where(
                    Invoice.client_id == resolve_client(session, client, include_deleted=True).id
                )
            query = query.where(
                *self._status_filter(wanted, today), *self._period_filter(start, end)
            )
            rows = session.execute(
                query.order_by(
                    sa.func.coalesce(Invoice.issued_on, Invoice.due_on).desc(), Invoice.id.desc()
                )
            )
            return [invoice_summary(inv, cli, today) for inv, cli in rows]

    @staticmethod
    def _status_filter(wanted: str | None, today: date) -> list[sa.ColumnElement[bool]]:
        if wanted == "overdue":
            return [Invoice.status.in_(_UNPAID), Invoice.due_on < today]
        if wanted == "unpaid":
            return [Invoice.status.in_(_UNPAID)]
        if wanted is not None:
            return [Invoice.status == InvoiceStatus(wanted)]
        return []

    def _period_filter(self, start: date | None, end: date | None) -> list[sa.ColumnElement[bool]]:
        tz, where = self.context.tz, []
        if start is not None:
            first = local_day_bounds(start, tz)[0]
            where.append(
                sa.or_(
                    Invoice.issued_on >= start,
                    sa.and_(Invoice.issued_on.is_(None), Invoice.created_at >= first),
                )
            )
        if end is not None:
            last = local_day_bounds(end, tz)[1]
            where.append(
                sa.or_(
                    Invoice.issued_on <= end,
                    sa.and_(Invoice.issued_on.is_(None), Invoice.created_at < last),
                )
            )
        return where

    def get_invoice(self, reference: Ref) -> InvoiceDetail:
        """One invoice by id, number ("INV-0042") or spoken number ("#42", "42")."""
        self._require_reader()
        with self._unit() as session:
            return invoice_detail(session, self._invoice(session, reference), self.context.today())

    def overdue_summary(self) -> OverdueSummary:
        """How many invoices are overdue today, what they add up to, the oldest, per client."""
        self._require_team()
        today = self.context.today()
        with self._unit() as session:
            rows = session.execute(
                sa.select(Invoice, Client)
                .join(Client, Client.id == Invoice.client_id)
                .where(Invoice.status.in_(_UNPAID), Invoice.due_on < today)
                .order_by(Invoice.due_on, Invoice.id)
            ).all()
        by_currency: dict[str, int] = defaultdict(int)
        per_client: dict[tuple[int, str], list[InvoiceSummary]] = defaultdict(list)
        summaries = []
        for invoice, client in rows:
            summary = invoice_summary(invoice, client, today)
            summaries.append(summary)
            by_currency[invoice.currency] += summary.balance_minor
            per_client[(client.id, invoice.currency)].append(summary)
        clients = sorted(
            (
                OverdueClient(
                    client_id=cid,
                    client_name=items[0].client_name,
                    count=len(items),
                    outstanding_minor=sum(i.balance_minor for i in items),
                    currency=cur,
                    oldest_due_on=min(i.due_on or today for i in items),
                    max_days_overdue=max(i.days_overdue for i in items),
                )
                for (cid, cur), items in per_client.items()
            ),
            key=lambda c: (-c.outstanding_minor, c.client_name),
        )
        return OverdueSummary(
            count=len(summaries),
            currency=self.context.currency,
            total_outstanding_minor=by_currency.get(self.context.currency, 0),
            outstanding_by_currency=dict(by_currency),
            oldest=summaries[0] if summaries else None,
            clients=tuple(clients),
        )

    def tax_estimate(self, start: date, end: date, *, currency: str | None = None) -> TaxEstimate:
        """VAT charged on invoices issued from ``start`` to ``end`` (void and drafts excluded)."""
        self._require_team()
        check_period(start, end)
        code = check_currency(currency or self.context.currency)
        with self._unit() as session:
            settings = session.scalars(sa.select(TaxSettings)).first()
            registered = settings is not None and settings.vat_registered
            rows = session.execute(
                sa.select(
                    InvoiceLine.vat_rate_bp,
                    sa.func.sum(InvoiceLine.net_minor),
                    sa.func.sum(InvoiceLine.vat_minor),
                    sa.func.count(sa.distinct(InvoiceLine.invoice_id)),
                )
                .join(Invoice, Invoice.id == InvoiceLine.invoice_id)
                .where(*self._issued_in(start, end, code))
                .group_by(InvoiceLine.vat_rate_bp)
                .order_by(InvoiceLine.vat_rate_bp)
            ).all()
            count = (
                session.scalar(
                    sa.select(sa.func.count(Invoice.id)).where(*self._issued_in(start, end, code))
                )
                or 0
            )
        rates = tuple(
            VatRateTotal(
                vat_rate_bp=rate,
                net_minor=int(net or 0),
                vat_minor=int(vat or 0),
                invoice_count=int(n),
            )
            for rate, net, vat, n in rows
        )
        return TaxEstimate(
            start=start,
            end=end,
            currency=code,
            vat_registered=registered,
            invoice_count=count,
            net_minor=sum(r.net_minor for r in rates),
            vat_minor=sum(r.vat_minor for r in rates),
            rates=rates,
        )

    @staticmethod
    def _issued_in(start: date, end: date, currency: str) -> tuple[sa.ColumnElement[bool], ...]:
        return (
            Invoice.status.in_(_COUNTED),
            Invoice.issued_on >= start,
            Invoice.issued_on <= end,
            Invoice.currency == currency,
        )

    def revenue_report(
        self,
        start: date,
        end: date,
        *,
        granularity: Literal["month", "week"] = "month",
        currency: str | None = None,
    ) -> RevenueReport:
        """Invoiced (by issue date) against paid (by payment date) per month or week."""
        self._require_admin()
        check_period(start, end)
        if granularity not in ("month", "week"):
            raise Invalid(
                f"“{granularity}” is not a granularity; use month or week.", field="granularity"
            )
        code = check_currency(currency or self.context.currency)
        spans = _buckets(start, end, granularity)
        with self._unit() as session:
            invoiced = session.execute(
                sa.select(Invoice.issued_on, Invoice.total_minor).where(
                    *self._issued_in(start, end, code)
                )
            ).all()
            paid = self._payments(session, start, end, code)
        buckets = []
        for first, last in spans:
            issued = [total for day, total in invoiced if day and first <= day <= last]
            received = [amount for day, amount in paid if first <= day <= last]
            buckets.append(
                RevenueBucket(
                    start=first,
                    end=last,
                    invoiced_minor=sum(issued),
                    invoice_count=len(issued),
                    paid_minor=sum(received),
                    payment_count=len(received),
                )
            )
        return RevenueReport(
            start=start,
            end=end,
            granularity=granularity,
            currency=code,
            invoiced_minor=sum(b.invoiced_minor for b in buckets),
            paid_minor=sum(b.paid_minor for b in buckets),
            buckets=tuple(buckets),
        )

    @staticmethod
    def _payments(session: Session, start: date, end: date, code: str) -> list[tuple[date, int]]:
        return list(
            session.execute(
                sa.select(Payment.paid_on, Payment.amount_minor).where(
                    Payment.paid_on >= start, Payment.paid_on <= end, Payment.currency == code
                )
            ).all()
        )


def _buckets(start: date, end: date, granularity: str) -> list[tuple[date, date]]:
    """Calendar months or Monday-to-Sunday weeks covering the period, clipped to it."""
    spans: list[tuple[date, date]] = []
    cursor = start
    while cursor <= end:
        if granularity == "week":
            following = cursor - timedelta(days=cursor.weekday()) + timedelta(days=7)
        else:
            following = (cursor.replace(day=1) + timedelta(days=32)).replace(day=1)
        spans.append((cursor, min(end, following - timedelta(days=1))))
        cursor = following
        if len(spans) > _MAX_BUCKETS:
            raise Invalid(
                f"That period is too long for a {granularity}ly report; "
                "choose a shorter one or a coarser granularity.",
                field="period",
            )
    return spans
