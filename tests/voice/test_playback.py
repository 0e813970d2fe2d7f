"""Playback on fake speakers: resampling, callbacks, barge-in within 100 ms, failures."""

from __future__ import annotations

import asyncio
import builtins
import functools
import threading
import time
from collections.abc import AsyncIterator, Iterator
from typing import Any

import numpy as np
import pytest

from luma_desktop.errors import VoiceError
from luma_desktop.settings import LumaSettings
from luma_desktop.voice.audio import AudioChunk, Samples, float_to_pcm16, pcm16_to_float
from luma_desktop.voice.capture import Recorder
from luma_desktop.voice.devices import StaticDevices
from luma_desktop.voice.playback import (
    MAX_BLOCK_MS,
    LinearResampler,
    PlaybackResult,
    Player,
    resample,
)
from luma_desktop.voice.streams import (
    FakeOutputStream,
    FakeSpeaker,
    SimulatedPortAudioError,
    open_output,
)

from ._audio_fakes import PushMicrophone, sine, wait_until


def dominant_frequency(samples: Samples, rate: int) -> float:
    """The strongest frequency, refined by parabolic interpolation of the spectrum peak."""
    spectrum = np.abs(np.fft.rfft(samples * np.hanning(len(samples))))
    peak = int(np.argmax(spectrum))
    left, centre, right = np.log(spectrum[peak - 1 : peak + 2])
    offset = 0.5 * (left - right) / (left - 2 * centre + right)
    return float((peak + offset) * rate / len(samples))


def chunks_of(samples: Samples, rate: int, size: int = 1001) -> list[AudioChunk]:
    """PCM chunks split at ``size`` bytes: odd sizes split samples, as network streams do."""
    pcm = float_to_pcm16(samples)
    return [AudioChunk(pcm[start : start + size], rate) for start in range(0, len(pcm), size)]


class Calls:
    """Records the player's callbacks and whether it was speaking during on_start."""

    def __init__(self) -> None:
        self.started = 0
        self.speaking_at_start: list[bool] = []
        self.finished: list[PlaybackResult] = []
        self.errors: list[VoiceError] = []
        self.player: Player | None = None

    def on_start(self) -> None:
        self.started += 1
        assert self.player is not None
        self.speaking_at_start.append(self.player.speaking)

    def attach(self, player: Player) -> Player:
        self.player = player
        player.on_start, player.on_finish = self.on_start, self.finished.append
        player.on_error = self.errors.append
        return player


# --- resampling --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("from_rate", "to_rate"),
    [(22_050, 48_000), (24_000, 44_100), (48_000, 16_000), (16_000, 16_000)],
    ids=["22k-to-48k", "24k-to-44k", "48k-to-16k", "same-rate"],
)
def test_resampling_keeps_the_frequency(from_rate: int, to_rate: int) -> None:
    tone = sine(440.0, 1.0, from_rate)
    out = resample(tone, from_rate, to_rate)
    assert abs(len(out) - to_rate) <= to_rate / from_rate + 1  # the span between the samples
    assert dominant_frequency(out, to_rate) == pytest.approx(440.0, rel=0.002)
    assert float(np.max(np.abs(out))) == pytest.approx(0.5, abs=0.01)


def test_chunked_resampling_matches_one_pass() -> None:
    tone = sine(300.0, 0.5, 22_050)
    resampler = LinearResampler(22_050, 48_000)
    cuts = np.cumsum(np.random.default_rng(1).integers(1, 700, 40))
    pieces = [resampler.process(piece) for piece in np.split(tone, cuts[cuts < len(tone)])]
    chunked = np.concatenate(pieces)
    whole = resample(tone, 22_050, 48_000)
    assert len(chunked) == len(whole)
    assert np.allclose(chunked, whole, atol=1e-5)


def test_resampler_refuses_nonsense_rates() -> None:
    with pytest.raises(ValueError, match="positive"):
        LinearResampler(0, 48_000)


# --- playing -----------------------------------------------------------------------------------


def test_plays_every_sample_in_small_blocks() -> None:
    calls, speaker = Calls(), FakeSpeaker(24_000)
    player = calls.attach(Player(stream_factory=speaker))
    tone = sine(440.0, 1.0, 24_000)

    result = player.play(chunks_of(tone, 24_000)).wait(10)

    assert result is not None
    assert (result.status, result.frames, result.samplerate) == ("finished", 24_000, 24_000)
    assert result.seconds == 1.0
    assert result.started_at is not None
    assert result.started_at <= result.ended_at
    assert np.array_equal(speaker.last.played(), pcm16_to_float(float_to_pcm16(tone)))
    assert max(len(block.frames) for block in speaker.last.writes) <= 24_000 * MAX_BLOCK_MS // 1000
    assert (calls.started, calls.speaking_at_start, calls.finished) == (1, [True], [result])
    assert not player.speaking
    assert (speaker.last.stops, speaker.last.aborts) == (1, 0)  # played out, not cut


def test_chunks_at_another_rate_are_resampled_for_the_device() -> None:
    speaker = FakeSpeaker(48_000)
    player = Player(stream_factory=speaker, block_ms=50)  # capped at 20 ms
    result = player.play(chunks_of(sine(440.0, 1.0, 22_050), 22_050)).wait(10)
    assert result is not None
    assert abs(result.frames - 48_000) <= 2
    played = speaker.last.played()
    assert dominant_frequency(played, 48_000) == pytest.approx(440.0, rel=0.002)
    assert max(len(block.frames) for block in speaker.last.writes) == 960


async def test_play_async_takes_async_and_plain_sources() -> None:
    speaker = FakeSpeaker(16_000)
    player = Player(stream_factory=speaker)
    tone = sine(220.0, 0.5, 16_000)

    async def streamed() -> AsyncIterator[AudioChunk]:
        for chunk in chunks_of(tone, 16_000, size=3000):
            await asyncio.sleep(0.001)  # like a voice service streaming
            yield chunk

    from_async = await player.play_async(streamed())
    from_list = await player.play_async(chunks_of(tone, 16_000))
    assert (from_async.status, from_async.frames) == ("finished", 8000)
    assert (from_list.status, from_list.frames) == ("finished", 8000)
    assert len(speaker.opened) == 1  # the device stays open between replies


def test_an_empty_reply_plays_nothing() -> None:
    calls = Calls()
    player = calls.attach(Player(stream_factory=FakeSpeaker()))
    result = player.play([]).wait(5)
    assert result is not None
    assert (result.status, result.frames, result.started_at) == ("finished", 0, None)
    assert calls.started == 0
    assert calls.finished == []


# --- barge-in ----------------------------------------------------------------------------------


def test_barge_in_stops_output_within_100_ms() -> None:
    calls, speaker = Calls(), FakeSpeaker(48_000, pace=1.0)  # a device that plays in real time
    player = calls.attach(Player(stream_factory=speaker))
    playback = player.play(chunks_of(sine(440.0, 3.0, 48_000), 48_000, size=9600))
    wait_until(lambda: bool(speaker.opened) and speaker.last.frames_written >= 0.2 * 48_000)

    pressed = time.monotonic()
    result = player.stop()

    assert result is not None
    assert playback.done
    assert result.status == "stopped"
    assert speaker.last.frames_written_after(pressed) <= 0.1 * 48_000  # < 100 ms more audio
    assert result.frames < 3 * 48_000
    assert speaker.last.aborts == 1  # buffered audio dropped, not played out
    assert not player.speaking
    assert calls.finished == [result]
    assert player.stop() is None  # nothing left to stop


async def test_barge_in_closes_an_endless_async_source() -> None:
    speaker = FakeSpeaker(16_000, pace=1.0)
    player = Player(stream_factory=speaker)
    closed = asyncio.Event()
    chunk = chunks_of(sine(440.0, 0.1, 16_000), 16_000, size=10_000)[0]

    async def endless() -> AsyncIterator[AudioChunk]:
        try:
            while True:
                yield chunk
                await asyncio.sleep(0.01)
        finally:
            closed.set()

    task = asyncio.create_task(player.play_async(endless()))
    await asyncio.to_thread(
        wait_until, lambda: bool(speaker.opened) and speaker.last.frames_written >= 1600
    )
    await asyncio.to_thread(player.stop)
    result = await asyncio.wait_for(task, 5)
    assert result.status == "stopped"
    assert closed.is_set()


def test_barge_in_closes_a_blocking_source() -> None:
    speaker = FakeSpeaker(16_000, pace=1.0)
    player = Player(stream_factory=speaker)
    closed = threading.Event()

    def endless() -> Iterator[AudioChunk]:
        try:
            while True:
                yield AudioChunk(b"\x10\x00" * 800, 16_000)
        finally:
            closed.set()

    player.play(endless())
    wait_until(lambda: bool(speaker.opened) and speaker.last.frames_written >= 1600)
    result = player.stop()
    assert result is not None
    assert result.status == "stopped"
    wait_until(closed.is_set)


def test_a_new_reply_replaces_the_one_playing() -> None:
    speaker = FakeSpeaker(16_000, pace=1.0)
    player = Player(stream_factory=speaker)
    first = player.play(chunks_of(sine(440.0, 3.0, 16_000), 16_000))
    wait_until(lambda: bool(speaker.opened) and speaker.last.frames_written >= 800)
    second = player.play(chunks_of(sine(440.0, 0.1, 16_000), 16_000))
    second_result = second.wait(5)
    first_result = first.wait(0)
    assert first_result is not None
    assert first_result.status == "stopped"
    assert second_result is not None
    assert second_result.status == "finished"
    assert second_result.frames == 1600
    assert len(speaker.opened) == 1


def test_the_microphone_is_muted_while_luma_speaks() -> None:
    microphone = PushMicrophone()
    recorder = Recorder(stream_factory=microphone)
    recorder.start()
    heard_while_speaking = sine(300.0, 0.1, 16_000)

    def speaking() -> None:
        recorder.muted = True
        microphone.last.push(heard_while_speaking)  # Luma's own voice: must be dropped

    def finished(result: PlaybackResult) -> None:
        recorder.muted = False

    player = Player(stream_factory=FakeSpeaker(), on_start=speaking, on_finish=finished)
    assert player.play(chunks_of(sine(440.0, 0.2, 24_000), 24_000)).wait(5) is not None
    after = sine(500.0, 0.1, 16_000)
    microphone.last.push(after)
    utterance = recorder.stop()
    assert utterance is not None
    assert np.array_equal(utterance.samples, after)


# --- failures ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "speaker",
    [
        pytest.param(FakeSpeaker(fail_open=True), id="cannot-open"),
        pytest.param(FakeSpeaker(fail_on_start=True), id="cannot-start"),
        pytest.param(FakeSpeaker(fail_after_writes=3), id="lost-while-playing"),
    ],
)
async def test_device_failures_are_one_voice_error_not_a_crash(speaker: FakeSpeaker) -> None:
    calls = Calls()
    player = calls.attach(Player(stream_factory=speaker))
    tone = sine(440.0, 0.5, 48_000)
    results = [await player.play_async(chunks_of(tone, 48_000)) for _ in range(2)]

    for result in results:
        assert result.status == "failed"
        assert isinstance(result.error, VoiceError)
        assert result.error.stage == "playback"
        assert "speaker failed" in result.error.message
        assert "voice_output_device" in result.error.message
    assert len(calls.errors) == 1  # reported once, not on every reply
    assert not player.speaking
    assert len(calls.finished) == calls.started  # every start has its finish


def test_a_device_that_recovers_is_reopened() -> None:
    speaker = FakeSpeaker(fail_after_writes=2)
    player = Player(stream_factory=speaker)
    failed = player.play(chunks_of(sine(440.0, 0.2, 48_000), 48_000)).wait(5)
    speaker.options["fail_after_writes"] = None
    played = player.play(chunks_of(sine(440.0, 0.2, 48_000), 48_000)).wait(5)
    assert failed is not None
    assert failed.status == "failed"
    assert played is not None
    assert played.status == "finished"
    assert len(speaker.opened) == 2
    assert speaker.opened[0].closed


async def test_a_failing_source_is_raised_after_playing_what_came() -> None:
    calls = Calls()
    speaker = FakeSpeaker(16_000)
    player = calls.attach(Player(stream_factory=speaker))

    def broken() -> Iterator[AudioChunk]:
        yield AudioChunk(b"\x00\x10" * 1600, 16_000)
        raise VoiceError("The voice service stopped answering.", stage="tts")

    with pytest.raises(VoiceError, match="stopped answering") as caught:
        await player.play_async(broken())
    assert caught.value.stage == "tts"
    assert speaker.last.frames_written == 1600
    assert calls.errors == []  # not a device problem
    handle = player.play(broken())
    result = handle.wait(5)
    assert result is not None
    assert result.status == "failed"
    assert result.error is not None
    assert handle.source_error is result.error


def test_missing_portaudio_for_playback(monkeypatch: pytest.MonkeyPatch) -> None:
    real_import = builtins.__import__

    def without_portaudio(name: str, *args: Any, **kwargs: Any) -> Any:
        if name == "sounddevice":
            raise OSError("PortAudio library not found")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", without_portaudio)
    with pytest.raises(VoiceError, match="PortAudio is not installed") as caught:
        open_output(None, None)
    assert caught.value.stage == "playback"
    errors: list[VoiceError] = []
    result = Player(on_error=errors.append).play([AudioChunk(b"\x00\x00" * 10, 16_000)]).wait(5)
    assert result is not None
    assert result.status == "failed"
    assert [error.stage for error in errors] == ["playback"]


def test_no_speaker_at_all() -> None:
    factory = functools.partial(open_output, devices=StaticDevices())
    result = Player(stream_factory=factory).play([AudioChunk(b"\x00\x00", 16_000)]).wait(5)
    assert result is not None
    assert isinstance(result.error, VoiceError)
    assert "No speaker found" in result.error.message


def test_player_from_settings_and_close() -> None:
    speaker = FakeSpeaker()
    with Player.from_settings(
        LumaSettings(voice_output_device="hdmi"), stream_factory=speaker
    ) as player:
        assert player.device == "hdmi"
        assert player.play([AudioChunk(b"\x00\x01" * 480, 48_000)]).wait(5) is not None
    assert speaker.last.closed


def test_a_real_portaudio_failure_becomes_a_voice_error() -> None:
    phantom = StaticDevices([StaticDevices.device(9999, "Phantom Speaker", outputs=2)], (-1, 9999))
    with pytest.raises(VoiceError, match="speaker failed") as caught:
        open_output(None, None, devices=phantom)
    assert "9999" in caught.value.message
    assert caught.value.stage == "playback"


def test_a_failing_listener_does_not_hang_the_playback() -> None:
    def broken(result: PlaybackResult) -> None:
        raise RuntimeError("window closed")

    player = Player(stream_factory=FakeSpeaker(), on_finish=broken)
    result = player.play([AudioChunk(b"\x00\x01" * 480, 48_000)]).wait(5)
    assert result is not None
    assert result.status == "finished"
    assert not player.speaking


def test_fake_streams_work_as_context_managers() -> None:
    with FakeOutputStream(16_000) as stream:
        stream.start()
        stream.write(np.zeros((160, 1), dtype=np.float32))
        assert stream.active
    assert stream.closed
    assert stream.frames_written == 160
    with pytest.raises(SimulatedPortAudioError, match="closed"):
        stream.start()
