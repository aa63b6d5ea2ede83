"""What a plan-vs-actual timeline shows: which lines, on which page, and the shapes each one is drawn with."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from itertools import groupby

from bot.core.departments import department_key
from bot.core.plan_vs_actual import NO_DEPARTMENT, ReportLine
from bot.core.text import counted, excerpt

PAGE_SIZE = 25
MAX_PAGES = 4  # a hundred bars is as much timeline as anyone reads in Slack; the text has every line

# What each shape means, in the legend's words; drawn (and listed) in this order.
SPAN_LEGEND = {
    "plan": "plan, start to planned date",
    "cancelled": "cancelled",
    "overdue": "past due",
    "late": "later than planned",
    "early": "earlier than planned",
}
POINT_LEGEND = {
    "planned": "planned date (no start given)",
    "cancelled_point": "cancelled",
    "forecast": "due date now",
    "done": "finished",
}


@dataclass(frozen=True)
class Bar:
    """Where one milestone's shapes go, in dates; None where it has nothing of that kind to draw."""

    plan_from: date | None  # the start a person entered; without one the plan is a point at plan_to
    plan_to: date | None  # the planned date: the first due date
    outcome: date | None  # completed on (done) or the due date now (open)
    overdue_from: date | None  # an overdue milestone is still open today, past its due date
    overdue_to: date | None
    done: bool
    cancelled: bool


@dataclass
class Shapes:
    """A page's shapes by kind: spans as (row, from, to), points as (row, day); the data the chart draws."""

    spans: dict[str, list[tuple[int, date, date]]] = field(default_factory=lambda: defaultdict(list))
    points: dict[str, list[tuple[int, date]]] = field(default_factory=lambda: defaultdict(list))

    def kinds(self) -> list[str]:
        """The kinds drawn, in legend order."""
        drawn = [kind for kind, shapes in (*self.spans.items(), *self.points.items()) if shapes]
        return [kind for kind in (*SPAN_LEGEND, *POINT_LEGEND) if kind in drawn]


@dataclass(frozen=True)
class DepartmentRows:
    """One department's run of rows on a page: its name, its first row and how many rows."""

    name: str
    first: int
    size: int


def has_chart_dates(line: ReportLine) -> bool:
    """True when a line has a planned, current or completion date, so it can be drawn."""
    return any(d is not None for d in (line.planned, line.current, line.completed_on))


def chart_pages(lines: list[ReportLine]) -> list[list[ReportLine]]:
    """The dated lines grouped by department then planned date, PAGE_SIZE to a page, MAX_PAGES at most."""
    ordered = sorted(filter(has_chart_dates, lines), key=_chart_order)[: PAGE_SIZE * MAX_PAGES]
    return [ordered[i : i + PAGE_SIZE] for i in range(0, len(ordered), PAGE_SIZE)]


def charted_count(lines: list[ReportLine]) -> tuple[int, int]:
    """(drawn, drawable): how many lines the pages hold, of those with a date to draw."""
    drawable = sum(has_chart_dates(line) for line in lines)
    return min(drawable, PAGE_SIZE * MAX_PAGES), drawable


def _chart_order(line: ReportLine) -> tuple[bool, str, date, int]:
    first = line.planned or line.current or line.completed_on or date.min
    return (line.department is None, department_key(line.department or ""), first, line.number)


def bar_of(line: ReportLine, *, today: date) -> Bar:
    """Where a line's plan, slip or overdue span and outcome fall; a plan bar only from a start entered."""
    planned = line.planned
    plan_from = line.start if planned and line.start and line.start < planned else None
    if line.status == "cancelled":
        return Bar(plan_from, planned, None, None, None, done=False, cancelled=True)
    done = line.status == "done"
    outcome = (line.completed_on or line.current or planned) if done else line.current
    overdue = line.overdue and line.current is not None and line.current < today
    overdue_from, overdue_to = (line.current, today) if overdue else (None, None)
    return Bar(plan_from, planned, outcome, overdue_from, overdue_to, done=done, cancelled=False)


def shapes_of(bars: list[Bar]) -> Shapes:
    """The spans and points of a page of bars: a plan with no start is a point at its planned date."""
    shapes = Shapes()
    for row, bar in enumerate(bars):
        if bar.plan_to and bar.plan_from:
            shapes.spans["cancelled" if bar.cancelled else "plan"].append((row, bar.plan_from, bar.plan_to))
        elif bar.plan_to:
            shapes.points["cancelled_point" if bar.cancelled else "planned"].append((row, bar.plan_to))
        if bar.overdue_from and bar.overdue_to:
            shapes.spans["overdue"].append((row, bar.overdue_from, bar.overdue_to))
        if bar.outcome and bar.plan_to and bar.outcome != bar.plan_to:
            low, high = sorted((bar.plan_to, bar.outcome))
            shapes.spans["late" if bar.outcome > bar.plan_to else "early"].append((row, low, high))
        if bar.outcome:
            shapes.points["done" if bar.done else "forecast"].append((row, bar.outcome))
    return shapes


def bar_dates(bar: Bar) -> list[date]:
    """Every date a bar reaches, to fit the axis around them."""
    return [d for d in (bar.plan_from, bar.plan_to, bar.outcome, bar.overdue_to) if d is not None]


def department_rows(page: list[ReportLine]) -> list[DepartmentRows]:
    """The page's departments, one run of rows each, matched without regard to case."""
    runs, row = [], 0
    for _, members in groupby(page, key=lambda line: department_key(line.department or "")):
        lines = list(members)
        runs.append(DepartmentRows(lines[0].department or NO_DEPARTMENT, row, len(lines)))
        row += len(lines)
    return runs


def page_title(title: str, page: list[ReportLine], *, number: int, count: int) -> str:
    """The chart's title; with several pages, the page's departments and `(n/N)` to say what it holds."""
    if count == 1:
        return title  # one page: the departments are named beside their rows, the title need not repeat them
    departments = [run.name for run in department_rows(page)]
    if departments == [NO_DEPARTMENT]:
        return f"{title} ({number}/{count})"
    more = len(departments) - 3
    named = ", ".join(departments[:3]) + (f" and {counted(more, 'more department')}" if more > 0 else "")
    return f"{title} — {excerpt(named, limit=60)} ({number}/{count})"
