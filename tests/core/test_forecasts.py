"""Forecasts from the team's own record, against hand-computed cases."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from bot.core.forecasts import MIN_HISTORY, Basis, Slip, forecast, slip
from bot.core.workdays import WorkCalendar

TODAY = date(2026, 12, 1)


def _slips(days: list[int], *, owner: str | None = None, department: str | None = None) -> list[Slip]:
    return [Slip(owner_id=owner, department=department, days=d) for d in days]


def test_the_owners_record_gives_the_median_and_the_20th_to_80th_percentile() -> None:
    # Sorted slips 0 2 3 5 10: the median is the third (3); the 20th percentile sits 0.8 of the way from 0 to
    # 2 (1.6 → 2); the 80th 0.2 of the way from 5 to 10 (6).
    slips = _slips([10, 0, 5, 3, 2], owner="U1")

    found = forecast(due=date(2027, 1, 6), owner_id="U1", department=None, slips=slips, today=TODAY)

    assert found is not None
    assert (found.likely, found.earliest, found.latest) == (
        date(2027, 1, 9),
        date(2027, 1, 8),
        date(2027, 1, 12),
    )
    assert (found.samples, found.basis) == (5, Basis.OWNER)
    assert found.days_late(date(2027, 1, 6)) == 3


def test_an_owner_with_too_few_falls_back_to_the_department_in_any_spelling_then_the_workspace() -> None:
    mine = _slips([9, 9, 9, 9], owner="U1", department="marketing")  # four: too few
    theirs = _slips([1, 1, 1, 1, 1, 1], owner="U2", department="marketing")
    elsewhere = _slips([0, 0], owner="U3", department="sales")
    due = date(2027, 1, 6)

    by_department = forecast(
        due=due, owner_id="U1", department="  MARKETING ", slips=mine + theirs + elsewhere, today=TODAY
    )
    by_workspace = forecast(due=due, owner_id="U9", department="Legal", slips=mine + theirs, today=TODAY)

    assert by_department is not None and by_department.basis == Basis.DEPARTMENT
    # Marketing's ten: four 9s and six 1s; sorted, the median falls between the 5th and 6th (1 and 1).
    assert (by_department.samples, by_department.likely) == (10, due + timedelta(days=1))
    assert by_workspace is not None and (by_workspace.basis, by_workspace.samples) == (Basis.WORKSPACE, 10)


def test_too_short_a_record_or_no_due_date_gives_no_forecast() -> None:
    slips = _slips([1] * (MIN_HISTORY - 1), owner="U1")

    assert forecast(due=date(2027, 1, 6), owner_id="U1", department=None, slips=slips, today=TODAY) is None
    assert forecast(due=None, owner_id="U1", department=None, slips=_slips([1] * 9), today=TODAY) is None


def test_an_overdue_milestone_goes_by_the_past_ones_that_ran_at_least_as_late() -> None:
    # Due Nov 21, today Dec 1: ten days late. Of the nine, six ran 10 days late or more: 11 12 14 15 20 30.
    slips = _slips([0, 1, 2, 12, 15, 20, 30, 11, 14])

    found = forecast(due=date(2026, 11, 21), owner_id=None, department=None, slips=slips, today=TODAY)

    # Median between 14 and 15 (14.5 rounds later: 15) → Dec 6; 20th percentile 12 → Dec 3; 80th 20 → Dec 11.
    assert found is not None and found.samples == 6
    assert (found.likely, found.earliest, found.latest) == (
        date(2026, 12, 6),
        date(2026, 12, 3),
        date(2026, 12, 11),
    )


def test_an_overdue_one_later_than_the_record_knows_is_likely_today_at_the_earliest() -> None:
    slips = _slips([0, 1, 1, 2, 3])  # nobody ran 30 days late

    found = forecast(due=date(2026, 11, 1), owner_id=None, department=None, slips=slips, today=TODAY)

    assert found is not None and (found.likely, found.earliest, found.latest) == (TODAY, TODAY, TODAY)


def test_a_slip_needs_both_dates_and_is_early_when_negative() -> None:
    assert slip(
        owner_id="U1", department="Ops", planned=date(2026, 11, 10), completed=date(2026, 11, 7)
    ) == Slip(owner_id="U1", department="ops", days=-3)
    assert slip(owner_id="U1", department=None, planned=None, completed=date(2026, 11, 7)) is None
    assert slip(owner_id="U1", department=None, planned=date(2026, 11, 7), completed=None) is None


@given(
    days=st.lists(st.integers(min_value=-60, max_value=120), min_size=MIN_HISTORY, max_size=40),
    offset=st.integers(min_value=-90, max_value=90),
)
def test_the_range_holds_the_likely_date_and_nothing_is_forecast_before_today(
    days: list[int], offset: int
) -> None:
    due = TODAY + timedelta(days=offset)

    found = forecast(due=due, owner_id=None, department=None, slips=_slips(days), today=TODAY)

    assert found is not None
    assert TODAY <= found.earliest <= found.likely <= found.latest
    assert MIN_HISTORY <= found.samples <= len(days)
    assert found.latest <= max(due + timedelta(days=max(days)), TODAY)


def test_with_a_calendar_every_date_is_a_working_day() -> None:
    # Slips 1, 2, 2, 3, 8 from a Thursday: likely Sat (+2) → Mon, earliest Sat → Mon, latest Mon (+4) stays.
    slips = [Slip(owner_id="U1", department=None, days=d) for d in (1, 2, 2, 3, 8)]
    thursday = date(2026, 12, 31)
    made = forecast(
        due=thursday,
        owner_id="U1",
        department=None,
        slips=slips,
        today=date(2026, 12, 1),
        calendar=WorkCalendar(),
    )
    assert made is not None
    assert (made.likely, made.earliest, made.latest) == (date(2027, 1, 4), date(2027, 1, 4), date(2027, 1, 4))
    plain = forecast(due=thursday, owner_id="U1", department=None, slips=slips, today=date(2026, 12, 1))
    assert plain is not None and plain.likely == date(2027, 1, 2)
