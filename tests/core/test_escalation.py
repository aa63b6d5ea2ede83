"""Escalation's date rule: the working day a milestone is N working days overdue, and `settings escalate`."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest

from bot.core.command_types import ESCALATION_OFF, Escalation, SettingsChange, SettingsCommand
from bot.core.escalation import (
    CATCH_UP_WORKING_DAYS,
    due_dates_escalating_by,
    due_dates_escalating_on,
    escalation_day,
    escalation_key,
    escalation_moment,
    is_escalation_key,
    working_days_overdue,
)
from bot.core.schedule import ChannelSchedule
from bot.core.workdays import WorkCalendar
from tests.support.commands import error_of, parse

WEEKDAYS = WorkCalendar()
US = WorkCalendar(country="US")
EXAMPLE = "/milestone settings escalate after 3 days to @maya"


# the date rule


@pytest.mark.parametrize(
    ("due", "days", "expected"),
    [
        (date(2026, 12, 15), 3, date(2026, 12, 18)),  # Tue → Fri
        (date(2026, 12, 17), 3, date(2026, 12, 22)),  # Thu → over the weekend → Tue
        (date(2026, 12, 19), 1, date(2026, 12, 21)),  # due on a Saturday: the next working day is the first
        (date(2026, 12, 15), 10, date(2026, 12, 29)),
    ],
)
def test_the_escalation_day_counts_working_days_after_the_due_date(
    due: date, days: int, expected: date
) -> None:
    assert escalation_day(due=due, days=days, calendar=WEEKDAYS) == expected


def test_public_holidays_are_not_counted() -> None:
    # Thu Dec 24 2026 is due; Fri Dec 25 is Christmas in the US: Mon 28, Tue 29 make 2 working days.
    assert escalation_day(due=date(2026, 12, 24), days=2, calendar=US) == date(2026, 12, 29)
    assert escalation_day(due=date(2026, 12, 24), days=2, calendar=WEEKDAYS) == date(2026, 12, 28)


@pytest.mark.parametrize("days", [1, 3, 7, 30])
def test_the_due_dates_escalating_on_a_day_are_exactly_those_whose_escalation_day_it_is(days: int) -> None:
    for calendar in (WEEKDAYS, US, WorkCalendar(workdays=(2,))):
        for offset in range(60):
            day = date(2026, 12, 1) + timedelta(days=offset)
            window = due_dates_escalating_on(day=day, days=days, calendar=calendar)
            candidates = [day - timedelta(days=back) for back in range(1, 7 * days + 40)]
            expected = sorted(
                d for d in candidates if escalation_day(due=d, days=days, calendar=calendar) == day
            )
            if window is None:
                assert expected == []
            else:
                first, last = window
                assert expected == [first + timedelta(days=n) for n in range((last - first).days + 1)]


@pytest.mark.parametrize("days", [1, 3, 7])
def test_a_day_also_escalates_those_whose_day_was_one_of_the_last_working_days(days: int) -> None:
    # A scheduler down on the escalation day (a deploy, an outage) escalates on the next working days.
    for calendar in (WEEKDAYS, US, WorkCalendar(workdays=(2,))):
        for offset in range(60):
            day = date(2026, 12, 1) + timedelta(days=offset)
            window = due_dates_escalating_by(day=day, days=days, calendar=calendar)
            if not calendar.is_working(day):
                assert window is None
                continue
            recent = [day]
            while len(recent) <= CATCH_UP_WORKING_DAYS:
                recent.append(calendar.on_or_before(recent[-1] - timedelta(days=1)))
            candidates = [day - timedelta(days=back) for back in range(1, 7 * days + 60)]
            expected = sorted(
                d for d in candidates if escalation_day(due=d, days=days, calendar=calendar) in recent
            )
            assert window is not None
            first, last = window
            assert expected == [first + timedelta(days=n) for n in range((last - first).days + 1)]


@pytest.mark.parametrize(
    ("due", "day", "overdue"),
    [
        (date(2026, 12, 15), date(2026, 12, 15), 0),  # Tue: due today
        (date(2026, 12, 15), date(2026, 12, 18), 3),  # Wed, Thu, Fri
        (date(2026, 12, 17), date(2026, 12, 22), 3),  # Fri, Mon, Tue: the weekend does not count
        (date(2026, 12, 19), date(2026, 12, 21), 1),  # due on a Saturday: Monday is the first
        (date(2026, 12, 15), date(2026, 12, 20), 3),  # on a Sunday, Friday's count stands
    ],
)
def test_working_days_overdue_counts_the_working_days_begun_since(due: date, day: date, overdue: int) -> None:
    assert working_days_overdue(due=due, day=day, calendar=WEEKDAYS) == overdue


def test_no_due_date_escalates_on_a_day_off() -> None:
    assert due_dates_escalating_on(day=date(2026, 12, 19), days=3, calendar=WEEKDAYS) is None


def test_the_moment_is_the_reminder_time_in_the_channel_zone_across_a_clock_change() -> None:
    schedule = ChannelSchedule(timezone="America/New_York", reminder_time=time(9, 30))
    # Due Thu Oct 29 2026; 2 working days later is Mon Nov 2, after the clocks went back on Nov 1.
    moment = escalation_moment(due=date(2026, 10, 29), days=2, schedule=schedule)
    assert moment == datetime(2026, 11, 2, 14, 30, tzinfo=UTC)
    # Before the change the same wall time is an hour earlier in UTC.
    assert escalation_moment(due=date(2026, 10, 27), days=2, schedule=schedule) == datetime(
        2026, 10, 29, 13, 30, tzinfo=UTC
    )


def test_keys_name_the_milestone_due_date_and_target() -> None:
    key = escalation_key(milestone_id=7, due=date(2026, 12, 15), target="U9")
    assert key == "reminder:7:2026-12-15:escalation:U9"
    assert is_escalation_key(key)
    assert not is_escalation_key("reminder:7:2026-12-15:overdue")


# `settings escalate …`


def change_of(text: str) -> SettingsChange:
    command = parse(text)
    assert isinstance(command, SettingsCommand)
    return command.change


@pytest.mark.parametrize(
    ("text", "escalation"),
    [
        ("settings escalate after 3 days to <@U123|maya>", Escalation(days=3, to="U123")),
        ("settings escalate to <@U123> after 1 working day", Escalation(days=1, to="U123")),
        ("settings escalation after 30 days to <@W9|boss>", Escalation(days=30, to="W9")),
        ("settings escalate off", ESCALATION_OFF),
        ("settings Escalate OFF", ESCALATION_OFF),
    ],
)
def test_escalate_reads_days_and_a_person_or_off(text: str, escalation: Escalation) -> None:
    assert change_of(text) == SettingsChange(escalation=escalation)


def test_escalate_goes_with_other_settings() -> None:
    assert change_of("settings overdue off escalate after 2 days to <@U1|m>") == SettingsChange(
        overdue_nudge=False, escalation=Escalation(days=2, to="U1")
    )


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("settings escalate after 0 days to <@U1|maya>", "1 to 30 working days, not `0`"),
        ("settings escalate after 99 days to <@U1|maya>", "1 to 30 working days, not `99`"),
        ("settings escalate after 123456789 days to <@U1|maya>", "1 to 30 working days"),
        ("settings escalate after 3 days", "needs a person"),
        ("settings escalate to <@U1|maya>", "needs a number of working days"),
        ("settings escalate after 3 days to <#C1|launch>", "a person, not a channel (`#launch`)"),
        ("settings escalate after 3 days to #launch", "a person, not a channel"),
        ("settings escalate after 3 days to <!here>", "one person, not `@here`"),
        ("settings escalate after 3 days to @maya", "pick them from Slack's @ menu"),
        ("settings escalate", "`escalate` needs a number of working days and a person"),
    ],
)
def test_bad_escalations_say_what_was_wrong_with_one_example(text: str, words: str) -> None:
    error = error_of(text)
    assert words in error.message
    assert error.example == EXAMPLE


def test_unknown_words_after_escalate_are_named() -> None:
    error = error_of("settings escalate after 3 fortnights to <@U1>")
    assert "`fortnights`" in error.message
    assert "escalate" in error.message
