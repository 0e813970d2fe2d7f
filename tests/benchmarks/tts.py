"""Text-to-speech figures (issue 7): how soon speech can start, and how fast voices synthesize.

    python -m tests.benchmarks.tts [--quick]

Printed, for the OS voice through pyttsx3 (espeak-ng driver) and through the espeak-ng
program: the time from asking for a short reply sentence to its first audio chunk (this is the
voice's share of "end of speech → first audio out"), the whole sentence, and the real-time
factor (synthesis time / audio length; below 1 is faster than speech). A three-sentence reply
shows what speaking sentence by sentence saves. The async ``Voice.stream`` path adds a thread
hop, measured too. ElevenLabs is measured against the local fake server through the real SDK:
that figure is protocol overhead only (HTTP, SDK, chunk handling), not ElevenLabs' synthesis
latency. Last, the sentence splitter's cost per streamed text delta.
"""

from __future__ import annotations

import argparse
import asyncio
import time
from collections.abc import Callable, Iterator

from luma_desktop.voice.audio import AudioChunk
from luma_desktop.voice.sentences import SentenceSplitter
from luma_desktop.voice.tts import ElevenLabsVoice, SystemVoice, Voice

from ..fakes.elevenlabs_server import FakeElevenLabsServer, audio_reply
from ._stats import print_row

SENTENCE = "Your balance is 32,650 pounds 62."
REPLY = (
    "You have three appointments today. The first is a haircut for Sarah Miller at 10 am. "
    "Shall I send her a reminder?"
)


def _first_and_total(speech: Callable[[], Iterator[AudioChunk]]) -> tuple[float, float, float]:
    """Milliseconds to the first chunk and to the last, and the seconds of audio."""
    start = time.perf_counter()
    chunks = speech()
    first = next(chunks)
    first_ms = (time.perf_counter() - start) * 1000
    audio = first.seconds + sum(chunk.seconds for chunk in chunks)
    return first_ms, (time.perf_counter() - start) * 1000, audio


def _measure_voice(title: str, voice: Voice, text: str, runs: int) -> None:
    cold_first, _, _ = _first_and_total(lambda: voice.synthesize(text))
    firsts, totals, factors = [], [], []
    for _ in range(runs):
        first, total, audio = _first_and_total(lambda: voice.synthesize(text))
        firsts.append(first)
        totals.append(total)
        factors.append(total / 1000 / audio)
    print(f"{title} (first call, engine start included: {cold_first:.1f} ms)")
    print_row("  time to first audio chunk", firsts, target="≪ 1 s end-to-end budget")
    print_row("  whole text synthesized", totals)
    print_row("  real-time factor", factors, unit="x ")


async def _async_first_chunk(voice: Voice, text: str, runs: int) -> list[float]:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        stream = voice.stream(text)
        await anext(stream)
        samples.append((time.perf_counter() - start) * 1000)
        await stream.aclose()
    return samples


def _measure_system(runs: int) -> None:
    for backend in ("pyttsx3", "espeak-ng"):
        voice = SystemVoice(backend=backend)
        _measure_voice(f"tts: OS voice via {backend}, short sentence", voice, SENTENCE, runs)
        _measure_voice(f"tts: OS voice via {backend}, 3-sentence reply", voice, REPLY, runs)
    async_firsts = asyncio.run(_async_first_chunk(SystemVoice(), SENTENCE, runs))
    print_row("tts: OS voice, Voice.stream first chunk", async_firsts)


def _measure_elevenlabs(runs: int) -> None:
    server = FakeElevenLabsServer(api_key="bench")
    with server as base_url:
        server.add(*[audio_reply(chunk_bytes=4096) for _ in range(runs + 1)])
        voice = ElevenLabsVoice(
            "bench", voice_id="bench", model_id="eleven_flash_v2_5", base_url=base_url
        )
        with voice:
            _first_and_total(lambda: voice.synthesize(SENTENCE))  # imports, connection
            firsts = [_first_and_total(lambda: voice.synthesize(SENTENCE))[0] for _ in range(runs)]
    print("tts: ElevenLabs SDK against the local fake server (protocol overhead only)")
    print_row("  time to first audio chunk", firsts)


def _measure_splitter(runs: int) -> None:
    deltas = [REPLY[i : i + 7] for i in range(0, len(REPLY), 7)] * 20
    samples = []
    for _ in range(runs):
        splitter = SentenceSplitter()
        for delta in deltas:
            start = time.perf_counter()
            splitter.feed(delta)
            samples.append((time.perf_counter() - start) * 1_000_000)
        splitter.flush()
    print_row("tts: SentenceSplitter.feed per text delta", samples, unit="µs")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="few runs (smoke test)")
    args = parser.parse_args(argv)
    runs = 5 if args.quick else 50
    _measure_system(runs)
    _measure_elevenlabs(runs)
    _measure_splitter(runs)


if __name__ == "__main__":
    main()
