"""Notices in the chat (what Luma cannot do here, and what to do instead) and the app's
preferences file (``QSettings``, see :mod:`.preferences`).

A notice is a resolved ``notice`` card in the message list (``TextCard.qml`` draws it: a heading
and the message). Each has a key: a key is posted once per run, and ``once`` notices (facts about
the desktop, such as "no system tray") once ever, remembered in QSettings under ``notices/``.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings

from ..clock import Clock, SystemClock
from .chat_model import ChatItem
from .preferences import open_preferences

if TYPE_CHECKING:
    from .app import DesktopApp

__all__ = ["NOTICE_CARD", "app_clock", "app_settings", "post_notice"]

NOTICE_CARD = "notice"
_POSTED = "notices"
"""``app.services.extras`` key of the set of notice keys posted in this run."""
_SETTINGS = "preferences_store"


def app_settings(app: DesktopApp) -> QSettings:
    """The app's preferences (``<config dir>/preferences.ini``, shared with the settings
    window; QSettings objects on one file share their values within the process)."""
    settings = app.services.extras.get(_SETTINGS)
    if not isinstance(settings, QSettings):
        settings = app.services.extras[_SETTINGS] = open_preferences(app.services.paths)
    return settings


def app_clock(app: DesktopApp) -> Clock:
    """The assistant's clock once it is ready (fixed in tests), else the system clock."""
    assistant = app.services.assistant
    return assistant.context.clock if assistant is not None else SystemClock()


def post_notice(app: DesktopApp, key: str, message: str, *, once: bool = False) -> bool:
    """Add a notice card to the chat unless ``key`` was posted already (this run, or ever when
    ``once``); True when it was added."""
    posted: set[str] = app.services.extras.setdefault(_POSTED, set())
    settings = app_settings(app)
    remembered = f"notices/{key}"
    if key in posted or (once and settings.value(remembered, False, type=bool)):
        return False
    posted.add(key)
    if once:
        settings.setValue(remembered, True)
        settings.sync()
    now: datetime = app_clock(app).now()
    data = {"type": NOTICE_CARD, "key": key, "message": message}
    app.chat.model.append(
        ChatItem("card", now, card_type=NOTICE_CARD, card_data=data, card_state="resolved")
    )
    return True
