"""Named queries for chasing the weekly review: many channels' posted check-ins at once.

The chase is planned for every channel whose chase time has come in one pass, so the query takes them all;
their milestones and answers are read with storage/checkins.py's batch queries.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import and_, or_, select
from sqlmodel import Session, col

from storage.models import CheckIn
from storage.workspace import Workspace

ChannelWeek = tuple[Workspace, str, str]  # workspace, channel, ISO week


def posted_checkins(*, session: Session, weeks: Iterable[ChannelWeek]) -> list[CheckIn]:
    """The check-ins of these channels' weeks that were posted, in id order.

    Index: uq_checkin_channel_week (each channel and week, one row).
    """
    wanted = [
        and_(
            col(CheckIn.enterprise_id) == workspace.enterprise_id,
            col(CheckIn.team_id) == workspace.team_id,
            col(CheckIn.channel_id) == channel_id,
            col(CheckIn.week) == week,
        )
        for workspace, channel_id, week in weeks
    ]
    if not wanted:
        return []
    statement = (
        select(CheckIn).where(or_(*wanted), col(CheckIn.posted_at).is_not(None)).order_by(col(CheckIn.id))
    )
    return list(session.execute(statement).scalars())
