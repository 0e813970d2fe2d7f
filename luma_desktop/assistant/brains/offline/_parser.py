"""The offline parser: a request in, the best reading (or a question, or suggestions) out."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass

from hassil import recognize_all
from rapidfuzz import fuzz, process

from ...catalog import ToolRegistry
from ._readings import Reader, Reading, Sources
from ._speech import Speech, read_speech
from ._templates import TemplateSet
from ._understanding import CONFIDENT, Understanding, WorkingContextLike
from ._values import Locale

__all__ = ["MAX_MATCHES", "Parse", "Parser"]

MAX_MATCHES = 200
"""Template matches looked at per request (wildcards can match in many places)."""
_SUGGESTIONS = 3


@dataclass(frozen=True, slots=True)
class Parse:
    """The outcome of parsing one request."""

    text: str
    """The request as matched (normalised)."""
    best: Reading | None
    rival: bool
    """Another tool reads the request equally well (the match is not unambiguous)."""

    @property
    def confident(self) -> bool:
        best = self.best
        return (
            best is not None
            and not best.missing
            and best.accepted
            and best.confidence >= CONFIDENT
            and not self.rival
        )


class Parser:
    """Matches requests against the templates with the business's names in the slots."""

    def __init__(self, sources: Sources, locale: Callable[[], Locale]) -> None:
        self._sources = sources
        self._templates = sources.templates
        self._registry = sources.registry
        self._locale = locale
        self._examples = self._collect_examples()

    @property
    def templates(self) -> TemplateSet:
        return self._templates

    @property
    def registry(self) -> ToolRegistry:
        return self._registry

    def reader(self, working: WorkingContextLike | None, speech: Speech | None = None) -> Reader:
        """Reads matches of ``speech`` (free text is given back as it was typed)."""
        restore = speech.restore if speech is not None else str
        return Reader(
            self._sources,
            self._locale(),
            working=working,
            restore=restore,
        )

    def parse(self, text: str, working: WorkingContextLike | None = None) -> Parse:
        """Every reading of ``text``; the best one and whether another tool ties with it."""
        speech = read_speech(text)
        said = speech.text
        if not said:
            return Parse(said, None, rival=False)
        reader = self.reader(working, speech)
        matches = recognize_all(said, self._templates.index.candidates(said))
        readings = [
            reading
            for result in itertools.islice(matches, MAX_MATCHES)
            if (reading := reader.read(result, len(said))) is not None
        ]
        if not readings:
            return Parse(said, None, rival=False)
        readings.sort(key=lambda r: (r.rank, r.tool), reverse=True)
        best = readings[0]
        rival = any(r.tool != best.tool and r.rank == best.rank for r in readings[1:])
        return Parse(said, best, rival)

    def understand(self, text: str, working: WorkingContextLike | None = None) -> Understanding:
        """The pure parse of ``text`` (no execution, nothing written)."""
        parsed = self.parse(text, working)
        best = parsed.best
        if best is None:
            return Understanding(None, suggestions=self.suggestions(parsed.text))
        return Understanding(
            tool=best.tool,
            arguments=best.arguments,
            confidence=round(best.confidence * (0.9 if parsed.rival else 1.0), 3),
            missing=best.missing,
            question=self.question(best.tool, best.missing[0]) if best.missing else None,
        )

    def question(self, tool: str, field: str) -> str:
        """What to ask for ``field`` of ``tool`` (from the templates' ``questions``)."""
        templates = self._templates.by_tool.get(tool)
        asked = templates.questions.get(field) if templates else None
        return asked or f"What's the {field.replace('_', ' ')}?"

    def suggestions(self, said: str, count: int = _SUGGESTIONS) -> tuple[str, ...]:
        """Example requests closest to ``said``, one per tool."""
        if not self._examples:
            return ()
        ranked = process.extract(
            said or "help", list(self._examples), scorer=fuzz.token_set_ratio, limit=None
        )
        chosen: list[str] = []
        tools: set[str] = set()
        for example, _score, _ in ranked:
            tool = self._examples[example]
            if tool not in tools:
                chosen.append(example)
                tools.add(tool)
            if len(chosen) == count:
                break
        return tuple(chosen)

    def _collect_examples(self) -> dict[str, str]:
        """The templates' examples (each tested to parse to its tool) by text."""
        examples: dict[str, str] = {}
        for name, templates in self._templates.by_tool.items():
            for example in templates.examples:
                examples.setdefault(example, name)
        return examples
