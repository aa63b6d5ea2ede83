"""Plan vs actual as pictures: the timelines drawn with matplotlib, as PNG bytes Slack can show."""

from __future__ import annotations

import io
import struct
import threading
import unicodedata
from collections.abc import Callable
from datetime import date
from functools import lru_cache, wraps
from typing import Any, ParamSpec, TypeVar

import matplotlib
import matplotlib.dates as mdates
from matplotlib import font_manager
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import PolyCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.text import Text
from matplotlib.transforms import Bbox, blended_transform_factory

from bot.core.plan_vs_actual import ReportLine
from bot.core.text import excerpt
from bot.core.timeline import (
    POINT_LEGEND,
    SPAN_LEGEND,
    Bar,
    Shapes,
    bar_dates,
    bar_of,
    chart_pages,
    department_rows,
    page_title,
    shapes_of,
)

# Headless, whoever imports pyplot later: a GUI backend in a server thread would not draw, or would crash.
matplotlib.use("agg")

WIDTH_PX = 1000

_DPI = 100
_WIDTH_IN = WIDTH_PX / _DPI
_BAR_IN = 0.35
# Fixed margins in inches, not fractions, so pages line up and only the bar area grows with the bars.
_TOP_IN = 0.85
_BOTTOM_IN = 0.55
_LABELS_IN = 3.3
_RIGHT_IN = 0.3
_DEPARTMENTS_IN = 1.4
_EMPTY_HEIGHT_IN = 1.2
_LEGEND_COLUMNS = 6
_LEGEND_ROW_IN = 0.22
_TITLE_CHARS = 36
_DEPARTMENT_CHARS = 16
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_METADATA = {"Software": None}  # no matplotlib version in the file: the bytes change only with the picture

_TEXT = "#222222"
_LATE = "#d62728"
_EARLY = "#2ca02c"
_CANCELLED = "#b0b0b0"
_MISSING_GLYPH = "□"

# Matplotlib's FreeType faces, mathtext fonts and text-layout caches are shared by the whole process and are
# not thread-safe: two charts drawn at once corrupt them ("invalid outline", then SIGABRT or SIGSEGV).
# Re-entrant, because a page being drawn looks up glyphs, which take it too.
_DRAWING = threading.RLock()
_P = ParamSpec("_P")
_R = TypeVar("_R")

# Bar height (a row is 1) and style of each kind, drawn in this order so slips sit on plans.
_SPAN_STYLES: dict[str, tuple[float, dict[str, Any]]] = {
    "plan": (0.6, {"color": "#c9d6e3"}),
    "cancelled": (0.6, {"color": _CANCELLED, "alpha": 0.5}),
    "overdue": (0.34, {"facecolor": "#fbe3e3", "hatch": "////", "edgecolor": _LATE, "linewidth": 0}),
    "late": (0.22, {"color": _LATE}),
    "early": (0.22, {"color": _EARLY}),
}
# Points drawn after the spans, in this order, so the outcome sits on the planned date it may share.
_POINT_STYLES: dict[str, dict[str, Any]] = {
    "planned": {"marker": "o", "markersize": 10, "markerfacecolor": "#c9d6e3", "markeredgecolor": "#7f9bb8",
                "markeredgewidth": 1.2},
    "cancelled_point": {"marker": "o", "markersize": 9, "color": _CANCELLED, "alpha": 0.6},
    "forecast": {"marker": "D", "markersize": 6, "markerfacecolor": "white", "markeredgecolor": "#1f4e79",
                 "markeredgewidth": 1.5},
    "done": {"marker": r"$\checkmark$", "markersize": 11, "color": _EARLY},
}  # fmt: skip


def _drawn_alone(draw: Callable[_P, _R]) -> Callable[_P, _R]:
    """Run `draw` while no other thread of this process draws."""

    @wraps(draw)
    def alone(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        with _DRAWING:
            return draw(*args, **kwargs)

    return alone


def timeline_pngs(lines: list[ReportLine], *, today: date, title: str) -> list[bytes]:
    """Plan-vs-actual timelines as PNG images, one per page of at most PAGE_SIZE milestones."""
    pages = chart_pages(lines)
    if not pages:
        return [_empty_png(title=title)]
    bars = [[bar_of(line, today=today) for line in page] for page in pages]
    # One legend for every page, so all pages have the same margins and line up when read one after another.
    kinds = shapes_of([bar for page in bars for bar in page]).kinds()
    # One date range for every page, so a bar on page 1 and one on page 5 compare by eye.
    days = [today, *(d for page in bars for bar in page for d in bar_dates(bar))]
    with_departments = any(line.department for page in pages for line in page)
    return [
        _page_png(
            page,
            page_bars,
            today=today,
            span=(min(days), max(days)),
            title=page_title(title, page, number=number, count=len(pages)),
            with_departments=with_departments,
            kinds=kinds,
        )
        for number, (page, page_bars) in enumerate(zip(pages, bars, strict=True), start=1)
    ]


def png_size(data: bytes) -> tuple[int, int]:
    """(width, height) in pixels, read from a PNG's IHDR header."""
    if data[:8] != _PNG_SIGNATURE or data[12:16] != b"IHDR":
        raise ValueError("not a PNG image")
    width, height = struct.unpack(">II", data[16:24])
    return width, height


@_drawn_alone
def _page_png(
    page: list[ReportLine],
    bars: list[Bar],
    *,
    today: date,
    span: tuple[date, date],
    title: str,
    with_departments: bool,
    kinds: list[str],
) -> bytes:
    legend = _legend(kinds)
    # The legend wraps onto more rows rather than run off the picture; each extra row moves the plot down.
    top_in = _TOP_IN + _LEGEND_ROW_IN * ((len(legend) - 1) // _LEGEND_COLUMNS)
    height_in = top_in + _BOTTOM_IN + _BAR_IN * len(page)
    fig = Figure(figsize=(_WIDTH_IN, height_in), dpi=_DPI)
    right_in = _RIGHT_IN + (_DEPARTMENTS_IN if with_departments else 0)
    fig.subplots_adjust(
        left=_LABELS_IN / _WIDTH_IN,
        right=1 - right_in / _WIDTH_IN,
        top=1 - top_in / height_in,
        bottom=_BOTTOM_IN / height_in,
    )
    ax = fig.add_subplot()
    _draw_shapes(ax, shapes_of(bars))
    ax.axvline(_x(today), color=_TEXT, linestyle="--", linewidth=1)
    _draw_labels(fig, ax, page)
    if with_departments:
        _draw_departments(ax, page)
    _draw_axis(ax, span=span, rows=len(page))
    _plain_text(fig, 0.5, 1 - 0.3 / height_in, title, ha="center", fontsize=12, fontweight="bold")
    fig.legend(
        handles=legend,
        loc="upper center",
        bbox_to_anchor=(0.5, 1 - 0.5 / height_in),
        ncols=min(len(legend), _LEGEND_COLUMNS),
        frameon=False,
        fontsize=8,
        handlelength=1.6,
        columnspacing=1.4,
    )
    return _png(fig)


def _draw_axis(ax: Axes, *, span: tuple[date, date], rows: int) -> None:
    padding = max(2.0, (_x(span[1]) - _x(span[0])) * 0.03)
    ax.set_xlim(_x(span[0]) - padding, _x(span[1]) + padding)
    ax.set_ylim(rows - 0.5, -0.5)
    ax.set_yticks([])
    locator = mdates.AutoDateLocator(minticks=4, maxticks=10)
    ax.xaxis.set_major_locator(locator)
    # The corner says "Dec 2026", as a person writes it, not matplotlib's "2026-Dec".
    offsets = ["", "%Y", "%b %Y", "%b %d, %Y", "%b %d, %Y", "%b %d, %Y %H:%M"]
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator, offset_formats=offsets))
    ax.tick_params(axis="x", labelsize=9)
    ax.grid(axis="x", color="#eeeeee", linewidth=0.8)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)


def _draw_shapes(ax: Axes, shapes: Shapes) -> None:
    """Draw plans (a bar from a start, else a point), slips, overdue spans and outcomes."""
    # One collection per kind: barh would add a patch per bar, which is slow to build and lay out.
    for kind, (height, style) in _SPAN_STYLES.items():
        rectangles = [_rectangle(row, start, end, height=height) for row, start, end in shapes.spans[kind]]
        if rectangles:
            ax.add_collection(PolyCollection(rectangles, **style), autolim=False)
    for kind, style in _POINT_STYLES.items():
        if shapes.points[kind]:
            rows, days = zip(*shapes.points[kind], strict=True)
            ax.plot([_x(day) for day in days], rows, linestyle="", **style)


def _draw_labels(fig: Figure, ax: Axes, page: list[ReportLine]) -> None:
    # Text objects, not tick labels: each can be coloured and told not to read `$...$` as math.
    # Left-aligned so the #number always shows; a label too wide is cut at the plot, not at the image edge.
    at_left = blended_transform_factory(fig.transFigure, ax.transData)
    margin = 0.08 / _WIDTH_IN
    room = Bbox.from_extents(0, 0, (_LABELS_IN - 0.08) / _WIDTH_IN, 1).transformed(fig.transFigure)
    for row, line in enumerate(page):
        color, weight = _TEXT, "normal"
        if line.status == "cancelled":
            color = _CANCELLED
        elif line.overdue:
            color, weight = _LATE, "bold"
        label = f"#{line.number} {excerpt(line.title, limit=_TITLE_CHARS)}"
        # On the figure, not the axes: an axes would also clip its texts to the plot, hiding them all.
        _plain_text(fig, margin, row, label, transform=at_left, color=color, fontweight=weight, clip_box=room)


def _draw_departments(ax: Axes, page: list[ReportLine]) -> None:
    at_right = blended_transform_factory(ax.transAxes, ax.transData)
    for run in department_rows(page):
        if run.first:
            ax.axhline(run.first - 0.5, color="#999999", linewidth=0.8)
        name = excerpt(run.name, limit=_DEPARTMENT_CHARS)
        middle = run.first + (run.size - 1) / 2
        _plain_text(ax, 1.02, middle, name, transform=at_right, fontweight="bold", color="#555555")


def _legend(kinds: list[str]) -> list[Patch | Line2D]:
    """One entry per kind drawn, in words; "cancelled" once, whether drawn as a bar or a point."""
    handles: list[Patch | Line2D] = [
        Patch(label=SPAN_LEGEND[kind], **_SPAN_STYLES[kind][1]) for kind in kinds if kind in _SPAN_STYLES
    ]
    labels = {handle.get_label() for handle in handles}
    handles += [
        Line2D([], [], linestyle="", label=POINT_LEGEND[kind], **_POINT_STYLES[kind])
        for kind in kinds
        if kind in _POINT_STYLES and POINT_LEGEND[kind] not in labels
    ]
    return [*handles, Line2D([], [], color=_TEXT, linestyle="--", linewidth=1, label="today")]


@_drawn_alone
def _empty_png(*, title: str) -> bytes:
    fig = Figure(figsize=(_WIDTH_IN, _EMPTY_HEIGHT_IN), dpi=_DPI)
    _plain_text(fig, 0.5, 0.7, title, ha="center", fontsize=12, fontweight="bold")
    fig.text(0.5, 0.32, "No dated milestones yet", ha="center", va="center", fontsize=11, color="#666666")
    return _png(fig)


def _png(fig: Figure) -> bytes:
    # A bare Figure on its own Agg canvas: no GUI, and no pyplot registry keeping it alive after we return.
    buffer = io.BytesIO()
    FigureCanvasAgg(fig).print_png(buffer, metadata=_METADATA)
    return buffer.getvalue()


def _rectangle(row: int, start: date, end: date, *, height: float) -> list[tuple[float, float]]:
    top, bottom = row - height / 2, row + height / 2
    return [(_x(start), top), (_x(end), top), (_x(end), bottom), (_x(start), bottom)]


def _x(day: date) -> float:
    return float(mdates.date2num(day))


def _plain_text(on: Figure | Axes, x: float, y: float, text: str, **style: Any) -> Text:
    """User text, drawn as typed: never read as mathtext, and with no glyph the font lacks."""
    style = {"ha": "left", "va": "center", "fontsize": 9, "color": _TEXT, "parse_math": False} | style
    return on.text(x, y, _drawable(text), **style)


def _drawable(text: str) -> str:
    """Text the chart font can draw: joiners and variation selectors dropped, other missing glyphs boxed."""
    return "".join(_glyph(ch) for ch in text)


@lru_cache(maxsize=4096)
@_drawn_alone
def _glyph(ch: str) -> str:
    # Without this, an emoji in a title makes matplotlib warn about the missing glyph on every render.
    font = font_manager.get_font(font_manager.findfont(font_manager.FontProperties()))
    if font.get_char_index(ord(ch)):
        return ch
    return "" if unicodedata.category(ch) in ("Cf", "Mn", "Me") else _MISSING_GLYPH
