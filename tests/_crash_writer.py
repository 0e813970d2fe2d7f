"""A writer that a test kills at random: each transaction writes an invoice with five lines.

Prints the invoice number after each commit, so the test knows which writes were committed.
Run as ``python -m tests._crash_writer DATABASE_URL BUSINESS_ID``.
"""

import sys
from datetime import date

import sqlalchemy as sa

from luma_desktop.workspace.database import Workspace
from luma_desktop.workspace.models import Client, Invoice, InvoiceLine, TaxSettings

LINES_PER_INVOICE = 5


def main() -> None:
    workspace = Workspace(sys.argv[1])
    business_id = int(sys.argv[2])
    while True:
        with workspace.transaction(business_id) as session:
            settings = session.scalars(sa.select(TaxSettings)).one()
            client_id = session.scalars(sa.select(Client.id)).first()
            number = settings.next_invoice_number
            settings.next_invoice_number = number + 1
            invoice = Invoice(
                number=f"INV-{number:05d}",
                client_id=client_id,
                currency="GBP",
                issued_on=date(2026, 1, 1),
                total_minor=LINES_PER_INVOICE * 1000,
            )
            session.add(invoice)
            session.flush()
            for position in range(LINES_PER_INVOICE):
                session.add(
                    InvoiceLine(
                        invoice_id=invoice.id,
                        position=position,
                        description=f"line {position}",
                        unit_price_minor=1000,
                        net_minor=1000,
                    )
                )
                session.flush()
        print(number, flush=True)


if __name__ == "__main__":
    main()
