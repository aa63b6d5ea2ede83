"""When a channel hears from the bot: its schedule from its settings, and whether it works today."""

from __future__ import annotations

from datetime import datetime

from bot.core.schedule import ChannelSchedule, schedule_of
from storage.models import ChannelSettings


def channel_schedule(settings: ChannelSettings | None, *, default_timezone: str) -> ChannelSchedule:
    """The schedule a channel's settings row describes (defaults where there is none)."""
    if settings is None:
        return ChannelSchedule(timezone=default_timezone)
    return schedule_of(settings)


def working_now(schedule: ChannelSchedule, *, now: datetime) -> bool:
    """True on the channel's working days: nothing is posted on a weekend or a public holiday."""
    return schedule.calendar.is_working(schedule.local_date(now))
