"""``luma keys``: secrets in the OS keyring, shown by where they come from, never by value."""

from __future__ import annotations

from ..credentials import SECRET_NAMES, delete_secret, secret_status, set_secret
from ..errors import ConfigurationError
from ._output import console

__all__ = ["run_keys_delete", "run_keys_set", "run_keys_status"]


def _known(name: str) -> str:
    upper = name.strip().upper()
    if upper not in SECRET_NAMES:
        raise ConfigurationError(
            f"{name} is not a key Luma uses. Known keys: {', '.join(SECRET_NAMES)}.", setting=name
        )
    return upper


def run_keys_status() -> None:
    for name in SECRET_NAMES:
        status = secret_status(name)
        where = {
            "environment": "set (environment)",
            "keyring": "set (OS keyring)",
            "missing": "not set",
        }[status.source]
        extra = f" — {status.problem}" if status.problem and status.source == "missing" else ""
        console().print(f"{name:24} {where}{extra}")


def run_keys_set(name: str) -> None:
    import getpass

    key = _known(name)
    value = getpass.getpass(f"{key}: ")
    set_secret(key, value)
    console().print(f"{key} stored in the OS keyring.")


def run_keys_delete(name: str) -> None:
    key = _known(name)
    removed = delete_secret(key)
    console().print(f"{key} {'removed from' if removed else 'was not in'} the OS keyring.")
