"""What the offline parser makes of a request, and what it needs from the working context."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

__all__ = ["CONFIDENT", "Referent", "Understanding", "WorkingContextLike"]

CONFIDENT = 0.95
"""Lowest confidence of a match the fast path may answer without a model."""


@dataclass(frozen=True, slots=True)
class Understanding:
    """The tool call a request means, or what is missing, or what one could say instead."""

    tool: str | None
    """The tool the request means (``None``: nothing matched)."""
    arguments: dict[str, Any] = field(default_factory=dict)
    """Its arguments, converted per slot type (date text, Decimal strings, ints, names)."""
    confidence: float = 0.0
    """1.0 for an exact template match; lower when a name only matched fuzzily or not at all."""
    missing: tuple[str, ...] = ()
    """Required arguments the request did not give."""
    question: str | None = None
    """What to ask for the first missing argument."""
    suggestions: tuple[str, ...] = ()
    """Two or three example requests close to the text, when nothing matched."""

    def to_dict(self) -> dict[str, Any]:
        """The JSON form (``luma parse --json``)."""
        return {
            "tool": self.tool,
            "arguments": self.arguments,
            "confidence": round(self.confidence, 3),
            "missing": list(self.missing),
            "question": self.question,
            "suggestions": list(self.suggestions),
        }


class Referent(Protocol):
    """A record the conversation is about (see the orchestrator's working context)."""

    @property
    def id(self) -> int | str: ...

    @property
    def label(self) -> str:
        """How people call it ("Sarah Miller", "INV-0042"); may be empty."""
        ...


class WorkingContextLike(Protocol):
    """The part of the orchestrator's working context the offline brain uses."""

    def current(self, kind: str) -> Referent | None: ...
