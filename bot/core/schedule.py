"""The scheduling policy, as pure functions of `now`: which reminder and which weekly check-in are due."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.core.limits import reminder_days_of, workdays_of
from bot.core.workdays import MONDAY_TO_FRIDAY, WorkCalendar
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
    workdays: tuple[int, ...] = MONDAY_TO_FRIDAY
    holidays: str | None = None
    # The channel's date when its first milestone was added; None for channels older than the rule.
    started_on: date | None = None
    overdue_nudge: bool = True  # the working day after the due date, for a milestone not done

    @property
    def zone(self) -> ZoneInfo:
        """The channel's time zone."""
        return ZoneInfo(self.timezone)

    @property
    def calendar(self) -> WorkCalendar:
        """The channel's working days."""
        return WorkCalendar(workdays=self.workdays, country=self.holidays)

    def local_date(self, moment: datetime) -> date:
        """The channel's date at a moment."""
        return moment.astimezone(self.zone).date()


def schedule_of(settings: models.ChannelSettings) -> ChannelSchedule:
    """The schedule a channel's settings row describes."""
    return ChannelSchedule(
        timezone=settings.timezone,
        reminder_days=reminder_days_of(settings.reminder_days),
        reminder_time=time.fromisoformat(settings.reminder_time),
        review_weekday=settings.review_weekday,
        review_time=time.fromisoformat(settings.review_time),
        workdays=workdays_of(settings.workdays),
        holidays=settings.holidays,
        started_on=settings.started_on,
        overdue_nudge=settings.overdue_nudge,
    )


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


def reminder_day(*, due: date, offset: int, calendar: WorkCalendar) -> date:
    """The working day a reminder is posted: one falling on a day off moves earlier, the nudge later."""
    if offset == OVERDUE:
        return calendar.next_after(due)
    return calendar.on_or_before(due - timedelta(days=offset))


def due_reminder(
    *, due: date, schedule: ChannelSchedule, due_set_at: datetime, now: datetime
) -> DueReminder | None:
    """The latest reminder for a due date whose time has come, unless that was before the date was set."""
    return still_owed(latest_reminder(due=due, schedule=schedule, now=now), due_set_at=due_set_at)


def latest_reminder(*, due: date, schedule: ChannelSchedule, now: datetime) -> DueReminder | None:
    """The latest reminder for a due date whose time has come, whenever the date was set.

    The same for every milestone of a channel due that day: a pass works it out once for all of them.
    """
    latest: DueReminder | None = None
    calendar = schedule.calendar
    nudge = (OVERDUE,) if schedule.overdue_nudge else ()
    for offset in (*sorted(set(schedule.reminder_days), reverse=True), *nudge):
        day = reminder_day(due=due, offset=offset, calendar=calendar)
        fire_at = wall_clock_moment(day, schedule.reminder_time, schedule.zone)
        if fire_at <= now:
            latest = DueReminder(offset=offset, fire_at=fire_at)
    return latest


def still_owed(latest: DueReminder | None, *, due_set_at: datetime) -> DueReminder | None:
    """The reminder, unless its time came before the due date was set (a date set since owes none yet)."""
    if latest is None or latest.fire_at < due_set_at:
        return None
    return latest


def iso_week(day: date) -> str:
    """The ISO week of a date, as `2026-W48`."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def review_day(*, week: str, schedule: ChannelSchedule) -> date:
    """The day a week's review is posted: its review weekday, or the next working day after a day off."""
    year, number = week.split("-W")
    nominal = date.fromisocalendar(int(year), int(number), schedule.review_weekday + 1)
    return schedule.calendar.on_or_after(nominal)


def review_slot(*, week: str, schedule: ChannelSchedule) -> datetime:
    """When a week's review is posted, in UTC."""
    return wall_clock_moment(review_day(week=week, schedule=schedule), schedule.review_time, schedule.zone)


def chase_slot(*, week: str, schedule: ChannelSchedule) -> datetime:
    """When owners who have not answered a week's review hear once more: the next working day, same time."""
    day = schedule.calendar.next_after(review_day(week=week, schedule=schedule))
    return wall_clock_moment(day, schedule.review_time, schedule.zone)


def _review_week_of(day: date, *, schedule: ChannelSchedule) -> str:
    """The ISO week whose nominal review day is on or before `day` (the review week `day` falls in)."""
    nominal = day - timedelta(days=(day.weekday() - schedule.review_weekday) % 7)
    return iso_week(nominal)


def _opens_after_start(week: str, *, schedule: ChannelSchedule) -> bool:
    """A channel's first review comes after the day its first milestone was added, never on it."""
    return schedule.started_on is None or review_day(week=week, schedule=schedule) > schedule.started_on


def due_review(*, schedule: ChannelSchedule, now: datetime) -> DueReview | None:
    """The latest weekly check-in whose time has come, if that was at most REVIEW_CATCH_UP ago."""
    local_today = schedule.local_date(now)
    this_week = _review_week_of(local_today, schedule=schedule)
    last_week = _review_week_of(local_today - timedelta(days=7), schedule=schedule)
    # A review moved past a day off can fall in the next week: look at this week's and last week's.
    for week in (this_week, last_week):
        fire_at = review_slot(week=week, schedule=schedule)
        if fire_at <= now:
            if now - fire_at > REVIEW_CATCH_UP or not _opens_after_start(week, schedule=schedule):
                return None
            return DueReview(week=week, fire_at=fire_at)
    return None


def first_review_at(*, schedule: ChannelSchedule, started_on: date) -> datetime:
    """When a channel whose first milestone was added on `started_on` (its date) has its first review."""
    week = _review_week_of(started_on, schedule=schedule)
    if review_day(week=week, schedule=schedule) <= started_on:
        # The next week's review day is at least a week after this one's nominal day: after `started_on`.
        week = _review_week_of(started_on + timedelta(days=7), schedule=schedule)
    return review_slot(week=week, schedule=schedule)


def reminder_window(*, today: date, horizon_days: int) -> tuple[date, date]:
    """Due dates worth a look on UTC's `today`: the furthest reminder ahead, two weeks of overdue behind."""
    # A channel's local date is within a day of UTC's, so the window gets a day of margin each way.
    return today - timedelta(days=OVERDUE_CATCH_UP_DAYS + 1), today + timedelta(days=horizon_days + 1)
