"""Escalation: the working day a milestone is so many working days overdue, by its channel's calendar."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from bot.core.schedule import ChannelSchedule, wall_clock_moment
from bot.core.workdays import WorkCalendar

MIN_DAYS = 1
MAX_DAYS = 30
# The key part of an escalation's deliveries: `reminder:{milestone}:{due}:escalation:{target}`.
ESCALATION_PART = "escalation"
# A scheduler that did not run on the escalation day (a long deploy, an outage) still escalates on this many
# working days after it; later, a first escalation would be old news, and turning escalation on would send one
# for every milestone long overdue.
CATCH_UP_WORKING_DAYS = 2
# Enough calendar days to walk back 30 working days on a calendar with one working day a week, and holidays.
_MOST_CALENDAR_DAYS = 7 * MAX_DAYS + 21


def escalation_day(*, due: date, days: int, calendar: WorkCalendar) -> date:
    """The working day on which a milestone due `due` is `days` working days overdue."""
    day = due
    for _ in range(days):
        day = calendar.next_after(day)
    return day


def escalation_moment(*, due: date, days: int, schedule: ChannelSchedule) -> datetime:
    """When the escalation is posted: the channel's reminder time on its escalation day, in UTC."""
    day = escalation_day(due=due, days=days, calendar=schedule.calendar)
    return wall_clock_moment(day, schedule.reminder_time, schedule.zone)


def due_dates_escalating_on(*, day: date, days: int, calendar: WorkCalendar) -> tuple[date, date] | None:
    """The first and last due dates that are `days` working days overdue on `day` (None: not a working day).

    Working days w1 < w2 < … before `day`: a due date from w_days up to the day before w_(days-1) has `day`
    as its `days`-th working day after it (a due date on a day off counts from the next working day).
    """
    if not calendar.is_working(day):
        return None
    before = [day]
    candidate = day
    while len(before) <= days and (day - candidate).days <= _MOST_CALENDAR_DAYS:
        candidate -= timedelta(days=1)
        if calendar.is_working(candidate):
            before.append(candidate)
    if len(before) <= days:
        return None
    return before[days], before[days - 1] - timedelta(days=1)


def due_dates_escalating_by(*, day: date, days: int, calendar: WorkCalendar) -> tuple[date, date] | None:
    """The first and last due dates that reached `days` working days overdue on `day` or on one of the
    CATCH_UP_WORKING_DAYS working days before it (None: `day` is not a working day)."""
    window = due_dates_escalating_on(day=day, days=days, calendar=calendar)
    if window is None:
        return None
    first, last = window
    earlier = day
    for _ in range(CATCH_UP_WORKING_DAYS):
        earlier = calendar.on_or_before(earlier - timedelta(days=1))
        missed = due_dates_escalating_on(day=earlier, days=days, calendar=calendar)
        if missed is not None:  # the windows of consecutive working days touch: one range
            first = min(first, missed[0])
    return first, last


def working_days_overdue(*, due: date, day: date, calendar: WorkCalendar) -> int:
    """How many working days after `due` have begun by `day` (a due date on a day off: from the next one)."""
    count, walked = 0, calendar.next_after(due)
    while walked <= day and count <= _MOST_CALENDAR_DAYS:
        count += 1
        walked = calendar.next_after(walked)
    return count


def escalation_key(*, milestone_id: int, due: date, target: str) -> str:
    """One escalation per milestone, due date and target (the person's DM or the channel)."""
    return f"reminder:{milestone_id}:{due}:{ESCALATION_PART}:{target}"


def is_escalation_key(key: str) -> bool:
    """True for the key of an escalation's DM or channel line."""
    return f":{ESCALATION_PART}:" in key
