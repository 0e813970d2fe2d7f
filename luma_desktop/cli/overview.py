"""``luma`` with no command: today's overview of the business, from the real data."""

from __future__ import annotations

from ._output import console

__all__ = ["show_overview"]


def show_overview() -> None:
    from rich.markup import escape

    from ..bootstrap import open_workspace, start
    from ..workspace.services import open_services
    from ..workspace.values import format_money

    runtime = start()
    with open_workspace(runtime) as workspace:
        services = open_services(
            workspace,
            business=runtime.settings.business,
            user=runtime.settings.user,
            clock=runtime.clock,
        )
        today = services.scheduling.day_summary()
        overdue = services.invoicing.overdue_summary()
        balances = services.banking.get_balance()
        tasks = services.tasks.list_tasks(limit=200)
        reminders = services.tasks.list_reminders(limit=3)
    out = console()
    out.print(f"[bold]Good day![/] Here is {today.day:%A %-d %B}.")
    if not today.open:
        out.print(
            f"• Closed today{': ' + escape(today.closed_reason) if today.closed_reason else ''}."
        )
    else:
        booked = [a for a in today.appointments if a.status.value != "cancelled"]
        out.print(
            f"• {len(booked)} appointment(s) today, {today.utilisation:.0%} of the day booked."
        )
        for appointment in booked[:5]:
            out.print(
                f"    {appointment.starts_at:%H:%M} {escape(appointment.client_name)} — "
                f"{escape(appointment.service_name)}"
                f"{' with ' + escape(appointment.staff_name) if appointment.staff_name else ''}"
            )
    if overdue.count:
        out.print(
            f"• {overdue.count} overdue invoice(s) totalling "
            f"{format_money(overdue.total_outstanding_minor, overdue.currency)}."
        )
    for total in balances.totals:
        out.print(
            f"• Bank balance {format_money(total.booked_minor, total.currency)} "
            f"({format_money(total.available_minor, total.currency)} available)."
        )
    urgent = [t for t in tasks if t.priority.value in ("urgent", "high")]
    out.print(f"• {len(tasks)} open task(s), {len(urgent)} high priority or urgent.")
    for reminder in reminders:
        out.print(f"• Reminder {reminder.due_at:%a %H:%M}: {escape(reminder.text)}")
    out.print("\n[dim]`luma --help` lists the commands; `luma doctor` checks the set-up.[/]")
