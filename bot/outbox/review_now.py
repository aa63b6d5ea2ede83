"""`/milestone review`: post the channel's weekly check-in now, through the same outbox as the schedule."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from slack_sdk import WebClient
from sqlalchemy import Engine
from sqlmodel import Session

from bot.core.schedule import iso_week, schedule_of
from bot.outbox.dispatch import dispatch
from bot.outbox.outcomes import Outcome
from bot.outbox.planner import plan_checkin
from bot.outbox.tick import worker_name
from storage.channel_settings import get_channel_settings
from storage.checkins import checkin_for_week
from storage.workspace import Workspace

ReviewResult = Literal["posted", "already_posted", "nothing_in_flight", "not_posted"]


@dataclass(frozen=True)
class ReviewOutcome:
    """What happened, and the check-in message's ts when there is one."""

    outcome: ReviewResult
    message_ts: str | None = None


def post_review_now(
    *,
    engine: Engine,
    client: WebClient,
    workspace: Workspace,
    channel_id: str,
    now: datetime,
    lease: timedelta,
) -> ReviewOutcome:
    """Post this week's check-in for the channel unless it is already up; one per channel and ISO week."""
    with Session(engine) as session:
        settings = get_channel_settings(session=session, workspace=workspace, channel_id=channel_id)
    if settings is None:
        return ReviewOutcome("nothing_in_flight")
    week = iso_week(schedule_of(settings).local_date(now))
    planned = plan_checkin(engine, settings=settings, week=week, now=now)
    if planned is not None:
        # The owners' DMs go with it, after the channel's message.
        keys = [planned.key, *planned.review_dms]
        dispatched = dispatch(
            engine=engine, clients=lambda _: client, now=now, worker=worker_name(), lease=lease, keys=keys
        )
        if planned.key not in dispatched[Outcome.SENT]:
            return ReviewOutcome("not_posted")
    with Session(engine) as session:
        checkin = checkin_for_week(session=session, workspace=workspace, channel_id=channel_id, week=week)
    if checkin is None:
        return ReviewOutcome("nothing_in_flight")
    if checkin.message_ts is None:
        return ReviewOutcome("not_posted")
    return ReviewOutcome("posted" if planned else "already_posted", checkin.message_ts)
