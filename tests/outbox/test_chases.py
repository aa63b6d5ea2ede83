"""The chase's timing as a pure function of `now`, and its counting, batched, as the review's own count."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from bot.core.checkins import review_count
from bot.core.schedule import ChannelSchedule
from bot.outbox.chases import due_chase_week, review_counts
from storage.models import Away, CheckIn, CheckInAnswer
from tests.support.factories import CREATED, make_milestone
from tests.support.scheduler import ny

NY = "America/New_York"


@pytest.mark.parametrize(
    ("now", "week"),
    [
        ("2026-12-01 08:59", None),
        ("2026-12-01 09:00", "2026-W49"),  # the day after Monday's review, at the review time
        ("2026-12-01 16:59", "2026-W49"),
        ("2026-12-01 17:00", None),  # missed by a working day: not sent late
        ("2026-11-30 09:00", None),  # the review's own day
    ],
)
def test_the_chase_is_due_the_next_working_day_at_the_review_time(now: str, week: str | None) -> None:
    assert due_chase_week(schedule=ChannelSchedule(timezone=NY), now=ny(now)) == week


def test_a_friday_review_is_chased_on_monday_of_the_next_iso_week() -> None:
    friday = ChannelSchedule(timezone=NY, review_weekday=4)
    assert due_chase_week(schedule=friday, now=ny("2026-12-05 09:00")) is None
    assert due_chase_week(schedule=friday, now=ny("2026-12-07 09:00")) == "2026-W49"


def test_a_review_moved_past_a_holiday_is_chased_the_working_day_after_it() -> None:
    us = ChannelSchedule(timezone=NY, holidays="US")
    # Monday Jan 19, 2026 is Martin Luther King Jr. Day: the review is on Tuesday, the chase on Wednesday.
    assert due_chase_week(schedule=us, now=ny("2026-01-20 09:00")) is None
    assert due_chase_week(schedule=us, now=ny("2026-01-21 09:00")) == "2026-W04"


def test_the_chase_keeps_nine_new_york_time_across_spring_forward() -> None:
    schedule = ChannelSchedule(timezone=NY, review_time=time(9, 0))
    # Tuesday Mar 10, 2026, two days after New York moved to EDT: 09:00 is 13:00 UTC.
    assert due_chase_week(schedule=schedule, now=datetime(2026, 3, 10, 12, 59, tzinfo=UTC)) is None
    assert due_chase_week(schedule=schedule, now=datetime(2026, 3, 10, 13, 0, tzinfo=UTC)) == "2026-W11"


def test_batched_counts_are_the_reviews_own_counts(engine: Engine) -> None:
    milestones = [
        make_milestone(id=1, number=1, owner_id="U1"),
        make_milestone(id=2, number=2, owner_id="U2"),
        make_milestone(id=3, number=3, owner_id="U2", status="done"),
        make_milestone(id=4, number=4, owner_id=None),
        make_milestone(id=5, number=5, owner_id="U3"),
        make_milestone(id=6, number=6, owner_id="U2", channel_id="C2"),
    ]
    with Session(engine) as session:
        session.add_all(milestones)
        session.flush()
        first = _checkin(session, channel_id="C1", milestone_ids=[1, 2, 3, 4, 5])
        second = _checkin(session, channel_id="C2", milestone_ids=[6])
        session.add(
            CheckInAnswer(
                checkin_id=first.id or 0, milestone_id=1, user_id="U1", status="on_track", at=CREATED
            )
        )
        session.add(Away(team_id="T1", user_id="U3", until=date(2026, 12, 20), set_at=CREATED))
        session.flush()
        today = date(2026, 12, 1)

        batched = review_counts(session, checkins=[first, second], today={first.id: today, second.id: today})

        assert batched == {c.id: review_count(session, checkin=c, today=today) for c in (first, second)}
        assert batched[first.id].waiting == {"U2": [2]} and batched[second.id].waiting == {"U2": [6]}


def _checkin(session: Session, *, channel_id: str, milestone_ids: list[int]) -> CheckIn:
    checkin = CheckIn(
        team_id="T1",
        channel_id=channel_id,
        week="2026-W49",
        milestone_ids=json.dumps(milestone_ids),
        created_at=CREATED,
        posted_at=CREATED,
    )
    session.add(checkin)
    session.flush()
    return checkin
