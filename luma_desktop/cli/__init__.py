"""The ``luma`` command line. Heavy modules are imported inside commands, so it starts fast."""

from __future__ import annotations

import sys

__all__ = ["main"]


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; returns the process exit code."""
    from ._app import app, run
    from .audit import register as register_audit
    from .chat import register as register_chat
    from .conversations import register as register_conversations
    from .memory import register as register_memory
    from .parse import register as register_parse
    from .say import register as register_say
    from .transcribe import register as register_transcribe

    register_audit(app)
    register_chat(app)
    register_conversations(app)
    register_memory(app)
    register_parse(app)
    register_say(app)
    register_transcribe(app)
    return run(sys.argv[1:] if argv is None else argv)
