"""The scheduling policy with `now` passed in: reminders, supersession, catch-up, DST, weekly check-ins."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.core.limits import reminder_days_of
from bot.core.schedule import (
    DEFAULT_REMINDER_DAYS,
    OVERDUE,
    ChannelSchedule,
    due_reminder,
    due_review,
    iso_week,
    schedule_of,
    wall_clock_moment,
)
from bot.core.workdays import EVERY_DAY as EVERY_DAY_CALENDAR
from storage import models

NY = ZoneInfo("America/New_York")
NEW_YORK = ChannelSchedule(timezone="America/New_York")
LONG_AGO = datetime(2026, 1, 1, tzinfo=UTC)
EVERY_DAY = EVERY_DAY_CALENDAR.workdays


def at(day: date, hour: int, minute: int = 0, zone: ZoneInfo = NY) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=zone)


DUE = date(2026, 12, 15)


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (at(date(2026, 12, 8), 8, 59), None),
        (at(date(2026, 12, 8), 9, 0), 7),
        (at(date(2026, 12, 13), 17, 0), 7),
        (at(date(2026, 12, 14), 9, 0), 1),
        (at(date(2026, 12, 15), 9, 0), 0),
        (at(date(2026, 12, 16), 8, 0), 0),
        (at(date(2026, 12, 16), 9, 0), OVERDUE),
        (at(date(2026, 12, 30), 9, 0), OVERDUE),
    ],
)
def test_the_latest_due_reminder_is_the_one_to_post(now: datetime, expected: int | None) -> None:
    reminder = due_reminder(due=DUE, schedule=NEW_YORK, due_set_at=LONG_AGO, now=now)
    assert (reminder.offset if reminder else None) == expected


def test_without_the_overdue_nudge_the_day_on_stays_the_latest() -> None:
    quiet = ChannelSchedule(timezone="America/New_York", overdue_nudge=False)

    reminder = due_reminder(due=DUE, schedule=quiet, due_set_at=LONG_AGO, now=at(date(2026, 12, 16), 9))

    assert reminder is not None and reminder.offset == 0
    silent = ChannelSchedule(timezone="UTC", reminder_days=(), overdue_nudge=False)
    assert due_reminder(due=DUE, schedule=silent, due_set_at=LONG_AGO, now=at(date(2026, 12, 30), 9)) is None


def test_a_channels_settings_say_whether_it_nudges() -> None:
    moments = {"created_at": LONG_AGO, "updated_at": LONG_AGO}
    settings = models.ChannelSettings(team_id="T1", channel_id="C1", timezone="UTC", **moments)
    assert schedule_of(settings).overdue_nudge is True
    settings.overdue_nudge = False
    assert schedule_of(settings).overdue_nudge is False


def test_reminders_fire_at_nine_channel_time() -> None:
    reminder = due_reminder(due=DUE, schedule=NEW_YORK, due_set_at=LONG_AGO, now=at(DUE, 12))
    assert reminder is not None and reminder.fire_at == datetime(2026, 12, 15, 14, 0, tzinfo=UTC)


def test_catch_up_after_downtime_posts_only_the_latest() -> None:
    # Down from Dec 7 to the morning after the due date: only the overdue nudge, not the missed "7 days".
    reminder = due_reminder(due=DUE, schedule=NEW_YORK, due_set_at=LONG_AGO, now=at(date(2026, 12, 16), 11))
    assert reminder is not None and reminder.offset == OVERDUE


def test_no_reminder_that_fell_due_before_the_date_was_set() -> None:
    set_at = at(date(2026, 12, 10), 15)  # added with 5 days to go: the 7-day reminder never applied
    assert due_reminder(due=DUE, schedule=NEW_YORK, due_set_at=set_at, now=at(date(2026, 12, 11), 9)) is None
    reminder = due_reminder(due=DUE, schedule=NEW_YORK, due_set_at=set_at, now=at(date(2026, 12, 14), 9))
    assert reminder is not None and reminder.offset == 1


def test_a_revised_date_gets_its_own_reminders() -> None:
    revised = date(2026, 12, 22)
    set_at = at(date(2026, 12, 14), 10)
    reminder = due_reminder(due=revised, schedule=NEW_YORK, due_set_at=set_at, now=at(date(2026, 12, 15), 9))
    assert reminder is not None and reminder.offset == 7


def test_custom_reminder_days_and_time() -> None:
    schedule = ChannelSchedule(
        timezone="Europe/Berlin", reminder_days=(3,), reminder_time=time(16, 30), workdays=EVERY_DAY
    )
    berlin = ZoneInfo("Europe/Berlin")
    assert (
        due_reminder(
            due=DUE, schedule=schedule, due_set_at=LONG_AGO, now=at(date(2026, 12, 12), 16, 29, berlin)
        )
        is None
    )
    reminder = due_reminder(
        due=DUE, schedule=schedule, due_set_at=LONG_AGO, now=at(date(2026, 12, 12), 16, 30, berlin)
    )
    assert reminder is not None and (reminder.offset, reminder.key_part) == (3, "3d")


def test_spring_forward_gap_shifts_to_just_after_it() -> None:
    moment = wall_clock_moment(date(2026, 3, 8), time(2, 30), NY)
    assert moment.astimezone(NY).replace(tzinfo=None) == datetime(2026, 3, 8, 3, 30)


def test_fall_back_fold_fires_once_at_the_first_occurrence() -> None:
    moment = wall_clock_moment(date(2026, 11, 1), time(1, 30), NY)
    assert moment == datetime(2026, 11, 1, 5, 30, tzinfo=UTC)  # 01:30 EDT, not 01:30 EST an hour later


def test_reminder_across_dst_change_stays_at_nine_local() -> None:
    schedule = ChannelSchedule(timezone="America/New_York")
    before = due_reminder(
        due=date(2026, 3, 9), schedule=schedule, due_set_at=LONG_AGO, now=at(date(2026, 3, 9), 9)
    )
    after = due_reminder(
        due=date(2026, 3, 7), schedule=schedule, due_set_at=LONG_AGO, now=at(date(2026, 3, 7), 9)
    )
    assert before is not None and before.fire_at.astimezone(NY).hour == 9
    assert after is not None and after.fire_at.astimezone(NY).hour == 9
    assert before.fire_at.hour == 13 and after.fire_at.hour == 14  # UTC moves, wall clock does not


def test_dst_gap_time_reminder_fires_after_the_gap() -> None:
    schedule = ChannelSchedule(
        timezone="America/New_York", reminder_days=(0,), reminder_time=time(2, 30), workdays=EVERY_DAY
    )
    due = date(2026, 3, 8)  # a Sunday: this channel works every day
    assert due_reminder(due=due, schedule=schedule, due_set_at=LONG_AGO, now=at(due, 1, 59)) is None
    reminder = due_reminder(
        due=due, schedule=schedule, due_set_at=LONG_AGO, now=datetime(2026, 3, 8, 7, 30, tzinfo=UTC)
    )
    assert reminder is not None and reminder.offset == 0


def test_weekly_review_is_monday_nine_by_default() -> None:
    monday = date(2026, 11, 30)
    assert due_review(schedule=NEW_YORK, now=at(monday, 8, 59)) is None
    review = due_review(schedule=NEW_YORK, now=at(monday, 9))
    assert review is not None and review.week == "2026-W49"
    later = due_review(schedule=NEW_YORK, now=at(date(2026, 12, 1), 15))
    assert later is not None and later.week == "2026-W49", "missed by downtime, still posted the next day"
    assert due_review(schedule=NEW_YORK, now=at(date(2026, 12, 3), 9)) is None, "too late to be useful"


def test_friday_review() -> None:
    schedule = ChannelSchedule(timezone="Europe/Berlin", review_weekday=4, review_time=time(16, 0))
    berlin = ZoneInfo("Europe/Berlin")
    friday = date(2026, 11, 27)
    assert due_review(schedule=schedule, now=at(friday, 15, 59, berlin)) is None
    review = due_review(schedule=schedule, now=at(friday, 16, 0, berlin))
    assert review is not None and review.week == iso_week(friday)


def test_sunday_night_review_caught_up_on_monday() -> None:
    schedule = ChannelSchedule(
        timezone="America/New_York", review_weekday=6, review_time=time(23, 0), workdays=EVERY_DAY
    )
    sunday = date(2026, 11, 29)
    review = due_review(schedule=schedule, now=at(sunday + timedelta(days=1), 1))
    assert review is not None and review.week == iso_week(sunday)


def test_review_on_a_fall_back_night_fires_once() -> None:
    schedule = ChannelSchedule(
        timezone="America/New_York", review_weekday=6, review_time=time(1, 30), workdays=EVERY_DAY
    )
    sunday = date(2026, 11, 1)
    first = due_review(schedule=schedule, now=datetime(2026, 11, 1, 5, 30, tzinfo=UTC))
    second = due_review(schedule=schedule, now=datetime(2026, 11, 1, 6, 30, tzinfo=UTC))
    assert first is not None and second is not None and first == second  # same week, same key: posted once
    assert first.week == iso_week(sunday)


def test_a_channel_without_settings_is_reminded_as_a_new_channels_settings_say() -> None:
    # One owner of the default days: storage's column default, which the schedule reads through limits.
    assert ChannelSchedule(timezone="UTC").reminder_days == reminder_days_of(models.DEFAULT_REMINDER_DAYS)
    assert DEFAULT_REMINDER_DAYS == (7, 1, 0)
