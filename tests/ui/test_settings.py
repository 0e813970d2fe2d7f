"""The Settings window: changes persist (settings.toml for the core, the preferences file for
the app's own choices), bad values are refused and shown, keys go to the OS keyring only,
the theme restyles, start at login follows the switch; keyboard and screen-reader use;
screenshots of every section, light and dark."""

from __future__ import annotations

import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible, QColor

from luma_desktop.credentials import KEYRING_SERVICE
from luma_desktop.paths import resolve_paths
from luma_desktop.settings import load_settings
from luma_desktop.ui.fake_keyring import MemoryKeyring, memory_keyring
from luma_desktop.ui.hotkey import hotkey_setting
from luma_desktop.ui.preferences import Preferences, open_preferences
from luma_desktop.ui.window_state import WindowState

from .conftest import screenshots_dir
from .settings_harness import SECTIONS, SettingsUi, open_settings_ui

KEY = "sk-ant-test-5f1e2d3c4b5a69788796a5b4"


@pytest.fixture
def ui(qt_loop, tmp_path, registry) -> Iterator[SettingsUi]:
    opened = open_settings_ui(qt_loop, tmp_path, registry)
    yield opened
    opened.close()
    assert opened.warnings == []


@pytest.fixture
def keyring_on(monkeypatch) -> Iterator[MemoryKeyring]:
    """The keyring switched on, as an in-memory one."""
    monkeypatch.delenv("LUMA_KEYRING")
    with memory_keyring() as fake:
        yield fake


def settings_file() -> Path:
    return resolve_paths().settings_file


def window(ui: SettingsUi, section: str = "brain"):
    ui.settings_window.showSection(section)
    ui.idle()
    return ui.settings_window.window()


# -- persisting ---------------------------------------------------------------------------------


def test_changes_persist_to_settings_toml_and_the_preferences_file(ui, monkeypatch):
    ui.settings.setValue("brain", "offline")
    ui.settings.setValue("voice_enabled", False)
    ui.settings.setValue("tts_rate", "190")
    ui.preferences.theme = "dark"
    assert ui.settings.dirty
    assert ui.settings.changed_names() == ["brain", "tts_rate", "voice_enabled"]
    saved: list[list[str]] = []
    ui.settings.saved.connect(saved.append)

    assert ui.settings.save()

    assert saved == [["brain", "tts_rate", "voice_enabled"]]
    assert not ui.settings.dirty
    assert ui.settings.message == "Saved. Restart Luma to use the new settings."
    assert tomllib.loads(settings_file().read_text(encoding="utf-8")) == {
        "brain": "offline",
        "tts_rate": 190,
        "voice_enabled": False,
    }
    assert open_preferences().value("appearance/theme") == "dark"
    loaded = load_settings()
    assert (loaded.brain, loaded.voice_enabled, loaded.tts_rate) == ("offline", False, 190)
    assert Preferences.open().theme == "dark"


def test_a_setting_set_in_the_environment_is_marked_and_the_file_value_applies_without_it(
    ui, monkeypatch
):
    assert ui.settings.overrides["memory_enabled"] == "LUMA_MEMORY_ENABLED"
    ui.settings.setValue("memory_enabled", True)
    assert ui.settings.save()
    assert load_settings().memory_enabled is False  # the environment wins
    monkeypatch.delenv("LUMA_MEMORY_ENABLED")
    assert load_settings().memory_enabled is True


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        pytest.param(
            "brain", "gpt", "brain should be 'auto', 'claude', 'local' or 'offline'", id="choice"
        ),
        pytest.param("tts_rate", 900, "tts_rate should be less than or equal to 400", id="range"),
        pytest.param("max_tokens", "lots", "max_tokens should be a valid integer", id="number"),
    ],
)
def test_an_invalid_value_is_shown_and_nothing_is_written(ui, name, value, message):
    settings_file().parent.mkdir(parents=True, exist_ok=True)
    settings_file().write_text('# mine\nbrain = "local"\n', encoding="utf-8")
    ui.settings.reload()
    before = settings_file().read_bytes()
    settings = window(ui)

    ui.settings.setValue(name, value)
    assert ui.settings.errors[name].startswith(message)
    assert not ui.settings.save()
    assert ui.settings.message == "Fix the settings marked in red first; nothing was saved."
    assert settings_file().read_bytes() == before
    ui.settle()
    section = "brain" if name == "brain" else "voice" if name == "tts_rate" else ""
    if section:
        assert ui.item(settings, f"sectionProblem_{section}").isVisible()
    shown = ui.item(settings, "saveMessage").property("text")
    assert shown == ui.settings.message
    ui.settings_window.showSection(section or "brain")
    ui.settle()
    if name == "brain":
        under_field = [t for t in ui.texts(settings) if t.startswith(message)]
        assert under_field, "the error is not shown under the field"
    ui.settings.revert()
    assert ui.settings.errors == {}
    assert ui.settings.values["brain"] == "local"


def test_a_damaged_file_is_reported_and_never_overwritten(ui):
    settings_file().parent.mkdir(parents=True, exist_ok=True)
    settings_file().write_text("brain = \n", encoding="utf-8")
    ui.settings.reload()
    assert "is damaged" in ui.settings.message
    ui.settings.setValue("brain", "offline")
    assert not ui.settings.save()
    assert settings_file().read_text(encoding="utf-8") == "brain = \n"


def test_editing_in_the_window_and_saving_with_the_keyboard(ui):
    settings = window(ui)
    ui.click(settings, ui.item(settings, "choice_offline"))
    assert ui.settings.values["brain"] == "offline"
    field = ui.item(settings, "field_claude_model")
    field.setProperty("text", "")
    ui.type_into(settings, field, "claude-haiku-4-5")
    ui.key(settings, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)  # commits the field
    assert tomllib.loads(settings_file().read_text(encoding="utf-8")) == {
        "brain": "offline",
        "claude_model": "claude-haiku-4-5",
    }
    assert ui.item(settings, "saveMessage").property("text").startswith("Saved.")


def test_revert_in_the_window_drops_the_draft(ui):
    settings = window(ui, "memory")
    ui.click(settings, ui.item(settings, "memorySwitch"))
    assert ui.settings.dirty
    ui.click(settings, ui.item(settings, "revertButton"))
    assert not ui.settings.dirty
    assert not settings_file().exists()


def test_sound_devices_are_listed_with_the_system_default_first(ui):
    window(ui, "voice")
    assert ui.settings.inputDevices == [{"name": "System default", "value": ""}]
    assert ui.settings.devicesNote == "No microphone found: Luma works by text."


# -- keys -----------------------------------------------------------------------------------------


def test_a_key_goes_to_the_keyring_and_to_no_file(ui, keyring_on, tmp_path):
    settings = window(ui, "keys")
    ui.type_into(settings, ui.item(settings, "keyInput_ANTHROPIC_API_KEY"), KEY)
    ui.click(settings, ui.item(settings, "keySave_ANTHROPIC_API_KEY"))
    ui.idle()

    assert keyring_on.passwords == {(KEYRING_SERVICE, "ANTHROPIC_API_KEY"): KEY}
    assert ui.keys.row("ANTHROPIC_API_KEY")["source"] == "keyring"
    assert ui.item(settings, "keyInput_ANTHROPIC_API_KEY").property("text") == ""
    assert KEY not in " ".join(ui.texts(settings))
    ui.settings.setValue("brain", "claude")
    assert ui.settings.save()
    written = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert settings_file() in written
    assert [p for p in written if KEY.encode() in p.read_bytes()] == []

    ui.click(settings, ui.item(settings, "keyRemove_ANTHROPIC_API_KEY"))
    ui.idle()
    assert keyring_on.passwords == {}
    assert ui.keys.row("ANTHROPIC_API_KEY")["source"] == "missing"


def test_with_the_keyring_switched_off_a_key_is_refused_clearly(ui):
    settings = window(ui, "keys")
    ui.type_into(settings, ui.item(settings, "keyInput_ELEVENLABS_API_KEY"), KEY)
    ui.click(settings, ui.item(settings, "keySave_ELEVENLABS_API_KEY"))
    ui.idle()
    message = ui.item(settings, "keyError_ELEVENLABS_API_KEY").property("text")
    assert message == (
        "Luma cannot store ELEVENLABS_API_KEY: the OS keyring is switched off "
        "(LUMA_KEYRING=off). Set the environment variable ELEVENLABS_API_KEY instead, or "
        "switch the keyring back on."
    )
    assert ui.keys.row("ELEVENLABS_API_KEY")["source"] == "missing"


def test_a_blank_key_is_not_sent_to_the_keyring(ui, keyring_on):
    assert not ui.keys.store("ANTHROPIC_API_KEY", "   ")
    assert ui.keys.row("ANTHROPIC_API_KEY")["error"] == "Paste the Anthropic (Claude) key first."
    assert keyring_on.passwords == {}


def test_a_key_from_the_environment_is_reported_as_such(ui, monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", "local-secret")
    ui.keys.refresh()
    ui.idle()
    row = ui.keys.row("OPENAI_API_KEY")
    assert (row["source"], row["status"]) == (
        "environment",
        "Set by the environment variable OPENAI_API_KEY",
    )


# -- preferences ------------------------------------------------------------------------------


def test_switching_the_theme_restyles_the_window(ui):
    settings = window(ui, "appearance")
    background = ui.item(settings, "settingsBackground")
    ui.preferences.theme = "light"
    ui.settle()
    assert background.property("color") == QColor("#ffffff")
    ui.click(settings, ui.item(settings, "choice_dark"))
    assert ui.preferences.theme == "dark"
    assert background.property("color") == QColor("#1c1d21")
    assert Preferences.open().theme == "dark"


def test_the_look_stays_in_step_with_the_chat_window(qt_loop, tmp_path, registry):
    state = WindowState(tmp_path / "window.json")
    state.set_theme("dark")
    ui = open_settings_ui(qt_loop, tmp_path, registry, window_state=state)
    try:
        assert ui.preferences.theme == "dark"  # nothing stored yet: the chat window's look
        ui.preferences.fontScale = 1.3
        ui.preferences.alwaysOnTop = True
        assert (state.fontScale, state.alwaysOnTop) == (pytest.approx(1.3), True)
        state.set_theme("light")  # e.g. another part of the app
        assert ui.preferences.theme == "light"
        assert Preferences.open().theme == "light"
    finally:
        ui.close()
    again = WindowState(tmp_path / "window2.json")
    ui = open_settings_ui(qt_loop, tmp_path, registry, window_state=again)
    try:
        assert (again.theme, again.fontScale, again.alwaysOnTop) == ("light", 1.3, True)
    finally:
        ui.close()


@pytest.mark.parametrize(
    ("typed", "stored", "error"),
    [
        pytest.param("ctrl+shift+space", "Ctrl+Shift+Space", "", id="qt-text"),
        pytest.param("<alt>+<f9>", "Alt+F9", "", id="pynput-text"),
        pytest.param(
            "Ctrl+K",
            "Ctrl+Alt+Space",
            "Ctrl+K is already a shortcut inside Luma's window. Choose another one.",
            id="in-app",
        ),
        pytest.param(
            "J",
            "Ctrl+Alt+Space",
            "“J” cannot be used as the hotkey: a key without Ctrl, Alt or Super would fire "
            "while you type. Choose another in Settings.",
            id="no-modifier",
        ),
    ],
)
def test_the_hotkey_is_checked_and_stored_where_the_hotkey_reads_it(ui, typed, stored, error):
    assert ui.preferences.setHotkey(typed) is (error == "")
    assert ui.preferences.hotkeyError == error
    assert ui.preferences.hotkey == stored
    assert hotkey_setting(open_preferences()) in (stored, "<ctrl>+<alt>+space")


def test_the_hotkey_is_recorded_from_the_keyboard(ui):
    settings = window(ui, "hotkey")
    ui.click(settings, ui.item(settings, "hotkeyRecorder"))
    control, shift = Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.ShiftModifier
    ui.key(settings, Qt.Key.Key_Control, control)  # modifiers alone: still waiting
    assert ui.preferences.hotkey == "Ctrl+Alt+Space"
    ui.key(settings, Qt.Key.Key_J, control | shift, "J")
    assert ui.preferences.hotkey == "Ctrl+Shift+J"
    assert hotkey_setting(open_preferences()) == "Ctrl+Shift+J"
    ui.click(settings, ui.item(settings, "hotkeyPreset_Alt+Space"))
    assert hotkey_setting(open_preferences()) == "Alt+Space"


def test_start_at_login_creates_and_removes_the_autostart_entry(ui):
    settings = window(ui, "startup")
    entry = ui.xdg / "autostart" / "luma.desktop"
    ui.click(settings, ui.item(settings, "loginSwitch"))
    assert entry.is_file()
    assert "Hidden=false" in entry.read_text(encoding="utf-8")
    assert ui.preferences.startAtLogin
    assert ui.stored.start_at_login
    ui.click(settings, ui.item(settings, "loginSwitch"))
    assert not entry.exists()
    assert not ui.preferences.startAtLogin


def test_start_at_login_that_cannot_be_written_says_why(ui):
    ui.xdg.mkdir()
    (ui.xdg / "autostart").write_text("not a folder", encoding="utf-8")
    ui.preferences.startAtLogin = True
    assert not ui.preferences.startAtLogin
    assert ui.preferences.startAtLoginError.startswith("Luma could not switch on starting at login")


def test_do_not_disturb_and_the_tour_button(ui):
    settings = window(ui, "startup")
    asked: list[bool] = []
    ui.preferences.tourRequested.connect(lambda: asked.append(True))
    ui.click(settings, ui.item(settings, "dndSwitch"))
    assert open_preferences().value("do_not_disturb", False, type=bool) is True
    ui.click(settings, ui.item(settings, "tourButton"))
    assert asked == [True]


# -- keyboard, screen readers, looks -----------------------------------------------------------

_CONTROLS = ("Button", "TextField", "Switch", "Slider", "ComboBox", "ItemDelegate")


def test_every_control_of_every_section_has_an_accessible_name(ui):
    unnamed, seen = [], 0
    for section in SECTIONS:
        settings = window(ui, section)
        for item in ui.items(settings):
            kind = item.metaObject().className()
            if not item.isVisible() or not any(c in kind for c in _CONTROLS):
                continue
            seen += 1
            face = QAccessible.queryAccessibleInterface(item)
            name = face.text(QAccessible.Text.Name) if face is not None else ""
            if not name.strip():
                unnamed.append(f"{section}: {kind} {item.objectName()}")
    assert seen > 40
    assert unnamed == []


def test_sections_change_with_the_arrow_keys_and_tab_reaches_the_page(ui):
    settings = window(ui, "brain")
    ui.item(settings, "sectionList").forceActiveFocus()
    ui.key(settings, Qt.Key.Key_Down)
    ui.key(settings, Qt.Key.Key_Down)
    assert settings.property("section") == "voice"
    ui.key(settings, Qt.Key.Key_Tab)
    focused = settings.activeFocusItem()
    assert focused is not None
    assert focused.objectName() == "voiceSwitch"
    ui.key(settings, Qt.Key.Key_Space, text=" ")
    assert ui.settings.values["voice_enabled"] is False
    ui.settings_window.showSection("keys")  # e.g. from the tray
    assert ui.item(settings, "sectionList").property("currentIndex") == 1
    ui.key(settings, Qt.Key.Key_Escape)
    assert not settings.isVisible()


def test_screenshots_of_every_section_light_and_dark(ui, tmp_path):
    folder = screenshots_dir(tmp_path)
    ui.settings.setValue("tts_rate", 900)  # one error, so the red state is reviewed too
    saved = []
    for theme in ("light", "dark"):
        ui.preferences.theme = theme
        for section in SECTIONS:
            saved.append(ui.shot(window(ui, section), folder / f"settings-{section}-{theme}.png"))
    assert len(saved) == 18
    assert all(path.stat().st_size > 5_000 for path in saved)
    light = ui.settings_window.window()
    ui.preferences.theme = "light"
    ui.settle()
    assert light.grabWindow().pixelColor(5, 5) != QColor("#1c1d21")
