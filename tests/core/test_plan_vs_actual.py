from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from bot.core.money import Money
from bot.core.plan_vs_actual import (
    NO_DEPARTMENT,
    NO_OWNER,
    CostVariance,
    Group,
    build_report,
    cost_variance,
    report_line,
)
from storage.models import Milestone
from tests.support.factories import make_milestone

TODAY = date(2026, 11, 20)


def done(number: int, *, planned: date | None, completed: date, **overrides: Any) -> Milestone:
    return make_milestone(
        number=number,
        status="done",
        baseline_due_date=planned,
        due_date=planned,
        completed_on=completed,
        **overrides,
    )


def usd(amount: int) -> dict[str, Any]:
    return {"budget_minor": amount * 100, "budget_currency": "USD"}


# The plan every figure below is worked out from by hand (today is Nov 20, 2026):
#  #1 Marketing U1 done,  planned Oct 1,  done Sep 29  → −2 d, on time;  $1,000 → $900   (−$100)
#  #2 Marketing U2 done,  planned Oct 10, due Oct 15, done Oct 18 → +8 d, late; $5,000 → $5,400 (+$400)
#  #3 Sales     U1 done,  planned Nov 1,  done Nov 1   →  0 d, on time;  €3,000 → €2,500  (−€500)
#  #4 Sales     U2 open,  planned Nov 10, now Dec 1    → +21 d forecast;  budget $2,000
#  #5 —         —  at risk, planned Nov 5, now Nov 15  → +10 d forecast, overdue;  budget €1,000
#  #6 Marketing U1 cancelled, planned Oct 20;  budget $8,000            → in counts only
#  #7 Sales     U1 open,  no dates;  cost $50, no budget
#  #8 Marketing U2 done,  no planned date, done Nov 2;  $100 budget, £200 cost → no variance
def plan() -> list[tuple[Milestone, int]]:
    return [
        (
            done(
                1,
                planned=date(2026, 10, 1),
                completed=date(2026, 9, 29),
                department="Marketing",
                owner_id="U1",
                actual_cost_minor=90_000,
                actual_cost_currency="USD",
                **usd(1_000),
            ),
            0,
        ),
        (
            make_milestone(
                number=2,
                status="done",
                baseline_due_date=date(2026, 10, 10),
                due_date=date(2026, 10, 15),
                completed_on=date(2026, 10, 18),
                department="Marketing",
                owner_id="U2",
                actual_cost_minor=540_000,
                actual_cost_currency="USD",
                **usd(5_000),
            ),
            2,
        ),
        (
            done(
                3,
                planned=date(2026, 11, 1),
                completed=date(2026, 11, 1),
                department="Sales",
                owner_id="U1",
                budget_minor=300_000,
                budget_currency="EUR",
                actual_cost_minor=250_000,
                actual_cost_currency="EUR",
            ),
            0,
        ),
        (
            make_milestone(
                number=4,
                baseline_due_date=date(2026, 11, 10),
                due_date=date(2026, 12, 1),
                department="Sales",
                owner_id="U2",
                **usd(2_000),
            ),
            1,
        ),
        (
            make_milestone(
                number=5,
                status="at_risk",
                baseline_due_date=date(2026, 11, 5),
                due_date=date(2026, 11, 15),
                department=None,
                owner_id=None,
                budget_minor=100_000,
                budget_currency="EUR",
            ),
            3,
        ),
        (
            make_milestone(
                number=6,
                status="cancelled",
                baseline_due_date=date(2026, 10, 20),
                due_date=date(2026, 10, 20),
                department="Marketing",
                owner_id="U1",
                **usd(8_000),
            ),
            0,
        ),
        (
            make_milestone(
                number=7,
                status="open",
                baseline_due_date=None,
                due_date=None,
                department="Sales",
                owner_id="U1",
                actual_cost_minor=5_000,
                actual_cost_currency="USD",
            ),
            0,
        ),
        (
            done(
                8,
                planned=None,
                completed=date(2026, 11, 2),
                department="Marketing",
                owner_id="U2",
                actual_cost_minor=20_000,
                actual_cost_currency="GBP",
                **usd(100),
            ),
            0,
        ),
    ]


def by_name(groups: list[Group]) -> dict[str, Group]:
    return {g.name: g for g in groups}


# --- one milestone -------------------------------------------------------------------------------------


def test_done_early_slips_negative_and_is_on_time():
    line = report_line(
        done(1, planned=date(2026, 10, 1), completed=date(2026, 9, 29)), revisions=0, today=TODAY
    )
    assert line.slip_days == -2
    assert line.on_time is True
    assert line.overdue is False


def test_done_late_slips_from_the_first_plan_not_the_revised_date():
    m = make_milestone(
        status="done",
        baseline_due_date=date(2026, 10, 10),
        due_date=date(2026, 10, 15),
        completed_on=date(2026, 10, 18),
    )
    line = report_line(m, revisions=2, today=TODAY)
    assert (line.planned, line.current, line.completed_on) == (
        date(2026, 10, 10),
        date(2026, 10, 15),
        date(2026, 10, 18),
    )
    assert line.slip_days == 8
    assert line.on_time is False


def test_done_on_the_planned_day_is_on_time():
    line = report_line(
        done(1, planned=date(2026, 11, 1), completed=date(2026, 11, 1)), revisions=0, today=TODAY
    )
    assert line.slip_days == 0
    assert line.on_time is True


def test_open_milestone_slip_is_the_forecast_and_on_time_is_unknown():
    m = make_milestone(baseline_due_date=date(2026, 12, 15), due_date=date(2026, 12, 22))
    line = report_line(m, revisions=1, today=TODAY)
    assert line.slip_days == 7
    assert line.on_time is None
    assert line.overdue is False


def test_undated_milestone_has_no_slip():
    line = report_line(make_milestone(baseline_due_date=None, due_date=None), revisions=0, today=TODAY)
    assert line.planned is None
    assert line.slip_days is None
    assert line.on_time is None
    assert line.overdue is False


def test_done_without_a_plan_has_no_slip_and_no_on_time():
    line = report_line(done(1, planned=None, completed=date(2026, 11, 2)), revisions=0, today=TODAY)
    assert line.slip_days is None
    assert line.on_time is None


def test_done_without_a_completion_date_has_no_slip():
    m = make_milestone(status="done", due_date=date(2026, 11, 1), baseline_due_date=date(2026, 11, 1))
    line = report_line(m, revisions=0, today=TODAY)
    assert line.slip_days is None
    assert line.on_time is None
    assert line.overdue is False


def test_milestone_without_a_baseline_is_planned_for_its_due_date():
    m = make_milestone(baseline_due_date=None, due_date=date(2026, 12, 15))
    line = report_line(m, revisions=0, today=TODAY)
    assert line.planned == date(2026, 12, 15)
    assert line.slip_days == 0


@pytest.mark.parametrize(
    ("status", "due", "overdue"),
    [
        ("open", date(2026, 11, 19), True),
        ("blocked", date(2026, 11, 19), True),
        ("on_track", date(2026, 11, 20), False),  # due today is not late yet
        ("done", date(2026, 11, 1), False),
        ("cancelled", date(2026, 11, 1), False),
    ],
)
def test_overdue_only_while_unfinished_and_past_due(status, due, overdue):
    m = make_milestone(status=status, due_date=due, baseline_due_date=due, completed_on=None)
    assert report_line(m, revisions=0, today=TODAY).overdue is overdue


def test_revision_count_and_fields_are_passed_through():
    m = make_milestone(
        number=31, title="Open Berlin office", department="Sales", owner_id="U7", start_date=TODAY
    )
    line = report_line(m, revisions=4, today=TODAY)
    assert (line.number, line.title, line.department, line.owner_id, line.status, line.start) == (
        31,
        "Open Berlin office",
        "Sales",
        "U7",
        "on_track",
        TODAY,
    )
    assert line.revisions == 4


def test_variance_is_cost_minus_budget_in_one_currency():
    m = make_milestone(**usd(5_000), actual_cost_minor=540_000, actual_cost_currency="USD")
    line = report_line(m, revisions=0, today=TODAY)
    assert line.budget == Money(500_000, "USD")
    assert line.actual_cost == Money(540_000, "USD")
    assert line.variance == Money(40_000, "USD")


def test_variance_under_budget_is_negative():
    m = make_milestone(**usd(1_000), actual_cost_minor=90_000, actual_cost_currency="USD")
    assert report_line(m, revisions=0, today=TODAY).variance == Money(-10_000, "USD")


def test_no_variance_across_currencies():
    m = make_milestone(**usd(5_000), actual_cost_minor=500_000, actual_cost_currency="EUR")
    line = report_line(m, revisions=0, today=TODAY)
    assert line.actual_cost == Money(500_000, "EUR")
    assert line.variance is None


def test_no_variance_without_a_cost_or_a_budget():
    assert report_line(make_milestone(**usd(5_000)), revisions=0, today=TODAY).variance is None
    costed = make_milestone(actual_cost_minor=500, actual_cost_currency="USD")
    line = report_line(costed, revisions=0, today=TODAY)
    assert line.budget is None
    assert line.variance is None


# --- the whole plan ------------------------------------------------------------------------------------


def test_lines_are_sorted_by_planned_date_then_number_undated_last():
    report = build_report(plan(), today=TODAY)
    assert [line.number for line in report.lines] == [1, 2, 6, 3, 5, 4, 7, 8]


def test_lines_with_the_same_plan_are_sorted_by_number():
    same = date(2026, 12, 1)
    items = [(make_milestone(number=n, baseline_due_date=same, due_date=same), 0) for n in (9, 3, 5)]
    assert [line.number for line in build_report(items, today=TODAY).lines] == [3, 5, 9]


def test_revision_counts_reach_their_lines():
    report = build_report(plan(), today=TODAY)
    assert {line.number: line.revisions for line in report.lines} == {
        1: 0,
        2: 2,
        3: 0,
        4: 1,
        5: 3,
        6: 0,
        7: 0,
        8: 0,
    }


def test_total_counts_rates_and_average_slip():
    total = build_report(plan(), today=TODAY).total
    assert (total.count, total.done, total.on_time, total.late, total.open, total.overdue) == (
        8,
        4,
        2,
        1,
        3,
        1,
    )
    assert total.cancelled == 1
    assert total.on_time_rate == pytest.approx(2 / 3)
    # −2, +8, 0 (done) and +21, +10 (forecast): 37 / 5; #6 is cancelled, #7 and #8 have no plan.
    assert total.average_slip_days == pytest.approx(7.4)


def test_money_totals_are_per_currency_and_never_summed_across():
    total = build_report(plan(), today=TODAY).total
    # USD budgets: $1,000 + $5,000 + $2,000 + $100 (the cancelled $8,000 is left out).
    assert total.budget == {"EUR": 400_000, "USD": 810_000}
    # USD costs: $900 + $5,400 + $50; the £200 cost of #8 stays in pounds.
    assert total.actual == {"EUR": 250_000, "GBP": 20_000, "USD": 635_000}


def test_usd_and_eur_budgets_stay_apart():
    items = [
        (make_milestone(number=1, **usd(100)), 0),
        (make_milestone(number=2, budget_minor=100, budget_currency="EUR"), 0),
    ]
    assert build_report(items, today=TODAY).total.budget == {"EUR": 100, "USD": 10_000}


def test_by_department_on_time_rates_and_averages():
    groups = build_report(plan(), today=TODAY).by_department
    assert [g.name for g in groups] == ["Marketing", "Sales", NO_DEPARTMENT]
    marketing, sales, none = (by_name(groups)[name] for name in ("Marketing", "Sales", NO_DEPARTMENT))
    # #1 on time, #2 late, #8 done without a plan, #6 cancelled.
    assert (marketing.count, marketing.done, marketing.on_time, marketing.late, marketing.open) == (
        4,
        3,
        1,
        1,
        0,
    )
    assert marketing.on_time_rate == 0.5
    assert marketing.average_slip_days == 3.0  # (−2 + 8) / 2
    assert marketing.budget == {"USD": 610_000}
    assert marketing.actual == {"GBP": 20_000, "USD": 630_000}
    assert (sales.count, sales.done, sales.on_time, sales.late, sales.open) == (3, 1, 1, 0, 2)
    assert sales.on_time_rate == 1.0
    assert sales.average_slip_days == 10.5  # (0 + 21) / 2
    assert (none.count, none.open, none.overdue) == (1, 1, 1)
    assert none.on_time_rate is None
    assert none.average_slip_days == 10.0


def test_by_owner_on_time_rates_and_averages():
    groups = build_report(plan(), today=TODAY).by_owner
    assert [g.name for g in groups] == ["U1", "U2", NO_OWNER]
    u1, u2 = by_name(groups)["U1"], by_name(groups)["U2"]
    assert (u1.count, u1.done, u1.on_time, u1.late) == (4, 2, 2, 0)
    assert u1.on_time_rate == 1.0
    assert u1.average_slip_days == -1.0  # (−2 + 0) / 2
    assert (u2.count, u2.done, u2.on_time, u2.late) == (3, 2, 0, 1)
    assert u2.on_time_rate == 0.0
    assert u2.average_slip_days == 14.5  # (8 + 21) / 2


def test_cancelled_milestones_count_but_stay_out_of_rates_and_totals():
    late_then_cancelled = make_milestone(
        number=2,
        status="cancelled",
        baseline_due_date=date(2026, 10, 1),
        due_date=date(2026, 11, 1),
        **usd(9_000),
    )
    items = [
        (done(1, planned=date(2026, 10, 1), completed=date(2026, 10, 1), **usd(100)), 0),
        (late_then_cancelled, 5),
    ]
    report = build_report(items, today=TODAY)
    assert [line.number for line in report.lines] == [1, 2]
    total = report.total
    assert (total.count, total.done, total.open, total.overdue, total.cancelled) == (2, 1, 0, 0, 1)
    assert total.on_time_rate == 1.0
    assert total.average_slip_days == 0.0
    assert total.budget == {"USD": 10_000}


def test_departments_differing_only_in_case_are_one_group():
    items = [
        (make_milestone(number=1, department="Marketing"), 0),
        (make_milestone(number=2, department="marketing"), 0),
        (make_milestone(number=3, department="Design"), 0),
        (make_milestone(number=4, department=""), 0),
    ]
    groups = build_report(items, today=TODAY).by_department
    assert [(g.name, g.count) for g in groups] == [("Design", 1), ("Marketing", 2), (NO_DEPARTMENT, 1)]


def test_empty_plan_has_no_rates_and_no_groups():
    report = build_report([], today=TODAY)
    assert report.lines == []
    assert report.total.count == 0
    assert report.total.on_time_rate is None
    assert report.total.average_slip_days is None
    assert report.total.budget == report.total.actual == {}
    assert report.by_department == report.by_owner == []


def test_cost_variance_sums_like_for_like_and_says_how_much_is_costed():
    report = build_report(plan(), today=TODAY)
    assert cost_variance(report.lines) == {
        # −€500 on #3; #5's €1,000 has no cost yet.
        "EUR": CostVariance(minor=-50_000, costed=1, budgeted=2),
        # −$100 + $400 on #1 and #2; #4 has no cost, #8's cost is in pounds, #6 is cancelled.
        "USD": CostVariance(minor=30_000, costed=2, budgeted=4),
    }


def test_cost_variance_is_complete_when_every_budget_is_costed():
    items = [
        (make_milestone(number=1, **usd(1_000), actual_cost_minor=90_000, actual_cost_currency="USD"), 0),
        (make_milestone(number=2, **usd(5_000), actual_cost_minor=540_000, actual_cost_currency="USD"), 0),
    ]
    variance = cost_variance(build_report(items, today=TODAY).lines)["USD"]
    assert variance == CostVariance(minor=30_000, costed=2, budgeted=2)
    assert variance.complete
