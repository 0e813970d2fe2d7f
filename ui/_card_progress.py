"""The progress of multi-step turns: each tool call a step (running, waiting for the user,
done, failed), one ``progress`` card per turn that made two or more calls."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..assistant.events import (
    ConfirmationRequired,
    DisambiguationRequired,
    Event,
    ToolFinished,
    ToolStarted,
    TurnComplete,
)
from ._card_format import action_label

__all__ = ["MOVED_ON", "ProgressTracker"]

MOVED_ON = "Not done: the conversation moved on."


@dataclass(slots=True)
class _Step:
    call_id: str
    label: str
    state: str = "running"
    detail: str = ""


@dataclass(slots=True, eq=False)
class _Workflow:
    key: str
    steps: list[_Step] = field(default_factory=list)
    finished: bool = False

    def step(self, call_id: str) -> _Step | None:
        return next((s for s in self.steps if s.call_id == call_id), None)

    def data(self) -> dict[str, Any]:
        states = [step.state for step in self.steps]
        done = states.count("done")
        if any(s == "waiting" for s in states):
            title, state = "Waiting for you", "waiting"
        elif any(s == "running" for s in states):
            title, state = f"Working on it · {done} of {len(states)} done", "running"
        elif all(s == "done" for s in states):
            title, state = "All done", "done"
        else:
            title, state = "Finished with problems", "failed"
        return {
            "key": self.key,
            "title": title,
            "state": state,
            "done": done,
            "total": len(states),
            "finished": state in ("done", "failed"),
            "steps": [{"label": s.label, "state": s.state, "detail": s.detail} for s in self.steps],
        }


class ProgressTracker:
    """Follows the tool calls of each turn; a turn with ``minimum_steps`` or more calls is a
    multi-step workflow shown as one ``progress`` card (steps running, waiting, done, failed).

    A step waiting for a confirmation or a choice finishes in a later turn (the answer's);
    when a turn ends with nothing waiting, steps still waiting are marked not done.
    """

    def __init__(self, minimum_steps: int = 2) -> None:
        self.minimum_steps = minimum_steps
        self._count = 0
        self._current: _Workflow | None = None
        self._of_call: dict[str, _Workflow] = {}

    def feed(self, event: Event) -> list[tuple[str, dict[str, Any]]]:
        """The progress cards ``event`` changed, as ``("progress", data)`` (data has a ``key``)."""
        changed = self._apply(event)
        return [
            ("progress", flow.data())
            for flow in dict.fromkeys(changed)
            if len(flow.steps) >= self.minimum_steps
        ]

    def _apply(self, event: Event) -> list[_Workflow]:
        if isinstance(event, TurnComplete):
            return self._turn_complete(event)
        call_id = getattr(event, "call_id", None)
        if not isinstance(call_id, str):
            return []
        flow = self._of_call.get(call_id)
        if isinstance(event, ToolStarted):
            if flow is None:
                flow = self._turn_flow()
                flow.steps.append(_Step(call_id, action_label(event.tool)))
                self._of_call[call_id] = flow
            return self._set(flow, call_id, "running", "")
        if flow is None:
            return []
        if isinstance(event, ConfirmationRequired):
            return self._set(flow, call_id, "waiting", "Waiting for your confirmation")
        if isinstance(event, DisambiguationRequired):
            return self._set(flow, call_id, "waiting", event.question)
        if isinstance(event, ToolFinished):
            state = "done" if event.ok else "failed"
            return self._set(flow, call_id, state, event.summary)
        return []

    def _turn_flow(self) -> _Workflow:
        if self._current is None:
            self._count += 1
            self._current = _Workflow(f"progress-{self._count}")
        return self._current

    def _set(self, flow: _Workflow, call_id: str, state: str, detail: str) -> list[_Workflow]:
        step = flow.step(call_id)
        if step is None:
            return []
        step.state, step.detail = state, detail
        return [flow]

    def _turn_complete(self, event: TurnComplete) -> list[_Workflow]:
        changed = [self._current] if self._current is not None else []
        self._current = None
        if event.waiting_for is None:
            for flow in set(self._of_call.values()):
                for step in flow.steps:
                    if step.state in ("waiting", "running"):
                        step.state, step.detail = "failed", MOVED_ON
                        changed.append(flow)
            self._of_call.clear()
        return changed
