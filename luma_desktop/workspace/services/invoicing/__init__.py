"""Invoicing & quotes: numbered invoices with per-line VAT, payments, reminders, quotes, PDFs.

:class:`InvoicingService` covers section 3 of the capability catalog; :func:`apply_payment` is
the one way a payment lands on an invoice (banking reconciliation calls it inside its own
transaction, ``record_payment`` uses it too). PDFs are written under ``documents_dir``
(constructor or per call; default ``<data dir>/documents``) and attached to outbox e-mails.

Reversible writes and their inverses (for ``assistant_undo_last``):

- ``create_invoice`` → ``delete_draft(invoice.id)``
- ``update_invoice`` → ``update_invoice(ref, result.previous)``
- ``record_payment`` → ``remove_payment(result.payment_id)``
- ``void_invoice`` → ``unvoid_invoice(ref)`` (back to sent / partially paid)
- ``create_quote`` → ``delete_draft_quote(quote.id)``
- ``accept_quote``, ``decline_quote`` → ``reopen_quote(ref)`` (sent, or draft if never sent)
- ``convert_quote_to_invoice`` → ``delete_draft(result.invoice.id)`` (quote back to accepted)

Irreversible: ``send_invoice``, ``send_quote`` and ``send_reminder`` (an e-mail was queued;
the PDF is rewritten on every send), ``delete_draft`` and ``delete_draft_quote``. Banking's
reconciliation undo calls :func:`revert_payment`, which also un-reconciles the transaction.

Roles: owners, admins and managers use everything but the revenue report (owners and admins);
staff get nothing; client-portal users may only list and get their own issued invoices —
anyone else's, and drafts, are "not found".
"""

from ._payments import apply_payment, revert_payment
from ._reading import INVOICE_FILTERS
from ._service import InvoicingService
from ._views import (
    ConversionResult,
    InvoiceChanges,
    InvoiceDetail,
    InvoiceSummary,
    InvoiceUpdate,
    LineInput,
    LineView,
    OverdueClient,
    OverdueSummary,
    PaymentResult,
    PaymentView,
    QuoteDetail,
    QuoteSummary,
    ReminderBatch,
    ReminderSent,
    ReminderSkipped,
    RevenueBucket,
    RevenueReport,
    SentDocument,
    StatusChange,
    TaxEstimate,
    VatRateTotal,
)

__all__ = [
    "INVOICE_FILTERS",
    "ConversionResult",
    "InvoiceChanges",
    "InvoiceDetail",
    "InvoiceSummary",
    "InvoiceUpdate",
    "InvoicingService",
    "LineInput",
    "LineView",
    "OverdueClient",
    "OverdueSummary",
    "PaymentResult",
    "PaymentView",
    "QuoteDetail",
    "QuoteSummary",
    "ReminderBatch",
    "ReminderSent",
    "ReminderSkipped",
    "RevenueBucket",
    "RevenueReport",
    "SentDocument",
    "StatusChange",
    "TaxEstimate",
    "VatRateTotal",
    "apply_payment",
    "revert_payment",
]
