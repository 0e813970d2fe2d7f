"""Voice: push-to-talk capture, speech-to-text, text-to-speech, playback and the pipeline.

Start with :class:`VoicePipeline` (see ``docs/voice.md``). Names are loaded on first use, so
``import luma_desktop.voice`` stays cheap: numpy, sounddevice, faster-whisper and the voices
load only when the part that needs them is used.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ._timeline import (
        Heard,
        InputLevel,
        Notice,
        PipelineEvent,
        StateChanged,
        Timeline,
        TurnFinished,
        VoiceState,
        VoiceTurn,
    )
    from .audio import CAPTURE_RATE, AudioChunk, Samples, read_wav, write_wav
    from .capture import Recorder, Utterance
    from .devices import AudioDevice, list_devices
    from .pipeline import VoicePipeline
    from .playback import PlaybackResult, Player
    from .sentences import SentenceSplitter
    from .speakable import EventSpeech, speakable_for
    from .streams import DeadMicrophone, FakeSpeaker, FileMicrophone
    from .stt import ScriptedTranscriber, SpeechToText, Transcriber, Transcript
    from .tts import ElevenLabsVoice, FallbackVoice, SystemVoice, Voice, voice_for
    from .vocabulary import Vocabulary, vocabulary_for

__all__ = [
    "CAPTURE_RATE",
    "AudioChunk",
    "AudioDevice",
    "DeadMicrophone",
    "ElevenLabsVoice",
    "EventSpeech",
    "FakeSpeaker",
    "FallbackVoice",
    "FileMicrophone",
    "Heard",
    "InputLevel",
    "Notice",
    "PipelineEvent",
    "PlaybackResult",
    "Player",
    "Recorder",
    "Samples",
    "ScriptedTranscriber",
    "SentenceSplitter",
    "SpeechToText",
    "StateChanged",
    "SystemVoice",
    "Timeline",
    "Transcriber",
    "Transcript",
    "TurnFinished",
    "Utterance",
    "Vocabulary",
    "Voice",
    "VoicePipeline",
    "VoiceState",
    "VoiceTurn",
    "list_devices",
    "read_wav",
    "speakable_for",
    "vocabulary_for",
    "voice_for",
    "write_wav",
]

_HOMES = {
    "._timeline": (
        "Heard",
        "InputLevel",
        "Notice",
        "PipelineEvent",
        "StateChanged",
        "Timeline",
        "TurnFinished",
        "VoiceState",
        "VoiceTurn",
    ),
    ".audio": ("CAPTURE_RATE", "AudioChunk", "Samples", "read_wav", "write_wav"),
    ".capture": ("Recorder", "Utterance"),
    ".devices": ("AudioDevice", "list_devices"),
    ".pipeline": ("VoicePipeline",),
    ".playback": ("PlaybackResult", "Player"),
    ".sentences": ("SentenceSplitter",),
    ".speakable": ("EventSpeech", "speakable_for"),
    ".streams": ("DeadMicrophone", "FakeSpeaker", "FileMicrophone"),
    ".stt": ("ScriptedTranscriber", "SpeechToText", "Transcriber", "Transcript"),
    ".tts": ("ElevenLabsVoice", "FallbackVoice", "SystemVoice", "Voice", "voice_for"),
    ".vocabulary": ("Vocabulary", "vocabulary_for"),
}
_HOME_OF = {name: module for module, names in _HOMES.items() for name in names}


def __getattr__(name: str) -> Any:
    module = _HOME_OF.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
