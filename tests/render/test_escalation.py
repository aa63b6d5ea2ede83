"""An escalation's words: the DM to the person named in settings, and the line in the milestone's channel."""

from __future__ import annotations

from datetime import date

import pytest

from bot.render.escalation import escalation_dm, escalation_line
from tests.support.blocks import all_mrkdwn, assert_defused, assert_valid
from tests.support.factories import HOSTILE, make_milestone

TODAY = date(2026, 12, 18)


def test_the_dm_names_the_channel_the_due_date_and_the_owner_and_how_to_look() -> None:
    milestone = make_milestone(number=5, title="Ship docs", due_date=date(2026, 12, 15), owner_id="U2")
    message = escalation_dm(milestone, days=3, today=TODAY)

    assert_valid(message)
    assert message.text == (
        "⚠️ #5 Ship docs in <#C1> is 3 working days overdue (due Tue Dec 15, owner <@U2>) — no new date yet."
        " `/milestone show 5`"
    )
    assert message.blocks[0]["text"]["text"].startswith("⚠️ *#5* Ship docs in <#C1>")


def test_the_dm_says_so_when_nobody_owns_it_and_counts_one_day() -> None:
    milestone = make_milestone(number=5, due_date=date(2026, 12, 17), owner_id=None)
    assert (
        "is 1 working day overdue (due Thu Dec 17, no owner)"
        in escalation_dm(milestone, days=1, today=TODAY).text
    )


def test_the_channel_line_names_who_it_went_to() -> None:
    milestone = make_milestone(number=5, title="Ship docs", due_date=date(2026, 12, 15))
    message = escalation_line(milestone, days=3, to="U4")

    assert_valid(message)
    assert message.text == "⚠️ #5 Ship docs is 3 working days overdue — escalated to <@U4>."


@pytest.mark.parametrize("words", ["dm", "line"])
def test_a_hostile_title_pings_no_one(words: str) -> None:
    milestone = make_milestone(title=HOSTILE, due_date=date(2026, 12, 15))
    if words == "dm":
        message = escalation_dm(milestone, days=3, today=TODAY)
    else:
        message = escalation_line(milestone, days=3, to="U4")
    assert_defused(message.text)
    assert_defused(all_mrkdwn(message))


def test_a_milestone_without_a_due_date_is_refused() -> None:
    with pytest.raises(ValueError, match="no due date"):
        escalation_dm(make_milestone(due_date=None), days=3, today=TODAY)
