"""Client management tools through the executor, on the demo business (two Sarahs, 60 clients)."""

import json

import pytest

from luma_desktop.errors import Ambiguous, Conflict, Invalid, NotFound, PermissionDenied
from luma_desktop.workspace.models import Role

CSV_HEADER = "First name,Last name,Email,Phone,Tags\n"


def snapshot(executor, owner):
    """Every client (deleted too) and Sarah Miller's profile: what a write would change."""
    page = executor.execute(owner, "clients_list", {"include_deleted": True, "limit": 200}).data
    profile = executor.execute(owner, "clients_get", {"client": 1}).data
    return page.total, page.items, profile


def exports_folder(tmp_path):
    return tmp_path / "files" / "business-1" / "exports"


# -- reads -----------------------------------------------------------------------------------


def test_search_finds_both_sarahs_best_first(executor, owner):
    result = executor.execute(owner, "clients_search", {"query": "sarah"})
    assert [c.name for c in result.data] == ["Sarah Miller", "Sarah Thompson"]
    assert result.summary == (
        "Found 2 clients: Sarah Miller (sarah.miller@example.com, +442079460211) and "
        "Sarah Thompson (sarah.t.design@example.com, +442079460342)."
    )
    assert result.card.value == "clients"


def test_search_filters_by_tag_and_lead_status(executor, owner):
    result = executor.execute(owner, "clients_search", {"tag": "VIP", "lead_status": "customer"})
    assert [c.name for c in result.data] == ["Sarah Miller", "Eleanor Moore", "Aisha Murphy"]
    assert all("vip" in c.tags and c.lead_status.value == "customer" for c in result.data)
    assert executor.execute(owner, "clients_search", {"query": "zzqqxx"}).summary == (
        "No clients match “zzqqxx”."
    )


def test_get_profile_speaks_visits_balance_and_notes(executor, owner):
    result = executor.execute(owner, "clients_get", {"client": "Sarah Miller"})
    assert result.data.id == 1
    assert result.data.next_appointment.confirmation_code == "PS4MN6"
    assert result.summary == (
        "Sarah Miller (sarah.miller@example.com, +442079460211), customer, tagged "
        "prefers-mornings and vip. Last visit Thu 12 Nov, 12:00 (Cut & blow-dry); next Wed 18 "
        "Nov, 15:15 (Full head colour); balance £0.00; 2 notes."
    )


def test_ambiguous_name_asks_with_both_sarahs(executor, owner):
    with pytest.raises(Ambiguous) as caught:
        executor.execute(owner, "clients_get", {"client": "Sarah"})
    assert {c.label for c in caught.value.candidates} == {"Sarah Miller", "Sarah Thompson"}


def test_history_is_a_dated_timeline_filtered_by_kind(executor, owner):
    result = executor.execute(owner, "clients_history", {"client": "Sarah Miller", "limit": 2})
    assert [(e.kind, e.detail) for e in result.data] == [
        ("appointment", "code 4HQC9G"),
        ("appointment", "code WRWYFZ"),
    ]
    assert result.summary == (
        "Sarah Miller's latest 2 events: Tue 1 Dec, 12:15 Cut & blow-dry with Emma Clarke "
        "(confirmed) and Tue 24 Nov, 09:00 Cut & blow-dry with Emma Clarke (confirmed)."
    )
    notes = executor.execute(owner, "clients_history", {"client": 1, "kinds": ["note"]}).data
    assert notes
    assert {e.kind for e in notes} == {"note"}


def test_list_not_visited_in_90_days(executor, owner):
    result = executor.execute(owner, "clients_list", {"not_visited_days": 90})
    assert result.data.total == 8
    assert result.summary.startswith("8 clients; showing 1-8: Ethan Hughes (no visits)")
    paged = executor.execute(owner, "clients_list", {"limit": 5, "offset": 5})
    assert paged.data.total == 60
    assert len(paged.data.items) == 5
    assert paged.summary.startswith("60 clients; showing 6-10: ")


def test_list_mine_and_staff_see_only_their_clients(executor, owner, as_role):
    staff = executor.execute(as_role(Role.STAFF), "clients_list", {"limit": 200}).data
    assert staff.total == 29
    assert "Holly Bell" not in {c.name for c in staff.items}
    mine = executor.execute(owner, "clients_list", {"mine": True, "limit": 200}).data
    assert mine.total == 33
    assert "Sarah Miller" in {c.name for c in mine.items}


def test_engagement_score_level_and_factors(executor, owner):
    result = executor.execute(owner, "clients_engagement", {"client": "Sarah Miller"})
    assert (result.data.score, result.data.level.value) == (62, "hot")
    assert [f.name for f in result.data.factors] == [
        "recency",
        "frequency",
        "spend",
        "punctuality",
        "responsiveness",
        "tenure",
    ]
    assert result.summary.startswith("Sarah Miller: engagement 62/100 (hot). Strongest: ")
    assert "weakest: spend (21.60 paid in a year)" in result.summary


# -- reversible writes and their undo --------------------------------------------------------


def test_create_normalises_the_phone_and_undo_removes_it(executor, owner):
    created = executor.execute(
        owner,
        "clients_create",
        {"first_name": "Jane", "last_name": "Doe", "phone": "07911 123456", "tags": ["New"]},
    )
    assert (created.data.phone, created.data.tags) == ("+447911123456", ("new",))
    assert created.summary == "Added the client Jane Doe (+447911123456)."
    undone = executor.execute(owner, "assistant_undo_last", {})
    assert undone.summary == "Undone: remove the new client Jane Doe."
    with pytest.raises(NotFound):
        executor.execute(owner, "clients_get", {"client": created.data.id})


def test_create_refuses_a_likely_duplicate_unless_allowed(executor, owner):
    before = snapshot(executor, owner)
    with pytest.raises(Conflict, match="Sarah Miller"):
        executor.execute(owner, "clients_create", {"first_name": "Sarah", "last_name": "Miler"})
    assert snapshot(executor, owner) == before
    allowed = executor.execute(
        owner,
        "clients_create",
        {"first_name": "Sarah", "last_name": "Miler", "allow_duplicate": True},
    )
    assert allowed.data.name == "Sarah Miler"


def test_update_changes_fields_and_undo_puts_them_back(executor, owner):
    result = executor.execute(
        owner,
        "clients_update",
        {"client": "Sarah Miller", "phone": "07911 123456", "lead_status": "inactive"},
    )
    assert result.summary == (
        "Updated Sarah Miller: phone now +447911123456 and lead status now inactive."
    )
    executor.execute(owner, "assistant_undo_last", {})
    profile = executor.execute(owner, "clients_get", {"client": 1}).data
    assert (profile.phone, profile.lead_status.value) == ("+442079460211", "customer")


def test_update_can_clear_a_field_and_set_the_owner(executor, owner):
    result = executor.execute(
        owner, "clients_update", {"client": 1, "address": "", "owner_staff": "Chloe"}
    )
    assert (result.data.address, result.data.owner_staff) == (None, "Chloe Evans")
    assert (
        result.summary == "Updated Sarah Miller: address now empty and looked after by now "
        "Chloe Evans."
    )
    executor.execute(owner, "assistant_undo_last", {})
    profile = executor.execute(owner, "clients_get", {"client": 1}).data
    assert (profile.address, profile.owner_staff) == (
        "22 Canonbury Road, London N1 2BT",
        "Emma Clarke",
    )


def test_update_without_a_change_has_nothing_to_undo(executor, owner):
    result = executor.execute(owner, "clients_update", {"client": 1, "lead_status": "customer"})
    assert result.summary == "Sarah Miller already has those details; nothing changed."
    assert result.undo is None


def test_delete_exports_first_and_undo_restores(executor, owner, tmp_path):
    result = executor.execute(owner, "clients_delete", {"client": "Phoebe Allen"})
    path = result.data.export_path
    assert path.parent == exports_folder(tmp_path)
    record = json.loads(path.read_text(encoding="utf-8"))
    assert (record["client"]["first_name"], record["client"]["last_name"]) == ("Phoebe", "Allen")
    assert result.summary == (
        f"Deleted the client Phoebe Allen; their full record was saved to {path.name} first."
    )
    with pytest.raises(NotFound):
        executor.execute(owner, "clients_get", {"client": 27})
    executor.execute(owner, "assistant_undo_last", {})
    assert executor.execute(owner, "clients_get", {"client": 27}).data.deleted_at is None


def test_delete_refuses_a_client_with_upcoming_appointments(executor, owner, tmp_path):
    before = snapshot(executor, owner)
    with pytest.raises(Conflict, match="3 upcoming appointments"):
        executor.execute(owner, "clients_delete", {"client": "Sarah Miller"})
    assert snapshot(executor, owner) == before
    assert not list(exports_folder(tmp_path).glob("*.json"))


def test_staff_add_a_note_to_their_client_and_undo_it(executor, owner, as_role):
    staff = as_role(Role.STAFF)
    result = executor.execute(
        staff,
        "clients_add_note",
        {"client": "Sarah Miller", "body": "Asked for a later slot next time", "kind": "visit"},
    )
    assert result.summary == "Added a visit note to Sarah Miller."
    assert executor.execute(owner, "clients_get", {"client": 1}).data.notes_count == 3
    undone = executor.execute(staff, "assistant_undo_last", {})
    assert undone.summary == "Undone: remove the visit note on Sarah Miller."
    assert executor.execute(owner, "clients_get", {"client": 1}).data.notes_count == 2


def test_tag_many_clients_and_undo_restores_each_clients_tags(executor, owner):
    result = executor.execute(
        owner,
        "clients_tag",
        {"clients": ["Sarah Miller", "Sarah Thompson"], "add": ["Bridal"], "remove": ["vip"]},
    )
    after = {c.name: c.after for c in result.data.changes}
    assert after == {
        "Sarah Miller": ("bridal", "prefers-mornings"),
        "Sarah Thompson": ("bridal", "newsletter"),
    }
    assert result.summary == "Added bridal and removed vip on Sarah Miller and Sarah Thompson."
    executor.execute(owner, "assistant_undo_last", {})
    assert executor.execute(owner, "clients_get", {"client": 1}).data.tags == (
        "prefers-mornings",
        "vip",
    )
    assert executor.execute(owner, "clients_get", {"client": 2}).data.tags == ("newsletter",)


def test_tag_one_client_says_its_tags(executor, owner):
    result = executor.execute(owner, "clients_tag", {"clients": [1], "add": ["bridal"]})
    assert result.summary == "Sarah Miller is now tagged bridal, prefers-mornings and vip."


# -- irreversible writes ---------------------------------------------------------------------


def test_merge_moves_history_and_cannot_be_undone(executor, owner, registry):
    dup = executor.execute(
        owner,
        "clients_create",
        {"first_name": "Sara", "last_name": "Miller", "allow_duplicate": True},
    ).data
    executor.execute(owner, "clients_add_note", {"client": dup.id, "body": "Paid cash"})
    result = executor.execute(owner, "clients_merge", {"keep": "Sarah Miller", "duplicate": dup.id})
    assert (
        result.summary == f"Merged Sara Miller (#{dup.id}) into Sarah Miller, moving 1 client note."
    )
    assert result.undo is None
    assert not registry.get("clients_merge").reversible
    assert "cannot be undone" in registry.get("clients_merge").description
    assert executor.execute(owner, "clients_get", {"client": 1}).data.notes_count == 3
    with pytest.raises(NotFound):
        executor.execute(owner, "clients_get", {"client": dup.id})


def test_merge_refuses_the_same_client_twice(executor, owner):
    before = snapshot(executor, owner)
    with pytest.raises(Invalid, match="two different clients"):
        executor.execute(owner, "clients_merge", {"keep": 1, "duplicate": "Sarah Miller"})
    assert snapshot(executor, owner) == before


def test_import_previews_by_default_with_counts_and_row_errors(executor, owner):
    before = snapshot(executor, owner)
    content = (
        CSV_HEADER
        + "Anna,Lee,anna@example.com,07911 123456,new\n"
        + "Bob,,not-an-email,,\n"
        + "Sarah,Miller,,,\n"
    )
    result = executor.execute(owner, "clients_import", {"content": content})
    report = result.data
    assert (report.dry_run, report.total_rows, report.valid_rows) == (True, 3, 1)
    assert result.summary == (
        "Preview of 3 rows: 1 can be imported, 1 error, 1 duplicate. Nothing imported yet. "
        "Problems: row 3 email: “not-an-email” is not a valid e-mail address; row 4: This has "
        "nearly the same name as Sarah Miller (#1, sarah.miller@example.com)."
    )
    assert snapshot(executor, owner) == before


def test_import_for_real_from_a_file_and_skip_bad_rows(executor, owner, tmp_path):
    path = tmp_path / "clients.csv"
    path.write_text(
        CSV_HEADER + "Anna,Lee,anna@example.com,07911 123456,new\nBob,,not-an-email,,\n",
        encoding="utf-8",
    )
    result = executor.execute(
        owner, "clients_import", {"path": str(path), "dry_run": False, "skip_invalid": True}
    )
    assert result.summary.startswith("Imported 1 client, skipped 1 row. Problems: row 3 email")
    assert result.undo is None
    (anna,) = executor.execute(owner, "clients_search", {"query": "anna lee"}).data
    assert (anna.phone, anna.tags) == ("+447911123456", ("new",))


def test_import_json_content_is_detected(executor, owner):
    content = json.dumps([{"name": "Tom Jones", "email": "tj@example.com"}])
    result = executor.execute(owner, "clients_import", {"content": content, "dry_run": False})
    assert result.data.format == "json"
    assert result.summary == "Imported 1 client."


def test_import_with_bad_rows_imports_nothing(executor, owner):
    before = snapshot(executor, owner)
    content = CSV_HEADER + "Anna,Lee,anna@example.com,,\nBob,,not-an-email,,\n"
    with pytest.raises(Invalid, match="1 of 2 rows have problems, so nothing was imported"):
        executor.execute(owner, "clients_import", {"content": content, "dry_run": False})
    assert snapshot(executor, owner) == before


def test_export_writes_csv_into_the_exports_folder(executor, owner, tmp_path):
    result = executor.execute(owner, "clients_export", {})
    path = result.data.path
    assert path.parent == exports_folder(tmp_path)
    assert path.name == "clients-20261118-143000.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("id,first_name,last_name,email,phone")
    assert len(lines) == 61
    assert result.data.count == 60
    assert result.summary == (
        "Exported 60 clients to clients-20261118-143000.csv (CSV) in the exports folder."
    )
    assert result.undo is None


def test_export_filtered_json_with_a_file_name(executor, owner, tmp_path):
    result = executor.execute(
        owner, "clients_export", {"tag": "vip", "file_name": "vip-clients", "format": "json"}
    )
    assert result.data.path == exports_folder(tmp_path) / "vip-clients.json"
    records = json.loads(result.data.path.read_text(encoding="utf-8"))
    assert len(records) == result.data.count == 7
    assert all("vip" in r["tags"] for r in records)


# -- bad input: a clear error and nothing written ---------------------------------------------


@pytest.mark.parametrize(
    ("tool", "arguments", "message"),
    [
        pytest.param("clients_search", {"lead_status": "vip"}, "lead_status", id="search-status"),
        pytest.param("clients_search", {"limit": 0}, "limit", id="search-limit"),
        pytest.param("clients_get", {}, "Which client", id="get-no-client"),
        pytest.param(
            "clients_history", {"client": 1, "kinds": ["gossip"]}, "kinds", id="history-kind"
        ),
        pytest.param("clients_list", {"not_visited_days": -5}, "not_visited_days", id="list-days"),
        pytest.param("clients_list", {"sort": "age"}, "sort", id="list-sort"),
        pytest.param("clients_engagement", {"client": ""}, "Which client", id="engagement-empty"),
        pytest.param("clients_create", {"first_name": ""}, "first_name", id="create-no-name"),
        pytest.param(
            "clients_create",
            {"first_name": "Jo", "email": "jo@"},
            "e-mail address",
            id="create-bad-email",
        ),
        pytest.param(
            "clients_create",
            {"first_name": "Jo", "phone": "12"},
            "phone number",
            id="create-bad-phone",
        ),
        pytest.param(
            "clients_create",
            {"first_name": "Jo", "birthday": "2030-01-01"},
            "cannot be a birthday",
            id="create-future-birthday",
        ),
        pytest.param(
            "clients_create",
            {"first_name": "Jo", "business_id": 2},
            "not an argument",
            id="create-forged-scope",
        ),
        pytest.param("clients_update", {"client": 1}, "what to change", id="update-nothing"),
        pytest.param(
            "clients_update",
            {"client": 1, "email": "nope"},
            "e-mail address",
            id="update-bad-email",
        ),
        pytest.param("clients_delete", {"client": ""}, "Which client", id="delete-empty"),
        pytest.param("clients_add_note", {"client": 1, "body": ""}, "body", id="note-empty"),
        pytest.param(
            "clients_add_note", {"client": 1, "body": "x", "kind": "gossip"}, "kind", id="note-kind"
        ),
        pytest.param("clients_tag", {"clients": [1]}, "Name a tag", id="tag-nothing"),
        pytest.param("clients_tag", {"clients": [], "add": ["x"]}, "clients", id="tag-nobody"),
        pytest.param(
            "clients_tag",
            {"clients": [1], "add": ["x"], "remove": ["x"]},
            "both added and removed",
            id="tag-both",
        ),
        pytest.param("clients_merge", {"keep": 1}, "duplicate", id="merge-missing"),
        pytest.param("clients_import", {}, "exactly one", id="import-no-source"),
        pytest.param(
            "clients_import",
            {"content": "a", "path": "/tmp/x.csv"},
            "exactly one",
            id="import-two-sources",
        ),
        pytest.param(
            "clients_import",
            {"path": "/nonexistent/clients.csv"},
            "no file",
            id="import-missing-file",
        ),
        pytest.param(
            "clients_import",
            {"content": "{not json", "format": "json"},
            "not valid",
            id="import-bad-json",
        ),
        pytest.param(
            "clients_import",
            {"content": "email\nx@example.com\n"},
            "name column",
            id="import-no-names",
        ),
        pytest.param(
            "clients_export", {"file_name": "../etc/passwd"}, "file_name", id="export-path-escape"
        ),
        pytest.param(
            "clients_export",
            {"file_name": "x.csv", "format": "json"},
            "choose one",
            id="export-mismatch",
        ),
    ],
)
def test_bad_input_is_refused_and_writes_nothing(
    executor, owner, tmp_path, *, tool, arguments, message
):
    before = snapshot(executor, owner)
    with pytest.raises(Invalid, match=message):
        executor.execute(owner, tool, arguments)
    assert snapshot(executor, owner) == before
    assert not list(exports_folder(tmp_path).glob("*"))


def test_oversized_import_file_is_refused(executor, owner, tmp_path):
    path = tmp_path / "huge.csv"
    path.write_bytes(b"First name\n" + b"Ann\n" * 1_300_000)
    with pytest.raises(Invalid, match="MB"):
        executor.execute(owner, "clients_import", {"path": str(path)})


# -- who may see what -------------------------------------------------------------------------

STAFF_HIDDEN = [
    ("clients_history", {"client": "Sarah Miller"}),
    ("clients_engagement", {"client": "Sarah Miller"}),
    ("clients_create", {"first_name": "Jo"}),
    ("clients_update", {"client": 1, "phone": "07911 123456"}),
    ("clients_delete", {"client": "Phoebe Allen"}),
    ("clients_tag", {"clients": [1], "add": ["x"]}),
    ("clients_merge", {"keep": 1, "duplicate": 2}),
    ("clients_import", {"content": "First name\nJo\n"}),
    ("clients_export", {}),
]
PORTAL_HIDDEN = [
    ("clients_search", {"query": "sarah"}),
    ("clients_list", {}),
    ("clients_add_note", {"client": 4, "body": "hi"}),
    *STAFF_HIDDEN[:2],
    *STAFF_HIDDEN[2:3],
    *STAFF_HIDDEN[4:],
]


@pytest.mark.parametrize(("tool", "arguments"), STAFF_HIDDEN, ids=[t for t, _ in STAFF_HIDDEN])
def test_staff_cannot_run_management_tools(executor, owner, as_role, tool, arguments):
    before = snapshot(executor, owner)
    with pytest.raises(PermissionDenied):
        executor.execute(as_role(Role.STAFF), tool, arguments)
    assert snapshot(executor, owner) == before


@pytest.mark.parametrize(("tool", "arguments"), PORTAL_HIDDEN, ids=[t for t, _ in PORTAL_HIDDEN])
def test_client_portal_cannot_run_team_tools(executor, as_role, tool, arguments):
    with pytest.raises(PermissionDenied):
        executor.execute(as_role(Role.CLIENT), tool, arguments)


def test_staff_cannot_reach_someone_elses_client(executor, as_role):
    staff = as_role(Role.STAFF)
    assert executor.execute(staff, "clients_search", {"query": "Holly Bell"}).data == []
    with pytest.raises((NotFound, PermissionDenied)):
        executor.execute(staff, "clients_get", {"client": "Holly Bell"})
    with pytest.raises(PermissionDenied, match="not one of your clients"):
        executor.execute(staff, "clients_add_note", {"client": 58, "body": "sneaky"})
    profile = executor.execute(staff, "clients_get", {"client": "Sarah Miller"}).data
    assert profile.balance is None


def test_portal_client_gets_and_updates_only_themselves(executor, owner, as_role):
    client = as_role(Role.CLIENT)
    mine = executor.execute(client, "clients_get", {})
    assert mine.data.name == "Olivia Bennett"
    with pytest.raises(PermissionDenied):
        executor.execute(client, "clients_get", {"client": "Sarah Miller"})
    with pytest.raises(PermissionDenied):
        executor.execute(client, "clients_get", {"client": 1})
    changed = executor.execute(client, "clients_update", {"phone": "07911 123456"})
    assert changed.summary == "Updated Olivia Bennett: phone now +447911123456."
    assert executor.execute(owner, "clients_get", {"client": 4}).data.phone == "+447911123456"
    before = snapshot(executor, owner)
    with pytest.raises(PermissionDenied, match="only your e-mail, phone and address"):
        executor.execute(client, "clients_update", {"lead_status": "lost"})
    with pytest.raises(PermissionDenied):
        executor.execute(client, "clients_update", {"client": 1, "phone": "07911 654321"})
    assert snapshot(executor, owner) == before


def test_manager_runs_every_client_tool(executor, as_role):
    manager = as_role(Role.MANAGER)
    visible = {t.name for t in executor.accessible_tools(manager) if t.domain == "clients"}
    assert len(visible) == 13
    result = executor.execute(manager, "clients_tag", {"clients": [2], "add": ["bridal"]})
    assert result.summary == "Sarah Thompson is now tagged bridal and newsletter."
