"""Names from the workspace: matching spoken names to records, and keeping the lists current."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from luma_desktop.assistant.brains.offline import _slots
from luma_desktop.assistant.brains.offline._matching import NameIndex, Record, TitleIndex
from luma_desktop.assistant.brains.offline._slots import EntityLists
from luma_desktop.workspace.models import Client, Task

from ...factories import add, make_business, make_client

PEOPLE = NameIndex(
    [
        Record(1, "Sarah Miller", ("Sarah", "Miller")),
        Record(2, "Sarah Thompson", ("Sarah", "Thompson")),
        Record(3, "Hans Mueller", ("Hans", "Mueller"), ("Alpine Tech",)),
    ]
)
TITLES = TitleIndex(
    [
        Record(1, "Buy milk for the staff room"),
        Record(2, "Restock brow gel"),
        Record(3, "Buy milk for the kitchen"),
        Record(4, "Book the boiler service"),
    ]
)


@pytest.mark.parametrize(
    ("said", "value", "unique", "exact"),
    [
        pytest.param("sarah miller", "Sarah Miller", True, True, id="full-name"),
        pytest.param("the Sarah Miller", "Sarah Miller", True, True, id="with-article"),
        pytest.param("miller", "Sarah Miller", True, True, id="last-name"),
        pytest.param("sara miler", "Sarah Miller", True, False, id="speech-error"),
        pytest.param("sarah", "sarah", False, True, id="two-sarahs"),
        pytest.param("alpine tech", "Alpine Tech", True, True, id="company-keeps-its-name"),
    ],
)
def test_people_match_by_whole_name(said, value, unique, exact):
    found = PEOPLE.match(said)
    assert (found.value, found.unique, found.score == 100) == (value, unique, exact)


def test_a_name_nobody_has_does_not_match():
    assert PEOPLE.match("zebedee").score == 0
    assert PEOPLE.match("sarah miller she").score < 100


@pytest.mark.parametrize(
    ("said", "value", "unique"),
    [
        pytest.param("the brow gel", "Restock brow gel", True, id="words-of-a-title"),
        pytest.param("boiler", "Book the boiler service", True, id="one-word"),
        pytest.param("boiler servce", "Book the boiler service", True, id="speech-error"),
        pytest.param("milk", "milk", False, id="in-two-titles"),
        pytest.param("milk staff room", "Buy milk for the staff room", True, id="narrowed"),
        pytest.param("restock brow gel", "Restock brow gel", True, id="exact"),
    ],
)
def test_titles_match_when_every_word_is_in_them(said, value, unique):
    found = TITLES.match(said)
    assert found.score >= 80
    assert (found.value, found.unique) == (value, unique)


def test_a_word_in_no_title_does_not_match():
    assert TITLES.match("milk dentist").score == 0
    assert TITLES.match("the").score == 0


def test_lists_come_from_the_business_only(workspace):
    mine = make_business(workspace, slug="mine")
    other = make_business(workspace, slug="other")
    make_client(workspace, mine, "Sarah", "Miller")
    make_client(workspace, other, "Zara", "Quinn")
    lists = EntityLists(workspace, mine.business_id, mine.user_id or 0)
    assert lists.match("client", "sarah miller").unique
    assert lists.match("client", "zara quinn").score == 0


def test_new_and_removed_records_are_noticed_without_being_told(
    workspace, monkeypatch: pytest.MonkeyPatch
):
    context = make_business(workspace)
    lists = EntityLists(workspace, context.business_id, context.user_id or 0)
    assert lists.size("client") == 0
    monkeypatch.setattr(_slots, "CHECK_EVERY", 0.0)
    client = make_client(workspace, context, "Olivia", "Bennett")
    assert lists.match("client", "olivia bennett").value == "Olivia Bennett"
    with workspace.transaction(context.business_id) as session:
        session.execute(sa.delete(Client).where(Client.id == client.id))
    assert lists.match("client", "olivia bennett").score == 0


def test_invalidate_picks_up_a_rename_at_once(workspace):
    context = make_business(workspace)
    (task,) = add(workspace, context, Task(title="Order towels"))
    lists = EntityLists(workspace, context.business_id, context.user_id or 0)
    assert lists.match("task", "towels").value == "Order towels"
    with workspace.transaction(context.business_id) as session:
        session.get(Task, task.id).title = "Order robes"
    lists.invalidate()
    assert lists.match("task", "robes").value == "Order robes"
    assert lists.match("task", "towels").score == 0
