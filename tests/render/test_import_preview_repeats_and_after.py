"""The import preview says how often a row repeats and which row of the file it comes after, by its title."""

from __future__ import annotations

from datetime import date

from bot.core.command_types import MilestoneFields
from bot.core.imports import ImportPreview, ImportRow
from bot.render.imports import import_modal, import_preview_view
from tests.support.blocks import assert_defused, assert_valid_view, view_text
from tests.support.factories import HOSTILE, TODAY


def preview(*rows: ImportRow) -> dict:
    view = import_preview_view(ImportPreview(rows=list(rows)), channel_id="C1", file_id="F1", today=TODAY)
    assert_valid_view(view, kind="modal")
    return view


def test_a_row_line_ends_with_how_often_it_repeats_and_the_row_it_comes_after():
    kick_off = ImportRow(
        line=2, fields=MilestoneFields(title="Kick-off", due=date(2026, 12, 1), recurrence="week")
    )
    launch = ImportRow(
        line=3, fields=MilestoneFields(title="Launch", due=date(2026, 12, 15)), after=1, after_row=0
    )

    lines = view_text(preview(kick_off, launch)).splitlines()

    assert "*Kick-off* · due Tue Dec 1 · in 11 days · every week" in lines
    assert "*Launch* · due Tue Dec 15 · in 25 days · after Kick-off" in lines


def test_the_title_of_the_row_it_comes_after_is_shown_as_typed_and_pings_no_one():
    hostile = ImportRow(line=2, fields=MilestoneFields(title=HOSTILE))
    launch = ImportRow(line=3, fields=MilestoneFields(title="Launch"), after=1, after_row=0)

    text = view_text(preview(hostile, launch))

    assert_defused(text)
    assert "*Launch* · no due date · after &lt;!channel&gt; &amp; &lt;@U999&gt; @\u2060here" in text


def test_the_upload_form_names_the_repeats_number_and_after_columns():
    hint = view_text(import_modal(channel_id="C1"))

    assert "Repeats (every week, month or quarter), Number and After" in hint
