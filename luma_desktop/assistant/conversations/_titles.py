"""A conversation's title from its first request: short, natural, without the small talk."""

from __future__ import annotations

import re

from ._clip import clip

__all__ = ["DEFAULT_TITLE", "TITLE_LIMIT", "title_from"]

DEFAULT_TITLE = "New conversation"
TITLE_LIMIT = 60

_GREETING = re.compile(r"^(?:(?:hey|hi|hello|ok|okay|yo)\s+)?luma\b[\s,.!:;-]*", re.IGNORECASE)
_SALUTATION = re.compile(
    r"^(?:hey|hi|hello|ok|okay|so|um+|uh+|erm+|er)\b[\s,.!:;-]*", re.IGNORECASE
)
_ASKING = re.compile(
    r"^(?:(?:can|could|would|will)\s+you(?:\s+please)?|please|i\s+(?:want|need|would\s+like|'d\s+"
    r"like)\s+you\s+to|i'd\s+like\s+you\s+to)\b[\s,]*",
    re.IGNORECASE,
)
_NOISE = re.compile(r"\b(?:please|um+|uh+|erm+|er)\b[,]?", re.IGNORECASE)
_SPACES = re.compile(r"\s+")


def _strip_openers(text: str) -> tuple[str, bool]:
    """The text without greetings and polite openers; whether an opener made it a question."""
    asked = False
    while True:
        before = text
        text = _GREETING.sub("", text, count=1).lstrip(" ,")
        text = _SALUTATION.sub("", text, count=1).lstrip(" ,")
        stripped = _ASKING.sub("", text, count=1).lstrip(" ,")
        asked = asked or stripped != text
        text = stripped
        if text == before:
            return text, asked


def title_from(text: str) -> str:
    """A title of at most 60 characters, or "" when nothing but small talk was said.

    "Hey Luma, can you book Sarah in for a cut tomorrow?" → "Book Sarah in for a cut tomorrow".
    """
    cleaned = _SPACES.sub(" ", "".join(ch if ch.isprintable() else " " for ch in text)).strip()
    cleaned, asked = _strip_openers(cleaned)
    cleaned = _SPACES.sub(" ", _NOISE.sub(" ", cleaned)).strip(" ,;:-")
    cleaned = cleaned.replace(" ,", ",").replace(" ?", "?").replace(" .", ".")
    cleaned = cleaned.rstrip(".!" + ("?" if asked else "")).rstrip()
    if not any(ch.isalnum() for ch in cleaned):
        return ""
    cleaned = clip(cleaned, TITLE_LIMIT, shortest=3, trailing=" ,;:-–—.")
    return cleaned[0].upper() + cleaned[1:]
