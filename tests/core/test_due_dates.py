"""A due date typed without a year is the nearer of its last and next occurrences; when the nearer one has
passed (this year's, or last year's in January), it is asked about (PastDate), never rolled silently on."""

from __future__ import annotations

import calendar
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core.dates import (
    LAST_YEARS_WINDOW,
    DateError,
    PastDate,
    format_full_date,
    parse_date,
    parse_due_date,
)

NEW_YORK = ZoneInfo("America/New_York")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def on(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 10, 0, tzinfo=NEW_YORK)


def due(text: str, *, today: date) -> date:
    return parse_due_date(text, now=on(today))


def asked(text: str, *, today: date) -> tuple[date, date]:
    with pytest.raises(PastDate) as caught:
        due(text, today=today)
    return caught.value.passed, caught.value.upcoming


@pytest.mark.parametrize(
    ("today", "text", "expected"),
    [
        (date(2026, 11, 30), "Nov 30", date(2026, 11, 30)),  # today is not past
        (date(2026, 11, 30), "Dec 25", date(2026, 12, 25)),
        (date(2026, 11, 30), "Jan 5", date(2027, 1, 5)),  # next year's is far nearer than last January
        (date(2026, 12, 31), "Jan 1", date(2027, 1, 1)),
        (date(2026, 12, 31), "Dec 31", date(2026, 12, 31)),
        (date(2026, 7, 4), "Jan 1", date(2027, 1, 1)),  # 184 days back, 181 ahead
        (date(2027, 7, 4), "Dec 31", date(2027, 12, 31)),  # 185 days back, 180 ahead
        # Last December's is 54 days back, beyond the month just gone: this year's end, as people mean it.
        (date(2026, 2, 23), "Dec 31", date(2026, 12, 31)),
        (date(2027, 2, 1), "Dec 31", date(2027, 12, 31)),  # 32 days back
        (date(2026, 11, 30), "Feb 29", date(2028, 2, 29)),  # no Feb 29 this year: the next one
        (date(2028, 2, 28), "Feb 29", date(2028, 2, 29)),
    ],
)
def test_a_day_without_a_year_is_read_without_asking_when_the_nearer_one_is_ahead(
    today: date, text: str, expected: date
) -> None:
    assert due(text, today=today) == expected


@pytest.mark.parametrize(
    ("today", "text", "passed", "upcoming"),
    [
        (date(2026, 11, 30), "Nov 27", date(2026, 11, 27), date(2027, 11, 27)),
        (date(2026, 11, 30), "Nov 29", date(2026, 11, 29), date(2027, 11, 29)),
        (date(2026, 12, 31), "Dec 30", date(2026, 12, 30), date(2027, 12, 30)),
        (date(2027, 1, 2), "Jan 1", date(2027, 1, 1), date(2028, 1, 1)),
        # Across New Year: last December's is two days back, this December's 363 days ahead.
        (date(2027, 1, 2), "Dec 31", date(2026, 12, 31), date(2027, 12, 31)),
        (date(2027, 1, 5), "Dec 20", date(2026, 12, 20), date(2027, 12, 20)),
        (date(2027, 1, 31), "Dec 31", date(2026, 12, 31), date(2027, 12, 31)),  # 31 days back: still asked
        (date(2026, 7, 1), "Jan 1", date(2026, 1, 1), date(2027, 1, 1)),  # 181 days back, 184 ahead
        # A tie (183 days either way, over Feb 29, 2028) is asked: either reading would be a guess.
        (date(2027, 12, 31), "Jul 1", date(2027, 7, 1), date(2028, 7, 1)),
        (date(2028, 3, 1), "Feb 29", date(2028, 2, 29), date(2032, 2, 29)),
    ],
)
def test_a_passed_day_without_a_year_that_is_the_nearer_is_asked_about(
    today: date, text: str, passed: date, upcoming: date
) -> None:
    assert asked(text, today=today) == (passed, upcoming)


@pytest.mark.parametrize(
    "text",
    ["Nov 27", "27 Nov", "Nov 27th", "on Nov 27th", "27th of November", "november 27", "Nov. 27", "nov-27"],
)
def test_every_way_of_writing_a_day_without_a_year_asks(text: str) -> None:
    assert asked(text, today=date(2026, 11, 30)) == (date(2026, 11, 27), date(2027, 11, 27))


def test_the_question_says_the_date_and_how_to_write_the_year() -> None:
    with pytest.raises(PastDate) as caught:
        due("Nov 27", today=date(2026, 11, 30))
    assert str(caught.value) == "`Nov 27` has already passed this year; write the year, like `2027-11-27`."
    assert isinstance(caught.value, DateError)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Nov 27 2026", date(2026, 11, 27)),  # a written year is read as written (the grammar refuses it)
        ("2026-11-27", date(2026, 11, 27)),
        ("friday", date(2026, 12, 4)),
        ("next friday", date(2026, 12, 11)),
        ("tomorrow", date(2026, 12, 1)),
        ("in 3 days", date(2026, 12, 3)),
        ("end of month", date(2026, 11, 30)),
    ],
)
def test_years_weekdays_and_relative_dates_are_unaffected(text: str, expected: date) -> None:
    assert due(text, today=date(2026, 11, 30)) == expected


def test_other_dates_keep_their_own_reading() -> None:
    now = on(date(2026, 11, 30))
    assert parse_date("Nov 27", now=now, prefer="past") == date(2026, 11, 27)  # done on, since
    assert parse_date("Nov 27", now=now, prefer="current") == date(2026, 11, 27)  # start
    assert parse_date("Nov 27", now=now) == date(2027, 11, 27)  # away until: still the next one


def test_impossible_days_stay_errors() -> None:
    with pytest.raises(DateError, match="isn't a real date") as caught:
        due("Feb 30", today=date(2026, 11, 30))
    assert not isinstance(caught.value, PastDate)


def test_a_full_date_always_shows_its_year() -> None:
    assert format_full_date(date(2026, 11, 27)) == "Nov 27, 2026"


@st.composite
def month_days(draw: st.DrawFn) -> tuple[int, int]:
    month = draw(st.integers(1, 12))
    return month, draw(st.integers(1, calendar.monthrange(2000, month)[1]))


@settings(max_examples=500, deadline=None)
@given(st.dates(min_value=date(2001, 1, 1), max_value=date(2090, 12, 31)), month_days())
def test_a_due_date_without_a_year_is_never_silently_in_the_past(
    today: date, month_day: tuple[int, int]
) -> None:
    month, day = month_day
    text = f"{_MONTHS[month - 1]} {day}"
    years = range(today.year - 8, today.year + 1)
    occurred = [date(y, month, day) for y in years if calendar.isleap(y) or month_day != (2, 29)]
    last = max(day for day in occurred if day < today)
    try:
        read = due(text, today=today)
    except PastDate as question:
        assert question.passed == last
        assert question.passed < today < question.upcoming
        assert (question.upcoming.month, question.upcoming.day) == month_day
        assert today - question.passed <= question.upcoming - today
        return
    assert read >= today
    assert (read.month, read.day) == month_day
    # Read silently only when the last one is farther back than the one read is ahead, or is last year's from
    # before the month just gone.
    assert today - last > read - today or (last.year < today.year and today - last > LAST_YEARS_WINDOW)
