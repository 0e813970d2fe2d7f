"""Search and lookup tools through the executor, on the demo business."""

import pytest

from luma_desktop.errors import Ambiguous, Invalid, NotFound, PermissionDenied
from luma_desktop.workspace.models import Role


def test_global_search_finds_every_kind_best_first(executor, owner):
    result = executor.execute(owner, "search_global", {"query": "sarah"})
    hits = result.data.hits
    assert [h.label for h in hits[:2]] == ["Sarah Miller", "Sarah Thompson"]
    assert {h.kind for h in hits} >= {"client", "appointment", "invoice", "quote", "document"}
    assert result.data.counts["client"] == 2
    assert result.summary.startswith(
        f"{len(hits)} results for “sarah”: Sarah Miller (client); Sarah Thompson (client); "
    )
    assert result.card.value == "search"


def test_global_search_matches_words_in_documents_tasks_and_notes(executor, owner):
    result = executor.execute(owner, "search_global", {"query": "bridal"})
    assert result.summary == (
        "3 results for “bridal”: Bridal package agreement - Sarah Thompson (document); "
        "Reply to Sarah Thompson about the bridal trial (task); Spring ideas (note)."
    )


def test_global_search_limited_to_kinds(executor, owner):
    result = executor.execute(
        owner, "search_global", {"query": "sarah", "kinds": ["invoice"], "limit_per_kind": 1}
    )
    assert [h.kind for h in result.data.hits] == ["invoice"]
    assert set(result.data.counts) == {"invoice"}


def test_global_search_with_no_hits_says_so(executor, owner):
    result = executor.execute(owner, "search_global", {"query": "zzqqxx"})
    assert result.summary == "Nothing matches “zzqqxx”."
    assert result.data.hits == ()


def test_lookup_an_invoice_number(executor, owner):
    result = executor.execute(owner, "search_lookup_reference", {"reference": "INV-0042"})
    assert (result.data.kind, result.data.label) == ("invoice", "Invoice INV-0042")
    assert result.summary == "“INV-0042” is Invoice INV-0042: Olivia Bennett, sent, £96.00."


def test_lookup_a_confirmation_code(executor, owner):
    result = executor.execute(owner, "search_lookup_reference", {"reference": "ps4mn6"})
    assert (result.data.kind, result.data.id) == ("appointment", 231)
    assert result.summary == (
        "“ps4mn6” is Appointment #231: Full head colour for Sarah Miller: "
        "Wed 18 Nov 2026 15:15, confirmed, code PS4MN6."
    )


def test_lookup_a_bare_number_offers_each_kind(executor, owner):
    with pytest.raises(Ambiguous) as caught:
        executor.execute(owner, "search_lookup_reference", {"reference": "#42"})
    assert {c.extra["kind"] for c in caught.value.candidates} == {"invoice", "appointment"}


@pytest.mark.parametrize(
    ("tool", "arguments", "error", "message"),
    [
        pytest.param("search_global", {"query": ""}, Invalid, "query", id="empty-query"),
        pytest.param(
            "search_global",
            {"query": "x", "kinds": ["spaceships"]},
            Invalid,
            "kinds",
            id="unknown-kind",
        ),
        pytest.param(
            "search_global",
            {"query": "x", "limit_per_kind": 51},
            Invalid,
            "limit_per_kind",
            id="too-many",
        ),
        pytest.param(
            "search_global",
            {"query": "x", "tenant": 2},
            Invalid,
            "not an argument",
            id="forged-scope",
        ),
        pytest.param(
            "search_lookup_reference",
            {"reference": "  "},
            Invalid,
            "reference",
            id="blank-reference",
        ),
        pytest.param(
            "search_lookup_reference",
            {"reference": "INV-9999"},
            NotFound,
            "INV-9999",
            id="unknown-reference",
        ),
    ],
)
def test_bad_input_is_refused_and_writes_nothing(
    executor, owner, *, tool, arguments, error, message
):
    before = executor.execute(owner, "clients_list", {"include_deleted": True, "limit": 200}).data
    with pytest.raises(error, match=message):
        executor.execute(owner, tool, arguments)
    after = executor.execute(owner, "clients_list", {"include_deleted": True, "limit": 200}).data
    assert after == before


def test_staff_search_their_own_scope_without_money(executor, as_role):
    staff = as_role(Role.STAFF)
    result = executor.execute(staff, "search_global", {"query": "sarah"})
    kinds = {h.kind for h in result.data.hits}
    assert "client" in kinds
    assert not kinds & {"invoice", "quote"}
    assert (
        executor.execute(staff, "search_global", {"query": "Holly Bell"}).data.counts["client"] == 0
    )
    with pytest.raises(NotFound):
        executor.execute(staff, "search_lookup_reference", {"reference": "INV-0042"})


@pytest.mark.parametrize(
    ("tool", "arguments"),
    [
        pytest.param("search_global", {"query": "sarah"}, id="search"),
        pytest.param("search_lookup_reference", {"reference": "INV-0042"}, id="lookup"),
    ],
)
def test_client_portal_cannot_search(executor, as_role, tool, arguments):
    client = as_role(Role.CLIENT)
    assert tool not in {t.name for t in executor.accessible_tools(client)}
    with pytest.raises(PermissionDenied):
        executor.execute(client, tool, arguments)
