"""Shared voice fixtures: espeak-ng speech made once per session, the spoken command set, and
one loaded faster-whisper ``tiny.en`` transcriber for the whole session."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from luma_desktop.voice.audio import CAPTURE_RATE
from luma_desktop.voice.stt import Transcriber

__all__ = [
    "COMMANDS_FILE",
    "PAD_SECONDS",
    "SpokenCommand",
    "load_commands",
    "synthesize",
]

COMMANDS_FILE = Path(__file__).parent / "data" / "commands.yaml"

VOICE = "en-us"
"""espeak-ng's American English voice: recognised best of the English voices tried."""
WORDS_PER_MINUTE = 140
WORD_GAP = 8
"""Pause between words, in 10 ms units: careful dictation (espeak's run-together words at 175
wpm and no gap doubled the word error rate of tiny.en)."""
PAD_SECONDS = 0.4
"""Silence before and after the words, as a trimmed push-to-talk recording keeps."""


@dataclass(frozen=True, slots=True)
class SpokenCommand:
    """One command of ``data/commands.yaml``."""

    id: str
    text: str
    """The reference transcript."""
    say: str
    """What espeak-ng reads."""
    names: tuple[str, ...] = ()
    """Names from the demo workspace said in the command."""
    quick: bool = False
    """Part of the small set the unit tests transcribe."""


def load_commands(path: Path = COMMANDS_FILE) -> list[SpokenCommand]:
    """The spoken command set."""
    items = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [
        SpokenCommand(
            id=item["id"],
            text=item["text"],
            say=item.get("say", item["text"]),
            names=tuple(item.get("names", ())),
            quick=bool(item.get("quick", False)),
        )
        for item in items
    ]


def synthesize(text: str, target: Path) -> Path:
    """``text`` said by espeak-ng, written to ``target`` as 16 kHz mono 16-bit WAV (sox) with
    :data:`PAD_SECONDS` of silence either side. Without dither (``-D``), so the same text
    gives the same samples every time (sox's random dither changed borderline transcripts)."""
    raw = target.with_name(target.stem + ".espeak.wav")
    speak = ["espeak-ng", "-v", VOICE, "-s", str(WORDS_PER_MINUTE), "-g", str(WORD_GAP)]
    subprocess.run([*speak, "-w", str(raw), text], check=True, capture_output=True)
    convert = ["sox", "-G", "-D", str(raw), "-r", str(CAPTURE_RATE), "-c", "1", "-b", "16"]
    pad = ["pad", str(PAD_SECONDS), str(PAD_SECONDS)]
    subprocess.run([*convert, str(target), *pad], check=True, capture_output=True)
    raw.unlink()
    return target


@pytest.fixture(scope="session")
def speech_wav(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], Path]:
    """``speech_wav(text)``: a WAV of ``text`` spoken by espeak-ng (made once per session)."""
    for tool in ("espeak-ng", "sox"):
        if shutil.which(tool) is None:
            pytest.skip(f"{tool} is not installed (Debian: apt-get install espeak-ng sox)")
    folder = tmp_path_factory.mktemp("spoken")
    made: dict[str, Path] = {}

    def make(text: str) -> Path:
        if text not in made:
            made[text] = synthesize(text, folder / f"{len(made):03d}.wav")
        return made[text]

    return make


@pytest.fixture(scope="session")
def transcriber() -> Transcriber:
    """faster-whisper with the shipped ``tiny.en`` model, loaded once for the session."""
    loaded = Transcriber()
    loaded.start_loading()
    assert loaded.wait_ready(120), loaded.state
    return loaded


@pytest.fixture(scope="session")
def spoken_commands() -> list[SpokenCommand]:
    return load_commands()
