"""Banking & payments (spec section 4): balances, transactions, statements, payees, payments.

The embedded bank is a local ledger (``services.banking``); amounts arrive in major units and
are converted with :func:`minor`. A payment to a payee is high risk, and critical above the
business's large-payment threshold: the tool's ``risk_rule`` (:func:`pay_payee_risk`) gives the
level of each ``banking_pay_payee`` call, and the gatekeeper applies it (the catalog row says
high). Payments cannot be undone.
"""

from __future__ import annotations

from typing import Any

from ...assistant.catalog import InverseRunner, Tool
from . import _bookkeeping, _money, _payees_cards, _reading
from ._money import pay_payee_risk

__all__ = ["INVERSES", "TOOLS", "pay_payee_risk"]

TOOLS: list[Tool[Any]] = [
    *_reading.TOOLS,
    *_bookkeeping.TOOLS,
    *_money.TOOLS,
    *_payees_cards.TOOLS,
]

INVERSES: dict[tuple[str, str], InverseRunner] = {
    **_bookkeeping.INVERSES,
    **_money.INVERSES,
    **_payees_cards.INVERSES,
}
