from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest
from sqlalchemy import Engine

from bot.core import milestones
from bot.core.command_types import MilestoneFields, ReportCommand
from bot.core.money import Money
from bot.core.plan_vs_actual import (
    NO_DEPARTMENT,
    CostVariance,
    Group,
    Standing,
    build_report,
    cost_variance,
    report_line,
)
from bot.core.report import load_report
from storage.models import Milestone
from storage.workspace import Workspace
from tests.support.factories import make_asker, make_milestone

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
        done(1, planned=date(2026, 10, 1), completed=date(2026, 9, 29)), plan_changes=0, today=TODAY
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
    line = report_line(m, plan_changes=2, today=TODAY)
    assert (line.planned, line.current, line.completed_on) == (
        date(2026, 10, 10),
        date(2026, 10, 15),
        date(2026, 10, 18),
    )
    assert line.slip_days == 8
    assert line.on_time is False


def test_done_on_the_planned_day_is_on_time():
    line = report_line(
        done(1, planned=date(2026, 11, 1), completed=date(2026, 11, 1)), plan_changes=0, today=TODAY
    )
    assert line.slip_days == 0
    assert line.on_time is True


def test_open_milestone_slip_is_the_forecast_and_on_time_is_unknown():
    m = make_milestone(baseline_due_date=date(2026, 12, 15), due_date=date(2026, 12, 22))
    line = report_line(m, plan_changes=1, today=TODAY)
    assert line.slip_days == 7
    assert line.on_time is None
    assert line.overdue is False


def test_undated_milestone_has_no_slip():
    line = report_line(make_milestone(baseline_due_date=None, due_date=None), plan_changes=0, today=TODAY)
    assert line.planned is None
    assert line.slip_days is None
    assert line.on_time is None
    assert line.overdue is False


def test_done_without_a_plan_has_no_slip_and_no_on_time():
    line = report_line(done(1, planned=None, completed=date(2026, 11, 2)), plan_changes=0, today=TODAY)
    assert line.slip_days is None
    assert line.on_time is None


def test_done_without_a_completion_date_has_no_slip():
    m = make_milestone(status="done", due_date=date(2026, 11, 1), baseline_due_date=date(2026, 11, 1))
    line = report_line(m, plan_changes=0, today=TODAY)
    assert line.slip_days is None
    assert line.on_time is None
    assert line.overdue is False


def test_milestone_without_a_baseline_is_planned_for_its_due_date():
    m = make_milestone(baseline_due_date=None, due_date=date(2026, 12, 15))
    line = report_line(m, plan_changes=0, today=TODAY)
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
    assert report_line(m, plan_changes=0, today=TODAY).overdue is overdue


def test_plan_change_count_and_fields_are_passed_through():
    m = make_milestone(
        number=31, title="Open Berlin office", department="Sales", owner_id="U7", start_date=TODAY
    )
    line = report_line(m, plan_changes=4, today=TODAY)
    assert (line.number, line.title, line.department, line.owner_id, line.status, line.start) == (
        31,
        "Open Berlin office",
        "Sales",
        "U7",
        "on_track",
        TODAY,
    )
    assert line.plan_changes == 4


def test_variance_is_cost_minus_budget_in_one_currency():
    m = make_milestone(**usd(5_000), actual_cost_minor=540_000, actual_cost_currency="USD")
    line = report_line(m, plan_changes=0, today=TODAY)
    assert line.budget == Money(500_000, "USD")
    assert line.actual_cost == Money(540_000, "USD")
    assert line.variance == Money(40_000, "USD")


def test_variance_under_budget_is_negative():
    m = make_milestone(**usd(1_000), actual_cost_minor=90_000, actual_cost_currency="USD")
    assert report_line(m, plan_changes=0, today=TODAY).variance == Money(-10_000, "USD")


def test_no_variance_across_currencies():
    m = make_milestone(**usd(5_000), actual_cost_minor=500_000, actual_cost_currency="EUR")
    line = report_line(m, plan_changes=0, today=TODAY)
    assert line.actual_cost == Money(500_000, "EUR")
    assert line.variance is None


def test_no_variance_without_a_cost_or_a_budget():
    assert report_line(make_milestone(**usd(5_000)), plan_changes=0, today=TODAY).variance is None
    costed = make_milestone(actual_cost_minor=500, actual_cost_currency="USD")
    line = report_line(costed, plan_changes=0, today=TODAY)
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


def test_plan_change_counts_reach_their_lines():
    report = build_report(plan(), today=TODAY)
    assert {line.number: line.plan_changes for line in report.lines} == {
        1: 0,
        2: 2,
        3: 0,
        4: 1,
        5: 3,
        6: 0,
        7: 0,
        8: 0,
    }


def test_total_counts_and_on_time_rate():
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
    assert total.judged == 3  # #8 finished without a planned date


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


def test_by_department_counts_and_on_time_rates():
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
    assert marketing.budget == {"USD": 610_000}
    assert marketing.actual == {"GBP": 20_000, "USD": 630_000}
    assert (sales.count, sales.done, sales.on_time, sales.late, sales.open) == (3, 1, 1, 0, 2)
    assert sales.on_time_rate == 1.0
    assert (none.count, none.open, none.overdue) == (1, 1, 1)
    assert none.on_time_rate is None


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
    assert report.total.budget == report.total.actual == {}
    assert report.by_department == []


def test_cost_variance_sums_like_for_like_and_says_how_much_is_costed():
    report = build_report(plan(), today=TODAY)
    assert cost_variance(report.lines) == {
        # −€500 on #3's €3,000; #5's €1,000 has no cost yet.
        "EUR": CostVariance(minor=-50_000, costed=1, budgeted=2, costed_budget=300_000),
        # −$100 + $400 on #1 and #2 ($6,000); #4 has no cost, #8's cost is in pounds, #6 is cancelled.
        "USD": CostVariance(minor=30_000, costed=2, budgeted=4, costed_budget=600_000),
    }


def test_cost_variance_is_complete_when_every_budget_is_costed():
    items = [
        (make_milestone(number=1, **usd(1_000), actual_cost_minor=90_000, actual_cost_currency="USD"), 0),
        (make_milestone(number=2, **usd(5_000), actual_cost_minor=540_000, actual_cost_currency="USD"), 0),
    ]
    variance = cost_variance(build_report(items, today=TODAY).lines)["USD"]
    assert variance == CostVariance(minor=30_000, costed=2, budgeted=2, costed_budget=600_000)
    assert variance.complete
    assert variance.share == pytest.approx(0.05)  # $300 over on $6,000


# --- where each milestone stands -----------------------------------------------------------------------


def test_each_milestone_of_the_plan_stands_in_one_group():
    report = build_report(plan(), today=TODAY)
    assert {line.number: line.standing for line in report.lines} == {
        1: Standing.DONE,
        2: Standing.DONE,
        3: Standing.DONE,
        4: Standing.AT_RISK,  # not due till Dec 1, but due 21 days later than planned
        5: Standing.LATE,  # at risk too, but due Nov 15: past due wins
        6: Standing.CANCELLED,
        7: Standing.ON_PLAN,  # no dates: nothing says it is behind
        8: Standing.DONE,
    }
    [late] = report.standing(Standing.LATE)
    assert (late.number, late.days_past_due) == (5, 5)


@pytest.mark.parametrize(
    ("status", "planned", "due", "standing"),
    [
        ("open", date(2026, 12, 1), date(2026, 12, 1), Standing.ON_PLAN),
        ("on_track", date(2026, 12, 1), date(2026, 11, 28), Standing.ON_PLAN),  # moved earlier
        ("on_track", date(2026, 12, 1), date(2026, 12, 3), Standing.AT_RISK),  # moved later
        ("blocked", date(2026, 12, 1), date(2026, 12, 1), Standing.AT_RISK),
        ("on_track", date(2026, 11, 19), date(2026, 11, 19), Standing.LATE),
        ("on_track", date(2026, 11, 20), date(2026, 11, 20), Standing.ON_PLAN),  # due today is not late yet
    ],
)
def test_standing_of_an_open_milestone(status, planned, due, standing):
    m = make_milestone(status=status, baseline_due_date=planned, due_date=due)
    assert report_line(m, plan_changes=0, today=TODAY).standing == standing


def test_groups_list_the_most_urgent_first():
    items = [
        (make_milestone(id=n, number=n, due_date=due, baseline_due_date=due), 0)
        for n, due in (
            (1, date(2026, 11, 18)),
            (2, date(2026, 11, 10)),
            (3, date(2026, 12, 9)),
            (4, date(2026, 12, 2)),
        )
    ]
    finished = [
        (done(n, planned=date(2026, 11, 1), completed=day), 0)
        for n, day in ((5, date(2026, 11, 2)), (6, date(2026, 11, 9)))
    ]
    report = build_report(items + finished, today=TODAY)
    assert [line.number for line in report.standing(Standing.LATE)] == [2, 1]  # 10 days past due, then 2
    assert [line.number for line in report.standing(Standing.ON_PLAN)] == [4, 3]  # soonest due first
    assert [line.number for line in report.standing(Standing.DONE)] == [6, 5]  # latest finished first


# --- departments: one spelling, whatever is stored -----------------------------------------------------


def test_departments_in_any_case_are_one_department_with_its_most_used_spelling():
    items = [
        (make_milestone(id=1, number=1, department="marketing"), 0),
        (make_milestone(id=2, number=2, department="Marketing"), 0),
        (make_milestone(id=3, number=3, department="MARKETING"), 0),
        (make_milestone(id=4, number=4, department=" Marketing "), 0),
        (make_milestone(id=5, number=5, department="Design"), 0),
    ]
    report = build_report(items, today=TODAY)
    # " Marketing " and "Marketing" differ only in spaces, so that spelling is the most used one.
    assert {line.department for line in report.lines} == {"Design", "Marketing"}
    assert [(g.name, g.count) for g in report.by_department] == [("Design", 1), ("Marketing", 4)]


def test_a_tie_between_spellings_goes_to_the_oldest_milestone():
    items = [
        (make_milestone(id=n, number=n, department=name), 0)
        for n, name in ((3, "MARKETING"), (1, "Marketing"), (2, "marketing"))
    ]
    assert {line.department for line in build_report(items, today=TODAY).lines} == {"Marketing"}


# --- plan changes, counted from the history ------------------------------------------------------------


def test_only_due_dates_start_dates_and_budgets_replaced_count_as_plan_changes(engine: Engine) -> None:
    now = datetime(2026, 11, 20, 15, 0, tzinfo=UTC)
    asker = make_asker(now=now)
    milestones.add_milestone(
        engine=engine,
        asker=asker,
        channel_id="C1",
        fields=MilestoneFields(title="Launch beta", due=date(2026, 12, 15), budget=Money(500_000, "USD")),
    )

    def update(**fields: object) -> None:
        status = fields.pop("status", None)
        milestones.update_milestone(
            engine=engine, asker=asker, number=1, fields=MilestoneFields(**fields), status=status
        )

    update(due=date(2026, 12, 18))  # plan change 1
    update(status="at_risk")  # bookkeeping
    update(owner_id="U2", department="Sales", title="Launch beta v2")  # bookkeeping, three revisions
    update(budget=Money(600_000, "USD"))  # plan change 2
    update(start=date(2026, 11, 30))  # the first start given: it makes the plan, it does not change it
    update(start=date(2026, 12, 1))  # plan change 3
    milestones.complete_milestone(
        engine=engine, asker=asker, number=1, completed_on=date(2026, 12, 1), cost=Money(1, "USD")
    )  # bookkeeping: status, completion date, cost
    scoped = load_report(
        engine=engine,
        workspace=Workspace(team_id="T1"),
        channel_id="C1",
        request=ReportCommand(scope="channel"),
        today=date(2026, 12, 2),
    )
    [line] = scoped.report.lines
    assert line.plan_changes == 3
