from __future__ import annotations

from datetime import timedelta

import pytest

from tests.support.blocks import assert_defused, assert_valid_view, view_text
from tests.support.factories import HOSTILE, TODAY, make_milestone
from tests.support.modals import new_date_view


def inputs(view: dict) -> dict[str, dict]:
    return {block["block_id"]: block for block in view["blocks"] if block["type"] == "input"}


def test_new_date_modal_asks_for_a_date_and_a_reason():
    view = new_date_view()

    assert_valid_view(view, kind="modal")
    assert view["callback_id"] == "new_date"
    assert view["title"]["text"] == "New date for #12"
    fields = inputs(view)
    assert list(fields) == ["due", "reason"]
    assert fields["due"]["optional"] is False
    assert fields["due"]["element"]["type"] == "datepicker"
    assert fields["due"]["element"]["initial_date"] == "2026-12-15"
    assert fields["reason"]["optional"] is True
    assert fields["reason"]["element"]["multiline"] is True
    assert fields["reason"]["element"]["placeholder"]["text"] == "What changed? Kept in the history"
    assert all(block["element"]["action_id"] == block_id for block_id, block in fields.items())


@pytest.mark.parametrize("due", [TODAY - timedelta(days=3), TODAY, None])
def test_a_due_date_already_reached_is_not_offered_again(due):
    view = new_date_view(m=make_milestone(due_date=due))

    assert_valid_view(view, kind="modal")
    assert "initial_date" not in inputs(view)["due"]["element"]


def test_new_date_modal_escapes_the_title():
    view = new_date_view(m=make_milestone(title=HOSTILE))

    assert_defused(view_text(view))
