"""Snoozing a reminder, as pure date rules: the next working day or a week on, at the channel's hour."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest

from bot.core.schedule import ChannelSchedule
from bot.core.snooze import Snooze, snooze_day, snooze_moment
from bot.core.workdays import WorkCalendar

WEEKDAYS = WorkCalendar()
NEW_YORK = ChannelSchedule(timezone="America/New_York")


@pytest.mark.parametrize(
    ("snooze", "today", "expected"),
    [
        (Snooze.TOMORROW, date(2026, 12, 1), date(2026, 12, 2)),  # Tue → Wed
        (Snooze.TOMORROW, date(2026, 12, 4), date(2026, 12, 7)),  # Fri → Mon, not the weekend
        (Snooze.TOMORROW, date(2026, 12, 5), date(2026, 12, 7)),  # pressed on a Saturday → Mon
        (Snooze.NEXT_WEEK, date(2026, 12, 1), date(2026, 12, 8)),  # Tue → next Tue
        (Snooze.NEXT_WEEK, date(2026, 12, 5), date(2026, 12, 14)),  # Sat → next Sat, a day off → Mon
    ],
)
def test_snooze_day_is_a_working_day(snooze: Snooze, today: date, expected: date) -> None:
    assert snooze_day(snooze, today=today, calendar=WEEKDAYS) == expected


def test_a_public_holiday_moves_the_snooze_to_the_next_working_day() -> None:
    us = WorkCalendar(country="US")
    # Thanksgiving, Thu Nov 26 2026: tomorrow from Wednesday is Friday; a week on from Thu Nov 19 is Friday.
    assert snooze_day(Snooze.TOMORROW, today=date(2026, 11, 25), calendar=us) == date(2026, 11, 27)
    assert snooze_day(Snooze.NEXT_WEEK, today=date(2026, 11, 19), calendar=us) == date(2026, 11, 27)


def test_a_channel_working_sunday_to_thursday_is_snoozed_on_its_own_week() -> None:
    sun_to_thu = WorkCalendar(workdays=(6, 0, 1, 2, 3))
    assert snooze_day(Snooze.TOMORROW, today=date(2026, 12, 3), calendar=sun_to_thu) == date(2026, 12, 6)


def test_the_moment_is_the_channels_reminder_time_in_its_zone() -> None:
    now = datetime(2026, 12, 1, 14, 5, tzinfo=UTC)  # Tue 09:05 in New York
    assert snooze_moment(Snooze.TOMORROW, schedule=NEW_YORK, now=now) == datetime(2026, 12, 2, 14, tzinfo=UTC)
    tokyo = ChannelSchedule(timezone="Asia/Tokyo", reminder_time=time(16, 30))
    wednesday_there = datetime(2026, 12, 1, 15, 5, tzinfo=UTC)  # Wed 00:05 in Tokyo: tomorrow is Thursday
    thursday = datetime(2026, 12, 3, 7, 30, tzinfo=UTC)
    assert snooze_moment(Snooze.TOMORROW, schedule=tokyo, now=wednesday_there) == thursday


def test_the_day_is_the_channels_not_utcs() -> None:
    now = datetime(2026, 12, 2, 3, 0, tzinfo=UTC)  # Tue 22:00 in New York, already Wednesday in UTC
    assert snooze_moment(Snooze.TOMORROW, schedule=NEW_YORK, now=now) == datetime(2026, 12, 2, 14, tzinfo=UTC)


@pytest.mark.parametrize(
    ("snooze", "now", "expected"),
    [
        # Fall back on Sun Nov 1 2026: Fri Oct 30 09:00 EDT is 13:00 UTC, Mon Nov 2 09:00 EST is 14:00 UTC.
        (Snooze.TOMORROW, datetime(2026, 10, 30, 13, 5, tzinfo=UTC), datetime(2026, 11, 2, 14, tzinfo=UTC)),
        (Snooze.NEXT_WEEK, datetime(2026, 10, 27, 13, 5, tzinfo=UTC), datetime(2026, 11, 3, 14, tzinfo=UTC)),
        # Spring forward on Sun Mar 14 2027: 09:00 EST is 14:00 UTC, 09:00 EDT 13:00 UTC.
        (Snooze.TOMORROW, datetime(2027, 3, 12, 14, 5, tzinfo=UTC), datetime(2027, 3, 15, 13, tzinfo=UTC)),
        (Snooze.NEXT_WEEK, datetime(2027, 3, 10, 14, 5, tzinfo=UTC), datetime(2027, 3, 17, 13, tzinfo=UTC)),
    ],
)
def test_nine_stays_nine_across_a_dst_change(snooze: Snooze, now: datetime, expected: datetime) -> None:
    assert snooze_moment(snooze, schedule=NEW_YORK, now=now) == expected
