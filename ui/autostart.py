"""Start Luma when the user logs in: an XDG autostart entry on Linux, the ``Run`` registry key
on Windows, a LaunchAgent on macOS.

:func:`autostart_for` picks the one for this platform. Each takes the place it writes to as an
argument (a folder, or the ``winreg`` module), so tests run all three anywhere; ``FakeWinreg``
ships here for that. Failures become a :class:`ConfigurationError` naming ``start_at_login``.
"""

from __future__ import annotations

import os
import plistlib
import re
import shutil
import subprocess
import sys
from abc import ABC, abstractmethod
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, final

from ..errors import ConfigurationError

__all__ = [
    "LAUNCH_ARGUMENTS",
    "MAC_LABEL",
    "RUN_KEY",
    "RUN_VALUE",
    "Autostart",
    "FakeWinreg",
    "LinuxAutostart",
    "MacAutostart",
    "WindowsAutostart",
    "autostart_entry",
    "autostart_for",
    "desktop_exec",
    "launch_command",
]

SETTING = "start_at_login"
LAUNCH_ARGUMENTS: tuple[str, ...] = ()
"""Arguments after the program that open the desktop app (none: ``luma`` opens it)."""
RUN_KEY = r"Software\Microsoft\Windows\CurrentVersion\Run"
RUN_VALUE = "Luma"
MAC_LABEL = "app.luma.desktop"
_TEMPLATE = Path(__file__).resolve().parents[1] / "packaging" / "luma.desktop"
_BUILT_IN_ENTRY = """[Desktop Entry]
Type=Application
Name=Luma
GenericName=Business assistant
Comment=Voice and text assistant for your business
Exec=luma
Icon=luma
Terminal=false
Categories=Office;Utility;
StartupWMClass=Luma
"""


def launch_command() -> list[str]:
    """How to start Luma from a login: the frozen app, the installed ``luma`` program, or this
    Python running the package."""
    if getattr(sys, "frozen", False):
        return [sys.executable, *LAUNCH_ARGUMENTS]
    program = shutil.which("luma")
    if program:
        return [str(Path(program).resolve()), *LAUNCH_ARGUMENTS]
    return [sys.executable, "-m", "luma_desktop", *LAUNCH_ARGUMENTS]


class Autostart(ABC):
    """Whether Luma starts at login, and switching it on or off."""

    @property
    @abstractmethod
    def location(self) -> str:
        """Where the entry lives (for messages and diagnostics)."""

    @final
    def is_enabled(self) -> bool:
        """True when Luma starts at the next login."""
        try:
            return self._present()
        except OSError:
            return False

    @final
    def enable(self, command: Sequence[str] | None = None) -> None:
        """Start ``command`` (default: :func:`launch_command`) at every login."""
        arguments = list(command) if command is not None else launch_command()
        if not arguments or not all(isinstance(a, str) and a for a in arguments):
            raise ConfigurationError("Luma needs a program to start at login.", setting=SETTING)
        with self._failures("switch on"):
            self._write(arguments)

    @final
    def disable(self) -> None:
        """Stop starting Luma at login (nothing happens when it was off)."""
        with self._failures("switch off"):
            self._remove()

    @final
    def set_enabled(self, enabled: bool) -> None:
        if enabled:
            self.enable()
        else:
            self.disable()

    @contextmanager
    def _failures(self, action: str) -> Iterator[None]:
        try:
            yield
        except OSError as exc:
            raise ConfigurationError(
                f"Luma could not {action} starting at login ({exc.strerror or exc}) in "
                f"{self.location}. Check that you may change it, then try again.",
                setting=SETTING,
            ) from exc

    @abstractmethod
    def _present(self) -> bool: ...

    @abstractmethod
    def _write(self, command: list[str]) -> None: ...

    @abstractmethod
    def _remove(self) -> None: ...


# -- Linux (and other XDG desktops) -------------------------------------------------------------

_RESERVED = re.compile(r"""[\s"'\\><~|&;$*?#()`]""")


def desktop_exec(command: Sequence[str]) -> str:
    """``command`` as a desktop entry ``Exec`` value (quoted as the specification asks)."""
    quoted = []
    for argument in command:
        word = argument
        if _RESERVED.search(word) or not word:
            escaped = re.sub(r'(["`$\\])', r"\\\1", word)
            word = f'"{escaped}"'
        quoted.append(word.replace("%", "%%"))
    # The file format escapes backslashes once more.
    return " ".join(quoted).replace("\\", "\\\\")


class LinuxAutostart(Autostart):
    """``$XDG_CONFIG_HOME/autostart/luma.desktop`` (``~/.config`` when unset)."""

    def __init__(self, config_home: Path | None = None, template: Path = _TEMPLATE) -> None:
        self._config_home = config_home
        self._template = template

    @property
    def path(self) -> Path:
        home = self._config_home or Path(
            os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config"
        )
        return home / "autostart" / "luma.desktop"

    @property
    def location(self) -> str:
        return str(self.path)

    def _present(self) -> bool:
        text = self.path.read_text(encoding="utf-8")
        entries = _entries(text)
        return (
            entries.get("Hidden", "false").lower() != "true"
            and entries.get("X-GNOME-Autostart-enabled", "true").lower() != "false"
            and bool(entries.get("Exec"))
        )

    def _write(self, command: list[str]) -> None:
        try:
            template = self._template.read_text(encoding="utf-8")
        except OSError:
            template = _BUILT_IN_ENTRY
        _write_text(self.path, autostart_entry(template, command))

    def _remove(self) -> None:
        self.path.unlink(missing_ok=True)


def _entries(text: str) -> dict[str, str]:
    """The keys of the ``[Desktop Entry]`` group."""
    found: dict[str, str] = {}
    group = ""
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith("["):
            group = stripped
        elif group == "[Desktop Entry]" and "=" in stripped and not stripped.startswith("#"):
            key, value = stripped.split("=", 1)
            found[key.strip()] = value.strip()
    return found


def autostart_entry(template: str, command: Sequence[str]) -> str:
    """The packaged desktop entry with ``Exec`` set to ``command``, marked to start at login."""
    replaced = {"Exec", "Hidden", "X-GNOME-Autostart-enabled", "NoDisplay"}
    lines = [
        line
        for line in template.splitlines()
        if line.split("=", 1)[0].strip() not in replaced or "=" not in line
    ]
    start = lines.index("[Desktop Entry]") + 1 if "[Desktop Entry]" in lines else 0
    if start == 0:
        lines.insert(0, "[Desktop Entry]")
        start = 1
    added = [
        f"Exec={desktop_exec(command)}",
        "Hidden=false",
        "X-GNOME-Autostart-enabled=true",
    ]
    lines[start:start] = added
    return "\n".join(lines).rstrip("\n") + "\n"


def _write_text(path: Path, text: str | bytes) -> None:
    """Write beside ``path`` then rename, so a half-written entry is never read."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.tmp")
    if isinstance(text, bytes):
        temporary.write_bytes(text)
    else:
        temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)


# -- macOS ---------------------------------------------------------------------------------------


class MacAutostart(Autostart):
    """``~/Library/LaunchAgents/app.luma.desktop.plist``, loaded by launchd at login."""

    def __init__(self, agents_dir: Path | None = None) -> None:
        self._agents_dir = agents_dir

    @property
    def path(self) -> Path:
        folder = self._agents_dir or Path.home() / "Library" / "LaunchAgents"
        return folder / f"{MAC_LABEL}.plist"

    @property
    def location(self) -> str:
        return str(self.path)

    def _present(self) -> bool:
        try:
            agent = plistlib.loads(self.path.read_bytes())
        except plistlib.InvalidFileException:
            return False
        return (
            isinstance(agent, dict)
            and agent.get("Label") == MAC_LABEL
            and agent.get("RunAtLoad") is True
            and agent.get("Disabled") is not True
        )

    def _write(self, command: list[str]) -> None:
        agent = {
            "Label": MAC_LABEL,
            "ProgramArguments": command,
            "RunAtLoad": True,
            "ProcessType": "Interactive",
            "LimitLoadToSessionType": "Aqua",
        }
        _write_text(self.path, plistlib.dumps(agent))

    def _remove(self) -> None:
        self.path.unlink(missing_ok=True)


# -- Windows -------------------------------------------------------------------------------------


class WindowsAutostart(Autostart):
    """The ``Luma`` value of the ``Run`` key of ``HKEY_CURRENT_USER`` (:data:`RUN_KEY`).

    ``registry`` is the ``winreg`` module (the default on Windows) or a :class:`FakeWinreg`.
    """

    def __init__(self, registry: Any = None) -> None:
        self._registry = registry

    @property
    def location(self) -> str:
        return f"HKEY_CURRENT_USER\\{RUN_KEY} ({RUN_VALUE})"

    def _winreg(self) -> Any:
        if self._registry is not None:
            return self._registry
        if sys.platform == "win32":
            import winreg

            return winreg
        raise OSError("the Windows registry exists only on Windows")

    def _present(self) -> bool:
        reg = self._winreg()
        try:
            with reg.OpenKey(reg.HKEY_CURRENT_USER, RUN_KEY, 0, reg.KEY_READ) as key:
                value, _kind = reg.QueryValueEx(key, RUN_VALUE)
        except FileNotFoundError:
            return False
        return isinstance(value, str) and bool(value.strip())

    def _write(self, command: list[str]) -> None:
        reg = self._winreg()
        line = subprocess.list2cmdline(command)
        with reg.CreateKeyEx(reg.HKEY_CURRENT_USER, RUN_KEY, 0, reg.KEY_SET_VALUE) as key:
            reg.SetValueEx(key, RUN_VALUE, 0, reg.REG_SZ, line)

    def _remove(self) -> None:
        reg = self._winreg()
        try:
            with reg.OpenKey(reg.HKEY_CURRENT_USER, RUN_KEY, 0, reg.KEY_SET_VALUE) as key:
                reg.DeleteValue(key, RUN_VALUE)
        except FileNotFoundError:
            return


@dataclass
class _FakeKey:
    values: dict[str, tuple[object, int]]
    writable: bool

    def __enter__(self) -> _FakeKey:
        return self

    def __exit__(self, *exc_info: object) -> None:
        return None


@dataclass
class FakeWinreg:
    """The part of ``winreg`` :class:`WindowsAutostart` uses, over a dict (for tests).

    ``keys`` maps ``(hive, path)`` to the key's values (name → (data, type)); paths compare
    case-insensitively as in the registry. ``read_only`` makes writes fail as without access.
    """

    HKEY_CURRENT_USER = 0x80000001
    KEY_READ = 0x20019
    KEY_SET_VALUE = 0x0002
    REG_SZ = 1
    keys: dict[tuple[int, str], dict[str, tuple[object, int]]] = field(default_factory=dict)
    read_only: bool = False

    def _key(self, hive: int, path: str, create: bool) -> dict[str, tuple[object, int]]:
        for (known_hive, known_path), values in self.keys.items():
            if known_hive == hive and known_path.lower() == path.lower():
                return values
        if not create:
            raise FileNotFoundError(2, "The system cannot find the file specified")
        if self.read_only:
            raise PermissionError(5, "Access is denied")
        return self.keys.setdefault((hive, path), {})

    def OpenKey(self, hive: int, path: str, reserved: int = 0, access: int = 0) -> _FakeKey:
        return _FakeKey(self._key(hive, path, create=False), access != self.KEY_READ)

    def CreateKeyEx(self, hive: int, path: str, reserved: int = 0, access: int = 0) -> _FakeKey:
        return _FakeKey(self._key(hive, path, create=True), True)

    def QueryValueEx(self, key: _FakeKey, name: str) -> tuple[object, int]:
        if name not in key.values:
            raise FileNotFoundError(2, "The system cannot find the file specified")
        return key.values[name]

    def SetValueEx(self, key: _FakeKey, name: str, reserved: int, kind: int, value: object) -> None:
        if self.read_only or not key.writable:
            raise PermissionError(5, "Access is denied")
        key.values[name] = (value, kind)

    def DeleteValue(self, key: _FakeKey, name: str) -> None:
        if self.read_only or not key.writable:
            raise PermissionError(5, "Access is denied")
        if name not in key.values:
            raise FileNotFoundError(2, "The system cannot find the file specified")
        del key.values[name]

    def value(self) -> object | None:
        """The ``Luma`` value of the ``Run`` key, or ``None``."""
        try:
            with self.OpenKey(self.HKEY_CURRENT_USER, RUN_KEY, 0, self.KEY_READ) as key:
                return self.QueryValueEx(key, RUN_VALUE)[0]
        except FileNotFoundError:
            return None


def autostart_for(platform: str = sys.platform) -> Autostart:
    """The start-at-login mechanism of ``platform`` (``sys.platform`` values)."""
    if platform == "win32":
        return WindowsAutostart()
    if platform == "darwin":
        return MacAutostart()
    return LinuxAutostart()
