"""Named queries for chasing the weekly review: many channels' posted check-ins, their milestones and answers.

The chase is planned for every channel whose chase time has come in one pass, so each query takes them all.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from sqlalchemy import and_, or_, select
from sqlmodel import Session, col

from storage.models import CheckIn, CheckInAnswer, Milestone
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


def checkin_milestones(*, session: Session, checkins: Iterable[CheckIn]) -> dict[int, list[Milestone]]:
    """Each check-in's milestones as it asked about them (in its order; deleted ones left out).

    Index: the primary key of milestone.
    """
    asked = {checkin.id or 0: json.loads(checkin.milestone_ids) for checkin in checkins}
    ids = sorted({milestone_id for listed in asked.values() for milestone_id in listed})
    if not ids:
        return {checkin_id: [] for checkin_id in asked}
    found = {m.id: m for m in session.execute(select(Milestone).where(col(Milestone.id).in_(ids))).scalars()}
    return {checkin_id: [found[m] for m in listed if m in found] for checkin_id, listed in asked.items()}


def answered_milestones(*, session: Session, checkin_ids: Iterable[int]) -> dict[int, set[int]]:
    """For each check-in, the milestones someone answered on it.

    Index: ix_checkin_answer_checkin.
    """
    wanted = sorted(set(checkin_ids))
    answered: dict[int, set[int]] = {checkin_id: set() for checkin_id in wanted}
    if not wanted:
        return answered
    statement = select(CheckInAnswer.checkin_id, CheckInAnswer.milestone_id).where(
        col(CheckInAnswer.checkin_id).in_(wanted)
    )
    for checkin_id, milestone_id in session.execute(statement).all():
        answered[checkin_id].add(milestone_id)
    return answered
