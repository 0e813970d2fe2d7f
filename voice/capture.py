"""Push-to-talk recording: key down → listen, key up (or a pause, or the time limit) → utterance.

The microphone stream is opened when listening starts and closed when it ends (the OS shows the
microphone in use only while Luma listens). The stream callback only queues blocks; a worker
thread per utterance keeps the buffer, reports input levels (about 20 a second) and, in toggle
mode, watches for the end of speech. Lengths are counted in received samples, so fakes that
run faster than real time give the same utterances as a real microphone.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Generic, Literal, TypeVar

import numpy as np
import numpy.typing as npt

from luma_desktop.errors import VoiceError
from luma_desktop.settings import LumaSettings

from .audio import CAPTURE_RATE, Samples
from .streams import InputStreamFactory, InputStreamLike, audio_errors, open_input
from .vad import SILENCE_DBFS, EndOfSpeechDetector, rms_dbfs

__all__ = [
    "LEVEL_INTERVAL",
    "AsyncQueueSink",
    "EndReason",
    "LevelEvent",
    "Recorder",
    "RecorderState",
    "Utterance",
    "level_from_dbfs",
]

log = logging.getLogger(__name__)

EndReason = Literal["released", "silence", "max_length", "cancelled"]
LEVEL_INTERVAL = 0.05
"""Seconds of audio per input level event (20 a second)."""
_FLOOR_DBFS = -60.0
_T = TypeVar("_T")


class RecorderState(StrEnum):
    IDLE = "idle"
    LISTENING = "listening"
    STOPPING = "stopping"


@dataclass(frozen=True, slots=True)
class Utterance:
    """What was heard between start and end (raw: trim it with :func:`vad.trim`)."""

    samples: Samples
    """16 kHz mono float32."""
    started_at: float
    """``time.monotonic()`` when listening started (key down)."""
    ended_at: float
    """``time.monotonic()`` when the end was decided (key up, pause detected, limit reached)."""
    reason: EndReason

    @property
    def seconds(self) -> float:
        return len(self.samples) / CAPTURE_RATE

    @property
    def empty(self) -> bool:
        """Nothing recorded: callers say "I didn't hear anything"."""
        return self.samples.size == 0


@dataclass(frozen=True, slots=True)
class LevelEvent:
    """Input level for a meter."""

    level: float
    """0..1 (−60 dBFS and below → 0, full scale → 1); 0 while muted."""
    dbfs: float
    at: float
    """``time.monotonic()`` when computed."""


def level_from_dbfs(dbfs: float) -> float:
    """Map a dBFS level onto 0..1 for a meter (linear in dB from −60 to 0)."""
    return min(1.0, max(0.0, (dbfs - _FLOOR_DBFS) / -_FLOOR_DBFS))


class AsyncQueueSink(Generic[_T]):
    """A callback that hands items from any thread to an asyncio queue (oldest dropped when
    full). Pass it as ``on_level`` / ``on_utterance`` and ``await sink.get()`` on the loop."""

    def __init__(self, loop: asyncio.AbstractEventLoop | None = None, maxsize: int = 64) -> None:
        self._loop = loop or asyncio.get_running_loop()
        self._queue: asyncio.Queue[_T] = asyncio.Queue(maxsize)

    def __call__(self, item: _T) -> None:
        with contextlib.suppress(RuntimeError):  # the loop has closed: nobody listens
            self._loop.call_soon_threadsafe(self._put, item)

    def _put(self, item: _T) -> None:
        if self._queue.full():
            self._queue.get_nowait()
        self._queue.put_nowait(item)

    async def get(self) -> _T:
        return await self._queue.get()

    def get_nowait(self) -> _T:
        return self._queue.get_nowait()

    def empty(self) -> bool:
        return self._queue.empty()


_END = object()


class _Session:
    """One utterance being recorded: its stream, queue, buffer and end decision."""

    def __init__(self, started_at: float) -> None:
        self.started_at = started_at
        self.blocks: queue.Queue[Any] = queue.Queue()
        self.kept: list[Samples] = []
        self.received = 0
        self.stream: InputStreamLike | None = None
        self.thread: threading.Thread | None = None
        self.reason: EndReason | None = None
        self.cut = False  # the worker ended it (pause, limit): blocks still queued come after
        self.ended_at = 0.0
        self.utterance: Utterance | None = None
        self.lock = threading.Lock()

    def claim_end(self, reason: EndReason) -> bool:
        """Record the first end decision; False when the end was already decided."""
        with self.lock:
            if self.reason is not None:
                return False
            self.reason, self.ended_at = reason, time.monotonic()
            return True


class Recorder:
    """Push-to-talk capture at 16 kHz mono.

    ``hold`` mode: :meth:`start` on key down, :meth:`stop` on key up. ``toggle`` mode: the same,
    and the utterance also ends after ``end_of_speech_silence_ms`` of silence following speech.
    Either way it ends at ``max_utterance_seconds``. Every utterance goes to ``on_utterance``
    (from the worker thread); :meth:`stop` also returns it. While :attr:`muted` (Luma is
    speaking) microphone frames are dropped. All methods are thread-safe; :meth:`stop` waits
    for the worker, so call it through ``asyncio.to_thread`` from a coroutine.
    """

    def __init__(
        self,
        *,
        mode: Literal["hold", "toggle"] = "hold",
        device: str | int | None = None,
        max_utterance_seconds: float = 30.0,
        end_of_speech_silence_ms: int = 900,
        stream_factory: InputStreamFactory = open_input,
        detector_factory: Callable[[int], EndOfSpeechDetector] = EndOfSpeechDetector,
        on_level: Callable[[LevelEvent], None] | None = None,
        on_utterance: Callable[[Utterance], None] | None = None,
        on_error: Callable[[VoiceError], None] | None = None,
        block_ms: int = 50,
    ) -> None:
        if mode not in ("hold", "toggle"):
            raise ValueError(f"Push-to-talk mode must be 'hold' or 'toggle', not {mode!r}.")
        self.mode = mode
        self.device = device
        self.max_frames = max(1, round(max_utterance_seconds * CAPTURE_RATE))
        self.silence_ms = end_of_speech_silence_ms
        self.muted = False
        self._factory = stream_factory
        self._detector_factory = detector_factory
        self._on_level = on_level
        self._on_utterance = on_utterance
        self._on_error = on_error
        self._blocksize = max(1, CAPTURE_RATE * block_ms // 1000)
        self._lock = threading.Lock()
        self._session: _Session | None = None
        self._last: Utterance | None = None
        self._done = threading.Condition(self._lock)

    @classmethod
    def from_settings(cls, settings: LumaSettings, **options: Any) -> Recorder:
        """A recorder configured by the voice settings (``options`` override/add)."""
        configured: dict[str, Any] = {
            "mode": settings.push_to_talk_mode,
            "device": settings.voice_input_device,
            "max_utterance_seconds": settings.max_utterance_seconds,
            "end_of_speech_silence_ms": settings.end_of_speech_silence_ms,
        }
        return cls(**(configured | options))

    @property
    def state(self) -> RecorderState:
        with self._lock:
            session = self._session
        if session is None:
            return RecorderState.IDLE
        return RecorderState.LISTENING if session.reason is None else RecorderState.STOPPING

    def start(self) -> None:
        """Start listening (no-op when already listening); a broken or missing microphone
        raises :class:`VoiceError` and leaves the recorder idle."""
        with self._lock:
            if self._session is not None:
                return
            session = _Session(time.monotonic())
            session.stream = self._open(session)
            session.thread = threading.Thread(
                target=self._work, args=(session,), name="recorder", daemon=True
            )
            self._session = session
            session.thread.start()

    def stop(self) -> Utterance | None:
        """End the utterance (key up) and return it; None when not listening."""
        return self._end("released")

    def cancel(self) -> Utterance | None:
        """Abandon the utterance (``reason="cancelled"``); None when not listening."""
        return self._end("cancelled")

    def wait(self, timeout: float | None = None) -> Utterance | None:
        """Wait for the current utterance to end (by itself or a stop) and return it; when
        idle, the last utterance. None on timeout or if nothing was ever recorded."""
        with self._done:
            if not self._done.wait_for(lambda: self._session is None, timeout):
                return None
            return self._last

    def _open(self, session: _Session) -> InputStreamLike:
        def callback(indata: npt.NDArray[np.float32], frames: int, at: Any, status: Any) -> None:
            if session.reason is None:
                session.blocks.put((np.array(indata[:frames, 0], dtype=np.float32), self.muted))

        with audio_errors("capture"):
            stream = self._factory(self.device, CAPTURE_RATE, self._blocksize, callback)
            try:
                stream.start()
            except BaseException:
                stream.close()
                raise
        return stream

    def _end(self, reason: EndReason) -> Utterance | None:
        with self._lock:
            session = self._session
        if session is None:
            return None
        self._finish(session, reason)
        if session.thread is threading.current_thread():
            return None
        assert session.thread is not None
        session.thread.join()
        return session.utterance

    def _finish(self, session: _Session, reason: EndReason) -> None:
        """Decide the end (first caller wins), stop the stream and let the worker wrap up."""
        if not session.claim_end(reason):
            return
        assert session.stream is not None
        try:
            with audio_errors("capture"):
                session.stream.stop()
        except VoiceError as error:
            self._report(error)
        session.blocks.put(_END)

    def _work(self, session: _Session) -> None:
        try:
            self._listen(session)
        except Exception:
            log.exception("the recorder failed")
            self._finish(session, "cancelled")
        finally:
            self._wrap_up(session)

    def _listen(self, session: _Session) -> None:
        detector = self._make_detector()
        level = _LevelMeter(self._on_level)
        while True:
            try:
                item = session.blocks.get(timeout=0.1)
            except queue.Empty:
                self._check_stream(session)
                continue
            if item is _END:
                break
            if not session.cut:
                block, muted = item
                detector = self._take(session, block, muted, detector, level)

    def _take(
        self,
        session: _Session,
        block: Samples,
        muted: bool,
        detector: EndOfSpeechDetector | None,
        level: _LevelMeter,
    ) -> EndOfSpeechDetector | None:
        block = block[: self.max_frames - session.received]
        session.received += len(block)
        level.add(block, muted)
        if not muted:
            session.kept.append(block)
            detector = self._detect(session, block, detector)
        if session.received >= self.max_frames:
            session.cut = True
            self._finish(session, "max_length")
        return detector

    def _detect(
        self, session: _Session, block: Samples, detector: EndOfSpeechDetector | None
    ) -> EndOfSpeechDetector | None:
        if detector is None:
            return None
        try:
            ended = detector.feed(block)
        except VoiceError as error:
            self._report(error)  # keep recording: the key or the time limit ends it
            return None
        if ended:
            session.cut = True
            self._finish(session, "silence")
        return detector

    def _make_detector(self) -> EndOfSpeechDetector | None:
        return self._detector_factory(self.silence_ms) if self.mode == "toggle" else None

    def _check_stream(self, session: _Session) -> None:
        stream = session.stream
        if session.reason is None and stream is not None and not stream.active:
            self._report(
                VoiceError(
                    "The microphone stopped sending sound (unplugged?). Check it, or pick "
                    "another in voice_input_device; Luma keeps working by text.",
                    stage="capture",
                )
            )
            self._finish(session, "released")

    def _wrap_up(self, session: _Session) -> None:
        assert session.stream is not None
        assert session.reason is not None
        with contextlib.suppress(VoiceError), audio_errors("capture"):
            session.stream.close()
        samples = np.concatenate(session.kept) if session.kept else np.zeros(0, np.float32)
        utterance = Utterance(samples, session.started_at, session.ended_at, session.reason)
        session.utterance = utterance
        with self._done:
            self._session, self._last = None, utterance
            self._done.notify_all()
        if self._on_utterance is not None:
            _notify(self._on_utterance, utterance)

    def _report(self, error: VoiceError) -> None:
        if self._on_error is not None:
            _notify(self._on_error, error)


class _LevelMeter:
    """Turns blocks into one :class:`LevelEvent` per :data:`LEVEL_INTERVAL` of audio."""

    def __init__(self, callback: Callable[[LevelEvent], None] | None) -> None:
        self._callback = callback
        self._size = round(LEVEL_INTERVAL * CAPTURE_RATE)
        self._pending: list[Samples] = []
        self._count = 0
        self._muted = False

    def add(self, block: Samples, muted: bool) -> None:
        if self._callback is None:
            return
        self._muted = self._muted or muted
        start = 0
        while start < len(block):
            piece = block[start : start + self._size - self._count]
            start += len(piece)
            self._pending.append(piece)
            self._count += len(piece)
            if self._count >= self._size:
                self._emit()

    def _emit(self) -> None:
        assert self._callback is not None
        dbfs = SILENCE_DBFS if self._muted else rms_dbfs(np.concatenate(self._pending))
        self._pending, self._count, self._muted = [], 0, False
        _notify(self._callback, LevelEvent(level_from_dbfs(dbfs), dbfs, time.monotonic()))


def _notify(callback: Callable[[_T], None], item: _T) -> None:
    """Call a listener; its failure is logged, never allowed to stop the recording."""
    try:
        callback(item)
    except Exception:
        log.exception("a capture listener failed")
