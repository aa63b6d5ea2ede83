from __future__ import annotations

import json
from datetime import date

from bot.core.command_types import MilestoneFields
from bot.core.imports import ImportPreview, ImportRow, RowError, read_plan_csv
from bot.core.money import Money
from bot.render.imports import (
    import_done_message,
    import_modal,
    import_preview_view,
)
from tests.support.blocks import assert_defused, assert_valid, assert_valid_view, view_text
from tests.support.factories import HOSTILE, TODAY


def row(line: int = 2, **fields) -> ImportRow:
    values = {"title": f"Milestone {line}", "due": date(2026, 12, 15)} | fields
    return ImportRow(line=line, fields=MilestoneFields(**values))


def preview_of(*rows: ImportRow, errors: list[RowError] | None = None) -> ImportPreview:
    return ImportPreview(rows=list(rows), errors=errors or [])


def test_import_modal_asks_for_one_csv_file_and_explains_the_columns():
    view = import_modal(channel_id="C1")

    assert_valid_view(view, kind="modal")
    assert view["callback_id"] == "import_upload"
    assert view["title"]["text"] == "Import milestones"
    assert json.loads(view["private_metadata"]) == {"channel_id": "C1"}
    (file_block,) = [block for block in view["blocks"] if block["type"] == "input"]
    assert file_block["block_id"] == "file"
    assert file_block["element"] == {
        "type": "file_input",
        "action_id": "file",
        "filetypes": ["csv"],
        "max_files": 1,
    }
    hint = view_text(view)
    for column in ("Milestone", "Start Date", "End Date", "Budget", "Manager", "Department"):
        assert column in hint


def test_the_example_in_the_import_modal_imports_cleanly():
    hint = view_text(import_modal(channel_id="C1"))
    example = "\n".join(line.strip("`") for line in hint.splitlines() if line.startswith("`"))

    preview = read_plan_csv(example.encode(), today=TODAY)

    assert preview.ok, preview
    assert preview.rows[0].fields.title == "Launch beta"


def test_preview_asks_to_confirm_with_the_count():
    rows = [
        row(2, start=date(2026, 11, 1), budget=Money(500000, "USD"), owner_id="U1", department="Marketing"),
        row(3, title="Hire a CTO", due=None),
    ]

    view = import_preview_view(preview_of(*rows), channel_id="C1", file_id="F1", today=TODAY)

    assert_valid_view(view, kind="modal")
    assert view["callback_id"] == "import_confirm"
    assert view["title"]["text"] == "Import 2 milestones?"
    assert view["submit"]["text"] == "Import 2"
    assert json.loads(view["private_metadata"]) == {"channel_id": "C1", "file_id": "F1"}
    text = view_text(view)
    assert (
        "*Milestone 2* · due Tue Dec 15 · in 25 days · starts Sun Nov 1 · $5,000 · <@U1> · Marketing" in text
    )
    assert "*Hire a CTO* · no due date" in text


def test_preview_of_one_milestone_says_milestone():
    view = import_preview_view(preview_of(row()), channel_id="C1", file_id="F1", today=TODAY)

    assert (view["title"]["text"], view["submit"]["text"]) == ("Import 1 milestone?", "Import 1")


def test_preview_shows_the_first_rows_and_how_many_more():
    rows = [row(line) for line in range(2, 502)]

    view = import_preview_view(preview_of(*rows), channel_id="C1", file_id="F1", today=TODAY)

    assert_valid_view(view, kind="modal")
    assert view["title"]["text"] == "Import 500 milestones?"
    text = view_text(view)
    assert "*Milestone 11*" in text and "*Milestone 12*" not in text
    assert "…and 490 more." in text


def test_preview_names_managers_that_are_not_slack_members():
    unmatched = ImportRow(line=2, fields=MilestoneFields(title="Launch"), owner_name="Alice Smith")

    text = view_text(import_preview_view(preview_of(unmatched), channel_id="C1", file_id="F1", today=TODAY))

    assert "Alice Smith (no Slack member)" in text
    assert "No Slack member found for Alice Smith" in text


def test_preview_shows_status_and_defuses_hostile_text():
    hostile = row(title=HOSTILE, department=HOSTILE)
    done = ImportRow(line=3, fields=MilestoneFields(title="Shipped"), status="done", owner_name=HOSTILE)

    view = import_preview_view(preview_of(hostile, done), channel_id="C1", file_id="F1", today=TODAY)

    assert_valid_view(view, kind="modal")
    assert_defused(view_text(view))
    assert "✅ Done" in view_text(view)


def test_preview_with_errors_lists_them_and_offers_no_import():
    errors = [
        RowError(line=n, message=f"End Date: `2026-02-30` isn't a real date ({n}).") for n in range(2, 27)
    ]

    view = import_preview_view(preview_of(row(), errors=errors), channel_id="C1", file_id="F1", today=TODAY)

    assert_valid_view(view, kind="modal")
    assert "submit" not in view
    assert view["close"]["text"] == "Close"
    assert view["callback_id"] == "import_confirm"
    text = view_text(view)
    assert "*25 problems*" in text
    assert "*Line 2:* End Date: `2026-02-30` isn't a real date (2)." in text
    assert "(21)" in text and "(22)" not in text
    assert "…and 5 more problems." in text
    assert "Fix the file and upload it again" in text


def test_preview_shows_header_problems_without_an_import_button():
    preview = read_plan_csv(b"Start,End\n2026-01-01,2026-02-01\n", today=TODAY)

    view = import_preview_view(preview, channel_id="C1", file_id="F1", today=TODAY)

    assert_valid_view(view, kind="modal")
    assert "submit" not in view
    assert "No column holds the milestone names" in view_text(view)
    assert "Fix the file and upload it again" in view_text(view)


def test_preview_error_messages_are_escaped():
    errors = [RowError(line=2, message=f"Department: {HOSTILE}")]

    view = import_preview_view(preview_of(errors=errors), channel_id="C1", file_id="F1", today=TODAY)

    assert_valid_view(view, kind="modal")
    assert_defused(view_text(view))


def test_preview_of_a_real_file_with_a_bad_row_stays_within_slack_limits():
    body = "".join(f"Task {n},2026-11-01,2026-13-{n % 28 + 1},$5,U1,Ops\n" for n in range(500))
    preview = read_plan_csv(f"Milestone,Start,End,Budget,Manager,Dept\n{body}".encode(), today=TODAY)

    view = import_preview_view(preview, channel_id="C1", file_id="F" + "1" * 20, today=TODAY)

    assert_valid_view(view, kind="modal")
    assert "…and 480 more problems." in view_text(view)


def test_done_message_is_one_line_naming_who_and_the_numbers():
    message = import_done_message(12, numbers=list(range(13, 25)), by="U1", today=TODAY)

    assert_valid(message)
    assert message.text == "📥 <@U1> imported 12 milestones (#13–#24)."
    assert [block["type"] for block in message.blocks] == ["section"]
    assert "/milestone" not in message.blocks[0]["text"]["text"]


def test_done_message_shows_gaps_in_the_numbers():
    assert import_done_message(4, numbers=[7, 3, 5, 6], by="U1", today=TODAY).text == (
        "📥 <@U1> imported 4 milestones (#3, #5–#7)."
    )
    assert (
        import_done_message(1, numbers=[9], by="U1", today=TODAY).text
        == "📥 <@U1> imported 1 milestone (#9)."
    )


def test_done_message_keeps_many_scattered_numbers_short():
    message = import_done_message(50, numbers=list(range(1, 100, 2)), by="U1", today=TODAY)

    assert_valid(message)
    assert message.text.endswith("#13, #15, …).")
