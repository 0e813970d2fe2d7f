"""Push-to-talk capture from fake microphones through the real VAD; devices and failures."""

from __future__ import annotations

import asyncio
import builtins
import functools
import itertools
import threading
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from luma_desktop.errors import ConfigurationError, VoiceError
from luma_desktop.settings import LumaSettings
from luma_desktop.voice import vad
from luma_desktop.voice.audio import CAPTURE_RATE, AudioChunk, Samples, write_wav
from luma_desktop.voice.capture import (
    AsyncQueueSink,
    LevelEvent,
    Recorder,
    RecorderState,
    Utterance,
    level_from_dbfs,
)
from luma_desktop.voice.devices import AudioDevice, StaticDevices, choose_device, list_devices
from luma_desktop.voice.streams import DeadMicrophone, FileInputStream, FileMicrophone, open_input

from ._audio_fakes import PushMicrophone, load, sine, speak, wait_until

RATE = CAPTURE_RATE
COMMAND = "book a haircut for sarah"


@pytest.fixture(scope="session")
def command(tmp_path_factory: pytest.TempPathFactory) -> Samples:
    """The command with half a second of silence before it (the microphone adds the rest)."""
    return load(speak(tmp_path_factory, COMMAND, lead=0.5))


def tone(seconds: float, rms: float = 0.1) -> Samples:
    return sine(440.0, seconds, RATE, amplitude=rms * np.sqrt(2))


def speech_end(samples: Samples) -> int:
    """Last sample of the last window louder than -45 dBFS."""
    windows = samples[: len(samples) // vad.WINDOW * vad.WINDOW].reshape(-1, vad.WINDOW)
    loud = [i for i, window in enumerate(windows) if vad.rms_dbfs(window) > -45.0]
    return int((loud[-1] + 1) * vad.WINDOW)


# --- hold and toggle ---------------------------------------------------------------------------


def test_hold_records_until_the_key_is_released(command: Samples) -> None:
    heard: list[Utterance] = []
    microphone = FileMicrophone(command)
    recorder = Recorder(mode="hold", stream_factory=microphone, on_utterance=heard.append)
    assert recorder.state is RecorderState.IDLE

    recorder.start()
    assert recorder.state is RecorderState.LISTENING
    assert microphone.last.fed_all.wait(10)
    utterance = recorder.stop()

    assert utterance is not None
    assert utterance.reason == "released"
    assert np.array_equal(utterance.samples[: len(command)], command)  # nothing lost or moved
    assert utterance.seconds >= len(command) / RATE
    assert utterance.started_at <= utterance.ended_at
    assert vad.has_speech(utterance.samples)
    assert heard == [utterance]
    assert recorder.state is RecorderState.IDLE
    assert microphone.last.closed
    assert recorder.wait(0) is utterance


def test_toggle_ends_after_the_configured_silence(command: Samples) -> None:
    heard: list[Utterance] = []
    recorder = Recorder(
        mode="toggle",
        end_of_speech_silence_ms=500,
        stream_factory=FileMicrophone(command),
        on_utterance=heard.append,
    )
    recorder.start()
    utterance = recorder.wait(timeout=20)

    assert utterance is not None
    assert utterance.reason == "silence"
    assert heard == [utterance]
    end = speech_end(command)
    assert end + 0.5 * RATE <= len(utterance.samples) <= end + 0.5 * RATE + 0.3 * RATE
    assert np.array_equal(utterance.samples[: len(command)], command)
    assert recorder.state is RecorderState.IDLE
    assert recorder.stop() is None  # the second tap after the end changes nothing


def test_toggle_can_still_be_stopped_by_hand(command: Samples) -> None:
    microphone = FileMicrophone(command, speed=1.0)  # real time: no pause heard yet
    recorder = Recorder(mode="toggle", stream_factory=microphone)
    recorder.start()
    wait_until(lambda: microphone.last.frames_fed >= 0.3 * RATE)
    utterance = recorder.stop()
    assert utterance is not None
    assert utterance.reason == "released"


@pytest.mark.parametrize("mode", ["hold", "toggle"])
@pytest.mark.parametrize(
    "source", ["speech", "silence"], ids=["speech-then-silence", "silence-only"]
)
def test_max_utterance_length_ends_on_its_own(command: Samples, mode: Any, source: str) -> None:
    audio = command if source == "speech" else np.zeros(0, dtype=np.float32)
    recorder = Recorder(
        mode=mode,
        max_utterance_seconds=1.0,
        end_of_speech_silence_ms=5000,
        stream_factory=FileMicrophone(audio),
    )
    recorder.start()
    utterance = recorder.wait(timeout=20)
    assert utterance is not None
    assert utterance.reason == "max_length"
    assert len(utterance.samples) == RATE
    assert np.array_equal(utterance.samples, np.concatenate([audio, np.zeros(RATE)])[:RATE])


def test_cancel_and_empty_utterances() -> None:
    microphone = PushMicrophone()
    recorder = Recorder(stream_factory=microphone)
    assert recorder.stop() is None  # never started
    assert recorder.cancel() is None

    recorder.start()
    empty = recorder.stop()
    assert empty is not None
    assert empty.empty
    assert empty.seconds == 0.0
    assert empty.reason == "released"

    recorder.start()
    microphone.last.push(tone(0.2))
    cancelled = recorder.cancel()
    assert cancelled is not None
    assert cancelled.reason == "cancelled"
    assert len(cancelled.samples) == 0.2 * RATE


def test_start_twice_is_a_no_op_and_threads_agree(command: Samples) -> None:
    microphone = FileMicrophone(command)
    recorder = Recorder(stream_factory=microphone)
    starters = [threading.Thread(target=recorder.start) for _ in range(5)]
    for thread in starters:
        thread.start()
    for thread in starters:
        thread.join()
    recorder.start()
    assert len(microphone.opened) == 1

    results: list[Utterance | None] = []
    stoppers = [threading.Thread(target=lambda: results.append(recorder.stop())) for _ in range(4)]
    for thread in stoppers:
        thread.start()
    for thread in stoppers:
        thread.join()
    finished = [result for result in results if result is not None]
    assert finished
    assert all(result is finished[0] for result in finished)
    assert recorder.state is RecorderState.IDLE


# --- levels and muting -------------------------------------------------------------------------


def test_levels_twenty_a_second_for_a_meter() -> None:
    levels: list[LevelEvent] = []
    microphone = PushMicrophone()
    recorder = Recorder(stream_factory=microphone, on_level=levels.append)
    recorder.start()
    microphone.last.push(tone(0.5, rms=0.1))  # -20 dBFS
    microphone.last.push(np.zeros(RATE // 2, dtype=np.float32))
    recorder.stop()

    assert len(levels) == 20
    assert [event.level for event in levels[:10]] == pytest.approx([40 / 60] * 10, abs=0.01)
    assert [event.dbfs for event in levels[:10]] == pytest.approx([-20.0] * 10, abs=0.1)
    assert [event.level for event in levels[10:]] == [0.0] * 10
    assert all(a.at <= b.at for a, b in itertools.pairwise(levels))


@pytest.mark.parametrize(
    ("dbfs", "level"),
    [(-100.0, 0.0), (-60.0, 0.0), (-30.0, 0.5), (0.0, 1.0), (6.0, 1.0)],
    ids=["silence", "floor", "half", "full", "clipped"],
)
def test_level_scale(dbfs: float, level: float) -> None:
    assert level_from_dbfs(dbfs) == pytest.approx(level)


async def test_levels_and_utterances_reach_asyncio_queues() -> None:
    levels: AsyncQueueSink[LevelEvent] = AsyncQueueSink(maxsize=8)
    utterances: AsyncQueueSink[Utterance] = AsyncQueueSink()
    microphone = PushMicrophone()
    recorder = Recorder(stream_factory=microphone, on_level=levels, on_utterance=utterances)
    recorder.start()
    microphone.last.push(tone(1.0))
    returned = await asyncio.to_thread(recorder.stop)

    utterance = await asyncio.wait_for(utterances.get(), 5)
    assert utterance is returned
    assert utterance.seconds == 1.0
    received = []
    while not levels.empty():
        received.append(levels.get_nowait())
    assert len(received) == 8  # 20 produced, the oldest dropped: a meter wants the latest
    assert all(event.level == pytest.approx(40 / 60, abs=0.01) for event in received)


def test_muted_microphone_frames_are_dropped() -> None:
    levels: list[LevelEvent] = []
    microphone = PushMicrophone()
    recorder = Recorder(stream_factory=microphone, on_level=levels.append)
    first, spoken_over, last = tone(0.2, 0.1), tone(0.2, 0.5), tone(0.2, 0.05)
    recorder.start()
    microphone.last.push(first)
    recorder.muted = True  # Luma starts speaking
    microphone.last.push(spoken_over)
    recorder.muted = False
    microphone.last.push(last)
    utterance = recorder.stop()

    assert utterance is not None
    assert np.array_equal(utterance.samples, np.concatenate([first, last]))
    assert [event.level for event in levels[4:8]] == [0.0] * 4


def test_muted_time_still_counts_towards_the_limit() -> None:
    microphone = PushMicrophone()
    recorder = Recorder(stream_factory=microphone, max_utterance_seconds=0.5)
    recorder.muted = True
    recorder.start()
    microphone.last.push(tone(1.0))
    utterance = recorder.wait(5)
    assert utterance is not None
    assert utterance.reason == "max_length"
    assert utterance.empty


# --- failures ----------------------------------------------------------------------------------


@pytest.mark.parametrize("fail_on", ["open", "start"])
def test_a_dead_microphone_is_a_voice_error(fail_on: Any) -> None:
    recorder = Recorder(stream_factory=DeadMicrophone(fail_on))
    for _ in range(2):  # and it does not get stuck: trying again fails the same way
        with pytest.raises(VoiceError) as caught:
            recorder.start()
        assert caught.value.stage == "capture"
        assert "microphone failed" in caught.value.message
        assert "voice_input_device" in caught.value.message
        assert "PaErrorCode" in caught.value.message
        assert recorder.state is RecorderState.IDLE


def test_a_microphone_that_dies_while_listening_is_reported() -> None:
    errors: list[VoiceError] = []
    recorder = Recorder(stream_factory=DeadMicrophone("stream"), on_error=errors.append)
    recorder.start()
    utterance = recorder.wait(10)
    assert utterance is not None
    assert utterance.reason == "released"
    assert len(utterance.samples) == 3 * 800  # what it sent before it went quiet
    assert len(errors) == 1
    assert errors[0].stage == "capture"
    assert "stopped sending sound" in errors[0].message


def test_missing_portaudio_is_a_voice_error(monkeypatch: pytest.MonkeyPatch) -> None:
    real_import = builtins.__import__

    def without_portaudio(name: str, *args: Any, **kwargs: Any) -> Any:
        if name == "sounddevice":
            raise OSError("PortAudio library not found")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", without_portaudio)
    recorder = Recorder()  # the real stream factory
    with pytest.raises(VoiceError) as caught:
        recorder.start()
    assert caught.value.stage == "capture"
    assert "PortAudio is not installed" in caught.value.message
    assert "libportaudio2" in caught.value.message
    assert "keeps working by text" in caught.value.message
    assert recorder.state is RecorderState.IDLE


def test_no_microphone_at_all_is_a_voice_error() -> None:
    no_devices = StaticDevices([], default=(-1, -1))
    recorder = Recorder(stream_factory=functools.partial(open_input, devices=no_devices))
    with pytest.raises(VoiceError, match="No microphone found") as caught:
        recorder.start()
    assert caught.value.stage == "capture"
    assert "voice_input_device" in caught.value.message


def test_this_machine_lists_its_real_devices() -> None:
    kinds: list[Any] = ["input", "output"]
    for kind in kinds:
        devices = list_devices(kind)
        assert isinstance(devices, list)  # [] here: no sound card, and that is not an error
        assert all(isinstance(device, AudioDevice) for device in devices)


def test_a_wav_at_the_wrong_rate_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "tone.wav"
    write_wav(path, [AudioChunk(b"\x00\x01" * 100, 22_050)])
    with pytest.raises(ValueError, match=r"22050 Hz.*sox"):
        FileInputStream(path, lambda *args: None)


# --- device selection --------------------------------------------------------------------------

MACHINE = StaticDevices(
    [
        StaticDevices.device(0, "Built-in Microphone", inputs=2, rate=44_100),
        StaticDevices.device(1, "USB Headset", inputs=1, outputs=2, rate=48_000),
        StaticDevices.device(2, "HDMI Output", outputs=8),
        StaticDevices.device(3, "Built-in Speakers", outputs=2),
    ],
    default=(0, 3),
)


@pytest.mark.parametrize(
    ("kind", "wanted", "index"),
    [
        ("input", None, 0),
        ("input", "", 0),
        ("input", "usb", 1),
        ("input", "USB Headset", 1),
        ("input", "1", 1),
        ("input", 1, 1),
        ("input", "micro", 0),
        ("output", None, 3),
        ("output", "hdmi", 2),
        ("output", " 1 ", 1),
    ],
    ids=[
        "in-default",
        "in-empty-setting",
        "in-substring",
        "in-exact",
        "in-index-text",
        "in-index",
        "in-part-of-name",
        "out-default",
        "out-substring",
        "out-index-spaces",
    ],
)
def test_choose_device(kind: Any, wanted: str | int | None, index: int) -> None:
    device = choose_device(kind, wanted, query=MACHINE)
    assert device.index == index


def test_device_lists_and_defaults() -> None:
    inputs = list_devices("input", query=MACHINE)
    outputs = list_devices("output", query=MACHINE)
    assert [(d.index, d.is_default) for d in inputs] == [(0, True), (1, False)]
    assert [d.name for d in outputs] == ["USB Headset", "HDMI Output", "Built-in Speakers"]
    assert inputs[0].default_rate == 44_100
    assert list_devices("input", query=StaticDevices()) == []


@pytest.mark.parametrize(
    ("kind", "wanted", "expected", "setting"),
    [
        ("input", "speaker", "No microphone matches “speaker”", "voice_input_device"),
        ("input", "5", "no microphone number 5", "voice_input_device"),
        ("input", 2, "no microphone number 2", "voice_input_device"),  # output only
        ("input", "b", "several microphones", "voice_input_device"),
    ],
    ids=["no-match", "no-such-index", "not-an-input", "ambiguous"],
)
def test_device_setting_errors_name_the_setting(
    kind: Any, wanted: str | int, expected: str, setting: str
) -> None:
    with pytest.raises(ConfigurationError) as caught:
        choose_device(kind, wanted, query=MACHINE)
    assert expected in caught.value.message
    assert caught.value.setting == setting
    assert "Built-in" in caught.value.message  # says what there is to choose from


@pytest.mark.parametrize(
    ("kind", "expected"), [("input", "No microphone"), ("output", "No speaker")]
)
def test_no_devices_is_a_voice_error(kind: Any, expected: str) -> None:
    with pytest.raises(VoiceError, match=expected) as caught:
        choose_device(kind, None, query=StaticDevices())
    assert caught.value.stage == ("capture" if kind == "input" else "playback")


def test_recorder_from_settings() -> None:
    settings = LumaSettings(
        push_to_talk_mode="toggle",
        max_utterance_seconds=5,
        end_of_speech_silence_ms=400,
        voice_input_device="usb",
    )
    recorder = Recorder.from_settings(settings, stream_factory=PushMicrophone())
    assert (recorder.mode, recorder.device, recorder.max_frames, recorder.silence_ms) == (
        "toggle",
        "usb",
        5 * RATE,
        400,
    )


def test_a_real_portaudio_failure_becomes_a_voice_error() -> None:
    # PortAudio is installed here but there is no device 9999 (nor any sound card at all).
    phantom = StaticDevices([StaticDevices.device(9999, "Phantom Mic", inputs=1)], (9999, -1))
    recorder = Recorder(stream_factory=functools.partial(open_input, devices=phantom))
    with pytest.raises(VoiceError, match="microphone failed") as caught:
        recorder.start()
    assert "9999" in caught.value.message
    assert caught.value.stage == "capture"


def test_a_failing_listener_does_not_stop_the_recording() -> None:
    def broken_meter(event: LevelEvent) -> None:
        raise RuntimeError("meter widget was deleted")

    microphone = PushMicrophone()
    recorder = Recorder(stream_factory=microphone, on_level=broken_meter)
    recorder.start()
    microphone.last.push(tone(0.3))
    utterance = recorder.stop()
    assert utterance is not None
    assert utterance.seconds == pytest.approx(0.3)


def test_an_unknown_mode_is_refused() -> None:
    with pytest.raises(ValueError, match="'hold' or 'toggle'"):
        Recorder(mode="push")  # type: ignore[arg-type]
