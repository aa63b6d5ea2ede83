"""The scheduling policy, as pure functions of `now`: which reminder and which weekly check-in are due."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.core.limits import reminder_days_of
from storage import models

OVERDUE = -1
# A channel without settings is reminded as a new channel's settings would have it.
DEFAULT_REMINDER_DAYS = reminder_days_of(models.DEFAULT_REMINDER_DAYS)
# An overdue nudge missed by downtime is still posted within this many days of the due date.
OVERDUE_CATCH_UP_DAYS = 14
# A weekly check-in missed by downtime is still posted this long after its time, not later.
REVIEW_CATCH_UP = timedelta(days=2)


@dataclass(frozen=True)
class ChannelSchedule:
    """When a channel hears from the bot, in its own time zone."""

    timezone: str
    reminder_days: tuple[int, ...] = DEFAULT_REMINDER_DAYS
    reminder_time: time = time(9, 0)
    review_weekday: int = 0
    review_time: time = time(9, 0)

    @property
    def zone(self) -> ZoneInfo:
        """The channel's time zone."""
        return ZoneInfo(self.timezone)


@dataclass(frozen=True)
class DueReminder:
    """A reminder that has come due: how many days before the due date (OVERDUE for the nudge), and when."""

    offset: int
    fire_at: datetime

    @property
    def key_part(self) -> str:
        """The offset as it appears in the delivery key."""
        return "overdue" if self.offset == OVERDUE else f"{self.offset}d"


@dataclass(frozen=True)
class DueReview:
    """A weekly check-in that has come due: its ISO week and its time."""

    week: str
    fire_at: datetime


def wall_clock_moment(day: date, at: time, zone: ZoneInfo) -> datetime:
    """`at` on `day` in `zone`, in UTC: a time skipped by DST moves forward, a repeated one is the first."""
    # fold=0 reads a skipped wall time with the offset from before the gap, which lands just after it
    # (02:30 on a spring-forward night becomes 03:30), and a repeated wall time as its first occurrence.
    return datetime.combine(day, at).replace(tzinfo=zone, fold=0).astimezone(UTC)


def due_reminder(
    *, due: date, schedule: ChannelSchedule, due_set_at: datetime, now: datetime
) -> DueReminder | None:
    """The latest reminder for a due date whose time has come, unless that was before the date was set."""
    latest: DueReminder | None = None
    for offset in (*sorted(set(schedule.reminder_days), reverse=True), OVERDUE):
        fire_at = wall_clock_moment(due - timedelta(days=offset), schedule.reminder_time, schedule.zone)
        if fire_at <= now:
            latest = DueReminder(offset=offset, fire_at=fire_at)
    if latest is None or latest.fire_at < due_set_at:
        return None
    return latest


def iso_week(day: date) -> str:
    """The ISO week of a date, as `2026-W48`."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def due_review(*, schedule: ChannelSchedule, now: datetime) -> DueReview | None:
    """The latest weekly check-in whose time has come, if that was at most REVIEW_CATCH_UP ago."""
    local_today = now.astimezone(schedule.zone).date()
    this_week = local_today - timedelta(days=local_today.weekday() - schedule.review_weekday)
    for review_day in (this_week, this_week - timedelta(days=7)):
        fire_at = wall_clock_moment(review_day, schedule.review_time, schedule.zone)
        if fire_at <= now:
            return (
                DueReview(week=iso_week(review_day), fire_at=fire_at)
                if now - fire_at <= REVIEW_CATCH_UP
                else None
            )
    return None


def reminder_window(*, today: date, horizon_days: int) -> tuple[date, date]:
    """Due dates worth a look on UTC's `today`: the furthest reminder ahead, two weeks of overdue behind."""
    # A channel's local date is within a day of UTC's, so the window gets a day of margin each way.
    return today - timedelta(days=OVERDUE_CATCH_UP_DAYS + 1), today + timedelta(days=horizon_days + 1)
