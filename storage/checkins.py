"""Named queries on weekly check-ins: the check-in itself, the answers given, the notes kept."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import ColumnElement, select
from sqlmodel import Session, col

from storage.models import CheckIn, CheckInAnswer, Milestone, Revision
from storage.workspace import Workspace


def get_checkin(*, session: Session, workspace: Workspace, checkin_id: int) -> CheckIn | None:
    """A check-in of this workspace by id.

    Index: the primary key.
    """
    checkin = session.get(CheckIn, checkin_id)
    if checkin is None or (checkin.team_id, checkin.enterprise_id) != (
        workspace.team_id,
        workspace.enterprise_id,
    ):
        return None
    return checkin


def checkin_for_week(*, session: Session, workspace: Workspace, channel_id: str, week: str) -> CheckIn | None:
    """The channel's check-in for an ISO week, if planned.

    Index: uq_checkin_channel_week.
    """
    return _one_in_channel(
        session, workspace=workspace, channel_id=channel_id, where=col(CheckIn.week) == week
    )


def checkin_for_message(
    *, session: Session, workspace: Workspace, channel_id: str, ts: str
) -> CheckIn | None:
    """The check-in posted as the message `ts` in the channel (the parent of a thread reply).

    Index: uq_checkin_channel_week, by its channel prefix (a channel has one check-in a week).
    """
    return _one_in_channel(
        session, workspace=workspace, channel_id=channel_id, where=col(CheckIn.message_ts) == ts
    )


def previous_checkin(*, session: Session, checkin: CheckIn) -> CheckIn | None:
    """The channel's last check-in posted before this one.

    Index: uq_checkin_channel_week, read backwards from this week.
    """
    return session.execute(
        select(CheckIn)
        .where(
            col(CheckIn.team_id) == checkin.team_id,
            col(CheckIn.enterprise_id) == checkin.enterprise_id,
            col(CheckIn.channel_id) == checkin.channel_id,
            col(CheckIn.week) < checkin.week,
            col(CheckIn.posted_at).is_not(None),
        )
        .order_by(col(CheckIn.week).desc())
        .limit(1)
    ).scalar_one_or_none()


def milestones_of(*, session: Session, checkin: CheckIn) -> list[Milestone]:
    """The milestones a check-in asks about, in the order frozen when it opened (deleted ones drop out).

    Rows never move while people answer: a new due date or status leaves each milestone where it was.
    Index: the primary key.
    """
    return checkin_milestones(session=session, checkins=[checkin])[checkin.id or 0]


def answers_to(*, session: Session, checkin_id: int) -> list[CheckInAnswer]:
    """Every answer given on a check-in, oldest first.

    Index: ix_checkin_answer_checkin.
    """
    statement = (
        select(CheckInAnswer)
        .where(col(CheckInAnswer.checkin_id) == checkin_id)
        .order_by(col(CheckInAnswer.at), col(CheckInAnswer.id))
    )
    return list(session.execute(statement).scalars())


def channel_revisions_since(
    *, session: Session, workspace: Workspace, channel_id: str, since: datetime
) -> list[tuple[Revision, Milestone]]:
    """Revisions of the channel's milestones since a moment, oldest first, with their milestones.

    Index: ix_milestone_workspace_channel for the milestones, ix_revision_milestone_at for their revisions.
    """
    statement = (
        select(Revision, Milestone)
        .join(Milestone, col(Milestone.id) == col(Revision.milestone_id))
        .where(
            col(Milestone.team_id) == workspace.team_id,
            col(Milestone.enterprise_id) == workspace.enterprise_id,
            col(Milestone.channel_id) == channel_id,
            col(Revision.at) >= since,
        )
        .order_by(col(Revision.at), col(Revision.id))
    )
    return [(revision, milestone) for revision, milestone in session.execute(statement).all()]


def _one_in_channel(
    session: Session, *, workspace: Workspace, channel_id: str, where: ColumnElement[bool]
) -> CheckIn | None:
    return session.execute(
        select(CheckIn).where(
            col(CheckIn.team_id) == workspace.team_id,
            col(CheckIn.enterprise_id) == workspace.enterprise_id,
            col(CheckIn.channel_id) == channel_id,
            where,
        )
    ).scalar_one_or_none()


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


def confidences_given(
    *, session: Session, milestone_ids: Iterable[int], before_week: str | None = None
) -> dict[int, list[tuple[str, datetime, int]]]:
    """Each milestone's answers that carried a confidence: (the review's week, when, the confidence).

    With `before_week`, only answers to reviews of earlier weeks.

    Index: ix_checkin_answer_milestone (then each answer's review by its primary key).
    """
    wanted = sorted(set(milestone_ids))
    given: dict[int, list[tuple[str, datetime, int]]] = {milestone_id: [] for milestone_id in wanted}
    if not wanted:
        return given
    statement = (
        select(CheckInAnswer.milestone_id, CheckIn.week, CheckInAnswer.at, CheckInAnswer.confidence)
        .join(CheckIn, col(CheckIn.id) == col(CheckInAnswer.checkin_id))
        .where(col(CheckInAnswer.milestone_id).in_(wanted), col(CheckInAnswer.confidence).is_not(None))
        .order_by(col(CheckInAnswer.at), col(CheckInAnswer.id))
    )
    if before_week is not None:
        statement = statement.where(col(CheckIn.week) < before_week)
    for milestone_id, week, at, confidence in session.execute(statement).all():
        given[milestone_id].append((week, at, confidence))
    return given
