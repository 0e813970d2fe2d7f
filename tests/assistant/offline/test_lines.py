"""Invoice and quote lines read from the business's own catalog, not from a fixed list."""

from __future__ import annotations

import pytest

from luma_desktop.assistant.brains.offline import OfflineBrain
from luma_desktop.workspace.models import Service

pytestmark = pytest.mark.usefixtures("demo_workspace")


@pytest.fixture
def brain_with_beard_trim(demo_workspace, registry, owner_context, working) -> OfflineBrain:
    with demo_workspace.transaction(owner_context.business_id) as session:
        session.add(
            Service(
                name="Beard trim & shape", duration_minutes=20, price_minor=1500, currency="GBP"
            )
        )
    return OfflineBrain(demo_workspace, registry, owner_context, working=working)


@pytest.mark.parametrize(
    ("said", "lines"),
    [
        pytest.param(
            "invoice sarah miller for a beard trim and shape",
            [{"service": "Beard trim & shape"}],
            id="a-new-service-with-and-in-its-name",
        ),
        pytest.param(
            "invoice sarah miller for a beard trim and shape and a balayage",
            [{"service": "Beard trim & shape"}, {"service": "Balayage"}],
            id="two-services",
        ),
        pytest.param(
            "invoice sarah miller for a cut and blow dry and an argan shampoo",
            [{"service": "Cut & blow-dry"}, {"product": "Argan Repair Shampoo 250ml"}],
            id="a-service-and-a-product",
        ),
    ],
)
def test_lines_name_catalog_items(brain_with_beard_trim, said, lines):
    understood = brain_with_beard_trim.understand(said)
    assert understood.tool == "invoices_create"
    assert understood.arguments["client"] == "Sarah Miller"
    assert understood.arguments["lines"] == lines


def test_an_item_not_in_the_catalog_is_not_a_line(brain_with_beard_trim):
    understood = brain_with_beard_trim.understand("invoice sarah miller for a tattoo")
    assert "lines" not in understood.arguments
