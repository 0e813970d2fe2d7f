"""Voice activity: where the speech is, with the Silero VAD that faster-whisper ships.

All functions take 16 kHz mono :data:`Samples` (what capture records). The ONNX model is loaded
lazily, once, under a lock (:func:`load_model`: ~0.25 s the first time, with the faster-whisper
import); onnxruntime sessions may then be used from several threads.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Callable

import numpy as np
import numpy.typing as npt

from luma_desktop.errors import VoiceError

from .audio import CAPTURE_RATE, Samples

__all__ = [
    "SILENCE_DBFS",
    "WINDOW",
    "EndOfSpeechDetector",
    "SpeechModel",
    "has_speech",
    "load_model",
    "rms_dbfs",
    "speech_spans",
    "trim",
]

WINDOW = 512
"""Samples per Silero window (32 ms at 16 kHz)."""

SILENCE_DBFS = -100.0
"""The level reported for digital silence."""

SpeechModel = Callable[[Samples], npt.NDArray[np.float32]]
"""Window-aligned audio → one speech probability per :data:`WINDOW` samples."""


def rms_dbfs(samples: Samples) -> float:
    """Root-mean-square level in dB relative to full scale (≥ :data:`SILENCE_DBFS`)."""
    if samples.size == 0:
        return SILENCE_DBFS
    rms = math.sqrt(float(np.mean(np.square(samples, dtype=np.float64))))
    return max(SILENCE_DBFS, 20.0 * math.log10(rms)) if rms > 0 else SILENCE_DBFS


class _ModelHolder:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._model: SpeechModel | None = None

    def get(self) -> SpeechModel:
        with self._lock:
            if self._model is None:
                self._model = _load_silero()
            return self._model


_HOLDER = _ModelHolder()


def load_model() -> SpeechModel:
    """The Silero speech model (loaded on first use; safe to call from any thread)."""
    return _HOLDER.get()


def _load_silero() -> SpeechModel:
    try:
        from faster_whisper.vad import get_vad_model

        silero = get_vad_model()
    except Exception as exc:
        raise VoiceError(
            f"The voice activity model (Silero, shipped with faster-whisper) could not be "
            f"loaded ({exc}). Reinstall faster-whisper; until then release the push-to-talk "
            "key to end a request.",
            stage="capture",
        ) from exc

    def probabilities(windows: Samples) -> npt.NDArray[np.float32]:
        # The model writes into its input (context handling), so it gets a copy.
        scores = silero(np.array(windows, dtype=np.float32, copy=True))
        return np.asarray(scores, dtype=np.float32).reshape(-1)

    return probabilities


def _mono(samples: Samples) -> Samples:
    array = np.asarray(samples, dtype=np.float32)
    if array.ndim == 2 and array.shape[1] == 1:
        array = array.reshape(-1)
    if array.ndim != 1:
        raise ValueError(f"Voice activity needs mono audio (one channel), not {array.shape}.")
    return array


def speech_spans(
    samples: Samples, *, pad_ms: int = 200, threshold: float = 0.5, min_speech_ms: int = 100
) -> list[tuple[int, int]]:
    """(start, end) sample offsets of the speech in ``samples``, padded by ``pad_ms``."""
    audio = _mono(samples)
    if audio.size < WINDOW:
        return []
    load_model()
    from faster_whisper.vad import VadOptions, get_speech_timestamps

    options = VadOptions(
        threshold=threshold,
        min_speech_duration_ms=min_speech_ms,
        min_silence_duration_ms=300,
        speech_pad_ms=pad_ms,
    )
    spans = get_speech_timestamps(audio, options, sampling_rate=CAPTURE_RATE)
    return [(int(span["start"]), int(span["end"])) for span in spans]


def trim(samples: Samples, *, pad_ms: int = 200) -> Samples:
    """``samples`` without the leading and trailing silence (``pad_ms`` kept each side);
    empty when there is no speech at all."""
    spans = speech_spans(samples, pad_ms=pad_ms)
    if not spans:
        return np.zeros(0, dtype=np.float32)
    return _mono(samples)[spans[0][0] : spans[-1][1]].copy()


def has_speech(samples: Samples) -> bool:
    """True when ``samples`` hold at least 100 ms of speech."""
    return bool(speech_spans(samples, pad_ms=0))


class EndOfSpeechDetector:
    """Says when speech has been followed by ``silence_ms`` of silence (toggle mode).

    Feed 16 kHz blocks of any size. Each 32 ms window first passes a cheap energy gate:
    windows quieter than ``gate_dbfs`` are silence without asking the model — the usual case
    while waiting for the end, costing a few numpy operations. Louder windows are scored by
    Silero; the model keeps state across windows, so it re-reads the last ``lookback_ms`` of
    audio with them (0.5 s: about 1.5 ms of CPU per block), which makes its probabilities
    agree with a pass over the whole recording. Speech starts after ``min_speech_ms`` above
    ``threshold``; after that, windows below ``neg_threshold`` count as silence and windows
    between the two keep the speech going (as in Silero's own segmentation).
    """

    def __init__(
        self,
        silence_ms: int = 900,
        *,
        threshold: float = 0.5,
        neg_threshold: float = 0.35,
        gate_dbfs: float = -55.0,
        min_speech_ms: int = 96,
        lookback_ms: int = 500,
        model: SpeechModel | None = None,
    ) -> None:
        self.silence_ms = silence_ms
        self.threshold = threshold
        self.neg_threshold = neg_threshold
        self.gate_dbfs = gate_dbfs
        self._min_speech = max(1, math.ceil(min_speech_ms * CAPTURE_RATE / 1000 / WINDOW))
        self._min_silence = max(1, math.ceil(silence_ms * CAPTURE_RATE / 1000 / WINDOW))
        self._lookback = max(1, lookback_ms * CAPTURE_RATE // 1000 // WINDOW) * WINDOW
        self._model = model
        self.model_calls = 0
        self.reset()

    def reset(self) -> None:
        """Forget everything heard (a new utterance)."""
        self._pending = np.zeros(0, dtype=np.float32)
        self._history = np.zeros(0, dtype=np.float32)
        self._speech_run = self._silence_run = 0
        self._in_speech = self._started = self._ended = False

    @property
    def speech_started(self) -> bool:
        return self._started

    @property
    def ended(self) -> bool:
        return self._ended

    @property
    def trailing_silence_ms(self) -> float:
        return self._silence_run * WINDOW * 1000 / CAPTURE_RATE

    def feed(self, block: Samples) -> bool:
        """Add audio; True once speech has been followed by enough silence (and after)."""
        if self._ended:
            return True
        data = np.concatenate([self._pending, _mono(block)])
        whole = len(data) // WINDOW * WINDOW
        windows, self._pending = data[:whole], data[whole:]
        if whole == 0:
            return False
        for probability in self._score(windows):
            self._step(float(probability))
            if self._ended:
                break
        self._history = np.concatenate([self._history, windows])[-self._lookback :]
        return self._ended

    def _score(self, windows: Samples) -> npt.NDArray[np.float32]:
        frames = windows.reshape(-1, WINDOW).astype(np.float64)
        power = np.mean(np.square(frames), axis=1)
        loud = 10.0 * np.log10(np.maximum(power, 1e-12)) >= self.gate_dbfs
        probabilities = np.zeros(len(frames), dtype=np.float32)
        if loud.any():
            model = self._model or load_model()
            self.model_calls += 1
            scored = model(np.concatenate([self._history, windows]))[-len(frames) :]
            probabilities = np.where(loud, scored, 0.0).astype(np.float32)
        return probabilities

    def _step(self, probability: float) -> None:
        if probability >= self.threshold:
            self._in_speech = True
            self._speech_run += 1
            self._silence_run = 0
            self._started = self._started or self._speech_run >= self._min_speech
        elif probability < self.neg_threshold or not self._in_speech:
            self._in_speech = False
            self._speech_run = 0
            if self._started:
                self._silence_run += 1
                self._ended = self._silence_run >= self._min_silence
        else:
            self._silence_run = 0
