"""Any uploaded plan gives a preview Slack takes: every column (Repeats and After too), cells good and bad,
hostile titles, many rows and many problems."""

from __future__ import annotations

import csv
import io

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core.imports import read_plan_csv
from bot.render.imports import import_preview_view
from tests.support.blocks import assert_valid_view
from tests.support.factories import HOSTILE, TODAY

HEADER = [
    "Number",
    "Milestone",
    "Start Date",
    "End Date",
    "Budget",
    "Manager",
    "Department",
    "Repeats",
    "After",
]
CELLS = {
    "Number": st.one_of(st.integers(min_value=1, max_value=40).map(str), st.just(""), st.just("x")),
    "Milestone": st.one_of(st.just(HOSTILE), st.just(""), st.text(max_size=200)),
    "Start Date": st.sampled_from(["", "2026-12-01", "Dec 3", "soon", "2026-13-40"]),
    "End Date": st.sampled_from(["", "2026-12-20", "2027-01-15", "Dec 24", "tomorrow?", "2025-01-01"]),
    "Budget": st.sampled_from(["", "$5,000", "€12", "lots", "-3", "1e400"]),
    "Manager": st.sampled_from(["", "Alice Smith", "U12345", "<@U1>"]),
    "Department": st.one_of(st.just(""), st.just(HOSTILE[:80]), st.text(max_size=90)),
    "Repeats": st.sampled_from(["", "every month", "monthly", "weekly", "quarterly", "fortnightly", "none"]),
    "After": st.one_of(
        st.just(""), st.integers(min_value=0, max_value=45).map(str), st.just("#3"), st.just("?")
    ),
}


@st.composite
def plans(draw: st.DrawFn) -> bytes:
    count = draw(st.sampled_from([1, 2, 5, 40]))
    pattern = [{column: draw(cells) for column, cells in CELLS.items()} for _ in range(3)]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    for n in range(count):
        row = dict(pattern[n % 3])
        if draw(st.booleans()):
            row["Number"] = str(n + 1)  # most plans number every row: links then find their rows
        writer.writerow([row[column] for column in HEADER])
    return out.getvalue().encode()


@settings(max_examples=80, deadline=None)
@given(plans())
def test_the_preview_of_any_plan_is_a_modal_slack_takes(data: bytes) -> None:
    preview = read_plan_csv(data, today=TODAY)

    view = import_preview_view(preview, channel_id="C1", file_id="F1", today=TODAY)

    assert_valid_view(view, kind="modal")
    assert len(view["blocks"]) <= 100
