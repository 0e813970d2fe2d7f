"""The registry matches the spec, roles see exactly their tools, and definitions are stable."""

import json
import subprocess
import sys

import pytest

from luma_desktop.assistant.access import CLIENT_PORTAL_TOOLS, is_visible
from luma_desktop.assistant.catalog import Operation, Risk, Tool, ToolRegistry, ToolResult
from luma_desktop.tools import build_registry
from luma_desktop.tools._common import ToolInput
from luma_desktop.workspace.models import Role

from .spec import spec_tools

IMPLEMENTED_SECTIONS = {1, 2, 3, 4, 7, 10}
EXTRA_IMPLEMENTED = {
    "assistant_undo_last",
    "assistant_remember",
    "assistant_forget",
    "assistant_recall",
}


class _NoInput(ToolInput):
    pass


class _ScopedInput(ToolInput):
    business_id: int


def _noop(services, args, context):
    return ToolResult("ok")


def implemented_spec_names() -> set[str]:
    return {
        t.name for t in spec_tools().values() if t.section in IMPLEMENTED_SECTIONS
    } | EXTRA_IMPLEMENTED


def visible(registry, role: Role) -> set[str]:
    return {t.name for t in registry if is_visible(t, role, None)}


def test_every_tool_of_the_implemented_sections_exists_with_the_spec_op_and_risk(registry):
    spec = spec_tools()
    assert implemented_spec_names() <= {t.name for t in registry}
    for tool in registry:
        row = spec[tool.name]
        assert (tool.operation.value, tool.risk.value, tool.domain) == (
            row.operation,
            row.risk,
            row.domain,
        ), tool.name


def test_implemented_scope_is_82_tools(registry):
    """The 79 tools of issue 1's sections plus the three memory tools (issue 6)."""
    assert len(implemented_spec_names()) == 82
    assert len(registry) >= 82


def test_every_input_field_is_described_and_scope_free(registry):
    for tool in registry:
        assert tool.description.strip(), tool.name
        properties = tool.input_schema.get("properties", {})
        for name, schema in properties.items():
            described = "description" in schema or "$ref" in schema or "allOf" in schema
            assert described, f"{tool.name}.{name} has no description"
        assert tool.input_schema.get("additionalProperties") is False, tool.name
        if tool.risk.needs_confirmation():
            assert tool.confirmation, f"{tool.name} needs a confirmation text"


def _expected(role: Role, names: set[str]) -> set[str]:
    """The spec's role table, read independently of access.py."""
    spec = spec_tools()
    if role is Role.OWNER:
        return set(names)
    if role is Role.ADMIN:
        return names - {"config_get_subscription", "config_change_subscription"}
    if role is Role.CLIENT:
        return names & {
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
    if role is Role.MANAGER:
        return {
            n
            for n in names
            if not (spec[n].domain == "banking" and spec[n].operation == "write")
            and n not in {"invoices_revenue_report", "analytics_revenue"}
        }
    own_scheduling = {n for n in names if spec[n].domain == "scheduling"} - {
        "scheduling_create_resource",
        "scheduling_update_resource",
        "scheduling_delete_resource",
    }
    return names & (
        own_scheduling
        | {n for n in names if spec[n].domain == "tasks"}
        | {
            "clients_search",
            "clients_get",
            "clients_list",
            "clients_add_note",
            "search_global",
            "search_lookup_reference",
            "assistant_remember",
            "assistant_forget",
            "assistant_recall",
            "assistant_undo_last",
        }
    )


@pytest.mark.parametrize("role", list(Role), ids=[r.value for r in Role])
def test_role_matrix(registry, role):
    names = implemented_spec_names()
    assert visible(registry, role) & names == _expected(role, names)


def test_client_portal_sees_exactly_its_twelve_when_all_exist(registry):
    assert len(CLIENT_PORTAL_TOOLS) == 12
    assert set(spec_tools()) >= CLIENT_PORTAL_TOOLS
    assert visible(registry, Role.CLIENT) == CLIENT_PORTAL_TOOLS & {t.name for t in registry}


def test_subscription_features_hide_plan_domains():
    tool = Tool("website_get_site", "website", "x", _NoInput, _noop, Operation.READ, Risk.NONE)
    assert not is_visible(tool, Role.OWNER, frozenset({"shop"}))
    assert is_visible(tool, Role.OWNER, frozenset({"website"}))
    assert is_visible(tool, Role.OWNER, None)


def test_registry_refuses_duplicates_and_scope_fields():
    registry = ToolRegistry()
    tool = Tool("x_tool", "x", "x", _NoInput, _noop, Operation.READ, Risk.NONE)
    registry.register([tool])
    with pytest.raises(ValueError, match="already registered"):
        registry.register([tool])
    forged = Tool("y_tool", "y", "y", _ScopedInput, _noop, Operation.READ, Risk.NONE)
    with pytest.raises(ValueError, match="scope fields"):
        registry.register([forged])


def test_definitions_are_byte_identical_across_processes(registry):
    code = (
        "from luma_desktop.tools import build_registry; from luma_desktop.assistant.access "
        "import is_visible; from luma_desktop.workspace.models import Role; import hashlib; "
        "r = build_registry(); print(' '.join(hashlib.sha256(r.definitions_json("
        "[t for t in r if is_visible(t, role, None)]).encode()).hexdigest() "
        "for role in Role))"
    )
    runs = {
        subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
        ).stdout
        for _ in range(2)
    }
    assert len(runs) == 1
    parsed = json.loads(registry.definitions_json(list(registry)))
    assert [d["name"] for d in parsed] == sorted(d["name"] for d in parsed)


def test_build_registry_is_repeatable():
    assert [t.name for t in build_registry()] == [t.name for t in build_registry()]
