"""What the voice pipeline reports: its state, each turn's record and per-stage timestamps.

Every turn of the pipeline is a :class:`VoiceTurn` carrying a :class:`Timeline`. Stages are
marked with ``time.monotonic()`` as they happen (the first mark of a stage wins), logged at
DEBUG when the turn ends and handed to observers in :class:`TurnFinished`; the latency
benchmark reads its figures from them. Observers receive the :data:`PipelineEvent` items.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Literal

from luma_desktop.assistant.events import Event, ToolStarted
from luma_desktop.errors import LumaError

from .playback import PlaybackResult
from .stt import Transcript

__all__ = [
    "CHAIN",
    "SEGMENTS",
    "STAGES",
    "Heard",
    "InputLevel",
    "Notice",
    "NoticeKind",
    "Observer",
    "PipelineEvent",
    "StateChanged",
    "Timeline",
    "TurnFinished",
    "VoiceState",
    "VoiceTurn",
]

STAGES: dict[str, str] = {
    "listen_start": "listening started (key down)",
    "speech_end": "the end of the request was decided (key up, a pause, the length limit)",
    "capture_done": "the recording was handed over",
    "vad_done": "silence trimmed by the voice activity detector",
    "stt_ready": "the speech model was ready (at once unless it was still loading)",
    "stt_done": "the transcript was ready",
    "submitted": "the request went to the assistant (typed requests start here)",
    "first_event": "the assistant's first event",
    "first_text": "the assistant's first text",
    "first_sentence": "the first sentence to say was complete",
    "tts_first_chunk": "the voice produced its first audio",
    "first_audio_out": "the first sample went to the speaker",
    "turn_complete": "the assistant's turn ended",
    "speech_done": "speaking ended (played out, interrupted or failed)",
}
"""The stages, in the order they usually happen, and what each marks."""

CHAIN = (
    "speech_end",
    "capture_done",
    "vad_done",
    "stt_ready",
    "stt_done",
    "submitted",
    "first_text",
    "first_sentence",
    "tts_first_chunk",
    "first_audio_out",
)
"""The path from the end of speech to the first sound, in order."""

SEGMENTS: dict[str, str] = {
    "capture_done": "capture",
    "vad_done": "vad",
    "stt_ready": "model wait",
    "stt_done": "stt",
    "submitted": "hand-over",
    "first_text": "brain+tools",
    "first_sentence": "first sentence",
    "tts_first_chunk": "tts first chunk",
    "first_audio_out": "playback start",
}
"""The name of the segment of :data:`CHAIN` that ends at each stage."""


@dataclass
class Timeline:
    """The monotonic time of each stage of one turn that has happened so far."""

    turn: int = 0
    """The pipeline's turn number (1, 2, ...)."""
    marks: dict[str, float] = field(default_factory=dict)

    def mark(self, stage: str, at: float | None = None) -> None:
        """Record ``stage`` now (or ``at``, a ``time.monotonic()`` value) unless already marked."""
        if stage not in STAGES:
            raise ValueError(f"“{stage}” is not a voice turn stage ({', '.join(STAGES)}).")
        self.marks.setdefault(stage, time.monotonic() if at is None else at)

    def at(self, stage: str) -> float | None:
        """The monotonic time of ``stage``, or None when it has not happened."""
        return self.marks.get(stage)

    @property
    def origin(self) -> str | None:
        """The first stage marked (``speech_end`` for spoken requests, else the earliest)."""
        if "speech_end" in self.marks:
            return "speech_end"
        return min(self.marks, key=self.marks.__getitem__) if self.marks else None

    def since(self, stage: str, origin: str | None = None) -> float | None:
        """Seconds from ``origin`` (default :attr:`origin`) to ``stage``; None if either is
        missing."""
        start = self.marks.get(origin or self.origin or "")
        end = self.marks.get(stage)
        return None if start is None or end is None else end - start

    @property
    def latency(self) -> float | None:
        """End of speech → first audio sample out, in seconds (None when either is missing)."""
        return self.since("first_audio_out", "speech_end")

    def ordered(self) -> list[tuple[str, float]]:
        """The marked stages with their monotonic times, earliest first."""
        return sorted(self.marks.items(), key=lambda item: item[1])

    def breakdown(self) -> dict[str, float]:
        """Seconds spent in each segment of :data:`CHAIN` that happened, in order.

        A stage marked earlier than the one before it in the chain (a question spoken before
        any text, say) is left out, so the segments always add up to the time they span.
        """
        segments: dict[str, float] = {}
        previous: float | None = None
        for stage in CHAIN:
            moment = self.marks.get(stage)
            if moment is None or (previous is not None and moment < previous):
                continue
            if previous is not None:
                segments[SEGMENTS[stage]] = moment - previous
            previous = moment
        return segments

    def to_dict(self) -> dict[str, float]:
        """Milliseconds of each marked stage since :attr:`origin` (JSON-ready)."""
        origin = self.marks.get(self.origin or "", 0.0)
        return {stage: round((moment - origin) * 1000, 1) for stage, moment in self.ordered()}

    def describe(self) -> str:
        """One line for the debug log: each stage's offset, then the latency."""
        stages = ", ".join(f"{stage} {offset:+.0f} ms" for stage, offset in self.to_dict().items())
        latency = self.latency
        tail = f"; first audio {latency * 1000:.0f} ms after speech" if latency is not None else ""
        return f"turn {self.turn}: {stages}{tail}"


class VoiceState(StrEnum):
    """What the pipeline is doing (shown by the tray and the window)."""

    IDLE = "idle"
    LOADING = "loading speech model"
    LISTENING = "listening"
    TRANSCRIBING = "transcribing"
    THINKING = "thinking"
    SPEAKING = "speaking"
    ERROR = "error"


@dataclass(frozen=True, slots=True)
class StateChanged:
    state: VoiceState
    previous: VoiceState
    detail: str = ""
    """Why, for ``error`` (the message) and ``loading speech model`` (the model's state)."""


@dataclass(frozen=True, slots=True)
class InputLevel:
    """The microphone level while listening, for a meter (about 20 a second)."""

    level: float
    dbfs: float


@dataclass(frozen=True, slots=True)
class Heard:
    """What the user said, as transcribed (shown as their message)."""

    turn: int
    text: str
    audio_seconds: float


NoticeKind = Literal["not_heard", "capture", "stt", "tts", "playback", "turn"]


@dataclass(frozen=True, slots=True)
class Notice:
    """Something the user should know: nothing was heard, or a voice part failed (``error``).
    Failures are noticed once until that part works again."""

    kind: NoticeKind
    message: str
    error: LumaError | None = None


@dataclass
class VoiceTurn:
    """One request handled by the pipeline, spoken or typed (:meth:`VoicePipeline.ask`)."""

    number: int
    source: Literal["voice", "text"]
    timeline: Timeline
    text: str = ""
    """The transcript (or the typed text)."""
    transcript: Transcript | None = None
    """The transcriber's full result (spoken requests)."""
    events: list[Event] = field(default_factory=list)
    spoken: list[str] = field(default_factory=list)
    """The sentences handed to the voice."""
    playback: PlaybackResult | None = None
    outcome: Literal["running", "answered", "not_heard", "failed"] = "running"
    interrupted: bool = False
    """Barge-in (or a newer request) silenced it."""
    error: LumaError | None = None
    phase: VoiceState | None = None
    """Its current step while it runs (loading, transcribing, thinking); None when done."""

    def tools(self) -> list[str]:
        """The tools its events say were started, in order."""
        return [event.tool for event in self.events if isinstance(event, ToolStarted)]


@dataclass(frozen=True, slots=True)
class TurnFinished:
    turn: VoiceTurn


PipelineEvent = StateChanged | InputLevel | Heard | Notice | TurnFinished | Event
Observer = Callable[[PipelineEvent], None]
