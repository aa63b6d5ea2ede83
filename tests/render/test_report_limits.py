"""The plan-vs-actual report of any plan is a message Slack takes.

Up to its 1,000 milestones, every field set, forecasts, confidence trends, many departments and currencies,
hostile and long texts.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.core.confidence import ConfidenceTrend
from bot.core.forecasts import Slip
from bot.core.plan_vs_actual import build_report, with_forecasts
from bot.core.workdays import WorkCalendar
from bot.render.report import report_message
from storage.models import Milestone
from tests.support.blocks import assert_valid_blocks
from tests.support.factories import HOSTILE, TODAY, make_milestone

TITLES = st.one_of(st.just("Launch beta"), st.just(HOSTILE), st.text(min_size=1, max_size=150))
SHORT = st.text(max_size=60)
DAYS = st.one_of(st.none(), st.dates(min_value=date(2025, 1, 1), max_value=date(2028, 12, 31)))


@st.composite
def milestones(draw: st.DrawFn, number: int) -> tuple[Milestone, int]:
    status = draw(st.sampled_from(["open", "on_track", "at_risk", "blocked", "done", "cancelled"]))
    currency = draw(st.sampled_from(["USD", "EUR", "JPY"]))
    due = draw(DAYS)
    milestone = make_milestone(
        id=number,
        number=number,
        title=draw(TITLES),
        status=status,
        due_date=due,
        baseline_due_date=draw(st.one_of(st.just(due), DAYS)),
        start_date=draw(DAYS),
        owner_id=draw(st.sampled_from([None, "U1", "U2", "U3"])),
        department=draw(
            st.one_of(st.none(), st.sampled_from(["Ops", "ops", HOSTILE[:60]]), st.text(max_size=60))
        ),
        budget_minor=draw(st.one_of(st.none(), st.integers(min_value=0, max_value=10**12))),
        budget_currency=currency,
        actual_cost_minor=draw(st.one_of(st.none(), st.integers(min_value=0, max_value=10**12))),
        actual_cost_currency=draw(st.sampled_from([currency, "GBP"])),
        completed_on=draw(DAYS) if status == "done" else None,
        after_id=draw(st.one_of(st.none(), st.integers(min_value=1, max_value=number + 3))),
    )
    return milestone, draw(st.integers(min_value=0, max_value=40))


@st.composite
def plans(draw: st.DrawFn) -> list[tuple[Milestone, int]]:
    # Mostly small plans, sometimes the report's whole 1,000 (the same drawn milestone renumbered).
    count = draw(st.one_of(st.integers(min_value=1, max_value=40), st.just(1000)))
    drawn = [draw(milestones(n)) for n in range(1, min(count, 40) + 1)]
    return [(replace_number(drawn[n % len(drawn)][0], n + 1), drawn[n % len(drawn)][1]) for n in range(count)]


def replace_number(m: Milestone, number: int) -> Milestone:
    return make_milestone(**{**m.model_dump(), "id": number, "number": number})


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)
@given(plans(), st.lists(st.integers(min_value=-30, max_value=60), max_size=12), st.booleans())
def test_any_report_is_a_message_slack_takes(plan: list, slips: list[int], trends: bool) -> None:
    report = build_report(plan, today=TODAY)
    record = [Slip(owner_id="U1", department=None, days=days) for days in slips]
    calendars = {m.id or 0: WorkCalendar() for m, _ in plan}
    report = with_forecasts(report, slips=record, today=TODAY, calendars=calendars)
    if trends:
        lines = [replace(line, confidence=ConfidenceTrend(values=(5, 3, 1))) for line in report.lines]
        report = replace(report, lines=lines)

    message = report_message(
        report, heading=f"Plan vs actual — {HOSTILE}", today=TODAY, share_value="x" * 100
    )

    assert_valid_blocks(message.blocks)
    assert message.text and len(message.text) <= 4000
