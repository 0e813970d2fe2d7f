"""The priority of a task when the person did not say one.

Words are matched whole and case-insensitively in the title and the description. The first rule
that applies wins:

1. "<level> priority" ("low priority", "high priority", "urgent priority", "medium priority";
   "normal priority" is medium) → that level.
2. "urgent", "urgently", "asap", "a.s.a.p.", "immediately", "right away", "emergency" → urgent.
3. "important", "critical", "today" → high.
4. "someday", "some day", "whenever", "no rush", "eventually", "sometime" → low.
5. Due within 24 hours of now, or already past due → high.
6. Due within 3 days (72 hours) of now → medium.
7. Due later than that → low.
8. No due date → low.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from ...models import Priority

__all__ = ["infer_priority"]

_EXPLICIT = re.compile(r"\b(low|medium|normal|high|urgent) priority\b")
_WORDS: tuple[tuple[Priority, re.Pattern[str]], ...] = (
    (
        Priority.URGENT,
        re.compile(r"\b(urgent|urgently|asap|a\.s\.a\.p|immediately|right away|emergency)\b"),
    ),
    (Priority.HIGH, re.compile(r"\b(important|critical|today)\b")),
    (Priority.LOW, re.compile(r"\b(someday|some day|whenever|no rush|eventually|sometime)\b")),
)


def infer_priority(
    title: str, description: str | None, due: datetime | None, now: datetime
) -> tuple[Priority, str]:
    """The priority the module rules give, and the reason in words."""
    text = f"{title}\n{description or ''}".lower()
    explicit = _EXPLICIT.search(text)
    if explicit:
        level = "medium" if explicit[1] == "normal" else explicit[1]
        return Priority(level), f"it says “{explicit[0]}”"
    for priority, pattern in _WORDS:
        word = pattern.search(text)
        if word:
            return priority, f"it says “{word[0]}”"
    if due is None:
        return Priority.LOW, "it has no due date"
    if due <= now + timedelta(hours=24):
        return Priority.HIGH, "it is due within 24 hours"
    if due <= now + timedelta(days=3):
        return Priority.MEDIUM, "it is due within 3 days"
    return Priority.LOW, "it is due in more than 3 days"
