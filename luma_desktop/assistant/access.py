"""Which tools each role sees (the spec's role table), and which need a subscription feature.

This is the only place that decides visibility; the executor re-checks it on every call, so a
tool a role cannot see cannot run for it even when a model names it.
"""

from __future__ import annotations

from typing import Any

from ..workspace.models import Role
from .catalog import DataScope, Operation, Tool

__all__ = ["CLIENT_PORTAL_TOOLS", "FEATURE_OF_DOMAIN", "is_visible"]

OWNER_ONLY_TOOLS = frozenset({"config_get_subscription", "config_change_subscription"})

CLIENT_PORTAL_TOOLS = frozenset(
    {
        "scheduling_list_appointments",
        "scheduling_get_appointment",
        "scheduling_check_availability",
        "scheduling_create_appointment",
        "scheduling_reschedule_appointment",
        "scheduling_cancel_appointment",
        "invoices_list",
        "invoices_get",
        "docs_list",
        "docs_get",
        "clients_get",
        "clients_update",
    }
)
"""Exactly the 12 tools of the client portal, each limited to the client's own records."""

STAFF_TOOLS = frozenset(
    {
        # scheduling: their own appointments and hours (no resource management)
        "scheduling_list_appointments",
        "scheduling_get_appointment",
        "scheduling_check_availability",
        "scheduling_day_summary",
        "scheduling_list_resources",
        "scheduling_list_blocked_times",
        "scheduling_get_booking_link",
        "scheduling_list_waitlist",
        "scheduling_create_appointment",
        "scheduling_reschedule_appointment",
        "scheduling_cancel_appointment",
        "scheduling_confirm_appointment",
        "scheduling_complete_appointment",
        "scheduling_mark_no_show",
        "scheduling_block_time",
        "scheduling_unblock_time",
        "scheduling_set_working_hours",
        "scheduling_add_to_waitlist",
        "scheduling_send_appointment_reminder",
        # clients: read their own clients, add notes (no history/engagement: they show money)
        "clients_search",
        "clients_get",
        "clients_list",
        "clients_add_note",
        # tasks, notes and reminders: their own
        "tasks_list",
        "tasks_create",
        "tasks_update",
        "tasks_complete",
        "tasks_delete",
        "notes_list",
        "notes_create",
        "reminders_create",
        "reminders_list",
        "reminders_delete",
        "reminders_snooze",
        # search within their scope, documents read-only, the assistant itself
        "search_global",
        "search_lookup_reference",
        "docs_list",
        "docs_get",
        "docs_search_content",
        "docs_signature_status",
        "assistant_remember",
        "assistant_forget",
        "assistant_recall",
        "assistant_undo_last",
    }
)

MANAGER_DOMAINS = frozenset(
    {
        "scheduling",
        "clients",
        "invoicing",
        "comms",
        "tasks",
        "documents",
        "search",
        "shop",
        "assistant",
    }
)
"""Domains a manager uses in full (apart from admin-only tools)."""
MANAGER_READ_DOMAINS = frozenset({"banking", "config", "analytics"})
"""Domains a manager may read but not change."""

FEATURE_OF_DOMAIN = {"website": "website", "shop": "shop", "analytics": "analytics", "kyc": "kyc"}
"""Domains that need a subscription feature; the others are in every plan."""


def _role_allows(tool: Tool[Any], role: Role) -> bool:
    if role is Role.OWNER:
        return True
    if tool.name in OWNER_ONLY_TOOLS:
        return False
    if role is Role.ADMIN:
        return True
    if role is Role.CLIENT:
        return tool.name in CLIENT_PORTAL_TOOLS
    if role is Role.STAFF:
        return tool.name in STAFF_TOOLS
    if tool.scope is DataScope.ADMIN_ONLY:
        return False
    if tool.domain in MANAGER_DOMAINS:
        return True
    return tool.domain in MANAGER_READ_DOMAINS and tool.operation is Operation.READ


def is_visible(tool: Tool[Any], role: Role, features: frozenset[str] | None) -> bool:
    """Whether ``role`` in a business with subscription ``features`` may see and run ``tool``."""
    feature = FEATURE_OF_DOMAIN.get(tool.domain)
    if feature is not None and features is not None and feature not in features:
        return False
    return _role_allows(tool, role)
