"""``luma say``: real espeak-ng speech written to WAV files, ElevenLabs through the fake server,
and clear errors when there is nothing to say or no speaker."""

from __future__ import annotations

import wave
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from luma_desktop.cli import main
from luma_desktop.cli._app import app
from luma_desktop.cli.say import register
from luma_desktop.voice.tts.system import espeak_binary

from .fakes.elevenlabs_server import FakeElevenLabsServer, tone

register(app)
runner = CliRunner()

pytestmark = pytest.mark.skipif(espeak_binary() is None, reason="espeak-ng is not installed")


def say(*args: str, stdin: str | None = None) -> tuple[str, str]:
    result = runner.invoke(app, ["say", *args], input=stdin)
    assert result.exit_code == 0, result.output
    return " ".join(result.stdout.split()), " ".join(result.stderr.split())


def read(path: Path) -> tuple[np.ndarray, int]:
    with wave.open(str(path), "rb") as source:
        assert (source.getnchannels(), source.getsampwidth()) == (1, 2)
        rate = source.getframerate()
        samples = np.frombuffer(source.readframes(source.getnframes()), dtype="<i2")
    return samples.astype(np.float32) / 32768, rate


def failing(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    assert main(["say", *args]) == 2
    return " ".join(capsys.readouterr().err.split())


def test_out_writes_a_wav_of_real_speech(tmp_path):
    out = tmp_path / "speech.wav"
    stdout, _ = say("Invoice 42 for £1,240.50 to Alpine Tech. Shall I send it?", "--out", str(out))
    samples, rate = read(out)
    seconds = len(samples) / rate
    assert rate == 22050
    assert 3 < seconds < 12
    assert float(np.sqrt(np.mean(samples**2))) > 0.02
    assert float(np.abs(samples).max()) > 0.2
    assert stdout == f"Wrote {out} ({seconds:.1f} s of speech, the system voice)."


def test_the_text_is_made_speakable_first(tmp_path):
    """ "£500" is said as "500 pounds", not "pound five hundred"."""
    say("It costs £500.", "--out", str(tmp_path / "symbol.wav"))
    say("It costs 500 pounds.", "--out", str(tmp_path / "words.wav"))
    symbol, _ = read(tmp_path / "symbol.wav")
    words, _ = read(tmp_path / "words.wav")
    assert len(symbol) == pytest.approx(len(words), abs=500)


def test_the_text_can_come_from_stdin(tmp_path):
    out = tmp_path / "stdin.wav"
    say("-", "--out", str(out), stdin="Hello from a pipe.\n")
    samples, rate = read(out)
    assert 0.8 < len(samples) / rate < 4


@pytest.fixture
def eleven_server(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeElevenLabsServer]:
    server = FakeElevenLabsServer(api_key="test-key")
    with server as base_url:
        monkeypatch.setenv("LUMA_ELEVENLABS_BASE_URL", base_url)
        yield server


def test_elevenlabs_speaks_each_sentence_through_the_api(tmp_path, eleven_server, monkeypatch):
    monkeypatch.setenv("ELEVENLABS_API_KEY", "test-key")
    out = tmp_path / "eleven.wav"
    stdout, stderr = say(
        "Invoice 42 costs £12.50. Send it?", "--voice", "elevenlabs", "--out", str(out)
    )
    texts = [request.body["text"] for request in eleven_server.requests]
    assert texts == ["Invoice 42 costs 12 pounds 50.", "Send it?"]
    with wave.open(str(out), "rb") as source:
        pcm = source.readframes(source.getnframes())
    assert pcm == b"".join(tone(text, 22050) for text in texts)
    assert stdout.endswith("s of speech, ElevenLabs).")
    assert stderr == ""


def test_a_refused_elevenlabs_key_falls_back_with_one_notice(tmp_path, eleven_server, monkeypatch):
    monkeypatch.setenv("ELEVENLABS_API_KEY", "wrong-key")
    out = tmp_path / "fallback.wav"
    stdout, stderr = say(
        "First sentence. Second sentence.", "--voice", "elevenlabs", "--out", str(out)
    )
    assert stderr == (
        "Note: ElevenLabs is unavailable (the API key was refused); using the system voice."
    )
    assert len(eleven_server.requests) == 1
    samples, rate = read(out)
    assert len(samples) / rate > 1.5
    assert stdout.endswith("s of speech, the system voice).")


def test_without_out_and_without_a_speaker_the_error_suggests_out(capsys, monkeypatch):
    monkeypatch.setenv("LUMA_VOICE_OUTPUT_DEVICE", "no-such-speaker")
    err = failing(capsys, "Hello there")
    assert 'luma say "…" --out speech.wav' in err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        pytest.param(["   "], "There is nothing to say", id="blank"),
        pytest.param(["```\ncode only\n```"], "There is nothing to say", id="code-only"),
        pytest.param(["Hi", "--voice", "robot"], "“robot” is not a voice", id="unknown-voice"),
    ],
)
def test_bad_input_is_refused_clearly(capsys, tmp_path, args, message):
    out = tmp_path / "never.wav"
    assert message in failing(capsys, *args, "--out", str(out))
    assert not out.exists()


def test_an_unwritable_file_is_named(capsys, tmp_path):
    out = tmp_path / "missing-folder" / "speech.wav"
    err = failing(capsys, "Hello", "--out", str(out)).replace(" ", "")  # long paths wrap
    assert f"Cannotwrite{out}:Nosuchfileordirectory." in err


def test_say_is_a_registered_command(capsys):
    assert main(["say", "--help"]) == 0
    assert "--out" in capsys.readouterr().out
