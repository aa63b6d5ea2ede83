from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest

from bot.render.settings import settings_message, settings_modal
from storage.models import Delivery
from tests.support.blocks import all_mrkdwn, assert_defused, assert_valid, assert_valid_view
from tests.support.factories import HOSTILE, make_delivery, make_settings

INPUTS = ["timezone", "workdays", "holidays", "reminder_days", "reminder_time", "review_weekday",
          "review_time", "reminders_to", "review_dms", "paused"]  # fmt: skip
DEFAULT_DAYS = (
    "Working days: Mon–Fri · Public holidays: none · Review by DM: on · Chase: on"
    " · Reminders go to: the channel · Escalation: off"
)


def make_failed(n: int, **overrides: Any) -> Delivery:
    """Milestone n's 7-day reminder, failed after five attempts."""
    failed: dict[str, Any] = {"state": "failed", "attempts": 5, "last_error": "channel_not_found"}
    return make_delivery(key=f"reminder:{n}:2026-12-15:7", milestone_id=n, **(failed | overrides))


def summary(message) -> str:
    """The first line: the channel's schedule."""
    return message.blocks[0]["text"]["text"].split("\n")[0]


def days_line(message) -> str:
    """The second line: working days, holidays, the review's DMs and chase, where reminders go."""
    return message.blocks[0]["text"]["text"].split("\n")[1]


def test_summary_reads_the_schedule_then_the_days_and_who_hears_what():
    message = settings_message(make_settings(), failed=[], show_failed=True)

    assert_valid(message)
    assert summary(message) == (
        "Settings for <#C1>: time zone Europe/Berlin · reminders 1 week and 1 day before, on the day,"
        " and the day after (if not done) at 09:30 · weekly review Fridays at 16:00 · active"
    )
    assert days_line(message) == DEFAULT_DAYS
    assert message.text == f"{summary(message)}\n{days_line(message)}"


def test_the_channel_message_is_the_settings_alone_without_tips():
    message = settings_message(make_settings(), failed=[], show_failed=False)

    assert [block["type"] for block in message.blocks] == ["section"]
    assert "Or type" not in all_mrkdwn(message)


def test_the_days_line_reads_in_plain_words():
    settings = make_settings(holidays="US")

    assert days_line(settings_message(settings, failed=[], show_failed=False)) == (
        "Working days: Mon–Fri · Public holidays: United States (US) · Review by DM: on · Chase: on"
        " · Reminders go to: the channel · Escalation: off"
    )


@pytest.mark.parametrize(
    ("overrides", "words"),
    [
        ({"workdays": "sun,mon,tue,wed,thu"}, "Working days: Sun–Thu ·"),
        ({"workdays": "mon,tue,thu"}, "Working days: Mon, Tue, Thu ·"),
        ({"workdays": "fri,sat,sun,mon"}, "Working days: Fri–Mon ·"),
        ({"workdays": "mon,wed,thu,fri,sun"}, "Working days: Mon, Wed–Fri, Sun ·"),
        ({"workdays": "mon,tue,wed,thu,fri,sat,sun"}, "Working days: every day ·"),
        ({"workdays": "garbled"}, "Working days: Mon–Fri ·"),
        ({"holidays": "GB"}, "Public holidays: United Kingdom (GB) ·"),
        ({"holidays": "BA"}, "Public holidays: Bosnia and Herzegovina (BA) ·"),
        ({"review_dm": False}, "Review by DM: off ·"),
        ({"chase": False}, "Chase: off ·"),
        ({"reminders_to": "owner"}, "Reminders go to: the owner by DM"),
        ({"reminders_to": "both"}, "Reminders go to: the channel and the owner by DM"),
    ],
)
def test_the_days_line_words_each_setting(overrides, words):
    assert words in days_line(settings_message(make_settings(**overrides), failed=[], show_failed=False))


@pytest.mark.parametrize(
    ("days", "nudge", "words"),
    [
        ("", True, "reminders the day after (if not done) at 09:30"),
        ("", False, "reminders off"),
        ("1", False, "reminders 1 day before at 09:30"),
        ("0", False, "reminders on the day at 09:30"),
        ("7,1", True, "reminders 1 week and 1 day before and the day after (if not done) at 09:30"),
        ("14,3,0", False, "reminders 2 weeks and 3 days before and on the day at 09:30"),
        ("21,7,2,1", False, "reminders 3 weeks, 1 week, 2 days and 1 day before at 09:30"),
    ],
)
def test_summary_words_the_reminder_days(days, nudge, words):
    settings = make_settings(reminder_days=days, overdue_nudge=nudge)

    assert f"· {words} ·" in summary(settings_message(settings, failed=[], show_failed=False))


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
    zone = by_id["timezone"]["element"]
    assert (zone["type"], zone["initial_option"]["value"]) == ("external_select", "Europe/Berlin")
    assert zone["initial_option"]["text"]["text"] == "Europe/Berlin"
    reminders = by_id["reminder_days"]
    assert reminders["element"]["type"] == "checkboxes"
    assert [option["value"] for option in reminders["element"]["initial_options"]] == [
        "7",
        "1",
        "0",
        "overdue",
    ]
    assert reminders["hint"]["text"] == (
        "At the reminder time below, on working days; the day after comes with Done / New date buttons."
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


def test_settings_modal_asks_for_working_days_holidays_review_dms_and_where_reminders_go():
    view = settings_modal(s=make_settings(), failed=[], show_failed=False)

    by_id = {block["block_id"]: block for block in view["blocks"] if block["type"] == "input"}
    workdays = by_id["workdays"]
    assert workdays["label"]["text"] == "Working days"
    assert workdays["element"]["type"] == "checkboxes"
    assert [option["text"]["text"] for option in workdays["element"]["options"]] == [
        "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday",
    ]  # fmt: skip
    assert [option["value"] for option in workdays["element"]["initial_options"]] == ["0", "1", "2", "3", "4"]
    assert workdays["hint"]["text"].startswith("Nothing is posted on a day off")
    holidays = by_id["holidays"]
    assert (holidays["label"]["text"], holidays["optional"]) == ("Public holidays", True)
    assert holidays["element"]["type"] == "plain_text_input"
    assert "initial_value" not in holidays["element"]
    assert holidays["hint"]["text"] == (
        "A country's code (US, GB, DE) or name: its public holidays are days off. Empty: none."
    )
    places = by_id["reminders_to"]
    assert (places["label"]["text"], places["element"]["type"]) == ("Reminders go to", "radio_buttons")
    assert [option["text"]["text"] for option in places["element"]["options"]] == [
        "The channel", "The owner by DM", "The channel and the owner by DM",
    ]  # fmt: skip
    assert places["element"]["initial_option"]["value"] == "channel"
    prompts = by_id["review_dms"]
    assert (prompts["label"]["text"], prompts["optional"]) == ("Weekly review by DM", True)
    assert [option["text"]["text"] for option in prompts["element"]["initial_options"]] == [
        "DM each owner the weekly review",
        "Chase owners who haven't answered (next working day)",
    ]


def test_settings_modal_shows_a_channels_own_week_holidays_and_choices():
    settings = make_settings(
        workdays="sun,mon,tue,wed,thu", holidays="IL", review_dm=False, chase=True, reminders_to="both"
    )
    view = settings_modal(s=settings, failed=[], show_failed=False)

    assert_valid_view(view, kind="modal")
    by_id = {block["block_id"]: block["element"] for block in view["blocks"] if block["type"] == "input"}
    assert [option["value"] for option in by_id["workdays"]["initial_options"]] == ["0", "1", "2", "3", "6"]
    assert by_id["holidays"]["initial_value"] == "IL"
    assert by_id["reminders_to"]["initial_option"]["value"] == "both"
    assert [option["value"] for option in by_id["review_dms"]["initial_options"]] == ["chase"]
    neither = settings_modal(s=make_settings(review_dm=False, chase=False), failed=[], show_failed=False)
    assert_valid_view(neither, kind="modal")
    prompts = next(block for block in neither["blocks"] if block.get("block_id") == "review_dms")
    assert "initial_options" not in prompts["element"]


def test_settings_modal_shows_paused_and_failed_posts_to_admins():
    failed = [make_failed(n) for n in range(50)]
    view = settings_modal(s=make_settings(paused=True), failed=failed, show_failed=True)

    assert_valid_view(view, kind="modal")
    paused = next(block for block in view["blocks"] if block.get("block_id") == "paused")
    assert paused["element"]["initial_options"][0]["value"] == "paused"
    notes = [block["elements"][0]["text"] for block in view["blocks"] if block["type"] == "context"]
    assert notes[0] == "⚠️ 50 messages could not be posted:"
    assert notes[-1] == "and 40 more"
    hidden = settings_modal(s=make_settings(), failed=failed, show_failed=False)
    assert [block["type"] for block in hidden["blocks"]] == ["input"] * len(INPUTS)


def test_stored_reminder_days_are_shown_furthest_first_and_once():
    settings = make_settings(reminder_days="1,7,7", overdue_nudge=False)

    assert "reminders 1 week and 1 day before at" in summary(
        settings_message(settings, failed=[], show_failed=False)
    )
    view = settings_modal(s=settings, failed=[], show_failed=False)
    days = next(block for block in view["blocks"] if block["block_id"] == "reminder_days")
    assert [option["value"] for option in days["element"]["initial_options"]] == ["7", "1"]


def test_odd_reminder_days_get_boxes_of_their_own_in_words():
    view = settings_modal(s=make_settings(reminder_days="30,14,3"), failed=[], show_failed=False)

    assert_valid_view(view, kind="modal")
    days = next(block for block in view["blocks"] if block["block_id"] == "reminder_days")["element"]
    assert [option["text"]["text"] for option in days["options"]] == [
        "30 days before", "2 weeks before", "1 week before", "3 days before", "1 day before", "On the day",
        "The day after, if not done",
    ]  # fmt: skip
    assert [option["value"] for option in days["initial_options"]] == ["30", "14", "3", "overdue"]


def test_with_a_moment_the_zone_shows_its_offset_then():
    winter = datetime(2026, 11, 30, 12, tzinfo=UTC)
    summer = datetime(2026, 7, 1, 12, tzinfo=UTC)

    def zone_label(at: datetime) -> str:
        view = settings_modal(s=make_settings(), failed=[], show_failed=False, at=at)
        return next(b for b in view["blocks"] if b["block_id"] == "timezone")["element"]["initial_option"][
            "text"
        ]["text"]

    assert zone_label(winter) == "Europe/Berlin (UTC+01:00)"
    assert zone_label(summer) == "Europe/Berlin (UTC+02:00)"
