"""The voice pipeline end to end: espeak-ng speech from a file-backed microphone through the real
VAD, faster-whisper tiny.en and the offline brain on the demo business; answers by voice,
barge-in, muting, and every way a voice part can fail while Luma keeps working by text."""

from __future__ import annotations

import asyncio
import logging
import re
import sys
import threading
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import sqlalchemy as sa

from luma_desktop.assistant.catalog import ToolRegistry
from luma_desktop.assistant.events import (
    ActionExecuted,
    ConfirmationRequired,
    DisambiguationRequired,
    ToolStarted,
    TurnComplete,
)
from luma_desktop.assistant.factory import build_assistant
from luma_desktop.assistant.orchestrator import Assistant
from luma_desktop.clock import FixedClock
from luma_desktop.errors import VoiceError
from luma_desktop.settings import LumaSettings
from luma_desktop.tools import build_registry
from luma_desktop.voice._timeline import CHAIN
from luma_desktop.voice.audio import AudioChunk
from luma_desktop.voice.capture import RecorderState
from luma_desktop.voice.pipeline import (
    NOT_HEARD,
    Heard,
    Notice,
    PipelineEvent,
    StateChanged,
    TurnFinished,
    VoicePipeline,
    VoiceState,
    VoiceTurn,
)
from luma_desktop.voice.streams import DeadMicrophone, FakeSpeaker, FileMicrophone
from luma_desktop.voice.stt import ScriptedTranscriber, Transcriber
from luma_desktop.voice.tts import ToneVoice, Voice
from luma_desktop.workspace.database import Workspace
from luma_desktop.workspace.models import Appointment, Client, Reminder

from ..fakes.elevenlabs_server import FakeElevenLabsServer

SETTINGS = LumaSettings(brain="offline", memory_enabled=False)
RATE = 16_000
SILENCE = np.zeros(RATE // 2, dtype=np.float32)


@pytest.fixture(scope="module")
def registry() -> ToolRegistry:
    return build_registry()


@pytest.fixture
async def assistant(
    demo_workspace: Workspace, registry: ToolRegistry, clock: FixedClock
) -> AsyncIterator[Assistant]:
    async with build_assistant(demo_workspace, registry, SETTINGS, clock=clock) as assistant:
        yield assistant


class Reports:
    """An observer that keeps everything the pipeline reports."""

    def __init__(self) -> None:
        self.items: list[PipelineEvent] = []

    def __call__(self, item: PipelineEvent) -> None:
        self.items.append(item)

    def of(self, kind: type[Any]) -> list[Any]:
        return [item for item in self.items if isinstance(item, kind)]

    @property
    def states(self) -> list[VoiceState]:
        return [item.state for item in self.of(StateChanged)]


Make = Callable[..., Awaitable[tuple[VoicePipeline, Reports]]]


@pytest.fixture
async def make_pipeline(assistant: Assistant, transcriber: Any) -> AsyncIterator[Make]:
    """A started pipeline on the demo assistant: a silent microphone, an instant speaker and a
    tone voice unless the test gives others."""
    made: list[VoicePipeline] = []

    async def make(
        microphone: Any = None, *, settings: LumaSettings = SETTINGS, **parts: Any
    ) -> tuple[VoicePipeline, Reports]:
        parts.setdefault("transcriber", transcriber)
        parts.setdefault("output_stream", FakeSpeaker(RATE))
        if "voice" not in parts:
            parts["voice"] = ToneVoice()
        if microphone is not None:
            parts["input_stream"] = microphone
        pipeline = VoicePipeline(settings, assistant, **parts)
        reports = Reports()
        pipeline.subscribe(reports)
        await pipeline.start()
        made.append(pipeline)
        return pipeline, reports

    yield make
    for pipeline in made:
        await pipeline.aclose()


async def until(condition: Callable[[], bool], limit: float = 30.0) -> None:
    deadline = time.monotonic() + limit
    while not condition():
        assert time.monotonic() < deadline, "timed out waiting"
        await asyncio.sleep(0.005)


async def talk(pipeline: VoicePipeline, microphone: FileMicrophone, speech: Any) -> VoiceTurn:
    """Hold the key while the microphone plays ``speech``, let go, wait for the answer."""
    microphone.source = speech
    opened = len(microphone.opened)
    pipeline.press()
    await until(lambda: len(microphone.opened) > opened and microphone.last.fed_all.is_set())
    pipeline.release()
    await pipeline.settled()
    turn = pipeline.last_turn
    assert turn is not None
    return turn


def started(turn: VoiceTurn) -> list[ToolStarted]:
    return [event for event in turn.events if isinstance(event, ToolStarted)]


def rows(workspace: Workspace, query: sa.Select[Any]) -> list[Any]:
    with workspace.transaction(None) as session:
        return list(session.execute(query).all())


def appointments_of(workspace: Workspace, first: str, last: str) -> list[datetime]:
    query = (
        sa.select(Appointment.starts_at)
        .join(Client, Client.id == Appointment.client_id)
        .where(Client.first_name == first, Client.last_name == last)
    )
    return [row[0].astimezone(UTC) for row in rows(workspace, query)]


def assert_timed_in_order(turn: VoiceTurn) -> None:
    """The turn's timeline has every stage from the end of speech to the first sound, in order."""
    marks = turn.timeline.marks
    assert set(CHAIN) <= marks.keys(), marks
    chain = [marks[stage] for stage in CHAIN]
    assert chain == sorted(chain)
    assert marks["listen_start"] <= marks["speech_end"]
    assert marks["first_event"] <= marks["turn_complete"]
    assert marks["first_audio_out"] <= marks["speech_done"]
    timeline = turn.timeline
    assert timeline.latency == pytest.approx(sum(timeline.breakdown().values()))
    assert list(timeline.breakdown())[:4] == ["capture", "vad", "model wait", "stt"]


# --- spoken requests ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "request_",
    [
        pytest.param(("what's my balance", "banking_get_balance", {}), id="balance"),
        pytest.param(
            (
                "remind me to call the dentist on friday",
                "reminders_create",
                {"text": "call the dentist", "when": "friday"},
            ),
            id="reminder",
        ),
    ],
)
async def test_a_spoken_request_runs_its_tool_and_is_timed(
    make_pipeline: Make,
    speech_wav: Callable[[str], Path],
    demo_workspace: Workspace,
    request_: tuple[str, str, dict[str, str]],
    caplog: pytest.LogCaptureFixture,
) -> None:
    said, tool, arguments = request_
    microphone = FileMicrophone(SILENCE)
    pipeline, reports = await make_pipeline(microphone)

    with caplog.at_level(logging.DEBUG, logger="luma_desktop.voice.pipeline"):
        turn = await talk(pipeline, microphone, speech_wav(said))

    assert turn.outcome == "answered"
    assert turn.text.lower().rstrip(".?!") == said
    assert [call.tool for call in started(turn)] == [tool]
    called = {key: str(value).lower() for key, value in started(turn)[0].arguments.items()}
    assert called == arguments
    assert isinstance(turn.events[-1], TurnComplete)
    heard = reports.of(Heard)
    assert [item.text for item in heard] == [turn.text]
    shown = [item for item in reports.items if item in turn.events]
    assert shown == turn.events  # observers see the same turn, in order
    assert turn.spoken
    assert turn.playback is not None
    assert turn.playback.frames > 0
    assert_timed_in_order(turn)
    assert [item.turn for item in reports.of(TurnFinished)] == [turn]
    assert any(message.startswith(f"voice turn {turn.number}: ") for message in caplog.messages)
    if tool == "reminders_create":
        due = rows(
            demo_workspace, sa.select(Reminder.due_at).where(Reminder.text == "call the dentist")
        )
        assert [row[0].astimezone(UTC).date().isoformat() for row in due] == ["2026-11-20"]
    else:
        assert turn.spoken[0].startswith("Available: ")
        assert "pounds" in turn.spoken[0]


async def test_a_booking_is_confirmed_by_voice(
    make_pipeline: Make, speech_wav: Callable[[str], Path], demo_workspace: Workspace
) -> None:
    microphone = FileMicrophone(SILENCE)
    pipeline, _ = await make_pipeline(microphone)
    booked_before = appointments_of(demo_workspace, "Sarah", "Miller")
    tomorrow_at_two = datetime(2026, 11, 19, 14, 0, tzinfo=UTC)

    asked = await talk(
        pipeline,
        microphone,
        speech_wav("book sarah miller in for a cut and blow dry tomorrow at 2pm"),
    )

    call = started(asked)[0]
    assert (call.tool, call.arguments["client"].lower()) == (
        "scheduling_create_appointment",
        "sarah miller",
    )
    assert re.sub(r"[\s.]", "", call.arguments["when"].lower()) == "tomorrowat2pm"  # "2 p.m."
    question = next(event for event in asked.events if isinstance(event, ConfirmationRequired))
    assert asked.spoken[-1].startswith("Book ")
    assert asked.spoken[-1].endswith("?")
    assert "Sarah Miller" in question.prompt
    assert appointments_of(demo_workspace, "Sarah", "Miller") == booked_before

    answered = await talk(pipeline, microphone, speech_wav("yes"))

    assert answered.text.lower().rstrip(".!") == "yes"
    done = [event for event in answered.events if isinstance(event, ActionExecuted)]
    assert [event.tool for event in done] == ["scheduling_create_appointment"]
    booked = appointments_of(demo_workspace, "Sarah", "Miller")
    assert sorted(set(booked) - set(booked_before)) == [tomorrow_at_two]
    assert answered.spoken
    assert answered.spoken[0].startswith("Booked ")


async def test_a_choice_is_answered_by_voice(
    make_pipeline: Make, speech_wav: Callable[[str], Path], demo_workspace: Workspace
) -> None:
    microphone = FileMicrophone(SILENCE)
    pipeline, _ = await make_pipeline(microphone)
    at_three = datetime(2026, 11, 19, 15, 0, tzinfo=UTC)

    typed = await pipeline.ask("book sarah for a cut and blow dry tomorrow at 3pm")
    which = next(event for event in typed.events if isinstance(event, DisambiguationRequired))
    assert {candidate.label for candidate in which.candidates} >= {"Sarah Miller", "Sarah Thompson"}
    assert typed.spoken[-1].startswith("Which Sarah:")

    chosen = await talk(pipeline, microphone, speech_wav("sarah thompson"))
    assert any(isinstance(event, ConfirmationRequired) for event in chosen.events)
    confirmed = await pipeline.ask("yes")  # a spoken "yes" is the test above

    assert [e.tool for e in confirmed.events if isinstance(e, ActionExecuted)] == [
        "scheduling_create_appointment"
    ]
    assert at_three in appointments_of(demo_workspace, "Sarah", "Thompson")
    assert at_three not in appointments_of(demo_workspace, "Sarah", "Miller")


async def test_toggle_mode_ends_the_request_at_a_pause(
    make_pipeline: Make, speech_wav: Callable[[str], Path]
) -> None:
    settings = SETTINGS.model_copy(
        update={"push_to_talk_mode": "toggle", "end_of_speech_silence_ms": 500}
    )
    microphone = FileMicrophone(speech_wav("what's on today"), tail_seconds=None)
    pipeline, reports = await make_pipeline(microphone, settings=settings)

    pipeline.toggle()  # and nothing else: the pause after the words ends the request
    await until(lambda: bool(reports.of(TurnFinished)))

    turn = reports.of(TurnFinished)[0].turn
    assert [call.tool for call in started(turn)] == ["scheduling_day_summary"]
    assert_timed_in_order(turn)
    assert VoiceState.LISTENING in reports.states
    assert pipeline.recorder.state is RecorderState.IDLE


# --- speaking ----------------------------------------------------------------------------------


async def test_pressing_while_luma_speaks_stops_it_and_listens(make_pipeline: Make) -> None:
    speaker = FakeSpeaker(RATE, pace=1.0)  # a device that plays in real time
    pipeline, reports = await make_pipeline(FileMicrophone(SILENCE), output_stream=speaker)
    answer = asyncio.create_task(pipeline.ask("what's on today"))
    await until(lambda: pipeline.state is VoiceState.SPEAKING)
    await until(lambda: speaker.last.frames_written >= 0.2 * RATE)

    pressed = time.monotonic()
    pipeline.press()
    await until(lambda: pipeline.recorder.state is RecorderState.LISTENING)

    assert speaker.last.frames_written_after(pressed) <= 0.1 * RATE  # < 100 ms more audio
    assert speaker.last.aborts == 1  # what the device buffered was dropped
    assert pipeline.recorder.state is RecorderState.LISTENING
    assert not pipeline.recorder.muted
    turn = await answer
    assert turn.interrupted
    assert [call.tool for call in started(turn)] == ["scheduling_day_summary"]
    assert reports.states[-2:] == [VoiceState.SPEAKING, VoiceState.LISTENING]
    pipeline.cancel()
    await pipeline.settled()
    assert pipeline.state is VoiceState.IDLE
    assert len(pipeline.turns) == 1  # the cancelled recording was not answered


async def test_the_microphone_is_muted_while_luma_speaks(make_pipeline: Make) -> None:
    pipeline, reports = await make_pipeline(output_stream=FakeSpeaker(RATE, pace=0.05))
    muted: dict[VoiceState, bool] = {}
    pipeline.subscribe(
        lambda item: (
            muted.setdefault(item.state, pipeline.recorder.muted)
            if isinstance(item, StateChanged)
            else None
        )
    )

    turn = await pipeline.ask("what's my balance")

    assert turn.playback is not None
    assert turn.playback.status == "finished"
    assert muted[VoiceState.SPEAKING] is True
    assert muted[VoiceState.IDLE] is False
    assert reports.states[-2:] == [VoiceState.SPEAKING, VoiceState.IDLE]
    assert not pipeline.recorder.muted


# --- nothing heard, failures -------------------------------------------------------------------


@pytest.mark.parametrize(
    "microphone",
    [
        pytest.param(FileMicrophone(SILENCE), id="silence"),
        pytest.param(FileMicrophone(SILENCE, noise=0.003, tail_seconds=1.0), id="hiss"),
    ],
)
async def test_nothing_said_is_not_sent_to_the_assistant(
    make_pipeline: Make, assistant: Assistant, microphone: FileMicrophone
) -> None:
    voice = ToneVoice()
    pipeline, reports = await make_pipeline(microphone, voice=voice)

    turn = await talk(pipeline, microphone, np.zeros(RATE, dtype=np.float32))

    assert turn.outcome == "not_heard"
    assert turn.events == []
    assert [(n.kind, n.message) for n in reports.of(Notice)] == [("not_heard", NOT_HEARD)]
    assert voice.spoken == ["I didn't catch that."]
    assert assistant.conversation_id is None  # no turn was started
    assert turn.timeline.at("vad_done") is not None
    assert turn.timeline.at("stt_done") is None


@pytest.mark.parametrize(
    ("microphone", "words"),
    [
        pytest.param(DeadMicrophone("open"), "microphone failed", id="unavailable"),
        pytest.param(DeadMicrophone("start"), "microphone failed", id="broken"),
        pytest.param(None, "PortAudio is not installed", id="no-portaudio"),
    ],
)
async def test_without_a_microphone_luma_says_so_once_and_works_by_text(
    make_pipeline: Make,
    monkeypatch: pytest.MonkeyPatch,
    microphone: DeadMicrophone | None,
    words: str,
) -> None:
    if microphone is None:
        monkeypatch.setitem(sys.modules, "sounddevice", None)  # import fails like no PortAudio
    pipeline, reports = await make_pipeline(microphone)

    for _ in range(2):
        pipeline.press()
        await pipeline.settled()
        pipeline.release()
        await pipeline.settled()

    notices = reports.of(Notice)
    assert [notice.kind for notice in notices] == ["capture"]
    assert words in notices[0].message
    assert "keeps working by text" in notices[0].message
    assert isinstance(notices[0].error, VoiceError)
    assert notices[0].error.stage == "capture"
    assert pipeline.state is VoiceState.ERROR
    assert pipeline.detail == notices[0].message
    assert pipeline.input_error is notices[0].error
    typed = await pipeline.ask("what's my balance")
    assert [call.tool for call in started(typed)] == ["banking_get_balance"]
    assert pipeline.state is VoiceState.ERROR  # the microphone is still missing


async def test_a_request_waits_visibly_for_the_speech_model(
    make_pipeline: Make, speech_wav: Callable[[str], Path]
) -> None:
    loaded = threading.Event()
    transcriber = ScriptedTranscriber(["What's my balance?"], gate=loaded)
    microphone = FileMicrophone(speech_wav("what's my balance"))
    pipeline, reports = await make_pipeline(microphone, transcriber=transcriber)
    assert pipeline.state is VoiceState.LOADING
    assert pipeline.detail == "loading speech model"

    pipeline.press()
    await until(lambda: bool(microphone.opened) and microphone.last.fed_all.is_set())
    pipeline.release()
    await until(lambda: reports.states[-2:] == [VoiceState.LISTENING, VoiceState.LOADING])
    assert not reports.of(TurnFinished)  # waiting for the model, visibly
    loaded.set()
    await pipeline.settled()

    turn = reports.of(TurnFinished)[0].turn
    assert [call.tool for call in started(turn)] == ["banking_get_balance"]
    assert reports.states[:3] == [VoiceState.LOADING, VoiceState.LISTENING, VoiceState.LOADING]
    assert VoiceState.TRANSCRIBING in reports.states
    assert turn.timeline.marks["vad_done"] < turn.timeline.marks["stt_ready"]
    assert transcriber.heard[0][1] is not None  # the business vocabulary went along
    assert "Sarah Miller" in transcriber.heard[0][1]


async def test_a_missing_speech_model_is_named_and_text_still_works(
    make_pipeline: Make, speech_wav: Callable[[str], Path], tmp_path: Path
) -> None:
    settings = SETTINGS.model_copy(update={"stt_model": str(tmp_path / "no-such-model")})
    microphone = FileMicrophone(speech_wav("what's my balance"))
    pipeline, reports = await make_pipeline(
        microphone, settings=settings, transcriber=Transcriber.from_settings(settings)
    )
    await pipeline.settled()

    pipeline.press()
    await until(lambda: bool(microphone.opened) and microphone.last.fed_all.is_set())
    pipeline.release()
    await pipeline.settled()

    notices = reports.of(Notice)
    assert [notice.kind for notice in notices] == ["stt"]  # once, at start-up
    assert "stt_model" in notices[0].message
    assert "no-such-model" in notices[0].message
    assert pipeline.state is VoiceState.ERROR
    assert pipeline.last_turn is not None
    assert pipeline.last_turn.outcome == "failed"
    typed = await pipeline.ask("what's my balance")
    assert [call.tool for call in started(typed)] == ["banking_get_balance"]


async def test_a_broken_speaker_does_not_end_the_conversation(make_pipeline: Make) -> None:
    pipeline, reports = await make_pipeline(output_stream=FakeSpeaker(fail_open=True))

    first = await pipeline.ask("what's my balance")
    second = await pipeline.ask("what's on today")

    assert [call.tool for call in started(first) + started(second)] == [
        "banking_get_balance",
        "scheduling_day_summary",
    ]
    assert first.playback is not None
    assert first.playback.status == "failed"
    notices = reports.of(Notice)
    assert [notice.kind for notice in notices] == ["playback"]  # said once, not per turn
    assert "speaker failed" in notices[0].message
    assert pipeline.state is VoiceState.IDLE


async def test_a_voice_that_fails_is_noticed_and_the_turn_goes_on(make_pipeline: Make) -> None:
    pipeline, reports = await make_pipeline(voice=Hoarse())

    turn = await pipeline.ask("what's my balance")

    assert [call.tool for call in started(turn)] == ["banking_get_balance"]
    assert isinstance(turn.events[-1], TurnComplete)
    assert [(n.kind, n.message) for n in reports.of(Notice)] == [("tts", Hoarse.MESSAGE)]


async def test_elevenlabs_failing_falls_back_to_the_os_voice_with_one_notice(
    make_pipeline: Make, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ELEVENLABS_API_KEY", "not-the-key")
    speaker = FakeSpeaker(RATE)
    with FakeElevenLabsServer(api_key="the-key") as base_url:
        settings = SETTINGS.model_copy(
            update={"tts_engine": "elevenlabs", "elevenlabs_base_url": base_url}
        )
        pipeline, reports = await make_pipeline(
            settings=settings, voice=None, output_stream=speaker
        )
        turns = [await pipeline.ask("what's my balance"), await pipeline.ask("what's on today")]

    assert all(turn.playback and turn.playback.frames > 0 for turn in turns)  # the OS voice spoke
    notices = [notice.message for notice in reports.of(Notice)]
    assert len(notices) == 1
    assert notices[0].startswith("ElevenLabs is unavailable")
    assert "using the system voice" in notices[0]


# --- fakes -------------------------------------------------------------------------------------


class Hoarse(Voice):
    """A voice that cannot speak."""

    name = "hoarse"
    label = "the hoarse voice"
    MESSAGE = "The hoarse voice could not speak (its engine is missing)."

    def _synthesize(self, text: str) -> Iterator[AudioChunk]:
        raise VoiceError(self.MESSAGE, stage="tts")
