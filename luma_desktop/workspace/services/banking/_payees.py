"""Saved payees (IBAN-validated, soft-removed) and payment cards (freeze/unfreeze)."""

from __future__ import annotations

import re

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ....errors import Ambiguous, Candidate, Conflict, Invalid, NotFound
from ...models import BankAccount, Card, Payee, ScheduledPayment
from ...values import format_money, normalise_iban
from .._base import DomainService
from .._matching import Option, match_one
from .._references import Ref, parse_number_reference, resolve_account
from ._ledger import clean_text, live_payee, removed_payee
from ._schemas import CardInfo, PayeeInfo

__all__ = ["PayeesMixin"]

_BIC = re.compile(r"^[A-Z]{4}[A-Z]{2}[A-Z0-9]{2}(?:[A-Z0-9]{3})?$")
_LAST4 = re.compile(r"^(?:[*•x.\s]*|ending\s+(?:in\s+)?)(\d{4})$", re.IGNORECASE)


def normalise_bic(raw: str | None) -> str | None:
    """A BIC/SWIFT code (8 or 11 characters) in upper case, or ``None`` when not given."""
    if raw is None or not raw.strip():
        return None
    bic = "".join(raw.split()).upper()
    if not _BIC.match(bic):
        raise Invalid(
            f"“{raw}” is not a BIC: it has 8 or 11 letters and digits, like "
            "NWBKGB2L or DEUTDEFF500.",
            field="bic",
        )
    return bic


def _clash(payees: list[Payee], name: str, iban: str, skip: int | None = None) -> None:
    for other in payees:
        if other.id == skip or other.removed_at is not None:
            continue
        if other.name.casefold() == name.casefold():
            raise Conflict(f"You already have a payee called “{other.name}” (IBAN {other.iban}).")
        if other.iban == iban:
            raise Conflict(f"The IBAN {iban} is already saved as payee “{other.name}”.")


def _find_other(session: Session, reference: Ref, *, removed: bool) -> Payee | None:
    """The payee ``reference`` means on the other side (removed or live), if exactly one."""
    try:
        return (removed_payee if removed else live_payee)(session, reference)
    except (NotFound, Ambiguous):
        return None


def _card_label(card: Card) -> str:
    return f"{card.holder}'s card ending {card.last4}"


def _card_info(card: Card, account: BankAccount) -> CardInfo:
    return CardInfo(
        id=card.id,
        account_id=account.id,
        account_name=account.name,
        holder=card.holder,
        last4=card.last4,
        frozen=card.frozen,
        frozen_at=card.frozen_at,
    )


def _resolve_card(session: Session, reference: Ref) -> tuple[Card, BankAccount]:
    """A card by id, last four digits ("1234", "ending 1234") or (fuzzy) holder name."""
    rows = session.execute(
        sa.select(Card, BankAccount)
        .join(BankAccount, BankAccount.id == Card.account_id)
        .order_by(Card.id)
    ).all()
    found: list[tuple[Card, BankAccount]] = []
    if isinstance(reference, int):
        found = [r for r in rows if r[0].id == reference]
    else:
        last4 = _LAST4.match(reference.strip())
        number = parse_number_reference(reference)
        if last4:
            found = [r for r in rows if r[0].last4 == last4.group(1)]
        elif number is not None and reference.strip().startswith("#"):
            found = [r for r in rows if r[0].id == number]
        else:
            options = [Option(c.id, _card_label(c), a.name, (c.holder,)) for c, a in rows]
            card_id = match_one(reference, options, "card")
            found = [r for r in rows if r[0].id == card_id]
    if len(found) > 1:
        raise Ambiguous(
            "card", reference, [Candidate(c.id, _card_label(c), a.name, 100.0) for c, a in found]
        )
    if not found:
        raise NotFound("card", reference)
    return found[0]


class PayeesMixin(DomainService):
    """Payees and cards."""

    def list_payees(self) -> tuple[PayeeInfo, ...]:
        """Saved payees (not removed), by name."""
        with self._unit() as session:
            rows = session.scalars(sa.select(Payee).where(Payee.removed_at.is_(None))).all()
            return tuple(
                PayeeInfo.model_validate(p) for p in sorted(rows, key=lambda p: p.name.casefold())
            )

    def add_payee(
        self, name: str, iban: str, *, bic: str | None = None, reference: str | None = None
    ) -> PayeeInfo:
        """Save a payee; the IBAN is checked (mod-97) and the BIC shape too. A removed payee of
        the same name comes back with the new details. Undo: :meth:`remove_payee`."""
        clean_name = clean_text(name, "payee name", 200, required=True)
        assert clean_name is not None
        compact_iban = normalise_iban(iban)
        clean_bic = normalise_bic(bic)
        clean_reference = clean_text(reference, "reference", 140)
        with self._unit() as session:
            payees = list(session.scalars(sa.select(Payee).order_by(Payee.id)).all())
            _clash(payees, clean_name, compact_iban)
            row = next((p for p in payees if p.name.casefold() == clean_name.casefold()), None)
            if row is None:
                row = Payee(name=clean_name)
                session.add(row)
            row.name, row.iban, row.bic = clean_name, compact_iban, clean_bic
            row.default_reference, row.removed_at = clean_reference, None
            session.flush()
            return PayeeInfo.model_validate(row)

    def remove_payee(self, payee: Ref) -> PayeeInfo:
        """Remove a payee (kept for history; :meth:`restore_payee` brings it back)."""
        with self._unit() as session:
            gone = _find_other(session, payee, removed=True)
            try:
                row = live_payee(session, payee)
            except NotFound:
                if gone is None:
                    raise
                raise Conflict(f"“{gone.name}” was already removed.") from None
            scheduled = session.scalars(
                sa.select(ScheduledPayment).where(
                    ScheduledPayment.payee_id == row.id, ScheduledPayment.active.is_(True)
                )
            ).all()
            if scheduled:
                first = scheduled[0]
                raise Conflict(
                    f"“{row.name}” still has {len(scheduled)} scheduled payment(s) (next "
                    f"{format_money(first.amount_minor, first.currency)} on "
                    f"{first.next_on:%-d %b %Y}); cancel them first."
                )
            row.removed_at = self.context.now()
            return PayeeInfo.model_validate(row)

    def restore_payee(self, payee: Ref) -> PayeeInfo:
        """Bring back a removed payee (the inverse of :meth:`remove_payee`)."""
        with self._unit() as session:
            live = _find_other(session, payee, removed=False)
            try:
                row = removed_payee(session, payee)
            except NotFound:
                if live is None:
                    raise
                raise Conflict(
                    f"“{live.name}” is not removed; it is still a saved payee."
                ) from None
            _clash(list(session.scalars(sa.select(Payee)).all()), row.name, row.iban, row.id)
            row.removed_at = None
            return PayeeInfo.model_validate(row)

    def list_cards(self, account: Ref | None = None) -> tuple[CardInfo, ...]:
        """The business's cards (optionally of one account)."""
        with self._unit() as session:
            query = (
                sa.select(Card, BankAccount)
                .join(BankAccount, BankAccount.id == Card.account_id)
                .order_by(Card.id)
            )
            if account is not None:
                query = query.where(Card.account_id == resolve_account(session, account).id)
            return tuple(_card_info(c, a) for c, a in session.execute(query).all())

    def freeze_card(self, card: Ref) -> CardInfo:
        """Freeze a card (id, last four digits or holder). Undo: :meth:`unfreeze_card`."""
        with self._unit() as session:
            row, account = _resolve_card(session, card)
            if row.frozen:
                since = f" since {row.frozen_at:%-d %b %Y}" if row.frozen_at else ""
                raise Conflict(f"{_card_label(row)} is already frozen{since}; nothing changed.")
            row.frozen, row.frozen_at = True, self.context.now()
            return _card_info(row, account)

    def unfreeze_card(self, card: Ref) -> CardInfo:
        """Unfreeze a frozen card (the inverse of :meth:`freeze_card`)."""
        with self._unit() as session:
            row, account = _resolve_card(session, card)
            if not row.frozen:
                raise Conflict(f"{_card_label(row)} is not frozen; it already works.")
            row.frozen, row.frozen_at = False, None
            return _card_info(row, account)
