"""Audio as data, shared by capture, speech-to-text, text-to-speech and playback.

Speech in is 16 kHz mono float32 in [-1, 1] (what faster-whisper and the VAD take). Speech out
is whatever rate a voice produces, as :class:`AudioChunk` of int16 mono PCM; playback converts.
"""

from __future__ import annotations

import wave
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

__all__ = [
    "CAPTURE_RATE",
    "AudioChunk",
    "Samples",
    "float_to_pcm16",
    "pcm16_to_float",
    "read_wav",
    "write_wav",
]

CAPTURE_RATE = 16_000
"""Microphone sample rate (Hz): what speech-to-text expects."""

Samples = npt.NDArray[np.float32]
"""Mono audio, float32 in [-1, 1]."""


@dataclass(frozen=True, slots=True)
class AudioChunk:
    """A piece of speech out: int16 mono PCM at ``sample_rate``."""

    pcm: bytes
    sample_rate: int

    @property
    def seconds(self) -> float:
        return len(self.pcm) / 2 / self.sample_rate


def pcm16_to_float(pcm: bytes) -> Samples:
    """int16 little-endian PCM → float32 in [-1, 1]."""
    return (np.frombuffer(pcm, dtype="<i2").astype(np.float32) / 32768.0).astype(np.float32)


def float_to_pcm16(samples: Samples) -> bytes:
    """float32 in [-1, 1] → int16 little-endian PCM (clipped)."""
    clipped = np.clip(samples, -1.0, 1.0)
    return (clipped * 32767.0).astype("<i2").tobytes()


def read_wav(path: Path) -> tuple[Samples, int]:
    """A 16-bit PCM WAV file as mono float32 samples and its rate (channels are averaged)."""
    with wave.open(str(path), "rb") as source:
        if source.getsampwidth() != 2:
            raise ValueError(f"{path} is not 16-bit PCM")
        rate, channels = source.getframerate(), source.getnchannels()
        frames = source.readframes(source.getnframes())
    samples = pcm16_to_float(frames)
    if channels > 1:
        samples = samples.reshape(-1, channels).mean(axis=1).astype(np.float32)
    return samples, rate


def write_wav(path: Path, chunks: list[AudioChunk]) -> None:
    """Write speech chunks (same rate) to a 16-bit mono WAV file."""
    rate = chunks[0].sample_rate if chunks else CAPTURE_RATE
    # Open the file first: wave.open on a path that cannot be created leaves a half-built
    # writer whose finaliser raises again during garbage collection.
    with path.open("wb") as handle, wave.open(handle, "wb") as target:
        target.setnchannels(1)
        target.setsampwidth(2)
        target.setframerate(rate)
        for chunk in chunks:
            target.writeframes(chunk.pcm)
