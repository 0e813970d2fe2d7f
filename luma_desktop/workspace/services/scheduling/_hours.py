"""Staff working hours: a weekly template of wall-clock periods per weekday."""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping
from datetime import time
from typing import Any

import sqlalchemy as sa

from ....errors import Invalid
from ...models import WorkingHours
from .._base import DomainService
from .._references import Ref, resolve_staff
from ._common import require_team
from ._models import Undo, WorkingHoursInfo
from ._queries import Template, template_of

__all__ = ["HoursOps", "parse_template", "template_json"]

_DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")

RawTemplate = Mapping[int | str, Iterable[Any]]
"""``{weekday: [(start, end), ...]}``: weekday 0-6 (0 = Monday), "0"-"6", "mon" or "monday";
times as :class:`datetime.time` or "HH:MM"."""


def _weekday(key: int | str) -> int:
    if isinstance(key, int) and not isinstance(key, bool) and 0 <= key <= 6:
        return key
    if isinstance(key, str):
        word = key.strip().lower()
        if word.isdigit() and 0 <= int(word) <= 6:
            return int(word)
        for number, name in enumerate(_DAYS):
            if len(word) >= 3 and name.startswith(word):
                return number
    raise Invalid(
        f"“{key}” is not a weekday; use Monday-Sunday or 0-6 (0 = Monday).", field="template"
    )


def _time(value: Any) -> time:
    if isinstance(value, time):
        return value.replace(tzinfo=None)
    if isinstance(value, str):
        text = value.strip()
        if len(text) == 4 and text[1] == ":":
            text = "0" + text
        try:
            return time.fromisoformat(text)
        except ValueError:
            pass
    raise Invalid(
        f"“{value}” is not a time of day; write it like 09:00 or 17:30.", field="template"
    )


def parse_template(raw: RawTemplate) -> dict[int, list[tuple[time, time]]]:
    """A validated template: every period starts before it ends, none overlap in a day."""
    if not isinstance(raw, Mapping):
        raise Invalid("Working hours are a list of periods per weekday.", field="template")
    parsed: dict[int, list[tuple[time, time]]] = {}
    for key, periods in raw.items():
        day = _weekday(key)
        if day in parsed:
            raise Invalid(f"{_DAYS[day].title()} is given twice.", field="template")
        spans = []
        for period in periods:
            try:
                start, end = period
            except (TypeError, ValueError) as exc:
                raise Invalid(
                    f"Each period on {_DAYS[day].title()} needs a start and an end.",
                    field="template",
                ) from exc
            start, end = _time(start), _time(end)
            if start >= end:
                raise Invalid(
                    f"On {_DAYS[day].title()}, {start:%H:%M}-{end:%H:%M} ends before it starts.",
                    field="template",
                )
            spans.append((start, end))
        spans.sort()
        for (_, end_a), (start_b, end_b) in itertools.pairwise(spans):
            if start_b < end_a:
                raise Invalid(
                    f"On {_DAYS[day].title()}, the periods overlap at "
                    f"{start_b:%H:%M}-{min(end_a, end_b):%H:%M}.",
                    field="template",
                )
        parsed[day] = spans
    return parsed


def template_json(template: Template) -> dict[str, list[list[str]]]:
    """A template as JSON-ready data that :func:`parse_template` reads back."""
    return {
        str(day): [[f"{a:%H:%M}", f"{b:%H:%M}"] for a, b in periods]
        for day, periods in template.items()
    }


class HoursOps(DomainService):
    """Setting a staff member's weekly working hours."""

    def set_working_hours(self, staff: Ref, template: RawTemplate) -> WorkingHoursInfo:
        """Replace ``staff``'s weekly template; days left out are days off.

        An empty template ``{}`` clears it: they then work the business's opening hours.
        Existing appointments are kept even when they fall outside the new hours.
        """
        require_team(self.context, "set working hours")
        parsed = parse_template(template)
        if parsed and not any(parsed.values()):
            raise Invalid(
                "That leaves no working time at all. Pass an empty template to "
                "use the business hours, or deactivate the staff member.",
                field="template",
            )
        with self._unit() as session:
            member = resolve_staff(session, staff)
            old = session.scalars(
                sa.select(WorkingHours).where(WorkingHours.staff_id == member.id)
            ).all()
            previous = template_of(old)
            for row in old:
                session.delete(row)
            session.flush()
            session.add_all(
                WorkingHours(staff_id=member.id, weekday=day, starts=start, ends=end)
                for day, periods in parsed.items()
                for start, end in periods
            )
            session.flush()
            new = {day: tuple(periods) for day, periods in sorted(parsed.items()) if periods}
            return WorkingHoursInfo(
                staff_id=member.id,
                staff_name=member.name,
                template=new,
                previous=previous,
                undo=Undo(
                    operation="set_working_hours",
                    arguments={"staff": member.id, "template": template_json(previous)},
                    summary=f"Put {member.name}'s working hours back as they were.",
                ),
            )
