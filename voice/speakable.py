"""What Luma says out loud: short speech for the assistant's events, and text made speakable.

Cards are not read verbatim. :func:`speakable_for` turns one event into a sentence or two
("E-mail invoice number 42 to the client with its PDF attached?", "Which Sarah: Sarah Miller
or Sarah Thompson?"); :class:`EventSpeech` follows a whole turn, splitting streamed text into
sentences as they end and speaking a tool's short summary instead of a reply that just repeats
it. :func:`speakable_text` rewrites what a voice would misread: money ("£1,240.50" → "1,240
pounds 50"), times ("14:30" → "2 30 pm"), dates ("Thu 19 Nov" → "Thursday 19 November"),
record numbers ("INV-0042" → "invoice 42") and "task(s)".
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterable, AsyncIterator

from luma_desktop.assistant.events import (
    ActionExecuted,
    ConfirmationRequired,
    DisambiguationRequired,
    ErrorOccurred,
    Event,
    TextDelta,
    ToolFinished,
    TurnComplete,
)

from .sentences import SentenceSplitter, split_sentences

__all__ = [
    "EventSpeech",
    "card_summary",
    "speakable_for",
    "speakable_text",
    "speech_text",
    "spoken_sentences",
]

MAX_NAMES = 3
"""Candidates named in a spoken "which one?" question; the rest are counted."""

_CURRENCIES = {
    "£": ("pound", "pounds", "penny", "pence"),
    "GBP": ("pound", "pounds", "penny", "pence"),
    "€": ("euro", "euros", "cent", "cents"),
    "EUR": ("euro", "euros", "cent", "cents"),
    "$": ("dollar", "dollars", "cent", "cents"),
    "USD": ("dollar", "dollars", "cent", "cents"),
    "CHF": ("franc", "francs", "centime", "centimes"),
}
_AMOUNT = r"(?P<major>\d{1,3}(?:,\d{3})+|\d+)(?:\.(?P<minor>\d{2}))?(?![\d.,]\d)"
_MONEY = re.compile(
    rf"(?P<sign>[-−])?(?:(?P<symbol>[£€$]|\bCHF ?){_AMOUNT}"
    rf"|\b{_AMOUNT.replace('major', 'major2').replace('minor', 'minor2')} ?"
    r"(?P<code>GBP|EUR|USD|CHF)\b)"
)
_RECORD = re.compile(
    r"\b(?:(?i:(invoice|quote|order|booking|appointment))\s+)?(INV|Q|QUO|ORD|APT)-0*(\d+)\b"
)
_RECORD_KINDS = {"INV": "invoice", "Q": "quote", "QUO": "quote", "ORD": "order", "APT": "booking"}
_NUMBER_SIGN = re.compile(r"#(\d+)")
_CLOCK = r"(?:[01]?\d|2[0-3]):[0-5]\d(?!:\d)"
_TIME_RANGE = re.compile(rf"\b({_CLOCK})\s*[-–]\s*({_CLOCK})\b")
_TIME_24 = re.compile(rf"\b({_CLOCK})\b(?!\s*[ap]\.?m\b)")
_TIME_12 = re.compile(r"\b(1[0-2]|0?[1-9])[.:]([0-5]\d)\s*([ap])\.?m\b\.?", re.IGNORECASE)
_DAYS = {
    "Mon": "Monday",
    "Tue": "Tuesday",
    "Wed": "Wednesday",
    "Thu": "Thursday",
    "Fri": "Friday",
    "Sat": "Saturday",
    "Sun": "Sunday",
}
_MONTHS = {
    "Jan": "January",
    "Feb": "February",
    "Mar": "March",
    "Apr": "April",
    "Jun": "June",
    "Jul": "July",
    "Aug": "August",
    "Sep": "September",
    "Sept": "September",
    "Oct": "October",
    "Nov": "November",
    "Dec": "December",
}
_DATE = re.compile(rf"\b(?:({'|'.join(_DAYS)}),? )?(\d{{1,2}}) ({'|'.join(_MONTHS)}|May)\b(?!\w)")
_PLURAL = re.compile(r"\b(\d[\d,]*)?((?:\s+[A-Za-z-]+){0,2}?\s*[A-Za-z-]+)\(s\)")
_ASIDE = re.compile(r"\s*\([^()]*\)")
_DASH = re.compile(r"\s+[—–]\s+")
_COUNTED_LIST = re.compile(r"^(?:Found )?(\d[\d,]*) [^:]*$")


def speakable_text(text: str) -> str:
    """``text`` with money, times, dates, record numbers and "(s)" written as they are said."""
    text = _RECORD.sub(lambda m: f"{m[1] or _RECORD_KINDS[m[2]]} {m[3]}", text)
    text = _NUMBER_SIGN.sub(r"number \1", text)
    text = _MONEY.sub(_money, text)
    text = _TIME_RANGE.sub(lambda m: f"{_clock(m[1])} to {_clock(m[2])}", text)
    text = _TIME_24.sub(lambda m: _clock(m[1]), text)
    text = _TIME_12.sub(_twelve_hour, text)
    text = _DATE.sub(_date, text)
    text = _plural(text)
    text = text.replace(" & ", " and ").replace("→", " to ").replace("->", " to ")
    text = _DASH.sub(", ", text).strip()
    return text[:1].upper() + text[1:]


def speech_text(markdown: str) -> str:
    """A whole reply (markdown) as one speakable text: code and tables dropped, marks removed,
    a full stop after a heading or list item so the voice pauses there."""
    sentences = (speakable_text(sentence) for sentence in split_sentences(markdown))
    return " ".join(s if s[-1] in ".!?…:;," else f"{s}." for s in sentences if s)


def card_summary(summary: str) -> str:
    """The spoken form of a tool's summary: its first sentence without asides, and for a list
    of several records just the count ("3 overdue invoices, £180.00 outstanding.")."""
    sentences = split_sentences(_plural(summary))
    if not sentences:
        return ""
    sentence = _DASH.split(_ASIDE.sub("", sentences[0]))[0].strip()
    head, colon, _items = sentence.partition(": ")
    counted = _COUNTED_LIST.match(head)
    if colon and counted and counted[1] != "1":
        sentence = head
    return sentence if sentence[-1:] in ".!?" else sentence.rstrip(",;:") + "."


def speakable_for(event: Event) -> str | None:
    """What to say for one event, or ``None`` (text deltas go through :class:`EventSpeech`)."""
    if isinstance(event, ToolFinished):
        said = card_summary(event.summary) if event.ok else event.summary
        return speakable_text(said) or None
    if isinstance(event, ActionExecuted):
        return speakable_text(card_summary(event.summary)) or None
    if isinstance(event, ConfirmationRequired):
        question = speakable_text(event.prompt)
        if event.phrase:
            question += " This one needs the typed phrase shown on screen."
        return question
    if isinstance(event, DisambiguationRequired):
        return _which(event)
    if isinstance(event, ErrorOccurred):
        return speakable_text(event.message) or None
    return None


class EventSpeech:
    """Follows a turn's events and hands out the sentences to speak, as early as possible.

    Streamed text is spoken sentence by sentence. A tool's result is not spoken on its own:
    when the reply repeats the tool's summary (the offline brain does), the short form is
    said instead; when the turn ends having said nothing, the short forms are said then.
    Questions (confirmations, "which one?") and errors are said at once.
    """

    def __init__(self) -> None:
        self._splitter = SentenceSplitter()
        self._reset_turn()

    def _reset_turn(self) -> None:
        self._held = ""
        self._summaries: dict[str, str] = {}
        """Full summaries of the turn's tool results (the text a reply may repeat)."""
        self._unsaid: dict[str, str] = {}
        """Short forms not said yet, by call id."""
        self._said_anything = False

    def feed(self, event: Event) -> list[str]:
        """The sentences to say now for ``event``."""
        if isinstance(event, TurnComplete):
            return self._finish()
        if isinstance(event, TextDelta):
            out = self._text(event.text)
        elif isinstance(event, ToolFinished | ActionExecuted):
            self._remember(event)
            out = []
        else:
            said = speakable_for(event)
            out = [*self._flush_text(), *([said] if said else [])]
        self._said_anything = self._said_anything or bool(out)
        return out

    def _remember(self, event: ToolFinished | ActionExecuted) -> None:
        said = speakable_for(event)
        self._summaries[event.call_id] = event.summary.strip()
        if said:
            self._unsaid[event.call_id] = said

    def _text(self, delta: str) -> list[str]:
        self._held += delta
        out: list[str] = []
        while self._held.strip():
            held = self._held.lstrip()
            repeated = next(
                (call for call, text in self._summaries.items() if text and held.startswith(text)),
                None,
            )
            if repeated is not None:
                out += [speakable_text(s) for s in self._splitter.flush()]
                out += [self._unsaid.pop(repeated)] if repeated in self._unsaid else []
                self._held = held[len(self._summaries.pop(repeated)) :]
                continue
            if any(text.startswith(held) for text in self._summaries.values()):
                break  # may still become a repeated summary: wait for more text
            out += [speakable_text(s) for s in self._splitter.feed(self._held)]
            self._held = ""
        return out

    def _flush_text(self) -> list[str]:
        pending = [speakable_text(s) for s in self._splitter.feed(self._held)]
        self._held = ""
        return [*pending, *(speakable_text(s) for s in self._splitter.flush())]

    def _finish(self) -> list[str]:
        out = self._flush_text()
        if not (out or self._said_anything):
            out = list(self._unsaid.values())
        self._reset_turn()
        return out


async def spoken_sentences(events: AsyncIterable[Event]) -> AsyncIterator[str]:
    """The sentences to say for a stream of turn events (see :class:`EventSpeech`)."""
    speech = EventSpeech()
    async for event in events:
        for sentence in speech.feed(event):
            yield sentence


def _which(event: DisambiguationRequired) -> str:
    labels = [candidate.label for candidate in event.candidates]
    if not labels:
        return speakable_text(event.question)
    subject = _subject(event.reference, labels) or event.kind
    named = labels[:MAX_NAMES]
    others = len(labels) - len(named)
    if others:
        rest = "one other" if others == 1 else f"one of {others} others"
        choices = f"{', '.join(named)}, or {rest}"
    elif len(named) == 1:
        choices = named[0]
    else:
        choices = f"{', '.join(named[:-1])} or {named[-1]}"
    return speakable_text(f"Which {subject}: {choices}?")


def _subject(reference: str, labels: list[str]) -> str | None:
    """The reference as the records spell it ("sarah" → "Sarah"), when they contain it."""
    reference = reference.strip()
    if not reference or len(reference) > 30:
        return None
    for label in labels:
        found = label.lower().find(reference.lower())
        if found >= 0:
            return label[found : found + len(reference)]
    return None


def _money(match: re.Match[str]) -> str:
    unit = match["symbol"] or match["code"]
    one, many, small, smalls = _CURRENCIES[unit.strip()]
    major = match["major"] or match["major2"]
    minor = int(match["minor"] or match["minor2"] or 0)
    sign = "minus " if match["sign"] else ""
    if major == "0" and minor:
        return f"{sign}{minor} {small if minor == 1 else smalls}"
    words = f"{sign}{major} {one if major == '1' else many}"
    return f"{words} {minor}" if minor else words


def _clock(text: str) -> str:
    hour, minute = (int(part) for part in text.split(":"))
    if hour == 0 and minute == 0:
        return "midnight"
    if hour == 12 and minute == 0:
        return "12 noon"
    return _said_time(hour % 12 or 12, minute, "am" if hour < 12 else "pm")


def _twelve_hour(match: re.Match[str]) -> str:
    return _said_time(int(match[1]), int(match[2]), f"{match[3].lower()}m")


def _said_time(hour: int, minute: int, half: str) -> str:
    if minute == 0:
        return f"{hour} {half}"
    return f"{hour} oh {minute} {half}" if minute < 10 else f"{hour} {minute} {half}"


def _date(match: re.Match[str]) -> str:
    day = f"{_DAYS[match[1]]} " if match[1] else ""
    return f"{day}{match[2]} {_MONTHS.get(match[3], match[3])}"


def _plural(text: str) -> str:
    def fix(match: re.Match[str]) -> str:
        count = (match[1] or "").replace(",", "")
        return f"{match[1] or ''}{match[2]}{'' if count == '1' else 's'}"

    return _PLURAL.sub(fix, text)
