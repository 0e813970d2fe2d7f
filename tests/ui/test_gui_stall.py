"""The GUI thread never stalls for 50 ms or more during a streamed turn (issue 8).

A QTimer ticks every 5 ms on the GUI thread while the window shows a streamed turn: the real
offline brain answering with a tool card, a scripted brain streaming 200 deltas, or a turn with
voice on (the OS voice speaking the streamed reply while the speech model loads). Work that
blocks the GUI thread shows up in every turn; a busy machine (other processes taking the CPU)
only in some. So each case gets up to ten turns and passes when one whole turn keeps every gap
between ticks under 50 ms; the gaps of every attempt are printed.
"""

from __future__ import annotations

import asyncio
import sys

import pytest

from luma_desktop.assistant.brains.scripted import ScriptedBrain
from luma_desktop.ui.app import tune_interpreter

from ._stall import measure_stalls

BOUND_MS = 50.0
ATTEMPTS = 10

OFFLINE_REQUESTS = ("what's my balance", "which invoices are overdue?")
SCRIPTED_REQUESTS = ("tell me a story", "and another")
DELTAS = [f"word{number} " for number in range(200)]


async def _turn(app, text: str) -> None:
    await asyncio.sleep(0.03)  # ticks before the request, too
    assert app.chat.send(text)
    await app.chat.idle()
    await asyncio.sleep(0.03)


@pytest.fixture
def tuned():
    """The interpreter settings ``run_app`` applies."""
    before = sys.getswitchinterval()
    tune_interpreter()
    yield
    sys.setswitchinterval(before)


@pytest.mark.slow
@pytest.mark.usefixtures("tuned")
@pytest.mark.parametrize(
    ("brain", "requests"),
    [
        pytest.param(None, OFFLINE_REQUESTS, id="offline-brain"),
        pytest.param("scripted", SCRIPTED_REQUESTS, id="scripted-200-deltas"),
    ],
)
def test_gui_thread_keeps_ticking_during_streamed_turns(make_app, run, brain, requests):
    script = ScriptedBrain([DELTAS] * ATTEMPTS) if brain else None
    app = make_app(script)
    longest: list[float] = []
    for attempt in range(ATTEMPTS):
        with measure_stalls() as meter:
            run(_turn(app, requests[attempt % len(requests)]))
        assert len(meter.ticks) > 10
        longest.append(meter.longest_gap_ms)
        if longest[-1] < BOUND_MS:
            break
    shown = ", ".join(f"{gap:.1f}" for gap in longest)
    print(f"longest GUI-thread gap per attempt ({brain or 'offline'}): {shown} ms")
    answers = [i for i in app.chat.model.items() if i.kind == "assistant"]
    assert len(answers) == len(longest)
    if brain:
        assert answers[-1].text == "".join(DELTAS)
    else:
        cards = [i.card_type for i in app.chat.model.items() if i.kind == "card"]
        assert "balance" in cards
    assert min(longest) < BOUND_MS, f"the GUI thread stalled in every attempt: {shown} ms"


@pytest.mark.slow
@pytest.mark.usefixtures("tuned")
def test_gui_thread_keeps_ticking_with_voice_on(make_app, run):
    from luma_desktop.settings import LumaSettings
    from luma_desktop.voice.pipeline import VoicePipeline
    from luma_desktop.voice.streams import FakeSpeaker

    app = make_app(ScriptedBrain([["Here is the plan. ", *DELTAS, "That is all."]] * ATTEMPTS))
    speaker = FakeSpeaker(22_050)
    pipeline = VoicePipeline(
        LumaSettings(tts_engine="system"), app.chat.spoken, output_stream=speaker
    )
    run(pipeline.start())
    longest: list[float] = []
    try:
        for _ in range(ATTEMPTS):
            with measure_stalls() as meter:
                turn = run(pipeline.ask("tell me a story"))
            longest.append(meter.longest_gap_ms)
            if longest[-1] < BOUND_MS:
                break
    finally:
        run(pipeline.aclose())
    shown = ", ".join(f"{gap:.1f}" for gap in longest)
    print(f"longest GUI-thread gap per attempt (voice on): {shown} ms")
    assert turn.spoken, "the reply was spoken"
    assert sum(len(stream.writes) for stream in speaker.opened) > 0
    assert min(longest) < BOUND_MS, f"the GUI thread stalled in every attempt: {shown} ms"
