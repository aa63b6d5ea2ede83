from __future__ import annotations

from datetime import date, timedelta

import pytest

from bot.render.done import done_line, redrawn_reminder, reopened_line, undo_too_late_message
from bot.render.reminders import reminder_message
from tests.support.blocks import (
    action_elements,
    all_mrkdwn,
    assert_defused,
    assert_valid,
    assert_valid_blocks,
    mrkdwn_texts,
)
from tests.support.factories import HOSTILE, TODAY, make_milestone
from tests.support.reading import fallbacks


@pytest.mark.parametrize(
    ("completed_on", "when"),
    [
        (date(2026, 12, 15), "(on time)"),
        (date(2026, 12, 13), "(2 days early)"),
        (date(2026, 12, 18), "(3 days late)"),
    ],
)
def test_done_line_says_who_and_against_the_plan_with_an_undo_button(completed_on, when):
    milestone = make_milestone(status="done", completed_on=completed_on)

    message = done_line(milestone, by="U1")

    assert_valid(message)
    [line] = mrkdwn_texts(message.blocks)
    assert line == f"✅ *#12* Launch beta done by <@U1> {when}"
    assert message.text == f"✅ #12 Launch beta done by <@U1> {when}"
    [undo] = action_elements(message.blocks)
    assert (undo["action_id"], undo["value"], undo["text"]["text"]) == ("undo_done", "12", "Undo")


def test_done_line_adds_the_cost_against_the_budget():
    milestone = make_milestone(
        status="done",
        completed_on=date(2026, 12, 15),
        budget_minor=500000,
        budget_currency="USD",
        actual_cost_minor=450000,
        actual_cost_currency="USD",
    )

    line = next(iter(mrkdwn_texts(done_line(milestone, by="U1").blocks)))

    assert line.endswith("(on time) · cost $4,500 — $500 under budget")


def test_done_line_without_a_due_date_and_with_a_hostile_title():
    message = done_line(make_milestone(title=HOSTILE, due_date=None, baseline_due_date=None), by="U1")

    assert_valid(message)
    assert_defused(all_mrkdwn(message))
    assert all_mrkdwn(message).rstrip().endswith("done by <@U1>")


def test_reopened_line_and_the_too_late_answer():
    assert list(mrkdwn_texts(reopened_line(make_milestone(), by="U2").blocks)) == [
        "↩️ *#12* Launch beta reopened by <@U2>"
    ]
    late = undo_too_late_message(make_milestone(), undo_for=timedelta(minutes=10))
    assert_valid(late)
    assert late.text == (
        "Undo works for 10 minutes after Done, and #12 was marked done earlier. "
        "To reopen it: `/milestone update 12 status on-track`"
    )


def test_a_redrawn_nudge_loses_its_buttons_and_says_who_marked_it_done():
    nudge = reminder_message(make_milestone(), offset=-1, today=date(2026, 12, 16))
    assert action_elements(nudge.blocks)

    blocks = redrawn_reminder(nudge.blocks, by="U1", day=date(2026, 12, 8), today=TODAY)

    assert action_elements(blocks) == []
    assert blocks[0] == nudge.blocks[0]
    # Slack writes the day for each reader (`today`, `yesterday`, `Dec 8`); the fallback has the weekday.
    stamp = list(mrkdwn_texts(blocks))[-1]
    assert stamp.startswith("✅ Done — <@U1>, <!date^") and stamp.endswith("^{date_short_pretty}|Tue Dec 8>")
    assert fallbacks(stamp) == "✅ Done — <@U1>, Tue Dec 8"
    assert_valid_blocks(blocks)
