"""The offline brain fills a missing reminder time from a remembered preference."""

import pytest

from luma_desktop.assistant.brains.offline._preferences import fill_from_memory
from luma_desktop.assistant.brains.offline._understanding import Understanding

ASKING_WHEN = Understanding(
    "reminders_create", {"text": "chase unpaid invoices"}, 1.0, ("when",), "When?"
)


@pytest.mark.parametrize(
    ("recalled", "when"),
    [
        pytest.param(["Prefers invoice reminders on Mondays."], "monday", id="weekday"),
        pytest.param(
            ["Wants reminders on Friday at 4pm.", "Prefers invoice reminders on Mondays at 9am."],
            "monday at 9am",
            id="most-words-in-common-wins",
        ),
        pytest.param(["Likes Tuesday reminders at 10.30 am"], "tuesday at 10.30am", id="time"),
    ],
)
def test_missing_time_comes_from_the_preference(recalled, when):
    filled = fill_from_memory(ASKING_WHEN, recalled)
    assert filled.arguments == {"text": "chase unpaid invoices", "when": when}
    assert filled.missing == ()
    assert filled.question is None


@pytest.mark.parametrize(
    ("understood", "recalled"),
    [
        pytest.param(ASKING_WHEN, [], id="nothing-recalled"),
        pytest.param(ASKING_WHEN, ["Hans Mueller is Alpine Tech's contact."], id="unrelated"),
        pytest.param(ASKING_WHEN, ["Sends reminders by text."], id="no-day"),
        pytest.param(ASKING_WHEN, ["Prefers Monday appointments."], id="not-about-reminders"),
        pytest.param(
            Understanding("reminders_create", {"text": "x", "when": "friday"}, 1.0),
            ["Prefers reminders on Mondays."],
            id="time-given",
        ),
        pytest.param(
            Understanding("tasks_create", {}, 1.0, ("title",), "What?"),
            ["Prefers reminders on Mondays."],
            id="other-tool",
        ),
    ],
)
def test_nothing_is_filled_without_a_matching_preference(understood, recalled):
    assert fill_from_memory(understood, recalled) == understood
