"""ElevenLabs through its official SDK: streaming raw PCM, chunks handed out as they arrive.

``text_to_speech.stream(voice_id, text=..., model_id=..., output_format="pcm_22050")`` answers
with headerless 16-bit little-endian mono PCM (the ``pcm_*`` formats; 44.1 kHz needs a Pro
plan, so 22.05 kHz is the default: the same rate as espeak-ng). The SDK does not retry a
stream, and neither do we: for conversation a quick fallback beats a slow retry. Every failure
is a :class:`VoiceServiceError` saying whether it is worth trying again.
"""

from __future__ import annotations

from collections.abc import Generator, Iterator
from typing import TYPE_CHECKING, Any, cast

from ...credentials import get_secret
from ..audio import AudioChunk
from .base import FailureReason, Voice, VoiceServiceError

if TYPE_CHECKING:
    import httpx

    from ...settings import LumaSettings

__all__ = ["API_KEY_NAME", "DEFAULT_BASE_URL", "PCM_RATES", "ElevenLabsVoice"]

API_KEY_NAME = "ELEVENLABS_API_KEY"
DEFAULT_BASE_URL = "https://api.elevenlabs.io"
PCM_RATES = (8000, 16000, 22050, 24000, 32000, 44100, 48000)
"""Sample rates of the raw PCM output formats (``pcm_<rate>``)."""


class ElevenLabsVoice(Voice):
    """An ElevenLabs voice; ``timeout`` bounds the wait to connect and for each piece of
    audio (seconds)."""

    name = "elevenlabs"
    label = "ElevenLabs"

    def __init__(
        self,
        api_key: str,
        *,
        voice_id: str,
        model_id: str,
        base_url: str | None = None,
        sample_rate: int = 22050,
        timeout: float = 10.0,
    ) -> None:
        import httpx
        from elevenlabs.client import ElevenLabs

        if sample_rate not in PCM_RATES:
            raise ValueError(f"ElevenLabs has no PCM format at {sample_rate} Hz.")
        self.voice_id, self.model_id, self.sample_rate = voice_id, model_id, sample_rate
        self.timeout = timeout
        self.base_url = (base_url or DEFAULT_BASE_URL).rstrip("/")
        self._http = httpx.Client(timeout=timeout)
        self._client = ElevenLabs(
            api_key=api_key, base_url=self.base_url, timeout=timeout, httpx_client=self._http
        )

    @classmethod
    def from_settings(cls, settings: LumaSettings, **options: Any) -> ElevenLabsVoice:
        """The configured voice, with the key from the environment or the OS keyring."""
        api_key = get_secret(API_KEY_NAME)
        if not api_key:
            raise VoiceServiceError(
                f"ElevenLabs needs an API key: set {API_KEY_NAME} (`luma keys set "
                f"{API_KEY_NAME}`), or set tts_engine to system.",
                reason="auth",
                retryable=False,
                brief=f"{API_KEY_NAME} is not set",
            )
        return cls(
            api_key,
            voice_id=settings.elevenlabs_voice_id,
            model_id=settings.elevenlabs_model,
            base_url=settings.elevenlabs_base_url,
            **options,
        )

    @property
    def output_format(self) -> str:
        return f"pcm_{self.sample_rate}"

    def close(self) -> None:
        self._http.close()

    def _synthesize(self, text: str) -> Iterator[AudioChunk]:
        import httpx
        from elevenlabs.core import ApiError

        started = False
        carry = b""
        pieces = cast(
            Generator[bytes, None, None],
            self._client.text_to_speech.stream(
                self.voice_id, text=text, model_id=self.model_id, output_format=self.output_format
            ),
        )
        try:
            for piece in pieces:
                pcm = carry + piece
                whole = len(pcm) - len(pcm) % 2
                carry = pcm[whole:]
                if whole:
                    started = True
                    yield AudioChunk(pcm[:whole], self.sample_rate)
        except ApiError as exc:
            raise self._refused(exc) from exc
        except httpx.HTTPError as exc:
            raise self._broken(exc, started=started) from exc
        finally:
            pieces.close()

    def _refused(self, error: Any) -> VoiceServiceError:
        """The API answered with an error status."""
        status = int(error.status_code or 0)
        code, said = _detail(error.body)
        if status == 401 and code == "quota_exceeded":
            return _failure(
                f"Your ElevenLabs quota is used up ({said or 'no credits left'}).",
                "quota",
                "the quota is used up",
            )
        if status in (401, 403):
            return _failure(
                f"ElevenLabs refused the API key ({said or code or status}). Check "
                f"{API_KEY_NAME} (`luma keys status`) and set a valid one.",
                "auth",
                "the API key was refused",
            )
        if status == 404:
            return _failure(
                f"ElevenLabs has no voice “{self.voice_id}” ({said or 'not found'}). Set "
                "elevenlabs_voice_id to one of your voices.",
                "voice",
                "the voice was not found",
            )
        if status == 429:
            return _failure(
                f"ElevenLabs is busy or the plan's limit is reached ({said or code}); "
                "try again shortly.",
                "rate_limited",
                "too many requests",
                retryable=True,
            )
        if status >= 500:
            return _failure(
                f"ElevenLabs had a server error ({status}); try again later.",
                "server",
                f"server error {status}",
                retryable=True,
            )
        return _failure(
            f"ElevenLabs rejected the request ({status}: {said or code or 'no reason given'}). "
            "Check elevenlabs_model and elevenlabs_voice_id.",
            "rejected",
            f"request rejected ({status})",
        )

    def _broken(self, error: httpx.HTTPError, *, started: bool) -> VoiceServiceError:
        """The connection failed: before any audio (unreachable) or part-way (interrupted)."""
        import httpx

        kind = error.__class__.__name__
        if started:
            return _failure(
                f"The ElevenLabs stream broke off mid-sentence ({kind}).",
                "interrupted",
                "the stream broke off",
                retryable=True,
            )
        if isinstance(error, httpx.TimeoutException):
            return _failure(
                f"ElevenLabs at {self.base_url} did not answer within {self.timeout:g} s "
                f"({kind}). Check the internet connection, or elevenlabs_base_url.",
                "unreachable",
                "no answer in time",
                retryable=True,
            )
        return _failure(
            f"ElevenLabs cannot be reached at {self.base_url} ({kind}). Check the internet "
            "connection, or elevenlabs_base_url.",
            "unreachable",
            "cannot be reached",
            retryable=True,
        )


def _failure(
    message: str, reason: FailureReason, brief: str, *, retryable: bool = False
) -> VoiceServiceError:
    return VoiceServiceError(message, reason=reason, retryable=retryable, brief=brief)


def _detail(body: Any) -> tuple[str, str]:
    """``(status, message)`` of an ElevenLabs error body ``{"detail": {...}}``."""
    detail = body.get("detail") if isinstance(body, dict) else None
    if isinstance(detail, dict):
        return str(detail.get("status") or ""), str(detail.get("message") or "")
    if isinstance(detail, str):
        return "", detail
    return "", ""
