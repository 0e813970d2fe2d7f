"""Where Luma keeps its files: platform directories, overridable for tests and portable installs.

Precedence per directory: ``LUMA_CONFIG_DIR`` / ``LUMA_DATA_DIR`` / ``LUMA_CACHE_DIR`` /
``LUMA_LOG_DIR`` > ``LUMA_HOME/<config|data|cache|logs>`` > the platform's user directory
(platformdirs).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from platformdirs import PlatformDirs

__all__ = ["AppPaths", "resolve_paths"]

_APP = "Luma"
_ENV_NAMES = {
    "config": "LUMA_CONFIG_DIR",
    "data": "LUMA_DATA_DIR",
    "cache": "LUMA_CACHE_DIR",
    "logs": "LUMA_LOG_DIR",
}


@dataclass(frozen=True, slots=True)
class AppPaths:
    """The four directories Luma uses."""

    config: Path
    """Holds ``settings.toml``."""
    data: Path
    """The SQLite workspace, memory store, exports."""
    cache: Path
    """Disposable files (rendered previews, model caches)."""
    logs: Path
    """The rotating log file."""

    @property
    def settings_file(self) -> Path:
        return self.config / "settings.toml"

    def ensure(self) -> None:
        """Create the directories that do not exist yet."""
        for path in (self.config, self.data, self.cache, self.logs):
            path.mkdir(parents=True, exist_ok=True)


def resolve_paths(environ: dict[str, str] | None = None) -> AppPaths:
    """Work out the directories from the environment (``os.environ`` by default)."""
    env = os.environ if environ is None else environ
    home = env.get("LUMA_HOME")
    platform = PlatformDirs(_APP, _APP)
    defaults = {
        "config": platform.user_config_path,
        "data": platform.user_data_path,
        "cache": platform.user_cache_path,
        "logs": platform.user_log_path,
    }

    def pick(kind: str) -> Path:
        explicit = env.get(_ENV_NAMES[kind])
        if explicit:
            return Path(explicit).expanduser()
        if home:
            return Path(home).expanduser() / kind
        return defaults[kind]

    return AppPaths(
        config=pick("config"), data=pick("data"), cache=pick("cache"), logs=pick("logs")
    )
