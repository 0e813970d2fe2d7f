"""Speech out: plays streams of :class:`AudioChunk` on the speaker, stoppable at once.

A playback runs on its own thread and writes the speaker stream in blocks of at most 20 ms,
checking for :meth:`Player.stop` (barge-in) between blocks, then aborting the stream so the
device drops what it buffered. Chunks at another rate than the device's are resampled by linear
interpolation (ample for speech). Device failures become one :class:`VoiceError`
(``stage="playback"``) reported to ``on_error`` — never an exception in the caller.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
import queue
import threading
import time
from collections.abc import AsyncIterable, Callable, Iterable
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

from luma_desktop.errors import VoiceError
from luma_desktop.settings import LumaSettings

from .audio import AudioChunk, Samples, pcm16_to_float
from .streams import OutputStreamFactory, OutputStreamLike, audio_errors, open_output

__all__ = [
    "MAX_BLOCK_MS",
    "LinearResampler",
    "Playback",
    "PlaybackResult",
    "PlaybackStatus",
    "Player",
    "resample",
]

log = logging.getLogger(__name__)

MAX_BLOCK_MS = 20
"""Longest block written at once: the bound on how late a stop takes effect."""
_POLL = 0.02
_QUEUED_CHUNKS = 16
PlaybackStatus = Literal["finished", "stopped", "failed"]


class LinearResampler:
    """Streaming linear-interpolation resampler: chunks in, continuous signal out (the phase
    carries over between calls, so chunked and one-shot results agree)."""

    def __init__(self, from_rate: int, to_rate: int) -> None:
        if from_rate <= 0 or to_rate <= 0:
            raise ValueError(f"Sample rates must be positive (got {from_rate} → {to_rate}).")
        self.from_rate, self.to_rate = from_rate, to_rate
        self._step = from_rate / to_rate
        self._position = 0.0
        self._last: np.float32 | None = None

    def process(self, chunk: Samples) -> Samples:
        samples: Samples = np.asarray(chunk, dtype=np.float32).reshape(-1)
        if self.from_rate == self.to_rate:
            return samples
        if self._last is not None:
            samples = np.concatenate([np.array([self._last], dtype=np.float32), samples])
        if samples.size == 0:
            return samples
        limit = len(samples) - 1
        count = math.floor((limit - self._position) / self._step) + 1
        count = max(count, 0)
        positions = self._position + self._step * np.arange(count)
        out: Samples = np.interp(positions, np.arange(len(samples)), samples).astype(np.float32)
        self._position += self._step * count - limit
        self._last = samples[-1]
        return out


def resample(samples: Samples, from_rate: int, to_rate: int) -> Samples:
    """``samples`` at ``from_rate`` Hz as ``to_rate`` Hz (linear interpolation)."""
    return LinearResampler(from_rate, to_rate).process(samples)


@dataclass(frozen=True, slots=True)
class PlaybackResult:
    """How one playback ended."""

    status: PlaybackStatus
    frames: int
    """Frames written to the device."""
    samplerate: int
    """The device rate (0 when no device was opened)."""
    started_at: float | None
    """``time.monotonic()`` of the first write (the first sample out); None if nothing played."""
    ended_at: float
    error: Exception | None = None

    @property
    def seconds(self) -> float:
        return self.frames / self.samplerate if self.samplerate else 0.0


class _SourceFailed:
    def __init__(self, error: Exception) -> None:
        self.error = error


_END = object()


class Playback:
    """One playback in progress: stop it, wait for it, or get called back when it ends."""

    def __init__(self) -> None:
        self.chunks: queue.Queue[Any] = queue.Queue(_QUEUED_CHUNKS)
        self.source_error: Exception | None = None
        self.result: PlaybackResult | None = None
        self._stop = threading.Event()
        self._done = threading.Event()
        self._lock = threading.Lock()
        self._callbacks: list[Callable[[PlaybackResult], None]] = []

    @property
    def stopping(self) -> bool:
        return self._stop.is_set()

    @property
    def done(self) -> bool:
        return self._done.is_set()

    def stop(self) -> None:
        """Ask the playback to stop at the next block (≤ 20 ms of audio)."""
        self._stop.set()

    def wait(self, timeout: float | None = None) -> PlaybackResult | None:
        """The result once the playback has ended; None on timeout."""
        self._done.wait(timeout)
        return self.result

    def add_done_callback(self, callback: Callable[[PlaybackResult], None]) -> None:
        """Call ``callback(result)`` when the playback ends (at once if it already has)."""
        with self._lock:
            if self.result is None:
                self._callbacks.append(callback)
                return
        _notify(callback, self.result)

    def offer(self, item: object) -> bool:
        """Queue a chunk (or the end) for the writer, waiting for room; False once stopped."""
        while not self.stopping:
            try:
                self.chunks.put(item, timeout=_POLL)
            except queue.Full:
                continue
            return True
        return False

    def _complete(self, result: PlaybackResult) -> None:
        with self._lock:
            self.result = result
            callbacks, self._callbacks = self._callbacks, []
        self._done.set()
        for callback in callbacks:
            _notify(callback, result)


class Player:
    """Plays speech on one output device, one playback at a time (a new one stops the last).

    ``on_start`` is called before the first sample of a playback goes out and ``on_finish``
    when it has ended (played, stopped or failed) — use them to mute the microphone while
    Luma speaks. Callbacks run on the playback thread.
    """

    def __init__(
        self,
        *,
        device: str | int | None = None,
        samplerate: int | None = None,
        stream_factory: OutputStreamFactory = open_output,
        block_ms: int = MAX_BLOCK_MS,
        on_start: Callable[[], None] | None = None,
        on_finish: Callable[[PlaybackResult], None] | None = None,
        on_error: Callable[[VoiceError], None] | None = None,
    ) -> None:
        self.device = device
        self.samplerate = samplerate
        self.block_ms = min(max(block_ms, 1), MAX_BLOCK_MS)
        self.on_start, self.on_finish, self.on_error = on_start, on_finish, on_error
        self._factory = stream_factory
        self._stream: OutputStreamLike | None = None
        self._lock = threading.Lock()
        self._device_lock = threading.Lock()
        self._current: Playback | None = None
        self._speaking = False
        self._reported: str | None = None

    @classmethod
    def from_settings(cls, settings: LumaSettings, **options: Any) -> Player:
        """A player on the speaker the settings name (``options`` override/add)."""
        return cls(**({"device": settings.voice_output_device} | options))

    @property
    def speaking(self) -> bool:
        """True from the first sample out until the playback ends."""
        return self._speaking

    def play(self, chunks: Iterable[AudioChunk]) -> Playback:
        """Start playing ``chunks`` (iterated on a thread) and return at once."""
        playback = self._begin()
        threading.Thread(
            target=_feed, args=(playback, chunks), name="playback-feed", daemon=True
        ).start()
        return playback

    async def play_async(
        self, chunks: Iterable[AudioChunk] | AsyncIterable[AudioChunk]
    ) -> PlaybackResult:
        """Play and wait for the end without blocking the loop. A failing device gives a
        ``failed`` result; a failing source's own exception is raised after the playback."""
        if not isinstance(chunks, AsyncIterable):
            return await _outcome(self.play(chunks), None)
        playback = self._begin()
        return await _outcome(playback, asyncio.create_task(_feed_async(playback, chunks)))

    def stop(self, *, wait: bool = True) -> PlaybackResult | None:
        """Barge-in: stop the current playback (output ends within one ≤ 20 ms block)."""
        with self._lock:
            current = self._current
        if current is None or current.done:
            return None
        current.stop()
        return current.wait(1.0) if wait else None

    def close(self) -> None:
        """Stop and release the output device."""
        self.stop()
        with self._device_lock:
            self._discard_stream()

    def __enter__(self) -> Player:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _begin(self) -> Playback:
        with self._lock:
            previous, playback = self._current, Playback()
            self._current = playback
        if previous is not None:
            previous.stop()
        threading.Thread(target=self._run, args=(playback,), name="playback", daemon=True).start()
        return playback

    def _run(self, playback: Playback) -> None:
        with self._device_lock:
            progress = _Progress()
            error = self._attempt(playback, progress)
            status: PlaybackStatus = (
                "failed" if error else "stopped" if playback.stopping else "finished"
            )
            self._end(playback, progress, status, error)

    def _attempt(self, playback: Playback, progress: _Progress) -> Exception | None:
        """Play to the end or the stop; the failure, if any (device failures reported)."""
        try:
            try:
                self._pump(playback, progress)
            except _SourceError as failure:
                playback.source_error = failure.error
                self._settle(stopped=True)
                return failure.error
            self._settle(stopped=playback.stopping)
        except VoiceError as failure:
            self._discard_stream()
            self._report(failure)
            return failure
        except Exception as failure:
            log.exception("playback failed")
            self._discard_stream()
            return failure
        return None

    def _pump(self, playback: Playback, progress: _Progress) -> None:
        decoder = _Decoder()
        while not playback.stopping:
            try:
                item = playback.chunks.get(timeout=_POLL)
            except queue.Empty:
                continue
            if item is _END:
                return
            if isinstance(item, _SourceFailed):
                raise _SourceError(item.error)
            stream = self._open_stream()
            progress.samplerate = int(stream.samplerate)
            samples = decoder.decode(item, progress.samplerate)
            size = max(1, progress.samplerate * self.block_ms // 1000)
            for start in range(0, len(samples), size):
                if playback.stopping:
                    return
                self._write(stream, samples[start : start + size], progress)

    def _write(self, stream: OutputStreamLike, block: Samples, progress: _Progress) -> None:
        if progress.started_at is None:
            if not stream.active:
                with audio_errors("playback"):
                    stream.start()
            progress.started_at = time.monotonic()
            self._speaking = True
            if self.on_start is not None:
                _notify(self.on_start)
        with audio_errors("playback"):
            stream.write(block.reshape(-1, 1))
        progress.frames += len(block)

    def _open_stream(self) -> OutputStreamLike:
        if self._stream is None:
            with audio_errors("playback"):
                self._stream = self._factory(self.device, self.samplerate)
        return self._stream

    def _settle(self, *, stopped: bool) -> None:
        stream = self._stream
        if stream is None or not stream.active:
            return
        with audio_errors("playback"):
            if stopped:
                stream.abort()  # drop what the device still buffers
            else:
                stream.stop()  # let it play out

    def _discard_stream(self) -> None:
        stream, self._stream = self._stream, None
        if stream is not None:
            with contextlib.suppress(Exception):
                stream.close()

    def _end(
        self,
        playback: Playback,
        progress: _Progress,
        status: PlaybackStatus,
        error: Exception | None,
    ) -> None:
        result = PlaybackResult(
            status=status,
            frames=progress.frames,
            samplerate=progress.samplerate,
            started_at=progress.started_at,
            ended_at=time.monotonic(),
            error=error,
        )
        if status == "finished" and progress.frames:
            self._reported = None
        if progress.started_at is not None:
            self._speaking = False
            if self.on_finish is not None:
                _notify(self.on_finish, result)
        playback._complete(result)

    def _report(self, error: VoiceError) -> None:
        """Tell ``on_error`` about a device failure once (not again until one plays)."""
        if error.message == self._reported:
            return
        self._reported = error.message
        if self.on_error is not None:
            _notify(self.on_error, error)


@dataclass(slots=True)
class _Progress:
    frames: int = 0
    samplerate: int = 0
    started_at: float | None = None


class _SourceError(Exception):
    def __init__(self, error: Exception) -> None:
        super().__init__(str(error))
        self.error = error


class _Decoder:
    """int16 PCM chunks → float32 at the device rate; keeps a split sample's odd byte."""

    def __init__(self) -> None:
        self._carry = b""
        self._rate = 0
        self._resampler: LinearResampler | None = None

    def decode(self, chunk: AudioChunk, device_rate: int) -> Samples:
        if self._resampler is None or chunk.sample_rate != self._rate:
            self._resampler = LinearResampler(chunk.sample_rate, device_rate)
            self._rate, self._carry = chunk.sample_rate, b""
        pcm = self._carry + chunk.pcm
        whole = len(pcm) - len(pcm) % 2
        self._carry = pcm[whole:]
        return self._resampler.process(pcm16_to_float(pcm[:whole]))


def _feed(playback: Playback, chunks: Iterable[AudioChunk]) -> None:
    """Iterate a source on the feeder thread; close it when the playback stops early."""
    iterator = iter(chunks)
    try:
        for chunk in iterator:
            if not playback.offer(chunk):
                return
    except Exception as error:
        playback.offer(_SourceFailed(error))
        return
    finally:
        close = getattr(iterator, "close", None)
        if callable(close):
            close()
    playback.offer(_END)


async def _feed_async(playback: Playback, chunks: AsyncIterable[AudioChunk]) -> None:
    """Iterate an async source on the loop; close it when the playback stops early."""
    iterator = aiter(chunks)
    try:
        async for chunk in iterator:
            if not await _offer_async(playback, chunk):
                return
    except Exception as error:
        await _offer_async(playback, _SourceFailed(error))
        return
    finally:
        close = getattr(iterator, "aclose", None)
        if callable(close):
            await close()
    await _offer_async(playback, _END)


async def _offer_async(playback: Playback, item: object) -> bool:
    while not playback.stopping:
        try:
            playback.chunks.put_nowait(item)
        except queue.Full:
            await asyncio.sleep(_POLL)
            continue
        return True
    return False


async def _outcome(playback: Playback, feeder: asyncio.Task[None] | None) -> PlaybackResult:
    loop = asyncio.get_running_loop()
    future: asyncio.Future[PlaybackResult] = loop.create_future()

    def resolve(result: PlaybackResult) -> None:
        if not future.done():
            future.set_result(result)

    def resolve_soon(result: PlaybackResult) -> None:
        with contextlib.suppress(RuntimeError):  # the loop has closed
            loop.call_soon_threadsafe(resolve, result)

    playback.add_done_callback(resolve_soon)
    try:
        result = await future
    except asyncio.CancelledError:
        playback.stop()
        raise
    finally:
        if feeder is not None:
            feeder.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await feeder
    if playback.source_error is not None:
        raise playback.source_error
    return result


def _notify(callback: Callable[..., None], *args: object) -> None:
    """Call a listener; its failure is logged, never allowed to stop the playback."""
    try:
        callback(*args)
    except Exception:
        log.exception("a playback listener failed")
