"""The one answer to each limit: lengths, plan dates, a new due date, reminder days and time zones."""

from __future__ import annotations

from datetime import date

import pytest

from bot.core.limits import (
    MAX_DAYS_BEFORE,
    MAX_REMINDERS,
    LimitError,
    check_new_due,
    check_plan_dates,
    check_reminder_days,
    check_text,
    check_timezone,
    reminder_days_of,
    stored_reminder_days,
)

TODAY = date(2026, 11, 25)


@pytest.mark.parametrize(
    ("field", "limit"), [("title", 150), ("department", 80), ("budget", 40), ("reason", 500)]
)
def test_text_is_kept_to_its_fields_length(field: str, limit: int) -> None:
    assert check_text("x" * limit, field=field) == "x" * limit
    with pytest.raises(LimitError, match=rf"The {field} is {limit + 1} characters; keep it to {limit}\."):
        check_text("x" * (limit + 1), field=field)


def test_text_collapses_spaces_and_refuses_empty_or_control_characters() -> None:
    assert check_text("  Launch   beta ", field="title") == "Launch beta"
    with pytest.raises(LimitError, match=r"The title is empty\."):
        check_text("   ", field="title")
    with pytest.raises(LimitError, match="line break"):
        check_text("Launch\nbeta", field="title")


def test_a_reason_is_folded_onto_one_line() -> None:
    assert check_text("the vendor\nslipped", field="reason") == "the vendor slipped"


def test_a_start_may_fall_on_the_due_date_but_not_after_it() -> None:
    check_plan_dates(start=date(2026, 12, 15), due=date(2026, 12, 15), today=TODAY)
    check_plan_dates(start=None, due=date(2026, 12, 15), today=TODAY)
    with pytest.raises(LimitError, match=r"^The start \(Dec 20\) is after the due date \(Dec 15\)\.$"):
        check_plan_dates(start=date(2026, 12, 20), due=date(2026, 12, 15), today=TODAY)


def test_a_new_due_date_is_today_or_later() -> None:
    check_new_due(TODAY, today=TODAY)
    with pytest.raises(LimitError, match=r"^Nov 24 is in the past; give a due date from today on\.$"):
        check_new_due(date(2026, 11, 24), today=TODAY)


def test_reminder_days_are_deduplicated_then_counted_and_listed_furthest_first() -> None:
    assert check_reminder_days([1, 14, 3, 3]) == (14, 3, 1)
    assert check_reminder_days([0, MAX_DAYS_BEFORE]) == (60, 0)
    assert check_reminder_days([]) == ()
    assert len(check_reminder_days([6, 5, 4, 3, 2, 1, 1])) == MAX_REMINDERS


@pytest.mark.parametrize(
    ("days", "says"),
    [
        ([61], "61 isn't a number of days from 0 to 60."),
        ([-1], "-1 isn't a number of days from 0 to 60."),
        ([10**40], "1000000000000000000… isn't a number of days from 0 to 60."),
        ([30, 14, 7, 3, 2, 1, 0], "That's 7 reminders; keep it to 6."),
    ],
)
def test_reminder_days_refuse_what_is_out_of_range(days: list[int], says: str) -> None:
    with pytest.raises(LimitError) as raised:
        check_reminder_days(days)
    assert str(raised.value) == says


def test_reminder_days_are_stored_as_a_comma_list_and_read_back() -> None:
    assert stored_reminder_days([1, 7, 0]) == "7,1,0"
    assert stored_reminder_days([]) == ""
    assert reminder_days_of("7,1,0") == (7, 1, 0)
    assert reminder_days_of("") == ()


def test_stored_reminder_days_skip_what_is_no_day() -> None:
    assert reminder_days_of(" 1, 7 ;x,99,²") == (7, 1)


@pytest.mark.parametrize(
    ("written", "zone"),
    [
        ("Europe/Berlin", "Europe/Berlin"),
        ("europe/berlin", "Europe/Berlin"),
        ("  america/new york ", "America/New_York"),
        ("utc", "UTC"),
    ],
)
def test_a_time_zone_reads_in_its_canonical_spelling(written: str, zone: str) -> None:
    assert check_timezone(written) == zone


@pytest.mark.parametrize("written", ["localtime", "posixrules", "Factory", "factory", "Mars/Olympus"])
def test_a_time_zone_is_a_place(written: str) -> None:
    with pytest.raises(LimitError, match="isn't a time zone I know"):
        check_timezone(written)


def test_a_time_zone_left_empty_is_asked_for() -> None:
    with pytest.raises(LimitError, match=r"^Give a time zone"):
        check_timezone("  ")


def test_a_time_zone_not_known_is_quoted_short_as_written() -> None:
    with pytest.raises(LimitError) as raised:
        check_timezone(" Mars/" + "x" * 100)
    assert str(raised.value) == f"“Mars/{'x' * 54}…” isn't a time zone I know; try one like Europe/Berlin."
