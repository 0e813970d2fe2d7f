"""Settings precedence, validation and the refusal to keep secrets in files."""

from pathlib import Path

import pytest

from luma_desktop.errors import ConfigurationError
from luma_desktop.paths import resolve_paths
from luma_desktop.settings import load_settings


def write_settings(text: str) -> Path:
    path = resolve_paths().settings_file
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_need_no_file_and_no_environment():
    settings = load_settings()
    assert settings.database_url is None
    assert settings.log_level == "INFO"
    assert settings.demo_on_first_run is True


def test_file_overrides_defaults_and_environment_overrides_file(monkeypatch):
    write_settings('log_level = "DEBUG"\nlarge_payment_threshold_minor = 5000\n')
    assert load_settings().log_level == "DEBUG"
    assert load_settings().large_payment_threshold_minor == 5000
    monkeypatch.setenv("LUMA_LOG_LEVEL", "ERROR")
    assert load_settings().log_level == "ERROR"
    assert load_settings().large_payment_threshold_minor == 5000


def test_empty_database_url_means_the_embedded_sqlite(monkeypatch):
    monkeypatch.setenv("LUMA_DATABASE_URL", "")
    assert load_settings().database_url is None


@pytest.mark.parametrize(
    ("text", "setting"),
    [
        pytest.param('log_level = "LOUD"\n', "log_level", id="bad-enum"),
        pytest.param(
            "large_payment_threshold_minor = -1\n", "large_payment_threshold_minor", id="negative"
        ),
        pytest.param("no_such_setting = 1\n", "no_such_setting", id="unknown-key"),
    ],
)
def test_invalid_settings_name_the_setting(text, setting):
    path = write_settings(text)
    with pytest.raises(ConfigurationError) as caught:
        load_settings()
    assert caught.value.setting == setting
    assert str(path) in caught.value.message


def test_broken_toml_is_a_clear_error():
    write_settings("log_level = \n")
    with pytest.raises(ConfigurationError, match="cannot be read"):
        load_settings()


@pytest.mark.parametrize(
    "line",
    [
        pytest.param('ANTHROPIC_API_KEY = "sk-ant-123456789"', id="known-secret"),
        pytest.param('smtp_password = "hunter22"', id="password-field"),
        pytest.param('elevenlabs_api_key = "abc123456"', id="key-field"),
    ],
)
def test_secrets_in_the_settings_file_are_refused(line):
    write_settings(line + "\n")
    with pytest.raises(ConfigurationError, match="never in a file"):
        load_settings()


def test_directories_follow_luma_home_and_explicit_overrides(monkeypatch, tmp_path):
    monkeypatch.setenv("LUMA_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("LUMA_LOG_DIR", str(tmp_path / "elsewhere"))
    paths = resolve_paths()
    assert paths.data == tmp_path / "home" / "data"
    assert paths.config == tmp_path / "home" / "config"
    assert paths.logs == tmp_path / "elsewhere"
    assert paths.settings_file == tmp_path / "home" / "config" / "settings.toml"


def test_platform_directories_without_overrides(monkeypatch):
    monkeypatch.delenv("LUMA_HOME")
    paths = resolve_paths()
    assert "Luma" in str(paths.data)
    assert paths.data != paths.config
