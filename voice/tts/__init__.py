"""Text-to-speech: the OS voice (offline default) and ElevenLabs, behind one :class:`Voice`.

``voice_for(settings)`` picks by ``tts_engine``: ``auto`` is ElevenLabs when
``ELEVENLABS_API_KEY`` is set (with the OS voice standing in when it fails), else the OS voice;
``elevenlabs`` without a key speaks with the OS voice and says so once.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Literal

from ...credentials import get_secret
from .base import CHUNK_SECONDS, FailureReason, ToneVoice, Voice, VoiceServiceError, split_pcm
from .elevenlabs import API_KEY_NAME, ElevenLabsVoice
from .fallback import FallbackVoice
from .system import SystemVoice

if TYPE_CHECKING:
    from ...settings import LumaSettings

__all__ = [
    "CHUNK_SECONDS",
    "ElevenLabsVoice",
    "Engine",
    "FailureReason",
    "FallbackVoice",
    "SystemVoice",
    "ToneVoice",
    "Voice",
    "VoiceServiceError",
    "split_pcm",
    "voice_for",
]

log = logging.getLogger(__name__)

Engine = Literal["auto", "elevenlabs", "system"]
"""The ``tts_engine`` choices."""


def voice_for(
    settings: LumaSettings,
    *,
    engine: Engine | None = None,
    on_notice: Callable[[str], None] | None = None,
) -> Voice:
    """The voice the settings ask for (``engine`` overrides ``tts_engine``)."""
    engine = engine or settings.tts_engine
    system = SystemVoice.from_settings(settings)
    if engine == "system" or (engine == "auto" and not get_secret(API_KEY_NAME)):
        return system
    try:
        primary = ElevenLabsVoice.from_settings(settings)
    except VoiceServiceError as missing:
        notice = f"{ElevenLabsVoice.label} is unavailable ({missing.brief}); using {system.label}."
        log.warning(notice)
        if on_notice is not None:
            on_notice(notice)
        return system
    return FallbackVoice(primary, system, on_notice=on_notice)
