"""Turn events as rows of the chat: streamed text, cards, and cards' outcomes.

:class:`TurnRows` changes the :class:`ChatModel` for :class:`ChatController`; it knows nothing of
the assistant. Streamed text is gathered for a moment before it reaches the model: every model
change costs the GUI thread a hand-over of the GIL, which worker threads may be holding.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from PySide6.QtCore import QObject, QTimer

from ..assistant.events import (
    ConfirmationRequired,
    DisambiguationRequired,
    ErrorOccurred,
    Event,
    TurnComplete,
)
from ._chat_events import CardMapping, minimal_card_for, plain
from .chat_model import ChatItem, ChatModel

__all__ = ["MOVED_ON", "STREAM_FLUSH_MS", "Turn", "TurnRows"]

log = logging.getLogger(__name__)

MOVED_ON = "Not done: the conversation moved on."
STREAM_FLUSH_MS = 33
"""Streamed text reaches the list at most this often (about 30 updates a second)."""
_ASKING = (ConfirmationRequired, DisambiguationRequired)


@dataclass
class Turn:
    """What one request produced (for the clean-up after it)."""

    first_row: int
    answering: tuple[int, ...] = ()
    """Rows of the cards this request answers (the request itself settles them)."""
    text_rows: list[int] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    complete: TurnComplete | None = None


class TurnRows(QObject):
    """Adds and updates the rows one turn's events call for."""

    def __init__(
        self, model: ChatModel, card_for: CardMapping, now: Callable[[], datetime]
    ) -> None:
        super().__init__(model)
        self.model = model
        self.card_for = card_for
        self.now = now
        self._stream_row: int | None = None
        self._pending: list[str] = []
        self._timer = QTimer(self, singleShot=True, interval=STREAM_FLUSH_MS)
        self._timer.timeout.connect(self.flush)

    def begin(self, answering: Sequence[int] = ()) -> Turn:
        return Turn(first_row=len(self.model), answering=tuple(answering))

    # -- text --------------------------------------------------------------------------------

    def stream(self, text: str, turn: Turn) -> None:
        """The first piece shows at once; later ones are gathered for a moment."""
        if self._stream_row is None:
            item = ChatItem("assistant", self.now(), text, streaming=True)
            self._stream_row = self.model.append(item)
            turn.text_rows.append(self._stream_row)
            return
        self._pending.append(text)
        if not self._timer.isActive():
            self._timer.start()

    def flush(self) -> None:
        self._timer.stop()
        if self._stream_row is not None and self._pending:
            self.model.append_text(self._stream_row, "".join(self._pending))
        self._pending.clear()

    def end_stream(self) -> None:
        """The growing message is complete (a card or the end of the turn follows)."""
        self.flush()
        if self._stream_row is not None:
            self.model.update(self._stream_row, streaming=False)
            self._stream_row = None

    # -- cards -------------------------------------------------------------------------------

    def add_card(self, event: Event) -> None:
        """The card ``event`` maps to, if any (open while it asks something of the user)."""
        try:
            mapped = self.card_for(event)
        except Exception:
            log.exception("the card mapping failed on %s; showing a plain card", event.type)
            mapped = minimal_card_for(event)
        if mapped is None:
            return
        card_type, data = mapped[0], plain(mapped[1])
        offering = isinstance(event, ErrorOccurred) and bool(event.options)
        state = "open" if isinstance(event, _ASKING) or offering else "resolved"
        key = data.get("key")
        rows = self.model.find_cards((card_type,), "key", key) if key is not None else []
        if rows:
            self.model.update(rows[-1], card_data=data, card_state=state)
            return
        self.model.append(
            ChatItem("card", self.now(), card_type=card_type, card_data=data, card_state=state)
        )

    def problem(self, code: str, message: str) -> None:
        """A resolved error card that is not a turn's ("Luma could not start")."""
        data = {"type": "error", "code": code, "message": message, "options": []}
        self.model.append(
            ChatItem("card", self.now(), card_type="error", card_data=data, card_state="resolved")
        )

    def resolve(self, rows: Sequence[int], outcome: str) -> None:
        for row in rows:
            self.model.update(row, card_state="resolved", card_outcome=outcome)

    def resolve_call(
        self, card_type: str, call_id: str, outcome: str, skip: Sequence[int] = ()
    ) -> None:
        """Resolve the open cards of ``card_type`` for ``call_id`` (except rows in ``skip``)."""
        rows = self.model.find_cards((card_type,), "call_id", call_id, state="open")
        self.resolve([row for row in rows if row not in skip], outcome)

    def settle(self, rows: Sequence[int], turn: Turn, *, still_waiting: bool, done: str) -> None:
        """After answering cards: ones still open were not settled by the turn's events. A
        refused answer the assistant still waits for (a wrong phrase) keeps them open."""
        still = [row for row in rows if self.model.item_at(row).card_state == "open"]
        if still and not (turn.errors and still_waiting):
            self.resolve(still, turn.errors[-1] if turn.errors else done)

    def close_stale(self, turn: Turn, waiting_for: str | None) -> None:
        """Questions from earlier turns end once the conversation moved past them."""
        open_rows = self.model.open_cards()
        newer = any(row >= turn.first_row for row in open_rows)
        stale = [r for r in open_rows if r < turn.first_row and r not in turn.answering]
        if stale and (waiting_for is None or newer):
            self.resolve(stale, MOVED_ON)

    def open_errors(self) -> list[int]:
        return [r for r in self.model.open_cards() if self.model.item_at(r).card_type == "error"]

    def candidate_label(self, rows: Sequence[int], chosen: int | str | None) -> str:
        """The outcome of choosing ``chosen`` on a disambiguation card."""
        if chosen is None:
            return "None of them."
        for row in rows:
            for candidate in self.model.item_at(row).card_data.get("candidates") or []:
                if candidate.get("id") == chosen:
                    return f"You chose {candidate.get('label', chosen)}."
        return "Answered."

    def row_of(self, item_id: int) -> int | None:
        for row in range(len(self.model)):
            if self.model.item_at(row).item_id == item_id:
                return row
        return None
