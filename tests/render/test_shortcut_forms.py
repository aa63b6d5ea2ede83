"""The add form as the shortcuts open it: prefilled from a message, or asking for a channel."""

from __future__ import annotations

import json

import pytest

from bot.core.forms.milestone import read_modal_context
from bot.core.forms.values import GarbledMetadata
from bot.render.modals import Capture, milestone_modal
from tests.support.blocks import assert_valid_view
from tests.support.factories import TODAY, make_milestone

LINK = "https://acme.slack.com/archives/C1/p1764000000000100"


def test_a_captured_message_prefills_the_title_and_shows_and_carries_its_link() -> None:
    view = milestone_modal(
        mode="add",
        channel_id="C1",
        milestone=None,
        today=TODAY,
        capture=Capture(title="Launch", source_link=LINK),
    )

    assert_valid_view(view, kind="modal")
    context, title, *_ = view["blocks"]
    assert context["type"] == "context" and f"<{LINK}|this message>" in context["elements"][0]["text"]
    assert title["element"]["initial_value"] == "Launch"
    assert "channel" not in [block.get("block_id") for block in view["blocks"]]
    assert read_modal_context(view["private_metadata"]).source_link == LINK


def test_the_global_shortcut_asks_for_the_channel_starting_on_the_current_one() -> None:
    view = milestone_modal(
        mode="add", channel_id=None, milestone=None, today=TODAY, capture=Capture(channel_from_view=True)
    )

    assert_valid_view(view, kind="modal")
    channel = next(block for block in view["blocks"] if block.get("block_id") == "channel")
    assert channel["element"]["default_to_current_conversation"] is True
    assert channel["optional"] is False


def test_the_home_tabs_form_has_no_current_conversation_to_start_on() -> None:
    view = milestone_modal(mode="add", channel_id=None, milestone=None, today=TODAY)

    channel = next(block for block in view["blocks"] if block.get("block_id") == "channel")
    assert "default_to_current_conversation" not in channel["element"]
    assert json.loads(view["private_metadata"]) == {"channel_id": None, "number": None}


def test_the_edit_form_keeps_the_milestones_own_title() -> None:
    milestone = make_milestone(title="Old title")

    view = milestone_modal(
        mode="update", channel_id="C1", milestone=milestone, today=TODAY, capture=Capture(title="New")
    )

    assert view["blocks"][0]["element"]["initial_value"] == "Old title"


@pytest.mark.parametrize("link", ["http://acme.slack.com/x", "javascript:alert(1)", 12])
def test_a_link_that_is_not_a_web_address_is_garbled_metadata(link: object) -> None:
    forged = json.dumps({"channel_id": "C1", "number": None, "source_link": link})

    with pytest.raises(GarbledMetadata):
        read_modal_context(forged)
