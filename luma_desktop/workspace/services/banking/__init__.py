"""Banking: a local ledger is the embedded bank (accounts, transactions, payees, cards).

Money is integer minor units in the account's currency. Incoming transactions are positive,
outgoing ones negative. An account's *booked* balance is its opening balance plus its booked
transactions; *available* is booked plus pending outgoing money (pending incoming money is
shown but cannot be spent yet).

How pending money settles: :meth:`BankingService.pay_payee` and due scheduled payments create
*pending* outgoing transactions, which reserve the money at once. The daily hook
:meth:`BankingService.run_due_payments` (the app runs it at start-up and once a day) books
every pending transaction dated before today — a one-day clearing, like a faster payment.

Reversible writes and their inverses (for the undo of the tool layer):

=========================  =================================================================
write                      inverse
=========================  =================================================================
categorize_transaction     restore_categories(previous) with the returned ``previous`` values
reconcile                  unreconcile(transaction_id): deletes the invoice payment it made
                           and recomputes the invoice's paid amount and status, or clears
                           the expense link
transfer_internal          transfer_internal with the accounts swapped (a compensating
                           transfer: a ledger is never edited)
pay_payee                  cancel_pending_payment(transaction_id) while it is still pending;
                           once booked the money has left (irreversible)
schedule_payment           cancel_scheduled_payment(id)
cancel_scheduled_payment   restore_scheduled_payment(id)
add_payee                  remove_payee(id)
remove_payee               restore_payee(id)
freeze_card                unfreeze_card(id)
unfreeze_card              freeze_card(id)
run_due_payments           none (it is the bank's clock; idempotent per day)
=========================  =================================================================
"""

from __future__ import annotations

from ....errors import ConfigurationError
from ...database import Workspace
from .._base import ServiceContext
from ._bookkeeping import BookkeepingMixin
from ._payees import PayeesMixin, normalise_bic
from ._payments import DEFAULT_LARGE_PAYMENT_MINOR, PaymentsMixin
from ._reading import ReadingMixin
from ._scheduled import ScheduledMixin, next_occurrence
from ._schemas import (
    AccountBalance,
    Balances,
    CardInfo,
    CategoryChange,
    CurrencyTotal,
    DuePaymentsRun,
    PayeeInfo,
    Reconciliation,
    ScheduledPaymentInfo,
    SkippedPayment,
    Statement,
    StatementLine,
    TransactionInfo,
    TransactionPage,
    Transfer,
)

__all__ = [
    "DEFAULT_LARGE_PAYMENT_MINOR",
    "AccountBalance",
    "Balances",
    "BankingService",
    "CardInfo",
    "CategoryChange",
    "CurrencyTotal",
    "DuePaymentsRun",
    "PayeeInfo",
    "Reconciliation",
    "ScheduledPaymentInfo",
    "SkippedPayment",
    "Statement",
    "StatementLine",
    "TransactionInfo",
    "TransactionPage",
    "Transfer",
    "next_occurrence",
    "normalise_bic",
]


class BankingService(ReadingMixin, BookkeepingMixin, PaymentsMixin, ScheduledMixin, PayeesMixin):
    """Every banking operation of one business; each public method is one transaction.

    ``large_payment_threshold_minor`` (``settings.large_payment_threshold_minor``) decides
    :meth:`is_large_payment`, which the tool layer uses to make a payment critical risk.
    """

    def __init__(
        self,
        workspace: Workspace,
        context: ServiceContext,
        *,
        large_payment_threshold_minor: int = DEFAULT_LARGE_PAYMENT_MINOR,
    ) -> None:
        super().__init__(workspace, context)
        if large_payment_threshold_minor < 0:
            raise ConfigurationError(
                "The large-payment threshold cannot be negative.",
                setting="large_payment_threshold_minor",
            )
        self.large_payment_threshold_minor = large_payment_threshold_minor
