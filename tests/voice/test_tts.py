"""Text-to-speech: the OS voice (real espeak-ng), ElevenLabs through a fake server driven by
the real SDK, the fallback between them, and the async helpers."""

from __future__ import annotations

import asyncio
import subprocess
import threading
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import numpy as np
import pytest

from luma_desktop.errors import VoiceError
from luma_desktop.settings import LumaSettings
from luma_desktop.voice.audio import AudioChunk, pcm16_to_float
from luma_desktop.voice.tts import (
    ElevenLabsVoice,
    FallbackVoice,
    SystemVoice,
    ToneVoice,
    Voice,
    VoiceServiceError,
    voice_for,
)
from luma_desktop.voice.tts.system import espeak_binary, read_aiff

from ..fakes.elevenlabs_server import (
    FakeElevenLabsServer,
    audio_reply,
    http_error,
    tone,
    unreachable_base_url,
)

SENTENCE = "Invoice 42 for 500 pounds to Alpine Tech. Shall I send it?"
KEY = "test-key"

needs_espeak = pytest.mark.skipif(espeak_binary() is None, reason="espeak-ng is not installed")


def pcm_of(chunks: list[AudioChunk]) -> bytes:
    return b"".join(chunk.pcm for chunk in chunks)


def seconds_of(chunks: list[AudioChunk]) -> float:
    return sum(chunk.seconds for chunk in chunks)


def loudness(chunks: list[AudioChunk]) -> float:
    samples = pcm16_to_float(pcm_of(chunks))
    return float(np.sqrt(np.mean(samples**2))) if samples.size else 0.0


@pytest.fixture
def server() -> Iterator[FakeElevenLabsServer]:
    fake = FakeElevenLabsServer(api_key=KEY)
    with fake:
        yield fake


def eleven(base_url: str, *, key: str = KEY, **options: object) -> ElevenLabsVoice:
    return ElevenLabsVoice(
        key, voice_id="voice-1", model_id="eleven_flash_v2_5", base_url=base_url, **options
    )


# -- the interface ----------------------------------------------------------------------------


class Broken(Voice):
    name = "broken"
    label = "the broken voice"

    def _synthesize(self, text: str) -> Iterator[AudioChunk]:
        raise OSError("device on fire")


@pytest.mark.parametrize("text", ["", "   ", "\n\t"], ids=["empty", "spaces", "whitespace"])
def test_blank_text_gives_no_audio_and_no_engine_call(text):
    voice = ToneVoice()
    assert list(voice.synthesize(text)) == []
    assert voice.spoken == []


def test_an_engine_failure_is_a_voice_error_at_the_tts_stage():
    with pytest.raises(VoiceError, match="The broken voice could not speak") as caught:
        list(Broken().synthesize("Hello"))
    assert caught.value.stage == "tts"
    assert isinstance(caught.value.__cause__, OSError)


async def test_stream_runs_the_engine_off_the_event_loop(server):
    """The server holds the stream after its first piece; the loop keeps ticking meanwhile
    and releases it — impossible if the stream blocked the loop."""
    server.add(audio_reply(hold_after=1, chunk_bytes=4096))
    ticks = 0

    async def ticker() -> None:
        nonlocal ticks
        while True:
            await asyncio.sleep(0.01)
            ticks += 1
            if ticks == 5:
                server.release()

    ticking = asyncio.create_task(ticker())
    with eleven(server.base_url) as voice:
        chunks = await asyncio.wait_for(_collect(voice.stream(SENTENCE)), timeout=20)
    ticking.cancel()
    assert ticks >= 5
    assert pcm_of(chunks) == tone(SENTENCE, 22050)


async def _collect(chunks: AsyncIterator[AudioChunk]) -> list[AudioChunk]:
    return [chunk async for chunk in chunks]


async def test_stopping_a_stream_early_stops_its_worker(server):
    server.add(audio_reply(chunk_bytes=1024, chunk_delay=0.01))  # 10 s of audio, 4 s to send
    with eleven(server.base_url) as voice:
        stream = voice.stream("A long answer " * 20)
        first = await anext(stream)
        await stream.aclose()
        for _ in range(500):  # the worker closes the connection: the server sees it go
            if server.hung_up:
                break
            await asyncio.sleep(0.01)
    assert first.sample_rate == 22050
    assert (server.hung_up, server.completed) == (1, 0)


async def test_stream_sentences_speaks_each_sentence_in_order():
    voice = ToneVoice(seconds_per_char=0.01)

    async def sentences() -> AsyncIterator[str]:
        for sentence in ["One.", "Two, three.", "Four five six."]:
            await asyncio.sleep(0)
            yield sentence

    chunks = [chunk async for chunk in voice.stream_sentences(sentences())]
    assert voice.spoken == ["One.", "Two, three.", "Four five six."]
    expected = sum(int(len(s) * 0.01 * 16_000) for s in voice.spoken)
    assert len(pcm_of(chunks)) == expected * 2


async def test_stream_sentences_stops_with_its_listener():
    voice = ToneVoice(seconds_per_char=0.05)
    asked: list[str] = []

    async def sentences() -> AsyncIterator[str]:
        for n in range(100):
            asked.append(f"Sentence {n}.")
            yield asked[-1]
            await asyncio.sleep(0.001)

    stream = voice.stream_sentences(sentences())
    await anext(stream)
    await stream.aclose()
    assert len(asked) < 100


# -- the OS voice ----------------------------------------------------------------------------


@needs_espeak
@pytest.mark.parametrize("backend", ["pyttsx3", "espeak-ng"])
def test_the_system_voice_speaks_real_audio(backend):
    chunks = list(SystemVoice(backend=backend).synthesize(SENTENCE))
    assert {chunk.sample_rate for chunk in chunks} == {22050}
    assert len(chunks) > 10  # handed out in ~0.1 s pieces
    assert 2.5 < seconds_of(chunks) < 8
    assert loudness(chunks) > 0.02


@needs_espeak
def test_each_sentence_is_synthesized_on_its_own():
    voice = SystemVoice()
    both = seconds_of(list(voice.synthesize("Hello there. How are you today?")))
    first = seconds_of(list(voice.synthesize("Hello there.")))
    second = seconds_of(list(voice.synthesize("How are you today?")))
    assert both == pytest.approx(first + second, abs=0.05)


@needs_espeak
@pytest.mark.parametrize("backend", ["pyttsx3", "espeak-ng"])
def test_a_faster_rate_speaks_shorter(backend):
    slow = seconds_of(list(SystemVoice(rate=120, backend=backend).synthesize(SENTENCE)))
    fast = seconds_of(list(SystemVoice(rate=300, backend=backend).synthesize(SENTENCE)))
    assert fast < slow * 0.7


@needs_espeak
@pytest.mark.parametrize("name", ["en-us", "gmw/en-us", "English (America)"])
def test_a_voice_can_be_named_by_language_id_or_name(name):
    """The American voice says "tomato" longer than the default British one (pyttsx3's
    espeak output varies by a few samples between runs, so lengths are compared)."""

    def length(voice: str | None) -> float:
        return seconds_of(list(SystemVoice(voice=voice).synthesize("Tomato and water.")))

    american, british = length(name), length(None)
    assert american == pytest.approx(length("en-us"), abs=0.01)
    assert abs(american - british) > 0.04


@needs_espeak
@pytest.mark.parametrize("backend", ["pyttsx3", "espeak-ng"])
def test_an_unknown_voice_names_the_setting(backend):
    with pytest.raises(VoiceError, match="tts_voice") as caught:
        list(SystemVoice(voice="No Such Voice", backend=backend).synthesize("Hello"))
    assert "No Such Voice" in caught.value.message


@needs_espeak
def test_the_engine_thread_serves_many_threads_at_once():
    voice = SystemVoice()
    results: dict[int, float] = {}

    def speak(n: int) -> None:
        results[n] = seconds_of(list(voice.synthesize(f"Client number {n} is here.")))

    workers = [threading.Thread(target=speak, args=(n,)) for n in range(4)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=30)
    assert sorted(results) == [0, 1, 2, 3]
    assert all(seconds > 1 for seconds in results.values())


@needs_espeak
def test_stopping_the_espeak_program_early_leaves_nothing_running():
    speech = SystemVoice(backend="espeak-ng").synthesize("A long sentence that goes on. " * 5)
    first = next(speech)
    speech.close()
    assert first.sample_rate == 22050


@needs_espeak
@pytest.mark.parametrize("kind", ["aiff", "aifc"])
def test_aiff_files_as_macos_writes_them_are_read(tmp_path: Path, kind):
    wav, aiff = tmp_path / "speech.wav", tmp_path / f"speech.{kind}"
    subprocess.run([espeak_binary() or "espeak-ng", "-w", str(wav), "Hello"], check=True)
    subprocess.run(["sox", str(wav), str(aiff)], check=True)
    pcm, rate = read_aiff(aiff)
    expected = subprocess.run(
        ["sox", str(wav), "-t", "raw", "-e", "signed", "-b", "16", "-L", "-"],
        check=True,
        capture_output=True,
    ).stdout
    assert rate == 22050
    assert pcm == expected


# -- ElevenLabs through the fake server --------------------------------------------------------


def test_elevenlabs_sends_what_the_api_expects(server):
    with eleven(server.base_url) as voice:
        chunks = list(voice.synthesize(SENTENCE))
    (request,) = server.requests
    assert request.path == "/v1/text-to-speech/voice-1/stream"
    assert request.query == {"output_format": "pcm_22050"}
    assert request.headers["xi-api-key"] == KEY
    assert request.body == {"text": SENTENCE, "model_id": "eleven_flash_v2_5"}
    assert {chunk.sample_rate for chunk in chunks} == {22050}
    assert pcm_of(chunks) == tone(SENTENCE, 22050)


@pytest.mark.parametrize(
    "chunk_bytes", [7, 1001, 4096, 100_000], ids=["tiny-odd", "odd", "page", "one-piece"]
)
def test_elevenlabs_audio_arrives_whole_at_any_chunking(server, chunk_bytes):
    server.add(audio_reply(chunk_bytes=chunk_bytes))
    with eleven(server.base_url) as voice:
        chunks = list(voice.synthesize("Hi"))
    assert all(len(chunk.pcm) % 2 == 0 for chunk in chunks)
    assert pcm_of(chunks) == tone("Hi", 22050)


def test_elevenlabs_chunks_are_handed_out_as_they_arrive(server):
    server.add(audio_reply(hold_after=1, chunk_bytes=4096))
    with eleven(server.base_url) as voice:
        speech = voice.synthesize(SENTENCE)
        first = next(speech)
        assert server.completed == 0  # the server is still holding the rest
        server.release()
        rest = list(speech)
    assert server.completed == 1
    assert pcm_of([first, *rest]) == tone(SENTENCE, 22050)


@pytest.mark.parametrize("rate", [16000, 24000])
def test_elevenlabs_sample_rate_is_the_output_format(server, rate):
    with eleven(server.base_url, sample_rate=rate) as voice:
        chunks = list(voice.synthesize("Hi"))
    assert server.requests[0].query["output_format"] == f"pcm_{rate}"
    assert {chunk.sample_rate for chunk in chunks} == {rate}


@pytest.mark.parametrize(
    ("reply", "reason", "retryable", "words"),
    [
        pytest.param(http_error(401), "auth", False, "refused the API key", id="invalid-key"),
        pytest.param(
            http_error(401, code="quota_exceeded", message="You have 0 credits remaining."),
            "quota",
            False,
            "0 credits remaining",
            id="quota",
        ),
        pytest.param(http_error(404), "voice", False, "elevenlabs_voice_id", id="unknown-voice"),
        pytest.param(http_error(429), "rate_limited", True, "try again", id="rate-limited"),
        pytest.param(http_error(500), "server", True, "server error (500)", id="server-error"),
        pytest.param(http_error(503), "server", True, "server error (503)", id="unavailable"),
        pytest.param(
            http_error(400, code="invalid_model", message="Model not found."),
            "rejected",
            False,
            "elevenlabs_model",
            id="bad-request",
        ),
        pytest.param(
            audio_reply(first_byte_delay=2), "unreachable", True, "did not answer", id="slow"
        ),
    ],
)
def test_elevenlabs_failures_say_what_happened(server, reply, reason, retryable, words):
    server.add(reply)
    with eleven(server.base_url, timeout=0.5) as voice, pytest.raises(VoiceServiceError) as caught:
        list(voice.synthesize("Hello"))
    assert caught.value.stage == "tts"
    assert (caught.value.reason, caught.value.retryable) == (reason, retryable)
    assert words in caught.value.message
    assert KEY not in caught.value.message


def test_a_wrong_key_is_refused_by_the_server(server):
    with eleven(server.base_url, key="wrong-key") as voice, pytest.raises(VoiceServiceError) as e:
        list(voice.synthesize("Hello"))
    assert e.value.reason == "auth"
    assert "ELEVENLABS_API_KEY" in e.value.message


def test_an_unreachable_service_is_a_retryable_failure():
    with eleven(unreachable_base_url()) as voice, pytest.raises(VoiceServiceError) as caught:
        list(voice.synthesize("Hello"))
    assert (caught.value.reason, caught.value.retryable) == ("unreachable", True)
    assert "elevenlabs_base_url" in caught.value.message


def test_a_stream_dropped_midway_fails_after_its_audio(server):
    server.add(audio_reply(chunk_bytes=2048, drop_after=3))
    got: list[AudioChunk] = []
    with eleven(server.base_url) as voice, pytest.raises(VoiceServiceError) as caught:
        for chunk in voice.synthesize(SENTENCE):
            got.append(chunk)
    assert caught.value.reason == "interrupted"
    assert pcm_of(got) == tone(SENTENCE, 22050)[: 3 * 2048]


def test_elevenlabs_from_settings_reads_the_key_and_the_address(server, monkeypatch):
    monkeypatch.setenv("ELEVENLABS_API_KEY", KEY)
    settings = LumaSettings(
        elevenlabs_base_url=server.base_url, elevenlabs_voice_id="abc", elevenlabs_model="m2"
    )
    with ElevenLabsVoice.from_settings(settings) as voice:
        assert list(voice.synthesize("Hi"))
    assert server.requests[0].path == "/v1/text-to-speech/abc/stream"
    assert server.requests[0].body["model_id"] == "m2"


def test_elevenlabs_without_a_key_says_how_to_set_one():
    with pytest.raises(VoiceServiceError, match="luma keys set ELEVENLABS_API_KEY") as caught:
        ElevenLabsVoice.from_settings(LumaSettings())
    assert caught.value.reason == "auth"


# -- the fallback ------------------------------------------------------------------------------


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def fallback(base_url: str, notices: list[str], *, key: str = KEY, clock: Clock | None = None):
    return FallbackVoice(
        eleven(base_url, key=key),
        ToneVoice(sample_rate=22050),
        on_notice=notices.append,
        cooldown=60,
        monotonic=clock or Clock(),
    )


def test_a_refused_key_falls_back_once_and_for_the_session(server):
    notices: list[str] = []
    with fallback(server.base_url, notices, key="wrong-key") as voice:
        first = list(voice.synthesize("First sentence."))
        second = list(voice.synthesize("Second sentence."))
        assert voice.active is voice.fallback
    assert notices == ["ElevenLabs is unavailable (the API key was refused); using the test tone."]
    assert len(server.requests) == 1  # not asked again after an auth error
    assert voice.fallback.spoken == ["First sentence.", "Second sentence."]
    assert first
    assert second


@needs_espeak
def test_a_refused_key_falls_back_to_the_real_os_voice(server):
    notices: list[str] = []
    primary = eleven(server.base_url, key="wrong-key")
    with FallbackVoice(primary, SystemVoice(), on_notice=notices.append) as voice:
        chunks = list(voice.synthesize(SENTENCE))
    assert notices == [
        "ElevenLabs is unavailable (the API key was refused); using the system voice."
    ]
    assert seconds_of(chunks) > 2.5
    assert loudness(chunks) > 0.02


def test_an_unreachable_service_rests_then_is_tried_again():
    notices: list[str] = []
    clock = Clock()
    with fallback(unreachable_base_url(), notices, clock=clock) as voice:
        list(voice.synthesize("One."))
        assert voice.active is voice.fallback
        clock.now = 61
        assert voice.active is voice.primary
        list(voice.synthesize("Two."))
    assert voice.fallback.spoken == ["One.", "Two."]
    assert notices == ["ElevenLabs is unavailable (cannot be reached); using the test tone."]


def test_a_passing_server_error_recovers_after_the_cooldown(server):
    server.add(http_error(500))
    notices: list[str] = []
    clock = Clock()
    with fallback(server.base_url, notices, clock=clock) as voice:
        list(voice.synthesize("One."))
        list(voice.synthesize("Two."))  # resting: straight to the stand-in
        clock.now = 61
        back = list(voice.synthesize("Three."))
    assert voice.fallback.spoken == ["One.", "Two."]
    assert len(server.requests) == 2
    assert pcm_of(back) == tone("Three.", 22050)
    assert len(notices) == 1


def test_a_slow_first_byte_within_the_timeout_is_waited_for(server):
    server.add(audio_reply(first_byte_delay=0.3))
    notices: list[str] = []
    with fallback(server.base_url, notices) as voice:
        chunks = list(voice.synthesize("Hello."))
    assert pcm_of(chunks) == tone("Hello.", 22050)
    assert notices == []


def test_a_failure_midway_does_not_say_the_sentence_twice(server):
    """Documented: the audio already streamed stays, the rest of that sentence is dropped,
    nothing is repeated by the stand-in, and the next sentence tries ElevenLabs again."""
    server.add(audio_reply(chunk_bytes=2048, drop_after=2))
    notices: list[str] = []
    with fallback(server.base_url, notices) as voice:
        cut = list(voice.synthesize(SENTENCE))
        whole = list(voice.synthesize("Next one."))
    assert pcm_of(cut) == tone(SENTENCE, 22050)[: 2 * 2048]
    assert voice.fallback.spoken == []
    assert notices == []
    assert pcm_of(whole) == tone("Next one.", 22050)


def test_when_the_stand_in_fails_too_its_error_is_raised(server):
    voice = FallbackVoice(eleven(server.base_url, key="wrong-key"), Broken())
    with voice, pytest.raises(VoiceError, match="broken voice"):
        list(voice.synthesize("Hello"))


# -- choosing the voice ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("engine", "key", "expected", "notice"),
    [
        pytest.param("auto", None, SystemVoice, False, id="auto-without-key"),
        pytest.param("auto", KEY, FallbackVoice, False, id="auto-with-key"),
        pytest.param("system", KEY, SystemVoice, False, id="system"),
        pytest.param("elevenlabs", KEY, FallbackVoice, False, id="elevenlabs"),
        pytest.param("elevenlabs", None, SystemVoice, True, id="elevenlabs-without-key"),
    ],
)
def test_voice_for_follows_the_settings(monkeypatch, engine, key, expected, notice):
    if key:
        monkeypatch.setenv("ELEVENLABS_API_KEY", key)
    notices: list[str] = []
    settings = LumaSettings(tts_engine=engine, tts_voice="en-us", tts_rate=150)
    with voice_for(settings, on_notice=notices.append) as voice:
        assert type(voice) is expected
        system = voice.fallback if isinstance(voice, FallbackVoice) else voice
        assert isinstance(system, SystemVoice)
        assert (system.voice, system.rate) == ("en-us", 150)
    assert notices == (
        ["ElevenLabs is unavailable (ELEVENLABS_API_KEY is not set); using the system voice."]
        if notice
        else []
    )


def test_voice_for_lets_the_caller_override_the_engine(monkeypatch):
    monkeypatch.setenv("ELEVENLABS_API_KEY", KEY)
    with voice_for(LumaSettings(tts_engine="elevenlabs"), engine="system") as voice:
        assert type(voice) is SystemVoice
