"""The schedule the planner reads from a channel's settings: its stored reminder days go through limits."""

from __future__ import annotations

from datetime import UTC, datetime, time

from sqlalchemy import Engine

from bot.core.limits import reminder_days_of
from bot.core.schedule import DEFAULT_REMINDER_DAYS, ChannelSchedule
from bot.outbox.planner import plan_checkin
from bot.outbox.timing import channel_schedule
from storage.db import session_scope
from storage.models import ChannelSettings
from tests.support.databases import recorded_statements
from tests.support.factories import make_milestone, make_settings


def settings(reminder_days: str) -> ChannelSettings:
    return make_settings(timezone="America/New_York", reminder_days=reminder_days, reminder_time="08:30")


def test_a_channel_without_settings_gets_the_defaults_in_the_default_zone() -> None:
    assert channel_schedule(None, default_timezone="Europe/Berlin") == ChannelSchedule(
        timezone="Europe/Berlin", reminder_days=DEFAULT_REMINDER_DAYS
    )


def test_stored_reminder_days_are_read_the_way_limits_reads_them() -> None:
    # One reader of the stored "7,1,0" format: a stray or out-of-range part is skipped, not fatal.
    schedule = channel_schedule(settings("1, 7,7,x,99"), default_timezone="UTC")
    assert schedule.reminder_days == reminder_days_of("1, 7,7,x,99") == (7, 1)
    assert (schedule.timezone, schedule.reminder_time) == ("America/New_York", time(8, 30))
    assert (schedule.review_weekday, schedule.review_time) == (4, time(16, 0))


def test_reminders_switched_off_are_no_days() -> None:
    assert channel_schedule(settings(""), default_timezone="UTC").reminder_days == ()


def test_a_checkin_and_its_owners_dms_read_the_reviews_rows_once(engine: Engine) -> None:
    channel = make_settings()
    with session_scope(engine) as session:
        session.add(channel)
        session.add_all(
            [make_milestone(id=1, number=1, owner_id="U1"), make_milestone(id=2, number=2, owner_id="U2")]
        )
    with recorded_statements(engine) as statements:
        planned = plan_checkin(
            engine, settings=channel, week="2026-W49", now=datetime(2026, 12, 4, 15, tzinfo=UTC)
        )
    assert planned is not None and len(planned.review_dms) == 2
    # This review's answers, and the confidences given in the reviews before it (for the call-outs).
    assert len([s for s in statements if "FROM checkin_answer" in s]) == 2
    assert len([s for s in statements if "FROM away" in s]) == 1
