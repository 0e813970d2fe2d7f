"""The first-run tour (exposed to QML as ``onboarding``): what Luma can do, a microphone check,
optional keys, the hotkey. Finishing or skipping it is remembered, so it shows once.

The examples come from the capability catalog (loaded in a worker thread). The microphone
check lists input devices and, when there is one, records a few seconds with the push-to-talk
:class:`~luma_desktop.voice.capture.Recorder` and reports the input level; without a microphone
it says so plainly (Luma works by text). Keys are stored by the shared :class:`.KeysModel`.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from PySide6.QtCore import Property, QObject, Signal, Slot

from ..errors import ConfigurationError, VoiceError
from ._tasks import TaskSet, human_message
from .preferences import Preferences

if TYPE_CHECKING:
    from ..assistant.catalog import ToolRegistry
    from ..voice.capture import LevelEvent
    from ..voice.devices import DeviceQuery
    from ..voice.streams import InputStreamFactory, InputStreamLike

__all__ = [
    "HEARD_LEVEL",
    "STEPS",
    "WELCOME_TOOLS",
    "MicCheck",
    "OnboardingModel",
    "check_microphone",
    "welcome_examples",
]

STEPS = ("welcome", "microphone", "keys", "hotkey", "done")
WELCOME_TOOLS = (
    ("scheduling_day_summary", "Your day"),
    ("scheduling_create_appointment", "Bookings"),
    ("invoices_overdue_summary", "Invoices"),
    ("banking_get_balance", "Money"),
    ("reminders_create", "Reminders"),
    ("clients_search", "Clients"),
)
"""Tools whose first example the welcome page shows, with a heading each."""
HEARD_LEVEL = 0.35
"""Input level (0–1, about −39 dBFS) that counts as hearing the user."""

MicStatus = Literal["none", "ok", "quiet", "error"]


def welcome_examples(registry: ToolRegistry) -> list[dict[str, str]]:
    """One thing to say per area, from the catalog's own examples."""
    examples = []
    for name, title in WELCOME_TOOLS:
        tool = registry.get(name)
        if tool is not None and tool.examples:
            text = tool.examples[0]
            examples.append({"title": title, "text": f"“{text[:1].upper()}{text[1:]}”"})
    return examples


@dataclass(frozen=True, slots=True)
class MicCheck:
    """What the microphone check found."""

    status: MicStatus
    message: str
    """What to tell the user."""
    device: str = ""
    """The microphone tried."""
    peak: float = 0.0
    """Loudest input level heard, 0–1."""


def check_microphone(
    *,
    device: str | None = None,
    query: DeviceQuery | None = None,
    stream_factory: InputStreamFactory | None = None,
    seconds: float = 4.0,
    on_level: Callable[[float], None] | None = None,
    stop: threading.Event | None = None,
) -> MicCheck:
    """Find the microphone and listen for up to ``seconds`` (less once the user is heard, or
    when ``stop`` is set). Blocking: run it in a worker thread."""
    from ..voice.devices import choose_device, list_devices

    try:
        if not list_devices("input", query=query):
            return MicCheck("none", _NO_MICROPHONE)
        chosen = choose_device("input", device, query=query)
    except (VoiceError, ConfigurationError) as error:  # no PortAudio; a device not there
        return MicCheck("error", error.message)
    peak = _listen(
        chosen.index,
        query=query,
        stream_factory=stream_factory,
        seconds=seconds,
        on_level=on_level,
        stop=stop,
    )
    if isinstance(peak, VoiceError):
        return MicCheck("error", peak.message, chosen.name)
    if peak >= HEARD_LEVEL:
        heard = f"Your microphone works: Luma heard you on {chosen.name}."
        return MicCheck("ok", heard, chosen.name, peak)
    return MicCheck(
        "quiet",
        f"Luma could not hear anything from {chosen.name}. Check that it is not muted and "
        "try again, or just type.",
        chosen.name,
        peak,
    )


_NO_MICROPHONE = (
    "No microphone found. That's fine: you can type to Luma. Connect one later and choose it "
    "in Settings → Voice."
)


def _listen(
    index: int,
    *,
    query: DeviceQuery | None,
    stream_factory: InputStreamFactory | None,
    seconds: float,
    on_level: Callable[[float], None] | None,
    stop: threading.Event | None,
) -> float | VoiceError:
    """Record from device ``index``; the loudest level heard (or why recording failed)."""
    from ..voice.capture import Recorder
    from ..voice.streams import open_input

    heard = threading.Event()
    halt = stop or threading.Event()
    levels: list[float] = [0.0]

    def level(event: LevelEvent) -> None:
        levels.append(event.level)
        if on_level is not None:
            on_level(event.level)
        if event.level >= HEARD_LEVEL:
            heard.set()

    def real_input(
        device: str | int | None, samplerate: int, blocksize: int, callback: Any
    ) -> InputStreamLike:
        return open_input(device, samplerate, blocksize, callback, devices=query)

    factory: InputStreamFactory = stream_factory or real_input
    recorder = Recorder(device=index, stream_factory=factory, on_level=level)
    try:
        recorder.start()
    except VoiceError as error:
        return error
    try:
        deadline = time.monotonic() + seconds
        while not (heard.is_set() or halt.is_set()) and time.monotonic() < deadline:
            halt.wait(0.05)
        if heard.is_set():
            halt.wait(0.4)  # let the meter show the rest of the word
    finally:
        recorder.stop()
    return max(levels)


class OnboardingModel(QObject):
    """Where the tour is, and what its steps found."""

    stepChanged = Signal()
    examplesChanged = Signal()
    micChanged = Signal()
    micLevelChanged = Signal()
    completedChanged = Signal()
    finished = Signal()

    def __init__(
        self,
        loop: asyncio.AbstractEventLoop,
        preferences: Preferences,
        *,
        catalog: Callable[[], ToolRegistry] | None = None,
        microphone: Callable[..., MicCheck] = check_microphone,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.preferences = preferences
        self._loop = loop
        self._tasks = TaskSet(loop)
        self._catalog = catalog
        self._microphone = microphone
        self._step = 0
        self._examples: list[dict[str, str]] = []
        self._mic = MicCheck("none", "")
        self._mic_state = "idle"
        self._level = 0.0
        self._stop: threading.Event | None = None

    @property
    def needed(self) -> bool:
        """True until the tour has been finished or skipped once."""
        return not self.preferences.onboarding_completed

    # -- steps ---------------------------------------------------------------------------------

    @Slot()
    def start(self) -> None:
        """Begin at the welcome page and load the examples."""
        self._go(0)
        if not self._examples:
            self._tasks.spawn(self._load_examples(), "load examples")

    async def _load_examples(self) -> None:
        loader = self._catalog or _default_catalog
        registry = await asyncio.to_thread(loader)
        self._examples = welcome_examples(registry)
        self.examplesChanged.emit()

    @Slot()
    def next(self) -> None:
        if self._step < len(STEPS) - 1:
            self._go(self._step + 1)

    @Slot()
    def back(self) -> None:
        if self._step > 0:
            self._go(self._step - 1)

    @Slot(int)
    def goTo(self, step: int) -> None:
        if 0 <= step < len(STEPS):
            self._go(step)

    def _go(self, step: int) -> None:
        if STEPS[self._step] == "microphone" and step != self._step:
            self.stopMicrophone()
        if step != self._step:
            self._step = step
            self.stepChanged.emit()

    @Slot()
    def finish(self) -> None:
        """Finish (or skip) the tour: remembered, so it does not show again."""
        self.stopMicrophone()
        self.preferences.complete_onboarding()
        self.completedChanged.emit()
        self.finished.emit()

    @Slot()
    def restart(self) -> None:
        """Show the tour again from the start (Settings → Run the tour again)."""
        self.preferences.reset_onboarding()
        self.completedChanged.emit()
        self.start()

    # -- microphone ----------------------------------------------------------------------------

    @Slot()
    def checkMicrophone(self) -> None:
        """Start the microphone check (in a worker thread)."""
        if self._mic_state == "checking":
            return
        self._stop = threading.Event()
        self._set_mic_state("checking")
        self._tasks.spawn(self._check(self._stop), "check the microphone")

    @Slot()
    def stopMicrophone(self) -> None:
        if self._stop is not None:
            self._stop.set()

    async def _check(self, stop: threading.Event) -> None:
        def level(value: float) -> None:
            self._loop.call_soon_threadsafe(self._set_level, value)

        try:
            result = await asyncio.to_thread(self._microphone, on_level=level, stop=stop)
        except Exception as error:
            result = MicCheck("error", human_message(error))
        self._mic = result
        self._set_level(0.0)
        self._set_mic_state(result.status)

    def _set_level(self, value: float) -> None:
        if abs(value - self._level) > 1e-3:
            self._level = value
            self.micLevelChanged.emit()

    def _set_mic_state(self, state: str) -> None:
        self._mic_state = state
        self.micChanged.emit()

    async def idle(self) -> None:
        """Until the examples and any microphone check have finished."""
        await self._tasks.wait()

    async def aclose(self) -> None:
        self.stopMicrophone()
        await self._tasks.cancel()

    # -- properties ----------------------------------------------------------------------------

    def _get_step(self) -> int:
        return self._step

    def _get_step_name(self) -> str:
        return STEPS[self._step]

    def _get_steps(self) -> list[str]:
        return list(STEPS)

    def _get_examples(self) -> list[dict[str, str]]:
        return list(self._examples)

    def _get_mic_state(self) -> str:
        return self._mic_state

    def _get_mic_message(self) -> str:
        return self._mic.message if self._mic_state != "checking" else ""

    def _get_mic_device(self) -> str:
        return self._mic.device

    def _get_level(self) -> float:
        return self._level

    def _get_completed(self) -> bool:
        return self.preferences.onboarding_completed

    step = Property(int, _get_step, notify=stepChanged)
    stepName = Property(str, _get_step_name, notify=stepChanged)
    steps = Property(list, _get_steps, constant=True)
    examples = Property(list, _get_examples, notify=examplesChanged)
    micState = Property(str, _get_mic_state, notify=micChanged)
    micMessage = Property(str, _get_mic_message, notify=micChanged)
    micDevice = Property(str, _get_mic_device, notify=micChanged)
    micLevel = Property(float, _get_level, notify=micLevelChanged)
    completed = Property(bool, _get_completed, notify=completedChanged)


def _default_catalog() -> ToolRegistry:
    from ..tools import default_registry

    return default_registry()
