"""What a plan-vs-actual timeline shows: which lines, on which page, and each bar's dates."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from itertools import groupby

from bot.core.plan_vs_actual import ReportLine
from bot.core.text import excerpt

PAGE_SIZE = 25
_DEFAULT_PLAN = timedelta(days=14)  # drawn when a milestone has no start


@dataclass(frozen=True)
class Bar:
    """Where one milestone's shapes go, in dates; None where it has nothing of that kind to draw."""

    plan_from: date | None
    plan_to: date | None
    outcome: date | None  # completed on (done) or the forecast (open)
    overdue_from: date | None  # an overdue milestone is still open today, past its due date
    overdue_to: date | None
    done: bool
    cancelled: bool


def has_chart_dates(line: ReportLine) -> bool:
    """True when a line has a planned, current or completion date, so it can be drawn."""
    return any(d is not None for d in (line.planned, line.current, line.completed_on))


def chart_pages(lines: list[ReportLine]) -> list[list[ReportLine]]:
    """The dated lines grouped by department then planned date, PAGE_SIZE to a page."""
    ordered = sorted(filter(has_chart_dates, lines), key=_chart_order)
    return [ordered[i : i + PAGE_SIZE] for i in range(0, len(ordered), PAGE_SIZE)]


def _chart_order(line: ReportLine) -> tuple[bool, str, date, int]:
    first = line.planned or line.current or line.completed_on or date.min
    return (line.department is None, (line.department or "").casefold(), first, line.number)


def bar_of(line: ReportLine, *, today: date) -> Bar:
    """Where a line's plan, slip or overdue span and outcome fall."""
    planned = line.planned
    plan_from = None
    if planned is not None:
        plan_from = line.start if line.start and line.start < planned else planned - _DEFAULT_PLAN
    if line.status == "cancelled":
        return Bar(plan_from, planned, None, None, None, done=False, cancelled=True)
    done = line.status == "done"
    outcome = (line.completed_on or line.current or planned) if done else line.current
    overdue = line.overdue and line.current is not None and line.current < today
    overdue_from, overdue_to = (line.current, today) if overdue else (None, None)
    return Bar(plan_from, planned, outcome, overdue_from, overdue_to, done=done, cancelled=False)


def bar_dates(bar: Bar) -> list[date]:
    """Every date a bar reaches, to fit the axis around them."""
    return [d for d in (bar.plan_from, bar.plan_to, bar.outcome, bar.overdue_to) if d is not None]


def page_title(title: str, page: list[ReportLine], *, number: int, count: int) -> str:
    """The chart's title with the page's departments and, when there are several pages, `(n/N)`."""
    departments = [name for name, _ in groupby(line.department for line in page) if name]
    named = ", ".join(departments[:3]) + (f" +{len(departments) - 3} more" if len(departments) > 3 else "")
    parts = [title, excerpt(named, limit=60)] if named else [title]
    return " — ".join(parts) + (f" ({number}/{count})" if count > 1 else "")
