"""The first-run tour: every step through its window, the microphone check (this machine has
no microphone; fakes for the others), keys to the keyring, the hotkey; finishing is remembered
so the next start skips it; the app shows it on the first run only. Screenshots of each step,
light and dark."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from functools import partial

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from luma_desktop.credentials import KEYRING_SERVICE
from luma_desktop.paths import resolve_paths
from luma_desktop.ui import settings_window
from luma_desktop.ui.app import DesktopApp
from luma_desktop.ui.fake_keyring import memory_keyring
from luma_desktop.ui.onboarding import (
    STEPS,
    WELCOME_TOOLS,
    MicCheck,
    OnboardingModel,
    check_microphone,
    welcome_examples,
)
from luma_desktop.ui.preferences import ONBOARDING_VERSION, Preferences, open_preferences
from luma_desktop.voice.devices import StaticDevices
from luma_desktop.voice.streams import DeadMicrophone, FileMicrophone

from .conftest import screenshots_dir
from .settings_harness import SettingsUi, open_settings_ui, walk

NO_MICROPHONE = (
    "No microphone found. That's fine: you can type to Luma. Connect one later and choose it "
    "in Settings → Voice."
)
ONE_MICROPHONE = StaticDevices([StaticDevices.device(3, "USB Headset", inputs=1)], (3, -1))
TONE = (0.3 * np.sin(2 * np.pi * 220 * np.arange(8000) / 16000)).astype(np.float32)


@pytest.fixture
def ui(qt_loop, tmp_path, registry) -> Iterator[SettingsUi]:
    opened = open_settings_ui(qt_loop, tmp_path, registry)
    yield opened
    opened.close()
    assert opened.warnings == []


def tour(ui: SettingsUi):
    ui.onboarding_window.begin()
    ui.idle()
    return ui.onboarding_window.window()


def press_continue(ui: SettingsUi, window) -> None:
    ui.click(window, ui.item(window, "continueButton"))


# -- the whole tour -------------------------------------------------------------------------------


def test_the_tour_steps_through_every_page_and_is_shown_once(ui, registry):
    assert ui.onboarding.needed
    window = tour(ui)
    finished: list[bool] = []
    ui.onboarding.finished.connect(lambda: finished.append(True))
    assert ui.onboarding.stepName == "welcome"
    texts = ui.texts(window)
    assert "Welcome to Luma" in texts
    first_example = registry.get("scheduling_day_summary").examples[0]
    assert f"“{first_example[:1].upper()}{first_example[1:]}”" in texts

    press_continue(ui, window)
    assert ui.onboarding.stepName == "microphone"
    ui.click(window, ui.item(window, "micTestButton"))
    ui.idle()
    assert ui.onboarding.micState == "none"
    assert ui.item(window, "micMessage").property("text") == NO_MICROPHONE

    press_continue(ui, window)
    assert ui.onboarding.stepName == "keys"
    press_continue(ui, window)
    assert ui.onboarding.stepName == "hotkey"
    ui.click(window, ui.item(window, "hotkeyPreset_Ctrl+Shift+Space"))
    press_continue(ui, window)
    assert ui.onboarding.stepName == "done"
    summary = ui.texts(window)
    for shown in ("None found: type instead", "Offline or local model", "Ctrl+Shift+Space"):
        assert shown in summary
    assert not ui.item(window, "skipButton", visible=False).isVisible()

    press_continue(ui, window)  # "Start using Luma"
    assert finished == [True]
    assert not window.isVisible()
    assert open_preferences().value("onboarding/completed") == ONBOARDING_VERSION
    assert open_preferences().value("hotkey") == "Ctrl+Shift+Space"
    assert not OnboardingModel(ui.loop, Preferences.open()).needed


def test_keyboard_moves_between_steps_and_back_returns(ui):
    window = tour(ui)
    ui.key(window, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    ui.key(window, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    assert ui.onboarding.stepName == "keys"
    assert ui.item(window, "stepCounter").property("text") == "Step 3 of 5"
    ui.key(window, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    assert ui.onboarding.stepName == "microphone"
    ui.click(window, ui.item(window, "backButton"))
    assert ui.onboarding.stepName == "welcome"
    assert not ui.item(window, "backButton", visible=False).isVisible()


def test_skipping_is_remembered_too_and_the_tour_can_be_run_again(ui):
    window = tour(ui)
    ui.click(window, ui.item(window, "skipButton"))
    assert not window.isVisible()
    assert not ui.onboarding.needed
    ui.onboarding.restart()  # Settings → Welcome tour → Show again
    assert ui.onboarding.needed
    assert ui.onboarding.stepName == "welcome"


def test_keys_entered_in_the_tour_go_to_the_keyring(ui, monkeypatch):
    monkeypatch.delenv("LUMA_KEYRING")
    with memory_keyring() as fake:
        window = tour(ui)
        ui.onboarding.goTo(STEPS.index("keys"))
        ui.settle()
        field = ui.item(window, "keyInput_ANTHROPIC_API_KEY")
        ui.type_into(window, field, "sk-ant-tour-0123456789")
        ui.key(window, Qt.Key.Key_Return)  # Enter in the field saves it
        ui.idle()
        assert fake.passwords == {(KEYRING_SERVICE, "ANTHROPIC_API_KEY"): "sk-ant-tour-0123456789"}
        ui.onboarding.goTo(STEPS.index("done"))
        ui.settle()
        assert "Claude" in ui.texts(window)


def test_welcome_examples_come_from_the_capability_catalog(registry):
    examples = welcome_examples(registry)
    assert [e["title"] for e in examples] == [title for _, title in WELCOME_TOOLS]
    for (name, _title), example in zip(WELCOME_TOOLS, examples, strict=True):
        said = example["text"].strip("“”")
        assert said.lower() == registry.get(name).examples[0].lower()


# -- the microphone check ------------------------------------------------------------------------


def test_this_machine_has_no_microphone_and_the_check_says_so_plainly():
    result = check_microphone(seconds=0.2)
    assert result == MicCheck("none", NO_MICROPHONE)


@pytest.mark.parametrize(
    ("options", "status", "message"),
    [
        pytest.param({"query": StaticDevices()}, "none", NO_MICROPHONE, id="no-device"),
        pytest.param(
            {"stream_factory": FileMicrophone(TONE, speed=4.0)},
            "ok",
            "Your microphone works: Luma heard you on USB Headset.",
            id="heard",
        ),
        pytest.param(
            {"stream_factory": FileMicrophone(np.zeros(800, np.float32), speed=8.0)},
            "quiet",
            "Luma could not hear anything from USB Headset. Check that it is not muted and try "
            "again, or just type.",
            id="silent",
        ),
        pytest.param(
            {"stream_factory": DeadMicrophone("start")},
            "error",
            "The microphone failed (Error starting stream: Unanticipated host error "
            "[PaErrorCode -9999]). Check that the microphone is connected and not used by "
            "another app, or pick another in voice_input_device; Luma keeps working by text.",
            id="broken",
        ),
        pytest.param(
            {"device": "Webcam"},
            "error",
            "No microphone matches “Webcam” (voice_input_device). Available: 3: USB Headset.",
            id="setting-names-another",
        ),
    ],
)
def test_microphone_check_results(options, status, message):
    result = check_microphone(**{"query": ONE_MICROPHONE, "seconds": 0.4, **options})
    assert (result.status, result.message) == (status, message)
    assert (result.peak >= 0.35) is (status == "ok")


def test_the_level_meter_follows_the_microphone_while_checking(ui):
    levels: list[float] = []
    model = OnboardingModel(
        ui.loop,
        ui.stored,
        microphone=partial(
            check_microphone,
            query=ONE_MICROPHONE,
            stream_factory=FileMicrophone(TONE, speed=1.0),
            seconds=2.0,
        ),
    )
    model.micLevelChanged.connect(lambda: levels.append(model.micLevel))
    model.checkMicrophone()
    assert model.micState == "checking"
    ui.run(model.idle())
    assert model.micState == "ok"
    assert model.micDevice == "USB Headset"
    assert max(levels) > 0.5
    assert model.micLevel == 0.0  # the meter rests once the check is over


def test_leaving_the_microphone_step_stops_the_check(ui):
    model = OnboardingModel(
        ui.loop,
        ui.stored,
        microphone=partial(
            check_microphone,
            query=ONE_MICROPHONE,
            stream_factory=FileMicrophone(np.zeros(800, np.float32), speed=1.0),
            seconds=30.0,
        ),
    )
    model.goTo(STEPS.index("microphone"))
    model.checkMicrophone()
    ui.run(asyncio.sleep(0.2))
    model.next()
    ui.run(asyncio.wait_for(model.idle(), 5))
    assert model.micState == "quiet"


# -- in the app ------------------------------------------------------------------------------------


def test_the_app_shows_the_tour_once_and_its_settings_restyle_the_chat_window(qapp, qt_loop, run):
    def start() -> DesktopApp:
        app = DesktopApp(qapp, qt_loop, resolve_paths())
        settings_window.install(app)
        app.load_window()
        for hook in app.on_window:
            hook(app)
        run(asyncio.sleep(0.05))
        return app

    first = start()
    tour_model = first.services.extras["onboarding"]
    assert tour_model.needed
    window = first.window
    assert window is not None
    tours = [w for w in qapp.topLevelWindows() if w.objectName() == "onboardingWindow"]
    assert [w.isVisible() for w in tours] == [True]
    tour_model.finish()
    assert not tours[0].isVisible()
    assert window.isVisible()  # the chat window is shown when the tour ends
    run(first.shutdown())
    assert first.qml_warnings == []

    second = start()
    assert not second.services.extras["onboarding"].needed
    assert not [
        w for w in qapp.topLevelWindows() if w.objectName() == "onboardingWindow" and w.isVisible()
    ]
    settings = second.services.extras["settings_window"]
    settings.showSection("appearance")
    run(asyncio.sleep(0.05))
    assert settings.window().isVisible()
    frame = next(i for i in walk(second.window.contentItem()) if i.objectName() == "frame")
    second.services.extras["preferences"].theme = "dark"  # the Settings window's choice...
    qapp.processEvents()
    assert second.window_state.theme == "dark"  # ...restyles the chat window too
    assert frame.property("color") == QColor("#1c1d21")
    run(second.shutdown())
    assert second.qml_warnings == []


# -- looks -----------------------------------------------------------------------------------------


def test_screenshots_of_every_step_light_and_dark(ui, tmp_path):
    folder = screenshots_dir(tmp_path)
    window = tour(ui)
    saved = []
    for theme in ("light", "dark"):
        ui.preferences.theme = theme
        for number, step in enumerate(STEPS):
            ui.onboarding.goTo(number)
            if step == "microphone" and ui.onboarding.micState == "idle":
                ui.onboarding.checkMicrophone()
                ui.idle()
            path = folder / f"onboarding-{number + 1}-{step}-{theme}.png"
            saved.append(ui.shot(window, path, wait=0.25))
    assert len(saved) == 10
    assert all(path.stat().st_size > 5_000 for path in saved)
