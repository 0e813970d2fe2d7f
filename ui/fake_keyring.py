"""A keyring that keeps secrets in memory, for tests and demos (``keyring.set_keyring``).

It is never picked automatically: its priority says it is not a real keyring, so ``keyring``
only uses it when it is set explicitly (:func:`memory_keyring`).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import keyring
from jaraco.classes import properties
from keyring.backend import KeyringBackend
from keyring.errors import PasswordDeleteError

__all__ = ["MemoryKeyring", "memory_keyring"]


class MemoryKeyring(KeyringBackend):
    """Secrets in a dict: ``(service, username) → password``."""

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self.passwords: dict[tuple[str, str], str] = {}

    @properties.classproperty
    def priority(cls) -> float:
        raise RuntimeError("the in-memory keyring is only used when set explicitly")

    def get_password(self, service: str, username: str) -> str | None:
        return self.passwords.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.passwords[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if (service, username) not in self.passwords:
            raise PasswordDeleteError(f"{username} is not stored")
        del self.passwords[(service, username)]


@contextmanager
def memory_keyring() -> Iterator[MemoryKeyring]:
    """Use a fresh :class:`MemoryKeyring` inside the block, then the previous keyring again."""
    previous = keyring.get_keyring()
    fake = MemoryKeyring()
    keyring.set_keyring(fake)
    try:
        yield fake
    finally:
        keyring.set_keyring(previous)
