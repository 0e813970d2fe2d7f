"""Luma's capability catalog: one module per domain, each registering its tools at once.

``build_registry()`` gives a registry with every implemented tool; it is cheap to call and the
result is stable (same tools, same order, same JSON) for a given version.
"""

from __future__ import annotations

from functools import cache

from ..assistant.catalog import ToolRegistry

__all__ = ["build_registry", "default_registry"]


def build_registry() -> ToolRegistry:
    """A fresh registry holding every domain's tools and their undo operations."""
    from . import assistant, banking, clients, invoicing, scheduling, search, tasks

    registry = ToolRegistry()
    for module in (tasks, banking, clients, search, scheduling, invoicing):
        registry.register(module.TOOLS, module.INVERSES)
    registry.register(assistant.tools_for(registry))
    return registry


@cache
def default_registry() -> ToolRegistry:
    """The registry the app uses (built once)."""
    return build_registry()
