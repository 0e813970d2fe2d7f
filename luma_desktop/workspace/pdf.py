"""Invoice and quote PDFs rendered with fpdf2.

The renderer takes plain data (:class:`PdfDocument`), never ORM rows, so it can be tested and
reused on its own. It uses the PDF core fonts (Helvetica) with the Windows-1252 encoding the
fonts are declared with (``WinAnsiEncoding``), so "£", "€", accents and typographic quotes
render as themselves; characters outside that set are transliterated ("Ł" → "L", "Ō" → "O")
or replaced by "?" instead of failing the render.
"""

from __future__ import annotations

import os
import tempfile
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from fpdf import FPDF

from .values import format_money

__all__ = ["PdfDocument", "PdfLine", "PdfParty", "pdf_safe", "render_pdf", "write_pdf"]

_ENCODING = "cp1252"
_FALLBACKS = {
    "Ł": "L",
    "ł": "l",
    "Đ": "D",
    "đ": "d",
    "Ħ": "H",
    "ħ": "h",
    "ı": "i",
    "−": "-",
    "‐": "-",
    "‑": "-",
    "→": "->",
    "←": "<-",
    "≤": "<=",
    "≥": ">=",
    "\u00a0": " ",
    "\u202f": " ",
}


def pdf_safe(text: str) -> str:
    """``text`` with every character the core fonts cannot show transliterated or as "?"."""
    out: list[str] = []
    for char in text:
        if _encodable(char):
            out.append(char)
            continue
        if char in _FALLBACKS:
            out.append(_FALLBACKS[char])
            continue
        decomposed = "".join(
            c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c)
        )
        out.append(decomposed if decomposed and _encodable(decomposed) else "?")
    return "".join(out)


def _encodable(text: str) -> bool:
    try:
        text.encode(_ENCODING)
    except UnicodeEncodeError:
        return False
    return True


@dataclass(frozen=True, slots=True)
class PdfParty:
    """The seller or the buyer: a name and the lines printed under it."""

    name: str
    details: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class PdfLine:
    """One row of the lines table (amounts in minor units)."""

    description: str
    quantity: Decimal
    unit_price_minor: int
    vat_rate_bp: int
    net_minor: int
    vat_minor: int


@dataclass(frozen=True, slots=True)
class PdfDocument:
    """Everything printed on an invoice or a quote."""

    title: str
    """"INVOICE" or "QUOTE"."""
    number: str
    currency: str
    seller: PdfParty
    buyer: PdfParty
    lines: tuple[PdfLine, ...]
    subtotal_minor: int
    tax_minor: int
    total_minor: int
    dates: tuple[tuple[str, date | None], ...] = ()
    """Labelled dates ("Issued", "Due"...); ``None`` prints as "-"."""
    paid_minor: int = 0
    notes: str | None = None
    payment_details: tuple[str, ...] = ()
    created_at: datetime | None = None


def _day(value: date | None) -> str:
    return value.strftime("%d %b %Y").lstrip("0") if value else "-"


def _quantity(value: Decimal) -> str:
    return format(value.normalize(), "f")


def _rate(vat_rate_bp: int) -> str:
    return f"{_quantity(Decimal(vat_rate_bp) / 100)}%"


class _Pdf(FPDF):
    """An A4 page with the document number and page count in the footer."""

    footer_text = ""

    def footer(self) -> None:
        self.set_y(-15)
        self.set_font("helvetica", "", 8)
        self.cell(0, 5, f"{self.footer_text} - page {self.page_no()}/{{nb}}", align="C")


class _Renderer:
    def __init__(self, document: PdfDocument) -> None:
        self.doc = document
        self.pdf = _Pdf(format="A4", unit="mm")
        self.pdf.footer_text = pdf_safe(document.number)
        self.pdf.core_fonts_encoding = _ENCODING
        self.pdf.set_margins(18, 18, 18)
        self.pdf.set_auto_page_break(auto=True, margin=20)
        self.pdf.set_title(pdf_safe(f"{document.title.title()} {document.number}"))
        self.pdf.set_author(pdf_safe(document.seller.name))
        self.pdf.set_creator("Luma Desktop")
        if document.created_at is not None:
            self.pdf.set_creation_date(document.created_at)
        self.pdf.alias_nb_pages()

    def money(self, amount_minor: int) -> str:
        return format_money(amount_minor, self.doc.currency)

    def text(
        self, width: float, height: float, value: str, *, align: str = "L", new_line: bool = True
    ) -> None:
        self.pdf.cell(
            width,
            height,
            pdf_safe(value),
            align=align,
            new_x="LMARGIN" if new_line else "RIGHT",
            new_y="NEXT" if new_line else "TOP",
        )

    def header(self) -> None:
        pdf, doc = self.pdf, self.doc
        pdf.add_page()
        top = pdf.get_y()
        pdf.set_font("helvetica", "B", 16)
        self.text(110, 8, doc.seller.name)
        pdf.set_font("helvetica", "", 9)
        for detail in doc.seller.details:
            self.text(110, 4.5, detail)
        bottom = pdf.get_y()
        pdf.set_xy(130, top)
        pdf.set_font("helvetica", "B", 18)
        pdf.cell(62, 8, pdf_safe(doc.title), align="R", new_x="LEFT", new_y="NEXT")
        pdf.set_font("helvetica", "", 10)
        pdf.cell(62, 5.5, pdf_safe(doc.number), align="R", new_x="LEFT", new_y="NEXT")
        for label, value in doc.dates:
            pdf.cell(
                62, 5, pdf_safe(f"{label}: {_day(value)}"), align="R", new_x="LEFT", new_y="NEXT"
            )
        pdf.set_xy(pdf.l_margin, max(bottom, pdf.get_y()) + 8)
        pdf.set_font("helvetica", "B", 10)
        self.text(0, 5, "Bill to" if doc.title == "INVOICE" else "Prepared for")
        pdf.set_font("helvetica", "", 10)
        self.text(0, 5, doc.buyer.name)
        for detail in doc.buyer.details:
            self.text(0, 5, detail)
        pdf.ln(6)

    def lines(self) -> None:
        pdf = self.pdf
        pdf.set_font("helvetica", "", 9.5)
        with pdf.table(
            col_widths=(80, 16, 28, 14, 36),
            text_align=("LEFT", "RIGHT", "RIGHT", "RIGHT", "RIGHT"),
            line_height=5.5,
            first_row_as_headings=True,
            borders_layout="HORIZONTAL_LINES",
        ) as table:
            table.row(("Description", "Qty", "Unit price", "VAT", "Amount"))
            for line in self.doc.lines:
                table.row(
                    (
                        pdf_safe(line.description),
                        _quantity(line.quantity),
                        self.money(line.unit_price_minor),
                        _rate(line.vat_rate_bp),
                        self.money(line.net_minor),
                    )
                )
        pdf.ln(4)

    def totals(self) -> None:
        doc = self.doc
        rows: list[tuple[str, int, bool]] = [("Subtotal", doc.subtotal_minor, False)]
        by_rate: dict[int, int] = {}
        for line in doc.lines:
            by_rate[line.vat_rate_bp] = by_rate.get(line.vat_rate_bp, 0) + line.vat_minor
        rows += [
            (f"VAT {_rate(rate)}", vat, False) for rate, vat in sorted(by_rate.items()) if rate
        ]
        if not any(rate for rate in by_rate):
            rows.append(("VAT", doc.tax_minor, False))
        rows.append(("Total", doc.total_minor, True))
        if doc.paid_minor:
            rows += [
                ("Paid", doc.paid_minor, False),
                ("Balance due", doc.total_minor - doc.paid_minor, True),
            ]
        for label, amount, bold in rows:
            self.pdf.set_font("helvetica", "B" if bold else "", 10)
            self.pdf.set_x(100)
            self.text(52, 6, label, new_line=False)
            self.text(40, 6, self.money(amount), align="R")

    def footer_blocks(self) -> None:
        pdf, doc = self.pdf, self.doc
        for heading, body in (
            ("Notes", (doc.notes,) if doc.notes else ()),
            ("Payment details", doc.payment_details),
        ):
            if not body:
                continue
            pdf.ln(6)
            pdf.set_font("helvetica", "B", 10)
            self.text(0, 5, heading)
            pdf.set_font("helvetica", "", 9.5)
            for paragraph in body:
                pdf.multi_cell(0, 5, pdf_safe(paragraph), new_x="LMARGIN", new_y="NEXT")

    def render(self) -> bytes:
        self.header()
        self.lines()
        self.totals()
        self.footer_blocks()
        return bytes(self.pdf.output())


def render_pdf(document: PdfDocument) -> bytes:
    """The PDF file of ``document`` as bytes."""
    return _Renderer(document).render()


def write_pdf(document: PdfDocument, path: Path) -> Path:
    """Render ``document`` to ``path`` atomically (a reader never sees half a file)."""
    data = render_pdf(document)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=".tmp-", suffix=".pdf", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        Path(temporary).replace(path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path
