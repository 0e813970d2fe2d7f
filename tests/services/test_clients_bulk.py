"""ClientsService: delete/restore with export, merge, import and export."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from luma_desktop.errors import Conflict, Invalid, NotFound, PermissionDenied
from luma_desktop.workspace.database import Workspace
from luma_desktop.workspace.models import (
    AppointmentStatus,
    Channel,
    Client,
    ClientNote,
    Direction,
    Document,
    InvoiceLine,
    KycSubject,
    KycVerification,
    LeadStatus,
    Message,
    Note,
    Order,
    Payment,
    PaymentMethod,
    Quote,
    Role,
    Task,
    User,
    WaitlistEntry,
)
from luma_desktop.workspace.services import ServiceContext
from luma_desktop.workspace.services.clients import ClientsService, ImportRejected

from ..conftest import NOW
from ..factories import add, make_business, make_client, make_service
from .test_clients import bill, book, count_clients


@pytest.fixture
def ctx(workspace: Workspace) -> ServiceContext:
    return make_business(workspace)


@pytest.fixture
def svc(workspace: Workspace, ctx: ServiceContext, tmp_path: Path) -> ClientsService:
    return ClientsService(workspace, ctx, export_dir=tmp_path / "exports")


# ---------------------------------------------------------------- delete / restore


def test_delete_exports_the_full_record_then_soft_deletes_and_restore_undoes(
    svc: ClientsService, workspace: Workspace, ctx: ServiceContext, tmp_path: Path
) -> None:
    client = svc.create("Sarah", "Miller", email="sarah@example.com", tags=["vip"])
    svc.add_note(client.id, "Likes tea", "preference")
    book(workspace, ctx, client.id, make_service(workspace, ctx, "Cut").id, days=-7)
    invoice = bill(workspace, ctx, client.id, "INV-0001", 6_000, paid=6_000)
    add(
        workspace,
        ctx,
        InvoiceLine(invoice_id=invoice.id, description="Cut", unit_price_minor=6_000),
        Payment(
            invoice_id=invoice.id,
            amount_minor=6_000,
            currency="GBP",
            method=PaymentMethod.CASH,
            paid_on=NOW.date(),
        ),
    )
    deleted = svc.delete("Sarah Miller")
    assert deleted.export_path.parent == tmp_path / "exports"
    assert deleted.deleted_at == NOW
    record = json.loads(deleted.export_path.read_text(encoding="utf-8"))
    assert record["client"]["email"] == "sarah@example.com"
    assert record["tags"] == ["vip"]
    assert [n["body"] for n in record["notes"]] == ["Likes tea"]
    assert len(record["appointments"]) == 1
    assert record["invoices"][0]["number"] == "INV-0001"
    assert record["invoices"][0]["lines"][0]["unit_price_minor"] == 6_000
    assert record["invoices"][0]["payments"][0]["method"] == "cash"
    assert list(deleted.export_path.parent.iterdir()) == [deleted.export_path]

    with pytest.raises(NotFound):
        svc.get(client.id)
    assert svc.search("Sarah") == []
    restored = svc.restore(client.id)
    assert restored.deleted_at is None
    assert svc.get("Sarah").tags == ("vip",)
    with pytest.raises(Invalid, match="is not deleted"):
        svc.restore(client.id)
    elsewhere = svc.delete(client.id, export_dir=tmp_path / "other")
    assert elsewhere.export_path.parent == tmp_path / "other"


def test_delete_refuses_while_appointments_are_coming_and_writes_nothing(
    svc: ClientsService, workspace: Workspace, ctx: ServiceContext, tmp_path: Path
) -> None:
    client = make_client(workspace, ctx, "Sarah", "Miller")
    book(
        workspace,
        ctx,
        client.id,
        make_service(workspace, ctx, "Cut").id,
        days=1,
        status=AppointmentStatus.CONFIRMED,
    )
    with pytest.raises(Conflict, match="1 upcoming appointment, the next on Thu 19 Nov"):
        svc.delete(client.id)
    assert not (tmp_path / "exports").exists()
    assert svc.get(client.id).deleted_at is None


def test_delete_with_an_unwritable_export_folder_deletes_nothing(
    svc: ClientsService, workspace: Workspace, ctx: ServiceContext, tmp_path: Path
) -> None:
    client = make_client(workspace, ctx, "Sarah", "Miller")
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    with pytest.raises(Invalid, match="couldn't write"):
        svc.delete(client.id, export_dir=blocker)
    assert svc.get(client.id).deleted_at is None


# ---------------------------------------------------------------- merge


def test_merge_moves_all_history_and_fills_empty_fields(
    svc: ClientsService, workspace: Workspace, ctx: ServiceContext
) -> None:
    keep = make_client(
        workspace,
        ctx,
        "Sarah",
        "Miller",
        email="sarah@example.com",
        lead_status=LeadStatus.LEAD,
        created_at=NOW - timedelta(days=10),
    )
    dup = make_client(
        workspace,
        ctx,
        "Sara",
        "Miller",
        phone="+447911123456",
        company="Miller & Co",
        created_at=NOW - timedelta(days=300),
    )
    svc.tag([keep.id], add=["colour"])
    svc.tag([dup.id], add=["vip", "colour"])
    cut = make_service(workspace, ctx, "Cut")
    book(workspace, ctx, dup.id, cut.id, days=-20)
    invoice = bill(workspace, ctx, dup.id, "INV-0009", 4_000, paid=1_000)
    add(
        workspace,
        ctx,
        Payment(
            invoice_id=invoice.id,
            amount_minor=1_000,
            currency="GBP",
            method=PaymentMethod.CARD,
            paid_on=NOW.date(),
        ),
        Quote(number="Q-0001", client_id=dup.id, currency="GBP"),
        Message(client_id=dup.id, channel=Channel.SMS, direction=Direction.INBOUND, body="Hi"),
        ClientNote(client_id=dup.id, body="Old note"),
        Document(title="Consent form", client_id=dup.id),
        WaitlistEntry(client_id=dup.id, service_id=cut.id),
        Order(number="ORD-0001", client_id=dup.id, currency="GBP"),
        Task(title="Call Sara", linked_type="client", linked_id=dup.id),
        Note(body="Met at fair", linked_type="client", linked_id=dup.id),
        User(name="Sara", email="sara@portal.test", role=Role.CLIENT, client_id=dup.id),
        KycVerification(subject_type=KycSubject.CLIENT, subject_id=dup.id),
    )

    result = svc.merge("Sarah Miller", dup.id)
    assert result.merged_id == dup.id
    assert result.moved == {
        "appointments": 1,
        "invoices": 1,
        "quotes": 1,
        "messages": 1,
        "client_notes": 1,
        "documents": 1,
        "waitlist": 1,
        "orders": 1,
        "portal_users": 1,
        "tasks": 1,
        "notes": 1,
        "tags": 1,
        "verifications": 1,
    }
    kept = result.kept
    assert (kept.email, kept.phone, kept.company) == (
        "sarah@example.com",
        "+447911123456",
        "Miller & Co",
    )
    assert kept.lead_status is LeadStatus.CUSTOMER
    assert kept.created_at == NOW - timedelta(days=300)
    assert kept.tags == ("colour", "vip")
    assert kept.balance_minor == 3_000
    assert kept.notes_count == 2
    assert set(result.filled) == {"phone", "company", "lead_status", "created_at"}
    assert {e.kind for e in svc.history(keep.id)} == {
        "appointment",
        "invoice",
        "payment",
        "message",
        "note",
    }
    with workspace.transaction(ctx.business_id) as session:
        gone = session.get_one(Client, dup.id)
        assert (gone.merged_into_id, gone.deleted_at) == (keep.id, NOW)
        assert session.get_one(Payment, 1).invoice_id == invoice.id
        verification = session.scalars(sa.select(KycVerification)).one()
        assert verification.subject_id == keep.id
    with pytest.raises(Conflict, match="was merged into Sarah Miller"):
        svc.restore(dup.id)


def test_merge_refuses_the_same_client_and_writes_nothing(
    svc: ClientsService, workspace: Workspace, ctx: ServiceContext
) -> None:
    client = make_client(workspace, ctx, "Sarah", "Miller", email="sarah@example.com")
    with pytest.raises(Invalid, match="two different clients"):
        svc.merge(client.id, "sarah@example.com")
    with pytest.raises(NotFound):
        svc.merge(client.id, 999)
    assert svc.get(client.id).merged_into_id is None


# ---------------------------------------------------------------- import

CSV_WITH_PROBLEMS = """First Name,Surname,E-mail,Mobile,Tags,Favourite colour
Amy,Pond,amy@example.com,07400 123456,"new, Newsletter",red
Bad,Email,not-an-email,,,
,Nameless,nameless@example.com,,,
Phone,Wrong,,12345,,
Tom,Jones,TOM@example.com,,,
Amelia,Pond,other@example.com,+447400123456,,
Rory,Williams,rory@example.com,,vip,
"""


def test_import_preview_reports_bad_rows_and_duplicates_without_writing(
    svc: ClientsService, workspace: Workspace, ctx: ServiceContext
) -> None:
    tom = make_client(workspace, ctx, "Tom", "Jones", email="tom@example.com")
    report = svc.import_clients(CSV_WITH_PROBLEMS, "csv")
    assert report.dry_run is True
    assert (report.total_rows, report.valid_rows, report.created_count) == (7, 2, 0)
    assert [(e.row, e.field) for e in report.errors] == [
        (3, "email"),
        (4, "first_name"),
        (5, "phone"),
    ]
    assert "not-an-email" in report.errors[0].message
    assert [(d.row, d.field, d.existing_id, d.other_row) for d in report.duplicates] == [
        (6, "email", tom.id, None),
        (7, "phone", None, 2),
    ]
    assert report.skipped_rows == (3, 4, 5, 6, 7)
    assert report.ignored_columns == ("Favourite colour",)
    first = report.preview[0]
    assert (first.first_name, first.phone, first.tags, first.ok) == (
        "Amy",
        "+447400123456",
        ("new", "newsletter"),
        True,
    )
    assert count_clients(workspace, ctx) == 1


def test_import_with_problems_imports_nothing_unless_told_to_skip(
    svc: ClientsService, workspace: Workspace, ctx: ServiceContext
) -> None:
    make_client(workspace, ctx, "Tom", "Jones", email="tom@example.com")
    with pytest.raises(ImportRejected) as rejected:
        svc.import_clients(CSV_WITH_PROBLEMS.encode("utf-8"), "csv", dry_run=False)
    assert isinstance(rejected.value, Invalid)
    assert rejected.value.message.startswith("5 of 7 rows have problems, so nothing was imported")
    assert rejected.value.to_dict()["report"]["errors"][0] == {
        "row": 3,
        "field": "email",
        "message": "“not-an-email” is not a valid e-mail address.",
    }
    assert count_clients(workspace, ctx) == 1

    report = svc.import_clients(CSV_WITH_PROBLEMS, dry_run=False, skip_invalid=True)
    assert report.created_count == 2
    names = [svc.get(cid).name for cid in report.created_ids]
    assert names == ["Amy Pond", "Rory Williams"]
    assert svc.get("Rory Williams").tags == ("vip",)
    assert svc.get("Amy Pond").created_at == NOW
    again = svc.import_clients(CSV_WITH_PROBLEMS, dry_run=False, skip_invalid=True)
    assert again.created_count == 0
    assert {d.field for d in again.duplicates} == {"email", "phone"}


def test_import_json_with_header_aliases_full_names_and_notes(
    svc: ClientsService, workspace: Workspace, ctx: ServiceContext
) -> None:
    data = json.dumps(
        {
            "clients": [
                {
                    "Full Name": "Miller, Sarah",
                    "Email Address": "Sarah@Example.com",
                    "tags": ["VIP", "colour"],
                    "Lead Status": "Prospect",
                    "DOB": "23.04.1990",
                    "Notes": "Referred by Tom",
                },
                {
                    "name": "Tom van Jones",
                    "Phone Number": "020 7946 0000",
                    "Organisation": "TJ Ltd",
                },
                {"firstname": "Tom", "lastname": "van Jones"},
                42,
            ]
        }
    )
    preview = svc.import_clients(data, "json")
    assert [(e.row, e.field) for e in preview.errors] == [(4, "row")]
    assert [(d.row, d.other_row) for d in preview.duplicates] == [(3, 2)]
    report = svc.import_clients(
        data, "json", dry_run=False, skip_invalid=True, allow_duplicates=True
    )
    assert report.created_count == 3
    sarah = svc.get(report.created_ids[0])
    assert (sarah.first_name, sarah.last_name, sarah.email) == (
        "Sarah",
        "Miller",
        "sarah@example.com",
    )
    assert (sarah.lead_status, sarah.birthday.isoformat() if sarah.birthday else None) == (
        LeadStatus.PROSPECT,
        "1990-04-23",
    )
    assert sarah.tags == ("colour", "vip")
    assert sarah.notes_count == 1
    tom = svc.get(report.created_ids[1])
    assert (tom.first_name, tom.last_name, tom.phone, tom.company) == (
        "Tom",
        "van Jones",
        "+442079460000",
        "TJ Ltd",
    )


UNREADABLE: dict[str, tuple[str | bytes, str, str]] = {
    "empty": ("", "csv", "empty"),
    "no-name-column": ("Email\nx@example.com\n", "csv", "name column"),
    "broken-json": ("{not json", "json", "not valid"),
    "json-not-a-list": ('{"a": 1}', "json", "must be a list"),
    "unknown-format": ("First name\nAmy\n", "xlsx", "csv or json"),
    "binary": (b"\x81\x8d\x8f\x90\x9d", "csv", "not text"),
}


def test_import_refuses_unreadable_files(svc: ClientsService) -> None:
    for case, (data, fmt, message) in UNREADABLE.items():
        with pytest.raises(Invalid, match=message):
            svc.import_clients(data, fmt, dry_run=False)  # type: ignore[arg-type]
        assert svc.list_clients().total == 0, case


# ---------------------------------------------------------------- export


def test_export_writes_csv_and_json_with_filters_and_round_trips(
    svc: ClientsService, workspace: Workspace, ctx: ServiceContext, tmp_path: Path
) -> None:
    svc.create(
        "Sarah", "Miller", email="sarah@example.com", phone="07911123456", tags=["vip", "colour"]
    )
    svc.create("=HYPERLINK(1)", "Hacker", company="@evil")
    gone = svc.create("Tom", "Jones")
    svc.remove_created(gone.id)

    result = svc.export_clients(tmp_path / "out" / "clients.csv")
    assert (result.count, result.format) == (2, "csv")
    rows = list(csv.DictReader(io.StringIO(result.path.read_text(encoding="utf-8"))))
    assert [r["first_name"] for r in rows] == ["'=HYPERLINK(1)", "Sarah"]
    assert rows[0]["company"] == "'@evil"
    assert (rows[1]["phone"], rows[1]["tags"]) == ("+447911123456", "colour;vip")
    assert sorted(p.name for p in result.path.parent.iterdir()) == ["clients.csv"]

    dated = svc.export_clients(tmp_path, tag="VIP")
    assert (dated.path.name, dated.count) == ("clients-20261118-143000.csv", 1)
    data = svc.export_clients(tmp_path / "vip.json", tag="vip")
    records = json.loads(data.path.read_text(encoding="utf-8"))
    assert [(r["first_name"], r["tags"], r["lead_status"]) for r in records] == [
        ("Sarah", ["colour", "vip"], "customer")
    ]

    other = ClientsService(workspace, make_business(workspace, slug="copy"))
    imported = other.import_clients(data.path.read_text(encoding="utf-8"), "json", dry_run=False)
    copy = other.get(imported.created_ids[0])
    assert (copy.name, copy.email, copy.phone, copy.tags) == (
        "Sarah Miller",
        "sarah@example.com",
        "+447911123456",
        ("colour", "vip"),
    )
    assert "id" in imported.ignored_columns


def test_export_refuses_a_bad_format_and_writes_nothing(
    svc: ClientsService, tmp_path: Path
) -> None:
    folder = tmp_path / "files"
    with pytest.raises(Invalid, match="csv or json"):
        svc.export_clients(folder / "clients.xlsx", "xlsx")  # type: ignore[arg-type]
    with pytest.raises(Invalid, match="lead status"):
        svc.export_clients(folder / "clients.csv", lead_status="warmish")
    assert not folder.exists()


def bulk_calls(svc: ClientsService, client_id: int, folder: Path) -> list[Callable[[], object]]:
    return [
        lambda: svc.delete(client_id, export_dir=folder),
        lambda: svc.merge(client_id, client_id),
        lambda: svc.import_clients("First name\nAmy\n"),
        lambda: svc.export_clients(folder / "no.csv"),
        lambda: svc.restore(client_id),
    ]


def test_bulk_operations_need_an_owner_admin_or_manager(
    workspace: Workspace, ctx: ServiceContext, tmp_path: Path
) -> None:
    client = make_client(workspace, ctx, "Sarah", "Miller")
    tmp_path = tmp_path / "files"
    manager = ClientsService(workspace, dataclasses.replace(ctx, role=Role.MANAGER))
    assert manager.export_clients(tmp_path / "ok.csv").count == 1
    for role in (Role.STAFF, Role.CLIENT):
        svc = ClientsService(
            workspace, dataclasses.replace(ctx, role=role, staff_id=None, client_id=client.id)
        )
        for call in bulk_calls(svc, client.id, tmp_path):
            with pytest.raises(PermissionDenied):
                call()
    assert count_clients(workspace, ctx) == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ok.csv"]
