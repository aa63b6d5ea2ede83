"""Recurring milestones' dates: a period later, the month's last day at most, a series kept on its day."""

from __future__ import annotations

import calendar
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.core.recurrence import (
    RECURRENCES,
    RecurrenceError,
    aimed_day,
    is_month_end,
    names_a_period,
    next_dates,
    read_recurrence,
    recurrence_words,
    shifted,
)


@pytest.mark.parametrize(
    ("day", "every", "expected"),
    [
        (date(2026, 12, 31), "week", date(2027, 1, 7)),
        (date(2026, 12, 31), "month", date(2027, 1, 31)),
        (date(2027, 1, 31), "month", date(2027, 2, 28)),
        (date(2028, 1, 31), "month", date(2028, 2, 29)),
        (date(2027, 3, 31), "month", date(2027, 4, 30)),
        (date(2026, 11, 30), "quarter", date(2027, 2, 28)),
        (date(2026, 12, 15), "quarter", date(2027, 3, 15)),
        (date(2026, 10, 31), "quarter", date(2027, 1, 31)),
    ],
)
def test_a_period_later_is_the_months_last_day_at_most(day: date, every: str, expected: date) -> None:
    assert shifted(day, every=every) == expected  # type: ignore[arg-type]


def test_a_series_on_the_31st_goes_back_to_the_31st_after_a_short_month() -> None:
    assert shifted(date(2027, 2, 28), every="month", on_day=31) == date(2027, 3, 31)
    assert shifted(date(2027, 2, 28), every="month", on_day=30) == date(2027, 3, 30)


@pytest.mark.parametrize(
    ("dues", "day"),
    [
        ([date(2027, 1, 15)], 15),
        ([date(2027, 2, 28), date(2027, 1, 31)], 31),
        ([date(2027, 2, 28), date(2027, 1, 30)], 30),
        ([date(2027, 4, 30), date(2027, 3, 30)], 30),
        # Quarterly from Mar 31: two short months in a row still find the 31st.
        ([date(2027, 9, 30), date(2027, 6, 30), date(2027, 3, 31)], 31),
        # A series that started on a month's last day of its own keeps it.
        ([date(2027, 2, 28)], 28),
        # A date moved by hand starts the series afresh.
        ([date(2027, 2, 15), date(2027, 1, 31)], 15),
    ],
)
def test_a_series_is_kept_on_the_day_it_was_meant_for(dues: list[date], day: int) -> None:
    assert aimed_day(dues) == day


def test_the_series_is_read_only_as_far_back_as_needed() -> None:
    read: list[date] = []

    def dues():  # newest first
        for day in (date(2027, 3, 15), date(2027, 2, 15), date(2027, 1, 15)):
            read.append(day)
            yield day

    assert aimed_day(dues()) == 15
    assert read == [date(2027, 3, 15)]


def test_a_series_has_a_due_date() -> None:
    with pytest.raises(ValueError, match="at least one"):
        aimed_day([])


def test_monthly_close_on_the_31st_runs_through_the_year_on_each_months_last_day() -> None:
    dues = [date(2026, 12, 31)]
    for _ in range(12):
        due, _start = next_dates(due=dues[-1], start=None, every="month", on_day=aimed_day(reversed(dues)))
        dues.append(due)
    assert dues[1:] == [date(2027, month, calendar.monthrange(2027, month)[1]) for month in range(1, 13)]


def test_the_start_is_shifted_alike_on_its_own_day() -> None:
    due, start = next_dates(due=date(2027, 1, 31), start=date(2027, 1, 4), every="month", on_day=31)
    assert (due, start) == (date(2027, 2, 28), date(2027, 2, 4))
    assert next_dates(due=date(2027, 1, 31), start=None, every="week") == (date(2027, 2, 7), None)


dates = st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31))


@given(dates, st.sampled_from(RECURRENCES))
def test_the_next_one_is_always_later_and_never_beyond_one_period(day: date, every: str) -> None:
    later = shifted(day, every=every)  # type: ignore[arg-type]
    assert later > day
    limit = {"week": 7, "month": 31, "quarter": 92}[every]
    assert (later - day) <= timedelta(days=limit)
    if every != "week":
        assert later.day == day.day or is_month_end(later)


@given(dates, dates, st.sampled_from(RECURRENCES), st.integers(1, 31))
def test_a_start_never_passes_the_due_date(one: date, other: date, every: str, extra: int) -> None:
    start, due = sorted((one, other))
    on_day = max(due.day, extra)
    next_due, next_start = next_dates(due=due, start=start, every=every, on_day=on_day)  # type: ignore[arg-type]
    assert next_start is not None and next_start <= next_due


@pytest.mark.parametrize(
    ("written", "recurrence"),
    [("week", "week"), ("Month", "month"), ("QUARTER", "quarter"), ("none", None), ("off", None)],
)
def test_periods_and_none_are_read(written: str, recurrence: str | None) -> None:
    assert read_recurrence(written) == recurrence


@pytest.mark.parametrize(
    ("written", "meant"),
    [
        ("monthly", "month"),
        ("3 months", "quarter"),
        ("1 week", "week"),
        ("7 days", "week"),
        ("quater", "quarter"),
        ("weeks", "week"),
    ],
)
def test_a_near_miss_says_the_period_meant(written: str, meant: str) -> None:
    with pytest.raises(RecurrenceError) as refused:
        read_recurrence(written)
    assert refused.value.meant == meant
    assert f"`every {meant}`" in str(refused.value)


@pytest.mark.parametrize("written", ["fortnight", "0 months", "2 weeks", "year", "month please"])
def test_other_periods_are_refused_with_the_ones_there_are(written: str) -> None:
    with pytest.raises(RecurrenceError) as refused:
        read_recurrence(written)
    assert refused.value.meant is None
    assert "every week, every month or every quarter" in str(refused.value)


@pytest.mark.parametrize("word", ["month", "Quarterly", "fortnight", "3", "none", "mnth", "years"])
def test_words_about_a_period_make_every_a_clause(word: str) -> None:
    assert names_a_period(word)


@pytest.mark.parametrize("word", ["invoice", "Monday", "team", "contract", "one"])
def test_other_words_leave_every_in_the_title(word: str) -> None:
    assert not names_a_period(word)


def test_recurrence_is_said_as_every_period() -> None:
    assert recurrence_words("quarter") == "every quarter"
    assert recurrence_words(None) == ""
