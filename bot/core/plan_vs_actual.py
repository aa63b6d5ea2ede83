"""Plan vs actual: the figures a report shows, computed from milestones and their revision counts."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from bot.core.money import Money
from storage.models import CLOSED_STATUSES, Milestone

NO_DEPARTMENT = "No department"
NO_OWNER = "No owner"
TOTAL = "All milestones"


@dataclass(frozen=True)
class ReportLine:
    """One milestone, planned against actual (or forecast, while open)."""

    number: int
    title: str
    department: str | None
    owner_id: str | None
    status: str
    start: date | None
    planned: date | None  # the baseline: the first due date planned
    current: date | None  # the due date now (the forecast while open)
    completed_on: date | None
    slip_days: int | None  # (completed_on or current) - planned; None without dates
    revisions: int
    budget: Money | None
    actual_cost: Money | None
    variance: Money | None  # actual_cost - budget, when both exist in one currency
    on_time: bool | None  # done: completed on or before the plan; None while open or undated
    overdue: bool  # open and the current due date has passed


@dataclass
class Group:
    """Totals for a set of milestones: the whole plan, one department or one owner.

    Cancelled milestones count in `count` only: they are left out of every rate, average and money total.
    """

    name: str
    count: int
    done: int
    on_time: int
    late: int
    open: int
    overdue: int
    average_slip_days: float | None
    budget: dict[str, int]  # currency → minor units; currencies are never added together
    actual: dict[str, int]

    @property
    def on_time_rate(self) -> float | None:
        """Of the finished milestones with a plan, the share finished on or before it; None if none."""
        judged = self.on_time + self.late
        return self.on_time / judged if judged else None

    @property
    def cancelled(self) -> int:
        """Milestones counted but neither done nor open."""
        return self.count - self.done - self.open


@dataclass(frozen=True)
class Report:
    """Every line, sorted by planned date, with totals for the plan, each department and each owner."""

    lines: list[ReportLine]
    total: Group
    by_department: list[Group]
    by_owner: list[Group]


@dataclass(frozen=True)
class CostVariance:
    """Actual minus budget summed over the milestones costed in one currency, and how many that covers."""

    minor: int
    costed: int  # milestones with a budget and a cost in this currency
    budgeted: int  # milestones with a budget in this currency

    @property
    def complete(self) -> bool:
        """True when every budget in this currency has a cost to compare with."""
        return self.costed == self.budgeted


def report_line(milestone: Milestone, *, revisions: int, today: date) -> ReportLine:
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
    return ReportLine(
        number=m.number,
        title=m.title,
        department=m.department,
        owner_id=m.owner_id,
        status=m.status,
        start=m.start_date,
        planned=planned,
        current=m.due_date,
        completed_on=m.completed_on,
        slip_days=slip_days,
        revisions=revisions,
        budget=budget,
        actual_cost=actual_cost,
        variance=variance,
        on_time=m.completed_on <= planned if done and planned and m.completed_on else None,
        overdue=m.status not in CLOSED_STATUSES and m.due_date is not None and m.due_date < today,
    )


def build_report(items: list[tuple[Milestone, int]], *, today: date) -> Report:
    """The report of milestones, each given with its revision count, as of `today`."""
    lines = sorted(
        (report_line(m, revisions=count, today=today) for m, count in items),
        key=lambda line: (line.planned is None, line.planned or date.min, line.number),
    )
    return Report(
        lines=lines,
        total=group(TOTAL, lines),
        by_department=_groups(lines, key=lambda line: line.department, missing=NO_DEPARTMENT),
        by_owner=_groups(lines, key=lambda line: line.owner_id, missing=NO_OWNER),
    )


def group(name: str, lines: list[ReportLine]) -> Group:
    """Counts, on-time tally, average slip and per-currency money totals of some report lines."""
    kept = [line for line in lines if line.status != "cancelled"]
    slips = [line.slip_days for line in kept if line.slip_days is not None]
    return Group(
        name=name,
        count=len(lines),
        done=sum(line.status == "done" for line in kept),
        on_time=sum(line.on_time is True for line in kept),
        late=sum(line.on_time is False for line in kept),
        open=sum(line.status != "done" for line in kept),
        overdue=sum(line.overdue for line in kept),
        average_slip_days=sum(slips) / len(slips) if slips else None,
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
        costed = [line.variance.minor for line in budgeted if line.variance is not None]
        result[currency] = CostVariance(minor=sum(costed), costed=len(costed), budgeted=len(budgeted))
    return result


def _groups(lines: list[ReportLine], *, key: Callable[[ReportLine], str | None], missing: str) -> list[Group]:
    """One group per value of `key`, by name, the group without a value last.

    Values differing only in case (`Marketing`, `marketing`) are one group, named as first seen.
    """
    members: dict[str | None, list[ReportLine]] = {}
    names: dict[str | None, str] = {None: missing}
    for line in lines:
        value = key(line) or None
        folded = value.casefold() if value is not None else None
        names.setdefault(folded, value or missing)
        members.setdefault(folded, []).append(line)
    order = sorted(members, key=lambda folded: (folded is None, folded or ""))
    return [group(names[folded], members[folded]) for folded in order]


def _totals(amounts: Iterable[Money | None]) -> dict[str, int]:
    """Sums per currency, never converted: adding dollars to euros would need a rate we do not have."""
    totals: dict[str, int] = {}
    for amount in amounts:
        if amount is not None:
            totals[amount.currency] = totals.get(amount.currency, 0) + amount.minor
    return dict(sorted(totals.items()))


def _money(minor: int | None, currency: str | None) -> Money | None:
    return None if minor is None or currency is None else Money(minor, currency)
