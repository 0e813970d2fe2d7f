"""Reading and changing ``settings.toml`` safely (the Settings window's back end; no Qt here).

A change is validated through :class:`~luma_desktop.settings.LumaSettings` together with the
rest of the file before anything is written; a bad value is refused with the setting's name and
the file stays as it was. Writing is atomic (a temporary file beside it, then a rename), keeps
the lines, comments and order of settings that did not change, and never writes a secret: keys
and passwords belong in the OS keyring (:mod:`luma_desktop.credentials`).

``None`` or a blank string as a new value means "back to the default" (the line is removed).
"""

from __future__ import annotations

import json
import math
import os
import re
import shutil
import tempfile
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal, get_args, get_origin

from pydantic import ValidationError
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource

from .credentials import SECRET_NAMES
from .errors import ConfigurationError
from .settings import LumaSettings

__all__ = [
    "SETTING_NAMES",
    "check_settings",
    "default_value",
    "environment_overrides",
    "is_secret_name",
    "read_settings_file",
    "setting_choices",
    "setting_problems",
    "toml_value",
    "update_settings_file",
    "validate_file_values",
]

SETTING_NAMES: tuple[str, ...] = tuple(LumaSettings.model_fields)
"""Every setting ``settings.toml`` may hold."""

_HEADER = (
    "# Luma's settings: written by the Settings window, fine to edit by hand.\n"
    "# Keys and passwords never go here: they live in the OS keyring (`luma keys set NAME`).\n"
)
_KEY_LINE = re.compile(r"""^\s*(?P<key>[A-Za-z0-9_-]+|"[^"]*"|'[^']*')\s*=""")


class _Validator(LumaSettings):
    """The settings built from the given values only (no environment, no file)."""

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (init_settings,)


def is_secret_name(name: str) -> bool:
    """Whether ``name`` is (or looks like) a key or password: never a setting."""
    lowered = name.strip().lower()
    return (
        lowered.upper() in {secret.upper() for secret in SECRET_NAMES}
        or "password" in lowered
        or lowered.endswith("_key")
    )


def default_value(name: str) -> Any:
    """The embedded default of a setting."""
    return LumaSettings.model_fields[name].default


def setting_choices() -> dict[str, tuple[str, ...]]:
    """The allowed values of every setting that has a fixed set (``brain``, ``tts_engine``…)."""
    choices: dict[str, tuple[str, ...]] = {}
    for name, field in LumaSettings.model_fields.items():
        if get_origin(field.annotation) is Literal:
            choices[name] = tuple(str(choice) for choice in get_args(field.annotation))
    return choices


def environment_overrides(environ: Mapping[str, str] | None = None) -> dict[str, str]:
    """Settings a ``LUMA_*`` environment variable sets (it wins over the file): name → variable."""
    env = os.environ if environ is None else environ
    present = {key.upper(): key for key in env}
    found: dict[str, str] = {}
    for name in SETTING_NAMES:
        variable = f"LUMA_{name.upper()}"
        if variable in present:
            found[name] = present[variable]
    return found


def read_settings_file(path: Path) -> dict[str, Any]:
    """The values written in the file (``{}`` when there is none); a damaged file or one holding
    a secret is a :class:`ConfigurationError`."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    except OSError as exc:
        raise ConfigurationError(f"The settings file {path} cannot be read: {exc}.") from exc
    try:
        values = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigurationError(
            f"The settings file {path} is damaged ({exc}). Fix it or delete it "
            "(Luma then uses its defaults); nothing was changed."
        ) from exc
    secrets = sorted(key for key in values if is_secret_name(key))
    if secrets:
        raise ConfigurationError(
            f"The settings file {path} contains a secret ({', '.join(secrets)}). Keys and "
            "passwords belong in the OS keyring: remove it from the file, then try again.",
            setting=secrets[0],
        )
    return values


def _human(name: str, error: Mapping[str, Any]) -> str:
    if error["type"] == "extra_forbidden":
        return f"“{name}” is not a Luma setting; remove it from settings.toml"
    message = str(error["msg"]).removeprefix("Value error, ")
    given = error.get("input")
    entered = f", not {given!r}" if isinstance(given, str | int | float) else ""
    if message.startswith("Input should"):
        return f"{name} should{message.removeprefix('Input should')}{entered}"
    return f"{name}: {message}"


def setting_problems(values: Mapping[str, Any]) -> dict[str, str]:
    """What is wrong with a whole set of file values: setting name → message ({} when valid)."""
    try:
        _Validator(**dict(values))
    except ValidationError as exc:
        problems: dict[str, str] = {}
        for error in exc.errors():
            name = str(error["loc"][0]) if error["loc"] else "settings"
            problems.setdefault(name, _human(name, error))
        return problems
    return {}


def validate_file_values(values: Mapping[str, Any]) -> dict[str, Any]:
    """``values`` checked and normalised (``""`` → removed); raises :class:`ConfigurationError`
    naming the first bad setting."""
    problems = setting_problems(values)
    if problems:
        name, message = next(iter(problems.items()))
        raise ConfigurationError(f"{message}. Nothing was saved.", setting=name)
    normal = _Validator(**dict(values)).model_dump()
    return {name: normal[name] for name in values if normal[name] is not None}


def _merge(current: Mapping[str, Any], changes: Mapping[str, Any]) -> dict[str, Any]:
    for name in changes:
        if is_secret_name(name):
            raise ConfigurationError(
                f"{name} is a secret: Luma keeps it in the OS keyring, never in settings.toml.",
                setting=name,
            )
        if name not in LumaSettings.model_fields:
            raise ConfigurationError(f"There is no setting called “{name}”.", setting=name)
    merged = dict(current)
    for name, value in changes.items():
        if value is None or (isinstance(value, str) and not value.strip()):
            merged.pop(name, None)
        else:
            merged[name] = value
    return merged


def check_settings(path: Path, changes: Mapping[str, Any]) -> dict[str, Any]:
    """The file's values after ``changes``, validated, without writing anything."""
    return validate_file_values(_merge(read_settings_file(path), changes))


def update_settings_file(path: Path, changes: Mapping[str, Any]) -> dict[str, Any]:
    """Apply ``changes`` (name → value; ``None`` = back to the default) to the file, atomically.

    Returns the values now in the file. Raises :class:`ConfigurationError` naming the setting
    when a value is invalid, a name is unknown or a secret, or the file cannot be written; the
    file is then unchanged.
    """
    current = read_settings_file(path)
    values = validate_file_values(_merge(current, changes))
    if values == current and path.exists():
        return values
    try:
        old_text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        old_text = _HEADER
    text = _render(old_text, current, values)
    try:
        _write_atomic(path, text)
    except OSError as exc:
        raise ConfigurationError(
            f"Luma could not save its settings to {path} ({exc.strerror or exc}). "
            "Check that the folder is writable; nothing was changed.",
            setting=next(iter(changes), None),
        ) from exc
    return values


# -- writing ---------------------------------------------------------------------------------


def toml_value(value: Any) -> str:
    """A scalar setting value as TOML."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False).replace("\x7f", "\\u007f")
    raise TypeError(f"settings.toml cannot hold {type(value).__name__} values")


def _render(old_text: str, old: Mapping[str, Any], new: Mapping[str, Any]) -> str:
    """``old_text`` with changed values rewritten in place, removed ones dropped and new ones
    added at the end; falls back to a clean file when the old one is too unusual to edit."""
    lines: list[str] = []
    written: set[str] = set()
    for line in old_text.splitlines():
        match = _KEY_LINE.match(line)
        if match is None:
            lines.append(line)
            continue
        name = match["key"].strip("\"'")
        if name not in new:
            continue
        written.add(name)
        same = name in old and old[name] == new[name] and type(old[name]) is type(new[name])
        lines.append(line if same else f"{name} = {toml_value(new[name])}")
    while lines and not lines[-1].strip():
        lines.pop()
    lines += [f"{name} = {toml_value(value)}" for name, value in new.items() if name not in written]
    text = "\n".join(lines) + "\n"
    if _parses_to(text, new):
        return text
    clean = [f"{name} = {toml_value(value)}" for name, value in new.items()]
    return _HEADER + "\n".join(clean) + "\n"


def _parses_to(text: str, values: Mapping[str, Any]) -> bool:
    try:
        parsed = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return False
    return parsed.keys() == values.keys() and all(
        toml_value(parsed[name]) == toml_value(value) for name, value in values.items()
    )


def _write_atomic(path: Path, text: str) -> None:
    """Write ``text`` to a temporary file beside ``path``, flush it to disk, then rename it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=".settings-", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as file:
            file.write(text)
            file.flush()
            os.fsync(file.fileno())
        if path.exists():
            shutil.copymode(path, temporary)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
