"""Reading the dates people type, in their own time zone, and writing dates back."""

from __future__ import annotations

import time
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core.dates import EARLIEST, LATEST, DateError, Prefer, format_date, parse_date

NEW_YORK = ZoneInfo("America/New_York")
# A Wednesday.
NOW = datetime(2026, 11, 25, 10, 0, tzinfo=NEW_YORK)
TODAY = NOW.date()


def read(text: str, prefer: Prefer = "future", *, now: datetime = NOW) -> date:
    return parse_date(text, now=now, prefer=prefer)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-12-15", date(2026, 12, 15)),
        ("2026/12/15", date(2026, 12, 15)),
        ("Dec 15", date(2026, 12, 15)),
        ("December 15", date(2026, 12, 15)),
        ("dec. 15th", date(2026, 12, 15)),
        ("15 Dec", date(2026, 12, 15)),
        ("15 Dec 2026", date(2026, 12, 15)),
        ("15-Dec-2026", date(2026, 12, 15)),
        ("Dec 15 2026", date(2026, 12, 15)),
        ("Dec 15, 2026", date(2026, 12, 15)),
        ("15 December, 2027", date(2027, 12, 15)),
        ("  DEC   15  ", date(2026, 12, 15)),
        ("on Dec 15", date(2026, 12, 15)),
        ("by friday", date(2026, 11, 27)),
        ("today", date(2026, 11, 25)),
        ("tomorrow", date(2026, 11, 26)),
        ("yesterday", date(2026, 11, 24)),
        ("day after tomorrow", date(2026, 11, 27)),
        ("in 3 days", date(2026, 11, 28)),
        ("in 3 weeks", date(2026, 12, 16)),
        ("in 3 months", date(2027, 2, 25)),
        ("in a week", date(2026, 12, 2)),
        ("in two weeks", date(2026, 12, 9)),
        ("in 1 year", date(2027, 11, 25)),
        ("2 weeks from today", date(2026, 12, 9)),
        ("3 days ago", date(2026, 11, 22)),
        ("end of month", date(2026, 11, 30)),
        ("end of the month", date(2026, 11, 30)),
        ("eom", date(2026, 11, 30)),
        ("end of next month", date(2026, 12, 31)),
        ("end of last month", date(2026, 10, 31)),
        ("end of quarter", date(2026, 12, 31)),
        ("end of next quarter", date(2027, 3, 31)),
        ("eoq", date(2026, 12, 31)),
        ("end of year", date(2026, 12, 31)),
        ("eoy", date(2026, 12, 31)),
        ("end of week", date(2026, 11, 27)),
        ("next week", date(2026, 11, 30)),
        ("next month", date(2026, 12, 1)),
        ("next quarter", date(2027, 1, 1)),
        ("next year", date(2027, 1, 1)),
        ("start of next month", date(2026, 12, 1)),
        ("Tue, 15 Dec 2026", date(2026, 12, 15)),
    ],
)
def test_parse_date_reads_the_forms_people_type(text: str, expected: date) -> None:
    assert read(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("friday", date(2026, 11, 27)),
        ("fri", date(2026, 11, 27)),
        ("wednesday", date(2026, 11, 25)),
        ("monday", date(2026, 11, 30)),
        ("this friday", date(2026, 11, 27)),
        ("next friday", date(2026, 12, 4)),
        ("next monday", date(2026, 11, 30)),
        ("last friday", date(2026, 11, 20)),
    ],
)
def test_weekdays_count_from_today_and_next_means_next_week(text: str, expected: date) -> None:
    assert read(text) == expected


def test_a_bare_weekday_looks_back_when_the_past_is_preferred() -> None:
    assert read("friday", "past") == date(2026, 11, 20)
    assert read("monday", "past") == date(2026, 11, 23)
    assert read("wednesday", "past") == TODAY


def test_a_bare_weekday_stays_in_this_week_when_the_current_period_is_preferred() -> None:
    assert read("monday", "current") == date(2026, 11, 23)
    assert read("sunday", "current") == date(2026, 11, 29)


@pytest.mark.parametrize(
    ("text", "prefer", "expected"),
    [
        ("Jan 5", "future", date(2027, 1, 5)),
        ("Nov 25", "future", date(2026, 11, 25)),
        ("Nov 24", "future", date(2027, 11, 24)),
        ("Dec 15", "future", date(2026, 12, 15)),
        ("Jan 5", "past", date(2026, 1, 5)),
        ("Nov 25", "past", date(2026, 11, 25)),
        ("Dec 15", "past", date(2025, 12, 15)),
        ("Jan 5", "current", date(2026, 1, 5)),
        ("Dec 15", "current", date(2026, 12, 15)),
        ("Feb 29", "future", date(2028, 2, 29)),
        ("Feb 29", "past", date(2024, 2, 29)),
    ],
)
def test_a_date_without_a_year_takes_the_year_prefer_points_to(
    text: str, prefer: Prefer, expected: date
) -> None:
    assert read(text, prefer) == expected


def test_a_written_year_wins_over_prefer() -> None:
    assert read("Dec 15 2025", "future") == date(2025, 12, 15)
    assert read("2027-01-05", "past") == date(2027, 1, 5)


@pytest.mark.parametrize(
    "text", ["Feb 30", "2026-13-01", "Dec 32", "Feb 29 2027", "2026-02-29", "Dec 0", "31 Apr"]
)
def test_impossible_dates_are_errors_not_other_dates(text: str) -> None:
    with pytest.raises(DateError, match="isn't a real date"):
        read(text)


def test_feb_29_in_a_year_without_one_is_an_error_for_the_current_period() -> None:
    with pytest.raises(DateError, match="isn't a real date in 2026"):
        read("Feb 29", "current")


@pytest.mark.parametrize(("text", "suggestion"), [("03/04", "`2026-03-04` or `Mar 4`"),
                                                   ("15/12/2026", "`2026-12-15` or `Dec 15`"),
                                                   ("3.4", "`2026-03-04` or `Mar 4`"),
                                                   ("1 2 2026", "`2026-01-02` or `Jan 2`")])  # fmt: skip
def test_ambiguous_numeric_dates_are_errors_that_suggest_a_clear_spelling(text: str, suggestion: str) -> None:
    with pytest.raises(DateError) as caught:
        read(text)
    assert suggestion in str(caught.value)
    assert f"`{text}`" in str(caught.value)


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("", "Give a date"),
        ("   ", "Give a date"),
        ("whenever", "can't read `whenever` as a date"),
        ("lots", "can't read `lots`"),
        ("12", "`12` could mean several dates"),
        ("20261215", "could mean several dates"),
        ("1700000000", "could mean several dates"),
        ("Dec", "needs a day of the month"),
        ("Dec 2026", "needs a day of the month"),
        ("2 days", "say `in 2 days` or `2 days ago`"),
        ("the 15th", "can't read"),
        ("next friday at 5pm", "can't read"),
        ("2101-01-01", "between 2000 and 2100"),
        ("1999-12-31", "between 2000 and 2100"),
        ("in 200 years", "between 2000 and 2100"),
        ("in 9999 years", "between 2000 and 2100"),
        ("x" * 61, "too long"),
    ],
)
def test_unreadable_text_is_a_short_error_naming_it(text: str, says: str) -> None:
    with pytest.raises(DateError) as caught:
        read(text)
    assert says in str(caught.value)
    assert len(str(caught.value)) < 160


def test_a_date_error_shows_backticks_from_the_text_as_quotes() -> None:
    with pytest.raises(DateError) as caught:
        read("`soon`")
    assert "`'soon'`" in str(caught.value)


def test_today_is_the_users_day_not_utcs_near_midnight() -> None:
    late_evening = datetime(2026, 11, 25, 23, 30, tzinfo=NEW_YORK)  # already Nov 26 in UTC
    assert read("today", now=late_evening) == date(2026, 11, 25)
    assert read("tomorrow", now=late_evening) == date(2026, 11, 26)
    assert read("Nov 25", now=late_evening) == date(2026, 11, 25)


def test_tomorrow_depends_on_the_users_zone_at_the_same_instant() -> None:
    instant = datetime(2026, 11, 25, 20, 0, tzinfo=ZoneInfo("UTC"))
    in_auckland = instant.astimezone(ZoneInfo("Pacific/Auckland"))  # Nov 26, 09:00
    in_los_angeles = instant.astimezone(ZoneInfo("America/Los_Angeles"))  # Nov 25, 12:00
    assert read("tomorrow", now=in_auckland) == date(2026, 11, 27)
    assert read("tomorrow", now=in_los_angeles) == date(2026, 11, 26)


def test_month_arithmetic_clamps_to_the_end_of_a_shorter_month() -> None:
    assert read("in 1 month", now=datetime(2027, 1, 31, 9, 0, tzinfo=NEW_YORK)) == date(2027, 2, 28)


def test_end_of_week_is_friday() -> None:
    assert read("eow", now=datetime(2026, 11, 23, 9, 0, tzinfo=NEW_YORK)) == date(2026, 11, 27)


def test_dateparser_reads_are_fast_after_the_first() -> None:
    read("Tue, 15 Dec 2026")
    started = time.perf_counter()
    for _ in range(20):
        read("Tue, 15 Dec 2026")
    assert (time.perf_counter() - started) / 20 < 0.05


@pytest.mark.parametrize(
    ("day", "text"),
    [(date(2026, 12, 15), "Dec 15"), (date(2027, 12, 15), "Dec 15, 2027"), (date(2025, 1, 5), "Jan 5, 2025")],
)
def test_format_date_shows_the_year_only_when_it_is_not_this_year(day: date, text: str) -> None:
    assert format_date(day, today=TODAY) == text


days = st.dates(min_value=EARLIEST, max_value=LATEST)


@settings(max_examples=300, deadline=None)
@given(days)
def test_iso_dates_read_back_exactly(day: date) -> None:
    assert read(day.isoformat(), "past") == day


@settings(max_examples=300, deadline=None)
@given(days, days)
def test_formatted_dates_read_back_in_the_current_period(day: date, today: date) -> None:
    now = datetime(today.year, today.month, today.day, 12, 0, tzinfo=NEW_YORK)
    assert read(format_date(day, today=today), "current", now=now) == day


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=70), st.sampled_from(["future", "past", "current"]))
def test_parse_date_raises_only_date_error_and_stays_in_range(text: str, prefer: Prefer) -> None:
    try:
        day = read(text, prefer)
    except DateError:
        return
    assert EARLIEST <= day <= LATEST
