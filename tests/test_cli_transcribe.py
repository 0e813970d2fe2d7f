"""``luma transcribe``: recordings in several formats through the shipped speech model, and the
files or models that cannot be used."""

from __future__ import annotations

import json
import shutil
import subprocess
import wave
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from luma_desktop.cli import main
from luma_desktop.cli._app import app
from luma_desktop.cli.transcribe import load_audio, register, resample
from luma_desktop.errors import VoiceError

from .benchmarks.stt import normalise
from .voice.conftest import synthesize

register(app)
runner = CliRunner()
BALANCE = "what's my balance"


@pytest.fixture(scope="module")
def recordings(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The same request as a 44.1 kHz stereo 24-bit WAV and as FLAC, plus files that are not
    recordings."""
    for tool in ("espeak-ng", "sox"):
        if shutil.which(tool) is None:
            pytest.skip(f"{tool} is not installed")
    folder = tmp_path_factory.mktemp("recordings")
    spoken = synthesize(BALANCE, folder / "spoken.wav")
    made = {"wav": folder / "balance-44k-stereo.wav", "flac": folder / "balance.flac"}
    convert = ["sox", str(spoken), "-r", "44100", "-c", "2", "-b", "24", str(made["wav"])]
    subprocess.run(convert, check=True, capture_output=True)
    subprocess.run(["sox", str(spoken), str(made["flac"])], check=True, capture_output=True)
    made["text"] = folder / "notes.mp3"
    made["text"].write_text("not a recording", encoding="utf-8")
    made["missing"] = folder / "missing.wav"
    return made


def heard(text: str) -> list[str]:
    return normalise(text)


def test_recordings_are_transcribed_and_bad_files_reported(recordings: dict[str, Path]) -> None:
    files = [recordings[key] for key in ("wav", "text", "flac", "missing")]

    result = runner.invoke(app, ["transcribe", *map(str, files)])

    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0].startswith(str(recordings["wav"]))
    assert "s audio, transcribed in" in lines[0]
    assert "real-time factor" in lines[0]
    assert heard(lines[1]) == heard(BALANCE)
    assert lines[2].startswith(str(recordings["flac"]))
    assert heard(lines[3]) == heard(BALANCE)
    errors = " ".join(result.stderr.split())
    assert "notes.mp3 cannot be read as audio" in errors
    assert "sox" in errors
    assert "ffmpeg" in errors
    assert "missing.wav does not exist" in errors


def test_json_gives_one_object_a_file(recordings: dict[str, Path]) -> None:
    files = [recordings["missing"], recordings["wav"]]

    result = runner.invoke(app, ["transcribe", "--json", *map(str, files)])

    assert result.exit_code == 1
    missing, found = (json.loads(line) for line in result.stdout.splitlines())
    assert missing["file"] == str(recordings["missing"])
    assert "does not exist" in missing["error"]
    assert heard(found["text"]) == heard(BALANCE)
    assert found["audio_seconds"] == pytest.approx(2.8, abs=1.0)
    assert found["seconds"] > 0
    assert found["real_time_factor"] == pytest.approx(
        found["seconds"] / found["audio_seconds"], rel=0.05
    )
    assert found["segments"][0]["text"]


def test_a_model_that_cannot_load_stops_with_the_setting_named(
    recordings: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["transcribe", "--model", str(tmp_path / "no-model"), str(recordings["wav"])])

    assert code == 2
    message = " ".join(capsys.readouterr().err.split())
    assert "stt_model" in message
    assert "no-model" in message


# -- reading audio ------------------------------------------------------------------------------


def write_wav(path: Path, frames: bytes, *, rate: int, width: int, channels: int = 1) -> Path:
    with wave.open(str(path), "wb") as target:
        target.setnchannels(channels)
        target.setsampwidth(width)
        target.setframerate(rate)
        target.writeframes(frames)
    return path


def tone(rate: int, seconds: float = 0.5, frequency: float = 440.0) -> np.ndarray:
    return 0.5 * np.sin(2 * np.pi * frequency * np.arange(round(rate * seconds)) / rate)


def dominant_frequency(samples: np.ndarray) -> float:
    spectrum = np.abs(np.fft.rfft(samples))
    return float(np.argmax(spectrum) * 16_000 / samples.size)


@pytest.mark.parametrize(
    ("width", "encode"),
    [
        pytest.param(1, lambda x: ((x * 127) + 128).astype(np.uint8).tobytes(), id="8-bit"),
        pytest.param(2, lambda x: (x * 32767).astype("<i2").tobytes(), id="16-bit"),
        pytest.param(
            3,
            lambda x: (x * 8_388_607).astype("<i4").view(np.uint8).reshape(-1, 4)[:, :3].tobytes(),
            id="24-bit",
        ),
        pytest.param(4, lambda x: (x * 2_147_483_647).astype("<i4").tobytes(), id="32-bit"),
    ],
)
def test_wav_files_of_any_width_and_rate_become_16khz_mono(
    width: int, encode: object, tmp_path: Path
) -> None:
    signal = tone(48_000)
    stereo = np.stack([signal, signal], axis=1).reshape(-1)
    path = write_wav(tmp_path / "tone.wav", encode(stereo), rate=48_000, width=width, channels=2)  # type: ignore[operator]

    samples = load_audio(path)

    assert samples.dtype == np.float32
    assert samples.size == 8_000
    assert dominant_frequency(samples) == pytest.approx(440, abs=4)
    assert float(np.max(np.abs(samples))) == pytest.approx(0.5, abs=0.03)


def test_downsampling_filters_out_what_16khz_cannot_hold() -> None:
    rate = 48_000
    high = resample(tone(rate, frequency=11_000).astype(np.float32), rate)  # would alias to 5 kHz
    kept = resample(tone(rate, frequency=1_000).astype(np.float32), rate)

    assert float(np.max(np.abs(high[200:-200]))) < 0.05
    assert float(np.max(np.abs(kept[200:-200]))) == pytest.approx(0.5, abs=0.03)


def test_upsampling_keeps_the_length_in_seconds() -> None:
    samples = resample(tone(8_000).astype(np.float32), 8_000)

    assert samples.size == 8_000
    assert dominant_frequency(samples) == pytest.approx(440, abs=4)


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        pytest.param(b"RIFF\x00\x00\x00\x00WAVEjunk", "cannot be read as audio", id="broken-wav"),
        pytest.param(b"", "cannot be read as audio", id="empty-file"),
    ],
)
def test_unreadable_files_are_refused_with_advice(
    content: bytes, expected: str, tmp_path: Path
) -> None:
    path = tmp_path / "recording.wav"
    path.write_bytes(content)

    with pytest.raises(VoiceError, match=expected) as caught:
        load_audio(path)
    assert "sox recording.wav -r 16000 -c 1 out.wav" in caught.value.message
    assert caught.value.stage == "capture"


def test_a_folder_is_not_a_recording(tmp_path: Path) -> None:
    with pytest.raises(VoiceError, match="not a file"):
        load_audio(tmp_path)
