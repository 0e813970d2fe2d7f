"""``luma say``: speak a text with the configured voice, or write the speech to a WAV file.

``luma say "Invoice 42 is £500."`` plays it on the speaker (``voice_output_device``);
``--out speech.wav`` writes a 16-bit mono WAV instead (no sound device needed); ``--voice``
picks ``system`` or ``elevenlabs`` over the ``tts_engine`` setting. The text is made speakable
first (markdown removed, "£1,240.50" said as "1,240 pounds 50") and spoken sentence by sentence.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, cast, get_args

import typer

from ._output import console, error_console

if TYPE_CHECKING:
    from ..settings import LumaSettings
    from ..voice.audio import AudioChunk
    from ..voice.tts import Voice

__all__ = ["register", "run_say"]


def say(
    text: Annotated[str, typer.Argument(help="What to say, or - to read it from stdin.")],
    out: Annotated[
        Path | None, typer.Option("--out", help="Write a WAV file instead of playing it.")
    ] = None,
    voice: Annotated[
        str | None,
        typer.Option("--voice", help="system or elevenlabs (default: the tts_engine setting)."),
    ] = None,
) -> None:
    """Speak TEXT with the configured voice, or write it to a WAV file with --out."""
    run_say(sys.stdin.read() if text == "-" else text, out=out, voice=voice)


def register(app: typer.Typer) -> None:
    """Add ``say`` to the ``luma`` application (once)."""
    if any(command.name == "say" for command in app.registered_commands):
        return
    app.command("say")(say)


def run_say(text: str, *, out: Path | None, voice: str | None) -> None:
    from ..bootstrap import start
    from ..errors import Invalid
    from ..voice.sentences import split_sentences
    from ..voice.speakable import speakable_text
    from ..voice.tts import Engine, voice_for

    if voice is not None and voice not in get_args(Engine):
        raise Invalid(f"“{voice}” is not a voice: use system or elevenlabs.", field="voice")
    sentences = [speakable_text(sentence) for sentence in split_sentences(text)]
    if not sentences:
        raise Invalid('There is nothing to say: give some words, e.g. luma say "Hello".')
    settings = start(log_to_stderr=False).settings
    engine = cast("Engine | None", voice)
    with voice_for(settings, engine=engine, on_notice=_notice) as speaker:
        if out is not None:
            _write(out, speaker, sentences)
        else:
            _play(settings, speaker, sentences)


def _notice(message: str) -> None:
    error_console().print(f"[yellow]Note:[/] {message}")


def _speech(speaker: Voice, sentences: list[str]) -> Iterator[AudioChunk]:
    for sentence in sentences:
        yield from speaker.synthesize(sentence)


def _write(path: Path, speaker: Voice, sentences: list[str]) -> None:
    from ..errors import Invalid, VoiceError
    from ..voice.audio import write_wav

    chunks = _same_rate(list(_speech(speaker, sentences)))
    if not chunks:
        raise VoiceError(f"{speaker.label.capitalize()} made no sound.", stage="tts")
    try:
        path.open("wb").close()  # a clear error for a bad path, before the WAV writer's own
        write_wav(path, chunks)
    except OSError as error:
        raise Invalid(f"Cannot write {path}: {error.strerror or error}.", field="out") from error
    seconds = sum(chunk.seconds for chunk in chunks)
    console().print(f"Wrote {path} ({seconds:.1f} s of speech, {_spoken_by(speaker)}).")


def _spoken_by(speaker: Voice) -> str:
    from ..voice.tts import FallbackVoice

    return speaker.active.label if isinstance(speaker, FallbackVoice) else speaker.label


def _same_rate(chunks: list[AudioChunk]) -> list[AudioChunk]:
    """Chunks at the first chunk's rate (a fallback voice may speak at another)."""
    if len({chunk.sample_rate for chunk in chunks}) <= 1:
        return chunks
    from ..voice.audio import AudioChunk, float_to_pcm16, pcm16_to_float
    from ..voice.playback import resample

    rate = chunks[0].sample_rate
    return [
        chunk
        if chunk.sample_rate == rate
        else AudioChunk(
            float_to_pcm16(resample(pcm16_to_float(chunk.pcm), chunk.sample_rate, rate)), rate
        )
        for chunk in chunks
    ]


def _play(settings: LumaSettings, speaker: Voice, sentences: list[str]) -> None:
    from ..voice.playback import Player

    with Player.from_settings(settings) as player:
        playback = player.play(_speech(speaker, sentences))
        result = playback.wait()
    if playback.source_error is not None:
        raise playback.source_error
    if result is not None and result.status == "failed" and result.error is not None:
        raise _with_file_hint(result.error) from result.error


def _with_file_hint(error: Exception) -> Exception:
    """A speaker failure, with the way to keep the speech anyway."""
    from ..errors import ConfigurationError, LumaError, VoiceError

    hint = 'To keep the speech, write it to a file: luma say "…" --out speech.wav'
    if isinstance(error, ConfigurationError):
        return ConfigurationError(f"{error.message} {hint}", setting=error.setting)
    message = error.message if isinstance(error, LumaError) else f"The speaker failed ({error})."
    return VoiceError(f"{message} {hint}", stage="playback")
