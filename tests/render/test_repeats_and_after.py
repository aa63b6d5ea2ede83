"""The forms' "Repeats" menu, and the add confirmation saying what a new milestone comes after."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

import pytest

from bot.render.milestones import added_message
from bot.render.modals import Capture, milestone_modal
from tests.support.blocks import assert_valid, assert_valid_view, mrkdwn_texts
from tests.support.factories import TODAY, make_milestone
from tests.support.reading import fallbacks

CHOICES = [
    ("none", "Doesn't repeat"),
    ("week", "Every week"),
    ("month", "Every month"),
    ("quarter", "Every quarter"),
]
NEW_YORK = ZoneInfo("America/New_York")


def repeats(view: dict) -> dict:
    return next(block for block in view["blocks"] if block.get("block_id") == "recurrence")


@pytest.mark.parametrize(
    "capture",
    [None, Capture(title="Ship", source_link="https://acme.slack.com/archives/C1/p1"), Capture()],
)
@pytest.mark.parametrize("channel_id", ["C1", None])
def test_every_add_form_offers_repeats_with_nothing_picked(capture: Capture | None, channel_id: str | None):
    view = milestone_modal(mode="add", channel_id=channel_id, milestone=None, today=TODAY, capture=capture)

    assert_valid_view(view, kind="modal")
    box = repeats(view)
    assert (box["label"]["text"], box["optional"]) == ("Repeats", True)
    assert box["element"]["type"] == "static_select"
    assert box["element"]["action_id"] == "recurrence"
    assert [(o["value"], o["text"]["text"]) for o in box["element"]["options"]] == CHOICES
    assert "initial_option" not in box["element"]
    assert box["element"]["placeholder"]["text"] == "Doesn't repeat"
    assert box["hint"]["text"] == "Once it's done, the next one is made, due a period later."
    ids = [block.get("block_id") for block in view["blocks"]]
    assert ids.index("recurrence") == ids.index("after") - 1, "beside Comes after, as a list line says them"


@pytest.mark.parametrize(("recurrence", "shown"), [("quarter", "Every quarter"), (None, "Doesn't repeat")])
def test_the_edit_form_starts_on_the_milestones_own_choice(recurrence: str | None, shown: str):
    view = milestone_modal(
        mode="update", channel_id="C1", milestone=make_milestone(recurrence=recurrence), today=TODAY
    )

    assert_valid_view(view, kind="modal")
    assert repeats(view)["element"]["initial_option"]["text"]["text"] == shown
    assert repeats(view)["element"]["initial_option"]["value"] == (recurrence or "none")


def test_the_add_confirmation_says_after_right_after_the_due_date_and_recurrence():
    milestone = make_milestone(due_date=date(2026, 12, 20), owner_id="U2", recurrence="month")

    message = added_message(milestone, by="U1", today=TODAY, zone=NEW_YORK, after=3)

    assert_valid(message)
    [line] = mrkdwn_texts(message.blocks)
    expected = "➕ Added *#12* Launch beta · due Sun Dec 20 · every month · after #3 · <@U2> — by <@U1>"
    assert message.text == expected
    assert fallbacks(line) == expected


def test_the_add_confirmation_without_after_says_none():
    message = added_message(make_milestone(owner_id=None, due_date=None), by="U1", today=TODAY)

    assert "after" not in message.text
    assert message.text == "➕ Added *#12* Launch beta · no due date — by <@U1>"
