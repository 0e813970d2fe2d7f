"""Validation of client fields and duplicate detection (shared by create, update and import)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from rapidfuzz import fuzz, process, utils
from sqlalchemy.orm import Session

from ....errors import Invalid
from ...models import Client, LeadStatus
from ...values import is_email, normalise_phone

__all__ = [
    "CONTACT_FIELDS",
    "EDITABLE_FIELDS",
    "DuplicateIndex",
    "DuplicateMatch",
    "clean_birthday",
    "clean_email",
    "clean_lead_status",
    "clean_name",
    "clean_phone",
    "clean_tags",
    "clean_text",
    "label_of",
]

EDITABLE_FIELDS = (
    "first_name",
    "last_name",
    "company",
    "email",
    "phone",
    "address",
    "birthday",
    "lead_status",
    "source",
    "owner_staff_id",
)
"""Fields :meth:`ClientsService.update` accepts (and returns in ``previous``)."""
CONTACT_FIELDS = frozenset({"email", "phone", "address"})
"""The only fields a client-portal user may change on their own record."""
NAME_SIMILARITY = 90.0
"""token_sort_ratio of two full names at or above which they count as the same person."""
_TEXT_LIMITS = {"company": 200, "source": 60, "address": 2000}
_DAY_FIRST = re.compile(r"^\s*(\d{1,2})[./-](\d{1,2})[./-](\d{4})\s*$")


def _text(value: Any) -> str:
    return "" if value is None else " ".join(str(value).split())


def clean_name(value: Any, field_name: str, *, required: bool) -> str:
    """A trimmed name; ``Invalid`` when required and empty, or longer than 100 characters."""
    name = _text(value)
    label = field_name.replace("_", " ")
    if required and not name:
        raise Invalid(f"A client needs a {label}.", field=field_name)
    if len(name) > 100:
        raise Invalid(f"The {label} is longer than 100 characters.", field=field_name)
    return name


def clean_email(value: Any) -> str | None:
    """A lower-case e-mail address, ``None`` for empty; ``Invalid`` when it is not one."""
    email = str(value or "").strip()
    if not email:
        return None
    if not is_email(email):
        raise Invalid(f"“{email}” is not a valid e-mail address.", field="email")
    return email.lower()


def clean_phone(value: Any, country: str) -> str | None:
    """An E.164 phone number, ``None`` for empty; ``Invalid`` when it is not a real number."""
    raw = str(value or "").strip()
    return normalise_phone(raw, country) if raw else None


def clean_lead_status(value: Any) -> LeadStatus:
    """A lead status from its name ("Prospect", "customer")."""
    try:
        return LeadStatus(str(value).strip().lower())
    except ValueError:
        options = ", ".join(s.value for s in LeadStatus)
        raise Invalid(
            f"“{value}” is not a lead status; use one of {options}.", field="lead_status"
        ) from None


def _parse_day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        pass
    match = _DAY_FIRST.match(text)
    try:
        if match:
            return date(int(match[3]), int(match[2]), int(match[1]))
    except ValueError:
        pass
    raise Invalid(f"“{text}” is not a date I understand; write it as 1990-04-23.", field="birthday")


def clean_birthday(value: Any, today: date) -> date | None:
    """A birthday from a date, ISO text (1990-04-23) or day-first text (23/04/1990)."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        value = value.date()
    day = value if isinstance(value, date) else _parse_day(str(value).strip())
    if day > today or day.year < 1900:
        raise Invalid(f"{day:%-d %B %Y} cannot be a birthday.", field="birthday")
    return day


def clean_text(value: Any, field_name: str) -> str | None:
    """Optional free text, trimmed; ``None`` when empty."""
    text = str(value).strip() if value is not None else ""
    limit = _TEXT_LIMITS[field_name]
    if len(text) > limit:
        raise Invalid(f"The {field_name} is longer than {limit} characters.", field=field_name)
    return text or None


def clean_tags(values: Iterable[Any]) -> list[str]:
    """Tags trimmed, single-spaced and lower case, without repeats (order kept)."""
    tags: list[str] = []
    for value in values:
        tag = _text(value).lower()
        if not tag:
            raise Invalid("A tag cannot be empty.", field="tags")
        if len(tag) > 60:
            raise Invalid(f"The tag “{tag[:20]}…” is longer than 60 characters.", field="tags")
        if tag not in tags:
            tags.append(tag)
    return tags


def label_of(client_id: int, name: str, email: str | None, phone: str | None) -> str:
    """How a client is named in messages: "Sarah Miller (#12, sarah@example.com)"."""
    contact = email or phone
    return f"{name} (#{client_id}{', ' + contact if contact else ''})"


@dataclass(frozen=True, slots=True)
class DuplicateMatch:
    """What a new or changed client collides with."""

    field: str
    """email, phone or name."""
    label: str
    client_id: int | None = None
    row: int | None = None

    @property
    def message(self) -> str:
        what = {
            "email": "the same e-mail address as",
            "phone": "the same phone number as",
            "name": "nearly the same name as",
        }[self.field]
        return f"This has {what} {self.label}."


@dataclass
class DuplicateIndex:
    """Existing clients (and rows seen so far in an import) by e-mail, phone and full name."""

    by_email: dict[str, tuple[int | None, int | None, str]] = field(default_factory=dict)
    by_phone: dict[str, tuple[int | None, int | None, str]] = field(default_factory=dict)
    names: list[str] = field(default_factory=list)
    owners: list[tuple[int | None, int | None, str]] = field(default_factory=list)

    @classmethod
    def load(cls, session: Session, *, exclude_id: int | None = None) -> DuplicateIndex:
        """Every client that is not deleted (one query)."""
        index = cls()
        rows = session.execute(
            sa.select(Client.id, Client.first_name, Client.last_name, Client.email, Client.phone)
            .where(Client.deleted_at.is_(None))
            .order_by(Client.id)
        ).all()
        for client_id, first, last, email, phone in rows:
            if client_id != exclude_id:
                name = f"{first} {last}".strip()
                index.add(
                    name,
                    email,
                    phone,
                    client_id=client_id,
                    label=label_of(client_id, name, email, phone),
                )
        return index

    def add(
        self,
        name: str,
        email: str | None,
        phone: str | None,
        *,
        label: str,
        client_id: int | None = None,
        row: int | None = None,
    ) -> None:
        owner = (client_id, row, label)
        if email:
            self.by_email.setdefault(email.lower(), owner)
        if phone:
            self.by_phone.setdefault(phone, owner)
        self.names.append(utils.default_process(name))
        self.owners.append(owner)

    def find(self, name: str, email: str | None, phone: str | None) -> DuplicateMatch | None:
        """The first collision: same e-mail, same E.164 phone, or a very similar full name."""
        for field_name, table, key in (
            ("email", self.by_email, (email or "").lower()),
            ("phone", self.by_phone, phone or ""),
        ):
            if key and key in table:
                client_id, row, label = table[key]
                return DuplicateMatch(field_name, label, client_id, row)
        wanted = utils.default_process(name)
        if wanted and self.names:
            best = process.extractOne(
                wanted,
                self.names,
                scorer=fuzz.token_sort_ratio,
                processor=None,
                score_cutoff=NAME_SIMILARITY,
            )
            if best is not None:
                client_id, row, label = self.owners[best[2]]
                return DuplicateMatch("name", label, client_id, row)
        return None
