"""Scrolling a 1,000-message conversation: frame time p95: python -m tests.benchmarks.ui_scroll.

The real chat window (offscreen, software renderer) shows 1,000 rows — markdown answers of
varied length, the user's messages, cards — and is scrolled programmatically from the top to
the bottom and back, one step per frame, each step issued as soon as the previous frame is on
screen. Frame time is the interval between the window's ``frameSwapped`` signals; the
numbers are for the software renderer (a GPU renders faster).
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import os
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_QUICK_BACKEND", "software")

from ._stats import print_row

STEP_PX = 90
_WORDS = [
    "the",
    "booking",
    "for",
    "Sarah",
    "moved",
    "to",
    "Thursday",
    "and",
    "the",
    "invoice",
    "was",
    "sent",
    "by",
    "email",
]


def conversation(count: int) -> list[Any]:
    """``count`` rows: questions, markdown answers of 1–12 sentences, and cards."""
    from luma_desktop.ui.chat_model import ChatItem

    start = datetime(2026, 11, 18, 9, tzinfo=UTC)
    rows = []
    for number in range(count):
        at = start + timedelta(seconds=30 * number)
        if number % 3 == 0:
            rows.append(
                ChatItem("user", at, f"Question {number}: what about {_WORDS[number % 14]}?")
            )
        elif number % 7 == 0:
            data = {"summary": f"Result {number}: {' '.join(_WORDS)}.", "tool": "demo"}
            rows.append(
                ChatItem("card", at, card_type="summary", card_data=data, card_state="resolved")
            )
        else:
            sentences = 1 + number % 12
            body = " ".join(
                f"**{_WORDS[i % 14]}** " + " ".join(_WORDS) + "." for i in range(sentences)
            )
            rows.append(ChatItem("assistant", at, f"Answer {number}. {body}", message_id=number))
    return rows


def measure(rows: int, passes: int) -> list[float]:
    """Frame intervals (ms) while scrolling the list ``passes`` times over its length."""
    import qasync
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from luma_desktop.paths import resolve_paths
    from luma_desktop.ui.app import DesktopApp

    qapp = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(qapp, QApplication)
    loop = qasync.QEventLoop(qapp)
    asyncio.set_event_loop(loop)
    app = DesktopApp(qapp, loop, resolve_paths(), opener=_never)
    window = app.load_window()
    app.showWindow()
    app.chat.model.reset(conversation(rows))
    listing = _find(window.contentItem(), "messageList")
    swaps: list[float] = []
    done = loop.create_future()
    state = {"direction": 1, "passes": 0, "running": 0}

    def step() -> None:
        y = listing.property("contentY") + state["direction"] * STEP_PX
        listing.setProperty("contentY", y)
        at_end = (
            listing.property("atYEnd")
            if state["direction"] > 0
            else listing.property("atYBeginning")
        )
        if at_end:
            state["direction"] *= -1
            state["passes"] += 1
            if state["passes"] >= passes and not done.done():
                done.set_result(None)

    def swapped() -> None:
        if state["running"] and not done.done():
            swaps.append(time.perf_counter())
            QTimer.singleShot(0, step)

    window.frameSwapped.connect(swapped)
    loop.run_until_complete(asyncio.sleep(0.5))  # first frames and delegate compilation
    listing.setProperty("following", False)
    listing.setProperty("contentY", listing.property("originY"))
    loop.run_until_complete(asyncio.sleep(0.2))
    state["running"] = 1
    QTimer.singleShot(0, step)
    loop.run_until_complete(asyncio.wait_for(done, 600))
    window.frameSwapped.disconnect(swapped)
    loop.run_until_complete(app.shutdown())
    loop.close()
    asyncio.set_event_loop(None)
    return [(b - a) * 1000 for a, b in itertools.pairwise(swaps)]


def _find(root: Any, name: str) -> Any:
    pending = [root]
    while pending:
        item = pending.pop()
        if item.objectName() == name:
            return item
        pending.extend(item.childItems())
    raise LookupError(name)


def _never(_paths: Any) -> Any:
    raise RuntimeError("the scroll benchmark needs no assistant")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer messages (smoke test)")
    args = parser.parse_args(argv)
    rows, passes = (150, 1) if args.quick else (1000, 2)
    with tempfile.TemporaryDirectory() as home:
        os.environ["LUMA_HOME"] = str(Path(home))
        frames = measure(rows, passes)
    print_row(f"scroll {rows} messages: frame time", frames, target="p95 < 16.7 ms for 60 fps")
    print(f"frames: {len(frames)}, {1000 / (sum(frames) / len(frames)):.0f} per second")


if __name__ == "__main__":
    main()
