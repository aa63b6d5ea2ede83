from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from bot.core.checkins import CheckInItem, CheckInView, WeekChanges
from bot.render.checkins import checkin_message
from storage.models import CheckInAnswer
from tests.support.blocks import all_mrkdwn, assert_defused, assert_valid
from tests.support.factories import HOSTILE, TODAY, make_milestone

ACTION_IDS = ["checkin_on_track", "checkin_at_risk", "checkin_blocked", "checkin_done", "checkin_new_date"]


def answer(user_id: str, status: str, *, minute: int = 0) -> CheckInAnswer:
    return CheckInAnswer(
        checkin_id=7,
        milestone_id=1,
        user_id=user_id,
        status=status,
        at=datetime(2026, 11, 16, 9, minute, tzinfo=UTC),
    )


def items(count: int) -> list[CheckInItem]:
    return [
        CheckInItem(milestone=make_milestone(id=n, number=n, title=f"Milestone {n}"), answers=[])
        for n in range(1, count + 1)
    ]


def view(**overrides) -> CheckInView:
    values = {
        "checkin_id": 7,
        "week": "2026-W47",
        "channel_id": "C1",
        "items": items(4),
        "waiting_on": ["U1", "U3"],
        "changes": None,
        "today": TODAY,
    }
    values.update(overrides)
    return CheckInView(**values)


def block_ids(message) -> list[str]:
    return [block["block_id"] for block in message.blocks if "block_id" in block]


def actions(message) -> list[dict]:
    return [block for block in message.blocks if block["type"] == "actions"]


def footer(message) -> list[str]:
    return [element["text"] for element in message.blocks[-1]["elements"]]


def test_checkin_asks_about_each_milestone_with_five_buttons():
    message = checkin_message(view())

    assert_valid(message)
    assert message.text == "Weekly review: 4 milestones in flight"
    assert message.blocks[0]["text"]["text"] == "Weekly review: 4 milestones in flight"
    rows = actions(message)
    assert [row["block_id"] for row in rows] == ["checkin:1", "checkin:2", "checkin:3", "checkin:4"]
    first = rows[0]["elements"]
    assert [button["action_id"] for button in first] == ACTION_IDS
    assert [button["text"]["text"] for button in first] == [
        "On track",
        "At risk",
        "Blocked",
        "Done",
        "New date…",
    ]
    assert {button["value"] for button in first} == {"7:1"}
    assert message.blocks[1]["text"]["text"].startswith("*#1* Milestone 1 · due Dec 15 · <@U1>")


def test_one_milestone_is_singular():
    message = checkin_message(view(items=items(1)))

    assert_valid(message)
    assert message.text == "Weekly review: 1 milestone in flight"


def test_empty_checkin_says_nothing_is_in_flight_and_how_to_add_one():
    message = checkin_message(view(items=[], waiting_on=[]))

    assert_valid(message)
    assert message.text == "Weekly review: nothing in flight"
    assert "`/milestone add" in message.blocks[1]["text"]["text"]
    assert actions(message) == []


def test_answers_show_who_said_what_next_to_the_milestone():
    item = CheckInItem(
        milestone=make_milestone(), answers=[answer("U1", "on_track"), answer("U2", "new_date", minute=5)]
    )
    message = checkin_message(view(items=[item], waiting_on=["U3"]))

    text = message.blocks[1]["text"]["text"]
    assert text.endswith("\n<@U1> 🟢 On track · <@U2> 📅 new date")


def test_footer_names_who_has_not_answered_and_how_to_add_notes():
    message = checkin_message(view(waiting_on=["U1", "U3", "U1"]))

    waiting, notes = footer(message)
    assert waiting == "Waiting on <@U1>, <@U3>"
    assert notes == "Reply in the thread to add notes — mention #1 to attach a note to a milestone."


def test_footer_thanks_everyone_once_all_answered():
    message = checkin_message(view(waiting_on=[]))

    assert footer(message)[0] == "Everyone has answered. Thanks!"


def test_changes_since_last_week_are_summed_up():
    slipped = make_milestone(number=12)
    changes = WeekChanges(
        done=[make_milestone(number=3), make_milestone(number=4)],
        slipped=[(slipped, date(2026, 12, 15), date(2026, 12, 22))],
        newly_at_risk=[make_milestone(number=5, status="at_risk")],
    )
    message = checkin_message(view(changes=changes))

    assert_valid(message)
    assert message.blocks[1]["text"]["text"] == (
        "Since last week: ✅ 2 done · 📅 1 slipped (#12 Dec 15 → Dec 22) · 🟡 1 newly at risk"
    )


def test_changes_show_only_what_happened():
    changes = WeekChanges(done=[make_milestone(number=3)], slipped=[], newly_at_risk=[])
    message = checkin_message(view(changes=changes))

    assert message.blocks[1]["text"]["text"] == "Since last week: ✅ 1 done"


def test_no_changes_means_no_changes_section():
    message = checkin_message(view(changes=WeekChanges(done=[], slipped=[], newly_at_risk=[])))

    assert not any("Since last week" in block.get("text", {}).get("text", "") for block in message.blocks)


@pytest.mark.parametrize("count", [0, 1, 4, 20, 21, 25, 200])
def test_any_number_of_milestones_fits_in_one_message(count):
    changes = WeekChanges(
        done=[make_milestone()],
        slipped=[(make_milestone(), date(2026, 12, 15), date(2026, 12, 22))] * 9,
        newly_at_risk=[make_milestone()],
    )
    message = checkin_message(view(items=items(count), changes=changes))

    assert_valid(message)
    assert len(message.blocks) <= 50
    ids = block_ids(message)
    assert len(ids) == len(set(ids))
    assert len(actions(message)) == min(count, 20)


def test_beyond_twenty_milestones_the_rest_point_to_the_list():
    message = checkin_message(view(items=items(25)))

    assert "…and 5 more: `/milestone list`" in [block.get("text", {}).get("text") for block in message.blocks]


def test_many_answers_and_many_waiting_stay_within_slack_limits():
    crowd = [answer(f"U{n:010d}", "at_risk") for n in range(300)]
    item = CheckInItem(milestone=make_milestone(title="x" * 150), answers=crowd)
    message = checkin_message(view(items=[item], waiting_on=[f"U{n:010d}" for n in range(300)]))

    assert_valid(message)
    assert all(len(element["text"]) <= 3000 for element in message.blocks[-1]["elements"])


def test_hostile_titles_ping_no_one():
    hostile = make_milestone(title=HOSTILE)
    changes = WeekChanges(
        done=[hostile], slipped=[(hostile, date(2026, 12, 15), date(2026, 12, 22))], newly_at_risk=[]
    )
    message = checkin_message(view(items=[CheckInItem(milestone=hostile, answers=[])], changes=changes))

    assert_valid(message)
    assert_defused(all_mrkdwn(message))
