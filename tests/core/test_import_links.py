"""An imported plan's After column: a row comes after the row of the file with that Number, by the rules of
`update … after`, or the row is refused saying how to link it once imported."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core.imports import ImportPreview, read_plan_csv
from tests.support.factories import TODAY

LATER = "once imported, link it with `/milestone update N after {}`, N being its new number"


def read(text: str) -> ImportPreview:
    return read_plan_csv(text.encode("utf-8"), today=TODAY)


def messages(preview: ImportPreview) -> list[tuple[int, str]]:
    return [(error.line, error.message) for error in preview.errors]


def test_after_names_the_row_of_that_number_in_the_same_file():
    preview = read(
        "Number,Milestone,End Date,After\n"
        "12,Kick-off,2026-12-01,\n"
        "14,Launch,2026-12-15,#13\n"
        "13,Beta,2026-12-10,12\n"
    )

    assert preview.ok, preview.errors
    assert [(row.number, row.after, row.after_row) for row in preview.rows] == [
        (12, None, None),
        (14, 13, 2),
        (13, 12, 0),
    ]


@pytest.mark.parametrize("header", ["#", "No.", "Nr"])
def test_a_number_column_may_be_headed_as_spreadsheets_do(header: str):
    preview = read(f"{header},Milestone,Comes after\n1,Kick-off,\n2,Launch,1\n")

    assert preview.ok, preview.errors
    assert preview.rows[1].after_row == 0


def test_an_after_outside_the_file_is_refused_saying_how_to_link_it_later():
    preview = read("Number,Milestone,After\n1,Kick-off,\n2,Launch,7\n")

    assert not preview.ok
    assert messages(preview) == [
        (3, f"After 7: no row of this file is #7; clear the cell, and {LATER.format(7)}.")
    ]


def test_an_after_in_a_file_without_numbers_is_refused():
    preview = read("Milestone,After\nKick-off,\nLaunch,1\n")

    assert messages(preview) == [
        (3, "After 1: this file has no Number column to find #1 by; "
            f"clear the cell, and {LATER.format(1)}."),
    ]  # fmt: skip


def test_an_after_that_is_not_a_number_is_a_row_error():
    preview = read("Number,Milestone,After\n1,Kick-off,\n2,Launch,Kick-off\n")

    assert messages(preview) == [
        (3, "After `Kick-off` isn't a row's Number; write the Number of the one it comes after, like 3.")
    ]


def test_a_number_two_rows_share_is_refused_where_an_after_names_it():
    preview = read("Number,Milestone,After\n1,Kick-off,\n1,Design,\n2,Launch,1\n")

    assert messages(preview) == [(4, "After 1: lines 2 and 3 are both #1; give each row its own Number.")]


def test_a_circle_is_refused_on_every_row_in_it_by_the_rules_of_update():
    preview = read("Number,Milestone,After\n1,Kick-off,3\n2,Design,1\n3,Launch,2\n4,Party,3\n")

    assert [line for line, _ in messages(preview)] == [2, 3, 4]
    assert messages(preview)[0] == (
        2,
        "After 3: #3 already comes after #1 (#3 → #2 → #1), so #1 can't come after #3. "
        "Clear one of those After cells.",
    )


def test_a_row_can_not_come_after_itself():
    preview = read("Number,Milestone,After\n1,Kick-off,1\n")

    assert messages(preview) == [(2, "After 1: #1 can't come after itself. Clear one of those After cells.")]


def test_a_due_date_before_that_of_the_open_row_it_comes_after_is_refused():
    preview = read(
        "Number,Milestone,End Date,Status,After\n"
        "1,Kick-off,2026-12-10,,\n"
        "2,Launch,2026-12-05,,1\n"
        "3,Old,2026-11-01,Done,\n"
        "4,Follow-up,2026-10-01,Done,3\n"
    )

    assert messages(preview) == [
        (3, "End Date 2026-12-05 is before that of #1 Kick-off (2026-12-10), which it comes after; "
            "make it 2026-12-10 or later."),
    ]  # fmt: skip


def test_a_link_to_a_row_with_problems_of_its_own_is_not_refused_twice():
    preview = read("Number,Milestone,End Date,After\n1,Kick-off,2026-02-30,\n2,Launch,2026-12-15,1\n")

    assert messages(preview) == [(2, "End Date: `2026-02-30` isn't a real date.")]


def test_rows_keep_their_order_and_every_problem_comes_by_line():
    preview = read("Number,Milestone,End Date,After\n1,A,2026-12-15,9\n2,B,someday,\n3,C,2026-12-20,8\n")

    assert [line for line, _ in messages(preview)] == [2, 3, 4]
    assert preview.rows[0].fields.due == date(2026, 12, 15)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list(",#\n 0123456789abnoe-")), max_size=300))
def test_arbitrary_numbers_and_links_never_raise(text: str):
    preview = read("Number,Milestone,End Date,Repeats,After\n" + text)

    assert preview.ok or preview.errors or preview.header_problems
    for row in preview.rows:
        assert row.after_row is None or preview.rows[row.after_row].number == row.after
