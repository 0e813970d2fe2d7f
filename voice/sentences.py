"""Sentences out of streamed text, each handed out as soon as it ends, as plain text for speech.

Feed the assistant's text deltas to a :class:`SentenceSplitter`; ``feed`` returns the sentences
completed so far and ``flush`` the rest at the end of the reply, so speech can start at the
first sentence. A sentence ends at ``.``, ``!``, ``?`` or ``…`` followed by a space, or at a line
break, but not inside "£12.50", "10.30am" or "luma.app", nor after "Dr.", "e.g." or an
initial ("J. Smith"); "etc.", "a.m.", "Ltd." end one only when a capital follows. A sentence
that runs past ``max_chars`` is cut after a comma, semicolon, colon or dash.

Markdown is taken out for speech: headings, bullets, numbered-list markers, quotes, bold and
italics, inline code and links lose their marks; code blocks, tables and rules are dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["SentenceSplitter", "plain_text", "split_sentences"]

_ENDS = ".!?…"
_CLOSERS = "\"'”’)]*_"
_TITLES = frozenset(
    {"mr", "mrs", "ms", "mx", "dr", "prof", "st", "sr", "jr", "mt", "vs", "e.g", "i.e", "cf"}
)
"""Abbreviations that never end a sentence ("Dr. Smith", "e.g. this")."""
_AMBIGUOUS = frozenset(
    {"etc", "a.m", "p.m", "ltd", "inc", "co", "plc", "no", "approx", "appt", "dept", "est"}
)
"""Abbreviations that end a sentence only when a capital letter follows."""
_TOKEN = re.compile(r"[A-Za-z0-9.]*$")

_MARKER = re.compile(r"^\s*(?:(?:#{1,6}|[-*+•]|\d{1,3}[.)]|>)\s+)+")
_MAYBE_MARKER = re.compile(
    r"^\s*(?:(?:#{1,6}|[-*+•]|\d{1,3}[.)]|>)\s+)*(?:#{1,6}|[-*+•>]|\d{1,3}[.)]?|`{1,2}|~{1,2})?$"
)
"""A line start that may still turn out to be a marker or a fence (wait for more text)."""
_FENCE = re.compile(r"^\s*(?:```|~~~)")
_TABLE = re.compile(r"^\s*\|")
_SOFT_BREAK = re.compile(r"[,;:](?=\s)|\s[—–]\s")

_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
_LINK = re.compile(r"\[([^\]]+)\]\([^)]*\)")
_CODE = re.compile(r"`+([^`]*)`+")
_STRONG = re.compile(r"\*\*|__|~~|`")
_EMPHASIS = re.compile(r"(?<![\w*])[*_](?=\S)|(?<=\S)[*_](?![\w*])")
_TAG = re.compile(r"</?[A-Za-z][^>]*>")
_EMOJI = re.compile("[\U0001f000-\U0001faff\u2600-\u27bf\ufe0f\u200d]")
_SPACES = re.compile(r"\s+")
_SPACE_BEFORE_MARK = re.compile(r"\s+(?=[.,!?;:])")
_ALNUM = re.compile(r"\w")


def plain_text(text: str) -> str:
    """Inline markdown out of ``text`` (links keep their words), spaces collapsed; ``""`` when
    nothing speakable is left."""
    text = _IMAGE.sub(r"\1", text)
    text = _LINK.sub(r"\1", text)
    text = _CODE.sub(r"\1", text)
    text = _STRONG.sub("", text)
    text = _EMPHASIS.sub("", text)
    text = _TAG.sub(" ", text)
    text = _EMOJI.sub("", text).replace("|", ", ")
    text = _SPACE_BEFORE_MARK.sub("", _SPACES.sub(" ", text)).strip(" ,")
    return text if _ALNUM.search(text) else ""


def split_sentences(text: str, *, max_chars: int = 250) -> list[str]:
    """All the sentences of a whole text, as :class:`SentenceSplitter` would hand them out."""
    splitter = SentenceSplitter(max_chars=max_chars)
    return [*splitter.feed(text), *splitter.flush()]


@dataclass
class _Line:
    """The line being read: its kind once known, where its text starts, what was handed out."""

    text: str = ""
    kind: str | None = None
    """``text``, ``fence``, ``table`` or ``None`` while the start of the line is undecided."""
    start: int = 0
    """Index of the first character not yet handed out in a sentence."""


class SentenceSplitter:
    """Streamed text in, finished sentences out (plain text, markdown removed)."""

    def __init__(self, *, max_chars: int = 250) -> None:
        self.max_chars = max_chars
        self._line = _Line()
        self._in_fence = False

    def feed(self, delta: str) -> list[str]:
        """Add a piece of text; the sentences it completed, in order."""
        out: list[str] = []
        self._line.text += delta
        while (newline := self._line.text.find("\n")) >= 0:
            rest = self._line.text[newline + 1 :]
            self._line.text = self._line.text[:newline].rstrip("\r")
            out += self._scan(complete=True)
            self._line = _Line(rest)
        out += self._scan(complete=False)
        return out

    def flush(self) -> list[str]:
        """The end of the text: whatever is left, as sentences; the splitter starts afresh."""
        out = self._scan(complete=True) if self._line.text else []
        self._line = _Line()
        self._in_fence = False
        return out

    def _scan(self, *, complete: bool) -> list[str]:
        line = self._line
        if line.kind is None and not self._classify(complete=complete):
            return []
        if line.kind == "fence":
            if complete:
                self._in_fence = not self._in_fence
            return []
        if line.kind == "table" or self._in_fence:
            return []
        pieces = []
        while (end := self._sentence_end()) is not None:
            pieces.append(line.text[line.start : end])
            line.start = end
        if complete:
            pieces.append(line.text[line.start :])
            line.start = len(line.text)
        return [sentence for piece in pieces if (sentence := plain_text(piece))]

    def _classify(self, *, complete: bool) -> bool:
        """Decide what the current line is from its start; ``False`` while it cannot tell."""
        line = self._line
        if not complete and _MAYBE_MARKER.match(line.text):
            return False
        if _FENCE.match(line.text):
            line.kind = "fence"
        elif self._in_fence:
            line.kind = "code"
        elif _TABLE.match(line.text):
            line.kind = "table"
        else:
            line.kind = "text"
            marker = _MARKER.match(line.text)
            line.start = marker.end() if marker else 0
        return True

    def _sentence_end(self) -> int | None:
        """Index just past the next finished sentence of the line, or ``None``."""
        line = self._line
        text, start = line.text, line.start
        for index in range(start, len(text)):
            if text[index] not in _ENDS:
                continue
            end = self._end_at(text, start, index)
            if end is not None:
                return None if end == -1 else end
        return self._soft_end(text, start)

    @staticmethod
    def _end_at(text: str, start: int, index: int) -> int | None:
        """Where a sentence ending at ``text[index]`` ends: an index, ``None`` when it does not
        end there, or ``-1`` when the text so far cannot tell."""
        end = index + 1
        while end < len(text) and text[end] in _ENDS:
            end += 1
        while end < len(text) and text[end] in _CLOSERS:
            end += 1
        if end == len(text):
            return -1
        if not text[end].isspace():
            return None
        if text[index] != "." or (end - index > 1 and text[index + 1] in _ENDS):
            return end
        token = _TOKEN.search(text, start, index)
        word = token.group() if token else ""
        if word.lower() in _TITLES or (len(word) == 1 and word.isupper()):
            return None
        if word.lower() in _AMBIGUOUS:
            following = text[end:].lstrip()
            if not following:
                return -1
            return end if following[0].isupper() else None
        return end

    def _soft_end(self, text: str, start: int) -> int | None:
        """A cut after a comma, semicolon, colon or dash when the sentence grows too long."""
        if len(text) - start <= self.max_chars:
            return None
        window = text[start : start + self.max_chars]
        cuts = [match.end() for match in _SOFT_BREAK.finditer(window) if match.end() > 40]
        return start + cuts[-1] if cuts else None
