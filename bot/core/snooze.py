"""Snoozing a reminder: the day and moment the one more reminder comes, by the channel's working days."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from enum import StrEnum

from bot.core.schedule import ChannelSchedule, wall_clock_moment
from bot.core.workdays import WorkCalendar


class Snooze(StrEnum):
    """How long a reminder is put off: to the next working day, or to the same weekday next week."""

    TOMORROW = "tomorrow"
    NEXT_WEEK = "next_week"


def snooze_day(snooze: Snooze, *, today: date, calendar: WorkCalendar) -> date:
    """The snoozed reminder's day: the next working day, or a week on (moved to the next working one)."""
    if snooze is Snooze.TOMORROW:
        return calendar.next_after(today)
    return calendar.on_or_after(today + timedelta(days=7))


def snooze_moment(snooze: Snooze, *, schedule: ChannelSchedule, now: datetime) -> datetime:
    """When the snoozed reminder is posted, in UTC: the channel's reminder time on its snooze day."""
    day = snooze_day(snooze, today=schedule.local_date(now), calendar=schedule.calendar)
    return wall_clock_moment(day, schedule.reminder_time, schedule.zone)
