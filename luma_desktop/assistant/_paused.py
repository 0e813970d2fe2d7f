"""A round of tool calls that waits for the human (confirmations, choices).

A brain's message may propose several calls; their results go back together, in call order,
once every call has one. While some wait for a confirmation or a choice, the round is
*paused*; the user's next words may answer it ("yes", "the first one", the typed phrase), or
move on (then the waiting calls are reported to the brain as not done).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from ..errors import ConfirmationError
from ._outcomes import failure_block
from .answers import parse_confirmation, phrase_matches, pick_candidate
from .brains.base import Message, ToolCall, ToolCallBroken, ToolOutcome
from .events import ConfirmationRequired, DisambiguationRequired

__all__ = ["Answer", "Choice", "Decision", "Paused", "resolve_reference"]


@dataclass(frozen=True, slots=True)
class Decision:
    """The user's words approved or declined a pending action."""

    pending_id: int
    approve: bool
    phrase: str | None = None


@dataclass(frozen=True, slots=True)
class Choice:
    """The user's words picked a candidate (``None``: none of them)."""

    call_id: str
    candidate_id: int | str | None


Answer = Decision | Choice

_NONE_OF_THEM = ("none of them", "neither", "none", "no one", "nobody")


@dataclass
class Paused:
    calls: tuple[ToolCall, ...]
    outcomes: dict[str, ToolOutcome] = field(default_factory=dict)
    confirmations: dict[str, ConfirmationRequired] = field(default_factory=dict)
    choices: dict[str, tuple[DisambiguationRequired, ToolCall]] = field(default_factory=dict)

    @property
    def done(self) -> bool:
        return all(call.id in self.outcomes for call in self.calls)

    @property
    def waiting_for(self) -> str | None:
        if self.confirmations:
            return "confirmation"
        if self.choices:
            return "choice"
        return None

    # -- recording --------------------------------------------------------------------------

    def record_broken(self, item: ToolCallBroken) -> None:
        self.outcomes[item.id] = self.not_done(
            item.id,
            f"The arguments of {item.name} were not valid JSON ({item.problem}); "
            "nothing ran. Send the call again with a JSON object.",
        )

    def record_over_budget(self, call: ToolCall, limit: int) -> None:
        self.outcomes[call.id] = self.not_done(
            call.id,
            f"Not run: at most {limit} tool calls per request. Tell the user what is done "
            "and what is left.",
        )

    def call_of_pending(self, pending_id: int) -> str | None:
        for call_id, event in self.confirmations.items():
            if event.pending_id == pending_id:
                return call_id
        return None

    def drop_confirmation(self, call_id: str, reason: str) -> None:
        self.confirmations.pop(call_id, None)
        self.outcomes[call_id] = self.not_done(call_id, f"Not done: {reason}")

    @staticmethod
    def still_open_after(error: ConfirmationError) -> bool:
        return error.still_open

    # -- results for the brain --------------------------------------------------------------

    def outcome_message(self) -> Message:
        return Message("user", tuple(self.outcomes[call.id] for call in self.calls))

    def abandon(self, reason: str) -> Message:
        """Every call still waiting is reported as not done; the round's message."""
        for call in self.calls:
            self.outcomes.setdefault(call.id, self.not_done(call.id, f"Not done: {reason}"))
        self.confirmations.clear()
        self.choices.clear()
        return self.outcome_message()

    @classmethod
    def closing(cls, calls: tuple[ToolCall, ...], note: str) -> Message:
        return Message("user", tuple(cls.not_done(call.id, note) for call in calls))

    @staticmethod
    def not_done(call_id: str, text: str) -> ToolOutcome:
        return failure_block(call_id, "not_done", text)

    # -- answers in words -------------------------------------------------------------------

    def answer_from_text(self, text: str) -> Answer | None:
        """The user's words as an answer to what the round waits for, if they are one."""
        if self.confirmations:
            event = next(iter(self.confirmations.values()))
            if event.phrase is not None and phrase_matches(text, event.phrase):
                return Decision(event.pending_id, True, text)
            decision = parse_confirmation(text)
            return None if decision is None else Decision(event.pending_id, decision)
        if self.choices:
            call_id, (question, _) = next(iter(self.choices.items()))
            picked = pick_candidate(text, question.candidates)
            if picked is not None:
                return Choice(call_id, picked.id)
            lowered = text.strip().casefold().rstrip(".!")
            if lowered in _NONE_OF_THEM or parse_confirmation(text) is False:
                return Choice(call_id, None)
        return None


def resolve_reference(
    call: ToolCall, question: DisambiguationRequired, candidate_id: int | str
) -> ToolCall:
    """The call again, with the ambiguous reference replaced by the chosen record's id.

    It gets a new id (the first attempt's outcome is remembered under the old one).
    """
    wanted = question.reference.strip().casefold()
    arguments = dict(call.arguments)
    replaced = False
    for name, value in arguments.items():
        if isinstance(value, str) and value.strip().casefold() == wanted:
            arguments[name] = candidate_id
            replaced = True
    if not replaced:
        for name, value in arguments.items():
            if isinstance(value, list):
                arguments[name] = [
                    candidate_id if isinstance(v, str) and v.strip().casefold() == wanted else v
                    for v in value
                ]
    return replace(call, id=f"{call.id}#{candidate_id}", arguments=arguments)
