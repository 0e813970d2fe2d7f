"""Screenshots of the chat window for review: ``python -m tests.ui.screenshots OUTDIR``.

Runs the app offscreen on a fresh demo business (at the tests' fixed time, with the offline
brain) through a short session — greeting, a balance card, choosing between two Sarahs, a
booking to confirm, the expanded window, dark theme, larger text — and saves one PNG each.
``tests/ui/test_chat_window.py`` runs the same session under pytest.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

from luma_desktop.ui.app import DesktopApp

__all__ = ["capture", "main"]

Run = Callable[[Coroutine[Any, Any, Any]], Any]


def _settle(app: DesktopApp, run: Run) -> None:
    run(asyncio.sleep(0.25))  # animations, layout and the list following its end
    app.qt_app.processEvents()


def capture(app: DesktopApp, run: Run, folder: Path) -> list[Path]:
    """Drive ``app`` through the session and save the screenshots in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    saved: list[Path] = []

    def shot(name: str) -> None:
        _settle(app, run)
        assert app.window is not None
        path = folder / f"{name}.png"
        if not app.window.grabWindow().save(str(path)):
            raise OSError(f"could not write {path}")
        saved.append(path)

    def ask(text: str) -> None:
        app.chat.send(text)
        run(app.chat.idle())

    shot("01-greeting")
    ask("what's my balance")
    shot("02-balance")
    ask("book a balayage for Sarah at 2pm tomorrow")
    shot("03-which-sarah")
    choice = [i for i in app.chat.model.items() if i.card_type == "disambiguation"][-1]
    app.chat.choose(choice.card_data["call_id"], choice.card_data["candidates"][1]["id"])
    run(app.chat.idle())
    shot("04-confirm-booking")
    confirmation = [i for i in app.chat.model.items() if i.card_type == "confirmation"][-1]
    app.chat.confirm(confirmation.card_data["pending_id"], True, "", "")
    run(app.chat.idle())
    shot("05-booked")
    app.window_state.set_expanded(True)
    run(app.conversations.idle())
    shot("06-expanded")
    app.window_state.set_theme("dark")
    shot("07-expanded-dark")
    app.window_state.set_expanded(False)
    app.window_state.set_font_scale(1.3)
    shot("08-dark-larger-text")
    app.window_state.set_font_scale(1.0)
    app.window_state.set_theme("light")
    return saved


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("outdir", type=Path, help="where to write the PNG files")
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before Qt starts
    os.environ.setdefault("QT_QUICK_BACKEND", "software")
    with tempfile.TemporaryDirectory() as home:
        os.environ["LUMA_HOME"] = home
        os.environ.setdefault("LUMA_KEYRING", "off")
        saved = _run_session(Path(home), args.outdir.resolve())
    for path in saved:
        print(path)
    return 0


def _run_session(home: Path, outdir: Path) -> list[Path]:
    import qasync
    from PySide6.QtWidgets import QApplication

    from luma_desktop.clock import FixedClock
    from luma_desktop.paths import resolve_paths
    from luma_desktop.tools import build_registry
    from luma_desktop.ui.app import Opened
    from luma_desktop.workspace.database import Workspace, sqlite_url
    from luma_desktop.workspace.demo import seed_demo

    from ..conftest import NOW
    from . import conftest

    qapp = QApplication.instance() or QApplication(sys.argv[:1])
    loop = qasync.QEventLoop(qapp)
    asyncio.set_event_loop(loop)
    clock = FixedClock(NOW)
    workspace = Workspace(sqlite_url(home / "demo"))
    workspace.upgrade()
    seed_demo(workspace, clock=clock)
    assistant = conftest.make_assistant(workspace, build_registry(), clock, None)
    assert isinstance(qapp, QApplication)
    app = DesktopApp(qapp, loop, resolve_paths(), opener=lambda _: Opened(workspace, assistant))

    def run(work: Coroutine[Any, Any, Any]) -> Any:
        return loop.run_until_complete(work)

    try:
        app.load_window()
        app.showWindow()
        run(app.start_services())
        run(app.greeter.idle())
        return capture(app, run, outdir)
    finally:
        run(app.shutdown())
        loop.close()
        asyncio.set_event_loop(None)


if __name__ == "__main__":
    raise SystemExit(main())
