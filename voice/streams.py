"""Audio streams: sounddevice's interface, the real factories, and fakes that behave alike.

Capture and playback only see :class:`InputStreamLike` / :class:`OutputStreamLike`, opened by an
injectable factory. The real factories (:func:`open_input`, :func:`open_output`) import
sounddevice lazily and turn PortAudio failures into :class:`VoiceError`. The fakes ship with the
code: :class:`FileInputStream` is a microphone that "hears" a file then silence,
:class:`DeadInputStream` a broken microphone, :class:`FakeOutputStream` a speaker that records
what it is given; :class:`FileMicrophone`, :class:`DeadMicrophone` and :class:`FakeSpeaker` are
their factories (they remember the streams they opened).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, Protocol, Self, cast

import numpy as np
import numpy.typing as npt

from luma_desktop.errors import LumaError, VoiceError

from .audio import CAPTURE_RATE, Samples, read_wav
from .devices import DeviceQuery, choose_device, load_sounddevice, portaudio_errors

__all__ = [
    "DeadInputStream",
    "DeadMicrophone",
    "FakeOutputStream",
    "FakeSpeaker",
    "FileInputStream",
    "FileMicrophone",
    "InputCallback",
    "InputStreamFactory",
    "InputStreamLike",
    "OutputStreamFactory",
    "OutputStreamLike",
    "SimulatedPortAudioError",
    "WrittenBlock",
    "audio_errors",
    "open_input",
    "open_output",
]

InputCallback = Callable[[npt.NDArray[np.float32], int, Any, Any], None]
"""sounddevice's input callback: ``(indata[frames, channels], frames, time, status)``."""


class _StreamLike(Protocol):
    @property
    def active(self) -> bool: ...
    @property
    def samplerate(self) -> float: ...
    def start(self) -> None: ...
    def stop(self) -> None: ...
    def abort(self) -> None: ...
    def close(self) -> None: ...
    def __enter__(self) -> Self: ...
    def __exit__(self, *exc_info: object) -> None: ...


class InputStreamLike(_StreamLike, Protocol):
    """A callback input stream (``sounddevice.InputStream``, mono float32)."""


class OutputStreamLike(_StreamLike, Protocol):
    """A blocking output stream (``sounddevice.OutputStream``, mono float32)."""

    def write(self, data: npt.NDArray[np.float32]) -> bool: ...


class InputStreamFactory(Protocol):
    def __call__(
        self, device: str | int | None, samplerate: int, blocksize: int, callback: InputCallback
    ) -> InputStreamLike: ...


class OutputStreamFactory(Protocol):
    def __call__(self, device: str | int | None, samplerate: int | None) -> OutputStreamLike: ...


class SimulatedPortAudioError(Exception):
    """What the fakes raise where sounddevice raises ``PortAudioError`` (message, error code)."""

    def __str__(self) -> str:
        message = str(self.args[0]) if self.args else "PortAudio error"
        return f"{message} [PaErrorCode {self.args[1]}]" if len(self.args) > 1 else message


_ADVICE = {
    "capture": "Check that the microphone is connected and not used by another app, or pick "
    "another in voice_input_device",
    "playback": "Check that the speaker is connected, or pick another in voice_output_device",
}


@contextmanager
def audio_errors(stage: Literal["capture", "playback"]) -> Iterator[None]:
    """Turn PortAudio / OS failures inside the block into a :class:`VoiceError` for people."""
    failures: tuple[type[Exception], ...] = (OSError, SimulatedPortAudioError, *portaudio_errors())
    try:
        yield
    except LumaError:
        raise
    except failures as exc:
        device = "microphone" if stage == "capture" else "speaker"
        raise VoiceError(
            f"The {device} failed ({exc}). {_ADVICE[stage]}; Luma keeps working by text.",
            stage=stage,
        ) from exc


def open_input(
    device: str | int | None,
    samplerate: int,
    blocksize: int,
    callback: InputCallback,
    *,
    devices: DeviceQuery | None = None,
) -> InputStreamLike:
    """A real mono float32 microphone stream (not started) on the device the setting names."""
    sounddevice = load_sounddevice("capture")
    chosen = choose_device("input", device, query=devices)
    with audio_errors("capture"):
        stream = sounddevice.InputStream(
            device=chosen.index,
            samplerate=samplerate,
            blocksize=blocksize,
            channels=1,
            dtype="float32",
            callback=callback,
        )
    return cast(InputStreamLike, stream)


def open_output(
    device: str | int | None, samplerate: int | None, *, devices: DeviceQuery | None = None
) -> OutputStreamLike:
    """A real mono float32 speaker stream (not started); ``None`` rate = the device's own."""
    sounddevice = load_sounddevice("playback")
    chosen = choose_device("output", device, query=devices)
    with audio_errors("playback"):
        stream = sounddevice.OutputStream(
            device=chosen.index,
            samplerate=samplerate or int(chosen.default_rate),
            channels=1,
            dtype="float32",
            latency="low",
        )
    return cast(OutputStreamLike, stream)


# --- fakes -------------------------------------------------------------------------------------


class _FakeStream:
    """Start/stop/close bookkeeping shared by the fakes."""

    samplerate: float

    def __init__(self) -> None:
        self.closed = False
        self._running = False

    @property
    def active(self) -> bool:
        return self._running

    def start(self) -> None:
        if self.closed:
            raise SimulatedPortAudioError("Stream is closed", -9988)
        self._running = True

    def stop(self) -> None:
        self._running = False

    def abort(self) -> None:
        self.stop()

    def close(self) -> None:
        self.stop()
        self.closed = True

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()
        self.close()


class FileInputStream(_FakeStream):
    """A microphone that hears ``source`` then silence, delivered in blocks from a thread.

    ``speed`` is how many times faster than real time blocks arrive (1.0 = like a real
    microphone, ``math.inf`` = as fast as possible). The silence lasts ``tail_seconds``
    (``None``: until stopped); ``noise`` adds Gaussian noise of that RMS to it.
    ``fed_all`` is set once the whole source has been delivered.
    """

    def __init__(
        self,
        source: Samples | Path,
        callback: InputCallback,
        *,
        samplerate: int = CAPTURE_RATE,
        blocksize: int = 800,
        speed: float = 20.0,
        tail_seconds: float | None = None,
        noise: float = 0.0,
    ) -> None:
        super().__init__()
        self.samplerate = samplerate
        self.blocksize = blocksize or 512
        self._samples = _load_source(source, samplerate)
        self._callback = callback
        self._speed = speed
        self._tail = None if tail_seconds is None else round(tail_seconds * samplerate)
        self._noise = noise
        self._random = np.random.default_rng(7)
        self._position = 0
        self._halt = threading.Event()
        self._thread: threading.Thread | None = None
        self.fed_all = threading.Event()
        self.finished = threading.Event()

    @property
    def frames_fed(self) -> int:
        return self._position

    def start(self) -> None:
        super().start()
        if self._thread is not None and self._thread.is_alive():
            return
        self._halt.clear()
        self._thread = threading.Thread(target=self._run, name="file-microphone", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        super().stop()
        self._halt.set()
        thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join()

    def _run(self) -> None:
        began, fed = time.monotonic(), 0
        while not self._halt.is_set():
            block = self._next_block()
            if block is None:
                self._running = False
                self.finished.set()
                return
            self._callback(block.reshape(-1, 1), len(block), None, None)
            fed += len(block)
            delay = began + fed / self.samplerate / self._speed - time.monotonic()
            self._halt.wait(max(delay, 0.0))

    def _next_block(self) -> Samples | None:
        total = len(self._samples)
        end = self._position + self.blocksize
        if self._tail is not None and self._position >= total + self._tail:
            return None
        block = np.zeros(self.blocksize, dtype=np.float32)
        if self._position < total:
            piece = self._samples[self._position : end]
            block[: len(piece)] = piece
        silent_from = max(0, total - self._position)
        if self._noise and silent_from < self.blocksize:
            size = self.blocksize - silent_from
            block[silent_from:] = self._random.normal(0.0, self._noise, size)
        self._position = end
        if self._position >= total:
            self.fed_all.set()
        return block


class DeadInputStream(_FakeStream):
    """A broken microphone: fails when opened, when started, or (``"stream"``) goes silent
    and inactive after ``blocks_before_failure`` blocks, like an unplugged USB microphone."""

    def __init__(
        self,
        callback: InputCallback,
        *,
        samplerate: int = CAPTURE_RATE,
        blocksize: int = 800,
        fail_on: Literal["open", "start", "stream"] = "start",
        blocks_before_failure: int = 3,
    ) -> None:
        super().__init__()
        if fail_on == "open":
            raise SimulatedPortAudioError("Error opening InputStream: Device unavailable", -9985)
        self.samplerate = samplerate
        self._callback = callback
        self._fail_on = fail_on
        self._blocks = np.zeros((blocks_before_failure, blocksize or 512, 1), dtype=np.float32)

    def start(self) -> None:
        if self._fail_on == "start":
            raise SimulatedPortAudioError("Error starting stream: Unanticipated host error", -9999)
        super().start()
        threading.Thread(target=self._die, name="dead-microphone", daemon=True).start()

    def _die(self) -> None:
        for block in self._blocks:
            self._callback(block, len(block), None, None)
        self._running = False


@dataclass(frozen=True, slots=True)
class WrittenBlock:
    """One ``write`` a fake speaker received."""

    frames: Samples
    started_at: float
    """Monotonic time the write began."""
    ended_at: float
    """Monotonic time it returned (after the simulated device time)."""


class FakeOutputStream(_FakeStream):
    """A speaker that records every block written, with monotonic timestamps.

    ``pace`` simulates the device clock: a write blocks for ``pace`` × its duration (0 = not at
    all, 1.0 = real time, > 1 a slow device). ``fail_after_writes`` makes the n+1-th write fail
    and ``fail_on_start`` the start, as a device that disappears would.
    """

    def __init__(
        self,
        samplerate: int = 48_000,
        *,
        pace: float = 0.0,
        fail_on_start: bool = False,
        fail_after_writes: int | None = None,
    ) -> None:
        super().__init__()
        self.samplerate = samplerate
        self.pace = pace
        self.fail_on_start = fail_on_start
        self.fail_after_writes = fail_after_writes
        self.writes: list[WrittenBlock] = []
        self.starts = self.stops = self.aborts = 0
        self._lock = threading.Lock()

    def start(self) -> None:
        if self.fail_on_start:
            raise SimulatedPortAudioError("Error starting stream: Device unavailable", -9985)
        super().start()
        self.starts += 1

    def stop(self) -> None:
        if self.active:
            self.stops += 1
        super().stop()

    def abort(self) -> None:
        if self.active:
            self.aborts += 1
        super().stop()

    def write(self, data: npt.NDArray[np.float32]) -> bool:
        if not self.active:
            raise SimulatedPortAudioError("Stream is stopped", -9983)
        if self.fail_after_writes is not None and len(self.writes) >= self.fail_after_writes:
            raise SimulatedPortAudioError("Wait timed out: device lost", -9987)
        frames = np.asarray(data, dtype=np.float32).reshape(-1).copy()
        began = time.monotonic()
        if self.pace:
            time.sleep(len(frames) / self.samplerate * self.pace)
        with self._lock:
            self.writes.append(WrittenBlock(frames, began, time.monotonic()))
        return False

    @property
    def frames_written(self) -> int:
        with self._lock:
            return sum(len(block.frames) for block in self.writes)

    def frames_written_after(self, moment: float) -> int:
        """Frames of the blocks still being written at or begun after ``moment``."""
        with self._lock:
            return sum(len(block.frames) for block in self.writes if block.ended_at > moment)

    def played(self) -> Samples:
        """Everything written, as one array."""
        with self._lock:
            blocks = [block.frames for block in self.writes]
        return np.concatenate(blocks) if blocks else np.zeros(0, dtype=np.float32)


class FileMicrophone:
    """Factory of :class:`FileInputStream` over one source (pass as ``stream_factory``)."""

    def __init__(self, source: Samples | Path, **options: Any) -> None:
        self.source = source
        self.options = options
        self.opened: list[FileInputStream] = []

    def __call__(
        self, device: str | int | None, samplerate: int, blocksize: int, callback: InputCallback
    ) -> FileInputStream:
        stream = FileInputStream(
            self.source, callback, samplerate=samplerate, blocksize=blocksize, **self.options
        )
        self.opened.append(stream)
        return stream

    @property
    def last(self) -> FileInputStream:
        return self.opened[-1]


class DeadMicrophone:
    """Factory of :class:`DeadInputStream` (pass as ``stream_factory``)."""

    def __init__(self, fail_on: Literal["open", "start", "stream"] = "start") -> None:
        self.fail_on: Literal["open", "start", "stream"] = fail_on
        self.opened: list[DeadInputStream] = []

    def __call__(
        self, device: str | int | None, samplerate: int, blocksize: int, callback: InputCallback
    ) -> DeadInputStream:
        stream = DeadInputStream(
            callback, samplerate=samplerate, blocksize=blocksize, fail_on=self.fail_on
        )
        self.opened.append(stream)
        return stream


class FakeSpeaker:
    """Factory of :class:`FakeOutputStream` at the speaker's own ``samplerate``;
    ``fail_open`` makes opening fail like a missing device."""

    def __init__(
        self, samplerate: int = 48_000, *, fail_open: bool = False, **options: Any
    ) -> None:
        self.samplerate = samplerate
        self.fail_open = fail_open
        self.options = options
        self.opened: list[FakeOutputStream] = []

    def __call__(self, device: str | int | None, samplerate: int | None) -> FakeOutputStream:
        if self.fail_open:
            raise SimulatedPortAudioError("Error opening OutputStream: Device unavailable", -9985)
        stream = FakeOutputStream(self.samplerate, **self.options)
        self.opened.append(stream)
        return stream

    @property
    def last(self) -> FakeOutputStream:
        return self.opened[-1]


def _load_source(source: Samples | Path, samplerate: int) -> Samples:
    if not isinstance(source, Path):
        return np.asarray(source, dtype=np.float32).reshape(-1)
    samples, rate = read_wav(source)
    if rate != samplerate:
        raise ValueError(
            f"{source} is {rate} Hz but the microphone runs at {samplerate} Hz; convert it "
            f"first (sox {source.name} -r {samplerate} -c 1 -b 16 out.wav)."
        )
    return samples
