"""Working days and holidays move reminders, nudges, reviews and chases; a first review waits a day."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest

from bot.core.limits import LimitError, check_country, check_workdays, stored_workdays, workdays_of
from bot.core.schedule import (
    OVERDUE,
    ChannelSchedule,
    chase_slot,
    due_reminder,
    due_review,
    first_review_at,
    iso_week,
    reminder_day,
    review_slot,
)
from bot.core.workdays import WorkCalendar

NY = "America/New_York"
LONG_AGO = datetime(2026, 1, 1, tzinfo=UTC)
US = WorkCalendar(country="US")


def test_weekends_and_public_holidays_are_days_off() -> None:
    assert US.is_working(date(2026, 12, 24))
    assert not US.is_working(date(2026, 12, 25)), "Christmas Day"
    assert not US.is_working(date(2026, 12, 26)), "a Saturday"
    assert US.holiday(date(2026, 12, 25)) == "Christmas Day"
    assert US.on_or_after(date(2026, 12, 25)) == date(2026, 12, 28)
    assert US.on_or_before(date(2026, 12, 27)) == date(2026, 12, 24)
    assert WorkCalendar().is_working(date(2026, 12, 25)), "no holidays unless a country is set"


def test_a_reminder_on_a_day_off_moves_to_the_working_day_before_and_a_nudge_to_the_one_after() -> None:
    due = date(2026, 12, 27)  # a Sunday
    assert reminder_day(due=due, offset=0, calendar=US) == date(2026, 12, 24)  # Thu: Fri is Christmas
    assert reminder_day(due=due, offset=1, calendar=US) == date(2026, 12, 24)
    assert reminder_day(due=due, offset=7, calendar=US) == date(2026, 12, 18)  # Sun Dec 20 → Fri Dec 18
    assert reminder_day(due=due, offset=OVERDUE, calendar=US) == date(2026, 12, 28)


def test_no_reminder_fires_on_a_saturday() -> None:
    schedule = ChannelSchedule(timezone=NY)
    due = date(2026, 12, 14)  # a Monday: its 1-day reminder would be Sunday, so it goes on Friday
    friday = datetime(2026, 12, 11, 14, 0, tzinfo=UTC)  # 09:00 in New York
    reminder = due_reminder(due=due, schedule=schedule, due_set_at=LONG_AGO, now=friday)
    assert reminder is not None and reminder.offset == 1 and reminder.fire_at == friday


def test_a_review_on_a_holiday_moves_to_the_next_working_day() -> None:
    # Monday Jan 19, 2026 is Martin Luther King Jr. Day in the US.
    schedule = ChannelSchedule(timezone=NY, holidays="US")
    assert review_slot(week="2026-W04", schedule=schedule) == datetime(2026, 1, 20, 14, 0, tzinfo=UTC)
    monday_nine = datetime(2026, 1, 19, 14, 0, tzinfo=UTC)
    assert due_review(schedule=schedule, now=monday_nine) is None, "nothing on the holiday itself"
    tuesday = due_review(schedule=schedule, now=datetime(2026, 1, 20, 14, 0, tzinfo=UTC))
    assert tuesday is not None and tuesday.week == "2026-W04"
    assert chase_slot(week="2026-W04", schedule=schedule) == datetime(2026, 1, 21, 14, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("week", "utc_hour"),
    [("2026-W11", 13), ("2026-W45", 14)],  # the Mondays after spring forward (Mar 8) and fall back (Nov 1)
)
def test_review_and_chase_keep_nine_o_clock_across_dst(week: str, utc_hour: int) -> None:
    schedule = ChannelSchedule(timezone=NY)
    slot = review_slot(week=week, schedule=schedule)
    assert (slot.hour, slot.weekday()) == (utc_hour, 0)
    chase = chase_slot(week=week, schedule=schedule)
    assert (chase.hour, chase.weekday()) == (utc_hour, 1)


def test_a_chase_after_a_friday_review_waits_for_monday() -> None:
    schedule = ChannelSchedule(timezone=NY, review_weekday=4)
    assert chase_slot(week="2026-W49", schedule=schedule).date() == date(2026, 12, 7)


def test_the_first_review_is_never_on_the_day_the_first_milestone_was_added() -> None:
    schedule = ChannelSchedule(timezone=NY)
    monday = date(2026, 11, 30)
    first = first_review_at(schedule=schedule, started_on=monday)
    assert first == datetime(2026, 12, 7, 14, 0, tzinfo=UTC)
    started = ChannelSchedule(timezone=NY, started_on=monday)
    assert due_review(schedule=started, now=datetime(2026, 11, 30, 15, 0, tzinfo=UTC)) is None
    assert due_review(schedule=started, now=datetime(2026, 12, 1, 15, 0, tzinfo=UTC)) is None
    review = due_review(schedule=started, now=first)
    assert review is not None and review.week == iso_week(date(2026, 12, 7))
    sunday = first_review_at(schedule=schedule, started_on=date(2026, 11, 29))
    assert sunday == datetime(2026, 11, 30, 14, 0, tzinfo=UTC), "added on Sunday: reviewed the next morning"


def test_working_days_are_read_and_written_one_way() -> None:
    assert check_workdays([4, 0, 0]) == (0, 4)
    assert stored_workdays([0, 1, 2, 3, 4]) == "mon,tue,wed,thu,fri"
    assert workdays_of("sun,mon") == (0, 6)
    assert workdays_of("garbled") == (0, 1, 2, 3, 4)
    with pytest.raises(LimitError):
        check_workdays([])
    assert check_country("gb") == "GB"
    with pytest.raises(LimitError, match="try a code like US"):
        check_country("XX")


def test_a_schedule_reads_its_reminder_time_in_the_channel_zone() -> None:
    schedule = ChannelSchedule(timezone=NY, reminder_time=time(9, 0))
    assert schedule.local_date(datetime(2026, 12, 1, 3, 0, tzinfo=UTC)) == date(2026, 11, 30)
