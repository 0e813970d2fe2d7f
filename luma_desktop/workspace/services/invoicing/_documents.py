"""What invoices and quotes share: lines from free text/services/products, totals, numbering."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Literal

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ....errors import Conflict, Invalid, NotFound
from ...models import Invoice, InvoiceLine, Product, Quote, QuoteLine, TaxSettings
from ...values import format_money, line_amounts, numbered_reference
from .._matching import Option, match_one
from .._references import Ref, resolve_service
from ._views import LineInput

__all__ = [
    "LineData",
    "NumberClash",
    "build_lines",
    "check_currency",
    "claim_number",
    "default_due",
    "insert_numbered",
    "line_data",
    "replace_lines",
    "resolve_product",
    "tax_settings",
]

_CURRENCY = re.compile(r"^[A-Z]{3}$")
_MAX_LINES = 200


class NumberClash(Conflict):
    """Another writer took the document number between our check and our insert."""


@dataclass(frozen=True, slots=True)
class LineData:
    """A validated line, ready to be stored on an invoice or a quote."""

    description: str
    quantity: Decimal
    unit_price_minor: int
    vat_rate_bp: int
    net_minor: int
    vat_minor: int
    service_id: int | None
    product_id: int | None


def check_currency(code: str) -> str:
    """An ISO 4217 code in upper case, or :class:`Invalid`."""
    value = code.strip().upper()
    if not _CURRENCY.match(value):
        raise Invalid(
            f"“{code}” is not a currency code (use three letters such as GBP).", field="currency"
        )
    return value


def tax_settings(session: Session) -> TaxSettings:
    """The business's tax settings, created with the defaults when it has none yet."""
    settings = session.scalars(sa.select(TaxSettings)).first()
    if settings is None:
        settings = TaxSettings()
        session.add(settings)
        session.flush()
    return settings


def resolve_product(session: Session, reference: Ref) -> Product:
    """A product by id, SKU or (fuzzy) name."""
    if isinstance(reference, int):
        product = session.get(Product, reference)
        if product is None:
            raise NotFound("product", f"#{reference}")
        return product
    products = session.scalars(sa.select(Product)).all()
    wanted = reference.strip().upper()
    by_sku = [p for p in products if p.sku.upper() == wanted]
    if len(by_sku) == 1:
        return by_sku[0]
    options = [Option(p.id, p.name, f"SKU {p.sku}", (p.sku,)) for p in products]
    product_id = match_one(reference, options, "product")
    return next(p for p in products if p.id == product_id)


def _one_line(
    session: Session, item: LineInput, index: int, currency: str, settings: TaxSettings
) -> LineData:
    where = f"line {index}"
    if item.service is not None and item.product is not None:
        raise Invalid(
            f"{where.capitalize()} names both a service and a product; pick one.", field="lines"
        )
    source = (
        resolve_service(session, item.service)
        if item.service is not None
        else resolve_product(session, item.product)
        if item.product is not None
        else None
    )
    description = (item.description or "").strip() or (source.name if source else "")
    if not description:
        raise Invalid(
            f"{where.capitalize()} needs a description, a service or a product.", field="lines"
        )
    price = item.unit_price_minor
    if price is None:
        if source is None:
            raise Invalid(
                f"{where.capitalize()} (“{description}”) needs a unit price.", field="unit_price"
            )
        if source.currency.upper() != currency:
            raise Invalid(
                f"{source.name} is priced in {source.currency}, not {currency}; "
                "give the line a price in the invoice's currency.",
                field="unit_price",
            )
        price = source.price_minor
    vat = item.vat_rate_bp
    if vat is None:
        default = source.vat_rate_bp if source is not None else settings.default_vat_rate_bp
        vat = default if settings.vat_registered else 0
    elif vat and not settings.vat_registered:
        raise Invalid(
            "The business is not VAT-registered, so its lines cannot carry VAT. "
            "Register for VAT in the tax settings first.",
            field="vat_rate",
        )
    net, vat_minor = line_amounts(item.quantity, price, vat)
    return LineData(
        description,
        item.quantity,
        price,
        vat,
        net,
        vat_minor,
        source.id if item.service is not None and source else None,
        source.id if item.product is not None and source else None,
    )


def build_lines(session: Session, items: Sequence[LineInput], currency: str) -> list[LineData]:
    """Validate ``items`` and price them; VAT is rounded once per line (half-up)."""
    if not items:
        raise Invalid("An invoice or quote needs at least one line.", field="lines")
    if len(items) > _MAX_LINES:
        raise Invalid(
            f"That is {len(items)} lines; the most one document takes is {_MAX_LINES}.",
            field="lines",
        )
    settings = tax_settings(session)
    lines = [_one_line(session, item, i, currency, settings) for i, item in enumerate(items, 1)]
    total = sum(line.net_minor + line.vat_minor for line in lines)
    if total < 0:
        raise Invalid(
            f"The lines add up to {format_money(total, currency)}; a document "
            "cannot total less than zero.",
            field="lines",
        )
    return lines


def replace_lines(session: Session, document: Invoice | Quote, lines: Sequence[LineData]) -> None:
    """Put ``lines`` on ``document`` (dropping its old ones) and recompute its totals."""
    model: type[InvoiceLine] | type[QuoteLine]
    if isinstance(document, Invoice):
        model, key = InvoiceLine, "invoice_id"
        session.execute(sa.delete(InvoiceLine).where(InvoiceLine.invoice_id == document.id))
    else:
        model, key = QuoteLine, "quote_id"
        session.execute(sa.delete(QuoteLine).where(QuoteLine.quote_id == document.id))
    for position, line in enumerate(lines, 1):
        session.add(
            model(
                **{key: document.id},
                position=position,
                description=line.description,
                quantity=line.quantity,
                unit_price_minor=line.unit_price_minor,
                vat_rate_bp=line.vat_rate_bp,
                net_minor=line.net_minor,
                vat_minor=line.vat_minor,
                service_id=line.service_id,
                product_id=line.product_id,
            )
        )
    document.subtotal_minor = sum(line.net_minor for line in lines)
    document.tax_minor = sum(line.vat_minor for line in lines)
    document.total_minor = document.subtotal_minor + document.tax_minor
    session.flush()


def claim_number(session: Session, kind: Literal["invoice", "quote"]) -> str:
    """The next free number of the business (``INV-0042``), taken from the tax settings.

    The counter is advanced with one atomic ``UPDATE ... RETURNING``, so two writers never get
    the same value; numbers already used (imported documents) are skipped.
    """
    settings = tax_settings(session)
    model = Invoice if kind == "invoice" else Quote
    counter = (
        TaxSettings.next_invoice_number if kind == "invoice" else TaxSettings.next_quote_number
    )
    prefix = settings.invoice_prefix if kind == "invoice" else settings.quote_prefix
    for _ in range(10_000):
        claimed = (
            session.execute(
                sa.update(TaxSettings)
                .where(TaxSettings.id == settings.id)
                .values({counter: counter + 1})
                .returning(counter)
                .execution_options(synchronize_session=False)
            ).scalar_one()
            - 1
        )
        number = numbered_reference(prefix, claimed)
        taken = session.scalar(
            sa.select(sa.func.count())
            .select_from(model)
            .where(sa.func.upper(model.number) == number.upper())
        )
        if not taken:
            session.expire(settings)
            return number
    raise Conflict(
        f"I could not find a free {kind} number after {prefix}; check the "
        "numbering in the tax settings."
    )


def default_due(session: Session, issued: date) -> date:
    """The due date ``issued`` + the business's payment terms."""
    return issued + timedelta(days=tax_settings(session).payment_terms_days)


def insert_numbered(session: Session, document: Invoice | Quote) -> None:
    """Add ``document``; a unique-number clash becomes :class:`NumberClash` (retried)."""
    session.add(document)
    try:
        session.flush()
    except sa.exc.IntegrityError as exc:
        raise NumberClash(f"Number {document.number} was just taken; please try again.") from exc


def line_data(line: InvoiceLine | QuoteLine) -> LineData:
    """A stored line as :class:`LineData` (to copy it onto another document)."""
    return LineData(
        line.description,
        line.quantity,
        line.unit_price_minor,
        line.vat_rate_bp,
        line.net_minor,
        line.vat_minor,
        line.service_id,
        line.product_id,
    )
