"""A voice with a stand-in: ElevenLabs first, the OS voice when it fails.

* The primary fails before any audio → the same text is spoken by the fallback, and the first
  time this happens in the session one notice goes out ("ElevenLabs is unavailable (the API
  key was refused); using the system voice.").
* A failure that will not heal (refused key, used-up quota, unknown voice, rejected request)
  stops the primary for the rest of the session; a passing one (unreachable, busy, server
  error) skips it for ``cooldown`` seconds, then it is tried again.
* The primary fails after its audio started → what was said stays said and the rest of that
  sentence is dropped: speaking the whole sentence again in another voice would repeat words.
  The next sentence tries the primary again.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator

from ...errors import VoiceError
from ..audio import AudioChunk
from .base import Voice, VoiceServiceError

__all__ = ["FallbackVoice"]

log = logging.getLogger(__name__)

_PERMANENT = frozenset({"auth", "quota", "voice", "rejected"})


class FallbackVoice(Voice):
    """``primary`` while it works, ``fallback`` otherwise; ``on_notice`` hears the one notice."""

    def __init__(
        self,
        primary: Voice,
        fallback: Voice,
        *,
        on_notice: Callable[[str], None] | None = None,
        cooldown: float = 60.0,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.primary, self.fallback = primary, fallback
        self.name, self.label = primary.name, primary.label
        self.on_notice = on_notice
        self.cooldown = cooldown
        self.notices: list[str] = []
        """The notices given (at most one)."""
        self.last_failure: VoiceError | None = None
        self._monotonic = monotonic
        self._lock = threading.Lock()
        self._disabled = False
        self._resting_until = 0.0

    @property
    def active(self) -> Voice:
        """The voice the next sentence starts with."""
        with self._lock:
            usable = not self._disabled and self._monotonic() >= self._resting_until
        return self.primary if usable else self.fallback

    def close(self) -> None:
        self.primary.close()
        self.fallback.close()

    def _synthesize(self, text: str) -> Iterator[AudioChunk]:
        if self.active is self.primary:
            produced = False
            try:
                for chunk in self.primary.synthesize(text):
                    produced = True
                    yield chunk
                return
            except VoiceError as failure:
                if produced:
                    log.warning("%s broke off mid-sentence: %s", self.primary.label, failure)
                    return
                self._failed(failure)
        yield from self.fallback.synthesize(text)

    def _failed(self, failure: VoiceError) -> None:
        """Rest or stop the primary, and give the session's one notice."""
        reason = failure.reason if isinstance(failure, VoiceServiceError) else "server"
        brief = failure.brief if isinstance(failure, VoiceServiceError) else failure.message
        with self._lock:
            self.last_failure = failure
            if reason in _PERMANENT:
                self._disabled = True
            else:
                self._resting_until = self._monotonic() + self.cooldown
            first = not self.notices
            if first:
                self.notices.append(
                    f"{self.primary.label} is unavailable ({brief}); using {self.fallback.label}."
                )
        log.warning("%s failed (%s); using %s", self.primary.label, failure, self.fallback.label)
        if first and self.on_notice is not None:
            self.on_notice(self.notices[0])
