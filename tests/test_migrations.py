"""Migrations build the schema on an empty database, go down and up again, and match the models."""

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from luma_desktop.workspace.database import Workspace
from luma_desktop.workspace.migrate import downgrade, head_revision
from luma_desktop.workspace.models import Base


def schema_diff(workspace: Workspace) -> list:
    with workspace.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return list(compare_metadata(context, Base.metadata))


def user_tables(workspace: Workspace) -> set[str]:
    return set(sa.inspect(workspace.engine).get_table_names()) - {"alembic_version"}


def test_upgrade_downgrade_upgrade_and_no_drift(db_url):
    workspace = Workspace(db_url)
    assert workspace.current_revision() is None
    workspace.upgrade()
    assert workspace.current_revision() == head_revision()
    assert user_tables(workspace) == set(Base.metadata.tables)
    assert schema_diff(workspace) == []

    downgrade(workspace.engine, "base")
    assert workspace.current_revision() is None
    assert user_tables(workspace) == set()

    workspace.upgrade()
    assert workspace.current_revision() == head_revision()
    assert schema_diff(workspace) == []
    workspace.dispose()


def test_upgrade_is_idempotent(sqlite_workspace):
    sqlite_workspace.upgrade()
    sqlite_workspace.upgrade()
    assert sqlite_workspace.current_revision() == head_revision()


def test_schema_covers_every_domain():
    tables = set(Base.metadata.tables)
    expected = {
        "appointments",
        "resources",
        "blocked_times",
        "waitlist_entries",
        "working_hours",
        "clients",
        "client_notes",
        "client_tags",
        "invoices",
        "invoice_lines",
        "quotes",
        "payments",
        "bank_accounts",
        "bank_transactions",
        "payees",
        "scheduled_payments",
        "cards",
        "websites",
        "web_pages",
        "web_sections",
        "messages",
        "message_templates",
        "outbox",
        "tasks",
        "notes",
        "reminders",
        "services",
        "staff",
        "opening_hours",
        "tax_settings",
        "subscriptions",
        "documents",
        "document_templates",
        "signature_requests",
        "kyc_verifications",
        "kyc_documents",
        "kyc_events",
        "products",
        "orders",
        "discount_codes",
        "businesses",
        "users",
        "departments",
        "user_departments",
        "conversations",
        "conversation_messages",
        "pending_actions",
        "audit_log",
        "token_usage",
        "undo_records",
    }
    assert expected <= tables
