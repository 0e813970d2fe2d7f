"""Changing settings.toml from the app: validated before writing, atomic, keeps what the user
wrote, refuses secrets and unknown names, and what it writes is what Luma then loads."""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

import pytest

from luma_desktop.errors import ConfigurationError
from luma_desktop.paths import resolve_paths
from luma_desktop.settings import load_settings
from luma_desktop.settings_file import (
    check_settings,
    environment_overrides,
    read_settings_file,
    setting_choices,
    setting_problems,
    toml_value,
    update_settings_file,
)

HAND_WRITTEN = """\
# Luma at the salon
brain = "local"   # the Mac mini in the back
local_base_url = "http://127.0.0.1:11434/v1"

# voice
tts_rate = 160
"""


@pytest.fixture
def path() -> Path:
    file = resolve_paths().settings_file
    file.parent.mkdir(parents=True, exist_ok=True)
    return file


def test_a_change_keeps_comments_order_and_untouched_lines(path):
    path.write_text(HAND_WRITTEN, encoding="utf-8")
    values = update_settings_file(path, {"tts_rate": 190, "voice_enabled": False})
    assert values == {
        "brain": "local",
        "local_base_url": "http://127.0.0.1:11434/v1",
        "tts_rate": 190,
        "voice_enabled": False,
    }
    assert (
        path.read_text(encoding="utf-8")
        == HAND_WRITTEN.replace("tts_rate = 160", "tts_rate = 190") + "voice_enabled = false\n"
    )


def test_blank_or_none_puts_a_setting_back_to_its_default(path):
    path.write_text(HAND_WRITTEN, encoding="utf-8")
    update_settings_file(path, {"local_base_url": "", "tts_rate": None})
    text = path.read_text(encoding="utf-8")
    assert "local_base_url" not in text
    assert "tts_rate" not in text
    assert "# the Mac mini in the back" in text
    assert load_settings().tts_rate == 175


def test_what_is_written_is_what_luma_loads(path):
    update_settings_file(
        path,
        {
            "brain": "claude",
            "claude_model": 'model "with" quotes\\and a backslash',
            "temperature": 0.5,
            "memory_maintenance_hours": 12,
            "database_url": "postgresql+psycopg://luma@db.local/salon",
        },
    )
    settings = load_settings()
    assert settings.brain == "claude"
    assert settings.claude_model == 'model "with" quotes\\and a backslash'
    assert settings.temperature == 0.5
    assert settings.memory_maintenance_hours == 12.0
    assert settings.database_url == "postgresql+psycopg://luma@db.local/salon"
    assert path.read_text(encoding="utf-8").startswith("# Luma's settings")


def test_values_are_normalised_as_they_will_be_read(path):
    values = update_settings_file(path, {"tts_rate": "180", "voice_enabled": "false"})
    assert values == {"tts_rate": 180, "voice_enabled": False}
    assert tomllib.loads(path.read_text(encoding="utf-8")) == values


@pytest.mark.parametrize(
    ("changes", "setting", "message"),
    [
        pytest.param(
            {"tts_rate": 500},
            "tts_rate",
            "tts_rate should be less than or equal to 400, not 500. Nothing was saved.",
            id="out-of-range",
        ),
        pytest.param(
            {"brain": "gpt"},
            "brain",
            "brain should be 'auto', 'claude', 'local' or 'offline', not 'gpt'. Nothing was saved.",
            id="bad-choice",
        ),
        pytest.param(
            {"tts_rate": 180, "max_tokens": "many"},
            "max_tokens",
            "max_tokens should be a valid integer, unable to parse string as an integer, "
            "not 'many'. Nothing was saved.",
            id="one-bad-of-two",
        ),
        pytest.param(
            {"ANTHROPIC_API_KEY": "sk-ant-1234"},
            "ANTHROPIC_API_KEY",
            "ANTHROPIC_API_KEY is a secret: Luma keeps it in the OS keyring, never in "
            "settings.toml.",
            id="secret",
        ),
        pytest.param(
            {"smtp_password": "hunter22"},
            "smtp_password",
            "smtp_password is a secret: Luma keeps it in the OS keyring, never in settings.toml.",
            id="password",
        ),
        pytest.param(
            {"colour": "blue"}, "colour", "There is no setting called “colour”.", id="unknown"
        ),
    ],
)
def test_a_bad_change_is_refused_by_name_and_nothing_is_written(path, changes, setting, message):
    path.write_text(HAND_WRITTEN, encoding="utf-8")
    before = path.stat().st_mtime_ns, path.read_bytes()
    with pytest.raises(ConfigurationError) as caught:
        update_settings_file(path, changes)
    assert caught.value.setting == setting
    assert caught.value.message == message
    assert (path.stat().st_mtime_ns, path.read_bytes()) == before
    assert sorted(p.name for p in path.parent.iterdir()) == ["settings.toml"]


def test_a_damaged_file_is_refused_and_kept(path):
    path.write_text("brain = \n", encoding="utf-8")
    with pytest.raises(ConfigurationError, match="is damaged"):
        update_settings_file(path, {"brain": "offline"})
    assert path.read_text(encoding="utf-8") == "brain = \n"


def test_a_file_holding_a_secret_is_refused_until_it_is_removed(path):
    path.write_text('ELEVENLABS_API_KEY = "abcd1234"\n', encoding="utf-8")
    with pytest.raises(ConfigurationError) as caught:
        update_settings_file(path, {"brain": "offline"})
    assert caught.value.setting == "ELEVENLABS_API_KEY"
    assert "remove it from the file" in caught.value.message
    assert path.read_text(encoding="utf-8") == 'ELEVENLABS_API_KEY = "abcd1234"\n'


def test_an_unknown_setting_already_in_the_file_is_named(path):
    path.write_text("colour = 'blue'\n", encoding="utf-8")
    with pytest.raises(ConfigurationError) as caught:
        update_settings_file(path, {"brain": "offline"})
    assert caught.value.setting == "colour"
    assert caught.value.message == (
        "“colour” is not a Luma setting; remove it from settings.toml. Nothing was saved."
    )


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="needs Linux's /proc")
def test_an_unwritable_folder_is_a_clear_error():
    unwritable = Path("/proc/luma-settings-test/settings.toml")  # not even root may write here
    with pytest.raises(ConfigurationError) as caught:
        update_settings_file(unwritable, {"brain": "offline"})
    assert caught.value.setting == "brain"
    assert "could not save its settings" in caught.value.message
    assert "nothing was changed" in caught.value.message


def test_the_write_is_atomic_and_keeps_the_file_mode(path):
    path.write_text(HAND_WRITTEN, encoding="utf-8")
    path.chmod(0o600)
    inode = path.stat().st_ino
    update_settings_file(path, {"brain": "offline"})
    assert path.stat().st_ino != inode  # a new file renamed over the old one
    assert path.stat().st_mode & 0o777 == 0o600
    assert sorted(p.name for p in path.parent.iterdir()) == ["settings.toml"]


def test_a_change_that_changes_nothing_does_not_rewrite_the_file(path):
    path.write_text(HAND_WRITTEN, encoding="utf-8")
    inode = path.stat().st_ino
    update_settings_file(path, {"brain": "local"})
    assert path.stat().st_ino == inode


def test_check_settings_validates_without_writing(path):
    assert check_settings(path, {"brain": "offline"}) == {"brain": "offline"}
    assert not path.exists()
    assert setting_problems({"tts_rate": 10, "brain": "x"}).keys() == {"tts_rate", "brain"}
    assert read_settings_file(path) == {}


def test_environment_overrides_and_choices():
    assert environment_overrides({"LUMA_BRAIN": "claude", "luma_tts_rate": "1", "HOME": "/"}) == {
        "brain": "LUMA_BRAIN",
        "tts_rate": "luma_tts_rate",
    }
    assert environment_overrides(dict(os.environ))["memory_enabled"] == "LUMA_MEMORY_ENABLED"
    choices = setting_choices()
    assert choices["brain"] == ("auto", "claude", "local", "offline")
    assert choices["push_to_talk_mode"] == ("hold", "toggle")


@pytest.mark.parametrize(
    ("value", "text"),
    [
        pytest.param(True, "true", id="bool"),
        pytest.param(42, "42", id="int"),
        pytest.param(0.25, "0.25", id="float"),
        pytest.param(float("inf"), "inf", id="infinity"),
        pytest.param('a "b"\n', '"a \\"b\\"\\n"', id="string"),
        pytest.param("\x7f", '"\\u007f"', id="delete-char"),
    ],
)
def test_toml_values_round_trip(value, text):
    assert toml_value(value) == text
    assert tomllib.loads(f"x = {text}")["x"] == value
