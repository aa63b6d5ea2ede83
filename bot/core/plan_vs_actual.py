"""Plan vs actual: the figures a report shows, computed from milestones and how often their plan changed."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum

from bot.core.confidence import ConfidenceTrend
from bot.core.departments import department_key
from bot.core.dependencies import forecasts_after
from bot.core.forecasts import Forecast, Slip, forecast
from bot.core.money import Money
from bot.core.vocabulary import Field
from bot.core.workdays import WorkCalendar
from storage.models import CLOSED_STATUSES, Milestone

NO_DEPARTMENT = "No department"
TOTAL = "All milestones"

# A plan change is a new due date, start date or budget: what was planned moved. Status, notes, owner,
# department, title, the completion date and the cost are bookkeeping: the history keeps them, uncounted.
PLAN_FIELDS = frozenset({Field.DUE, Field.START, Field.BUDGET})
_WATCHED = ("at_risk", "blocked")


class Standing(StrEnum):
    """Where a milestone stands today; the report groups its lines by it, in this order."""

    LATE = "late"  # open, and its due date has passed
    # open and not yet due, but flagged at risk or blocked, due later than planned, or likely to finish late
    AT_RISK = "at_risk"
    ON_PLAN = "on_plan"  # open, not yet due, due when planned (or undated)
    DONE = "done"
    CANCELLED = "cancelled"  # left out of every figure


@dataclass(frozen=True)
class ReportLine:
    """One milestone, planned against actual (or against its due date now, while open)."""

    number: int
    title: str
    department: str | None  # the department's one spelling in this report
    owner_id: str | None
    status: str
    start: date | None
    planned: date | None  # the baseline: the first due date planned
    current: date | None  # the due date now
    completed_on: date | None
    slip_days: int | None  # (completed_on or current) - planned: late when positive; None without dates
    plan_changes: int  # see PLAN_FIELDS
    budget: Money | None
    actual_cost: Money | None
    variance: Money | None  # actual_cost - budget, when both exist in one currency
    on_time: bool | None  # done: completed on or before the plan; None while open or undated
    overdue: bool  # open and the current due date has passed
    days_past_due: int  # how long ago an overdue milestone was due; 0 otherwise
    standing: Standing
    forecast: Forecast | None = None  # open: when it will likely be done, from the team's record
    confidence: ConfidenceTrend | None = None  # open: the owner's confidence over the weekly reviews
    id: int | None = None  # the milestone's, for the one it comes after
    after_id: int | None = None  # the milestone it comes after: its forecast waits on that one's


@dataclass
class Group:
    """Counts and money totals for a set of milestones: the whole plan or one department.

    Cancelled milestones count in `count` only: they are left out of every other figure.
    """

    name: str
    count: int
    done: int
    on_time: int  # finished on or before the planned date
    late: int  # finished after the planned date
    open: int
    overdue: int  # open past their due date
    budget: dict[str, int]  # currency → minor units; currencies are never added together
    actual: dict[str, int]

    @property
    def judged(self) -> int:
        """Finished milestones that had a planned date, so on time or late can be said of them."""
        return self.on_time + self.late

    @property
    def on_time_rate(self) -> float | None:
        """Of the finished milestones with a plan, the share finished on or before it; None if none."""
        return self.on_time / self.judged if self.judged else None

    @property
    def cancelled(self) -> int:
        """Milestones counted but neither done nor open."""
        return self.count - self.done - self.open


@dataclass(frozen=True)
class Report:
    """Every line, sorted by planned date, with totals for the plan and for each department."""

    lines: list[ReportLine]
    total: Group
    by_department: list[Group]

    def standing(self, standing: Standing) -> list[ReportLine]:
        """The lines of one standing, most urgent first: longest past due, soonest due, latest finished."""
        found = [line for line in self.lines if line.standing == standing]
        if standing == Standing.LATE:
            return sorted(found, key=lambda line: (-line.days_past_due, line.number))
        if standing == Standing.DONE:
            return sorted(found, key=lambda line: (-(line.completed_on or date.min).toordinal(), line.number))
        return sorted(found, key=lambda line: (line.current is None, line.current or date.min, line.number))


@dataclass(frozen=True)
class CostVariance:
    """Actual minus budget summed over the milestones costed in one currency, and how many that covers."""

    minor: int
    costed: int  # milestones with a budget and a cost in this currency
    budgeted: int  # milestones with a budget in this currency
    costed_budget: int = 0  # the budgets of the costed ones, which the variance is a share of

    @property
    def complete(self) -> bool:
        """True when every budget in this currency has a cost to compare with."""
        return self.costed == self.budgeted

    @property
    def share(self) -> float | None:
        """The variance as a share of the budgets it covers: 0.12 is 12% over; None without a budget."""
        return self.minor / self.costed_budget if self.costed_budget else None


def report_line(milestone: Milestone, *, plan_changes: int, today: date) -> ReportLine:
    """The plan-vs-actual figures of one milestone."""
    m = milestone
    done = m.status == "done"
    # A milestone stored before baselines were kept has only its due date: that is the best plan we know.
    planned = m.baseline_due_date or m.due_date
    reached = m.completed_on if done else m.due_date
    slip_days = (reached - planned).days if planned and reached else None
    budget = _money(m.budget_minor, m.budget_currency)
    actual_cost = _money(m.actual_cost_minor, m.actual_cost_currency)
    variance = None
    if budget and actual_cost and budget.currency == actual_cost.currency:
        variance = Money(actual_cost.minor - budget.minor, budget.currency)
    overdue = m.status not in CLOSED_STATUSES and m.due_date is not None and m.due_date < today
    return ReportLine(
        number=m.number,
        title=m.title,
        department=m.department or None,
        owner_id=m.owner_id,
        status=m.status,
        start=m.start_date,
        planned=planned,
        current=m.due_date,
        completed_on=m.completed_on,
        slip_days=slip_days,
        plan_changes=plan_changes,
        budget=budget,
        actual_cost=actual_cost,
        variance=variance,
        on_time=m.completed_on <= planned if done and planned and m.completed_on else None,
        overdue=overdue,
        days_past_due=(today - m.due_date).days if overdue and m.due_date else 0,
        standing=_standing(m.status, overdue=overdue, slip_days=slip_days),
        id=m.id,
        after_id=m.after_id,
    )


def _standing(status: str, *, overdue: bool, slip_days: int | None) -> Standing:
    if status == "done":
        return Standing.DONE
    if status == "cancelled":
        return Standing.CANCELLED
    if overdue:
        return Standing.LATE
    if status in _WATCHED or (slip_days or 0) > 0:
        return Standing.AT_RISK
    return Standing.ON_PLAN


def build_report(items: list[tuple[Milestone, int]], *, today: date) -> Report:
    """The report of milestones, each given with its count of plan changes, as of `today`."""
    lines = sorted(
        (report_line(m, plan_changes=count, today=today) for m, count in items),
        key=lambda line: (line.planned is None, line.planned or date.min, line.number),
    )
    lines = with_one_spelling(lines)
    return Report(lines=lines, total=group(TOTAL, lines), by_department=_by_department(lines))


def with_forecasts(
    report: Report,
    *,
    slips: list[Slip],
    today: date,
    calendars: Mapping[int, WorkCalendar] | None = None,
) -> Report:
    """The report with each open line's forecast; a line on plan whose likely date is past its due date is at
    risk: the report names it before it is late. `calendars`: each milestone's channel's, by its id."""
    days = calendars or {}
    # Keyed by place in the report: lines made without a milestone (previews) have no id.
    own = {
        place: forecast(
            due=line.current,
            owner_id=line.owner_id,
            department=line.department,
            slips=slips,
            today=today,
            calendar=days.get(line.id or 0),
        )
        for place, line in enumerate(report.lines)
        if line.status not in CLOSED_STATUSES
    }
    places = {line.id: place for place, line in enumerate(report.lines) if line.id is not None}
    links = {
        place: places[line.after_id] for place, line in enumerate(report.lines) if line.after_id in places
    }
    # Never earlier than the open ones it comes after (those in the report).
    likely_by_place = forecasts_after(own, after=links)
    lines = []
    for place, line in enumerate(report.lines):
        if line.status in CLOSED_STATUSES:
            lines.append(line)
            continue
        likely = likely_by_place[place]
        standing = line.standing
        if standing == Standing.ON_PLAN and likely and line.current and likely.days_late(line.current):
            standing = Standing.AT_RISK
        lines.append(replace(line, forecast=likely, standing=standing))
    return replace(report, lines=lines)


def with_one_spelling(lines: list[ReportLine]) -> list[ReportLine]:
    """The lines with each department spelt one way: its most used spelling (ties: the oldest milestone's).

    However stored, `Marketing`, `marketing` and `MARKETING` are one department in the text and the chart.
    """
    spellings: dict[str, Counter[str]] = {}
    for line in sorted(lines, key=lambda line: line.number):
        if line.department:
            spelling = " ".join(line.department.split())
            spellings.setdefault(department_key(spelling), Counter())[spelling] += 1
    # Counter.most_common keeps first-seen order among equal counts.
    names = {key: counts.most_common(1)[0][0] for key, counts in spellings.items()}
    return [
        replace(line, department=names[department_key(line.department)]) if line.department else line
        for line in lines
    ]


def group(name: str, lines: list[ReportLine]) -> Group:
    """Counts, the on-time tally and per-currency money totals of some report lines."""
    kept = [line for line in lines if line.status != "cancelled"]
    return Group(
        name=name,
        count=len(lines),
        done=sum(line.status == "done" for line in kept),
        on_time=sum(line.on_time is True for line in kept),
        late=sum(line.on_time is False for line in kept),
        open=sum(line.status != "done" for line in kept),
        overdue=sum(line.overdue for line in kept),
        budget=_totals(line.budget for line in kept),
        actual=_totals(line.actual_cost for line in kept),
    )


def cost_variance(lines: Iterable[ReportLine]) -> dict[str, CostVariance]:
    """Per budget currency: actual minus budget over milestones costed like for like; cancelled left out."""
    by_currency: dict[str, list[ReportLine]] = {}
    for line in lines:
        if line.budget is not None and line.status != "cancelled":
            by_currency.setdefault(line.budget.currency, []).append(line)
    result = {}
    for currency, budgeted in sorted(by_currency.items()):
        costed = [line for line in budgeted if line.variance is not None]
        result[currency] = CostVariance(
            minor=sum(line.variance.minor for line in costed if line.variance),
            costed=len(costed),
            budgeted=len(budgeted),
            costed_budget=sum(line.budget.minor for line in costed if line.budget),
        )
    return result


def _by_department(lines: list[ReportLine]) -> list[Group]:
    """One group per department (one spelling each), by name without regard to case, the one without last."""
    members: dict[str | None, list[ReportLine]] = {}
    for line in lines:
        members.setdefault(line.department, []).append(line)
    order = sorted(members, key=lambda name: (name is None, department_key(name or "")))
    return [group(name or NO_DEPARTMENT, members[name]) for name in order]


def _totals(amounts: Iterable[Money | None]) -> dict[str, int]:
    """Sums per currency, never converted: adding dollars to euros would need a rate we do not have."""
    totals: dict[str, int] = {}
    for amount in amounts:
        if amount is not None:
            totals[amount.currency] = totals.get(amount.currency, 0) + amount.minor
    return dict(sorted(totals.items()))


def _money(minor: int | None, currency: str | None) -> Money | None:
    return None if minor is None or currency is None else Money(minor, currency)
