"""Pictures of every card, light and dark, for people to review (``$LUMA_SCREENSHOTS`` or a
temporary folder; the test prints where).

The cards come from a real conversation on the demo business: results of the real tools, a
multi-step turn, a choice between the two Sarahs, confirmations of each risk (open, editing,
typing the phrase, resolved, expired) and an error with its recovery actions.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtGui import QImage

from luma_desktop.assistant.brains import ToolCall
from luma_desktop.assistant.catalog import ToolRegistry
from luma_desktop.clock import FixedClock
from luma_desktop.errors import BrainError
from luma_desktop.workspace.database import Workspace

from .card_harness import Chat, chat_factory, show_expiring
from .conftest import screenshots_dir

BOOKING = {"client": "Sarah", "service": "Cut & blow-dry", "when": "tomorrow at 2pm"}
OVERVIEW = [
    ToolCall("a1", "banking_get_balance", {}),
    ToolCall("a2", "invoices_get", {"invoice": 42}),
    ToolCall("a3", "clients_get", {"client": "Sarah Miller"}),
    ToolCall("a4", "scheduling_get_appointment", {"appointment": 231}),
    ToolCall("a5", "scheduling_day_summary", {}),
    ToolCall("a6", "scheduling_check_availability", {"service": "Cut & blow-dry", "day": "19 Nov"}),
    ToolCall("a7", "invoices_overdue_summary", {}),
    ToolCall("a8", "banking_get_statement", {}),
]
MORE = [
    ToolCall("b1", "tasks_list", {}),
    ToolCall("b2", "search_global", {"query": "sarah"}),
    ToolCall("b3", "clients_search", {"query": "sarah"}),
    ToolCall("b4", "quotes_get", {"quote": 1}),
    ToolCall("b5", "reminders_list", {}),
    ToolCall("b6", "scheduling_list_resources", {}),
]
SCRIPT = [
    OVERVIEW,
    ["Here is your overview."],
    MORE,
    ["And the rest."],
    [ToolCall("c1", "scheduling_create_appointment", BOOKING)],
    ["Booked."],
    [ToolCall("e1", "invoices_send", {"invoice": "42"})],
    [ToolCall("f1", "banking_pay_payee", {"payee": "Glow Beauty Supplies", "amount": "9000"})],
    [BrainError("The model is overloaded right now.", retryable=True, provider="scripted")],
    [ToolCall("h1", "scheduling_create_appointment", {**BOOKING, "client": "Sarah Miller"})],
]


@pytest.fixture
def open_chat(
    qt_loop: asyncio.AbstractEventLoop,
    run: Callable[..., Any],
    demo_workspace: Workspace,
    registry: ToolRegistry,
    clock: FixedClock,
) -> Iterator[Callable[..., Chat]]:
    yield from chat_factory(qt_loop, run, demo_workspace, registry, clock)


class Camera:
    """Saves cards in both themes, a batch of rows per theme switch."""

    def __init__(self, chat: Chat, folder: Path) -> None:
        self.chat = chat
        self.folder = folder
        self.paths: list[Path] = []

    def shoot(self, shots: dict[str, int]) -> None:
        """``shots``: file name → row of the card."""
        window = self.chat.window
        for theme in ("light", "dark"):
            window.set_dark(theme == "dark")
            for name, row in shots.items():
                card_type = self.chat.controller.model.item_at(row).card_type
                card = window.card(card_type + "Card", row)
                self.paths.append(window.save(card, self.folder, f"{name}-{theme}"))
        window.set_dark(False)

    def shoot_new(self, prefix: str, first_row: int) -> None:
        """Every card from ``first_row`` on, named by its position and type."""
        items = self.chat.controller.model.items()
        self.shoot(
            {
                f"{prefix}{row:02d}-{item.card_type}-{item.card_data.get('result', '')}".rstrip(
                    "-"
                ): row
                for row, item in enumerate(items)
                if row >= first_row and item.kind == "card"
            }
        )

    def shoot_last(self, name: str, card_type: str) -> None:
        self.shoot({name: self.chat.row_of(card_type)})


def _looks_drawn(path: Path) -> bool:
    image = QImage(str(path))
    grid = [(x, y) for x in range(0, image.width(), 9) for y in range(0, image.height(), 9)]
    colours = {image.pixel(x, y) for x, y in grid}
    return image.width() >= 360 and image.height() >= 60 and len(colours) > 8


def test_screenshots_of_every_card(open_chat, tmp_path, capsys):
    folder = screenshots_dir(tmp_path) / "cards"
    folder.mkdir(exist_ok=True)
    chat = open_chat(*SCRIPT)
    camera = Camera(chat, folder)
    window = chat.window

    chat.say("Give me an overview")
    camera.shoot_new("a", 0)
    start = len(chat.controller.model)
    chat.say("And the rest")
    camera.shoot_new("b", start)

    chat.say("Book a haircut for Sarah tomorrow at 2pm")
    camera.shoot_last("c-disambiguation", "disambiguation")
    window.click(window.child(window.card("disambiguationCard"), "candidate2"))
    chat.wait()
    camera.shoot(
        {
            "c-disambiguation-resolved": chat.row_of("disambiguation"),
            "d-confirmation-medium": chat.row_of("confirmation"),
        }
    )
    card = window.card("confirmationCard")
    window.click(window.child(card, "editButton"))
    camera.shoot_last("d-confirmation-editing", "confirmation")
    window.click(window.child(card, "cancelButton"))  # "Back"
    window.click(window.child(card, "confirmButton"))
    chat.wait()
    camera.shoot_last("d-confirmation-resolved", "confirmation")

    chat.say("Send invoice 42")
    camera.shoot_last("e-confirmation-high", "confirmation")
    chat.say("Pay Glow Beauty Supplies 9000")
    camera.shoot_last("f-confirmation-critical", "confirmation")
    window.type_into(window.child(window.card("confirmationCard"), "phraseField"), "CONFIRM")
    camera.shoot_last("f-confirmation-critical-typing", "confirmation")
    chat.say("What's my balance?")
    camera.shoot_last("g-error", "error")
    show_expiring(chat, timedelta(seconds=-1))
    camera.shoot_last("h-confirmation-expired", "confirmation")

    with capsys.disabled():
        print(f"\ncard screenshots ({len(camera.paths)}): {folder}")
    types = {path.stem.split("-")[1] for path in camera.paths if path.stem[0] in "ab"}
    assert types == {"balance", "invoice", "client", "appointment", "table", "progress"}
    assert len(camera.paths) == 2 * 26  # 9 + 7 results and progress, 10 questions
    undrawn = [path.name for path in camera.paths if not _looks_drawn(path)]
    assert undrawn == []
