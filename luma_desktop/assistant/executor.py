"""The executor: the only road from a proposed tool call to the workspace.

For every call, whoever proposed it: the tool must exist, be visible to the user's role and the
business's plan, and its arguments must validate against the tool's input model (which forbids
unknown fields, so a forged ``business_id`` is refused rather than ignored). Scope comes from the
:class:`ExecutionContext`, never from the arguments. Reversible writes leave an undo record.
Confirmation of risky calls happens before this (the gatekeeper); approval is not authorisation,
so this re-checks everything.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError

from ..errors import Invalid, NotFound, PermissionDenied
from ..workspace.database import Workspace
from ..workspace.services import Services
from .access import is_visible
from .catalog import Operation, Tool, ToolRegistry, ToolResult, UndoPlan
from .context import ExecutionContext
from .undo import record_undo

__all__ = ["Executor", "describe_validation_error"]

log = logging.getLogger(__name__)


def describe_validation_error(tool: Tool[Any], error: ValidationError) -> str:
    """A sentence a person (and a model) can act on, naming each bad argument."""
    problems = []
    for item in error.errors(include_url=False):
        where = ".".join(str(part) for part in item["loc"]) or "arguments"
        if item["type"] == "extra_forbidden":
            problems.append(f"“{where}” is not an argument of {tool.name}")
        elif item["type"] == "missing":
            problems.append(f"“{where}” is missing")
        else:
            problems.append(f"“{where}”: {item['msg']}")
    return f"The request for {tool.name} is not valid: " + "; ".join(problems) + "."


class Executor:
    """Runs tool calls for one workspace."""

    def __init__(
        self,
        workspace: Workspace,
        registry: ToolRegistry,
        services_options: Mapping[str, Any] | None = None,
    ) -> None:
        self.workspace = workspace
        self.registry = registry
        self.services_options = dict(services_options or {})

    def accessible_tools(self, context: ExecutionContext) -> list[Tool[Any]]:
        """Exactly the tools this user may see, in stable (name) order."""
        return [t for t in self.registry if is_visible(t, context.role, context.features)]

    def services(self, context: ExecutionContext) -> Services:
        return Services(self.workspace, context.service_context(), **self.services_options)

    def check(
        self, context: ExecutionContext, name: str, arguments: Mapping[str, Any]
    ) -> tuple[Tool[Any], Any]:
        """The tool and its validated input; raises when the call may not run."""
        tool = self.registry.get(name)
        if tool is None:
            raise NotFound("tool", name)
        if not is_visible(tool, context.role, context.features):
            raise PermissionDenied(
                f"{tool.name} is not available to a {context.role.value} in this business."
            )
        if not isinstance(arguments, Mapping):
            raise Invalid(f"The arguments for {tool.name} must be an object.")
        try:
            return tool, tool.input_model.model_validate(dict(arguments))
        except ValidationError as error:
            raise Invalid(describe_validation_error(tool, error)) from error

    def execute(
        self, context: ExecutionContext, name: str, arguments: Mapping[str, Any]
    ) -> ToolResult:
        """Validate, run and (for reversible writes) record the undo of one call."""
        tool, validated = self.check(context, name, arguments)
        started = time.perf_counter()
        result = tool.handler(self.services(context), validated, context)
        log.info(
            "tool %s ran for user %s in %.1f ms",
            tool.name,
            context.user_id,
            (time.perf_counter() - started) * 1000,
        )
        if tool.operation is Operation.WRITE and tool.reversible and result.undo is not None:
            self._record_undo(context, tool, result.undo)
        return result

    def _record_undo(self, context: ExecutionContext, tool: Tool[Any], plan: UndoPlan) -> None:
        record_undo(self.workspace, context.service_context(), tool.name, plan)
