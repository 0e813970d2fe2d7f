"""E-commerce: products with stock, orders and discount codes."""

from __future__ import annotations

import enum
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ._base import Base, IdMixin, StrEnumType, TenantMixin, TimestampMixin

__all__ = ["DiscountCode", "Order", "OrderLine", "OrderStatus", "Product"]


class OrderStatus(enum.StrEnum):
    PENDING = "pending"
    PAID = "paid"
    FULFILLED = "fulfilled"
    SHIPPED = "shipped"
    CANCELLED = "cancelled"
    REFUNDED = "refunded"


class Product(IdMixin, TenantMixin, TimestampMixin, Base):
    """Something the business sells, with stock."""

    __tablename__ = "products"
    __table_args__ = (sa.UniqueConstraint("business_id", "sku"),)

    sku: Mapped[str] = mapped_column(sa.String(40))
    name: Mapped[str] = mapped_column(sa.String(200))
    description: Mapped[str | None] = mapped_column(sa.Text)
    price_minor: Mapped[int] = mapped_column(sa.BigInteger)
    cost_minor: Mapped[int | None] = mapped_column(sa.BigInteger)
    currency: Mapped[str] = mapped_column(sa.String(3))
    vat_rate_bp: Mapped[int] = mapped_column(default=0)
    stock: Mapped[int] = mapped_column(default=0)
    low_stock_threshold: Mapped[int] = mapped_column(default=5)
    active: Mapped[bool] = mapped_column(default=True)


class Order(IdMixin, TenantMixin, TimestampMixin, Base):
    """A customer order, numbered per business."""

    __tablename__ = "orders"
    __table_args__ = (sa.UniqueConstraint("business_id", "number"),)

    number: Mapped[str] = mapped_column(sa.String(30))
    client_id: Mapped[int | None] = mapped_column(sa.ForeignKey("clients.id", ondelete="SET NULL"))
    status: Mapped[OrderStatus] = mapped_column(
        StrEnumType(OrderStatus), default=OrderStatus.PENDING
    )
    total_minor: Mapped[int] = mapped_column(sa.BigInteger, default=0)
    currency: Mapped[str] = mapped_column(sa.String(3))
    discount_code_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("discount_codes.id", ondelete="SET NULL")
    )


class OrderLine(IdMixin, TenantMixin, Base):
    __tablename__ = "order_lines"

    order_id: Mapped[int] = mapped_column(
        sa.ForeignKey("orders.id", ondelete="CASCADE"), index=True
    )
    product_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("products.id", ondelete="SET NULL")
    )
    quantity: Mapped[int]
    unit_price_minor: Mapped[int] = mapped_column(sa.BigInteger)


class DiscountCode(IdMixin, TenantMixin, TimestampMixin, Base):
    """A code giving a percentage or a fixed amount off."""

    __tablename__ = "discount_codes"
    __table_args__ = (sa.UniqueConstraint("business_id", "code"),)

    code: Mapped[str] = mapped_column(sa.String(40))
    percent_off: Mapped[int | None]
    amount_off_minor: Mapped[int | None] = mapped_column(sa.BigInteger)
    currency: Mapped[str | None] = mapped_column(sa.String(3))
    valid_from: Mapped[date | None]
    valid_until: Mapped[date | None]
    active: Mapped[bool] = mapped_column(default=True)
