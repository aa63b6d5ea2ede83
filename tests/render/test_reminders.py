from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from slack_sdk.models.blocks import ActionsBlock

from bot.render import reminders
from bot.render.reminders import (
    nothing_to_snooze,
    reminder_dm,
    reminder_message,
    snoozed_answer,
    snoozed_reminder_dm,
    snoozed_reminder_message,
)
from tests.support.blocks import action_elements, all_mrkdwn, assert_defused, assert_valid
from tests.support.factories import HOSTILE, TODAY, make_milestone

DUE = date(2026, 12, 15)
# No zone given: noon UTC on the due date, so the token shows Dec 15 to readers from UTC-12 to UTC+11.
DUE_UNIX = int(datetime(2026, 12, 15, 12, 0, tzinfo=UTC).timestamp())
# `{date_long}`, not `{date_long_pretty}`: the words before it already say `tomorrow`; it adds the weekday.
TOKEN = f"<!date^{DUE_UNIX}^{{date_long}}|Tue Dec 15>"
# Every reminder and nudge can be put off.
SNOOZES = [("snooze_tomorrow", "12"), ("snooze_next_week", "12")]


def buttons(message) -> list[tuple[str, str]]:
    return [(b["action_id"], b["value"]) for b in action_elements(message.blocks)]


def body(message) -> str:
    return message.blocks[0]["text"]["text"]


@pytest.mark.parametrize(
    ("offset", "when"),
    [
        (7, "is due in 7 days"),
        (30, "is due in 30 days"),
        (1, "is due tomorrow"),
        (0, "is due today"),
    ],
)
def test_reminder_says_how_many_days_are_left(offset, when):
    message = reminder_message(make_milestone(), offset=offset, today=DUE - timedelta(days=offset))

    assert_valid(message)
    assert body(message) == f"⏰ *#12* Launch beta {when} ({TOKEN}) — <@U1>"
    assert message.text == f"⏰ #12 Launch beta {when} (Tue Dec 15) — <@U1>"
    assert buttons(message) == SNOOZES


def test_reminder_posted_late_counts_from_the_day_it_is_posted():
    # The 7-day reminder caught up three days late must not claim a week is left.
    message = reminder_message(make_milestone(), offset=7, today=DUE - timedelta(days=4))

    assert body(message).startswith("⏰ *#12* Launch beta is due in 4 days (")


def test_on_the_day_reminder_posted_the_next_day_reads_as_overdue():
    message = reminder_message(make_milestone(), offset=0, today=DUE + timedelta(days=1))

    assert body(message).startswith("⚠️ *#12* Launch beta was due yesterday (")
    assert buttons(message) == [("reminder_done", "12"), ("open_new_date", "12"), *SNOOZES]


def test_overdue_nudge_has_done_and_new_date_buttons():
    message = reminder_message(make_milestone(), offset=-1, today=DUE + timedelta(days=1))

    assert_valid(message)
    assert body(message) == f"⚠️ *#12* Launch beta was due yesterday ({TOKEN}) and isn't marked done — <@U1>"
    assert message.text == "⚠️ #12 Launch beta was due yesterday (Tue Dec 15) and isn't marked done — <@U1>"
    done, new_date, *snoozes = action_elements(message.blocks)
    assert (done["action_id"], done["value"], done["style"]) == ("reminder_done", "12", "primary")
    assert done["text"]["text"] == "Done"
    assert (new_date["action_id"], new_date["value"]) == ("open_new_date", "12")
    assert new_date["text"]["text"] == "New date…"
    assert [b["text"]["text"] for b in snoozes] == ["Remind me tomorrow", "Next week"]


def test_overdue_nudge_posted_later_says_how_long_ago():
    message = reminder_message(make_milestone(), offset=-1, today=DUE + timedelta(days=3))

    assert "was due 3 days ago" in body(message)
    assert "was due 3 days ago (Tue Dec 15)" in message.text


def test_date_token_is_only_in_blocks_and_falls_back_to_the_written_date():
    message = reminder_message(make_milestone(due_date=date(2027, 1, 8)), offset=60, today=TODAY)

    assert "<!date^" in body(message)
    assert "|Fri Jan 8, 2027>" in body(message)
    assert "<!date^" not in message.text
    assert "(Fri Jan 8, 2027)" in message.text


def test_the_token_is_noon_in_the_channels_zone():
    message = reminder_message(
        make_milestone(), offset=1, today=DUE - timedelta(days=1), zone=ZoneInfo("Pacific/Kiritimati")
    )

    # UTC+14: noon on Dec 15 there is 22:00 UTC on Dec 14, so the channel's readers all see Dec 15.
    noon_there = int(datetime(2026, 12, 14, 22, 0, tzinfo=UTC).timestamp())
    assert f"(<!date^{noon_there}^{{date_long}}|Tue Dec 15>)" in body(message)


def test_reminder_without_owner_says_how_to_set_one():
    message = reminder_message(make_milestone(owner_id=None), offset=1, today=DUE - timedelta(days=1))

    assert body(message).endswith("— no owner yet; set one with `/milestone update 12 owner @name`")
    assert message.text.endswith("— no owner yet; set one with `/milestone update 12 owner @name`")


def test_reminder_title_pings_no_one():
    message = reminder_message(make_milestone(title=HOSTILE), offset=-1, today=DUE + timedelta(days=1))

    assert_valid(message)
    assert_defused(all_mrkdwn(message))


@pytest.mark.parametrize("offset", [-2, 61])
def test_reminder_offset_outside_the_schedule_is_refused(offset):
    with pytest.raises(ValueError):
        reminder_message(make_milestone(), offset=offset, today=TODAY)


def test_reminder_needs_a_due_date():
    with pytest.raises(ValueError):
        reminder_message(make_milestone(due_date=None), offset=7, today=TODAY)


def test_an_away_owner_is_named_as_away_and_not_pinged():
    message = reminder_message(
        make_milestone(), offset=1, today=DUE - timedelta(days=1), away_until=date(2026, 12, 20)
    )

    assert_valid(message)
    assert body(message) == f"⏰ *#12* Launch beta is due tomorrow ({TOKEN}) — owner away until Sun Dec 20"
    assert "<@" not in message.text and "<@" not in body(message)


def test_a_reminder_by_dm_names_the_channel_and_the_weekday():
    message = reminder_dm(make_milestone(due_date=date(2026, 12, 11)), offset=1, today=date(2026, 12, 10))

    assert_valid(message)
    assert message.text == "⏰ #12 Launch beta in <#C1> is due tomorrow (Fri Dec 11)"
    # A DM is read later too: the day is a date token, the notification has its fallback.
    unix = int(datetime(2026, 12, 11, 12, 0, tzinfo=UTC).timestamp())
    assert (
        body(message)
        == f"⏰ *#12* Launch beta in <#C1> is due tomorrow (<!date^{unix}^{{date_long}}|Fri Dec 11>)"
    )
    assert buttons(message) == SNOOZES


def test_an_overdue_nudge_by_dm_keeps_its_done_and_new_date_buttons():
    message = reminder_dm(make_milestone(), offset=-1, today=DUE + timedelta(days=1))

    assert_valid(message)
    assert message.text == "⚠️ #12 Launch beta in <#C1> was due yesterday (Tue Dec 15) and isn't marked done"
    assert buttons(message) == [("reminder_done", "12"), ("open_new_date", "12"), *SNOOZES]


def test_a_reminder_by_dm_escapes_the_title():
    message = reminder_dm(make_milestone(title=HOSTILE), offset=-1, today=DUE + timedelta(days=1))

    assert_defused(all_mrkdwn(message))


def test_a_snoozed_reminder_says_who_snoozed_it_and_can_be_snoozed_again():
    message = snoozed_reminder_message(make_milestone(), by="U3", today=DUE - timedelta(days=6))

    assert_valid(message)
    assert body(message) == (
        f"⏰ Reminder (snoozed by <@U3>): *#12* Launch beta is due in 6 days ({TOKEN}) — <@U1>"
    )
    assert (
        message.text
        == "⏰ Reminder (snoozed by <@U3>): #12 Launch beta is due in 6 days (Tue Dec 15) — <@U1>"
    )
    assert buttons(message) == SNOOZES


def test_a_snoozed_reminder_is_off_the_schedule_however_far_the_due_date():
    # Re-dated months away after the reminder went out: no offset to check, just the truth about the date.
    message = snoozed_reminder_message(make_milestone(due_date=date(2027, 6, 1)), by="U3", today=DUE)

    assert "is due in 168 days" in message.text


def test_a_snoozed_nudge_by_dm_keeps_done_and_names_the_channel():
    message = snoozed_reminder_dm(make_milestone(), by="U1", today=DUE + timedelta(days=2))

    assert_valid(message)
    assert message.text == (
        "⚠️ Reminder (snoozed by <@U1>): #12 Launch beta in <#C1> was due 2 days ago (Tue Dec 15)"
        " and isn't marked done"
    )
    assert buttons(message) == [("reminder_done", "12"), ("open_new_date", "12"), *SNOOZES]


@pytest.mark.parametrize(
    ("at", "when"),
    [
        (datetime(2026, 12, 2, 9, 0), "Wed Dec 2 at 9:00 AM"),
        (datetime(2026, 12, 2, 12, 30), "Wed Dec 2 at 12:30 PM"),
        (datetime(2026, 12, 2, 16, 45), "Wed Dec 2 at 4:45 PM"),
        (datetime(2027, 1, 4, 0, 15), "Mon Jan 4, 2027 at 12:15 AM"),
    ],
)
def test_the_snooze_answer_says_where_and_when(at, when):
    message = snoozed_answer(
        make_milestone(), channel_id="C1", at=at, today=date(2026, 12, 1), planned_now=True
    )

    assert message.text == f"⏰ OK — I'll remind <#C1> about *#12* on {when}."


def test_the_snooze_answer_for_a_dm_and_for_a_press_after_another():
    at, today = datetime(2026, 12, 2, 9, 0), date(2026, 12, 1)

    mine = snoozed_answer(make_milestone(), channel_id=None, at=at, today=today, planned_now=True)
    again = snoozed_answer(make_milestone(), channel_id="C1", at=at, today=today, planned_now=False)

    assert mine.text == "⏰ OK — I'll remind you here about *#12* on Wed Dec 2 at 9:00 AM."
    assert again.text == "⏰ Already snoozed: I'll remind <#C1> about *#12* on Wed Dec 2 at 9:00 AM."


@pytest.mark.parametrize(
    ("status", "why", "says"),
    [
        ("done", "done", "is already done"),
        ("cancelled", "cancelled", "is already cancelled"),
        ("open", "undated", "has no due date"),
    ],
)
def test_nothing_to_snooze_says_why(status, why, says):
    message = nothing_to_snooze(make_milestone(status=status), why=why)

    assert message.text == f"*#12* Launch beta {says}, so there is nothing to remind about."


def test_nothing_to_snooze_escapes_the_title():
    assert_defused(all_mrkdwn(nothing_to_snooze(make_milestone(title=HOSTILE), why="done")))


@pytest.mark.parametrize("overdue", [False, True])
@pytest.mark.parametrize("number", [1, 42, 123456])
def test_a_reminders_buttons_are_exactly_what_slack_sdk_writes(number: int, overdue: bool) -> None:
    expected = ActionsBlock(
        block_id=f"reminder:{number}",
        elements=[
            *(reminders._overdue_buttons(number) if overdue else []),
            *reminders._snooze_buttons(number),
        ],
    ).to_dict()

    built = reminders.reminder_buttons(number, overdue=overdue)

    assert json.dumps(built) == json.dumps(expected)
    built["elements"][0]["text"]["text"] = "changed"  # a copy: the next reminder's buttons are untouched
    assert reminders.reminder_buttons(number, overdue=overdue) == expected
