from __future__ import annotations

import json
from datetime import UTC, datetime, time
from typing import Any

import pytest
from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View

from bot.core.command_types import SettingsChange
from bot.render.modals import ModalErrors
from bot.render.settings import read_settings_modal, settings_message, settings_modal
from storage.models import ChannelSettings, Delivery
from tests.render import HOSTILE, all_mrkdwn, assert_defused, assert_valid

CREATED = datetime(2026, 11, 3, 10, 0, tzinfo=UTC)
INPUTS = ["timezone", "reminder_days", "reminder_time", "review_weekday", "review_time", "paused"]


def make_settings(**overrides: Any) -> ChannelSettings:
    values: dict[str, Any] = {
        "team_id": "T1",
        "channel_id": "C1",
        "timezone": "Europe/Berlin",
        "reminder_days": "7,1,0",
        "reminder_time": "09:30",
        "review_weekday": 4,
        "review_time": "16:00",
        "created_at": CREATED,
        "updated_at": CREATED,
    }
    values.update(overrides)
    return ChannelSettings(**values)


def make_failed(n: int, **overrides: Any) -> Delivery:
    values: dict[str, Any] = {
        "key": f"reminder:{n}:2026-12-15:7",
        "kind": "reminder",
        "team_id": "T1",
        "channel_id": "C1",
        "payload": "{}",
        "not_before": CREATED,
        "state": "failed",
        "attempts": 5,
        "last_error": "channel_not_found",
        "created_at": CREATED,
        "updated_at": CREATED,
    }
    values.update(overrides)
    return Delivery(**values)


def summary(message) -> str:
    return message.blocks[0]["text"]["text"]


def validate_view(view: dict) -> None:
    View(**view).validate_json()
    assert len(view["blocks"]) <= 100
    for block in view["blocks"]:
        Block.parse(block).validate_json()


def submitted(view: dict, **changes: Any) -> dict:
    """`view.state.values` as Slack sends the form submitted as shown, with `changes` by block_id."""
    values: dict = {}
    for block in view["blocks"]:
        if block["type"] != "input":
            continue
        element = block["element"]
        kind = element["type"]
        if kind == "plain_text_input":
            state: dict = {"value": element.get("initial_value")}
        elif kind == "timepicker":
            state = {"selected_time": element.get("initial_time")}
        elif kind == "static_select":
            state = {"selected_option": element.get("initial_option")}
        else:
            state = {"selected_options": element.get("initial_options") or []}
        values[block["block_id"]] = {element["action_id"]: {"type": kind, **state}}
    for block_id, value in changes.items():
        state = values[block_id][block_id]
        key = next(key for key in state if key != "type")
        state[key] = value
    return values


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

    validate_view(view)
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

    validate_view(view)
    assert view["blocks"][5]["element"]["initial_options"][0]["value"] == "paused"
    notes = [block["elements"][0]["text"] for block in view["blocks"] if block["type"] == "context"]
    assert notes[0] == "⚠️ 50 messages could not be posted:"
    assert notes[-1] == "and 40 more"
    hidden = settings_modal(s=make_settings(), failed=failed, show_failed=False)
    assert [block["type"] for block in hidden["blocks"]] == ["input"] * 6


def test_reading_the_untouched_form_gives_every_setting():
    view = settings_modal(s=make_settings(), failed=[], show_failed=False)

    assert read_settings_modal(submitted(view)) == SettingsChange(
        timezone="Europe/Berlin",
        reminder_days=(7, 1, 0),
        reminder_time=time(9, 30),
        review_weekday=4,
        review_time=time(16, 0),
        paused=False,
    )


def test_reading_a_changed_form():
    view = settings_modal(s=make_settings(), failed=[], show_failed=False)
    values = submitted(
        view,
        timezone="  america/new_york ",
        reminder_days="1 14,3, 3",
        reminder_time="08:00",
        review_weekday={"value": "0", "text": {"type": "plain_text", "text": "Monday"}},
        paused=[{"value": "paused"}],
    )

    change = read_settings_modal(values)

    assert change.timezone == "America/New_York"
    assert change.reminder_days == (14, 3, 1)
    assert change.reminder_time == time(8, 0)
    assert change.review_weekday == 0
    assert change.paused is True


def test_empty_reminder_days_turn_reminders_off():
    view = settings_modal(s=make_settings(), failed=[], show_failed=False)

    assert read_settings_modal(submitted(view, reminder_days=None)).reminder_days == ()


@pytest.mark.parametrize(
    ("block_id", "value", "message"),
    [
        ("timezone", "Mars/Olympus", "isn't a time zone I know"),
        ("timezone", None, "Give a time zone"),
        ("reminder_days", "7, soon", "“soon” isn't a number of days from 0 to 60"),
        ("reminder_days", "61", "isn't a number of days from 0 to 60"),
        ("reminder_days", "-1", "isn't a number of days"),
        ("reminder_days", "²", "isn't a number of days"),
        ("reminder_days", "30 14 7 3 2 1 0", "That's 7 reminders; keep it to 6."),
        ("reminder_time", None, "Pick a time for reminders."),
        ("review_time", None, "Pick a time for the weekly review."),
        ("review_time", "25:99", "Pick a time from the list."),
        ("review_weekday", None, "Pick a day for the weekly review."),
    ],
)
def test_bad_settings_name_the_field(block_id, value, message):
    view = settings_modal(s=make_settings(), failed=[], show_failed=False)

    with pytest.raises(ModalErrors) as caught:
        read_settings_modal(submitted(view, **{block_id: value}))

    assert list(caught.value.errors) == [block_id]
    assert message in caught.value.errors[block_id]


def test_every_bad_field_is_reported_at_once():
    view = settings_modal(s=make_settings(), failed=[], show_failed=False)
    values = submitted(view, timezone="Nowhere", reminder_days="99", reminder_time=None, review_time=None)

    with pytest.raises(ModalErrors) as caught:
        read_settings_modal(values)

    assert set(caught.value.errors) == {"timezone", "reminder_days", "reminder_time", "review_time"}
