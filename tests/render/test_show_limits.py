"""`show` of any milestone stays within what Slack takes: every field set at once, long texts, a full history.

A done, recurring milestone with a cost that came after another once made eleven fields in one section, which
slack_sdk refused: the person got "Something went wrong". Every combination is drawn here.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core.confidence import ConfidenceTrend
from bot.core.forecasts import Basis, Forecast
from bot.core.next_occurrence import Series
from bot.render.milestones import show_message
from storage.models import CheckInNote
from tests.support.blocks import assert_valid_blocks
from tests.support.factories import HOSTILE, TODAY, make_milestone, make_revision

TZ = ZoneInfo("America/New_York")
TITLES = st.one_of(st.just("Launch beta"), st.just(HOSTILE), st.text(min_size=1, max_size=150))
DAYS = st.one_of(st.none(), st.dates(min_value=date(2025, 1, 1), max_value=date(2028, 12, 31)))
MONEY = st.one_of(st.none(), st.integers(min_value=0, max_value=10**12))


@st.composite
def shown(draw: st.DrawFn) -> dict:
    done = draw(st.booleans())
    milestone = make_milestone(
        title=draw(TITLES),
        status="done" if done else draw(st.sampled_from(["open", "on_track", "at_risk", "blocked"])),
        due_date=draw(DAYS),
        start_date=draw(DAYS),
        owner_id=draw(st.sampled_from([None, "U1", "U2"])),
        department=draw(st.one_of(st.none(), TITLES.map(lambda t: t[:60]))),
        budget_minor=draw(MONEY),
        budget_currency="USD",
        actual_cost_minor=draw(MONEY) if done else None,
        actual_cost_currency="USD",
        completed_on=draw(DAYS) if done else None,
        recurrence=draw(st.sampled_from([None, "week", "month", "quarter"])),
        follows_id=draw(st.sampled_from([None, 7])),
    )
    before = make_milestone(id=2, number=3, title=draw(TITLES)) if draw(st.booleans()) else None
    series = Series(previous=draw(st.sampled_from([None, 11])), next=draw(st.sampled_from([None, 13])))
    revisions = [
        make_revision(reason=draw(st.one_of(st.none(), st.text(max_size=500))))
        for _ in range(draw(st.integers(min_value=0, max_value=12)))
    ]
    notes = [
        CheckInNote(
            checkin_id=1,
            message_ts=f"1.{n}",
            milestone_id=1,
            user_id="U2",
            text=draw(st.text(max_size=4000)),
            at=datetime(2026, 11, 20, tzinfo=UTC),
        )
        for n in range(draw(st.integers(min_value=0, max_value=5)))
    ]
    likely = TODAY + timedelta(days=3)
    forecast = Forecast(likely=likely, earliest=likely, latest=likely, samples=9, basis=Basis.OWNER)
    return {
        "m": milestone,
        "revisions": revisions,
        "total_revisions": len(revisions) + draw(st.integers(min_value=0, max_value=50)),
        "notes": notes,
        "forecast": forecast if draw(st.booleans()) and not done else None,
        "confidence": ConfidenceTrend(values=(4, 2)) if draw(st.booleans()) else None,
        "after": before,
        "series": series,
    }


@settings(max_examples=150, deadline=None)
@given(shown())
def test_show_is_always_a_message_slack_takes(drawn: dict) -> None:
    m = drawn.pop("m")
    revisions = drawn.pop("revisions")

    message = show_message(m, revisions, today=TODAY, tz=TZ, **drawn)

    assert_valid_blocks(message.blocks)
    assert message.text
