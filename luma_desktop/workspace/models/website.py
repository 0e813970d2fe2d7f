"""The business website: site settings, pages and their content sections."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ._base import Base, IdMixin, StrEnumType, TenantMixin, TimestampMixin

__all__ = ["SectionKind", "SiteStatus", "WebPage", "WebSection", "Website"]


class SiteStatus(enum.StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    OFFLINE = "offline"


class SectionKind(enum.StrEnum):
    TEXT = "text"
    GALLERY = "gallery"
    SERVICES = "services"
    CONTACT = "contact"
    HOURS = "hours"
    TESTIMONIALS = "testimonials"


class Website(IdMixin, TenantMixin, TimestampMixin, Base):
    """The business's one site: theme and publishing state."""

    __tablename__ = "websites"
    __table_args__ = (sa.UniqueConstraint("business_id"),)

    title: Mapped[str] = mapped_column(sa.String(200))
    theme: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    logo_path: Mapped[str | None] = mapped_column(sa.String(500))
    status: Mapped[SiteStatus] = mapped_column(StrEnumType(SiteStatus), default=SiteStatus.DRAFT)
    publish_target: Mapped[str | None] = mapped_column(sa.String(500))
    published_at: Mapped[datetime | None]
    edited_at: Mapped[datetime | None]


class WebPage(IdMixin, TenantMixin, TimestampMixin, Base):
    """A page of the site, with its SEO fields."""

    __tablename__ = "web_pages"
    __table_args__ = (sa.UniqueConstraint("business_id", "slug"),)

    website_id: Mapped[int] = mapped_column(sa.ForeignKey("websites.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(sa.String(200))
    slug: Mapped[str] = mapped_column(sa.String(100))
    template: Mapped[str] = mapped_column(sa.String(40), default="standard")
    visible: Mapped[bool] = mapped_column(default=True)
    position: Mapped[int] = mapped_column(default=0)
    seo_title: Mapped[str | None] = mapped_column(sa.String(200))
    seo_description: Mapped[str | None] = mapped_column(sa.String(500))
    seo_keywords: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    updated_at: Mapped[datetime | None]


class WebSection(IdMixin, TenantMixin, Base):
    """A content block on a page; ``content`` depends on the kind."""

    __tablename__ = "web_sections"

    page_id: Mapped[int] = mapped_column(
        sa.ForeignKey("web_pages.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[SectionKind] = mapped_column(StrEnumType(SectionKind))
    position: Mapped[int] = mapped_column(default=0)
    content: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
