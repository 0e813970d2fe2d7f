"""The one error hierarchy of Luma.

Every error a person may see derives from :class:`LumaError` and carries a message written
for a human (it is shown in the chat, spoken, or printed by the CLI). Tools and brains get
the same objects, so they can react to the kind of failure rather than parse text::

    LumaError
    ├── ConfigurationError      a setting is missing or wrong (names the setting)
    ├── WorkspaceError          the business database cannot be used (locked, full disk, ...)
    ├── BrainError              the model provider failed (``retryable`` says if trying again helps)
    ├── ConfirmationError       a confirmation expired, was altered, or its phrase was wrong
    ├── RateLimited             the user sent too many messages (``retry_after`` seconds)
    ├── MemoryUnavailable       long-term memory cannot be used now (model loading, store down)
    ├── VoiceError              a microphone, speaker, speech model or voice service failed
    └── ServiceError            a request against the business data failed
        ├── NotFound            the referenced record does not exist (in this business)
        ├── Ambiguous           a human reference matches several records (has candidates)
        ├── PermissionDenied    the user's role or scope does not allow it
        ├── Conflict            the change clashes with existing data (double booking, ...)
        └── Invalid             the input is malformed or breaks a business rule
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "Ambiguous",
    "BrainError",
    "Candidate",
    "ConfigurationError",
    "ConfirmationError",
    "Conflict",
    "Invalid",
    "LumaError",
    "MemoryUnavailable",
    "NotFound",
    "PermissionDenied",
    "RateLimited",
    "ServiceError",
    "VoiceError",
    "WorkspaceError",
]


class LumaError(Exception):
    """Base of every error Luma raises on purpose; ``str(error)`` is the human message."""

    code = "error"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready description for tool results, events and ``--json`` output."""
        return {"error": self.code, "message": self.message}


class ConfigurationError(LumaError):
    """A setting is missing or invalid; ``setting`` names it so the user knows what to fix."""

    code = "configuration"

    def __init__(self, message: str, *, setting: str | None = None) -> None:
        super().__init__(message)
        self.setting = setting

    def to_dict(self) -> dict[str, Any]:
        return {**super().to_dict(), "setting": self.setting}


class WorkspaceError(LumaError):
    """The workspace database could not be used (unreachable, locked, disk full, corrupt)."""

    code = "workspace"


class BrainError(LumaError):
    """The model provider failed; ``retryable`` is False for errors trying again cannot fix
    (a bad key, a spent budget), True for overload, rate limits and cut connections."""

    code = "brain"

    def __init__(self, message: str, *, retryable: bool = False, provider: str = "") -> None:
        super().__init__(message)
        self.retryable = retryable
        self.provider = provider

    def to_dict(self) -> dict[str, Any]:
        return {**super().to_dict(), "retryable": self.retryable, "provider": self.provider}


class ConfirmationError(LumaError):
    """A confirmation cannot be used: expired, altered, not the user's, or a wrong phrase
    (``still_open``: the action still waits, e.g. for the right phrase; ``expired``: its five
    minutes ran out)."""

    code = "confirmation"

    def __init__(self, message: str, *, still_open: bool = False, expired: bool = False) -> None:
        super().__init__(message)
        self.still_open = still_open
        self.expired = expired


class RateLimited(LumaError):
    """The user sent more messages than the per-minute limit allows."""

    code = "rate_limited"

    def __init__(self, message: str, *, retry_after: float) -> None:
        super().__init__(message)
        self.retry_after = retry_after

    def to_dict(self) -> dict[str, Any]:
        return {**super().to_dict(), "retry_after": round(self.retry_after, 1)}


class MemoryUnavailable(LumaError):
    """Long-term memory cannot be used right now: its model is still loading or missing, or
    the memory store cannot be reached. Turns go on without memory."""

    code = "memory"


class VoiceError(LumaError):
    """Audio in or out failed (no microphone, PortAudio missing, speech model missing, voice
    service down); ``stage`` says where: ``capture``, ``stt``, ``tts`` or ``playback``.
    Luma keeps working by text."""

    code = "voice"

    def __init__(self, message: str, *, stage: str) -> None:
        super().__init__(message)
        self.stage = stage

    def to_dict(self) -> dict[str, Any]:
        return {**super().to_dict(), "stage": self.stage}


class ServiceError(LumaError):
    """A request against the business data failed for a reason the user can act on."""

    code = "service"


class NotFound(ServiceError):
    """The referenced record does not exist in the user's business."""

    code = "not_found"

    def __init__(self, kind: str, reference: object) -> None:
        super().__init__(f"I couldn't find {kind} “{reference}”.")
        self.kind = kind
        self.reference = reference

    def to_dict(self) -> dict[str, Any]:
        return {**super().to_dict(), "kind": self.kind, "reference": str(self.reference)}


@dataclass(frozen=True, slots=True)
class Candidate:
    """One possible match of an ambiguous reference."""

    id: int
    """Primary key of the record."""
    label: str
    """What the record is called ("Sarah Miller")."""
    detail: str = ""
    """What tells it apart from the others ("sarah.miller@example.com, last visit 3 May")."""
    score: float = 0.0
    """How well it matched the reference, 0-100."""
    extra: dict[str, Any] = field(default_factory=dict)
    """Anything else a card may want to show."""

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "label": self.label, "detail": self.detail, "score": self.score}


class Ambiguous(ServiceError):
    """A human reference matched several records; the caller must ask which one."""

    code = "ambiguous"

    def __init__(self, kind: str, reference: object, candidates: list[Candidate]) -> None:
        names = ", ".join(c.label for c in candidates[:5])
        super().__init__(f"“{reference}” could be several {kind}s: {names}. Which one?")
        self.kind = kind
        self.reference = reference
        self.candidates = candidates

    def to_dict(self) -> dict[str, Any]:
        return {
            **super().to_dict(),
            "kind": self.kind,
            "reference": str(self.reference),
            "candidates": [c.to_dict() for c in self.candidates],
        }


class PermissionDenied(ServiceError):
    """The user's role or data scope does not allow the request."""

    code = "permission_denied"


class Conflict(ServiceError):
    """The change clashes with existing data; ``suggestions`` may offer alternatives."""

    code = "conflict"

    def __init__(self, message: str, *, suggestions: list[Any] | None = None) -> None:
        super().__init__(message)
        self.suggestions = suggestions or []

    def to_dict(self) -> dict[str, Any]:
        return {**super().to_dict(), "suggestions": [str(s) for s in self.suggestions]}


class Invalid(ServiceError):
    """The input is malformed or breaks a business rule; ``field`` names the culprit."""

    code = "invalid"

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field

    def to_dict(self) -> dict[str, Any]:
        return {**super().to_dict(), "field": self.field}
