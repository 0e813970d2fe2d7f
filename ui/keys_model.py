"""API keys for the Settings window and the first-run tour (exposed to QML as ``keys``).

Keys go to the OS keyring through :mod:`luma_desktop.credentials` and nowhere else: never to
``settings.toml``, the preferences or a log. The model shows where each key comes from
(environment, keyring, nowhere), never its value. Keyring calls can wait on the desktop's
keyring service (or a macOS prompt), so they run in a worker thread.
"""

from __future__ import annotations

import asyncio
import os
from typing import Any

from PySide6.QtCore import Property, QObject, Signal, Slot

from ..credentials import delete_secret, secret_status, set_secret
from ..errors import ConfigurationError
from ._tasks import TaskSet, human_message

__all__ = ["KEYS", "ONBOARDING_KEYS", "KeysModel", "keyring_problem", "store_key"]

KEYS: dict[str, tuple[str, str]] = {
    "ANTHROPIC_API_KEY": (
        "Anthropic (Claude)",
        "Lets Luma think with Claude. Without it, Luma uses a local model server or works "
        "offline with exact commands.",
    ),
    "ELEVENLABS_API_KEY": (
        "ElevenLabs voice",
        "A natural voice for Luma's answers. Without it, Luma speaks with your computer's voice.",
    ),
    "OPENAI_API_KEY": (
        "Local model server",
        "Only needed when your OpenAI-compatible server (Ollama, LM Studio…) asks for a key.",
    ),
}
"""The keys the app lets people set: name → (title, what it is for)."""
ONBOARDING_KEYS = ("ANTHROPIC_API_KEY", "ELEVENLABS_API_KEY")

_SOURCES = {
    "environment": "Set by the environment variable",
    "keyring": "Stored in the OS keyring",
    "missing": "Not set",
}


def keyring_problem() -> str | None:
    """Why keys cannot be stored here, or ``None`` when the keyring may be used."""
    if os.environ.get("LUMA_KEYRING", "").lower() in {"0", "off", "no", "false"}:
        return "the OS keyring is switched off (LUMA_KEYRING=off)"
    return None


def store_key(name: str, value: str) -> None:
    """Store one key in the OS keyring (blocking); :class:`ConfigurationError` when it cannot."""
    if name not in KEYS:
        raise ConfigurationError(f"{name} is not a key Luma asks for.", setting=name)
    if not value.strip():
        raise ConfigurationError(f"Paste the {KEYS[name][0]} key first.", setting=name)
    problem = keyring_problem()
    if problem is not None:
        raise ConfigurationError(
            f"Luma cannot store {name}: {problem}. Set the environment variable {name} "
            "instead, or switch the keyring back on.",
            setting=name,
        )
    set_secret(name, value.strip())


class KeysModel(QObject):
    """Where each key comes from, and storing or removing them."""

    keysChanged = Signal()
    busyChanged = Signal()
    stored = Signal(str)
    """A key was stored in the keyring (its name)."""

    def __init__(
        self,
        loop: asyncio.AbstractEventLoop,
        names: tuple[str, ...] = tuple(KEYS),
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._names = names
        self._tasks = TaskSet(loop)
        self._rows: dict[str, dict[str, Any]] = {name: self._row(name) for name in names}
        self._busy = 0

    @staticmethod
    def _row(name: str, source: str = "missing", problem: str = "") -> dict[str, Any]:
        title, description = KEYS[name]
        status = _SOURCES[source] + (f" {name}" if source == "environment" else "")
        return {
            "name": name,
            "title": title,
            "description": description,
            "source": source,
            "status": status,
            "problem": problem,
            "error": "",
        }

    def _get_keys(self) -> list[dict[str, Any]]:
        return [dict(self._rows[name]) for name in self._names]

    def _get_busy(self) -> bool:
        return self._busy > 0

    def row(self, name: str) -> dict[str, Any]:
        return dict(self._rows[name])

    async def idle(self) -> None:
        """Until every keyring call started so far has finished."""
        await self._tasks.wait()

    async def aclose(self) -> None:
        await self._tasks.cancel()

    @Slot()
    def refresh(self) -> None:
        """Look up where each key comes from (in a worker thread)."""
        self._tasks.spawn(self._run(self._refresh()), "look up keys")

    @Slot(str, str, result=bool)
    def store(self, name: str, value: str) -> bool:
        """Store ``value`` as ``name`` in the keyring; False (and an error) when it is blank."""
        if name in self._rows and not value.strip():
            self._fail(name, f"Paste the {KEYS[name][0]} key first.")
            return False
        self._tasks.spawn(self._run(self._store(name, value)), f"store {name}")
        return True

    @Slot(str)
    def remove(self, name: str) -> None:
        """Remove ``name`` from the keyring."""
        self._tasks.spawn(self._run(self._remove(name)), f"remove {name}")

    async def _run(self, work: Any) -> None:
        self._busy += 1
        self.busyChanged.emit()
        try:
            await work
        finally:
            self._busy -= 1
            self.busyChanged.emit()

    async def _refresh(self) -> None:
        statuses = await asyncio.to_thread(lambda: [secret_status(n) for n in self._names])
        for status in statuses:
            error = self._rows[status.name]["error"]
            self._rows[status.name] = self._row(status.name, status.source, status.problem or "")
            self._rows[status.name]["error"] = error
        self.keysChanged.emit()

    async def _store(self, name: str, value: str) -> None:
        try:
            await asyncio.to_thread(store_key, name, value)
        except ConfigurationError as error:
            self._fail(name, human_message(error))
            return
        await self._refresh()
        self._rows[name]["error"] = ""
        self.keysChanged.emit()
        self.stored.emit(name)

    async def _remove(self, name: str) -> None:
        removed = await asyncio.to_thread(delete_secret, name)
        await self._refresh()
        self._rows[name]["error"] = "" if removed else f"{name} was not in the OS keyring."
        self.keysChanged.emit()

    def _fail(self, name: str, message: str) -> None:
        if name in self._rows:
            self._rows[name]["error"] = message
            self.keysChanged.emit()

    keys = Property(list, _get_keys, notify=keysChanged)
    busy = Property(bool, _get_busy, notify=busyChanged)
