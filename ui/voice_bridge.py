"""Voice in the desktop app: the push-to-talk pipeline behind the mic button, the hotkey and
the tray (an :data:`~luma_desktop.ui.app.EXTENSIONS` entry).

Once the assistant is ready, a :class:`~luma_desktop.voice.pipeline.VoicePipeline` starts (its
speech model loads in the background) and goes into ``app.services.extras["voice"]`` and
``["push_to_talk"]``. Spoken requests go through the chat controller, so they appear in the
window like typed ones while the pipeline speaks the answer. The mic button follows the
pipeline: available once the model is loaded, its meter fed by the input level, and a voice
failure (no microphone, no PortAudio, a missing model) is one notice in the chat; Luma keeps
working by text.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from ..voice._timeline import InputLevel, Notice, StateChanged, VoiceState

if TYPE_CHECKING:
    from ..voice.pipeline import VoicePipeline
    from .app import DesktopApp

__all__ = ["VoiceBridge", "install"]

log = logging.getLogger(__name__)

_WAITING = {VoiceState.LOADING: "Loading the speech model…"}


class VoiceBridge:
    """Connects one app's mic button and chat to its voice pipeline."""

    def __init__(self, app: DesktopApp) -> None:
        self.app = app
        self.pipeline: VoicePipeline | None = None

    async def start(self, _app: Any = None) -> None:
        """Build and start the pipeline (an ``on_ready`` hook; nothing when voice is off)."""
        runtime = self.app.services.runtime
        if runtime is None or not runtime.settings.voice_enabled:
            self.app.mic.set_available(False, "Voice is off (Settings → Voice).")
            return
        from ..voice.pipeline import VoicePipeline

        pipeline = VoicePipeline(runtime.settings, self.app.chat.spoken)
        pipeline.subscribe(self._observe)
        self.pipeline = pipeline
        self.app.services.extras["voice"] = pipeline
        self.app.services.extras["push_to_talk"] = pipeline
        self.app.mic.micPressed.connect(pipeline.press)
        self.app.mic.micReleased.connect(pipeline.release)
        await pipeline.start()
        self._show(pipeline.state)

    async def stop(self, _app: Any = None) -> None:
        """Release the devices (an ``on_shutdown`` hook)."""
        if self.pipeline is not None:
            await self.pipeline.aclose()

    def _observe(self, item: object) -> None:
        if isinstance(item, InputLevel):
            self.app.mic.set_level(item.level)
        elif isinstance(item, StateChanged):
            self._show(item.state)
        elif isinstance(item, Notice):
            self.app.chat.noticeRaised.emit(item.message)

    def _show(self, state: VoiceState) -> None:
        mic = self.app.mic
        problem = self.pipeline.input_error if self.pipeline is not None else None
        if problem is not None:
            mic.set_available(False, problem.message)
        elif state in _WAITING:
            mic.set_available(False, _WAITING[state])
        else:
            mic.set_available(True)
        mic.set_listening(state is VoiceState.LISTENING)


def install(app: DesktopApp) -> VoiceBridge:
    """Plug voice into the app: the pipeline starts once the assistant is ready."""
    bridge = VoiceBridge(app)
    app.services.extras["voice_bridge"] = bridge
    app.on_ready.append(bridge.start)
    app.on_shutdown.append(bridge.stop)
    return bridge
