"""The factories and fixtures work on both backends and sessions are tenant-scoped."""

import sqlalchemy as sa

from luma_desktop.workspace.models import Client

from .factories import make_business, make_client


def test_two_businesses_never_see_each_others_rows(workspace):
    acme = make_business(workspace, slug="acme")
    other = make_business(workspace, slug="other")
    make_client(workspace, acme, "Sarah", "Miller")
    make_client(workspace, other, "Tom", "Jones")
    with workspace.transaction(acme.business_id) as session:
        names = session.scalars(sa.select(Client.first_name)).all()
    assert names == ["Sarah"]
