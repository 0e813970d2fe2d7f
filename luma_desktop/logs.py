"""Logging: a rotating file in the log dir plus stderr, with secrets redacted everywhere."""

from __future__ import annotations

import logging
import re
import sys
from logging.handlers import RotatingFileHandler
from pathlib import Path

from .credentials import known_secret_values

__all__ = ["LOG_FILE_NAME", "RedactingFilter", "redact", "setup_logging"]

LOG_FILE_NAME = "luma.log"
_MASK = "[redacted]"
_PATTERNS = (
    re.compile(r"sk-[A-Za-z0-9_\-]{8,}"),  # Anthropic / OpenAI style keys
    re.compile(r"(?i)(bearer\s+)[A-Za-z0-9._\-]{8,}"),
    re.compile(r"(?i)((?:api[_-]?key|password|passwd|secret|token)\s*[=:]\s*)[^\s,;&'\"]+"),
    re.compile(r"(?i)(xi-api-key\s*[=:]\s*)[^\s,;]+"),
    re.compile(r"(://[^:/@\s]+:)[^@\s]+(@)"),  # passwords inside URLs
)


def redact(text: str) -> str:
    """``text`` with every known secret value and secret-looking token masked."""
    for value in known_secret_values():
        text = text.replace(value, _MASK)
    for pattern in _PATTERNS:
        text = pattern.sub(
            lambda m: (
                (m.group(1) if m.lastindex else "")
                + _MASK
                + (m.group(2) if (m.lastindex or 0) >= 2 else "")
            ),
            text,
        )
    return text


class RedactingFilter(logging.Filter):
    """Rewrites every record's message so no secret reaches a handler."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if cleaned != message or record.args:
            record.msg, record.args = cleaned, None
        return True


def setup_logging(log_dir: Path, *, level: str = "INFO", to_stderr: bool = True) -> Path:
    """Configure the ``luma_desktop`` logger; returns the log file's path. Idempotent."""
    log_dir.mkdir(parents=True, exist_ok=True)
    log_file = log_dir / LOG_FILE_NAME
    logger = logging.getLogger("luma_desktop")
    for handler in list(logger.handlers):
        if getattr(handler, "_luma", False):
            logger.removeHandler(handler)
            handler.close()
    logger.setLevel(level)
    logger.propagate = False
    formatter = logging.Formatter("%(asctime)s %(levelname)-7s %(name)s: %(message)s")
    file_handler = RotatingFileHandler(
        log_file, maxBytes=2_000_000, backupCount=5, encoding="utf-8", delay=True
    )
    handlers: list[logging.Handler] = [file_handler]
    if to_stderr:
        stderr_handler = logging.StreamHandler(sys.stderr)
        stderr_handler.setLevel(logging.WARNING)
        handlers.append(stderr_handler)
    for handler in handlers:
        handler.setFormatter(formatter)
        handler.addFilter(RedactingFilter())
        handler._luma = True  # type: ignore[attr-defined]
        logger.addHandler(handler)
    return log_file
