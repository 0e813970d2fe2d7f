"""The proactive greeting's facts come from the business's real data."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from luma_desktop.assistant.briefing import Briefing, FreeGap, build_briefing, time_span
from luma_desktop.workspace.models import Invoice, InvoiceStatus, Role
from luma_desktop.workspace.services import Services, context_for

LONDON = ZoneInfo("Europe/London")
TODAY = date(2026, 11, 18)


def services_for(workspace, clock, role: Role = Role.OWNER) -> Services:
    return Services(workspace, context_for(workspace, role=role, clock=clock))


def test_the_owner_briefing_matches_the_demo_data(demo_workspace, clock):
    services = services_for(demo_workspace, clock)
    briefing = build_briefing(services, "Emma Clarke")

    with demo_workspace.transaction(services.context.business_id) as session:
        overdue = session.scalar(
            sa.select(sa.func.count(Invoice.id)).where(
                Invoice.status.in_((InvoiceStatus.SENT, InvoiceStatus.PARTIALLY_PAID)),
                Invoice.due_on < TODAY,
            )
        )
    summary = services.invoicing.overdue_summary()
    booked = services.scheduling.list_appointments(TODAY, TODAY)
    assert briefing.overdue_count == overdue == summary.count == 3
    assert briefing.overdue_total_minor == summary.total_outstanding_minor == 22_080
    assert briefing.appointments_today == len(booked) == 15
    assert briefing.appointments_to_come == sum(1 for a in booked if a.starts_at > clock.now())
    gap = briefing.biggest_gap
    assert gap is not None
    assert (gap.starts_at.astimezone(LONDON).hour, gap.starts_at.minute) == (15, 45)
    assert gap.ends_at.astimezone(LONDON).hour == 18
    assert gap.staff_name == "Chloe Evans"
    later = [g for g in services.scheduling.day_summary().gaps if g.ends_at > clock.now()]
    assert all(
        min(g.ends_at - max(g.starts_at, clock.now()), g.ends_at - g.starts_at)
        <= gap.ends_at - gap.starts_at
        for g in later
    )
    assert briefing.due_reminders == ("Pick up the dry cleaning",)
    assert briefing.text() == (
        "Good afternoon, Emma. 3 overdue invoices totalling £220.80 · 15 appointments today "
        "(4 to come), a gap 3:45–6pm (Chloe Evans) · reminder due: Pick up the dry cleaning."
    )


@pytest.mark.parametrize(
    ("role", "invoices", "appointments"),
    [
        pytest.param(Role.STAFF, None, 4, id="staff-own-day-no-invoices"),
        pytest.param(Role.CLIENT, None, None, id="client-nothing-of-the-business"),
    ],
)
def test_parts_a_role_may_not_see_are_left_out(demo_workspace, clock, role, invoices, appointments):
    briefing = build_briefing(services_for(demo_workspace, clock, role), "Someone")
    assert briefing.overdue_count == invoices
    assert briefing.appointments_today == appointments
    assert "overdue" not in briefing.text()


@pytest.mark.parametrize(
    ("start", "end", "said"),
    [
        pytest.param((13, 0), (15, 0), "1–3pm", id="both-afternoon"),
        pytest.param((11, 0), (13, 30), "11am–1:30pm", id="across-noon"),
        pytest.param((9, 15), (10, 0), "9:15–10am", id="morning"),
        pytest.param((12, 0), (12, 30), "12–12:30pm", id="noon"),
        pytest.param((0, 0), (1, 0), "12–1am", id="midnight"),
    ],
)
def test_time_spans_read_as_people_say_them(start, end, said):
    day = datetime(2026, 11, 18, tzinfo=LONDON)
    assert (
        time_span(
            day.replace(hour=start[0], minute=start[1]), day.replace(hour=end[0], minute=end[1])
        )
        == said
    )


@pytest.mark.parametrize(
    ("hour", "name", "said"),
    [
        pytest.param(9, "Emma Clarke", "Good morning, Emma.", id="morning"),
        pytest.param(13, "Emma", "Good afternoon, Emma.", id="afternoon"),
        pytest.param(19, "", "Good evening.", id="evening-no-name"),
    ],
)
def test_the_salutation_follows_the_local_hour(hour, name, said):
    now = datetime(2026, 11, 18, hour, tzinfo=LONDON)
    assert Briefing(now=now, user_name=name).salutation() == said


def test_a_quiet_day_says_so():
    now = datetime(2026, 11, 18, 9, tzinfo=LONDON)
    quiet = Briefing(now=now, user_name="Emma", overdue_count=0, appointments_today=0)
    assert quiet.highlights() == ["no appointments today"]
    nothing = Briefing(now=now, user_name="Emma")
    assert nothing.text() == "Good morning, Emma. Nothing needs your attention right now."


def test_a_closed_day_and_several_reminders():
    now = datetime(2026, 12, 25, 10, tzinfo=LONDON)
    briefing = Briefing(
        now=now,
        overdue_count=1,
        overdue_total_minor=4_500,
        appointments_today=0,
        closed_reason="Christmas Day",
        due_reminders=("Call the dentist", "Order towels"),
    )
    assert briefing.highlights() == [
        "1 overdue invoice totalling £45.00",
        "closed today (Christmas Day)",
        "2 reminders due",
    ]


def test_a_gap_knows_its_length():
    start = datetime(2026, 11, 18, 15, 45, tzinfo=LONDON)
    assert FreeGap(start, start + timedelta(minutes=135), "Chloe").minutes == 135
