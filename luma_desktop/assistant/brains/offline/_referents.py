"""Working-context records as tool arguments: what "it", "her" and "that invoice" are passed as.

A template's ``slots: {invoice: {current: invoice}}`` takes the record the conversation is
about. Each tool names records its own way, so the value depends on the kind and the argument:

- **Documents with a printed number** (invoice, quote): the number, "INV-0042". Their tools
  read a bare number as the document number, never as an id, and the number is what the
  confirmation shows.
- **Cards**: the card tools take text only: "ending 4821" (their last four digits), or "#7"
  (their id, which they also accept) when another card ends in the same digits.
- **Everything else**: the id when the argument takes one (``int | str``: clients, payees,
  appointments, tasks, reminders, staff, services, products, resources, transactions...);
  otherwise the record's label as the working context holds it.

A record that no longer exists gives no value: the argument is missing and its question asked.
"""

from __future__ import annotations

import threading
import types
import typing
from collections.abc import Callable
from typing import Annotated, Any

import sqlalchemy as sa
from pydantic import BaseModel
from sqlalchemy.orm import Session

from ....workspace.database import Workspace
from ....workspace.models import Card, Invoice, Quote
from ._understanding import Referent

__all__ = ["TEXT_FORMS", "Referents", "accepts_id"]

_CACHE_SIZE = 256


def _number(model: Any) -> Callable[[Session, int], str | None]:
    def read(session: Session, record_id: int) -> str | None:
        number = session.scalar(sa.select(model.number).where(model.id == record_id))
        return str(number) if number else None

    return read


def _card(session: Session, record_id: int) -> str | None:
    last4 = session.scalar(sa.select(Card.last4).where(Card.id == record_id))
    if last4 is None:
        return None
    same = session.scalar(sa.select(sa.func.count(Card.id)).where(Card.last4 == last4))
    return f"ending {last4}" if same == 1 else f"#{record_id}"


TEXT_FORMS: dict[str, Callable[[Session, int], str | None]] = {
    "invoice": _number(Invoice),
    "quote": _number(Quote),
    "card": _card,
}
"""Kinds always passed as text, and how to read that text (``None``: the record is gone)."""


def accepts_id(annotation: Any) -> bool:
    """Whether an argument of this type takes an int id (itself or as list items)."""
    if annotation is int:
        return True
    origin = typing.get_origin(annotation)
    if origin is Annotated:
        return accepts_id(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType, list):
        return any(accepts_id(option) for option in typing.get_args(annotation))
    return False


class Referents:
    """Reads what the tools call working-context records, per business."""

    def __init__(self, workspace: Workspace, business_id: int) -> None:
        self._workspace = workspace
        self._business_id = business_id
        self._lock = threading.Lock()
        self._texts: dict[tuple[str, int], str | None] = {}

    def invalidate(self) -> None:
        """Forget the numbers read so far (call after a write)."""
        with self._lock:
            self._texts.clear()

    def argument(self, model: type[BaseModel], name: str, kind: str, referent: Referent) -> Any:
        """The current ``kind`` record as argument ``name`` of ``model`` (``None``: gone)."""
        record_id = referent.id
        if not isinstance(record_id, int):
            return record_id
        if kind in TEXT_FORMS:
            return self._text(kind, record_id)
        info = model.model_fields.get(name)
        if info is not None and accepts_id(info.annotation):
            return record_id
        return referent.label or f"#{record_id}"

    def _text(self, kind: str, record_id: int) -> str | None:
        key = (kind, record_id)
        with self._lock:
            if key in self._texts:
                return self._texts[key]
        with self._workspace.transaction(self._business_id) as session:
            text = TEXT_FORMS[kind](session, record_id)
        with self._lock:
            if len(self._texts) >= _CACHE_SIZE:
                self._texts.clear()
            self._texts[key] = text
        return text
