"""Tenant isolation is built into the session: no query of one business sees another's rows."""

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from luma_desktop.errors import PermissionDenied, WorkspaceError
from luma_desktop.workspace.models import Base, Client, Invoice, TenantMixin

from .factories import add, make_business, make_client


@pytest.fixture
def two_businesses(workspace):
    acme = make_business(workspace, slug="acme")
    other = make_business(workspace, slug="other")
    sarah = make_client(workspace, acme, "Sarah", "Miller")
    tom = make_client(workspace, other, "Tom", "Jones")
    return acme, other, sarah, tom


def test_select_get_update_delete_are_scoped(workspace, two_businesses):
    acme, other, sarah, tom = two_businesses
    with workspace.transaction(acme.business_id) as session:
        assert session.get(Client, tom.id) is None
        assert session.get(Client, sarah.id) is not None
        assert session.scalar(sa.select(sa.func.count()).select_from(Client)) == 1
        joined = session.execute(
            sa.select(Client.first_name, Invoice.id).outerjoin(
                Invoice, Invoice.client_id == Client.id
            )
        ).all()
        assert [row[0] for row in joined] == ["Sarah"]
        result = session.execute(sa.update(Client).values(company="Hacked"))
        assert result.rowcount == 1
        session.execute(sa.delete(Client).where(Client.id == tom.id))
    with workspace.transaction(other.business_id) as session:
        survivor = session.get(Client, tom.id)
        assert survivor is not None
        assert survivor.company is None


def test_writing_into_another_business_is_refused(workspace, two_businesses):
    acme, other, *_ = two_businesses
    with pytest.raises(PermissionDenied), workspace.transaction(acme.business_id) as session:
        session.add(Client(business_id=other.business_id, first_name="Evil", last_name="Twin"))
    with pytest.raises(PermissionDenied), workspace.transaction(acme.business_id) as session:
        mine = session.scalars(sa.select(Client)).one()
        mine.business_id = other.business_id
    with workspace.transaction(other.business_id) as session:
        assert session.scalars(sa.select(Client.first_name)).all() == ["Tom"]


def test_new_rows_get_the_session_business(workspace, two_businesses):
    acme, *_ = two_businesses
    (client,) = add(workspace, acme, Client(first_name="Ann", last_name="Lee"))
    assert client.business_id == acme.business_id


def test_every_tenant_table_is_filtered(demo_workspace):
    """On the demo data plus a second business, scoped counts equal per-business counts."""
    from luma_desktop.clock import FixedClock
    from luma_desktop.workspace.models import Business

    other = make_business(
        demo_workspace, slug="second", clock=FixedClock(datetime(2026, 1, 1, tzinfo=UTC))
    )
    make_client(demo_workspace, other, "Only", "Mine")
    with demo_workspace.transaction(None) as session:
        demo_id = session.scalars(sa.select(Business.id).where(Business.is_demo)).one()
    tenant_models = [m.class_ for m in Base.registry.mappers if issubclass(m.class_, TenantMixin)]
    assert len(tenant_models) > 50
    checked = 0
    for model in tenant_models:
        with demo_workspace.transaction(None) as session:
            total = session.scalar(sa.select(sa.func.count()).select_from(model))
            own = session.scalar(
                sa.select(sa.func.count())
                .select_from(model)
                .where(model.business_id == other.business_id)
            )
        with demo_workspace.transaction(other.business_id) as session:
            scoped = session.scalar(sa.select(sa.func.count()).select_from(model))
            ids = {row.business_id for row in session.scalars(sa.select(model)).all()}
        assert scoped == own, model.__tablename__
        assert ids <= {other.business_id}, model.__tablename__
        checked += total > own
    assert checked > 25  # the demo filled most tables, and none of its rows leaked
    assert demo_id != other.business_id


def test_naive_datetimes_are_refused(workspace, two_businesses):
    acme, *_ = two_businesses
    from luma_desktop.workspace.models import Reminder

    with (
        pytest.raises(WorkspaceError, match="naive datetime"),
        workspace.transaction(acme.business_id) as session,
    ):
        session.add(
            Reminder(
                user_id=acme.user_id, text="x", due_at=datetime(2026, 1, 1) + timedelta(hours=1)
            )
        )
        session.flush()
