"""The OS voice, offline: pyttsx3 (espeak-ng on Linux, SAPI on Windows, NSSpeech on macOS).

pyttsx3's engine is not thread-safe, and ``say``/``runAndWait`` play straight to the sound
card. So one dedicated thread owns the engine for the whole process (espeak can be initialised
only once per process anyway), every request becomes a job for it, and each job writes the
speech with ``save_to_file`` to a temporary file whose PCM is read back. Text is spoken
sentence by sentence, so the first audio of a long text is ready after its first sentence.
pyttsx3 2.99's espeak driver loses property changes and sentences when ``runAndWait`` starts
while espeak is still busy; the engine thread waits for espeak to be idle first (see
:func:`_wait_for_espeak`), which makes it deterministic.

When pyttsx3 cannot be used (not installed, or its espeak driver cannot load libespeak-ng) or
cannot save, the ``espeak-ng`` program is run instead: ``espeak-ng --stdout`` streams a WAV.
``backend="pyttsx3"`` or ``"espeak-ng"`` forces one of them.
"""

from __future__ import annotations

import functools
import logging
import queue
import shutil
import struct
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import numpy as np

from ...errors import VoiceError
from ..audio import AudioChunk, float_to_pcm16, read_wav
from ..sentences import split_sentences
from .base import CHUNK_SECONDS, Voice, split_pcm

if TYPE_CHECKING:
    from ...settings import LumaSettings

__all__ = ["SystemVoice", "espeak_binary"]

log = logging.getLogger(__name__)

Backend = Literal["auto", "pyttsx3", "espeak-ng"]
_JOB_SECONDS = 20.0
"""How long one sentence may take before the system voice counts as hung."""


def espeak_binary() -> str | None:
    """The espeak-ng (or espeak) program, if installed."""
    return shutil.which("espeak-ng") or shutil.which("espeak")


class SystemVoice(Voice):
    """The operating system's voice; ``voice`` is a voice id, name or language ("en-gb"),
    ``rate`` is in words per minute."""

    name = "system"
    label = "the system voice"

    def __init__(
        self, *, voice: str | None = None, rate: int = 175, backend: Backend = "auto"
    ) -> None:
        self.voice = voice
        self.rate = rate
        self.backend = backend

    @classmethod
    def from_settings(cls, settings: LumaSettings) -> SystemVoice:
        return cls(voice=settings.tts_voice, rate=settings.tts_rate)

    def _synthesize(self, text: str) -> Iterator[AudioChunk]:
        for sentence in split_sentences(text):
            if self._use_pyttsx3():
                try:
                    pcm, rate = _engine_thread().synthesize(sentence, self.voice, self.rate)
                except _Unusable as unusable:
                    self._give_up_pyttsx3(unusable)
                else:
                    yield from split_pcm(pcm, rate)
                    continue
            yield from _espeak_program(sentence, self.voice, self.rate)

    def _use_pyttsx3(self) -> bool:
        return self.backend != "espeak-ng" and not (
            self.backend == "auto" and _engine_thread().broken is not None
        )

    def _give_up_pyttsx3(self, unusable: _Unusable) -> None:
        if self.backend == "pyttsx3" or espeak_binary() is None:
            raise VoiceError(
                f"The system voice cannot speak: {unusable}. On Linux install espeak-ng "
                "(Debian/Ubuntu: apt install espeak-ng libespeak-ng1).",
                stage="tts",
            ) from unusable
        log.warning("pyttsx3 is unusable (%s); using the espeak-ng program", unusable)


class _Unusable(Exception):
    """pyttsx3 cannot work on this machine (as opposed to one request failing)."""


@dataclass
class _Job:
    text: str
    voice: str | None
    rate: int
    done: threading.Event = field(default_factory=threading.Event)
    result: tuple[bytes, int] | None = None
    error: Exception | None = None


class _EngineThread:
    """The one thread that owns the pyttsx3 engine; other threads hand it jobs."""

    def __init__(self) -> None:
        self._jobs: queue.Queue[_Job] = queue.Queue()
        self._engine: Any = None
        self._default_voice: str | None = None
        self._voice_ids: dict[str, str] = {}
        self._current: tuple[str | None, int] | None = None
        """The voice and rate the engine is set to."""
        self.broken: _Unusable | None = None
        self._thread = threading.Thread(target=self._serve, name="luma-tts-pyttsx3", daemon=True)
        self._thread.start()

    def synthesize(self, text: str, voice: str | None, rate: int) -> tuple[bytes, int]:
        """PCM and its rate for one sentence (blocks until the engine thread has made it)."""
        if self.broken is not None:
            raise self.broken
        job = _Job(text, voice, rate)
        self._jobs.put(job)
        if not job.done.wait(_JOB_SECONDS + len(text) / 10):
            raise VoiceError("The system voice did not answer; try again.", stage="tts")
        if job.error is not None:
            raise job.error
        assert job.result is not None
        return job.result

    def _serve(self) -> None:
        while True:
            job = self._jobs.get()
            try:
                job.result = self._run(job)
            except Exception as exc:
                job.error = exc
            finally:
                job.done.set()

    def _run(self, job: _Job) -> tuple[bytes, int]:
        engine = self._engine or self._start()
        wanted = (self._voice_id(engine, job.voice), job.rate)
        if wanted != self._current:
            engine.setProperty("voice", wanted[0])
            engine.setProperty("rate", wanted[1])
            self._current = wanted
        _wait_for_espeak()
        suffix = ".aiff" if sys.platform == "darwin" else ".wav"  # NSSpeech writes AIFF
        with tempfile.TemporaryDirectory(prefix="luma-tts-") as folder:
            path = Path(folder) / f"speech{suffix}"
            engine.save_to_file(job.text, str(path))
            engine.runAndWait()
            if not path.is_file():
                self.broken = _Unusable("pyttsx3 did not write the speech file")
                raise self.broken
            return _read_speech_file(path)

    def _start(self) -> Any:
        try:
            import pyttsx3

            engine = pyttsx3.init()
        except Exception as exc:  # ImportError, or the driver's own RuntimeError/OSError
            self.broken = _Unusable(f"pyttsx3 could not start ({exc})")
            raise self.broken from exc
        _quiet_espeak_driver()
        engine.runAndWait()  # the driver starts "busy"; one empty loop makes it take commands
        self._engine = engine
        self._default_voice = engine.getProperty("voice")
        return engine

    def _voice_id(self, engine: Any, wanted: str | None) -> str | None:
        if not wanted:
            return self._default_voice
        key = wanted.strip().lower()
        if key not in self._voice_ids:
            voices = list(engine.getProperty("voices"))
            found = next((v.id for v in voices if key in _voice_keys(v)), None)
            if found is None:
                raise _unknown_voice(wanted, [str(v.name) for v in voices])
            self._voice_ids[key] = found
        return self._voice_ids[key]


def _wait_for_espeak() -> None:
    """Let espeak's command queue drain before ``runAndWait``.

    pyttsx3 2.99's ``runAndWait`` first runs ``endLoop``, which calls the espeak driver's
    ``stop()``: while espeak still reports itself busy (it is, for a few milliseconds after
    a property change or the previous sentence) that cancels espeak's queue, silently dropping
    the new rate or voice, or the sentence itself (an empty file). Waiting until espeak is
    idle makes every job deterministic.
    """
    espeak = sys.modules.get("pyttsx3.drivers._espeak")
    if espeak is None:  # another driver (SAPI, NSSpeech)
        return
    deadline = time.monotonic() + 2.0
    while espeak.IsPlaying() and time.monotonic() < deadline:
        time.sleep(0.0005)


def _voice_keys(voice: Any) -> set[str]:
    """What a setting may call a pyttsx3 voice: its id (with or without the espeak family),
    its name, or one of its languages."""
    voice_id = str(voice.id).lower()
    keys = {voice_id, voice_id.rsplit("/", 1)[-1], voice_id.rsplit("\\", 1)[-1]}
    keys.add(str(voice.name).lower())
    keys.update(str(language).lower() for language in getattr(voice, "languages", None) or [])
    return keys


def _unknown_voice(wanted: str, names: list[str]) -> VoiceError:
    english = [name for name in names if name.lower().startswith("english")] or names
    some = f"for example {', '.join(english[:6])}" if english else "espeak-ng --voices lists them"
    return VoiceError(
        f"The system voice “{wanted}” is not installed. Set tts_voice to an installed voice "
        f"({some}) or leave it empty for the default.",
        stage="tts",
    )


def _quiet_espeak_driver() -> None:
    """pyttsx3 2.99's espeak driver prints "Audio saved to …" on stdout after each file; send
    that line to the debug log instead, so command output stays clean."""
    driver = sys.modules.get("pyttsx3.drivers.espeak")
    if driver is not None:
        setattr(driver, "print", lambda *args, **_: log.debug(" ".join(map(str, args))))  # noqa: B010


@functools.cache
def _engine_thread() -> _EngineThread:
    """The process's one pyttsx3 thread (started on first use)."""
    return _EngineThread()


def _read_speech_file(path: Path) -> tuple[bytes, int]:
    """16-bit mono PCM of the file pyttsx3 wrote (WAV, or AIFF on macOS)."""
    with path.open("rb") as source:
        magic = source.read(4)
    if magic == b"FORM":
        return read_aiff(path)
    samples, rate = read_wav(path)
    return float_to_pcm16(samples), rate


def _espeak_program(text: str, voice: str | None, rate: int) -> Iterator[AudioChunk]:
    """Speech streamed from ``espeak-ng --stdout`` as the program writes it."""
    binary = espeak_binary()
    if binary is None:
        raise VoiceError(
            "No system voice is installed. Install espeak-ng (Debian/Ubuntu: apt install "
            "espeak-ng) or set tts_engine to elevenlabs.",
            stage="tts",
        )
    command = [binary, "--stdout", "-s", str(rate), *(["-v", voice] if voice else [])]
    pipe = subprocess.PIPE
    with subprocess.Popen(command, stdin=pipe, stdout=pipe, stderr=pipe) as process:
        assert process.stdin is not None
        assert process.stdout is not None
        feeder = threading.Thread(target=_feed, args=(process.stdin, text), daemon=True)
        feeder.start()
        try:
            sample_rate = wav_stream_rate(process.stdout)
            step = int(sample_rate * CHUNK_SECONDS) * 2
            while piece := process.stdout.read(step):
                yield AudioChunk(piece[: len(piece) - len(piece) % 2], sample_rate)
        except ValueError as exc:
            raise _program_error(process, voice) from exc
        finally:
            if process.poll() is None:  # the listener stopped early
                process.kill()
            feeder.join(timeout=1)
        if process.wait() != 0:
            raise _program_error(process, voice)


def _feed(stdin: Any, text: str) -> None:
    try:
        stdin.write(text.encode("utf-8"))
        stdin.close()
    except (OSError, ValueError):  # the program ended or was stopped: the reader reports it
        return


def _program_error(process: subprocess.Popen[bytes], voice: str | None) -> VoiceError:
    process.wait()
    problem = (process.stderr.read() if process.stderr else b"").decode(errors="replace").strip()
    if voice and "voice does not exist" in problem:
        return _unknown_voice(voice, [])
    return VoiceError(f"espeak-ng could not speak ({problem or 'no audio'}).", stage="tts")


def read_aiff(path: Path) -> tuple[bytes, int]:
    """16-bit PCM out of an AIFF or AIFF-C file (what NSSpeech writes), channels averaged."""
    data = path.read_bytes()
    if data[:4] != b"FORM" or data[8:12] not in (b"AIFF", b"AIFC"):
        raise ValueError(f"{path.name} is not an AIFF file")
    chunks, offset = {}, 12
    while offset + 8 <= len(data):
        kind, size = (
            data[offset : offset + 4],
            struct.unpack(">I", data[offset + 4 : offset + 8])[0],
        )
        chunks[kind] = data[offset + 8 : offset + 8 + size]
        offset += 8 + size + size % 2
    common, sound = chunks.get(b"COMM"), chunks.get(b"SSND")
    if common is None or sound is None:
        raise ValueError(f"{path.name} has no sound")
    channels, frames, bits = struct.unpack(">hIh", common[:8])
    exponent, mantissa = struct.unpack(">HQ", common[8:18])
    rate = round(mantissa * 2.0 ** ((exponent & 0x7FFF) - 16383 - 63))
    compression = common[18:22] if data[8:12] == b"AIFC" else b"NONE"
    if bits != 16 or compression not in (b"NONE", b"twos", b"sowt"):
        raise ValueError(f"{path.name} is not 16-bit PCM")
    start = 8 + struct.unpack(">I", sound[:4])[0]
    order = "<i2" if compression == b"sowt" else ">i2"
    samples = np.frombuffer(sound[start : start + frames * channels * 2], dtype=order)
    mono = samples.reshape(-1, channels).mean(axis=1) if channels > 1 else samples
    return mono.astype("<i2").tobytes(), rate


def wav_stream_rate(stream: Any) -> int:
    """Read a streamed WAV header (sizes may be bogus) up to its data; the sample rate."""
    riff = stream.read(12)
    if len(riff) < 12 or riff[:4] != b"RIFF" or riff[8:12] != b"WAVE":
        raise ValueError("not a WAV stream")
    rate = 0
    while True:
        header = stream.read(8)
        if len(header) < 8:
            raise ValueError("the WAV stream has no data")
        kind, size = header[:4], struct.unpack("<I", header[4:])[0]
        if kind == b"data":
            break
        body = stream.read(size + size % 2)
        if kind == b"fmt ":
            channels, rate, bits = (
                struct.unpack("<H", body[2:4])[0],
                *struct.unpack("<I", body[4:8]),
                struct.unpack("<H", body[14:16])[0],
            )
            if channels != 1 or bits != 16:
                raise ValueError("the WAV stream is not 16-bit mono")
    if not rate:
        raise ValueError("the WAV stream has no format")
    return rate
