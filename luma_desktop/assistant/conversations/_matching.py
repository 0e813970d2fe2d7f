"""Case-insensitive text search that behaves the same on SQLite and PostgreSQL.

Databases fold case differently (SQLite's ``lower()`` only knows ASCII; PostgreSQL's depends
on the server's locale), so the SQL filter is a superset — ASCII letters folded, any other
character a single-character wildcard — and :func:`contains` confirms each candidate in Python.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

__all__ = ["ESCAPE", "contains", "like_filter", "snippet"]

ESCAPE = "\\"
SNIPPET_RADIUS = 40


def _pattern(text: str) -> str:
    parts = []
    for char in text.lower():
        if char in "%_\\":
            parts.append(ESCAPE + char)
        elif char.isascii():
            parts.append(char)
        else:
            parts.append("_")
    return "%" + "".join(parts) + "%"


def like_filter(column: Any, text: str) -> sa.ColumnElement[bool]:
    """A SQL condition true for every row whose ``column`` contains ``text`` (and maybe more)."""
    return sa.func.lower(column).like(_pattern(text), escape=ESCAPE)


def contains(haystack: str, needle: str) -> bool:
    return needle.lower() in haystack.lower()


def snippet(text: str, needle: str) -> str:
    """About 80 characters of ``text`` around the first hit of ``needle``, on one line."""
    flat = " ".join(text.split())
    at = max(flat.lower().find(needle.lower()), 0)
    start = max(at - SNIPPET_RADIUS, 0)
    end = min(at + len(needle) + SNIPPET_RADIUS, len(flat))
    if start > 0:
        space = flat.find(" ", start, at)
        start = space + 1 if space >= 0 else start
    if end < len(flat):
        space = flat.rfind(" ", at + len(needle), end)
        end = space if space >= 0 else end
    return ("…" if start > 0 else "") + flat[start:end] + ("…" if end < len(flat) else "")
