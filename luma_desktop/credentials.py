"""Secrets: API keys and passwords from the environment or the OS keyring, never from files.

Lookup order for a secret ``NAME``: the environment variable ``NAME``, then the OS keyring
(service ``luma-desktop``, username ``NAME``). Values never reach logs: every value returned
here is registered with :mod:`luma_desktop.logs` for redaction.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Literal

__all__ = [
    "KEYRING_SERVICE",
    "SECRET_NAMES",
    "SecretStatus",
    "delete_secret",
    "get_secret",
    "known_secret_values",
    "secret_status",
    "set_secret",
]

KEYRING_SERVICE = "luma-desktop"

SECRET_NAMES: tuple[str, ...] = (
    "ANTHROPIC_API_KEY",
    "OPENAI_API_KEY",
    "ELEVENLABS_API_KEY",
    "LUMA_SMTP_PASSWORD",
    "LUMA_SMS_API_KEY",
    "LUMA_DATABASE_PASSWORD",
)

_known_values: set[str] = set()


@dataclass(frozen=True, slots=True)
class SecretStatus:
    """Where a secret was found: never its value."""

    name: str
    source: Literal["environment", "keyring", "missing"]
    problem: str | None = None
    """Why the keyring could not be asked, if it could not."""


def known_secret_values() -> frozenset[str]:
    """Every secret value seen by this process (for log redaction)."""
    return frozenset(_known_values)


def _remember(value: str | None) -> str | None:
    if value and len(value) >= 4:
        _known_values.add(value)
    return value


def _keyring_get(name: str) -> tuple[str | None, str | None]:
    if os.environ.get("LUMA_KEYRING", "").lower() in {"0", "off", "no", "false"}:
        return None, "the keyring is switched off (LUMA_KEYRING=off)"
    try:
        import keyring
        from keyring.errors import KeyringError

        try:
            return keyring.get_password(KEYRING_SERVICE, name), None
        except KeyringError as exc:
            return None, f"the OS keyring is not available ({exc.__class__.__name__})"
    except Exception as exc:
        return None, f"the OS keyring failed ({exc.__class__.__name__})"


def get_secret(name: str) -> str | None:
    """The secret's value, or ``None`` when it is set nowhere."""
    value = os.environ.get(name)
    if value:
        return _remember(value)
    value, _ = _keyring_get(name)
    return _remember(value)


def secret_status(name: str) -> SecretStatus:
    """Where ``name`` comes from, without revealing it."""
    if os.environ.get(name):
        _remember(os.environ[name])
        return SecretStatus(name, "environment")
    value, problem = _keyring_get(name)
    if value:
        _remember(value)
        return SecretStatus(name, "keyring")
    return SecretStatus(name, "missing", problem)


def set_secret(name: str, value: str) -> None:
    """Store a secret in the OS keyring (raises ``ConfigurationError`` when there is none)."""
    from .errors import ConfigurationError

    if not value.strip():
        raise ConfigurationError(f"{name} cannot be empty.", setting=name)
    try:
        import keyring

        keyring.set_password(KEYRING_SERVICE, name, value)
    except Exception as exc:
        raise ConfigurationError(
            f"The OS keyring could not store {name} ({exc.__class__.__name__}). "
            f"Set the environment variable {name} instead.",
            setting=name,
        ) from exc
    _remember(value)


def delete_secret(name: str) -> bool:
    """Remove a secret from the OS keyring; ``False`` when it was not there."""
    try:
        import keyring
        from keyring.errors import PasswordDeleteError

        try:
            keyring.delete_password(KEYRING_SERVICE, name)
        except PasswordDeleteError:
            return False
        return True
    except Exception:
        return False
