"""Calls a brain might forge are refused by the executor, whoever proposes them."""

import pytest
import sqlalchemy as sa

from luma_desktop.errors import Invalid, NotFound, PermissionDenied
from luma_desktop.workspace.models import Client, Invoice, InvoiceStatus, Role

from ..factories import add, make_business, make_client


@pytest.fixture
def other_business(demo_workspace, clock):
    """A second business in the same workspace, with a client and an issued invoice."""
    context = make_business(demo_workspace, slug="rival", name="Rival Salon", clock=clock)
    client = make_client(demo_workspace, context, "Rita", "Rival", email="rita@rival.test")
    (invoice,) = add(
        demo_workspace,
        context,
        Invoice(
            number="INV-0900",
            client_id=client.id,
            currency="GBP",
            status=InvoiceStatus.SENT,
            total_minor=50_000,
        ),
    )
    return client, invoice


def test_another_business_s_records_do_not_exist_for_the_demo_owner(
    executor, owner, other_business
):
    client, invoice = other_business
    with pytest.raises(NotFound):
        executor.execute(owner, "clients_get", {"client": client.id})
    with pytest.raises(NotFound):
        executor.execute(owner, "invoices_get", {"invoice": invoice.number})
    with pytest.raises(NotFound):
        executor.execute(
            owner,
            "invoices_record_payment",
            {"invoice": "INV-0900", "amount": "500.00", "method": "cash"},
        )
    found = executor.execute(owner, "clients_search", {"query": "Rita Rival"}).data
    assert all(getattr(hit, "id", None) != client.id for hit in found)


def test_scope_fields_in_arguments_are_refused(executor, owner, other_business):
    client, _ = other_business
    with pytest.raises(Invalid, match="not an argument"):
        executor.execute(
            owner, "clients_get", {"client": client.id, "business_id": client.business_id}
        )
    with pytest.raises(Invalid, match="not an argument"):
        executor.execute(owner, "tasks_create", {"title": "x", "user_id": 99})


@pytest.mark.parametrize(
    ("role", "tool", "arguments"),
    [
        pytest.param(Role.STAFF, "invoices_list", {}, id="staff-invoices"),
        pytest.param(Role.STAFF, "banking_get_balance", {}, id="staff-balance"),
        pytest.param(
            Role.MANAGER, "banking_pay_payee", {"payee": "x", "amount": "1.00"}, id="manager-pays"
        ),
        pytest.param(Role.MANAGER, "invoices_revenue_report", {}, id="manager-revenue"),
        pytest.param(Role.CLIENT, "clients_search", {"query": "sarah"}, id="client-search"),
        pytest.param(
            Role.CLIENT,
            "banking_transfer_internal",
            {"from_account": "a", "to_account": "b", "amount": "1.00"},
            id="client-transfer",
        ),
    ],
)
def test_hidden_tools_cannot_run(executor, as_role, role, tool, arguments):
    context = as_role(role)
    assert tool not in {t.name for t in executor.accessible_tools(context)}
    with pytest.raises(PermissionDenied):
        executor.execute(context, tool, arguments)


def test_unknown_tool_and_non_object_arguments(executor, owner):
    with pytest.raises(NotFound):
        executor.execute(owner, "banking_empty_the_vault", {})
    with pytest.raises(Invalid, match="must be an object"):
        executor.execute(owner, "tasks_list", ["not", "a", "dict"])  # type: ignore[arg-type]


def test_portal_client_cannot_read_another_client_s_invoice(executor, as_role, demo_workspace):
    portal = as_role(Role.CLIENT)
    with demo_workspace.transaction(portal.business_id) as session:
        others = session.scalars(
            sa.select(Invoice.number).where(
                Invoice.client_id != portal.client_id, Invoice.status != InvoiceStatus.DRAFT
            )
        ).all()
        own_name = session.scalars(
            sa.select(Client.first_name).where(Client.id == portal.client_id)
        ).one()
    assert others
    for number in others[:5]:
        with pytest.raises(NotFound):
            executor.execute(portal, "invoices_get", {"invoice": number})
    me = executor.execute(portal, "clients_get", {}).data
    assert me.first_name == own_name
