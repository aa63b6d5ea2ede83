"""The review's private prompts: what an owner reads in their DM, and in the one chase."""

from __future__ import annotations

from datetime import date

from bot.render.review_prompts import MAX_PROMPT_LINES, chase_message, review_prompt_message
from tests.support.blocks import action_elements, all_mrkdwn, assert_defused, assert_valid
from tests.support.factories import HOSTILE, make_milestone
from tests.support.reading import fallbacks

TODAY = date(2026, 11, 30)


def test_the_prompt_says_how_many_need_a_review_lists_them_and_offers_the_button() -> None:
    mine = [
        make_milestone(id=3, number=3, title="Hire designer", due_date=date(2026, 12, 20), status="open"),
        make_milestone(id=2, number=2, title="Pricing page", due_date=date(2027, 1, 9), status="at_risk"),
    ]
    message = review_prompt_message(checkin_id=7, channel_id="C1", milestones=mine, today=TODAY)

    assert_valid(message)
    assert message.text == "2 of your milestones in <#C1> need a review"
    headline, lines = (b["text"]["text"] for b in message.blocks if b["type"] == "section")
    assert headline == "*2 of your milestones in <#C1> need a review*"
    # A DM read when the owner gets to it: Slack's date tokens, shown here by their fallbacks.
    assert "<!date^" in lines
    assert fallbacks(lines).split("\n") == [
        "• *#3* Hire designer · due Sun Dec 20 · ⚪ Open",
        "• *#2* Pricing page · due Sat Jan 9, 2027 · 🟡 At risk",
    ]
    [button] = action_elements(message.blocks)
    assert (button["action_id"], button["value"], button["style"]) == ("review_mine", "7", "primary")
    assert button["text"]["text"] == "Review my milestones"


def test_one_milestone_needs_a_review() -> None:
    message = review_prompt_message(checkin_id=7, channel_id="C1", milestones=[make_milestone()], today=TODAY)
    assert message.text == "1 of your milestones in <#C1> needs a review"


def test_an_owner_of_many_sees_the_first_ones_and_how_many_more() -> None:
    many = [make_milestone(id=n, number=n, title=f"Milestone {n}") for n in range(1, 46)]
    message = review_prompt_message(checkin_id=7, channel_id="C1", milestones=many, today=TODAY)

    assert_valid(message)
    shown = "\n".join(b["text"]["text"] for b in message.blocks if b["type"] == "section")
    assert shown.count("• ") == MAX_PROMPT_LINES
    assert "…and 25 more: the form lists them all." in str(message.blocks)


def test_titles_in_a_prompt_ping_no_one() -> None:
    message = review_prompt_message(
        checkin_id=7, channel_id="C1", milestones=[make_milestone(title=HOSTILE)], today=TODAY
    )
    assert_defused(all_mrkdwn(message))


def test_the_chase_names_the_milestones_still_waiting_and_offers_the_button() -> None:
    message = chase_message(checkin_id=7, channel_id="C1", numbers=[4, 6])

    assert_valid(message)
    assert message.text == "Still waiting on your review of #4, #6 in <#C1>"
    assert message.blocks[0]["text"]["text"] == message.text
    assert [(b["action_id"], b["value"]) for b in action_elements(message.blocks)] == [("review_mine", "7")]
