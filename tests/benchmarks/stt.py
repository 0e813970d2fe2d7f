"""Speech-to-text figures (issue 7): faster-whisper ``tiny.en`` int8 on the CPU.

    python -m tests.benchmarks.stt [--quick]

- model load time, and the resident memory the loaded model adds (psutil RSS, in a fresh
  subprocess so nothing else is loaded);
- transcription time (p50/p95) and real-time factor for the command of the set whose audio is
  closest to 3 seconds, without and with the demo business's vocabulary (target ≤ 0.6 s on
  2 cores);
- word error rate on the synthesized command set (``tests/voice/data/commands.yaml``, spoken
  by espeak-ng) without biasing, with the vocabulary as Luma gives it (``hotwords``, one short
  sentence a term) and as a comma-separated list (the alternative), split into commands
  naming someone and plain ones, and how many of the spoken names came out right.

WER is word-level Levenshtein distance over normalised text (see :func:`normalise`) divided by
the number of reference words. ``--quick`` uses a few commands (a smoke test).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = ["normalise", "word_error_rate", "word_errors"]

# -- word error rate ---------------------------------------------------------------------------

_UNITS = [
    *("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"),
    *("eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen"),
    *("eighteen", "nineteen"),
]
_TENS = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
_NUMBER_WORDS = {word: value for value, word in enumerate(_UNITS)} | {
    word: 10 * tens for tens, word in enumerate(_TENS, start=2)
}
_SCALES = {"hundred": 100, "thousand": 1000}
_SPELLINGS = {
    "colour": "color",
    "colours": "colors",
    "cancelled": "canceled",
    "favourite": "favorite",
    "okay": "ok",
    "todo": "to do",
    "mum": "mom",
    "o'clock": "",
}
_FILLERS = {"um", "uh", "er", "erm"}


def normalise(text: str) -> list[str]:
    """Words for scoring: lower case, no punctuation, British/American spellings folded, and
    numbers as digits ("2pm", "2 p.m." and "two pm" → ``["2", "pm"]``; "two hundred and
    fifty" → ``["250"]``; "4:30" and "4.30" → ``["4", "30"]``; "£96" → ``["96", "pounds"]``)."""
    text = text.lower().replace("’", "'")
    text = re.sub(r"£\s*(\d+(?:\.\d+)?)", r"\1 pounds", text)
    text = re.sub(r"\b([ap])\.?\s?m\b\.?", r"\1m", text)
    text = re.sub(r"(\d)[:.](\d\d)\b", r"\1 \2", text)
    text = re.sub(r"(\d)([a-z])", r"\1 \2", text)
    text = re.sub(r"\b(\d+) 00\b", r"\1", text)
    text = text.replace("&", " and ").replace("-", " ")
    text = re.sub(r"'s\b", "s", text)
    text = re.sub(r"[^\w\s']", " ", text).replace("'", "")
    words = " ".join(_SPELLINGS.get(word, word) for word in text.split()).split()
    return _numbers([word for word in words if word not in _FILLERS])


def _value(word: str) -> int | None:
    return int(word) if word.isdigit() else _NUMBER_WORDS.get(word)


def _numbers(words: Sequence[str]) -> list[str]:
    """Runs of number words and digits as one number each ("twenty one" → "21")."""
    out: list[str] = []
    total: int | None = None
    for index, word in enumerate(words):
        value = _value(word)
        following = _value(words[index + 1]) if index + 1 < len(words) else None
        if value is not None and total is not None and _continues(total, value):
            total += value
        elif word in _SCALES and total is not None:
            total *= _SCALES[word]
        elif word == "and" and total is not None and total >= 100 and following is not None:
            continue
        else:
            if total is not None:
                out.append(str(total))
            total = value
            if value is None:
                out.append(word)
    if total is not None:
        out.append(str(total))
    return out


def _continues(total: int, value: int) -> bool:
    """Whether ``value`` adds to ``total`` ("twenty" + "one", "two hundred" + "fifty")."""
    if total >= 100 and total % 100 == 0:
        return value < 100
    return total >= 20 and total % 10 == 0 and value < 10


def word_errors(reference: str, hypothesis: str) -> tuple[int, int]:
    """(substitutions + deletions + insertions, reference words) after :func:`normalise`."""
    ref, hyp = normalise(reference), normalise(hypothesis)
    previous = list(range(len(hyp) + 1))
    for i, word in enumerate(ref, 1):
        current = [i]
        for j, heard in enumerate(hyp, 1):
            current.append(
                min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (word != heard))
            )
        previous = current
    return previous[-1], len(ref)


def word_error_rate(pairs: Sequence[tuple[str, str]]) -> float:
    """Corpus WER of (reference, hypothesis) pairs."""
    errors = words = 0
    for reference, hypothesis in pairs:
        wrong, count = word_errors(reference, hypothesis)
        errors, words = errors + wrong, words + count
    return errors / words if words else 0.0


# -- the measurements --------------------------------------------------------------------------


@dataclass(frozen=True)
class _Heard:
    command: Any
    text: str
    seconds: float
    audio_seconds: float


def _run(transcriber: Any, samples: dict[str, Any], commands: list[Any], bias: Any) -> list[_Heard]:
    heard = []
    for command in commands:
        transcript = transcriber.transcribe(samples[command.id], vocabulary=bias)
        heard.append(_Heard(command, transcript.text, transcript.seconds, transcript.audio_seconds))
    return heard


def _names_right(heard: list[_Heard]) -> tuple[int, int]:
    right = total = 0
    for item in heard:
        said = " ".join(normalise(item.text))
        for name in item.command.names:
            total += 1
            right += " ".join(normalise(name)) in said
    return right, total


def _report_accuracy(label: str, heard: list[_Heard], *, show: bool) -> None:
    pairs = [(h.command.text, h.text) for h in heard]
    named = [(h.command.text, h.text) for h in heard if h.command.names]
    plain = [(h.command.text, h.text) for h in heard if not h.command.names]
    right, total = _names_right(heard)
    seconds = sum(h.seconds for h in heard) / sum(h.audio_seconds for h in heard)
    for item in heard if show else ():
        wrong, _ = word_errors(item.command.text, item.text)
        if wrong:
            print(f"    {wrong} | {item.command.text} | {item.text}")
    print(
        f"WER {label:24} {word_error_rate(pairs):6.1%}   with names {word_error_rate(named):6.1%}"
        f"   plain {word_error_rate(plain):6.1%}   names right {right}/{total}   RTF {seconds:.2f}"
    )


def _timing(transcriber: Any, samples: Any, modes: list[tuple[str, Any]], runs: int) -> None:
    """Wall and CPU time per transcription, the modes interleaved so load spikes hit all."""
    from ._stats import print_row

    audio = len(samples) / 16_000
    wall: dict[str, list[float]] = {label: [] for label, _ in modes}
    cpu: dict[str, list[float]] = {label: [] for label, _ in modes}
    for _label, bias in modes:
        transcriber.transcribe(samples, vocabulary=bias)  # warm-up
    for _ in range(runs):
        for label, bias in modes:
            started, used = time.perf_counter(), time.process_time()
            transcriber.transcribe(samples, vocabulary=bias)
            wall[label].append(time.perf_counter() - started)
            cpu[label].append(time.process_time() - used)
    for label, _ in modes:
        ms = [s * 1000 for s in wall[label]]
        print_row(f"transcribe {audio:.1f} s, {label}", ms, target="≤ 600 ms")
        print_row(f"  CPU time (all threads), {label}", [s * 1000 for s in cpu[label]])
        print_row(f"  real-time factor, {label}", [s / audio for s in wall[label]], unit="x ")


def _memory_child() -> None:
    """In a fresh interpreter: RSS after importing faster-whisper, and after loading the model."""
    import psutil

    process = psutil.Process()
    base = process.memory_info().rss
    import faster_whisper  # noqa: F401

    from luma_desktop.voice.stt import Transcriber

    imported = process.memory_info().rss
    started = time.perf_counter()
    transcriber = Transcriber()
    ready = transcriber.wait_ready()
    load = time.perf_counter() - started
    loaded = process.memory_info().rss
    print(json.dumps({"base": base, "imported": imported, "loaded": loaded, "load": load}))
    if not ready:
        raise SystemExit(transcriber.state)


def _memory() -> None:
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    result = subprocess.run(
        [sys.executable, "-m", "tests.benchmarks.stt", "--memory-child"],
        capture_output=True,
        text=True,
        check=True,
        env=env,
    )
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    mib = 1024 * 1024
    print(
        f"memory: faster-whisper import +{(figures['imported'] - figures['base']) / mib:.0f} MiB, "
        f"loaded tiny.en int8 model +{(figures['loaded'] - figures['imported']) / mib:.0f} MiB "
        f"(RSS {figures['loaded'] / mib:.0f} MiB; load in a fresh process "
        f"{figures['load'] * 1000:.0f} ms)"
    )


@contextmanager
def _demo_vocabulary() -> Iterator[Any]:
    from datetime import UTC, datetime

    from luma_desktop.clock import FixedClock
    from luma_desktop.voice.vocabulary import vocabulary_for
    from luma_desktop.workspace.database import Workspace, sqlite_url
    from luma_desktop.workspace.demo import seed_demo
    from luma_desktop.workspace.services import context_for

    with tempfile.TemporaryDirectory(prefix="luma-stt-demo-") as folder:
        workspace = Workspace(sqlite_url(Path(folder)))
        try:
            workspace.upgrade()
            seed_demo(workspace, clock=FixedClock(datetime(2026, 11, 18, 14, 30, tzinfo=UTC)))
            yield vocabulary_for(workspace, context_for(workspace))
        finally:
            workspace.dispose()


def _as_list(vocabulary: Any) -> Any:
    """The same terms as one comma-separated list (the alternative Luma measured against)."""
    from luma_desktop.voice.vocabulary import Vocabulary

    class ListVocabulary(Vocabulary):
        __slots__ = ()

        def decoding_options(self) -> dict[str, str]:
            return {"hotwords": ", ".join(self.words)} if self.words else {}

    return ListVocabulary(vocabulary.words)


def _speech(commands: list[Any], folder: Path) -> dict[str, Any]:
    from luma_desktop.voice.audio import read_wav

    from ..voice.conftest import synthesize

    return {c.id: read_wav(synthesize(c.say, folder / f"{c.id}.wav"))[0] for c in commands}


def _load_time() -> Any:
    from luma_desktop.voice.stt import Transcriber

    started = time.perf_counter()
    transcriber = Transcriber()
    transcriber.start_loading()
    returned = time.perf_counter() - started
    if not transcriber.wait_ready():
        raise SystemExit(transcriber.state)
    loaded = time.perf_counter() - started
    print(
        f"model load: start_loading() returned in {returned * 1000:.1f} ms; ready after "
        f"{loaded * 1000:.0f} ms ({transcriber.cpu_threads} CPU threads)"
    )
    return transcriber


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="a few commands (smoke test)")
    parser.add_argument("--show", action="store_true", help="print each misheard command")
    parser.add_argument("--memory-child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    if args.memory_child:
        _memory_child()
        return
    for tool in ("espeak-ng", "sox"):
        if shutil.which(tool) is None:
            raise SystemExit(f"{tool} is needed to make the test speech")
    from ..voice.conftest import load_commands

    print(f"stt: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}")
    transcriber = _load_time()
    _memory()
    commands = load_commands()
    if args.quick:  # one plain command and one naming someone
        quick = [c for c in commands if c.quick]
        commands = [next(c for c in quick if not c.names), next(c for c in quick if c.names)]
    with tempfile.TemporaryDirectory(prefix="luma-stt-") as folder, _demo_vocabulary() as bias:
        print(f"vocabulary: {len(bias)} terms, {len(bias.hint)} characters")
        samples = _speech(commands, Path(folder))
        closest = min(commands, key=lambda c: abs(len(samples[c.id]) / 16_000 - 3.0))
        print(f"3-second command: “{closest.say}”")
        runs = 1 if args.quick else 12
        _timing(transcriber, samples[closest.id], [("no bias", None), ("vocabulary", bias)], runs)
        print(f"command set: {len(commands)} commands, {_words(commands)} words")
        modes: list[tuple[str, Any]] = [("no biasing", None), ("vocabulary as hotwords", bias)]
        if not args.quick:
            modes.append(("vocabulary as a list", _as_list(bias)))
        for label, mode in modes:
            _report_accuracy(label, _run(transcriber, samples, commands, mode), show=args.show)


def _words(commands: list[Any]) -> int:
    return sum(len(normalise(c.text)) for c in commands)


if __name__ == "__main__":
    main()
