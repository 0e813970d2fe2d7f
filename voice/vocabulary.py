"""The business's own words, to bias speech recognition toward them.

Whisper spells "Hans Mueller", "balayage" or "HairCo" wrongly unless told they exist. A
:class:`Vocabulary` holds those words (staff, services, payees, clients, products; most useful
first) and passes them to faster-whisper as ``hotwords``: tokens placed before the decoder's
start sequence, like a previous window's text, on every window.

How it is applied was chosen by measurement (``python -m tests.benchmarks.stt``: 51 commands
spoken by espeak-ng, demo business): word error rate 15.4% without biasing, 10.3% with each
term as a short sentence ("Emma Clarke. Balayage. HairCo Wholesale."), names right 29/37
instead of 23/37, and plain commands not hurt (12.1% → 9.7%). The same terms as a comma list
scored 10.8% and helped plain commands less (11.3%): the model copied the list style into
them ("Merge, Sarah Thompson, Intel, Sarah Miller"). ``hotwords`` and ``initial_prompt`` put the
same tokens before the decoder's start sequence for a command shorter than Whisper's
30-second window, so they score the same; ``hotwords`` is used because it also holds for
later windows and, when too long, keeps the first (most useful) terms where
``initial_prompt`` keeps the last. A prompt may use at most 223 tokens, so the vocabulary is
capped at :data:`MAX_CHARS` characters (about 210 tokens), keeping whole terms; it costs
about 0.1 s of CPU per command.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Protocol

import sqlalchemy as sa

from luma_desktop.workspace.database import Workspace
from luma_desktop.workspace.models import (
    Appointment,
    Client,
    Payee,
    Product,
    Role,
    Service,
    Staff,
)

__all__ = ["MAX_CHARS", "MAX_TERM_CHARS", "Vocabulary", "vocabulary_for"]

MAX_CHARS = 800
"""Longest hint (characters): about 210 Whisper tokens, within the 223 a prompt may use."""

MAX_TERM_CHARS = 60
"""Longer terms (a product's whole description) are left out."""

_MAX_ROWS = 200
_COMPANY_SUFFIX = re.compile(r"[\s,]+(ltd\.?|limited|plc|llc|inc\.?|gmbh)$", re.IGNORECASE)
_PACK_SIZE = re.compile(r"\s+(\d+(\.\d+)?\s?(ml|l|g|kg|oz)|[£$€]\s?\d+(\.\d+)?)$", re.IGNORECASE)


class Vocabulary:
    """Words to listen for, most useful first (duplicates and blanks dropped; capped at
    ``max_chars`` characters of hint, whole terms only)."""

    __slots__ = ("words",)

    words: tuple[str, ...]

    def __init__(self, words: Iterable[str] = (), *, max_chars: int = MAX_CHARS) -> None:
        kept: list[str] = []
        seen: set[str] = set()
        size = 0
        for word in words:
            term = " ".join(str(word).split()).strip(" .,;")
            key = term.casefold()
            if not term or key in seen or len(term) > MAX_TERM_CHARS:
                continue
            if size + len(term) + 2 > max_chars:
                break
            kept.append(term)
            seen.add(key)
            size += len(term) + 2
        self.words = tuple(kept)

    @property
    def hint(self) -> str:
        """The text given to the model: each term as a short sentence ("" when empty)."""
        return "".join(f"{word}. " for word in self.words).strip()

    def decoding_options(self) -> dict[str, str]:
        """Keyword arguments for ``WhisperModel.transcribe`` (see the module docstring)."""
        return {"hotwords": self.hint} if self.words else {}

    def __iter__(self) -> Iterator[str]:
        return iter(self.words)

    def __len__(self) -> int:
        return len(self.words)

    def __bool__(self) -> bool:
        return bool(self.words)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Vocabulary) and other.words == self.words

    def __hash__(self) -> int:
        return hash(self.words)

    def __repr__(self) -> str:
        shown = ", ".join(self.words[:5]) + (", ..." if len(self.words) > 5 else "")
        return f"Vocabulary({len(self.words)} words: {shown})"


class _Caller(Protocol):
    """What :func:`vocabulary_for` needs of an execution or service context."""

    @property
    def business_id(self) -> int: ...


def vocabulary_for(
    workspace: Workspace, context: _Caller, *, max_chars: int = MAX_CHARS
) -> Vocabulary:
    """The business's vocabulary: staff, services, payees, clients (recently booked first),
    products. A client-portal user's vocabulary holds no other client. Reads the database:
    call it from a worker thread."""
    own_client = getattr(context, "client_id", None)
    portal = getattr(context, "role", None) == Role.CLIENT
    with workspace.transaction(context.business_id) as session:
        staff = session.scalars(sa.select(Staff.name).where(Staff.active).order_by(Staff.id))
        services = session.scalars(
            sa.select(Service.name).where(Service.active).order_by(Service.id)
        )
        payees = session.scalars(
            sa.select(Payee.name).where(Payee.removed_at.is_(None)).order_by(Payee.id)
        )
        terms = [*staff, *services, *(_without_suffix(name) for name in payees)]
        terms += _clients(session, own_client if portal else None, everyone=not portal)
        products = session.scalars(
            sa.select(Product.name).where(Product.active).order_by(Product.id).limit(_MAX_ROWS)
        )
        terms += [_without_pack_size(name) for name in products]
    return Vocabulary(terms, max_chars=max_chars)


def _clients(session: sa.orm.Session, only: int | None, *, everyone: bool) -> list[str]:
    """Client names (and companies), the most recently or soonest booked first."""
    if not everyone and only is None:
        return []
    last = (
        sa.select(Appointment.client_id, sa.func.max(Appointment.starts_at).label("last"))
        .group_by(Appointment.client_id)
        .subquery()
    )
    query = (
        sa.select(Client.first_name, Client.last_name, Client.company)
        .outerjoin(last, last.c.client_id == Client.id)
        .where(Client.deleted_at.is_(None))
        .order_by(last.c.last.desc().nulls_last(), Client.id)
        .limit(_MAX_ROWS)
    )
    if only is not None:
        query = query.where(Client.id == only)
    names: list[str] = []
    for first, last_name, company in session.execute(query):
        names.append(f"{first} {last_name}".strip())
        if company:
            names.append(_without_suffix(company))
    return names


def _without_suffix(company: str) -> str:
    """ "HairCo Wholesale Ltd" → "HairCo Wholesale" (nobody says "limited")."""
    return _COMPANY_SUFFIX.sub("", company.strip())


def _without_pack_size(product: str) -> str:
    """ "Argan Repair Shampoo 250ml" → "Argan Repair Shampoo"."""
    return _PACK_SIZE.sub("", product.strip())
