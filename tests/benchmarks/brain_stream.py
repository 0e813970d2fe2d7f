"""Claude brain figures (issue 4): what ClaudeBrain adds to each streamed text delta.

    python -m tests.benchmarks.brain_stream [--quick]

A long scripted reply (2000 text deltas) streams from the fake Anthropic server through the real
SDK. Printed: the time from the SDK handing ClaudeBrain a text delta event to the TextChunk
reaching the consumer, the conversion step alone per SDK event (both in µs: they are far below
a millisecond), and the whole reply through ClaudeBrain and read straight from the SDK (ms).
Budget: the turn's delta-to-consumer p95 < 2 ms, of which the brain should be a small part.
"""

from __future__ import annotations

import argparse
import asyncio
import time
from collections.abc import AsyncIterator
from typing import Any

import anthropic

from luma_desktop.assistant.brains.base import BrainRequest, Message, TextChunk
from luma_desktop.assistant.brains.claude import ClaudeBrain, StreamAssembler

from ..fakes.anthropic_server import FakeAnthropicServer, text_reply
from ._stats import print_row

MODEL = "claude-sonnet-4-6"
REQUEST = BrainRequest(
    system="You are Luma.", context="Now: Wednesday.", messages=(Message.user("Tell me"),), tools=()
)


class _StampedStream:
    """Wraps the SDK stream and notes when each text delta event leaves the SDK."""

    def __init__(self, stream: Any, stamps: list[float]) -> None:
        self._stream = stream
        self._stamps = stamps

    async def __aenter__(self) -> _StampedStream:
        await self._stream.__aenter__()
        return self

    async def __aexit__(self, *exc_info: Any) -> None:
        await self._stream.__aexit__(*exc_info)

    async def __aiter__(self) -> AsyncIterator[Any]:
        async for event in self._stream:
            if event.type == "content_block_delta":
                self._stamps.append(time.perf_counter())
            yield event


class _TimedClaude(ClaudeBrain):
    """ClaudeBrain whose SDK stream is stamped; the conversion path is the real one."""

    stamps: list[float]

    async def _open(self, call: Any) -> Any:
        return _StampedStream(await super()._open(call), self.stamps)


async def _brain_run(base_url: str) -> tuple[list[float], float]:
    """Per-chunk SDK-event-to-consumer latencies (µs) and the whole reply's time (ms)."""
    brain = _TimedClaude(api_key="bench", model=MODEL, base_url=base_url)
    brain.stamps = []
    arrivals: list[float] = []
    start = time.perf_counter()
    async for event in brain.respond(REQUEST):
        if isinstance(event, TextChunk):
            arrivals.append(time.perf_counter())
    total = (time.perf_counter() - start) * 1000
    await brain.aclose()
    latencies = [
        (seen - sent) * 1_000_000 for seen, sent in zip(arrivals, brain.stamps, strict=True)
    ]
    return latencies, total


async def _raw_run(base_url: str) -> tuple[list[Any], float]:
    """The SDK's own events for the same reply (no brain), and the time to read them (ms)."""
    client = anthropic.AsyncAnthropic(api_key="bench", base_url=base_url, max_retries=0)
    start = time.perf_counter()
    stream = await client.messages.create(
        model=MODEL, max_tokens=1024, messages=[{"role": "user", "content": "Tell me"}], stream=True
    )
    events = [event async for event in stream]
    total = (time.perf_counter() - start) * 1000
    await client.close()
    return events, total


def _feed_times(events: list[Any], repeat: int) -> list[float]:
    """Microseconds per :meth:`StreamAssembler.feed` call over the recorded SDK events."""
    samples: list[float] = []
    for _ in range(repeat):
        assembler = StreamAssembler()
        for event in events:
            start = time.perf_counter()
            assembler.feed(event)
            samples.append((time.perf_counter() - start) * 1_000_000)
    return samples


async def _measure(chunks: int, runs: int) -> None:
    text = "Luma streams this answer one small piece at a time. " * (chunks // 10 + 1)
    server = FakeAnthropicServer()
    with server as base_url:
        server.add(text_reply(text, chunks=chunks))
        await _raw_run(base_url)  # warm-up: imports, connection set-up
        latencies: list[float] = []
        brain_totals, raw_totals = [], []
        events: list[Any] = []
        for _ in range(runs):
            server.add(text_reply(text, chunks=chunks), text_reply(text, chunks=chunks))
            run_latencies, brain_total = await _brain_run(base_url)
            events, raw_total = await _raw_run(base_url)
            latencies += run_latencies
            brain_totals.append(brain_total)
            raw_totals.append(raw_total)
    print(f"brain stream: {chunks} text deltas x {runs} runs, real SDK against the fake server")
    print_row("  SDK delta -> TextChunk at consumer", latencies, unit="µs", target="p95 ≪ 2 ms")
    print_row("  StreamAssembler.feed per SDK event", _feed_times(events, runs), unit="µs")
    print_row("  whole reply through ClaudeBrain", brain_totals)
    print_row("  whole reply, SDK alone", raw_totals)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="a short reply, one run (smoke test)")
    args = parser.parse_args(argv)
    chunks, runs = (200, 1) if args.quick else (2000, 5)
    asyncio.run(_measure(chunks, runs))


if __name__ == "__main__":
    main()
