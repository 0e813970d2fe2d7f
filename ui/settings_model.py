"""The Settings window's view of ``settings.toml`` (exposed to QML as ``settingsModel``).

Edits go to a draft; each edit is validated with the rest of the file and problems are shown
under the field they concern. :meth:`SettingsModel.save` writes the changed settings atomically
through :mod:`luma_desktop.settings_file` (nothing is written while a value is wrong);
:meth:`SettingsModel.revert` drops the draft. Settings a ``LUMA_*`` environment variable sets
are marked, since the variable wins over the file. The app's own preferences (theme, hotkey,
start at login…) are not here: see :mod:`.preferences_model`.
"""

from __future__ import annotations

import asyncio
from typing import Any

from PySide6.QtCore import Property, QObject, Signal, Slot

from ..errors import ConfigurationError, VoiceError
from ..paths import AppPaths
from ..settings import LumaSettings
from ..settings_file import (
    SETTING_NAMES,
    default_value,
    environment_overrides,
    read_settings_file,
    setting_choices,
    setting_problems,
    update_settings_file,
    validate_file_values,
)
from ..voice.devices import DeviceQuery, list_devices
from ._tasks import TaskSet

__all__ = ["SettingsModel"]

_PLACEHOLDERS = {
    "database_url": "Built-in SQLite workspace on this computer",
    "local_base_url": "http://127.0.0.1:11434/v1",
    "memory_server_url": "Memory kept on this computer",
    "voice_input_device": "System default",
    "voice_output_device": "System default",
    "tts_voice": "System default voice",
    "business": "The only business in the workspace",
    "user": "The business owner",
    "elevenlabs_base_url": "The public ElevenLabs API",
}


def _shown(value: Any) -> Any:
    """A value as QML shows it (``None`` → empty text)."""
    return "" if value is None else value


class SettingsModel(QObject):
    """A draft of Luma's settings, checked as it is edited, saved on request."""

    valuesChanged = Signal()
    errorsChanged = Signal()
    dirtyChanged = Signal()
    messageChanged = Signal()
    devicesChanged = Signal()
    saved = Signal(list)
    """The settings were written (the names that changed); the app may apply them."""

    def __init__(
        self,
        loop: asyncio.AbstractEventLoop,
        paths: AppPaths,
        *,
        device_query: DeviceQuery | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.path = paths.settings_file
        self._tasks = TaskSet(loop)
        self._device_query = device_query
        self._file: dict[str, Any] = {}
        self._draft: dict[str, Any] = {}
        self._errors: dict[str, str] = {}
        self._load_error = ""
        self._message = ""
        self._overrides: dict[str, str] = {}
        self._devices: dict[str, list[dict[str, str]]] = {"input": [], "output": []}
        self._devices_note = ""
        self._restart = False
        self.reload()

    # -- loading, editing, saving --------------------------------------------------------------

    @Slot()
    def reload(self) -> None:
        """Read the file again (the draft is dropped)."""
        try:
            self._file, self._load_error = read_settings_file(self.path), ""
        except ConfigurationError as error:
            self._file, self._load_error = {}, error.message
        self._overrides = environment_overrides()
        self._set_draft(dict(self._file))
        self._set_message(self._load_error)

    def _set_draft(self, draft: dict[str, Any]) -> None:
        self._draft = draft
        self._errors = setting_problems(draft)
        self.valuesChanged.emit()
        self.errorsChanged.emit()
        self.dirtyChanged.emit()

    @Slot(str, "QVariant")
    def setValue(self, name: str, value: Any) -> None:
        """Change one setting in the draft (blank = back to the default) and check it."""
        if name not in LumaSettings.model_fields:
            self._errors = {**self._errors, name: f"There is no setting called “{name}”."}
            self.errorsChanged.emit()
            return
        if isinstance(value, str):
            value = value.strip()
        draft = dict(self._draft)
        if (
            value is None
            or value == ""
            or (value == default_value(name) and name not in self._file)
        ):
            draft.pop(name, None)
        else:
            draft[name] = value
        if self._message and not self._load_error:
            self._set_message("")
        if not setting_problems(draft):
            draft = validate_file_values(draft)  # "175" → 175, as it will be saved
        self._set_draft(draft)

    def changed_names(self) -> list[str]:
        """Settings whose draft value differs from the file."""
        names = set(self._draft) | set(self._file)
        return sorted(n for n in names if self._draft.get(n) != self._file.get(n))

    @Slot(result=bool)
    def save(self) -> bool:
        """Write the changed settings; False (with the reason shown) when nothing was written."""
        if self._load_error:
            self._set_message(self._load_error)
            return False
        if self._errors:
            self._set_message("Fix the settings marked in red first; nothing was saved.")
            return False
        changed = self.changed_names()
        if not changed:
            return True
        try:
            written = update_settings_file(self.path, {n: self._draft.get(n) for n in changed})
        except ConfigurationError as error:
            if error.setting:
                self._errors = {**self._errors, error.setting: error.message}
                self.errorsChanged.emit()
            self._set_message(error.message)
            return False
        self._file = written
        self._restart = True
        self._set_draft(dict(written))
        self._set_message("Saved. Restart Luma to use the new settings.")
        self.saved.emit(changed)
        return True

    @Slot()
    def revert(self) -> None:
        """Forget the unsaved changes."""
        self._set_draft(dict(self._file))
        self._set_message(self._load_error)

    @Slot(str, result=str)
    def describe(self, name: str) -> str:
        """The setting's description (for tooltips and screen readers)."""
        field = LumaSettings.model_fields.get(name)
        return (field.description or "") if field is not None else ""

    def _set_message(self, message: str) -> None:
        if message != self._message:
            self._message = message
            self.messageChanged.emit()

    # -- sound devices -------------------------------------------------------------------------

    @Slot()
    def refreshDevices(self) -> None:
        """List microphones and speakers again (in a worker thread)."""
        self._tasks.spawn(self._list_devices(), "list sound devices")

    async def _list_devices(self) -> None:
        query = self._device_query

        def both() -> tuple[list[str], list[str]]:
            inputs = [d.name for d in list_devices("input", query=query)]
            return inputs, [d.name for d in list_devices("output", query=query)]

        try:
            inputs, outputs = await asyncio.to_thread(both)
        except VoiceError as error:
            inputs, outputs, note = [], [], error.message
        else:
            note = "" if inputs else "No microphone found: Luma works by text."
        default = {"name": "System default", "value": ""}
        self._devices = {
            "input": [default, *({"name": n, "value": n} for n in inputs)],
            "output": [default, *({"name": n, "value": n} for n in outputs)],
        }
        self._devices_note = note
        self.devicesChanged.emit()

    async def idle(self) -> None:
        """Until background work (device lists) has finished."""
        await self._tasks.wait()

    async def aclose(self) -> None:
        await self._tasks.cancel()

    # -- properties ----------------------------------------------------------------------------

    def value(self, name: str) -> Any:
        """The draft value of ``name`` (its default when the file does not set it)."""
        return self._draft.get(name, default_value(name))

    def _get_values(self) -> dict[str, Any]:
        return {name: _shown(self.value(name)) for name in SETTING_NAMES}

    def _get_errors(self) -> dict[str, str]:
        return dict(self._errors)

    def _get_dirty(self) -> bool:
        return bool(self.changed_names())

    def _get_message(self) -> str:
        return self._message

    def _get_tone(self) -> str:
        if not self._message:
            return ""
        return "success" if self._message.startswith("Saved") else "error"

    def _get_restart(self) -> bool:
        return self._restart

    def _get_overrides(self) -> dict[str, str]:
        return dict(self._overrides)

    def _get_choices(self) -> dict[str, list[str]]:
        return {name: list(values) for name, values in setting_choices().items()}

    def _get_placeholders(self) -> dict[str, str]:
        return dict(_PLACEHOLDERS)

    def _get_inputs(self) -> list[dict[str, str]]:
        return list(self._devices["input"])

    def _get_outputs(self) -> list[dict[str, str]]:
        return list(self._devices["output"])

    def _get_devices_note(self) -> str:
        return self._devices_note

    def _get_path(self) -> str:
        return str(self.path)

    values = Property(dict, _get_values, notify=valuesChanged)
    errors = Property(dict, _get_errors, notify=errorsChanged)
    dirty = Property(bool, _get_dirty, notify=dirtyChanged)
    message = Property(str, _get_message, notify=messageChanged)
    messageTone = Property(str, _get_tone, notify=messageChanged)
    """``success`` after saving, ``error`` when something was refused, else empty."""
    restartNeeded = Property(bool, _get_restart, notify=messageChanged)
    overrides = Property(dict, _get_overrides, notify=valuesChanged)
    choices = Property(dict, _get_choices, constant=True)
    placeholders = Property(dict, _get_placeholders, constant=True)
    inputDevices = Property(list, _get_inputs, notify=devicesChanged)
    outputDevices = Property(list, _get_outputs, notify=devicesChanged)
    devicesNote = Property(str, _get_devices_note, notify=devicesChanged)
    filePath = Property(str, _get_path, constant=True)
