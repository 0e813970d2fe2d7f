"""Voice latency (issue 7): end of speech → first audio sample out, stage by stage.

    python -m tests.benchmarks.voice_latency [--quick]

Read commands spoken by espeak-ng as the voice tests make them ("what's my balance", "what's
on today") play from a file-backed microphone into the real :class:`VoicePipeline`: the key
held while the words play and released when they end, the Silero VAD, faster-whisper
``tiny.en`` int8 on the CPU with the demo business's vocabulary, the offline brain and tools on
the demo workspace, and the OS voice (pyttsx3 / espeak-ng) speaking to a fake speaker. The
figure comes from each turn's :class:`Timeline`: key up → the first sample written to the
speaker (a real device adds its output buffer, ~10-20 ms at PortAudio's low latency). Target
≤ 1.0 s on 2 cores. Then each stage, and the transcription time and real-time factor of a
~3-second command (model load, memory and word error rate: ``python -m tests.benchmarks.stt``).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from luma_desktop.assistant.factory import build_assistant
from luma_desktop.clock import FixedClock
from luma_desktop.settings import LumaSettings
from luma_desktop.tools import build_registry
from luma_desktop.voice import vad
from luma_desktop.voice._timeline import SEGMENTS, Timeline, VoiceTurn
from luma_desktop.voice.audio import CAPTURE_RATE, read_wav
from luma_desktop.voice.pipeline import VoicePipeline
from luma_desktop.voice.streams import FakeSpeaker, FileMicrophone
from luma_desktop.voice.stt import Transcriber
from luma_desktop.workspace.database import Workspace, sqlite_url
from luma_desktop.workspace.demo import seed_demo

from ..voice.conftest import synthesize
from ._stats import print_row

COMMANDS = ("what's my balance", "what's on today")
THREE_SECONDS = "which invoices are overdue"
"""About three seconds once the VAD has trimmed it, as the pipeline transcribes it."""
NOW = datetime(2026, 11, 18, 14, 30, tzinfo=UTC)
"""The demo business's "now" (a Wednesday afternoon), as in the tests."""
SETTINGS = LumaSettings(brain="offline", memory_enabled=False, tts_engine="system")


def _speak(folder: Path, text: str) -> Path:
    """``text`` said by espeak-ng as the voice tests say it (16 kHz mono, silence either side)."""
    return synthesize(text, folder / f"{len(list(folder.glob('*.wav'))):03d}.wav")


@contextmanager
def _demo_workspace() -> Iterator[Workspace]:
    with tempfile.TemporaryDirectory(prefix="luma-voice-bench-") as folder:
        workspace = Workspace(sqlite_url(Path(folder)))
        workspace.upgrade()
        seed_demo(workspace, clock=FixedClock(NOW))
        try:
            yield workspace
        finally:
            workspace.dispose()


async def _spoken_turn(pipeline: VoicePipeline, microphone: FileMicrophone, wav: Path) -> VoiceTurn:
    """Hold the key while ``wav`` plays, release at its end: the answered turn."""
    microphone.source = wav
    opened = len(microphone.opened)
    pipeline.press()
    await asyncio.to_thread(_heard_all, microphone, opened)
    pipeline.release()
    await pipeline.settled()
    turn = pipeline.last_turn
    if turn is None or turn.timeline.latency is None:
        raise RuntimeError(f"Luma did not answer out loud: {turn}")
    return turn


def _heard_all(microphone: FileMicrophone, opened: int) -> None:
    """Wait until the microphone opened after ``opened`` streams has played all its source."""
    while len(microphone.opened) == opened:
        time.sleep(0.001)
    microphone.last.fed_all.wait()


async def _measure(workspace: Workspace, transcriber: Transcriber, runs: int, folder: Path) -> None:
    speeches = {command: _speak(folder, command) for command in COMMANDS}
    microphone = FileMicrophone(speeches[COMMANDS[0]])
    async with (
        build_assistant(workspace, build_registry(), SETTINGS, clock=FixedClock(NOW)) as assistant,
        VoicePipeline(
            SETTINGS,
            assistant,
            transcriber=transcriber,
            input_stream=microphone,
            output_stream=FakeSpeaker(48_000),
        ) as pipeline,
    ):
        cold = await _spoken_turn(pipeline, microphone, speeches[COMMANDS[0]])
        print(f"voice: first turn (voice and models warming up): {_ms(cold.timeline):.0f} ms")
        timelines: dict[str, list[Timeline]] = {command: [] for command in COMMANDS}
        for run in range(runs):
            for command, wav in speeches.items():
                turn = await _spoken_turn(pipeline, microphone, wav)
                timelines[command].append(turn.timeline)
                if run == 0:
                    print(f'voice: "{command}" heard as {turn.text!r} → {", ".join(turn.tools())}')
    _report(timelines)


def _report(timelines: dict[str, list[Timeline]]) -> None:
    everything = [timeline for runs in timelines.values() for timeline in runs]
    for command, runs in timelines.items():
        print_row(f'voice: speech end → first audio, "{command}"', [_ms(t) for t in runs])
    latencies = [_ms(timeline) for timeline in everything]
    print_row("voice: speech end → first audio, all", latencies, target="≤ 1000 ms")
    others = [_ms(t) - t.breakdown().get("stt", 0.0) * 1000 for t in everything]
    print_row("voice: the same without transcription", others)
    for segment in SEGMENTS.values():
        samples = [t.breakdown()[segment] * 1000 for t in everything if segment in t.breakdown()]
        if samples:
            print_row(f"  {segment}", samples)


def _ms(timeline: Timeline) -> float:
    return (timeline.latency or 0.0) * 1000


def _transcription(transcriber: Transcriber, runs: int, folder: Path) -> None:
    samples = vad.trim(read_wav(_speak(folder, THREE_SECONDS))[0])
    audio = len(samples) / CAPTURE_RATE
    seconds: list[float] = []
    text = ""
    for _ in range(runs):
        started = time.perf_counter()
        text = transcriber.transcribe(samples).text
        seconds.append(time.perf_counter() - started)
    print_row(
        f"stt: transcribe a {audio:.1f} s command", [s * 1000 for s in seconds], target="≤ 600 ms"
    )
    print_row("stt: real-time factor", [s / audio for s in seconds], unit="x ")
    print(f"stt: heard {text.strip()!r}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="few runs (smoke test)")
    args = parser.parse_args(argv)
    for tool in ("espeak-ng", "sox"):
        if shutil.which(tool) is None:
            raise SystemExit(f"{tool} is needed to make the test speech")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    runs = 1 if args.quick else 10
    print(f"voice: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}")
    transcriber = Transcriber.from_settings(SETTINGS)
    transcriber.start_loading()
    transcriber.wait_ready()
    with (
        tempfile.TemporaryDirectory(prefix="luma-speech-") as folder,
        _demo_workspace() as workspace,
    ):
        asyncio.run(_measure(workspace, transcriber, runs, Path(folder)))
        _transcription(transcriber, 1 if args.quick else 20, Path(folder))


if __name__ == "__main__":
    main()
