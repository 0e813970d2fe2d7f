"""Secrets come from the environment or the keyring and never reach the logs."""

import logging

import keyring
import pytest
from keyring.backend import KeyringBackend

from luma_desktop import credentials
from luma_desktop.errors import ConfigurationError
from luma_desktop.logs import redact, setup_logging


class MemoryKeyring(KeyringBackend):
    """An in-memory keyring backend (the real API, no OS service)."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.store: dict[tuple[str, str], str] = {}

    def get_password(self, service, username):
        return self.store.get((service, username))

    def set_password(self, service, username, password):
        self.store[(service, username)] = password

    def delete_password(self, service, username):
        from keyring.errors import PasswordDeleteError

        if (service, username) not in self.store:
            raise PasswordDeleteError(username)
        del self.store[(service, username)]


@pytest.fixture
def memory_keyring(monkeypatch):
    backend = MemoryKeyring()
    previous = keyring.get_keyring()
    keyring.set_keyring(backend)
    monkeypatch.setenv("LUMA_KEYRING", "on")
    yield backend
    keyring.set_keyring(previous)


def test_environment_wins_over_keyring(memory_keyring, monkeypatch):
    credentials.set_secret("ANTHROPIC_API_KEY", "from-keyring-123")
    assert credentials.get_secret("ANTHROPIC_API_KEY") == "from-keyring-123"
    assert credentials.secret_status("ANTHROPIC_API_KEY").source == "keyring"
    monkeypatch.setenv("ANTHROPIC_API_KEY", "from-env-456")
    assert credentials.get_secret("ANTHROPIC_API_KEY") == "from-env-456"
    assert credentials.secret_status("ANTHROPIC_API_KEY").source == "environment"


def test_missing_secret_and_switched_off_keyring():
    status = credentials.secret_status("ELEVENLABS_API_KEY")
    assert status.source == "missing"
    assert "LUMA_KEYRING=off" in (status.problem or "")
    assert credentials.get_secret("ELEVENLABS_API_KEY") is None


def test_delete_and_empty_value(memory_keyring):
    credentials.set_secret("LUMA_SMTP_PASSWORD", "s3cret-pass")
    assert credentials.delete_secret("LUMA_SMTP_PASSWORD") is True
    assert credentials.delete_secret("LUMA_SMTP_PASSWORD") is False
    with pytest.raises(ConfigurationError):
        credentials.set_secret("LUMA_SMTP_PASSWORD", "   ")


@pytest.mark.parametrize(
    ("text", "leak"),
    [
        pytest.param("key is sk-ant-api03-abcdefghijkl", "abcdefghijkl", id="anthropic-key"),
        pytest.param("Authorization: Bearer abcdef123456789", "abcdef123456789", id="bearer"),
        pytest.param("password=hunter2hunter2 next", "hunter2hunter2", id="password"),
        pytest.param("postgresql://luma:topsecret@db/luma", "topsecret", id="url-password"),
        pytest.param("xi-api-key: 0123456789abcdef", "0123456789abcdef", id="elevenlabs"),
    ],
)
def test_redact_patterns(text, leak):
    assert leak not in redact(text)
    assert "[redacted]" in redact(text)


def test_log_file_never_contains_a_known_secret(monkeypatch, tmp_path):
    monkeypatch.setenv("ELEVENLABS_API_KEY", "plainvalue-without-pattern")
    credentials.get_secret("ELEVENLABS_API_KEY")
    log_file = setup_logging(tmp_path / "logs", level="DEBUG", to_stderr=False)
    logger = logging.getLogger("luma_desktop.test")
    logger.info("calling with %s", "plainvalue-without-pattern")
    try:
        raise RuntimeError("failed with plainvalue-without-pattern")
    except RuntimeError:
        logger.exception("request failed")
    for handler in logging.getLogger("luma_desktop").handlers:
        handler.flush()
    text = log_file.read_text(encoding="utf-8")
    assert "plainvalue-without-pattern" not in text
    assert text.count("[redacted]") >= 2
    assert "request failed" in text
