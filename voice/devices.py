"""Microphones and speakers: list them and pick the one the settings name.

PortAudio is reached through ``sounddevice``, imported lazily: the app keeps working by text on
a machine without PortAudio or without any sound card (the device lists are then empty). The
device table comes from a :data:`DeviceQuery`, so tests describe machines without hardware.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from types import ModuleType
from typing import Any, Literal

from luma_desktop.errors import ConfigurationError, VoiceError

__all__ = [
    "AudioDevice",
    "DeviceKind",
    "DeviceQuery",
    "StaticDevices",
    "choose_device",
    "list_devices",
    "load_sounddevice",
    "portaudio_errors",
]

DeviceKind = Literal["input", "output"]

DeviceTable = tuple[Sequence[Mapping[str, Any]], tuple[int, int]]
DeviceQuery = Callable[[], DeviceTable]
"""Returns sounddevice-style device dicts and the (default input, default output) indices."""

_SETTING = {"input": "voice_input_device", "output": "voice_output_device"}
_STAGE = {"input": "capture", "output": "playback"}
_WHAT = {"input": "microphone", "output": "speaker"}


@dataclass(frozen=True, slots=True)
class AudioDevice:
    """One microphone or speaker as PortAudio reports it."""

    index: int
    """PortAudio device index (what streams are opened with)."""
    name: str
    """The device name shown to people ("USB Headset: Audio (hw:1,0)")."""
    default_rate: float
    """The device's preferred sample rate in Hz."""
    is_default: bool
    """True for the system default device of its kind."""


def load_sounddevice(stage: str) -> ModuleType:
    """Import ``sounddevice``; a missing PortAudio library becomes a :class:`VoiceError`."""
    try:
        import sounddevice
    except (OSError, ImportError) as exc:
        raise VoiceError(
            "PortAudio is not installed (libportaudio2 on Debian/Ubuntu, portaudio on macOS), "
            "so Luma cannot use the microphone or speaker. Install it and restart; "
            "Luma keeps working by text.",
            stage=stage,
        ) from exc
    module: ModuleType = sounddevice
    return module


def portaudio_errors() -> tuple[type[Exception], ...]:
    """The exception classes PortAudio raises, when ``sounddevice`` is already loaded."""
    module = sys.modules.get("sounddevice")
    error = getattr(module, "PortAudioError", None)
    return (error,) if isinstance(error, type) and issubclass(error, Exception) else ()


def _query_sounddevice(stage: str) -> DeviceQuery:
    def query() -> DeviceTable:
        sounddevice = load_sounddevice(stage)
        try:
            devices = list(sounddevice.query_devices())
            default_in, default_out = sounddevice.default.device
        except portaudio_errors() as exc:
            raise VoiceError(
                f"The sound system could not list devices ({exc}). Luma keeps working by text.",
                stage=stage,
            ) from exc
        return devices, (int(default_in), int(default_out))

    return query


class StaticDevices:
    """A fixed device table (a :data:`DeviceQuery` for tests and diagnostics)."""

    def __init__(
        self, devices: Sequence[Mapping[str, Any]] = (), default: tuple[int, int] = (-1, -1)
    ) -> None:
        self.devices = list(devices)
        self.default = default

    def __call__(self) -> DeviceTable:
        return self.devices, self.default

    @staticmethod
    def device(
        index: int, name: str, *, inputs: int = 0, outputs: int = 0, rate: float = 48_000.0
    ) -> dict[str, Any]:
        """One sounddevice-style device dict."""
        return {
            "index": index,
            "name": name,
            "max_input_channels": inputs,
            "max_output_channels": outputs,
            "default_samplerate": rate,
        }


def list_devices(kind: DeviceKind, *, query: DeviceQuery | None = None) -> list[AudioDevice]:
    """The devices that can record (``input``) or play (``output``); [] when there are none."""
    devices, defaults = (query or _query_sounddevice(_STAGE[kind]))()
    default = defaults[0] if kind == "input" else defaults[1]
    channels = "max_input_channels" if kind == "input" else "max_output_channels"
    return [
        AudioDevice(
            index=int(device["index"]),
            name=str(device["name"]),
            default_rate=float(device["default_samplerate"]),
            is_default=int(device["index"]) == default,
        )
        for device in devices
        if int(device.get(channels, 0)) > 0
    ]


def choose_device(
    kind: DeviceKind, wanted: str | int | None, *, query: DeviceQuery | None = None
) -> AudioDevice:
    """The device named by a setting: an index, a name or a part of one; None = the default.

    No device at all → :class:`VoiceError`; a setting that matches none or several →
    :class:`ConfigurationError` naming the setting and the devices there are.
    """
    devices = list_devices(kind, query=query)
    what = _WHAT[kind]
    if not devices:
        raise VoiceError(
            f"No {what} found. Connect one, or pick another in the {_SETTING[kind]} setting; "
            "Luma keeps working by text.",
            stage=_STAGE[kind],
        )
    if wanted is None or (isinstance(wanted, str) and not wanted.strip()):
        return next((device for device in devices if device.is_default), devices[0])
    if isinstance(wanted, int) or wanted.strip().isdigit():
        return _by_index(kind, devices, int(wanted))
    return _by_name(kind, devices, wanted.strip())


def _by_index(kind: DeviceKind, devices: list[AudioDevice], index: int) -> AudioDevice:
    for device in devices:
        if device.index == index:
            return device
    raise ConfigurationError(
        f"There is no {_WHAT[kind]} number {index}. {_available(devices)}",
        setting=_SETTING[kind],
    )


def _by_name(kind: DeviceKind, devices: list[AudioDevice], wanted: str) -> AudioDevice:
    needle = wanted.casefold()
    exact = [device for device in devices if device.name.casefold() == needle]
    matches = exact or [device for device in devices if needle in device.name.casefold()]
    if len(matches) == 1:
        return matches[0]
    setting = _SETTING[kind]
    if not matches:
        raise ConfigurationError(
            f"No {_WHAT[kind]} matches “{wanted}” ({setting}). {_available(devices)}",
            setting=setting,
        )
    names = ", ".join(f"{device.index}: {device.name}" for device in matches)
    raise ConfigurationError(
        f"“{wanted}” matches several {_WHAT[kind]}s ({names}). Write more of the name or the "
        f"number in {setting}.",
        setting=setting,
    )


def _available(devices: list[AudioDevice]) -> str:
    names = ", ".join(f"{device.index}: {device.name}" for device in devices)
    return f"Available: {names}."
