"""Helpers for the capture, VAD and playback tests: espeak-ng speech and a hand-driven mic."""

from __future__ import annotations

import shutil
import subprocess
import threading
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from luma_desktop.voice.audio import CAPTURE_RATE, Samples, read_wav
from luma_desktop.voice.streams import InputCallback

__all__ = ["PushMicrophone", "sine", "speak", "wait_until"]

_SPOKEN: dict[tuple[str, float, float], Path] = {}


def speak(
    factory: pytest.TempPathFactory, text: str, *, lead: float = 0.0, tail: float = 0.0
) -> Path:
    """``text`` spoken by espeak-ng as a 16 kHz mono 16-bit WAV with ``lead``/``tail`` seconds
    of silence (sox ``pad``); made once per test session."""
    key = (text, lead, tail)
    if key not in _SPOKEN:
        for tool in ("espeak-ng", "sox"):
            if shutil.which(tool) is None:
                pytest.skip(f"{tool} is not installed")
        folder = factory.mktemp("speech")
        raw, converted = folder / "raw.wav", folder / "speech16.wav"
        subprocess.run(["espeak-ng", "-w", str(raw), text], check=True)
        rate = str(CAPTURE_RATE)  # -D: no dither, so the same text always makes the same audio
        command = ["sox", "-D", str(raw), "-r", rate, "-c", "1", "-b", "16", str(converted)]
        subprocess.run([*command, "pad", str(lead), str(tail)], check=True)
        _SPOKEN[key] = converted
    return _SPOKEN[key]


def load(path: Path) -> Samples:
    samples, rate = read_wav(path)
    assert rate == CAPTURE_RATE
    return samples


def sine(frequency: float, seconds: float, rate: int, amplitude: float = 0.5) -> Samples:
    """A pure tone."""
    t = np.arange(round(seconds * rate)) / rate
    return (amplitude * np.sin(2 * np.pi * frequency * t)).astype(np.float32)


def wait_until(condition: Callable[[], bool], timeout: float = 10.0) -> None:
    """Poll ``condition`` until it holds (fails the test after ``timeout`` seconds)."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out waiting"
        time.sleep(0.005)


class _PushStream:
    """An input stream the test feeds by hand: :meth:`push` calls the callback at once."""

    def __init__(self, callback: InputCallback, samplerate: int, blocksize: int) -> None:
        self.samplerate = float(samplerate)
        self.blocksize = blocksize
        self._callback = callback
        self._active = False
        self.closed = False
        self._lock = threading.Lock()

    @property
    def active(self) -> bool:
        return self._active

    def start(self) -> None:
        self._active = True

    def stop(self) -> None:
        with self._lock:  # like PortAudio: no callback runs after stop() returns
            self._active = False

    def abort(self) -> None:
        self.stop()

    def close(self) -> None:
        self.stop()
        self.closed = True

    def __enter__(self) -> _PushStream:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def push(self, samples: Samples) -> None:
        for start in range(0, len(samples), self.blocksize):
            block = samples[start : start + self.blocksize]
            with self._lock:
                if self._active:
                    self._callback(block.reshape(-1, 1), len(block), None, None)


class PushMicrophone:
    """Factory of hand-fed input streams; ``last`` is the one opened most recently."""

    def __init__(self) -> None:
        self.opened: list[_PushStream] = []

    def __call__(
        self, device: str | int | None, samplerate: int, blocksize: int, callback: InputCallback
    ) -> _PushStream:
        self.opened.append(_PushStream(callback, samplerate, blocksize))
        return self.opened[-1]

    @property
    def last(self) -> _PushStream:
        return self.opened[-1]
