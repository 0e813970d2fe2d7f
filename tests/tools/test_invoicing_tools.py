"""Invoicing & quotes tools through the executor, on the demo salon (3 overdue invoices)."""

from datetime import date
from pathlib import Path
from typing import get_args

import pytest
import sqlalchemy as sa

from luma_desktop.errors import Ambiguous, Conflict, Invalid, NotFound, PermissionDenied
from luma_desktop.tools._common import money
from luma_desktop.tools.invoicing._reading import InvoiceFilter, QuoteFilter
from luma_desktop.workspace.models import InvoiceStatus, OutboxItem, QuoteStatus, Role
from luma_desktop.workspace.services.invoicing import INVOICE_FILTERS
from luma_desktop.workspace.services.invoicing._quotes import QUOTE_FILTERS

NOTHING_TO_UNDO = "There is nothing I can undo"
TOOLS = (
    "invoices_list",
    "invoices_get",
    "invoices_overdue_summary",
    "invoices_tax_estimate",
    "invoices_revenue_report",
    "quotes_list",
    "quotes_get",
    "invoices_create",
    "invoices_update",
    "invoices_send",
    "invoices_record_payment",
    "invoices_send_reminder",
    "invoices_void",
    "quotes_create",
    "quotes_send",
    "quotes_convert_to_invoice",
)
VALID_ARGUMENTS = {
    "invoices_list": {},
    "invoices_get": {"invoice": "42"},
    "invoices_overdue_summary": {},
    "invoices_tax_estimate": {},
    "invoices_revenue_report": {},
    "quotes_list": {},
    "quotes_get": {"quote": "1"},
    "invoices_create": {"client": "Sarah Miller", "lines": [{"service": "balayage"}]},
    "invoices_update": {"invoice": "78", "notes": "x"},
    "invoices_send": {"invoice": "78"},
    "invoices_record_payment": {"invoice": "42", "amount": 10, "method": "card"},
    "invoices_send_reminder": {"all_overdue": True},
    "invoices_void": {"invoice": "63", "reason": "duplicate"},
    "quotes_create": {"client": "Hans Mueller", "lines": [{"service": "colour"}]},
    "quotes_send": {"quote": "3"},
    "quotes_convert_to_invoice": {"quote": "1"},
}


def _run(executor, context, tool, arguments):
    return executor.execute(context, tool, arguments)


def _undo(executor, context):
    return executor.execute(context, "assistant_undo_last", {}).summary


def _invoicing(executor, context):
    return executor.services(context).invoicing


def _outbox(executor, owner):
    with executor.workspace.transaction(owner.business_id) as session:
        return [
            (item.recipient, item.subject, list(item.attachments))
            for item in session.scalars(sa.select(OutboxItem).order_by(OutboxItem.id))
        ]


def _state(executor, owner):
    """Everything the invoicing tools can change, to prove a refused call wrote nothing."""
    service = _invoicing(executor, owner)
    invoices = [service.get_invoice(i.id) for i in service.list_invoices()]
    quotes = [service.get_quote(q.id) for q in service.list_quotes()]
    return invoices, quotes, _outbox(executor, owner)


# -- reading ---------------------------------------------------------------------------------


def test_filters_match_the_service():
    assert get_args(InvoiceFilter) == INVOICE_FILTERS
    assert get_args(QuoteFilter) == QUOTE_FILTERS


def test_list_overdue_names_the_three_overdue_invoices(executor, owner):
    result = _run(executor, owner, "invoices_list", {"status": "overdue"})
    assert [i.number for i in result.data] == ["INV-0046", "INV-0042", "INV-0031"]
    assert result.summary == (
        "3 overdue invoice(s), £220.80 outstanding: INV-0046 Callum Lewis £28.80 "
        "(11 days overdue); INV-0042 Olivia Bennett £96.00 (13 days overdue); "
        "INV-0031 Sarah Thompson £96.00 (25 days overdue)."
    )


def test_has_alpine_tech_paid_yet_finds_the_client_by_company(executor, owner):
    everything = _run(executor, owner, "invoices_list", {"client": "Alpine Tech"})
    assert {i.client_name for i in everything.data} == {"Hans Mueller"}
    assert {i.status for i in everything.data} == {InvoiceStatus.PAID, InvoiceStatus.DRAFT}
    unpaid = _run(executor, owner, "invoices_list", {"client": "Alpine Tech", "status": "unpaid"})
    assert unpaid.data == []
    assert unpaid.summary == "No unpaid invoices for Alpine Tech."


def test_list_limit_and_period(executor, owner):
    limited = _run(executor, owner, "invoices_list", {"limit": 2})
    assert len(limited.data) == 2
    assert limited.summary.startswith("78 invoice(s), £568.20 outstanding: ")
    assert limited.summary.endswith(" and 76 more.")
    october = _run(
        executor, owner, "invoices_list", {"start": "2026-10-01", "end": "2026-10-31"}
    ).data
    assert october
    assert all(date(2026, 10, 1) <= i.issued_on <= date(2026, 10, 31) for i in october)


def test_get_invoice_by_spoken_number_with_lines_vat_and_payments(executor, owner):
    by_text = _run(executor, owner, "invoices_get", {"invoice": "INV-0060"})
    assert by_text.summary == (
        "INV-0060 for Ben Brown: £48.00 including £8.00 VAT, 2 line(s); £28.80 outstanding "
        "(£19.20 paid so far), due Fri 20 Nov."
    )
    assert sum(p.amount_minor for p in by_text.data.payments) == 1920
    assert sum(line.net_minor for line in by_text.data.lines) == 4000
    # "invoice 42" is the number people say, even when a model sends it as an integer
    by_number = _run(executor, owner, "invoices_get", {"invoice": 42})
    assert by_number.data.number == "INV-0042"
    assert by_number.summary.endswith("£96.00 outstanding, 13 days overdue.")


def test_overdue_summary_totals_oldest_and_clients(executor, owner):
    result = _run(executor, owner, "invoices_overdue_summary", {})
    assert (result.data.count, result.data.total_outstanding_minor) == (3, 22080)
    assert result.summary == (
        "3 overdue invoice(s), £220.80 outstanding; the oldest is INV-0031 (Sarah Thompson, "
        "25 days). By client: Olivia Bennett £96.00, Sarah Thompson £96.00, Callum Lewis £28.80."
    )


def _issued_between(executor, owner, start, end):
    return [
        i
        for i in _invoicing(executor, owner).list_invoices(start=start, end=end)
        if i.status not in (InvoiceStatus.DRAFT, InvoiceStatus.VOID)
    ]


def test_tax_estimate_for_last_month_and_default_quarter(executor, owner):
    october = _issued_between(executor, owner, date(2026, 10, 1), date(2026, 10, 31))
    result = _run(executor, owner, "invoices_tax_estimate", {"period": "last_month"})
    assert (result.data.start, result.data.end) == (date(2026, 10, 1), date(2026, 10, 31))
    assert result.data.vat_minor == sum(i.tax_minor for i in october)
    assert result.data.invoice_count == len(october)
    assert result.summary == (
        f"VAT charged 1 Oct – 31 Oct 2026: {money(result.data.vat_minor, 'GBP')} on "
        f"{money(result.data.net_minor, 'GBP')} net, from {len(october)} issued invoice(s)."
    )
    custom = _run(
        executor, owner, "invoices_tax_estimate", {"start": "2026-10-01", "end": "2026-10-31"}
    )
    assert custom.data == result.data
    quarter = _run(executor, owner, "invoices_tax_estimate", {}).data
    assert (quarter.start, quarter.end) == (date(2026, 10, 1), date(2026, 12, 31))


def test_revenue_report_by_month_for_owner_and_admin(executor, owner, as_role):
    year = _issued_between(executor, owner, date(2026, 1, 1), date(2026, 12, 31))
    result = _run(executor, owner, "invoices_revenue_report", {})
    assert len(result.data.buckets) == 12
    assert result.data.invoiced_minor == sum(i.total_minor for i in year)
    assert result.summary.startswith(
        f"1 Jan – 31 Dec 2026: invoiced {money(result.data.invoiced_minor, 'GBP')}, "
        f"received {money(result.data.paid_minor, 'GBP')}."
    )
    assert "Nov: " in result.summary
    weekly = _run(
        executor,
        as_role(Role.ADMIN),
        "invoices_revenue_report",
        {"period": "this_month", "granularity": "week"},
    )
    assert weekly.data.buckets[0].start == date(2026, 11, 1)
    assert weekly.data.buckets[1].start == date(2026, 11, 2)
    assert "week of Mon 2 Nov: " in weekly.summary


def test_quotes_list_and_get(executor, owner):
    listed = _run(executor, owner, "quotes_list", {"status": "sent"})
    assert [q.number for q in listed.data] == ["Q-0002"]
    assert listed.summary == (
        "1 sent quote(s): Q-0002 Sarah Thompson £384.00 (sent, valid until Wed 16 Dec)."
    )
    one = _run(executor, owner, "quotes_get", {"quote": 1})
    assert one.data.number == "Q-0001"
    assert one.summary == (
        "Q-0001 for Hans Mueller: £464.40 including £77.40 VAT, 4 line(s); accepted."
    )


# -- invoice writes --------------------------------------------------------------------------

BALAYAGE_AND_TREATMENT = [
    {"service": "balayage"},
    {"description": "Deep conditioning", "quantity": 2, "unit_price": "12.50", "vat_rate": 20},
]


def test_create_from_a_service_and_free_text_then_undo(executor, owner):
    result = _run(
        executor,
        owner,
        "invoices_create",
        {"client": "Sarah Miller", "lines": BALAYAGE_AND_TREATMENT},
    )
    invoice = result.data
    assert result.summary == (
        "Drafted INV-0079 for Sarah Miller: £180.00 including £30.00 VAT, due Wed 2 Dec. "
        "It is not sent yet."
    )
    assert [(line.description, line.net_minor, line.vat_minor) for line in invoice.lines] == [
        ("Balayage", 12500, 2500),
        ("Deep conditioning", 2500, 500),
    ]
    assert invoice.status is InvoiceStatus.DRAFT
    assert _undo(executor, owner) == "Undone: delete the draft invoice INV-0079."
    with pytest.raises(NotFound):
        _run(executor, owner, "invoices_get", {"invoice": "INV-0079"})


def test_update_a_draft_and_undo_restores_lines_due_date_and_notes(executor, owner):
    _run(
        executor,
        owner,
        "invoices_create",
        {"client": "Sarah Miller", "lines": BALAYAGE_AND_TREATMENT, "notes": "Thank you"},
    )
    updated = _run(
        executor,
        owner,
        "invoices_update",
        {
            "invoice": "79",
            "lines": [{"service": "men's cut"}],
            "due": "2026-12-20",
            "notes": "",
        },
    )
    assert updated.summary == (
        "Updated draft INV-0079 for Sarah Miller: £28.80 including £4.80 VAT, due Sun 20 Dec."
    )
    assert updated.data.notes is None
    assert _undo(executor, owner) == "Undone: put draft INV-0079 back as it was."
    back = _run(executor, owner, "invoices_get", {"invoice": "79"}).data
    assert (back.total_minor, back.due_on, back.notes) == (18000, date(2026, 12, 2), "Thank you")
    assert [line.description for line in back.lines] == ["Balayage", "Deep conditioning"]


def test_a_draft_without_due_date_says_its_new_date_cannot_be_undone(executor, owner):
    assert _invoicing(executor, owner).get_invoice("INV-0078").due_on is None
    result = _run(executor, owner, "invoices_update", {"invoice": "78", "due": "2026-12-20"})
    assert result.summary.endswith("The new due date cannot be undone: the draft had none before.")
    assert _undo(executor, owner).startswith(NOTHING_TO_UNDO)


def test_send_issues_renders_the_pdf_and_queues_it(executor, owner, tmp_path):
    result = _run(executor, owner, "invoices_send", {"invoice": "INV-0078"})
    assert result.summary == (
        "Issued INV-0078 (£21.60) and queued it by e-mail to callum_lewis@example.net with "
        "the PDF attached. Sent messages can't be undone."
    )
    pdf = Path(result.data.pdf_path)
    assert pdf.is_file()
    assert pdf.read_bytes().startswith(b"%PDF")
    assert pdf.is_relative_to(tmp_path / "files" / f"business-{owner.business_id}" / "documents")
    recipient, subject, attachments = _outbox(executor, owner)[-1]
    assert (recipient, attachments) == ("callum_lewis@example.net", [str(pdf)])
    assert subject.startswith("Invoice INV-0078 from ")
    sent = _invoicing(executor, owner).get_invoice("INV-0078")
    assert (sent.status, sent.issued_on, sent.due_on) == (
        InvoiceStatus.SENT,
        date(2026, 11, 18),
        date(2026, 12, 2),
    )
    assert _undo(executor, owner).startswith(NOTHING_TO_UNDO)


def test_send_to_a_client_without_email_writes_nothing(executor, owner):
    _run(
        executor,
        owner,
        "invoices_create",
        {"client": "Megan Rossi", "lines": [{"service": "brow"}]},
    )
    before = _state(executor, owner)
    with pytest.raises(Invalid, match="Megan Rossi has no e-mail address"):
        _run(executor, owner, "invoices_send", {"invoice": "79"})
    assert _state(executor, owner) == before


def test_partial_payment_then_undo(executor, owner):
    result = _run(
        executor,
        owner,
        "invoices_record_payment",
        {"invoice": "42", "amount": "50", "method": "bank_transfer", "reference": "OB-1"},
    )
    assert result.summary == (
        "Recorded £50.00 by bank transfer on INV-0042 (Olivia Bennett); "
        "£46.00 is still outstanding."
    )
    assert result.data.status is InvoiceStatus.PARTIALLY_PAID
    assert _undo(executor, owner) == "Undone: remove the £50.00 payment from INV-0042."
    back = _invoicing(executor, owner).get_invoice("INV-0042")
    assert (back.status, back.paid_minor, back.payments) == (InvoiceStatus.SENT, 0, ())


def test_full_payment_marks_paid(executor, owner):
    result = _run(
        executor,
        owner,
        "invoices_record_payment",
        {"invoice": "INV-0060", "amount": 28.8, "method": "cash", "paid_on": "yesterday"},
    )
    assert result.summary.endswith("it is now paid in full.")
    assert result.data.payments[-1].paid_on == date(2026, 11, 17)


def test_chase_the_overdue_ones_then_nothing_twice_a_day(executor, owner):
    before = len(_outbox(executor, owner))
    result = _run(executor, owner, "invoices_send_reminder", {"all_overdue": True})
    assert [r.number for r in result.data.sent] == ["INV-0031", "INV-0042", "INV-0046"]
    assert result.summary.startswith(
        "Sent 3 payment reminder(s) with the invoice attached: INV-0031 to Sarah Thompson "
        "(£96.00, 25 days overdue);"
    )
    queued = _outbox(executor, owner)[before:]
    assert [q[0] for q in queued] == [
        "sarah.t.design@example.com",
        "olivia.bennett@example.org",
        "callum_lewis@example.net",
    ]
    for _, subject, (attachment,) in queued:
        assert subject.startswith("Reminder: invoice ")
        assert Path(attachment).is_file()
    again = _run(executor, owner, "invoices_send_reminder", {"all_overdue": True})
    assert again.data.sent == ()
    assert again.summary.startswith("No reminders sent. Skipped INV-0031 (already reminded today)")
    assert len(_outbox(executor, owner)) == before + 3


def test_reminder_for_one_invoice(executor, owner):
    result = _run(executor, owner, "invoices_send_reminder", {"invoice": "INV-0060"})
    (sent,) = result.data.sent
    assert (sent.number, sent.balance_minor, sent.days_overdue) == ("INV-0060", 2880, 0)
    assert result.summary == (
        "Sent 1 payment reminder(s) with the invoice attached: INV-0060 to Ben Brown (£28.80)."
    )


def test_void_then_undo_restores_the_invoice(executor, owner):
    result = _run(
        executor, owner, "invoices_void", {"invoice": "INV-0063", "reason": "billed twice"}
    )
    assert result.summary == "Voided INV-0063 (billed twice); it keeps its number on record."
    assert _invoicing(executor, owner).get_invoice("63").status is InvoiceStatus.VOID
    assert _undo(executor, owner) == "Undone: restore INV-0063 as sent."
    back = _invoicing(executor, owner).get_invoice("63")
    assert (back.status, back.void_reason) == (InvoiceStatus.SENT, None)


# -- quote writes ----------------------------------------------------------------------------


def test_create_quote_then_undo(executor, owner):
    result = _run(
        executor,
        owner,
        "quotes_create",
        {"client": "Hans Mueller", "lines": [{"service": "colour"}], "valid_until": "1 december"},
    )
    assert result.summary == (
        "Drafted quote Q-0005 for Hans Mueller: £96.00 including £16.00 VAT, valid until "
        "Tue 1 Dec. It is not sent yet."
    )
    assert _undo(executor, owner) == "Undone: delete the draft quote Q-0005."
    with pytest.raises(NotFound):
        _run(executor, owner, "quotes_get", {"quote": "Q-0005"})


def test_send_quote_renders_the_pdf_and_queues_it(executor, owner):
    result = _run(executor, owner, "quotes_send", {"quote": "Q-0003", "message": "See you!"})
    assert result.summary.startswith(
        "Sent quote Q-0003 (£198.00): queued by e-mail to olivia.bennett@example.org"
    )
    pdf = Path(result.data.pdf_path)
    assert pdf.read_bytes().startswith(b"%PDF")
    recipient, subject, attachments = _outbox(executor, owner)[-1]
    assert (recipient, attachments) == ("olivia.bennett@example.org", [str(pdf)])
    assert subject.startswith("Quote Q-0003 from ")
    assert _invoicing(executor, owner).get_quote("Q-0003").status is QuoteStatus.SENT
    assert _undo(executor, owner).startswith(NOTHING_TO_UNDO)


def test_convert_an_accepted_quote_and_undo(executor, owner):
    result = _run(executor, owner, "quotes_convert_to_invoice", {"quote": "Q-0001"})
    invoice = result.data.invoice
    assert result.summary == (
        "Turned Q-0001 into draft invoice INV-0079 for Hans Mueller: £464.40, due Wed 2 Dec. "
        "It is not sent yet."
    )
    assert (invoice.status, invoice.quote_id, len(invoice.lines)) == (InvoiceStatus.DRAFT, 1, 4)
    assert result.data.quote.status is QuoteStatus.CONVERTED
    assert _undo(executor, owner) == (
        "Undone: delete the draft invoice INV-0079 and put Q-0001 back to accepted."
    )
    assert _invoicing(executor, owner).get_quote("Q-0001").status is QuoteStatus.ACCEPTED
    with pytest.raises(NotFound):
        _invoicing(executor, owner).get_invoice("INV-0079")


def test_undo_of_converting_a_sent_quote_puts_it_back_to_sent(executor, owner):
    _run(executor, owner, "quotes_convert_to_invoice", {"quote": "2", "due": "2026-12-31"})
    _undo(executor, owner)
    assert _invoicing(executor, owner).get_quote("Q-0002").status is QuoteStatus.SENT


# -- bad input -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("tool", "arguments", "refusal"),
    [
        pytest.param("invoices_list", {"status": "late"}, (Invalid, "status"), id="list-status"),
        pytest.param(
            "invoices_list",
            {"start": "2026-11-10", "end": "2026-11-01"},
            (Invalid, "ends"),
            id="list-backwards-period",
        ),
        pytest.param("invoices_get", {"invoice": "INV-9999"}, (NotFound, "9999"), id="get-missing"),
        pytest.param(
            "invoices_tax_estimate",
            {"period": "last_month", "start": "2026-10-01"},
            (Invalid, "not both"),
            id="tax-period-and-days",
        ),
        pytest.param(
            "invoices_revenue_report",
            {"granularity": "day"},
            (Invalid, "granularity"),
            id="revenue-granularity",
        ),
        pytest.param("quotes_list", {"status": "open"}, (Invalid, "status"), id="quotes-status"),
        pytest.param("quotes_get", {"quote": "Q-0099"}, (NotFound, "Q-0099"), id="quote-missing"),
        pytest.param(
            "invoices_create",
            {"client": "Sarah Miller", "lines": []},
            (Invalid, "lines"),
            id="create-no-lines",
        ),
        pytest.param(
            "invoices_create",
            {"client": "Sarah Miller", "lines": [{"description": "Consultation"}]},
            (Invalid, "needs a unit price"),
            id="create-free-text-without-price",
        ),
        pytest.param(
            "invoices_create",
            {"client": "Sarah Miller", "lines": [{"service": "balayage"}], "due": "yesterday"},
            (Invalid, "already passed"),
            id="create-past-due",
        ),
        pytest.param(
            "invoices_create",
            {"client": "Sarah", "lines": [{"service": "balayage"}]},
            (Ambiguous, "Sarah"),
            id="create-ambiguous-client",
        ),
        pytest.param(
            "invoices_create",
            {"client": "Sarah Miller", "lines": [{"service": "balayage", "vat_rate": 120}]},
            (Invalid, "vat_rate"),
            id="create-vat-over-100",
        ),
        pytest.param(
            "invoices_create",
            {"client": "Sarah Miller", "lines": [{"service": "balayage"}], "business_id": 2},
            (Invalid, "not an argument"),
            id="create-forged-scope",
        ),
        pytest.param(
            "invoices_update", {"invoice": "78"}, (Invalid, "what to change"), id="update-nothing"
        ),
        pytest.param(
            "invoices_update",
            {"invoice": "42", "notes": "x"},
            (Conflict, "only drafts"),
            id="update-issued",
        ),
        pytest.param("invoices_send", {"invoice": "70"}, (Conflict, "paid"), id="send-paid"),
        pytest.param(
            "invoices_record_payment",
            {"invoice": "42", "amount": 500, "method": "card"},
            (Invalid, "more than INV-0042 owes"),
            id="payment-over-balance",
        ),
        pytest.param(
            "invoices_record_payment",
            {"invoice": "42", "amount": 0, "method": "card"},
            (Invalid, "amount"),
            id="payment-zero",
        ),
        pytest.param(
            "invoices_record_payment",
            {"invoice": "42", "amount": 10, "method": "bitcoin"},
            (Invalid, "method"),
            id="payment-method",
        ),
        pytest.param(
            "invoices_record_payment",
            {"invoice": "78", "amount": 10, "method": "card"},
            (Conflict, "draft"),
            id="payment-on-draft",
        ),
        pytest.param(
            "invoices_send_reminder",
            {"invoice": "42", "all_overdue": True},
            (Invalid, "not both"),
            id="reminder-both",
        ),
        pytest.param("invoices_send_reminder", {}, (Invalid, "not both"), id="reminder-neither"),
        pytest.param(
            "invoices_send_reminder",
            {"invoice": "70"},
            (Conflict, "not fully paid"),
            id="reminder-paid",
        ),
        pytest.param(
            "invoices_void",
            {"invoice": "63", "reason": ""},
            (Invalid, "reason"),
            id="void-no-reason",
        ),
        pytest.param(
            "invoices_void",
            {"invoice": "78", "reason": "oops"},
            (Conflict, "delete it instead"),
            id="void-draft",
        ),
        pytest.param(
            "invoices_void",
            {"invoice": "60", "reason": "oops"},
            (Conflict, "payments recorded"),
            id="void-with-payments",
        ),
        pytest.param(
            "quotes_create",
            {"client": "Hans Mueller", "lines": [{"service": "colour"}], "currency": "pounds"},
            (Invalid, "currency"),
            id="quote-currency",
        ),
        pytest.param(
            "quotes_create",
            {"client": "Hans Mueller", "lines": [{"service": "colour", "product": "gel"}]},
            (Invalid, "pick one"),
            id="quote-service-and-product",
        ),
        pytest.param("quotes_send", {"quote": "4"}, (Conflict, "declined"), id="send-declined"),
        pytest.param(
            "quotes_convert_to_invoice", {"quote": "3"}, (Conflict, "draft"), id="convert-draft"
        ),
    ],
)
def test_bad_input_is_refused_and_writes_nothing(executor, owner, tool, arguments, refusal):
    error, message = refusal
    before = _state(executor, owner)
    with pytest.raises(error, match=message):
        _run(executor, owner, tool, arguments)
    assert _state(executor, owner) == before


# -- roles -----------------------------------------------------------------------------------


@pytest.mark.parametrize("tool", TOOLS)
def test_staff_cannot_see_or_run_invoicing(executor, as_role, tool):
    staff = as_role(Role.STAFF)
    assert tool not in {t.name for t in executor.accessible_tools(staff)}
    with pytest.raises(PermissionDenied):
        _run(executor, staff, tool, VALID_ARGUMENTS[tool])


@pytest.mark.parametrize("tool", [t for t in TOOLS if t not in ("invoices_list", "invoices_get")])
def test_client_portal_runs_only_list_and_get(executor, as_role, tool):
    client = as_role(Role.CLIENT)
    visible = {t.name for t in executor.accessible_tools(client) if t.domain == "invoicing"}
    assert visible == {"invoices_list", "invoices_get"}
    with pytest.raises(PermissionDenied):
        _run(executor, client, tool, VALID_ARGUMENTS[tool])


def test_manager_uses_invoicing_but_not_the_revenue_report(executor, as_role):
    manager = as_role(Role.MANAGER)
    visible = {t.name for t in executor.accessible_tools(manager)}
    assert set(TOOLS) - visible == {"invoices_revenue_report"}
    with pytest.raises(PermissionDenied):
        _run(executor, manager, "invoices_revenue_report", {})
    created = _run(executor, manager, "invoices_create", VALID_ARGUMENTS["invoices_create"])
    assert created.data.number == "INV-0079"


def test_portal_client_sees_only_their_own_issued_invoices(executor, owner, as_role):
    olivia = as_role(Role.CLIENT)
    _run(
        executor,
        owner,
        "invoices_create",
        {"client": olivia.client_id, "lines": [{"service": "facial"}]},
    )
    mine = _run(executor, olivia, "invoices_list", {"limit": 200}).data
    assert [i.number for i in mine] == ["INV-0071", "INV-0048", "INV-0042"]
    assert {i.client_id for i in mine} == {olivia.client_id}
    # another client's name is ignored: the portal only ever lists its own
    forged = _run(executor, olivia, "invoices_list", {"client": "Sarah Thompson"}).data
    assert [i.number for i in forged] == [i.number for i in mine[:20]]
    own = _run(executor, olivia, "invoices_get", {"invoice": "42"})
    assert own.data.client_name == "Olivia Bennett"
    with pytest.raises(NotFound):
        _run(executor, olivia, "invoices_get", {"invoice": "INV-0031"})  # Sarah Thompson's
    with pytest.raises(NotFound):
        _run(executor, olivia, "invoices_get", {"invoice": "INV-0079"})  # her own draft
