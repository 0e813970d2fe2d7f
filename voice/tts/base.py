"""The text-to-speech interface: a :class:`Voice` turns text into int16 PCM chunks.

Engines implement one hook, :meth:`Voice._synthesize`, a blocking generator. Callers use the
final :meth:`Voice.synthesize` from a worker thread, or :meth:`Voice.stream` and
:meth:`Voice.stream_sentences` from async code (both run the engine in a thread, so the event
loop never waits on synthesis or the network).
"""

from __future__ import annotations

import asyncio
import math
import threading
from abc import ABC, abstractmethod
from collections.abc import AsyncIterable, AsyncIterator, Callable, Generator, Iterator
from typing import Any, Literal, final

import numpy as np

from ...errors import VoiceError
from ..audio import AudioChunk

__all__ = [
    "CHUNK_SECONDS",
    "FailureReason",
    "ToneVoice",
    "Voice",
    "VoiceServiceError",
    "split_pcm",
]

CHUNK_SECONDS = 0.1
"""Length of the chunks a voice that synthesizes whole sentences hands out (for barge-in)."""

FailureReason = Literal[
    "auth", "quota", "voice", "rejected", "unreachable", "rate_limited", "server", "interrupted"
]
"""Why a voice service failed; the first four will not heal by themselves."""


class VoiceServiceError(VoiceError):
    """A voice service failed (``stage="tts"``): ``reason`` says how, ``retryable`` whether
    the same request may work later (a refused key never does), ``brief`` is a few words for
    a notice ("the API key was refused")."""

    def __init__(
        self, message: str, *, reason: FailureReason, retryable: bool, brief: str = ""
    ) -> None:
        super().__init__(message, stage="tts")
        self.reason: FailureReason = reason
        self.retryable = retryable
        self.brief = brief or reason.replace("_", " ")

    def to_dict(self) -> dict[str, Any]:
        return {**super().to_dict(), "reason": self.reason, "retryable": self.retryable}


class Voice(ABC):
    """Something that speaks: ``name`` for logs and notices, ``label`` for people."""

    name: str = "voice"
    label: str = "the voice"

    @final
    def synthesize(self, text: str) -> Generator[AudioChunk, None, None]:
        """Speech for ``text`` as chunks, in order, as soon as each is ready (blocking).

        Blank text gives nothing. Any failure is a :class:`VoiceError` with ``stage="tts"``.
        """
        text = text.strip()
        if not text:
            return
        try:
            for chunk in self._synthesize(text):
                if chunk.pcm:
                    yield chunk
        except VoiceError:
            raise
        except Exception as exc:
            raise VoiceError(
                f"{self.label.capitalize()} could not speak ({exc.__class__.__name__}: {exc}).",
                stage="tts",
            ) from exc

    @final
    async def stream(self, text: str) -> AsyncIterator[AudioChunk]:
        """:meth:`synthesize` in a worker thread; stopping early stops the worker too."""
        loop = asyncio.get_running_loop()
        queue: asyncio.Queue[AudioChunk | Exception | None] = asyncio.Queue()
        stop = threading.Event()
        worker = threading.Thread(
            target=self._produce,
            args=(text, stop, _poster(loop, queue)),
            name=f"luma-tts-{self.name}",
            daemon=True,
        )
        worker.start()
        try:
            while (item := await queue.get()) is not None:
                if isinstance(item, Exception):
                    raise item
                yield item
        finally:
            stop.set()

    @final
    async def stream_sentences(self, sentences: AsyncIterable[str]) -> AsyncIterator[AudioChunk]:
        """Speak-as-you-go: each sentence is synthesized as soon as it arrives, ahead of the
        consumer (so the next sentence is ready when the current one has played)."""
        queue: asyncio.Queue[AudioChunk | Exception | None] = asyncio.Queue()

        async def produce() -> None:
            try:
                async for sentence in sentences:
                    async for chunk in self.stream(sentence):
                        queue.put_nowait(chunk)
            except Exception as exc:
                queue.put_nowait(exc)
            finally:
                queue.put_nowait(None)

        producer = asyncio.create_task(produce(), name=f"luma-tts-{self.name}-sentences")
        try:
            while (item := await queue.get()) is not None:
                if isinstance(item, Exception):
                    raise item
                yield item
        finally:
            producer.cancel()
            await asyncio.gather(producer, return_exceptions=True)

    def close(self) -> None:  # noqa: B027 (nothing to release by default)
        """Release what the voice holds (connections); it may not be used afterwards."""

    def __enter__(self) -> Voice:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    @abstractmethod
    def _synthesize(self, text: str) -> Iterator[AudioChunk]:
        """Chunks of speech for non-blank ``text``, yielded as they become available."""

    def _produce(
        self,
        text: str,
        stop: threading.Event,
        post: Callable[[AudioChunk | Exception | None], None],
    ) -> None:
        chunks = self.synthesize(text)
        try:
            for chunk in chunks:
                if stop.is_set():
                    break
                post(chunk)
        except Exception as exc:
            post(exc)
        finally:
            chunks.close()
            post(None)


class ToneVoice(Voice):
    """A stand-in voice for tests and demos without a speech engine: a soft 440 Hz tone about
    as long as the text would take to say (``seconds_per_char``), in :data:`CHUNK_SECONDS`
    chunks. ``spoken`` lists the texts it was given."""

    name = "tone"
    label = "the test tone"

    def __init__(self, *, sample_rate: int = 16_000, seconds_per_char: float = 0.06) -> None:
        self.sample_rate = sample_rate
        self.seconds_per_char = seconds_per_char
        self.spoken: list[str] = []

    def _synthesize(self, text: str) -> Iterator[AudioChunk]:
        self.spoken.append(text)
        count = max(1, int(len(text) * self.seconds_per_char * self.sample_rate))
        wave = 0.2 * np.sin(2 * math.pi * 440 * np.arange(count) / self.sample_rate)
        yield from split_pcm((wave * 32767).astype("<i2").tobytes(), self.sample_rate)


def _poster(
    loop: asyncio.AbstractEventLoop, queue: asyncio.Queue[AudioChunk | Exception | None]
) -> Callable[[AudioChunk | Exception | None], None]:
    """A thread-safe put into ``queue`` that does nothing once the loop has closed."""

    def post(item: AudioChunk | Exception | None) -> None:
        try:
            loop.call_soon_threadsafe(queue.put_nowait, item)
        except RuntimeError:  # the loop closed: nobody listens any more
            return

    return post


def split_pcm(pcm: bytes, sample_rate: int, seconds: float = CHUNK_SECONDS) -> Iterator[AudioChunk]:
    """Whole-sentence PCM as chunks of about ``seconds`` each (whole samples)."""
    step = max(2, int(sample_rate * seconds) * 2)
    pcm = pcm[: len(pcm) - len(pcm) % 2]
    for start in range(0, len(pcm), step):
        yield AudioChunk(pcm[start : start + step], sample_rate)
