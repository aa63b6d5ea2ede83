from __future__ import annotations

import json
from typing import Any

import pytest

from bot.render.settings import settings_message, settings_modal
from storage.models import Delivery
from tests.support.blocks import all_mrkdwn, assert_defused, assert_valid, assert_valid_view
from tests.support.factories import HOSTILE, make_delivery, make_settings

INPUTS = ["timezone", "reminder_days", "reminder_time", "review_weekday", "review_time", "paused"]


def make_failed(n: int, **overrides: Any) -> Delivery:
    """Milestone n's 7-day reminder, failed after five attempts."""
    failed: dict[str, Any] = {"state": "failed", "attempts": 5, "last_error": "channel_not_found"}
    return make_delivery(key=f"reminder:{n}:2026-12-15:7", milestone_id=n, **(failed | overrides))


def summary(message) -> str:
    return message.blocks[0]["text"]["text"]


def test_summary_reads_the_whole_schedule_on_one_line():
    message = settings_message(make_settings(), failed=[], show_failed=True)

    assert_valid(message)
    assert summary(message) == (
        "Settings for <#C1>: time zone Europe/Berlin · reminders 7, 1 and 0 days before at 09:30"
        " · weekly review Fridays at 16:00 · active"
    )
    assert message.text == summary(message)
    hint = message.blocks[-1]["elements"][0]["text"]
    assert "`/milestone settings timezone Europe/Berlin reminders 7,1,0 at 09:30 review fri 16:00`" in hint
    assert "pause" in hint and "resume" in hint


@pytest.mark.parametrize(
    ("days", "words"),
    [
        ("", "reminders off"),
        ("1", "reminders 1 day before at 09:30"),
        ("7,1", "reminders 7 and 1 days before"),
    ],
)
def test_summary_words_the_reminder_days(days, words):
    assert words in summary(settings_message(make_settings(reminder_days=days), failed=[], show_failed=False))


def test_summary_says_paused_and_why():
    paused = make_settings(paused=True, paused_reason="quiet " + HOSTILE)
    message = settings_message(paused, failed=[], show_failed=False)

    assert summary(message).endswith("· paused (quiet &lt;!channel&gt; &amp; &lt;@U999&gt; @\u2060here)")
    assert_defused(all_mrkdwn(message))
    plain = settings_message(make_settings(paused=True), failed=[], show_failed=False)
    assert summary(plain).endswith("· paused")


def test_admins_see_failed_posts_with_kind_key_error_and_attempts():
    failed = [make_failed(n) for n in range(13)]
    message = settings_message(make_settings(), failed=failed, show_failed=True)

    assert_valid(message)
    text = message.blocks[1]["text"]["text"]
    lines = text.split("\n")
    assert lines[0] == "⚠️ 13 messages could not be posted:"
    assert lines[1] == "• reminder `reminder:0:2026-12-15:7` — channel_not_found (5 attempts)"
    assert len(lines) == 12
    assert lines[-1] == "and 3 more"


def test_everyone_else_does_not_see_failed_posts():
    message = settings_message(make_settings(), failed=[make_failed(1)], show_failed=False)

    assert "could not be posted" not in all_mrkdwn(message)


def test_failed_post_errors_are_escaped():
    message = settings_message(make_settings(), failed=[make_failed(1, last_error=HOSTILE)], show_failed=True)

    assert_defused(all_mrkdwn(message))


def test_settings_modal_is_filled_with_the_channel_settings():
    view = settings_modal(s=make_settings(), failed=[], show_failed=True)

    assert_valid_view(view, kind="modal")
    assert view["callback_id"] == "channel_settings"
    assert json.loads(view["private_metadata"]) == {"channel_id": "C1"}
    inputs = [block for block in view["blocks"] if block["type"] == "input"]
    assert [block["block_id"] for block in inputs] == INPUTS
    assert all(block["element"]["action_id"] == block["block_id"] for block in inputs)
    by_id = {block["block_id"]: block for block in inputs}
    assert by_id["timezone"]["element"]["initial_value"] == "Europe/Berlin"
    assert by_id["reminder_days"]["element"]["initial_value"] == "7, 1, 0"
    assert by_id["reminder_days"]["hint"]["text"] == (
        "Days before the due date; empty for none. The overdue nudge is always sent the day after."
    )
    assert by_id["reminder_time"]["element"]["type"] == "timepicker"
    assert by_id["reminder_time"]["element"]["initial_time"] == "09:30"
    assert by_id["review_time"]["element"]["initial_time"] == "16:00"
    weekday = by_id["review_weekday"]["element"]
    assert [option["value"] for option in weekday["options"]] == [str(day) for day in range(7)]
    assert weekday["initial_option"]["text"]["text"] == "Friday"
    paused = by_id["paused"]
    assert paused["optional"] is True
    assert paused["element"]["options"][0]["value"] == "paused"
    assert "initial_options" not in paused["element"]


def test_settings_modal_shows_paused_and_failed_posts_to_admins():
    failed = [make_failed(n) for n in range(50)]
    view = settings_modal(s=make_settings(paused=True), failed=failed, show_failed=True)

    assert_valid_view(view, kind="modal")
    assert view["blocks"][5]["element"]["initial_options"][0]["value"] == "paused"
    notes = [block["elements"][0]["text"] for block in view["blocks"] if block["type"] == "context"]
    assert notes[0] == "⚠️ 50 messages could not be posted:"
    assert notes[-1] == "and 40 more"
    hidden = settings_modal(s=make_settings(), failed=failed, show_failed=False)
    assert [block["type"] for block in hidden["blocks"]] == ["input"] * 6


def test_stored_reminder_days_are_shown_furthest_first_and_once():
    settings = make_settings(reminder_days="1,7,7")

    assert "reminders 7 and 1 days before" in summary(
        settings_message(settings, failed=[], show_failed=False)
    )
    view = settings_modal(s=settings, failed=[], show_failed=False)
    days = next(block for block in view["blocks"] if block["block_id"] == "reminder_days")
    assert days["element"]["initial_value"] == "7, 1"
