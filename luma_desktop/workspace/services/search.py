"""Search and lookup across the business (catalog section 10).

:meth:`SearchService.search_global` runs one query against clients, appointments (client name,
service name, confirmation code), invoices and quotes (number, client), documents (title, text),
products (name, SKU), tasks (title) and notes (title, text), and returns typed hits ranked by
score (0-100). Each kind costs one or two queries whatever the data size; names are scored in
memory with :mod:`._matching` (plus partial matches). Staff search their own scope and never
see invoices or quotes; client-portal users cannot search.

:meth:`SearchService.lookup_reference` resolves "#42", "INV-0042", "Q-7", "ORD-0003" or a
confirmation code to the one record it names, or raises :class:`Ambiguous` with a candidate of
each kind ("#42" may be invoice INV-0042 and appointment 42).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Any, Literal

import sqlalchemy as sa
from pydantic import BaseModel, ConfigDict
from sqlalchemy.orm import Session

from ...errors import Ambiguous, Candidate, Invalid, NotFound, PermissionDenied
from ..models import (
    Appointment,
    Client,
    Document,
    Invoice,
    Note,
    Order,
    Product,
    Quote,
    Role,
    Service,
    Task,
    TaxSettings,
)
from ..values import format_money
from ._base import DomainService
from ._matching import Option
from ._references import parse_number_reference
from .clients._queries import own_clients_clause
from .clients._scoring import fuzzy_scores

__all__ = ["KINDS", "HitKind", "ReferenceMatch", "SearchHit", "SearchResults", "SearchService"]

HitKind = Literal[
    "client", "appointment", "invoice", "quote", "document", "product", "task", "note"
]
KINDS: tuple[HitKind, ...] = (
    "client",
    "appointment",
    "invoice",
    "quote",
    "document",
    "product",
    "task",
    "note",
)
_FINANCIAL = frozenset({"invoice", "quote"})
TEXT_MATCH_SCORE = 80.0
"""Score of a document or note whose text (not title) contains the query."""
_FROZEN = ConfigDict(frozen=True, from_attributes=True)
_PREFIXED = re.compile(r"^\s*([A-Za-z]{1,12})[\s#-]*(\d+)\s*$")
_CODE = re.compile(r"^[A-Za-z0-9]{4,12}$")
_BARE_NUMBER = re.compile(r"^\s*(?:#|no\.?\s*|number\s+)?(\d+)\s*$", re.IGNORECASE)
_NUMBERED_KINDS = ("invoice", "quote", "order", "appointment")
_PREFIX_KINDS = {
    "INV": "invoice",
    "INVOICE": "invoice",
    "Q": "quote",
    "QUO": "quote",
    "QUOTE": "quote",
    "ORD": "order",
    "ORDER": "order",
    "APT": "appointment",
    "APPT": "appointment",
    "APPOINTMENT": "appointment",
    "BOOKING": "appointment",
}


class SearchHit(BaseModel):
    """One record that matched a search."""

    model_config = _FROZEN

    kind: HitKind
    id: int
    label: str
    detail: str
    score: float


class SearchResults(BaseModel):
    """Hits of every kind, best first, and how many of each kind were found."""

    model_config = _FROZEN

    query: str
    hits: tuple[SearchHit, ...]
    counts: dict[str, int]


class ReferenceMatch(BaseModel):
    """The record a reference names."""

    model_config = _FROZEN

    kind: Literal["appointment", "invoice", "quote", "order"]
    id: int
    label: str
    detail: str


def _name(first: str, last: str) -> str:
    return f"{first} {last}".strip()


def _best(scores: dict[int, float], limit: int) -> list[tuple[int, float]]:
    return sorted(scores.items(), key=lambda item: (-item[1], item[0]))[:limit]


class SearchService(DomainService):
    """Global search and reference lookup."""

    # ------------------------------------------------------------------ access
    def _check_role(self) -> None:
        if self.context.role is Role.CLIENT:
            raise PermissionDenied("A client account cannot search the business's records.")

    @property
    def _staff(self) -> bool:
        return self.context.role is Role.STAFF

    def _allowed(self, kind: str) -> bool:
        return not (self._staff and kind in (*_FINANCIAL, "order"))

    # ------------------------------------------------------------------ search
    def search_global(
        self, query: str, *, limit_per_kind: int = 5, kinds: Collection[HitKind] | None = None
    ) -> SearchResults:
        """Records of every kind matching ``query``, best first (``limit_per_kind`` each)."""
        self._check_role()
        text = " ".join((query or "").split())
        if not text:
            raise Invalid("What should I search for?", field="query")
        if not 1 <= limit_per_kind <= 50:
            raise Invalid("Ask for between 1 and 50 results per kind.", field="limit_per_kind")
        wanted = tuple(kinds) if kinds else KINDS
        unknown = [k for k in wanted if k not in KINDS]
        if unknown:
            raise Invalid(
                f"“{unknown[0]}” is not something I can search; use {', '.join(KINDS)}.",
                field="kinds",
            )
        with self._unit() as session:
            clients = self._client_matches(session, text)
            found: dict[str, list[SearchHit]] = {}
            for kind in wanted:
                if self._allowed(kind):
                    found[kind] = self._search_kind(session, kind, text, clients)
        hits = [hit for kind in found for hit in found[kind][:limit_per_kind]]
        hits.sort(key=lambda h: (-h.score, KINDS.index(h.kind), h.label, h.id))
        return SearchResults(
            query=text, hits=tuple(hits), counts={kind: len(items) for kind, items in found.items()}
        )

    def _search_kind(
        self, session: Session, kind: str, text: str, clients: dict[int, tuple[float, str, str]]
    ) -> list[SearchHit]:
        if kind == "client":
            return [
                SearchHit(kind="client", id=cid, label=name, detail=detail, score=score)
                for cid, (score, name, detail) in sorted(
                    clients.items(), key=lambda i: (-i[1][0], i[1][1], i[0])
                )
            ]
        if kind == "appointment":
            return self._appointments(session, text, clients)
        if kind in _FINANCIAL:
            return self._numbered(session, Invoice if kind == "invoice" else Quote, text, clients)
        if kind == "document":
            return self._documents(session, text)
        if kind == "product":
            return self._products(session, text)
        if kind == "task":
            return self._tasks(session, text)
        return self._notes(session, text)

    def _client_matches(self, session: Session, text: str) -> dict[int, tuple[float, str, str]]:
        query = sa.select(
            Client.id,
            Client.first_name,
            Client.last_name,
            Client.email,
            Client.phone,
            Client.company,
        ).where(Client.deleted_at.is_(None))
        if self._staff:
            query = query.where(own_clients_clause(self.context.staff_id))
        rows = session.execute(query).all()
        options = [
            Option(
                cid,
                _name(first, last),
                email or phone or company or "",
                tuple(filter(None, (email, phone, company))),
            )
            for cid, first, last, email, phone, company in rows
        ]
        scores = fuzzy_scores(text, options)
        return {o.id: (scores[o.id], o.label, o.detail) for o in options if o.id in scores}

    def _appointments(
        self, session: Session, text: str, clients: dict[int, tuple[float, str, str]]
    ) -> list[SearchHit]:
        services = session.execute(sa.select(Service.id, Service.name)).all()
        service_scores = fuzzy_scores(text, [Option(sid, name) for sid, name in services])
        code = text.upper() if _CODE.match(text) else None
        conditions: list[sa.ColumnElement[bool]] = []
        if code:
            conditions.append(Appointment.confirmation_code == code)
        if clients:
            conditions.append(
                Appointment.client_id.in_(
                    [cid for cid, _ in _best({k: v[0] for k, v in clients.items()}, 50)]
                )
            )
        if service_scores:
            conditions.append(Appointment.service_id.in_(service_scores))
        if not conditions:
            return []
        query = (
            sa.select(
                Appointment.id,
                Appointment.starts_at,
                Appointment.status,
                Appointment.confirmation_code,
                Appointment.client_id,
                Appointment.service_id,
                Client.first_name,
                Client.last_name,
                Service.name,
            )
            .join(Client, Appointment.client_id == Client.id)
            .join(Service, Appointment.service_id == Service.id)
            .where(sa.or_(*conditions))
            .order_by(Appointment.starts_at.desc())
            .limit(300)
        )
        if self._staff:
            query = query.where(Appointment.staff_id == self.context.staff_id)
        now = self.context.now()
        hits: list[tuple[float, float, SearchHit]] = []
        for aid, starts, status, conf, cid, sid, first, last, service in session.execute(
            query
        ).all():
            score = max(
                100.0 if conf == code else 0.0,
                clients.get(cid, (0.0,))[0],
                service_scores.get(sid, 0.0),
            )
            local = starts.astimezone(self.context.tz)
            hits.append(
                (
                    -score,
                    abs((starts - now).total_seconds()),
                    SearchHit(
                        kind="appointment",
                        id=aid,
                        label=f"{service} for {_name(first, last)}",
                        detail=f"{local:%a %-d %b %Y %H:%M}, {status.value}, code {conf}",
                        score=score,
                    ),
                )
            )
        hits.sort(key=lambda h: (h[0], h[1]))
        return [hit for *_, hit in hits]

    def _numbered(
        self,
        session: Session,
        model: type[Invoice] | type[Quote],
        text: str,
        clients: dict[int, tuple[float, str, str]],
    ) -> list[SearchHit]:
        kind: HitKind = "invoice" if model is Invoice else "quote"
        number = self._spoken_number(session, text, kind)
        conditions = [sa.func.upper(model.number) == text.upper()]
        if number is not None:
            conditions.append(model.number.like(f"%{number}"))
        if clients:
            conditions.append(
                model.client_id.in_(
                    [cid for cid, _ in _best({k: v[0] for k, v in clients.items()}, 50)]
                )
            )
        rows = session.execute(
            sa.select(
                model.id,
                model.number,
                model.status,
                model.total_minor,
                model.currency,
                model.client_id,
                Client.first_name,
                Client.last_name,
            )
            .join(Client, model.client_id == Client.id)
            .where(sa.or_(*conditions))
            .order_by(model.created_at.desc())
            .limit(300)
        ).all()
        hits = []
        for rid, num, status, total, currency, cid, first, last in rows:
            if num.upper() == text.upper():
                score = 100.0
            elif number is not None and parse_number_reference(num) == number:
                score = 95.0
            else:
                score = clients.get(cid, (0.0,))[0]
            if score:
                hits.append(
                    SearchHit(
                        kind=kind,
                        id=rid,
                        label=f"{kind.capitalize()} {num}",
                        detail=f"{_name(first, last)}, {status.value}, "
                        f"{format_money(total, currency)}",
                        score=score,
                    )
                )
        return sorted(hits, key=lambda h: -h.score)

    def _spoken_number(self, session: Session, text: str, kind: str) -> int | None:
        """The number ``text`` names for ``kind`` ("#42", "42", "inv 42" for invoices)."""
        if _BARE_NUMBER.match(text):
            return parse_number_reference(text)
        prefixed = _PREFIXED.match(text)
        if prefixed and self._prefix_kinds(session).get(prefixed.group(1).upper()) == kind:
            return int(prefixed.group(2))
        return None

    def _mine(self, column: Any) -> sa.ColumnElement[bool]:
        """Rows of the signed-in user (none without a user)."""
        user_id = self.context.user_id
        return sa.false() if user_id is None else column == user_id

    def _titled(
        self,
        rows: Sequence[tuple[int, str, str]],
        text: str,
        text_hits: Collection[int],
        kind: HitKind,
    ) -> list[SearchHit]:
        options = [Option(rid, title, detail) for rid, title, detail in rows]
        scores = fuzzy_scores(text, options)
        for rid in text_hits:
            scores[rid] = max(scores.get(rid, 0.0), TEXT_MATCH_SCORE)
        by_id = {o.id: o for o in options}
        return [
            SearchHit(
                kind=kind, id=rid, label=by_id[rid].label, detail=by_id[rid].detail, score=score
            )
            for rid, score in _best(scores, len(scores))
            if rid in by_id
        ]

    def _contains(self, column: Any, text: str) -> sa.ColumnElement[bool]:
        return sa.func.lower(column).contains(text.lower(), autoescape=True)

    def _documents(self, session: Session, text: str) -> list[SearchHit]:
        scope: list[sa.ColumnElement[bool]] = [Document.deleted_at.is_(None)]
        if self._staff:
            scope.append(
                sa.or_(
                    Document.owner_staff_id == self.context.staff_id,
                    Document.client_id.in_(
                        sa.select(Client.id).where(own_clients_clause(self.context.staff_id))
                    ),
                )
            )
        rows = session.execute(
            sa.select(Document.id, Document.title, Document.kind).where(*scope)
        ).all()
        in_text = session.scalars(
            sa.select(Document.id)
            .where(*scope, self._contains(Document.text_content, text))
            .limit(200)
        ).all()
        return self._titled(rows, text, in_text, "document")

    def _products(self, session: Session, text: str) -> list[SearchHit]:
        rows = session.execute(
            sa.select(
                Product.id,
                Product.name,
                Product.sku,
                Product.price_minor,
                Product.currency,
                Product.stock,
                Product.active,
            )
        ).all()
        options = [Option(pid, name, sku, (sku,)) for pid, name, sku, *_ in rows]
        scores = fuzzy_scores(text, options)
        details = {}
        for pid, _, sku, price, currency, stock, active in rows:
            money = "" if self._staff else f", {format_money(price, currency)}"
            details[pid] = f"{sku}{money}, {stock} in stock" + ("" if active else ", inactive")
        names = {o.id: o.label for o in options}
        return [
            SearchHit(kind="product", id=pid, label=names[pid], detail=details[pid], score=score)
            for pid, score in _best(scores, len(scores))
        ]

    def _tasks(self, session: Session, text: str) -> list[SearchHit]:
        query = sa.select(Task.id, Task.title, Task.status, Task.priority)
        if self._staff:
            query = query.where(
                sa.or_(
                    self._mine(Task.assignee_user_id),
                    self._mine(Task.created_by_user_id),
                )
            )
        rows = [
            (tid, title, f"{status.value}, {priority.value} priority")
            for tid, title, status, priority in session.execute(query).all()
        ]
        return self._titled(rows, text, (), "task")

    def _notes(self, session: Session, text: str) -> list[SearchHit]:
        scope = [self._mine(Note.author_user_id)] if self._staff else []
        rows = [
            (nid, title or snippet, (linked or "general") + " note")
            for nid, title, snippet, linked in session.execute(
                sa.select(
                    Note.id, Note.title, sa.func.substr(Note.body, 1, 60), Note.linked_type
                ).where(*scope)
            ).all()
        ]
        in_text = session.scalars(
            sa.select(Note.id).where(*scope, self._contains(Note.body, text)).limit(200)
        ).all()
        return self._titled(rows, text, in_text, "note")

    # ------------------------------------------------------------------ lookup
    def lookup_reference(self, text: str) -> ReferenceMatch:
        """The record ``text`` names: "INV-0042", "Q-7", "ORD-0003", a confirmation code,
        or "#42" (an invoice, quote or order number, or an appointment id)."""
        self._check_role()
        reference = (text or "").strip()
        if not reference:
            raise Invalid("Which reference should I look up?", field="text")
        bare = _BARE_NUMBER.match(reference)
        with self._unit() as session:
            if bare:
                matches = self._by_number(session, int(bare.group(1)), _NUMBERED_KINDS)
            else:
                matches = self._exact(session, reference)
                prefixed = _PREFIXED.match(reference)
                if not matches and prefixed:
                    kind = self._prefix_kinds(session).get(prefixed.group(1).upper())
                    if kind is not None:
                        matches = self._by_number(session, int(prefixed.group(2)), (kind,))
        if not matches:
            raise NotFound("record", reference)
        if len(matches) > 1:
            raise Ambiguous(
                "record",
                reference,
                [Candidate(m.id, m.label, m.detail, 100.0, {"kind": m.kind}) for m in matches],
            )
        return matches[0]

    def _prefix_kinds(self, session: Session) -> dict[str, str]:
        kinds = dict(_PREFIX_KINDS)
        settings = session.scalars(sa.select(TaxSettings)).first()
        if settings is not None:
            for prefix, kind in (
                (settings.invoice_prefix, "invoice"),
                (settings.quote_prefix, "quote"),
                (settings.order_prefix, "order"),
            ):
                letters = re.sub(r"[^A-Za-z]", "", prefix).upper()
                if letters:
                    kinds[letters] = kind
        return kinds

    def _exact(self, session: Session, reference: str) -> list[ReferenceMatch]:
        upper = reference.upper()
        matches = []
        for kind in ("invoice", "quote", "order"):
            matches += self._numbered_rows(
                session, kind, sa.func.upper(self._model(kind).number) == upper
            )
        if _CODE.match(reference):
            matches += self._appointment_rows(session, Appointment.confirmation_code == upper)
        return matches

    def _by_number(
        self, session: Session, number: int, kinds: Sequence[str]
    ) -> list[ReferenceMatch]:
        matches: list[ReferenceMatch] = []
        for kind in kinds:
            if kind == "appointment":
                matches += self._appointment_rows(session, Appointment.id == number)
            else:
                column = self._model(kind).number
                matches += self._numbered_rows(
                    session, kind, column.like(f"%{number}"), number=number
                )
        return matches

    @staticmethod
    def _model(kind: str) -> type[Invoice] | type[Quote] | type[Order]:
        if kind == "invoice":
            return Invoice
        return Quote if kind == "quote" else Order

    def _numbered_rows(
        self,
        session: Session,
        kind: str,
        condition: sa.ColumnElement[bool],
        *,
        number: int | None = None,
    ) -> list[ReferenceMatch]:
        """Invoices, quotes or orders matching ``condition`` (and spoken ``number``)."""
        if not self._allowed(kind):
            return []
        model = self._model(kind)
        rows = session.execute(
            sa.select(
                model.id,
                model.number,
                model.status,
                model.total_minor,
                model.currency,
                Client.first_name,
                Client.last_name,
            )
            .outerjoin(Client, model.client_id == Client.id)
            .where(condition)
            .limit(50)
        ).all()
        return [
            ReferenceMatch(
                kind=kind,  # type: ignore[arg-type]
                id=rid,
                label=f"{kind.capitalize()} {code}",
                detail=", ".join(
                    filter(
                        None,
                        (
                            _name(first or "", last or ""),
                            status.value,
                            format_money(total, currency),
                        ),
                    )
                ),
            )
            for rid, code, status, total, currency, first, last in rows
            if number is None or parse_number_reference(code) == number
        ]

    def _appointment_rows(
        self, session: Session, condition: sa.ColumnElement[bool]
    ) -> list[ReferenceMatch]:
        query = (
            sa.select(
                Appointment.id,
                Appointment.starts_at,
                Appointment.status,
                Appointment.confirmation_code,
                Client.first_name,
                Client.last_name,
                Service.name,
            )
            .join(Client, Appointment.client_id == Client.id)
            .join(Service, Appointment.service_id == Service.id)
            .where(condition)
        )
        if self._staff:
            query = query.where(Appointment.staff_id == self.context.staff_id)
        results = []
        for aid, starts, status, code, first, last, service in session.execute(query).all():
            local: datetime = starts.astimezone(self.context.tz)
            results.append(
                ReferenceMatch(
                    kind="appointment",
                    id=aid,
                    label=f"Appointment #{aid}: {service} for {_name(first, last)}",
                    detail=f"{local:%a %-d %b %Y %H:%M}, {status.value}, code {code}",
                )
            )
        return results
