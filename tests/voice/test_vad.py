"""Voice activity on real speech (espeak-ng) with the Silero model faster-whisper ships."""

from __future__ import annotations

import threading

import numpy as np
import numpy.typing as npt
import pytest

from luma_desktop.errors import VoiceError
from luma_desktop.voice import vad
from luma_desktop.voice.audio import CAPTURE_RATE, Samples

from ._audio_fakes import load, speak

COMMAND = "book a haircut for sarah"
RATE = CAPTURE_RATE


@pytest.fixture(scope="session")
def padded(tmp_path_factory: pytest.TempPathFactory) -> Samples:
    """The command with one second of silence before and after."""
    return load(speak(tmp_path_factory, COMMAND, lead=1.0, tail=1.0))


def loud_bounds(samples: Samples, floor_dbfs: float = -45.0) -> tuple[int, int]:
    """First and last sample of the 32 ms windows louder than ``floor_dbfs``."""
    windows = samples[: len(samples) // vad.WINDOW * vad.WINDOW].reshape(-1, vad.WINDOW)
    loud = [i for i, window in enumerate(windows) if vad.rms_dbfs(window) > floor_dbfs]
    return loud[0] * vad.WINDOW, (loud[-1] + 1) * vad.WINDOW


def test_trim_drops_the_silence_and_keeps_the_speech(padded: Samples) -> None:
    start, end = loud_bounds(padded)
    spans = vad.speech_spans(padded, pad_ms=200)
    trimmed = vad.trim(padded, pad_ms=200)

    assert len(spans) == 1
    assert len(trimmed) == spans[0][1] - spans[0][0]
    assert np.array_equal(trimmed, padded[spans[0][0] : spans[0][1]])
    assert len(padded) - len(trimmed) > 1.5 * RATE  # most of the 2 s of padding is gone
    # The speech itself is kept, with at most the pad (plus a window) of silence each side.
    assert spans[0][0] <= start
    assert spans[0][1] >= end
    assert spans[0][0] >= start - 0.25 * RATE
    assert spans[0][1] <= end + 0.25 * RATE


def test_a_larger_pad_keeps_more(padded: Samples) -> None:
    assert len(vad.trim(padded, pad_ms=300)) > len(vad.trim(padded, pad_ms=50))


@pytest.mark.parametrize(
    "audio",
    [
        pytest.param(np.zeros(2 * RATE, dtype=np.float32), id="digital-silence"),
        pytest.param(
            np.random.default_rng(3).normal(0, 0.003, 2 * RATE).astype(np.float32),
            id="room-noise",
        ),
        pytest.param(np.zeros(100, dtype=np.float32), id="shorter-than-a-window"),
        pytest.param(np.zeros(0, dtype=np.float32), id="empty"),
    ],
)
def test_no_speech_trims_to_nothing(audio: Samples) -> None:
    assert not vad.has_speech(audio)
    trimmed = vad.trim(audio)
    assert trimmed.size == 0
    assert trimmed.dtype == np.float32


def test_has_speech_on_speech(padded: Samples) -> None:
    assert vad.has_speech(padded)
    assert vad.has_speech(padded.reshape(-1, 1))  # a (frames, 1) block is mono too


def test_stereo_is_refused_with_a_clear_message() -> None:
    with pytest.raises(ValueError, match="mono"):
        vad.trim(np.zeros((RATE, 2), dtype=np.float32))


@pytest.mark.parametrize(
    ("audio", "expected"),
    [
        pytest.param(np.zeros(800, dtype=np.float32), vad.SILENCE_DBFS, id="silence"),
        pytest.param(np.zeros(0, dtype=np.float32), vad.SILENCE_DBFS, id="empty"),
        pytest.param(np.ones(800, dtype=np.float32), 0.0, id="full-scale"),
        pytest.param(np.full(800, 0.1, dtype=np.float32), -20.0, id="minus-20"),
        pytest.param(np.full(800, 1e-9, dtype=np.float32), vad.SILENCE_DBFS, id="floor"),
    ],
)
def test_rms_dbfs(audio: Samples, expected: float) -> None:
    assert vad.rms_dbfs(audio) == pytest.approx(expected, abs=1e-4)


def feed_until_end(detector: vad.EndOfSpeechDetector, audio: Samples, block: int) -> int | None:
    """The sample count fed when the detector first says the speech has ended."""
    for start in range(0, len(audio), block):
        if detector.feed(audio[start : start + block]):
            return min(start + block, len(audio))
    return None


@pytest.mark.parametrize("block", [160, 512, 800, 1600], ids=lambda b: f"block-{b}")
@pytest.mark.parametrize("silence_ms", [300, 900], ids=lambda s: f"silence-{s}ms")
def test_end_of_speech_after_the_configured_silence(
    padded: Samples, block: int, silence_ms: int
) -> None:
    audio = np.concatenate([padded, np.zeros(RATE, dtype=np.float32)])
    _, speech_end = loud_bounds(padded)
    detector = vad.EndOfSpeechDetector(silence_ms)

    ended_at = feed_until_end(detector, audio, block)

    assert ended_at is not None
    assert detector.speech_started
    assert detector.ended
    assert detector.trailing_silence_ms >= silence_ms
    silence = silence_ms * RATE // 1000
    assert speech_end + silence <= ended_at <= speech_end + silence + 0.25 * RATE
    assert detector.feed(np.zeros(block, dtype=np.float32))  # stays ended


def test_silence_alone_never_ends_and_never_wakes_the_model() -> None:
    detector = vad.EndOfSpeechDetector(300)
    assert feed_until_end(detector, np.zeros(5 * RATE, dtype=np.float32), 800) is None
    assert not detector.speech_started
    assert detector.model_calls == 0  # the energy gate answered every window


def test_reset_starts_a_new_utterance(padded: Samples) -> None:
    detector = vad.EndOfSpeechDetector(300)
    assert feed_until_end(detector, padded, 800) is not None
    detector.reset()
    assert not detector.ended
    assert not detector.speech_started
    assert not detector.feed(np.zeros(RATE, dtype=np.float32))
    assert feed_until_end(detector, padded, 800) is not None


def test_loud_noise_is_scored_by_the_model_not_taken_for_speech() -> None:
    calls: list[int] = []
    model = vad.load_model()

    def counting(windows: Samples) -> npt.NDArray[np.float32]:
        calls.append(len(windows))
        return model(windows)

    noise = np.random.default_rng(5).normal(0, 0.05, 3 * RATE).astype(np.float32)  # -26 dBFS
    detector = vad.EndOfSpeechDetector(300, model=counting)
    assert feed_until_end(detector, noise, 800) is None
    assert calls  # above the gate, so Silero was asked ...
    assert max(calls) < RATE  # ... over a bounded look-back (0.5 s), not all 3 s heard
    assert not detector.speech_started


def test_the_model_loads_once_across_threads() -> None:
    seen: list[vad.SpeechModel] = []
    threads = [threading.Thread(target=lambda: seen.append(vad.load_model())) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(seen) == 6
    assert all(model is seen[0] for model in seen)


def test_a_broken_model_install_is_a_voice_error(monkeypatch: pytest.MonkeyPatch) -> None:
    import faster_whisper.vad

    def missing() -> None:
        raise RuntimeError("Applying the VAD filter requires the onnxruntime package")

    monkeypatch.setattr(faster_whisper.vad, "get_vad_model", missing)
    monkeypatch.setattr(vad, "_HOLDER", vad._ModelHolder())
    with pytest.raises(VoiceError, match="voice activity model") as caught:
        vad.has_speech(np.zeros(RATE, dtype=np.float32))
    assert caught.value.stage == "capture"
    assert "onnxruntime" in caught.value.message
