"""The voice pipeline: push-to-talk → VAD → speech-to-text → assistant turn → speech out.

:class:`VoicePipeline` ties the voice parts to the assistant, with no Qt: the desktop app and
``luma listen`` drive it with :meth:`~VoicePipeline.press` / :meth:`~VoicePipeline.release`
(hold mode) or :meth:`~VoicePipeline.toggle`, and follow it through observers, which receive
on the pipeline's event loop: :class:`StateChanged`, :class:`InputLevel`, :class:`Heard`, the
assistant's own events (so a window shows the spoken turn like a typed one), :class:`Notice`
and :class:`TurnFinished` (with the turn's :class:`~._timeline.Timeline`).

Per utterance: the recording is trimmed by the VAD (nothing left → "I didn't catch that", no
assistant turn), transcribed with the business's vocabulary (waiting, visibly, while the model
still loads), sent to the assistant — which also takes spoken answers to its questions ("yes",
"the second one", a name) — and its events are spoken as they stream: sentence by sentence,
cards as short summaries (:class:`~.speakable.EventSpeech`). Pressing while Luma speaks stops
the speech at once (barge-in) and listens; the microphone is muted while Luma speaks. Recorder
stops, VAD, transcription and synthesis run in threads; failures become one notice each and
Luma keeps working by text.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncIterable, AsyncIterator, Callable, Coroutine
from typing import TYPE_CHECKING, Any, Literal, Protocol, runtime_checkable

import numpy as np

from luma_desktop.assistant.events import (
    ActionExecuted,
    Event,
    TextDelta,
    TurnComplete,
)
from luma_desktop.errors import LumaError, VoiceError
from luma_desktop.settings import LumaSettings

from . import vad
from ._timeline import (
    Heard,
    InputLevel,
    Notice,
    NoticeKind,
    Observer,
    PipelineEvent,
    StateChanged,
    Timeline,
    TurnFinished,
    VoiceState,
    VoiceTurn,
)
from .audio import CAPTURE_RATE, AudioChunk, Samples
from .capture import LevelEvent, Recorder, Utterance
from .playback import PlaybackResult, Player
from .speakable import EventSpeech
from .stt import SpeechToText, Transcriber

if TYPE_CHECKING:
    from .streams import InputStreamFactory, OutputStreamFactory
    from .tts import Voice
    from .vocabulary import Vocabulary

__all__ = [
    "NOT_HEARD",
    "Heard",
    "InputLevel",
    "Notice",
    "NoticeKind",
    "Observer",
    "PipelineEvent",
    "Respond",
    "StateChanged",
    "TurnFinished",
    "VoicePipeline",
    "VoiceState",
    "VoiceTurn",
]

log = logging.getLogger(__name__)

NOT_HEARD = "I didn't catch that. Hold the key while you speak, then let go."
_WAIT_STEP = 0.25
"""Seconds a worker thread blocks before checking whether the pipeline closed."""
_MODEL_PATIENCE = 600.0
"""Seconds a request waits for the speech model to finish loading."""


Respond = Callable[[str], AsyncIterator[Event]]
"""Text in, the assistant's turn events out (``Assistant.send``)."""


@runtime_checkable
class _Conversational(Protocol):
    def send(self, text: str) -> AsyncIterator[Event]: ...


class VoicePipeline:
    """Push-to-talk conversations with an assistant (``async with`` it, or :meth:`start` and
    :meth:`aclose`). ``assistant`` is an :class:`~luma_desktop.assistant.Assistant` or any
    ``text → events`` callable. The parts default to what ``settings`` describe; tests pass
    fake streams (``input_stream``, ``output_stream``) or whole parts."""

    def __init__(
        self,
        settings: LumaSettings,
        assistant: _Conversational | Respond,
        *,
        transcriber: SpeechToText | None = None,
        voice: Voice | None = None,
        recorder: Recorder | None = None,
        player: Player | None = None,
        input_stream: InputStreamFactory | None = None,
        output_stream: OutputStreamFactory | None = None,
        vocabulary: Callable[[], Vocabulary] | None = None,
    ) -> None:
        self.settings = settings
        self._respond: Respond = (
            assistant.send if isinstance(assistant, _Conversational) else assistant
        )
        self._vocabulary_source = vocabulary or _vocabulary_of(assistant)
        self._vocabulary: Vocabulary | None = None
        self._vocabulary_stale = True
        self._observers: list[Observer] = []
        self.recorder = recorder or self._make_recorder(input_stream)
        self.player = player or Player.from_settings(
            settings, **({"stream_factory": output_stream} if output_stream else {})
        )
        self._hook_player(self.player)
        self._owns_voice = voice is None
        self.voice = voice if voice is not None else self._make_voice()
        self.transcriber = transcriber or Transcriber.from_settings(settings)
        self._state, self._detail = VoiceState.IDLE, ""
        self.turns: list[VoiceTurn] = []
        """Finished turns, oldest first (the last 50)."""
        self.input_error: VoiceError | None = None
        """Why the microphone cannot be used, until a recording starts."""
        self._loop: asyncio.AbstractEventLoop | None = None
        self._commands: asyncio.Queue[str] | None = None
        self._tasks: set[asyncio.Task[Any]] = set()
        self._control_task: asyncio.Task[Any] | None = None
        self._ending: asyncio.Future[Utterance | None] | None = None
        self._active: list[VoiceTurn] = []
        self._speeches: dict[int, _Speech] = {}
        self._audible: _Speech | None = None
        self._listening = self._speaking = self._model_loading = self._closed = False
        self._error: LumaError | None = None
        self._noticed: dict[str, str] = {}
        self._numbers = iter(range(1, 1 << 62))

    # -- lifecycle ----------------------------------------------------------------------------

    async def start(self) -> None:
        """Bind to the running loop and start loading the speech model in the background."""
        if self._loop is not None:
            return
        self._loop = asyncio.get_running_loop()
        self._commands = asyncio.Queue()
        self._control_task = self._spawn(self._control())
        self._model_loading = not self.transcriber.ready
        if self._model_loading:
            self.transcriber.start_loading()
            self._spawn(self._watch_model())
        self._spawn(self._warm_up())
        self._refresh()

    async def aclose(self) -> None:
        """Stop listening and speaking, and release the devices."""
        if self._closed:
            return
        self._closed = True
        self._interrupt()
        await asyncio.to_thread(self.recorder.cancel)
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        await asyncio.to_thread(self.player.close)
        if self._owns_voice:
            self.voice.close()

    async def __aenter__(self) -> VoicePipeline:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    def subscribe(self, observer: Observer) -> Callable[[], None]:
        """Call ``observer(item)`` for everything the pipeline reports; returns an unsubscribe."""
        self._observers.append(observer)
        return lambda: self._observers.remove(observer) if observer in self._observers else None

    @property
    def state(self) -> VoiceState:
        """What the pipeline is doing now (observers get :class:`StateChanged`)."""
        return self._state

    @property
    def detail(self) -> str:
        """Why, in the ``error`` and ``loading speech model`` states."""
        return self._detail

    @property
    def last_turn(self) -> VoiceTurn | None:
        return self.turns[-1] if self.turns else None

    async def settled(self) -> None:
        """Wait until every command, recording, turn and speech in flight has finished."""
        assert self._commands is not None, "start the pipeline first"
        while True:
            await self._commands.join()
            busy = [task for task in self._tasks if task is not self._control_task]
            if busy:
                await asyncio.wait(busy, return_when=asyncio.FIRST_COMPLETED)
            elif self._commands.empty():
                return
            else:
                await asyncio.sleep(0)  # a command on its way from another thread

    # -- push-to-talk (thread-safe, return at once) -------------------------------------------

    def press(self) -> None:
        """Key down: stop Luma speaking (barge-in) and listen."""
        self._command("press")

    def release(self) -> None:
        """Key up: end the request and answer it."""
        self._command("release")

    def toggle(self) -> None:
        """Toggle mode: listen if idle, else end the request (a pause ends it too)."""
        self._command("toggle")

    def cancel(self) -> None:
        """Drop the request being recorded, and stop speaking."""
        self._command("cancel")

    async def ask(self, text: str) -> VoiceTurn:
        """A typed request answered out loud (and shown to observers like a spoken one)."""
        self._interrupt()
        turn = self._new_turn("text")
        turn.text = text
        await self._run_turn(turn, self._answer(turn))
        return turn

    # -- control ------------------------------------------------------------------------------

    def _command(self, name: str) -> None:
        loop, commands = self._loop, self._commands
        if loop is None or commands is None:
            raise RuntimeError("Start the voice pipeline (await pipeline.start()) first.")
        if not self._closed:
            loop.call_soon_threadsafe(commands.put_nowait, name)

    async def _control(self) -> None:
        """Runs the push-to-talk commands one at a time, in the order they came."""
        assert self._commands is not None
        while True:
            name = await self._commands.get()
            try:
                if name == "press" or (name == "toggle" and not self._listening):
                    await self._press()
                elif name in ("release", "toggle"):
                    await self._end_recording(self.recorder.stop)
                elif name == "cancel":
                    self._interrupt()
                    await self._end_recording(self.recorder.cancel)
            except Exception:
                log.exception("push-to-talk %s failed", name)
            finally:
                self._commands.task_done()

    async def _press(self) -> None:
        if self._listening:
            return
        self._listening = True  # shown at once: the key is down
        self._interrupt()
        self._refresh()
        await asyncio.to_thread(self.player.stop)  # the device has stopped when this returns
        self.recorder.muted = False
        try:
            await asyncio.to_thread(self.recorder.start)
        except VoiceError as error:
            self._listening, self.input_error = False, error
            self._failed("capture", error)
            return
        self.input_error = None
        self._cleared("capture")
        ending: asyncio.Future[Utterance | None] = asyncio.get_running_loop().create_future()
        self._ending = ending
        self._refresh()
        self._spawn(self._collect(ending))
        self._spawn(self._watch_recording(ending))

    async def _end_recording(self, end: Callable[[], Utterance | None]) -> None:
        """Key up (``recorder.stop``) or cancel: the recording's end, decided now."""
        ending = self._ending
        if ending is not None:
            self._recorded(ending, await asyncio.to_thread(end))

    async def _watch_recording(self, ending: asyncio.Future[Utterance | None]) -> None:
        """The recording's end when the recorder decides it (a pause, the length limit)."""
        self._recorded(ending, await asyncio.to_thread(self._wait_for_utterance, ending))

    def _wait_for_utterance(self, ending: asyncio.Future[Utterance | None]) -> Utterance | None:
        while not (self._closed or ending.done()):
            utterance = self.recorder.wait(_WAIT_STEP)
            if utterance is not None:
                return utterance
        return None

    def _recorded(self, ending: asyncio.Future[Utterance | None], heard: Utterance | None) -> None:
        if not ending.done():
            ending.set_result(heard)
        if self._ending is ending:
            self._ending, self._listening = None, False
            self._refresh()

    async def _collect(self, ending: asyncio.Future[Utterance | None]) -> None:
        """Answer the recording once it has ended."""
        utterance = await ending
        if utterance is None or utterance.reason == "cancelled":
            return
        turn = self._new_turn("voice")
        turn.timeline.mark("listen_start", utterance.started_at)
        turn.timeline.mark("speech_end", utterance.ended_at)
        turn.timeline.mark("capture_done")
        await self._run_turn(turn, self._hear(turn, utterance))

    def _interrupt(self) -> None:
        """Barge-in: silence every turn still to speak and stop the speaker now."""
        for turn in self._active:
            speech = self._speeches.get(turn.number)
            if speech is not None and speech.silence():
                turn.interrupted = True
        self.player.stop(wait=False)

    # -- one turn -----------------------------------------------------------------------------

    def _new_turn(self, source: Literal["voice", "text"]) -> VoiceTurn:
        number = next(self._numbers)
        return VoiceTurn(number, source, Timeline(number))

    async def _run_turn(self, turn: VoiceTurn, work: Coroutine[Any, Any, None]) -> None:
        self._active.append(turn)
        try:
            await work
        except Exception as error:
            log.exception("voice turn %s failed", turn.number)
            failure = (
                error
                if isinstance(error, LumaError)
                else LumaError(
                    "Something went wrong with that request; please try again or type it."
                )
            )
            self._failed("turn", failure, turn)
        finally:
            await self._finish(turn)

    async def _finish(self, turn: VoiceTurn) -> None:
        speech = self._speeches.get(turn.number)
        if speech is not None:
            turn.playback = await speech.finish()
            turn.spoken = speech.spoken
            turn.timeline.mark("speech_done")
            del self._speeches[turn.number]
        if turn.outcome == "running":
            turn.outcome = "answered"
        turn.phase = None
        self._active.remove(turn)
        self.turns = [*self.turns[-49:], turn]
        log.debug("voice %s", turn.timeline.describe())
        self._refresh()
        self._emit(TurnFinished(turn))

    async def _hear(self, turn: VoiceTurn, utterance: Utterance) -> None:
        self._phase(turn, VoiceState.TRANSCRIBING)
        samples = await asyncio.to_thread(_trimmed, utterance.samples)
        turn.timeline.mark("vad_done")
        if samples.size and await self._transcribe(turn, samples):
            self._emit(Heard(turn.number, turn.text, len(samples) / CAPTURE_RATE))
            await self._answer(turn)
        elif turn.outcome == "running":
            self._not_heard(turn)

    async def _transcribe(self, turn: VoiceTurn, samples: Samples) -> bool:
        """Fill in the turn's transcript; False when there is none (failure, no words)."""
        if not await self._model_ready(turn):
            return False
        self._phase(turn, VoiceState.TRANSCRIBING)
        vocabulary = await self._current_vocabulary()
        try:
            transcript = await self.transcriber.transcribe_async(samples, vocabulary=vocabulary)
        except VoiceError as error:
            self._failed("stt", error, turn)
            return False
        turn.timeline.mark("stt_done")
        self._cleared("stt")
        turn.transcript, turn.text = transcript, transcript.text
        return any(character.isalnum() for character in turn.text)

    async def _model_ready(self, turn: VoiceTurn) -> bool:
        if not self.transcriber.ready:
            self._phase(turn, VoiceState.LOADING)
            await asyncio.to_thread(self._wait_for_model, _MODEL_PATIENCE)
        if self.transcriber.ready:
            turn.timeline.mark("stt_ready")
            return True
        self._failed("stt", _model_failure(self.settings, self.transcriber.state), turn)
        return False

    def _wait_for_model(self, patience: float) -> None:
        deadline = time.monotonic() + patience
        while not self._closed and time.monotonic() < deadline:
            if self.transcriber.wait_ready(_WAIT_STEP) or _failed_state(self.transcriber.state):
                return

    async def _answer(self, turn: VoiceTurn) -> None:
        """Send the request to the assistant; show and speak its events as they come."""
        self._phase(turn, VoiceState.THINKING)
        timeline, speech = turn.timeline, EventSpeech()
        timeline.mark("submitted")
        async for event in self._respond(turn.text):
            timeline.mark("first_event")
            if isinstance(event, TextDelta):
                timeline.mark("first_text")
            if isinstance(event, ActionExecuted):
                self._vocabulary_stale = True
            turn.events.append(event)
            self._emit(event)
            for sentence in speech.feed(event):
                self._say(turn, sentence)
            if isinstance(event, TurnComplete):
                timeline.mark("turn_complete")

    def _not_heard(self, turn: VoiceTurn) -> None:
        turn.outcome = "not_heard"
        self._notice("not_heard", NOT_HEARD)
        self._say(turn, "I didn't catch that.")

    def _say(self, turn: VoiceTurn, sentence: str) -> None:
        speech = self._speeches.get(turn.number)
        if speech is None:
            speech = self._speeches[turn.number] = _Speech(self, turn)
            if turn.interrupted:
                speech.silence()
        speech.say(sentence)

    def _phase(self, turn: VoiceTurn, phase: VoiceState) -> None:
        turn.phase = phase
        self._refresh()

    async def _current_vocabulary(self) -> Vocabulary | None:
        if self._vocabulary_source is None:
            return None
        if self._vocabulary_stale:
            self._vocabulary_stale = False
            try:
                self._vocabulary = await asyncio.to_thread(self._vocabulary_source)
            except Exception:  # an aid to recognition: never worth failing the request for
                log.warning("no business vocabulary for speech recognition", exc_info=True)
        return self._vocabulary

    # -- devices' callbacks (any thread) ------------------------------------------------------

    def _make_recorder(self, stream: InputStreamFactory | None) -> Recorder:
        return Recorder.from_settings(
            self.settings,
            **({"stream_factory": stream} if stream else {}),
            on_level=lambda event: self._post(self._level, event),
            on_error=lambda error: self._post(self._failed, "capture", error),
        )

    def _hook_player(self, player: Player) -> None:
        """Chain the pipeline's callbacks after any the player already has."""
        started, finished, failed = player.on_start, player.on_finish, player.on_error

        def on_start() -> None:
            self.recorder.muted = True  # before the first sample goes out
            self._post(self._audio_started, time.monotonic())
            if started is not None:
                started()

        def on_finish(result: PlaybackResult) -> None:
            self.recorder.muted = False
            self._post(self._audio_stopped)
            if finished is not None:
                finished(result)

        def on_error(error: VoiceError) -> None:
            self._post(self._failed, "playback", error)
            if failed is not None:
                failed(error)

        player.on_start, player.on_finish, player.on_error = on_start, on_finish, on_error

    def _make_voice(self) -> Voice:
        from .tts import voice_for

        def on_notice(message: str) -> None:
            self._post(self._notice, "tts", message)

        return voice_for(self.settings, on_notice=on_notice)

    def _post(self, callback: Callable[..., None], *args: Any) -> None:
        loop = self._loop
        if loop is None or loop.is_closed():
            return
        with contextlib.suppress(RuntimeError):  # the loop closed meanwhile
            if _on_loop(loop):
                callback(*args)
            else:
                loop.call_soon_threadsafe(callback, *args)

    def _level(self, event: LevelEvent) -> None:
        self._emit(InputLevel(event.level, event.dbfs))

    def _audio_started(self, at: float) -> None:
        if self._audible is not None:
            self._audible.timeline.mark("first_audio_out", at)
            self._audible.turn.phase = None  # what is left of the turn is speaking
        self._speaking = True
        self._refresh()

    def _audio_stopped(self) -> None:
        self._speaking = False
        self._refresh()

    # -- state and reports --------------------------------------------------------------------

    async def _warm_up(self) -> None:
        """Load the voice activity model now rather than on the first request."""
        try:
            await asyncio.to_thread(vad.load_model)
        except VoiceError as error:
            log.warning("the voice activity model is unavailable: %s", error)

    async def _watch_model(self) -> None:
        await asyncio.to_thread(self._wait_for_model, _MODEL_PATIENCE)
        self._model_loading = False
        if not self.transcriber.ready:
            self._failed("stt", _model_failure(self.settings, self.transcriber.state))
        self._refresh()

    def _failed(self, kind: NoticeKind, error: LumaError, turn: VoiceTurn | None = None) -> None:
        if turn is not None:
            turn.outcome, turn.error = "failed", error
        if kind in ("capture", "stt"):
            self._error = error
        self._notice(kind, error.message, error)
        self._refresh()

    def _cleared(self, kind: NoticeKind) -> None:
        self._noticed.pop(kind, None)
        if self._error is not None and getattr(self._error, "stage", None) == kind:
            self._error = None

    def _notice(self, kind: NoticeKind, message: str, error: LumaError | None = None) -> None:
        if kind != "not_heard":
            if self._noticed.get(kind) == message:
                return
            self._noticed[kind] = message
            log.warning("voice: %s", message)
        self._emit(Notice(kind, message, error))

    def _refresh(self) -> None:
        state, detail = self._compute_state()
        if (state, detail) == (self._state, self._detail):
            return
        previous, self._state, self._detail = self._state, state, detail
        self._emit(StateChanged(state, previous, detail))

    def _compute_state(self) -> tuple[VoiceState, str]:
        if self._listening:
            return VoiceState.LISTENING, ""
        if self._speaking:
            return VoiceState.SPEAKING, ""
        phases = {turn.phase for turn in self._active}
        if VoiceState.LOADING in phases or (self._model_loading and not self._closed):
            return VoiceState.LOADING, self.transcriber.state
        for phase in (VoiceState.TRANSCRIBING, VoiceState.THINKING):
            if phase in phases:
                return phase, ""
        if self._error is not None:
            return VoiceState.ERROR, self._error.message
        return VoiceState.IDLE, ""

    def _emit(self, item: PipelineEvent) -> None:
        for observer in list(self._observers):
            try:
                observer(item)
            except Exception:
                log.exception("a voice pipeline observer failed")

    def _spawn(self, work: Coroutine[Any, Any, None]) -> asyncio.Task[None]:
        task = asyncio.create_task(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task


class _Speech:
    """What one turn says: sentences → the voice (in threads) → the player, in order."""

    def __init__(self, pipeline: VoicePipeline, turn: VoiceTurn) -> None:
        self.pipeline = pipeline
        self.turn = turn
        self.timeline = turn.timeline
        self.spoken: list[str] = []
        self.silenced = False
        self._sentences: asyncio.Queue[str | None] = asyncio.Queue()
        self._task: asyncio.Task[PlaybackResult | None] | None = None

    def say(self, sentence: str) -> None:
        if self.silenced:
            return
        self.timeline.mark("first_sentence")
        self.spoken.append(sentence)
        self._sentences.put_nowait(sentence)
        if self._task is None:
            self._task = asyncio.create_task(self._play())

    def silence(self) -> bool:
        """Stop speaking (now and later); True when something was still to be said."""
        if self.silenced:
            return False
        self.silenced = True
        if self._task is None or self._task.done():
            return False
        self._task.cancel()
        return True

    async def finish(self) -> PlaybackResult | None:
        """No more sentences: wait until they have been said (or the speech was silenced)."""
        self._sentences.put_nowait(None)
        task = self._task
        if task is None:
            return None
        await asyncio.wait({task})
        return None if task.cancelled() else task.result()

    async def _play(self) -> PlaybackResult | None:
        pipeline = self.pipeline
        pipeline._audible = self
        chunks = self._marked(pipeline.voice.stream_sentences(self._queued()))
        try:
            result = await pipeline.player.play_async(chunks)
        except VoiceError as error:
            pipeline._failed("tts", error)
            return None
        except Exception:
            log.exception("speaking failed")
            return None
        if result.status == "finished" and result.frames:
            pipeline._cleared("playback")
        return result

    async def _queued(self) -> AsyncIterator[str]:
        while (sentence := await self._sentences.get()) is not None:
            yield sentence

    async def _marked(self, chunks: AsyncIterable[AudioChunk]) -> AsyncIterator[AudioChunk]:
        async for chunk in chunks:
            self.timeline.mark("tts_first_chunk")
            yield chunk


def _trimmed(samples: Samples) -> Samples:
    """The speech in ``samples`` (empty when there is none); untrimmed when the VAD fails."""
    try:
        return vad.trim(samples)
    except VoiceError as error:
        log.warning("voice activity detection failed (%s); using the whole recording", error)
        return samples if vad.rms_dbfs(samples) > -50.0 else np.zeros(0, dtype=np.float32)


def _failed_state(state: str) -> bool:
    return state.startswith("failed")


def _model_failure(settings: LumaSettings, state: str) -> VoiceError:
    """The transcriber's own reason (it names the setting to fix), or a timeout."""
    reason = state.removeprefix("failed:").strip()
    return VoiceError(
        reason
        or f"The speech model “{settings.stt_model}” did not finish loading. Check the "
        "stt_model setting (tiny.en is shipped with Luma); until then, type your request.",
        stage="stt",
    )


def _on_loop(loop: asyncio.AbstractEventLoop) -> bool:
    try:
        return asyncio.get_running_loop() is loop
    except RuntimeError:
        return False


def _vocabulary_of(assistant: object) -> Callable[[], Vocabulary] | None:
    workspace, context = getattr(assistant, "workspace", None), getattr(assistant, "context", None)
    if workspace is None or context is None:
        return None

    def load() -> Vocabulary:
        from .vocabulary import vocabulary_for

        return vocabulary_for(workspace, context)

    return load
