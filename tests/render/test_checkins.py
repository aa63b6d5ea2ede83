"""The weekly review's channel message: compact, honest, one button; and the notes it posts in its thread."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.core.checkins import CheckInItem, CheckInView, WeekChanges
from bot.core.review_counts import ReviewCount, count_answers
from bot.render.checkins import (
    checkin_message,
    counting_line,
    review_note_message,
    review_refusal_message,
)
from storage.models import CheckInAnswer
from tests.support.blocks import action_elements, all_mrkdwn, assert_defused, assert_valid
from tests.support.factories import HOSTILE, TODAY, make_milestone
from tests.support.reading import fallbacks, tokens

# TODAY is Fri Nov 20, 2026.


def answer(user_id: str, status: str, *, milestone_id: int = 1) -> CheckInAnswer:
    return CheckInAnswer(
        checkin_id=7,
        milestone_id=milestone_id,
        user_id=user_id,
        status=status,
        at=datetime(2026, 11, 17, 14, 0, tzinfo=UTC),
    )


def items(count: int) -> list[CheckInItem]:
    return [
        CheckInItem(milestone=make_milestone(id=n, number=n, title=f"Milestone {n}", status="open"))
        for n in range(1, count + 1)
    ]


def view(**overrides) -> CheckInView:
    rows = overrides.pop("items", items(4))
    values = {
        "checkin_id": 7,
        "week": "2026-W47",
        "channel_id": "C1",
        "items": rows,
        "count": count_answers(
            [i.milestone for i in rows], answered_ids={i.milestone.id for i in rows if i.answer}, away={}
        ),
        "changes": None,
        "today": TODAY,
    }
    values.update(overrides)
    return CheckInView(**values)


def texts(message) -> list[str]:
    return [block["text"]["text"] for block in message.blocks if block["type"] == "section"]


def test_the_review_is_a_summary_a_line_per_milestone_and_one_button():
    rows = [
        CheckInItem(
            milestone=make_milestone(id=1, number=4, title="Launch beta", status="at_risk", owner_id="U1"),
            answer=answer("U1", "at_risk"),
            answered_on=date(2026, 11, 17),
        ),
        CheckInItem(
            milestone=make_milestone(
                id=2,
                number=6,
                title="Pricing page",
                status="open",
                owner_id="U3",
                due_date=date(2026, 11, 18),
            )
        ),
    ]
    message = checkin_message(view(items=rows))

    assert_valid(message)
    assert message.text == "Weekly review: 2 milestones in flight"
    summary, first_rows = texts(message)
    assert (
        summary
        == "🟡 1 at risk · ⚠️ 1 overdue · ⏳ 1 not yet answered\n1 of 2 answered · waiting on <@U3> (#6)"
    )
    # Read all week: dates are Slack's tokens (the reader's `tomorrow`), shown here by their fallbacks,
    # and an overdue one says so without a count of days that would be wrong by Wednesday.
    assert fallbacks(first_rows).split("\n") == [
        "*#4* Launch beta · due Tue Dec 15 · <@U1> · 🟡 At risk — <@U1>, Tue Nov 17",
        "*#6* Pricing page · due Wed Nov 18 · ⚠️ overdue · <@U3> · not yet answered",
    ]
    assert [words for _, words, _ in tokens(first_rows)] == [
        "{date_long_pretty}",
        "{date_short_pretty}",
        "{date_long_pretty}",
    ]
    assert "days" not in first_rows
    [button] = action_elements(message.blocks)
    assert (button["action_id"], button["value"], button["text"]["text"]) == (
        "review_mine",
        "7",
        "Review my milestones",
    )
    assert button["style"] == "primary"
    assert message.blocks[-1]["elements"][0]["text"] == (
        "Reply in the thread to add a note — mention #4 to attach it to a milestone."
    )


def test_an_answer_today_says_today_and_a_new_date_says_so():
    row = CheckInItem(
        milestone=make_milestone(id=1, number=4, status="on_track", due_date=date(2026, 12, 22)),
        answer=answer("U1", "new_date"),
        answered_on=TODAY,
    )
    message = checkin_message(view(items=[row], zone=ZoneInfo("America/New_York")))

    line = texts(message)[1]
    assert (
        fallbacks(line)
        == "*#4* Launch beta · due Tue Dec 22 · <@U1> · 🟢 On track · 📅 new date — <@U1>, Fri Nov 20"
    )
    # Noon in the channel's zone: Slack writes `today` for the answer's day, each reader in their own words.
    noon_ny = int(datetime(2026, 11, 20, 17, tzinfo=UTC).timestamp())
    assert line.endswith(f"<@U1>, <!date^{noon_ny}^{{date_short_pretty}}|Fri Nov 20>")


def test_the_count_is_per_owned_milestone_with_the_ownerless_and_the_away_apart():
    count = ReviewCount(
        answered=4,
        expected=6,
        waiting={"UALICE": [4], "UCAROL": [6]},
        away={"UDAN": date(2026, 12, 20)},
        ownerless=[7],
    )

    assert counting_line(count, today=TODAY) == (
        "4 of 6 answered · waiting on <@UALICE> (#4), <@UCAROL> (#6) · #7 has no owner"
        " · <@UDAN> is away until Sun Dec 20"
    )


def test_when_every_owner_answered_it_thanks_them_and_never_says_everyone():
    count = ReviewCount(answered=6, expected=6, ownerless=[7, 9])

    line = counting_line(count, today=TODAY)
    assert line == "All 6 answered — thanks! · #7, #9 have no owner"
    assert "Everyone" not in line
    one = counting_line(ReviewCount(answered=1, expected=1), today=TODAY)
    assert one == "Answered — thanks!", "not 'All 1 answered'"


def test_a_review_with_nobody_to_wait_on_says_so():
    assert counting_line(ReviewCount(answered=0, expected=0, ownerless=[3]), today=TODAY) == (
        "Nobody to wait on · #3 has no owner"
    )


def test_zero_parts_of_the_summary_are_left_out():
    rows = [CheckInItem(milestone=make_milestone(id=1, number=1, status="done"))]
    message = checkin_message(view(items=rows))

    assert texts(message)[0].split("\n")[0] == "✅ 1 done"


def test_one_milestone_is_singular():
    message = checkin_message(view(items=items(1)))

    assert_valid(message)
    assert message.text == "Weekly review: 1 milestone in flight"


def test_empty_checkin_says_nothing_is_in_flight_and_how_to_add_one():
    message = checkin_message(view(items=[]))

    assert_valid(message)
    assert message.text == "Weekly review: nothing in flight"
    assert "`/milestone add" in message.blocks[1]["text"]["text"]
    assert action_elements(message.blocks) == []


def test_changes_since_last_week_are_summed_up():
    slipped = make_milestone(number=12)
    changes = WeekChanges(
        done=[make_milestone(number=3), make_milestone(number=4)],
        slipped=[(slipped, date(2026, 12, 15), date(2026, 12, 22))],
        newly_at_risk=[make_milestone(number=5, status="at_risk")],
    )
    message = checkin_message(view(changes=changes))

    assert_valid(message)
    assert texts(message)[1] == (
        "Since last week: ✅ 2 done · 📅 1 slipped (#12 Tue Dec 15 → Tue Dec 22) · 🟡 1 newly at risk"
    )


def test_no_changes_means_no_changes_section():
    message = checkin_message(view(changes=WeekChanges(done=[], slipped=[], newly_at_risk=[])))

    assert not any("Since last week" in text for text in texts(message))


@pytest.mark.parametrize("count", [0, 1, 4, 20, 21, 99, 100, 101, 200])
def test_any_number_of_milestones_fits_in_one_message(count):
    long = [
        CheckInItem(milestone=make_milestone(id=n, number=n, title="x" * 150, department="d" * 80))
        for n in range(1, count + 1)
    ]
    changes = WeekChanges(
        done=[make_milestone()],
        slipped=[(make_milestone(), date(2026, 12, 15), date(2026, 12, 22))] * 9,
        newly_at_risk=[make_milestone()],
    )
    message = checkin_message(view(items=long, changes=changes))

    assert_valid(message)
    assert len(message.blocks) <= 50
    assert len(action_elements(message.blocks)) == (1 if count else 0)
    shown = "\n".join(texts(message))
    assert shown.count("*#") == min(count, 100)


def test_beyond_the_cap_the_rest_point_to_the_list():
    message = checkin_message(view(items=items(220)))

    assert "…and 120 more — `/milestone list`" in texts(message)


def test_many_people_waiting_stay_within_slack_limits():
    owners = [make_milestone(id=n, number=n, owner_id=f"U{n:010d}", status="open") for n in range(1, 201)]
    away = {f"U{n:010d}": date(2026, 12, 20) for n in range(150, 201)}
    rows = [CheckInItem(milestone=m) for m in owners]
    message = checkin_message(view(items=rows, count=count_answers(owners, answered_ids=set(), away=away)))

    assert_valid(message)
    standing = texts(message)[0]
    assert "0 of 149 answered" in standing and "<@U0000000021>" not in standing
    assert standing.endswith("<@U0000000169> is away until Sun Dec 20 · 31 more away")
    assert ", 129 more · " in standing


def test_hostile_titles_ping_no_one():
    hostile = make_milestone(title=HOSTILE)
    changes = WeekChanges(
        done=[hostile], slipped=[(hostile, date(2026, 12, 15), date(2026, 12, 22))], newly_at_risk=[]
    )
    message = checkin_message(view(items=[CheckInItem(milestone=hostile)], changes=changes))

    assert_valid(message)
    assert_defused(all_mrkdwn(message))


def test_a_note_from_someone_else_mentions_the_owner():
    m = make_milestone(number=4, title="Launch beta", owner_id="U1")

    risk = review_note_message(author="U2", on=[m], text="Vendor is late", kind="risk", to_owner=True)
    note = review_note_message(author="U2", on=[m], text="Looks good", kind="note", to_owner=True)
    own = review_note_message(author="U1", on=[m], text="QA booked", kind="note", to_owner=False)

    assert risk.text == "⚠️ <@U2> flags a risk on *#4* Launch beta — <@U1>: Vendor is late"
    assert note.text == "📝 <@U2> on *#4* Launch beta — <@U1>: Looks good"
    assert own.text == "📝 <@U1> on *#4* Launch beta: QA booked"
    for message in (risk, note, own):
        assert_valid(message)


def test_a_hostile_note_pings_no_one_and_stays_within_a_section():
    m = make_milestone(title=HOSTILE)
    message = review_note_message(author="U2", on=[m], text=HOSTILE + "&" * 999, kind="note", to_owner=True)

    assert_valid(message)
    assert_defused(all_mrkdwn(message))


def test_a_refusal_on_an_old_review_button_says_what_one_can_do_instead():
    message = review_refusal_message(
        m=make_milestone(number=4, owner_id="U1", created_by="U1"), action="update"
    )

    assert message.text == (
        "🔒 Only <@U1> or a workspace admin can update *#4*. You can still add a note or flag a risk: "
        "press *Review my milestones* on the review, or reply in its thread."
    )
