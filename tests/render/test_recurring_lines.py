"""How a recurring milestone reads: `every month` on its lines, and the next one in the Done line."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

import pytest

from bot.core.recurrence import RECURRENCES
from bot.render.done import done_line
from bot.render.lists import list_line
from bot.render.milestones import added_message, milestone_line
from storage.milestones import ListedMilestone
from tests.support.blocks import all_mrkdwn, assert_valid, mrkdwn_texts
from tests.support.factories import HOSTILE, TODAY, make_milestone
from tests.support.reading import fallbacks

NEW_YORK = ZoneInfo("America/New_York")


@pytest.mark.parametrize("recurrence", [*RECURRENCES, None])
def test_a_list_line_says_how_often_as_milestone_line_does(recurrence: str | None) -> None:
    m = make_milestone(recurrence=recurrence, department="Finance")
    listed = ListedMilestone(**{name: getattr(m, name) for name in ListedMilestone._fields})
    line = list_line(listed, today=TODAY)
    assert line == milestone_line(m, today=TODAY)
    assert (f"· every {recurrence} ·" in line) == (recurrence is not None)


def test_the_added_line_says_it_repeats() -> None:
    message = added_message(make_milestone(recurrence="quarter"), by="U1", today=TODAY, zone=NEW_YORK)
    assert_valid(message)
    assert message.text == "➕ Added *#12* Launch beta · due Tue Dec 15 · every quarter · <@U1> — by <@U1>"


def test_the_done_line_names_the_next_one_and_its_due_date() -> None:
    done = make_milestone(status="done", completed_on=date(2026, 12, 15), recurrence="month")
    following = make_milestone(id=2, number=13, due_date=date(2027, 1, 15), recurrence="month")
    message = done_line(done, by="U2", following=following, today=date(2026, 12, 15), zone=NEW_YORK)
    assert_valid(message)
    [line] = mrkdwn_texts(message.blocks)
    assert fallbacks(line) == (
        "✅ *#12* Launch beta done by <@U2> (on time) · 🔁 next: *#13* due Fri Jan 15, 2027"
    )
    assert message.text.endswith("· next: #13 due Fri Jan 15, 2027")


def test_a_next_one_already_past_due_says_so() -> None:
    done = make_milestone(status="done", completed_on=date(2027, 2, 1), recurrence="week")
    following = make_milestone(id=2, number=13, due_date=date(2026, 12, 22), recurrence="week")
    message = done_line(done, by="U2", following=following, today=date(2027, 2, 1), zone=NEW_YORK)
    assert "next: #13 due Tue Dec 22, 2026 · ⚠️ overdue" in message.text


def test_the_next_ones_title_is_never_markup() -> None:
    done = make_milestone(title=HOSTILE, status="done", completed_on=TODAY, recurrence="month")
    following = make_milestone(id=2, number=13, title=HOSTILE, due_date=date(2027, 1, 15))
    message = done_line(done, by="U2", following=following, today=TODAY)
    assert "<!channel>" not in all_mrkdwn(message) and "<!channel>" not in message.text
