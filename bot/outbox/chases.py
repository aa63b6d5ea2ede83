"""The one chase: the next working day at review time, a DM to each owner a posted review still waits on.

Every channel whose chase time has come is planned together: one query for their check-ins, one for the
milestones and one for the answers of them all, then one per workspace for who is away.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Engine
from sqlmodel import Session

from bot.core.checkins import checkin_workspace, review_counts
from bot.core.schedule import ChannelSchedule, chase_slot, iso_week
from bot.render.review_prompts import chase_message
from storage import deliveries, review_chases
from storage.db import session_scope
from storage.models import ChannelSettings, CheckIn, DeliveryKind
from storage.workspace import Workspace

# A chase missed by downtime still goes out within its working day; later, it would land in the next day's.
CHASE_CATCH_UP = timedelta(hours=8)
# A review pushed past a long holiday is chased up to this many weeks after its own week.
_WEEKS_BACK = 3


@dataclass(frozen=True)
class DueChase:
    """A channel whose chase for a week's review has come."""

    settings: ChannelSettings
    schedule: ChannelSchedule
    week: str

    @property
    def workspace(self) -> Workspace:
        """The channel's workspace."""
        return Workspace(team_id=self.settings.team_id, enterprise_id=self.settings.enterprise_id)

    @property
    def slot(self) -> datetime:
        """When the chase is due."""
        return chase_slot(week=self.week, schedule=self.schedule)


def chase_key(checkin_id: int, user_id: str) -> str:
    """One chase per check-in and owner, ever."""
    return f"chase:{checkin_id}:{user_id}"


def due_chase_week(*, schedule: ChannelSchedule, now: datetime) -> str | None:
    """The ISO week whose review's chase time has come at `now` (within CHASE_CATCH_UP), if any."""
    today = schedule.local_date(now)
    for back in range(_WEEKS_BACK):
        week = iso_week(today - timedelta(days=7 * back))
        slot = chase_slot(week=week, schedule=schedule)
        if slot <= now < slot + CHASE_CATCH_UP:
            return week
    return None


def plan_chases(engine: Engine, *, due: Sequence[DueChase], now: datetime) -> list[str]:
    """Plan a chase for each owner still waited on by these channels' posted reviews; the keys added."""
    if not due:
        return []
    by_channel = {(d.workspace, d.settings.channel_id, d.week): d for d in due}
    with session_scope(engine) as session:
        checkins = [
            checkin
            for checkin in review_chases.posted_checkins(session=session, weeks=by_channel)
            # A review asked for after its chase time (on demand, mid-week) is not chased.
            if checkin.posted_at is not None and checkin.posted_at < by_channel[_channel_week(checkin)].slot
        ]
        today = {c.id or 0: by_channel[_channel_week(c)].schedule.local_date(now) for c in checkins}
        counts = review_counts(session, checkins=checkins, today=today)
        owed = {
            chase_key(c.id or 0, user_id): (c, user_id, numbers)
            for c in checkins
            for user_id, numbers in counts[c.id or 0].waiting.items()
        }
        planned_already = deliveries.existing_keys(session=session, keys=owed)
        planned = []
        for key, (checkin, user_id, numbers) in owed.items():
            if key not in planned_already and _plan_chase(
                session, key=key, checkin=checkin, user_id=user_id, numbers=numbers, now=now
            ):
                planned.append(key)
        return planned


def _plan_chase(
    session: Session, *, key: str, checkin: CheckIn, user_id: str, numbers: list[int], now: datetime
) -> bool:
    message = chase_message(checkin_id=checkin.id or 0, channel_id=checkin.channel_id, numbers=numbers)
    return deliveries.plan_delivery(
        session=session,
        key=key,
        kind=DeliveryKind.CHASE,
        workspace=checkin_workspace(checkin),
        channel_id=user_id,  # a person: the post goes to their DM with the bot
        payload={"text": message.text, "blocks": message.blocks},
        not_before=now,
        now=now,
        checkin_id=checkin.id,
    )


def _channel_week(checkin: CheckIn) -> tuple[Workspace, str, str]:
    return (checkin_workspace(checkin), checkin.channel_id, checkin.week)
