from __future__ import annotations

import json
from datetime import date

from bot.render.modals import milestone_modal
from tests.support.blocks import assert_valid_view
from tests.support.factories import TODAY, make_milestone

ADD_BLOCKS = ["title", "due", "start", "owner", "budget", "dept", "recurrence", "after"]
UPDATE_BLOCKS = [
    "title",
    "status",
    "due",
    "start",
    "owner",
    "budget",
    "dept",
    "recurrence",
    "after",
    "reason",
]


def test_add_modal_is_a_valid_empty_form():
    view = milestone_modal(mode="add", channel_id="C1", milestone=None, today=TODAY)

    assert_valid_view(view, kind="modal")
    assert view["callback_id"] == "milestone_add"
    assert view["title"]["text"] == "New milestone"
    assert view["submit"]["text"] == "Add"
    assert json.loads(view["private_metadata"]) == {"channel_id": "C1", "number": None}
    assert [block["block_id"] for block in view["blocks"]] == ADD_BLOCKS
    assert all(block["element"]["action_id"] == block["block_id"] for block in view["blocks"])
    title, *_ = view["blocks"]
    assert title["optional"] is False
    assert title["element"]["max_length"] == 150
    budget = view["blocks"][4]
    assert budget["element"]["placeholder"]["text"] == "$5,000 or 5000 EUR"


def test_edit_modal_is_prefilled_with_current_values():
    milestone = make_milestone(
        due_date=date(2026, 12, 20),
        start_date=date(2026, 11, 1),
        department="Marketing",
        budget_minor=500000,
        budget_currency="USD",
        status="at_risk",
    )
    view = milestone_modal(mode="update", channel_id="C1", milestone=milestone, today=TODAY)

    assert_valid_view(view, kind="modal")
    assert view["callback_id"] == "milestone_update"
    assert (view["title"]["text"], view["submit"]["text"]) == ("Edit #12", "Save")
    assert json.loads(view["private_metadata"]) == {"channel_id": "C1", "number": 12}
    blocks = {block["block_id"]: block["element"] for block in view["blocks"]}
    assert list(blocks) == UPDATE_BLOCKS
    assert blocks["title"]["initial_value"] == "Launch beta"
    assert blocks["due"]["initial_date"] == "2026-12-20"
    assert blocks["start"]["initial_date"] == "2026-11-01"
    assert blocks["owner"]["initial_user"] == "U1"
    assert blocks["budget"]["initial_value"] == "$5,000"
    assert blocks["dept"]["type"] == "external_select"
    assert blocks["dept"]["initial_option"]["text"]["text"] == "Marketing"
    assert blocks["dept"]["initial_option"]["value"] == "dept:Marketing"
    assert blocks["status"]["initial_option"]["value"] == "at_risk"
    assert [option["value"] for option in blocks["status"]["options"]] == [
        "open",
        "on_track",
        "at_risk",
        "blocked",
    ]
    assert blocks["reason"]["multiline"] is True
    assert blocks["reason"]["placeholder"]["text"] == "Why the change? Kept in the history"
    due_hint = next(block for block in view["blocks"] if block["block_id"] == "due")["hint"]["text"]
    assert due_hint.startswith("Planned for Dec 15.")
