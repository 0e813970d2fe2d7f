"""Payees and cards: saving and removing payees, freezing and unfreezing payment cards."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from ...assistant.catalog import Card, InverseRunner, Operation, Risk, Tool, ToolResult
from ...assistant.context import ExecutionContext
from ...workspace.services import Services
from ...workspace.services.banking import CardInfo
from .._common import Reference, ToolInput
from ._shared import DOMAIN, WRITE_SCOPE, undo_plan

__all__ = ["INVERSES", "TOOLS"]


# -- payees ----------------------------------------------------------------------------------


class AddPayee(ToolInput):
    name: str = Field(min_length=1, max_length=200, description="Who is paid, e.g. 'HairCo Ltd'.")
    iban: str = Field(
        min_length=15, max_length=42, description="Their IBAN (spaces allowed); it is checked."
    )
    bic: str | None = Field(
        default=None, min_length=8, max_length=14, description="BIC/SWIFT code, if known."
    )
    reference: str | None = Field(
        default=None,
        min_length=1,
        max_length=140,
        description="Reference to use on payments by default (e.g. their account number).",
    )


def add_payee(services: Services, args: AddPayee, context: ExecutionContext) -> ToolResult:
    payee = services.banking.add_payee(args.name, args.iban, bic=args.bic, reference=args.reference)
    return ToolResult(
        f"Saved the payee {payee.name} (IBAN {payee.iban}).",
        payee,
        Card.TABLE,
        undo_plan("remove_payee", f"remove the payee {payee.name}", payee_id=payee.id),
    )


class RemovePayee(ToolInput):
    payee: Reference = Field(description="A saved payee: name, IBAN or id.")


def remove_payee(services: Services, args: RemovePayee, context: ExecutionContext) -> ToolResult:
    payee = services.banking.remove_payee(args.payee)
    return ToolResult(
        f"Removed the payee {payee.name}.",
        payee,
        Card.TABLE,
        undo_plan("restore_payee", f"bring back the payee {payee.name}", payee_id=payee.id),
    )


# -- cards -----------------------------------------------------------------------------------


class CardRef(ToolInput):
    card: str = Field(
        min_length=1,
        max_length=100,
        description="The card: last four digits ('4821'), the holder's name ('Emma Clarke') "
        "or '#' and its id.",
    )


def _label(card: CardInfo) -> str:
    return f"{card.holder}'s card ending {card.last4}"


def freeze_card(services: Services, args: CardRef, context: ExecutionContext) -> ToolResult:
    card = services.banking.freeze_card(args.card)
    label = _label(card)
    return ToolResult(
        f"Froze {label}; it cannot be used until it is unfrozen.",
        card,
        Card.TEXT,
        undo_plan("unfreeze_card", f"unfreeze {label}", card_id=card.id),
    )


def unfreeze_card(services: Services, args: CardRef, context: ExecutionContext) -> ToolResult:
    card = services.banking.unfreeze_card(args.card)
    label = _label(card)
    return ToolResult(
        f"Unfroze {label}; it works again.",
        card,
        Card.TEXT,
        undo_plan("freeze_card", f"freeze {label} again", card_id=card.id),
    )


# -- the tools -------------------------------------------------------------------------------

_W = Operation.WRITE

TOOLS: list[Tool[Any]] = [
    Tool(
        "banking_add_payee",
        DOMAIN,
        "Save a new payee with a checked IBAN (and optional BIC and default reference).\n"
        "Needed before paying someone new. Undo removes the payee.",
        AddPayee,
        add_payee,
        _W,
        Risk.HIGH,
        WRITE_SCOPE,
        Card.TABLE,
        confirmation="Add the payee {name} with IBAN {iban}?",
        reversible=True,
        examples=(
            "add a new payee for the window cleaner",
            "save Beauty Supplies Ltd as a payee",
        ),
    ),
    Tool(
        "banking_remove_payee",
        DOMAIN,
        "Remove a saved payee (kept for history; payments to it stop being possible).\n"
        "Refused while it has scheduled payments. Undo brings it back.",
        RemovePayee,
        remove_payee,
        _W,
        Risk.HIGH,
        WRITE_SCOPE,
        Card.TABLE,
        confirmation="Remove the payee {payee}?",
        reversible=True,
        examples=(
            "delete the payee for the old cleaner",
            "we stopped using HairCo, remove them as a payee",
        ),
    ),
    Tool(
        "banking_freeze_card",
        DOMAIN,
        "Freeze a business payment card (lost, stolen, or to stop spending).\n"
        "Find it by its last four digits or holder. Undo unfreezes it.",
        CardRef,
        freeze_card,
        _W,
        Risk.HIGH,
        WRITE_SCOPE,
        Card.TEXT,
        confirmation="Freeze the card {card}?",
        reversible=True,
        examples=("freeze Daniel's card", "freeze the card ending 4821"),
    ),
    Tool(
        "banking_unfreeze_card",
        DOMAIN,
        "Unfreeze a frozen business payment card so it works again.\n"
        "Find it by its last four digits or holder. Undo freezes it again.",
        CardRef,
        unfreeze_card,
        _W,
        Risk.HIGH,
        WRITE_SCOPE,
        Card.TEXT,
        confirmation="Unfreeze the card {card}?",
        reversible=True,
        examples=(
            "unfreeze the card ending 4821",
            "Daniel found his card, switch it back on",
        ),
    ),
]

INVERSES: dict[tuple[str, str], InverseRunner] = {
    (DOMAIN, "remove_payee"): lambda s, a: s.banking.remove_payee(a["payee_id"]),
    (DOMAIN, "restore_payee"): lambda s, a: s.banking.restore_payee(a["payee_id"]),
    (DOMAIN, "unfreeze_card"): lambda s, a: s.banking.unfreeze_card(a["card_id"]),
    (DOMAIN, "freeze_card"): lambda s, a: s.banking.freeze_card(a["card_id"]),
}
