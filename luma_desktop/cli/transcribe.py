"""``luma transcribe FILE...``: what Luma's speech model hears in recordings, and how fast.

WAV files of any rate, width and channel count are read with numpy (mixed to mono, resampled
to 16 kHz); other formats (MP3, FLAC, OGG, M4A...) are decoded by PyAV, which faster-whisper
brings, when it can. A file that cannot be read is reported and the others still run; the exit
code is then 1. A speech model that cannot load stops the command (exit code 2) with a message
naming the setting to fix.
"""

from __future__ import annotations

import json
import re
import sys
import wave
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ..errors import VoiceError
from ._output import console, error_console

if TYPE_CHECKING:
    from ..voice.audio import Samples
    from ..voice.stt import Transcript

__all__ = ["load_audio", "register", "resample", "run_transcribe"]

_RATE = 16_000
_WIDTHS = {1: "u1", 2: "<i2", 4: "<i4"}
"""numpy dtypes of WAV samples by width in bytes (24-bit is widened to 32 first)."""


def transcribe(
    files: Annotated[
        list[Path],
        typer.Argument(metavar="FILE", help="Recordings (WAV; MP3/FLAC/OGG via PyAV)."),
    ],
    model: Annotated[
        str | None,
        typer.Option(
            "--model",
            metavar="M",
            help="A faster-whisper model folder or name (default: stt_model).",
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object a file.")] = False,
) -> None:
    """Print what the speech model hears in each file, with the audio length, the time spent
    and the real-time factor."""
    raise typer.Exit(run_transcribe(files, model=model, as_json=as_json))


def register(app: typer.Typer) -> None:
    """Add ``transcribe`` to the ``luma`` application (once)."""
    if any(command.name == "transcribe" for command in app.registered_commands):
        return
    app.command("transcribe")(transcribe)


def run_transcribe(files: list[Path], *, model: str | None, as_json: bool) -> int:
    """Transcribe each file; 0 when all were read, 1 when some could not be."""
    from ..bootstrap import start
    from ..voice.stt import Transcriber

    settings = start().settings
    if model:
        settings = settings.model_copy(update={"stt_model": model})
    transcriber = Transcriber.from_settings(settings)
    transcriber.start_loading()  # loads while the first file is read
    failed = 0
    for path in files:
        try:
            samples = load_audio(path)
        except VoiceError as error:
            failed += 1
            _show_failure(path, error.message, as_json=as_json)
            continue
        # a model that cannot load raises VoiceError here: the command stops, naming the setting
        _show(path, transcriber.transcribe(samples), as_json=as_json)
    return 1 if failed else 0


def load_audio(path: Path) -> Samples:
    """A recording as 16 kHz mono float32 samples; :class:`VoiceError` (stage ``capture``)
    when it cannot be read."""
    if not path.is_file():
        raise _unreadable(f"{path} does not exist or is not a file.")
    try:
        with path.open("rb") as handle:
            is_wav = handle.read(12)[8:12] == b"WAVE"
    except OSError as error:
        raise _unreadable(f"{path} cannot be opened ({error.strerror or error}).") from error
    if is_wav:
        try:
            return _read_wav(path)
        except (wave.Error, EOFError, ValueError):
            pass  # a WAV flavour the wave module does not know (float, A-law...): try PyAV
    return _decode_with_pyav(path)


def _read_wav(path: Path) -> Samples:
    import numpy as np

    with wave.open(str(path), "rb") as source:
        width, channels = source.getsampwidth(), source.getnchannels()
        rate, frames = source.getframerate(), source.readframes(source.getnframes())
    if width == 3:  # 24-bit: widen to 32-bit little-endian
        raw = np.frombuffer(frames, dtype=np.uint8).reshape(-1, 3)
        padded = np.zeros((raw.shape[0], 4), dtype=np.uint8)
        padded[:, 1:] = raw
        frames, width = padded.tobytes(), 4
    if width not in _WIDTHS or channels < 1:
        raise ValueError(f"unsupported sample width {width}")
    data = np.frombuffer(frames, dtype=_WIDTHS[width]).astype(np.float64)
    data = (data - 128.0) / 128.0 if width == 1 else data / float(2 ** (8 * width - 1))
    mono = data.reshape(-1, channels).mean(axis=1)
    return resample(mono.astype(np.float32), rate)


def resample(samples: Samples, rate: int) -> Samples:
    """``samples`` at ``rate`` Hz → 16 kHz (low-pass filtered first when downsampling)."""
    import numpy as np

    if rate == _RATE or samples.size == 0:
        return samples.astype(np.float32)
    if rate > _RATE:
        samples = _low_pass(samples, cutoff=0.45 * _RATE / rate)
    duration = samples.size / rate
    times = np.arange(round(duration * _RATE)) / _RATE
    resampled = np.interp(times, np.arange(samples.size) / rate, samples)
    return resampled.astype(np.float32)


def _low_pass(samples: Samples, *, cutoff: float, taps: int = 101) -> Samples:
    """Windowed-sinc FIR low-pass; ``cutoff`` as a fraction of the sample rate."""
    import numpy as np

    n = np.arange(taps) - (taps - 1) / 2
    kernel = 2 * cutoff * np.sinc(2 * cutoff * n) * np.hamming(taps)
    kernel /= kernel.sum()
    return np.convolve(samples, kernel, mode="same").astype(np.float32)


def _decode_with_pyav(path: Path) -> Samples:
    import numpy as np

    advice = (
        f"Convert it to WAV first, e.g. `sox {path.name} -r 16000 -c 1 out.wav` or "
        f"`ffmpeg -i {path.name} -ar 16000 -ac 1 out.wav`."
    )
    try:
        from faster_whisper.audio import decode_audio
    except ImportError as error:
        raise _unreadable(f"{path} is not a WAV file. {advice}") from error
    try:
        samples = decode_audio(str(path), sampling_rate=_RATE)
    except Exception as error:  # PyAV raises many kinds (InvalidDataError, ValueError...)
        reason = re.sub(r"^\[Errno -?\d+\]\s*", "", str(error)).split(":")[0].strip()
        reason = reason or type(error).__name__
        raise _unreadable(f"{path} cannot be read as audio ({reason}). {advice}") from error
    return np.asarray(samples, dtype=np.float32)


def _unreadable(message: str) -> VoiceError:
    return VoiceError(message, stage="capture")


def _show(path: Path, transcript: Transcript, *, as_json: bool) -> None:
    if as_json:
        print(json.dumps({"file": str(path), **transcript.to_dict()}, ensure_ascii=False))
        sys.stdout.flush()
        return
    from rich.markup import escape

    out = console()
    out.print(
        f"[bold]{escape(str(path))}[/]  {transcript.audio_seconds:.1f} s audio, transcribed in "
        f"{transcript.seconds:.2f} s (real-time factor {transcript.real_time_factor:.2f})",
        soft_wrap=True,
    )
    text = f"  {escape(transcript.text)}" if transcript.text else "  [dim](no speech)[/]"
    out.print(text, soft_wrap=True)


def _show_failure(path: Path, message: str, *, as_json: bool) -> None:
    if as_json:
        print(json.dumps({"file": str(path), "error": message}, ensure_ascii=False))
        sys.stdout.flush()
        return
    from rich.markup import escape

    error_console().print(f"[bold red]Error:[/] {escape(message)}")
