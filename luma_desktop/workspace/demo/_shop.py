"""The retail side: products with stock, discount codes and a few orders."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

from ..models import DiscountCode, Order, OrderLine, OrderStatus, Product, TaxSettings
from ..values import numbered_reference, to_minor
from ._builder import Seeder, load

__all__ = ["seed_orders", "seed_products"]

# (status, days ago, [(sku, quantity)], discount code, named client or None for a regular)
_ORDERS: list[tuple[OrderStatus, int, list[tuple[str, int]], str | None, str | None]] = [
    (OrderStatus.FULFILLED, 26, [("LH-SHA-250", 1), ("LH-CON-250", 1)], None, "sarah_miller"),
    (OrderStatus.SHIPPED, 9, [("LB-SER-030", 1), ("LB-SPF-050", 1)], "WINTER15", None),
    (OrderStatus.PAID, 2, [("LH-GFT-050", 2)], None, "tom_fletcher"),
    (OrderStatus.PENDING, 0, [("LH-OIL-100", 1), ("LH-DRY-200", 2)], None, "portal_olivia"),
    (OrderStatus.CANCELLED, 15, [("LH-CRM-075", 1)], None, None),
]


def seed_products(s: Seeder) -> None:
    """The retail catalogue (some stock low, one item sold out) and the discount codes."""
    data = load("salon")
    vat = data["tax"]["default_vat_rate_bp"]
    for spec in data["products"]:
        s.products[spec["sku"]] = Product(
            sku=spec["sku"],
            name=spec["name"],
            price_minor=to_minor(spec["price"]),
            cost_minor=to_minor(spec["cost"]) if spec["cost"] is not None else None,
            currency=s.currency,
            vat_rate_bp=vat,
            stock=spec["stock"],
            low_stock_threshold=spec["low"],
            active=True,
        )
    s.add(*s.products.values(), created=s.now - timedelta(days=400))
    s.discounts = {spec["code"]: _discount(s, spec) for spec in data["discount_codes"]}
    s.add(*s.discounts.values())
    s.flush()


def _discount(s: Seeder, spec: dict[str, Any]) -> DiscountCode:
    ends = spec["ends_days"]
    amount = spec.get("amount_off")
    return DiscountCode(
        code=spec["code"],
        percent_off=spec.get("percent_off"),
        amount_off_minor=to_minor(amount) if amount else None,
        currency=s.currency if amount else None,
        valid_from=s.days(spec["starts_days"]),
        valid_until=s.days(ends) if ends is not None else None,
        active=spec["active"],
        created_at=s.now + timedelta(days=spec["starts_days"] - 3),
    )


def seed_orders(s: Seeder, tax: TaxSettings) -> None:
    """A handful of shop orders in every state, numbered ORD-0001...; advances the numbering."""
    regulars = [c for c in s.client_list if c not in s.clients.values()]
    orders: list[tuple[Order, list[OrderLine]]] = []
    for number, (status, days_ago, items, code, client_key) in enumerate(_ORDERS, start=1):
        client = s.clients[client_key] if client_key else s.rng.choice(regulars)
        lines = [
            OrderLine(
                product_id=s.products[sku].id,
                quantity=qty,
                unit_price_minor=s.products[sku].price_minor,
            )
            for sku, qty in items
        ]
        total = sum(line.quantity * line.unit_price_minor for line in lines)
        discount = s.discounts[code] if code else None
        if discount is not None and discount.percent_off:
            total -= int((Decimal(total) * discount.percent_off / 100).to_integral_value())
        order = Order(
            number=numbered_reference(tax.order_prefix, number),
            client_id=client.id,
            status=status,
            total_minor=total,
            currency=s.currency,
            discount_code_id=discount.id if discount else None,
        )
        s.add(order, created=s.now - timedelta(days=days_ago, hours=s.rng.randint(1, 6)))
        orders.append((order, lines))
    s.flush()
    for order, lines in orders:
        for line in lines:
            line.order_id = order.id
        s.add(*lines)
    tax.next_order_number = len(_ORDERS) + 1
