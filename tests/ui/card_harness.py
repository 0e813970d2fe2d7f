"""A window that shows a chat controller's rows with the real CardHost, for card tests; and a
chat on the demo business (real assistant, scripted brain, real controller) to feed it.

The window lists ``chat.messages`` like the chat window's message list (cards through
``cards/CardHost.qml``; every row instantiated, so any card can be found and shown), so each
card runs in its real delegate with the real ``chat`` controller. Helpers find cards and their
controls by ``objectName``, press them with real mouse and key events, and grab a card as an
image.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine, Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from PySide6.QtCore import Q_ARG, QCoreApplication, QEvent, QMetaObject, QPointF, Qt, QUrl
from PySide6.QtGui import QGuiApplication, QImage, QKeyEvent, QMouseEvent
from PySide6.QtQml import QQmlComponent, QQmlEngine, QQmlError
from PySide6.QtQuick import QQuickItem, QQuickWindow
from PySide6.QtQuickControls2 import QQuickStyle

from luma_desktop.assistant.brains import ScriptedBrain
from luma_desktop.assistant.catalog import ToolRegistry
from luma_desktop.assistant.events import ConfirmationRequired, Event
from luma_desktop.assistant.orchestrator import Assistant
from luma_desktop.clock import FixedClock
from luma_desktop.ui._chat_events import plain
from luma_desktop.ui.cards import CardMapper, follow_progress
from luma_desktop.ui.chat_controller import ChatController
from luma_desktop.ui.chat_model import CARDS_DIR, ChatItem
from luma_desktop.workspace.database import Workspace

from .conftest import make_assistant

__all__ = ["CardWindow", "Chat", "chat_factory", "show_expiring"]

_QML = b"""
import QtQuick
import QtQuick.Controls
import QtQml.Models
import ".."

Window {
    id: root
    property bool dark: false
    width: 400
    height: 720
    visible: true
    color: Theme.background
    Binding { target: Theme; property: "dark"; value: root.dark }

    ListView {
        id: list
        objectName: "cardList"
        anchors.fill: parent
        topMargin: 12
        bottomMargin: 12
        spacing: 12
        model: chat.messages
        cacheBuffer: 100000
        delegate: DelegateChooser {
            role: "kind"
            DelegateChoice {
                roleValue: "card"
                delegate: CardHost { width: ListView.view.width }
            }
            DelegateChoice {
                delegate: Item {
                    required property string text
                    required property string kind
                    objectName: "message_" + kind
                    width: ListView.view.width
                    height: message.implicitHeight
                    Label {
                        id: message
                        width: parent.width
                        leftPadding: Theme.padding
                        rightPadding: Theme.padding
                        text: (parent.kind === "user" ? "You: " : "Luma: ") + parent.text
                        color: Theme.text
                        wrapMode: Text.Wrap
                    }
                }
            }
        }
    }
    function show(row) {
        var item = list.itemAtIndex(row)
        if (item)
            list.contentY = item.y - list.topMargin
        else
            list.positionViewAtIndex(row, ListView.Beginning)
    }
}
"""


def _walk(item: QQuickItem) -> Iterator[QQuickItem]:
    yield item
    for child in item.childItems():
        yield from _walk(child)


class CardWindow:
    """The harness window for one controller (exposed to QML as ``chat``)."""

    def __init__(
        self, controller: ChatController, run: Callable[[Coroutine[Any, Any, Any]], Any]
    ) -> None:
        """``run`` runs a coroutine on the loop Qt and asyncio share (jobs need it running)."""
        if QQuickStyle.name() != "Basic":
            QQuickStyle.setStyle("Basic")
        self.controller = controller
        self.run = run
        self.warnings: list[str] = []
        self.engine = QQmlEngine()
        self.engine.warnings.connect(self._warned)
        self.engine.rootContext().setContextProperty("chat", controller)
        self.component = QQmlComponent(self.engine)
        self.component.setData(_QML, QUrl.fromLocalFile(str(CARDS_DIR / "_harness.qml")))
        window = self.component.create()
        if not isinstance(window, QQuickWindow):
            raise RuntimeError(f"the harness did not load: {self.component.errorString()}")
        QQmlEngine.setObjectOwnership(window, QQmlEngine.ObjectOwnership.CppOwnership)
        self.window = window

    def _warned(self, errors: list[QQmlError]) -> None:
        self.warnings.extend(error.toString() for error in errors)

    def close(self) -> None:
        """Destroy the window and its engine now (before the controller goes)."""
        self.window.close()
        self.window.deleteLater()
        self.engine.deleteLater()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)

    # -- finding -------------------------------------------------------------------------------

    def settle(self) -> None:
        """Let QML lay out and paint what changed, and started jobs begin."""
        self.run(asyncio.sleep(0.005))

    def cards(self, object_name: str) -> list[QQuickItem]:
        """Cards with ``object_name`` that are instantiated, in row order."""
        self.settle()
        found = [i for i in _walk(self.window.contentItem()) if i.objectName() == object_name]
        return sorted(found, key=lambda card: int(card.property("row")))

    def card(self, object_name: str, row: int | None = None) -> QQuickItem:
        """The newest card named ``object_name`` (or the one at ``row``), scrolled into view."""
        rows = self.controller.model
        wanted = row
        if wanted is None:
            names = {i: rows.item_at(i).card_type for i in range(len(rows))}
            kind = object_name.removesuffix("Card")
            matches = [i for i, card_type in names.items() if card_type == kind]
            if not matches:
                raise LookupError(f"no {kind} card in {list(names.values())}")
            wanted = matches[-1]
        self.show(wanted)
        for card in self.cards(object_name):
            if int(card.property("row")) == wanted:
                return card
        raise LookupError(f"no {object_name} at row {wanted}")

    def show(self, row: int) -> None:
        """Scroll so the row's top is at the top of the window."""
        QMetaObject.invokeMethod(self.window, "show", Q_ARG("QVariant", row))
        self.settle()

    @staticmethod
    def child(card: QQuickItem, object_name: str) -> QQuickItem:
        for item in _walk(card):
            if item.objectName() == object_name:
                return item
        raise LookupError(f"{card.objectName()} has no {object_name}")

    @staticmethod
    def texts(card: QQuickItem) -> list[str]:
        """Every visible text in the card."""
        return [
            str(item.property("text"))
            for item in _walk(card)
            if item.isVisible() and isinstance(item.property("text"), str) and item.property("text")
        ]

    # -- acting --------------------------------------------------------------------------------
    # Input goes straight to the window (QGuiApplication.sendEvent), not through QTest: QTest
    # flushes Qt's event queue, which would run the jobs a click starts outside the loop.

    def _send(self, event: QEvent) -> None:
        QGuiApplication.sendEvent(self.window, event)

    def click(self, item: QQuickItem) -> None:
        """A real mouse click (press and release) in the middle of ``item``."""
        centre = item.mapToScene(QPointF(item.width() / 2, item.height() / 2))
        outside = QPointF(self.window.mapToGlobal(centre.toPoint()))
        left, none = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
        for kind, buttons in (
            (QEvent.Type.MouseButtonPress, left),
            (QEvent.Type.MouseButtonRelease, Qt.MouseButton.NoButton),
        ):
            self._send(QMouseEvent(kind, centre, outside, left, buttons, none))
        self.settle()

    def _press(self, key: int, text: str = "") -> None:
        none = Qt.KeyboardModifier.NoModifier
        self._send(QKeyEvent(QEvent.Type.KeyPress, key, none, text))
        self._send(QKeyEvent(QEvent.Type.KeyRelease, key, none, text))

    def type_into(self, item: QQuickItem, text: str) -> None:
        """Focus ``item`` and type ``text`` key by key."""
        item.forceActiveFocus()
        for char in text:
            key = ord(char.upper()) if char.isalnum() else int(Qt.Key.Key_Space)
            self._press(key, char)
        self.settle()

    def key(self, item: QQuickItem, key: Qt.Key) -> None:
        """Focus ``item`` and press ``key``."""
        item.forceActiveFocus()
        text = chr(int(key)) if int(Qt.Key.Key_0) <= int(key) <= int(Qt.Key.Key_9) else ""
        self._press(int(key), text if key != Qt.Key.Key_Space else " ")
        self.settle()

    # -- images --------------------------------------------------------------------------------

    def grab(self, card: QQuickItem, margin: int = 12) -> QImage:
        """The card as an image, with a margin of the window's background around it."""
        height = int(card.height()) + 2 * margin + 24
        if self.window.height() < height:
            self.window.setHeight(height)
        self.show(int(card.property("row")))
        top_left = card.mapToScene(QPointF(0, 0)).toPoint()
        frame = self.window.grabWindow()
        ratio = frame.devicePixelRatio()
        x, y = max(0, top_left.x() - margin), max(0, top_left.y() - margin)
        width = min(int(card.width()) + 2 * margin, self.window.width() - x)
        rect_h = min(int(card.height()) + 2 * margin, self.window.height() - y)
        return frame.copy(int(x * ratio), int(y * ratio), int(width * ratio), int(rect_h * ratio))

    def save(self, card: QQuickItem, folder: Path, name: str) -> Path:
        path = folder / f"{name}.png"
        if not self.grab(card).save(str(path)):
            raise OSError(f"could not write {path}")
        return path

    def set_dark(self, dark: bool) -> None:
        self.window.setProperty("dark", dark)
        self.settle()


@dataclass
class Chat:
    """A harness window on a controller whose assistant plans with a scripted brain."""

    window: CardWindow
    controller: ChatController
    assistant: Assistant
    run: Callable[..., Any]

    def say(self, text: str) -> None:
        self.controller.send(text)
        self.wait()

    def wait(self) -> None:
        self.run(self.controller.idle())
        self.window.settle()

    def card_types(self) -> list[str]:
        return [item.card_type for item in self.controller.model.items() if item.card_type]

    def row_of(self, card_type: str) -> int:
        items = self.controller.model.items()
        return [row for row, item in enumerate(items) if item.card_type == card_type][-1]


def chat_factory(
    loop: asyncio.AbstractEventLoop,
    run: Callable[..., Any],
    workspace: Workspace,
    registry: ToolRegistry,
    clock: FixedClock,
) -> Iterator[Callable[..., Chat]]:
    """The body of an ``open_chat`` fixture: ``open_chat(*replies)`` gives a :class:`Chat` whose
    brain plays ``replies``; afterwards every window is closed and must have had no QML
    warning."""
    chats: list[Chat] = []

    def open_chat(*replies: list[Any]) -> Chat:
        assistant = make_assistant(workspace, registry, clock, ScriptedBrain(list(replies)))
        controller = ChatController(loop, card_for=CardMapper.for_context(assistant.context))
        follow_progress(controller)
        controller.attach(assistant)
        chat = Chat(CardWindow(controller, run), controller, assistant, run)
        chats.append(chat)
        return chat

    yield open_chat
    for chat in chats:
        run(chat.controller.aclose())
        chat.window.close()
        chat.controller.deleteLater()  # here, not wherever Python collects it (it has timers)
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    assert [w for chat in chats for w in chat.window.warnings] == []


def show_expiring(chat: Chat, left: timedelta) -> None:
    """Ask for a real booking confirmation and show it as if ``left`` remained before it
    expires (negative: expired that long ago)."""

    async def ask() -> ConfirmationRequired:
        events: list[Event] = [e async for e in chat.assistant.send("book Sarah")]
        return next(e for e in events if isinstance(e, ConfirmationRequired))

    asked = chat.run(ask())
    seen_at = FixedClock(asked.expires_at - left)
    mapped = CardMapper.for_business(None, seen_at, "GBP")(asked)
    assert mapped is not None
    item = ChatItem("card", seen_at.now(), card_type=mapped[0], card_state="open")
    item.card_data = plain(mapped[1])
    chat.controller.model.append(item)
