"""The invoice/quote PDF renderer on its own: encoding, long documents, atomic writes."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from luma_desktop.workspace.pdf import (
    PdfDocument,
    PdfLine,
    PdfParty,
    pdf_safe,
    render_pdf,
    write_pdf,
)

from .test_invoicing import pdf_text


def document(lines: int = 1, currency: str = "EUR", **extra: object) -> PdfDocument:
    rows = tuple(
        PdfLine(f"Item {i} — “special” Zoë", Decimal("2.500"), 1000, 1900, 2500, 475)
        for i in range(1, lines + 1)
    )
    fields: dict[str, object] = {
        "title": "INVOICE",
        "number": "RE-2026-0042",
        "currency": currency,
        "seller": PdfParty("Łukasz Café", ("Hauptstraße 5", "10115 Berlin")),
        "buyer": PdfParty("Ōsaka Trading ★", ("buyer@example.com",)),
        "lines": rows,
        "subtotal_minor": 2500 * lines,
        "tax_minor": 475 * lines,
        "total_minor": 2975 * lines,
        "dates": (("Issued", date(2026, 11, 18)), ("Due", None)),
        "created_at": datetime(2026, 11, 18, tzinfo=UTC),
        **extra,
    }
    return PdfDocument(**fields)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("£12 €5 Zoë “ok”", "£12 €5 Zoë “ok”"),
        ("Łódź", "Lódz"),
        ("Ōsaka ★", "Osaka ?"),
        ("a−b → c", "a-b -> c"),
        ("東京", "??"),
    ],
    ids=["cp1252-kept", "polish", "macron-and-symbol", "math", "cjk"],
)
def test_pdf_safe_keeps_what_the_core_fonts_show_and_transliterates_the_rest(
    text: str, expected: str
) -> None:
    assert pdf_safe(text) == expected


def test_render_writes_euro_and_transliterated_names() -> None:
    text = pdf_text(render_pdf(document(paid_minor=1000)))
    for expected in (
        "(Lukasz Caf\xe9)",
        "(Osaka Trading ?)",
        "(\u20ac25.00)",
        "(Due: -)",
        "(19%)",
        "(2.5)",
        "(Balance due)",
        "(\u20ac19.75)",
        "(VAT 19%)",
    ):
        assert expected.encode("cp1252") in text, expected


def test_long_documents_break_across_pages_with_a_footer() -> None:
    data = render_pdf(document(lines=60))
    assert b"/Count 2" in data
    text = pdf_text(data)
    assert b"(Item 60 \x97 \x93special\x94 Zo\xeb)" in text
    # fpdf2 draws the page-count alias as its own string: "(... page 1/) Tj (2) Tj"
    assert b"(RE-2026-0042 - page 1/) Tj (2)" in text
    assert b"(RE-2026-0042 - page 2/) Tj (2)" in text


def test_write_pdf_is_atomic_and_creates_folders(tmp_path: Path) -> None:
    target = tmp_path / "a" / "b" / "invoice.pdf"
    assert write_pdf(document(currency="CHF"), target) == target
    assert target.read_bytes().startswith(b"%PDF")
    assert list(target.parent.iterdir()) == [target]
    assert b"(CHF 25.00)" in pdf_text(target.read_bytes())
