"""Plan-vs-actual timeline charts: one PNG per page of milestones, readable at Slack's preview size."""

from __future__ import annotations

import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import date, timedelta

import pytest

from bot.core.chart import WIDTH_PX, png_size, timeline_pngs
from bot.core.plan_vs_actual import ReportLine, Standing, build_report
from bot.core.timeline import (
    MAX_PAGES,
    PAGE_SIZE,
    bar_of,
    chart_pages,
    department_rows,
    has_chart_dates,
    page_title,
    shapes_of,
)
from tests.support.factories import make_milestone

TODAY = date(2025, 3, 10)
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
DEPARTMENTS = ("Marketing", "Sales", "Engineering", None)


def day(offset: int) -> date:
    return TODAY + timedelta(days=offset)


def make_line(number: int, **fields: object) -> ReportLine:
    """An open, dated milestone due a week from today, with `fields` changed."""
    line = ReportLine(
        number=number,
        title=f"Milestone {number}",
        department="Marketing",
        owner_id="U123",
        status="open",
        start=None,
        planned=day(7),
        current=day(7),
        completed_on=None,
        slip_days=0,
        plan_changes=0,
        budget=None,
        actual_cost=None,
        variance=None,
        on_time=None,
        overdue=False,
        days_past_due=0,
        standing=Standing.ON_PLAN,
    )
    return replace(line, **fields)


def many_lines(count: int) -> list[ReportLine]:
    """A plan of `count` milestones over four departments, in every state, some late and some early."""
    statuses = ("open", "on_track", "at_risk", "done", "cancelled")
    lines = []
    for number in range(1, count + 1):
        planned = day(number % 90 - 45)
        current = planned + timedelta(days=number % 21 - 7)
        status = statuses[number % len(statuses)]
        lines.append(
            make_line(
                number,
                title=f"Milestone {number} of the plan",
                department=DEPARTMENTS[number % len(DEPARTMENTS)],
                status=status,
                start=planned - timedelta(days=number % 40 + 5) if number % 3 else None,
                planned=planned,
                current=current,
                completed_on=current if status == "done" else None,
                overdue=status not in ("done", "cancelled") and current < TODAY,
            )
        )
    return lines


def assert_png(data: bytes) -> tuple[int, int]:
    assert data.startswith(PNG_SIGNATURE)
    width, height = png_size(data)
    assert width == WIDTH_PX
    return width, height


def heights(pngs: list[bytes]) -> list[int]:
    return [assert_png(data)[1] for data in pngs]


@pytest.fixture(scope="module")
def two_hundred_pages() -> list[bytes]:
    return timeline_pngs(many_lines(200), today=TODAY, title="Plan vs actual")


def test_no_milestones_give_one_small_image_that_says_so() -> None:
    pngs = timeline_pngs([], today=TODAY, title="Plan vs actual")

    assert len(pngs) == 1
    (empty_height,) = heights(pngs)
    (one_bar_height,) = heights(timeline_pngs([make_line(1)], today=TODAY, title="Plan vs actual"))
    assert empty_height < one_bar_height


def test_milestones_without_dates_are_left_out() -> None:
    undated = make_line(1, planned=None, current=None, start=day(-3))
    dated = make_line(2)

    assert not has_chart_dates(undated)
    assert chart_pages([undated, dated]) == [[dated]]
    empty = timeline_pngs([], today=TODAY, title="Plan vs actual")
    assert timeline_pngs([undated], today=TODAY, title="Plan vs actual") == empty


def test_one_milestone_gives_one_image_1000_px_wide() -> None:
    pngs = timeline_pngs([make_line(12, title="Launch beta")], today=TODAY, title="Plan vs actual")

    assert len(pngs) == 1
    assert png_size(pngs[0])[0] == WIDTH_PX


def test_height_grows_with_the_bars_until_a_page_is_full() -> None:
    lines = many_lines(PAGE_SIZE + 1)
    one, ten, full = (
        heights(timeline_pngs(lines[:count], today=TODAY, title="Plan"))[0] for count in (1, 10, PAGE_SIZE)
    )

    assert one < ten < full <= 1100
    first, last = heights(timeline_pngs(lines, today=TODAY, title="Plan"))
    assert first - last == (PAGE_SIZE - 1) * 35  # same margins and legend: only the bars differ


def test_200_milestones_give_at_most_4_full_pages(two_hundred_pages: list[bytes]) -> None:
    assert len(two_hundred_pages) == MAX_PAGES
    assert len(set(heights(two_hundred_pages))) == 1


def test_pages_group_milestones_by_department_then_planned_date() -> None:
    pages = chart_pages(many_lines(PAGE_SIZE * MAX_PAGES))
    lines = [line for page in pages for line in page]

    assert [len(page) for page in pages] == [PAGE_SIZE] * MAX_PAGES
    assert [line.department for line in lines] == sorted(
        (line.department for line in lines), key=lambda name: (name is None, name or "")
    )
    for department in DEPARTMENTS:
        planned = [line.planned for line in lines if line.department == department]
        assert planned == sorted(planned)


def test_a_plan_in_every_state_renders() -> None:
    lines = [
        make_line(1, status="done", planned=day(-30), current=day(-18), completed_on=day(-18)),
        make_line(2, status="done", planned=day(-10), completed_on=day(-14), department="Sales"),
        make_line(3, status="at_risk", planned=day(5), current=day(25), department=None),
        make_line(4, start=day(-40), planned=day(-20), current=day(-5), overdue=True),
        make_line(5, status="cancelled", planned=day(10), current=day(15)),
        make_line(6, status="on_track", start=day(30), planned=day(20), current=day(12)),
        make_line(7, planned=None, current=None),
        make_line(8, planned=None, current=day(3)),
        make_line(9, status="done", planned=None, current=None, completed_on=day(-1)),
        make_line(10, planned=day(400), current=day(-400), overdue=True),
    ]

    pngs = timeline_pngs(lines, today=TODAY, title="Plan vs actual")

    assert len(pngs) == 1
    assert heights(pngs) == heights(timeline_pngs(many_lines(9), today=TODAY, title="Plan vs actual"))


# Mathtext (valid and broken), a Slack broadcast, a huge title, emoji the font lacks, joiners and selectors.
@pytest.mark.filterwarnings("error")
def test_hostile_titles_render_as_plain_text_without_warnings() -> None:
    titles = [
        r"$\frac{1}{2}$ done",
        r"costs $\nope{ math$",
        "<!channel> & <@U123>",
        "a" * 500,
        "🚀 Launch 👨‍👩‍👧 ✨️",
    ]
    lines = [make_line(n, title=title, department=title) for n, title in enumerate(titles, start=1)]

    pngs = timeline_pngs(lines, today=TODAY, title=r"Plan vs actual — #general $x$ 🚀")

    assert len(pngs) == 1
    assert_png(pngs[0])


def test_charts_are_the_same_bytes_every_time() -> None:
    lines = many_lines(5)

    assert timeline_pngs(lines, today=TODAY, title="Plan") == timeline_pngs(lines, today=TODAY, title="Plan")


def test_png_size_refuses_what_is_not_a_png() -> None:
    with pytest.raises(ValueError, match="not a PNG"):
        png_size(b"GIF89a" + bytes(30))


@pytest.mark.slow
def test_charts_drawn_from_16_threads_at_once_are_the_pictures_drawn_alone() -> None:
    # A listener thread per report: each thread's plan has glyphs of its own, so font look-ups race too.
    threads, rounds = 16, 3
    plans = [
        [*many_lines(3 + worker % 4), make_line(99, title=f"Worker {worker} {chr(0x0410 + worker)} 🚀")]
        for worker in range(threads)
    ]
    start = threading.Barrier(threads)

    def draw(worker: int) -> list[list[bytes]]:
        start.wait()
        return [timeline_pngs(plans[worker], today=TODAY, title=f"Plan {worker}") for _ in range(rounds)]

    with ThreadPoolExecutor(max_workers=threads) as pool:
        drawn = list(pool.map(draw, range(threads)))

    for worker, charts in enumerate(drawn):
        alone = timeline_pngs(plans[worker], today=TODAY, title=f"Plan {worker}")
        heights(alone)
        assert charts == [alone] * rounds, f"worker {worker} drew a different picture"


def test_the_app_draws_without_pyplot_on_the_agg_backend() -> None:
    # A fresh interpreter: what the server imports, not what other tests happened to load.
    probe = (
        "import sys, matplotlib, bot.app, bot.listeners.report\n"
        "assert 'matplotlib.pyplot' not in sys.modules, 'pyplot was imported'\n"
        "print(matplotlib.get_backend().lower())"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60)

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "agg"


# --- what is drawn: a bar only from a start someone entered ----------------------------------------------


def test_a_milestone_without_a_start_is_a_point_at_its_planned_date() -> None:
    line = make_line(1, start=None, planned=day(7), current=day(7))
    bar = bar_of(line, today=TODAY)
    shapes = shapes_of([bar])

    assert bar.plan_from is None
    assert shapes.points["planned"] == [(0, day(7))]
    assert shapes.points["forecast"] == [(0, day(7))]  # due when planned: the two marks coincide
    assert not shapes.spans["plan"]


def test_a_milestone_with_a_start_is_a_bar_from_it() -> None:
    shapes = shapes_of([bar_of(make_line(1, start=day(-3), planned=day(7)), today=TODAY)])

    assert shapes.spans["plan"] == [(0, day(-3), day(7))]
    assert not shapes.points["planned"]


def test_a_late_finish_without_a_start_is_two_points_joined_by_a_thin_line() -> None:
    line = make_line(1, status="done", start=None, planned=day(-10), current=day(-10), completed_on=day(-6))
    shapes = shapes_of([bar_of(line, today=TODAY)])

    assert shapes.points["planned"] == [(0, day(-10))]
    assert shapes.points["done"] == [(0, day(-6))]
    assert shapes.spans["late"] == [(0, day(-10), day(-6))]
    assert shapes.kinds() == ["late", "planned", "done"]


def test_an_overdue_milestone_without_a_start_shows_the_days_past_due() -> None:
    line = make_line(1, start=None, planned=day(-5), current=day(-2), overdue=True)
    shapes = shapes_of([bar_of(line, today=TODAY)])

    assert shapes.spans["overdue"] == [(0, day(-2), TODAY)]
    assert shapes.spans["late"] == [(0, day(-5), day(-2))]
    assert shapes.points["planned"] == [(0, day(-5))]


def test_a_cancelled_milestone_without_a_start_is_a_grey_point() -> None:
    shapes = shapes_of([bar_of(make_line(1, status="cancelled", start=None), today=TODAY)])

    assert shapes.points["cancelled_point"] == [(0, day(7))]
    assert not shapes.points["forecast"]


# --- departments: one group whatever the case ------------------------------------------------------------


def test_departments_in_any_case_are_one_run_of_rows_with_one_name() -> None:
    items = [
        (make_milestone(id=n, number=n, department=name, due_date=due, baseline_due_date=due), 0)
        for n, name, due in (
            (1, "Marketing", day(9)),
            (2, "Sales", day(3)),
            (3, "marketing", day(1)),
            (4, "MARKETING", day(5)),
        )
    ]
    lines = build_report(items, today=TODAY).lines
    [page] = chart_pages(lines)

    assert [line.number for line in page] == [3, 4, 1, 2]
    assert [(run.name, run.first, run.size) for run in department_rows(page)] == [
        ("Marketing", 0, 3),
        ("Sales", 3, 1),
    ]
    assert page_title("Plan vs actual", page, number=1, count=2) == "Plan vs actual — Marketing, Sales (1/2)"


def test_raw_lines_in_any_case_still_group_together() -> None:
    page = [make_line(1, department="marketing"), make_line(2, department="Marketing ")]

    assert [(run.name, run.size) for run in department_rows(page)] == [("marketing", 2)]


def test_a_page_with_many_departments_says_how_many_more() -> None:
    page = [make_line(n, department=f"Team {n}") for n in range(1, 6)]

    assert (
        page_title("Plan", page, number=2, count=3)
        == "Plan — Team 1, Team 2, Team 3 and 2 more departments (2/3)"
    )


def test_a_single_page_title_names_no_department_as_the_rows_are_labelled_beside() -> None:
    page = [make_line(1, department="Marketing"), make_line(2, department=None)]

    assert page_title("Plan vs actual — #general", page, number=1, count=1) == "Plan vs actual — #general"
    assert page_title("Plan", page, number=1, count=2) == "Plan — Marketing, No department (1/2)"
    assert page_title("Plan", [make_line(3, department=None)], number=2, count=2) == "Plan (2/2)"
